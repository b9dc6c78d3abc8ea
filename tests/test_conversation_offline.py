"""Whole conversations on the offline path: the real graph, the real local embeddings, the real
built-in catalogs, no fakes. Each test is a conversation a user could have."""

from __future__ import annotations

import re

import pytest

from agent.models import BeliefState, Constraints


def talk(conversations, lines, catalog="boutique", client=None):
    thread = conversations.new_thread_id()
    return thread, [conversations.send(thread, line, catalog=catalog, client_id=client) for line in lines]


def catalog_item(deps, catalog, item_id):
    return deps.store.get(catalog, [item_id])[item_id]


def test_first_request_gives_explained_recommendations_within_constraints(conversations, warm_deps):
    _, (out,) = talk(conversations, ["I need an elegant dress for my sister's summer wedding, under 900 euros"])
    assert out.act == "recommend"
    assert len(out.recommendations) == 3
    assert out.belief.constraints.budget_max == 900
    assert out.belief.constraints.categories == ["dress"]
    for rec in out.recommendations:
        item = catalog_item(warm_deps, "boutique", rec.item_id)
        assert item.price <= 900 and item.category == "dress"
        assert rec.price == item.price and rec.title == item.title
        assert rec.explanation and rec.matches, rec
        assert rec.item_id in out.reply and rec.title in out.reply
    motive = next(m for m in out.belief.motives if m.source == "conversation")
    assert motive.evidence and motive.evidence[0].turn == 0 and 0 < motive.confidence <= 1
    assert out.reflection.passed and out.reflection.attempts == 1
    assert out.llm.calls == 0 and out.mode == "offline"


def test_negation_critiques_and_brand_exclusion(conversations, warm_deps):
    _, outs = talk(conversations, [
        "a handbag for everyday city use",
        "not leather please",
        "something cheaper",
        "not that brand",
    ])
    first, no_leather, cheaper, other_brand = outs
    assert first.act == "recommend"
    assert "leather" in no_leather.belief.constraints.exclude_terms
    for rec in no_leather.recommendations + cheaper.recommendations + other_brand.recommendations:
        item = catalog_item(warm_deps, "boutique", rec.item_id)
        assert not Constraints(exclude_terms=["leather"]).violations(item), item.text()
    top_price = no_leather.recommendations[0].price
    assert cheaper.recommendations and all(r.price < top_price for r in cheaper.recommendations)
    ruled_out = cheaper.recommendations[0].brand
    assert ruled_out.lower() in [b.lower() for b in other_brand.belief.constraints.brands_out]
    assert all(r.brand != ruled_out for r in other_brand.recommendations)


def test_rejected_item_never_comes_back(conversations):
    thread, (first,) = talk(conversations, ["a warm coat for winter in the city"])
    rejected = first.recommendations[0].item_id
    second = conversations.send(thread, "not the first one")
    assert rejected in second.belief.rejected_ids
    third = conversations.send(thread, "show me more coats")
    for out in (second, third):
        assert rejected not in [r.item_id for r in out.recommendations]


def test_structured_reaction_updates_belief_like_a_critique(conversations):
    thread, (first,) = talk(conversations, ["a silk scarf as a gift for my mother"])
    item_id = first.recommendations[1].item_id
    out = conversations.react(thread, item_id, "rejected", "too bright")
    assert item_id in out.belief.rejected_ids and "too bright" in out.belief.dislikes
    assert item_id not in [r.item_id for r in out.recommendations]
    assert out.user.startswith("Not for me:")
    assert out.belief.constraints == first.belief.constraints  # the title's words are not a request


def test_item_questions_are_answered_from_catalog_fields(conversations, warm_deps):
    thread, (first,) = talk(conversations, ["a cashmere jumper for weekends"])
    shown = first.recommendations
    out = conversations.send(thread, "what is the first one made of?")
    assert out.act == "answer"
    item = catalog_item(warm_deps, "boutique", shown[0].item_id)
    assert str(item.attributes["material"]) in out.reply
    out = conversations.send(thread, "how do I wash the second one?")
    item2 = catalog_item(warm_deps, "boutique", shown[1].item_id)
    if "care" in item2.attributes:
        assert str(item2.attributes["care"]) in out.reply
    else:
        assert "does not record" in out.reply
    assert out.reflection.passed


