"""Domain types of Motive: one pydantic model per idea, reused as structured-output schemas.

Prices are in the catalog's currency (``Item.currency``); confidences and similarities are in [0, 1]
unless a field says otherwise.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
import unicodedata
from typing import Any, Callable, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Availability = Literal["in_stock", "low_stock", "out_of_stock", "made_to_order"]
"""Stock status as the catalog records it; only ``in_stock`` and ``low_stock`` can ship now."""

SHIPPABLE: frozenset[str] = frozenset({"in_stock", "low_stock"})

PriceTier = Literal["budget", "mid", "premium", "luxury"]


class PriceTierBreak(BaseModel):
    """One step of a wholesale price list: from ``min_qty`` units up, each unit costs ``unit_price``."""

    min_qty: int = Field(ge=1)
    """Smallest order quantity (units) at which this unit price applies."""
    unit_price: float = Field(ge=0)
    """Price per unit, in the catalog's currency."""


class Item(BaseModel):
    """A catalog item, as ingested. ``attributes`` holds whatever else the catalog knows."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    """Catalog identifier (SKU); unique within a catalog."""
    title: str = Field(min_length=1)
    description: str = ""
    brand: str = ""
    category: str = ""
    """Lower-case product category, e.g. ``dress`` or ``safety gloves``."""
    price: float = Field(ge=0)
    """Unit list price in ``currency``."""
    currency: str = "USD"
    availability: Availability = "in_stock"
    attributes: dict[str, Any] = Field(default_factory=dict)
    """Free-form facts: ``size``, ``material``, ``colour``, ``moq`` (units), ``lead_time_days``,
    ``tiered_prices`` (list of :class:`PriceTierBreak`-shaped dicts), ..."""

    @field_validator("category")
    @classmethod
    def _lower_category(cls, value: str) -> str:
        return value.strip().lower()

    _text: str | None = PrivateAttr(default=None)
    _lowered: str | None = PrivateAttr(default=None)
    """``text().lower()``, kept once computed: compliance checks read it thousands of times a turn.
    Items are values (nothing edits one in place); a copy or an assignment forgets it."""
    _hash: str | None = PrivateAttr(default=None)
    """:meth:`content_hash`, kept once computed (the trait cache keys every lookup by it), on
    the same terms as ``_lowered``."""
    _noun: str | None = PrivateAttr(default=None)
    """:attr:`own_noun`, kept once computed, on the same terms."""

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name not in ("_lowered", "_text", "_hash", "_noun"):
            super().__setattr__("_lowered", None)
            super().__setattr__("_text", None)
            super().__setattr__("_hash", None)
            super().__setattr__("_noun", None)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> "Item":
        copy = super().model_copy(update=update, deep=deep)
        copy._lowered = copy._text = copy._hash = copy._noun = None
        return copy

    @property
    def own_noun(self) -> str:
        """What the item calls itself, lower case: the last word of its description's first phrase
        ('Straight-cut jacket in woven fabric ...' -> 'jacket', filed by H&M as a blazer), or of its
        title's name when it has no description. A fact of the catalog, like :func:`title_name`:
        a shopper's word for the kind admits such an item beside the categories it names (see
        :attr:`Constraints.kinds`)."""
        if self._noun is None:
            phrase = _OWN_NOUN_BREAK.split(self.description.strip().lower(), maxsplit=1)[0]
            if not self.description.strip():
                phrase = title_name(self.title)
            words = re.findall(r"[a-z][a-z-]*", phrase)
            self._noun = words[-1] if words else ""
        return self._noun

    def __eq__(self, other: object) -> bool:
        # The same fields are the same item, whichever of them has its text cached.
        if not isinstance(other, Item):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def lowered_text(self) -> str:
        """:meth:`text` in lower case and without accents ('bouclé' reads 'boucle', as a shopper
        types it; see :func:`fold`), computed once per item."""
        if self._lowered is None:
            self._lowered = fold(self.text().lower())
        return self._lowered

    def text(self) -> str:
        """The text an embedder and the trait extractor read for this item (computed once)."""
        if self._text is None:
            self._text = self._compose_text()
        return self._text

    def _compose_text(self) -> str:
        parts = [self.title, self.brand, self.category, self.description]
        for key, value in sorted(self.attributes.items()):
            if key in ("tiered_prices",):
                continue
            parts.append(f"{key}: {value}")
        return ". ".join(p for p in parts if p)

    def content_hash(self) -> str:
        """Stable hash of every field, so re-ingesting an unchanged row is a no-op (computed once)."""
        if self._hash is None:
            payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
            self._hash = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
        return self._hash

    @property
    def shippable(self) -> bool:
        return self.availability in SHIPPABLE


class Purchase(BaseModel):
    """A past purchase in a client's history."""

    item_id: str
    date: str = ""
    """ISO date (YYYY-MM-DD) of the purchase."""
    note: str = ""
    """What the associate noted about this purchase."""


