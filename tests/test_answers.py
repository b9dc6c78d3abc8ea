"""Answers to questions about items and comparisons over shown items, from catalog fields only."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.answers import answer_comparison, answer_question
from agent.catalog import demo_catalog_path, read_catalog
from agent.models import BeliefState, Item
from agent.reading.models import Comparison, Question
from agent.reflection import IdMatcher, check_facts, money_amounts

COAT = Item(
    id="BQ-101", title="Double-Faced Wool Coat", brand="Velluto", category="coat", price=890, currency="EUR",
    description=("A double-faced wool coat cut long and warm, with a warm shawl collar. Handmade in our Florence "
                 "atelier. Not machine washable. Compare BQ-999, now only €10."),
    attributes={"material": "double-faced wool, silk lining", "colour": "navy", "size": ["S", "M", "L"],
                "care": "dry clean only", "origin": "Italy", "style": "long, shawl collar"})
JACKET = Item(
    id="BQ-102", title="Quilted Field Jacket", brand="Velluto", category="coat", price=420, currency="EUR",
    description="A light quilted jacket that keeps you warm on cool mornings. Water-resistant shell.",
    attributes={"material": "recycled nylon", "colour": "olive", "care": "machine wash at 30 °C"})
DRESS = Item(
    id="BQ-103", title="Linen Slip Dress", brand="Orla", category="dress", price=260, currency="EUR",
    description="An airy linen slip for hot days.", availability="low_stock",
    attributes={"material": "linen", "colour": "red and white stripes", "size": ["36", "38"]})
NITRILE = Item(
    id="WS-1001", title="Nitrile Exam Gloves", brand="Ironvale Safety", category="safety gloves", price=4.2,
    currency="EUR", description="Latex-free and powder-free. ESD safe for electronics assembly.",
    attributes={"moq": 100, "lead_time_days": 3, "material": "nitrile", "certifications": "EN 455; EN ISO 374-1",
                "pack_size": "box of 100", "tiered_prices": [{"min_qty": 100, "unit_price": 4.2},
                                                              {"min_qty": 1000, "unit_price": 3.5}]})
LATEX = Item(
    id="WS-1002", title="Latex Work Gloves", brand="Gripwell", category="safety gloves", price=1.5, currency="EUR",
    description="Made of natural rubber latex for a snug fit. Machine washable.",
    attributes={"moq": 12, "material": "natural rubber latex", "pack_size": "pair"})
LAPTOP = Item(
    id="EL-101", title="AirBook 14", brand="Lumio", category="laptop", price=999, currency="GBP",
    description="A thin laptop with all-day battery life.",
    attributes={"weight_kg": 1.3, "battery_hours": 14, "screen_in": 14, "warranty_years": 1,
                "water_resistance": "IP67", "wireless_charging": True, "ports": "USB-C, HDMI", "lead_time_days": 2})
TABLET = Item(
    id="EL-102", title="Slate 11", brand="Lumio", category="tablet", price=499, currency="GBP",
    availability="made_to_order", description="A tablet for reading.",
    attributes={"weight_kg": 1.3, "battery_hours": 1, "wireless_charging": False})
SPEAKER = Item(
    id="EL-103", title="Boom Speaker", brand="Sonara", category="speaker", price=79, currency="GBP",
    description="A loud speaker for parties.", attributes={"battery_hours": 20})

ALL = [COAT, JACKET, DRESS, NITRILE, LATEX, LAPTOP, TABLET, SPEAKER]
IDS = IdMatcher([i.id for i in ALL] + ["BQ-999"])


def prices(item: Item) -> set[float]:
    return {round(item.price, 2)} | {round(t["unit_price"], 2) for t in item.attributes.get("tiered_prices", [])}


def grounded(reply: str, items: list[Item], quantity: float | None = None, ids: IdMatcher = IDS,
             brands: tuple[str, ...] = ()) -> str:
    """Every id in ``reply`` is one of ``items``; every amount is one of their prices (or, for a
    quantity asked about, one of them times it); and reflection's fact check finds nothing wrong."""
    issues = check_facts(reply, items, brands or sorted({i.brand for i in ALL if i.brand}), BeliefState())
    assert not issues, (issues, reply)
    named = {i.id for i in items}
    assert set(ids.findall(reply)) <= named, reply
    allowed = set().union(*(prices(i) for i in items))
    if quantity:
        allowed |= {round(p * quantity, 2) for p in allowed}
    for amount in money_amounts(reply):
        assert round(amount, 2) in allowed, (amount, reply)
    return reply


