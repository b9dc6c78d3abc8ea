"""Reflection checks on hand-made drafts: each kind of problem is caught, a clean draft passes."""

from agent.models import BeliefState, Constraints, Item, Motive, Reaction, Recommendation, TraitMatch
from agent.reflection import GENERIC_IDS, Draft, IdMatcher, check_draft, money_amounts, resolve_conflicts

DRESS = Item(id="BQ-001", title="Linen Midi Dress", brand="Velluto", category="dress", price=420.0,
             currency="EUR", availability="in_stock", attributes={"material": "linen"})
BAG = Item(id="BQ-002", title="Calfskin Tote", brand="Maison Ardent", category="handbag", price=1250.0,
           currency="EUR", availability="out_of_stock", attributes={"material": "leather"})
GLOVE = Item(id="WS-0001", title="Nitrile Gloves", brand="Safeguard", category="gloves", price=4.2,
             currency="EUR", attributes={"tiered_prices": [{"min_qty": 10, "unit_price": 4.2},
                                                           {"min_qty": 100, "unit_price": 3.9}]})
CATALOG = {i.id: i for i in (DRESS, BAG, GLOVE)}
BRANDS = ["Velluto", "Maison Ardent", "Safeguard"]


def checks(draft, belief=None, candidates=None, conflicts=(), recs=()):
    lookup = {i: CATALOG[i] for i in [*draft.item_ids] if i in CATALOG}
    for token in ("BQ-001", "BQ-002", "WS-0001"):
        if token in draft.text:
            lookup[token] = CATALOG[token]
    issues = check_draft(draft, "recommend", lookup, set(candidates or CATALOG), belief or BeliefState(),
                         BRANDS, list(conflicts), list(recs))
    return sorted(i.check for i in issues)


def test_money_amounts_reads_common_formats():
    assert money_amounts("€1,250 or 300 EUR, $12.50, 1.2k euros") == [1250.0, 300.0, 12.5, 1200.0]


def test_clean_draft_passes():
    draft = Draft(text="1. Linen Midi Dress by Velluto (BQ-001), €420, in stock.", item_ids=["BQ-001"])
    assert checks(draft) == []


def test_hallucinated_item_is_caught():
    draft = Draft(text="Try the Aurora Gown (BQ-999) at €300.", item_ids=["BQ-999"])
    assert "unknown_item" in checks(draft)


def test_wrong_price_brand_and_availability_are_caught():
    draft = Draft(text="1. Linen Midi Dress by Maison Ardent (BQ-001), €100.\n"
                       "2. Calfskin Tote (BQ-002) by Maison Ardent, €1,250, in stock.",
                  item_ids=["BQ-001", "BQ-002"])
    assert checks(draft) == ["wrong_fact", "wrong_fact", "wrong_fact"]


def test_tiered_price_counts_as_a_catalog_price():
    draft = Draft(text="Nitrile Gloves (WS-0001): €3.90 per unit from 100 units.", item_ids=["WS-0001"])
    assert checks(draft) == []


def test_constraint_rejected_and_not_a_candidate():
    belief = BeliefState(constraints=Constraints(budget_max=500, exclude_terms=["leather"]),
                         reactions=[Reaction(item_id="BQ-001", kind="rejected")])
    draft = Draft(text="Linen Midi Dress (BQ-001), €420. Calfskin Tote (BQ-002), €1,250.",
                  item_ids=["BQ-001", "BQ-002"])
    found = checks(draft, belief, candidates={"BQ-001"})
    assert found.count("constraint") == 2 and "rejected_again" in found and "not_a_candidate" in found


def test_context_conflict_until_resolved():
    history = Motive(text="wants to look professional at work", confidence=0.8, source="history")
    current = Motive(text="prefers casual relaxed style", confidence=0.9, source="conversation")
    belief = BeliefState(motives=[history, current])
    draft = Draft(text="Linen Midi Dress (BQ-001), €420.", item_ids=["BQ-001"])
    rec = Recommendation(item_id="BQ-001", title=DRESS.title, price=420, score=1, explanation="",
                         matches=[TraitMatch(motive=history.text, trait="boardroom", dimension="occasion",
                                             similarity=0.7)])
    assert checks(draft, belief, conflicts=[(history, current)]) == ["context_conflict"]
    resolved = BeliefState(motives=resolve_conflicts(belief.motives, [(history, current)]))
    assert resolved.motives[0].overridden_by == current.text
    assert checks(draft, resolved, conflicts=[(history, current)]) == []
    assert checks(draft, resolved, conflicts=[(history, current)], recs=[rec]) == ["context_conflict"]


