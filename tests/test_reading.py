"""The offline reader, phrase family by phrase family: budgets, numbers that are not money,
categories, brands, terms, stock, sizes, B2B limits, lifts, critiques, resets, greetings,
references and questions, and what a catalog teaches it. Cases are tables of (message, expected),
so a new phrasing is one line to add; the per-pass corpora (agent/reading/corpus) are in
tests/test_reading_corpus.py."""

from __future__ import annotations

from datetime import date

import re

import pytest

from agent.models import Item
from agent.reading import CatalogLexicon, Reader
from agent.reading.lexicon import plural, singular

ITEMS = [
    Item(id="BQ-001", title="Velluto silk evening gown", brand="Velluto", category="dress", price=2400,
         description="Floor-length bias-cut silk gown in midnight blue for black-tie galas.",
         attributes={"material": "silk", "colour": "midnight blue", "size": ["36", "38", "40"], "care": "dry clean only"}),
    Item(id="BQ-002", title="Linen wrap midi dress", brand="Soleil", category="dress", price=290,
         description="Airy linen wrap dress in sage, perfect for summer weddings.",
         attributes={"material": "linen", "colour": "sage", "size": ["S", "M", "L"]}),
    Item(id="BQ-003", title="Wool tailored blazer", brand="Maison Ardent", category="blazer", price=690,
         description="Single-breasted navy blazer in Italian wool, for the office.",
         attributes={"material": "wool", "colour": "navy", "size": ["38", "40", "42"]}),
    Item(id="BQ-004", title="Leather ankle boots", brand="Maison Ardent", category="shoes", price=520,
         description="Block heel leather boots.", attributes={"material": "leather", "size": ["37", "38"]}),
    Item(id="BQ-005", title="Polyester pleated skirt", brand="Lumen", category="skirt", price=120,
         description="Pleated midi skirt with logo waistband.", attributes={"material": "polyester"}),
    Item(id="BQ-006", title="Stiletto heels in patent leather", brand="Velluto", category="shoes", price=640,
         description="Pointed patent pumps."),
    Item(id="WS-0001", title="Cut-resistant work gloves, level A4", brand="Gripmaster", category="safety gloves",
         price=6.5, description="HPPE liner, nitrile palm, EN 388 certified.",
         attributes={"moq": 120, "lead_time_days": 5}),
    Item(id="WS-0002", title="Nitrile exam gloves, powder-free", brand="CleanHands", category="disposable gloves",
         price=9.9, description="Latex-free disposable nitrile gloves, food-safe.",
         attributes={"moq": 10, "lead_time_days": 2}),
    Item(id="WS-0004", title="Compostable takeaway boxes", brand="GreenPack", category="food containers",
         price=0.18, description="Compostable bagasse boxes, waterproof.",
         attributes={"moq": 1000, "lead_time_days": 14}),
    Item(id="WS-0005", title="Double-Wall Shipping Boxes, 457 mm", brand="Packridge", category="packaging",
         price=1.2, description="Kraft cardboard boxes."),
    Item(id="BQ-007", title="Steel automatic watch", brand="Orologi", category="watch", price=3900,
         description="Automatic movement, steel bracelet."),
]
LEXICON = CatalogLexicon.from_items(ITEMS, "fashion")
READER = Reader(LEXICON)
SHOWN = ITEMS[:3]
TODAY = date(2026, 12, 1)  # a Tuesday


def read(text: str, shown: list[Item] | None = None, reader: Reader = READER):
    return reader.read(text, SHOWN if shown is None else shown, None, TODAY)


def parse(text: str, shown: list[Item] | None = None):
    return read(text, shown)


# -- budgets -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, budget_min, budget_max",
    [
        ("I'm looking for a dress under €300", None, 300),
        ("something below 300 please", None, 300),
        ("less than 300 euros", None, 300),
        ("max 300", None, 300),
        ("300 or less", None, 300),
        ("no more than 200", None, 200),
        ("I don't want to spend more than 400", None, 400),
        ("nothing over 150", None, 150),
        ("between 100 and 200", 100, 200),
        ("a blazer from 200 to 400", 200, 400),
        ("I want something between €1,000 and €1,500", 1000, 1500),
        ("around 500", None, 600),
        ("my budget is about 1000", None, 1200),
        ("at least 100", 100, None),
        ("$1,200 budget", None, 1200),
        ("my budget is 1.2k", None, 1200),
        ("500€ budget, size S", None, 500),
        ("a dress for €300", None, 300),
        ("My budget is under €0.66", None, 0.66),  # B2B unit prices go below 1
        ("boxes, max 0.25 per unit budget", None, 0.25),
    ],
)
def test_budgets(text, budget_min, budget_max):
    c = read(text).constraints()
    assert c.budget_min == budget_min
    assert c.budget_max == budget_max


@pytest.mark.parametrize(
    "text",
    ["delivery within 10 days", "we need 200 pairs", "MOQ under 100", "size 38", "EN 388 certified please",
     "I'd like 3 of them", "what about WS-0004?", "a tolerance under 0.5"],
)
def test_numbers_that_are_not_money(text):
    c = read(text).constraints()
    assert c.budget_max is None and c.budget_min is None


# -- categories, brands, terms -------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, categories",
    [
        ("a dress for a gala", ["dress"]),
        ("show me dresses", ["dress"]),
        ("some gloves", ["disposable gloves", "safety gloves"]),
        ("I need heels", ["shoes"]),
        ("a jacket for work", ["blazer"]),
        ("I don't know how to dress for it", []),
        ("a women's dress for everyday wear", ["dress"]),
        ("I dress for comfort", []),
        ("a watch for an evening event", ["watch"]),
        ("watch out for fakes", []),
        ("I'd like to watch for a sale", []),
        ("not a dress, maybe a skirt", ["skirt"]),
        ("I don't need shoes, just the dress", ["dress"]),
        ("shoes to match a midnight blue gown", ["shoes"]),
        ("compostable boxes for takeaway", ["food containers", "packaging"]),  # title head nouns
        ("any tips for choosing a gift?", []),
    ],
)
def test_categories(text, categories):
    assert sorted(read(text, shown=[]).constraints().categories) == sorted(categories)


@pytest.mark.parametrize("text, kinds", [
    ("a jacket for work", ["jacket", "jackets"]),       # the shopper's word, beside the category it names
    ("show me dresses", ["dress", "dresses"]),
    ("compostable boxes for takeaway", ["box", "boxes"]),
    ("some gloves", ["glove", "gloves"]),                # two categories, one word
    ("something blue", []),                             # no kind said
])
def test_the_word_for_the_kind_goes_with_the_categories(text, kinds):
    assert read(text, shown=[]).constraints().kinds == kinds


@pytest.mark.parametrize(
    "text, brands_in, brands_out",
    [
        ("anything from Velluto?", ["Velluto"], []),
        ("only Maison Ardent", ["Maison Ardent"], []),
        ("nothing from Velluto", [], ["Velluto"]),
        ("not Velluto please", [], ["Velluto"]),
        ("no Lumen", [], ["Lumen"]),
        ("avoid Soleil", [], ["Soleil"]),
        ("any brand except Velluto", [], ["Velluto"]),
        ("something like Velluto but cheaper", [], []),
    ],
)
def test_brands(text, brands_in, brands_out):
    c = read(text, shown=[]).constraints()
    assert c.brands_in == brands_in
    assert c.brands_out == brands_out
    assert not c.exclude_terms  # a negated brand is a brand, never a term


@pytest.mark.parametrize("text", ["a black evening bag, ideally Velluto", "a bag, preferably from Velluto",
                                  "Velluto if possible, a bag", "maybe Velluto? a bag under 500"])
def test_a_brand_wished_for_ranks_and_hides_nothing(text):
    r = read(text, shown=[])
    assert r.constraints().brands_in == []
    assert [(t.text, t.kind) for t in r.soft() if t.kind == "brand"] == [("Velluto", "brand")]


@pytest.mark.parametrize(
    "text, exclude",
    [
        ("not leather please", ["leather"]),
        ("no leather", ["leather"]),
        ("without polyester", ["polyester"]),
        ("nothing synthetic", ["synthetic"]),
        ("I'm not a fan of red", ["red"]),
        ("I hate logos", ["logo"]),
        ("I'd prefer no sequins and nothing in black", ["sequin", "black"]),
        ("no wool or silk", ["wool", "silk"]),
        ("no wool, silk or cashmere", ["wool", "silk", "cashmere"]),
    ],
)
def test_negated_terms(text, exclude):
    assert read(text, shown=[]).constraints().exclude_terms == exclude


def test_a_class_word_rules_out_what_it_stands_for():
    c = read("nothing synthetic", shown=[]).constraints()
    assert {"polyester", "nylon"} <= set(c.term_forms["synthetic"])
    assert c.violations(Item(id="X", title="Top", price=1, attributes={"material": "polyamide and elastane"}))


@pytest.mark.parametrize("text, required", [("latex-free gloves", ["latex-free"]),
                                            ("gloves free of latex", ["latex-free"])])
def test_x_free_is_a_requirement(text, required):
    assert read(text, shown=[]).constraints().must_have == required


def test_x_free_that_no_item_claims_still_rules_x_out():
    """No item here says it is leather-free: requiring the claim would hide everything, so the
    requirement ranks, and nothing that mentions leather passes."""
    r = read("leather-free shoes", shown=[])
    assert [t.text for t in r.require] == ["leather-free"] and not r.require[0].sure
    assert r.constraints().must_have == [] and r.constraints().exclude_terms == ["leather"]


@pytest.mark.parametrize(
    "text",
    ["I'm not sure what I want", "no rush", "not really", "no thanks, just looking", "no idea yet",
     "not now", "I don't need it fast", "no problem", "not bad at all", "it's not that"],
)
def test_negations_that_exclude_nothing(text):
    c = read(text, shown=[]).constraints()
    assert c.exclude_terms == [] and c.brands_out == [] and c.must_have == []


def test_negated_style_word_is_a_critique_of_what_was_shown_and_rules_it_out_before():
    # With nothing shown there is nothing to be less formal than: the word is ruled out.
    p = parse("nothing too formal, something for the beach", shown=[])
    assert p.constraints().exclude_terms == ["formal"] and p.critiques == [] and p.act == "request"
    p = parse("blazer for an interview, navy, not too boxy", shown=[])
    assert p.constraints().exclude_terms == ["boxy"] and p.act == "request"
    # After cards were shown, it is relative to them.
    p = parse("nothing too formal please", shown=SHOWN)
    assert [(c.kind, c.attribute) for c in p.critiques] == [("less_like", "formal")] and p.constraints().exclude_terms == []


@pytest.mark.parametrize(
    "text, must_have",
    [
        ("it must be waterproof", ["waterproof"]),
        ("the gloves need to be food safe", ["food-safe"]),
        ("it has to be compostable", ["compostable"]),
        ("waterproof would be nice", []),  # no explicit 'must'
        ("it must be elegant", []),  # the catalog never says 'elegant': not a hard filter
        ("it must be in stock", []),  # that is the in-stock constraint
    ],
)
def test_must_have(text, must_have):
    assert read(text, shown=[]).constraints().must_have == must_have


@pytest.mark.parametrize(
    "text, required, preferred",
    [
        ("ok so silk please", ["silk"], []),
        ("ok, linen then", ["linen"], []),
        ("make it silk then", ["silk"], []),
        ("how about navy?", ["navy"], []),
        ("wrong material so linen please", ["linen"], []),
        ("silk would be nicer", [], ["silk"]),
        ("linen would be better", [], ["linen"]),
    ],
)
def test_a_material_or_colour_said_in_passing(text, required, preferred):
    """What opens or closes a short reply ('ok so', 'then', 'make it') does not hide the word it
    asks for; 'would be nicer' wishes for it without hiding anything."""
    r = read(text, shown=[])
    assert [t.text for t in r.require] == required
    assert [t.text for t in r.prefer] == preferred


@pytest.mark.parametrize(
    "text, must_have",
    [
        ("50 gloves, lead time no more than 5 days", []),
        ("nitrile gloves x 40, budget around 20 euro each", ["nitrile"]),
        ("boxes, price maximum 2 euro", []),
        ("100% wool blazer", ["wool"]),
        ("gloves free of latex and powder", ["latex-free", "powder-free"]),
    ],
)
def test_what_is_left_of_a_buyers_terms_is_no_requirement(text, must_have):
    """Once 'no more than 5 days' or 'around 20 euro' is read, the words that named it ('lead
    time', 'budget') and a bare '100%' are not features an item's text must contain, even in a
    catalog whose descriptions use those words."""
    wordy = Item(id="WS-0009", title="Budget kraft boxes", brand="Packridge", category="packaging", price=0.9,
                 description="Short lead time, best price per unit, 100% recycled cardboard, minimum order 500.")
    reader = Reader(CatalogLexicon.from_items([*ITEMS, wordy], "fashion"))
    assert read(text, shown=[], reader=reader).constraints().must_have == must_have


@pytest.mark.parametrize(
    "text, alternatives",
    [
        ("a dress in linen or silk", ["linen", "silk"]),
        ("a silk or linen dress", ["linen", "silk"]),
        ("a dress, wool/linen", ["linen", "wool"]),
        ("a navy, sage or midnight blue dress", ["midnight blue", "navy", "sage"]),
    ],
)
def test_words_joined_by_or_are_alternatives(text, alternatives):
    """Each is read, and an item needs one of them: the silk dress and the linen dress both pass."""
    r = read(text, shown=[])
    assert sorted(t.text for t in r.require) == alternatives
    c = r.constraints()
    assert c.must_have == [" or ".join(t.text for t in r.require)]
    passing = [i.id for i in ITEMS if not c.violations(i)]
    for item in ITEMS:
        said = {str(v).lower() for v in item.attributes.values()}
        assert (item.id in passing) == (item.category == "dress" and bool(said & set(alternatives))), item.id


def test_words_joined_by_and_are_each_required_and_or_after_no_rules_both_out():
    assert sorted(read("a navy and sage dress", shown=[]).constraints().must_have) == ["navy", "sage"]
    r = read("a dress, no wool or silk", shown=[])
    assert sorted(t.text for t in r.exclude) == ["silk", "wool"] and not r.require


# -- stock, sizes, B2B ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [("in stock only", True), ("available now please", True), ("I need it today", True),
     ("nothing made to order", True), ("a dress for a gala", False)],
)
def test_in_stock(text, expected):
    assert read(text, shown=[]).constraints().in_stock_only is expected


@pytest.mark.parametrize(
    "text, sizes",
    [("size M", ["M"]), ("in a 38", ["38"]), ("size 10", ["10"]), ("I'm a medium", ["M"]),
     ("sizes S or M", ["S", "M"]), ("EU 38 please", ["38"]), ("delivered in 5 days", []),
     ("in a minute", [])],
)
def test_sizes(text, sizes):
    assert read(text, shown=[]).constraints().sizes == sizes


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("MOQ under 100", "max_moq", 100),
        ("minimum order below 500", "max_moq", 500),
        ("we need 200 pairs of gloves", "max_moq", 200),
        ("lead time under 2 weeks", "max_lead_time_days", 14),
        ("within 10 days", "max_lead_time_days", 10),
        ("delivery in 5 days", "max_lead_time_days", 5),
        ("we need them delivered within a week", "max_lead_time_days", 7),
    ],
)
def test_b2b_constraints(text, field, value):
    assert getattr(read(text, shown=[]).constraints(), field) == value


# -- lifted constraints, critiques, resets, greetings ---------------------------------------------

@pytest.mark.parametrize(
    "text, lifts",
    [
        ("any brand is fine", ["brand"]),
        ("budget doesn't matter", ["budget"]),
        ("money is no object", ["budget"]),
        ("no rush", ["delivery"]),
        ("leather is fine after all", ["exclude:leather"]),
        ("just show me what you have", ["all"]),
        ("linen isn't a must", ["require:linen"]),
        ("ok, the cashmere is optional then", ["require:cashmere"]),
        ("it doesn't have to be silk", ["require:silk"]),
        ("Velluto isn't essential", ["brand:Velluto"]),
    ],
)
def test_lifts(text, lifts):
    assert [lift.label() for lift in read(text, shown=[]).lift] == lifts


@pytest.mark.parametrize(
    "text, kind, attribute",
    [
        ("more formal", "more_like", "formal"),
        ("something dressier", "more_like", "dressy"),
        ("less flashy", "less_like", "flashy"),
        ("too casual", "less_like", "casual"),
        ("something cheaper", "cheaper", ""),
        ("too expensive", "cheaper", ""),
        ("over my budget", "cheaper", ""),
        ("something more expensive", "pricier", ""),
    ],
)
def test_critiques(text, kind, attribute):
    critiques = parse(text).critiques
    assert [(c.kind, c.attribute) for c in critiques] == [(kind, attribute)]


def test_more_options_is_not_a_critique():
    assert parse("show me more options").critiques == []


@pytest.mark.parametrize("text", ["start over", "let's start again", "new search: shoes", "forget that",
                                  "scratch that"])
def test_reset(text):
    assert parse(text).act == "reset"


@pytest.mark.parametrize("text, expected", [("hi there!", True), ("Hello", True), ("thanks", True),
                                            ("hi, I need a dress", False), ("the second one", False)])
def test_greeting_only(text, expected):
    assert (parse(text).act == "greeting") is expected


# -- references ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, rejected, liked",
    [
        ("not that one", ["BQ-001"], []),
        ("the second one", [], ["BQ-002"]),
        ("I like the first one but not the second", ["BQ-002"], ["BQ-001"]),
        ("I don't like the Velluto dress", ["BQ-001"], []),
        ("the blazer is lovely", [], ["BQ-003"]),
        ("the last one is too formal", [], []),  # a critique of it (less formal), as labellers read it, not a card turned down
        ("the last one is too formal, I hate it", ["BQ-003"], []),
        ("none of these", ["BQ-001", "BQ-002", "BQ-003"], []),
        ("I love it", [], ["BQ-001"]),
        ("not the first or the second", ["BQ-001", "BQ-002"], []),
        ("something similar to #2 but cheaper", [], ["BQ-002"]),
        ("I'd like something in silk", [], []),  # a title word without 'the' is not a reference
        ("any scarves that would make a nice gift?", [], []),  # a relative 'that' is not 'that one'
        ("something cheaper than the second one, and no vinyl", [], ["BQ-002"]),  # an anchor
    ],
)
def test_references(text, rejected, liked):
    p = parse(text)
    assert p.rejected == rejected
    assert p.liked == liked


@pytest.mark.parametrize(
    "text, liked, rejected",
    [
        ("nah not the last one", [], ["BQ-003"]),
        ("nope, not the second", [], ["BQ-002"]),
        ("First and last are lovely, the middle one not so much", ["BQ-001", "BQ-003"], ["BQ-002"]),
        ("the middle one's nice, the other two not so much", ["BQ-002"], ["BQ-001", "BQ-003"]),
        ("I like the first, the rest are too formal", ["BQ-001"], ["BQ-002", "BQ-003"]),
        ("nah", [], ["BQ-001", "BQ-002", "BQ-003"]),
    ],
)
def test_which_items_a_verdict_is_about(text, liked, rejected):
    """'nah' before a named item is about that item; 'first and last' shares one verdict; 'the
    other two' and 'the rest' are the items shown that nothing else names."""
    r = read(text, shown=SHOWN)
    assert sorted(x.item_id for x in r.references if x.polarity == "liked") == liked
    assert sorted(x.item_id for x in r.references if x.polarity == "rejected") == rejected


@pytest.mark.parametrize(
    "text, field, goal, value",
    [
        ("which of them is EN 388 certified?", "certifications", "has", "en 388"),
        ("shortest lead time of the lot?", "lead_time", "min", None),
        ("which would arrive first?", "lead_time", "min", None),
        ("is any of them linen?", "material", "has", "linen"),
        # 'sort these by price' asks which of the cards comes first in that order (it was off-topic)
        ("rank them by price", "price", "min", None),
        ("sort these by price, cheapest first", "price", "min", None),
        ("sort them by price, most expensive first", "price", "max", None),
        ("can you order those by lead time?", "lead_time", "min", None),
        ("lowest price among these?", "price", "min", None),
    ],
)
def test_comparisons_over_the_items_shown(text, field, goal, value):
    r = read(text, shown=SHOWN)
    assert r.act == "compare"
    assert (r.compare.field, r.compare.goal, r.compare.value) == (field, goal, value)


@pytest.mark.parametrize(
    "text, act",
    [
        ("Hi there, wool blazer", "request"),
        ("Hello! linen dress?", "request"),
        ("hi there!", "greeting"),
        ("Morning - thanks for the quick reply yesterday.", "greeting"),
        ("We need bnc.", "request"),
        ("We need the bus.", "off_topic"),
    ],
)
def test_a_greeting_with_the_thing_wanted_is_a_request(text, act):
    """A hello followed by a product named in a few words asks for it; a short word several items
    are named with ('BNC') is something the shop sells."""
    cables = [Item(id=f"CB-{n}", title=f"BNC cable {n} m", brand="Linkwell", category="", price=4.0 + n,
                   description="Coaxial cable with BNC plugs.") for n in (1, 2, 3)]
    reader = Reader(CatalogLexicon.from_items([*ITEMS, *cables], "any"))
    assert read(text, shown=[], reader=reader).act == act


def test_cheapest_of_the_three_compares():
    r = read("cheapest of the three?", shown=SHOWN)
    assert r.act == "compare" and (r.compare.field, r.compare.goal) == ("price", "min")


def test_rejection_reason_and_critique_together():
    # 'too formal' alone is a critique of the card (the next cards are less formal than it, and the
    # cards shown are not shown again); turned down in words too, it is rejected with its reason.
    p = parse("the first one is too formal")
    assert p.rejected == [] and p.reason == ""
    assert [(c.kind, c.attribute) for c in p.critiques] == [("less_like", "formal")]
    p = parse("the first one is too formal, not for me")
    assert p.rejected == ["BQ-001"] and "too formal" in p.reason
    assert [(c.kind, c.attribute) for c in p.critiques] == [("less_like", "formal")]


def test_brand_short_form_needs_a_capital():
    reader = Reader(CatalogLexicon.from_items([*ITEMS, Item(id="WS-9", title="Boots", brand="Ironvale Safety",
                                                            category="safety footwear", price=50)]))
    assert read("nothing from Ironvale please", [], reader).constraints().brands_out == ["Ironvale Safety"]
    assert read("an ironvale of sorts", [], reader).constraints().brands_in == []


def test_not_that_brand_uses_the_referenced_or_first_item():
    assert parse("not that brand").brand_refs_out == ["Velluto"]
    assert parse("the blazer is nice but not that brand").brand_refs_out == ["Maison Ardent"]


def test_no_references_without_shown_items():
    p = parse("not that one", shown=[])
    assert p.rejected == [] and p.liked == []


# -- questions -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, item_ids, field, quantity",
    [
        ("what is the first one made of?", ["BQ-001"], "material", None),
        ("MOQ of WS-0004?", ["WS-0004"], "moq", None),
        ("what's the price for 500 units of WS-0001?", ["WS-0001"], "price", 500),
        ("is it in stock?", ["BQ-001"], "availability", None),
        ("Do you have it in a 38?", ["BQ-001"], "size", None),
        ("what colours does the second one come in?", ["BQ-002"], "colour", None),
        ("how much is the blazer?", ["BQ-003"], "price", None),
        ("tell me more about the blazer", ["BQ-003"], "description", None),
        ("How long does delivery take for WS-0001?", ["WS-0001"], "lead_time", None),
        ("Can I wash it?", ["BQ-001"], "care", None),
        ("What are they made of?", ["BQ-001", "BQ-002", "BQ-003"], "material", None),
        ("Is WS-0002 certified for food contact?", ["WS-0002"], "certifications", None),
        ("do you offer volume pricing on WS-0001?", ["WS-0001"], "tiered_prices", None),
        ("who makes the last one?", ["BQ-003"], "brand", None),
        ("Is the third one available in navy?", ["BQ-003"], "colour", None),
        ("is WS-0004 in stock? lead time?", ["WS-0004"], "availability", None),
    ],
)
def test_questions(text, item_ids, field, quantity):
    q = parse(text).question
    assert q is not None
    assert (q.item_ids, q.field, q.quantity) == (item_ids, field, quantity)


@pytest.mark.parametrize(
    "text, item_ids, field",
    [
        # Nothing shown: the words after 'the' name the one catalog item whose title has them all.
        ("what's the lead time on the steel watch?", ["BQ-007"], "lead_time"),
        ("is the takeaway box waterproof?", ["WS-0004"], "description"),
        ("MOQ on the cut-resistant gloves?", ["WS-0001"], "moq"),
        ("MOQ on the cut resistant gloves?", ["WS-0001"], "moq"),  # a hyphenated title word, written apart
        ("can we get the pleated skirt in black?", ["BQ-005"], "colour"),
        ("is the patent leather stiletto in stock?", ["BQ-006"], "availability"),
    ],
)
def test_questions_name_a_catalog_item_by_its_title_words(text, item_ids, field):
    q = read(text, shown=[]).question
    assert q is not None, text
    assert (q.item_ids, q.field) == (item_ids, field)