class ClientHistory(BaseModel):
    """A client's file: past purchases and an associate's free-text notes."""

    id: str
    name: str = ""
    catalog: str
    """Name of the catalog the purchases refer to (``boutique``, ``wholesale``, ...)."""
    purchases: list[Purchase] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Traits(BaseModel):
    """An item distilled into what it does and what it means to its owner (MOTE)."""

    functional: list[str] = Field(default_factory=list)
    """What the item does or is built for: 'water resistant', 'cut-resistant level A4'."""
    aesthetic: list[str] = Field(default_factory=list)
    """How it looks and feels: 'minimalist', 'bold colour', 'tailored silhouette'."""
    emotional: list[str] = Field(default_factory=list)
    """What owning or giving it signals: 'understated luxury', 'reliability', 'gift-worthy'."""
    occasion: list[str] = Field(default_factory=list)
    """When or where it is used: 'summer wedding', 'office', 'cleanroom'."""
    price_tier: PriceTier = "mid"
    """Price relative to the item's category in its catalog."""
    source: Literal["llm", "offline"] = "offline"
    """Who produced these traits."""

    def phrases(self) -> list[tuple[str, str]]:
        """Every trait as ``(dimension, phrase)``, the unit alignment scores against."""
        out: list[tuple[str, str]] = []
        for dim in ("functional", "aesthetic", "emotional", "occasion"):
            out.extend((dim, phrase) for phrase in getattr(self, dim))
        out.append(("price_tier", f"{self.price_tier} price"))
        return out


class Evidence(BaseModel):
    """Where a motive came from: the words and the turn (0-based; -1 for client history)."""

    quote: str
    turn: int = -1


class Motive(BaseModel):
    """A latent reason behind the search: 'needs formal attire for a summer event'."""

    text: str
    confidence: float = Field(ge=0.0, le=1.0)
    """How sure the inference is, in [0, 1]; it weights the motive in alignment."""
    evidence: list[Evidence] = Field(default_factory=list)
    source: Literal["history", "conversation"] = "conversation"
    overridden_by: str | None = None
    """Set when the current request contradicts this (history) motive; alignment then ignores it."""

    @property
    def active(self) -> bool:
        return self.overridden_by is None


_NEGATED_BEFORE = re.compile(
    r"(?:\bno|\bnon|\bnot|\bnever|\bwithout|\bfaux|\bvegan|\bimitation|\bfree (?:of|from)|\bzero|\b0\s?%|"
    r"\bcontains no|\bexcludes?|\bminus)(?:[\s-]+[a-z]+){0,3}?[\s-]+$")
_NEGATED_AFTER = re.compile(r"^(?:[\s-]*free\b|[\s-]*less\b|\s+alternatives?\b|\s+substitutes?\b|\s+look\b|\s+effect\b)")
_CLAUSE_BREAK = re.compile(r"[.;:!?,()]|\b(?:and|but|or|with|while|plus)\b")


@functools.lru_cache(maxsize=512)
def _fold_char(c: str) -> str:
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return base if len(base) == 1 else c


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """``text`` with each accented letter as its plain one, one character for one ('Carré' ->
    'Carre', 'bouclé' -> 'boucle'; 'ø' and 'ß', which have no plain form, stay), so every offset
    stays where it was. Shoppers type without accents what catalogs write with them; the reader and
    the compliance checks compare the two folded."""
    return text if text.isascii() else "".join(_fold_char(c) for c in text)


def _fold_value(value: Any) -> Any:
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list):
        return [_fold_value(v) for v in value]
    return value


