"""The free-worded simulated shopper (``apps/evaluation/shopper.py``): reproducible for a seed, never
says anything untrue of its target (whatever it is shown or asked), words each kind of fact in many
ways, never names the target, and drives ``run_session`` / ``motive eval simulate`` like the template
shopper."""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from agent.catalog import demo_catalog_path, read_catalog
from agent.deps import DEMO_DOMAINS
from apps.evaluation import shopper as shopper_module
from apps.evaluation.shopper import (BudgetPlan, FreeShopper, kind_words, money_forms, number_words,
                                      say_money)
from apps.evaluation.simulate import AgentTurn, UserSimulator, add_arguments, run_session, run_simulate
from apps.evaluation.simulate_data import SimCase
from agent.models import Constraints, Item, Recommendation

QUESTIONS = ("category", "occasion", "budget", "style", "colour")
SEEDS = range(3)


def _card(item: Item) -> Recommendation:
    return Recommendation(item_id=item.id, title=item.title, brand=item.brand, price=item.price,
                          currency=item.currency, score=0.5, explanation="")


@pytest.fixture(scope="module", params=["boutique", "wholesale"])
def catalog(request) -> tuple[str, dict[str, Item]]:
    items = read_catalog(demo_catalog_path(request.param)).items
    return request.param, {i.id: i for i in items}


# -- fake agents ---------------------------------------------------------------------------------------


class NeverTarget:
    """Shows three items that are never the target: first its neighbours (same category, so sizes,
    colours and materials differ item by item), then anything."""

    name = "never-target"

    def __init__(self, catalog: dict[str, Item], seed: int):
        self.catalog, self.seed = catalog, seed

    def start(self, case: SimCase) -> None:
        target = self.catalog[case.target]
        others = [i for i in self.catalog.values() if i.id != target.id]
        same = [i for i in others if i.category == target.category]
        self.order = same + random.Random(f"{self.seed}:{case.target}").sample(others, len(others))
        self.n = 0

    def turn(self, text: str, rejected) -> AgentTurn:
        shown = self.order[self.n * 3: self.n * 3 + 3] or self.order[:3]
        self.n += 1
        return AgentTurn("recommend", cards=tuple(_card(i) for i in shown))


class RandomItems:
    """Shows three random items of the catalog (the target among them now and then)."""

    name = "random"

    def __init__(self, catalog: dict[str, Item], seed: int):
        self.items, self.seed = list(catalog.values()), seed

    def start(self, case: SimCase) -> None:
        self.rng = random.Random(f"random:{self.seed}:{case.target}")

    def turn(self, text: str, rejected) -> AgentTurn:
        return AgentTurn("recommend", cards=tuple(_card(i) for i in self.rng.sample(self.items, 3)))


class Asker:
    """Asks each kind of clarifying question once (and one it cannot name), then shows non-targets."""

    name = "asker"

    def __init__(self, catalog: dict[str, Item], seed: int):
        self.shower = NeverTarget(catalog, seed)

    def start(self, case: SimCase) -> None:
        self.shower.start(case)
        self.n = 0

    def turn(self, text: str, rejected) -> AgentTurn:
        self.n += 1
        asks = (*QUESTIONS, None)
        if self.n <= len(asks):
            return AgentTurn("ask", asked=asks[self.n - 1])
        return self.shower.turn(text, rejected)


AGENTS = (NeverTarget, RandomItems, Asker)


def play(shopper: FreeShopper, agent, target: Item, turns: int = 10,
         broken: list | None = None) -> list[str]:
    """A session of ``turns`` agent turns (or until the target is shown). After every shopper message
    the constraints the target breaks are checked: appended to ``broken`` when given, else asserted
    empty. Returns the shopper's messages."""
    agent.start(SimCase(f"item:{target.id}", target.id))
    messages = [shopper.opening()]

    def check() -> None:
        found = shopper.constraints.violations(target)
        if broken is not None:
            broken.extend((target.id, messages[-1], v) for v in found)
        else:
            assert not found, (target.id, messages, shopper.constraints, found)

    check()
    for _ in range(turns):
        out = agent.turn(messages[-1], ())
        if target.id in out.item_ids:
            break
        messages.append(shopper.respond(out).text)
        check()
    return messages