@pytest.mark.parametrize("text", [
    "what's the price of the gloves?",  # two titles say gloves: no one item is named
    "I want the pleated skirt",  # not a question: a request for the kind
    "do you have boots in the 38?",
])
def test_title_words_that_name_no_one_item_are_no_question_about_one(text):
    r = read(text, shown=[])
    assert r.question is None or not r.question.item_ids, r


@pytest.mark.parametrize("text, field, value", [("is it machine washable?", "care", "machine washable"),
                                                ("do you have the first one in navy?", "colour", "navy"),
                                                ("is WS-0002 latex-free?", "material", "latex-free")])
def test_yes_no_questions_keep_what_they_ask_about(text, field, value):
    q = parse(text).question
    assert (q.field, q.value) == (field, value)


def test_it_means_the_item_last_discussed():
    assert READER.read("what is it made of?", SHOWN, SHOWN[2], TODAY).question.item_ids == ["BQ-003"]
    assert READER.read("what is it made of?", SHOWN, None, TODAY).question.item_ids == ["BQ-001"]


@pytest.mark.parametrize("text, field, goal", [("which ships fastest?", "lead_time", "min"),
                                               ("the cheapest of these?", "price", "min"),
                                               ("which ones are in stock?", "availability", "has")])
def test_comparisons_over_the_shown_items_by_field(text, field, goal):
    p = parse(text)
    assert p.act == "compare" and (p.compare.field, p.compare.goal) == (field, goal)


def test_a_question_is_not_a_constraint_or_a_verdict():
    p = parse("is the first one in stock?")
    assert p.constraints().in_stock_only is False
    assert p.rejected == [] and p.liked == []
    both = parse("is WS-0004 in stock? lead time?")
    assert both.question.other_fields == ["lead_time"]
    assert both.constraints().in_stock_only is False and both.constraints().max_lead_time_days is None


def test_a_request_phrased_as_a_question_keeps_its_constraints():
    p = parse("Can you show me evening gowns from Velluto, in stock only?", shown=[])
    assert p.question is None
    assert p.constraints().in_stock_only is True
    assert p.constraints().categories == ["dress"] and p.constraints().brands_in == ["Velluto"]


@pytest.mark.parametrize("text", ["do you have dresses under 200?", "what's the price range for blazers?"])
def test_a_new_search_phrased_as_a_question_is_not_an_item_question(text):
    assert parse(text).question is None


# -- vocabulary ----------------------------------------------------------------------------------

def test_plural_and_singular():
    assert [singular(w) for w in ("dresses", "gloves", "batteries", "safety gloves", "dress")] == \
        ["dress", "glove", "battery", "safety glove", "dress"]
    assert [plural(w) for w in ("dress", "glove", "battery", "scarf")] == ["dresses", "gloves", "batteries", "scarves"]
    assert singular("scarves") == "scarf"


def test_vocabulary_from_items():
    assert LEXICON.brands["maison ardent"] == "Maison Ardent"
    assert {"silk", "linen", "wool"} <= LEXICON.materials
    assert LEXICON.sizes["m"] == "M"
    assert LEXICON.aliases["gloves"] == ("disposable gloves", "safety gloves")
    assert LEXICON.catalog_spelling("food safe") == "food-safe"


def test_title_head_nouns_name_categories_only_when_they_mean_one():
    """Head nouns of titles become category words, but not fabrics ('It has to be jersey'),
    audiences ('kids'), modifiers that end a title now and then ('Trousers soft'), or a minority
    category of the items they head."""
    items = [Item(id=f"A{n}", title=title, category=category, price=10) for n, (title, category) in enumerate([
        ("Tilly jersey", "skirt"), ("Mona jersey", "skirt"), ("Hair tie jersey", "hair string"),
        *[(f"Basic tee {n}", "t-shirt") for n in range(7)], ("Boxy tee", "sweater"),
        ("Sweater kids", "sweater"), ("Jersey top", "top"),
        ("Trousers soft", "trousers"), ("Soft bra", "bra"), ("Soft shorts", "shorts"), ("Soft cap", "hat")])]
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    categories = lambda text: sorted(read(text, [], reader).constraints().categories)  # noqa: E731
    assert categories("It has to be jersey") == []
    assert categories("a tee for the gym") == ["t-shirt"]
    assert categories("a kids' t-shirt") == ["t-shirt"]
    assert categories("a jersey top") == ["t-shirt", "top"]  # "top" covers t-shirts (domains/fashion.toml)
    assert categories("Something soft.") == []  # ends one title, qualifies three: a modifier


def test_a_brand_other_titles_use_as_a_word_needs_a_cue():
    """'3D' is a maker and a word in every maker's '3D printer filament'."""
    items = [Item(id="F0", title="Solutech PLA filament", brand="3D", price=20),
             *[Item(id=f"F{n}", title=f"3D printer filament {n}", brand=f"Maker{n}", price=20) for n in range(1, 7)],
             Item(id="T0", title="Masking tape", brand="3M", price=5)]
    lexicon = CatalogLexicon.from_items(items)
    assert lexicon.common_word_brands == {"3d"}
    c = lambda text: read(text, [], Reader(lexicon)).constraints()  # noqa: E731
    assert (c("3D printer filament").brands_in, c("3D printer filament").brands_out) == ([], [])
    assert c("filament from 3D").brands_in == ["3D"]
    assert c("nothing from 3D please").brands_out == ["3D"]
    assert c("3M tape").brands_in == ["3M"]


def test_a_brand_that_is_an_ordinary_word_of_the_catalog_needs_a_capital_or_a_cue():
    """'Precise' makes thermometers; 'precise' describes half the catalog. A shopper's 'Something
    precise.' was read as brand Precise and every item of other makers was ruled out."""
    items = [Item(id="P0", title="Infrared thermometer", brand="Precise", price=20),
             *[Item(id=f"P{n}", title=f"Caliper {n}", brand=f"Maker{n}", price=20,
                    description="A precise and durable tool.") for n in range(1, 6)]]
    lexicon = CatalogLexicon.from_items(items)
    assert lexicon.lowercase_uses("precise") >= 5
    c = lambda text: read(text, [], Reader(lexicon)).constraints()  # noqa: E731
    assert (c("Something precise.").brands_in, c("Something precise.").brands_out) == ([], [])
    assert c("a thermometer from Precise").brands_in == ["Precise"]
    assert c("Anything by Precise?").brands_in == ["Precise"]
    assert c("nothing from precise").brands_out == ["Precise"]


def test_a_short_number_names_an_item_only_when_called_one():
    """Amazon ids are short numbers: 'Nothing from SPECTRA 360' read 360 as item 360, and the
    brand as 'Spectra', so the shopper saw SPECTRA 360 gel again."""
    items = [Item(id="360", title="Digital caliper", brand="Spectra", price=20),
             Item(id="1761", title="Electrode gel", brand="SPECTRA 360", price=12)]
    reader = Reader(CatalogLexicon.from_items(items))
    p = read("None of these. Nothing from SPECTRA 360, please.", [items[1]], reader)
    assert p.constraints().brands_out == ["SPECTRA 360"] and p.question is None
    assert read("tell me about item 360", [], reader).question.item_ids == ["360"]
    assert read("what about #360?", [], reader).question.item_ids == ["360"]


def test_a_many_word_brand_the_catalog_writes_as_a_phrase_needs_a_capital_or_a_cue():
    """'Super Glue' is a maker; 'super glue' is what half the adhesives say they are. 'I need super
    glue gel.' made the brand a filter and the shopper saw one item."""
    items = [Item(id="G0", title="Super Glue 15187, 12-pack", brand="Super Glue", price=9),
             *[Item(id=f"G{n}", title=f"Gel adhesive {n}", brand=f"Maker{n}", price=5,
                    description="A fast super glue gel for wood and metal.") for n in range(1, 6)]]
    reader = Reader(CatalogLexicon.from_items(items))
    c = lambda text: read(text, [], reader).constraints()  # noqa: E731
    assert (c("I need super glue gel.").brands_in, c("I need super glue gel.").brands_out) == ([], [])
    assert c("anything by Super Glue?").brands_in == ["Super Glue"]
    assert c("nothing from super glue").brands_out == ["Super Glue"]


def test_a_term_before_the_kind_widens_to_the_kinds_whose_titles_end_with_both():
    """'a knitted polo' where the catalog files its knitted polo under knitwear: both kinds, the
    term still required; 'a linen shirt' does not pull in a 'Linen Shirt Dress'."""
    items = [Item(id="K1", title="Fine Merino Knitted Polo", category="knitwear", price=340),
             Item(id="K2", title="Cashmere Crew Jumper", category="knitwear", price=400),
             Item(id="S1", title="Poplin Polo", category="shirt", price=120),
             Item(id="S2", title="Linen Camp Shirt", category="shirt", price=150),
             Item(id="D1", title="Organic Linen Shirt Dress", category="dress", price=420),
             Item(id="D2", title="Silk Slip Dress", category="dress", price=500)]
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    knitted = read("a knitted polo please", [], reader).constraints()
    assert sorted(knitted.categories) == ["knitwear", "shirt"] and knitted.must_have == ["knitted"]
    assert read("a linen shirt", [], reader).constraints().categories == ["shirt"]


@pytest.mark.parametrize("text, budget", [("a women's pair of shoes. Ninety max.", 90), ("a pair of boots, 120 max", 120),
                                          ("12 pairs of gloves, 90 max", None)])
def test_a_pair_is_one_thing_to_wear_not_a_count_that_makes_max_a_quantity(text, budget):
    assert read(text, shown=[]).constraints().budget_max == budget


def test_a_word_that_starts_the_sentence_is_no_short_brand_name():
    """'Good morning' is a greeting, not the brand 'Good House'; 'nothing from Good' still names it."""
    items = [Item(id="1", title="Butyl Tape", brand="Good House", category="tape", price=5.0),
             Item(id="2", title="Nitrile Gloves", brand="Ironvale Safety", category="gloves", price=5.0)]
    reader = Reader(CatalogLexicon.from_items(items))
    assert read("Good morning - we need to order butyl tape.", [], reader).constraints().brands_in == []
    assert read("nothing from Good please", [], reader).constraints().brands_out == ["Good House"]
    assert read("Ironvale gloves please", [], reader).constraints().brands_in == ["Ironvale Safety"]


def test_a_hooded_top_is_a_hoodie_and_a_hood_says_hooded():
    items = [Item(id="H1", title="Woody", category="hoodie", price=20.0, description="Top in sweatshirt fabric with a hood."),
             Item(id="H2", title="Basic", category="hoodie", price=15.0, description="Hooded top in soft jersey."),
             Item(id="T1", title="Tee", category="t-shirt", price=5.0, description="A cotton T-shirt."),
             Item(id="T2", title="Boogie hooded tee", category="t-shirt", price=6.0, description="Hooded T-shirt.")]
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    c = read("do you have a men's hooded top?", [], reader).constraints()
    assert c.categories == ["hoodie"]
    assert all(not c.violations(i) for i in items[:2])  # 'with a hood' meets 'hooded'


def test_a_brand_with_a_dot_inside_is_ruled_out_whole():
    """'Anything but Dr.meter.': the dot inside the name ends no sentence."""
    items = [Item(id="1", title="pH Meter", brand="Dr.meter", category="meter", price=5.0),
             Item(id="2", title="Dimmer Switch", brand="Lutron", category="switch", price=5.0)]
    reader = Reader(CatalogLexicon.from_items(items))
    c = read("Not feeling these. Anything but Dr.meter.", [], reader).constraints()
    assert c.brands_out == ["Dr.meter"] and c.brands_in == []


@pytest.mark.parametrize("text, per_unit, total", [
    ("Our budget is 2k for the lot: 40 pairs of work gloves", 50, 2000),
    ("40 boxes of exam gloves, £2000 in total", 50, 2000),
    ("30 blazers, budget 900 for the lot", 30, 900),
    ("40 pairs of work gloves, €5 each", 5, None),  # a unit price stays one
    ("40 pairs of work gloves, 50 each, £2000 in total", 50, None),  # the unit price said wins
])
def test_a_budget_for_the_whole_order_is_divided_by_the_quantity(text, per_unit, total):
    r = read(text, shown=[])
    assert r.price is not None and r.price.max == per_unit
    assert r.price.total == total


@pytest.mark.parametrize("text, quantity", [
    ("ordering for 3 sites - 120 boxes of exam gloves", 120),
    ("net 30 terms on an order of 300 blazers?", 300),
    ("lot 4412, 20 boxes", 20),
])
def test_sites_and_payment_terms_are_no_order_quantity(text, quantity):
    assert read(text, shown=[]).quantity.value == quantity


@pytest.mark.parametrize("text, code, shown, act", [
    ("Merci, c'est tout pour aujourd'hui", "fr", False, "greeting"),  # thanks, longer than five words
    ("Gracias, eso es todo.", "es", False, "greeting"),
    ("Danke, ich suche noch Handschuhe", "de", False, "request"),  # thanks, then a want
    ("Hallo, ich suche Schuhe", "de", False, "request"),
    ("Me encanta el segundo", "es", True, "reaction"),
    ("Keiner davon gefällt mir", "de", True, "reaction"),
    ("Mi piace molto la seconda, c'è nella taglia 38?", "it", True, "question"),
    ("Je prends le premier", "fr", True, "reaction"),  # a choice among what was shown
    ("Ich nehme den ersten", "de", True, "reaction"),
    ("Me quedo con el segundo", "es", True, "reaction"),
    ("Prendo il terzo", "it", True, "reaction"),
    # a question word inside a verdict is its verb, not a question ('è bellissimo')
    ("Il secondo è bellissimo, il primo no.", "it", True, "reaction"),
    ("È di lana il secondo?", "it", True, "question"),
    # a verdict in the past tense
    ("Adorei o segundo! O primeiro não.", "pt", True, "reaction"),
    ("Me gustó el primero", "es", True, "reaction"),
    ("J'ai adoré le deuxième", "fr", True, "reaction"),
])
def test_what_a_message_in_another_language_does(text, code, shown, act):
    from agent.reading.lexicon import foreign_act
    assert foreign_act(text, code, shown) == act


def test_one_stopword_list_for_the_reader_and_motive_inference():
    from agent.motives import _content_words
    from agent.reading import references
    from agent.reading.lexicon import language

    words = language("en").stopwords.words
    assert references.STOPWORDS is words
    # Words the motive list had and the reader's did not are stopwords for both now.
    assert {"kind", "sort", "stuff", "don't", "as"} <= words
    assert _content_words("Something kind of smart, as I don't want stuff for the office") == ["smart", "office"]


def test_the_documents_stopwords_must_be_part_of_the_one_list():
    from pydantic import ValidationError

    from agent.reading.lexicon import Stopwords

    with pytest.raises(ValidationError, match=r"not in words.*'the'"):
        Stopwords(words=frozenset({"a", "an"}), documents=frozenset({"a", "the"}))


def test_a_titles_name_ends_before_its_details_or_maker():
    from agent.models import title_name

    assert title_name("Gloves, Nitrile, Box of 100") == "gloves"
    assert title_name("Dress in Linen") == "dress" and title_name("Enamel Mug by Northway") == "enamel mug"
    assert title_name("1/2 in Drive Socket Set") == "1/2 in drive socket set"
    lexicon = CatalogLexicon.from_items([Item(id=f"M{k}", title=f"Enamel Mug by Northway {k}", category="mugs",
                                              price=9) for k in range(3)], "any")
    assert "northway" not in lexicon.aliases  # the maker is no kind of item


@pytest.mark.parametrize("text, code", [
    ("Me encanta el segundo", "es"),
    ("me gusta el primero", "es"),
    ("El tercero es perfecto", "es"),
    ("no me gusta ninguno", "es"),
    ("J'adore le deuxième", "fr"),
    ("le premier est parfait", "fr"),
    ("Je n'aime pas le dernier", "fr"),
    ("Der zweite gefällt mir", "de"),
    ("die erste ist perfekt", "de"),
    ("keiner davon", "de"),
    ("mi piace il secondo", "it"),
    ("Prendo il terzo", "it"),  # lingua unsure (Italian 0.50, Spanish 0.45); its own words tell
    ("adoro o segundo", "pt"),
    ("I adore the second one", None),
    ("the second is perfect", None),
    ("love the first, hate the last", None),
    ("el segundo please", None),  # a Spanish word in an English message
    ("Мне нравится второй", "ru"),
    ("二番目が好きです", "ja"),
    ("我喜欢第二个", "zh"),
    ("두 번째가 좋아요", "ko"),
    ("a dress like the one in Вог", None),  # a foreign word, the message English
    ("the second one, ciao", None),
    ("EU 38 for the heels", None),  # 'eu' is Portuguese for 'I', 'EU' a size system
    ("UK 8 = EU 36 for the heels", None),  # one word of goodbye counts once, not as a word and a phrase
    # English with a word other languages share ('per' is Italian too) and a typo: English
    ("the third one is over budjet, our limit is €15 per unit.", None),
    ("7 euros per bag is our ceiling.", None),
    ("busco guantes para la cocina", "es"),
    ("2 euro per stuk is ons maximum", "nl"),
    ("Goedemorgen!", "nl"),  # one phrase of one language alone
    ("hola", "es"),
])
def test_a_short_reaction_is_told_in_its_language(text, code):
    """Two or three words of a reaction are too few for letter statistics ('Me encanta el segundo'
    scores as Portuguese); the languages' own reaction and ordinal words tell them apart."""
    r = read(text)
    assert (r.language if r.language != "en" else None) == code


@pytest.mark.parametrize("text, grade, forms", [
    ("cut resistant gloves, level C minimum", "level c", ["cut level c", "cut level d", "cut level e", "cut level f"]),
    ("at least cut level E", "cut level e", ["cut level e", "cut level f"]),
    ("safety boots, S3 minimum", "s3", ["s3", "s5"]),
    ("safety boots, at least S1P", "s1p", ["s1p", "s2", "s3", "s5"]),
    ("FFP2 or better masks, 20 boxes", "ffp2", ["ffp2", "ffp3"]),
    ("masks, minimum FFP2", "ffp2", ["ffp2", "ffp3"]),
    ("cut level C gloves", "cut level c", []),  # no minimum said: that grade
])
def test_a_minimum_grade_accepts_every_grade_above_it(text, grade, forms):
    """'level C minimum' is met by a level F glove; the grades are ordered in the domain file."""
    from agent.catalog import demo_catalog_path, read_catalog

    reader = Reader(CatalogLexicon.from_items(read_catalog(demo_catalog_path("wholesale")).items, "b2b"))
    r = read(text, shown=[], reader=reader)
    term = next(t for t in r.require if t.kind == "certification")
    assert (term.text, term.forms, term.sure) == (grade, forms, True)


def test_at_least_ip67_is_met_by_ip68_but_ip65_is_not_met_by_ip67():
    """Water ratings are two scales (IEC 60529): jets up to 6 include the lower ones, immersion 8 is
    beyond 7, and an immersion rating says nothing of jets."""
    from agent.catalog import read_catalog
    from apps.evaluation.understanding_data import ELECTRONICS

    items = {i.id: i for i in read_catalog(ELECTRONICS).items}
    reader = Reader(CatalogLexicon.from_items(list(items.values()), "any"))
    ip68, ip67 = items["EL-011"], items["EL-013"]
    assert (ip68.attributes["water_resistance"], ip67.attributes["water_resistance"]) == ("IP68", "IP67")
    at_least = read("a phone rated at least IP67", shown=[], reader=reader).constraints()
    assert not at_least.violations(ip68) and not at_least.violations(ip67)
    exactly = read("a phone with IP67", shown=[], reader=reader).constraints()
    assert not exactly.violations(ip67)
    jets = read("a phone, IP65 or better", shown=[], reader=reader)
    assert [t.forms for t in jets.require if t.kind == "certification"] == [["ip65", "ip66"]]


@pytest.fixture(scope="module")
def boutique_reader():
    from agent.catalog import demo_catalog_path, read_catalog

    items = read_catalog(demo_catalog_path("boutique")).items
    return Reader(CatalogLexicon.from_items(items, "fashion")), items


@pytest.mark.parametrize("text, field", [
    ("doesn't matter when it arrives really", "delivery"),
    ("when they turn up doesn't really matter", "delivery"),
    ("how long it takes isn't a concern", "delivery"),
    ("not fussed about the brand", "brand"),
    ("I don't really care which brand", "brand"),
    ("we're flexible on price", "budget"),
    ("I don't mind what it costs", "budget"),
    ("size doesn't matter, it's a scarf", "size"),
])
def test_not_minding_a_field_drops_it(text, field):
    """Indifference to a field, in whatever words name it, lifts that constraint."""
    assert field in [lift.field for lift in read(text, shown=[]).lift]


def test_more_than_that_is_a_critique_not_a_dropped_budget():
    r = read("I can spend more than that, show me something pricier")
    assert [c.kind for c in r.critiques] == ["pricier"] and not r.lift
    assert [lift.field for lift in read("I can spend more", shown=[]).lift] == ["budget"]


@pytest.mark.parametrize("text, categories", [
    ("he's a 50 in jackets and wants a tweed suit", ["suit"]),
    ("for my client: a 42 in dresses, dislikes polyester", ["dress"]),
    ("she's a 38 in shoes", ["shoes"]),
])
def test_the_kind_a_size_is_said_of_is_asked_for_only_when_nothing_else_is(text, categories, boutique_reader):
    reader, _ = boutique_reader
    r = reader.read(text, [], None, TODAY)
    assert sorted(c.name for c in r.categories) == categories
    assert r.sizes


def test_that_coat_is_the_item_looked_at(boutique_reader):
    """'does that coat have a lining?': the item looked at, called by its kind."""
    reader, items = boutique_reader
    coat, other = [i for i in items if i.category == "coat"][:1] + [i for i in items if i.category == "dress"][:1]
    word = next(w for w in coat.title.lower().split() if w in ("coat", "trench", "parka", "overcoat", "jacket"))
    r = reader.read(f"does that {word} come in black?", [other, coat], coat, TODAY)
    assert r.act == "question" and r.question.item_ids == [coat.id]


@pytest.mark.parametrize("text, category", [
    ("a cashmre jumper", "knitwear"),
    ("wool trowsers, navy", "trousers"),
    ("black leggins for the gym", "leggings"),
])
def test_a_typo_is_mended_to_the_word_the_catalog_uses(text, category):
    """One slip from a catalog word is that word; 'leggins' is as close to legging as to leggings,
    which are one word, so it is mended rather than left unread."""
    items = [Item(id="L1", title="High-waisted sports leggings", category="leggings", price=20),
             Item(id="K1", title="Cashmere crew jumper", category="knitwear", price=200, attributes={"material": "cashmere"}),
             Item(id="T1", title="Wool flannel trousers", category="trousers", price=150, attributes={"material": "wool"})]
    r = Reader(CatalogLexicon.from_items(items, "fashion")).read(text, [], None, TODAY)
    assert [c.name for c in r.categories] == [category]


@pytest.mark.parametrize("text, sizes", [
    ("I'm a UK 10 in dresses", ["38"]),
    ("size 10 uk dress", ["38"]),
    ("a coat, UK 12", ["40"]),
    ("a dress, US 6", ["38"]),
    ("heels, 7.5 UK", ["41"]),
    ("loafers in a UK 8", ["42"]),
    ("UK 5 so EU 38 for the heels", ["38"]),  # said in both: the catalog's
    ("EU 38 please, a dress", ["38"]),
])
def test_a_uk_or_us_size_is_the_eu_size_the_catalog_sells(text, sizes, boutique_reader):
    """The boutique sells EU sizes: a UK or US size is converted by the tables in sizes.toml
    (clothing, or shoes when a shoe is named)."""
    reader, _ = boutique_reader
    assert [s.value for s in reader.read(text, [], None, TODAY).sizes] == sizes


def test_a_material_question_goes_to_the_description_where_the_catalog_records_no_material():
    """H&M's articles have no material field: only the description can say whether one is cotton."""
    items = [Item(id="H1", title="Leeds Jumper", category="sweater", price=22, description="Knitted in a soft cotton blend.",
                  attributes={"colour": "beige"}),
             Item(id="H2", title="Rib Jumper", category="sweater", price=18, description="Fine-knit wool-blend jumper.",
                  attributes={"colour": "grey"})]
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    q = reader.read("is it cotton?", items, items[0], TODAY).question
    assert (q.field, q.value, q.item_ids) == ("description", "cotton", ["H1"])
    c = reader.read("which of those are wool?", items, None, TODAY).compare
    assert (c.field, c.goal, c.value) == ("description", "has", "wool")


