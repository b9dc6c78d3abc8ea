"""Answers to questions about items, from their catalog records only.

:func:`answer_question` answers a :class:`~agent.reading.models.Question` (one line per item asked
about): an open question states the field ('The weight of ... is 1.3 kg.'), a yes/no question
('is it ESD safe?', ``value`` set) says "Yes:" or "No:" quoting the catalog's own words, or says the
catalog doesn't say. :func:`answer_comparison` answers a :class:`~agent.reading.models.Comparison`
over the items shown ('which ships fastest', 'any of those waterproof?'). :func:`offline_answer`
picks between them for a reading, as the ``answer`` node does first and ``revise`` does again.

Grounding: every fact comes from the item's record; free catalog text is passed through
:func:`agent.dialogue.catalog_text` before it is quoted (so a planted sentence cannot name another
item or price); the only amounts written are an item's own price, its tier prices and, for a
quantity asked about, a tier price times that quantity; words the person typed are echoed only when
they hold no id and no amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Literal

from agent.dialogue import AVAILABILITY_WORDS, catalog_text, money, unit_price_for
from agent.models import Item, claims_absence, fold, free_of, mentions_positively
from agent.reading.models import Comparison, Question, Reading
from agent.reflection import GENERIC_IDS, IdMatcher, money_amounts

# -- fields --------------------------------------------------------------------------------------

_CORE = {
    "price": "price", "prices": "price", "cost": "price", "unit_price": "price",
    "tiered_price": "tiers", "tiered_prices": "tiers", "tiers": "tiers", "volume_pricing": "tiers",
    "bulk_pricing": "tiers", "price_tiers": "tiers",
    "availability": "availability", "stock": "availability", "in_stock": "availability",
    "brand": "brand", "maker": "brand", "designer": "brand", "manufacturer": "brand", "label": "brand",
    "category": "category", "type": "category", "kind": "category",
    "description": "description", "details": "description", "more": "description", "about": "description",
    "title": "description", "features": "description", "specs": "description", "quality": "description",
}
"""Fields every item has (not attributes), by the names a question may use."""

_ALIASES: dict[str, tuple[str, ...]] = {
    "colour": ("colour", "color", "colours", "colors", "colourway", "colorway"),
    "size": ("size", "sizes", "sizing"),
    "material": ("material", "materials", "fabric", "fabrics", "made_of", "composition"),
    "care": ("care", "care_instructions", "washing", "care_label"),
    "origin": ("origin", "made_in", "country", "country_of_origin", "made"),
    "certifications": ("certifications", "certification", "certs", "cert", "standards", "standard", "compliance"),
    "pack_size": ("pack_size", "pack", "packs", "pack_sizes", "packaging", "case_size", "pack_count"),
    "lead_time_days": ("lead_time_days", "lead_time", "leadtime", "lead", "delivery", "delivery_time",
                       "shipping_time", "turnaround"),
    "moq": ("moq", "minimum_order", "min_order", "minimum_order_quantity", "minimum", "minimums"),
}
"""Attribute names by the names a question may use (the first is the canonical one)."""

_UNITS: dict[str, tuple[str, str]] = {
    "kg": ("kg", "kg"), "g": ("g", "g"), "mg": ("mg", "mg"), "lb": ("lb", "lb"), "lbs": ("lb", "lb"),
    "oz": ("oz", "oz"), "hours": ("hour", "hours"), "hrs": ("hour", "hours"), "h": ("hour", "hours"),
    "minutes": ("minute", "minutes"), "min": ("minute", "minutes"), "days": ("day", "days"),
    "weeks": ("week", "weeks"), "months": ("month", "months"), "years": ("year", "years"),
    "in": ("inch", "inches"), "inch": ("inch", "inches"), "inches": ("inch", "inches"), "cm": ("cm", "cm"),
    "mm": ("mm", "mm"), "m": ("m", "m"), "km": ("km", "km"), "m2": ("m²", "m²"), "sqm": ("m²", "m²"),
    "ml": ("ml", "ml"), "l": ("L", "L"), "gb": ("GB", "GB"), "tb": ("TB", "TB"), "mb": ("MB", "MB"),
    "mp": ("MP", "MP"), "hz": ("Hz", "Hz"), "khz": ("kHz", "kHz"), "w": ("W", "W"), "kw": ("kW", "kW"),
    "v": ("V", "V"), "mah": ("mAh", "mAh"), "wh": ("Wh", "Wh"), "db": ("dB", "dB"), "dpi": ("DPI", "DPI"),
    "pct": ("%", "%"), "percent": ("%", "%"), "c": ("°C", "°C"), "mbps": ("Mbps", "Mbps"),
}
"""A unit written as the last part of a numeric field's name ('weight_kg') -> (singular, plural)."""
_WHOLE_NAME_UNITS = {"megapixels": "MP", "dpi": "DPI", "wattage": "W", "watts": "W"}

_LABELS = {
    "lead_time_days": "lead time", "moq": "minimum order", "pack_size": "pack size", "battery": "battery life",
    "battery_with_case": "battery life with the case", "screen": "screen size", "ram": "RAM",
    "refresh": "refresh rate", "webcam": "webcam resolution", "storage": "storage", "warranty": "warranty",
    "colour": "colour", "certifications": "certifications", "dpi": "DPI", "gps": "GPS", "tiers": "volume pricing",
}

_SUPERLATIVES = {
    ("price", "min"): "Cheapest", ("price", "max"): "Most expensive",
    ("lead_time_days", "min"): "Ships soonest", ("lead_time_days", "max"): "Longest lead time",
    ("moq", "min"): "Lowest minimum order", ("moq", "max"): "Highest minimum order",
    ("pack_size", "min"): "Smallest pack", ("pack_size", "max"): "Largest pack",
    ("availability", "min"): "Least available", ("availability", "max"): "Most readily available",
    ("weight", "min"): "Lightest", ("weight", "max"): "Heaviest",
    ("battery", "min"): "Shortest battery life", ("battery", "max"): "Longest battery life",
    ("screen", "min"): "Smallest screen", ("screen", "max"): "Largest screen",
    ("warranty", "min"): "Shortest warranty", ("warranty", "max"): "Longest warranty",
    ("storage", "min"): "Least storage", ("storage", "max"): "Most storage",
    ("ram", "min"): "Least RAM", ("ram", "max"): "Most RAM",
    ("length", "min"): "Shortest", ("length", "max"): "Longest",
}

_AVAILABILITY_RANK = {"in_stock": 3, "low_stock": 2, "made_to_order": 1, "out_of_stock": 0}


def _key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", str(name or "").strip().lower()).strip("_")


_FIXED = frozenset({"price", "availability", "brand", "category", "description", "tiered_prices", "title"})


def _canonical(field: str, items: Iterable[Item] = ()) -> str:
    """A question's field name as this module names it: 'color' -> 'colour', 'lead_time' -> 'lead_time_days'.
    An attribute the ``items`` record under that very name ('type', 'stock') is that attribute."""
    f = _key(field) or "description"
    if f not in _FIXED and any(f in {k.lower() for k in i.attributes} for i in items):
        return f
    if f in _CORE:
        return _CORE[f]
    for canonical, names in _ALIASES.items():
        if f in names:
            return canonical
    return f