def _shopper(target: Item, catalog: dict[str, Item], name: str, seed) -> FreeShopper:
    return FreeShopper(target, catalog, DEMO_DOMAINS[name], random.Random(f"{seed}:{target.id}"))


@dataclass
class Played:
    target: Item
    shopper: FreeShopper
    agent: str
    messages: list[str]
    broken: list


@lru_cache(maxsize=None)
def sessions_of(name: str) -> tuple[Played, ...]:
    """Every item of the built-in catalog ``name`` as the target, each seed, each fake agent."""
    items = {i.id: i for i in read_catalog(demo_catalog_path(name)).items}
    out = []
    for target in items.values():
        for seed in SEEDS:
            for agent_type in AGENTS:
                shopper, broken = _shopper(target, items, name, seed), []
                messages = play(shopper, agent_type(items, seed), target, broken=broken)
                out.append(Played(target, shopper, agent_type.name, messages, broken))
    return tuple(out)


# -- reproducibility ----------------------------------------------------------------------------------


def test_a_seed_gives_the_same_session(catalog):
    name, items = catalog
    targets = list(items.values())[::9]
    for target in targets:
        for agent_type in AGENTS:
            first = play(_shopper(target, items, name, 1), agent_type(items, 1), target)
            again = play(_shopper(target, items, name, 1), agent_type(items, 1), target)
            assert first == again
    sessions = [tuple(play(_shopper(t, items, name, seed), NeverTarget(items, 0), t))
                for t in targets for seed in (1, 2)]
    assert len(set(sessions)) == len(sessions)  # another seed, another way of putting it


# -- truthfulness -------------------------------------------------------------------------------------


def test_the_target_never_breaks_a_stated_constraint(catalog):
    """Every item of the catalog, several seeds, three kinds of agent (one that never shows the
    target, one that shows random items, one that asks each kind of question): checked after every
    message."""
    name, items = catalog
    categories = {i.category for i in items.values()}
    played = sessions_of(name)
    assert len(played) == len(items) * len(SEEDS) * len(AGENTS)
    for session in played:
        assert session.broken == [], session.broken[:3]
        assert session.shopper.refused == []
        c, target = session.shopper.constraints, session.target
        if c.categories:  # what the word means: the target's own category plus catalog ones
            assert target.category in c.categories and set(c.categories) <= categories
        assert target.brand not in c.brands_out
    # the sessions did state things: hard constraints of most kinds, in most sessions
    stated = [s.shopper.stated for s in played if s.agent == "never-target"]
    assert sum("category" in s for s in stated) == len(stated)
    assert sum("budget" in s for s in stated) > 0.9 * len(stated)


def test_the_template_shopper_is_unchanged_and_both_drive_run_session(catalog):
    """`run_session` takes either shopper; a session against an agent that never shows the target
    ends at max turns with no violation of the free shopper's constraints by the target."""
    from apps.evaluation.simulate import profile_of

    name, items = catalog
    target = next(iter(items.values()))
    result = run_session(NeverTarget(items, 0), _shopper(target, items, name, 0), SimCase("c", target.id), 6, items)
    assert result.success_turn is None and result.turns == 6
    assert all(target.id not in t["shown"] for t in result.transcript)
    template = UserSimulator(target, profile_of(target, DEMO_DOMAINS[name], {}, random.Random(0)), items)
    assert run_session(NeverTarget(items, 0), template, SimCase("c", target.id), 3, items).turns == 3
    shown = run_session(RandomItems(items, 0), _shopper(target, items, name, 0), SimCase("c", target.id), 60, items)
    first = next((n for n, t in enumerate(shown.transcript, 1) if target.id in t["shown"]), None)
    assert shown.success_turn == first


def test_budgets_are_true_of_the_price():
    """'under B' is above the price; 'around X' is said only when 1.2 X still admits it; a range
    holds the price."""
    forms = set()
    for price in [0.28, 0.42, 3.2, 9.4, 14.9, 36.0, 89.0, 180.0, 249.0, 890.0, 1000.0, 2890.0, 3900.0, 15000.0]:
        for seed in range(40):
            target = Item(id="T-1", title="Thing", category="dress", price=price, currency="EUR")
            plan = FreeShopper(target, {target.id: target}, "fashion", random.Random(seed)).facts.budget
            assert isinstance(plan, BudgetPlan)
            assert plan.ceiling >= price
            if plan.form == "max":
                assert plan.amount > price
            if plan.form == "around":
                assert plan.amount * 1.2 >= price and plan.ceiling == pytest.approx(plan.amount * 1.2)
            if plan.form == "range":
                assert plan.low <= price <= plan.amount and plan.low < plan.amount
            forms.add(plan.form)
    assert forms == {"max", "around", "range"}