def test_total_for_a_stated_quantity_is_grounded():
    ok = Draft(text="For 200 units, Nitrile Gloves (WS-0001) cost €3.90 per unit, €780 in total.",
               item_ids=["WS-0001"])
    assert checks(ok) == []
    wrong = Draft(text="For 200 units, Nitrile Gloves (WS-0001) cost €3.90 per unit, €700 in total.",
                  item_ids=["WS-0001"])
    assert checks(wrong) == ["wrong_fact"]


# -- ids in free text, in the catalog's own shapes ----------------------------------------------

def test_id_matcher_learns_the_catalogs_id_shapes():
    ids = IdMatcher(["K-4", "K-12", "sku_a1", "0108775015", "0108775016", "scarf"])
    text = ("K-4 and K-9 (short ids), BQ-999 (the generic form), sku_b7, article 0108775099; "
            "not 500 units, $12, 2026, a scarf or co-op")
    assert ids.findall(text) == ["K-4", "K-9", "BQ-999", "sku_b7", "0108775099"]


def test_id_matcher_ignores_shapes_that_would_match_plain_words_or_numbers():
    # Letters-only ids and short numeric ids give no shape: every word or amount would match.
    assert IdMatcher(["scarf", "12", "345"]).findall("a scarf for 12 or 345 euros") == []
    assert GENERIC_IDS.findall("BQ-001. WS-0001, K-4") == ["BQ-001", "WS-0001"]


def test_hallucinated_short_id_is_caught_with_the_catalogs_matcher():
    short = Item(id="K-4", title="Wool Scarf", brand="Velluto", category="scarf", price=90.0, currency="EUR")
    draft = Draft(text="Try the Wool Scarf (K-4) at €90, or the Cashmere Wrap (K-9).", item_ids=["K-4"])
    issues = check_draft(draft, "recommend", {"K-4": short}, {"K-4"}, BeliefState(), BRANDS,
                         id_matcher=IdMatcher(["K-4", "K-12"]))
    assert [(i.check, i.item_id) for i in issues] == [("unknown_item", "K-9")]
    # The generic pattern alone would have let K-9 through: that is the gap the matcher closes.
    assert check_draft(draft, "recommend", {"K-4": short}, {"K-4"}, BeliefState(), BRANDS) == []


def test_a_model_number_in_a_named_items_title_is_not_an_item_id():
    """Amazon titles carry model numbers ('DE-5000 Handheld LCR Meter'); a reply quoting the title of
    the item it recommends must pass, or every such turn ends unverified with nothing shown."""
    meter = Item(id="2416", title="DE-5000 Handheld LCR Meter with accessories", brand="IET", price=0.0)
    lookup = {"2416": meter}
    quoted = Draft(text="1. DE-5000 Handheld LCR Meter with accessories by IET (2416).", item_ids=["2416"])
    assert check_draft(quoted, "recommend", lookup, {"2416"}, BeliefState(), ["IET"]) == []
    # The same token next to another item, or written alone, still names an item nobody has.
    other = Item(id="61", title="Universal LCR Meter", brand="B&K", price=0.0)
    elsewhere = Draft(text="1. Universal LCR Meter by B&K (61), or the DE-5000.", item_ids=["61"])
    issues = check_draft(elsewhere, "recommend", {"61": other}, {"61"}, BeliefState(), ["B&K"])
    assert [(i.check, i.item_id) for i in issues] == [("unknown_item", "DE-5000")]


