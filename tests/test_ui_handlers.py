"""The web page's interactions, one by one, without a browser: the handlers in ``ui/handlers.py``
over the real offline agent (real graph, real local embeddings, the built-in catalogs), with the
conversations kept in a SQLite file as ``motive ui`` keeps them."""

from __future__ import annotations

import dataclasses
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from agent.llm import LLM, chat_model_from_settings
from agent.models import BeliefState, Constraints, Evidence, Motive, Reaction, Recommendation
from agent.settings import Settings, SettingsError
from graph.nodes import MAX_MESSAGE_CHARS
from graph.session import Conversations, sqlite_checkpointer
from ui import render
from ui.handlers import (
    NEW_MOTIVE,
    NO_CLIENT,
    CorrectionError,
    Handlers,
    apply_correction,
    correction_choices,
    remove_entry,
)
from tests.servers import free_port

REQUEST = "Looking for a dress for a summer wedding, something light, elegant but relaxed, under 800"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "conversations.sqlite3"


@pytest.fixture
def settings(warm_deps) -> Settings:
    return warm_deps.settings


@pytest.fixture
def handlers(warm_deps, settings, db) -> Handlers:
    return Handlers(Conversations(warm_deps, sqlite_checkpointer(db)), settings, stream_delay=0)


def last(views):
    views = list(views)
    assert views, "a handler yielded nothing"
    return views[-1]


def started(handlers: Handlers, text: str = REQUEST, **kwargs):
    view = last(handlers.send(handlers.load().session, text, **kwargs))
    assert not view.status or "mv-notice-error" not in view.status, view.status
    return view


def saved(handlers: Handlers, view) -> dict:
    return handlers.conversations.state(view.session.thread_id)


# -- chatting -----------------------------------------------------------------------------------


def test_page_load_starts_a_fresh_conversation_with_the_mode_shown(handlers):
    view = handlers.load()
    assert view.chat == [] and view.cards == [] and view.draft is None
    assert view.session.catalog == "boutique" and view.session.client_id is None
    assert view.session.thread_id in view.header and "Offline reasoning" in view.header
    assert set(view.catalogs) >= {"boutique", "wholesale"}
    assert view.clients[0] == ("No client file", NO_CLIENT)
    assert all(c.catalog == "boutique" for c in handlers.deps.clients.values()
               if c.id in [value for _, value in view.clients[1:]])


def test_send_streams_the_reply_then_shows_cards_and_belief(handlers):
    session = handlers.load().session
    views = list(handlers.send(session, REQUEST))
    first, final = views[0], views[-1]
    assert first.chat == [{"role": "user", "content": REQUEST}, {"role": "assistant", "content": "…"}]
    assert first.message == ""
    reply = final.chat[-1]["content"]
    streamed = [v.chat[-1]["content"] for v in views[1:-1]]
    assert len(streamed) >= 3, "the reply should arrive in several chunks"
    assert all(reply.startswith(chunk) and len(chunk) < len(reply) for chunk in streamed)
    assert [len(c) for c in streamed] == sorted(len(c) for c in streamed)
    assert all(v.streaming for v in views[:-1]) and not final.streaming

    output = saved(handlers, final)["output"]
    assert reply == output.reply and final.chat[0] == {"role": "user", "content": REQUEST}
    assert [c.item_id for c in final.cards] == [r.item_id for r in output.recommendations][:len(final.cards)]
    assert len(final.cards) == 3
    for card, rec in zip(final.cards, output.recommendations):
        assert rec.title in card.html and render.money(rec.price, rec.currency) in card.html
        assert render.AVAILABILITY_LABELS[rec.availability] in card.html and "Why" in card.html
    assert "Checked against the catalog" in final.summary
    for motive in output.belief.motives:
        assert render.escape(motive.text) in final.belief
    assert "mv-tag-new" in final.belief, "a first turn's motives are all new"
    assert "Budget up to €800" in final.belief


