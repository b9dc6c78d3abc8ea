"""``motive eval simulate``: multi-turn sessions against a simulated shopper with a hidden target.

Protocol
--------
Each session has a hidden target item (a customer's real last purchase in H&M data, a test target
in MiniOneRec data, an item drawn at random in a built-in catalog). The :class:`UserSimulator`
knows the target's facts (category, colour, price, brand, material, what it is for and what it is
like, read from the item's own text) and nothing else. It is deterministic and template-based:

- it opens with a vague need: the kind of item, plus one or two of its motives (what it is for,
  what it is like), sometimes a budget; in 30 % of sessions only the motives ("something for a
  wedding"), so that the agent has reason to ask; never the title or the id;
- it answers a clarifying question truthfully from the target's facts;
- when the target is not among the items shown it turns them all down ("None of these") with a
  reason drawn from how they differ from the target: the wrong category, too expensive, the wrong
  colour, another quality or purpose, the wrong material, a brand it does not want (the target's
  brand is never named). Hard constraints are worded the way Motive's parser reads them, and each
  one is true of the target;
- it accepts as soon as the target is among the recommendations of a turn (any card: every method
  shows 3 items per turn), which ends the session with success at that turn.

Turns are user messages: turn 1 is the opening. Reported per method (metric names as printed):
``success@5`` and ``success@10`` (share of sessions whose target was shown by turn 5 / 10),
``avg turns`` (turn of success, a failure counting as ``max_turns + 1``), ``questions``
(clarifying questions asked per session), ``hallucinated`` (recommendations naming an id that is
not in the catalog, or a title, brand or price that differs from the catalog record; total) and
``violations`` (recommended items that break a hard constraint the simulator had stated by then,
by :meth:`agent.models.Constraints.violations`; total).

Methods: ``motive`` is the real product (:class:`graph.session.Conversations`, offline, the
catalog ingested into its own Chroma store), given the customer's earlier purchases as a client
file when the data has them; ``motive-no-history`` the same without the client file; ``dense``
recommends the 3 items nearest the conversation so far (the user's messages, MiniLM), never
showing an item again once it was turned down; ``dense+filters`` the same restricted to the items
that meet the hard constraints Motive's own parser reads from the messages (the product's
constraint handling without its motives); ``popularity`` the 3 most bought items not yet turned
down (when the data has purchases; the sampled targets' own purchases are not counted).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Protocol, Sequence

import numpy as np

from apps.evaluation.report import Published, write_json
from apps.evaluation.simulate_data import (SimCase, SimData, catalog_name, catalog_subset, load_catalog,
                                            load_folder, sample)
from apps.evaluation.seqrec_data import DataFormatError
from agent.models import Constraints, Item, Recommendation, mentions_positively, title_name

METRICS: tuple[str, ...] = ("success@5", "success@10", "avg turns", "questions", "hallucinated", "violations")
COUNTS: frozenset[str] = frozenset({"hallucinated", "violations"})
"""Metrics that are totals over all sessions (printed as whole numbers)."""
PUBLISHED: tuple[Published, ...] = (
    Published("InteRecAgent, GPT-4, Amazon Beauty",
              "Huang et al. 2023, InteRecAgent (user-simulator evaluation, Amazon Beauty)",
              {"success@5": 0.54, "avg turns": 3.99}),
)
DEFAULT_CACHE = Path("~/.motive/eval-cache")
SHOWN = 3
"""Items every baseline shows per turn: as many as Motive's cards (``graph.context.RunContext.recommend_n``)."""
OPENING_QUALITY = 0.5
"""Chance that the opening also says what the item should be like (a second motive)."""
OPENING_WITHOUT_CATEGORY = 0.3
"""Chance that the opening names no kind of item, only what it is for or like ('something for a
wedding'), when the target has such a motive: the agent may then ask a clarifying question."""
OPENING_BUDGET = 0.3
"""Chance that the opening states the budget (otherwise it comes when asked or when too expensive)."""
BUDGET_HEADROOM = (1.0, 1.5)
"""A budget is the target's price times a factor drawn from this range, rounded up."""


# ------------------------------------------------------------------------------------------------
# Metrics: pure functions of per-session outcomes


def success_at(success_turns: Sequence[int | None], k: int) -> float:
    """Share of sessions whose target was shown by turn ``k`` (``None``: never shown).

    Range ``[0, 1]``; ``nan`` for no sessions.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not success_turns:
        return float("nan")
    return sum(1 for t in success_turns if t is not None and t <= k) / len(success_turns)


def average_turns(success_turns: Sequence[int | None], limit: int) -> float:
    """Mean turn of success, a session that never succeeded counting as ``limit + 1``.

    Range ``[1, limit + 1]``; ``nan`` for no sessions.
    """
    if not success_turns:
        return float("nan")
    return sum(t if t is not None else limit + 1 for t in success_turns) / len(success_turns)


def hallucinations(cards: Iterable[Recommendation], catalog: dict[str, Item]) -> int:
    """Recommendations that name an id the catalog does not hold, or state a title, brand or price
    other than the catalog record's. Range ``[0, number of cards]``."""
    count = 0
    for card in cards:
        item = catalog.get(card.item_id)
        if (item is None or card.title != item.title or card.brand != item.brand
                or not math.isclose(card.price, item.price, abs_tol=0.005)):
            count += 1
    return count


def violations(items: Iterable[Item], stated: Constraints) -> int:
    """Items that break at least one stated hard constraint. Range ``[0, number of items]``."""
    return sum(1 for item in items if stated.violations(item))