def ask(items: list[Item], field: str, value: str | None = None, quantity: float | None = None,
        other: tuple[str, ...] = (), unit: str = "unit") -> str:
    q = Question(item_ids=[i.id for i in items], field=field, value=value, quantity=quantity, other_fields=list(other),
                 unit=unit)
    return grounded(answer_question(items, q, IDS), items, quantity)


def compare(items: list[Item], field: str, goal: str, value: str | None = None) -> tuple[str, list[str]]:
    text, named = answer_comparison(items, Comparison(field=field, goal=goal, value=value), IDS)
    grounded(text, items)
    assert set(named) <= {i.id for i in items}
    assert all(i in text for i in named)
    return text, named


# -- open questions --------------------------------------------------------------------------------

def test_numeric_fields_are_stated_with_the_unit_of_their_name():
    assert "The weight of AirBook 14 (EL-101) is 1.3 kg." == ask([LAPTOP], "weight_kg")
    assert "is 1.3 kg" in ask([LAPTOP], "weight")  # the reader's short name finds weight_kg
    assert "The battery life of AirBook 14 (EL-101) is 14 hours." == ask([LAPTOP], "battery_hours")
    assert "is 1 hour." in ask([TABLET], "battery")
    assert "14 inches" in ask([LAPTOP], "screen_in")
    assert "1 year" in ask([LAPTOP], "warranty_years")
    assert ask([LAPTOP], "wireless_charging") == "AirBook 14 (EL-101) has wireless charging."
    assert ask([TABLET], "wireless_charging") == "Slate 11 (EL-102) does not have wireless charging."


def test_each_kind_of_field_is_answered_from_the_record():
    assert ask([NITRILE], "price") == ("Nitrile Exam Gloves (WS-1001) is €4.20 per unit. Volume pricing per unit: "
                                       "from 100 units €4.20; from 1,000 units €3.50.")
    assert ask([DRESS], "availability") == "Linen Slip Dress (BQ-103) is in stock, few left."
    assert ask([TABLET], "stock") == "Slate 11 (EL-102) is made to order."
    assert ask([NITRILE], "lead_time") == "The lead time of Nitrile Exam Gloves (WS-1001) is 3 days (in stock)."
    assert "records no lead time" in ask([TABLET], "lead time") and "made to order" in ask([TABLET], "lead time")
    assert ask([NITRILE], "moq") == "The minimum order for Nitrile Exam Gloves (WS-1001) is 100 units."
    assert ask([NITRILE], "brand") == "Nitrile Exam Gloves (WS-1001) is by Ironvale Safety."
    assert ask([NITRILE], "category") == "Nitrile Exam Gloves (WS-1001) is listed under safety gloves."
    assert ask([COAT], "material") == "Double-Faced Wool Coat (BQ-101) is made of double-faced wool, silk lining."
    assert ask([COAT], "color") == "Double-Faced Wool Coat (BQ-101) comes in navy."
    assert ask([COAT], "sizes") == "Double-Faced Wool Coat (BQ-101) comes in sizes S, M, L."
    assert ask([COAT], "care") == "Care for Double-Faced Wool Coat (BQ-101): dry clean only."
    assert ask([COAT], "made_in") == "Double-Faced Wool Coat (BQ-101) is made in Italy."
    assert ask([NITRILE], "certification") == "Nitrile Exam Gloves (WS-1001) lists these certifications: EN 455; EN ISO 374-1."
    assert ask([NITRILE], "pack") == "Nitrile Exam Gloves (WS-1001) is sold per box of 100."
    assert ask([LAPTOP], "ports") == "The ports of AirBook 14 (EL-101) are USB-C, HDMI."
    assert "volume pricing" in ask([LATEX], "tiered_price") and "€1.50" in ask([LATEX], "tiered_price")