def test_a_brand_written_inside_the_items_own_title_is_not_a_wrong_brand():
    """'3D' is a maker in the Amazon catalog and a word in other makers' titles; 'BAMtack!' ends in
    punctuation, where \\b finds no word boundary. Quoting the title must pass."""
    filament = Item(id="2477", title="BAMtack! 1.75mm Black PLA 3D Printer Filament", brand="BAMtack!", price=0.0)
    quoted = Draft(text="Here is what I'd suggest:\n1. BAMtack! 1.75mm Black PLA 3D Printer Filament by BAMtack! "
                        "(2477), in stock.\nTell me what you think.", item_ids=["2477"])
    assert check_draft(quoted, "recommend", {"2477": filament}, {"2477"}, BeliefState(), ["3D", "BAMtack!"]) == []
    wrong = Draft(text="Here is what I'd suggest:\n1. BAMtack! 1.75mm Black PLA 3D Printer Filament (2477), "
                       "made by 3D.\nTell me what you think.", item_ids=["2477"])
    issues = check_draft(wrong, "recommend", {"2477": filament}, {"2477"}, BeliefState(), ["3D", "BAMtack!"])
    assert [i.check for i in issues] == ["wrong_fact"]


def test_an_item_without_a_brand_is_only_misattributed_by_an_attribution():
    """An unbranded item's line may say '3D printing' (a motive quoted in the explanation) while
    '3D' is a maker; only 'by 3D' claims who makes it."""
    nylon = Item(id="3505", title="Nylon Filament for 3D Printer, 1.75mm", brand="", price=0.0)
    lookup, brands = {"3505": nylon}, ["3D", "Taulman"]
    fine = Draft(text="Here is what I'd suggest:\n1. Nylon Filament for 3D Printer, 1.75mm (3505), in stock. "
                      "Serves “for 3D printing” through “additive manufacturing”.\nTell me.", item_ids=["3505"])
    assert check_draft(fine, "recommend", lookup, {"3505"}, BeliefState(), brands) == []
    wrong = Draft(text="Here is what I'd suggest:\n1. Nylon Filament for 3D Printer, 1.75mm by Taulman (3505).\n"
                       "Tell me.", item_ids=["3505"])
    assert [i.check for i in check_draft(wrong, "recommend", lookup, {"3505"}, BeliefState(), brands)] == ["wrong_fact"]


# -- presentation: what the person reads ---------------------------------------------------------

from agent.reading.language import detect  # noqa: E402
from agent.reflection import check_presentation, presentable  # noqa: E402


def presentation(text, act="recommend", chosen=(DRESS,), others=(DRESS, BAG), prompts=("respond", "revise")):
    return [i.detail for i in check_presentation(text, act, list(chosen), list(others), prompts=prompts,
                                                 language="en", detect_language=detect)]


def test_a_draft_presenting_exactly_its_items_passes():
    assert presentation("For the wedding, the Linen Midi Dress (BQ-001) at €420 is light and elegant.") == []
    assert presentation("BQ-001 is light and elegant, at €420, ideal for a summer wedding.") == []


def test_a_draft_that_names_none_of_its_items_fails():
    # What small models wrote with three cards attached.
    assert presentation("I'm sorry, but I can't assist with that request.") == [
        "the reply is a refusal (“I'm sorry, but I can't”)",
        "the reply does not present Linen Midi Dress (BQ-001), which it lists"]
    assert presentation("Here are some lovely options for you!") == [
        "the reply does not present Linen Midi Dress (BQ-001), which it lists"]
    assert presentation("Something nice.", chosen=()) == ["the reply recommends no item"]


def test_a_draft_presenting_a_candidate_it_does_not_list_fails():
    got = presentation("The Linen Midi Dress (BQ-001) or the Calfskin Tote would both work for the day.")
    assert got == ["the reply presents Calfskin Tote (BQ-002), which it does not list"]


def test_prompt_echoes_fail():
    got = presentation("Write a short, warm reply to a shopper: Linen Midi Dress (BQ-001).")
    assert got == ["the reply echoes its prompt (“write a short warm reply to”)"]
    answer = presentation("Using only the item's facts below, it is linen.", act="answer",
                          chosen=(), others=(), prompts=("answer",))
    assert answer and "echoes its prompt" in answer[0]


