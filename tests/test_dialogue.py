"""Dialogue policy on hand-made candidates: question choice, catalog-only answers, wording."""

from agent.alignment import Scored
from agent.dialogue import answer_about, choose_question, compose_reply, money, should_ask, unit_price_for
from agent.models import BeliefState, Constraints, Item, Motive, Recommendation, Traits


def item(n, category, price, colour="black", **attrs):
    return Item(id=f"BQ-{n:03d}", title=f"Item {n}", brand="Velluto", category=category, price=price,
                currency="EUR", attributes={"colour": colour, **attrs})


def scored(items):
    return [Scored(i, 1.0 - n / 100, 0.5, 0.0, []) for n, i in enumerate(items)]


def test_money_formats():
    assert money(1250, "EUR") == "€1,250"
    assert money(12.5, "USD") == "$12.50"
    assert money(980, "CHF") == "980 CHF"
    # No currency (ISO 4217 'XXX', the H&M export's; or none recorded): the bare amount.
    assert money(25.4, "XXX") == "25.40"
    assert money(25, "") == "25"


def test_question_splits_the_most_mixed_attribute():
    items = [item(1, "dress", 100), item(2, "coat", 200), item(3, "scarf", 300), item(4, "shoes", 400),
             item(5, "dress", 500), item(6, "coat", 600)]
    traits = {i.id: Traits(occasion=["office"]) for i in items}
    q = choose_question(BeliefState(), scored(items), traits)
    assert q.attribute == "category" and "dress" in q.text
    q2 = choose_question(BeliefState(asked=["category"]), scored(items), traits)
    assert q2.attribute == "budget" and "€100" in q2.text and "€600" in q2.text
    constrained = BeliefState(asked=["category"], constraints=Constraints(budget_max=700))
    assert choose_question(constrained, scored(items), traits) is None  # colour and occasion don't split


def test_should_ask_only_when_unfocused_and_diverse():
    diverse = scored([item(n, c, 100) for n, c in enumerate(["dress", "coat", "scarf", "shoes", "belt"] * 2)])
    same = scored([item(n, "dress", 100) for n in range(10)])
    assert should_ask(BeliefState(), diverse, has_focus=False)
    assert not should_ask(BeliefState(), diverse, has_focus=True)
    assert not should_ask(BeliefState(), same, has_focus=False)
    assert not should_ask(BeliefState(asked=["category", "budget"]), diverse, has_focus=False)


def test_answers_come_from_catalog_fields_only():
    gloves = Item(id="WS-0001", title="Nitrile Gloves", brand="Safeguard", category="gloves", price=4.2,
                  currency="EUR", attributes={"moq": 100, "tiered_prices": [
                      {"min_qty": 100, "unit_price": 4.2}, {"min_qty": 1000, "unit_price": 3.5}]})
    assert unit_price_for(gloves, 1500) == 3.5
    assert "€3.50 per unit" in answer_about(gloves, "price", quantity=1500)
    assert "below it" in answer_about(gloves, "price", quantity=50)
    assert "minimum order quantity of Nitrile Gloves (WS-0001) is 100 units" in answer_about(gloves, "moq")
    unknown = answer_about(gloves, "material")
    assert "does not record the material" in unknown


def test_a_purpose_phrase_motive_leads_the_reply_once():
    """A free-text motive is the purpose phrase itself ('for something adjustable'): 'For for' was
    what a simulated shopper saw."""
    belief = BeliefState(motives=[Motive(text="for something adjustable", confidence=0.6)])
    recs = [Recommendation(item_id="BQ-001", title="Item 1", brand="Velluto", price=10, score=0.5, explanation="")]
    text = compose_reply(recs, {}, {}, belief, None, "fashion")
    assert text.startswith("For something adjustable, here is one I'd suggest:"), text
    assert "For for" not in text


def test_a_gift_for_someone_unnamed_asks_whom_it_is_for_once_and_never_twice_in_a_row():
    diverse = scored([item(n, c, 100) for n, c in enumerate(["dress", "coat", "scarf", "shoes", "belt"] * 2)])
    gift = Motive(text="wants a meaningful gift", confidence=0.8)
    vague = BeliefState(motives=[gift], query="I need a present")
    assert should_ask(vague, diverse, has_focus=False)
    assert choose_question(vague, diverse, {}).attribute == "recipient"
    assert not should_ask(vague.model_copy(update={"last_act": "ask"}), diverse, has_focus=False)
    assert not should_ask(vague.model_copy(update={"asked": ["recipient"]}), diverse, has_focus=True)
    named = BeliefState(motives=[gift], query="a present for my husband")
    assert not should_ask(named, diverse, has_focus=True)
    with_kind = BeliefState(motives=[gift], query="a silk scarf as a present", constraints=Constraints(categories=["scarf"]))
    assert not should_ask(with_kind, diverse, has_focus=True)