def plain(item: "Item") -> "Item":
    """``item`` with its title, description and attributes' words folded (:func:`fold`), for
    matching what a shopper types; its id, brand and category stay the catalog's own, since filters
    and replies name them."""
    if item.title.isascii() and item.description.isascii() and all(
            not isinstance(v, (str, list)) or str(v).isascii() for v in item.attributes.values()):
        return item
    return item.model_copy(update={"title": fold(item.title), "description": fold(item.description),
                                   "attributes": {k: _fold_value(v) for k, v in item.attributes.items()}})


@functools.lru_cache(maxsize=4096)
def _term_form(term: str) -> re.Pattern[str]:
    """The word itself or a form of it ('sequins', 'striped', 'woollen', 'greyish'), never the start
    of another word ('red' in 'reduced', 'gray' in 'Grayham', 'tan' in 'tank')."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?:s|es|ed|d|ing|en|len|ly|y|ies|ish)?(?![a-z])")


@functools.lru_cache(maxsize=2048)
def _unhyphenated(lowered: str) -> str:
    """``lowered`` with a space for each hyphen inside a word ('food-contact' -> 'food contact');
    kept per text, since retrieval checks every phrase against the same items' texts each turn."""
    return re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", " ", lowered)


def mentions_positively(text: str, term: str) -> bool:
    """True when ``text`` mentions ``term`` other than as its absence: 'leather-free', 'no leather',
    'free from PFAS', 'no natural rubber latex', 'faux leather' and 'leather alternative' do not
    count as mentioning it."""
    term = fold(term.lower().strip())
    if not term:
        return False
    lowered = fold(text.lower())
    if re.search(r"[\s-]", term):
        # A phrase is the same with a hyphen or a space: 'food contact' is in 'food-contact legislation'.
        term = re.sub(r"[\s-]+", " ", term)
        lowered = _unhyphenated(lowered)
    if term not in lowered:  # most checks fail here, before any pattern (retrieval runs thousands a turn)
        return False
    for match in _term_form(term).finditer(lowered):
        before, after = lowered[max(0, match.start() - 40): match.start()], lowered[match.end():match.end() + 20]
        breaks = list(_CLAUSE_BREAK.finditer(before))
        if breaks:
            before = before[breaks[-1].end():]
        if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.match(after):
            continue
        return True
    return False


def claims_absence(text: str, thing: str) -> bool:
    """True when ``text`` states that it is free of ``thing``: 'latex-free', 'free from PFAS',
    'contains no latex', 'non-latex', 'without latex'."""
    thing = re.escape(fold(thing.lower().strip()))
    if not thing:
        return False
    return bool(re.search(
        rf"(?<![a-z0-9]){thing}[\s-]?free\b|\bfree (?:of|from) (?:[a-z]+ ){{0,2}}{thing}\b|"
        rf"\b(?:contains? no|no|non|without|zero|0\s?%)[\s-](?:[a-z]+ ){{0,2}}{thing}\b", fold(text.lower())))


def free_of(term: str) -> str | None:
    """'latex-free' -> 'latex'; None for a term that is not an 'X-free' requirement."""
    m = re.fullmatch(r"(.+?)[\s-]free", term.strip().lower())
    return m.group(1) if m else None


_TITLE_BREAK = re.compile(r",| with | for |(?<!\d) in | - |\(|:| by ")
"""Where a title's name ends: 'Dress in linen', 'Gloves, nitrile', 'Mug by Acme' (not '1/2 in Drive
Socket Set')."""
_OWN_NOUN_BREAK = re.compile(r"[,.;:!?(]|\s(?:in|with|made|from|for|of|that|and|featuring|by|on)\s")
"""Where a description's first phrase, the item's own name for itself, ends: 'Jumper in a soft knit'."""


def title_name(title: str) -> str:
    """A title's name, lower case: the title before its details or maker ('Dress in linen' ->
    'dress'). A fact of the catalog, not a reading: the reader finds a title's head noun in it, and
    the evaluation's simulated shopper, which must not read with the reader, names the item from it."""
    return _TITLE_BREAK.split(title.lower())[0]


