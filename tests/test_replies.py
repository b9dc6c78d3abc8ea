"""The offline reply generator (agent/replies) on hand-made inputs: wording, openings that never
repeat, acknowledgements, one sentence per pick, the history note once, hints that fit."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from agent import replies
from agent.alignment import Scored, apply_steers
from agent.models import BeliefState, Constraints, Item, Motive, Recommendation, TraitMatch, Traits
from agent.reading.models import Critique, Reading, Reference, Term
from agent.vocabulary import MOTIVES, TRAIT_VOCABULARY


def rec(n, price=100.0, brand="Velluto", matches=()):
    return Recommendation(item_id=f"BQ-{n:03d}", title=f"Item {n}", brand=brand, price=price, currency="EUR",
                          score=0.5, explanation="", matches=list(matches))


def test_every_trait_phrase_and_motive_has_an_english_wording():
    table = replies.wording()
    phrases = {p.text for group in TRAIT_VOCABULARY.values() for p in group}
    assert phrases - set(table["traits"]) == set()
    assert {m.id for m in MOTIVES} - set(table["motives"]) == set()


@pytest.mark.parametrize("text, expected", [
    ("for my daughter's summer wedding in Provence", "for your daughter's summer wedding in Provence"),
    ("we run a hospital kitchen", "for your hospital kitchen"),
    ("attending a christening", "for a christening"),
    ("wants breathable fabrics for summer heat", "to stay cool in the heat"),
    ("wants a gift my mum will treasure", "since you want a gift your mum will treasure"),
])
def test_a_motive_is_said_as_what_an_item_is_good_for(text, expected):
    assert replies.purpose_words(Motive(text=text, confidence=0.6)) == expected


def test_openings_never_repeat_the_first_words_of_an_earlier_reply():
    belief = BeliefState(motives=[Motive(text="for a garden party", confidence=0.6, source="conversation")])
    said: set[str] = set()
    openings = []
    for turn in range(4):
        first = replies.opening(3, belief, said, [], True, seed=0)
        openings.append(first)
        said.add(replies.opening_key(first))
    assert len({replies.opening_key(o) for o in openings}) == 4, openings
    assert openings[0] == "For a garden party, here are three I'd suggest:"


def test_the_opening_acknowledges_what_the_message_changed():
    less = Reading(act="critique", critiques=[Critique(kind="less_like", attribute="formal")])
    assert replies.opening(3, BeliefState(), set(), replies.changes(less, None), False, seed=0) == "Less formal, then:"
    leather = Reading(exclude=[Term(text="leather", kind="material")])
    assert replies.opening(3, BeliefState(), set(), replies.changes(leather, None), False, seed=0) == "Without leather:"
    none = Reading(act="reaction", references=[Reference(item_id="BQ-001", how="all", polarity="rejected")])
    first = replies.opening(3, BeliefState(), set(), replies.changes(none, None), False, seed=0)
    assert first == "Understood, none of those. Some other directions:"


@pytest.mark.parametrize("quantity, unit, said", [
    (40, "pair", "€50 a pair (€2,000 for 40)"),
    (40, "unit", "€50 each (€2,000 for 40)"),
    (25, "box", "€80 a box (€2,000 for 25)"),
])
def test_a_budget_for_the_lot_is_echoed_per_unit_and_for_the_lot(quantity, unit, said):
    """'our budget is 2k for the lot, 40 pairs': the reply says what the reading made of it, so a
    wrong division shows."""
    from agent.reading.models import PriceLimit, Quantity

    lot = Reading(price=PriceLimit(max=2000 / quantity, total=2000, currency="EUR"),
                  quantity=Quantity(value=quantity, unit=unit))
    assert replies.changes(lot, None) == [replies.Change("budget", said)]


def test_a_pick_is_one_sentence_from_its_traits_and_the_motive_it_serves():
    motive = Motive(text="dressing up for a summer wedding or garden party", confidence=0.8)
    matched = rec(1, matches=[TraitMatch(motive=motive.text, trait="summer wedding guest", dimension="occasion",
                                         similarity=0.7),
                              TraitMatch(motive=motive.text, trait="breathable in summer heat", dimension="functional",
                                         similarity=0.6)])
    item = Item(id="BQ-001", title="Item 1", price=100, description="An airy tea dress for a summer wedding guest.",
                attributes={"material": "silk crepe de chine, silk lining"})
    assert replies.why(matched, item, None, [motive]) == (
        "Made for a summer wedding guest and breathable in the heat, in silk crepe de chine: "
        "a good choice for a summer wedding or garden party.")
    # A trait its own words do not support is not claimed ('low-heel footwear' on a dress).
    dress = Item(id="BQ-013", title="Slip Dress", price=100, description="A bias-cut slip dress that drapes like silk.")
    heel = rec(13, matches=[TraitMatch(motive=motive.text, trait="supportive low-heel footwear",
                                       dimension="functional", similarity=0.6)])
    assert "heel" not in replies.why(heel, dress, Traits(functional=["supportive low-heel footwear"],
                                                         aesthetic=["flowing feminine drape"]), [motive])
    weak = rec(2, matches=[TraitMatch(motive=motive.text, trait="cosy winter warmth", dimension="functional",
                                      similarity=0.3)])
    plain = replies.why(weak, None, Traits(functional=["water resistant"]), [motive])
    assert plain == "Water-resistant.", "a weak match is not claimed as serving the motive"


def test_a_wholesale_pick_states_pack_minimum_order_lead_time_and_the_best_tier():
    gloves = Item(id="WS-0005", title="Gloves", price=5.6, currency="EUR", attributes={
        "moq": 50, "lead_time_days": 2, "pack_size": "box of 100",
        "tiered_prices": [{"min_qty": 50, "unit_price": 5.6}, {"min_qty": 1000, "unit_price": 5.04}]})
    r = Recommendation(item_id="WS-0005", title="Gloves", price=5.6, currency="EUR", score=0.5, explanation="")
    line = replies.pick_line(1, r, gloves, replies.why(r, gloves, None, []))
    assert line == "1. Gloves (WS-0005), €5.60 per box of 100, in stock. Minimum order 50; ships in 2 days; €5.04 a box from 1,000."
    bottle = Item(id="WS-0043", title="Spray", price=3.6, attributes={"pack_size": "750 ml trigger bottle"})
    assert replies.pack_unit(bottle) == "a bottle"
    assert replies.pack_unit(Item(id="X", title="X", price=1, attributes={"pack_size": "unit"})) == "each"
    assert replies.pack_unit(Item(id="Y", title="Y", price=1, attributes={"pack_size": "rack of 25 (case of 500)"})) == "a rack"


def test_the_history_note_is_said_once():
    history = Motive(text="prefers casual relaxed style", confidence=0.6, source="history",
                     overridden_by="dressing up for a summer wedding or garden party")
    overridden = [(history, history.overridden_by)]
    note = replies.history_note(overridden, set())
    assert note == "You usually go for a casual, relaxed style; today's request comes first, so I've set that aside."
    assert replies.history_note(overridden, set(replies.history_note_keys(overridden))) == ""


def test_hints_fit_the_domain_and_the_items_and_are_offered_once():
    b2b = {"WS-1": Item(id="WS-1", title="A", price=1, attributes={"moq": 10, "lead_time_days": 3,
                                                                 "tiered_prices": [{"min_qty": 10, "unit_price": 1},
                                                                                   {"min_qty": 100, "unit_price": 0.9}]}),
           "WS-2": Item(id="WS-2", title="B", price=2, attributes={"moq": 200, "lead_time_days": 5, "material": "nitrile"})}
    recs = [Recommendation(item_id=i, title=i, price=1, score=0.5, explanation="") for i in b2b]
    first = replies.hint("b2b", recs, b2b, BeliefState(), set(), seed=0)
    assert first == "You could say “which ships fastest?” or “price for 500 units of the first one?”."
    assert "formal" not in first
    said = set(replies.hint_keys("b2b", first))
    second = replies.hint("b2b", recs, b2b, BeliefState(), said, seed=1)
    assert second == "If it helps, try “MOQ under 100” or “what is the second one made of?”."
    assert replies.split_hint("1. A (WS-1).\n" + second) == ("1. A (WS-1).", second)


def test_the_volume_hint_counts_in_the_first_items_own_unit():
    tiers = [{"min_qty": 10, "unit_price": 1}, {"min_qty": 100, "unit_price": 0.9}]
    for pack, said in (("pair", "500 pairs"), ("box of 100", "500 boxes"), ("5 L can", "500 cans"),
                       ("unit", "500 units"), ("", "500 units")):
        items = {"WS-1": Item(id="WS-1", title="A", price=1, attributes={"tiered_prices": tiers, "pack_size": pack})}
        recs = [Recommendation(item_id="WS-1", title="A", price=1, score=0.5, explanation="")]
        text = replies.hint("b2b", recs, items, BeliefState(), set(), seed=0)
        assert f"“price for {said} of the first one?”" in text, (pack, text)


def test_every_hint_is_one_the_reader_reads(warm_deps):
    """A hint that the reader cannot read would teach the person a dead end."""
    table = replies.wording()["hints"]
    for domain, catalog in (("fashion", "boutique"), ("b2b", "wholesale"), ("any", "boutique")):
        runtime = warm_deps.catalog(catalog)
        query = warm_deps.embedder.embed(["gloves" if catalog == "wholesale" else "dress"])[0]
        shown = [item for item, _ in warm_deps.store.search(catalog, query, 3, Constraints())]
        for key, wording in table[domain].items():
            for units in ("units", "pairs", "boxes", "cans"):
                said = wording.strip("“”").replace("{moq}", "50").replace("{units}", units)
                reading = runtime.reader.read(said, shown, None, datetime.date(2026, 12, 1))
                assert reading.act not in ("off_topic", "greeting") and (
                    reading.critiques or reading.question or reading.compare or reading.in_stock or reading.max_moq
                    or reading.brand_refs_out), (domain, key, said, reading)


def test_an_earlier_critique_keeps_moving_the_ranking_by_hand_computed_amounts():
    a, b = Item(id="A", title="A", price=1), Item(id="B", title="B", price=1)
    scored = [Scored(a, 0.50, 0.5, 0.0, []), Scored(b, 0.45, 0.5, 0.0, [])]
    formal = np.array([1.0, 0.0], dtype=np.float32)
    vectors = {"A": (np.array([[0.8, 0.6]], dtype=np.float32), []), "B": (np.array([[0.0, 1.0]], dtype=np.float32), [])}
    out = apply_steers(scored, vectors, [(formal, -1)])
    # A: 0.50 - 0.15 * 0.8 = 0.38; B: 0.45 - 0.15 * 0.0 = 0.45
    assert [(s.item.id, s.score) for s in out] == [("B", 0.45), ("A", 0.38)]


def test_a_message_that_changes_nothing_is_answered_honestly():
    recs = [rec(1), rec(2)]
    belief = BeliefState(shown=["BQ-001", "BQ-002"])
    text = replies.compose(recs, {}, {}, belief, Reading(), None, "fashion", new_request=True).text
    assert text.startswith("I'm not sure what to change from that, so these still stand:"), text


def test_after_a_like_the_liked_item_stays_first_and_the_rest_is_new():
    from agent.alignment import liked_first

    ranked = [rec(n) for n in (1, 2, 3, 4, 5)]
    out = liked_first(ranked, ["BQ-002"], ["BQ-001", "BQ-002", "BQ-003"])
    assert [r.item_id for r in out] == ["BQ-002", "BQ-004", "BQ-005", "BQ-001", "BQ-003"]


def test_a_dead_end_says_what_the_closest_items_break_in_plain_words():
    from agent.dialogue import relaxed_note

    c = Constraints(categories=["safety footwear"], must_have=["metal-free"], budget_max=60)
    note = relaxed_note(["category", "require:metal-free"], c, "EUR")
    assert note == ("Nothing in the catalog meets everything you asked; what blocks it is asking only for "
                    "safety footwear and “metal-free”. These are the closest, but they are not safety footwear "
                    "and they are not “metal-free”. Say “relax it” to keep them off, or tell me what to change.")


def test_a_critique_knows_when_nothing_goes_further_than_the_item_looked_at():
    from agent.alignment import count_beyond
    from agent.motives import quality_text

    a, b = Item(id="A", title="A", price=1), Item(id="B", title="B", price=1)
    scored = [Scored(a, 0.5, 0.5, 0.0, []), Scored(b, 0.4, 0.5, 0.0, [])]
    formal = np.array([1.0, 0.0], dtype=np.float32)
    vectors = {"A": (np.array([[0.6, 0.8]], dtype=np.float32), []), "B": (np.array([[0.3, 0.95]], dtype=np.float32), [])}
    assert count_beyond(scored, vectors, formal, 0.7, +1) == 0   # nothing above 0.7 + 0.02
    assert count_beyond(scored, vectors, formal, 0.7, -1) == 2   # both below 0.7 - 0.02
    assert count_beyond(scored, vectors, formal, 0.59, +1) == 0  # 0.6 is not beyond 0.59 by the margin
    assert quality_text("formal") == "formal: dressing up for a wedding, gala or party"
    assert quality_text("plain") == "plain"


@pytest.mark.parametrize("item_id, phrase, supported", [
    ("BQ-112", "breathable in summer heat", False),   # 'sunshine to a linen dress': the dress's linen
    ("BQ-132", "breathable in summer heat", False),   # 'with a linen shirt thrown over the shoulders'
    ("BQ-030", "breathable in summer heat", True),    # a linen shirt
    ("BQ-018", "summer wedding guest", False),        # 'the autumn wedding in a stone chapel'
    ("BQ-019", "summer wedding guest", True),         # a summer suit
    ("BQ-019", "relaxed casual fit", True),           # its own 'fit: relaxed jacket'
])
def test_a_trait_is_supported_only_by_words_about_the_item_itself(item_id, phrase, supported):
    import json

    from agent.catalog import demo_catalog_path
    from agent.models import Item
    from agent.replies import _supported

    rows = map(json.loads, demo_catalog_path("boutique").read_text(encoding="utf-8").splitlines())
    item = next(Item(**r) for r in rows if r["id"] == item_id)
    assert _supported(phrase, item) is supported


def test_a_trait_worded_for_the_person_claims_nothing_its_cues_do_not():
    # 'allergy-safe latex-free' is found from 'powder-free' and 'hypoallergenic' too: a powder-free
    # nitrile glove whose record never says latex-free was presented as "Latex-free for allergy
    # safety", and asked "are they latex free?" the answer said the catalog doesn't say.
    from agent.replies import trait_words

    assert "latex" not in trait_words("allergy-safe latex-free").lower()


def test_a_trait_support_answer_is_kept_per_item_wording_not_per_id():
    """``_supported`` remembers its answers; an item edited under the same id (a new catalog
    version) is read again, not answered from the old wording."""
    import json

    from agent.catalog import demo_catalog_path
    from agent.models import Item
    from agent.replies import _supported, _supported_by

    rows = map(json.loads, demo_catalog_path("boutique").read_text(encoding="utf-8").splitlines())
    linen_shirt = next(Item(**r) for r in rows if r["id"] == "BQ-030")
    assert _supported("breathable in summer heat", linen_shirt)
    hits = _supported_by.cache_info().hits
    assert _supported("breathable in summer heat", linen_shirt.model_copy())
    assert _supported_by.cache_info().hits == hits + 1  # the same wording: answered from memory
    edited = linen_shirt.model_copy(update={"title": "Wool shirt", "description": "A heavy wool shirt for winter.",
                                            "attributes": {"material": "wool"}})
    assert not _supported("breathable in summer heat", edited)