@pytest.mark.parametrize("text, require, prefer", [
    ("cashmere, something in tartan maybe", ["cashmere"], ["tartan"]),
    ("a dress, maybe in red", [], ["red"]),
    ("a scarf, navy perhaps", [], ["navy"]),
])
def test_maybe_makes_a_wish_a_preference(text, require, prefer, boutique_reader):
    reader, _ = boutique_reader
    r = reader.read(text, [], None, TODAY)
    assert ([t.text for t in r.require], [t.text for t in r.prefer]) == (require, prefer)


def test_a_kind_after_with_is_a_part_of_the_item():
    """'a jacket with a hood' (where 'hood' also names the hoodies): the hood is what the jacket has."""
    items = [Item(id="J1", title="Padded jacket with a hood", category="jacket", price=60),
             Item(id="H1", title="Oversized hood top", category="hoodie", price=25)]
    r = Reader(CatalogLexicon.from_items(items, "fashion")).read("a jacket with a hood", [], None, TODAY)
    assert [c.name for c in r.categories] == ["jacket"]
    assert [t.text for t in r.require] == ["hood"]
    r = Reader(CatalogLexicon.from_items(items, "fashion")).read("a jacket, a hood would be nice", [], None, TODAY)
    assert [c.name for c in r.categories] == ["jacket"] and [t.text for t in r.prefer] == ["hood"]


@pytest.mark.parametrize("text, check", [
    ("waist 32 trousers, wool", lambda r: r.quantity is None and [s.value for s in r.sizes] == ["32"]),
    ("my wife's ring size is 54", lambda r: [s.value for s in r.sizes] == ["54"]),
    ("XS/S skirt in coral", lambda r: [s.value for s in r.sizes] == ["XS/S"]),
    ("somewhere between three and five hundred for knitwear", lambda r: (r.price.min, r.price.max) == (300, 500)),
    ("between 2 and 3 thousand euros", lambda r: (r.price.min, r.price.max) == (2000, 3000)),
    ("lookin for a camle coat", lambda r: [t.text for t in r.require] == ["camel"]),
    ("vegan client, needs shoes in a 37", lambda r: [t.text for t in r.require] == ["vegan"]),
])
def test_sizes_ranges_slips_and_people_said_as_people_say_them(text, check, boutique_reader):
    reader, _ = boutique_reader
    assert check(reader.read(text, [], None, TODAY)), text


@pytest.fixture(scope="module")
def wholesale_reader():
    from agent.catalog import demo_catalog_path, read_catalog

    items = read_catalog(demo_catalog_path("wholesale")).items
    return Reader(CatalogLexicon.from_items(items, "b2b")), items


@pytest.mark.parametrize("text, check", [
    # Said by the buyer shopper (apps/evaluation/buyer.py) as reactions to the cards shown.
    ("Those aren't safety shoes.", lambda r: [c.name for c in r.categories] == ["safety footwear"] and not r.exclude),
    ("these aren't gloves, I need aprons", lambda r: [c.name for c in r.categories] == ["workwear"]),
    ("no, it's degreaser I'm after", lambda r: [c.name for c in r.categories] == ["cleaning chemicals"]),
    ("it's lab consumables we're after.", lambda r: [c.name for c in r.categories] == ["lab consumables"]),
    ("Forgeworth Workwear is off our approved list", lambda r: [b.name for b in r.brands_out] == ["Forgeworth Workwear"]
     and not r.brands_in),
    ("No, sorry, we don't use Ironvale Safety anymore, bad experience",
     lambda r: [b.name for b in r.brands_out] == ["Ironvale Safety"] and not r.brands_in),
    ("The minimums are too high, we only need two cases at a time.", lambda r: not r.critiques),
    ("What have you got for 10 chefs?", lambda r: r.quantity is not None and not r.quantity.sure
     and r.constraints().max_moq is None),
    ("kitting out sixty operatives", lambda r: r.quantity.unit == "operative" and not r.quantity.sure),
])
def test_a_buyer_reacting_to_the_cards(text, check, wholesale_reader):
    reader, items = wholesale_reader
    assert check(reader.read(text, items[:3], None, TODAY)), text


@pytest.mark.parametrize("text, check", [
    ("49€ for the third one? we can't go above 15 euros per unit.", lambda r: r.question is None and r.price.max == 15),
    ("a 4 day lead time on the first one? no good, need them inside 72 hours.",
     lambda r: r.question is None and r.max_lead_time_days.value == 3),
    ("Does the second one even have FSC? has to be FSC certified.",
     lambda r: r.question is None and "fsc" in [t.text for t in r.require]),
    ("is the second one in stock? we need them by friday", lambda r: r.question is not None),  # a question still
    ("what's the price of the first one?", lambda r: r.question is not None and r.question.field == "price"),
])
def test_a_question_followed_by_a_limit_is_a_complaint(text, check, wholesale_reader):
    reader, items = wholesale_reader
    assert check(reader.read(text, items[:3], None, TODAY)), text
# -- dev5's wholesale and electronics phrasings, on the real catalogs ------------------------------

from agent.catalog import demo_catalog_path, read_catalog  # noqa: E402

WS_ITEMS = {i.id: i for i in read_catalog(demo_catalog_path("wholesale")).items}
WS_READER = Reader(CatalogLexicon.from_items(list(WS_ITEMS.values()), "b2b"))


def ws(text: str, shown: tuple[str, ...] = ()):
    items = [WS_ITEMS[i] for i in shown]
    return WS_READER.read(text, items, items[0] if items else None, TODAY)


@pytest.mark.parametrize("text, shown, item, field, value, quantity", [
    ("Who manufactures the chopping boards?", (), "WS-0107", "brand", None, None),
    ("who produces the chopping boards?", (), "WS-0107", "brand", None, None),
    ("pls quote unit price for 1000 of the pizza boxes", (), "WS-0098", "price", None, 1000),
    ("please advise lead time on the torque wrench", (), "WS-0124", "lead_time", None, None),
    ("pls advise price per roll at 36 rolls for the first one", ("WS-0079", "WS-0078"), "WS-0079", "price", None, 36),
    ("kindly quote 36 rolls of the first one", ("WS-0079", "WS-0078"), "WS-0079", "price", None, 36),
    ("Is the third one ex-stock?", ("WS-0078", "WS-0079", "WS-0080"), "WS-0080", "availability", "in_stock", None),
    ("can the second one ship from stock?", ("WS-0078", "WS-0079", "WS-0080"), "WS-0079", "availability", "in_stock", None),
    ("do you hold stock of the first one?", ("WS-0078", "WS-0079", "WS-0080"), "WS-0078", "availability", "in_stock", None),
    ("what is the case qty of the second one", ("WS-0078", "WS-0079", "WS-0080"), "WS-0079", "pack_size", None, None),
    ("carton quantity on the third?", ("WS-0078", "WS-0079", "WS-0080"), "WS-0080", "pack_size", None, None),
    # 'N of the <item>': the count is of the item referred to, whatever words name it
    ("price on 10,000 of the kraft mailing bags?", (), "WS-0083", "price", None, 10000),
    ("can you do 60 of the third one from stock?", ("WS-0078", "WS-0079", "WS-0080"), "WS-0080", "availability",
     "in_stock", 60),
])
def test_a_buyers_question_about_a_named_or_shown_item(text, shown, item, field, value, quantity):
    """'pls quote', 'pls advise' ask as a question mark does; 'ex-stock' is in stock; the unit a price
    is asked per ('per roll') is no kind of item, and nothing asked becomes a filter."""
    r = ws(text, shown)
    assert r.act == "question", r
    assert (r.question.item_ids, r.question.field, r.question.value) == ([item], field, value)
    assert r.question.quantity == quantity
    assert not r.categories and r.quantity is None and r.in_stock is None


@pytest.mark.parametrize("text, shown, item, field, value", [
    ("Is the descaler food safe?", (), "WS-0046", "certifications", "food safe"),  # 'food safe' is no 'food'
    ("is that one FSC certified?", ("WS-0001",), "WS-0001", "certifications", "fsc"),
    ("does the ladder meet EN 131?", (), "WS-0132", "certifications", "en 131"),
    ("does the ladder comply with EN 131?", (), "WS-0132", "certifications", "en 131"),
    ("can these go in the washing machine?", ("WS-0001",), "WS-0001", "description", "machine washable"),  # no care field
])
def test_a_yes_no_question_keeps_its_whole_value_and_the_field_that_holds_it(text, shown, item, field, value):
    r = ws(text, shown)
    assert (r.act, r.question.item_ids, r.question.field, r.question.value) == ("question", [item], field, value)


@pytest.mark.parametrize("text, require, prefer", [
    ("Looking for T-shirts for staff, preferably organic cotton, GOTS, Fair Wear would be a bonus",
     [], ["fair wear", "gots", "organic cotton"]),
    ("t-shirts, preferably navy, cotton, GOTS if possible", [], ["cotton", "gots", "navy"]),
    ("T-shirts, ideally organic cotton, GOTS, 200 of them", ["gots"], ["organic cotton"]),  # nothing soft after GOTS
    ("compostable caddy liners, about 40 rolls, home compostable if we can", ["compostable"], ["home compostable"]),
    ("caddy liners, home compostable where possible", [], ["home compostable"]),
    ("we need 5,000 birch cutlery sets, what's your best price per set", ["birch"], []),
    ("we go through loads of napkins. Could I get ten cases of compostable napkins delivered before the end of the month?",
     ["compostable"], []),
])
def test_what_is_soft_stays_soft_and_what_is_firm_is_kept(text, require, prefer):
    """Bare terms listed between two soft phrases are soft; a material before the kind is required,
    also when the kind was named once before in passing."""
    r = ws(text)
    assert sorted(t.text for t in r.require) == require
    assert sorted(t.text for t in r.prefer) == prefer


@pytest.mark.parametrize("text, critique", [
    ("hmm these are a bit flimsy for a building site, got anything more heavy duty?", "more:heavy duty"),
    ("something more heavy-duty please", "more:heavy-duty"),
    ("anything more cut resistant?", "more:cut resistant"),
])
def test_a_critique_keeps_a_two_word_quality(text, critique):
    r = ws(text, ("WS-0010", "WS-0011"))
    assert (r.act, [c.label() for c in r.critiques]) == ("critique", [critique])


from pathlib import Path  # noqa: E402

EL_ITEMS = {i.id: i for i in read_catalog(Path(__file__).resolve().parent.parent / "apps" / "evaluation" / "data"
                                             / "electronics.jsonl").items}
EL_READER = Reader(CatalogLexicon.from_items(list(EL_ITEMS.values()), "any"))


def el(text: str, shown: tuple[str, ...] = (), focus: str | None = None):
    items = [EL_ITEMS[i] for i in shown]
    return EL_READER.read(text, items, EL_ITEMS[focus] if focus else (items[0] if items else None), TODAY)


@pytest.mark.parametrize("text, value", [
    ("does it have a headphone jack?", "headphone jack"),
    ("has it got an aux input?", "aux input"),
    ("has it got a usb-c port?", "usb-c port"),
])
def test_a_connector_asked_about_is_a_port_not_a_kind_of_item(text, value):
    r = el(text, ("EL-011", "EL-013", "EL-015"), "EL-013")
    assert (r.act, r.question.item_ids, r.question.field, r.question.value) == ("question", ["EL-013"], "ports", value)
    assert not r.categories


@pytest.mark.parametrize("text, categories, require", [
    ("Laptop: 16GB RAM minimum, 512GB storage or more, under 1.5 kg, backlit keyboard", ["laptop"], ["backlit"]),
    ("a laptop and a keyboard", ["keyboard", "laptop"], []),  # two kinds, no feature
    ("backlit keyboard", ["keyboard"], ["backlit"]),
    ("smartwatch between £100 and £300 with GPS", ["smartwatch"], ["gps"]),
    ("a phone under 500 with NFC please", ["phone"], ["nfc"]),
    ("over ear headphones", ["headphones"], ["over-ear"]),  # a kind of headphone, not worn over them
    ("earbuds ipx4 wireless charging case", ["earbuds"], ["ipx4", "wireless charging"]),  # one phrase, not two words
])
def test_a_feature_is_required_of_the_kind_wanted(text, categories, require):
    r = el(text)
    assert sorted(c.name for c in r.categories) == categories
    assert sorted(t.text for t in r.require) == require


@pytest.mark.parametrize("text", ["can you help me fix my wifi at home?", "my router keeps dropping, any idea why?",
                                  "can you fix my laptop?"])
def test_help_with_what_one_has_is_off_topic(text):
    r = el(text)
    assert (r.act, r.categories) == ("off_topic", [])


def test_a_new_one_after_a_support_complaint_is_a_request():
    assert el("my router keeps dropping, I need a new one").act == "request"


@pytest.mark.parametrize("text, lift", [
    ("OK the gloves don't need to be EN 388 after all", "require:en 388"),
    ("ok the boots needn't be S3 after all", "require:s3"),
    ("I don't need them to be black", "require:black"),
])
def test_a_requirement_dropped_of_the_kind_already_searched(text, lift):
    r = ws(text)
    assert [x.label() for x in r.lift] == [lift]
    assert not r.categories and not r.require


def test_a_cutter_box_is_how_cling_film_comes_not_a_box_to_buy():
    r = ws("I need cling film for the kitchen but please no PVC, and if possible something in a cutter box")
    assert [c.name for c in r.categories] == ["catering disposables"]
    assert [t.text for t in r.prefer] == ["cutter box"] and [t.text for t in r.exclude] == ["pvc"]


@pytest.mark.parametrize("text, item, field", [
    ("pls send spec sheet for the first one", "WS-0078", "description"),
    ("can you send the data sheet for the third?", "WS-0080", "description"),
    ("any discount at 5,000 pairs on the second?", "WS-0079", "tiered_prices"),
])
def test_a_document_or_a_discount_asked_for_is_a_question_about_the_item(text, item, field):
    r = ws(text, ("WS-0078", "WS-0079", "WS-0080"))
    assert (r.act, r.question.item_ids, r.question.field) == ("question", [item], field)


def test_a_question_with_a_support_verb_keeps_the_value():
    r = el("does it support wifi 6?", ("EL-001", "EL-003", "EL-005"), "EL-003")
    assert (r.question.item_ids, r.question.field, r.question.value) == (["EL-003"], "connectivity", "wifi 6")


@pytest.mark.parametrize("text, check", [
    ("We need EN374-1 on them", lambda r: [(t.text, t.forms) for t in r.require] == [("en 374-1", ["en 374-1", "iso 374-1"])]),
    ("gloves, EN 374-5", lambda r: [t.forms for t in r.require] == [["en 374-5", "iso 374-5"]]),
    ("the middle one is over budget, our limit is 55 cent ea", lambda r: r.price.max == 0.55),
    ("can you sort us out with washroom paper? it's for the night cleaners",
     lambda r: [c.name for c in r.categories] == ["paper hygiene"] and not r.require),
    ("can you sort us out with bin bags?", lambda r: [c.name for c in r.categories] == ["waste bags"]),
])
def test_more_of_a_buyers_words(text, check, wholesale_reader):
    """A standard as the buyer writes it is met by the catalog's spelling of it; 'sort us out with'
    asks for the kind; 'the night cleaners' are people."""
    reader, items = wholesale_reader
    assert check(reader.read(text, items[:3], None, TODAY)), text


@pytest.mark.parametrize("text, needed", [
    ("The middle one isn't fsc, we need fsc.", "fsc"),
    ("The 3rd one isn't EN14476, we need EN14476.", "en 14476"),
])
def test_what_a_shown_item_lacks_and_is_then_asked_for_is_required(text, needed, wholesale_reader):
    """'the middle one isn't FSC, we need FSC' asks for FSC: it ruled FSC out before (the same word
    was first read as an exclusion, which then removed the requirement)."""
    reader, items = wholesale_reader
    r = reader.read(text, items[:3], None, TODAY)
    assert needed in [t.text for t in r.require] and needed not in [t.text for t in r.exclude]


@pytest.mark.parametrize("text, pack", [
    ("We need packs of 100 though.", "pack of 100"),
    ("it has to be 200 to a tub", "tub of 200"),
    ("the first one is close but we need it in 1000 to a box", "box of 1,000"),
    ("we need it in cases of 1,000", "case of 1,000"),
])
def test_how_the_item_is_packed(text, pack, wholesale_reader):
    """A pack said in the buyer's words is read as the catalog writes packs ('box of 1,000')."""
    reader, items = wholesale_reader
    r = reader.read(text, items[:3], None, TODAY)
    assert pack in [t.text for t in r.require] and not r.categories


@pytest.mark.parametrize("text, shown, check", [
    # a price quoted back from a card as too high asks for cheaper and sets no limit of its own
    ("0.48 each for the postal boxes is steep, got anything cheaper?", ("WS-0075", "WS-0076", "WS-0077"),
     lambda r: r.price is None and [c.kind for c in r.critiques] == ["cheaper"] and not r.liked),
    # (too much of something is a critique of the card, as the labelled sets read it, not a card turned down)
    ("1.45 for the first one is too much", ("WS-0075", "WS-0076", "WS-0077"),
     lambda r: r.price is None and [c.kind for c in r.critiques] == ["cheaper"] and not r.rejected),
    ("The 2nd one at 46 eur is too dear, need under €25 ea.", ("WS-0075", "WS-0076", "WS-0077"),
     lambda r: r.price.max == 25 and not r.rejected),
    # a price the buyer proposes is its limit
    ("PLA cold cups, 10 cases, can you do 45 a case?", (), lambda r: r.price.max == 45 and r.quantity.value == 10),
    ("could you do 3.20 a box on 500 boxes?", (), lambda r: r.price.max == 3.2 and r.quantity.value == 500),
    ("nitrile gloves x2000 <0.10 ea", (), lambda r: r.price.max == 0.1 and r.quantity.value == 2000),
    # verdicts on shown items named by their titles
    ("the centrefeed rolls are the ones, put us down for 30 cases", ("WS-0058", "WS-0059", "WS-0068"),
     lambda r: r.liked == ["WS-0068"] and r.quantity.value == 30),
    ("the cloths are spot on, mop heads not so much", ("WS-0058", "WS-0059", "WS-0060"),
     lambda r: r.liked == ["WS-0058"] and r.rejected == ["WS-0059"] and r.act == "reaction"),
    ("neither - a 7 day lead time is no good, we need them by friday", ("WS-0016", "WS-0017"),
     lambda r: r.rejected == ["WS-0016", "WS-0017"] and r.max_lead_time_days.value == 3),
    # counts in trade shorthand
    ("50off face shields, must be EN 166, friday next week latest", (),
     lambda r: (r.quantity.value, r.quantity.unit, r.max_lead_time_days.value) == (50, "shield", 10)),
    ("looking for hi vis vests class 2 x 300, recycled if poss", (), lambda r: (r.quantity.value, r.quantity.unit) == (300, "vest")),
    ("lab coats all cotton x50, 1k total budget", (), lambda r: (r.quantity.value, r.price.max) == (50, 20)),
    ("cold store gloves, waterproof, EN 511 - two dozen pairs within a week", (),
     lambda r: (r.quantity.value, r.quantity.unit) == (24, "pair")),
])
def test_a_buyers_prices_verdicts_and_counts(text, shown, check, wholesale_reader):
    """From dev7's wholesale messages, each a family: prices quoted back or proposed, verdicts on items
    named by title words, counts after the product ('x 300', '50off')."""
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, terms", [
    ("welding gauntlets EN 12477 type A, 12 prs", {"en 12477": ["en 12477", "en 12477 type a"], "type a": []}),
    ("work gloves, EN 388 4131X min", {"en 388": [], "4131x": []}),  # no glove of the catalog meets it
    ("gloves EN 388 2121X or better", {"en 388": [], "2121x": ["2121x", "3121xp", "3133x", "3143x"]}),
    ("ear defenders snr 30 or better", {"snr 30": ["snr 30", "snr 37"]}),
    ("level 5 cut gloves, 100 pairs", {"level 5": []}),
    ("half masks with A2P3 filters", {"a2p3": []}),
])
def test_a_standard_its_class_code_and_rating(text, terms, wholesale_reader):
    """A standard and its class are two requirements; a performance code or a rating said as a
    minimum is met by the catalog's codes and ratings at least as high (an EN 388 code place by
    place, an X meeting only an X); what no item meets stays soft."""
    reader, items = wholesale_reader
    r = reader.read(text, [], None, TODAY)
    assert {t.text: t.forms for t in r.require} == terms
    assert all(t.sure == bool(t.forms or reader.lexicon.uses(t.text)) for t in r.require if t.text in ("4131x", "snr 30"))


@pytest.mark.parametrize("text, shown, check", [
    ("how are the level F ones packed?", ("WS-0001", "WS-0002", "WS-0003"),
     lambda r: r.question.item_ids == ["WS-0002"] and r.question.field == "pack_size"),
    ("drop the level F ones, too expensive for us", ("WS-0001", "WS-0002", "WS-0003"), lambda r: r.rejected == ["WS-0002"]),
])
def test_a_shown_item_named_by_its_grade(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, numeric, require", [
    ("I want a smartwatch with GPS that lasts at least 120 hours between charges", ["battery_hours>=120"], ["gps"]),
    ("a router that covers at least 400 square metres", ["coverage_m2>=400"], []),
    ("the first one - 500 m² of coverage is exactly what our office needs", ["coverage_m2>=500"], []),
    ("usb-c cable, 2m minimum, 240W", ["length_m>=2", "wattage_w>=240"], ["usb-c"]),
    ("laptop with at least 16GB RAM, must weigh under 1.5kg", ["ram_gb>=16", "weight_kg<=1.5"], []),
    ("phone, ip68, 5g, battery 20+ hours", ["battery_hours>=20"], ["ip68", "5g"]),
])
def test_a_limit_on_a_numeric_field_in_shoppers_words(text, numeric, require):
    """A field named by the language's words for it ('lasts' for battery, 'covers' for coverage),
    a unit the language knows ('square metres'), a wattage the catalog's items state ('240W'); the
    field's word beside the number is part of the limit, not a feature ('must weigh', 'battery')."""
    r = el(text)
    assert [n.label() for n in r.numeric] == numeric and sorted(t.text for t in r.require) == sorted(require)


@pytest.mark.parametrize("text, shown, needed", [
    ("The third one is nearly there, but we need 200 to a case.", ("WS-0117", "WS-0112", "WS-0118"), [("case of 200", True)]),
    ("the top one comes as 750 ml trigger bottle, we nead 5 litre cans.", ("WS-0049", "WS-0042", "WS-0041"),
     [("5 l can", True)]),
    ("The middle one would do but it has to be racks of twenty-five.", ("WS-0117", "WS-0112", "WS-0118"),
     [("rack of 25", True)]),
    ("the 2nd one is close but we nead it in 1 ltr cartridges", ("WS-0062", "WS-0061", "WS-0063"),
     [("1 l cartridge", True)]),
    ("Has to be 5 ltr cans, that's what our dispensers take.", (), [("5 l can", True)]),
])
def test_a_pack_or_container_the_buyer_needs(text, shown, needed, wholesale_reader):
    """'200 to a case' is how the item is packed, not 200 to order; '5 litre cans' is the catalog's
    '5 L can'; what a shown card says it comes in ('comes as 750 ml trigger bottle') is not wanted.
    Hard when the catalog's texts write it (no case of 200 is sold: it ranks)."""
    r = ws(text, shown)
    assert [(t.text, t.sure) for t in r.require] == needed and r.quantity is None


@pytest.mark.parametrize("text, needed", [
    ("20 packs of 1000 greaseproof sheets", None),  # twenty packs ordered
    ("6 x 20L drums of dishwasher detergent", None),
    ("sterile 50 ml centrifuge tubes", None),  # the tubes are the kind, 50 ml their size
])
def test_a_counted_pack_is_the_order_not_its_packing(text, needed, wholesale_reader):
    reader, items = wholesale_reader
    r = reader.read(text, [], None, TODAY)
    assert not any(" of " in t.text or re.fullmatch(r"[\d.]+ (?:l|ml) \w+", t.text) for t in r.require), text


@pytest.mark.parametrize("text, term, forms", [
    ("can you sort us out with washroom paper? we need the Ecolabel on them", "ecolabel", ["eu ecolabel"]),
    ("no. en149 is a must.", "en 149", ["en 149", "en 149:2001"]),
    ("anything we buy has to carry oekotex", "oekotex", ["oeko-tex standard 100"]),
    ("Nordic Swan Ecolabel please", "nordic swan ecolabel", []),
])
def test_a_standard_named_as_buyers_shorten_it(text, term, forms, wholesale_reader):
    """'the Ecolabel' is the catalog's EU Ecolabel (it states it far more often than the Nordic Swan
    Ecolabel, and writes 'Ecolabel' as a name); 'en149' is its 'EN 149:2001'; 'oekotex' starts only
    'OEKO-TEX Standard 100'. A whole name the catalog writes is read whole."""
    reader, items = wholesale_reader
    r = reader.read(text, [], None, TODAY)
    assert [(t.text, t.forms, t.sure) for t in r.require] == [(term, forms, True)]