def test_facts_come_from_the_target_fields():
    target = Item(id="X-9", title="Gathered Poplin Frock", category="dress", brand="Acme", price=240.0,
                  currency="EUR", availability="in_stock",
                  attributes={"colour": "midnight blue", "material": "pure cotton poplin", "size": ["S/M", "M/L"]})
    other = Item(id="X-8", title="Wool Coat", category="coat", brand="Other", price=900.0, currency="EUR",
                 attributes={"colour": "black", "material": "wool", "size": ["38"]})
    items = {target.id: target, other.id: other}
    facts = FreeShopper(target, items, "fashion", random.Random(0)).facts
    assert facts.colour in ("midnight blue", "blue") and set(facts.colour_options) == {"midnight blue", "blue"}
    assert facts.material == "cotton" and facts.material_pure
    assert facts.size is not None and set(facts.size.accepted) & {"S/M", "M/L"}
    assert facts.stock and facts.lead_limit is None and facts.quantity is None
    said = {s for s, _ in facts.exclusions}
    assert "polyester" in said and "wool" in said and "cotton" not in said
    words = dict(kind_words(target, {"dress", "coat"}))
    assert "a frock" in words and words["a frock"] == ("dress",)
    out_of_stock = target.model_copy(update={"availability": "made_to_order"})
    assert not FreeShopper(out_of_stock, items, "fashion", random.Random(0)).facts.stock


def test_a_b2b_target_gives_quantities_moq_and_lead_times_that_admit_it():
    items = {i.id: i for i in read_catalog(demo_catalog_path("wholesale")).items}
    for target in items.values():
        for seed in range(5):
            f = FreeShopper(target, items, "b2b", random.Random(seed)).facts
            moq, lead = float(target.attributes["moq"]), float(target.attributes["lead_time_days"])
            assert f.quantity is None or f.quantity >= moq
            assert f.moq_limit is None or f.moq_limit >= moq
            assert f.lead_limit is None or f.lead_limit >= lead
            if f.certification:
                assert f.certification.lower() in target.text().lower()


def test_kind_words_cover_what_the_word_means():
    boutique = {i.id: i for i in read_catalog(demo_catalog_path("boutique")).items}
    categories = {i.category for i in boutique.values()}
    heels = next(i for i in boutique.values() if "Stiletto" in i.title)
    words = dict(kind_words(heels, categories))
    assert words["shoes"] == ("shoes",) and "heels" in words and "trainers" not in words
    tee = Item(id="1", title="Relaxed tee", category="t-shirt", price=10)
    tee_words = dict(kind_words(tee, {"t-shirt", "blouse", "dress"}))
    assert {"a t-shirt", "a tee", "a t shirt"} <= set(tee_words) and tee_words["a tee"] == ("t-shirt",)
    assert set(tee_words["a top"]) == {"t-shirt", "blouse"}  # a top: any top the catalog files, not a dress
    gloves = Item(id="2", title="Nitrile Gloves, Box of 100", category="safety gloves", price=1)
    assert {"work gloves", "safety gloves", "nitrile gloves"} <= set(dict(kind_words(gloves, {"safety gloves"})))
    # an H&M-style title that is the plain word is never said
    dress = Item(id="3", title="Dress", category="dress", price=40)
    assert all("dress" not in w for w, _ in kind_words(dress, {"dress"}))


# -- wording -------------------------------------------------------------------------------------------