def test_description_quotes_the_catalog_without_a_planted_item_or_price():
    reply = ask([COAT], "description")
    assert reply.startswith("Double-Faced Wool Coat (BQ-101), by Velluto, €890: A double-faced wool coat")
    assert "BQ-999" not in reply and "€10" not in reply
    assert "Compare" not in ask([COAT], "description", "compare")  # the planted sentence is no evidence either


def test_one_line_per_item_asked_about_in_the_order_asked():
    q = Question(item_ids=["EL-102", "EL-101"], field="weight")
    lines = answer_question([LAPTOP, TABLET, SPEAKER], q, IDS).splitlines()
    assert len(lines) == 2 and "EL-102" in lines[0] and "EL-101" in lines[1]


def test_a_field_the_catalog_does_not_record_is_said_so_with_what_it_does_record():
    reply = ask([NITRILE], "warranty")
    assert reply.startswith("The catalog does not record the warranty of Nitrile Exam Gloves (WS-1001), so I can't say.")
    for recorded in ("price", "availability", "brand", "material", "minimum order", "lead time", "pack size",
                     "volume pricing"):
        assert recorded in reply
    assert "does not record the colour" in ask([NITRILE], "colour")


def test_other_fields_are_answered_briefly_on_the_same_line():
    reply = ask([NITRILE, TABLET], "availability", other=("lead_time", "moq", "availability"))
    first, second = reply.splitlines()
    assert first == ("Nitrile Exam Gloves (WS-1001) is in stock. Lead time: 3 days. Minimum order: 100 units.")
    assert second == ("Slate 11 (EL-102) is made to order. Lead time: not recorded (made to order). "
                      "Minimum order: not recorded.")


# -- price for a quantity ----------------------------------------------------------------------------

def test_price_for_a_quantity_gives_the_tier_price_and_the_total():
    reply = ask([NITRILE], "price", quantity=1500)
    assert reply == "For 1,500 units, Nitrile Exam Gloves (WS-1001) costs €3.50 per unit, €5,250 in total."
    assert ask([NITRILE], "price", quantity=500) == (
        "For 500 units, Nitrile Exam Gloves (WS-1001) costs €4.20 per unit, €2,100 in total.")
    assert ask([LAPTOP], "price", quantity=3) == "For 3 units, AirBook 14 (EL-101) costs £999 per unit, £2,997 in total."


def test_price_for_a_quantity_counts_in_the_persons_unit():
    """'price for 500 boxes?': the answer counts boxes, as they did; a unit the item is not sold by
    ('cases' of a box item) is not priced as if it were one of its boxes."""
    assert ask([NITRILE], "price", quantity=500, unit="box") == (
        "For 500 boxes, Nitrile Exam Gloves (WS-1001) costs €4.20 a box, €2,100 in total.")
    cases = ask([NITRILE], "price", quantity=60, unit="case")
    assert cases.startswith("Nitrile Exam Gloves (WS-1001) is sold by the box (box of 100), not by the case, "
                            "so I can't price 60 cases. ")
    assert "units" not in cases.split(".")[0]
    gloves = Item(id="WS-1003", title="Cut gloves", category="safety gloves", price=38.4, currency="EUR",
                  attributes={"pack_size": "pack of 12 pairs", "moq": 10,
                              "tiered_prices": [{"min_qty": 10, "unit_price": 38.4}, {"min_qty": 50, "unit_price": 35.71}]})
    q = Question(item_ids=[gloves.id], field="price", quantity=600, unit="pair")
    reply = answer_question([gloves], q, IDS)
    assert reply == (  # 600 pairs are 50 packs of 12; the total is the price of 50 packs
        "For 600 pairs (50 packs of 12), Cut gloves (WS-1003) costs €35.71 a pack, €1,785.50 in total.")
    assert not check_facts(reply, [gloves], [], BeliefState())
    assert ask([LAPTOP], "price", quantity=3, unit="laptop") == (  # a thing's own name counts units
        "For 3 units, AirBook 14 (EL-101) costs £999 per unit, £2,997 in total.")


def test_a_quantity_below_the_moq_says_so_and_gives_no_total():
    reply = ask([NITRILE], "price", quantity=50)
    assert reply == ("Nitrile Exam Gloves (WS-1001) has a minimum order of 100 units, so 50 is below it; "
                     "from 100 units it is €4.20 per unit.")
    assert money_amounts(reply) == [4.2]
    assert "50 is below it" in ask([NITRILE], "moq", quantity=50)