def summarise(results: Sequence["SessionResult"], max_turns: int) -> dict[str, float]:
    """One method's row: the printed metrics plus ``sessions`` and ``empty turns`` (per session)."""
    turns = [r.success_turn for r in results]
    n = len(results) or 1
    return {
        "success@5": success_at(turns, 5) if max_turns >= 5 else float("nan"),
        "success@10": success_at(turns, 10) if max_turns >= 10 else float("nan"),
        "avg turns": average_turns(turns, max_turns),
        "questions": sum(r.questions for r in results) / n,
        "hallucinated": float(sum(r.hallucinated for r in results)),
        "violations": float(sum(r.violations for r in results)),
        "empty turns": sum(r.empty_turns for r in results) / n,
        "sessions": float(len(results)),
    }


# ------------------------------------------------------------------------------------------------
# What the simulated person knows about the target

FASHION_PURPOSES: tuple[tuple[str, str], ...] = (
    (r"\bwedding", "a wedding"),
    (r"\b(?:gala|black[- ]tie|opera|evening)\b", "an evening event"),
    (r"\b(?:party|parties|cocktail|festive)\b", "a party"),
    (r"\b(?:office|boardroom|business|workday)\b", "work"),
    (r"\b(?:beach|swim\w*|bikini|pool)\b", "the beach"),
    (r"\b(?:summer|holiday|vacation|resort)\b", "the summer"),
    (r"\b(?:winter|cold|snow)\b", "the winter"),
    (r"\b(?:sport\w*|training|running|yoga|gym|workout)\b", "sport"),
    (r"\b(?:sleep\w*|pyjamas?|nightwear|lounge\w*)\b", "lounging at home"),
    (r"\b(?:babies|baby|newborn|toddlers?|children|kids?)\b", "a child"),
    (r"\b(?:travel\w*|trips?)\b", "travel"),
    (r"\b(?:rain|waterproof|water-repellent)\b", "rainy days"),
    (r"\b(?:everyday|casual|basics?)\b", "everyday wear"),
)
FASHION_QUALITIES: tuple[tuple[str, str], ...] = (
    (r"\bsoft", "soft"), (r"\bstretch", "stretchy"), (r"\blightweight\b|\bthin\b", "lightweight"),
    (r"\bwarm", "warm"), (r"\b(?:fitted|slim)\b", "fitted"), (r"\b(?:relaxed|loose|wide)\b", "relaxed"),
    (r"\b(?:elegant|refined|sophisticated)\b", "elegant"), (r"\bcomfort", "comfortable"),
    (r"\bbreathab", "breathable"), (r"\b(?:padded|quilted)\b", "padded"), (r"\boversized\b", "oversized"),
    (r"\b(?:classic|timeless)\b", "classic"), (r"\bminimal", "minimalist"),
    (r"\b(?:sequin\w*|glitter\w*|sparkl\w*|shimmer\w*)", "sparkly"),
)
FASHION_MATERIALS: tuple[str, ...] = (
    "cashmere", "silk", "linen", "wool", "denim", "leather", "velvet", "satin", "corduroy", "chiffon",
    "fleece", "jersey", "lace", "cotton",
)
B2B_PURPOSES: tuple[tuple[str, str], ...] = (
    (r"\b(?:lab|labs|laborator\w*)\b", "the lab"),
    (r"\b(?:kitchens?|food|restaurants?|catering|bakery)\b", "a kitchen"),
    (r"\b(?:warehouses?|shipping|mailing|parcels?|cartons?)\b", "shipping and packing"),
    (r"\b(?:medical|dental|clinics?|hospitals?|patients?)\b", "a clinic"),
    (r"\b(?:3d print\w*|filament)\b", "3D printing"),
    (r"\b(?:electric\w*|wiring|circuits?|solder\w*|voltage)\b", "electrical work"),
    (r"\b(?:plumb\w*|pipes?|faucets?)\b", "plumbing"),
    (r"\bweld\w*", "welding"),
    (r"\b(?:automotive|vehicles?)\b", "car repairs"),
    (r"\b(?:cleaning|janitor\w*|sanitiz\w*|sanitis\w*|disinfect\w*)\b", "cleaning"),
    (r"\b(?:schools?|classrooms?|students?|education\w*)\b", "a school"),
    (r"\b(?:gardens?|gardening|outdoors?)\b", "outdoor work"),
    (r"\b(?:hvac|air condition\w*|compressors?|heat pumps?)\b", "HVAC repairs"),
    (r"\b(?:measur\w*|calibrat\w*|gauges?)\b", "measuring"),
    (r"\b(?:construction|roofing|carpet|insulation|drywall)\b", "building work"),
    (r"\b(?:crafts?|crafting|hobby|jewelry|jewellery)\b", "crafts"),
    (r"\b(?:safety|ppe)\b", "workplace safety"),
)
B2B_QUALITIES: tuple[tuple[str, str], ...] = (
    (r"\bheavy[- ]duty\b", "heavy-duty"), (r"\bdurab", "durable"), (r"\bwaterproof\b", "waterproof"),
    (r"\bdisposable\b", "disposable"), (r"\breusable\b", "reusable"), (r"\badjustable\b", "adjustable"),
    (r"\bportable\b", "portable"), (r"\bprecis", "precise"), (r"\bfood[- ](?:safe|grade)\b", "food-safe"),
    (r"\b(?:non|anti)[- ]slip\b", "non-slip"), (r"\brechargeable\b", "rechargeable"),
    (r"\blightweight\b", "lightweight"), (r"\bheat[- ]resist|\bhigh[- ]temperature\b", "heat-resistant"),
    (r"\bcompact\b", "compact"), (r"\bmagnetic\b", "magnetic"), (r"\bwireless\b", "wireless"),
    (r"\bsterile\b", "sterile"),
)
B2B_MATERIALS: tuple[str, ...] = (
    "stainless steel", "nitrile", "latex", "silicone", "aluminum", "aluminium", "brass", "copper",
    "nylon", "polypropylene", "polyester", "rubber", "vinyl", "glass", "steel",
)
_AUDIENCE = {"menswear": "men's", "ladieswear": "women's", "baby/children": "kids'"}
_MASS_NOUNS = frozenset("""hygiene protection clothing packaging equipment knitwear jewellery jewelry workwear
swimwear footwear eyewear aid underwear nightwear beachwear outerwear""".split())


