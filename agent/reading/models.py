"""The reading of one message: what it asks, what it rules in and out, and the words each value
came from. One :class:`Reading` per message; every later step (belief update, retrieval, the
answer to a question, the LLM reader's validation) works from it.

Values are in the person's terms, normalised: prices in the currency they named (the catalog's
when they named none), terms lower case and singular, categories and brands as the catalog spells
them. ``sure`` is False for a value the reader could only guess (a category matched by meaning
rather than by name, a requirement the catalog has no word for): such a value ranks candidates
but never hides one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agent.models import Constraints, Motive
from agent.reading.lexicon import forms

Act = Literal["request", "question", "compare", "critique", "reaction", "greeting", "off_topic", "reset"]
"""What the message does (precedence when it does several: the order of this list, see
``docs/UNDERSTANDING.md``)."""

TermKind = Literal["material", "colour", "pattern", "certification", "free_of", "attribute", "brand"]


class Said(BaseModel):
    """A value and the words it came from."""

    quote: str = ""
    """The message's own words for this value (as typed, typos included)."""
    sure: bool = True
    """False when the reader could only guess it: it then ranks candidates but never filters them."""


class PriceLimit(Said):
    """A unit-price limit: 'under €300', 'between 25 and 30', 'around 500', 'nothing under 500'."""

    max: float | None = None
    min: float | None = None
    currency: str | None = None
    """ISO 4217 code when the person named a currency ('€' -> EUR), else None."""
    approximate: bool = False
    """'around 500': ``max`` is then 1.2 x the amount (see :data:`agent.reading.money.AROUND_FACTOR`)."""
    total: float | None = None
    """'2k for the lot: 40 pairs': the amount was for the whole order, and ``max`` is it divided by
    the quantity (50 a pair)."""


class Quantity(Said):
    """How many the person wants to order: '2,000 pairs', 'ten boxes'."""

    value: float
    unit: str = "unit"
    """Singular, lower case: 'pair', 'box', 'unit' when none was said."""


class Limit(Said):
    """An upper limit on a whole number: an MOQ, a lead time in days."""

    value: float


class Term(Said):
    """A word or phrase an item must have, should have, or must not have."""

    text: str
    """Lower case, singular: 'wool', 'latex-free', 'en 388', 'midnight blue'."""
    kind: TermKind = "attribute"
    forms: list[str] = Field(default_factory=list)
    """Catalog words that count as this term ('synthetic' -> polyester, nylon, ...; 'stretchy' ->
    stretch, elastane); empty: the term itself."""
    either: int | None = None
    """Requirements with the same number are alternatives: an item needs one of them ('in linen or
    silk', 'navy or black'). None: required on its own."""


class Category(Said):
    name: str
    """A category as the catalog spells it."""


class Brand(Said):
    name: str
    """A brand as the catalog spells it."""


class Size(Said):
    value: str
    """As the catalog writes it ('M', '38')."""


class NumericLimit(Said):
    """A limit on a numeric catalog field other than price, MOQ and lead time ('ram_gb>=16')."""

    field: str
    op: Literal[">=", "<="]
    value: float

    def label(self) -> str:
        return f"{self.field}{self.op}{self.value:g}"


class Reference(Said):
    """A shown (or named) item the message points at, and what it says of it."""

    item_id: str
    how: Literal["id", "ordinal", "title", "deictic", "price", "all"]
    polarity: Literal["liked", "rejected"] | None = None


class Critique(Said):
    """A relative request about what was shown: 'cheaper', 'more formal', 'less flashy'."""

    kind: Literal["cheaper", "pricier", "more_like", "less_like"]
    attribute: str = ""
    """The quality asked for more or less of ('formal'); empty for price critiques."""
    partial: bool = False
    """Said of some of the items shown only ('a couple of these are too pricey')."""

    def label(self) -> str:
        if self.kind in ("cheaper", "pricier"):
            return self.kind
        return f"{'more' if self.kind == 'more_like' else 'less'}:{self.attribute}"


class Lift(Said):
    """A constraint the person drops: 'forget the budget', 'leather is fine after all'."""

    field: Literal["budget", "brand", "category", "size", "delivery", "moq", "exclude", "require", "all"]
    value: str | None = None
    """For ``exclude`` / ``require``: the one term lifted."""

    def label(self) -> str:
        return f"{self.field}:{self.value}" if self.value else self.field


class Question(Said):
    """A question about specific items."""

    item_ids: list[str] = Field(default_factory=list)
    field: str = "description"
    """The catalog field that holds the answer: price, material, care, origin, colour, size,
    availability, lead_time, moq, pack_size, certifications, brand, category, description, or any
    attribute name of the catalog."""
    value: str | None = None
    """What a yes/no question asks about ('esd', 'red', 'machine washable'); None for an open one."""
    quantity: float | None = None
    """Units asked about ('price for 500 units'): the answer gives the tier price and the total."""
    unit: str = "unit"
    """What ``quantity`` counts, singular, as the person said it ('case' for 'price for 60 cases?');
    'unit' when they named none."""
    other_fields: list[str] = Field(default_factory=list)
    """Further fields asked in the same message ('is it in stock? lead time?')."""