class Constraints(BaseModel):
    """Hard constraints: candidates that break one are never recommended."""

    budget_max: float | None = None
    """Highest acceptable unit price, in the catalog's currency."""
    budget_min: float | None = None
    budget_lot: tuple[float, float, str] | None = None
    """(total, count, unit) when the budget was said for the whole order ('2k for the lot, 40
    pairs': 2000, 40, 'pair'), ``budget_max`` being total / count; None for a unit price."""
    categories: list[str] = Field(default_factory=list)
    """If non-empty, only these categories (and what ``kinds`` admits)."""
    kinds: list[str] = Field(default_factory=list)
    """The person's words for the kind of item, in their singular and plural forms, with
    ``categories``: an item filed elsewhere whose description calls it one of them passes too (its
    :attr:`Item.own_noun`: 'a jacket' admits the blazer 'Straight-cut jacket in woven fabric').
    Retrieval shows such items only when what the categories hold runs out."""
    brands_in: list[str] = Field(default_factory=list)
    """If non-empty, only these brands."""
    brands_out: list[str] = Field(default_factory=list)
    """Brands the person ruled out ('nothing from X', 'not that brand')."""
    exclude_terms: list[str] = Field(default_factory=list)
    """Negated words: items whose text contains one are excluded ('not leather')."""
    must_have: list[str] = Field(default_factory=list)
    """Words an item's text must contain ('waterproof', 'organic cotton')."""
    in_stock_only: bool = False
    sizes: list[str] = Field(default_factory=list)
    """Acceptable sizes; items with a ``size`` attribute must offer one of them."""
    max_lead_time_days: int | None = None
    max_moq: int | None = None
    """Largest minimum order quantity (units) the buyer accepts."""
    numeric: list[str] = Field(default_factory=list)
    """Limits on other numeric fields, as ``field>=value`` or ``field<=value`` ('ram_gb>=16'); an
    item without the field cannot be shown to meet one."""
    term_forms: dict[str, list[str]] = Field(default_factory=dict)
    """For a term of ``exclude_terms`` or ``must_have``, the catalog words that count as it
    ('synthetic' -> polyester, nylon, ...; for 'latex-free', the forms of latex); absent: the term."""

    def is_empty(self) -> bool:
        return self == Constraints()

    def relaxations(self) -> list[tuple[str, "Constraints"]]:
        """Each way to loosen these constraints by one statement, as (what is dropped, the rest):
        a requirement, a numeric limit, the size, delivery, stock, MOQ, budget, brands wanted or
        category, in that order (the first the least the person is likely to mind). What the
        person ruled out (excluded terms, brands) is never loosened."""
        out: list[tuple[str, Constraints]] = []
        data = self.model_dump()
        for term in self.must_have:
            out.append((f"require:{term}", self.model_copy(update={"must_have": [t for t in self.must_have if t != term]})))
        for limit in self.numeric:
            out.append((f"numeric:{limit}", self.model_copy(update={"numeric": [n for n in self.numeric if n != limit]})))
        for name, fields in RELAXABLE:
            if any(data[f] not in (None, [], False) for f in fields):
                out.append((name, self.model_copy(update={f: _field_default(f) for f in fields})))
        return out

    def violations(self, item: "Item") -> list[str]:
        """Every hard constraint ``item`` breaks, as short sentences (empty list: it complies).

        The single definition of compliance: retrieval filters with it and reflection checks with it.
        """
        return list(self._broken(item))

    def complies(self, item: "Item") -> bool:
        """``not self.violations(item)``, stopping at the first constraint broken (retrieval asks
        this of hundreds of items a turn, most of which fail on price or category)."""
        return next(self._broken(item), None) is None

    def checker(self) -> Callable[["Item"], bool]:
        """:meth:`complies` for many items against these constraints as they are now: the
        lower-cased sets it compares with are built once, not once per item. Constraints edited
        afterwards need a new checker."""
        lowered = self._lowered()
        return lambda item: next(self._broken(item, lowered), None) is None

    def _lowered(self) -> tuple[set[str], set[str], set[str], set[str]]:
        """The categories, brands wanted, brands ruled out and sizes, lower-cased."""
        return ({c.lower() for c in self.categories}, {fold(b.lower()) for b in self.brands_in},
                {fold(b.lower()) for b in self.brands_out}, {s.lower() for s in self.sizes})

    def _broken(self, item: "Item", lowered: tuple[set[str], set[str], set[str], set[str]] | None = None,
                ) -> Iterator[str]:
        """The constraints ``item`` breaks, lazily, cheapest checks first (``lowered``: what
        :meth:`_lowered` returns now, when the caller has it)."""
        if self.budget_max is not None and item.price > self.budget_max + 1e-9:
            yield f"price {item.price:g} {item.currency} is over the budget of {self.budget_max:g}"
        if self.budget_min is not None and item.price < self.budget_min - 1e-9:
            yield f"price {item.price:g} {item.currency} is under the minimum of {self.budget_min:g}"
        if self.categories and item.category not in (
                lowered[0] if lowered else {c.lower() for c in self.categories}) and not (
                self.kinds and item.own_noun in self.kinds):
            yield f"category {item.category!r} is not one of {self.categories}"
        brand = fold(item.brand.lower())
        if self.brands_in and brand not in (lowered[1] if lowered else {fold(b.lower()) for b in self.brands_in}):
            yield f"brand {item.brand!r} is not one of {self.brands_in}"
        if brand and brand in (lowered[2] if lowered else {fold(b.lower()) for b in self.brands_out}):
            yield f"brand {item.brand!r} was ruled out"
        if self.in_stock_only and not item.shippable:
            yield f"availability is {item.availability}"
        if self.sizes and "size" in item.attributes:
            offered = item.attributes["size"]
            offered = offered if isinstance(offered, list) else str(offered).replace("/", ",").split(",")
            offered_set = {str(s).strip().lower() for s in offered}
            if not offered_set & (lowered[3] if lowered else {s.lower() for s in self.sizes}):
                yield f"sizes {sorted(offered_set)} do not include {self.sizes}"
        moq = item.attributes.get("moq")
        if self.max_moq is not None and moq is not None and float(moq) > self.max_moq:
            yield f"minimum order {moq} is above {self.max_moq}"
        lead = item.attributes.get("lead_time_days")
        if self.max_lead_time_days is not None and lead is not None and float(lead) > self.max_lead_time_days:
            yield f"lead time {lead} days is above {self.max_lead_time_days}"
        elif self.max_lead_time_days is not None and lead is None and not item.shippable:
            # No lead time recorded: what is not in stock cannot be promised by a deadline.
            yield f"availability is {item.availability}, so it cannot arrive within {self.max_lead_time_days} days"
        for limit in self.numeric:
            name, op, bound = re.fullmatch(r"([a-z_]+)(>=|<=)(.+)", limit).groups()
            value = _number(item.attributes.get(name))
            if value is None or (value < float(bound) if op == ">=" else value > float(bound)):
                shown = "not recorded" if value is None else f"{value:g}"
                yield f"{name.replace('_', ' ')} is {shown}, not {op} {float(bound):g}"
        # The text checks last: they cost the most.
        text = item.lowered_text() if self.exclude_terms or self.must_have else ""
        for term in self.exclude_terms:
            if any(mentions_positively(text, form) for form in self.term_forms.get(term) or [term]):
                yield f"mentions {term!r}, which was ruled out"
        for term in self.must_have:
            thing = free_of(term)
            forms = self.term_forms.get(term) or [thing or term]
            if thing is not None:
                # 'latex-free' is a claim the item must make, and nothing it contains may contradict it.
                if not any(claims_absence(text, f) for f in forms) or any(mentions_positively(text, f) for f in forms):
                    yield f"does not state it is {term}, which is required"
            elif not any(mentions_positively(text, form) for form in forms):
                yield f"does not mention {term!r}, which is required"