def _cues(text: str, table: Sequence[tuple[str, str]]) -> list[str]:
    """Phrases of ``table`` whose cue occurs in ``text``, in the order they first occur there."""
    found = [(m.start(), phrase) for pattern, phrase in table if (m := re.search(pattern, text))]
    return list(dict.fromkeys(p for _, p in sorted(found)))


def with_article(noun: str) -> str:
    """'a dress', 'an underwear bottom', 'trousers', 'safety gloves', 'packaging'."""
    last = noun.split()[-1] if noun.split() else noun
    if (last.endswith("s") and not last.endswith("ss")) or last in _MASS_NOUNS or "/" in last:
        return noun
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def title_head(item: Item) -> tuple[str, str]:
    """What a person would call an item with no category, from its title: the last two words of
    its name (:func:`agent.models.title_name`: up to a comma, 'with', 'for', 'in', ' - ',
    'by'), cut at a model number once two words are in, and a more specific last four: 'length
    staples' and 'sharpshooter leg length staples' for "Stanley TRA708T Sharpshooter 1/2-Inch Leg
    Length Staples, Steel". Brand words and model numbers are left out.

    Where a title's name ends is a fact of the catalog, shared with the reader. What the shopper
    says is its own: not the reader's head noun (one last word, minus the words the reader will not
    take as a kind), else the shopper would only ever name items by words the reader learned from
    the same titles, and the evaluation would measure the reader against itself."""
    title = re.sub(r"&\w+;|&#\d+;", " ", item.title.lower())
    segment = title_name(title)
    brand = set(re.findall(r"[a-z]+", item.brand.lower()))
    words: list[str] = []
    for token in segment.split():
        if re.search(r"\d", token):
            if len(words) >= 2:
                break
            continue
        token = token.strip("\"'.,;/*#&")
        if len(token) > 1 and token not in brand and re.fullmatch(r"[a-z][a-z-]*", token):
            words.append(token)
    if not words:
        return "something", ""
    need, specific = " ".join(words[-2:]), " ".join(words[-4:])
    return need, specific if specific != need else ""


def nice_ceiling(value: float) -> float:
    """``value`` rounded up to two significant digits: 893 -> 900, 29.1 -> 30, 3.21 -> 3.3."""
    if value <= 0:
        return 0.0
    step = 10 ** (math.floor(math.log10(value)) - 1)
    return round(math.ceil(round(value / step, 9)) * step, 6)


def money_words(amount: float, currency: str) -> str:
    symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency.upper(), "")
    return f"{symbol}{amount:g}"


@dataclass(frozen=True)
class Profile:
    """The simulated person's hidden knowledge: facts of the target, each true of it."""

    need: str
    """How they name what they want: 'a dress', 'women's trousers', 'length staples'."""
    category: str = ""
    """The target's category ('' when the catalog has none)."""
    allowed_categories: tuple[str, ...] = ()
    """Categories the catalog's vocabulary reads the category word as (a stated constraint)."""
    colour: str = ""
    material: str = ""
    purposes: tuple[str, ...] = ()
    qualities: tuple[str, ...] = ()
    budget: float = 0.0
    """At least the target's price (0: the data has no prices)."""
    currency: str = "USD"
    brand: str = ""
    specific: str = ""
    """A more specific name, revealed late (items with no category only)."""
    opening_quality: bool = False
    opening_budget: bool = False
    opening_vague: bool = False
    """The opening names no kind of item (only motives)."""


def profile_of(target: Item, domain: str, aliases: dict[str, tuple[str, ...]], rng: random.Random) -> Profile:
    """What the person knows about ``target``, drawn from its own text and attributes."""
    text = target.text().lower()
    fashion = domain == "fashion"
    purposes = _cues(text, FASHION_PURPOSES if fashion else B2B_PURPOSES)
    qualities = _cues(text, FASHION_QUALITIES if fashion else B2B_QUALITIES)
    # Only a material the target has by the product's own definition ('imitation leather' is not
    # leather): a shopper saying "it has to be leather" of it states a constraint its target breaks.
    materials = [m for m in (FASHION_MATERIALS if fashion else B2B_MATERIALS)
                 if re.search(rf"\b{re.escape(m)}\b", text) and mentions_positively(text, m)]
    material = min(materials, key=lambda m: text.index(m)) if materials else ""
    colour = str(target.attributes.get("colour") or "").strip().lower()
    specific = ""
    if target.category:
        audience = _AUDIENCE.get(str(target.attributes.get("range", "")).lower(), "")
        need = with_article(f"{audience} {target.category}".strip())
    else:
        need, specific = title_head(target)
    allowed = tuple(sorted(set(aliases.get(target.category, ())) | {target.category})) if target.category else ()
    budget = nice_ceiling(target.price * rng.uniform(*BUDGET_HEADROOM)) if target.price > 0 else 0.0
    return Profile(
        need=need, category=target.category, allowed_categories=allowed, colour=colour,
        material=material, purposes=tuple(purposes), qualities=tuple(qualities), budget=budget,
        currency=target.currency, brand=target.brand, specific=specific,
        opening_quality=rng.random() < OPENING_QUALITY, opening_budget=rng.random() < OPENING_BUDGET,
        opening_vague=bool(purposes or qualities) and rng.random() < OPENING_WITHOUT_CATEGORY,
    )


