"""``motive eval simulate``: metrics by hand, the two folder formats on tiny fixtures written here, the
simulator's truthfulness, and real sessions against the offline product on the boutique catalog."""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
from pathlib import Path

import pytest

from agent.catalog import demo_catalog_path, read_catalog
from apps.evaluation.seqrec_data import DataFormatError
from apps.evaluation.simulate import (AgentTurn, DenseAgent, MotiveAgent, Profile, SessionResult,
                                       UserSimulator, add_arguments, average_turns, hallucinations,
                                       nice_ceiling, profile_of, run_session, run_simulate, success_at,
                                       summarise, title_head, violations, with_article)
from apps.evaluation.simulate_data import (HM_PRICE_SCALE, SimCase, catalog_name, catalog_subset,
                                            detect_format, load_folder, load_hm, sample)
from agent.models import Constraints, Item, Recommendation
from agent.reading import CatalogLexicon, Reader
from agent.store import validate_catalog_name


def _item(id_: str, price: float = 10.0, brand: str = "Acme", category: str = "dress", **attributes) -> Item:
    return Item(id=id_, title=f"Item {id_}", brand=brand, category=category, price=price, currency="EUR",
                attributes=attributes)


def _card(item: Item, **changes) -> Recommendation:
    data = dict(item_id=item.id, title=item.title, brand=item.brand, price=item.price, currency=item.currency,
                score=0.5, explanation="")
    data.update(changes)
    return Recommendation(**data)


# -- metrics, by hand ------------------------------------------------------------------------------


def test_success_at_k_by_hand():
    turns = [1, 3, None, 6]  # shown at turns 1, 3 and 6; one never
    assert success_at(turns, 1) == 0.25
    assert success_at(turns, 5) == 0.5
    assert success_at(turns, 10) == 0.75
    assert math.isnan(success_at([], 5))
    with pytest.raises(ValueError):
        success_at(turns, 0)


def test_average_turns_counts_a_failure_as_limit_plus_one():
    assert average_turns([1, 3, None, 6], 10) == pytest.approx((1 + 3 + 11 + 6) / 4)  # 5.25
    assert average_turns([None, None], 5) == 6.0
    assert average_turns([2], 10) == 2.0
    assert math.isnan(average_turns([], 10))


def test_hallucinations_count_unknown_ids_and_wrong_facts():
    a, b = _item("A-01", 100.0), _item("B-02", 50.0)
    catalog = {a.id: a, b.id: b}
    cards = [_card(a), _card(b, price=45.0), _card(_item("Z-99")), _card(a, title="Another title")]
    assert hallucinations(cards, catalog) == 3
    assert hallucinations([_card(a), _card(b)], catalog) == 0


def test_violations_count_items_breaking_a_stated_constraint():
    items = [_item("A", 100.0), _item("B", 300.0), _item("C", 50.0, brand="Velluto"), _item("D", 400.0, brand="Velluto")]
    stated = Constraints(budget_max=200.0, brands_out=["Velluto"])
    assert violations(items, stated) == 3  # B over budget, C ruled-out brand, D both (counted once)
    assert violations(items, Constraints()) == 0


def test_summarise_by_hand():
    results = [SessionResult("a", "t", 1, 1, questions=1), SessionResult("b", "t", None, 10, hallucinated=2),
               SessionResult("c", "t", 7, 7, violations=3, empty_turns=2), SessionResult("d", "t", 4, 4, questions=1)]
    row = summarise(results, 10)
    assert row["success@5"] == 0.5 and row["success@10"] == 0.75
    assert row["avg turns"] == pytest.approx((1 + 11 + 7 + 4) / 4)
    assert row["questions"] == 0.5 and row["hallucinated"] == 2 and row["violations"] == 3
    assert row["empty turns"] == 0.5 and row["sessions"] == 4
    assert math.isnan(summarise(results, 3)["success@5"])  # not measurable with 3 turns


def test_nice_ceiling_rounds_up_to_two_significant_digits():
    assert nice_ceiling(893) == 900
    assert nice_ceiling(29.1) == 30
    assert nice_ceiling(3.21) == 3.3
    assert nice_ceiling(100) == 100
    assert nice_ceiling(0.405) == 0.41
    assert nice_ceiling(0) == 0


# -- data folders ----------------------------------------------------------------------------------

