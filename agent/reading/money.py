"""Money: amounts with their currency, and the price limit a message states.

One grammar for every amount, in any currency the language file names (``lang/<code>/money.toml``):
``€300``, ``300 €``, ``300 euros``, ``EUR 300``, ``CHF 980``, ``¥12000``, ``₹ 5,000``, ``3 euros 50``,
``50 cents``. Numbers arrive as digits (``agent.reading.numbers`` ran first), so "two and a half
thousand", "10k" and "1.500 €" are ``2500``, ``10000`` and ``1500`` here.

Limits. An amount is a ceiling after "under / below / less than / no more than / max / up to /
within", before "or less / max / tops / is my limit", after a negated spending verb ("don't want to
spend more than", "can't go over"), after a budget word ("my budget is", "can spend"), and when it
stands alone with a currency ("a dress for €300"). It is a floor after "at least / minimum", before
"or more / and up / +", after "more than / over / from" when the message is about money, and after a
negated ceiling ("nothing under 500"). "around / about / roughly / -ish X" is a ceiling of
:data:`AROUND_FACTOR` x X and no floor (cheaper is rarely unwelcome). "between X and Y", "X-Y" and
"X to Y" set both. A number followed by a unit (days, pairs, %, cm, GB) is never money, nor one
that names a standard or a model ("EN 388", "iPhone 15").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.money import SYMBOLS
from agent.reading.lexicon import Language
from agent.reading.text import Text, alternation

AROUND_FACTOR = 1.2
"""'around 500' reads as a ceiling of 1.2 x 500."""


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str | None
    start: int
    end: int


class MoneyGrammar:
    """The patterns of one language, compiled once."""

    def __init__(self, lang: Language):
        money = lang.money
        self.currencies = {re.sub(r"\s+", " ", k.lower()): v for k, v in money.currencies.items()}
        symbols = [k for k in self.currencies if not k[0].isalpha()]
        words = [k for k in self.currencies if k[0].isalpha()]
        pre = alternation(symbols + [w for w in words if len(w) == 3 or w in ("us$", "rs", "kr")])
        post = alternation(self.currencies)
        minor = alternation(money.minor_units)
        self.minor_units = {k: v for k, v in money.minor_units.items()}
        # An amount: "€300", "300 €", "300 euros", "EUR 300", "3 euros 50", "50 cents".
        self.amount = re.compile(
            rf"(?:(?P<pre>{pre})\s?)?(?<![\w.])(?P<num>\d+(?:\.\d+)?)(?![\d.]*\d)"
            rf"(?:\s?(?:(?P<minor>{minor})\b|(?P<post>{post})(?![a-z])(?:\s?(?P<cents>\d{{1,2}})(?![\d.]))?))?",
            re.IGNORECASE)
        units = [*lang.units.other_units["words"], *lang.units.time_units,
                 *(f for fs in lang.units.order_units.values() for f in fs)]
        self.unit_after = re.compile(rf"\s?(?:{alternation(u for u in units if u not in ('m', 'p', 'c', 'ct'))})(?![a-z])",
                                     re.IGNORECASE)
        limits = money.limits
        end = r"\s*(?:(?:a|an|the|my|our|of)\s+)?(?:budget\s+of\s+)?$"
        self.max_before = re.compile(rf"(?:^|[^\w])(?:{alternation(limits.max_before)}){end}", re.IGNORECASE)
        self.floor = re.compile(rf"(?:^|[^\w])(?:{alternation(limits.floor_negators)})\s+(?:\w+\s+){{0,2}}?"
                                rf"(?:{alternation(['under', 'below', 'less than', 'cheaper than', 'lower than', 'beneath'])})"
                                rf"{end}", re.IGNORECASE)
        self.min_before = re.compile(rf"(?:^|[^\w])(?:{alternation(limits.min_before)}){end}", re.IGNORECASE)
        self.min_weak = re.compile(rf"(?:^|[^\w])(?:{alternation(limits.min_before_weak)}){end}", re.IGNORECASE)
        self.ceiling_negated = re.compile(
            rf"(?:^|[^\w])(?:nothing|not|no|don'?t|do not|doesn'?t|does not|didn'?t|can'?t|cannot|won'?t|wouldn'?t|"
            rf"shouldn'?t|rather not|unwilling to|not willing to|never|mustn'?t|must not)\s+(?:\w+\s+){{0,4}}?"
            rf"(?:(?:{alternation(limits.spend_verbs)})\s+)?(?:{alternation(limits.spend_limits)}){end}", re.IGNORECASE)
        self.around_before = re.compile(rf"(?:^|[^\w])(?:{alternation(limits.around_before)}){end}", re.IGNORECASE)
        self.refused_after = re.compile(r"^\s*(?:(?:a|an|per)\s+[a-z]+\s*|(?:each|ea|apiece)\s*)?(?:,\s*)?(?:just\s+|simply\s+)?(?:won'?t|wont|will not|"
                                        r"can'?t|cannot|isn'?t|is not|aren'?t|are not|doesn'?t|does not|never|would not|wouldn'?t|"
                                        r"is out|is a no|gets? rejected|is too much|is too)\b", re.IGNORECASE)
        """After 'over X': the clause refuses what is over it, so X is a ceiling."""
        self.weak_around = re.compile(r"(?:^|[^\w])(?:like|say)\s*$", re.IGNORECASE)
        self.budget_before = re.compile(
            rf"(?:^|[^\w])(?:{alternation(limits.budget_words)})\s*(?:is|of|:|=|would be|will be|was|are|at|around|"
            rf"about|roughly|approximately|max|up to|is around|is about|is roughly|somewhere around)?\s*"
            rf"(?:around|about|roughly|approximately|approx\.?|circa|~)?\s*$", re.IGNORECASE)
        self.around_in_budget = re.compile(r"(?:around|about|roughly|approximately|approx\.?|circa|~)\s*$", re.IGNORECASE)
        self.max_after = re.compile(rf"^\s*(?:for (?:a|an|the|one|each)\s+[a-z]+\s+)?(?:{alternation([*limits.max_after, *limits.whole_order, 'budget', 'max budget', 'budget max'])})(?![\w])",
                                    re.IGNORECASE)
        self.min_after = re.compile(rf"^\s*(?:{alternation(limits.min_after)})(?![\w])|^\+", re.IGNORECASE)
        self.around_after = re.compile(rf"^[\s-]*(?:{alternation(limits.around_after)})(?![\w])", re.IGNORECASE)
        self.per_unit = re.compile(rf"^\s*(?:{alternation(limits.per_unit)})(?![\w])", re.IGNORECASE)
        self.money_words = re.compile(rf"(?:{alternation(limits.money_words)})|[{''.join(SYMBOLS)}]", re.IGNORECASE)
        self.range_before = re.compile(rf"(?:^|[^\w])(?:{alternation(limits.range_before)})\s*$", re.IGNORECASE)
        self.range_join = re.compile(rf"^\s*(?:{alternation(limits.range_joins)})\s*$", re.IGNORECASE)
        dear = alternation(limits.too_dear)
        self.too_dear = re.compile(rf"^\s*(?:{alternation(limits.per_unit)})?\s*(?:(?:for|on)\s+[^,.;!?€$£]{{0,32}}?)?\s*"
                                   rf"(?:is|are|'s|'re|seems|seem|looks|look|sounds|feels|was|were)\s+"
                                   rf"(?:(?:a bit|way|far|much|rather|very|quite|just|really|pretty|kinda|a little)\s+)*"
                                   rf"(?:{dear})(?![\w])", re.IGNORECASE)
        self.not_budget = re.compile(r"^\s*(?:is not|isn'?t|ain'?t|was not|wasn'?t|is no)\s+(?:my|our|the|a)\s+"
                                     r"(?:budget|price|limit|max)\b", re.IGNORECASE)

    # -- amounts ---------------------------------------------------------------------------------

    def amounts(self, s: str) -> list[Amount]:
        """Every amount in ``s`` that is not followed by a unit (a currency may come first)."""
        out = []
        for m in self.amount.finditer(s):
            value = float(m.group("num"))
            currency = None
            if m.group("minor"):
                if m.group("minor").lower() == "p" and value in _VIDEO_LINES:
                    continue  # '1440p', '1080p': a screen's resolution, not pence
                value = value / 100
                currency = self.minor_units.get(m.group("minor").lower()) or None
            else:
                cur = m.group("pre") or m.group("post")
                if cur:
                    currency = self.currencies.get(re.sub(r"\s+", " ", cur.lower().strip()))
                if m.group("cents") and m.group("post"):
                    value += float(m.group("cents")) / 100
            has_unit = not (m.group("post") or m.group("minor")) and self.unit_after.match(s, m.end())
            if has_unit and not m.group("pre"):
                continue
            out.append(Amount(value, currency, m.start(), m.end()))
        return out


_VIDEO_LINES = {240.0, 360.0, 480.0, 576.0, 720.0, 1080.0, 1440.0, 2160.0, 4320.0}
"""The lines of a video format ('1440p'): what 'p' after them means."""


@dataclass
class PriceReading:
    max: float | None = None
    min: float | None = None
    currency: str | None = None
    approximate: bool = False
    spans: list[tuple[int, int]] | None = None
    sure: bool = True
    not_budget: float | None = None
    dear: str = ""
    """The words of a price quoted back as too high ('0.48 each ... is steep'): cheaper, no limit."""
    """An amount the person said is not their budget ('10 isn't my budget')."""


def normalise_money(text: Text, lang: Language) -> None:
    """Slang amounts as amounts: "a tenner" -> "£10"."""
    slang = lang.money.slang
    if slang:
        table = {re.sub(r"\s+", " ", k.lower()): v for k, v in slang.items()}
        text.sub(re.compile(rf"(?<![\w-])(?:{alternation(slang)})(?![\w-])(?!\s+of\b)", re.IGNORECASE),
                 lambda m: table[re.sub(r"\s+", " ", m.group(0).lower())])  # ('a ton of stock' is no money)


def read_price(text: Text, grammar: MoneyGrammar, identifier: re.Pattern[str],
               plausible, quantity_context: bool, sizes=lambda *values: False) -> PriceReading | None:
    """The price limit ``text`` states, consuming its words; None when it states none.

    ``identifier`` finds words that make the number after them a code ("EN 388"); ``plausible(x)``
    says whether x could be a price in this catalog; ``quantity_context`` is true when the message
    talks about how many to order (then a bare "10 max" is not a budget).
    """
    s = text.s
    about_money = bool(grammar.money_words.search(text.clean))
    found = PriceReading(spans=[])
    amounts = [a for a in grammar.amounts(s) if not identifier.search(s[max(0, a.start - 25):a.start])]
    used: set[int] = set()

    def hold(kind: str, value: float, a: Amount, start: int, end: int, approximate: bool = False) -> None:
        if kind == "max":
            found.max = value if found.max is None else min(found.max, value)
        else:
            found.min = value if found.min is None else max(found.min, value)
        found.currency = found.currency or a.currency
        found.approximate = found.approximate or approximate
        found.spans.append((start, end))

    # Ranges first: "between 200 and 300", "25-30 euro", "from 200 to 400".
    for i in range(len(amounts) - 1):
        a, b = amounts[i], amounts[i + 1]
        if i in used or not grammar.range_join.match(s[a.end:b.start]):
            continue
        lead = grammar.range_before.search(s[max(0, a.start - 30):a.start])
        bare = plausible(a.value) and plausible(b.value) and not quantity_context and not sizes(a.value, b.value)
        if not (lead or a.currency or b.currency or about_money or bare) or b.value <= a.value:
            continue
        alone = bare and re.search(r"(?:^|[,.;:!?-])\s*$", s[:a.start]) and re.match(r"\s*(?:[,.;!?)]|$)", s[b.end:])
        if re.search(r"\b(?:to|till|until)\s*$", s[a.end:b.start]) and not (lead or a.currency or b.currency or about_money
                                                                             or alone):
            continue  # 'from 9 to 5'; but 'a dress, 10 to 20' on its own is what it may cost
        low = a.value
        if low < 10 and b.value >= 100 and low == int(low):
            # 'between three and five hundred': the hundred (or thousand) is said once, for both.
            scale = next((k for k in (1000, 100) if b.value % k == 0 and low * k < b.value), None)
            low = low * scale if scale else low
        found.min, found.max = low, b.value
        found.currency = a.currency or b.currency
        start = a.start - (len(lead.group(0)) if lead else 0)
        found.spans.append((max(0, start), b.end))
        used.update((i, i + 1))
    for i, a in enumerate(amounts):
        if i in used:
            continue
        before = s[max(0, a.start - 60):a.start]
        before = re.split(r"(?<!approx)(?<!\bca)(?<!\bno)\.\s|[!?;,]\s|\band\b(?=\s+(?:i|we|it|she|he|they)\b)", before)[-1]
        after = s[a.end:a.end + 64]  # ('6.20 each for the foaming cartridges is steep': the complaint may come late)
        if grammar.not_budget.match(after):
            m = grammar.not_budget.match(after)
            text.consume(a.start, a.end + m.end())
            found.not_budget = a.value  # '10 isn't my budget': a misreading corrected
            continue
        if (m := grammar.too_dear.match(after)) and grammar.min_weak.search(before) and re.search(
                r"\b(?:anything|everything|nothing|something|stuff|whatever)\s+(?:\w+\s+)?$", before[:grammar.min_weak.search(before).start() + 1]):
            # 'anything above 20 euros is too much': a ceiling, not the card's price quoted back
            text.consume(a.start, a.end + m.end())
            hold("max", a.value, a, a.start, a.end + m.end())
            continue
        if m := grammar.too_dear.match(after):
            found.dear = found.dear or text.quote(a.start, a.end + m.end())
            text.consume(a.start, a.end)  # the card's price quoted back: no limit (the complaint asks for cheaper)
            continue
        cur = a.currency is not None
        money = cur or about_money or bool(re.search(r"\d\s?(?:k|grand)$", text.quote(a.start, a.end).lower())) \
            or bool(grammar.per_unit.match(after) or re.match(r"\s*(?:max|maximum|tops)\s+(?:a|per|each)\b", after))
        kind: str | None = None
        approximate = False
        lead = 0
        early = grammar.min_after.match(after) or grammar.max_after.match(after)
        early_money = a.currency is not None or about_money
        if early and (early_money or (not quantity_context and plausible(a.value))) and not (grammar.floor.search(before) or grammar.ceiling_negated.search(before)
                          or grammar.max_before.search(before) or grammar.min_before.search(before)):
            kind = "min" if grammar.min_after.match(after) else "max"  # 'happy to spend 3000 or more'
            roughly = kind == "max" and bool(grammar.around_in_budget.search(before))  # 'about £1000 for the lot'
            text.consume(max(0, a.start), a.end + early.end())
            hold(kind, round(a.value * AROUND_FACTOR, 2) if roughly else a.value, a, a.start, a.end + early.end(), roughly)
            if not early_money:
                found.sure = plausible(a.value)
            continue
        if (m := grammar.floor.search(before)) and (money or plausible(a.value)):
            kind, lead = "min", len(m.group(0))
        elif m := grammar.ceiling_negated.search(before):
            kind, lead = "max", len(m.group(0))
        elif m := grammar.max_before.search(before):
            kind, lead = "max", len(m.group(0))
            if grammar.around_in_budget.search(before):
                approximate = True
        elif m := grammar.min_before.search(before):
            kind, lead = "min", len(m.group(0))
        elif (m := grammar.min_weak.search(before)) and money and not (
                a.currency is None and (w := re.match(r"\s+([a-z]{3,}s)\b", after))
                and not grammar.money_words.fullmatch(w.group(1))):
            # ('about 180 square metres over 3 floors. up to £300': 3 floors, not a price from 3)
            kind, lead = "min", len(m.group(0))
            if grammar.refused_after.match(after):
                kind = "max"  # 'anything over €15 a unit won't get signed off': what is over it is refused
        elif (m := grammar.around_before.search(before)) and (
                not grammar.weak_around.search(before) or money):
            kind, lead, approximate = "max", len(m.group(0)), True
        elif m := grammar.budget_before.search(before):
            if m.group(0).strip() in ("for",) and not cur:
                continue  # 'for 300' names a price only with a currency ('a dress for €300')
            kind, lead = "max", len(m.group(0))
            approximate = bool(grammar.around_in_budget.search(before))
        tail = 0
        if kind is None:
            if p := grammar.per_unit.match(after):
                tail = p.end()  # '3.50 a box max'
            if m := grammar.max_after.match(after[tail:]):
                kind, tail = "max", tail + m.end()
            elif m := grammar.min_after.match(after[tail:]):
                kind, tail = "min", tail + m.end()
            elif m := grammar.around_after.match(after[tail:]):
                kind, tail, approximate = "max", tail + m.end(), True
            elif cur:
                kind = "max"
            elif tail and money:
                kind = "max"  # '3.50 a box', '40 each' when the message is about money
        if kind is None:
            continue
        if not money and (quantity_context or not plausible(a.value)):
            continue
        if a.value <= 0 or (a.value < 1 and not money):
            continue
        if m := grammar.around_after.match(after):
            approximate, tail = True, max(tail, m.end())
        if (m := grammar.per_unit.match(after[tail:])) and kind is not None:
            tail += m.end()
        value = round(a.value * AROUND_FACTOR, 2) if approximate and kind == "max" else a.value
        hold(kind, value, a, max(0, a.start - lead), a.end + tail, approximate)
        if not money:
            found.sure = plausible(a.value)
    if not found.spans:
        return found if found.not_budget is not None or found.dear else None
    if found.currency is None:  # 'she's got 400 to spend, in euros'
        m = re.search(rf"(?<![\w])(?:{alternation(grammar.currencies)})(?![\w])", text.clean)
        if m:
            found.currency = grammar.currencies.get(re.sub(r"\s+", " ", m.group(0)))
    if found.min is not None and found.max is not None and found.min > found.max:
        found.min = None  # 'at least 100 ... under 80': the ceiling is what they can pay
    for start, end in found.spans:
        text.consume(start, end)
    return found
