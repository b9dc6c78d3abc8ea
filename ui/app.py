"""The web page: Gradio components wired to ``ui/handlers.py``; no agent logic here.

``build_app`` lays the page out over a ``Conversations`` the caller built; ``launch`` builds
everything from settings (as ``motive ui`` does) and serves it on ``settings.ui_host`` (127.0.0.1
by default). Each browser session holds its own ``Session`` in ``gr.State``, so concurrent users get
their own conversations.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Iterator

import gradio as gr
from starlette.middleware import Middleware

from agent.settings import Settings, SettingsError
from graph.session import Conversations
from ui import theme
from ui.handlers import CARD_SLOTS, NO_CLIENT, Handlers, Session, View
from ui.throttle import LoginThrottle

CONCURRENT_TURNS = 4
"""Turns computed at once across all users; more wait in Gradio's queue."""


def parse_auth(value: str | None) -> tuple[str, str] | list[tuple[str, str]] | None:
    """``user:password`` (settings.ui_auth) as Gradio's auth pair, or several pairs separated by
    spaces (``anna:pw1 ben:pw2``) as a list of them; None when unset. A conversation belongs to
    the user who started it (see ``Handlers.resume``)."""
    if not value:
        return None
    pairs = []
    for entry in value.split():
        user, sep, password = entry.partition(":")
        if not sep or not user or not password:
            raise SettingsError("ui_auth (MOTIVE_UI_AUTH) must be 'user:password' with both parts non-empty "
                                "(several users: 'anna:pw1 ben:pw2', passwords without spaces)")
        pairs.append((user, password))
    if len({user for user, _ in pairs}) != len(pairs):
        raise SettingsError("ui_auth (MOTIVE_UI_AUTH) names a user twice")
    return pairs[0] if len(pairs) == 1 else pairs