@pytest.mark.parametrize("text, check", [
    ("Hmm no, we only order one of them at a time, no storage space", lambda r: r.max_moq.value == 1 and not r.exclude),
    ("What do you have in a probe? Budget is 125€ for five pcs.", lambda r: r.price.max == 25 and r.quantity.value == 5),
    ("Does the top one even have en12477? has to be en12477.",
     lambda r: [(t.text, t.forms) for t in r.require] == [("en 12477", ["en 12477", "en 12477 type a"])]),
])
def test_more_of_the_buyer_shoppers_limits(text, check, wholesale_reader):
    """One at a time is a minimum order of one; 'no storage space' is why, not a thing ruled out; a
    budget 'for five pcs' is for the five; 'en12477' is the catalog's one 'EN 12477 Type A'."""
    reader, items = wholesale_reader
    assert check(reader.read(text, items[:3], None, TODAY)), text
# Fashion phrasing from dev7 (boutique and hm), by family: each row one family's phrase, not a
# labelled message.
@pytest.mark.parametrize("text, check", [
    # a day an occasion is for dates the delivery
    ("for saturday: simple black dress", lambda r: r.max_lead_time_days.value == 4),
    ("a clutch for a dinner TOMORROW!!", lambda r: r.max_lead_time_days.value == 1),
    ("a pale blue shirt in a large, within the week", lambda r: r.max_lead_time_days.value == 7),
    ("thanks, that's all for today", lambda r: r.max_lead_time_days is None and r.in_stock is None),
    # a budget said for several items is per item
    ("two silk scarves for my sisters, 400 total", lambda r: (r.price.max, r.price.total) == (200, 400)),
    ("two silk scarves, 400 for both", lambda r: (r.price.max, r.price.total) == (200, 400)),
    ("nothin over 500 for a cashmere jumper", lambda r: r.price.max == 500),
    ("a party dress, under 20 if poss", lambda r: r.price.max == 20 and r.quantity is None),
    # a wish said after the term
    ("a cashmere jumper, grey if u have it", lambda r: [t.text for t in r.prefer] == ["grey"] and not r.require[1:]),
    ("a silk dress, red if they do it", lambda r: [t.text for t in r.prefer] == ["red"]),
    # one size converted to another: the later one, the shop's, is meant
    ("He's a 34 waist, which makes him a 90 in belts. A leather belt", lambda r: [s.value for s in r.sizes] == ["90"]
     and [t.text for t in r.require] == ["leather"]),
    ("hes a 9 in uk shoes, so 43. white trainers", lambda r: [s.value for s in r.sizes] == ["43"]
     and [t.text for t in r.require] == ["white"]),
    ("He's a 40 regular in UK sizing, so a 50. A tweed suit", lambda r: [s.value for s in r.sizes] == ["50"]),
    ("a UK 5 in the heels and a medium in the top", lambda r: sorted(s.value for s in r.sizes) == ["38", "M"]),
    ("Between an S and an M in trousers", lambda r: sorted(s.value for s in r.sizes) == ["M", "S"]),
    ("he's a 42 chest, which I believe is a 52 in EU sizing. Navy blazer", lambda r: [s.value for s in r.sizes] == ["52"]),
    # lifts and critiques in a shopper's words
    ("fine, she'll stretch the budget if it's the right piece", lambda r: [x.field for x in r.lift] == ["budget"]),
    ("forget navy, colour doesn't matter", lambda r: [(x.field, x.value) for x in r.lift] == [("require", "navy")]),
    ("ok wool is fine after all, she was only worried about mohair",
     lambda r: [(x.field, x.value) for x in r.lift] == [("exclude", "wool")] and not r.require),
    ("her birthday isn't until March, no rush", lambda r: not r.exclude),
    ("denim jacket for him, nothing too pricey, 70 tops", lambda r: r.price.max == 70 and not r.critiques),
    # who is speaking or in the shop is no requirement and no stock limit
    ("Client in store now: she's an EU 39 in shoes, wants silver shoes",
     lambda r: r.in_stock is None and [t.text for t in r.require] == ["silver"]),
    # a kind of what is asked for ruled out: the asked kind stays, the narrower kind is the exclusion
    ("Swimsuit for the Maldives! I'm a medium, no bikinis please",
     lambda r: [c.name for c in r.categories] == ["swimwear"] and [t.text for t in r.exclude] == ["bikini"]),
    ("no trousers, a dress", lambda r: [c.name for c in r.categories] == ["dress"] and not r.exclude),
    ("She finds Maison Ardent a bit much, so nothing from them please. Black trousers",
     lambda r: [b.name for b in r.brands_out] == ["Maison Ardent"] and not r.brands_in),
])
def test_fashion_phrasing_by_family(text, check, boutique_reader):
    reader, items = boutique_reader
    assert check(reader.read(text, [], None, TODAY)), text


@pytest.mark.parametrize("text, attribute", [("in a darker shade?", "dark"), ("something paler?", "pale"),
                                             ("anything a bit deeper?", "deep")])
def test_a_comparative_asked_of_what_was_shown_is_a_critique(text, attribute, boutique_reader):
    """'in a darker shade?' asks for more of a quality than the shown item has, not its colour."""
    reader, items = boutique_reader
    r = reader.read(text, items[:1], None, TODAY)
    assert r.act == "critique" and r.question is None
    assert [(c.kind, c.attribute) for c in r.critiques] == [("more_like", attribute)]


def test_words_that_name_a_kind_only_sometimes():
    """'for my boyfriend' is whom the jumper is for (not H&M's boyfriend jeans); 'new brief' is the
    task (not a swim brief); 'does the first one have a hood' asks of it (no hoodies wanted); 'the
    Flamingo coat' names the item titled 'Flamingo' whose kind is coat."""
    items = [Item(id="J1", title="Boyfriend jeans", category="trousers", price=30),
             Item(id="S1", title="Fine-knit jumper", category="sweater", price=25),
             Item(id="B1", title="Bikini brief", category="swimwear bottom", price=10),
             Item(id="H1", title="Hooded top", category="hoodie", price=20),
             Item(id="C1", title="Flamingo", category="coat", price=60),
             Item(id="D1", title="ED Flamingo", category="dress", price=40)]
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    assert [c.name for c in reader.read("A jumper for my boyfriend, dark blue", [], None, TODAY).categories] == ["sweater"]
    assert not reader.read("reset. new person, new brief", [], None, TODAY).categories
    r = reader.read("does the first one have a hood", items[3:5], None, TODAY)
    assert r.question is not None and not r.categories
    q = reader.read("what colour's the Flamingo coat?", [], None, TODAY).question
    assert q is not None and (q.item_ids, q.field) == (["C1"], "colour")


def test_a_kind_named_in_a_question_on_a_shown_item_is_no_new_search(boutique_reader):
    reader, items = boutique_reader
    ring = next(i for i in items if i.category == "jewellery")
    r = reader.read("What ring sizes does the first one come in?", [ring], None, TODAY)
    assert r.act == "question" and r.question.field == "size" and not r.categories


@pytest.mark.parametrize("text, field, goal, value", [
    ("which of the three is the least formal?", "description", "min", "formal"),
    ("Which of them can go in the washing machine?", "care", "has", "machine washable"),
    ("Are any of them machine washable?", "care", "has", "machine washable"),
])
def test_which_of_the_shown_items(text, field, goal, value, boutique_reader):
    """'the least formal' is the one with least of a quality; 'which of them can go in the washing
    machine?' asks which of the shown items have it, not a yes/no question on all of them."""
    reader, items = boutique_reader
    r = reader.read(text, items[:3], None, TODAY)
    assert r.act == "compare" and r.question is None
    assert (r.compare.field, r.compare.goal, r.compare.value) == (field, goal, value)


@pytest.mark.parametrize("text, critiques", [
    ("too short, I need something longer", [("more_like", "long")]),
    ("too dressy, something more casual", [("less_like", "dressy"), ("more_like", "casual")]),
])
def test_one_ask_said_both_ways_is_one_critique(text, critiques, boutique_reader):
    reader, items = boutique_reader
    r = reader.read(text, items[:2], None, TODAY)
    assert sorted((c.kind, c.attribute) for c in r.critiques) == sorted(critiques)


@pytest.mark.parametrize("text, critiques", [
    ("these are a bit formal", [("less_like", "formal")]),          # a hedge said of what was shown means 'too'
    ("both a bit busy", [("less_like", "busy")]),
    ("bit clinical looking tbh", [("less_like", "clinical")]),
    ("something a bit formal", []),                                   # asked for, not a verdict
    ("the other two feel a bit young for them", []),                  # turns them down (a reaction)
    ("a bit flimsy, anything more heavy duty?", [("more_like", "heavy duty")]),  # one ask, said both ways
    ("nothing that chunky pls", [("less_like", "chunky")]),           # how much, not 'that chunky one'
    ("not that chunky!", [("less_like", "chunky")]),
])
def test_a_hedge_or_a_degree_said_of_what_was_shown_is_less_of_it(text, critiques, boutique_reader):
    reader, items = boutique_reader
    chunky = [i for i in items if "chunky" in i.title.lower()][:1] + items[:2]
    r = reader.read(text, chunky, None, TODAY)
    assert sorted((c.kind, c.attribute) for c in r.critiques) == sorted(critiques)
    assert not [x for x in r.references if x.quote.lower().startswith("that chunky")]


def test_not_that_chunky_one_is_the_item(boutique_reader):
    reader, items = boutique_reader
    chunky = [i for i in items if "chunky" in i.title.lower()][:1] + items[:2]
    r = reader.read("not that chunky one", chunky, None, TODAY)
    assert r.rejected == [chunky[0].id]


@pytest.mark.parametrize("text, shown, check", [
    ("2 and 3 both fine, scrap the first", ("WS-0061", "WS-0062", "WS-0063"),
     lambda r: r.liked == ["WS-0062", "WS-0063"] and r.rejected == ["WS-0061"] and r.price is None),
    ("middle one's no good, other two are fine", ("WS-0061", "WS-0062", "WS-0063"),
     lambda r: r.liked == ["WS-0061", "WS-0063"] and r.rejected == ["WS-0062"]),
    ("helmet's grand, we'll go with that", ("WS-0017", "WS-0018", "WS-0019"),
     lambda r: r.liked == ["WS-0019"] and not r.categories),
    ("1.45 for the first one is too much", ("WS-0075", "WS-0076", "WS-0077"),
     lambda r: [c.kind for c in r.critiques] == ["cheaper"]),  # a price is no bare number of an item
    ("packridge ones are fine, not the caddy liners", ("WS-0071", "WS-0072", "WS-0073"),  # two cards of that brand
     lambda r: r.liked == ["WS-0071", "WS-0073"] and r.rejected == ["WS-0072"] and not r.lift),
])
def test_verdicts_on_shown_items_by_number_or_a_title_word(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, quantity, unit", [
    ("hi vis vests, class 2, x200 - would prefer recycled polyester", 200, "vest"),
    ("need hi vis parkas, class 3, 30 off", 30, "parka"),
    ("we'll need a gross of hand gel bottles", 144, "bottle"),
    ("filtered pipette tips, sterile, x 50 racks, ex stock only", 50, "rack"),
    ("black leggings, max 15", None, None),  # 'max' is no 'x'
])
def test_a_count_after_the_product_and_its_words(text, quantity, unit, wholesale_reader):
    reader, items = wholesale_reader
    r = reader.read(text, [], None, TODAY)
    assert ((r.quantity.value, r.quantity.unit) if r.quantity else (None, None)) == (quantity, unit)


def test_a_narrower_kind_in_a_sentence_of_its_own_is_the_kind_wanted(wholesale_reader):
    reader, items = wholesale_reader
    r = reader.read("we're approved-supplier only: Ironvale or Forgeworth for PPE. need hi vis parkas, class 3",
                    [], None, TODAY)
    assert [c.name for c in r.categories] == ["hi-vis clothing"]
    assert len(reader.read("PPE for the site, mainly gloves", [], None, TODAY).categories) > 1


@pytest.mark.parametrize("text, categories", [
    ("can you sort us out with cleaning stuff? it's for the cleaning crew in the chemical store",
     ["cleaning chemicals", "cleaning equipment"]),
    ("we need catering disposables for the guys decanting chemicals, it's chemical splash we're worried abt.",
     ["catering disposables"]),
    ("Hi there. after high viz for our dye house. nasty chemicals.", ["hi-vis clothing"]),
    ("Kitting out the night cleaners in our washrooms, need hand hygiene.", ["hand hygiene"]),
    ("gloves for handling chemicals", ["safety gloves"]),
    ("we need chemicals for the dishwasher", ["cleaning chemicals"]),
])
def test_where_the_workers_are_and_what_they_handle_is_not_what_is_bought(text, categories, wholesale_reader):
    """'the chemical store', 'chemical splash', 'decanting chemicals', 'nasty chemicals', 'the night
    cleaners' name no kind wanted (lang/en/kinds.toml); the kind said otherwise is still read."""
    reader, items = wholesale_reader
    assert [c.name for c in reader.read(text, [], None, TODAY).categories] == categories


@pytest.mark.parametrize("text, require, prefer", [
    ("not fussed about the brand but we'd like EU Ecolabel on the floor cleaner if poss", [], ["eu ecolabel"]),
    ("Greaseproof sheets - has to be PFAS free, and unbleached if you've got it", ["pfas-free"], ["unbleached"]),
    ("Got any Blue Angel certified bin bags? 10 boxes", ["blue angel"], []),
    ("FSC if possible", [], ["fsc"]),
])
def test_a_standard_wished_for_in_its_own_piece_of_the_message(text, require, prefer, wholesale_reader):
    reader, items = wholesale_reader
    r = reader.read(text, [], None, TODAY)
    assert ([t.text for t in r.require], [t.text for t in r.prefer]) == (require, prefer)


def test_a_foreign_reaction_naming_a_shown_item_is_a_reaction_though_it_thanks():
    reader = READER
    r = reader.read("Die zweite passt, danke", SHOWN, None, TODAY)
    assert (r.act, r.language) == ("reaction", "de")
@pytest.mark.parametrize("text, shown, liked, rejected", [
    # a verdict said bare after the items ('last two fine'), or 'fine by me'
    ("first two no, last two fine", ("EL-037", "EL-038", "EL-039", "EL-040"), ["EL-039", "EL-040"], ["EL-037", "EL-038"]),
    ("first one no, second ok", ("EL-037", "EL-038"), ["EL-038"], ["EL-037"]),
    ("the wireless one is fine by me", ("EL-037", "EL-039"), ["EL-039"], []),
    # a clipped word of the title names its item ('refurb' of 'Refurbished')
    ("the refurb one's fine by me", ("EL-003", "EL-004"), ["EL-003"], []),
    # a title word with a digit ('4K'), a short word that tells two titles apart ('Trek Max' / 'Trek Mini')
    ("love the 4K one but it's too dear", ("EL-032", "EL-033", "EL-034"), ["EL-034"], []),
    ("Trek Max is great but too pricey", ("EL-027", "EL-028"), ["EL-028"], []),
    ("Trek Mini is great, not the other one", ("EL-027", "EL-028"), ["EL-027"], ["EL-028"]),
])
def test_a_verdict_lands_on_the_item_its_words_name(text, shown, liked, rejected):
    r = el(text, shown)
    assert sorted(x.item_id for x in r.references if x.polarity == "liked") == liked
    assert sorted(x.item_id for x in r.references if x.polarity == "rejected") == rejected
    assert not r.lift and not r.categories


@pytest.mark.parametrize("text, prefer", [
    # what the person tends to like, or tends to be her thing, is wished for, not required
    ("a silk scarf, she tends to like pinks", ["pink"]),
    ("a jumper, he tends to go for navy", ["navy"]),
    ("knitwear, cream tends to be her thing", ["cream"]),
    ("a coat, black is usually his colour", ["black"]),
    # a quality with an opposite, alone after 'preferably'
    ("a skirt, preferably long, maybe in green", ["green", "long"]),
    ("a dress, ideally short", ["short"]),
])
def test_what_the_person_tends_to_like_is_a_wish(text, prefer):
    r = READER.read(text, [], None, TODAY)
    assert sorted(t.text for t in r.prefer) == prefer
    assert not r.require and not r.exclude


@pytest.mark.parametrize("text, categories, numeric", [
    # a kind's own name before another kind describes it: 'laptop charger' is a charger
    ("my laptop charger died, want one that does 100 watts or more", ["charger"], ["wattage_w>=100"]),
    ("a laptop charger please", ["charger"], []),
    # a shopper's word for a kind: 'mesh wifi' is a router, no mesh, no wifi asked for
    ("a wifi router that covers at least 400 m2", ["router"], ["coverage_m2>=400"]),
    ("a wifi extender", ["router"], []),
    # 'then' typed for 'than'
    ("tablet w/ 8 gigs ram, no more then 500g", ["tablet"], ["ram_gb>=8", "weight_kg<=0.5"]),
    # a field's words on a charge; a bare number after a limit with another field's words
    ("earbuds that do 8 hours on a charge at least, 30 with the case", ["earbuds"],
     ["battery_hours>=8", "battery_with_case_hours>=30"]),
    ("earbuds, 6 hours battery minimum and 24 with the case", ["earbuds"],
     ["battery_hours>=6", "battery_with_case_hours>=24"]),
])
def test_electronics_kinds_and_limits_as_people_write_them(text, categories, numeric):
    r = el(text)
    assert sorted(c.name for c in r.categories) == categories
    assert sorted(f"{n.field}{n.op}{n.value:g}" for n in r.numeric) == numeric
    assert not r.require and not r.exclude and not r.critiques


@pytest.mark.parametrize("text", ["money's not really an issue actually", "price's not an issue for her",
                                  "money isn't a problem"])
def test_money_said_not_to_matter_lifts_the_budget(text):
    r = READER.read(text, [], None, TODAY)
    assert [lift.field for lift in r.lift] == ["budget"]
    assert r.act == "request"


@pytest.mark.parametrize("text, require", [
    # a word of genuineness before the material wanted does not hide it
    ("not the puffer - she wants proper wool", ["wool"]),
    ("he needs real leather", ["leather"]),
    ("she wants genuine cashmere, nothing else", ["cashmere"]),
])
def test_a_material_wanted_after_a_word_of_genuineness(text, require):
    r = READER.read(text, SHOWN, None, TODAY)
    assert sorted(t.text for t in r.require) == require
    assert r.act == "request"


def test_a_colour_said_to_be_a_must_is_required_though_a_shown_item_is_that_colour():
    """'pink is a must' asks for pink; the verdict-subject rule ('helmet's grand') takes only a word
    of a title that is no term (a colour, a material) of the catalog."""
    from agent.catalog import demo_catalog_path, read_catalog

    items = read_catalog(demo_catalog_path("boutique")).items
    pink = next(i for i in items if "pink" in f"{i.title} {i.attributes.get('colour', '')}".lower())
    others = [i for i in items if i.id != pink.id][:2]
    r = READER.read("pink is a must", [*others, pink], None, TODAY)
    assert [t.text for t in r.require] == ["pink"] and not r.liked and not r.rejected


@pytest.mark.parametrize("text, item, field", [
    ("any price breaks on the nitrile gauntlets?", "WS-0004", "tiered_prices"),  # 'any price' drops no budget here
    ("price breaks on the rinse aid pls", "WS-0045", "tiered_prices"),  # a field asked tersely, no '?'
    ("lead time on the torque wrench", "WS-0124", "lead_time"),
])
def test_a_field_asked_of_a_named_item_tersely(text, item, field, wholesale_reader):
    reader, items = wholesale_reader
    r = reader.read(text, [], None, TODAY)
    assert (r.act, r.question.item_ids, r.question.field, r.lift) == ("question", [item], field, [])


def test_an_inverted_question_mark_is_spanish():
    assert READER.read("¿Tienen este abrigo en talla M?", SHOWN, None, TODAY).language == "es"


@pytest.mark.parametrize("text, shown, field, goal", [
    ("cheapest ea?", ("WS-0010", "WS-0011", "WS-0012"), "price", "min"),
    ("lowest MOQ out of them pls", ("WS-0123", "WS-0125", "WS-0133"), "moq", "min"),
    # 'the three' is the items shown, though one title says 'Class 3'
    ("right, so of the three, which one actually gets to us quickest? we're a bit stuck",
     ("WS-0031", "WS-0036", "WS-0026"), "lead_time", "min"),
])
def test_a_buyers_comparison_over_the_cards(text, shown, field, goal, wholesale_reader):
    r = ws(text, shown)
    assert (r.act, r.compare.field, r.compare.goal) == ("compare", field, goal)


@pytest.mark.parametrize("text, shown, check", [
    ("whats the min order qty for the 12 inch pizza boxes", (),  # the title writes '12 in'
     lambda r: (r.act, r.question.item_ids, r.question.field) == ("question", ["WS-0098"], "moq")),
    ("the last two are fine, the first one's lead time is too long for us", ("WS-0113", "WS-0114", "WS-0115"),
     lambda r: r.act == "reaction" and r.rejected == ["WS-0113"] and not r.critiques),
])
def test_a_unit_as_people_write_it_and_a_field_too_long(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, shown, check", [
    ("when could I get the ceramic ones?", ("EL-022", "EL-023", "EL-026"),
     lambda r: (r.question.item_ids, r.question.field) == (["EL-026"], "lead_time")),
    ("Tablet with the stylus included, 12 inch screen or larger, 256GB+", (),
     lambda r: [n.label() for n in r.numeric] == ["screen_in>=12", "storage_gb>=256"] and not r.critiques),
])
def test_electronics_lead_time_question_and_a_limit_with_its_field_between(text, shown, check):
    assert check(el(text, shown)), text