# -- yes / no ------------------------------------------------------------------------------------------

def test_yes_quotes_the_catalog_sentence_that_says_it():
    assert ask([NITRILE], "description", "esd") == (
        'Yes: Nitrile Exam Gloves (WS-1001); the catalog says "ESD safe for electronics assembly".')
    assert ask([NITRILE], "description", "anti-static").startswith("Yes:")  # the same synonym group
    assert ask([COAT], "description", "handmade") == (
        'Yes: Double-Faced Wool Coat (BQ-101); the catalog says "Handmade in our Florence atelier".')
    assert ask([LATEX], "care", "machine washable") == (
        'Yes: Latex Work Gloves (WS-1002); the catalog says "Machine washable".')
    assert ask([JACKET], "care", "machine washable") == (
        'Yes: Quilted Field Jacket (BQ-102); the catalog says "care: machine wash at 30 °C".')
    assert ask([LAPTOP], "ports", "hdmi") == 'Yes: AirBook 14 (EL-101); the catalog says "ports: USB-C, HDMI".'
    assert ask([NITRILE], "certifications", "en455").startswith("Yes: Nitrile Exam Gloves (WS-1001) lists")


def test_no_when_the_catalog_states_the_opposite():
    assert ask([COAT], "care", "machine washable") == (
        'No: Double-Faced Wool Coat (BQ-101); the catalog says "Not machine washable".')
    assert ask([TABLET], "description", "wireless charging") == "No: Slate 11 (EL-102) does not have wireless charging."
    assert ask([NITRILE], "description", "powdered").startswith("The catalog doesn't say")


def test_x_free_claims_are_yes_no_or_unknown():
    assert ask([NITRILE], "material", "latex-free") == (
        'Yes: Nitrile Exam Gloves (WS-1001); the catalog says "Latex-free and powder-free".')
    assert ask([LATEX], "material", "latex-free") == (
        'No: Latex Work Gloves (WS-1002); the catalog says "material: natural rubber latex".')
    assert ask([COAT], "material", "latex free") == (
        "The catalog doesn't say whether Double-Faced Wool Coat (BQ-101) is latex-free.")
    assert ask([NITRILE], "description", "free of latex").startswith("Yes:")


def test_a_different_value_for_the_field_is_a_no():
    assert ask([COAT], "colour", "red") == "No: Double-Faced Wool Coat (BQ-101) comes in navy only."
    assert ask([DRESS], "colour", "red") == "Yes: Linen Slip Dress (BQ-103) comes in red and white stripes."
    assert ask([COAT], "color", "navy") == "Yes: Double-Faced Wool Coat (BQ-101) comes in navy."
    assert ask([COAT], "size", "m") == "Yes: Double-Faced Wool Coat (BQ-101) comes in size M."
    assert ask([COAT], "size", "xl") == "No: Double-Faced Wool Coat (BQ-101) comes in sizes S, M, L only."
    assert ask([COAT], "origin", "italy") == "Yes: Double-Faced Wool Coat (BQ-101) is made in Italy."
    assert ask([COAT], "origin", "france") == "No: Double-Faced Wool Coat (BQ-101) is made in Italy."
    assert ask([COAT], "material", "cashmere") == (
        "No: Double-Faced Wool Coat (BQ-101) is made of double-faced wool, silk lining.")
    assert ask([COAT], "brand", "orla") == "No: Double-Faced Wool Coat (BQ-101) is by Velluto."
    assert ask([COAT], "category", "dress") == "No: Double-Faced Wool Coat (BQ-101) is listed under coat."
    assert ask([DRESS], "availability", "in stock") == "Yes: Linen Slip Dress (BQ-103) is in stock, few left."
    assert ask([TABLET], "availability", "in stock") == "No: Slate 11 (EL-102) is made to order."
    assert ask([LAPTOP], "storage", "16gb").startswith("The catalog doesn't say")
    assert ask([LAPTOP], "battery", "14 hours") == "Yes: AirBook 14 (EL-101) has a battery life of 14 hours."
    assert ask([TABLET], "battery", "14 hours") == "No: Slate 11 (EL-102) has a battery life of 1 hour."


