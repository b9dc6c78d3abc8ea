"""What a turn keeps or hands on to save time gives what computing it afresh gives: an item's
content hash, a prepared compliance checker, the loosened constraints' defaults, and the one read of
a conversation's checkpoint per turn."""

from __future__ import annotations

import re
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.pregel._checkpoint import put_writes_accepts_task_path

from agent.models import RELAXABLE, Constraints, Item, _field_default, _unhyphenated, mentions_positively
from graph.checkpoints import TurnSqliteSaver, checkpoint_serde
from graph.session import Conversations, sqlite_checkpointer


def test_an_items_content_hash_is_kept_and_forgotten_when_the_item_changes():
    item = Item(id="A-1", title="Linen dress", price=120.0, category="dress")
    first = item.content_hash()
    assert item.content_hash() == first and item._hash == first
    item.price = 130.0
    assert item._hash is None and item.content_hash() != first
    assert item.content_hash() == Item(id="A-1", title="Linen dress", price=130.0, category="dress").content_hash()
    copy = item.model_copy(update={"title": "Silk dress"})
    assert copy.content_hash() != item.content_hash()
    assert copy.content_hash() == Item(id="A-1", title="Silk dress", price=130.0, category="dress").content_hash()


def test_a_prepared_checker_agrees_with_complies_on_every_demo_item(warm_deps):
    items = warm_deps.store.all_items("boutique") + warm_deps.store.all_items("wholesale")
    brands = sorted({i.brand for i in items if i.brand})
    cases = [
        Constraints(),
        Constraints(budget_max=200, categories=["Dress", "coat"]),
        Constraints(brands_in=[brands[0].upper()], in_stock_only=True),
        Constraints(brands_out=[brands[1]], exclude_terms=["leather"], sizes=["M", "42"]),
        Constraints(must_have=["food safe"], max_moq=1000, max_lead_time_days=14),
        Constraints(must_have=["latex-free"], term_forms={"latex-free": ["latex"]}, budget_min=5),
    ]
    for constraints in cases:
        check = constraints.checker()
        assert [check(i) for i in items] == [constraints.complies(i) for i in items]
        assert [check(i) for i in items] == [not constraints.violations(i) for i in items]


def test_a_loosened_constraint_gets_a_fresh_default_as_pydantic_gives_it():
    for _, fields in RELAXABLE:
        for name in fields:
            expected = Constraints.model_fields[name].get_default(call_default_factory=True)
            assert _field_default(name) == expected and type(_field_default(name)) is type(expected)
    constraints = Constraints(sizes=["m"], categories=["dress"])
    loosened = dict(constraints.relaxations())
    assert loosened["size"].sizes == [] and loosened["category"].categories == []
    assert loosened["size"].sizes is not loosened["category"].sizes  # never one shared list


def test_a_phrase_is_found_across_a_hyphen_and_the_text_is_unhyphenated_once_per_text():
    text = "tested for food-contact use. not food contact free."
    assert mentions_positively(text, "food contact")
    hits = _unhyphenated.cache_info().hits
    assert mentions_positively(text, "food contact")
    assert _unhyphenated.cache_info().hits == hits + 1
    for text in ("latex-free and leather-free gloves", "a well-made, hard-wearing coat", "no food-safe coating"):
        assert _unhyphenated(text) == re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", " ", text)


def test_a_turn_decodes_its_conversations_checkpoint_once_and_continues_as_before(
        warm_deps, tmp_path: Path, monkeypatch):
    script = ["an elegant dress for a summer wedding under 900 euros", "not leather please",
              "something cheaper", "tell me more about the first one"]
    plain = Conversations(warm_deps, SqliteSaver(sqlite_checkpointer(tmp_path / "a.sqlite3").conn,
                                                 serde=checkpoint_serde()))
    expected = [plain.send("t", line, catalog="boutique").model_dump(mode="json") for line in script]

    turn = Conversations(warm_deps, sqlite_checkpointer(tmp_path / "b.sqlite3"))
    assert isinstance(turn.graph.checkpointer, TurnSqliteSaver)
    # LangGraph passes task_path to put_writes only when its signature names it, as SqliteSaver's does.
    assert put_writes_accepts_task_path(turn.graph.checkpointer.put_writes)
    reads = []
    original = SqliteSaver.get_tuple
    monkeypatch.setattr(SqliteSaver, "get_tuple", lambda self, config: reads.append(1) or original(self, config))
    outputs = []
    for n, line in enumerate(script):
        del reads[:]
        outputs.append(turn.send("t", line, catalog="boutique").model_dump(mode="json"))
        if n:  # the first turn finds nothing to decode (twice, as before)
            assert len(reads) == 1
    assert outputs == expected
    assert ([(m.type, m.content) for m in turn.state("t")["messages"]]
            == [(m.type, m.content) for m in plain.state("t")["messages"]])
    assert turn.state("t")["belief"] == plain.state("t")["belief"]
    # Outside a turn the saver reads afresh every time.
    del reads[:]
    turn.state("t")
    turn.state("t")
    assert len(reads) == 2
