"""Reflection: deterministic checks of a drafted reply before it is sent (LLMAR's self-check).

A draft passes when every item it names exists in the catalog (and, for a recommendation, is among
this turn's candidates); every price, brand and availability it states matches the catalog; every
recommended item meets the hard constraints; nothing the person rejected comes back; and no
history motive that the current request contradicts is still steering the ranking. The checks read
the draft's text, so they catch what an LLM wrote, not only what the code chose.
"""

from __future__ import annotations

import re
from typing import Iterable, Literal

from pydantic import BaseModel, Field

from agent.models import BeliefState, Constraints, Item, Motive, Recommendation, ReflectionIssue

ID_PATTERN = re.compile(r"\b[A-Z]{1,5}-\d{2,6}\b")
_RUN = re.compile(r"[A-Z]+|[a-z]+|\d+|[^A-Za-z\d]")


class IdMatcher:
    r"""Finds item ids written in free text, so a reply cannot name an item reflection never sees.

    Besides the generic ``ABC-123`` form (:data:`ID_PATTERN`), every *shape* the catalog's own ids
    take is matched: an id is cut into runs (upper-case letters, lower-case letters, digits,
    single separators) and ids with the same sequence of run kinds share one pattern whose run
    lengths span the catalog's (``K-12`` and ``K-4`` give ``[A-Z]{1}-\d{1,2}``). A shape counts
    only if it could not match ordinary words or amounts: it needs a digit run and either a
    letter run, a separator, or (digits only) at least six digits. An id written in a shape of
    the catalog but absent from it is then caught as an unknown item.
    """

    MAX_SHAPES = 24

    def __init__(self, ids: Iterable[str] = ()):
        shapes: dict[tuple[str, ...], list[list[int]]] = {}
        for item_id in ids:
            runs = _RUN.findall(str(item_id))
            if "".join(runs) != str(item_id) or not runs:
                continue
            kinds = tuple(_kind(r) for r in runs)
            spans = shapes.setdefault(kinds, [[len(r), len(r)] for r in runs])
            for span, run in zip(spans, runs):
                span[0], span[1] = min(span[0], len(run)), max(span[1], len(run))
        patterns = [ID_PATTERN.pattern]
        for kinds, spans in shapes.items():
            has_digits = "9" in kinds
            letters_or_sep = any(k not in ("9",) for k in kinds)
            if not has_digits or (not letters_or_sep and spans[0][0] < 6):
                continue
            patterns.append("".join(_run_pattern(k, lo, hi) for k, (lo, hi) in zip(kinds, spans)))
            if len(patterns) > self.MAX_SHAPES:
                break
        self.pattern = re.compile("|".join(f"(?<![\\w-])(?:{p})(?![\\w-])" for p in patterns))

    def findall(self, text: str) -> list[str]:
        """Every id-shaped token in ``text``, in order, without repeats."""
        return list(dict.fromkeys(m.group(0) for m in self.pattern.finditer(text)))


def _kind(run: str) -> str:
    if run.isdigit():
        return "9"
    if run.isalpha():
        return "A" if run.isupper() else "a"
    return run  # a separator stands for itself


def _run_pattern(kind: str, lo: int, hi: int) -> str:
    span = f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}"
    classes = {"9": r"\d", "A": "[A-Z]", "a": "[a-z]"}
    return classes[kind] + span if kind in classes else re.escape(kind)


GENERIC_IDS = IdMatcher()
MONEY = re.compile(
    r"(?:(?P<sym>[€$£])\s?(?P<a>\d[\d,]*(?:\.\d+)?)(?P<k1>k)?)"
    r"|(?:(?P<b>\d[\d,]*(?:\.\d+)?)(?P<k2>k)?\s?(?P<cur>€|EUR|USD|GBP|euros?|dollars?)\b)",
    re.IGNORECASE,
)
QUANTITY = re.compile(r"\b(\d[\d,]*)\s*(?:units?|pieces?|pcs|pairs?|boxes|packs?|cases?|rolls?)\b", re.I)
IN_STOCK = re.compile(r"\b(in stock|available now|ready to ship|ships? (?:now|today|immediately))\b", re.I)
OUT_OF_STOCK = re.compile(r"\b(out of stock|sold out|unavailable)\b", re.I)


