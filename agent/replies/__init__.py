"""The offline reply generator: what a recommendation reply says, in words a client would welcome.

A reply is built from facts only (catalog records, the alignment's motive-trait matches, the
belief and this turn's reading), so it stays grounded; the wording comes from ``en.toml``:

- an **opening** that acknowledges what this message changed ("Less formal, then:", "Without
  leather:", "Understood, not that one."), or for a new request names what it is for; never the
  same first words as an earlier reply of the conversation (``BeliefState.said`` keeps them);
- **one sentence per pick**, from the item's real traits (the ones that matched a motive, or its
  strongest) and the motive it serves, with a B2B item's pack, minimum order, lead time and
  volume price;
- the **history note** ("You usually go for ...; today's request comes first") once, the first time
  today's request sets a history motive aside;
- a closing **hint** that fits the catalog's domain and the items shown, each hint offered once.

Pure functions of their arguments: tested without the graph (``tests/test_replies.py``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from agent.models import BeliefState, Item, Motive, Recommendation, Traits

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
AVAILABILITY_WORDS = {
    "in_stock": "in stock",
    "low_stock": "in stock, few left",
    "out_of_stock": "currently out of stock",
    "made_to_order": "made to order",
}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
CITE_SIMILARITY = 0.5
"""A motive-trait match this close is what a pick's sentence says it is good for."""
OPENING_WORDS = 3
"""Replies of one conversation differ in their first this-many words."""
MAX_SAID = 80
"""How many entries ``BeliefState.said`` keeps (the oldest go first)."""
HINTS_PER_REPLY = 2
TRAIT_DIMENSIONS = ("functional", "aesthetic", "emotional", "occasion")
"""What an item *is*; its price tier is not a reason given in words ('mid price')."""


@lru_cache(maxsize=1)
def wording() -> dict:
    """The English wording tables (``agent/replies/en.toml``)."""
    return tomllib.loads((Path(__file__).with_name("en.toml")).read_text(encoding="utf-8"))


def money(amount: float, currency: str) -> str:
    """'€1,250' / '$12.50' / '980 CHF': the one way prices are written in replies. A catalog with
    no currency ('' or ISO 4217's 'XXX', as the H&M export has) gives the bare amount: '25', not
    '25 XXX'."""
    text = f"{amount:,.2f}".removesuffix(".00")
    if currency.strip().upper() in ("", "XXX"):
        return text
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def opening_key(text: str) -> str:
    """The first words of a reply, lower-cased, as ``said`` records them ('open:less formal then')."""
    words = re.findall(r"[a-z0-9€$£']+", text.lower())
    return "open:" + " ".join(words[:OPENING_WORDS])


