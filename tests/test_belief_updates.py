"""How one message's parse changes the belief state: pure functions, hand-made inputs."""

from agent.models import Constraints, Evidence, Motive
from agent.belief import merge_constraints, merge_motives


def test_negative_constraints_accumulate_and_positive_ones_are_replaced():
    old = Constraints(categories=["dress"], brands_out=["Velluto"], exclude_terms=["leather"], sizes=["M"])
    new = Constraints(categories=["shoes"], brands_out=["Tessaro"], exclude_terms=["suede"], sizes=["38"])
    merged = merge_constraints(old, new, [])
    assert merged.categories == ["shoes"] and merged.sizes == ["38"]
    assert merged.brands_out == ["Velluto", "Tessaro"] and merged.exclude_terms == ["leather", "suede"]


def test_the_words_for_the_kind_go_with_the_categories_they_were_said_with():
    old = Constraints(categories=["jacket"], kinds=["jacket", "jackets"], exclude_terms=["wool"])
    assert merge_constraints(old, Constraints(budget_max=60), []).kinds == ["jacket", "jackets"]
    # A new kind said as a phrase brings no word of its own: the old one does not stay behind.
    assert merge_constraints(old, Constraints(categories=["dress"]), []).kinds == []
    assert merge_constraints(old, Constraints(), ["categories", "kinds"]).kinds == []


def test_lifting_a_whole_field_or_one_value():
    old = Constraints(budget_max=300, exclude_terms=["leather", "wool"], brands_out=["Velluto"])
    merged = merge_constraints(old, Constraints(), ["budget_max", "exclude_terms:leather"])
    assert merged.budget_max is None and merged.exclude_terms == ["wool"] and merged.brands_out == ["Velluto"]


def test_a_brand_asked_for_again_is_no_longer_ruled_out():
    merged = merge_constraints(Constraints(brands_out=["Velluto"]), Constraints(brands_in=["Velluto"]), [])
    assert merged.brands_in == ["Velluto"] and merged.brands_out == []


def test_motives_merge_by_text_and_a_restated_history_motive_becomes_current():
    history = Motive(text="Prefers casual relaxed style", confidence=0.5, source="history",
                     evidence=[Evidence(quote="linen trousers")], overridden_by="something")
    said = Motive(text="prefers casual relaxed style", confidence=0.8, source="conversation",
                  evidence=[Evidence(quote="casual", turn=2)])
    (merged,) = merge_motives([history], [said])
    assert merged.confidence == 0.8 and merged.source == "conversation" and merged.active
    assert [e.quote for e in merged.evidence] == ["linen trousers", "casual"]


def test_relax_drops_what_blocked_and_only_that():
    from datetime import date

    from agent.belief import cleared_fields
    from agent.catalog import demo_catalog_path, read_catalog
    from agent.reading import CatalogLexicon, Reader

    reader = Reader(CatalogLexicon.from_items(read_catalog(demo_catalog_path("boutique")).items, "fashion"))
    held = Constraints(budget_max=300, exclude_terms=["wool"], must_have=["cashmere"])

    def cleared(message: str, blocking: list[str]) -> list[str]:
        return cleared_fields(reader.read(message, [], None, date(2026, 12, 1)), blocking, held)

    # After a dead end, 'what have you got?' and 'relax it' drop what blocked ...
    assert cleared("what have you got?", ["require:cashmere"]) == ["must_have:cashmere"]
    assert cleared("ok, relax it", ["budget"]) == cleared("ok, relax it", ["budget"]) != []
    # ... and with nothing blocking they ask for more, not for every constraint gone.
    assert cleared("what have you got?", []) == []
    assert cleared("show me the closest", []) == []
    # 'forget all the filters' drops every limit and requirement, blocked or not; what the person
    # ruled out ('no wool', 'nothing from Velluto') stays ruled out.
    everything = cleared("forget all the filters", [])
    assert {"budget_max", "must_have", "categories"} <= set(everything)
    assert "exclude_terms" not in everything and "brands_out" not in everything


# -- the understand node's rules, without the graph ------------------------------------------------

