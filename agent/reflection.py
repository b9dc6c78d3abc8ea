"""Reflection: deterministic checks of a drafted reply before it is sent (LLMAR's self-check).

A draft passes when every item it names exists in the catalog (and, for a recommendation, is among
this turn's candidates); every price, brand and availability it states matches the catalog; every
recommended item meets the hard constraints; nothing the person rejected comes back; and no
history motive that the current request contradicts is still steering the ranking. The checks read
the draft's text, so they catch what an LLM wrote, not only what the code chose; an LLM's text is
also read as the person will read it (:func:`check_presentation`: its items presented, and no
refusal, prompt echo, tool call, markup or other language).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Literal

from pydantic import BaseModel, Field

from agent.models import BeliefState, Constraints, Item, Motive, Recommendation, ReflectionIssue
from agent.money import Amount, amounts_in
from prompts import load as load_prompt

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
@lru_cache(maxsize=1)
def quantity_pattern() -> re.Pattern:
    """'500 units', '60 cases', '12 cartons': a count in one of the units orders are counted in
    (the reader's ``lang/en/units.toml``), which a total in the same sentence may multiply."""
    from agent.reading.lexicon import language
    from agent.reading.text import alternation

    forms = [f for names in language("en").units.order_units.values() for f in names]
    return re.compile(rf"\b(\d[\d,]*)\s*(?:{alternation(forms)})\b", re.I)
IN_STOCK = re.compile(r"\b(in stock|available now|ready to ship|ships? (?:now|today|immediately))\b", re.I)
OUT_OF_STOCK = re.compile(r"\b(out of stock|sold out|unavailable)\b", re.I)


class Draft(BaseModel):
    """A reply about to be sent, and the items it recommends or talks about."""

    text: str
    item_ids: list[str] = Field(default_factory=list)
    """Items the reply names, in order."""
    source: Literal["llm", "offline"] = "offline"


def money_amounts(text: str) -> list[float]:
    """Every amount of money written in ``text``, in any currency ('€1,250', '300 EUR', '$1.2k',
    '¥12,000', "CHF 1'200", '1.500,00 €'), each as its most likely reading (``agent.money``)."""
    return [a.value for a in amounts_in(text)]


def _allowed(amount: Amount, allowed: set[float]) -> bool:
    """Whether some reading of ``amount`` is an allowed price ('1.500' is 1500 or 1.5)."""
    return any(round(r, 2) in allowed for r in amount.readings)


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
    theirs = [c.budget_max, c.budget_min, c.budget_lot[0] if c.budget_lot else None]  # the person's own amounts
    allowed_loose |= {round(v, 2) for v in theirs if v is not None}
    for segment in _segments(text):
        named = [i for i in items if _mentions(segment, i)]
        amounts = amounts_in(segment)
        if named:
            unit_prices = set().union(*(_known_prices(i) for i in named))
            # "For 500 units ... €1,950 in total": a total is a catalog unit price times a
            # quantity stated in the same segment.
            quantities = [int(q.replace(",", "")) for q in quantity_pattern().findall(segment)]
            allowed = unit_prices | {round(p * q, 2) for p in unit_prices for q in quantities} | {
                round(v, 2) for v in theirs if v is not None
            }
            currencies = {i.currency.upper() for i in named}
            for amount in amounts:
                if not _allowed(amount, allowed):
                    issues.append(ReflectionIssue(
                        check="wrong_fact", item_id=named[0].id,
                        detail=f"states a price of {amount.value:g} but the catalog says "
                               f"{named[0].price:g} {named[0].currency} for {named[0].title}"))
                elif amount.currencies and not amount.currencies & currencies:
                    # The right number in another currency ('$480' for a €480 coat) is a wrong price.
                    issues.append(ReflectionIssue(
                        check="wrong_fact", item_id=named[0].id,
                        detail=f"states a price in {amount.currency or '/'.join(sorted(amount.currencies))} "
                               f"but the catalog prices {named[0].title} in {named[0].currency}"))
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
                if not _allowed(amount, allowed_loose):
                    issues.append(ReflectionIssue(
                        check="wrong_fact",
                        detail=f"states a price of {amount.value:g} that matches no item named"))
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


# ---------------------------------------------------------------------------------------------
# Presentation: what the person will read
# ---------------------------------------------------------------------------------------------

REFUSAL = re.compile(
    r"\b(?:i'?m|i am)\s+(?:so\s+|very\s+)?sorry\b[^.!?\n]{0,60}\b(?:can(?:'|no)?t|cannot|unable|not able|won'?t)\b"
    r"|\bi\s+(?:can(?:'|no)?t|cannot|am unable to|'m unable to|am not able to|'m not able to|won'?t)\s+"
    r"(?:assist|help|provide|comply|fulfil|fulfill|do that|answer|recommend|process)\b"
    r"|\bas an ai\b|\blanguage model\b",
    re.IGNORECASE)
"""A refusal or a model talking about itself: never a reply to a shopper."""
TOOL_CALL = re.compile(
    r"[{\[]\s*\"(?:name|function|tool|tool_name|tool_calls|arguments|parameters|item_id)\"\s*:"
    r"|</?tool_call>|\blookup_item\s*\(|\b(?:lookup_item|search_catalog|get_traits|score_alignment)\b",
    re.IGNORECASE)
"""A tool call written as text (JSON with a tool's name or arguments, a tag, a tool's name)."""
MARKUP = re.compile(
    r"```|</?[A-Za-z][\w-]*(?:\s[^<>]{0,200})?/?>|<\|[^|>]{1,40}\|>|<<<|>>>|^\s{0,3}#{1,6}\s|^\s*\|.*\|\s*$"
    r"|^\s*[{\[]",
    re.MULTILINE)
"""Code fences, HTML or XML tags, chat-template tokens, the prompt's data markers, headings,
tables, or a reply that is a JSON value: text meant for a parser, not a person."""
ECHO_WORDS = 6
"""A run of this many words of a prompt's own instructions in a reply is the prompt echoed back."""
EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def presentable(text: str) -> str:
    """An LLM's text as the person will read it: markdown emphasis ('**Linen Dress**') unwrapped
    (the chat shows it raw in the terminal), surrounding whitespace and quotes trimmed. Anything
    else that is not plain prose is left for :func:`check_presentation` to reject."""
    text = EMPHASIS.sub(r"\2", str(text)).strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def prompt_phrases(*names: str, n: int = ECHO_WORDS) -> set[tuple[str, ...]]:
    """Every run of ``n`` words of the fixed text (placeholders left out) of the prompts ``names``
    and of the system guard: what an echo of the prompt is made of."""
    from agent.llm import SYSTEM_GUARD

    runs: set[tuple[str, ...]] = set()
    for text in [SYSTEM_GUARD, *(load_prompt(name) for name in names)]:
        for chunk in re.split(r"\{[a-z_]+\}", text):
            words = _words(chunk)
            runs.update(tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    return runs


def prompt_labels(*names: str) -> set[tuple[str, ...]]:
    """The labels a prompt puts before its values ('The person said: "{request}"' gives 'the
    person said'): two or more words ending where a placeholder starts. A reply that writes one
    is reading its prompt back ("The person said: 'no wool please'.")."""
    labels: set[tuple[str, ...]] = set()
    for name in names:
        for line in load_prompt(name).splitlines():
            head = line.split("{", 1)[0] if "{" in line else ""
            words = _words(head)
            if len(words) >= 2:
                labels.add(tuple(words[-4:]))
    return labels


def echoes(text: str, phrases: set[tuple[str, ...]], n: int = ECHO_WORDS,
           labels: set[tuple[str, ...]] = frozenset()) -> str | None:
    """The first run of ``n`` words ``text`` shares with the prompt (or one of its ``labels``,
    any length), or ``None``."""
    words = _words(text)
    for i in range(len(words)):
        if tuple(words[i:i + n]) in phrases:
            return " ".join(words[i:i + n])
        for label in labels:
            if tuple(words[i:i + len(label)]) == label:
                return " ".join(label)
    return None


def names_item(text: str, item: Item) -> bool:
    """``text`` presents ``item``: its id, or its exact title (case and spacing aside)."""
    flat = " ".join(text.lower().split())
    return _word_in(item.id, text) or (bool(item.title) and " ".join(item.title.lower().split()) in flat)


def check_presentation(
    text: str,
    act: str,
    chosen: list[Item],
    others: Iterable[Item] = (),
    prompts: tuple[str, ...] = (),
    language: str | None = None,
    detect_language=None,
) -> list[ReflectionIssue]:
    """What is wrong with an LLM's ``text`` as something to show a person, whatever its facts.

    A recommendation must present every item it chose (``chosen``: by id or exact title) and no
    other candidate (``others``); no reply may be a refusal, an echo of its prompt (``prompts``:
    template names), a tool call written as text, markup, or in another language than the
    person's (``language``, as ``detect_language(text)`` reads it)."""
    issues: list[ReflectionIssue] = []

    def fail(detail: str, item_id: str | None = None) -> None:
        issues.append(ReflectionIssue(check="presentation", item_id=item_id, detail=detail))

    if not text.strip():
        fail("the reply is empty")
        return issues
    if m := REFUSAL.search(text):
        fail(f"the reply is a refusal (“{m.group(0)}”)")
    if m := TOOL_CALL.search(text):
        fail(f"the reply contains a tool call written as text (“{m.group(0)}”)")
    elif m := MARKUP.search(text):
        fail(f"the reply contains markup (“{m.group(0).strip()[:40]}”)")
    if prompts and (run := echoes(text, prompt_phrases(*prompts), labels=prompt_labels(*prompts))):
        fail(f"the reply echoes its prompt (“{run}”)")
    if language and detect_language is not None and len(_words(text)) >= 4:
        said = detect_language(text)
        if said != language:
            fail(f"the reply is in another language ({said}) than the person's ({language})")
    if act == "recommend":
        if not chosen:
            fail("the reply recommends no item")
        for item in chosen:
            if not names_item(text, item):
                fail(f"the reply does not present {item.title} ({item.id}), which it lists", item.id)
        chosen_ids = {i.id for i in chosen}
        for item in others:
            if item.id not in chosen_ids and names_item(text, item):
                fail(f"the reply presents {item.title} ({item.id}), which it does not list", item.id)
    return issues


# ---------------------------------------------------------------------------------------------
# Yes/no answers: what the reply says against what the catalog says
# ---------------------------------------------------------------------------------------------

ANSWER_YES = re.compile(
    r"^\W*(?:yes|yeah|yep|indeed|correct|absolutely|certainly|definitely|sure)\b"
    r"|^\W*(?:it|they|this one|that one|both|all of them)\s+(?:is|are|does|do|has|have|comes?|can)\b(?!\s*n[o']t)(?!n't)",
    re.IGNORECASE)
ANSWER_NO = re.compile(
    r"^\W*(?:no|nope|not|unfortunately|sadly|neither|none)\b"
    r"|^\W*(?:it|they|this one|that one)\s+(?:is|are|does|do|has|have|can)(?:\s+not|n't|\s+no)\b",
    re.IGNORECASE)
ANSWER_UNKNOWN = re.compile(
    r"\b(?:not|isn'?t|aren'?t)\s+(?:recorded|listed|mentioned|specified|stated|indicated|given|known)\b"
    r"|\b(?:doesn'?t|does not|don'?t|do not)\s+(?:say|state|specify|mention|list|record|indicate)\b"
    r"|\bno (?:information|record|mention|data|details?)\b|\b(?:can'?t|cannot|unable to) (?:tell|say|confirm)\b"
    r"|\bunknown\b|\bnot sure\b",
    re.IGNORECASE)
"""How an English answer to a yes/no question begins (yes, no) and whether it says the record is
silent; a reply that starts with neither has no polarity to hold."""


def answer_polarity(text: str) -> set[str]:
    """What ``text`` says to a yes/no question: any of ``yes``, ``no``, ``unknown`` (two of them
    when it contradicts itself: 'Yes, the gloves ... are not recorded in the catalog')."""
    out = set()
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    if ANSWER_NO.search(first):
        out.add("no")
    elif ANSWER_YES.search(first):
        out.add("yes")
    if ANSWER_UNKNOWN.search(text):
        out.add("unknown")
    return out


def check_verdict(text: str, verdicts: dict[str, str], language: str | None = "en") -> list[ReflectionIssue]:
    """An LLM answer to a yes/no question that says other than the catalog: the catalog's verdict
    for each item (``agent.answers.verdicts``) must be the answer's. Held only when the items
    share one verdict and the reply is English (the words above are English); a reply with no
    yes, no or silence in it passes (it answers in its own way, and the facts check still holds
    its prices and items)."""
    said = answer_polarity(text) if language in ("en", None) else set()
    kinds = set(verdicts.values())
    if not said or len(kinds) != 1:
        return []
    truth = kinds.pop()
    names = {"yes": "yes", "no": "no", "unknown": "that the catalog doesn't say"}

    def fail(detail: str) -> list[ReflectionIssue]:
        return [ReflectionIssue(check="wrong_fact", detail=detail)]

    if {"yes", "unknown"} <= said or {"no", "unknown"} <= said and truth != "unknown":
        return fail(f"the answer contradicts itself (it says {' and '.join(names[k] for k in sorted(said))}); "
                    f"the catalog says {names[truth]}")
    if said != {truth} and not ({"no", "unknown"} == said and truth == "unknown"):
        return fail(f"the answer says {names[next(iter(said))]} where the catalog says {names[truth]}")
    return []