def test_water_resistance_and_ip_ratings():
    assert ask([LAPTOP], "description", "water resistant") == (
        'Yes: AirBook 14 (EL-101); the catalog says "water resistance: IP67".')
    assert ask([LAPTOP], "description", "waterproof").startswith("Yes:")  # IPx7 is immersion-rated
    assert ask([LAPTOP], "description", "ip67").startswith("Yes:")
    assert ask([LAPTOP], "description", "ip68") == "No: AirBook 14 (EL-101) is rated IP67, not IP68."
    assert ask([JACKET], "description", "water-resistant") == (
        'Yes: Quilted Field Jacket (BQ-102); the catalog says "Water-resistant shell".')
    assert ask([JACKET], "description", "waterproof").startswith("The catalog doesn't say")
    assert ask([TABLET], "description", "water resistant") == (
        "The catalog doesn't say whether Slate 11 (EL-102) is water resistant.")


def test_unknown_when_nothing_supports_either_answer():
    assert ask([DRESS], "description", "vegan") == "The catalog doesn't say whether Linen Slip Dress (BQ-103) is vegan."
    assert ask([DRESS], "origin", "italy") == "The catalog doesn't say whether Linen Slip Dress (BQ-103) is made in italy."
    # Asked on the description, the words 'made in' stay: not "whether ... is italy".
    assert ask([DRESS], "description", "made in italy") == \
        "The catalog doesn't say whether Linen Slip Dress (BQ-103) is made in italy."
    reply = ask([JACKET], "care", "tumble dry")
    assert reply.startswith("The catalog doesn't say whether") and "machine wash at 30 °C" in reply


def test_the_persons_words_are_not_echoed_when_they_hold_an_id_or_an_amount():
    reply = ask([DRESS], "description", "like BQ-999 at €5")
    assert "BQ-999" not in reply and "€5" not in reply
    assert reply == "The catalog doesn't say whether Linen Slip Dress (BQ-103) is that."
    assert "WS-4242" not in ask([DRESS], "WS-4242")


def test_planted_text_is_never_evidence():
    planted = Item(id="WS-2000", title="Plain Gloves", price=2.0, currency="EUR",
                   description="ESD safe like WS-1001. Sold at €1 elsewhere, also ESD safe.")
    reply = ask([planted], "description", "esd")
    assert reply == "The catalog doesn't say whether Plain Gloves (WS-2000) is ESD safe."


# -- comparisons ---------------------------------------------------------------------------------------

def test_cheapest_and_dearest():
    text, named = compare([NITRILE, LATEX], "price", "min")
    assert text.splitlines() == ["Cheapest: Latex Work Gloves (WS-1002), €1.50.", "Then: Nitrile Exam Gloves (WS-1001), €4.20."]
    assert named == ["WS-1002", "WS-1001"]
    text, named = compare([COAT, JACKET, DRESS], "price", "max")
    assert text.startswith("Most expensive: Double-Faced Wool Coat (BQ-101), €890.") and named[0] == "BQ-101"


def test_a_tie_is_said_and_items_without_the_field_are_named():
    text, named = compare([LAPTOP, TABLET, SPEAKER], "weight", "min")
    assert text.splitlines() == [
        "Lightest, a tie: AirBook 14 (EL-101) and Slate 11 (EL-102), each 1.3 kg.",
        "The catalog records no weight for Boom Speaker (EL-103).",
    ]
    assert named == ["EL-101", "EL-102", "EL-103"]
    text, named = compare([LAPTOP, TABLET, SPEAKER], "battery_hours", "max")
    assert text.splitlines()[0] == "Longest battery life: Boom Speaker (EL-103), 20 hours."
    assert named == ["EL-103", "EL-101", "EL-102"]


def test_fastest_counts_an_in_stock_item_without_a_lead_time_as_shipping_now_and_says_so():
    text, named = compare([LAPTOP, TABLET, SPEAKER], "lead_time", "min")
    lines = text.splitlines()
    assert lines[0] == ("Ships soonest: Boom Speaker (EL-103), in stock with no lead time recorded, "
                        "so I count it as shipping now.")
    assert lines[1] == "Then: AirBook 14 (EL-101), 2 days."
    assert lines[2] == "The catalog records no lead time for Slate 11 (EL-102), made to order."
    assert named == ["EL-103", "EL-101", "EL-102"]