def test_not_for_me_updates_the_belief_and_the_item_never_comes_back(handlers):
    view = started(handlers)
    rejected = view.cards[0]
    views = list(handlers.react(view.session, 0, "rejected", "too casual for a wedding"))
    assert views[0].chat[-2]["content"].startswith(f"Not for me: {rejected.title}")
    after = views[-1]
    belief = saved(handlers, after)["belief"]
    assert rejected.item_id in belief.rejected_ids
    assert any(r.reason == "too casual for a wedding" for r in belief.reactions)
    assert f'data-item="{rejected.item_id}"' in after.belief and "mv-rejected mv-changed" in after.belief
    assert rejected.item_id not in [c.item_id for c in after.cards] and after.cards
    again = last(handlers.send(after.session, "show me a few more"))
    assert rejected.item_id not in [c.item_id for c in again.cards]


def test_like_is_recorded_and_shown_on_the_card(handlers):
    view = started(handlers)
    liked = view.cards[1]
    after = last(handlers.react(view.session, 1, "liked"))
    belief = saved(handlers, after)["belief"]
    assert liked.item_id in belief.liked_ids
    assert "Liked" in after.belief
    shown = {c.item_id: c for c in after.cards}
    if liked.item_id in shown:
        assert "♥ Liked" in shown[liked.item_id].html


def test_reacting_to_a_card_that_is_gone_says_so(handlers):
    view = started(handlers)
    after = last(handlers.react(view.session, 7, "rejected"))
    assert "no longer on the page" in after.status


# -- correcting the belief ----------------------------------------------------------------------


def test_a_corrected_budget_is_used_by_the_next_turn_and_survives_a_restart(warm_deps, settings, db, handlers):
    view = started(handlers)
    keys = [key for _, key in view.corrections]
    assert "constraint:budget_max" in keys and NEW_MOTIVE in keys
    assert handlers.correction_value(view.session, "constraint:budget_max") == "800"
    corrected = handlers.correct(view.session, "constraint:budget_max", "€450")
    assert "Belief updated" in corrected.status and "Budget up to €450" in corrected.belief
    assert saved(handlers, corrected)["belief"].constraints.budget_max == 450

    restarted = Handlers(Conversations(warm_deps, sqlite_checkpointer(db)), settings, stream_delay=0)
    resumed = restarted.resume(restarted.load().session, view.session.thread_id)
    assert "Budget up to €450" in resumed.belief
    nxt = last(restarted.send(resumed.session, "show me a few more"))
    output = saved(restarted, nxt)["output"]
    assert output.belief.constraints.budget_max == 450
    assert output.recommendations and all(r.price <= 450 for r in output.recommendations)


def test_a_removed_motive_stays_removed_and_the_panel_shows_it(handlers):
    view = started(handlers)
    belief = saved(handlers, view)["belief"]
    motive = belief.motives[-1].text
    removed = handlers.remove(view.session, f"motive:{motive}")
    assert motive not in [m.text for m in saved(handlers, removed)["belief"].motives]
    assert f"Removed: {render.escape(motive)}" in removed.belief
    nxt = last(handlers.send(removed.session, "what else do you have?"))
    assert motive not in [m.text for m in saved(handlers, nxt)["belief"].motives]


def test_an_added_motive_is_the_persons_own_statement(handlers):
    view = started(handlers)
    after = handlers.correct(view.session, NEW_MOTIVE, "wants to wear it again at other weddings")
    motive = saved(handlers, after)["belief"].motives[-1]
    assert motive.text == "wants to wear it again at other weddings"
    assert motive.confidence == 1.0 and motive.source == "conversation"
    assert "mv-tag-new" in after.belief


def test_correction_errors_are_shown_not_raised(handlers):
    fresh = handlers.load()
    assert "start the conversation first" in handlers.remove(fresh.session, "constraint:budget_max").status
    view = started(handlers)
    assert "needs a number" in handlers.correct(view.session, "constraint:budget_max", "cheap").status
    assert "Pick what to change" in handlers.correct(view.session, None, "x").status
    assert "empty" in handlers.correct(view.session, "constraint:budget_max", "  ").status
    assert saved(handlers, view)["belief"].constraints.budget_max == 800


