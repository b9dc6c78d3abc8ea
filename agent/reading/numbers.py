"""Numbers as digits, whatever way they were written: "three hundred", "two and a half thousand",
"10k", "1,200", "1.500 €" (European thousands), "1.200,50", "a dozen".

Runs before every other pass, on the whole message: afterwards every number is a plain decimal
(``2500``, ``1200.5``) that the passes read with one pattern, and each one still quotes the words it
came from. Number words are read by text2num (``alpha2digit``, which knows English, French,
German, Spanish, Italian, Dutch and Portuguese); the idioms, fractions and multipliers it does not
read come from ``lang/<code>/numbers.toml``.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit, text2num

from agent.reading.lexicon import Language
from agent.reading.text import Text, alternation, rx

_TEXT2NUM_LANGS = {"en", "fr", "de", "es", "it", "nl", "pt"}
_NUMBER_WORD = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)")
_WORDS_RUN = rf"(?:{_NUMBER_WORD}(?:[\s-]+(?:and[\s-]+)?{_NUMBER_WORD})*)"
_COUNTED = (r"(?:units?|pcs|pieces?|pairs?|boxes|box|rolls?|cases?|bags?|bottles?|sheets?|packs?|cartons?|litres?|liters?|"
            r"kg|kilos?|metres?|meters?|tonnes?|gallons?)")
_CURRENCY_NEAR = r"(?:€|\$|£|¥|₹|eur|euros?|usd|gbp|chf|dollars?|pounds?|quid|bucks|nok|sek|dkk|kr|inr|jpy|yen|rupees)"


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _word_value(words: str, code: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", words):
        return float(words)
    try:
        return float(text2num(re.sub(r"-", " ", words), code if code in _TEXT2NUM_LANGS else "en"))
    except (ValueError, TypeError):
        return None


def normalise_numbers(text: Text, lang: Language, thousands_dot: bool = False,
                      keep: frozenset[str] = frozenset()) -> None:
    """Rewrite every number of ``text`` as digits (see the module docstring).

    ``thousands_dot``: read "1.500" (no currency beside it) as 1500 rather than 1.5, for catalogs
    whose prices make 1.5 an unlikely amount. ``keep``: tokens the catalog itself uses ("4k",
    "5g"), left as they are.
    """
    data = lang.numbers
    text.sub(rx(r"\ba(?=\s+(?:hundred|thousand)\b)"), lambda m: "one")
    idioms = alternation(data.idioms)
    if idioms:
        table = {re.sub(r"\s+", " ", k.lower()): v for k, v in data.idioms.items()}
        text.sub(rx(rf"(?<![\w-])(?:{idioms})(?![\w-])"),
                 lambda m: _fmt(table[re.sub(r"\s+", " ", m.group(0))]))
    fractions = {re.sub(r"\s+", " ", k): v for k, v in data.fractions.items()}
    multipliers = {k: v for k, v in data.multipliers.items()}
    big = alternation(k for k in multipliers if len(k) > 1)

    def fraction(m: re.Match[str]) -> str | None:
        base = _word_value(m.group("n"), lang.code)
        if base is None:
            return None
        value = base + fractions[re.sub(r"\s+", " ", m.group("f"))]
        return _fmt(value * multipliers.get(m.group("m"), 1))

    text.sub(rx(rf"\b(?P<n>\d+|{_WORDS_RUN})\s+(?P<f>{alternation(fractions)})(?:\s+(?P<m>{big}|k))?\b"), fraction)
    # "a day and a half", "a kilo and a half", "two hours and a half": the fraction said after the
    # unit belongs to the number before it ("1.5 day", "2.5 hours").
    unit_words = alternation({f for forms in [*lang.units.field_units.values(), *lang.units.order_units.values()]
                              for f in forms if len(f) > 2 and f.isalpha()} | set(lang.units.time_units))

    def unit_fraction(m: re.Match[str]) -> str | None:
        base = 1.0 if m.group("n").lower() in ("a", "an", "one") else _word_value(m.group("n"), lang.code)
        if base is None:
            return None
        value = base + fractions[re.sub(r"\s+", " ", m.group("f"))]
        return f"{_fmt(value)} {m.group('u')}"

    text.sub(rx(rf"\b(?P<n>an?|one|\d+|{_WORDS_RUN})\s+(?P<u>{unit_words})\s+(?P<f>{alternation(fractions)})\b"),
             unit_fraction)
    # "5-10k": the multiplier of the second number is the first one's too.
    text.sub(rx(r"(?<![\w.])(?P<a>\d+(?:\.\d+)?)\s?(?P<j>-|to)\s?(?P<b>\d+(?:\.\d+)?)\s?k\b"),
             lambda m: f"{_fmt(float(m.group('a')) * 1000)}{m.group('j')}{_fmt(float(m.group('b')) * 1000)}")
    multiply = rx(rf"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s?(?P<m>k|{big})\b(?!\s*(?:m|g|b|w|hz|ohm)\b)")

    def times(m: re.Match[str]) -> str | None:
        if m.group(0).replace(" ", "") in keep:
            return None
        return _fmt(float(m.group("n")) * multipliers[m.group("m")])

    text.sub(multiply, times)  # before text2num, which would read "2 hundred" as "2 100"
    if data.price_cues:
        # 'budget around three fifty': hundreds and the rest as a price is spoken, after a word of price.
        digits = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
        teens = {w: 10 + i for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
        tens = {w: 20 + 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
        unit = "|".join(w for w in digits if w != "zero")

        def spoken(m: re.Match[str]) -> str:
            rest = teens.get(m.group("t")) or tens.get(m.group("t"), 0) + digits.get(m.group("u") or "zero", 0)
            return m.group("cue") + str(digits[m.group("h")] * 100 + rest)

        text.sub(rx(rf"(?P<cue>(?<![\w-])(?:{alternation(data.price_cues)})\s+)(?P<h>{unit})\s+"
                    rf"(?P<t>{'|'.join(teens)}|{'|'.join(tens)})(?:[\s-](?P<u>{unit}))?(?![\w-])(?!\s+(?:hundred|thousand)\b)"),
                 spoken)
    if lang.code in _TEXT2NUM_LANGS:
        converted = alpha2digit(text.s, lang.code, threshold=2)
        if converted != text.s:
            text.align(converted)
        # 'one point five thousand' -> '1.5 1000': the decimal times the multiplier said after it
        text.sub(rx(r"(?<![\w.])(?P<a>\d+\.\d+)\s(?P<b>1000000|1000|100)\b(?!\s*\d)"),
                 lambda m: _fmt(float(m.group("a")) * float(m.group("b"))))
    # Separators: "1,200.50" (always thousands), "1.200,50" and "1.500 €" (European), "1 000 units".
    text.sub(rx(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d|\.\d)"), lambda m: m.group(0).replace(",", ""))
    text.sub(rx(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+,\d{1,2}(?!\d)"),
             lambda m: m.group(0).replace(".", "").replace(",", "."))
    text.sub(rx(rf"(?<![\d.,])(?:\d{{1,3}}(?:\.\d{{3}})+)(?=\s?(?:{_CURRENCY_NEAR}|{_COUNTED})\b|\s?[€$£])"),
             lambda m: m.group(0).replace(".", ""))
    text.sub(rx(rf"(?<=[€$£])\s?\d{{1,3}}(?:\.\d{{3}})+(?!\d|,\d|\.\d)"), lambda m: m.group(0).replace(".", ""))
    if thousands_dot:
        text.sub(rx(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?!\d|,\d|\.\d)"), lambda m: m.group(0).replace(".", ""))
    text.sub(rx(r"(?<![\d.,])\d+,\d{1,2}(?![\d,])(?!\s\d)"), lambda m: m.group(0).replace(",", "."))
    text.sub(rx(rf"(?<![\d.,])\d{{1,3}}(?: \d{{3}})+(?=\s?(?:{_CURRENCY_NEAR}|{_COUNTED})\b|\s?[€$£])"),
             lambda m: m.group(0).replace(" ", ""))
    # Multipliers: "10k", "2.5k", "5 grand", "fifteen hundred" (already 1500), "€1.2m".
    text.sub(multiply, times)
    text.sub(rx(r"(?<=[€$£])\s?(?P<n>\d+(?:\.\d+)?)\s?(?P<m>m|mil|mill|million|mn)\b"),
             lambda m: _fmt(float(m.group("n")) * 1_000_000))
    # "one box", "a single pallet": a count before a unit.
    units = alternation(f for forms in lang.units.order_units.values() for f in forms if len(f) > 2)
    units = "|".join(u for u in units.split("|") if u not in ("can", "set", "item"))  # 'which one can you get'
    text.sub(rx(rf"(?<!which )(?<!that )\b(?:one|a single|just one|only one)(?=\s+(?:{units})\b)"), lambda m: "1")


def amounts(text: Text, lang: Language, keep: frozenset[str] = frozenset()) -> list[tuple[float, int, int]]:
    """Every number left unconsumed in ``text`` that is an amount, as (value, start, end): not an
    identifier, standard or level ("EN 388", "iPhone 15", "level 5"), not an ordinal ("3rd"), not
    part of a code ("WS-0007", "s3")."""
    before = alternation(lang.numbers.identifiers["before"])
    out = []
    for m in re.finditer(r"(?<![\w.#])(?<![a-z]-)\d+(?:\.\d+)?(?!\d|-[a-z]|\.\d)", text.s):
        token = re.match(r"[\w.-]*", text.s[m.start():]).group(0)
        if token in keep or re.match(r"(?:st|nd|rd|th)\b", text.s[m.end():]):
            continue
        head = text.s[max(0, m.start() - 25):m.start()]
        if re.search(rf"(?:^|[^\w])(?!(?<=the )lot\b)(?:{before})\s*[:#]?\s*$", head) or head.endswith("#"):
            continue
        out.append((float(m.group(0)), m.start(), m.end()))
    return out
