"""Which reading decides each group of fields when an LLM reads (``MOTIVE_LLM_READ_TRUST``): the
setting's grammar, the merge of two readings, the LLM reader with its default, and the
evaluation's per-group report that picks the modes for a model."""

from __future__ import annotations

from datetime import date

import pytest

from agent.catalog import demo_catalog_path, read_catalog
from agent.llm import LLM, UsageLedger
from agent.reading import CatalogLexicon, Reader
from agent.reading.llm import LLMReader
from agent.reading.models import Brand, Category, PriceLimit, Question, Reading, Term
from agent.reading.trust import FIELDS, merge, read_nothing
from agent.settings import READ_TRUST_GROUPS, Settings, SettingsError, read_trust_values
from tests.fakes import ScriptedChatModel

TODAY = date(2026, 12, 1)


# -- the setting ----------------------------------------------------------------------------------

def test_one_mode_for_every_group_then_exceptions():
    assert read_trust_values("fill") == dict.fromkeys(READ_TRUST_GROUPS, "fill")
    modes = read_trust_values("llm, act=offline,terms = fill")
    assert modes["act"] == "offline" and modes["terms"] == "fill" and modes["price"] == "llm"
    assert read_trust_values("act=llm")["act"] == "llm" and read_trust_values("act=llm")["sizes"] == "fill"
    assert set(FIELDS) == set(READ_TRUST_GROUPS)


@pytest.mark.parametrize("text, named", [
    ("trusted", "unknown mode 'trusted'"),
    ("fill,colour=llm", "unknown field group 'colour'"),
    ("fill,act=maybe", "act needs one of llm, fill, offline, got 'maybe'"),
])
def test_a_wrong_trust_setting_names_what_is_wrong(text, named):
    with pytest.raises(ValueError, match=named):
        read_trust_values(text)
    with pytest.raises(SettingsError, match="MOTIVE_LLM_READ_TRUST"):
        Settings.load(env={"MOTIVE_LLM_READ_TRUST": text})


# -- the merge --------------------------------------------------------------------------------------

def _reading(**fields) -> Reading:
    return Reading(**fields)


LLM_READING = _reading(act="compare", categories=[Category(name="dress", quote="frock", sure=True)],
                       price=PriceLimit(max=300, quote="300", sure=True),
                       exclude=[Term(text="polyester", kind="material", quote="no polyester", sure=True)])
OFFLINE_READING = _reading(act="request", categories=[Category(name="gown", quote="gown", sure=True)],
                           brands_out=[Brand(name="Velluto", quote="nothing by Velluto", sure=True)])


def test_fill_keeps_what_the_offline_reader_read_and_takes_the_llm_only_where_it_read_nothing():
    out = merge(LLM_READING, OFFLINE_READING, "fill")
    assert out.act == "request"  # the offline reader read something: its act stands
    assert [c.name for c in out.categories] == ["gown"]  # read offline: kept
    assert out.price.max == 300 and [t.text for t in out.exclude] == ["polyester"]  # offline read none: the LLM's
    assert [b.name for b in out.brands_out] == ["Velluto"]  # the LLM read no brand: offline's (its value held)


def test_llm_and_offline_modes_take_one_side_for_the_group():
    assert [c.name for c in merge(LLM_READING, OFFLINE_READING, "llm").categories] == ["dress"]
    assert merge(LLM_READING, OFFLINE_READING, "llm").act == "compare"
    off = merge(LLM_READING, OFFLINE_READING, "offline")
    assert off.price is None and off.exclude == [] and [c.name for c in off.categories] == ["gown"]
    mixed = merge(LLM_READING, OFFLINE_READING, "offline,price=llm")
    assert mixed.price.max == 300 and mixed.exclude == []


def test_the_merge_copies_so_neither_reading_changes():
    before = (LLM_READING.model_dump(), OFFLINE_READING.model_dump())
    out = merge(LLM_READING, OFFLINE_READING, "offline")
    out.categories[0].name = "changed"
    assert (LLM_READING.model_dump(), OFFLINE_READING.model_dump()) == before


def test_the_act_is_only_a_default_when_nothing_was_read_or_the_language_was_not_understood():
    assert read_nothing(Reading(), "act") and not read_nothing(Reading(act="greeting"), "act")
    assert not read_nothing(OFFLINE_READING, "act")
    foreign = Reading(language="fr", understood=False)
    assert read_nothing(foreign, "act")
    out = merge(Reading(act="reaction", language="fr", understood=True), foreign, "fill")
    assert out.act == "reaction" and out.understood  # the LLM read a language the rules do not
    kept = merge(Reading(act="reaction", language="fr", understood=True), foreign, "offline")
    assert kept.act == "request" and not kept.understood


def test_the_offline_question_brings_its_quantity_and_keeps_its_verdicts():
    from agent.reading.models import Quantity, Reference

    offline = Reading(act="question", question=Question(item_ids=["A"], field="price", quantity=60, quote="60 cases"),
                      quantity=None)
    llm = Reading(act="request", quantity=Quantity(value=60, unit="case", quote="60 cases", sure=True))
    out = merge(llm, offline, "fill")
    assert out.act == "question" and out.quantity is None and out.question.quantity == 60
    # 'Love the cocoon coat! what colour is it exactly?': a question that also likes the item.
    loved = offline.model_copy(update={"references": [Reference(item_id="A", how="title", polarity="liked",
                                                                quote="the cocoon coat", sure=True)]})
    assert merge(llm, loved, "offline").liked == ["A"] and merge(llm, loved, "fill").liked == ["A"]