def _field_default(name: str) -> Any:
    """A fresh default of the field ``name`` of :class:`Constraints`: what
    ``model_fields[name].get_default(call_default_factory=True)`` returns, without the signature
    inspection of the default factory pydantic repeats on every such call (a tenth of a
    millisecond each, several per turn)."""
    info = Constraints.model_fields[name]
    return info.default_factory() if info.default_factory is not None else copy.deepcopy(info.default)


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = re.match(r"\s*(\d+(?:\.\d+)?)", str(value or ""))
    return float(m.group(1)) if m else None


RELAXABLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("size", ("sizes",)),
    ("delivery", ("max_lead_time_days",)),
    ("stock", ("in_stock_only",)),
    ("moq", ("max_moq",)),
    ("budget", ("budget_max", "budget_min")),
    ("brand", ("brands_in",)),
    ("category", ("categories", "kinds")),
)
"""Constraint groups a dead end may loosen, in the order tried (see :meth:`Constraints.relaxations`)."""


class Reaction(BaseModel):
    """What the person said about an item shown to them."""

    item_id: str
    kind: Literal["liked", "rejected"]
    reason: str = ""
    turn: int = 0


class Steer(BaseModel):
    """A directional critique kept in the belief: more (+1) or less (-1) of a quality."""

    attribute: str
    direction: Literal[1, -1]
    turn: int = 0