def test_wholesale_tier_price_question(conversations, warm_deps):
    thread, (first,) = talk(conversations, ["nitrile gloves for a food processing line"], catalog="wholesale")
    assert first.recommendations
    item = catalog_item(warm_deps, "wholesale", first.recommendations[0].item_id)
    tiers = sorted(item.attributes["tiered_prices"], key=lambda t: t["min_qty"])
    qty = tiers[-1]["min_qty"] + 1
    out = conversations.send(thread, f"what is the price for {qty} units of the first one?")
    assert out.act == "answer"
    assert f"{tiers[-1]['unit_price']:,.2f}".removesuffix(".00") in out.reply
    assert out.reflection.passed


def test_b2b_constraints_moq_and_lead_time(conversations, warm_deps):
    _, (out,) = talk(conversations, ["packaging, MOQ under 1000 and lead time under 10 days"],
                     catalog="wholesale")
    c = out.belief.constraints
    assert (c.max_moq, c.max_lead_time_days) == (1000, 10)
    assert out.recommendations and not out.relaxed
    for rec in out.recommendations:
        assert not c.violations(catalog_item(warm_deps, "wholesale", rec.item_id))


def test_a_second_dead_end_in_a_row_still_opens_with_what_blocks(conversations):
    """The dead-end note opens the reply every time nothing meets the constraints: a second one is
    not introduced as 'one good candidate:' (which it is not)."""
    thread, (first, second) = talk(conversations, ["a silk coat under 100 euros", "in navy please"])
    assert first.relaxed and second.relaxed
    assert first.reply.startswith("Nothing in the catalog meets everything you asked"), first.reply
    # said again, with a word that says so ('Still, nothing ...'), so no two replies open alike
    assert re.match(r"(?:(?:Still|As before|Again), n|N)othing in the catalog meets everything you asked", second.reply), \
        second.reply


def test_a_dead_end_shows_the_nearest_items_and_says_what_blocks(conversations, warm_deps):
    """No packaging item says it is compostable: the turn does not end empty. It names what
    blocks, shows the closest items (which break only that), and 'relax it' keeps it off."""
    thread, (out,) = talk(conversations, ["compostable packaging, MOQ under 1000 and lead time under 10 days"],
                          catalog="wholesale")
    c = out.belief.constraints
    assert "compostable" in c.must_have and out.recommendations and out.relaxed
    assert out.reply.startswith("Nothing in the catalog meets everything you asked")
    loosened = Constraints.model_validate(c.model_dump())
    for label, loose in c.relaxations():
        if label in out.relaxed:
            loosened = loose
    for rec in out.recommendations:
        item = catalog_item(warm_deps, "wholesale", rec.item_id)
        assert c.violations(item) and not loosened.violations(item)
    assert out.reflection.passed
    relaxed = conversations.send(thread, "ok, relax it")
    assert relaxed.recommendations and not relaxed.relaxed
    for rec in relaxed.recommendations:
        assert not relaxed.belief.constraints.violations(catalog_item(warm_deps, "wholesale", rec.item_id))


def test_an_exclusion_every_item_breaks_still_shows_the_nearest_and_says_so(conversations, warm_deps):
    """Every scarf of this catalog is wool: 'no wool' leaves nothing. The turn still shows the
    closest scarves, says they have wool, and keeps 'no wool' for the next turn."""
    from agent.models import Item

    scarves = [Item(id=f"WS-{n}", title=f"{colour} Wool Scarf", brand="Velluto", category="scarf", price=80.0 + n,
                    currency="EUR", description=f"A soft {colour.lower()} wool scarf.")
               for n, colour in enumerate(["Grey", "Navy", "Camel", "Black"], start=1)]
    warm_deps.register("woolshop", scarves, "fashion", "test")
    thread, (out,) = talk(conversations, ["a scarf, no wool please"], catalog="woolshop")
    assert out.belief.constraints.exclude_terms == ["wool"]
    assert out.recommendations and "exclude:wool" in out.relaxed
    assert "nothing with “wool”" in out.reply and out.reply.startswith("Nothing in the catalog meets everything")
    assert out.reflection.passed
    again = conversations.send(thread, "hmm, something else?")
    assert again.belief.constraints.exclude_terms == ["wool"]


def test_fewer_matches_than_a_reply_shows_says_they_are_all_and_relax_it_widens(conversations, warm_deps):
    """The boutique has one linen dress: the reply shows it, says it is the only one and what
    narrows it; 'relax it' then drops the linen requirement (and only that) and shows more."""
    thread, (out,) = talk(conversations, ["Looking for a linen dress for a summer wedding, under 800"])
    assert [r.item_id for r in out.recommendations] == ["BQ-005"]
    assert "That is the only item in the catalog meeting everything you asked; “linen” is what narrows it." in out.reply
    assert out.belief.blocking == ["require:linen"] and not out.relaxed
    wider = conversations.send(thread, "relax it")
    assert wider.belief.constraints.must_have == [] and wider.belief.constraints.budget_max == 800
    assert len(wider.recommendations) == 3 and "only item" not in wider.reply
    for rec in wider.recommendations:
        item = catalog_item(warm_deps, "boutique", rec.item_id)
        assert item.category == "dress" and not wider.belief.constraints.violations(item)