# ------------------------------------------------------------------------------------------------
# The simulator


@dataclass(frozen=True)
class AgentTurn:
    """What the simulator reads from one agent turn, whichever method produced it."""

    act: str
    """``recommend``, ``ask`` (a clarifying question), or another act of the product."""
    cards: tuple[Recommendation, ...] = ()
    asked: str | None = None
    """The attribute a clarifying question is about (``category``, ``occasion``, ``budget``,
    ``style``, ``colour``)."""
    reply: str = ""

    @property
    def item_ids(self) -> list[str]:
        return [c.item_id for c in self.cards]


@dataclass(frozen=True)
class UserReply:
    text: str
    rejected: tuple[str, ...] = ()
    """Item ids turned down by this message."""


class StatesTruths:
    """What every simulated shopper shares: a fact is said only if the target meets the hard
    constraints it adds (``constraints``, ``stated`` and ``refused`` are the shopper's own)."""

    target: Item
    constraints: Constraints
    stated: set[str]
    refused: list[str]

    def _apply(self, fact: str, **update) -> bool:
        """Record ``fact`` and its hard constraints; refuse (and say nothing of it) if the target would
        break them. Returns whether it was recorded."""
        new = self.constraints.model_copy(update=update) if update else self.constraints
        if new.violations(self.target):
            self.refused.append(fact)
            return False
        self.constraints = new
        self.stated.add(fact)
        return True


class UserSimulator:
    """A shopper who wants ``target`` and says only true things about it (see module docstring)."""

    def __init__(self, target: Item, profile: Profile, catalog: dict[str, Item]):
        self.target = target
        self.profile = profile
        self.catalog = catalog
        self.stated: set[str] = set()
        """Facts said so far: 'category', 'need' (the kind of item, when the catalog has no
        categories), 'budget', 'colour', 'material', 'purpose:<p>', 'quality:<q>', 'brand:<b>',
        'specific'."""
        self.constraints = Constraints()
        """The hard constraints stated so far (what ``violations`` is measured against)."""

    # -- stating facts ---------------------------------------------------------------------------

    def _state(self, fact: str) -> None:
        self.stated.add(fact)
        p = self.profile
        c = self.constraints
        if fact == "category" and p.category:
            c = c.model_copy(update={"categories": list(p.allowed_categories)})
        elif fact == "budget" and p.budget:
            c = c.model_copy(update={"budget_max": p.budget})
        elif fact in ("colour", "material"):
            term = p.colour if fact == "colour" else p.material
            c = c.model_copy(update={"must_have": [*c.must_have, term]})
        elif fact.startswith("brand:"):
            c = c.model_copy(update={"brands_out": [*c.brands_out, fact.split(":", 1)[1]]})
        self.constraints = c

    def _budget_words(self) -> str:
        return money_words(self.profile.budget, self.profile.currency)

    def opening(self) -> str:
        p = self.profile
        if p.opening_vague and not p.purposes:
            self._state(f"quality:{p.qualities[0]}")
            return f"Hi, I'm looking for something {p.qualities[0]}."
        if p.opening_vague:
            text = "Hi, I'm looking for something"
        else:
            self._state("category")
            text = f"Hi, I'm looking for {p.need}"
        if p.purposes:
            text += f" for {p.purposes[0]}"
            self._state(f"purpose:{p.purposes[0]}")
        text += "."
        if p.opening_quality and p.qualities:
            text += f" Something {p.qualities[0]}."
            self._state(f"quality:{p.qualities[0]}")
        if p.opening_budget and p.budget:
            text += f" My budget is under {self._budget_words()}."
            self._state("budget")
        return text

    # -- answering ---------------------------------------------------------------------------------

    def respond(self, turn: AgentTurn) -> UserReply:
        if turn.act == "ask":
            return UserReply(self.answer(turn.asked or ""))
        shown = [self.catalog[i] for i in turn.item_ids if i in self.catalog]
        return self.critique(shown, turn.item_ids)

    def answer(self, attribute: str) -> str:
        """A clarifying question answered from the target's facts."""
        p = self.profile
        if attribute == "category":
            self._state("category" if p.category else "need")
            return f"{p.need[:1].upper()}{p.need[1:]}."
        if attribute == "occasion":
            return self._offer("purpose", p.purposes, lambda v: f"I need {p.need} for {v}.",
                               "Nothing special, just everyday use.")
        if attribute == "budget":
            if p.budget:
                self._state("budget")
                return f"My budget is under {self._budget_words()}."
            return "Price doesn't matter."
        if attribute == "style":
            return self._offer("quality", p.qualities, lambda v: f"Something {v}.", "No particular style.")
        if attribute == "colour":
            if p.colour:
                self._state("colour")
                return f"It has to be {p.colour}."
            return "Any colour is fine."
        return self.critique([], []).text

    def _offer(self, kind: str, values: Sequence[str], say, otherwise: str) -> str:
        """The next ``kind`` fact not yet stated (or the first again), said with ``say``."""
        value = self._next(kind, values) or (values[0] if values else "")
        if not value:
            return otherwise
        self._state(f"{kind}:{value}")
        return say(value)

    def _next(self, kind: str, values: Sequence[str]) -> str:
        return next((v for v in values if f"{kind}:{v}" not in self.stated), "")

    def critique(self, shown: list[Item], shown_ids: Sequence[str]) -> UserReply:
        """Turn the shown items down with the first reason that tells them apart from the target;
        with nothing shown, say one more thing about the need (no new hard constraint)."""
        p = self.profile
        rejected = tuple(shown_ids)
        no = "None of these"

        def says(text: str, fact: str | None = None, reject: bool = True) -> UserReply:
            if fact:
                self._state(fact)
            return UserReply(text, rejected if reject else ())

        if not p.category and not self.stated & {"category", "need"}:
            return says(f"I need {p.need}.", "need", reject=False)  # after a vague opening
        if shown:
            # Items of another category: name it (a vague opening did not), or say it again, once.
            if p.category and "category-again" not in self.stated and any(
                    s.category not in p.allowed_categories for s in shown):
                if "category" in self.stated:
                    self.stated.add("category-again")
                return says(f"{no}. I need {p.need}.", "category")
            if p.budget and "budget" not in self.stated and any(s.price > p.budget for s in shown):
                # "Too expensive" only when it is true of every item shown.
                why = ", they're too expensive" if all(s.price > p.budget for s in shown) else ""
                return says(f"{no}{why}. My budget is under {self._budget_words()}.", "budget")
            if p.colour and "colour" not in self.stated and any(p.colour not in s.text().lower() for s in shown):
                return says(f"{no}. It has to be {p.colour}.", "colour")
        purpose = self._next("purpose", p.purposes)
        if purpose:
            return says(f"I need {p.need} for {purpose}.", f"purpose:{purpose}", reject=False)
        quality = self._next("quality", p.qualities)
        if quality and (not shown or any(quality not in s.text().lower() for s in shown)):
            return says(f"{no}, I'd like something more {quality}.", f"quality:{quality}")
        if shown and p.material and "material" not in self.stated and any(
                p.material not in s.text().lower() for s in shown):
            return says(f"{no}. It has to be {p.material}.", "material")
        if p.specific and "specific" not in self.stated:
            return says(f"I need {p.specific}.", "specific", reject=False)
        if shown:
            other = next((s.brand for s in shown if s.brand and s.brand.lower() != self.target.brand.lower()
                          and f"brand:{s.brand}" not in self.stated), "")
            if other:
                return says(f"{no}. Nothing from {other}, please.", f"brand:{other}")
            return says(f"{no}.")
        return UserReply("Could you show me a few options?")