def _belief() -> BeliefState:
    return BeliefState(
        motives=[Motive(text="wants comfort", confidence=0.6, evidence=[Evidence(quote="comfy", turn=0)]),
                 Motive(text="a gift", confidence=0.8, source="history")],
        constraints=Constraints(budget_max=300, exclude_terms=["leather", "wool"], in_stock_only=True),
        reactions=[Reaction(item_id="BQ-1", kind="rejected", reason="too bright")],
        dislikes=["flashy"],
    )


def test_corrections_are_pure_and_precise():
    belief = _belief()
    snapshot = belief.model_dump()
    assert apply_correction(belief, "constraint:budget_max", "EUR 1,250.50").constraints.budget_max == 1250.5
    replaced = apply_correction(belief, "constraint:exclude_terms:leather", "suede, wool")
    assert replaced.constraints.exclude_terms == ["suede", "wool"]
    assert remove_entry(belief, "constraint:exclude_terms:wool").constraints.exclude_terms == ["leather"]
    assert remove_entry(belief, "constraint:in_stock_only").constraints.in_stock_only is False
    assert remove_entry(belief, "constraint:budget_max").constraints.budget_max is None
    corrected = apply_correction(belief, "motive:wants comfort", "wants all-day comfort", turn=3)
    assert [m.text for m in corrected.motives] == ["wants all-day comfort", "a gift"]
    assert corrected.motives[0].evidence[0].turn == 3
    assert [m.text for m in remove_entry(belief, "motive:a gift").motives] == ["wants comfort"]
    assert remove_entry(belief, "reaction:BQ-1").reactions == []
    assert apply_correction(belief, "reaction:BQ-1", "too loud").reactions[0].reason == "too loud"
    assert remove_entry(belief, "dislike:flashy").dislikes == []
    assert belief.model_dump() == snapshot, "corrections must not mutate the belief they were given"
    for bad in ("motive:not there", "nonsense", "constraint:colour"):
        with pytest.raises(CorrectionError):
            remove_entry(belief, bad)
    with pytest.raises(CorrectionError):
        remove_entry(belief, NEW_MOTIVE)
    labels = dict((key, label) for label, key in correction_choices(belief, {"BQ-1": "Silk Scarf"}))
    assert labels["reaction:BQ-1"] == "Reaction · Not for me: Silk Scarf"
    assert labels["constraint:exclude_terms:wool"] == "Constraint · Without wool"


def test_a_corrected_category_takes_the_words_said_for_the_old_one_with_it():
    belief = BeliefState(constraints=Constraints(categories=["jacket"], kinds=["jacket", "jackets"]))
    edited = apply_correction(belief, "constraint:categories:jacket", "Coat")
    assert edited.constraints.categories == ["coat"] and edited.constraints.kinds == []
    assert remove_entry(belief, "constraint:categories:jacket").constraints.kinds == []
    assert belief.constraints.kinds == ["jacket", "jackets"]


def test_belief_changes_are_computed_against_the_previous_belief():
    before = _belief()
    after = before.model_copy(deep=True)
    after.motives[0].confidence = 0.9
    after.motives.pop(1)
    after.motives.append(Motive(text="for a wedding", confidence=0.7))
    after.constraints.budget_max = 250
    after.constraints.exclude_terms = ["leather"]
    changes = render.belief_changes(before, after)
    assert changes.new_motives == {"for a wedding"}
    assert changes.changed_motives == {"wants comfort": 0.6}
    assert [m.text for m in changes.dropped_motives] == ["a gift"]
    assert changes.new_constraints == {"budget_max"}
    assert changes.dropped_constraints == ["Without wool"]
    html = render.belief_panel(after, before)
    assert "was 60%" in html and "Removed: a gift" in html and "mv-chip-dropped" in html
    assert not render.belief_changes(after, after).any


def test_everything_shown_is_escaped():
    rec = Recommendation(item_id="X<1>", title="<script>alert(1)</script>", brand="A&B", price=10,
                         score=0.5, explanation="<b>why</b>")
    html = render.card(1, rec)
    assert "<script>" not in html and "&lt;script&gt;" in html and "A&amp;B" in html
    belief = BeliefState(motives=[Motive(text="<img src=x>", confidence=0.5)])
    assert "<img" not in render.belief_panel(belief)