def _attribute_key(item: Item, canonical: str) -> str | None:
    """The item's attribute that holds ``canonical`` ('weight' -> 'weight_kg'), or None."""
    keys = {k.lower(): k for k in item.attributes if k != "tiered_prices"}
    names = _ALIASES.get(canonical, (canonical,))
    for name in names:
        if name in keys:
            return keys[name]
    for name in names:  # 'weight' -> 'weight_kg', 'battery' -> 'battery_hours' (the shortest such key)
        longer = sorted((k for k in keys if k.startswith(name + "_")), key=len)
        if longer:
            return keys[longer[0]]
    for name in names:  # 'weight_kg' asked, the item says 'weight'
        shorter = sorted((k for k in keys if name.startswith(k + "_")), key=len, reverse=True)
        if shorter:
            return keys[shorter[0]]
    return None


def _split_unit(name: str) -> tuple[str, tuple[str, str] | None]:
    """'weight_kg' -> ('weight', ('kg', 'kg')); 'battery_hours' -> ('battery', ('hour', 'hours'))."""
    name = name.lower()
    if name in _WHOLE_NAME_UNITS:
        unit = _WHOLE_NAME_UNITS[name]
        return name, (unit, unit)
    stem, _, last = name.rpartition("_")
    if stem and last in _UNITS:
        return stem, _UNITS[last]
    return name, None


def _label(name: str) -> str:
    """How a field is named in a reply: 'weight_kg' -> 'weight', 'battery_hours' -> 'battery life'."""
    name = _key(name)
    if name in _LABELS:
        return _LABELS[name]
    stem, _ = _split_unit(name)
    return _LABELS.get(stem, stem.replace("_", " "))


def _num(value: float) -> str:
    """1.3 -> '1.3', 2000 -> '2,000', 0.125 -> '0.125'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _with_unit(value: float, name: str) -> str:
    """A numeric field's value with the unit its name carries: ('weight_kg', 1.3) -> '1.3 kg'."""
    _, unit = _split_unit(name)
    if unit is None:
        return _num(value)
    one, many = unit
    word = one if float(value) == 1 else many
    return f"{_num(value)}{'' if word in ('%', '°C') else ' '}{word}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_NUMBER_WITH_UNIT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z%°²]{0,6})\s*")


def _number_of(value: Any) -> float | None:
    """A number, or a string that is just a number with a unit ('2 m'); None otherwise."""
    if _is_number(value):
        return float(value)
    m = _NUMBER_WITH_UNIT.fullmatch(str(value)) if isinstance(value, str) else None
    return float(m.group(1)) if m else None


def _has_flag(label: str, flag: bool) -> str:
    """'has wireless charging' / 'is backlit' / 'does not have GPS' / 'is not waterproof'."""
    adjective = re.search(r"(?:ed|lit|able|ible|proof|safe|free)$", label) is not None
    if adjective:
        return f"is {label}" if flag else f"is not {label}"
    return f"has {label}" if flag else f"does not have {label}"


def _pack_count(value: Any) -> float | None:
    """'pack of 12 pairs' -> 12, 100 -> 100, 'pair' -> None."""
    if _is_number(value):
        return float(value)
    m = re.search(r"\b(\d[\d,]*)\b", str(value or ""))
    return float(m.group(1).replace(",", "")) if m else None


# -- safe text -----------------------------------------------------------------------------------

def _safe(text: Any, item: Item, ids: IdMatcher) -> str:
    return catalog_text(str(text), item, ids).strip()


def _name(item: Item, ids: IdMatcher) -> str:
    return f"{_safe(item.title, item, ids) or 'This item'} ({item.id})"


def _echo(words: str | None, ids: IdMatcher, fallback: str = "that") -> str:
    """The person's own words, repeated only when they hold no id and no amount."""
    words = re.sub(r"\s+", " ", str(words or "")).strip(" ?!.")
    probes = (words, words.upper(), re.sub(r"[\s_]+", "-", words.upper()))
    if not words or any(ids.findall(p) for p in probes) or money_amounts(words) or re.search(r"[€$£¥]", words):
        return fallback
    return words