from agent.belief import apply_request, only_steers, wants_items  # noqa: E402
from agent.dialogue import choose_act  # noqa: E402
from agent.models import BeliefState  # noqa: E402
from agent.reading.models import Category, Comparison, Critique, Question, Reading  # noqa: E402


def test_a_request_with_motives_of_its_own_is_a_new_subject():
    earlier = Motive(text="wants to stay cool in the heat", confidence=0.8, source="conversation")
    belief = BeliefState(query="a linen dress for a summer wedding", motives=[earlier])
    found = [Motive(text="wants a gift for a traveller", confidence=0.7, source="conversation")]
    after = apply_request(belief, "a gift for my husband, he travels a lot", Reading(), found)
    assert after.query == "a gift for my husband, he travels a lot"
    faded, new = after.motives
    assert faded.text == earlier.text and faded.confidence < earlier.confidence and new.text == found[0].text
    assert belief.motives[0].confidence == 0.8  # the old belief is not mutated


def test_a_request_without_motives_or_a_sure_category_adds_to_the_query():
    belief = BeliefState(query="a linen dress")
    assert apply_request(belief, "in blue", Reading(), []).query == "a linen dress in blue"
    sure = Reading(categories=[Category(name="shoes", quote="shoes")])
    unsure = Reading(categories=[Category(name="shoes", quote="shoes", sure=False)])
    assert apply_request(belief, "shoes", sure, []).query == "shoes"
    assert apply_request(belief, "shoes", unsure, []).query == "a linen dress shoes"


def test_steering_what_is_on_screen_is_not_a_request():
    critique = Reading(act="critique", critiques=[Critique(kind="cheaper", quote="cheaper")])
    assert only_steers(critique, reacted=False, shown=True)
    assert not only_steers(critique, reacted=False, shown=False)  # nothing shown: it is the request
    assert only_steers(Reading(), reacted=True, shown=False)
    assert wants_items(critique) and not wants_items(Reading(act="greeting"))
    assert not wants_items(Reading(understood=False))


def test_the_act_of_a_message():
    assert choose_act(Reading(act="greeting"), shown=False) == "acknowledge"
    assert choose_act(Reading(understood=False), shown=True) == "acknowledge"
    assert choose_act(Reading(question=Question(item_ids=["BQ-001"], field="material")), shown=True) == "answer"
    compare = Reading(compare=Comparison(field="price", goal="min"))
    assert choose_act(compare, shown=True) == "answer" and choose_act(compare, shown=False) == "recommend"
    assert choose_act(Reading(), shown=False) == "recommend"


def test_a_message_changes_the_reading_facts_recipient_and_for_a_request_the_query():
    from agent.belief import apply_message
    from agent.models import BeliefState, ClientFact
    from agent.reading.models import Reading

    vegan = ClientFact(kind="exclude", terms=["leather"], label="vegan")
    belief = BeliefState(query="a dress", facts=[vegan])
    reading = Reading(act="request")
    said = Motive(text="for a wedding", confidence=0.8)
    asked = apply_message(belief, reading, [], "shoes for a wedding", 1, motives=[said])
    assert asked.query == "shoes for a wedding" and [m.text for m in asked.motives] == ["for a wedding"]
    assert asked.constraints.exclude_terms == ["leather"]
    for_him = apply_message(belief, reading, [], "shoes for my husband", 1)
    assert for_him.recipient == "men" and for_him.constraints.exclude_terms == []  # her facts are not his
    # Steering what is shown (motives None) leaves the query; a card's reaction is not about
    # anyone (its message is the card's title): no recipient, and the client's own facts apply.
    steered = apply_message(belief, reading, [], "shoes for my husband", 1, reacted=True)
    assert steered.query == "a dress" and not steered.motives and steered.recipient == ""
    assert steered.constraints.exclude_terms == ["leather"] and belief.query == "a dress"


def test_a_cards_reason_is_read_as_a_reaction_to_that_card():
    from agent.belief import as_reaction
    from agent.reading.models import Comparison, Question, Reading

    reading = Reading(act="question", question=Question(item_ids=["BQ-1"]), compare=Comparison(field="price", goal="min"))
    reacted = as_reaction(reading)
    assert reacted.act == "reaction" and reacted.question is None and reacted.compare is None
    assert reading.act == "question"