def test_tool_calls_and_markup_fail():
    tool = presentation('{"name": "lookup_item", "arguments": {"item_id": "BQ-001"}}', act="answer",
                        chosen=(), others=(), prompts=("answer",))
    assert tool == ['the reply contains a tool call written as text (“{"name":”)']
    tagged = presentation('<tool_call>\n{"name": "lookup_item"}\n</tool_call>', act="answer", chosen=(), others=())
    assert tagged and "tool call" in tagged[0]
    for text in ("```\nLinen Midi Dress (BQ-001)\n```", "<b>Linen Midi Dress</b> (BQ-001) is lovely.",
                 "# Picks\nLinen Midi Dress (BQ-001) is lovely.", "<|im_end|> Linen Midi Dress (BQ-001)"):
        assert any("markup" in d for d in presentation(text)), text


def test_a_reply_in_another_language_than_the_persons_fails():
    got = presentation("La robe Linen Midi Dress (BQ-001) est parfaite pour un mariage en été, avec une coupe légère.")
    assert got == ["the reply is in another language (fr) than the person's (en)"]


def test_presentable_unwraps_emphasis_and_quotes_only():
    assert presentable('"**Linen Midi Dress** (BQ-001) is lovely."') == "Linen Midi Dress (BQ-001) is lovely."
    assert presentable("```json\n{}\n```") == "```json\n{}\n```"  # left for the check to reject


def test_a_reply_reading_its_prompt_labels_back_is_an_echo():
    # What the 0.5B model wrote: the label the prompt puts before the person's words.
    got = presentation("The person said: 'no wool please'.\n1. Linen Midi Dress (BQ-001), €420: light.")
    assert got == ["the reply echoes its prompt (“the person said”)"]


# -- yes/no answers against the catalog's verdict ----------------------------------------------------

import pytest  # noqa: E402

from agent.reflection import answer_polarity, check_verdict  # noqa: E402


@pytest.mark.parametrize("text, said", [
    ("Yes, the gown is silk georgette.", {"yes"}),
    ("Yep — silk, embroidered by hand.", {"yes"}),
    ("They are latex-free, yes.", {"yes"}),
    ("It comes in navy and black.", {"yes"}),
    ("No, it is wool.", {"no"}),
    ("Unfortunately not: it's made of wool.", {"no"}),
    ("It isn't machine washable.", {"no"}),
    ("They don't come in red.", {"no"}),
    ("The catalog doesn't say whether it is machine washable.", {"unknown"}),
    ("That isn't recorded for this item.", {"unknown"}),
    ("Yes, the Disposable Nitrile Gloves (WS-0005) are not recorded in the catalog.", {"yes", "unknown"}),
    ("No, the record does not specify a country of origin.", {"no", "unknown"}),
    ("The gown is floor-length silk georgette.", set()),
])
def test_the_polarity_of_an_answer_to_a_yes_no_question(text, said):
    assert answer_polarity(text) == said


@pytest.mark.parametrize("text, truth, problem", [
    ("Yes, it is silk georgette.", "yes", None),
    ("No, it is wool.", "yes", "says no where the catalog says yes"),
    ("Yes, they are latex-free.", "unknown", "says yes where the catalog says that the catalog doesn't say"),
    ("The catalog doesn't say.", "yes", "says that the catalog doesn't say where the catalog says yes"),
    ("No, the catalog does not say.", "unknown", None),
    ("Yes, the gloves are not recorded in the catalog.", "unknown", "contradicts itself"),
    ("It is hand-embroidered silk.", "no", "says yes where the catalog says no"),
    ("Silk georgette, hand-embroidered.", "no", None),  # no yes or no to hold
])
def test_an_answer_must_say_what_the_catalog_says(text, truth, problem):
    issues = check_verdict(text, {"A": truth})
    if problem is None:
        assert issues == []
    else:
        assert len(issues) == 1 and problem in issues[0].detail and issues[0].check == "wrong_fact"


def test_mixed_verdicts_or_another_language_are_not_held():
    assert check_verdict("Yes, both are.", {"A": "yes", "B": "no"}) == []
    assert check_verdict("No, ninguno.", {"A": "yes"}, language="es") == []
    assert check_verdict("No.", {}) == []