def build_app(conversations: Conversations, settings: Settings, stream_delay: float = 0.015) -> gr.Blocks:
    """The page over ``conversations`` (shared by every browser session)."""
    handlers = Handlers(conversations, settings, stream_delay=stream_delay)

    with gr.Blocks(title="Motive · clienteling assistant", fill_width=True, analytics_enabled=False) as demo:
        session = gr.State(None)
        header = gr.HTML(elem_id="mv-header")
        with gr.Row(elem_id="mv-toolbar", equal_height=True):
            catalog = gr.Dropdown(show_label=False, container=False, choices=[], scale=2, min_width=150,
                                  elem_id="mv-catalog")
            client = gr.Dropdown(show_label=False, container=False, choices=[], scale=3, min_width=220,
                                 elem_id="mv-client")
            draft_mode = gr.Checkbox(label="Draft mode", value=False, container=False, scale=0, min_width=130,
                                     elem_id="mv-draft-mode")
            new_button = gr.Button("+ New conversation", size="sm", scale=0, min_width=170, elem_id="mv-new")
            gr.HTML("", scale=1, min_width=10)
            resume_id = gr.Textbox(show_label=False, container=False, placeholder="Conversation id to resume",
                                   scale=2, min_width=240, elem_id="mv-resume-id")
            resume_button = gr.Button("Resume", size="sm", scale=0, min_width=90, elem_id="mv-resume")

        with gr.Row(equal_height=False, elem_id="mv-panes"):
            with gr.Column(scale=5, min_width=380, elem_classes="mv-pane"):
                status = gr.HTML(elem_id="mv-status")
                chatbot = gr.Chatbot(elem_id="mv-chat", show_label=False, height="calc(100vh - 330px)",
                                     min_height=360, feedback_options=None, buttons=["copy"], layout="bubble",
                                     placeholder="Tell Motive what is needed and what it is for: the use "
                                                 "or occasion, the budget, quantities and deadlines, what to avoid.")
                message = gr.Textbox(show_label=False, lines=1, max_lines=6, submit_btn="Send",
                                     placeholder="What are you looking for, and what is it for?",
                                     elem_id="mv-message")
                with gr.Column(visible=False, elem_id="mv-draft") as draft_group:  # a Group repeats its id
                    draft_box = gr.Textbox(label="Draft reply: edit it, then send it to the client", lines=6,
                                           max_lines=16, elem_id="mv-draft-text")
                    draft_send = gr.Button("Send to client", variant="primary", elem_id="mv-draft-send")

            with gr.Column(scale=4, min_width=340, elem_classes=["mv-pane", "mv-scroll"], elem_id="mv-cards"):
                summary = gr.HTML(elem_id="mv-summary")
                slots, card_html, reasons, likes, rejects = [], [], [], [], []
                for i in range(CARD_SLOTS):
                    with gr.Column(visible=False, elem_classes="mv-slot", elem_id=f"mv-slot-{i}") as slot:
                        card_html.append(gr.HTML(elem_id=f"mv-card-{i}"))
                        with gr.Row(elem_classes="mv-card-actions", equal_height=True):
                            reasons.append(gr.Textbox(show_label=False, placeholder="why not? (optional)",
                                                      lines=1, scale=3, min_width=120, container=False,
                                                      elem_id=f"mv-reason-{i}"))
                            likes.append(gr.Button("♥ Like", size="sm", scale=0, min_width=70,
                                                   elem_classes="mv-like", elem_id=f"mv-like-{i}"))
                            rejects.append(gr.Button("Not for me", size="sm", scale=0, min_width=96,
                                                     elem_classes="mv-reject", elem_id=f"mv-reject-{i}"))
                    slots.append(slot)

            with gr.Column(scale=3, min_width=300, elem_classes=["mv-pane", "mv-scroll"], elem_id="mv-belief-pane"):
                gr.HTML('<div class="mv-pane-title">What Motive believes</div>')
                with gr.Accordion("✎ Correct the belief", open=False, elem_id="mv-correct"):
                    entry = gr.Dropdown(label="Entry", choices=[], value=None, elem_id="mv-entry")
                    correction = gr.Textbox(label="Corrected value", lines=1, elem_id="mv-correction",
                                            placeholder="e.g. wants something she can wear again")
                    with gr.Row():
                        save = gr.Button("Save correction", variant="primary", size="sm", elem_id="mv-save")
                        remove = gr.Button("Remove", variant="stop", size="sm", elem_id="mv-remove")
                belief = gr.HTML(elem_id="mv-belief-box")

        outputs = [session, header, chatbot, message, status, catalog, client, belief, entry, correction,
                   summary, draft_group, draft_box, *slots, *card_html, *reasons]

        def present(view: View, clear_reasons: bool = True) -> list:
            """The view as the outputs' new values. A streaming turn clears the reason boxes only
            with its first view, so a reason typed while the reply streams in is not wiped."""
            cards = view.cards
            return [
                view.session, view.header, view.chat, view.message, view.status,
                gr.update(choices=[(f"{name} catalog", name) for name in view.catalogs], value=view.session.catalog),
                gr.update(choices=view.clients, value=view.session.client_id or NO_CLIENT),
                view.belief, gr.update(choices=view.corrections, value=None), "",
                view.summary + ('<span class="mv-streaming" hidden></span>' if view.streaming else ""),
                gr.update(visible=view.draft is not None), view.draft or "",
                *[gr.update(visible=i < len(cards)) for i in range(CARD_SLOTS)],
                *[cards[i].html if i < len(cards) else "" for i in range(CARD_SLOTS)],
                *[("" if clear_reasons else gr.update()) for _ in range(CARD_SLOTS)],
            ]

        chat_at, summary_at = outputs.index(chatbot), outputs.index(summary)

        def presented(views: Iterator[View]) -> Iterator[list]:
            """A turn's views as outputs. Between its first view and its last, a streaming turn
            only grows the reply: those chunks update the chat and the summary and skip every
            other output, so a streamed turn costs the server a fraction of a full page each."""
            for n, view in enumerate(views):
                if n == 0 or not view.streaming:
                    yield present(view, clear_reasons=n == 0)
                    continue
                chunk = [gr.skip()] * len(outputs)
                chunk[chat_at] = view.chat
                chunk[summary_at] = view.summary + '<span class="mv-streaming" hidden></span>'
                yield chunk

        def current(state: Session | None, request: gr.Request | None) -> Session:
            """The tab's session, as the signed-in user (Gradio's login; None without one). The
            user comes from the request on every event, never from what the page sent."""
            session = state if state is not None else handlers.new_session()
            user = getattr(request, "username", None) if request is not None else None
            return session if session.user == user else replace(session, user=user)

        def on_load(request: gr.Request) -> list:
            return present(handlers.load(dict(request.query_params) if request else {},
                                         user=getattr(request, "username", None)))

        def on_send(state: Session | None, text: str, draft: bool, request: gr.Request) -> Iterator[list]:
            yield from presented(handlers.send(current(state, request), text, draft))

        def reacting(slot: int, kind: str):
            def on_react(state: Session | None, reason: str, draft: bool, request: gr.Request) -> Iterator[list]:
                yield from presented(handlers.react(current(state, request), slot, kind, reason, draft))  # type: ignore[arg-type]
            return on_react

        def on_draft_send(state: Session | None, text: str, request: gr.Request) -> list:
            return present(handlers.send_draft(current(state, request), text))

        def on_new(state: Session | None, request: gr.Request) -> list:
            return present(handlers.new_conversation(current(state, request)))

        def on_resume(state: Session | None, wanted: str, request: gr.Request) -> list:
            return present(handlers.resume(current(state, request), wanted))

        def on_pick_catalog(state: Session | None, name: str, request: gr.Request) -> Iterator[list]:
            # A catalog opened for the first time says so while it indexes, then shows its page.
            yield from presented(handlers.pick_catalog_steps(current(state, request), name))

        def on_pick_client(state: Session | None, client_id: str, request: gr.Request) -> list:
            return present(handlers.pick_client(current(state, request), client_id))

        def on_entry(state: Session | None, key: str, request: gr.Request) -> str:
            return handlers.correction_value(current(state, request), key)

        def on_save(state: Session | None, key: str, text: str, request: gr.Request) -> list:
            return present(handlers.correct(current(state, request), key, text))

        def on_remove(state: Session | None, key: str, request: gr.Request) -> list:
            return present(handlers.remove(current(state, request), key))

        wiring = {"show_progress": "hidden", "outputs": outputs}
        # Every event is reachable through Gradio's queue API anyway; these names make the ones a
        # scripted browser needs (``motive loadtest --ui``) a stable contract instead of "lambda_7".
        demo.load(on_load, inputs=None, api_name="load", **wiring)
        message.submit(on_send, [session, message, draft_mode], api_name="send", **wiring)
        for i in range(CARD_SLOTS):
            likes[i].click(reacting(i, "liked"), [session, reasons[i], draft_mode], **wiring)
            rejects[i].click(reacting(i, "rejected"), [session, reasons[i], draft_mode], **wiring)
            reasons[i].submit(reacting(i, "rejected"), [session, reasons[i], draft_mode], **wiring)
        draft_send.click(on_draft_send, [session, draft_box], **wiring)
        new_button.click(on_new, [session], **wiring)
        for trigger, name in ((resume_button.click, "resume"), (resume_id.submit, "resume_on_enter")):
            trigger(on_resume, [session, resume_id], api_name=name, **wiring)
        catalog.input(on_pick_catalog, [session, catalog], api_name="pick_catalog", **wiring)
        client.input(on_pick_client, [session, client], **wiring)
        entry.input(on_entry, [session, entry], correction, show_progress="hidden")
        save.click(on_save, [session, entry, correction], **wiring)
        remove.click(on_remove, [session, entry], **wiring)

    demo.queue(default_concurrency_limit=CONCURRENT_TURNS)
    return demo