def test_vague_request_gets_one_clarifying_question(conversations):
    thread, (out,) = talk(conversations, ["I'm looking for something nice"])
    assert out.act == "ask"
    assert out.reply.endswith("?") and not out.recommendations
    assert out.belief.asked
    follow = conversations.send(thread, "a dress for a garden party")
    assert follow.act == "recommend"


def test_greeting_and_start_over(conversations):
    thread, (hello,) = talk(conversations, ["hello"])
    assert hello.act == "acknowledge" and "boutique" in hello.reply
    conversations.send(thread, "a black-tie gown under 3000 euros, nothing from Maison Ardent")
    reset = conversations.send(thread, "start over")
    assert reset.act == "reset"
    assert reset.belief.constraints == Constraints() and not reset.belief.motives


def test_history_motive_contradicted_by_current_request_is_set_aside(conversations):
    """C-MARGOT buys tailored office wear; asking for beach clothes must not get office wear."""
    _, (out,) = talk(conversations, ["something casual for a beach holiday"], client="C-MARGOT")
    history = [m for m in out.belief.motives if m.source == "history"]
    assert history, "the client's history should yield motives"
    overridden = [m for m in history if m.overridden_by]
    assert overridden, [m.text for m in history]
    assert any(i.check == "context_conflict" for i in out.reflection.issues)
    assert out.reflection.passed and out.reflection.attempts >= 2
    assert any("set aside" in r for r in out.reflection.revisions)
    for rec in out.recommendations:
        assert not any(m.motive == o.text for m in rec.matches for o in overridden)


def test_belief_correction_is_used_next_turn(conversations):
    thread, (out,) = talk(conversations, ["a dress under 300 euros"])
    belief: BeliefState = out.belief.model_copy(deep=True)
    belief.constraints.budget_max = 2000
    conversations.correct_belief(thread, belief)
    after = conversations.send(thread, "show me more dresses")
    assert after.belief.constraints.budget_max == 2000


def test_unknown_catalog_and_client_are_clear_errors(conversations):
    from agent.deps import UnknownCatalog, UnknownClient

    with pytest.raises(UnknownCatalog, match="motive ingest"):
        conversations.send(conversations.new_thread_id(), "hi", catalog="nope")
    with pytest.raises(UnknownClient, match="C-ELENA"):
        conversations.send(conversations.new_thread_id(), "hi", client_id="C-NOBODY")


def test_conversation_survives_a_restart(warm_deps, tmp_path):
    """A new process (new graph, new checkpointer object) on the same SQLite file resumes."""
    from graph.session import Conversations, sqlite_checkpointer

    path = tmp_path / "conversations.sqlite3"
    first = Conversations(warm_deps, sqlite_checkpointer(path))
    thread = first.new_thread_id()
    out = first.send(thread, "a shirt for summer, under 400 euros", catalog="boutique")
    shown = [r.item_id for r in out.recommendations]
    del first

    second = Conversations(warm_deps, sqlite_checkpointer(path))
    state = second.state(thread)
    assert state["belief"].constraints.budget_max == 400
    assert state["belief"].shown == shown
    answer = second.send(thread, "what is the second one made of?")
    assert answer.act == "answer" and shown[1] in answer.reply
    assert answer.turn == 1


def test_directional_critique_moves_away_from_what_was_shown(conversations, warm_deps):
    thread, (first,) = talk(conversations, ["a relaxed outfit for a garden party"])
    out = conversations.send(thread, "more formal")
    assert any(m.text.endswith("more formal") for m in out.belief.motives)
    shown_before = {r.item_id for r in first.recommendations}
    assert out.recommendations and not shown_before & {r.item_id for r in out.recommendations}

    from agent.motives import quality_text

    # The product's measure of a quality: the item's whole text against the quality read with its
    # vocabulary motive ('formal: dressing up for a wedding, gala or party').
    formal = warm_deps.embedder.embed([quality_text("formal")])[0]
    ref = warm_deps.store.get("boutique", [first.recommendations[0].item_id])
    items = ref | warm_deps.store.get("boutique", [r.item_id for r in out.recommendations])
    level = {i: float(warm_deps.embedder.embed([item.text()])[0] @ formal) for i, item in items.items()}
    reference = level[first.recommendations[0].item_id]
    more = [level[r.item_id] > reference for r in out.recommendations]
    # Either every pick is more formal, or the reply says nothing within the request goes further.
    assert all(more) or out.reply.startswith("Nothing within what you asked is more formal"), (more, out.reply)
    assert any(more), "the first of the moved items is more formal than what was shown"