def test_offline_everywhere_is_the_offline_reading():
    from agent.reading.llm import _tidy

    assert _tidy(merge(LLM_READING, OFFLINE_READING, "offline")) == _tidy(OFFLINE_READING.model_copy(deep=True))


# -- the reader with its default --------------------------------------------------------------------

def test_by_default_a_small_models_wrong_act_does_not_replace_the_offline_one():
    items = read_catalog(demo_catalog_path("boutique")).items
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    message = "something in silk for a gala, under 900 please"
    model = ScriptedChatModel(script=[{"act": "greeting", "budget_max": 900, "budget_quote": "under 900",
                                       "require": [{"value": "silk", "quote": "something in silk"}]}])
    assert Settings().llm_read_trust == "fill"
    reading = LLMReader(LLM(model), reader).read(message, [], None, TODAY, UsageLedger())
    offline = reader.read(message, [], None, TODAY)
    assert offline.act == "request" and reading.act == "request"
    assert reading.price.max == offline.price.max == 900
    trusting = LLMReader(LLM(ScriptedChatModel(script=[{"act": "greeting"}])), reader, trust="llm")
    assert trusting.read(message, [], None, TODAY, UsageLedger()).act == "greeting"


def test_readings_give_both_sides_and_none_without_a_model():
    items = read_catalog(demo_catalog_path("boutique")).items
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    llm, offline = LLMReader(LLM(None), reader).readings("a silk dress", [], None, TODAY)
    assert llm is None and offline == reader.read("a silk dress", [], None, TODAY)


# -- the evaluation's report ------------------------------------------------------------------------

def test_best_trust_takes_the_llm_only_where_it_is_measurably_better():
    from apps.evaluation.understanding_llm import best_trust, trust_text

    right = {"act": {"llm": 7, "fill": 20, "offline": 20}, "price": {"llm": 12, "fill": 11, "offline": 10},
             "sizes": {"llm": 5, "fill": 6, "offline": 5}}
    best = best_trust(right, read_trust_values("fill"))
    assert best["act"] == "offline" and best["price"] == "llm" and best["sizes"] == "fill"
    assert best["motives"] == "fill"  # not measured: as configured
    assert read_trust_values(trust_text(best)) == best
    assert trust_text(dict.fromkeys(READ_TRUST_GROUPS, "offline")) == "offline"


def test_the_report_scores_each_mode_on_the_same_answers(monkeypatch):
    import argparse

    import agent.llm
    from apps.evaluation.understanding_data import Example

    # The model reads the first act wrong (and its budget right), the second act right.
    model = ScriptedChatModel(script=[], reads=[{"act": "greeting", "budget_max": 900, "budget_quote": "under 900"},
                                                {"act": "greeting"}])
    monkeypatch.setattr(agent.llm, "chat_model_from_settings", lambda settings: model)
    examples = [Example(id="t-1", catalog="boutique", text="a silk dress under 900",
                        gold={"act": "request", "budget_max": 900, "require": ["silk"], "categories": ["dress"]}),
                Example(id="t-2", catalog="boutique", text="thanks, that's all", gold={"act": "greeting"})]
    items = read_catalog(demo_catalog_path("boutique")).items
    from apps.evaluation.understanding_llm import trust_report

    report = trust_report({"boutique": items}, examples, None, argparse.Namespace(settings=Settings()))
    assert model.structured_calls() == 0 and [k for k, _ in model.history] == ["read", "read"]  # one call a message
    assert report["read_by_llm"] == 2 and set(report["outcomes"]) == {"llm", "llm:llm", "llm:fill", "llm:offline",
                                                                       "llm:best"}
    assert report["right"]["act"]["llm"] == 1 and report["right"]["act"]["offline"] == 2
    assert read_trust_values(report["best"])["act"] == "offline"
    assert [g.act for g in report["outcomes"]["llm:llm"]] == ["greeting", "greeting"]
    assert [g.act for g in report["outcomes"]["llm:best"]] == ["request", "greeting"]


def test_a_choice_survives_the_llm_reading_when_its_act_is_a_reaction():
    items = read_catalog(demo_catalog_path("boutique")).items
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    message = "perfect, we'll take the first"
    offline = reader.read(message, items[:3], None, TODAY)
    assert offline.decided and offline.act == "reaction"
    for trust, answer in (("fill", {"act": "greeting"}), ("llm", {"act": "reaction", "liked": [1]})):
        model = ScriptedChatModel(script=[answer])
        reading = LLMReader(LLM(model), reader, trust=trust).read(message, items[:3], None, TODAY, UsageLedger())
        assert reading.decided and reading.liked == [items[0].id], trust
    model = ScriptedChatModel(script=[{"act": "request"}])
    assert not LLMReader(LLM(model), reader, trust="llm").read(message, items[:3], None, TODAY, UsageLedger()).decided
