"""The one money module (``agent/money.py``): amounts as written in any currency a catalog uses,
and reflection's fact check catching a wrong price in each of them. Examples first, as the reader's
corpora are: each written amount with the value and currency it must produce."""

from __future__ import annotations

import pytest

from agent.models import BeliefState, Item
from agent.money import amounts_in, number_readings, parse_price
from agent.reflection import Draft, check_draft

WRITTEN = [
    # (text, [(value, currency)]): the most likely reading of each amount in it.
    ("€1,250", [(1250.0, "EUR")]),
    ("$1.2k", [(1200.0, "USD")]),
    ("300 EUR", [(300.0, "EUR")]),
    ("¥12,000", [(12000.0, "JPY")]),
    ("12,000 JPY", [(12000.0, "JPY")]),
    ("CHF 1'200", [(1200.0, "CHF")]),
    ("1’200 CHF", [(1200.0, "CHF")]),
    ("980 Fr.", [(980.0, "CHF")]),
    ("₹ 5,000", [(5000.0, "INR")]),
    ("Rs. 4,999", [(4999.0, "INR")]),
    ("1.500,00 €", [(1500.0, "EUR")]),
    ("1 500 kr", [(1500.0, None)]),
    ("1\u00a0500,50 kr", [(1500.5, None)]),
    ("2\u202f400 SEK", [(2400.0, "SEK")]),
    ("US$40 or A$60", [(40.0, "USD"), (60.0, "AUD")]),
    ("300 euros, 20 quid", [(300.0, "EUR")]),
    ("a 6 ft cable, 3 pairs, size 40", []),
    ("BQ-019 (in stock)", []),
]


@pytest.mark.parametrize(("text", "expected"), WRITTEN, ids=[t for t, _ in WRITTEN])
def test_amounts_as_written(text, expected):
    assert [(a.value, a.currency) for a in amounts_in(text)] == expected


def test_an_ambiguous_number_keeps_both_readings():
    assert number_readings("1.500") == (1500.0, 1.5)
    assert number_readings("1,500") == (1500.0, 1.5)
    assert number_readings("12,50") == (12.5,)
    assert number_readings("1.250,50") == (1250.5,)
    assert number_readings("1,250.50") == (1250.5,)
    assert amounts_in("1 500 kr")[0].currencies == {"SEK", "NOK", "DKK", "ISK"}


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("CHF 1'200", 1200.0, "CHF"), ("¥12,000", 12000.0, "JPY"), ("₹4,999", 4999.0, "INR"),
    ("1 500 kr", 1500.0, None), ("1.500,00 €", 1500.0, "EUR"), ("US$5", 5.0, "USD"),
])
def test_a_catalog_price_field_in_any_currency(text, amount, currency):
    assert parse_price(text) == (amount, currency)


def _item(price: float, currency: str) -> Item:
    return Item(id="X-101", title="Walnut Desk Lamp", brand="Lumen", category="lamp", price=price,
                currency=currency, availability="in_stock")


def _issues(text: str, item: Item) -> list[str]:
    draft = Draft(text=text, item_ids=[item.id])
    return [i.detail for i in check_draft(draft, "recommend", {item.id: item}, {item.id}, BeliefState(),
                                          [item.brand], [], [])]


CHECKED = [
    # (catalog price, currency, the reply's right price, a wrong one)
    (12000.0, "JPY", "¥12,000", "¥15,000"),
    (12000.0, "JPY", "12,000 JPY", "9,800 JPY"),
    (1200.0, "CHF", "CHF 1'200", "CHF 1'500"),
    (1200.0, "CHF", "1.200,00 CHF", "1.150,00 CHF"),
    (4999.0, "INR", "₹4,999", "₹5,999"),
    (1500.0, "SEK", "1 500 kr", "1 800 kr"),
    (1500.0, "NOK", "kr 1.500", "kr 1.950"),
    (1500.0, "EUR", "1.500,00 €", "1.800,00 €"),
]


@pytest.mark.parametrize(("price", "currency", "right", "wrong"), CHECKED, ids=[c[3] for c in CHECKED])
def test_reflection_checks_prices_in_every_currency(price, currency, right, wrong):
    item = _item(price, currency)
    assert _issues(f"1. Walnut Desk Lamp by Lumen (X-101), {right}, in stock.", item) == []
    issues = _issues(f"1. Walnut Desk Lamp by Lumen (X-101), {wrong}, in stock.", item)
    assert len(issues) == 1 and "states a price of" in issues[0], issues


def test_the_right_number_in_another_currency_is_a_wrong_price():
    item = _item(480.0, "EUR")
    issues = _issues("1. Walnut Desk Lamp by Lumen (X-101), $480, in stock.", item)
    assert issues == ["states a price in USD but the catalog prices Walnut Desk Lamp in EUR"]
    assert _issues("1. Walnut Desk Lamp by Lumen (X-101), 480 kr, in stock.", _item(480.0, "DKK")) == []