def test_a_budget_for_the_lot_is_kept_with_its_total_until_another_budget_is_said():
    """'2k for the lot, 40 pairs' is €50 a pair, and the replies say it as such ('at most €50 a
    pair (€2,000 for 40)'); a budget said per unit afterwards is no longer for the lot."""
    from agent.dialogue import describe_relaxation

    lot = merge_constraints(Constraints(), Constraints(budget_max=50, budget_lot=(2000, 40, "pair")), [])
    assert describe_relaxation("budget", lot, "EUR") == "the budget of at most €50 a pair (€2,000 for 40)"
    later = merge_constraints(lot, Constraints(budget_max=30), [])
    assert (later.budget_max, later.budget_lot) == (30, None)
    assert describe_relaxation("budget", later, "EUR") == "the budget of at most €30"
    assert merge_constraints(lot, Constraints(), ["budget_lot", "budget_max"]).budget_lot is None


def test_a_reply_may_repeat_the_budget_the_person_gave_for_the_lot():
    from agent.models import BeliefState, Item
    from agent.reflection import check_facts

    gloves = Item(id="WS-1", title="Cut gloves", category="safety gloves", price=38.4, currency="EUR")
    belief = BeliefState(constraints=Constraints(budget_max=50, budget_lot=(2000, 40, "pair")))
    text = "Cut gloves (WS-1), €38.40. The budget of at most €50 a pair (€2,000 for 40) is what narrows it."
    assert check_facts(text, [gloves], [], belief) == []


def test_the_words_of_a_rejection_are_not_a_reason_to_rank_by():
    """'Nope.' / 'No, sorry, ...' turn the items down and say why not at all: the reader may hand the
    rejecting words on as the reason, but ranked down as a quality ('nope') they push away whatever
    their embedding sits near. A reason of its own ('too shiny') is kept."""
    from agent.belief import apply_reading
    from agent.models import BeliefState
    from agent.reading.models import Reading, Reference

    def rejected(quote: str, reason: str) -> Reading:
        refs = [Reference(quote=quote, item_id=i, how="all", polarity="rejected") for i in ("A", "B", "C")]
        return Reading(act="reaction", references=refs, reason=reason)

    for quote, reason in (("nope", "nope"), ("no, sorry", "no, sorry"), ("These won't do", "these won't do"),
                          ("no good", "? no good")):
        b = apply_reading(BeliefState(), rejected(quote, reason), [], 1)
        assert b.dislikes == [] and b.rejected_ids == {"A", "B", "C"}, (quote, reason)
        assert {r.reason for r in b.reactions} == {reason}  # the reaction still records what was said
    b = apply_reading(BeliefState(), rejected("not that one", "too shiny"), [], 1)
    assert b.dislikes == ["too shiny"]


def test_a_critique_the_reader_could_not_place_still_moves_away_from_the_screen():
    """'Not what I asked for, centrefeed please' is read as a critique with nothing to steer by: the
    items on screen are what it is about, so they are set aside (as after 'less formal') instead of
    coming back as 'the same selection for now'. A like keeps them."""
    from agent.belief import apply_reading
    from agent.catalog import demo_catalog_path, read_catalog
    from agent.models import BeliefState
    from agent.reading.models import Reading, Reference

    shown = read_catalog(demo_catalog_path("wholesale")).items[:3]
    b = apply_reading(BeliefState(shown=[i.id for i in shown]), Reading(act="critique"), shown, 2)
    assert b.set_aside == [i.id for i in shown] and b.excluded_ids >= {i.id for i in shown}
    liked = Reading(act="critique", references=[Reference(quote="the first", item_id=shown[0].id, how="ordinal",
                                                          polarity="liked")])
    assert apply_reading(BeliefState(), liked, shown, 2).set_aside == []
    assert apply_reading(BeliefState(), Reading(act="critique"), [], 2).set_aside == []