ARTICLE_HEADER = ["", "article_id", "product_code", "prod_name", "product_type_name", "graphical_appearance_name",
                  "colour_group_name", "index_group_name", "section_name", "detail_desc"]
ARTICLES = [
    ["0", "101", "1", "Strap top", "Vest top", "Solid", "Black", "Ladieswear", "Basics", "Jersey top with narrow straps."],
    ["1", "102", "1", "Skinny jeans", "Trousers", "Denim", "Dark Blue", "Ladieswear", "Denim", "Stretch denim jeans."],
    ["2", "103", "2", "Wool coat", "Coat", "Solid", "Grey", "Menswear", "Outerwear", "Warm wool coat for winter."],
    ["3", "104", "3", "Baby body", "Bodysuit", "Stripe", "White", "Baby/Children", "Baby", "Soft cotton body."],
]
TRANSACTIONS = [  # t_dat, customer, article, price
    ("2018-09-21", "cust-a", "102", "0.03"),
    ("2018-09-20", "cust-a", "101", "0.01"),
    ("2018-09-22", "cust-a", "103", "0.10"),
    ("2018-09-20", "cust-b", "101", "0.02"),
    ("2018-09-20", "cust-c", "102", "0.05"),
]


@pytest.fixture
def hm_folder(tmp_path: Path) -> Path:
    root = tmp_path / "some-hm-subset"
    root.mkdir()
    with (root / "articles.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([ARTICLE_HEADER, *ARTICLES])
    with (root / "transactions_train.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["t_dat", "customer_id", "article_id", "price", "sales_channel_id"])
        writer.writerows([(*row, "2") for row in TRANSACTIONS])
    (root / "customers.csv").write_text("customer_id,age\ncust-a,30\n", encoding="utf-8")
    return root


@pytest.fixture
def minionerec_folder(tmp_path: Path) -> Path:
    root = tmp_path / "tiny-category"
    root.mkdir()
    index = {str(i): {"title": t, "brand": b, "categories": "", "description": "['for the workshop']"}
             for i, (t, b) in enumerate([("Red PLA Filament 1.75mm", "Acme"), ("Nitrile Exam Gloves, Box of 100", "SafeCo"),
                                         ("Digital Caliper", "Measure"), ("Laser Engraver", "Lasr")])}
    (root / "index_Tiny.item.json").write_text(json.dumps(index), encoding="utf-8")
    header = ["user_id", "history_item_title", "item_title", "history_item_id", "item_id"]
    for split, rows in (("valid", [("u1", [0], 1), ("u2", [2], 1)]), ("test", [("u1", [0, 1], 2), ("u2", [2, 1], 3)])):
        with (root / f"{split}_Tiny_5.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([(u, "[]", "", repr(h), t) for u, h, t in rows])
    return root


def test_formats_are_detected_by_their_files(hm_folder: Path, minionerec_folder: Path, tmp_path: Path):
    assert detect_format(hm_folder) == "hm"
    assert detect_format(minionerec_folder) == "minionerec"
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFormatError, match="neither an H&M folder"):
        detect_format(tmp_path / "empty")
    with pytest.raises(DataFormatError, match="not a directory"):
        detect_format(tmp_path / "missing")


def test_hm_loader(hm_folder: Path):
    data = load_hm(hm_folder)
    items = data.by_id
    assert len(items) == 4 and data.domain == "fashion"
    assert items["101"].price == pytest.approx(0.015 * HM_PRICE_SCALE)  # mean of 0.01 and 0.02
    # never bought, and no other bodysuit was: the median of every article's mean (15, 40, 100)
    assert items["104"].price == pytest.approx(40.0)
    assert items["101"].category == "vest top" and items["101"].attributes["colour"] == "black"
    assert items["103"].attributes["range"] == "Menswear"
    cases = {c.case_id: c for c in data.cases}
    assert cases["cust-a"].target == "103" and cases["cust-a"].history == ("101", "102")  # by date, not file order
    assert cases["cust-b"].history == ()
    assert data.popularity["101"] == 2
    picked = sample(data, 5, seed=0, min_history=1)
    assert [c.case_id for c in picked] == ["cust-a"]  # the only customer with an earlier purchase
    assert data.popularity["103"] == 0  # the sampled target's purchase is not counted


def test_hm_loader_names_the_file_and_column_at_fault(hm_folder: Path):
    (hm_folder / "articles.csv").write_text("article_id,prod_name\n1,x\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"articles\.csv: missing column\(s\) \['product_type_name'\]"):
        load_folder(hm_folder)


def test_minionerec_loader_reuses_the_seqrec_reader(minionerec_folder: Path):
    data = load_folder(minionerec_folder)
    assert data.kind == "minionerec" and data.domain == "b2b" and len(data.items) == 4
    assert {(c.target, c.history) for c in data.cases} == {("2", ("0", "1")), ("3", ("2", "1"))}
    assert data.popularity["1"] == 2 and data.popularity["3"] == 0  # valid only: test targets unseen
    assert len(sample(data, 10, seed=1)) == 2  # one case per user


def test_catalog_subset_keeps_targets_and_histories(hm_folder: Path):
    data = load_hm(hm_folder)
    cases = [SimCase("x", "103", ("101",))]
    subset = catalog_subset(data, cases, limit=3, seed=0)
    assert len(subset) == 3 and {"101", "103"} <= {i.id for i in subset}
    assert len(catalog_subset(data, cases, limit=0, seed=0)) == 4
    with pytest.raises(ValueError, match="--items 1 cannot hold"):
        catalog_subset(data, cases, limit=1, seed=0)


def test_catalog_name_follows_the_content():
    items = [_item("A"), _item("B")]
    name = catalog_name("HM Fashion!", items)
    assert validate_catalog_name(name) == name and name.startswith("sim-hm-fashion-")
    assert catalog_name("HM Fashion!", list(reversed(items))) == name
    assert catalog_name("HM Fashion!", [_item("A"), _item("B", price=11.0)]) != name


# -- the simulator ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def boutique() -> list[Item]:
    return read_catalog(demo_catalog_path("boutique")).items


def test_title_head_names_the_kind_of_item():
    item = Item(id="1", title="Stanley TRA708T Sharpshooter 1/2-Inch Leg Length Staples, Steel (1000 Count)",
                brand="Stanley", price=0)
    assert title_head(item) == ("length staples", "sharpshooter leg length staples")
    item = Item(id="2", title="Triton 1\" Dial Indicator 0.001\" Graduation Travel Lug", brand="", price=0)
    assert title_head(item)[0] == "dial indicator"
    # The name ends where the reader's ends: before 'in' (not after a digit) and 'by'.
    assert title_head(Item(id="3", title="Solar Watch in Recycled Steel", price=0)) == ("solar watch", "")
    assert title_head(Item(id="4", title="Enamel Camping Mug by Northway", price=0))[0] == "camping mug"
    assert title_head(Item(id="5", title="Drive Socket Set 1/2 in Chrome", price=0))[0] == "socket set"
    assert with_article("dress") == "a dress" and with_article("underwear bottom") == "an underwear bottom"
    assert with_article("safety gloves") == "safety gloves" and with_article("packaging") == "packaging"


def test_the_opening_is_vague(boutique: list[Item]):
    vocab = CatalogLexicon.from_items(boutique, "fashion")
    vague = 0
    for target in boutique:
        profile = profile_of(target, "fashion", vocab.aliases, random.Random(target.id))
        text = UserSimulator(target, profile, {i.id: i for i in boutique}).opening().lower()
        assert target.id.lower() not in text and target.title.lower() not in text
        if profile.opening_vague:
            vague += 1
            assert text.startswith("hi, i'm looking for something ") and target.category not in text
        else:
            assert target.category in text
    assert 0.15 < vague / len(boutique) < 0.45


def test_the_template_shoppers_constraints_are_read_as_meant(boutique: list[Item]):
    """Every sentence of the template shopper that states a hard constraint is read by the product
    into that constraint (the free shopper, apps/evaluation/shopper.py, owes the reader nothing)."""
    vocab = CatalogLexicon.from_items(boutique, "fashion")
    reader = Reader(vocab)
    shown = boutique[:3]
    for category in vocab.categories:
        reading = reader.read(f"None of these. I need {with_article(category)}.", shown)
        assert category in reading.constraints().categories and len(reading.rejected) == 3
    assert reader.read("None of these. My budget is under €1300.", shown).constraints().budget_max == 1300
    assert reader.read("None of these. It has to be midnight blue.", shown).constraints().must_have == ["midnight blue"]
    assert reader.read("None of these. Nothing from Maison Ardent, please.", shown).constraints().brands_out == \
        ["Maison Ardent"]
    critique = reader.read("None of these, I'd like something more breathable.", shown).critiques
    assert [(c.kind, c.attribute) for c in critique] == [("more_like", "breathable")]


def test_the_simulator_only_says_true_things(boutique: list[Item]):
    """Whatever it is shown and asked, the target keeps satisfying every constraint it stated."""
    catalog = {i.id: i for i in boutique}
    vocab = CatalogLexicon.from_items(boutique, "fashion")
    rng = random.Random(7)
    for target in rng.sample(boutique, 40):
        simulator = UserSimulator(target, profile_of(target, "fashion", vocab.aliases, random.Random(target.id)), catalog)
        simulator.opening()
        for _ in range(8):
            if rng.random() < 0.3:
                simulator.respond(AgentTurn("ask", asked=rng.choice(["category", "occasion", "budget", "style", "colour"])))
            else:
                shown = [i for i in rng.sample(boutique, 3) if i.id != target.id]
                simulator.respond(AgentTurn("recommend", cards=tuple(_card(i) for i in shown)))
            assert not simulator.constraints.violations(target), (target.id, simulator.constraints)


def test_a_material_the_target_only_imitates_is_not_one_it_has():
    """H&M's 'skirt in imitation leather' is not leather by the product's definition, so the shopper
    must not say "it has to be leather" of it (it would state a constraint its own target breaks)."""
    skirt = Item(id="S", title="Kim PU pencil", category="skirt", price=30.0,
                 description="Knee-length skirt in imitation leather with a high waist.")
    assert profile_of(skirt, "fashion", {}, random.Random(0)).material != "leather"
    real = Item(id="R", title="Leather skirt", category="skirt", price=90.0, description="A skirt in soft leather.")
    assert profile_of(real, "fashion", {}, random.Random(0)).material == "leather"


def test_critiques_follow_how_the_shown_items_differ():
    target = _item("T", 80.0, brand="Acme", category="dress", colour="navy")
    profile = Profile(need="a dress", category="dress", allowed_categories=("dress",), colour="navy",
                      budget=90.0, currency="EUR", brand="Acme", qualities=("soft",))
    catalog = {i.id: i for i in [target, _item("S", 50.0, category="shoes"), _item("P", 500.0, colour="navy"),
                                 _item("R", 60.0, colour="red", brand="Velluto")]}
    simulator = UserSimulator(target, profile, catalog)
    simulator.opening()

    def shown(*ids: str) -> AgentTurn:
        return AgentTurn("recommend", cards=tuple(_card(catalog[i]) for i in ids))

    reply = simulator.respond(shown("S", "P"))
    assert reply.text == "None of these. I need a dress." and reply.rejected == ("S", "P")
    assert simulator.respond(shown("P")).text == "None of these, they're too expensive. My budget is under €90."
    assert simulator.constraints.budget_max == 90.0
    assert simulator.respond(shown("R")).text == "None of these. It has to be navy."
    assert simulator.respond(shown("R")).text == "None of these, I'd like something more soft."
    assert simulator.respond(shown("R")).text == "None of these. Nothing from Velluto, please."
    assert simulator.constraints.brands_out == ["Velluto"]
    assert simulator.respond(AgentTurn("ask", asked="budget")).text == "My budget is under €90."
    assert simulator.respond(AgentTurn("ask", asked="colour")).text == "It has to be navy."


# -- sessions --------------------------------------------------------------------------------------


class ScriptedAgent:
    """Shows the given item ids turn by turn (an empty list: a clarifying question)."""

    name = "scripted"

    def __init__(self, script: list[list[str]], catalog: dict[str, Item]):
        self.script, self.catalog = script, catalog

    def start(self, case: SimCase) -> None:
        self.turn_no = 0

    def turn(self, text: str, rejected) -> AgentTurn:
        ids = self.script[min(self.turn_no, len(self.script) - 1)]
        self.turn_no += 1
        if not ids:
            return AgentTurn("ask", asked="budget")
        cards = [_card(self.catalog[i]) if i in self.catalog else _card(_item(i)) for i in ids]
        return AgentTurn("recommend", cards=tuple(cards))


def test_success_is_the_first_turn_the_target_is_shown():
    target = _item("T", 80.0)
    catalog = {i.id: i for i in [target, _item("A", 500.0), _item("B", 20.0)]}
    profile = Profile(need="a dress", category="dress", allowed_categories=("dress",), budget=90.0, currency="EUR")
    case = SimCase("c", "T")

    def play(script, max_turns=10):
        return run_session(ScriptedAgent(script, catalog), UserSimulator(target, profile, catalog), case,
                           max_turns, catalog)

    result = play([["A", "B"], [], ["B", "A", "T"], ["T"]])
    assert result.success_turn == 3 and result.turns == 3 and result.questions == 1
    assert result.violations == 1  # A was shown again after the budget was stated in turn 2
    never = play([["A"], ["B"]], max_turns=4)
    assert never.success_turn is None and never.turns == 4
    assert play([["GHOST-1", "T"]]).hallucinated == 1


def test_real_sessions_on_the_boutique_catalog(conversations, embedder, boutique: list[Item]):
    """The real product, offline and unfaked, against the simulator: no hallucination, no broken
    constraint, and success exactly when (and first when) the target was among the cards."""
    catalog = {i.id: i for i in conversations.deps.store.all_items("boutique")}
    vocab = CatalogLexicon.from_items(list(catalog.values()), "fashion")
    items = list(catalog.values())
    dense = DenseAgent(items, embedder.embed([i.text() for i in items]), embedder)
    for target_id in ("BQ-004", "BQ-050", "BQ-102"):
        target = catalog[target_id]
        for agent in (MotiveAgent(conversations, "boutique"), dense):
            profile = profile_of(target, "fashion", vocab.aliases, random.Random(f"0:item:{target_id}"))
            result = run_session(agent, UserSimulator(target, profile, catalog), SimCase(f"item:{target_id}", target_id),
                                 10, catalog)
            shown_at = [n for n, t in enumerate(result.transcript, 1) if target_id in t["shown"]]
            assert result.success_turn == (shown_at[0] if shown_at else None)
            assert result.turns == len(result.transcript)
            assert result.hallucinated == 0
            if agent.name == "motive":
                assert result.violations == 0, result.transcript
                assert result.success_turn is not None and result.success_turn <= 5, result.transcript


def test_the_command_writes_the_json_the_issue_asks_for(tmp_path: Path, embedder, capsys):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = tmp_path / "sim.json"
    args = parser.parse_args(["--catalog", "boutique", "--sessions", "3", "--json", str(out),
                              "--cache", str(tmp_path / "cache"), "--transcripts", str(tmp_path / "t.jsonl")])
    assert run_simulate(args, embedder=embedder) == 0
    payload = json.loads(out.read_text())
    assert payload["dataset"] == "boutique" and payload["protocol"]["sessions"] == 3
    assert set(payload["methods"]) == {"motive", "dense", "dense+filters"}
    for row in payload["methods"].values():
        assert {"success@5", "success@10", "avg turns", "questions", "hallucinated", "violations"} <= set(row)
    assert payload["methods"]["motive"]["hallucinated"] == 0
    assert "InteRecAgent, GPT-4, Amazon Beauty" in payload["published"]
    printed = capsys.readouterr().out
    assert "(published)" in printed and "success@5" in printed
    assert len((tmp_path / "t.jsonl").read_text().splitlines()) == 9


def test_a_catalog_the_user_ingested_can_be_simulated(tmp_path: Path):
    """`--catalog NAME` takes any catalog `motive catalogs` lists, not only the built-in ones."""
    from tests.test_cli import CSV, motive

    path = tmp_path / "mini.csv"
    path.write_text(CSV)
    assert motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet").returncode == 0
    out = tmp_path / "sim.json"
    run = motive(tmp_path, "eval", "simulate", "--catalog", "mini", "--sessions", "3", "--methods", "motive",
                 "--cache", str(tmp_path / "cache"), "--json", str(out))
    assert run.returncode == 0, run.stderr[-2000:]
    payload = json.loads(out.read_text())
    assert payload["dataset"] == "mini" and payload["protocol"]["source"] == "catalog mini"
    assert payload["protocol"]["sessions"] == 3 and payload["protocol"]["catalog_items"] == 6
    assert payload["methods"]["motive"]["hallucinated"] == 0

    unknown = motive(tmp_path, "eval", "simulate", "--catalog", "nope", "--cache", str(tmp_path / "cache"))
    assert unknown.returncode == 2
    assert "no catalog named 'nope'" in unknown.stderr and "mini" in unknown.stderr