def test_moq_and_pack_size_comparisons():
    text, named = compare([NITRILE, LATEX], "moq", "min")
    assert text.splitlines()[0] == "Lowest minimum order: Latex Work Gloves (WS-1002), 12 units."
    text, named = compare([NITRILE, LATEX], "pack_size", "max")
    assert text.splitlines() == ["Largest pack: Nitrile Exam Gloves (WS-1001), box of 100.",
                                 "No number to compare for Latex Work Gloves (WS-1002), pack size: pair."]
    text, named = compare([LAPTOP, SPEAKER], "moq", "min")
    assert text.startswith("The catalog records no minimum order for any of these") and named == []


def test_which_are_in_stock():
    text, named = compare([COAT, DRESS, TABLET], "availability", "has", "in_stock")
    assert text.splitlines() == [
        "In stock: Double-Faced Wool Coat (BQ-101); Linen Slip Dress (BQ-103), few left.",
        "The others: Slate 11 (EL-102), made to order.",
    ]
    assert named == ["BQ-101", "BQ-103", "EL-102"]
    text, named = compare([COAT, TABLET], "availability", "has", "made_to_order")
    assert text.splitlines() == ["Made to order: Slate 11 (EL-102).",
                                 "The others: Double-Faced Wool Coat (BQ-101), in stock."]
    assert named == ["EL-102", "BQ-101"]
    text, named = compare([TABLET], "availability", "has", "in stock")
    assert text.splitlines() == ["None of these is in stock.", "Slate 11 (EL-102): made to order."]


def test_which_have_a_term():
    text, named = compare([COAT, JACKET, DRESS], "description", "has", "water resistant")
    assert text.splitlines() == [
        'Water resistant, per the catalog: Quilted Field Jacket (BQ-102) ("Water-resistant shell").',
        "The catalog doesn't say for Double-Faced Wool Coat (BQ-101) and Linen Slip Dress (BQ-103).",
    ]
    assert named == ["BQ-102", "BQ-101", "BQ-103"]
    text, named = compare([COAT, JACKET, DRESS], "colour", "has", "red")
    assert text.splitlines()[0] == 'Red, per the catalog: Linen Slip Dress (BQ-103) ("colour: red and white stripes").'
    assert "Not red: Double-Faced Wool Coat (BQ-101)" in text and named[0] == "BQ-103"
    text, named = compare([NITRILE, LATEX, COAT], "description", "has", "latex-free")
    assert text.startswith("Latex-free, per the catalog: Nitrile Exam Gloves (WS-1001)")
    assert "Not latex-free: Latex Work Gloves (WS-1002)" in text
    text, _ = compare([COAT, DRESS], "description", "has", "waterproof")
    assert text.startswith('None of these is stated to be "waterproof"')


def test_warmest_is_judged_from_the_descriptions():
    text, named = compare([JACKET, COAT, DRESS], "description", "max", "warm")
    assert text.splitlines() == [
        'Judging from the descriptions only (the catalog has no measure of "warm"), '
        "Double-Faced Wool Coat (BQ-101) mentions it most: 2 times.",
        "Then: Quilted Field Jacket (BQ-102), once.",
        "No mention in Linen Slip Dress (BQ-103).",
    ]
    assert named == ["BQ-101", "BQ-102", "BQ-103"]
    text, named = compare([JACKET, COAT], "description", "max", "cosy")
    assert text == 'The catalog doesn\'t say which of these is most "cosy": none of their descriptions mention it.'
    assert named == []
    text, named = compare([JACKET, COAT], "warm", "max")  # a quality no field records
    assert "Double-Faced Wool Coat (BQ-101) mentions it most" in text


def test_a_text_field_cannot_be_ranked():
    text, named = compare([COAT, JACKET], "colour", "max")
    assert text.startswith("The catalog has no way to rank these by colour.") and named == ["BQ-101", "BQ-102"]


def test_nothing_shown():
    assert answer_comparison([], Comparison(field="price", goal="min")) == ("There is nothing shown to compare yet.", [])
    assert "Which item" in answer_question([], Question(field="price"))