@pytest.mark.parametrize("text, shown, check", [
    # a plural head after a word that several shown items share, not all: each of them, no brand ruled out
    ("nah not the Packridge ones", ("WS-0071", "WS-0072", "WS-0073"),
     lambda r: (r.act, r.rejected, r.constraints().brands_out) == ("reaction", ["WS-0071", "WS-0073"], [])),
    ("the Packridge ones are nice", ("WS-0071", "WS-0072", "WS-0073"),
     lambda r: (r.act, r.liked) == ("reaction", ["WS-0071", "WS-0073"])),
    ("no Packridge please", ("WS-0071", "WS-0072", "WS-0073"), lambda r: r.constraints().brands_out == ["Packridge"]),
    # asking what else there is: a request, the verdict only on the one named, 'no use' rules nothing out
    ("3rd no - out of stock is no use to us, what else have you got ex-stock?", ("WS-0066", "WS-0067", "WS-0069"),
     lambda r: (r.act, r.rejected, r.exclude, r.in_stock is not None) == ("request", ["WS-0069"], [], True)),
    # a relative compared with the cards: a comparison, with its condition
    ("the cheapest one thats in stock?", ("WS-0008", "WS-0009", "WS-0010"),
     lambda r: (r.act, r.compare.field, r.compare.goal, r.in_stock is not None) == ("compare", "price", "min", True)),
    ("which pack has the most in it?", ("WS-0008", "WS-0009", "WS-0010"),
     lambda r: (r.act, r.compare.field, r.compare.goal) == ("compare", "pack_size", "max")),
    ("honestly the degreaser looks right but finance would kill me at that price, anything a bit less?",
     ("WS-0042", "WS-0043", "WS-0044"), lambda r: r.act == "critique" and [c.label() for c in r.critiques] == ["cheaper"]),
    ("anything a bit less formal?", ("WS-0042", "WS-0043"), lambda r: [c.label() for c in r.critiques] == ["less:formal"]),
    # a grade too short to index alone names the item with the word before it, as its title does
    ("can you quote 500 pairs of the level F cut gloves? ex VAT", (),
     lambda r: (r.act, r.question.item_ids, r.question.field, r.question.quantity) == ("question", ["WS-0002"], "price", 500)),
    # the kind that a wish is about is bought; the wish is its quality
    ("bonus if the cling film is PVC free but it's not a deal breaker", (),
     lambda r: [c.name for c in r.categories] == ["catering disposables"] and [t.text for t in r.prefer] == ["pvc-free"]
     and not r.require),
    ("Can you do £0.40 ea or less on pizza boxes if we take 4000?", (),
     lambda r: (r.quantity.value, r.quantity.unit) == (4000, "box")),
    ("the Clearwell degreaser, we need 40", (), lambda r: (r.quantity.value, r.quantity.unit) == (40, "unit")),
])
def test_a_buyers_verdicts_comparisons_and_counts_as_dev8_words_them(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, shown, check", [
    # a comparative over the cards asks what its superlative asks
    ("between the first two, which works out cheaper per pair?", ("WS-0021", "WS-0022", "WS-0024"),
     lambda r: (r.act, r.compare.field, r.compare.goal, r.critiques) == ("compare", "price", "min", [])),
    ("which one's lighter", ("WS-0021", "WS-0022", "WS-0024"), lambda r: (r.compare.field, r.compare.goal) == ("weight", "min")),
    ("which is more expensive", ("WS-0021", "WS-0022"), lambda r: (r.compare.field, r.compare.goal) == ("price", "max")),
    ("cheaper?", ("WS-0021", "WS-0022"), lambda r: r.act == "critique"),
    ("biggest bottle?", ("WS-0061", "WS-0062", "WS-0063"), lambda r: (r.compare.field, r.compare.goal) == ("pack_size", "max")),
    # the field of the cards that says the value
    ("which is pfas-free out of those", ("WS-0095", "WS-0094", "WS-0096"),
     lambda r: (r.compare.field, r.compare.value) == ("certifications", "pfas-free")),
    # a kind's informal name that clips a word of one card's title names that card
    ("the wellies are out of stock so thats a no", ("WS-0021", "WS-0022", "WS-0024"),
     lambda r: (r.act, r.rejected, r.categories) == ("reaction", ["WS-0024"], [])),
    ("love the trousers, but the coverall's lead time is a killer", ("WS-0030", "WS-0036", "WS-0031"),
     lambda r: (r.liked, r.rejected) == (["WS-0030"], ["WS-0031"])),
    ("the jacket is a killer deal", ("WS-0030", "WS-0036", "WS-0031"), lambda r: r.liked == ["WS-0036"]),
    ("not keen on the packridge bags tbh", ("WS-0071", "WS-0072", "WS-0073"),
     lambda r: (r.act, r.rejected, r.categories) == ("reaction", ["WS-0071", "WS-0073"], [])),
    ("What are the chef trousers made from?", ("WS-0030", "WS-0032", "WS-0033"),
     lambda r: r.question.item_ids == ["WS-0033"]),
    ("if we put the PO in today when would it land with us?", ("WS-0016", "WS-0017", "WS-0018"),
     lambda r: (r.act, r.question.field) == ("question", "lead_time")),
])
def test_comparatives_informal_names_and_verdicts_on_the_cards(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, check", [
    ("we can take bigger minimums after all", lambda r: [x.field for x in r.lift] == ["moq"]),
    # what the catalog says by its absence ('unbleached') can be ruled out
    ("greaseproof paper, PFAS free and FSC, 10 packs, nothing bleached", lambda r: [t.text for t in r.exclude] == ["bleached"]),
    # places the order is for are no quantity
    ("we need toilet rolls and hand towels for 3 offices, recycled", lambda r: r.quantity is None),
    ("bin liners for 12 sites, 40 rolls each", lambda r: (r.quantity.value, r.quantity.unit) == (40, "roll")),
    # two kinds in one noun phrase are the kind both can be
    ("Hand sanitiser gel EN 1500, 48 bottles", lambda r: [c.name for c in r.categories] == ["hand hygiene"]),
    ("Dziękuję, to wszystko na dziś", lambda r: (r.language, r.act) == ("pl", "greeting")),
])
def test_lifts_absences_places_compound_kinds_and_polish(text, check, wholesale_reader):
    assert check(ws(text, ())), text


@pytest.mark.parametrize("text, shown, check", [
    # the size of a counted container is part of the unit ordered
    ("need 12 x 20L drums of dishwasher detergent", (), lambda r: (r.quantity.value, r.quantity.unit, r.require) == (12, "drum", [])),
    ("dishwasher detergent, phosphate free, 20L drums, 8 of them", (),
     lambda r: (r.quantity.value, [t.text for t in r.require]) == (8, ["phosphate-free"])),
    # a total volume gives way to the count of the containers it comes in
    ("we need 200 L of floor cleaner (40 x 5L cans), EU ecolabel", (), lambda r: (r.quantity.value, r.quantity.unit) == (40, "can")),
    ("200 litres of floor cleaner, delivered next week", (), lambda r: (r.quantity.value, r.quantity.unit) == (200, "litre")),
    # a count's noun is the product's, not a class or a unit's word in its name
    ("PO to follow - 300 hi vis vests class 2, max £3.50 each", (), lambda r: r.quantity.unit == "vest"),
    ("400 mop heads, cotton", (), lambda r: r.quantity.unit == "head" and r.quantity.value == 400),
    ("75 pairs of splash goggles, EN 166, target 7 ea", (), lambda r: [t.text for t in r.require] == ["en 166"]),
    ("Call-off order: 50 cases of hand towels, recycled, first delivery within 3 days", (),
     lambda r: [t.text for t in r.require] == ["recycled"] and r.max_lead_time_days.value == 3),
    # deadlines said after the day, a bare duration in a list, a bare 'within 5' in the unit already used
    ("S3 boots x 60 pairs, need them monday latest", (), lambda r: r.max_lead_time_days.value == 6),
    ("forty chef jackets, polycotton, MOQ no higher than 10, two weeks", (), lambda r: r.max_lead_time_days.value == 14),
    ("love the salad bowls but 9 days is too long, need them within 5", ("WS-0089", "WS-0093", "WS-0100"),
     lambda r: (r.act, r.max_lead_time_days.value, r.price, r.critiques) == ("request", 5, None, [])),
    # what a yes/no question asks ends the item's name
    ("is the sanitiser spray EN 14476?", ("WS-0043", "WS-0052", "WS-0061"),
     lambda r: (r.act, r.question.item_ids, r.question.value) == ("question", ["WS-0043"], "en 14476")),
    ("is the sanitiser spray food safe?", ("WS-0043", "WS-0052", "WS-0061"), lambda r: r.question.value == "food safe"),
    # 'and the ...' asks only at the start
    ("first two no, and the last one's out of stock so no good either", ("WS-0021", "WS-0022", "WS-0024"),
     lambda r: (r.act, r.rejected) == ("reaction", ["WS-0021", "WS-0022", "WS-0024"])),
    ("and the last one's lead time", ("WS-0021", "WS-0022", "WS-0024"), lambda r: r.question.field == "lead_time"),
    # a price asked at a quantity
    ("what would it be ea if we took 250?", ("WS-0010", "WS-0011", "WS-0015"),
     lambda r: (r.question.field, r.question.quantity) == ("price", 250)),
    ("price on the last one at 10k?", ("WS-0010", "WS-0011", "WS-0015"),
     lambda r: (r.question.item_ids, r.question.quantity) == (["WS-0015"], 10000)),
])
def test_a_buyers_units_deadlines_and_questions_as_dev10_words_them(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, shown, check", [
    # a size said as a body measurement, the number before or after the word, with or without a unit;
    # the measurement beside a size the catalog sells is that size said two ways
    ("wool trousers, 32 waist, navy would be lovely", (), lambda r: [s.value for s in r.sizes] == ["32"]),
    ("white dress shirt, collar 16in so a 40", (),
     lambda r: [s.value for s in r.sizes] == ["40"] and [t.text for t in r.require] == ["white"]),
    # a person's age is no budget, for any numbers
    ("grey hoodie for my son, age 8-10", (), lambda r: r.price is None and not r.sizes),
    ("a coat for an 8 to 10 year old, under 300", (), lambda r: (r.price.max, r.price.min) == (300, None)),
    # a comparative asked with 'which' over the shown items is their superlative
    ("between the two which is the pricier one", ("BQ-001", "BQ-002"),
     lambda r: (r.act, r.compare.field, r.compare.goal) == ("compare", "price", "max") and not r.liked),
    ("which one's cheaper?", ("BQ-001", "BQ-002"), lambda r: (r.act, r.compare.field, r.compare.goal) == ("compare", "price", "min")),
    ("something cheaper?", ("BQ-001", "BQ-002"), lambda r: r.act == "critique"),
    # 'any of them in X', 'any X ones among those four': which of the shown items have it, '?' or not
    ("any of them in black", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: (r.act, r.compare.field, r.compare.goal, r.compare.value) == ("compare", "colour", "has", "black") and not r.require),
    ("any black ones among those four?", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: (r.act, r.compare.field, r.compare.value) == ("compare", "colour", "black")),
    ("any of those in navy", ("BQ-001", "BQ-002", "BQ-003"), lambda r: (r.act, r.compare.value) == ("compare", "navy")),
])
def test_fashion_sizes_ages_and_comparisons_as_dev9_words_them(text, shown, check):
    by_id = {i.id: i for i in ITEMS}
    r = READER.read(text, [by_id[i] for i in shown], None, TODAY)
    assert check(r), text


@pytest.mark.parametrize("text, shown, check", [
    # a negated comparison before a number turns round, for any numeric field
    ("laptop under 1.5 kilos, no smaller than 14 inch", (),
     lambda r: sorted(n.label() for n in r.numeric) == ["screen_in>=14", "weight_kg<=1.5"]),
    ("headphones, battery not shorter than 20 hours", (), lambda r: [n.label() for n in r.numeric] == ["battery_hours>=20"]),
    ("laptop not heavier than 2kg", (), lambda r: [n.label() for n in r.numeric] == ["weight_kg<=2"]),
    # a number and unit before a kind word, limiting a field of the kind named first: a feature
    ("phone with a 48MP camera or better and at least 256 gigs", (), lambda r: [c.name for c in r.categories] == ["phone"]),
    ("a 33MP camera", (), lambda r: [c.name for c in r.categories] == ["camera"]),
    # 'mesh' in 'mesh wifi' is the kind's name: no router is made of mesh
    ("mesh wifi that covers at least 400 m2, big house", (),
     lambda r: [c.name for c in r.categories] == ["router"] and not r.require and [n.label() for n in r.numeric] == ["coverage_m2>=400"]),
    # 'how much' before a field's own word asks that field, alone the price
    ("how much RAM has the Lumio AirBook 14 got?", (), lambda r: (r.question.item_ids, r.question.field) == (["EL-001"], "ram_gb")),
    ("how much is the Lumio AirBook 14?", (), lambda r: r.question.field == "price"),
    # a bare superlative on a numeric field, with items shown, compares them
    ("highest wattage?", ("EL-027", "EL-028", "EL-030"),
     lambda r: (r.act, r.compare.field, r.compare.goal) == ("compare", "wattage_w", "max")),
    ("lowest weight", ("EL-001", "EL-002"), lambda r: (r.act, r.compare.field, r.compare.goal) == ("compare", "weight_kg", "min")),
])
def test_electronics_limits_kinds_and_comparisons_as_dev9_words_them(text, shown, check):
    assert check(el(text, shown)), text


def test_a_material_a_kind_is_made_of_stays_in_its_name(wholesale_reader):
    r = ws("nitrile gloves, 200 pairs")
    assert [t.text for t in r.require] == ["nitrile"]


@pytest.mark.parametrize("text, check", [
    ("For Mr Laurent: a 52, charcoal wool flannel suit, he won't do anything double-breasted",
     lambda r: [t.text for t in r.exclude] == ["double-breasted"] and "double-breasted" not in [t.text for t in r.require]),
    ("PVC-free please, and she won't touch polyester. A swimsuit, ideally navy", lambda r: [t.text for t in r.exclude] == ["polyester"]),
    # 'must arrive by the 18th' is a deadline, no requirement to 'arrive'
    ("she wants a gown, under €4,000, and it must arrive by the 18th", lambda r: not r.require and r.max_lead_time_days.value == 17),
])
def test_a_clients_refusals_and_a_deadline_said_with_must(text, check):
    assert check(READER.read(text, [], None, TODAY)), text


@pytest.mark.parametrize("text, check", [
    ("both are useless", lambda r: (r.act, r.rejected) == ("reaction", ["WS-0124", "WS-0129"])),
    ("both are great", lambda r: r.liked == ["WS-0124", "WS-0129"]),
    ("are both in stock?", lambda r: (r.act, r.question.item_ids) == ("question", ["WS-0124", "WS-0129"])),
    ("need gloves, both nitrile and latex free", lambda r: not r.liked and not r.rejected),
])
def test_both_is_every_card_shown_as_a_subject(text, check, wholesale_reader):
    assert check(ws(text, ("WS-0124", "WS-0129"))), text


@pytest.mark.parametrize("text, shown, check", [
    ("my client's a medium, looking for a cashmere jumper", (), lambda r: [s.value for s in r.sizes] == ["M"]),
    # a size in brackets after another is the same size said two ways, the later the shop's
    ("collar 16 (a 40 i think), white cotton shirt, under 300", (), lambda r: [s.value for s in r.sizes] == ["40"]),
    # where it is worn is no exclusion
    ("which is the least formal of the three? he's going to a garden party, not a board meeting", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: r.act == "compare" and not r.exclude),
    ("Which of these are machine washable?", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: (r.compare.field, r.compare.value) == ("care", "machine washable")),
])
def test_fashion_sizes_occasions_and_care_as_dev10_words_them(text, shown, check):
    by_id = {i.id: i for i in ITEMS}
    assert check(READER.read(text, [by_id[i] for i in shown], None, TODAY)), text


@pytest.mark.parametrize("text, check", [
    ("laptop for uni, under 1.5 kilos, 13-14 inch screen, max 600",
     lambda r: [n.label() for n in r.numeric] == ["weight_kg<=1.5", "screen_in>=13", "screen_in<=14"] and r.price.max == 600),
    ("tablet between 10 and 12 inch", lambda r: [n.label() for n in r.numeric] == ["screen_in>=10", "screen_in<=12"] and r.price is None),
    ("laptop, 1TB and 32GB of RAM", lambda r: [n.label() for n in r.numeric] == ["storage_gb>=1000", "ram_gb>=32"]),
    ("usb-c cable at least 2 metres, rated 100W or more", lambda r: "rated" not in [t.text for t in r.require]),
])
def test_a_range_on_a_numeric_field_gives_both_ends(text, check):
    assert check(el(text, ())), text


@pytest.mark.parametrize("text, shown, check", [
    ("uh whats the lead time on the second one", ("WS-0021", "WS-0022", "WS-0024"),
     lambda r: (r.act, r.question.item_ids, r.question.field) == ("question", ["WS-0022"], "lead_time")),
    ("okay thanks thats everything for today bye", (), lambda r: (r.act, r.in_stock) == ("greeting", None)),
    ("Kindly revert with lead time for the item WS-0017", (), lambda r: (r.act, r.question.field) == ("question", "lead_time")),
    ("Too much expensive. Something more cheap please", ("WS-0021", "WS-0022"), lambda r: r.act == "critique"),
    ("Second and third one not suitable, first is ok for us", ("WS-0021", "WS-0022", "WS-0024"),
     lambda r: (r.act, r.liked, r.rejected, r.exclude) == ("reaction", ["WS-0021"], ["WS-0022", "WS-0024"], [])),
    ("Ok, MOQ is no more problem for us, we take bigger quantity", (), lambda r: [x.field for x in r.lift] == ["moq"]),
    # spoken decimals before a multiplier; a description after the kind, as another language orders it
    ("um we need one point five thousand toilet rolls recycled delivered within ten working days", (),
     lambda r: (r.quantity.value, r.quantity.unit, [t.text for t in r.require]) == (1500, "roll", ["recycled"])),
    ("We are needing gloves nitrile 500 pairs, food safe", (), lambda r: [t.text for t in r.require] == ["nitrile", "food-safe"]),
    ("pipette tips sterile filtered qty 20 racks by fri", (), lambda r: [t.text for t in r.require] == ["sterile", "filtered"]),
    ("we'll need a gross of hand gel bottles", (), lambda r: not r.require),
    ("We need disinfectant virucidal 40 cans, EN 14476, budget total 1200 euro", (),
     lambda r: r.price.max == 30 and "virucidal" in [t.text for t in r.require]),
    ("We require safety shoes S3, 120 pairs", (), lambda r: [c.name for c in r.categories] == ["safety footwear"]),
    ("RFQ ref 2291 - FFP3 masks, 100 boxes, lead time 7 days max", (),
     lambda r: [c.name for c in r.categories] == ["respiratory protection"] and r.quantity.unit == "box"),
    ("we need compostable cold cups, approx. 5,000, EN 13432 certified", (), lambda r: (r.quantity.value, r.quantity.unit) == (5000, "cup")),
    ("Please quote 12 screwdriver sets, IEC 60900, delivery by Friday 11 December.", (), lambda r: r.max_lead_time_days.value == 10),
    ("Lead time not exceeding 7 days.", (), lambda r: r.max_lead_time_days.value == 7),
    ("Please note we will not accept anything from Kestrel Foodservice going forward.", (),
     lambda r: r.constraints().brands_out == ["Kestrel Foodservice"] and not r.brands_in and not r.exclude),
    ("nitrile gloves pwdr free 5 boxes by thurs", (), lambda r: "powder-free" in [t.text for t in r.require]),
    ("hand gel x60 btls, fragrance free, in stock only", (), lambda r: (r.quantity.value, r.quantity.unit) == (60, "bottle")),
    ("What is price of cable ties if we take 1000 bags?", (),
     lambda r: (r.act, r.question.item_ids, r.question.quantity, r.categories) == ("question", ["WS-0131"], 1000, [])),
    ("can you quote 40 cases of 2-ply toilet roll, recycled", (), lambda r: r.act == "request" and r.quantity.value == 40),
    ("pizza boxes moq?", (), lambda r: (r.act, r.question.item_ids, r.question.field) == ("question", ["WS-0098"], "moq")),
    ("price @ 1000 for the 4th?", ("WS-0010", "WS-0011", "WS-0015", "WS-0016"),
     lambda r: (r.question.item_ids, r.question.quantity) == (["WS-0016"], 1000)),
    ("Do you have a price break at 200 cases for the hand towels?", (), lambda r: r.question.field == "tiered_prices"),
    ("Kindly confirm whether the third item complies with EN ISO 20471.", ("WS-0008", "WS-0009", "WS-0010"),
     lambda r: (r.act, r.question.item_ids, r.question.value) == ("question", ["WS-0010"], "en iso 20471")),
    ("Both proposed items are rejected as unsuitable for our application.", ("WS-0008", "WS-0009"),
     lambda r: (r.act, r.rejected) == ("reaction", ["WS-0008", "WS-0009"])),
    ("last one no. first one yes", ("WS-0011", "WS-0012", "WS-0013"), lambda r: (r.liked, r.rejected) == (["WS-0011"], ["WS-0013"])),
    ("Delivery constraints are withdrawn; made-to-order items are now acceptable.", (),
     lambda r: [x.label() for x in r.lift] == ["delivery"]),
    ("The requirement for EU Ecolabel certification is hereby withdrawn.", (),
     lambda r: [x.label() for x in r.lift] == ["require:eu ecolabel"] and not r.require),
])
def test_dev11_buyers_dictated_non_native_emails_and_sms(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, shown, focus, check", [
    # a fraction said after the unit ('a day and a half', 'a kilo and a half'), a hedge after the limit
    ("a telephone with a long battery, at least a day and a half", (), None,
     lambda r: [n.label() for n in r.numeric] == ["battery_hours>=36"] and [c.name for c in r.categories] == ["phone"]),
    ("a laptop that weighs no more than about a kilo and a half", (), None,
     lambda r: [n.label() for n in r.numeric] == ["weight_kg<=1.5"]),
    ("a phone with at least around two hours and a half of battery", (), None,
     lambda r: [n.label() for n in r.numeric] == ["battery_hours>=2.5"]),
    # a unit form two fields share ('g'): the one whose field is named
    ("phone, 256G+ storage", (), None, lambda r: [n.label() for n in r.numeric] == ["storage_gb>=256"]),
    ("a mouse under 80g", (), None, lambda r: [n.label() for n in r.numeric] == ["weight_kg<=0.08"]),
    # the field's word of a range is no requirement
    ("laptop, screen between 13 and 14 in", (), None,
     lambda r: not r.require and [n.label() for n in r.numeric] == ["screen_in>=13", "screen_in<=14"]),
    # shoppers' names for a kind
    ("the watch needs to last five days between charges", (), None, lambda r: [c.name for c in r.categories] == ["smartwatch"]),
    ("a smartphone under 500", (), None, lambda r: [c.name for c in r.categories] == ["phone"]),
    # what the wanted item goes with is no second kind; the buyer's 'I require' is a need
    ("I require a wired keyboard for my desktop computer", (), None,
     lambda r: [c.name for c in r.categories] == ["keyboard"] and [t.text for t in r.require] == ["wired"]),
    ("a mouse for my laptop", (), None, lambda r: [c.name for c in r.categories] == ["mouse"]),
    ("a laptop for a student and a mouse", (), None, lambda r: [c.name for c in r.categories] == ["laptop", "mouse"]),
    ("these are way too expensive for a 12 year old's laptop", ("EL-006", "EL-001"), None,
     lambda r: r.act == "critique" and not r.categories),
])
def test_dev11_electronics_voices_requests(text, shown, focus, check):
    assert check(el(text, shown, focus)), text


@pytest.mark.parametrize("text, shown, focus, check", [
    # 'how much does X weigh': the verb names the field, not the price
    ("how much does the Corvane Fieldbook weigh?", (), None,
     lambda r: r.question is not None and r.question.field == "weight_kg" and r.question.item_ids == ["EL-003"]),
    ("how much does it weigh?", ("EL-003",), None, lambda r: r.question.field == "weight_kg"),
    ("how much does it cost?", ("EL-003",), None, lambda r: r.question.field == "price"),
    # 'how long is it' asks the same of an item named ('that cable')
    ("how long is that cable in metres?", ("EL-046", "EL-060"), "EL-060",
     lambda r: r.question is not None and (r.question.field, r.question.item_ids) == ("length_m", ["EL-060"])),
    # yes/no: the noun is the field, its modifier the value; a decimal stays whole
    ("does it have a backlit keyboard?", ("EL-003", "EL-004"), "EL-004",
     lambda r: (r.question.field, r.question.value) == ("keyboard", "backlit")),
    ("does the curved one have hdmi 2.1", ("EL-033", "EL-032"), None,
     lambda r: r.question is not None and (r.question.item_ids, r.question.field, r.question.value) == (["EL-033"], "ports", "hdmi 2.1")),
    # 'something with more storage?' is a critique, the reason after it none
    ("something with more storage? these fill up way too fast", ("EL-007", "EL-009"), None,
     lambda r: r.act == "critique" and [c.label() for c in r.critiques] == ["more:storage"]),
    ("something more compact? I want it in a jacket pocket", ("EL-054", "EL-055"), None,
     lambda r: r.act == "critique" and not r.liked),
])
def test_dev11_electronics_voices_questions_and_critiques(text, shown, focus, check):
    assert check(el(text, shown, focus)), text


@pytest.mark.parametrize("text, shown, check", [
    # a shown item called by a value of its fields; slang put-downs
    ("the 75hz one is trash, 165hz at least", ("EL-035", "EL-032"),
     lambda r: r.rejected == ["EL-035"] and [n.label() for n in r.numeric] == ["refresh_hz>=165"]),
    ("I like the 165hz one", ("EL-035", "EL-032"), lambda r: r.liked == ["EL-032"]),
    ("the first one is garbage", ("EL-035", "EL-032"), lambda r: r.rejected == ["EL-035"]),
    # an older shopper turning everything down
    ("I do not care for any of them, I'm afraid.", ("EL-027", "EL-028", "EL-030"),
     lambda r: r.act == "reaction" and r.rejected == ["EL-027", "EL-028", "EL-030"]),
])
def test_dev11_electronics_voices_verdicts(text, shown, check):
    assert check(el(text, shown)), text