class ClientFact(BaseModel):
    """A hard fact from a client file: what it rules out or requires, and for whom."""

    kind: Literal["exclude", "size", "dislike"]
    """``exclude``: terms no item may mention; ``size``: a size for one kind of item; ``dislike``:
    a quality ranked lower (soft)."""
    terms: list[str] = Field(default_factory=list)
    """The excluded terms, the size (one value) or the disliked qualities."""
    category: str = ""
    """For a size: the kind of item it is for ('shoes'); empty for the others."""
    who: list[str] = Field(default_factory=list)
    """Words naming the person it concerns ('husband', 'tom'); empty: the client themself."""
    label: str = ""
    """The fact in a few words, as replies and the belief panel say it ('vegan', 'low heels only')."""
    quote: str = ""
    """The client-file sentence it was read from."""
    applied: bool = False
    """Already turned into constraints (once: lifting it afterwards is the person's call)."""


class BeliefState(BaseModel):
    """What the agent believes about the person, updated every turn."""

    motives: list[Motive] = Field(default_factory=list)
    constraints: Constraints = Field(default_factory=Constraints)
    reactions: list[Reaction] = Field(default_factory=list)
    dislikes: list[str] = Field(default_factory=list)
    """Qualities the person asked for less of ('less flashy'); alignment penalises matching traits."""
    shown: list[str] = Field(default_factory=list)
    """Item ids of the last recommendations, in the order shown ('the second one' refers here)."""
    asked: list[str] = Field(default_factory=list)
    """Attributes the agent has already asked about (it never asks the same one twice)."""
    query: str = ""
    """The person's current request in their own words, accumulated since the last reset."""
    preferences: list[str] = Field(default_factory=list)
    """What should rank higher but hide nothing: soft wishes ('ideally navy') and readings the
    reader was unsure of. ``category:<name>`` and ``brand:<name>`` for kinds of item and brands."""
    focus: str | None = None
    """The item last discussed (asked about, liked or turned down): what 'it' means next."""
    blocking: list[str] = Field(default_factory=list)
    """The constraints that left nothing to show last turn (labels of :meth:`Constraints.relaxations`):
    what 'relax it' or 'just show me what you have' loosens."""
    taken: list[str] = Field(default_factory=list)
    """What this turn's like of a near miss dropped of what blocked (labels of
    :meth:`Constraints.relaxations`): 'the first one is exactly right' of an item shown at a dead end."""
    dead_ends: int = 0
    """Turns in a row on which everything meeting the constraints had been turned down, so the
    nearest items breaking one were shown: after the first, one is shown, not a reply's worth (the
    person has seen what breaks it; they are told what to relax)."""
    client_id: str | None = None
    set_aside: list[str] = Field(default_factory=list)
    """Items shown when the person critiqued them ('less formal', 'too plain'): the critique moved
    away from them, so they are not shown again (unless asked for by name)."""
    steers: list[Steer] = Field(default_factory=list)
    """Every directional critique said since the last reset ('less formal'): each keeps moving the
    ranking its way on later turns, so a later 'not for me' does not bring the formal ones back."""
    owned: list[str] = Field(default_factory=list)
    """Item ids the client has already bought (from the client file): not offered again unless asked."""
    facts: list[ClientFact] = Field(default_factory=list)
    """Hard facts read from the client file (vegan, low heels only, sizes): constraints applied when
    they concern the person being shopped for."""
    recipient: str = ""
    """Whom the conversation shops for, when it says so: ``men`` ('for my dad'), ``women`` ('for my
    girlfriend'), or empty (the client, or someone of unsaid gender). Items whose own text says
    they are for the other are left out (``agent.client_facts.item_gender``)."""
    last_act: str = ""
    """The act of the agent's last reply (``ask``, ``recommend``...): it never asks twice in a row."""
    said: list[str] = Field(default_factory=list)
    """What the replies have said that should not be said twice: each reply's opening words
    (``open:<words>``), notes (``note:<key>``) and hints (``hint:<text>``)."""

    @property
    def excluded_ids(self) -> set[str]:
        """What retrieval leaves out: items turned down, set aside by a critique, or already owned."""
        return self.rejected_ids | set(self.set_aside) | set(self.owned)

    @property
    def rejected_ids(self) -> set[str]:
        return {r.item_id for r in self.reactions if r.kind == "rejected"}

    @property
    def liked_ids(self) -> set[str]:
        return {r.item_id for r in self.reactions if r.kind == "liked"}