class Draft(BaseModel):
    """A reply about to be sent, and the items it recommends or talks about."""

    text: str
    item_ids: list[str] = Field(default_factory=list)
    """Items the reply names, in order."""
    source: Literal["llm", "offline"] = "offline"


def money_amounts(text: str) -> list[float]:
    """Every amount of money written in ``text`` ('€1,250', '300 EUR', '$1.2k')."""
    out = []
    for m in MONEY.finditer(text):
        raw = m.group("a") or m.group("b")
        value = float(raw.replace(",", ""))
        if m.group("k1") or m.group("k2"):
            value *= 1000
        out.append(value)
    return out


def _segments(text: str) -> list[str]:
    """Lines, or sentences when the text is one line: the unit a fact is attached to."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1:
        return lines
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _mentions(segment: str, item: Item) -> bool:
    low = segment.lower()
    return item.id.lower() in low or item.title.lower() in low


def _known_prices(item: Item) -> set[float]:
    prices = {round(item.price, 2)}
    for tier in item.attributes.get("tiered_prices") or []:
        try:
            prices.add(round(float(tier["unit_price"]), 2))
        except (KeyError, TypeError, ValueError):
            continue
    return prices


def check_facts(text: str, items: list[Item], brands: Iterable[str], belief: BeliefState) -> list[ReflectionIssue]:
    """Prices, brands and availability stated in ``text`` against the catalog records ``items``."""
    issues: list[ReflectionIssue] = []
    brand_names = [b for b in brands if b]
    allowed_loose = set()
    for item in items:
        allowed_loose |= _known_prices(item)
    c = belief.constraints
    allowed_loose |= {round(v, 2) for v in (c.budget_max, c.budget_min) if v is not None}
    for segment in _segments(text):
        named = [i for i in items if _mentions(segment, i)]
        amounts = money_amounts(segment)
        if named:
            unit_prices = set().union(*(_known_prices(i) for i in named))
            # "For 500 units ... €1,950 in total": a total is a catalog unit price times a
            # quantity stated in the same segment.
            quantities = [int(q.replace(",", "")) for q in QUANTITY.findall(segment)]
            allowed = unit_prices | {round(p * q, 2) for p in unit_prices for q in quantities} | {
                round(v, 2) for v in (c.budget_max, c.budget_min) if v is not None
            }
            for amount in amounts:
                if round(amount, 2) not in allowed:
                    issues.append(ReflectionIssue(
                        check="wrong_fact", item_id=named[0].id,
                        detail=f"states a price of {amount:g} but the catalog says "
                               f"{named[0].price:g} {named[0].currency} for {named[0].title}"))
            if len(named) == 1:
                item = named[0]
                # Another brand written inside the item's own title ('... PLA 3D Printer Filament'
                # while '3D' is also a maker) is the title, not a claim about who makes it.
                claims = re.sub(re.escape(item.title), " ", segment, flags=re.I) if item.title else segment
                for brand in brand_names:
                    # An item with no brand: only an attribution ('by X', "X's") is a claim.
                    said = _word_in(brand, claims) if item.brand else _attributed(brand, claims)
                    if brand.lower() != item.brand.lower() and said and not _word_in(item.brand, claims):
                        issues.append(ReflectionIssue(
                            check="wrong_fact", item_id=item.id,
                            detail=f"attributes {item.title} to {brand}; the catalog says {item.brand}"))
                if IN_STOCK.search(segment) and not item.shippable:
                    issues.append(ReflectionIssue(
                        check="wrong_fact", item_id=item.id,
                        detail=f"says {item.title} is available; the catalog says {item.availability}"))
                if OUT_OF_STOCK.search(segment) and item.shippable:
                    issues.append(ReflectionIssue(
                        check="wrong_fact", item_id=item.id,
                        detail=f"says {item.title} is unavailable; the catalog says {item.availability}"))
        else:
            for amount in amounts:
                if round(amount, 2) not in allowed_loose:
                    issues.append(ReflectionIssue(
                        check="wrong_fact",
                        detail=f"states a price of {amount:g} that matches no item named"))
    return issues


def _word_in(phrase: str, text: str) -> bool:
    """``phrase`` in ``text`` as whole words; works for names ending in punctuation ('BAMtack!')."""
    return bool(phrase) and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.I) is not None


def _attributed(brand: str, text: str) -> bool:
    """``text`` says ``brand`` makes something: 'by X', 'from X', 'made by X', "X's", 'X brand'."""
    b = re.escape(brand)
    return re.search(rf"\b(?:by|from|maker|brand)\s+{b}(?!\w)|(?<!\w){b}(?:'s\b|\s+brand\b)", text, re.I) is not None


def check_draft(
    draft: Draft,
    act: str,
    catalog_lookup: dict[str, Item],
    candidate_ids: set[str],
    belief: BeliefState,
    brands: Iterable[str],
    conflicts: list[tuple[Motive, Motive]] = (),
    recommendations: list[Recommendation] = (),
    id_matcher: IdMatcher = GENERIC_IDS,
    constraints: Constraints | None = None,
) -> list[ReflectionIssue]:
    """Every problem with ``draft``; an empty list means it may be sent.

    ``catalog_lookup`` must hold the catalog record of every id the draft names or writes
    (missing means the item does not exist); ``id_matcher`` finds the ids written in the text.
    ``constraints`` are what the recommended items must meet: the belief's, or fewer when
    nothing met them all and the reply says which it loosened.
    """
    constraints = constraints if constraints is not None else belief.constraints
    issues: list[ReflectionIssue] = []
    # A model number in a named item's own title ('... LCR Meter DE-5000') is that item's name,
    # not a reference to another item. Titles only: descriptions are where injected text lives.
    titles = " ".join(catalog_lookup[i].title for i in draft.item_ids if i in catalog_lookup)
    written_ids = {w for w in id_matcher.findall(draft.text)
                   if w in catalog_lookup or not re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", titles)}
    for item_id in list(dict.fromkeys([*draft.item_ids, *sorted(written_ids)])):
        if item_id not in catalog_lookup:
            issues.append(ReflectionIssue(check="unknown_item", item_id=item_id,
                                          detail=f"{item_id} is not in the catalog"))
    items = [catalog_lookup[i] for i in draft.item_ids if i in catalog_lookup]
    if act == "recommend":
        for item in items:
            if item.id not in candidate_ids:
                issues.append(ReflectionIssue(check="not_a_candidate", item_id=item.id,
                                              detail=f"{item.title} was not among this turn's candidates"))
            for problem in constraints.violations(item):
                issues.append(ReflectionIssue(check="constraint", item_id=item.id,
                                              detail=f"{item.title}: {problem}"))
            if item.id in belief.rejected_ids:
                issues.append(ReflectionIssue(check="rejected_again", item_id=item.id,
                                              detail=f"{item.title} was rejected earlier"))
    issues.extend(check_facts(draft.text, items, brands, belief))
    issues.extend(check_context(belief, conflicts, recommendations))
    return issues


def check_context(
    belief: BeliefState,
    conflicts: list[tuple[Motive, Motive]],
    recommendations: list[Recommendation] = (),
) -> list[ReflectionIssue]:
    """Context competition: a history motive the current request contradicts must not steer."""
    issues = []
    active_history = {m.text for m in belief.motives if m.source == "history" and m.active}
    for history, current in conflicts:
        if history.text in active_history:
            issues.append(ReflectionIssue(
                check="context_conflict",
                detail=f"history motive “{history.text}” contradicts the current request "
                       f"“{current.text}” and is still active"))
    overridden = {m.text for m in belief.motives if not m.active}
    for rec in recommendations:
        if rec.matches and rec.matches[0].motive in overridden:
            issues.append(ReflectionIssue(
                check="context_conflict", item_id=rec.item_id,
                detail=f"{rec.title} is justified by “{rec.matches[0].motive}”, which the current "
                       f"request overrides"))
    return issues


def resolve_conflicts(motives: list[Motive], conflicts: list[tuple[Motive, Motive]]) -> list[Motive]:
    """The motives with every contradicted history motive marked as overridden by the current one."""
    override = {h.text: c.text for h, c in conflicts}
    return [
        m.model_copy(update={"overridden_by": override[m.text]})
        if m.source == "history" and m.text in override and m.active
        else m
        for m in motives
    ]