# -- catalogs, clients, conversations -----------------------------------------------------------


def test_picking_a_catalog_before_the_first_message_keeps_the_conversation(handlers):
    fresh = handlers.load()
    picked = handlers.pick_catalog(fresh.session, "wholesale")
    assert picked.session.catalog == "wholesale" and picked.session.thread_id == fresh.session.thread_id
    assert all(handlers.deps.clients[value].catalog == "wholesale" for _, value in picked.clients[1:])
    view = last(handlers.send(picked.session, "cut-resistant gloves for a warehouse team"))
    assert saved(handlers, view)["catalog"] == "wholesale" and view.cards


def test_a_catalog_opened_for_the_first_time_shows_progress_and_the_header_follows_it(handlers, warm_deps):
    warm_deps._catalogs.pop("wholesale", None)  # as on a fresh server: the runtime is built on first use
    waiting, page = list(handlers.pick_catalog_steps(handlers.load().session, "wholesale"))
    assert "Opening the wholesale catalog" in waiting.status and "mv-spinner" in waiting.status
    assert "wholesale catalog" in waiting.header
    assert page.session.catalog == "wholesale" and not page.status
    assert "wholesale catalog" in page.header and "Wholesale buying assistant" in page.header
    again = list(handlers.pick_catalog_steps(page.session, "boutique"))
    assert len(again) == 1 and "Clienteling assistant" in again[0].header, "an open catalog needs no wait"


def test_picking_a_catalog_mid_conversation_starts_a_new_one_and_keeps_the_old(handlers):
    view = started(handlers)
    picked = handlers.pick_catalog(view.session, "wholesale")
    assert picked.session.thread_id != view.session.thread_id and picked.chat == []
    assert view.session.thread_id in picked.status
    assert saved(handlers, view)["messages"], "the earlier conversation is still saved"
    assert "No catalog named" in handlers.pick_catalog(view.session, "nope").status


def test_picking_a_client_loads_their_history_motives(handlers):
    fresh = handlers.load()
    picked = handlers.pick_client(fresh.session, "C-ELENA")
    client = handlers.deps.clients["C-ELENA"]
    assert picked.session.client_id == "C-ELENA" and picked.session.catalog == client.catalog
    assert client.name in picked.belief and client.name in picked.header
    view = last(handlers.send(picked.session, "She needs a dress for her daughter's summer wedding in Provence"))
    belief = saved(handlers, view)["belief"]
    assert any(m.source == "history" for m in belief.motives)
    assert "client history" in view.belief and "client file" in view.belief
    back = handlers.pick_client(view.session, NO_CLIENT)
    assert back.session.client_id is None and back.session.thread_id != view.session.thread_id


def test_new_conversation_gets_a_new_id_and_keeps_the_old_one(handlers):
    view = started(handlers)
    fresh = handlers.new_conversation(view.session)
    assert fresh.session.thread_id != view.session.thread_id
    assert fresh.chat == [] and fresh.cards == [] and fresh.session.catalog == view.session.catalog
    assert view.session.thread_id in fresh.status
    resumed = handlers.resume(fresh.session, view.session.thread_id)
    assert resumed.chat == view.chat


def test_resume_after_a_restart_restores_chat_cards_and_belief(warm_deps, settings, db, handlers):
    view = started(handlers)
    view = last(handlers.react(view.session, 0, "rejected", "too casual"))
    restarted = Handlers(Conversations(warm_deps, sqlite_checkpointer(db)), settings, stream_delay=0)
    page = restarted.load()
    assert page.session.thread_id != view.session.thread_id
    resumed = restarted.resume(page.session, f"  {view.session.thread_id} ")
    assert resumed.session.thread_id == view.session.thread_id
    assert resumed.chat == view.chat
    assert [c.item_id for c in resumed.cards] == [c.item_id for c in view.cards]
    assert "Resumed conversation" in resumed.status and "Not for me" in resumed.belief
    assert "mv-changed" not in resumed.belief, "nothing changed since the last turn: nothing highlighted"
    by_link = restarted.load({"conversation": view.session.thread_id})
    assert by_link.chat == view.chat and by_link.session.thread_id == view.session.thread_id
    nxt = last(restarted.send(resumed.session, "anything in blue?"))
    assert len(nxt.chat) == len(view.chat) + 2