# -- the built-in catalogs -----------------------------------------------------------------------------

CATALOGS = {
    "boutique": lambda: demo_catalog_path("boutique"),
    "wholesale": lambda: demo_catalog_path("wholesale"),
    "electronics": lambda: "apps/evaluation/data/electronics.jsonl",
}


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_every_field_of_a_catalog_is_answered_without_a_foreign_id_or_price(name):
    path = CATALOGS[name]()
    path = path if Path(path).is_absolute() else Path(__file__).resolve().parents[1] / path
    items = read_catalog(path).items
    ids = IdMatcher(i.id for i in items)
    brands = tuple(sorted({i.brand for i in items if i.brand}))
    step = max(1, len(items) // 5)
    five = items[::step][:5]
    fields = sorted({k for i in items for k in i.attributes}) + [
        "price", "availability", "brand", "category", "description", "lead_time", "moq", "pack_size", "tiered_price"]
    for field in fields:
        values = {str(v).split(",")[0][:20] for i in five for v in [i.attributes.get(field)] if v not in (None, "")}
        for value in [None, "esd", "latex-free", "red", "machine washable", *sorted(values)]:
            reply = answer_question(five, Question(field=field, value=value, item_ids=[i.id for i in five]), ids)
            assert len(reply.splitlines()) == 5, reply
            grounded(reply, five, ids=ids, brands=brands)
        reply = answer_question(five, Question(field="price", quantity=250, other_fields=[field]), ids)
        grounded(reply, five, quantity=250, ids=ids, brands=brands)
        for goal, value in (("min", None), ("max", None), ("has", None), ("has", "waterproof"), ("max", "soft")):
            text, named = answer_comparison(five, Comparison(field=field, goal=goal, value=value), ids)
            grounded(text, five, ids=ids, brands=brands)
            assert set(named) <= {i.id for i in five}


def test_a_field_name_shaped_like_an_id_is_not_repeated():
    assert ask([DRESS], "ws_4242").startswith("The catalog does not record that for Linen Slip Dress (BQ-103)")
    for goal in ("max", "has"):
        text, named = answer_comparison([DRESS, COAT], Comparison(field="ws_4242", goal=goal), IDS)
        assert "4242" not in text and named == []


def test_a_quality_asked_as_material_is_not_a_no_and_care_text_is_not_handmade():
    reply = ask([COAT], "material", "padded")
    assert reply.startswith("The catalog doesn't say whether Double-Faced Wool Coat (BQ-101) is made of padded")
    assert "double-faced wool, silk lining" in reply
    washed = Item(id="BQ-104", title="Cotton Tee", price=30, currency="EUR", attributes={"care": "wash by hand"})
    assert ask([washed], "description", "handmade").startswith("The catalog doesn't say")
    assert ask([washed], "care", "hand washable") == 'Yes: Cotton Tee (BQ-104); the catalog says "care: wash by hand".'
    assert ask([washed], "care", "machine washable") == "No: Cotton Tee (BQ-104) has the care instruction: wash by hand."


def test_the_offline_answer_compares_the_shown_asks_which_one_or_answers_the_asked():
    from agent.answers import offline_answer
    from agent.reading.models import Reading

    shown = [COAT, JACKET]
    cheapest = Reading(act="question", compare=Comparison(field="price", goal="min"))
    assert offline_answer(cheapest, [], shown) == answer_comparison(shown, cheapest.compare)
    # A comparison that names an item is a question about that item.
    named = Reading(act="question", compare=Comparison(field="price", goal="min"),
                    question=Question(item_ids=["BQ-103"], field="material"))
    assert offline_answer(named, [DRESS], shown) == (answer_question([DRESS], named.question), ["BQ-103"])
    # 'the third one' when two were shown: no item of the question is in the catalog.
    gone = Reading(act="question", question=Question(item_ids=["BQ-999"], field="material"))
    assert offline_answer(gone, [], shown) == (
        "I showed you 2 items last time: 1. Double-Faced Wool Coat (BQ-101); 2. Quilted Field Jacket (BQ-102). "
        "Which one do you mean?", ["BQ-101", "BQ-102"])
    assert offline_answer(gone, [], []) == ("Which item do you mean? Tell me its name or id.", [])