def launch_options(settings: Settings) -> dict:
    """Keyword arguments of ``Blocks.launch`` for these settings (look, bind address, login)."""
    return dict(
        server_name=settings.ui_host,
        server_port=settings.ui_port,
        auth=parse_auth(settings.ui_auth),
        auth_message="Motive: sign in with the user and password set in MOTIVE_UI_AUTH.",
        theme=theme.theme(),
        css=theme.CSS,
        share=False,
        footer_links=[],
        show_error=False,
        quiet=True,
        ssr_mode=False,
        mcp_server=False,
        enable_monitoring=False,
        run_history=False,
        # Gradio passes app_kwargs to its FastAPI app: the throttle sits in front of its /login.
        app_kwargs={"middleware": [Middleware(LoginThrottle)]},
    )


def launch(settings: Settings) -> int:
    """Build the agent from ``settings`` and serve the page until interrupted (``motive ui``)."""
    from agent.deps import build_deps
    from graph.session import checkpointer_from_settings

    try:
        options = launch_options(settings)
        checkpointer = checkpointer_from_settings(settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(settings.describe())
    print("Loading the catalog and the local embedding model (the first run indexes the built-in catalogs)...")
    deps = build_deps(settings)
    deps.progress = True  # the first run's indexing takes seconds: show it
    conversations = Conversations(deps, checkpointer)
    handlers = Handlers(conversations, settings)
    deps.catalog(handlers.default_catalog())
    login = " (basic login required)" if options["auth"] else ""
    print(f"Motive web UI on http://{settings.ui_host}:{settings.ui_port}{login}; Ctrl-C to stop.", flush=True)
    build_app(conversations, settings).launch(**options)
    return 0