class TraitMatch(BaseModel):
    """One motive-trait pair that contributed to an item's alignment score."""

    motive: str
    trait: str
    dimension: str
    similarity: float
    """Cosine similarity of motive and trait embeddings, in [-1, 1]."""


class Recommendation(BaseModel):
    item_id: str
    title: str
    brand: str = ""
    price: float
    currency: str = "USD"
    availability: Availability = "in_stock"
    score: float
    """Alignment score (see README, "Scoring"); higher is better, comparable within a turn only."""
    explanation: str
    matches: list[TraitMatch] = Field(default_factory=list)


class ReflectionIssue(BaseModel):
    check: Literal[
        "unknown_item",
        "not_a_candidate",
        "wrong_fact",
        "constraint",
        "rejected_again",
        "context_conflict",
        "llm_verifier",
        "presentation",
    ]
    """``presentation``: an LLM's text is no reply to show (a refusal, an echo of the prompt, a tool
    call or markup, another language, or items it lists but does not present, or the reverse)."""
    detail: str
    item_id: str | None = None


class ReflectionReport(BaseModel):
    """The outcome of checking a drafted reply before it is sent."""

    passed: bool = True
    """True when the reply that was finally sent passed every check."""
    issues: list[ReflectionIssue] = Field(default_factory=list)
    """Every problem found, across all attempts (fixed ones included)."""
    attempts: int = 0
    """Drafts checked; 1 means the first draft passed."""
    revisions: list[str] = Field(default_factory=list)
    """What each revision changed, in order."""
    llm_verified: bool | None = None
    """True/False when an LLM verified the final draft; None when no LLM took part."""


class Fallback(BaseModel):
    """An LLM step that fell back to the offline path, and why."""

    step: str
    reason: str


class LLMUsage(BaseModel):
    calls: int = 0
    """Requests sent to the endpoint (failed ones included)."""
    tokens: int = 0
    """Tokens the endpoint reported for them, failed calls included (a call that never got an
    answer reports none)."""
    fallbacks: list[Fallback] = Field(default_factory=list)
    steps: dict[str, int] = Field(default_factory=dict)
    """How many times each LLM step ran (one step may take two calls: a tool round)."""
    failed: dict[str, int] = Field(default_factory=dict)
    """How many of those runs fell back: the call failed, or its output failed a check later."""
    open: list[str] = Field(default_factory=list)
    """Steps whose latest run has not fallen back (yet): a later check may still reject it."""


DialogueAct = Literal["recommend", "ask", "answer", "reset", "acknowledge"]


class TurnOutput(BaseModel):
    """One agent turn as ``motive ask --json`` prints it."""

    turn: int
    user: str
    reply: str
    act: DialogueAct
    reading: dict[str, Any] | None = None
    """How the message was read (:class:`agent.reading.models.Reading`, defaults left out)."""
    relaxed: list[str] = Field(default_factory=list)
    """Constraints the recommendations do not meet, because nothing met them all (the reply says so)."""
    recommendations: list[Recommendation] = Field(default_factory=list)
    belief: BeliefState
    reflection: ReflectionReport | None = None
    llm: LLMUsage = Field(default_factory=LLMUsage)
    mode: str = "offline"
    hint: str = ""
    """The reply's closing hint for the person (what they can say next), already at the end of
    ``reply``; draft mode leaves it out of the text an associate sends to a client."""
    """``offline`` or the LLM model name."""