@pytest.mark.parametrize("text, shown, check", [
    # a value taken back mid-message: the later one of its kind replaces it
    ("a dress, size 38, emerald, no wait, make that navy, up to 2000", (), lambda r: [t.text for t in r.require] == ["navy"]),
    ("a blazer, navy or - no, charcoal", (), lambda r: [t.text for t in r.require] == ["charcoal"]),
    ("no wool, no silk", (), lambda r: sorted(t.text for t in r.exclude) == ["silk", "wool"]),
    # a price spoken as hundreds and the rest
    ("a medium cashmere jumper in grey budget around three fifty", (), lambda r: r.price.max == 420),
    ("a blazer, under two twenty-five", (), lambda r: r.price.max == 225),
    ("a shirt, collar 15 and half - in Italy we say 40 - white", (), lambda r: [s.value for s in r.sizes] == ["40"]),
    # '+' joins a terse list; a size right after the kind; the size said again
    ("none. needs to be black + 38", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: [s.value for s in r.sizes] == ["38"] and len(r.rejected) == 3),
    ("shoes 38, black, sub 700", (), lambda r: [s.value for s in r.sizes] == ["38"] and [c.name for c in r.categories] == ["shoes"]),
    ("brand: don't care. size still M.", (), lambda r: [s.value for s in r.sizes] == ["M"]
     and [lift.field for lift in r.lift] == ["brand"]),
    # lifts said in other words
    ("a coat, size L. Price is no problem.", (), lambda r: [lift.field for lift in r.lift] == ["budget"]),
    ("actually leathers fine after all", (), lambda r: [lift.label() for lift in r.lift] == ["exclude:leather"]),
    # verdicts: the rest, 'adored', 'vetoed all three', 'she'll take'
    ("2nd yes, rest no", ("BQ-001", "BQ-002", "BQ-003"), lambda r: r.liked == ["BQ-002"]
     and sorted(r.rejected) == ["BQ-001", "BQ-003"]),
    ("She adored the first one, the other two not so much", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: r.liked == ["BQ-001"] and sorted(r.rejected) == ["BQ-002", "BQ-003"]),
    ("My daughter has vetoed all three, apparently they're 'very grandma'.", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: r.act == "reaction" and len(r.rejected) == 3),
    # comparisons and questions
    ("Between these two, which one is the most cheap?", ("BQ-001", "BQ-002"),
     lambda r: (r.compare.field, r.compare.goal) == ("price", "min")),
    ("any in stock??", ("BQ-001", "BQ-002", "BQ-003"), lambda r: r.act == "compare" and r.compare.field == "availability"),
    ("out of those which one is made of silk", ("BQ-001", "BQ-002", "BQ-003"), lambda r: (r.compare.field, r.compare.value) == ("material", "silk")),
    ("she wants to know where the blazer is made", ("BQ-001", "BQ-003"), lambda r: (r.act, r.question.field) == ("question", "origin")),
    ("is it machine washable i dont do dry cleaning", ("BQ-002",), lambda r: r.question.value == "machine washable"),
    ("These boots, you have it in the 37?", ("BQ-004",), lambda r: (r.question.field, r.question.value) == ("size", "37")),
    # exclusions that are none: a person, a whereabouts, an occasion
    ("silk scarf for her mother, prefers blues (her mother does, not her)", (),
     lambda r: not r.exclude and [t.text for t in r.prefer] == ["blue"]),
    ("which of those is the least formal? she wants it for a lunch, not the opera", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: r.act == "compare" and not r.exclude),
    ("shoes size 38 nothing in suede it marks too easily", (), lambda r: r.act == "request" and not r.critiques),
    # run-on terms: after the kind, insisted on, soft before 'but', plurals ruled out, 'gone vegan'
    ("a dress for my wife midnight blue under a thousand euros", (), lambda r: [t.text for t in r.require] == ["midnight blue"]),
    ("a navy blazer size 40 wool obviously and i need it by friday", (), lambda r: sorted(t.text for t in r.require) == ["navy", "wool"]),
    ("a blazer, navy preferably but it has to be here by next week", (), lambda r: [t.text for t in r.prefer] == ["navy"]),
    ("a jumper, no patterns", (), lambda r: [t.text for t in r.exclude] == ["pattern"]),
    ("a handbag, she's just told me she's gone vegan", (), lambda r: [t.text for t in r.require] == ["vegan"]),
    # delivery: where the person is till a day, and a stay's length, are no deadlines
    ("a handbag. she's in Dubai till the 10th so no rush, but it must land here by the 14th", (),
     lambda r: r.max_lead_time_days.value == 13 and not r.lift and not r.require),
    ("after a dress for a week in Rome, under 300 Aussie dollars", (), lambda r: r.max_lead_time_days is None and r.price.currency == "AUD"),
    ("こんにちは。今日もよろしくお願いします。", (), lambda r: r.act == "greeting"),
])
def test_dev11_boutique_voices(text, shown, check):
    by_id = {i.id: i for i in ITEMS}
    assert check(READER.read(text, [by_id[i] for i in shown], None, TODAY)), text