class Comparison(Said):
    """A question over the shown items: 'which ships fastest', 'the cheapest of these'."""

    field: str
    goal: Literal["min", "max", "has"]
    value: str | None = None


class Reading(BaseModel):
    """Everything one message states (never what earlier messages did)."""

    act: Act = "request"
    language: str = "en"
    """ISO 639-1 code of the message's language."""
    understood: bool = True
    """False when the message is in a language the reader does not handle: nothing else is read."""
    price: PriceLimit | None = None
    quantity: Quantity | None = None
    max_moq: Limit | None = None
    max_lead_time_days: Limit | None = None
    in_stock: Said | None = None
    sizes: list[Size] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    brands_in: list[Brand] = Field(default_factory=list)
    brands_out: list[Brand] = Field(default_factory=list)
    exclude: list[Term] = Field(default_factory=list)
    require: list[Term] = Field(default_factory=list)
    prefer: list[Term] = Field(default_factory=list)
    numeric: list[NumericLimit] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    critiques: list[Critique] = Field(default_factory=list)
    lift: list[Lift] = Field(default_factory=list)
    question: Question | None = None
    compare: Comparison | None = None
    reason: str = ""
    """Why the person turned an item down, in their words ('too formal'), when they said."""
    decided: bool = False
    """A reaction that chooses the liked items to buy ('we'll take it', 'add the second to the
    order'): the reply confirms the choice instead of showing more like it."""
    brand_refs_out: list[str] = Field(default_factory=list)
    """Brands ruled out by reference ('not that brand' -> the referenced item's brand)."""
    motives: list[Motive] | None = None
    """Why the person shops, as the LLM read it in the same call (each grounded in a quote of the
    message); ``None`` when no LLM read the message, or none of what it proposed held: the offline
    motive inferer then reads them (``agent.motives``)."""

    @property
    def reset(self) -> bool:
        return self.act == "reset"

    @property
    def liked(self) -> list[str]:
        return list(dict.fromkeys(r.item_id for r in self.references if r.polarity == "liked"))

    @property
    def rejected(self) -> list[str]:
        return list(dict.fromkeys(r.item_id for r in self.references if r.polarity == "rejected"))

    def constraints(self) -> Constraints:
        """The hard constraints this message states: only values the reader is sure of."""
        c = Constraints()
        if self.price is not None and self.price.sure:
            c.budget_max, c.budget_min = self.price.max, self.price.min
            if self.price.total is not None and self.quantity is not None:
                c.budget_lot = (self.price.total, self.quantity.value, self.quantity.unit)
        if self.max_moq is not None:
            c.max_moq = int(self.max_moq.value)
        if self.quantity is not None and self.quantity.sure:
            # A supplier whose minimum order is above what the buyer needs cannot serve them.
            c.max_moq = int(min(self.quantity.value, c.max_moq or self.quantity.value))
        if self.max_lead_time_days is not None:
            c.max_lead_time_days = int(self.max_lead_time_days.value)
        c.in_stock_only = self.in_stock is not None
        c.sizes = [s.value for s in self.sizes if s.sure]
        c.categories = [x.name for x in self.categories if x.sure]
        if c.categories:
            c.kinds = sorted({f for x in self.categories if x.sure and x.quote and " " not in x.quote.strip()
                              for f in forms(x.quote.strip().lower())})
        c.brands_in = [b.name for b in self.brands_in if b.sure]
        c.brands_out = [b.name for b in self.brands_out]
        c.exclude_terms = [t.text for t in self.exclude if t.sure]
        c.numeric = [n.label() for n in self.numeric if n.sure]
        c.term_forms = {t.text: t.forms for t in self.exclude if t.sure and t.forms}
        groups: dict[int, list[Term]] = {}
        for t in self.require:
            if t.sure and t.either is not None and t.kind != "free_of":
                groups.setdefault(t.either, []).append(t)
        done: set[int] = set()
        for t in self.require:
            if not t.sure:
                continue
            group = groups.get(t.either) if t.either is not None else None
            if group and len(group) > 1:
                if t.either in done:
                    continue
                done.add(t.either)
                # One requirement met by any of its words: 'linen or silk'.
                name = " or ".join(g.text for g in group)
                c.must_have.append(name)
                c.term_forms[name] = list(dict.fromkeys(f for g in group for f in (g.forms or [g.text])))
                continue
            c.must_have.append(t.text)
            if t.forms:
                c.term_forms[t.text] = t.forms
        for t in self.require:
            if t.kind == "free_of" and not t.sure:
                # No item states it is free of X: nothing can be required to, but nothing with X passes.
                thing = t.text.removesuffix("-free")
                if thing not in c.exclude_terms:
                    c.exclude_terms.append(thing)
                    if t.forms:
                        c.term_forms[thing] = t.forms
        return c

    def soft(self) -> list[Term]:
        """What ranks but does not filter: preferences, and every value the reader was unsure of."""
        out = list(self.prefer)
        out += [t for t in self.require if not t.sure]
        out += [Term(text=c.name, kind="attribute", quote=c.quote, sure=False) for c in self.categories if not c.sure]
        out += [Term(text=b.name, kind="brand", quote=b.quote, sure=False) for b in self.brands_in if not b.sure]
        return out
