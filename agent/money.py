"""Money: the currencies catalogs price in, and amounts as people and models write them.

One module for reading and checking prices in any currency a catalog uses: catalog ingestion reads
a price field with :func:`parse_price`; reflection's fact check finds every amount a reply states
with :func:`amounts_in` (``¥12,000``, ``CHF 1'200``, ``1.500,00 €``, ``1 500 kr``, ``₹ 5,000``) and
compares it with the catalog; the reader's money pass (``agent/reading/money.py``) takes the
currency symbols it knows from :data:`SYMBOLS`. Currency *words* ('euros', 'quid', 'bucks') are
language data: the reader's ``lang/<code>/money.toml`` and :data:`WORDS` for English prose.

A written number can be ambiguous ('1.500' is 1500 in Germany, 1.5 in England; '1,500' the other
way round): :class:`Amount` keeps every reading, most likely first, and a check accepts an amount
when any reading is right (a price is never flagged for how it was punctuated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SYMBOLS: dict[str, str] = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR"}
"""Currency symbols -> ISO 4217 code (``$`` alone is read as US dollars)."""
PREFIXED: dict[str, str] = {"US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD",
                            "R$": "BRL", "CN¥": "CNY", "JP¥": "JPY"}
"""Symbols with a country prefix."""
ABBREVIATIONS: dict[str, str | None] = {"kr": None, "kr.": None, "fr.": "CHF", "sfr.": "CHF", "rs": "INR",
                                        "rs.": "INR", "zł": "PLN", "kč": "CZK"}
"""Local abbreviations written beside an amount; ``kr`` is the krona or krone of Sweden, Norway,
Denmark or Iceland (None: the catalog's own currency says which). Not 'Ft' (forint): '6 ft' is
a length far more often."""
KRONA = frozenset({"SEK", "NOK", "DKK", "ISK"})
"""The currencies ``kr`` may stand for."""
CODES = frozenset({
    "EUR", "USD", "GBP", "JPY", "CNY", "INR", "CHF", "SEK", "NOK", "DKK", "ISK", "PLN", "CZK", "HUF",
    "AUD", "CAD", "NZD", "HKD", "SGD", "BRL", "MXN", "ZAR", "KRW", "AED", "THB", "TWD",
})
"""ISO 4217 codes written beside an amount ('300 EUR', 'CHF 980'), in either case; not the codes
that are English words beside a number ('2 try')."""
WORDS: dict[str, str | None] = {
    "euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP",
    "yen": "JPY", "rupee": "INR", "rupees": "INR", "franc": "CHF", "francs": "CHF", "swiss francs": "CHF",
    "krona": "SEK", "kronor": "SEK", "krone": None, "kroner": None, "yuan": "CNY",
}
"""English currency words written after an amount ('300 euros'); 'krone(r)' is Danish or Norwegian."""

_NUMBER = r"\d{1,3}(?:(?:,|\.|'|’| |\u00a0|\u202f)\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?"
"""Digits grouped in thousands by a comma, point, apostrophe or (narrow, no-break) space, with
optional decimals; or plain digits with optional decimals."""


def _alternation(signs) -> str:
    return "|".join(re.escape(s) for s in sorted(signs, key=len, reverse=True))


_BEFORE = _alternation([*PREFIXED, *SYMBOLS, *CODES, *ABBREVIATIONS])
_AFTER = _alternation([*SYMBOLS, *CODES, *ABBREVIATIONS, *WORDS])
_AMOUNT = re.compile(
    rf"(?:(?<![\w$])(?P<pre>{_BEFORE})\s?(?P<a>{_NUMBER})(?P<k1>k)?(?![\w.,]?\d))"
    rf"|(?:(?<![\w.,'’])(?P<b>{_NUMBER})(?P<k2>k)?\s?(?P<post>{_AFTER})(?![\w$]))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """An amount of money written in a text."""

    readings: tuple[float, ...]
    """What the written number may mean, most likely first ('1.500' -> (1500.0, 1.5))."""
    currency: str | None
    """ISO 4217 code, or None when the sign does not say (``kr``, 'kroner')."""
    currencies: frozenset[str]
    """Every currency the sign may stand for (``kr``: the kronor and kroner)."""
    start: int
    end: int

    @property
    def value(self) -> float:
        return self.readings[0]


def currency_of(sign: str) -> tuple[str | None, frozenset[str]]:
    """The ISO code a currency sign stands for (None when it does not say which) and every code it
    may stand for: ``'¥'`` -> JPY; ``'kr'`` -> None, the four kronor and kroner."""
    key = re.sub(r"\s+", " ", sign.strip())
    up, low = key.upper(), key.lower()
    code = SYMBOLS.get(key) or PREFIXED.get(up) or (up if up in CODES else None)
    if code:
        return code, frozenset({code})
    if low in ("kr", "kr."):
        return None, KRONA
    if low in ("krone", "kroner"):
        return None, frozenset({"NOK", "DKK"})
    code = ABBREVIATIONS.get(low) or WORDS.get(low)
    return code, (frozenset({code}) if code else frozenset())


def number_readings(written: str) -> tuple[float, ...]:
    """What a written number may mean, most likely first.

    '1,250.50' and '1.250,50': whichever separator comes last is the decimal point; '1 500',
    "1'200": thousands; '12,50': a decimal comma; '1,500' and '1.500': thousands first, then a
    decimal (1.5), since both are written.
    """
    s = re.sub(r"[ \u00a0\u202f'’]", "", written)
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            return (float(s.replace(".", "").replace(",", ".")),)
        return (float(s.replace(",", "")),)
    sep = "," if "," in s else "." if "." in s else ""
    if not sep:
        return (float(s),)
    if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+", s):
        grouped = float(s.replace(sep, ""))
        return (grouped, float(s.replace(",", "."))) if s.count(sep) == 1 else (grouped,)
    if s.count(sep) == 1:
        return (float(s.replace(",", ".")),)
    raise ValueError(f"{written!r} is not a number")


def amounts_in(text: str) -> list[Amount]:
    """Every amount of money written in ``text`` with its currency, in any currency and the common
    locale formats: '€1,250', '$1.2k', '300 EUR', 'CHF 1'200', '¥12,000', '₹ 5,000',
    '1.500,00 €', '1 500 kr', '980 francs'. A bare number is not money."""
    out = []
    for m in _AMOUNT.finditer(text):
        written = m.group("a") or m.group("b")
        try:
            readings = number_readings(written)
        except ValueError:
            continue
        if m.group("k1") or m.group("k2"):
            readings = tuple(round(r * 1000, 2) for r in readings)
        currency, currencies = currency_of(m.group("pre") or m.group("post"))
        out.append(Amount(readings, currency, currencies, m.start(), m.end()))
    return out


def parse_price(value: Any) -> tuple[float, str | None]:
    """Read a catalog's price field written any common way; return ``(amount, currency code or None)``.

    Accepts ``12.5``, ``"1,250.00"``, ``"€12.50"``, ``"12.5 EUR"``, ``"12,50"`` (decimal comma),
    ``"1.250,00 €"``, ``"CHF 1'200"``, ``"¥12,000"``, ``"1 500 kr"`` (currency None: ``kr`` does not
    say which krona). Raises ValueError with a reason when no single number can be read.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value), None
    text = str(value).strip()
    if not text:
        raise ValueError("price is empty")
    currency = None
    for symbol, code in {**PREFIXED, **SYMBOLS, "CHF": "CHF"}.items():
        if symbol in text:
            currency = code
            text = text.replace(symbol, " ")
    code_match = re.search(r"(?<![A-Za-z])([A-Za-z]{3})(?![A-Za-z])", text)
    if code_match:
        currency = code_match.group(1).upper()
        text = text[: code_match.start()] + " " + text[code_match.end() :]
    else:
        sign = re.search(rf"(?<![\w])(?:{_alternation(ABBREVIATIONS)})(?![\w])", text, re.IGNORECASE)
        if sign:
            currency = currency_of(sign.group(0))[0]
            text = text[: sign.start()] + " " + text[sign.end() :]
    text = re.sub(r"[ \u00a0\u202f'’]", "", text)
    if not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", text):
        raise ValueError(f"{value!r} is not a price")
    sign = -1.0 if text.startswith("-") else 1.0
    digits = text.lstrip("+-")
    if "," in digits and "." in digits:
        # Whichever separator comes last is the decimal point: 1,250.00 vs 1.250,00.
        if digits.rfind(",") > digits.rfind("."):
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
    elif "," in digits:
        # "1,250" and "12,500,000" group thousands; "12,50" is a decimal comma.
        if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
            digits = digits.replace(",", "")
        elif digits.count(",") == 1:
            digits = digits.replace(",", ".")
        else:
            raise ValueError(f"{value!r} is not a price")
    elif digits.count(".") > 1:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):
            digits = digits.replace(".", "")
        else:
            raise ValueError(f"{value!r} is not a price")
    try:
        return sign * float(digits), currency
    except ValueError:
        raise ValueError(f"{value!r} is not a price") from None