def join_and(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _your(text: str) -> str:
    """The person's words said back to them: 'my daughter's wedding' -> 'your daughter's wedding'."""
    swaps = {"my": "your", "our": "your", "me": "you", "i'm": "you're", "i am": "you are", "we're": "you're",
             "we": "you", "us": "you", "mine": "yours", "myself": "yourself", "i": "you"}
    return re.sub(r"\b(i'm|i am|we're|my|our|me|mine|myself|we|us|i)\b",
                  lambda m: swaps[m.group(1).lower()], text, flags=re.IGNORECASE)


def trait_words(phrase: str) -> str:
    """A trait phrase as what an item is ('breathable in summer heat' -> 'breathable in the heat')."""
    return wording()["traits"].get(phrase, phrase)


def _vocab_id(text: str) -> str | None:
    from agent.vocabulary import MOTIVES_BY_TEXT

    entry = MOTIVES_BY_TEXT.get(text)
    return entry.id if entry is not None else None


_FREE_PURPOSE = re.compile(
    r"^(?:for use (?:in|at|on)|for|to wear (?:to|at|for)|to take (?:to|on)|going to|attending|"
    r"we(?:'re| are)|we run|i run|we operate|we own|we manage|we supply)\s+(?P<rest>.+)$", re.IGNORECASE)


def purpose_words(motive: Motive) -> str:
    """What an item serving ``motive`` is good for, to follow 'a good choice ': 'for your
    daughter's summer wedding in Provence', 'to stay cool in the heat'."""
    from agent.motives import kind_purpose

    vocab = _vocab_id(motive.text)
    if vocab is not None and vocab in wording()["motives"]:
        return wording()["motives"][vocab]
    if kind_purpose(motive.text):
        return kind_purpose(motive.text)
    text = motive.text.strip().rstrip(".")
    m = _FREE_PURPOSE.match(text)
    if m:
        lead = text[: m.start("rest")].strip().lower()
        rest = _your(m.group("rest"))
        if lead.startswith(("we", "i ")):  # 'we run a hospital kitchen' -> 'for your hospital kitchen'
            rest = re.sub(r"^(?:a|an|the)\s+", "", rest, flags=re.IGNORECASE)
            return f"for your {rest}"
        if lead in ("going to", "attending"):
            return f"for {rest}"
        return f"{lead} {rest}"
    verb = re.match(r"^(wants|needs|prefers|values|avoids|buys|is)\s+(.+)$", text, re.IGNORECASE)
    if verb:
        base = {"wants": "want", "needs": "need", "prefers": "prefer", "values": "value", "avoids": "avoid",
                "buys": "buy", "is": "are"}[verb.group(1).lower()]
        return f"since you {base} {_your(verb.group(2))}"
    return f"for what you described ({_your(text)})"


def habit_words(motive: Motive) -> str:
    """A history motive as a habit, to follow 'You usually ': 'go for a casual, relaxed style'."""
    vocab = _vocab_id(motive.text)
    if vocab is not None and vocab in wording()["habits"]:
        return wording()["habits"][vocab]
    text = motive.text.strip().rstrip(".")
    verb = re.match(r"^(wants|needs|prefers|values|avoids|buys|likes)\s+(.+)$", text, re.IGNORECASE)
    if verb:
        base = {"wants": "want", "needs": "need", "prefers": "prefer", "values": "value", "avoids": "avoid",
                "buys": "buy", "likes": "like"}[verb.group(1).lower()]
        return f"{base} {_your(verb.group(2))}"
    return f"lean towards “{text}”"


# -- one pick -----------------------------------------------------------------------------------

def _material(item: Item) -> str:
    value = item.attributes.get("material")
    if not value:
        return ""
    # The first part that is the fabric itself: 'jute sole, cotton canvas upper' -> 'cotton canvas upper'
    # is still a part; a sole, lining or trim is never what an item is 'in'.
    parts = [p.strip().lower() for p in str(value).split(",")]
    parts = [p for p in parts if p and not re.search(r"\b(?:sole|soles|lining|trim|buttons?|hardware|case|strap|"
                                                     r"straps|clasp|lenses|frame)\b", p)]
    first = parts[0] if parts else ""
    return first if 0 < len(first) <= 40 else ""


def price_words(item: Item | None, rec: Recommendation) -> str:
    """The price as a buyer reads it: per pack when the catalog sells by the pack."""
    text = money(rec.price, rec.currency)
    pack = str(item.attributes.get("pack_size") or "").strip() if item is not None else ""
    if pack:
        text += " per " + re.sub(r"^(?:a|an|per)\s+", "", pack, flags=re.IGNORECASE)
    return text


def pack_unit(item: Item) -> str:
    """What one price buys, to follow a price: 'a box' (box of 100), 'a bottle' (750 ml trigger
    bottle), 'each' when the catalog sells single units."""
    pack = str(item.attributes.get("pack_size") or "").strip().lower()
    words = re.findall(r"[a-z]+", re.sub(r"\(.*?\)", "", pack))
    if not words or words[0] in ("unit", "each", "piece", "item"):
        return "each"
    noun = words[0] if not re.match(r"^\d", pack) else words[-1]
    if noun in ("ml", "l", "kg", "g", "m", "cm", "mm"):
        return "each"
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def trade_facts(item: Item) -> str:
    """A B2B item's ordering facts in one sentence: minimum order, lead time, the best volume price."""
    a = item.attributes
    parts = []
    if a.get("moq") not in (None, ""):
        parts.append(f"minimum order {a['moq']}")
    if a.get("lead_time_days") not in (None, ""):
        days = int(a["lead_time_days"])
        parts.append(f"ships in {days} day{'s' if days != 1 else ''}")
    tiers = sorted((t for t in a.get("tiered_prices") or [] if isinstance(t, dict)), key=lambda t: t["min_qty"])
    if len(tiers) > 1:
        best = tiers[-1]
        parts.append(f"{money(float(best['unit_price']), item.currency)} {pack_unit(item)} from {int(best['min_qty']):,}")
    return _cap("; ".join(parts)) + "." if parts else ""


@lru_cache(maxsize=1)
def _trait_cues() -> dict[str, object]:
    from agent.vocabulary import TRAIT_VOCABULARY, CueMatcher

    return {p.text: CueMatcher(p.cues) for group in TRAIT_VOCABULARY.values() for p in group if p.cues}


# Kinds of garment a description names when it says what an item is worn with ('bring sunshine
# to a linen dress'): a cue right before one that is not the item's own describes the other piece.
WORN_WITH = re.compile(r"dress(?:es)?|shirts?|blouses?|skirts?|suits?|trousers|jeans|knits?|jackets?|coats?|"
                       r"gowns?|tuxedos?|tops?|sweaters?|jumpers?|heels|sandals|shoes|trainers|blazers?|"
                       r"cardigans?|scarf|scarves|bags?|belts?")
# What an occasion phrase's season or climate needs the item's text to say ('summer wedding
# guest' is not supported by 'the autumn wedding in a stone chapel').
SEASON_WORDS = {
    "summer": r"summer|sun|sunny|heat|hot|garden part|july|august|resort|beach|poolside|provence|riviera|tropical",
    "winter": r"winter|cold|snow|frost|freez|christmas|december|january|ski|chalet",
    "beach": r"beach|pool|swim|resort|seaside|coast|holiday|vacation|sand|riviera",
}


@lru_cache(maxsize=1)
def _occasions() -> frozenset[str]:
    from agent.vocabulary import TRAIT_VOCABULARY

    return frozenset(p.text for p in TRAIT_VOCABULARY["occasion"])


def _own_hit(hit, description: str, title: str, category: str, text: str) -> bool:
    """Whether a cue found in the item's text is about the item, not a piece it is worn with."""
    start = text.find(description) if description else -1
    if start < 0 or not start <= hit.start() < start + len(description) or not category:
        return True  # the title and the attributes are the item's own; an item of unknown kind: its own
    own = set(re.findall(r"[a-z]+", f"{title} {category}".lower()))
    after = re.findall(r"[a-z]+", text[hit.end():hit.end() + 40].lower())[:2]
    return not any(WORN_WITH.fullmatch(w) and w not in own and w.rstrip("s") not in own for w in after)


def _supported(phrase: str, item: Item) -> bool:
    """Whether the item's own words support a vocabulary trait: one of its cues is in its text,
    about the item itself (not 'to a linen dress' in an earring's description), and an occasion's
    season or climate is in it too (no 'summer wedding guest' for 'an autumn wedding'). A phrase
    from elsewhere (an LLM's) is taken as given."""
    if phrase not in _trait_cues():
        return True
    return _supported_by(phrase, item.text(), item.description, item.title, item.category)


@lru_cache(maxsize=1 << 16)
def _supported_by(phrase: str, text: str, description: str, title: str, category: str) -> bool:
    """``_supported`` from the only fields of the item it reads, so it is asked once per phrase and
    item: a turn asks it of every candidate's phrases, twice (the cards, then the reply), and the
    next turns of the conversation ask it again of the same items."""
    matcher = _trait_cues()[phrase]
    if not any(_own_hit(h, description, title, category, text) for h in matcher.hits(text, text.lower())):
        return False
    if phrase in _occasions():
        for season, words in SEASON_WORDS.items():
            if season in phrase and not re.search(rf"\b(?:{words})", text, re.IGNORECASE):
                return False
    return True


def candidate_phrases(rec: Recommendation, traits: Traits | None) -> list[str]:
    """The trait phrases a pick's sentence may say, best first: those that matched a motive
    closely, then the item's own strongest traits."""
    cited = [m.trait for m in rec.matches if m.similarity >= CITE_SIMILARITY and m.dimension in TRAIT_DIMENSIONS]
    own = [p for dim, p in traits.phrases() if dim in TRAIT_DIMENSIONS] if traits is not None else []
    return list(dict.fromkeys([*cited, *own]))


def said_phrases(rec: Recommendation, item: Item | None, traits: Traits | None,
                 common: set[str] = frozenset()) -> list[str]:
    """The (at most two) trait phrases a pick's sentence says: what serves a motive first, then
    what sets it apart from the other picks (``common`` last)."""
    cited = [m for m in rec.matches if m.similarity >= CITE_SIMILARITY and m.dimension in TRAIT_DIMENSIONS]
    ranked = candidate_phrases(rec, traits)
    matched = {m.trait for m in cited}
    # Said in words, a trait is a claim: only what the item's own text supports is said (an
    # embedding may have attached 'low-heel footwear' to a dress), at most one other when none is.
    supported = [p for p in ranked if item is None or _supported(p, item)]
    ranked = supported or ranked[:1]
    phrases = sorted(ranked, key=lambda p: (p not in matched, p in common, ranked.index(p)))[:2]
    if not phrases and rec.matches:
        phrases = [rec.matches[0].trait]
    return phrases


def why(rec: Recommendation, item: Item | None, traits: Traits | None, motives: list[Motive],
        variant: int = 0, purpose_said: set[str] | None = None, common: set[str] = frozenset(),
        first: bool = True, trade: bool = True) -> str:
    """One sentence saying why this pick: its real traits (those that matched a motive, else its
    strongest; ``common`` ones, which every pick of the reply has, last) and what they are good
    for, the purpose left out when an earlier pick said it."""
    by_text = {m.text: m for m in motives}
    cited = [m for m in rec.matches if m.similarity >= CITE_SIMILARITY and m.dimension in TRAIT_DIMENSIONS]
    phrases = said_phrases(rec, item, traits, common)
    described = join_and([trait_words(p) for p in phrases])
    purpose = ""
    # The purpose is the motive a phrase said serves: a cited trait the item's text does not
    # support is not said, and neither is the motive it alone tied the item to.
    serving = [m for m in cited if m.trait in phrases]
    motive = by_text.get(serving[0].motive) if serving else None
    if motive is not None:
        words = purpose_words(motive)
        if motive.source == "history":
            words = words if words.startswith(("for ", "to ", "as ", "if ")) else "in the spirit of what you usually buy"
        if purpose_said is None or words not in purpose_said:
            purpose = words
            if purpose_said is not None:
                purpose_said.add(words)
    material = _material(item) if item is not None else ""
    if material and any(material in trait_words(p) for p in phrases):
        material = ""
    if not described:
        sentence = f"In {material}." if material else ""
    elif variant % 3 == 0:
        sentence = f"{_cap(described)}{f', in {material}' if material else ''}{f': a good choice {purpose}' if purpose else ''}."
    elif variant % 3 == 1:
        lead = f"In {material}, it is" if material else "It is"
        sentence = f"{lead} {described}{f', a good pick {purpose}' if purpose else ''}."
    else:
        also = "Also " if not purpose and not first else ""
        sentence = _cap(f"{also}{described}{f', in {material}' if material else ''}{f'; {purpose}' if purpose else ''}.")
    terms = trade_facts(item) if item is not None and trade else ""
    return " ".join(s for s in (sentence, terms) if s)


def pick_line(n: int, rec: Recommendation, item: Item | None, sentence: str) -> str:
    """'1. Title by Brand (ID), €890, in stock. <why>': the facts a reply must state exactly."""
    return (f"{n}. {rec.title}{f' by {rec.brand}' if rec.brand else ''} ({rec.item_id}), "
            f"{price_words(item, rec)}, {AVAILABILITY_WORDS[rec.availability]}. {sentence}").rstrip()


# -- opening ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One thing this message changed, as the opening acknowledges it."""

    kind: str
    """A key of ``[changes]`` in ``en.toml``."""
    value: str = ""


def changes(reading, belief_before: BeliefState | None, currency: str = "") -> list[Change]:
    """What ``reading`` changed, in the order an opening says it (reactions first)."""
    if reading is None:
        return []
    out: list[Change] = []
    rejected_all = [r for r in reading.references if r.polarity == "rejected" and r.how == "all"]
    if rejected_all:
        out.append(Change("rejected_all"))
    elif reading.rejected:
        out.append(Change("rejected_one"))
    if reading.liked:
        out.append(Change("liked"))
    for critique in reading.critiques:
        if critique.kind == "less_like" and critique.attribute:
            out.append(Change("less", critique.attribute))
        elif critique.kind == "more_like" and critique.attribute:
            out.append(Change("more", critique.attribute))
        elif critique.kind == "cheaper" and not (reading.price and reading.price.max):
            out.append(Change("cheaper"))
        elif critique.kind == "pricier":
            out.append(Change("pricier"))
    held = belief_before.constraints if belief_before is not None else None
    if reading.price is not None and reading.price.max is not None and (held is None or held.budget_max != reading.price.max):
        out.append(Change("budget", budget_words(reading, currency)))
    excluded = [t.text for t in reading.exclude if t.sure and (held is None or t.text not in held.exclude_terms)]
    if excluded:
        out.append(Change("exclude", join_and(excluded)))
    brands = [b.name for b in reading.brands_out] + list(reading.brand_refs_out)
    if brands:
        out.append(Change("brand_out", join_and(list(dict.fromkeys(brands)))))
    if reading.sizes:
        out.append(Change("size", " or ".join(s.value for s in reading.sizes)))
    if reading.max_lead_time_days is not None:
        out.append(Change("delivery", f"{reading.max_lead_time_days.value:g}"))
    if reading.max_moq is not None:
        out.append(Change("moq", f"{reading.max_moq.value:g}"))
    if reading.in_stock is not None:
        out.append(Change("stock"))
    return out


def budget_words(reading, currency: str = "") -> str:
    """The budget as read: '€300', or for a budget for the whole order the unit price it made and
    what it came from ('€50 a pair (€2,000 for 40)')."""
    price = reading.price
    cur = price.currency or currency or ""
    if price.total is None or reading.quantity is None:
        return money(price.max, cur)
    return lot_words(price.max, (price.total, reading.quantity.value, reading.quantity.unit), cur)


def lot_words(per_unit: float, lot: tuple[float, float, str], currency: str) -> str:
    """'€50 a pair (€2,000 for 40)': a unit price made from a budget for ``lot`` (total, count, unit)."""
    total, count, unit = lot
    per = "each" if unit in ("unit", "") else f"{'an' if unit[0] in 'aeiou' else 'a'} {unit}"
    return f"{money(per_unit, currency)} {per} ({money(total, currency)} for {count:g})"


def _choose(options: list[str], said: set[str], seed: int, **values) -> str:
    """The first of ``options`` (from ``seed`` on) whose opening words were not said yet."""
    rendered = [o.format(**values) for o in options]
    for k in range(len(rendered)):
        text = rendered[(seed + k) % len(rendered)]
        if opening_key(text) not in said:
            return text
    return rendered[seed % len(rendered)]


def focus_motive(belief: BeliefState) -> Motive | None:
    """What the request is for, as the opening names it: the person's own purpose words when
    they gave some (a free-text motive), else their most confident motive of the conversation."""
    current = [m for m in belief.motives if m.active and m.source == "conversation"]
    if not current:
        return None
    latest = max(max((e.turn for e in m.evidence), default=-1) for m in current)
    recent = [m for m in current if max((e.turn for e in m.evidence), default=-1) == latest] or current
    free = [m for m in recent if _vocab_id(m.text) is None and _FREE_PURPOSE.match(m.text)]
    return free[0] if free else max(recent, key=lambda m: m.confidence)


def opening(count: int, belief: BeliefState, said: set[str], found: list[Change], new_request: bool,
            seed: int, currency: str = "") -> str:
    """The reply's first line."""
    table = wording()
    n = NUMBER_WORDS.get(count, str(count))
    values = {"n": n, "N": _cap(n), "are": "is" if count == 1 else "are", "s": "" if count == 1 else "s"}
    if found:
        lines = []
        for change in found[:2]:
            lines.append(_choose(table["changes"][change.kind], said | {opening_key(x) for x in lines}, seed,
                                 x=change.value))
        if len(lines) == 2 and not lines[0].endswith("."):
            # 'Without leather:' + 'Within €300:' -> 'Without leather, within €300:'
            lines = [lines[0].rstrip(":") + ", " + lines[1][:1].lower() + lines[1][1:]]
        follow = ("liked" if [c.kind for c in found[:2]] == ["liked"] else
                  "again_one" if count == 1 else "again")
        return " ".join(lines) if lines[-1].endswith(":") else " ".join(lines) + " " + _choose(
            table["openings"][follow], said, seed)
    motive = focus_motive(belief) if new_request else None
    if motive is not None:
        purpose = purpose_words(motive)
        return _choose(table["openings"]["purpose"], said, seed, purpose=purpose, Purpose=_cap(purpose), **values)
    return _choose(table["openings"]["plain" if new_request else "again_one" if count == 1 else "again"],
                   said, seed, **values)


def history_note(overridden: list[tuple[Motive, str]], said: set[str]) -> str:
    """Once per history motive: that today's request comes before the client's usual habit."""
    for history, current in overridden:
        key = f"note:history:{history.text.lower()}"
        if key in said:
            continue
        return f"You usually {habit_words(history)}; today's request comes first, so I've set that aside."
    return ""


def history_note_keys(overridden: list[tuple[Motive, str]]) -> list[str]:
    return [f"note:history:{h.text.lower()}" for h, _ in overridden]


# -- hints --------------------------------------------------------------------------------------

FORMALITY = frozenset({"formal_event", "formal_summer_event", "professional_work"})


def _hint_fits(key: str, recs: list[Recommendation], items: dict[str, Item], belief: BeliefState) -> bool:
    got = [items[r.item_id] for r in recs if r.item_id in items]
    if key == "cheaper":
        return len({r.price for r in recs}) > 1 or belief.constraints.budget_max is None
    if key == "formality":
        return any(_vocab_id(m.text) in FORMALITY for m in belief.motives if m.active and m.source == "conversation")
    if key == "brand":
        return len({r.brand for r in recs if r.brand}) > 1
    if key == "more":
        return len(recs) >= 2
    if key == "size":
        return bool(got) and "size" in got[0].attributes
    if key == "fastest":
        return len({i.attributes.get("lead_time_days") for i in got}) > 1
    if key == "volume":
        return bool(got) and len(got[0].attributes.get("tiered_prices") or []) > 1
    if key == "moq":
        return belief.constraints.max_moq is None and _moq_step(got) is not None
    if key == "material":
        return len(got) >= 2 and bool(got[1].attributes.get("material"))
    if key == "stock":
        return not belief.constraints.in_stock_only and any(r.availability != "in_stock" for r in recs)
    return True


MOQ_STEPS = (10, 20, 50, 100, 200, 500, 1000, 5000)


def _moq_step(items: list[Item]) -> int | None:
    """A round minimum order that some items shown meet and some do not ('MOQ under 50')."""
    moqs = [int(i.attributes["moq"]) for i in items if str(i.attributes.get("moq") or "").isdigit()]
    if len(moqs) < 2:
        return None
    return next((step for step in reversed(MOQ_STEPS) if min(moqs) <= step < max(moqs)), None)


def _units_of(item: Item | None) -> str:
    """What a quantity of this item is counted in, plural: 'pairs', 'boxes', 'cans'; 'units' when
    the catalog sells single units (a hint saying '500 units' of gloves sold by the pair read wrong)."""
    if item is None:
        return "units"
    from agent.reading.lexicon import plural

    unit = pack_unit(item)
    return "units" if unit == "each" else plural(unit.split()[-1])


def hint(domain: str, recs: list[Recommendation], items: dict[str, Item], belief: BeliefState,
         said: set[str], seed: int) -> str:
    """The closing hint: up to two things the person could say next, fitting the catalog's domain
    and these items, none offered before in the conversation; '' when none is left."""
    table = wording()["hints"]
    pool = table.get(domain) or table["any"]
    got = [items[r.item_id] for r in recs if r.item_id in items]
    fresh = [text.replace("{moq}", str(_moq_step(got))).replace("{units}", _units_of(got[0] if got else None))
             for key, text in pool.items()
             if f"hint:{key}" not in said and _hint_fits(key, recs, items, belief)]
    if not fresh:
        return ""
    lead = table["lead"][seed % len(table["lead"])]
    return f"{lead} {' or '.join(fresh[:HINTS_PER_REPLY])}."


def hint_keys(domain: str, text: str) -> list[str]:
    table = wording()["hints"]
    pool = table.get(domain) or table["any"]
    return [f"hint:{key}" for key, wording_ in pool.items() if wording_.split("{")[0] in text]


def is_hint(line: str) -> bool:
    """Whether a reply line is the closing hint (draft mode leaves it out of the client's text)."""
    return line.startswith(tuple(wording()["hints"]["lead"]))


def split_hint(text: str) -> tuple[str, str]:
    """A reply as (what a client reads, the closing hint for the person at the keyboard)."""
    lines = text.rstrip().split("\n")
    if lines and is_hint(lines[-1]):
        return "\n".join(lines[:-1]).rstrip(), lines[-1]
    return text, ""


# -- the whole reply ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    """A composed reply and what it said that should not be said again."""

    text: str
    said: list[str]


def compose(recs: list[Recommendation], items: dict[str, Item], traits: dict[str, Traits], belief: BeliefState,
            reading=None, belief_before: BeliefState | None = None, domain: str = "any",
            overridden: list[tuple[Motive, str]] = (), notes: list[str] = (), after: list[str] = (),
            new_request: bool = True, seed: int = 0, aside: list[str] = (), dead_end: bool = False) -> Reply:
    """The offline recommendation reply: opening, history note, one line per pick, notes, hint.
    ``aside``: lines said after the opening, before the picks, that are not news enough to open
    the reply (what was left out for whom it is for). ``dead_end``: the first note says nothing met
    every constraint, so it always opens the reply (no 'one good candidate:' before it)."""
    said = set(belief.said)
    currency = recs[0].currency if recs else ""
    # Nothing was on screen: a first request is answered for what it is for, not as a change.
    found = changes(reading, belief_before, currency) if belief.shown else []
    if belief.shown and not found and [r.item_id for r in recs] == belief.shown:
        # The message changed nothing the ranking could act on: say so rather than pretend.
        first = _choose(wording()["openings"]["unchanged"], said, seed)
    else:
        first = opening(len(recs), belief, said, found, new_request and not found, seed, currency)
    note = history_note(list(overridden), said)
    purposes: set[str] = set()
    if found:  # after a critique the purpose was said before; the picks say what changed
        motive = focus_motive(belief)
        if motive is not None:
            purposes.add(purpose_words(motive))
    elif new_request:
        motive = focus_motive(belief)
        if motive is not None:
            purposes.add(purpose_words(motive))  # the opening says it
    # A trait every pick has ('certified to the standards that apply') tells them apart from nothing.
    lists = [set(candidate_phrases(r, traits.get(r.item_id))[:3]) for r in recs]
    common = set.intersection(*lists) if len(lists) > 1 else set()
    lines = [pick_line(n, r, items.get(r.item_id),
                       why(r, items.get(r.item_id), traits.get(r.item_id), belief.motives, seed + n - 1, purposes,
                           common, first=n == 1))
             for n, r in enumerate(recs, 1)]
    closing = hint(domain, recs, items, belief, said, seed)
    if notes and dead_end and opening_key(notes[0]) in said:
        # The same dead end as before: it still opens the reply, said as a repeat.
        notes = [_choose(wording()["openings"]["dead_end_again"], said, seed, note=notes[0][:1].lower() + notes[0][1:]),
                 *notes[1:]]
    if notes and (dead_end or opening_key(notes[0]) not in said):
        # A dead end is the news: it opens the reply (its own first words; said once that way).
        parts = [*notes, *aside, note, *lines, *after, closing]
    else:
        parts = [first, *notes, *aside, note, *lines, *after, closing]
    text = "\n".join(p for p in parts if p)
    new_said = [opening_key(text), *(history_note_keys(list(overridden)) if note else []),
                *hint_keys(domain, closing)]
    return Reply(text=text, said=new_said)


def remember(belief_said: list[str], entries: list[str]) -> list[str]:
    """``said`` with ``entries`` added (no duplicates, the newest last, at most MAX_SAID)."""
    return list(dict.fromkeys([*belief_said, *entries]))[-MAX_SAID:]