def _value_text(value: Any, name: str, item: Item, ids: IdMatcher) -> str:
    """An attribute value as a reply states it ('' when nothing of it may be quoted)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_number(value):
        return _with_unit(float(value), name)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return _safe(value, item, ids)


def _recorded_fields(item: Item) -> str:
    known = [_label(k) for k in sorted(item.attributes) if k != "tiered_prices"]
    if item.attributes.get("tiered_prices"):
        known.append("volume pricing")
    return ", ".join(dict.fromkeys(["price", "availability", *(["brand"] if item.brand else []), "category",
                                    "description", *known]))


def _not_recorded(item: Item, canonical: str, ids: IdMatcher) -> str:
    label = _echo(_label(canonical), ids, "")
    what = f"the {label} of" if label else "that for"
    return (f"The catalog does not record {what} {_name(item, ids)}, so I can't say. "
            f"It does record: {_recorded_fields(item)}.")


def _tiers(item: Item) -> list[dict]:
    return sorted((t for t in item.attributes.get("tiered_prices") or []
                   if isinstance(t, dict) and "min_qty" in t and "unit_price" in t), key=lambda t: int(t["min_qty"]))


def _tier_text(item: Item) -> str:
    steps = "; ".join(f"from {int(t['min_qty']):,} units {money(float(t['unit_price']), item.currency)}"
                      for t in _tiers(item))
    return f"Volume pricing per unit: {steps}."


# -- open answers ----------------------------------------------------------------------------------

def _packs() -> frozenset[str]:
    """The units an order is counted in other than single items ('case', 'box', 'carton', 'pair')."""
    from agent.reading.lexicon import language

    return frozenset(language("en").units.order_units) - {"unit", "piece", "item"}


def _price_answer(item: Item, quantity: float | None, ids: IdMatcher, unit: str = "unit") -> str:
    name, cur = _name(item, ids), item.currency
    if quantity and unit in _packs():
        return _price_in_their_unit(item, quantity, unit, ids)
    if quantity:
        qty = int(round(quantity))
        moq_key = _attribute_key(item, "moq")
        moq = _number_of(item.attributes.get(moq_key)) if moq_key else None
        tiers = _tiers(item)
        if moq is not None and qty < moq:
            at_moq = unit_price_for(item, int(moq))
            price = at_moq if at_moq is not None else item.price
            return (f"{name} has a minimum order of {_num(moq)} units, so {qty:,} is below it; "
                    f"from {_num(moq)} units it is {money(price, cur)} per unit.")
        unit = unit_price_for(item, qty)
        if unit is None and tiers:
            first = tiers[0]
            return (f"{qty:,} units is below the first price tier of {name} (from {int(first['min_qty']):,} units, "
                    f"{money(float(first['unit_price']), cur)} per unit); its list price is {money(item.price, cur)}.")
        unit = item.price if unit is None else unit
        return (f"For {qty:,} units, {name} costs {money(unit, cur)} per unit, "
                f"{money(round(unit * qty, 2), cur)} in total.")
    text = f"{name} is {money(item.price, cur)} per unit."
    return f"{text} {_tier_text(item)}" if _tiers(item) else text


def _price_in_their_unit(item: Item, quantity: float, unit: str, ids: IdMatcher) -> str:
    """'price for 60 cases?': counted in cases, as asked, when the item is sold by the case; an
    item sold by another pack (or singly) is not priced per case as if a case were one of them."""
    from agent.reading.lexicon import plural, singular
    from agent.replies import pack_unit

    name, cur = _name(item, ids), item.currency
    qty = int(round(quantity))
    count = f"{qty:,} {unit if qty == 1 else plural(unit)}"
    per = pack_unit(item)  # 'each', 'a box'
    pack = str(item.attributes.get("pack_size") or "").strip()
    inside = next((int(n) for n, w in re.findall(r"(\d+)\s+([a-z]+)", pack.lower()) if singular(w) == unit), None)
    if per.split()[-1] != unit and inside:  # 500 pairs of a pack of 12 pairs: 42 packs
        packs = -(-qty // inside)
        noun = per.split()[-1]
        price = unit_price_for(item, packs)
        price = item.price if price is None else price
        return (f"For {count} ({packs:,} {noun if packs == 1 else plural(noun)} of {inside}), {name} costs "
                f"{money(price, cur)} {per}, {money(round(price * packs, 2), cur)} in total.")
    if per.split()[-1] != unit:
        noun = per.split()[-1]
        sold = "by the unit" if per == "each" else f"by the {noun}" + (f" ({pack})" if pack.lower() != noun else "")
        tiers = f" {_tier_text(item)}" if _tiers(item) else f" Its price is {money(item.price, cur)} {per}."
        return f"{name} is sold {sold}, not by the {unit}, so I can't price {count}.{tiers}"
    moq_key = _attribute_key(item, "moq")
    moq = _number_of(item.attributes.get(moq_key)) if moq_key else None
    if moq is not None and qty < moq:
        at_moq = unit_price_for(item, int(moq))
        price = at_moq if at_moq is not None else item.price
        return (f"{name} has a minimum order of {_num(moq)}, so {count} is below it; "
                f"from {_num(moq)} it is {money(price, cur)} {per}.")
    price = unit_price_for(item, qty)
    price = item.price if price is None else price
    return f"For {count}, {name} costs {money(price, cur)} {per}, {money(round(price * qty, 2), cur)} in total."


def _lead_time_answer(item: Item, key: str | None, ids: IdMatcher) -> str:
    name = _name(item, ids)
    days = _number_of(item.attributes.get(key)) if key else None
    status = AVAILABILITY_WORDS[item.availability]
    if days is None:
        if key and item.attributes.get(key) not in (None, "", []):
            value = _value_text(item.attributes[key], key, item, ids)
            return f"The lead time of {name} is {value or 'not stated clearly in the catalog'} ({status})."
        return f"The catalog records no lead time for {name}; it is {status}."
    return f"The lead time of {name} is {_with_unit(days, 'lead_time_days')} ({status})."


def _attribute_answer(item: Item, key: str, ids: IdMatcher, quantity: float | None = None) -> str:
    name = _name(item, ids)
    raw = item.attributes[key]
    canonical = _canonical(key, [item])
    label = _label(key)
    if isinstance(raw, bool):
        return f"{name} {_has_flag(label, raw)}."
    if canonical == "moq":
        moq = _number_of(raw)
        if moq is None:
            return f"The minimum order of {name} is {_value_text(raw, key, item, ids) or 'not stated clearly'}."
        text = f"The minimum order for {name} is {_num(moq)} units."
        if quantity and quantity < moq:
            text += f" {int(round(quantity)):,} is below it."
        elif quantity:
            text += f" {int(round(quantity)):,} meets it."
        return text
    if canonical == "size":
        sizes = raw if isinstance(raw, list) else [s.strip() for s in re.split(r"[,/;|]", str(raw)) if s.strip()]
        shown = _safe(", ".join(str(s) for s in sizes), item, ids)
        if not shown:
            return f"The sizes of {name} are not stated clearly in the catalog."
        one = "" if shown.lower().startswith("one size") else ("size " if len(sizes) == 1 else "sizes ")
        return f"{name} comes in {one}{shown}."
    value = _value_text(raw, key, item, ids)
    if not value:
        return f"The {label} of {name} is not stated clearly in the catalog."
    if canonical == "pack_size":
        if _is_number(raw):
            return f"{name} is sold in packs of {value}."
        return f"{name} is sold per {value}."
    phrasing = {
        "colour": f"{name} comes in {value}.",
        "material": f"{name} is made of {value}.",
        "origin": f"{name} is made in {value}.",
        "care": f"Care for {name}: {value}.",
        "certifications": f"{name} lists these certifications: {value}.",
    }
    verb = "are" if re.search(r"[^s]s$", label) and not _is_number(raw) else "is"
    return phrasing.get(canonical, f"The {label} of {name} {verb} {value}.")


def _description_answer(item: Item, ids: IdMatcher) -> str:
    name = _name(item, ids)
    brand = _safe(item.brand, item, ids)
    head = f"{name}{f', by {brand}' if brand else ''}, {money(item.price, item.currency)}"
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", _safe(item.description, item, ids)) if s]
    if not sentences:
        return f"{head}. The catalog has no description of it; it records: {_recorded_fields(item)}."
    return f"{head}: {' '.join(sentences[:2])}"


def _open_answer(item: Item, field: str, ids: IdMatcher, quantity: float | None = None, unit: str = "unit") -> str:
    canonical = _canonical(field, [item])
    name = _name(item, ids)
    if canonical == "price":
        return _price_answer(item, quantity, ids, unit)
    if canonical == "tiers":
        if quantity:
            return _price_answer(item, quantity, ids, unit)
        if _tiers(item):
            return f"{name}: {_tier_text(item)}"
        return f"The catalog records no volume pricing for {name}; its price is {money(item.price, item.currency)}."
    if canonical == "availability":
        text = f"{name} is {AVAILABILITY_WORDS[item.availability]}."
        if quantity:
            text += " The catalog doesn't record stock counts."
        return text
    if canonical == "brand":
        brand = _safe(item.brand, item, ids)
        return f"{name} is by {brand}." if brand else f"The catalog records no brand for {name}."
    if canonical == "category":
        category = _safe(item.category, item, ids)
        return f"{name} is listed under {category}." if category else f"The catalog records no category for {name}."
    if canonical == "description":
        return _description_answer(item, ids)
    key = _attribute_key(item, canonical)
    if canonical == "lead_time_days":
        return _lead_time_answer(item, key, ids)
    if key is None or item.attributes.get(key) in (None, "", []):
        return _not_recorded(item, canonical, ids)
    return _attribute_answer(item, key, ids, quantity)


def _brief(item: Item, field: str, ids: IdMatcher) -> str:
    """A further field asked in the same message, in a few words ('Lead time: 3 days.')."""
    canonical = _canonical(field, [item])
    if canonical == "price":
        return f"Price: {money(item.price, item.currency)}."
    if canonical == "tiers":
        return _tier_text(item) if _tiers(item) else "No volume pricing recorded."
    if canonical == "availability":
        return f"Availability: {AVAILABILITY_WORDS[item.availability]}."
    if canonical == "brand":
        return f"Brand: {_safe(item.brand, item, ids) or 'not recorded'}."
    if canonical == "category":
        return f"Category: {_safe(item.category, item, ids) or 'not recorded'}."
    if canonical == "description":
        first = re.split(r"(?<=[.!?])\s+", _safe(item.description, item, ids))[0]
        return first or "No description recorded."
    key = _attribute_key(item, canonical)
    raw = item.attributes.get(key) if key else None
    label = _echo(_label(key or canonical), ids, "that field")
    label = label[:1].upper() + label[1:]
    if raw in (None, "", []):
        if canonical == "lead_time_days":
            return f"Lead time: not recorded ({AVAILABILITY_WORDS[item.availability]})."
        return f"{label}: not recorded."
    number = _number_of(raw)
    if canonical == "moq" and number is not None:
        value = f"{_num(number)} units"
    elif canonical == "lead_time_days" and number is not None:
        value = _with_unit(number, "lead_time_days")
    else:
        value = _value_text(raw, key, item, ids) or "not stated clearly"
    return f"{label}: {value}."


# -- yes / no ------------------------------------------------------------------------------------

_HAND_VERBS = ("made", "crafted", "sewn", "stitched", "knitted", "woven", "painted", "embroidered", "carved",
               "crocheted", "hammered", "blown", "thrown", "loomed", "beaded", "forged", "tooled")
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"esd", "esd safe", "esd-safe", "esd protective", "anti-static", "antistatic", "anti static",
               "static dissipative", "static-dissipative", "electrostatic dissipative"}),
    frozenset({"machine washable", "machine-washable", "machine wash", "machine-wash", "machine washed",
               "washing machine"}),
    frozenset({"handmade", "handcrafted", "hand-crafted"} | {
        form for verb in _HAND_VERBS for form in (f"hand-{verb}", f"hand {verb}", f"{verb} by hand")}),
    frozenset({"hand wash", "hand-wash", "hand washable", "hand-washable", "wash by hand", "washed by hand",
               "hand washing"}),
    frozenset({"dishwasher safe", "dishwasher-safe", "dishwasher proof", "dishwasher-proof"}),
    frozenset({"stretchy", "stretch", "elastane", "spandex", "lycra"}),
    frozenset({"noise cancelling", "noise-cancelling", "noise canceling", "noise-canceling",
               "active noise cancellation", "anc"}),
    frozenset({"food safe", "food-safe", "food grade", "food-grade", "food contact"}),
    frozenset({"touchscreen", "touch screen", "touch-screen", "touchscreen-compatible"}),
    frozenset({"backlit", "backlight", "backlighting", "backlighted"}),
    frozenset({"breathable", "breathability"}),
)
"""Words that count as one another in a yes/no question ('is it ESD safe?' finds 'anti-static')."""

_WATERPROOF = frozenset({"waterproof", "water proof", "water-proof", "fully waterproof", "submersible"})
_WATER_RESISTANT = frozenset({"water resistant", "water-resistant", "water resistance", "water repellent",
                              "water-repellent", "splash resistant", "splash-resistant", "splash proof",
                              "splash-proof", "splashproof", "showerproof", "shower proof", "weather resistant",
                              "weather-resistant", "weatherproof"}) | _WATERPROOF
"""'water resistant' is also met by 'waterproof' and by an IP rating of IPx4 or better; 'waterproof' by
IPx7 or better."""
_IP_CODE = re.compile(r"\bip\s?([0-6x])([0-9x])\b", re.IGNORECASE)
_SIZE_WORDS = {"small": "s", "medium": "m", "large": "l", "extra large": "xl", "extra small": "xs",
               "x-large": "xl", "x-small": "xs"}
_NO_VALUES = {"no", "none", "n/a", "not", "false", "without", "not rated", "-"}

Answer = Literal["yes", "no", "unknown"]


@dataclass
class _Verdict:
    answer: Answer
    line: str
    """The whole line for this item ('Yes: ... comes in red.')."""
    quote: str = ""
    """The catalog's words that decided it (for a comparison's short mention)."""


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es" if not word.endswith("s") or word.endswith(("ss", "us")) else word
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _forms(value: str) -> list[str]:
    """The value and its simple forms: hyphen/space/joined, singular/plural, grey/gray, colour/color,
    'en388'/'en 388', '-resistant'/'-resistance'."""
    v = re.sub(r"\s+", " ", value.lower().strip())
    out = [v]
    if re.search(r"[\s-]", v):
        out += [v.replace("-", " "), v.replace(" ", "-"), re.sub(r"[\s-]", "", v)]
    out.append(re.sub(r"(?<=[a-z])(?=\d)", " ", v))
    for form in list(out):
        head, _, last = form.rpartition(" ")
        for other in (_singular(last), _plural(last)):
            out.append(f"{head} {other}".strip())
    for form in list(out):
        for a, b in (("grey", "gray"), ("colour", "color"), ("resistant", "resistance")):
            if a in form:
                out.append(form.replace(a, b))
            elif b in form:
                out.append(form.replace(b, a))
    return [f for f in dict.fromkeys(out) if len(f) >= 2]


def _variants(value: str) -> list[str]:
    """:func:`_forms`, and the synonym group the value belongs to (:data:`SYNONYMS`; 'water
    resistant' is also met by 'waterproof')."""
    out = _forms(value)
    for group in SYNONYMS:
        if group & set(out):
            out += sorted(group, key=len, reverse=True)
    if set(out) & _WATERPROOF:
        out += sorted(_WATERPROOF, key=len, reverse=True)
    elif set(out) & _WATER_RESISTANT:
        out += sorted(_WATER_RESISTANT, key=len, reverse=True)
    return list(dict.fromkeys(out))


def _occurrences(text: str, term: str) -> list[tuple[int, bool]]:
    """Where ``term`` stands as whole words in ``text``, and whether each mention is positive
    ('leather') or states its absence ('faux leather', 'leather-free', 'no leather', 'leather-like')."""
    low, term = fold(text.lower()), fold(term)  # 'is it boucle?' of a bouclé jacket
    out = []
    loose = re.compile(rf"(?<![a-z0-9]){re.escape(term)}")
    for m in re.finditer(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", low):
        before = loose.sub(lambda x: "#" * len(x.group()), low[max(0, m.start() - 40):m.start()])
        after = loose.sub(lambda x: "#" * len(x.group()), low[m.end():m.end() + 20])
        positive = mentions_positively(before + m.group(0) + after, term) and not re.match(r"[\s-]*like\b", after)
        out.append((m.start(), positive))
    return out


@dataclass
class _Source:
    kind: Literal["attribute", "title", "sentence"]
    key: str
    text: str
    """What is searched."""
    quote: str
    """What is quoted when it decides the answer (already through ``catalog_text``)."""


def _sources(item: Item, key: str | None, ids: IdMatcher, description_first: bool) -> list[_Source]:
    """Every piece of the item's record a yes/no question is answered from, the asked field first.
    Only what may be quoted (through ``catalog_text``) is searched."""
    attrs: list[_Source] = []
    for k, v in item.attributes.items():
        if k == "tiered_prices" or v in (None, "", []) or isinstance(v, bool) or _is_number(v):
            continue
        quoted = _safe(", ".join(str(x) for x in v) if isinstance(v, list) else v, item, ids)
        if quoted:
            attrs.append(_Source("attribute", k, quoted, f"{_label(k)}: {quoted}"))
    asked = [s for s in attrs if s.key == key]
    others = [s for s in attrs if s.key != key]
    title = _safe(item.title, item, ids)
    head = [_Source("title", "title", title, title)] if title else []
    sentences = []
    for sentence in re.split(r"(?<=[.!?])\s+", item.description.strip()):
        quoted = _safe(sentence, item, ids) if sentence else ""
        if quoted:
            sentences.append(_Source("sentence", "description", quoted, quoted))
    for extra, k in ((item.category, "category"), (item.brand, "brand")):
        quoted = _safe(extra, item, ids)
        if quoted:
            others.append(_Source("attribute", k, quoted, f"{k}: {quoted}"))
    if description_first:
        return asked + sentences + head + others
    return asked + head + sentences + others


def _find(sources: Iterable[_Source], forms: list[str]) -> tuple[_Source | None, _Source | None]:
    """The first source mentioning one of ``forms`` positively, and the first stating its absence."""
    yes = no = None
    for source in sources:
        for form in forms:
            for _, positive in _occurrences(source.text, form):
                if positive and yes is None:
                    yes = source
                elif not positive and no is None:
                    no = source
        if yes is not None:
            break
    return yes, no


def _said(source: _Source) -> str:
    return f'the catalog says "{source.quote.rstrip(". ")}"'


def _ip_codes(item: Item, ids: IdMatcher) -> list[tuple[str, str, _Source]]:
    """IP ratings the record states: (code, water digit, source)."""
    out = []
    for source in _sources(item, None, ids, description_first=False):
        for m in _IP_CODE.finditer(source.text):
            out.append((f"IP{m.group(1)}{m.group(2)}".upper(), m.group(2).lower(), source))
    return out


_DISPLAY = {"esd": "ESD safe", "anc": "noise cancelling"}
_AUTHORITATIVE = ("colour", "origin", "material")
"""Fields whose recorded value settles a yes/no question: asked red, colour navy -> No."""
_VERBS = {"colour": "comes in", "size": "comes in", "origin": "is made in", "material": "is made of",
          "brand": "is by", "category": "is a"}


def _norm(value: str) -> str:
    return re.sub(r"[\s_-]+", " ", value.lower()).strip(" ?!.")


_STATUS_ASKED = {"in stock": "shippable", "available": "shippable", "available now": "shippable",
                 "ready to ship": "shippable", "ships now": "shippable", "can ship now": "shippable",
                 "low stock": "low_stock", "made to order": "made_to_order", "out of stock": "out_of_stock",
                 "sold out": "out_of_stock"}


def _judge(item: Item, field: str, value: str, ids: IdMatcher) -> _Verdict:
    """Does the catalog say ``item`` is/has ``value``? Yes, no, or it doesn't say; never a guess."""
    name = _name(item, ids)
    canonical = _canonical(field, [item])
    asked_status = _STATUS_ASKED.get(_norm(value))
    v = re.sub(r"^(?:an?|the|in|made in|made of|made from|by)\s+", "", value.lower().strip(" ?!."))
    shown = _echo(_DISPLAY.get(v, v), ids)
    key = _attribute_key(item, canonical) if canonical not in _CORE.values() or canonical in item.attributes else None
    raw = item.attributes.get(key) if key else None
    said_verb = re.match(r"(made in|made of|made from|by)\s", value.lower().strip())
    verb = _VERBS.get(canonical) or (f"is {said_verb.group(1)}" if said_verb else "is")  # 'is made in Italy'
    unknown_line = f"The catalog doesn't say whether {name} {verb} {shown}."

    def yes(clause: str, quote: str = "") -> _Verdict:
        return _Verdict("yes", f"Yes: {name} {clause}.", quote)

    def no(clause: str, quote: str = "") -> _Verdict:
        return _Verdict("no", f"No: {name} {clause}.", quote)

    def said_yes(source: _Source) -> _Verdict:
        return _Verdict("yes", f"Yes: {name}; {_said(source)}.", source.quote)

    def said_no(source: _Source) -> _Verdict:
        return _Verdict("no", f"No: {name}; {_said(source)}.", source.quote)

    # Fields every item has.
    status = AVAILABILITY_WORDS[item.availability]
    if asked_status is not None:
        meets = item.shippable if asked_status == "shippable" else item.availability == asked_status
        return yes(f"is {status}", status) if meets else no(f"is {status}", status)
    if canonical == "availability":
        return _Verdict("unknown", f"{unknown_line} It is {status}.")
    if canonical == "brand":
        brand = _safe(item.brand, item, ids)
        if not brand:
            return _Verdict("unknown", f"{unknown_line} The catalog records no brand for it.")
        hit = any(_occurrences(brand, f) for f in _forms(v))
        return yes(f"is by {brand}", brand) if hit else no(f"is by {brand}", brand)
    if canonical == "category":
        category = _safe(item.category, item, ids)
        if not category:
            return _Verdict("unknown", unknown_line)
        hit = any(_occurrences(category, f) for f in _forms(v))
        return yes(f"is listed under {category}", category) if hit else no(f"is listed under {category}", category)
    if canonical in ("price", "tiers", "moq", "lead_time_days") and not free_of(v):
        # A value on a number field ('under 50', 'ten days'): the field itself answers it.
        return _Verdict("unknown", _open_answer(item, canonical, ids))

    # 'latex-free': a claim the record must make, and nothing in it may contradict.
    m = re.fullmatch(r"(?:free (?:of|from)|no|without) (.+)", v)
    thing = free_of(v) or (m.group(1) if m else None)
    if thing:
        forms = _variants(thing)
        sources = _sources(item, key, ids, description_first=True)
        for source in sources:
            if any(positive for f in forms for _, positive in _occurrences(source.text, f)):
                return said_no(source)
        for source in sources:
            if any(claims_absence(source.text, f) for f in forms):
                return said_yes(source)
        return _Verdict("unknown", f"The catalog doesn't say whether {name} is {_echo(thing, ids)}-free.")

    forms = _variants(v)
    if canonical == "size" and key is not None:
        sizes = raw if isinstance(raw, list) else [s.strip() for s in re.split(r"[,/;|]", str(raw)) if s.strip()]
        asked = re.sub(r"^(?:eu|uk|us|it|fr|size)\s+", "", v)
        asked = _SIZE_WORDS.get(asked, asked)
        by_lower = {str(s).strip().lower(): str(s).strip() for s in sizes}
        listing = _safe(", ".join(str(s) for s in sizes), item, ids)
        if asked in by_lower:
            return yes(f"comes in size {_echo(by_lower[asked], ids)}", f"size: {listing}")
        if listing:
            one = "" if listing.lower().startswith("one size") else ("size " if len(sizes) == 1 else "sizes ")
            return no(f"comes in {one}{listing} only", f"size: {listing}")
        return _Verdict("unknown", unknown_line)

    # Boolean attributes ('noise_cancelling': true) named by the value or by the field.
    spaced = {f.replace("-", " ") for f in forms}
    for k, flag in item.attributes.items():
        if isinstance(flag, bool) and (k == key or k.lower().replace("_", " ") in spaced):
            return (yes if flag else no)(_has_flag(_label(k), flag), f"{_label(k)}: {'yes' if flag else 'no'}")

    # A number asked on a numeric field ('does it have 16 GB of RAM?').
    if key is not None and _is_number(raw):
        stated = _with_unit(float(raw), key)
        asked_number = re.match(r"\s*(\d+(?:\.\d+)?)", v)
        if asked_number:
            same = abs(float(asked_number.group(1)) - float(raw)) < 1e-9
            return (yes if same else no)(f"has a {_label(key)} of {stated}", f"{_label(key)}: {stated}")
        return _Verdict("unknown", f"{unknown_line} Its {_label(key)} is {stated}.")

    # IP codes asked as such ('is it IP67?').
    ip = re.fullmatch(r"ip\s?([0-6x])([0-9x])", v)
    if ip:
        codes = _ip_codes(item, ids)
        wanted = f"IP{ip.group(1)}{ip.group(2)}".upper()
        for code, _, source in codes:
            if code == wanted:
                return said_yes(source)
        if codes:
            return no(f"is rated {codes[0][0]}, not {wanted}", codes[0][2].quote)
        return _Verdict("unknown", f"The catalog doesn't say whether {name} is rated {wanted}.")

    sources = _sources(item, key, ids, description_first=canonical == "description" or key is None)
    if canonical != "care" and not re.search(r"wash|clean|dry|iron|bleach|tumble|launder", v):
        # 'wash by hand' is not 'made by hand': care instructions answer only care questions.
        sources = [s for s in sources if s.kind != "attribute" or _canonical(s.key) != "care"]
    asked_field = [s for s in sources if s.kind == "attribute" and s.key == key] if key else []
    found, against = _find(asked_field, forms)
    if found is not None:
        return _field_yes(canonical, found, yes, said_yes)
    if against is not None:
        return said_no(against)
    # A quality ('lined', 'padded') is not a material: only a thing named settles the field.
    settles = canonical in _AUTHORITATIVE and not (canonical == "material" and re.search(r"(?:ed|ing|able|ible|y)$", v))
    if settles and asked_field:
        found, _ = _find([s for s in sources if s.kind == "title"], forms)
        if found is not None:
            return said_yes(found)
    else:
        found, against = _find(sources, forms)
        if found is not None:
            return said_yes(found)
        if set(forms) & _WATER_RESISTANT:
            threshold = 7 if set(_forms(v)) & _WATERPROOF else 4
            for _, water, source in _ip_codes(item, ids):
                if water.isdigit():
                    return said_yes(source) if int(water) >= threshold else said_no(source)
        if against is not None:
            return said_no(against)
        # The value names an attribute the item records ('does it have a stand?' -> stand: height adjustable).
        for source in sources:
            if source.kind == "attribute" and source.key.lower().replace("_", " ") in spaced:
                return said_no(source) if _norm(source.text) in _NO_VALUES else said_yes(source)
    if not asked_field:
        return _Verdict("unknown", unknown_line)
    stated = asked_field[0].text
    if canonical == "care":
        if re.search(r"\bonly\b|dry[\s-]?clean|hand[\s-]?wash|by hand|spot[\s-]?clean|do not wash", stated, re.I):
            return no(f"has the care instruction: {stated}", asked_field[0].quote)
        return _Verdict("unknown", f"{unknown_line} Its care: {stated}.")
    if canonical in ("description", "style", "fit") or not settles and canonical in _AUTHORITATIVE:
        return _Verdict("unknown", f"{unknown_line} Its {_label(key)}: {stated}.")
    clause = {"colour": f"comes in {stated} only", "origin": f"is made in {stated}",
              "material": f"is made of {stated}",
              "certifications": f"lists these certifications only: {stated}"}.get(
        canonical, f"has {_label(key)}: {stated}")
    return no(clause, asked_field[0].quote)


def _field_yes(canonical: str, found: _Source, yes, said_yes) -> _Verdict:
    stated = found.text
    clause = {"colour": f"comes in {stated}", "origin": f"is made in {stated}", "material": f"is made of {stated}",
              "certifications": f"lists these certifications: {stated}"}.get(canonical)
    return yes(clause, found.quote) if clause else said_yes(found)


def _unique(items: Iterable[Item]) -> list[Item]:
    seen: set[str] = set()
    return [i for i in items if not (i.id in seen or seen.add(i.id))]


# -- questions -----------------------------------------------------------------------------------

def answer_question(items: list[Item], q: Question, ids: IdMatcher = GENERIC_IDS) -> str:
    """Answer ``q`` for each item asked about, one line per item, from the catalog only.

    ``items`` are the items the question is about (those of ``q.item_ids`` are kept, in that order,
    when any is present); ``ids`` finds item ids in free catalog text (see
    :func:`agent.dialogue.catalog_text`)."""
    chosen = [i for item_id in q.item_ids for i in items if i.id == item_id] if q.item_ids else []
    chosen = _unique(chosen or items)
    if not chosen:
        return "Which item do you mean? I can answer about any of the items shown."
    field = q.field or "description"
    lines = []
    for item in chosen:
        if q.value and str(q.value).strip():
            line = _judge(item, field, str(q.value), ids).line
        else:
            line = _open_answer(item, field, ids, q.quantity, q.unit)
        main = _canonical(field, chosen)
        extras = [f for f in dict.fromkeys(_canonical(f, chosen) for f in q.other_fields) if f != main]
        if extras:
            line += " " + " ".join(_brief(item, f, ids) for f in extras)
        lines.append(line)
    return "\n".join(lines)


def verdicts(items: list[Item], q: Question, ids: IdMatcher = GENERIC_IDS) -> dict[str, Answer]:
    """For a yes/no question (``q.value`` set: 'are they latex free?'), what the catalog says for
    each item asked about: ``yes``, ``no`` or ``unknown`` (the record does not say); ``{}`` for an
    open question. Reflection holds an LLM's answer to it (``check_verdict``)."""
    if not (q.value and str(q.value).strip()):
        return {}
    chosen = [i for item_id in q.item_ids for i in items if i.id == item_id] if q.item_ids else []
    return {item.id: _judge(item, q.field or "description", str(q.value), ids).answer
            for item in _unique(chosen or items)}


# -- comparisons ---------------------------------------------------------------------------------

@dataclass
class _Measure:
    item: Item
    value: float
    shown: str


def _measure(item: Item, canonical: str, ids: IdMatcher) -> _Measure | None:
    if canonical == "price":
        return _Measure(item, item.price, money(item.price, item.currency))
    if canonical == "availability":
        return _Measure(item, _AVAILABILITY_RANK[item.availability], AVAILABILITY_WORDS[item.availability])
    key = _attribute_key(item, canonical)
    raw = item.attributes.get(key) if key else None
    if canonical == "lead_time_days":
        days = _number_of(raw)
        if days is None:
            if item.shippable:
                return _Measure(item, 0.0, f"{AVAILABILITY_WORDS[item.availability]} with no lead time recorded, "
                                           "so I count it as shipping now")
            return None
        return _Measure(item, days, _with_unit(days, "lead_time_days"))
    if canonical == "pack_size":
        count = _pack_count(raw)
        if count is None:
            return None
        return _Measure(item, count, _value_text(raw, key, item, ids) if not _is_number(raw) else f"packs of {_num(count)}")
    number = _number_of(raw) if raw is not None else None
    if number is None:
        return None
    if canonical == "moq":
        return _Measure(item, number, f"{_num(number)} units")
    return _Measure(item, number, _with_unit(number, key) if _is_number(raw) else _safe(raw, item, ids))


def _names(items: list[Item], ids: IdMatcher) -> str:
    names = [_name(i, ids) for i in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _rank(items: list[Item], canonical: str, goal: str, ids: IdMatcher) -> tuple[str, list[str]]:
    measures = [m for m in (_measure(i, canonical, ids) for i in items) if m is not None]
    lacking = [i for i in items if all(m.item is not i for m in measures)]
    label = _label(canonical)
    if not measures:
        return (f"The catalog records no {_echo(label, ids, 'such field')} for any of these, so I can't compare them. "
                f"It does record: {_recorded_fields(items[0])}.", [])
    if canonical == "price" and len({m.item.currency for m in measures}) > 1:
        listing = "; ".join(f"{_name(m.item, ids)} {m.shown}" for m in measures)
        return f"These are priced in different currencies, so I can't rank them by price: {listing}.", [
            m.item.id for m in measures]
    ordered = sorted(measures, key=lambda m: m.value, reverse=goal == "max")
    best = [m for m in ordered if m.value == ordered[0].value]
    rest = ordered[len(best):]
    stem, _ = _split_unit(canonical)
    title = _SUPERLATIVES.get((canonical, goal)) or _SUPERLATIVES.get((stem, goal)) or (
        f"{'Highest' if goal == 'max' else 'Lowest'} {_echo(label, ids, 'value')}")
    if len(best) == 1:
        lines = [f"{title}: {_name(best[0].item, ids)}, {best[0].shown}."]
    else:
        if len({m.shown for m in best}) == 1:
            lines = [f"{title}, a tie: {_names([m.item for m in best], ids)}, each {best[0].shown}."]
        else:
            lines = [f"{title}, a tie at {_num(best[0].value)}: "
                     + "; ".join(f"{_name(m.item, ids)}, {m.shown}" for m in best) + "."]
    if rest:
        lines.append("Then: " + "; ".join(f"{_name(m.item, ids)}, {m.shown}" for m in rest) + ".")
    if lacking and canonical == "lead_time_days":
        lines.append("The catalog records no lead time for " + "; ".join(
            f"{_name(i, ids)}, {AVAILABILITY_WORDS[i.availability]}" for i in lacking) + ".")
    elif lacking:
        # A value that is there but is no number ('pack_size': 'pair') is said as such, not as missing.
        worded = [(i, _brief(i, canonical, ids)) for i in lacking if _present(i, canonical)]
        missing = [i for i in lacking if not _present(i, canonical)]
        if worded:
            lines.append("No number to compare for " + "; ".join(
                f"{_name(i, ids)}, {text[:1].lower()}{text[1:].rstrip('.')}" for i, text in worded) + ".")
        if missing:
            lines.append(f"The catalog records no {_echo(label, ids, 'value')} for {_names(missing, ids)}.")
        lacking = [i for i, _ in worded] + missing
    return "\n".join(lines), [m.item.id for m in ordered] + [i.id for i in lacking]


def _stem(word: str) -> str:
    """A regex for the word and its derived forms: 'warm' -> warm, warmer, warmth; 'cosy' -> cosier."""
    w = re.escape(word.lower().strip())
    if len(word) > 4 and word.endswith("e"):
        return w[:-1] + "(?:e|i)[a-z]*"
    if len(word) > 3 and word.endswith("y"):
        return w[:-1] + "(?:y|i)[a-z]*"
    return w + "[a-z]*"


def _mention_count(item: Item, word: str, ids: IdMatcher) -> int:
    parts = [item.title, item.description, *(
        ", ".join(map(str, v)) if isinstance(v, list) else str(v)
        for k, v in item.attributes.items() if k != "tiered_prices" and not isinstance(v, bool))]
    count = 0
    pattern = re.compile(rf"(?<![a-z0-9]){_stem(word)}")
    for part in parts:
        text = _safe(part, item, ids)
        for form in dict.fromkeys(m.group(0) for m in pattern.finditer(text.lower())):
            count += sum(1 for _, positive in _occurrences(text, form) if positive)
    return count


def _by_description(items: list[Item], word: str | None, goal: str, ids: IdMatcher) -> tuple[str, list[str]]:
    if not word or _echo(word, ids, "") == "":
        return ("The catalog doesn't rank these on that: it records no ratings or reviews, only "
                f"{_recorded_fields(items[0])}.", [])
    shown = _echo(word, ids)
    counts = [(i, _mention_count(i, word, ids)) for i in items]
    mentioned = [(i, n) for i, n in counts if n > 0]
    if not mentioned:
        return (f'The catalog doesn\'t say which of these is most "{shown}": none of their descriptions '
                f"mention it.", [])
    ordered = sorted(mentioned, key=lambda x: x[1], reverse=goal != "min")
    best = [(i, n) for i, n in ordered if n == ordered[0][1]]
    rest = ordered[len(best):]
    silent = [i for i, n in counts if n == 0]

    def times(n: int) -> str:
        return "once" if n == 1 else f"{n} times"

    most = "most" if goal != "min" else "least"
    if len(best) == 1:
        lines = [f'Judging from the descriptions only (the catalog has no measure of "{shown}"), '
                 f"{_name(best[0][0], ids)} mentions it {most}: {times(best[0][1])}."]
    else:
        lines = [f'Judging from the descriptions only (the catalog has no measure of "{shown}"), '
                 f"{_names([i for i, _ in best], ids)} mention it {most}, a tie at {times(best[0][1])} each."]
    if rest:
        lines.append("Then: " + "; ".join(f"{_name(i, ids)}, {times(n)}" for i, n in rest) + ".")
    if silent:
        lines.append(f"No mention in {_names(silent, ids)}.")
    return "\n".join(lines), [i.id for i, _ in ordered] + [i.id for i in silent]


def _has(items: list[Item], field: str, value: str | None, ids: IdMatcher) -> tuple[str, list[str]]:
    canonical = _canonical(field, items)
    status = _STATUS_ASKED.get(_norm(value or ""))
    if status is not None or (canonical == "availability" and not value):
        # Worded so that no line says 'in stock' of an item that is not (reflection reads each line).
        status = status or "shippable"
        meets = [i for i in items if (i.shippable if status == "shippable" else i.availability == status)]
        others = [i for i in items if i not in meets]
        label = {"shippable": "in stock", "low_stock": "low on stock", "made_to_order": "made to order",
                 "out_of_stock": "out of stock"}[status]
        if meets:
            lines = [f"{label[:1].upper()}{label[1:]}: " + "; ".join(
                f"{_name(i, ids)}{', few left' if status == 'shippable' and i.availability == 'low_stock' else ''}"
                for i in meets) + "."]
        else:
            lines = [f"None of these is {label}."]
        if others and meets:
            lines.append("The others: " + "; ".join(
                f"{_name(i, ids)}, {AVAILABILITY_WORDS[i.availability]}" for i in others) + ".")
        else:
            lines += [f"{_name(i, ids)}: {AVAILABILITY_WORDS[i.availability]}." for i in others]
        return "\n".join(lines), [i.id for i in meets + others]
    if not value:
        have = [i for i in items if _present(i, canonical)]
        lacking = [i for i in items if i not in have]
        label = _echo(_label(canonical), ids, "that field")
        if not have:
            return f"The catalog records no {label} for any of these.", []
        lines = [f"The catalog records {label} for {_names(have, ids)}."]
        if lacking:
            lines.append(f"It records none for {_names(lacking, ids)}.")
        return "\n".join(lines), [i.id for i in have + lacking]
    shown = _echo(value.replace("_", " "), ids)
    verdicts = [(i, _judge(i, canonical, value, ids)) for i in items]
    yes = [(i, v) for i, v in verdicts if v.answer == "yes"]
    no = [(i, v) for i, v in verdicts if v.answer == "no"]
    unknown = [i for i, v in verdicts if v.answer == "unknown"]

    def mention(i: Item, v: _Verdict) -> str:
        quote = v.quote.rstrip(". ")
        return f'{_name(i, ids)} ("{quote}")' if quote and len(quote) <= 90 else _name(i, ids)

    lines = []
    if yes:
        lines.append(f"{shown[:1].upper()}{shown[1:]}, per the catalog: " + "; ".join(mention(i, v) for i, v in yes) + ".")
    else:
        worded = len(shown.split()) > 2 or re.match(r"(?:in|on|into|with|for|at|to|under|by)\s", shown)
        lines.append(f'No card of these mentions "{shown}" in the catalog.' if worded  # ('home compost bin')
                     else f'None of these is stated to be "{shown}" in the catalog.')
    if no:
        lines.append(f"Not {shown}: " + "; ".join(mention(i, v) for i, v in no) + ".")
    if unknown:
        lines.append(f"The catalog doesn't say for {_names(unknown, ids)}.")
    return "\n".join(lines), [i.id for i, _ in yes] + [i.id for i, _ in no] + [i.id for i in unknown]


def _present(item: Item, canonical: str) -> bool:
    if canonical in ("price", "availability", "description"):
        return True
    if canonical == "brand":
        return bool(item.brand)
    if canonical == "category":
        return bool(item.category)
    if canonical == "tiers":
        return bool(_tiers(item))
    key = _attribute_key(item, canonical)
    return key is not None and item.attributes.get(key) not in (None, "", [], False)


def answer_comparison(items: list[Item], c: Comparison, ids: IdMatcher = GENERIC_IDS) -> tuple[str, list[str]]:
    """Answer ``c`` over the items shown: the lowest/highest of a field (ties said, items without the
    field named as such), which of them have a value, or, for a quality only descriptions state
    ('which is the warmest'), how strongly each description mentions it. Returns the reply and the
    ids of the items it names, in order."""
    items = _unique(items)
    if not items:
        return "There is nothing shown to compare yet.", []
    canonical = _canonical(c.field, items)
    if c.goal == "has":
        return _has(items, c.field, c.value, ids)
    if canonical == "description":
        return _by_description(items, c.value, c.goal, ids)
    if canonical == "tiers":
        canonical = "price"
    if not any(_measure(i, canonical, ids) for i in items) and any(_present(i, canonical) for i in items):
        # Recorded, but as words ('colour', 'style'): there is no order to rank by.
        label = _echo(_label(canonical), ids, "that")
        return (f"The catalog has no way to rank these by {label}.\n"
                + "\n".join(f"{_name(i, ids)}: {_brief(i, canonical, ids)}" for i in items), [i.id for i in items])
    known = canonical in _CORE.values() or canonical in _ALIASES or any(
        _attribute_key(i, canonical) for i in items)
    if known or not re.fullmatch(r"[a-z][a-z ]{2,30}", _norm(c.field)):
        return _rank(items, canonical, c.goal, ids)
    # A quality no field records ('which is the most formal'): the descriptions are all there is.
    return _by_description(items, c.value or _norm(c.field), c.goal, ids)


# -- the offline answer ----------------------------------------------------------------------------

def compares_shown(reading: Reading) -> bool:
    """The reading compares the items shown ('which is cheapest') rather than asking about items
    it names: a comparison with no question naming an item."""
    return reading.compare is not None and (reading.question is None or not reading.question.item_ids)


def which_one(shown: list[Item]) -> str:
    """Asks which item is meant when a question names none the catalog has ('the second one' when
    one was shown), listing what was shown."""
    if not shown:
        return "Which item do you mean? Tell me its name or id."
    names = "; ".join(f"{n}. {i.title} ({i.id})" for n, i in enumerate(shown, 1))
    return f"I showed you {len(shown)} item{'s' if len(shown) != 1 else ''} last time: {names}. Which one do you mean?"


def offline_answer(reading: Reading, asked: list[Item], shown: list[Item],
                   ids: IdMatcher = GENERIC_IDS) -> tuple[str, list[str]]:
    """The offline answer to an item question or comparison, and the ids of the items it names.

    ``asked`` are the catalog's items of the question's ``item_ids``, in that order (unused for a
    comparison, see :func:`compares_shown`); ``shown`` the items shown last turn, in order. A
    comparison is answered over ``shown``; a question naming no item the catalog has asks which of
    ``shown`` is meant; any other question is answered for ``asked``."""
    if compares_shown(reading):
        return answer_comparison(shown, reading.compare, ids)
    if not asked:
        return which_one(shown), [i.id for i in shown]
    return answer_question(asked, reading.question, ids), [i.id for i in asked]