def test_a_new_request_fades_the_old_one(conversations):
    thread, (first,) = talk(conversations, ["a dress for a summer wedding"])
    old = {m.text: m.confidence for m in first.belief.motives}
    out = conversations.send(thread, "now a gift for my husband, he travels a lot for work")
    assert out.belief.query == "now a gift for my husband, he travels a lot for work"
    faded = {m.text: m.confidence for m in out.belief.motives if m.text in old}
    assert all(faded[t] < old[t] for t in faded)
    assert any(m.text not in old for m in out.belief.motives)


def test_a_reply_that_never_passes_reflection_is_not_sent(warm_deps, conversations):
    """A catalog title that states a false price fails every attempt: a safe reply goes out."""
    from agent.models import Item
    from graph.nodes import UNVERIFIED_REPLY

    poisoned = [Item(id="PT-001", title="Silk Scarf, now only €1", description="A silk scarf in navy.",
                     brand="Orlo", category="scarf", price=240, currency="EUR"),
                Item(id="PT-002", title="Wool Scarf, now only €1", description="A wool scarf in grey.",
                     brand="Orlo", category="scarf", price=180, currency="EUR")]
    warm_deps.register("poisoned-titles", poisoned, "fashion", "test")
    out = conversations.send(conversations.new_thread_id(), "a scarf", catalog="poisoned-titles")
    assert not out.reflection.passed and out.reflection.attempts == 3
    assert out.reply == UNVERIFIED_REPLY and out.recommendations == []


def test_an_item_whose_own_line_fails_reflection_is_left_out_not_the_whole_reply(warm_deps, conversations):
    """One poisoned title among good items: the offline redraft drops that item and sends the rest."""
    from agent.models import Item

    items = [Item(id="PM-001", title="Silk Scarf, now only €1", description="A silk scarf in navy.",
                  brand="Orlo", category="scarf", price=240, currency="EUR"),
             Item(id="PM-002", title="Cashmere Scarf", description="A cashmere scarf in grey.",
                  brand="Orlo", category="scarf", price=180, currency="EUR"),
             Item(id="PM-003", title="Linen Scarf", description="A light linen scarf in sand.",
                  brand="Orlo", category="scarf", price=90, currency="EUR")]
    warm_deps.register("mixed-titles", items, "fashion", "test")
    out = conversations.send(conversations.new_thread_id(), "a scarf", catalog="mixed-titles")
    assert out.reflection.passed and out.reflection.attempts >= 2
    shown = [r.item_id for r in out.recommendations]
    assert shown and "PM-001" not in shown and "now only" not in out.reply
    assert any("removed PM-001" in r for r in out.reflection.revisions)


def test_a_message_in_another_language_gets_a_reply_saying_so_and_thanks_are_thanks(conversations):
    """French is not read offline: the reply says so, in French too, and asks for English, and the
    search is left as it was; 'merci beaucoup' is thanked for all the same."""
    thread, (first, foreign, thanks) = talk(conversations, [
        "a black evening bag under 900", "Je cherche une robe pour un mariage, taille 38", "merci beaucoup"])
    assert foreign.act == "acknowledge" and not foreign.recommendations
    assert "I can only read English for now, and this looks like French" in foreign.reply
    assert "anglais" in foreign.reply
    assert foreign.belief.constraints == first.belief.constraints
    assert thanks.reply.startswith("You're welcome!") and "in English" in thanks.reply


def test_a_choice_is_confirmed_from_the_catalog_not_answered_with_more_like_it(conversations, warm_deps):
    _, (first, chosen, more) = talk(conversations, [
        "nitrile gloves for a food plant, powder free",
        "we'll take 300 boxes of the first",
        "thanks, that is all",
    ], catalog="wholesale")
    pick = first.recommendations[0]
    item = catalog_item(warm_deps, "wholesale", pick.item_id)
    assert chosen.act == "acknowledge" and chosen.recommendations == []
    assert chosen.reply.startswith(f"Good choice: {item.title}") and f"({item.id})" in chosen.reply
    assert "300 boxes" in chosen.reply and "can't place the order" in chosen.reply  # the price at 300, no order claimed
    assert pick.item_id in chosen.belief.liked_ids  # the belief keeps the choice as a liked reaction
    assert more.act == "acknowledge" and more.recommendations == [] and "welcome" in more.reply.lower()