# ------------------------------------------------------------------------------------------------
# The methods under test


class Agent(Protocol):
    name: str

    def start(self, case: SimCase) -> None: ...

    def turn(self, text: str, rejected: Sequence[str]) -> AgentTurn: ...


class MotiveAgent:
    """The product: one conversation per session through :class:`graph.session.Conversations`."""

    def __init__(self, conversations, catalog: str, with_history: bool = True, name: str = "motive"):
        from agent.models import ClientHistory, Purchase

        self.conversations = conversations
        self.catalog = catalog
        self.with_history = with_history
        self.name = name
        self._client_types = (ClientHistory, Purchase)
        self.thread = ""
        self.client_id: str | None = None
        self.first = True

    def start(self, case: SimCase) -> None:
        self.thread = self.conversations.new_thread_id()
        self.first = True
        self.client_id = None
        if self.with_history and case.history:
            ClientHistory, Purchase = self._client_types
            self.client_id = f"SIM-{self.thread}"
            self.conversations.deps.clients[self.client_id] = ClientHistory(
                id=self.client_id, catalog=self.catalog,
                purchases=[Purchase(item_id=i) for i in case.history])

    def turn(self, text: str, rejected: Sequence[str]) -> AgentTurn:
        if self.first:
            out = self.conversations.send(self.thread, text, catalog=self.catalog, client_id=self.client_id)
            self.first = False
        else:
            out = self.conversations.send(self.thread, text)
        asked = out.belief.asked[-1] if out.act == "ask" and out.belief.asked else None
        return AgentTurn(act=out.act, cards=tuple(out.recommendations), asked=asked, reply=out.reply)

    def finish(self) -> None:
        if self.client_id:
            self.conversations.deps.clients.pop(self.client_id, None)


def _card(item: Item, score: float) -> Recommendation:
    return Recommendation(item_id=item.id, title=item.title, brand=item.brand, price=item.price,
                          currency=item.currency, availability=item.availability, score=score,
                          explanation="")


class DenseAgent:
    """Each turn, the items nearest the user's messages so far (all of them, joined), never one
    the user turned down."""

    name = "dense"

    def __init__(self, items: list[Item], vectors: np.ndarray, embedder, k: int = SHOWN):
        self.items = items
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.embedder = embedder
        self.k = k
        self.index = {item.id: i for i, item in enumerate(items)}
        self.messages: list[str] = []
        self.rejected: set[int] = set()

    def start(self, case: SimCase) -> None:
        self.messages, self.rejected = [], set()

    def turn(self, text: str, rejected: Sequence[str]) -> AgentTurn:
        self.messages.append(text)
        self.rejected.update(self.index[i] for i in rejected if i in self.index)
        query = self.embedder.embed([" ".join(self.messages)])[0]
        scores = self.vectors @ query
        if self.rejected:
            scores[list(self.rejected)] = -np.inf
        top = np.argsort(-scores, kind="stable")[: self.k]
        return AgentTurn(act="recommend", cards=tuple(_card(self.items[i], float(scores[i])) for i in top))

    def finish(self) -> None:
        pass