def test_a_catalog_without_categories_is_greeted_by_its_size_alone():
    """A user's export with no category column: no empty list in the reply ('(3686 items: , ...)')."""
    from agent.dialogue import acknowledgement
    from agent.reading.models import Reading

    hello = acknowledgement(Reading(act="greeting"), "hello", "parts", 3686, [], shown=False)
    assert "(3,686 items)." in hello and ", ..." not in hello
    off = acknowledgement(Reading(act="off_topic"), "what's the weather like?", "parts", 3686, [""], shown=False)
    assert "the parts catalog." in off and "()" not in off and ", ..." not in off
    named = acknowledgement(Reading(act="greeting"), "hi", "boutique", 135, ["dress", "coat"], shown=False)
    assert "(135 items: coat, dress, ...)" in named


def test_a_dead_end_names_what_met_everything_and_was_turned_down():
    from agent.dialogue import relaxed_note
    from agent.models import Constraints

    c = Constraints(categories=["safety footwear"], must_have=["metal-free"])
    one = relaxed_note(["require:metal-free"], c, "EUR", ["S1P Metal-Free Safety Trainers"])
    assert one.startswith("The only item meeting everything you asked is the S1P Metal-Free Safety Trainers, "
                          "which you turned down. ")
    assert "they are not “metal-free”" in one and "Nothing in the catalog" not in one
    two = relaxed_note(["require:metal-free"], c, "EUR", ["A", "B"])
    assert "The only 2 items meeting everything you asked are ones you turned down (A and B)." in two
    assert relaxed_note(["require:metal-free"], c, "EUR").startswith("Nothing in the catalog meets everything")
    again = relaxed_note(["require:metal-free"], c, "EUR", ["A", "B"], shown=1)
    assert "This is the closest otherwise, but it is not “metal-free”." in again
    alone = relaxed_note(["require:metal-free"], c, "EUR", shown=1)  # one item shown: said of one
    assert "This is the closest, but it is not “metal-free”." in alone


def test_the_gender_note_names_items_sharing_a_title_once():
    from agent.dialogue import gender_note

    assert gender_note(["Rave", "Rave"], "men") == \
        "I've left out two items called Rave: the catalog describes them as made for women."
    assert gender_note(["Leeds Jumper", "Rave", "Rave"], "women") == \
        "I've left out the Leeds Jumper and two items called Rave: the catalog describes them as made for men."
    assert gender_note(["Silk Tie"], "women") == "I've left out the Silk Tie: the catalog describes it as made for men."


def test_the_narrowed_note_says_the_only_others_after_turn_downs_and_set_asides():
    from agent.dialogue import narrowed_note

    c = Constraints(categories=["jacket"], must_have=["red"])
    assert narrowed_note(1, ["require:red"], c).startswith("That is the only item in the catalog meeting")
    assert narrowed_note(1, ["require:red"], c, passed=1).startswith(
        "Besides the one you turned down, that is the only other item in the catalog meeting everything")
    assert narrowed_note(2, ["require:red"], c, passed=2, turned_down=False).startswith(
        "Besides the two shown before, those are the only 2 other items in the catalog")


def test_the_filed_note_names_where_the_catalog_files_what_calls_itself_the_kind():
    from agent.dialogue import filed_note

    assert filed_note([("Jennifer", "blazer", "jacket")]) == (
        "The catalog files the Jennifer under “blazer”; its own description calls it a jacket.")
    assert filed_note([("Jennifer", "blazer", "jacket"), ("Albin", "top", "jacket")]) == (
        "The catalog files the Jennifer under “blazer” and the Albin under “top”; "
        "each calls itself a jacket in its own description.")
    assert filed_note([("Jennifer", "blazer", "jacket"), ("Bo", "top", "blouse")]).endswith(
        "each calls itself what you asked for in its own description.")