def test_resume_after_a_turn_without_cards_shows_the_cards_shown_before(handlers):
    view = started(handlers)
    shown = [c.item_id for c in view.cards]
    asked = last(handlers.send(view.session, "what is the first one made of?"))
    assert saved(handlers, asked)["output"].recommendations == [], "an answer shows no new cards"
    resumed = handlers.resume(handlers.load().session, view.session.thread_id)
    assert [c.item_id for c in resumed.cards] == shown


def test_the_belief_panel_shows_the_strongest_motives_and_folds_the_rest(handlers):
    elena = handlers.pick_client(handlers.load().session, "C-ELENA").session
    view = last(handlers.send(elena, "I need something elegant for my daughter's summer wedding"))
    belief = saved(handlers, view)["belief"]
    assert len(belief.motives) > 4
    unfolded = view.belief.split('<details class="mv-more-motives">')[0]
    assert len(re.findall(r'<li class="mv-motive[ "]', unfolded)) == 4
    assert f"{len(belief.motives) - 4} more</summary>" in view.belief
    assert "mv-tag-new" not in "".join(
        part for part in view.belief.split("<li") if "client history" in part), "the file's motives are not news"


def test_resuming_an_unknown_or_malformed_id_is_a_clear_error(handlers):
    page = handlers.load()
    unknown = handlers.resume(page.session, "0123456789ab")
    assert "No saved conversation with id 0123456789ab" in unknown.status
    assert unknown.session == page.session
    assert "letters and digits" in handlers.resume(page.session, "../etc/passwd").status


# -- draft mode ---------------------------------------------------------------------------------


def test_draft_mode_sends_what_the_associate_wrote(handlers):
    session = handlers.load().session
    views = list(handlers.send(session, REQUEST, draft_mode=True))
    draft = views[-1]
    output = saved(handlers, draft)["output"]
    # The client-ready text: the reply without the closing hint meant for the person at the keyboard.
    assert output.hint and output.reply == f"{draft.draft}\n{output.hint}"
    assert output.hint not in draft.draft
    assert draft.chat == [{"role": "user", "content": REQUEST}], "the client has not seen the draft"
    assert draft.cards, "the associate sees the suggestions while editing"

    blocked = last(handlers.send(draft.session, "one more thing"))
    assert "draft reply is waiting" in blocked.status and blocked.message == "one more thing"
    assert "draft reply is waiting" in last(handlers.react(draft.session, 0, "liked")).status
    assert "empty" in handlers.send_draft(draft.session, "   ").status

    edited = "Elena, I set aside three linen dresses for you; the first is my favourite."
    sent = handlers.send_draft(draft.session, edited)
    assert sent.draft is None and not sent.session.draft_pending
    assert sent.chat[-1] == {"role": "assistant", "content": edited}
    messages = saved(handlers, sent)["messages"]
    assert messages[-1].content == edited and len(messages) == 2
    assert "no draft waiting" in handlers.send_draft(sent.session, "again").status


# -- errors -------------------------------------------------------------------------------------