class FilteredDenseAgent(DenseAgent):
    """:class:`DenseAgent` restricted to the items that meet the hard constraints Motive's own reader
    reads from the messages (``agent.reading``; merged turn by turn as the product merges them):
    the product's constraint handling without its motives, critiques, preferences, alignment,
    relaxation or history."""

    name = "dense+filters"

    def __init__(self, items: list[Item], vectors: np.ndarray, embedder, k: int = SHOWN, domain: str = "any"):
        from agent.reading import CatalogLexicon, Reader

        super().__init__(items, vectors, embedder, k)
        self.reader = Reader(CatalogLexicon.from_items(items, domain), embed=embedder.embed)
        self.constraints = Constraints()
        self.shown: list[Item] = []

    def start(self, case: SimCase) -> None:
        super().start(case)
        self.constraints, self.shown = Constraints(), []

    def turn(self, text: str, rejected: Sequence[str]) -> AgentTurn:
        from agent.belief import cleared_fields, merge_constraints

        reading = self.reader.read(text, self.shown)
        # The categories as read, without the items that only call themselves the kind asked for:
        # Motive shows those when the categories run out (its retrieval order, not a filter).
        stated = reading.constraints().model_copy(update={"kinds": []})
        self.constraints = merge_constraints(self.constraints, stated,
                                             cleared_fields(reading, [], self.constraints))
        self.messages.append(text)
        self.rejected.update(self.index[i] for i in rejected if i in self.index)
        query = self.embedder.embed([" ".join(self.messages)])[0]
        scores = self.vectors @ query
        blocked = list(self.rejected)
        if not self.constraints.is_empty():
            blocked += [i for i, item in enumerate(self.items) if self.constraints.violations(item)]
        if blocked:
            scores[blocked] = -np.inf
        top = [i for i in np.argsort(-scores, kind="stable")[: self.k] if np.isfinite(scores[i])]
        self.shown = [self.items[i] for i in top]
        return AgentTurn(act="recommend", cards=tuple(_card(self.items[i], float(scores[i])) for i in top))


class PopularityAgent:
    """The most bought items the user has not turned down, whatever they say."""

    name = "popularity"

    def __init__(self, items: list[Item], counts: dict[str, int], k: int = SHOWN):
        order = sorted(range(len(items)), key=lambda i: (-counts.get(items[i].id, 0), items[i].id))
        self.ranked = [items[i] for i in order]
        self.counts = counts
        self.k = k
        self.rejected: set[str] = set()

    def start(self, case: SimCase) -> None:
        self.rejected = set()

    def turn(self, text: str, rejected: Sequence[str]) -> AgentTurn:
        self.rejected.update(rejected)
        top = [i for i in self.ranked if i.id not in self.rejected][: self.k]
        return AgentTurn(act="recommend", cards=tuple(_card(i, float(self.counts.get(i.id, 0))) for i in top))

    def finish(self) -> None:
        pass


# ------------------------------------------------------------------------------------------------
# Sessions


@dataclass
class SessionResult:
    case_id: str
    target: str
    success_turn: int | None
    """1-based turn at which the target was shown; None when it never was."""
    turns: int
    questions: int = 0
    hallucinated: int = 0
    violations: int = 0
    empty_turns: int = 0
    """Recommendation turns that showed nothing."""
    transcript: list[dict] = field(default_factory=list)


def run_session(agent: Agent, simulator: UserSimulator, case: SimCase, max_turns: int,
                catalog: dict[str, Item]) -> SessionResult:
    """Play one session: the simulator opens, the agent answers, until success or ``max_turns``."""
    agent.start(case)
    result = SessionResult(case_id=case.case_id, target=case.target, success_turn=None, turns=0)
    text, rejected = simulator.opening(), ()
    try:
        for turn in range(1, max_turns + 1):
            out = agent.turn(text, rejected)
            result.turns = turn
            shown = [catalog[i] for i in out.item_ids if i in catalog]
            result.hallucinated += hallucinations(out.cards, catalog)
            result.violations += violations(shown, simulator.constraints)
            result.questions += out.act == "ask"
            result.empty_turns += out.act == "recommend" and not out.cards
            stated = simulator.constraints.model_dump(exclude_defaults=True)
            stated.pop("term_forms", None)
            result.transcript.append({"user": text, "act": out.act, "asked": out.asked, "shown": out.item_ids,
                                      "stated": stated, "reply": out.reply[:300],
                                      "broken": {i.id: simulator.constraints.violations(i) for i in shown
                                                 if simulator.constraints.violations(i)}})
            if case.target in out.item_ids:
                result.success_turn = turn
                break
            reply = simulator.respond(out)
            text, rejected = reply.text, reply.rejected
    finally:
        getattr(agent, "finish", lambda: None)()
    return result


# ------------------------------------------------------------------------------------------------
# Command


def format_results(rows: dict[str, dict[str, float]], published: Sequence[Published] = PUBLISHED) -> str:
    """The results table: one measured row per method, then the published rows, marked."""
    names = list(rows) + [f"{p.name} (published)" for p in published]
    width = max(len("method"), *(len(n) for n in names)) + 2
    widths = [max(len(c) + 2, 10) for c in METRICS]

    def cell(metric: str, value: float | None) -> str:
        if value is None or math.isnan(value):
            return "-"
        return f"{value:.0f}" if metric in COUNTS else f"{value:.3f}" if metric != "avg turns" else f"{value:.2f}"

    def line(name: str, metrics) -> str:
        return name.ljust(width) + "".join(cell(c, metrics.get(c)).rjust(w) for c, w in zip(METRICS, widths))

    header = "method".ljust(width) + "".join(c.rjust(w) for c, w in zip(METRICS, widths))
    out = [header, "-" * len(header), *(line(n, m) for n, m in rows.items())]
    if published:
        out.append("-" * len(header))
        out += [line(f"{p.name} (published)", p.metrics) for p in published]
        out.append("published rows are quoted from " + "; ".join(sorted({p.source for p in published}))
                   + ", not measured here")
    return "\n".join(out)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_motive_deps(cache: Path, embedder):
    """Offline product dependencies with their own data directory under the evaluation cache."""
    from agent.deps import build_deps
    from agent.settings import Settings

    return build_deps(Settings(data_dir=cache / "simulate"), embedder=embedder)