def test_each_kind_of_fact_is_said_in_many_ways():
    """Over many sessions, each kind of fact comes in at least 3 templates and 3 distinct wordings."""
    said: dict[str, set[str]] = defaultdict(set)
    rendered: dict[str, set[str]] = defaultdict(set)
    voices = set()
    for name in ("boutique", "wholesale"):
        for session in sessions_of(name):
            shopper = session.shopper
            voices.add((shopper.voice.subj, shopper.voice.lowercase, shopper.voice.terse))
            for kind, template, words in shopper.said:
                said[kind].add(template)
                rendered[kind].add(words)
    for kind in ("opening", "category", "budget", "money", "colour", "material", "exclusion", "size", "delivery",
                 "quantity", "moq", "certification", "brand", "purpose", "quality", "rejection", "reason",
                 "relative"):
        assert len(said[kind]) >= 3, (kind, said[kind])
        assert len(rendered[kind]) >= 3, (kind, rendered[kind])
    assert {"I", "we", "they"} <= {v[0] for v in voices}
    assert {True, False} <= {v[1] for v in voices}


def test_openings_vary_in_form():
    items = {i.id: i for i in read_catalog(demo_catalog_path("boutique")).items}
    openings = [_shopper(t, items, "boutique", s).opening() for t in items.values() for s in SEEDS]
    assert any(o.islower() for o in openings)
    assert any(o.lower().startswith(("hi", "hello", "hey", "good", "morning")) for o in openings)
    assert any("client" in o.lower() for o in openings)
    assert any(o[:1].isupper() and not o.lower().startswith(("hi", "hello", "hey")) for o in openings)
    shoppers = [_shopper(t, items, "boutique", s) for t in items.values() for s in SEEDS]
    vague = [sh for sh in shoppers if sh.vague]
    assert 0.1 < len(vague) / len(shoppers) < 0.4  # some openings name no kind of item, only a motive
    for sh in vague:
        text = sh.opening().lower()
        assert ("something" in text or "anything" in text) and "category" not in sh.stated


def test_no_message_names_the_target(catalog):
    name, _ = catalog
    for session in sessions_of(name):
        target = session.target
        for message in session.messages:
            assert target.title.lower() not in message.lower(), (target.id, message)
            assert target.id.lower() not in message.lower(), (target.id, message)


def test_reasons_are_true_of_the_items_shown():
    """'Too pricey' only when every item shown is over the budget; 'something cheaper' only when the
    target is cheaper than every item shown."""
    target = Item(id="T", title="Plain Thing", category="dress", brand="Acme", price=100.0, currency="EUR",
                  attributes={"colour": "navy"})
    dear = [Item(id=f"D{n}", title=f"Dear {n}", category="dress", brand="Other", price=5000.0 + n, currency="EUR",
                 attributes={"colour": "navy"}) for n in range(3)]
    cheap = Item(id="C", title="Cheap", category="dress", brand="Other", price=10.0, currency="EUR",
                 attributes={"colour": "navy"})
    items = {i.id: i for i in [target, cheap, *dear]}
    for seed in range(60):
        shopper = FreeShopper(target, items, "fashion", random.Random(seed))
        shopper.opening()
        shopper.respond(AgentTurn("recommend", cards=tuple(_card(i) for i in [cheap, *dear[:2]])))
        assert not any(k == "reason" and t in shopper_module.REASON_PRICE for k, t, _ in shopper.said)
        assert not any(k == "relative" and "cheap" in w for k, _, w in shopper.said)
        shopper.respond(AgentTurn("recommend", cards=tuple(_card(i) for i in dear)))
        assert not shopper.constraints.violations(target)


def test_money_and_numbers():
    rng = random.Random(0)
    assert number_words(300) == "three hundred"
    assert number_words(250) == "two hundred and fifty"
    assert number_words(2500).startswith("two thousand")
    assert "grand" in money_forms(1000, "EUR") and "k" in money_forms(2500, "EUR")
    assert say_money(1000, "EUR", "grand", rng) == "a grand"
    assert say_money(2500, "EUR", "k", rng) in ("2.5k", "€2.5k")
    assert say_money(300, "EUR", "symbol", rng) == "€300"
    assert say_money(0.41, "EUR", "cents", rng) == "41 cents"
    assert set(money_forms(30, "XXX")) <= {"bare", "words", "k", "grand"}  # no currency symbol to say


# -- wiring ---------------------------------------------------------------------------------------------