@pytest.mark.parametrize("text, shown, check", [
    ("Ironvale and Sanora are off our approved list.", (), lambda r: sorted(r.constraints().brands_out) == ["Ironvale Safety", "Sanora Professional"]),
    ("we love Verdeleaf and Sanora is off our list", (), lambda r: r.constraints().brands_out == ["Sanora Professional"]),
    ("Hej! Vi behöver 30 par skyddsskor S3, leverans inom en vecka.", (), lambda r: r.language == "sv"),
    ("Lead time must not exceed four weeks.", (), lambda r: r.max_lead_time_days.value == 28 and not r.require),
    ("are the blue detectable plasters CE marked?", (), lambda r: r.question.value == "ce"),
    # counted, but not what is ordered
    ("MOQ isn't an issue anymore, we've merged the two orders", (), lambda r: r.quantity is None),
    ("6.20 each for the foaming cartridges is steep, we've got 200 rooms to do", (), lambda r: r.quantity is None),
    ("start over, I need something else entirely", (), lambda r: (r.act, r.lift) == ("reset", [])),
    # a count after the product's unit, and a count said again
    ("pizza boxes x1000, under 50 cents each", (), lambda r: (r.quantity.value, r.quantity.unit) == (1000, "box")),
    ("Can I get 100 boxes of nitrile gloves - sorry, 120 boxes - powder free", (), lambda r: r.quantity.value == 120),
    ("clinical waste bags, orange, maybe 20 boxes, could be 30 - let's say 25", (), lambda r: (r.quantity.value, r.quantity.unit) == (25, "box")),
    ("We need detectable plasters for the production floor, blue obviously - 40 boxes", (),
     lambda r: "blue" in [t.text for t in r.require]),
    # a property by its form is asked for, though a title says it; 'nitrile coated' is said by nitrile
    ("non-bio laundry liquid with the EU Ecolabel", (), lambda r: "non-bio" in [t.text for t in r.require]),
    ("thickened bleach, 40 cans", (), lambda r: [t.text for t in r.require] == ["thickened"]),
    ("2,000 pairs nitrile coated gloves EN388", (), lambda r: "coated" not in [t.text for t in r.require]),
    ("sharps bins are fine, go ahead with those", ("WS-0120", "WS-0073"), lambda r: (r.act, r.liked, r.lift) == ("reaction", ["WS-0120"], [])),
    ("vinyl ones are a no, not for fatty foods. the blue detectable ones are good", ("WS-0101", "WS-0102", "WS-0005"),
     lambda r: (r.liked, r.rejected) == (["WS-0101"], ["WS-0102"])),
])
def test_dev12_buyers_lists_counts_said_again_and_verdicts(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


@pytest.mark.parametrize("text, shown, check", [
    ("6.20 each for the foaming cartridges is steep, we've got 200 rooms to do", ("WS-0062", "WS-0063", "WS-0064"),
     lambda r: (r.act, r.price, r.quantity) == ("critique", None, None)),
    ("Could you confirm whether the second item is certified to EN 343?", ("WS-0043", "WS-0052", "WS-0040"),
     lambda r: (r.question.item_ids, r.question.value) == (["WS-0052"], "en 343")),
    ("out of those which ones have the EU Ecolabel?", ("WS-0043", "WS-0052", "WS-0040"),
     lambda r: (r.compare.field, r.compare.value) == ("certifications", "eu ecolabel")),
    ("chef jackets, 14 of them, under 25 each. need them friday, new menu launches saturday", (),
     lambda r: r.max_lead_time_days.value == 3),
])
def test_dev12_a_late_complaint_a_confirmation_asked_and_a_day_without_by(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), text


def test_each_line_of_a_pasted_form_is_a_piece_of_its_own(wholesale_reader):
    r = ws("1. Item: safety helmets, vented\n2. Qty: 80 helmets\n3. Standard: EN 397", ())
    assert sorted(t.text for t in r.require) == ["en 397", "vented"] and (r.quantity.value, r.quantity.unit) == (80, "helmet")


@pytest.mark.parametrize("text, check", [
    # what is over a price, refused, makes the price a ceiling
    ("anything over €15 a unit won't get signed off", lambda r: (r.price.max, r.price.min) == (15, None)),
    ("over 50 euros each won't fly", lambda r: (r.price.max, r.price.min) == (50, None)),
    ("anything above 20 euros is too much", lambda r: (r.price.max, r.critiques) == (20, [])),
    ("something over €100, quality matters", lambda r: (r.price.max, r.price.min) == (None, 100)),
    ("0.48 each for the postal boxes is steep", lambda r: r.price is None and [c.kind for c in r.critiques] == ["cheaper"]),
])
def test_over_a_price_refused_is_a_ceiling(text, check, wholesale_reader):
    assert check(ws(text, ())), text


@pytest.mark.parametrize("text, shown, check", [
    # a value taken back by a later one of its kind, however far back it was said
    ("a linen dress in sage please, size S. actually no, navy, not sage", (),
     lambda r: sorted(t.text for t in r.require) == ["linen", "navy"] and not r.exclude),
    ("a red blazer, no, make it navy", (), lambda r: [t.text for t in r.require] == ["navy"]),
    ("budget 300, wait, let's say 450, for a linen dress", (), lambda r: r.price.max == 450),
    # a reference taken back for the next one
    ("I love the first... no wait, the blazer. Definitely the blazer.", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: r.liked == ["BQ-003"] and not r.rejected),
    ("the second, no, the last one. yeah the last", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: r.liked == ["BQ-003"] and not r.rejected),
    # 'that' after a named item is that item
    ("oh the third one, she'd love that", ("BQ-001", "BQ-002", "BQ-003"), lambda r: r.liked == ["BQ-003"]),
])
def test_dev12_corrections_and_anaphora(text, shown, check):
    by_id = {i.id: i for i in ITEMS}
    assert check(READER.read(text, [by_id[i] for i in shown], None, TODAY)), text


@pytest.mark.parametrize("text, shown, check", [
    # the story of an item sent back asks for nothing and criticises nothing shown
    ("I sent back the silk dress I bought in May because it came up too small. I'd like a linen dress, size M.", (),
     lambda r: r.act == "request" and not r.critiques and [c.name for c in r.categories] == ["dress"]),
    ("returned a blazer like these because it was too heavy. anything lighter?", ("BQ-003",),
     lambda r: r.act == "critique" and not r.categories),
    ("sent back the skirt, way too short. want something in linen instead", (),
     lambda r: r.act == "request" and not r.critiques and [c.name for c in r.categories] == ["skirt"]),
    # a price quoted from elsewhere, then 'less than that': a ceiling at that price
    ("I saw a silk dress elsewhere for 900, I'd want to pay less than that", (),
     lambda r: r.act == "request" and r.price.max == 900 and not r.critiques),
    ("another shop has wool blazers for 500, I want one cheaper than that", (),
     lambda r: r.act == "request" and r.price.max == 500 and not r.critiques),
    # 'any navy ones?' over the shown items
    ("any navy ones?", ("BQ-001", "BQ-002", "BQ-003"),
     lambda r: r.act == "compare" and (r.compare.field, r.compare.goal, r.compare.value) == ("colour", "has", "navy")),
    # drawn-out letters
    ("hiiii", (), lambda r: r.act == "greeting"),
    ("heyyy", (), lambda r: r.act == "greeting"),
    # 'matching X' is the kind wanted; fake fur, fitted, an elasticated waist are attributes
    ("we all want matching dresses, under 300", (), lambda r: [c.name for c in r.categories] == ["dress"]),
    ("a wool blazer, no fake fur", (), lambda r: [t.text for t in r.exclude] == ["fake fur"]),
    ("a navy blazer, fitted", (), lambda r: sorted(t.text for t in r.require) == ["fitted", "navy"]),
])
def test_dev12_fashion_personas(text, shown, check):
    by_id = {i.id: i for i in ITEMS}
    assert check(READER.read(text, [by_id[i] for i in shown], None, TODAY)), text


@pytest.mark.parametrize("text, check", [
    ("a laptop with at least a terabyte of storage", lambda r: [n.label() for n in r.numeric] == ["storage_gb>=1000"]),
    ("a wireless mouse, sub-80g", lambda r: [n.label() for n in r.numeric] == ["weight_kg<=0.08"] and [t.text for t in r.require] == ["wireless"]),
    ("a charger to power my laptop and tablet", lambda r: [c.name for c in r.categories] == ["charger"]),
])
def test_dev12_electronics_personas(text, check):
    assert check(el(text)), text


def test_a_finish_said_one_way_is_met_by_the_cards_other_words_for_it():
    """'something sparkly' is met by a top 'with a glittery stripe' or in sequins (the class in
    domains/any.toml), not only by the word 'sparkly'."""
    tops = [Item(id="X", title="Top", price=1, description="Ribbing with a glittery stripe."),
            Item(id="Y", title="Top", price=1, description="Plain cotton jersey."),
            Item(id="Z", title="Top", price=1, description="A sparkly top with sequins.")]
    c = read("something sparkly for a party", [], Reader(CatalogLexicon.from_items(tops, "fashion"))).constraints()
    assert {"glittery", "sequin", "lurex"} <= set(c.term_forms["sparkly"])
    assert not c.violations(tops[0]) and c.violations(tops[1])
    # a narrower word stands for itself only: 'no sequins' rules out no glittery card
    c = read("a party top, no sequins", [], Reader(CatalogLexicon.from_items(tops, "fashion"))).constraints()
    assert not c.violations(tops[0]) and c.violations(tops[2])


def test_two_words_the_catalog_writes_as_one_are_read_as_it():
    """'eye wash' and 'eye-wash' are the catalog's 'Eyewash Station'; 'any one' stays two words
    (an English word joined), and 'ear plugs' stays apart where the catalog writes it apart."""
    items = [Item(id="E", title="Eyewash Station", category="first aid", price=30),
             Item(id="P", title="Foam Ear Plugs", category="hearing protection", price=5),
             Item(id="G", title="Nitrile Gloves", category="safety gloves", price=4)]
    reader = Reader(CatalogLexicon.from_items(items, "b2b"))
    for text in ("need eye wash stations for the workshop", "an eye-wash station"):
        assert [c.name for c in read(text, [], reader).categories] == ["first aid"]
    assert [c.name for c in read("ear plugs, 200 pairs", [], reader).categories] == ["hearing protection"]
    from agent.reading.language import english_words
    from agent.reading.text import Text
    from agent.reading.typos import _join

    for said, meant in (("eye wash bottles", "eyewash bottles"), ("any one of the gloves", "any one of the gloves"),
                        ("ear plugs", "ear plugs")):
        text = Text.of(said)
        _join(text, english_words(), reader.lexicon)
        assert text.s == meant


def test_a_day_after_order_these_by_is_a_delivery_limit_not_a_field_to_sort_on():
    r = read("order these by friday", shown=SHOWN)
    assert r.act == "request" and r.compare is None and r.max_lead_time_days is not None


def test_the_difference_between_two_cards_is_a_question_about_both():
    r = read("what's the difference between the first and second?", shown=SHOWN)
    assert r.act == "question" and r.question.item_ids == [SHOWN[0].id, SHOWN[1].id]
    assert r.question.field == "description"


@pytest.mark.parametrize("text, quantity, unit", [
    ("gifts for our nine directors - steel watches, 4000 each max", 9, "watch"),  # one each, counted as watches
    ("for our 12 operatives: compostable boxes", 12, "box"),
    ("I run a cafe (about 40 covers). need roughly 2000 takeaway boxes", 2000, "box"),  # the covers are no order
])
def test_a_head_count_orders_one_of_the_item_each_in_its_own_noun(text, quantity, unit):
    r = read(text, [])
    assert r.quantity is not None and (r.quantity.value, r.quantity.unit) == (quantity, unit)


@pytest.mark.parametrize("text, quantity, unit", [
    ("compostable takeaway boxes 5000", 5000, "box"),   # a count typed last in a search-box query
    ("double-wall shipping boxes 10k", 10000, "box"),
])
def test_a_count_typed_last_in_a_search_box_query_is_the_quantity(text, quantity, unit):
    r = read(text, [])
    assert r.quantity is not None and (r.quantity.value, r.quantity.unit) == (quantity, unit)
    assert read("compostable takeaway boxes under 500", []).quantity is None  # a price, said as one


def test_a_shown_item_is_named_by_what_its_text_says_it_is_made_of_or_patterned_with():
    """'the straw one' of 'Marcy net bag' ('Net bag in braided paper straw'), 'the striped ones' of an
    item whose pattern is Stripe, 'the satin ones': words of the item's text, not of its title."""
    items = [
        Item(id="B1", title="Marcy net bag", category="bag", price=20, description="Net bag in braided paper straw."),
        Item(id="B2", title="Oliver PU shopper", category="bag", price=25, description="Shopper in soft imitation leather."),
        Item(id="P1", title="Kim SL-set", category="pyjama set", price=30, description="Pyjamas in soft satin."),
        Item(id="P2", title="Nina SL-set (W)", category="pyjama set", price=30,
             description="Pyjamas in a brushed cotton weave.", attributes={"pattern": "Stripe"}),
    ]
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    r = reader.read("the straw one is cute ngl", items[:2], None, TODAY)
    assert (r.act, r.liked) == ("reaction", ["B1"])
    r = reader.read("the satin ones no way, the striped ones are lovely", items[2:], None, TODAY)
    assert (r.rejected, r.liked) == (["P1"], ["P2"])


@pytest.mark.parametrize("text", ["which scarf's the cashmere one?", "which one's the cashmere one?",
                                  "which is the cashmere one?"])
def test_which_is_the_one_with_a_quality_compares_the_cards_and_names_none(text, boutique_reader):
    reader, items = boutique_reader
    scarves = [i for i in items if i.id in ("BQ-098", "BQ-099", "BQ-103")]
    r = reader.read(text, scarves, None, TODAY)
    assert (r.act, r.compare.field, r.compare.goal, r.compare.value) == ("compare", "material", "has", "cashmere")
    assert not r.references and not r.categories


@pytest.mark.parametrize("text", ["can any of them take a dunk in the pool?", "would any of these survive a downpour?"])
def test_a_yes_no_asked_in_other_words_compares_on_the_field_that_holds_it(text):
    r = el(text, ("EL-027", "EL-028", "EL-030"))
    assert (r.act, r.compare.field, r.compare.goal, r.compare.value) == ("compare", "water_resistance", "has", "waterproof")


def test_a_search_box_query_naming_no_kind_the_catalog_sells_still_wants_what_it_names():
    """'usb c hub 4k hdmi pd 100w': the catalog sells no hubs, but USB-C, 4K and HDMI are its words:
    wanted, unsure (they rank, never hide); chat with two words the catalog happens to use is not."""
    r = el("usb c hub 4k hdmi pd 100w")
    wanted = {t.text: t.sure for t in r.require}
    assert {"usb-c", "4k", "hdmi"} <= set(wanted) and not any(wanted.values()), r.require
    assert not r.categories
    assert not el("cheers mate").require and not el("you're useless lol").require


@pytest.mark.parametrize("text, shown, item, field, value", [
    ("the second one - latex free?", ("WS-0088", "WS-0008"), "WS-0008", "material", "latex free"),
    ("2nd one, latex free? need it for the dental nurses", ("WS-0088", "WS-0008"), "WS-0008", "material", "latex free"),
    ("the clamshells - PFAS free?", ("WS-0088", "WS-0008"), "WS-0088", "material", "pfas free"),
])
def test_a_card_named_and_one_word_asked_of_it_with_no_verb_is_a_yes_no_question(text, shown, item, field, value):
    """'the second one - latex free?': a yes/no question about that card, not a new requirement."""
    r = ws(text, shown)
    assert r.act == "question" and (r.question.item_ids, r.question.field, r.question.value) == ([item], field, value), r
    assert not r.require
    # Without a card named, or with a relative ask, it is no question about one card.
    assert ws("latex free?", shown).act != "question"
    assert ws("the second one - cheaper?", shown).act == "critique"


def test_a_question_about_a_card_named_by_title_words_asks_what_follows_the_name(boutique_reader):
    """'is the cactus one actually vegan? ... reads every label': 'one' ends the card's name (the title
    'Cactus-Based Vegan Crossbody' also says vegan), 'actually' is no part of what is asked, and the
    'proper cashmere' asks cashmere."""
    reader, items = boutique_reader
    by_id = {i.id: i for i in items}
    shown = [by_id[i] for i in ("BQ-079", "BQ-080", "BQ-081")]
    r = reader.read("is the cactus one actually vegan or just sort of 'plant-based' marketing? asking for my sister "
                    "who reads every label", shown, shown[0], TODAY)
    assert r.act == "question" and r.question.item_ids == ["BQ-079"] and r.question.value == "vegan", r
    shown = [by_id[i] for i in ("BQ-058", "BQ-061", "BQ-057")]
    r = reader.read("the grey one, is that proper cashmere or some kind of blend?", shown, shown[0], TODAY)
    assert (r.question.field, r.question.value) == ("material", "cashmere"), r


@pytest.mark.parametrize("text, shown, field, goal, value", [
    ("Realistically which of them could I walk in all day? It's a city break", ("BQ-058", "BQ-061"), "description", "max",
     "comfortable"),
    # (the boutique records 'waterproof' in its items' style field)
    ("which one would you grab for a soggy dog walk?", ("BQ-058", "BQ-061"), "style", "max", "waterproof"),
    ("which one's kindest on the wallet", ("BQ-058", "BQ-061"), "price", "min", None),
    ("which of these can I just chuck in the wash", ("BQ-058", "BQ-061"), "care", "has", "machine washable"),
    ("out of those three, which can I actually get hold of now? the wedding is not far off",
     ("BQ-058", "BQ-061", "BQ-057"), "availability", "has", "in_stock"),
])
def test_which_of_the_shown_items_suits_a_situation_compares_them(boutique_reader, text, shown, field, goal, value):
    """A comparison asked of a situation ('walk in all day', 'a soggy dog walk') compares the cards on
    the quality it asks (fields.toml [suits]); 'not far off' rules nothing out."""
    reader, items = boutique_reader
    by_id = {i.id: i for i in items}
    cards = [by_id[i] for i in shown]
    r = reader.read(text, cards, cards[0], TODAY)
    assert r.act == "compare" and (r.compare.field, r.compare.goal, r.compare.value) == (field, goal, value), r
    assert not r.exclude


_KNITS = [
    Item(id="K1", title="Lady Di", category="sweater", price=19.6, description="Wide jumper in a soft rib knit containing some wool.",
         attributes={"colour": "dark grey"}),
    Item(id="K2", title="Tuck cropped sweater", category="sweater", price=33.9, description="Jumper in a soft, loose knit.",
         attributes={"colour": "dark red"}),
    Item(id="K3", title="Devon basic sweater", category="sweater", price=33.9, description="Jumper in a soft knit.",
         attributes={"colour": "light grey"}),
]


def test_a_card_named_by_its_whole_colour_and_asked_after_a_lead_in_or_a_tag(boutique_reader):
    """dev14: 'the dark grey one' beside a dark red and a light grey card is the dark grey one (the
    colour's two words together single it out); 'ooh is ...', '... !! do you have them in a 37', '...
    looks perfect but does it come in ...' and '... are vegan right?' are questions about the card."""
    reader = Reader(CatalogLexicon.from_items(_KNITS, "fashion"))
    r = reader.read("does the dark grey one have any wool in it", _KNITS, None, TODAY)
    assert r.act == "question" and (r.question.item_ids, r.question.value) == (["K1"], "wool"), r
    r = reader.read("ooh is the dark red one soft?", _KNITS, None, TODAY)
    assert r.act == "question" and r.question.item_ids == ["K2"], r
    reader, items = boutique_reader
    by_id = {i.id: i for i in items}
    shoes = [by_id[i] for i in ("BQ-086", "BQ-089", "BQ-095")]
    r = reader.read("love the blush bows!! do you have them in a 37", shoes, None, TODAY)
    assert r.act == "question" and (r.question.item_ids, r.question.field, r.question.value) == (["BQ-095"], "size", "37"), r
    assert not r.sizes
    r = reader.read("the loafers are vegan right?", shoes, None, TODAY)
    assert r.act == "question" and (r.question.item_ids, r.question.value) == (["BQ-089"], "vegan") and not r.require, r
    knits = [by_id[i] for i in ("BQ-058", "BQ-061", "BQ-062")]
    r = reader.read("the grey cashmere looks perfect but does it come in other colours", knits, None, TODAY)
    assert r.act == "question" and (r.question.item_ids, r.question.field) == (["BQ-058"], "colour"), r
    # 'has to be' after a stop asks nothing
    assert reader.read("Packing tape. Has to be in stock, we ran out", [], None, TODAY).act == "request"


def test_forget_takes_a_wish_back_or_turns_a_card_down(boutique_reader):
    """'ok forget the pink, which one is warmest': the pink wished for is dropped (not the pink card
    turned down) and the cards are compared; 'forget the pink one' turns that card down."""
    reader, items = boutique_reader
    by_id = {i.id: i for i in items}
    knits = [by_id[i] for i in ("BQ-058", "BQ-061", "BQ-062")]
    r = reader.read("ok forget the pink, which one is warmest", knits, None, TODAY)
    assert r.act == "compare" and [x.label() for x in r.lift] == ["require:pink"] and not r.rejected, r
    r = reader.read("forget the pink one", knits, None, TODAY)
    assert r.rejected == ["BQ-062"], r


def test_a_first_message_negating_a_look_rules_it_out_and_keeps_the_rest():
    """'canvas not that fake leather stuff': canvas wanted, fake leather (and the catalog's words for
    it) ruled out, and no critique of cards never shown."""
    r = parse("white trainers for me, canvas not that fake leather stuff, under thirty", shown=[])
    c = r.constraints()
    assert "fake leather" in c.exclude_terms and "leather" not in c.must_have and r.act == "request", r
    assert "imitation leather" in c.term_forms["fake leather"]
    # a relative 'that' is no filler: 'hates anything that sparkles' rules nothing named 'that' out
    assert parse("ring, not that kind of ring lol, recycled gold", shown=[]).constraints().exclude_terms == []


@pytest.mark.parametrize("text, shown, liked, rejected", [
    ("2nd one's perfect, the other two arent really funeral appropriate", ("BQ-001", "BQ-002", "BQ-003"),
     ["BQ-002"], ["BQ-001", "BQ-003"]),
    ("the tweed is a bit country squire for a funeral lol, the navy one's more like it", ("BQ-015", "BQ-018", "BQ-021"),
     ["BQ-015"], ["BQ-018"]),
    ("the teal one, in a medium pls", ("BQ-130", "BQ-133", "BQ-135"), ["BQ-133"], []),
    ("lemon ones are sooo cute but she's got sensitive ears, are they nickel free?", ("BQ-105", "BQ-108", "BQ-112"),
     ["BQ-112"], []),
    # too much of something, more asked for: a critique of the card, not a card turned down, nor liked
    ("polka dot one is too fussy for an interview, something simpler?", ("BQ-036", "BQ-037", "BQ-039"), [], []),
])
def test_verdicts_as_dev14_words_them(text, shown, liked, rejected, boutique_reader):
    reader, items = boutique_reader
    by_id = {i.id: i for i in items}
    r = reader.read(text, [by_id[i] for i in shown], None, TODAY)
    assert (r.liked, r.rejected) == (liked, rejected), r


def test_the_one_with_a_thing_its_text_names_and_they_of_a_later_question():
    """'the one with the little hat': the set whose description lists a hat; 'the orange ones are nice
    tho, are they leather?' likes the orange ones and asks about them, not about the first ones
    turned down in the sentence before."""
    sets = [Item(id="S1", title="PELLE set", category="garment set", price=20, description="Set with a bodysuit and trousers."),
            Item(id="S2", title="Svenne SET", category="garment set", price=20, description="Set with a top and joggers."),
            Item(id="S3", title="Grayham set", category="garment set", price=20,
                 description="Set with a top, pair of leggings and hat in soft cotton.")]
    reader = Reader(CatalogLexicon.from_items(sets, "fashion"))
    r = reader.read("aww the one with the little hat 😍 thats the one", sets, None, TODAY)
    assert r.liked == ["S3"] and not r.categories, r
    shoes = [Item(id="H1", title="Allie", category="heels", price=30, description="Pumps with a 9cm heel.",
                  attributes={"colour": "black"}),
             Item(id="H2", title="OL RORY PQ", category="heels", price=30, description="Block-heeled sandals.",
                  attributes={"colour": "dark orange"}),
             Item(id="H3", title="Manacor", category="heels", price=30, description="Slingbacks.", attributes={"colour": "black"})]
    reader = Reader(CatalogLexicon.from_items(shoes, "fashion"))
    r = reader.read("9cm heel on the first ones, no way. the orange ones are nice tho, are they leather?", shoes, None, TODAY)
    assert (r.act, r.question.item_ids, r.liked, r.rejected) == ("question", ["H2"], ["H2"], ["H1"]), r


@pytest.mark.parametrize("text, check", [
    ("a dress for a winter wedding, im a UK 12, no wait 14", lambda r: [s.value for s in r.sizes] == ["42"]),
    ("mens jumper, NOT grey hes got about 5 grey ones", lambda r: r.quantity is None and r.price is None),
    ("swimsuit for our honeymoon, one piece, no bikinis, M", lambda r: r.quantity is None),
    ("Suit for my son's graduation. He's a 48 jacket, grey", lambda r: r.quantity is None and [s.value for s in r.sizes] == ["48"]),
    ("skirt for work, midi, no polyester nylon or acrylic, M",
     lambda r: sorted(t.text for t in r.exclude) == ["acrylic", "nylon", "polyester"]),
    ("sports bra for running, high impact, black", lambda r: "high impact" in [t.text for t in r.require]),
])
def test_sizes_counts_and_lists_as_dev14_words_them(text, check, boutique_reader):
    """A size taken back ('no wait 14'), a count of what he has already, a style ('one piece'), a
    jacket size said of the person, materials listed with spaces only."""
    reader, _ = boutique_reader
    r = reader.read(text, [], None, TODAY)
    assert check(r), r


@pytest.mark.parametrize("text, shown, check", [
    ("are the 1.5ml tubes autoclavable", ("WS-0110", "WS-0112", "WS-0113"),
     lambda r: r.act == "question" and r.question.item_ids == ["WS-0112"] and r.question.value == "autoclavable"),
    ("wellies show out of stock - when are they back in?", ("WS-0021", "WS-0022", "WS-0024"),
     lambda r: r.act == "question" and (r.question.item_ids, r.question.field) == (["WS-0024"], "lead_time")),
    ("need 20 more rolls of that tape", ("WS-0078",),
     lambda r: r.act == "request" and (r.quantity.value, r.quantity.unit) == (20, "roll") and not r.critiques),
    ("scrap my limit on minimums, we'll just order whatever the min is", ("WS-0002", "WS-0007"),
     lambda r: [x.label() for x in r.lift] == ["moq"]),
    ("do you do 30 day invoice terms for new accounts or is it card only?", ("WS-0030", "WS-0032"),
     lambda r: r.act == "off_topic"),
])
def test_a_buyers_questions_counts_lifts_and_asides_as_dev14_words_them(text, shown, check, wholesale_reader):
    assert check(ws(text, shown)), ws(text, shown)


@pytest.mark.parametrize("text, check", [
    ("2nd one, is that actual satin or the shiny plasticky stuff",
     lambda r: r.act == "question" and r.question.item_ids == ["BQ-002"] and r.question.value == "satin"),
    ("sorry, wrong window - that was meant for my colleague about the parking rota", lambda r: r.act == "off_topic"),
    ("Many thanks for your help. I'll take this to the committee on Thursday and revert. Best, Priya",
     lambda r: r.act == "greeting" and not r.liked),
    ("ok fine, he says he can stretch past the budget if it's the right suit", lambda r: [x.label() for x in r.lift] == ["budget"]),
    ("fine I'll pay a bit more, it is winter after all", lambda r: [x.label() for x in r.lift] == ["budget"]),
    ("ok good news, more money approved, so forget the £400 cap", lambda r: [x.label() for x in r.lift] == ["budget"] and r.price is None),
    ("whatever you've got that's closest, honestly", lambda r: [x.label() for x in r.lift] == ["all"]),
    # a limit stays a limit
    ("black trousers, I will not pay more than 40", lambda r: not r.lift and r.price.max == 40),
])
def test_questions_asides_and_lifts_as_dev14_words_them(text, check):
    r = parse(text)
    assert check(r), r


@pytest.mark.parametrize("text, wanted", [
    ("looking for a warm coat, wool", ["warm"]),
    ("something warm and classic, grey ideally", ["classic", "warm"]),
    ("a dress, elegant, dark blue", ["elegant"]),
    ("nothing too formal", []),
    ("it needs to keep me warm", []),
    ("bit too dressy for our office, we're quite a casual lot", []),
])
def test_a_quality_said_of_the_item_asked_for_ranks_and_hides_nothing(text, wanted):
    """'a warm coat': warm is wanted, unsure, so it ranks the items whose words say it and filters
    none (a catalog rarely writes 'warm' of every warm coat)."""
    r = parse(text, shown=[])
    qualities = sorted(t.text for t in r.require if t.text in ("warm", "classic", "elegant", "formal", "dressy", "casual"))
    assert qualities == wanted, r
    assert not set(wanted) & set(r.constraints().must_have)
    assert set(wanted) <= {t.text for t in r.soft()}


@pytest.mark.parametrize("text, shown_ids, categories", [
    ("ouch, that's steep for gloves that get binned every week - got anything more budget?", ["WS-0001", "WS-0002"], []),
    ("pricey for what they are. cheaper work gloves?", ["WS-0001", "WS-0002"], []),
    # the shown cards are of two kinds: the one named is a narrowing
    ("any cheaper gloves?", ["WS-0001", "WS-0033"], ["safety gloves"]),
    # a kind that is not the shown one is a new search
    ("too pricey, any cheaper boxes?", ["WS-0001", "WS-0002"], ["packaging"]),
])
def test_a_critique_naming_the_kind_shown_is_no_new_search(text, shown_ids, categories):
    from agent.catalog import demo_catalog_path, read_catalog

    items = {i.id: i for i in read_catalog(demo_catalog_path("wholesale")).items}
    reader = _wholesale_reader()
    r = reader.read(text, [items[i] for i in shown_ids], None, TODAY)
    assert r.act == "critique", r
    assert sorted(c.name for c in r.categories) == categories, r


def _wholesale_reader():
    from agent.catalog import demo_catalog_path, read_catalog

    return Reader(CatalogLexicon.from_items(read_catalog(demo_catalog_path("wholesale")).items, "b2b"))


def _boutique():
    from agent.catalog import demo_catalog_path, read_catalog

    items = {i.id: i for i in read_catalog(demo_catalog_path("boutique")).items}
    return items, Reader(CatalogLexicon.from_items(list(items.values()), "fashion"))


@pytest.mark.parametrize("text, item, field, value", [
    ("the brogues - are they waterproof?", "BQ-087", None, "waterproof"),
    ("the brogues - can they be resoled?", "BQ-087", None, "resoled"),
    ("Chelsea boots in a 44?", "BQ-092", "size", "44"),
    ("the sneakers in white?", "BQ-093", "colour", "white"),
    ("the chelsea boots look great, how much are they", "BQ-092", "price", None),
])
def test_a_card_named_then_asked_about_is_a_question(text, item, field, value):
    """A card named by its title words, then a question after a dash, a comma or nothing but
    'in a 44?': a question on that card, not a new search for its kind or size."""
    items, reader = _boutique()
    r = reader.read(text, [items[i] for i in ("BQ-087", "BQ-092", "BQ-093")], None, TODAY)
    assert r.act == "question" and r.question.item_ids == [item], r
    assert field is None or r.question.field == field, r.question
    assert r.question.value == value, r.question
    assert not r.sizes and not r.require


@pytest.mark.parametrize("text", [
    "the second is lovely. do you have something like it under 400?",
    "the chelsea boots are lovely",
])
def test_a_card_said_to_be_something_is_no_question(text):
    items, reader = _boutique()
    r = reader.read(text, [items[i] for i in ("BQ-087", "BQ-092", "BQ-093")], None, TODAY)
    assert r.act != "question", r


@pytest.mark.parametrize("text, per_unit", [
    ("We need about three hundred hi-vis vests, and we've got about a thousand pounds for the lot.", 4.0),  # 1200 / 300
    ("300 hi-vis vests, £1000 for the lot", 3.33),
])
def test_a_rough_budget_for_the_lot_is_a_rough_ceiling_per_unit(text, per_unit):
    r = _wholesale_reader().read(text, [], None, TODAY)
    assert r.price.max == per_unit, r.price


@pytest.mark.parametrize("text, require", [
    ("Need kraft postal boxes, 2,000 of them. Must ship within 10 days.", ["kraft"]),
    ("Need hand cream. Silicone-free is a must (we do some surgery). 1L cartridges, half a dozen.", ["silicone-free"]),
])
def test_the_words_of_a_firm_need_are_not_themselves_required(text, require):
    r = _wholesale_reader().read(text, [], None, TODAY)
    assert sorted(t.text.replace(" ", "-") for t in r.require) == require, r.require


def test_underwear_is_not_asked_of_tights():
    """'underwear for everyday wear' of an H&M-like catalog: briefs, bras, bodies; not its
    'underwear tights', which people call tights (and 'tights' still finds both kinds of them)."""
    cats = ["underwear bottom", "underwear tights", "leggings/tights", "bra", "underwear body", "dress"]
    items = [Item(id=f"H-{k}", title=f"Item {k}", category=c, price=10, description="Soft jersey.")
             for k, c in enumerate(cats)]
    reader = Reader(CatalogLexicon.from_items(items, "fashion"))
    got = {c.name for c in reader.read("underwear for everyday wear", [], None, TODAY).categories}
    assert "underwear bottom" in got and "bra" in got and "underwear tights" not in got, got
    tights = {c.name for c in reader.read("black tights, 40 denier", [], None, TODAY).categories}
    assert tights == {"underwear tights", "leggings/tights"}, tights


@pytest.mark.parametrize("shown_ids, text, liked, asked", [
    (["EL-027", "EL-028", "EL-030"], "love the trek max, can I get it in navy?", ["EL-028"], ["EL-028"]),
    (["BQ-097", "BQ-098", "BQ-103"], "ooh the carré. how big is it?", ["BQ-097"], ["BQ-097"]),
    # asked in the same breath, no verdict
    (["BQ-097", "BQ-098", "BQ-103"], "is the baroque one silk?", [], ["BQ-097"]),
    (["BQ-097", "BQ-098", "BQ-103"], "ooh the baroque one. how big is it?", ["BQ-097"], ["BQ-097"]),
])
def test_a_card_liked_then_asked_about_is_both(shown_ids, text, liked, asked):
    from agent.catalog import demo_catalog_path, read_catalog
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "apps" / "evaluation" / "data" / "electronics.jsonl"
    items = {i.id: i for i in read_catalog(path).items + read_catalog(demo_catalog_path("boutique")).items}
    reader = Reader(CatalogLexicon.from_items([items[i] for i in items if i[:2] == shown_ids[0][:2]],
                                              "any" if shown_ids[0].startswith("EL") else "fashion"))
    r = reader.read(text, [items[i] for i in shown_ids], None, TODAY)
    assert r.act == "question" and r.question.item_ids == asked, r
    assert r.liked == liked, r.references


@pytest.mark.parametrize("text, field, goal, value", [
    ("which of those could be here by friday?", "lead_time", "has", None),
    ("any with a hood?", "description", "has", "hood"),
    ("any in silk?", "material", "has", "silk"),
    ("any in stock??", "availability", "has", "in_stock"),
])
def test_which_of_the_shown_cards_have_it(text, field, goal, value):
    items, reader = _boutique()
    r = reader.read(text, [items[i] for i in ("BQ-097", "BQ-098", "BQ-103")], None, TODAY)
    assert r.act == "compare" and (r.compare.field, r.compare.goal, r.compare.value) == (field, goal, value), r


def _electronics():
    from pathlib import Path
    from agent.catalog import read_catalog

    items = read_catalog(Path(__file__).resolve().parent.parent / "apps" / "evaluation" / "data" / "electronics.jsonl").items
    return Reader(CatalogLexicon.from_items(items, "any"))


def _cards(catalog: str, *ids: str) -> list[Item]:
    """The cards shown before a turn, by id, from a demo catalog or the electronics one."""
    from pathlib import Path
    from agent.catalog import demo_catalog_path, read_catalog

    path = Path(__file__).resolve().parent.parent / "apps" / "evaluation" / "data" / "electronics.jsonl" \
        if catalog == "electronics" else demo_catalog_path(catalog)
    items = {i.id: i for i in read_catalog(path).items}
    return [items[i] for i in ids]


@pytest.mark.parametrize("text, kinds", [
    ("need a charger that'll do my laptop and phone at the same time, at least 65W", ["charger"]),
    ("noise cancelling headphones, must do multipoint (laptop and phone at once)", ["headphones"]),
    ("second monitor for home. needs HDMI, VGA would be a bonus (old work laptop)", ["monitor"]),
    # two kinds wanted stay two
    ("a laptop and a phone for my son", ["laptop", "phone"]),
    # the phone of 'headphones' is not where 'phone' was said
    ("headphones for my phone", ["headphones"]),
    ("earbuds, headphones really, for my phone", ["earbuds", "headphones"]),
])
def test_a_kind_the_item_goes_with_is_not_wanted(text, kinds):
    r = _electronics().read(text, [], None, TODAY)
    assert sorted(c.name for c in r.categories) == kinds, r.categories


@pytest.mark.parametrize("text, kinds", [
    ("saw this look on insta - oversized camel coat, white tee, straight jeans, white trainers. can you do the coat? size M",
     ["coat"]),
    ("a coat and trousers for work", ["coat", "trousers"]),
])
def test_of_a_look_described_the_piece_asked_for(text, kinds):
    _, reader = _boutique()
    r = reader.read(text, [], None, TODAY)
    assert sorted(c.name for c in r.categories) == kinds, r.categories


def test_each_number_takes_the_field_named_beside_it():
    r = _electronics().read("laptop 16gb ram 512gb ssd under 1.4kg", [], None, TODAY)
    assert sorted(n.label() for n in r.numeric) == ["ram_gb>=16", "storage_gb>=512", "weight_kg<=1.4"]


@pytest.mark.parametrize("text, prefer, require", [
    ("a smartwatch, pink or rose gold if possible", ["pink", "rose gold"], []),
    ("a smartwatch in pink or rose gold", [], ["pink", "rose gold"]),
])
def test_a_wish_said_after_alternatives_is_said_of_them_all(text, prefer, require):
    r = _electronics().read(text, [], None, TODAY)
    assert sorted(t.text for t in r.prefer) == prefer and sorted(t.text for t in r.require) == require, r


@pytest.mark.parametrize("text, lifted", [
    ("uni student, need a laptop for coursework, absolute max 500 quid, refurbished is fine", []),
    ("ok, refurbished is fine after all", ["exclude:refurbished"]),
])
def test_what_is_acceptable_in_a_first_message_lifts_nothing(text, lifted):
    r = _electronics().read(text, [], None, TODAY)
    assert [x.label() for x in r.lift] == lifted, r.lift


@pytest.mark.parametrize("text, out", [
    ("We've used Clearwell for years but want to try someone else. Need a floor cleaner, 5L, 12 cans.", ["Clearwell Hygiene"]),
    ("we buy from Clearwell but their prices went up. looking for an alternative that is cheaper", ["Clearwell Hygiene"]),
    ("we love Clearwell, looking for an alternative degreaser to the one we have", []),
])
def test_the_brand_a_buyer_wants_to_move_away_from_is_ruled_out(text, out):
    r = _wholesale_reader().read(text, [], None, TODAY)
    assert [b.name for b in r.brands_out] == out, r.brands_out


@pytest.mark.parametrize("text, asked", [
    ("is the degreaser ok on food prep surfaces", ["WS-0042"]),
    ("is it snowing where you are? M6 is a car park this morning", None),
    ("do you know what time it is in Dubai right now?", None),
    ("which of them would survive a spill?", None),  # over every card: no question on one
])
def test_a_question_no_field_names_asks_the_card_and_shows_no_list(text, asked):
    from agent.catalog import demo_catalog_path, read_catalog

    items = {i.id: i for i in read_catalog(demo_catalog_path("wholesale")).items}
    r = _wholesale_reader().read(text, [items[i] for i in ("WS-0041", "WS-0042", "WS-0057")], None, TODAY)
    if asked is None:
        assert r.question is None or r.act != "question", r
    else:
        assert r.act == "question" and r.question.item_ids == asked and r.question.field == "description", r


@pytest.mark.parametrize("text, critique, rejected", [
    ("these are all a bit loud for her tbh", ["less:loud"], []),
    ("the first is a bit young for her", [], ["BQ-097"]),
])
def test_a_hedge_said_of_every_card_is_less_of_it(text, critique, rejected):
    items, reader = _boutique()
    r = reader.read(text, [items[i] for i in ("BQ-097", "BQ-102", "BQ-100")], None, TODAY)
    assert [c.label() for c in r.critiques] == critique and r.rejected == rejected, r


def test_colours_said_in_the_plural_are_the_colours():
    _, reader = _boutique()
    r = reader.read("a scarf in greys or navy, that sort of thing", [], None, TODAY)
    assert sorted(t.text for t in r.require + r.prefer) == ["grey", "navy"], r


def test_a_card_named_bare_at_the_start_as_out_of_stock_is_asked_about():
    from agent.catalog import demo_catalog_path, read_catalog

    items = {i.id: i for i in read_catalog(demo_catalog_path("wholesale")).items}
    shown = [items[i] for i in ("WS-0021", "WS-0022", "WS-0023", "WS-0024")]
    r = _wholesale_reader().read("wellies out of stock?? when are they back in", shown, None, TODAY)
    assert r.act == "question" and r.question.item_ids == ["WS-0024"] and r.question.field == "lead_time", r
    assert not r.categories


def test_a_count_of_ones_counts_what_they_stand_for():
    r = _electronics().read("my old laptop died, need 2 new ones for the kids", [], None, TODAY)
    assert r.quantity is not None and r.quantity.value == 2 and r.quantity.unit == "laptop", r.quantity


@pytest.mark.parametrize("text, shown, item, field", [
    # a title typed without its accents names the card that has them
    ("is the carre silk?", ["BQ-097", "BQ-025"], "BQ-097", "material"),
    ("is the carré silk?", ["BQ-097", "BQ-025"], "BQ-097", "material"),
    ("how big is the carre", ["BQ-025", "BQ-097"], "BQ-097", "size"),
])
def test_a_title_typed_without_accents_names_its_card(text, shown, item, field):
    items, reader = _boutique()
    r = reader.read(text, [items[i] for i in shown], None, TODAY)
    assert r.act == "question" and r.question.item_ids == [item] and r.question.field == field, r


@pytest.mark.parametrize("text, kind", [
    ("looking for a minaudiere for the opera", "handbag"),
    ("a silk carre under 400", "scarf"),
])
def test_a_catalog_word_typed_without_accents_is_read(text, kind):
    _, reader = _boutique()
    assert [c.name for c in reader.read(text, [], None, TODAY).categories] == [kind]


def test_accents_fold_one_character_for_one_and_the_checks_compare_folded():
    from agent.models import Constraints, Item, fold, mentions_positively

    assert fold("Carré bouclé, Tromsø") == "Carre boucle, Tromsø" and len(fold("crêpe")) == len("crêpe")
    assert mentions_positively("A cropped bouclé jacket", "boucle")
    assert mentions_positively("a cropped boucle jacket", "bouclé")
    assert not mentions_positively("no bouclé here", "boucle")
    item = Item(id="X1", title="Bouclé Jacket", brand="Hermès", price=10, description="wool bouclé")
    assert Constraints(brands_in=["Hermes"], must_have=["boucle"]).complies(item)
    assert not Constraints(brands_out=["hermes"]).complies(item)


@pytest.mark.parametrize("text, shown, items, value", [
    # the last word before '?' or 'or' is what is asked, not a word of the card's name
    ("is the scarf silk or polyester?", ["BQ-097", "BQ-027"], ["BQ-097"], "silk"),
    ("is the blazer wool or cashmere?", ["BQ-097", "BQ-027"], ["BQ-027"], "wool"),
    ("is the scarf silk or not?", ["BQ-097", "BQ-027"], ["BQ-097"], "silk"),
    # 'the blazer' of three blazers names them all; the wool is asked of each, not a card picked by it
    ("is the blazer wool?", ["BQ-027", "BQ-026", "BQ-022"], ["BQ-022", "BQ-026", "BQ-027"], "wool"),
    ("is the blazer wool or cashmere?", ["BQ-027", "BQ-026", "BQ-022"], ["BQ-022", "BQ-026", "BQ-027"], "wool"),
    # a name that is two of a card's words still names it
    ("is the hemp blazer lined?", ["BQ-027", "BQ-026", "BQ-022"], ["BQ-026"], "lined"),
])
def test_an_either_or_question_asks_its_first_word(text, shown, items, value):
    all_items, reader = _boutique()
    r = reader.read(text, [all_items[i] for i in shown], None, TODAY)
    assert r.act == "question" and sorted(r.question.item_ids) == items and r.question.value == value, r


@pytest.mark.parametrize("catalog, text, shown, field, goal, value", [
    # asked first of them all, a comparison, whatever cards are named after it
    ("wholesale", "which ships quickest? the 50ml ones say low stock", ["WS-0110", "WS-0112", "WS-0113", "WS-0115"],
     "lead_time", "min", None),
    ("electronics", "which is lighter, the airbook or the refurb corvane", ["EL-001", "EL-003", "EL-004", "EL-005"],
     "weight_kg", "min", None),
    ("boutique", "which of these could he actually have in time, the wedding is on the 12th",
     ["BQ-015", "BQ-017", "BQ-018", "BQ-021"], "lead_time", "min", None),
    ("boutique", "any of them with a lower heel? she's 72", ["BQ-086", "BQ-088", "BQ-095", "BQ-089"],
     "description", "has", "lower heel"),
    # no field named: the words said, looked for in each card's text
    ("wholesale", "which of these can go in a home compost bin", ["WS-0088", "WS-0089", "WS-0090", "WS-0100"],
     "description", "has", "home compost bin"),
])
def test_which_of_them_compares_the_cards_shown(catalog, text, shown, field, goal, value):
    from agent.catalog import demo_catalog_path, read_catalog
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "apps" / "evaluation" / "data" / "electronics.jsonl" \
        if catalog == "electronics" else demo_catalog_path(catalog)
    items = {i.id: i for i in read_catalog(path).items}
    reader = Reader(CatalogLexicon.from_items(list(items.values()), {"wholesale": "b2b", "boutique": "fashion"}.get(catalog, "any")))
    r = reader.read(text, [items[i] for i in shown], None, TODAY)
    assert r.act == "compare" and (r.compare.field, r.compare.goal, r.compare.value) == (field, goal, value), r


@pytest.mark.parametrize("text", ["which size is the navy one?", "which of these is yours?"])
def test_which_with_a_card_named_and_no_comparison_is_no_new_comparison(text):
    items, reader = _boutique()
    r = reader.read(text, [items[i] for i in ("BQ-015", "BQ-017", "BQ-018")], None, TODAY)
    assert r.compare is None or r.compare.goal == "has", r


@pytest.mark.parametrize("text, item, field", [
    # a card of the catalog named by its brand or colour beside its title's words, asked of first
    ("do u have the cognac top handle bag in stock?? need it for friday", "BQ-076", "availability"),
    ("My girlfriend keeps hinting about the Casa Solenne lemon earrings?? are they still available", "BQ-112", "availability"),
    ("Hiya, quick one - what's the Donegal tweed suit like for warmth?", "BQ-018", "description"),
])
def test_a_first_message_asks_of_a_card_named_by_brand_colour_or_title(text, item, field):
    _, reader = _boutique()
    r = reader.read(text, [], None, TODAY)
    assert r.act == "question" and r.question.item_ids == [item] and r.question.field == field, r


def test_a_colour_and_one_kind_word_name_no_card():
    _, reader = _boutique()
    r = reader.read("you know the green dress in Atonement? something like that. floor length, silk. 36", [], None, TODAY)
    assert r.act == "request" and r.question is None, r


def test_a_name_said_first_then_asked_of():
    r = _wholesale_reader().read("Torque wrench 20-100 Nm - what sort of lead time are we looking at? Website says made to order.",
                                 [], None, TODAY)
    assert r.act == "question" and r.question.item_ids == ["WS-0124"] and r.question.field == "lead_time", r


@pytest.mark.parametrize("text, item, field", [
    ("Need cling film for the kitchen, PVC free, 450mm wide, 24 rolls. Does it come with a cutter box?", "WS-0095", "description"),
    ("pizza boxes 12 inch - 2,000 of them. whats the price break at 2k?", "WS-0098", "tiered_prices"),
    ("We need a torque wrench for the workshop. What's the lead time on it?", "WS-0124", "lead_time"),
])
def test_a_request_then_a_question_on_it_asks_of_the_one_item_it_names(text, item, field):
    r = _wholesale_reader().read(text, [], None, TODAY)
    assert r.act == "question" and r.question.item_ids == [item] and r.question.field == field, r


@pytest.mark.parametrize("text", [
    "need nitrile gloves, 40 boxes of 100. are they EN 374?",  # several items are nitrile gloves: no one 'it'
    "Need cling film for the kitchen, 24 rolls please",  # nothing asked
])
def test_a_kind_several_items_share_or_nothing_asked_stays_a_request(text):
    r = _wholesale_reader().read(text, [], None, TODAY)
    assert r.act == "request" and r.question is None, r


@pytest.mark.parametrize("text", ["not the refurbished one, and I'd rather not go Lumio either", "id rather not go with Lumio",
                                  "I'd rather not have Lumio", "we never buy Lumio"])
def test_rather_not_a_brand_rules_it_out(text):
    r = _electronics().read(text, [], None, TODAY)
    assert [b.name for b in r.brands_out] == ["Lumio"] and not r.brands_in, r


def test_a_requirement_said_to_be_one_is_lifted_not_a_card_turned_down():
    shown = _cards("wholesale", "WS-0021", "WS-0023", "WS-0022")
    r = _wholesale_reader().read("Forget the S3 requirement - the trainers are fine", shown, None, TODAY)
    assert [x.label() for x in r.lift] == ["require:s3"], r.lift
    assert {x.item_id: x.polarity for x in r.references} == {"WS-0022": "liked"}, r.references
    r = _wholesale_reader().read("Timing's not an issue on this one, we can wait a month if need be.", shown, None, TODAY)
    assert not [x for x in r.references if x.polarity], r.references  # 'this one' is the order, no card turned down
    assert [x.field for x in r.lift] == ["delivery"], r.lift


def test_which_of_them_suits_what_the_person_says_they_are():
    shown = _cards("electronics", "EL-042", "EL-043", "EL-044")
    r = _electronics().read("I'm left-handed - which of these would actually work for me?", shown, None, TODAY)
    assert r.act == "compare" and (r.compare.field, r.compare.goal, r.compare.value) == ("handedness", "has", "left-handed"), r
    r = _electronics().read("which of these would work for a left-handed person?", shown, None, TODAY)
    assert not r.lift, r.lift  # nothing taken back: no 'which' lifted


@pytest.mark.parametrize("text, kinds", [
    ("Monitor, 27 inch or bigger, 144Hz minimum, height adjustable stand, under 500", ["monitor"]),
    ("45 x monitors, IPS panel, height-adjustable stand preferred", ["monitor"]),
    ("a monitor and a stand", ["monitor", "charger"]),  # two things wanted: the Wireless Stand is one
])
def test_a_described_part_only_one_title_names_is_the_wanted_items_part(text, kinds):
    r = _electronics().read(text, [], None, TODAY)
    assert sorted(c.name for c in r.categories) == sorted(kinds), r.categories


def test_the_field_on_a_named_item_is_asked_not_a_second_item_named():
    r = _electronics().read("Is the stand on the Vantage 27 height adjustable?", [], None, TODAY)
    assert r.act == "question" and r.question.item_ids == ["EL-032"] and r.question.field == "stand", r


def test_an_amount_to_spend_on_several_is_for_the_lot():
    _, reader = _boutique()
    r = reader.read("I've got 900 to spend on three leather belts for my brothers", [], None, TODAY)
    assert r.price is not None and r.price.max == 300 and r.quantity.value == 3, r


def test_must_be_a_brand_wants_the_brand():
    r = _wholesale_reader().read("Disposable hairnets, white, 40 packs. Must be Kestrel Foodservice, they're the only ones on our "
                                 "approved supplier list.", [], None, TODAY)
    assert [b.name for b in r.brands_in] == ["Kestrel Foodservice"] and "kestrel foodservice" not in [t.text for t in r.require], r


def test_x_ones_only_requires_x_and_names_no_card():
    _, reader = _boutique()
    shown = _cards("boutique", "BQ-001", "BQ-002", "BQ-003")
    r = reader.read("silk ones only please", shown, None, TODAY)
    assert [t.text for t in r.require] == ["silk"] and not r.references, r


def test_everything_you_have_in_a_kind_drops_the_rest_and_the_least_spendy_is_the_cheapest():
    _, reader = _boutique()
    shown = _cards("boutique", "BQ-001", "BQ-002", "BQ-003")
    r = reader.read("just show me everything you have in scarves", shown, None, TODAY)
    assert [x.field for x in r.lift] == ["all"] and [c.name for c in r.categories] == ["scarf"], r
    r = reader.read("whats the least spendy of these", shown, None, TODAY)
    assert r.act == "compare" and (r.compare.field, r.compare.goal) == ("price", "min"), r
    r = reader.read("Dear Sir/Madam, we'd like 40 scarves, under 60 each", [], None, TODAY)
    assert r.act == "request" and r.price.max == 60, r  # 'Dear' greets; it asks no price


@pytest.mark.parametrize("catalog, text, item, field", [
    ("wholesale", "What's the minimum order on the S5 nitrile wellingtons?", "WS-0024", "moq"),
    ("wholesale", "How many tips do you get in a rack of the filtered 200 µl pipette tips?", "WS-0110", "pack_size"),
    ("wholesale", "Can you confirm the bagasse boxes are PFAS free? Our council contract requires it.", "WS-0088", "material"),
    ("electronics", "Trek Max: how many hours does it play on one charge?", "EL-028", "battery_hours"),
    ("boutique", "quick one - Camel Hair Polo Coat, what sizes does it come in", "BQ-069", "size"),
])
def test_questions_on_a_named_item_as_people_type_them(catalog, text, item, field):
    reader = {"wholesale": _wholesale_reader(), "electronics": _electronics(), "boutique": _boutique()[1]}[catalog]
    r = reader.read(text, [], None, TODAY)
    assert r.act == "question" and r.question.item_ids == [item] and r.question.field == field, r


def test_a_question_typed_on_a_phone_asks_the_card_shown():
    shown = _cards("electronics", "EL-001", "EL-003", "EL-004", "EL-005")
    r = _electronics().read("hw heavy is teh quillby", shown, None, TODAY)
    assert r.act == "question" and r.question.item_ids == ["EL-004"] and r.question.field == "weight_kg", r


def test_a_short_grade_before_a_title_must_be_the_titles_own():
    # the only wellingtons are S5: 'the S3 wellingtons' names none of them
    r = _wholesale_reader().read("What's the minimum order on the S3 nitrile wellingtons?", [], None, TODAY)
    assert r.question is None or r.question.item_ids != ["WS-0024"], r


@pytest.mark.parametrize("text, days", [
    ("charger 65w or more, uk plug, tmrw latest", 1),  # a word shortened on a phone
    ("50 hi vis vests and they HAVE to be here tmrw morning", 1),
    ("FFP3 masks, 15 boxes, must be with us by the 9th - sorry, the 11th, we're closed till then", 10),  # the day taken back
])
def test_delivery_as_typed_and_corrected(text, days):
    r = _wholesale_reader().read(text, [], None, TODAY)
    assert r.max_lead_time_days is not None and r.max_lead_time_days.value == days, r.max_lead_time_days


def test_a_number_taken_back_keeps_the_words_said_with_it():
    _, reader = _boutique()
    r = reader.read("size 40 blazer - sorry, 42 - in black, under 1200", [], None, TODAY)
    assert r.sizes and [s.value for s in r.sizes] == ["42"] and [c.name for c in r.categories] == ["blazer"], r


@pytest.mark.parametrize("text, sizes", [
    ("I need six bridesmaid dresses, all the same style, sizes 36 to 42", ["36", "38", "40", "42"]),  # dresses go up in twos
    ("eight pairs of shoes, sizes 37 to 40, nothing with a heel", ["37", "38", "39", "40"]),
])
def test_a_range_of_sizes_is_every_size_sold_between(text, sizes):
    _, reader = _boutique()
    r = reader.read(text, [], None, TODAY)
    assert [s.value for s in r.sizes] == sizes, r.sizes


def test_the_field_said_between_a_limit_and_its_number():
    r = _electronics().read("Specification for staff laptops: maximum weight 1.5 kg, delivery within 10 days", [], None, TODAY)
    assert [n.label() for n in r.numeric] == ["weight_kg<=1.5"], r.numeric


def test_at_least_a_grade_asked_of_a_shown_card():
    shown = _cards("wholesale", "WS-0126", "WS-0128", "WS-0130")
    r = _wholesale_reader().read("Is the work light at least IP65? It'll be out on scaffolding in all weathers.", shown, None, TODAY)
    assert r.act == "question" and r.question.item_ids == ["WS-0130"] and r.question.field == "certifications", r


@pytest.mark.parametrize("text, prefer", [
    ("Something on the stretchy side.", ["stretchy"]),
    ("nah, not these. something on the fitted side.", ["fitted"]),
    ("a coat with a zip on the left side", []),  # a place on the item, no leaning
])
def test_something_on_the_x_side_leans_towards_x(text, prefer):
    _, reader = _boutique()
    r = reader.read(text, [], None, TODAY)
    assert [t.text for t in r.prefer] == prefer, r.prefer


def test_a_suspended_hyphen_frees_both():
    r = _wholesale_reader().read("Need sterile conical centrifuge tubes, DNase- and RNase-free, 8 cases.", [], None, TODAY)
    assert {"dnase-free", "rnase-free"} <= {t.text for t in r.require}, r.require


def test_starting_over_from_a_kind_wants_the_new_kind():
    _, reader = _boutique()
    shown = _cards("boutique", "BQ-001", "BQ-002", "BQ-003")
    r = reader.read("Scrap the watches. Let's start over - belts.", shown, None, TODAY)
    assert r.act == "reset" and [c.name for c in r.categories] == ["belt"], r


@pytest.mark.parametrize("text, quantity, unit", [
    ("Need 8 x 65W USB-C chargers, UK plug, for hot desks.", 8, "charger"),
    ("Looking for webcams for the meeting rooms x 8, 4K, USB-C, under 150 each.", 8, "webcam"),
])
def test_a_count_before_a_spec_or_after_where_it_goes_counts_the_product(text, quantity, unit):
    r = _electronics().read(text, [], None, TODAY)
    assert r.quantity is not None and (r.quantity.value, r.quantity.unit) == (quantity, unit), r.quantity


def test_liked_then_asked_after_a_dash():
    from pathlib import Path
    from agent.catalog import read_catalog

    items = {i.id: i for i in read_catalog(Path(__file__).resolve().parent.parent / "apps" / "evaluation" / "data" / "electronics.jsonl").items}
    r = _electronics().read("my dad drops everything so the rugged one looks ideal - how heavy is it tho",
                            [items[i] for i in ("EL-011", "EL-013", "EL-014", "EL-015")], None, TODAY)
    assert r.act == "question" and r.question.item_ids == ["EL-015"] and r.question.field == "weight_kg", r
    assert [x.item_id for x in r.references if x.polarity == "liked"] == ["EL-015"], r.references


@pytest.mark.parametrize("text, field, quote", [
    ("fine, ignore what i said about minimums, 144 is ok", "moq", "ignore what i said about minimums"),
    ("forget what i said about the budget", "budget", "forget what i said about the budget"),
])
def test_what_was_said_about_one_constraint_drops_that_one_not_the_conversation(text, field, quote):
    r = _wholesale_reader().read(text, [], None, TODAY)
    assert r.act != "reset" and [(x.label(), x.quote) for x in r.lift] == [(field, quote)], r


@pytest.mark.parametrize("catalog, text, required, preferred", [
    ("boutique", "jumper, grey marl, oversized, not cropped, under 300", ["grey marl", "oversized"], []),
    ("boutique", "swimsuit, tummy control, navy, nothing with padding or underwire", ["tummy control", "navy"], []),
    ("boutique", "anything in leopard print? skirt or dress, midi", ["leopard print", "midi"], []),
    ("boutique", "swimsuit for a holiday, navy, ideally with some tummy support", ["navy"], ["tummy support"]),
    ("wholesale", "Safety boots - S3, composite toe (metal free), 25 pairs", ["composite toe", "metal-free", "s3"], []),
    ("electronics", "noise cancelling headphones over ear, not northfield, <300", ["noise cancelling", "over ear"], []),
    # not a part of the item: a material asked for on its own, what is someone's, the kind's own name
    ("boutique", "a watch with a leather strap", ["leather"], []),
    ("wholesale", "40 units of cotton Kentucky mop heads please. Clearwell only, as that's what our sockets fit.", ["cotton"], []),
])
def test_a_word_before_a_part_of_the_item_is_one_description(catalog, text, required, preferred):
    reader = _electronics() if catalog == "electronics" else (_wholesale_reader() if catalog == "wholesale" else _boutique()[1])
    r = reader.read(text, [], None, TODAY)
    assert sorted(t.text.replace("-", " ") for t in r.require) == sorted(t.replace("-", " ") for t in required), r.require
    assert [t.text for t in r.prefer] == preferred, r.prefer


@pytest.mark.parametrize("catalog, text, shown, act", [
    # saying who one is, before any want
    ("wholesale", "Good afternoon,  My name is Aisha Rahman and I look after procurement for Northgate Community Trust. "
                  "I'll be your main contact from now on.  Best wishes, Aisha", False, "greeting"),
    ("wholesale", "Hi, I'm Tomasz, the new facilities manager at Brightwater Leisure. Just getting our account set up - "
                  "I'll be back with a proper list next week.", False, "greeting"),
    ("electronics", "Morning! I look after IT for a dental group, four practices. Just saying hello before I send over our list.",
     False, "greeting"),
    ("wholesale", "Hi, I'm the new buyer at Brightwater Leisure, we need 200 pairs of nitrile gloves", False, "request"),
    # thanks for what happened before, and goodbyes
    ("boutique", "thank you sooo much for yesterday, the dress fit perfectly 🥰", False, "greeting"),
    ("boutique", "Brilliant, thank you so much for your help. Have a lovely evening!", True, "greeting"),
    ("boutique", "Thanks, I'll have a think and come back tomorrow.", True, "greeting"),
    ("boutique", "thanks! I need a dress by tomorrow though", False, "request"),
    # help with what one has, talk about the assistant, asides
    ("electronics", "my laptop screen keeps flickering, any idea how to fix it?", False, "off_topic"),
    ("boutique", "how do you get red wine out of a white shirt?? asking for a friend", False, "off_topic"),
    ("electronics", "our office printer keeps jamming on double sided, any idea why", False, "off_topic"),
    ("boutique", "what's your favourite colour?", True, "off_topic"),
    ("boutique", "what colour is the first one?", True, "question"),
    ("boutique", "hang on, the dog's just got hold of a shoe, brb", True, "off_topic"),
])
def test_social_turns_and_talk_that_is_not_shopping(catalog, text, shown, act):
    reader = _electronics() if catalog == "electronics" else (_wholesale_reader() if catalog == "wholesale" else _boutique()[1])
    cards = {"boutique": ("BQ-001", "BQ-002", "BQ-003"), "wholesale": ("WS-0001", "WS-0002"),
             "electronics": ("EL-011", "EL-013")}[catalog]
    r = reader.read(text, _cards(catalog, *cards) if shown else [], None, TODAY)
    assert r.act == act, r
    if act != "request":
        assert not (r.categories or r.require or r.quantity or r.max_lead_time_days), r


@pytest.mark.parametrize("catalog, shown, text, item, field, value", [
    ("wholesale", ("WS-0114", "WS-0115", "WS-0116"), "Are the petri dishes made under ISO 13485? Our auditor will ask.",
     "WS-0114", "certifications", "iso 13485"),
    # a part of the card, then what is asked of it
    ("boutique", ("BQ-079", "BQ-085"), "the crossbody - is the strap leather?", "BQ-079", "material", "leather"),
    ("boutique", ("BQ-010", "BQ-019"), "the lace dress, is the lining silk?", "BQ-010", "material", "silk"),
])
def test_a_yes_no_question_on_a_card_asks_what_follows_its_name_or_part(catalog, shown, text, item, field, value):
    reader = _wholesale_reader() if catalog == "wholesale" else _boutique()[1]
    r = reader.read(text, _cards(catalog, *shown), None, TODAY)
    assert r.act == "question" and (r.question.item_ids, r.question.field, r.question.value) == ([item], field, value), r


@pytest.mark.parametrize("catalog, text, budget_max, quantity", [
    # a shop sells one of a thing: a number said loosely after it is its price
    ("boutique", "maternity jeans, 40ish", 48, None),
    ("boutique", "after a linen shirt for a mate's wedding. I'm an XL. Reckon 300 tops.", 300, None),
    ("boutique", "we need 40 tops for the staff", None, 40),
    # a trade catalog sells by the count: the same shape is how many
    ("wholesale", "nitrile gloves, 500ish", None, 500),
    # an amount for the count after it is for the whole order
    ("wholesale", "got 2k for 40 pairs of boots. S3 and ESD.", 50, 40),
    ("wholesale", "we need 300 for 40 people", None, 300),
])
def test_a_loose_number_is_a_price_in_a_shop_and_a_count_in_the_trade(catalog, text, budget_max, quantity):
    reader = _wholesale_reader() if catalog == "wholesale" else _boutique()[1]
    r = reader.read(text, [], None, TODAY)
    assert (r.price.max if r.price else None) == budget_max, r.price
    assert (r.quantity.value if r.quantity else None) == quantity, r.quantity


def test_nothing_with_less_than_a_spec_is_its_minimum():
    r = _electronics().read("tablets for the class, nothing with less than 10 hours of battery please", [], None, TODAY)
    assert [(n.field, n.op, n.value) for n in r.numeric] == [("battery_hours", ">=", 10)], r.numeric


@pytest.mark.parametrize("text, act, critique, rejected", [
    ("all three are way over what i want to spend tbh. anything under 1k?", "critique", ["cheaper"], []),
    ("Something more colour-accurate? I edit photos, I don't game.", "critique", ["more:colour-accurate"], []),
    ("not the 25 quid ones, they look flimsy", "reaction", [], ["EL-024"]),
    # said of the person, not of the cards
    ("honestly i've been way too fussy. just show me whatever you've got", "request", [], []),
])
def test_turns_on_the_cards_shown_as_people_word_them(text, act, critique, rejected):
    shown = _cards("electronics", "EL-022", "EL-023", "EL-024", "EL-025")
    r = _electronics().read(text, shown, None, TODAY)
    assert r.act == act and [c.label() for c in r.critiques] == critique, r
    assert [x.item_id for x in r.references if x.polarity == "rejected"] == rejected, r.references


def test_which_can_you_send_out_now_compares_stock():
    r = _electronics().read("Which of these pairs can you actually send out now?", _cards("electronics", "EL-022", "EL-023", "EL-024"),
                            None, TODAY)
    assert r.act == "compare" and (r.compare.field, r.compare.goal, r.compare.value) == ("availability", "has", "in_stock"), r


def test_a_count_in_words_names_no_card_by_price():
    shown = _cards("wholesale", "WS-0024", "WS-0025", "WS-0026")
    r = _wholesale_reader().read("of the three options you sent, the second works for us", shown, None, TODAY)
    assert [(x.item_id, x.polarity) for x in r.references if x.polarity] == [("WS-0025", "liked")], r.references


@pytest.mark.parametrize("catalog, text, dropped, kept", [
    ("wholesale", "Please quote 500 disposable coveralls. Unit price not to exceed 5.00 euro.", "unit price", "disposable"),
    ("electronics", "right, note to self... order chargers for the sales team, ten of them, UK plug", "right", None),
    ("boutique", "Apologies, I should have said at the start: my client is vegan.", "said at the", "vegan"),
    # a phrase of those words, or one the catalog writes, still describes the item
    ("electronics", "vertical mouse right handed bluetooth", None, "right handed"),
    ("electronics", "noise cancelling headphones over ear", None, "over ear"),
])
def test_words_of_talk_and_of_the_order_are_no_requirement(catalog, text, dropped, kept):
    reader = _electronics() if catalog == "electronics" else (_wholesale_reader() if catalog == "wholesale" else _boutique()[1])
    said = {t.text.replace("-", " ") for t in reader.read(text, [], None, TODAY).require}
    assert dropped not in said and (kept is None or kept in said), said


@pytest.mark.parametrize("catalog, shown, text, item, field, value", [
    ("boutique", (), "What's the ruby opera coat lined with?", "BQ-073", "material", None),
    ("boutique", (), "how many carats is the diamond tennis bracelet? thinking of it for our 25th", "BQ-104", "material", None),
    ("wholesale", (), "Are your cryogenic vials OK for liquid nitrogen storage?", "WS-0116", "description", "liquid nitrogen"),
    ("wholesale", ("WS-0071", "WS-0072"), "do the black sacks get any cheaper if we buy more?", "WS-0071", "tiered_prices", None),
])
def test_questions_on_an_item_as_blind_writers_word_them(catalog, shown, text, item, field, value):
    reader = _wholesale_reader() if catalog == "wholesale" else _boutique()[1]
    r = reader.read(text, _cards(catalog, *shown) if shown else [], None, TODAY)
    assert r.act == "question" and (r.question.item_ids, r.question.field, r.question.value) == ([item], field, value), r


def test_a_carat_is_no_count():
    r = _boutique()[1].read("an 18 carat gold ring for my wife", [], None, TODAY)
    assert r.quantity is None and [c.name for c in r.categories] == ["jewellery"], r


def test_a_non_native_yes_no_question_asks_the_card_named():
    shown = _cards("boutique", "BQ-001", "BQ-002", "BQ-003")
    r = _boutique()[1].read("the sequinned gown, it have silk or no?", shown, None, TODAY)
    assert r.act == "question" and r.question.item_ids == ["BQ-001"] and r.question.value == "silk", r