def test_oversized_and_empty_messages_are_refused_without_losing_anything(handlers):
    view = started(handlers)
    before = len(saved(handlers, view)["messages"])
    huge = "a dress " * (MAX_MESSAGE_CHARS // 8 + 10)
    refused = last(handlers.send(view.session, huge))
    assert f"the limit is {MAX_MESSAGE_CHARS:,}" in refused.status and "mv-notice-error" in refused.status
    assert refused.message == huge and refused.chat == view.chat
    empty = last(handlers.send(view.session, "   "))
    assert "Type what the person is looking for" in empty.status
    assert len(saved(handlers, view)["messages"]) == before


def test_an_empty_catalog_is_a_clear_error(tmp_path, embedder):
    from agent.deps import build_deps

    deps = build_deps(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    deps.register("empty", [], "any", "test")
    handlers = Handlers(Conversations(deps, sqlite_checkpointer(tmp_path / "c.sqlite3")), deps.settings,
                        stream_delay=0)
    picked = handlers.pick_catalog(handlers.load().session, "empty")
    assert "has no items" in picked.status and "motive ingest" in picked.status
    refused = last(handlers.send(picked.session, "anything"))
    assert "has no items" in refused.status and refused.message == "anything"
    assert handlers.conversations.state(picked.session.thread_id) == {}


def test_llm_endpoint_down_shows_a_fallback_and_the_turn_still_answers(warm_deps, db):
    settings = warm_deps.settings.with_overrides(
        llm_base_url=f"http://127.0.0.1:{free_port()}/v1", llm_model="shop-model", llm_timeout=2.0,
        llm_max_retries=0)
    deps = dataclasses.replace(warm_deps, settings=settings, llm=LLM(chat_model_from_settings(settings)))
    handlers = Handlers(Conversations(deps, sqlite_checkpointer(db)), settings, stream_delay=0)
    page = handlers.load()
    assert "LLM · shop-model" in page.header
    view = last(handlers.send(page.session, REQUEST))
    output = saved(handlers, view)["output"]
    assert output.llm.fallbacks, "the endpoint is down: some step must have fallen back"
    assert "The LLM did not answer" in view.status and "offline path" in view.status
    assert view.cards and view.chat[-1]["content"] == output.reply


def test_an_unexpected_failure_keeps_the_message_and_the_conversation(handlers, monkeypatch):
    view = started(handlers)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(handlers.conversations, "send", broken)
    failed = last(handlers.send(view.session, "something in silk"))
    assert "disk full" in failed.status and view.session.thread_id in failed.status
    assert failed.message == "something in silk" and failed.chat == view.chat


# -- several users ------------------------------------------------------------------------------


def test_two_users_at_once_each_get_their_own_conversation(handlers):
    alice, bob = handlers.load().session, handlers.load().session
    assert alice.thread_id != bob.thread_id
    bob = handlers.pick_catalog(bob, "wholesale").session
    texts = {alice.thread_id: REQUEST, bob.thread_id: "nitrile gloves for a food plant, 500 boxes"}
    with ThreadPoolExecutor(2) as pool:
        views = list(pool.map(lambda s: last(handlers.send(s, texts[s.thread_id])), [alice, bob]))
    for view in views:
        state = saved(handlers, view)
        assert view.chat[0]["content"] == texts[view.session.thread_id]
        assert len(state["messages"]) == 2 and state["catalog"] == view.session.catalog
    a, b = views
    assert {c.item_id for c in a.cards}.isdisjoint({c.item_id for c in b.cards})
    assert b.session.thread_id not in a.header and texts[b.session.thread_id] not in str(a.chat)


# -- the app ------------------------------------------------------------------------------------


def test_app_builds_and_launch_options_come_from_settings(handlers, settings):
    import gradio as gr

    from ui.app import build_app, launch_options, parse_auth

    app = build_app(handlers.conversations, settings)
    assert isinstance(app, gr.Blocks)
    options = launch_options(settings)
    assert options["server_name"] == "127.0.0.1" and options["server_port"] == 7860
    assert options["auth"] is None and options["share"] is False
    custom = launch_options(settings.with_overrides(ui_host="0.0.0.0", ui_port=8123, ui_auth="anna:s3:cret"))
    assert custom["server_name"] == "0.0.0.0" and custom["server_port"] == 8123
    assert custom["auth"] == ("anna", "s3:cret")
    for bad in ("anna", ":pw", "anna:"):
        with pytest.raises(SettingsError, match="user:password"):
            parse_auth(bad)


def test_launch_refuses_a_malformed_login_before_starting(tmp_path, capsys):
    from ui.app import launch

    assert launch(Settings(data_dir=tmp_path, ui_auth="no-colon-here")) == 2
    err = capsys.readouterr().err
    assert "user:password" in err and "no-colon-here" not in err