def test_the_module_does_not_import_the_parser():
    code = ("import sys, apps.evaluation.shopper; "
            "print(sorted(m for m in sys.modules if m.startswith(('agent.parsing', 'agent.reading', "
            "'agent.vocabulary', 'agent.motives'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    source = Path(shopper_module.__file__).read_text(encoding="utf-8")
    for module in ("agent.parsing", "agent.reading", "agent.vocabulary", "agent.motives"):
        assert f"import {module}" not in source and f"from {module}" not in source


def test_the_command_takes_a_shopper_and_records_it(tmp_path: Path, embedder):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert parser.parse_args(["--catalog", "boutique"]).shopper == "free"
    with pytest.raises(SystemExit):
        parser.parse_args(["--catalog", "boutique", "--shopper", "llm"])
    for shopper in ("free", "template"):
        out = tmp_path / f"{shopper}.json"
        args = parser.parse_args(["--catalog", "wholesale", "--sessions", "2", "--methods", "dense",
                                  "--shopper", shopper, "--json", str(out), "--cache", str(tmp_path / "cache"),
                                  "--transcripts", str(tmp_path / f"{shopper}.jsonl")])
        assert run_simulate(args, embedder=embedder) == 0
        protocol = json.loads(out.read_text())["protocol"]
        assert protocol["shopper"].startswith(shopper)
    free = (tmp_path / "free.jsonl").read_text().splitlines()
    template = (tmp_path / "template.jsonl").read_text().splitlines()
    assert [json.loads(line)["turns"][0]["user"] for line in free] != \
        [json.loads(line)["turns"][0]["user"] for line in template]


def test_constraints_are_set_directly_not_parsed():
    """The shopper's ground truth is what it decided to say: the same facts give the same
    constraints however they were worded (two seeds' wordings of one target differ, facts may not)."""
    items = {i.id: i for i in read_catalog(demo_catalog_path("boutique")).items}
    target = items["BQ-003"]
    shopper = FreeShopper(target, items, "fashion", random.Random(5))
    shopper.opening()
    shopper.respond(AgentTurn("ask", asked="colour"))
    shopper.respond(AgentTurn("ask", asked="budget"))
    c = shopper.constraints
    assert shopper.facts.colour in c.must_have
    assert c.budget_max == shopper.facts.budget.ceiling
    assert isinstance(c, Constraints) and not c.violations(target)


def test_a_colour_spelt_the_other_way_is_never_ruled_out():
    """A gray target: shown grey items are not the wrong colour, so the shopper never says 'no grey'."""
    target = Item(id="T", title="Butyl Tape, Gray", category="", brand="Acme", price=10.0, currency="USD",
                  description="Gray butyl sealant tape.")
    greys = [Item(id=f"G{n}", title=f"Grey Duct Tape {n}", category="", brand=f"Other{n}", price=9.0 + n,
                  currency="USD", description="A grey cloth tape.") for n in range(3)]
    items = {i.id: i for i in [target, *greys]}
    for seed in range(40):
        shopper = FreeShopper(target, items, "b2b", random.Random(seed))
        shopper.opening()
        for _ in range(5):
            shopper.respond(AgentTurn("recommend", cards=tuple(_card(i) for i in greys)))
        assert not any(t in ("grey", "gray") for t in shopper.constraints.exclude_terms), shopper.said


def test_the_gift_shopper_opens_vaguely_and_says_whom_only_when_asked():
    from agent.client_facts import item_gender
    from apps.evaluation.shopper import GIFT_FOR, GiftShopper

    items = {i.id: i for i in read_catalog(demo_catalog_path("boutique")).items}
    for target_id in ("BQ-105", "BQ-113", "BQ-111"):   # for a mother; for grooms; for a partner
        target = items[target_id]
        for seed in range(6):
            vague = GiftShopper(target, items, "fashion", random.Random(seed))
            opening = vague.opening()
            assert not any(who in opening.lower() for group in GIFT_FOR.values() for who in group), opening
            assert vague.recipient in GIFT_FOR[item_gender(target)]
            answer = vague.answer("recipient")
            assert vague.recipient in answer.lower() and vague.told
            assert not vague.constraints.violations(target)   # budget and kind said are true of it
            upfront = GiftShopper(target, items, "fashion", random.Random(seed), upfront=True)
            assert upfront.opening().lower().rstrip(".").endswith("for " + upfront.recipient)