def ensure_catalog(deps, data: SimData, items: list[Item], source: str) -> str:
    """The catalog's name in the product's store, ingesting it (embeddings, traits) if it is new."""
    if data.kind == "demo":
        deps.catalog(data.name)
        return data.name
    name = catalog_name(data.name, items)
    if name not in deps.manifest() or not deps.store.has_catalog(name):
        started = time.perf_counter()
        log(f"indexing {len(items)} items as catalog {name} (first run only)")
        deps.register(name, items, data.domain, source, progress=True)
        log(f"indexed in {time.perf_counter() - started:.0f}s")
    deps.catalog(name)
    return name


def run_simulate(args: argparse.Namespace, embedder=None) -> int:
    """Run the benchmark as the CLI describes; ``embedder`` overrides the cached local MiniLM."""
    from langgraph.checkpoint.memory import InMemorySaver

    from agent.catalog import CatalogError
    from agent.reading import CatalogLexicon
    from agent.settings import Settings
    from graph.session import Conversations, checkpoint_serde

    started = time.perf_counter()
    cache = Path(args.cache).expanduser()
    try:
        data = (load_catalog(args.catalog, getattr(args, "settings", None) or Settings.load())
                if args.catalog else load_folder(args.data))
    except (DataFormatError, CatalogError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.max_turns < 1 or args.sessions < 1:
        print("error: --sessions and --max-turns must be at least 1", file=sys.stderr)
        return 2
    cases = sample(data, args.sessions, args.seed, 0 if data.targets_only else args.min_history)
    if args.limit:
        cases = cases[: args.limit]
    try:
        items = catalog_subset(data, cases, args.items, args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    catalog = {item.id: item for item in items}
    if embedder is None:
        from agent.embeddings import CachedEmbedder, OnnxMiniLMEmbedder

        embedder = CachedEmbedder(OnnxMiniLMEmbedder(), cache / "embeddings.sqlite3")

    has_history = any(c.history for c in cases)
    wanted = [m for m in args.methods.split(",") if m] if args.methods else (
        ["motive"] + (["motive-no-history"] if has_history else []) + ["dense", "dense+filters"]
        + (["popularity"] if data.popularity else []))
    known = {"motive", "motive-no-history", "dense", "dense+filters", "popularity"}
    unknown = [m for m in wanted if m not in known]
    if unknown:
        print(f"error: unknown method(s) {unknown}; choose from {sorted(known)}", file=sys.stderr)
        return 2
    if "popularity" in wanted and not data.popularity:
        print(f"error: {data.name} has no purchase data for the popularity baseline", file=sys.stderr)
        return 2

    agents: list = []
    catalog_label = data.name
    if any(m.startswith("motive") for m in wanted):
        deps = build_motive_deps(cache, embedder)
        catalog_label = ensure_catalog(deps, data, items, str(args.data or "built-in"))
        conversations = Conversations(deps, InMemorySaver(serde=checkpoint_serde()))
        for m in wanted:
            if m.startswith("motive"):
                agents.append(MotiveAgent(conversations, catalog_label, with_history=m == "motive", name=m))
    if "dense" in wanted or "dense+filters" in wanted:
        t0 = time.perf_counter()
        vectors = embedder.embed([item.text() for item in items])
        log(f"dense baselines: {len(items)} item vectors in {time.perf_counter() - t0:.0f}s")
        if "dense" in wanted:
            agents.append(DenseAgent(items, vectors, embedder))
        if "dense+filters" in wanted:
            agents.append(FilteredDenseAgent(items, vectors, embedder, domain=data.domain))
    if "popularity" in wanted:
        agents.append(PopularityAgent(items, data.popularity))
    agents.sort(key=lambda a: wanted.index(a.name))

    aliases = CatalogLexicon.from_items(items, data.domain).aliases
    shopper = getattr(args, "shopper", "free")
    if shopper != "template":
        from apps.evaluation.shopper import FreeShopper, GiftShopper
    if shopper.startswith("gift") and data.domain == "b2b":
        print("error: the gift shoppers buy presents: use a fashion catalog", file=sys.stderr)
        return 2
    if shopper == "buyer" and data.domain == "fashion":
        print("error: the buyer shopper procures for a business: use a B2B catalog", file=sys.stderr)
        return 2
    results: dict[str, dict[str, float]] = {}
    timings: dict[str, float] = {}
    transcripts: list[dict] = []
    for agent in agents:
        t0 = time.perf_counter()
        sessions: list[SessionResult] = []
        for n, case in enumerate(cases):
            target = catalog[case.target]
            profile = profile_of(target, data.domain, aliases, random.Random(f"{args.seed}:{case.case_id}"))
            if shopper == "template":
                simulator = UserSimulator(target, profile, catalog)
            elif shopper == "buyer":
                from apps.evaluation.buyer import BuyerShopper

                simulator = BuyerShopper(target, catalog, data.domain, random.Random(f"buyer:{args.seed}:{case.case_id}"))
            elif shopper.startswith("gift"):
                simulator = GiftShopper(target, catalog, data.domain, random.Random(f"gift:{args.seed}:{case.case_id}"),
                                        upfront=shopper == "gift-upfront")
            else:
                simulator = FreeShopper(target, catalog, data.domain, random.Random(f"free:{args.seed}:{case.case_id}"))
            result = run_session(agent, simulator, case, args.max_turns, catalog)
            sessions.append(result)
            transcripts.append({"method": agent.name, "case": case.case_id, "target": case.target,
                                "success_turn": result.success_turn, "turns": result.transcript})
            if (n + 1) % 25 == 0:
                log(f"{agent.name}: {n + 1}/{len(cases)} sessions")
        timings[agent.name] = round(time.perf_counter() - t0, 1)
        results[agent.name] = summarise(sessions, args.max_turns)
        log(f"{agent.name}: {timings[agent.name]:.0f}s  success@5 {results[agent.name]['success@5']:.3f}")

    elapsed = time.perf_counter() - started
    protocol = {
        "source": (f"built-in catalog {data.name}" if data.kind == "demo" else
                   f"catalog {data.name}" if data.kind == "catalog" else str(args.data)),
        "format": data.kind,
        "catalog_items": len(items),
        "catalog": catalog_label,
        "sessions": len(cases),
        "max_turns": args.max_turns,
        "seed": args.seed,
        "min_history": 0 if data.targets_only else args.min_history,
        "shown_per_turn": SHOWN,
        "success": "the target is among the items recommended in a turn (any card)",
        "avg_turns": f"turn of success; a failure counts as max_turns + 1 = {args.max_turns + 1}",
        "hallucinated": "recommended ids not in the catalog, or a title/brand/price differing from it (total)",
        "violations": "recommended items breaking a hard constraint the simulator had stated (total)",
        "questions": "clarifying questions asked per session",
        "shopper": ("template: UserSimulator, hard constraints worded the way Motive's parser reads them"
                    if shopper == "template" else
                    f"{shopper}: GiftShopper (apps/evaluation/shopper.py), a present; whom for "
                    + ("said in the opening" if shopper == "gift-upfront" else "said only when asked")
                    if shopper.startswith("gift") else
                    "buyer: BuyerShopper (apps/evaluation/buyer.py), a B2B buyer who opens with the need and "
                    "reveals facts by reacting to the cards shown" if shopper == "buyer" else
                    "free: FreeShopper (apps/evaluation/shopper.py), free wording independent of the parser"),
        "history": "motive: the customer's earlier purchases as a client file; other methods: none",
        "popularity": data.popularity_source or None,
        "mode": "offline (no LLM)",
        "embedder": getattr(embedder, "name", type(embedder).__name__),
    }
    print(f"\n{data.name}: {len(cases)} simulated sessions, at most {args.max_turns} turns, "
          f"{len(items)} items in the catalog, {SHOWN} shown per turn")
    print(format_results(results))
    print("hallucinated and violations are totals over all sessions (both must be 0); "
          "questions is per session")
    print("empty turns per session: " + ", ".join(f"{k} {v['empty turns']:.2f}" for k, v in results.items()))
    print(f"runtime {elapsed:.0f}s; per method: " + ", ".join(f"{k} {v:.0f}s" for k, v in timings.items()))
    if args.json:
        write_json(args.json, data.name, protocol, results, PUBLISHED, runtime_seconds=round(elapsed, 1),
                   method_seconds=timings)
        log(f"wrote {args.json}")
    if args.transcripts:
        path = Path(args.transcripts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in transcripts), encoding="utf-8")
        log(f"wrote {path}")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--catalog", metavar="NAME",
                        help="a catalog `motive catalogs` lists: built-in (boutique, wholesale) or ingested "
                             "with `motive ingest` (read from MOTIVE_DATA_DIR's store)")
    source.add_argument("--data", type=Path, help="an H&M-format or MiniOneRec-format folder")
    parser.add_argument("--sessions", type=int, default=50, help="simulated sessions (default 50)")
    parser.add_argument("--max-turns", type=int, default=10, help="turns per session before it fails")
    parser.add_argument("--items", type=int, default=5000,
                        help="catalog size: the targets and histories plus random items up to N "
                             "(default 5000; 0: every item)")
    parser.add_argument("--min-history", type=int, default=1,
                        help="data folders: only customers with at least N earlier purchases (default 1)")
    parser.add_argument("--limit", type=int, default=0, help="run only the first N sampled sessions (0: all)")
    parser.add_argument("--methods", default="",
                        help="comma-separated subset of motive, motive-no-history, dense, dense+filters, "
                             "popularity")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shopper", choices=("free", "template", "gift", "gift-upfront", "buyer"), default="free",
                        help="the simulated shopper: free (FreeShopper, its own wording, independent of Motive's "
                             "parser; default), template (UserSimulator, worded the way the parser reads "
                             "constraints, for comparison with earlier figures), gift (GiftShopper: opens with "
                             "'I need a present' and says whom it is for only when asked; fashion catalogs) or "
                             "gift-upfront (the same, naming whom in the opening) or buyer (BuyerShopper: a B2B "
                             "procurement buyer who opens with the job and reveals its limits by reacting to the "
                             "cards shown; B2B catalogs)")
    parser.add_argument("--json", type=Path, default=None, help="write the results to this JSON file")
    parser.add_argument("--transcripts", type=Path, default=None,
                        help="write every session's turns to this JSONL file")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="embedding cache and the simulated catalogs' store")
