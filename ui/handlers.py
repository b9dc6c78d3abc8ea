"""What each control on the page does, as plain functions over the core's ``Conversations``.

No Gradio here: ``ui/app.py`` wires these to components, and tests call them directly. Each handler
takes the browser session's :class:`Session` and returns (or, when it streams, yields) a
:class:`View`: everything the page shows, already rendered. The conversation itself lives in the
checkpointer, so a view can always be rebuilt from the thread id alone (a reload, a restart).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Literal

from agent.catalog import DEMO_CATALOGS
from agent.deps import CatalogNotChosen, UnknownCatalog, UnknownClient
from agent.models import BeliefState, Evidence, Item, Motive, Recommendation, TurnOutput
from agent.replies import split_hint
from agent.settings import Settings
from graph.nodes import MAX_MESSAGE_CHARS
from graph.session import Conversations, EmptyMessage
from ui import render

log = logging.getLogger(__name__)

CARD_SLOTS = 4
"""Recommendation cards the page has room for (the agent recommends three per turn)."""

NO_CLIENT = "none"
"""The client picker's value for 'no client file'."""

CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

ReactionKind = Literal["liked", "rejected"]


class CorrectionError(ValueError):
    """A belief correction the page cannot apply; the message says what to type instead."""


@dataclass
class Session:
    """One browser tab's pointer into its conversation (held in ``gr.State``, so never shared)."""

    thread_id: str
    catalog: str
    client_id: str | None = None
    before: BeliefState | None = None
    """The belief before the last turn or correction: what the panel highlights changes against."""
    cards: list[Recommendation] = field(default_factory=list)
    """The latest recommendations shown, kept while turns without new ones (questions, answers) pass."""
    cards_turn: int | None = None
    draft_pending: bool = False
    """Draft mode: the agent's last reply waits for the associate to edit and send it."""
    user: str | None = None
    """Who is signed in (the page's login), set from each request; a conversation they start is
    theirs, and another user's cannot be resumed or extended from their tab."""


@dataclass
class Card:
    item_id: str
    title: str
    html: str


@dataclass
class View:
    """Everything the page shows after a handler ran."""

    session: Session
    header: str
    chat: list[dict]
    belief: str
    corrections: list[tuple[str, str]]
    """``(label, key)`` of each belief entry the person can remove or correct."""
    summary: str
    cards: list[Card]
    catalogs: list[str]
    clients: list[tuple[str, str]]
    status: str = ""
    """A notice or an error (HTML), empty when there is nothing to say."""
    message: str = ""
    """What the message box holds: empty after a send, the person's text when it could not go."""
    draft: str | None = None
    """Draft mode: the reply awaiting the associate's edit; None when there is none."""
    streaming: bool = False
    """True while a turn is still running or its reply still arriving (more views will follow)."""


class Handlers:
    """The page's behaviour over one ``Conversations`` shared by every browser session."""

    def __init__(self, conversations: Conversations, settings: Settings, stream_delay: float = 0.015,
                 stream_words: int = 3, stream_chunks: int = 12):
        self.conversations = conversations
        self.deps = conversations.deps
        self.settings = settings
        self.stream_delay = stream_delay
        """Seconds between two streamed chunks of a reply; 0 in tests."""
        self.stream_words = stream_words
        """Fewest words a streamed chunk adds..."""
        self.stream_chunks = stream_chunks
        """...and most chunks a reply streams in (longer replies take bigger chunks)."""
        self._turn_locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # -- sessions and views ---------------------------------------------------------------------

    def default_catalog(self) -> str:
        """The catalog a new page opens on, shown selected in its catalog picker: the only one when
        there is one; with several, the first built-in catalog, so the quickstart (nothing
        configured) opens on the demo; the picker or ``?catalog=NAME`` opens another."""
        try:
            return self.deps.default_catalog()
        except CatalogNotChosen:
            names = self.deps.catalog_names()
            return next((name for name in DEMO_CATALOGS if name in names), names[0])

    def new_session(self, catalog: str | None = None, client_id: str | None = None) -> Session:
        return Session(thread_id=self.conversations.new_thread_id(), catalog=catalog or self.default_catalog(),
                       client_id=client_id or None)

    def client_choices(self, catalog: str) -> list[tuple[str, str]]:
        self.deps.refresh_clients()  # a client `motive forget` removed leaves the picker at once
        clients = sorted((c for c in self.deps.clients.values() if c.catalog == catalog),
                         key=lambda c: c.name or c.id)
        return [("No client file", NO_CLIENT)] + [(f"{c.name or c.id} · {c.id}", c.id) for c in clients]

    def _state(self, session: Session) -> dict:
        return self.conversations.state(session.thread_id) or {}

    def _items(self, catalog: str, ids: list[str]) -> dict[str, Item]:
        if not ids:
            return {}
        try:
            return self.deps.store.get(catalog, ids)
        except Exception:  # details are decoration: a card still shows without them
            log.warning("could not read item details from catalog %s", catalog, exc_info=True)
            return {}

    def view(self, session: Session, status: str = "", message: str = "",
             chat: list[dict] | None = None) -> View:
        state = self._state(session)
        belief: BeliefState | None = state.get("belief")
        output: TurnOutput | None = state.get("output")
        transcript = render.chat_messages(state.get("messages", []))
        draft = None
        if session.draft_pending and transcript and transcript[-1]["role"] == "assistant":
            # What the client will read: the closing hint ('You could say “cheaper”') is for the
            # person at the keyboard, not for the client.
            draft = split_hint(transcript.pop()["content"])[0]
        cards = session.cards
        earlier = output is not None and not output.recommendations and bool(cards)
        currency = cards[0].currency if cards else ""
        reactions = {r.item_id: r for r in belief.reactions} if belief else {}
        rejected = belief.rejected_ids if belief else set()
        shown = [r for r in cards if r.item_id not in rejected]
        ids = [r.item_id for r in shown] + [r for r in reactions if r not in {c.item_id for c in shown}]
        items = self._items(session.catalog, ids)
        titles = {i: item.title for i, item in items.items()} | {r.item_id: r.title for r in cards}
        client = self.deps.clients.get(session.client_id) if session.client_id else None
        return View(
            session=session,
            header=render.header(self.settings.mode, self._embeddings(), session.thread_id, session.catalog,
                                 (client.name or client.id) if client else "", self._domain(session.catalog)),
            chat=transcript if chat is None else chat,
            belief=render.belief_panel(belief, session.before, titles, client, currency),
            corrections=correction_choices(belief, titles, currency) if belief else [],
            summary=render.turn_summary(output, earlier=earlier),
            cards=[Card(r.item_id, r.title, render.card(n, r, items.get(r.item_id), reactions.get(r.item_id)))
                   for n, r in enumerate(shown[:CARD_SLOTS], start=1)],
            catalogs=self.deps.catalog_names(),
            clients=self.client_choices(session.catalog),
            status=status,
            message=message,
            draft=draft,
        )

    def _domain(self, catalog: str) -> str:
        try:
            return self.deps.catalog(catalog).domain
        except Exception:  # an unknown or broken catalog: the page says so elsewhere
            return "any"

    def _embeddings(self) -> str:
        s = self.settings
        return f"embeddings: {s.embedding_model}" if s.embedding_base_url else "embeddings: local MiniLM"

    def load(self, query: dict[str, str] | None = None, user: str | None = None) -> View:
        """A page load: a fresh conversation, or the one named by ``?conversation=ID``."""
        session = replace(self.new_session(), user=user)
        wanted = (query or {}).get("conversation", "").strip()
        if wanted:
            return self.resume(session, wanted)
        catalog = (query or {}).get("catalog", "").strip()
        if catalog:  # '?catalog=wholesale': a link straight to one catalog's page
            return self.pick_catalog(session, catalog)
        return self.view(session)

    # -- a turn ---------------------------------------------------------------------------------

    def _check_catalog(self, session: Session) -> str:
        """An error message when this conversation cannot start on its catalog, else ''."""
        if self._state(session):
            return ""
        try:
            runtime = self.deps.catalog(session.catalog)
        except (UnknownCatalog, ValueError) as exc:
            return str(exc)
        if runtime.size == 0:
            return (f"The catalog {session.catalog!r} has no items, so there is nothing to recommend. "
                    f"Pick another catalog, or add items with `motive ingest FILE --catalog {session.catalog}`.")
        return ""

    def send(self, session: Session, text: str, draft_mode: bool = False) -> Iterator[View]:
        """Send the person's message; yields the view as the reply streams in."""
        text = (text or "").replace("\x00", "")
        if session.draft_pending:
            yield self.view(session, render.notice(
                "error", "A draft reply is waiting: edit it and press “Send to client” first."), message=text)
            return
        if not text.strip():
            yield self.view(session, render.notice("info", "Type what the person is looking for, then press Enter."))
            return
        if len(text) > MAX_MESSAGE_CHARS:
            yield self.view(session, render.notice(
                "error", f"The message is {len(text):,} characters; the limit is {MAX_MESSAGE_CHARS:,}. "
                         f"Shorten it and send again (your text is still in the box)."), message=text)
            return
        problem = self._check_catalog(session)
        if problem:
            yield self.view(session, render.notice("error", problem), message=text)
            return
        yield from self._turn(session, text.strip(), text, draft_mode,
                              lambda: self.conversations.send(session.thread_id, text, catalog=session.catalog,
                                                              client_id=session.client_id, user=session.user))

    def react(self, session: Session, slot: int, kind: ReactionKind, reason: str = "",
              draft_mode: bool = False) -> Iterator[View]:
        """A card's ♥ / Not for me: recorded as a critique would be; the agent answers."""
        shown = self.view(session).cards
        if session.draft_pending:
            yield self.view(session, render.notice(
                "error", "A draft reply is waiting: edit it and press “Send to client” first."))
            return
        if not 0 <= slot < len(shown):
            yield self.view(session, render.notice("error", "That suggestion is no longer on the page."))
            return
        card = shown[slot]
        reason = (reason or "").strip()[:300]
        echo = (f"Not for me: {card.title}" + (f", {reason}" if reason else "") if kind == "rejected"
                else f"I like the {card.title}")
        yield from self._turn(session, echo, "", draft_mode,
                              lambda: self.conversations.react(session.thread_id, card.item_id, kind, reason,
                                                               user=session.user))

    def _lock(self, thread_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._turn_locks.setdefault(thread_id, threading.Lock())

    def _turn(self, session: Session, echo: str, restore: str, draft_mode: bool,
              run: Callable[[], TurnOutput]) -> Iterator[View]:
        """Run one turn: show the person's words at once, then the reply as it streams in. On an
        error the message box gets ``restore`` back and the saved conversation stays as it was.
        Turns of one conversation run one at a time (a second click waits for the first)."""
        base = self.view(session).chat
        pending = self.view(session, chat=base + [{"role": "user", "content": echo},
                                                  {"role": "assistant", "content": "…"}])
        yield replace(pending, streaming=True)
        try:
            with self._lock(session.thread_id):
                before = self._state(session).get("belief")
                output: TurnOutput = run()
        except EmptyMessage as exc:
            yield self.view(session, render.notice("info", str(exc)))
            return
        except (UnknownCatalog, UnknownClient, ValueError) as exc:
            yield self.view(session, render.notice("error", str(exc)), message=restore)
            return
        except Exception as exc:  # the conversation is in the checkpointer; say so and let them retry
            log.exception("turn failed in conversation %s", session.thread_id)
            yield self.view(session, render.notice(
                "error", f"The agent could not answer ({type(exc).__name__}: {exc}). Nothing is lost: the "
                         f"conversation is saved as {session.thread_id}; send the message again."), message=restore)
            return
        session = replace(session, before=before, draft_pending=draft_mode)
        if output.recommendations:
            session.cards, session.cards_turn = list(output.recommendations), output.turn
        status = render.fallback_notice(output)
        final = self.view(session, status)
        if draft_mode:
            yield final
            return
        chat = final.chat[:-1]
        words = output.reply.split(" ")
        step = max(self.stream_words, -(-len(words) // self.stream_chunks))
        for end in range(step, len(words), step):
            yield replace(final, chat=chat + [{"role": "assistant", "content": " ".join(words[:end])}],
                          streaming=True)
            if self.stream_delay:
                time.sleep(self.stream_delay)
        yield final

    def send_draft(self, session: Session, text: str) -> View:
        """Draft mode: the associate's edited reply replaces the agent's; the client sees this one."""
        if not session.draft_pending:
            return self.view(session, render.notice("info", "There is no draft waiting."))
        try:
            self.conversations.amend_reply(session.thread_id, text or "")
        except (EmptyMessage, ValueError) as exc:
            return self.view(session, render.notice("error", f"{exc}; write the reply, then send it."))
        return self.view(replace(session, draft_pending=False))

    # -- belief corrections ---------------------------------------------------------------------

    def correction_value(self, session: Session, key: str | None) -> str:
        """The text to pre-fill when the person picks an entry to correct."""
        belief = self._state(session).get("belief")
        return correction_value(belief, key) if belief and key else ""

    def correct(self, session: Session, key: str | None, text: str) -> View:
        return self._edit(session, key, lambda b: apply_correction(b, key or "", text, self._turn_no(session)))

    def remove(self, session: Session, key: str | None) -> View:
        return self._edit(session, key, lambda b: remove_entry(b, key or ""))

    def _turn_no(self, session: Session) -> int:
        return int(self._state(session).get("turn", 0))

    def _edit(self, session: Session, key: str | None, change) -> View:
        belief = self._state(session).get("belief")
        if belief is None:
            return self.view(session, render.notice("info", "Nothing to correct yet: start the conversation first."))
        if not key:
            return self.view(session, render.notice("info", "Pick what to change in “Correct the belief” first."))
        try:
            corrected = change(belief)
        except CorrectionError as exc:
            return self.view(session, render.notice("error", str(exc)))
        self.conversations.correct_belief(session.thread_id, corrected)
        return self.view(replace(session, before=belief),
                         render.notice("info", "Belief updated; the next reply starts from it."))

    # -- conversations, catalogs, clients -------------------------------------------------------

    def new_conversation(self, session: Session) -> View:
        previous = session.thread_id
        fresh = self.new_session(session.catalog, session.client_id)
        had_turns = bool(self._state(session))
        return self.view(fresh, render.notice(
            "info", f"New conversation started. The previous one is saved as {previous}.") if had_turns else "")

    def resume(self, session: Session, conversation_id: str) -> View:
        wanted = (conversation_id or "").strip()
        if not CONVERSATION_ID.fullmatch(wanted):
            return self.view(session, render.notice(
                "error", "A conversation id is letters and digits, as shown at the top of the page "
                         "(e.g. 3f9c2a7b1d04)."))
        state = self.conversations.state(wanted)
        if state and not self.conversations.may_use(state, session.user):
            # Another user's conversation is answered as one that does not exist: its id is no
            # proof of anything, and saying "not yours" would confirm it.
            log.warning("user %r was refused conversation %s (another user's)", session.user, wanted)
            state = {}
        if not state:
            return self.view(session, render.notice(
                "error", f"No saved conversation with id {wanted}. Check the id (it is shown at the top of "
                         f"the page of that conversation); a conversation of a forgotten client is gone."))
        output: TurnOutput | None = state.get("output")
        catalog = state.get("catalog") or self.default_catalog()
        cards = list(output.recommendations) if output else []
        belief: BeliefState | None = state.get("belief")
        if not cards and belief is not None and belief.shown:
            # The last turn asked or answered: the cards are the ones shown before it.
            cards = shown_cards(self._items(catalog, belief.shown), belief.shown)
        resumed = Session(thread_id=wanted, catalog=catalog,
                          client_id=state.get("client_id"), before=belief, user=session.user,
                          cards=cards, cards_turn=output.turn if output else None)
        return self.view(resumed, render.notice("info", f"Resumed conversation {wanted}."))

    def pick_catalog_steps(self, session: Session, name: str) -> Iterator[View]:
        """Picking a catalog on the page: when it must be opened first (a built-in catalog's first
        use indexes it, several seconds), a view saying so comes first, then the catalog's page."""
        if name and name != session.catalog and name in self.deps.catalog_names() and not self.deps.is_open(name):
            waiting = self.view(session, render.progress(
                f"Opening the {name} catalog: reading and indexing its items, a few seconds the first time…"))
            client = self.deps.clients.get(session.client_id) if session.client_id else None
            yield replace(waiting, header=render.header(self.settings.mode, self._embeddings(), session.thread_id, name,
                                                        (client.name or client.id) if client else "", "any"))
        yield self.pick_catalog(session, name)

    def pick_catalog(self, session: Session, name: str) -> View:
        if not name or name == session.catalog:
            return self.view(session)
        if name not in self.deps.catalog_names():
            return self.view(session, render.notice(
                "error", f"No catalog named {name!r}; known: {', '.join(self.deps.catalog_names())}."))
        client = self.deps.clients.get(session.client_id) if session.client_id else None
        client_id = session.client_id if client is not None and client.catalog == name else None
        return self._restart(session, self.new_session(name, client_id), f"the {name} catalog")

    def pick_client(self, session: Session, client_id: str | None) -> View:
        client_id = None if client_id in (None, "", NO_CLIENT) else client_id
        self.deps.refresh_clients()
        if client_id == session.client_id:
            return self.view(session)
        if client_id is not None and client_id not in self.deps.clients:
            return self.view(session, render.notice("error", f"No client file {client_id!r}."))
        catalog = self.deps.clients[client_id].catalog if client_id else session.catalog
        who = f"{self.deps.clients[client_id].name or client_id}" if client_id else "no client file"
        return self._restart(session, self.new_session(catalog, client_id), who)

    def _restart(self, old: Session, fresh: Session, what: str) -> View:
        """A conversation's catalog and client are fixed at its first turn: changing them before it
        keeps the id, after it starts a new conversation (the old one stays saved)."""
        if not self._state(old):
            fresh = replace(fresh, thread_id=old.thread_id)
            status = ""
        else:
            status = render.notice("info", f"Started a new conversation with {what}. "
                                           f"The previous one is saved as {old.thread_id}.")
        problem = self._check_catalog(fresh)
        return self.view(fresh, render.notice("error", problem) if problem else status)


# -- belief corrections as pure functions -------------------------------------------------------

NEW_MOTIVE = "motive:+"
SCALAR_CONSTRAINTS = ("budget_max", "budget_min", "in_stock_only", "max_lead_time_days", "max_moq")
LIST_CONSTRAINTS = ("categories", "brands_in", "brands_out", "exclude_terms", "must_have", "sizes")


def correction_choices(belief: BeliefState, titles: dict[str, str] | None = None,
                       currency: str = "") -> list[tuple[str, str]]:
    """Every entry of the belief the person can remove or correct, as ``(label, key)``."""
    titles = titles or {}
    out = [(f"Motive · {m.text}", f"motive:{m.text}") for m in belief.motives]
    out += [(f"Constraint · {label}", f"constraint:{key}")
            for key, label in render.constraint_entries(belief.constraints, currency)]
    out += [(f"Reaction · {'Liked' if r.kind == 'liked' else 'Not for me'}: {titles.get(r.item_id, r.item_id)}",
             f"reaction:{r.item_id}") for r in belief.reactions]
    out += [(f"Avoid · {d}", f"dislike:{d}") for d in belief.dislikes]
    out.append(("+ Add a motive", NEW_MOTIVE))
    return out


def _split(key: str) -> tuple[str, str]:
    kind, _, rest = key.partition(":")
    if kind not in ("motive", "constraint", "reaction", "dislike") or not rest:
        raise CorrectionError(f"unknown belief entry {key!r}: pick one from the list")
    return kind, rest


def correction_value(belief: BeliefState, key: str) -> str:
    """The entry's current value as the person would type it."""
    kind, rest = _split(key)
    if key == NEW_MOTIVE:
        return ""
    if kind == "constraint":
        name, _, member = rest.partition(":")
        if member:
            return member
        value = getattr(belief.constraints, name, None)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    if kind == "reaction":
        return next((r.reason for r in belief.reactions if r.item_id == rest), "")
    return rest


def _number(text: str, what: str) -> float:
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text or "")
    if not match:
        raise CorrectionError(f"{what} needs a number, e.g. 500; got {text!r}")
    return float(match.group().replace(",", ""))


def apply_correction(belief: BeliefState, key: str, text: str, turn: int = 0) -> BeliefState:
    """``belief`` with one entry replaced by what the person typed (a new belief; the old one is
    untouched). A corrected motive is the person's own statement: confidence 1, from this conversation."""
    text = (text or "").strip()
    kind, rest = _split(key)
    if not text:
        raise CorrectionError("the correction is empty: type the new value, or use Remove")
    new = belief.model_copy(deep=True)
    if kind == "motive":
        stated = Motive(text=text, confidence=1.0, source="conversation",
                        evidence=[Evidence(quote=f"corrected in the belief panel: {text}", turn=turn)])
        if key == NEW_MOTIVE:
            new.motives.append(stated)
        else:
            index = _motive_index(new, rest)
            new.motives[index] = stated
        return new
    if kind == "constraint":
        name, _, member = rest.partition(":")
        c = new.constraints
        if name in ("budget_max", "budget_min"):
            setattr(c, name, _number(text, "a budget"))
        elif name in ("max_lead_time_days", "max_moq"):
            setattr(c, name, int(_number(text, name.replace("_", " "))))
        elif name == "in_stock_only":
            c.in_stock_only = text.lower() in ("yes", "true", "1", "on", "in stock only")
        elif name in LIST_CONSTRAINTS:
            values = [v.strip() for v in text.split(",") if v.strip()]
            if name == "categories":
                values = [v.lower() for v in values]
            current = getattr(c, name)
            if member not in current:
                raise CorrectionError(f"{member!r} is no longer in the belief; pick the entry again")
            at = current.index(member)
            setattr(c, name, current[:at] + [v for v in values if v not in current] + current[at + 1:])
            if name == "categories":
                c.kinds = []  # the words said for the kind went with the categories read from them
        else:
            raise CorrectionError(f"unknown constraint {name!r}")
        return new
    if kind == "reaction":
        new.reactions = [r.model_copy(update={"reason": text}) if r.item_id == rest else r for r in new.reactions]
        return new
    new.dislikes = [text if d == rest else d for d in new.dislikes]
    return new


def remove_entry(belief: BeliefState, key: str) -> BeliefState:
    """``belief`` without one entry (a new belief; the old one is untouched)."""
    kind, rest = _split(key)
    if key == NEW_MOTIVE:
        raise CorrectionError("“Add a motive” is not an entry to remove: type the motive and press Save")
    new = belief.model_copy(deep=True)
    if kind == "motive":
        del new.motives[_motive_index(new, rest)]
    elif kind == "constraint":
        name, _, member = rest.partition(":")
        if name in LIST_CONSTRAINTS:
            setattr(new.constraints, name, [v for v in getattr(new.constraints, name) if v != member])
            if name == "categories":
                new.constraints.kinds = []  # (as when a category is edited)
        elif name in SCALAR_CONSTRAINTS:
            setattr(new.constraints, name, False if name == "in_stock_only" else None)
        else:
            raise CorrectionError(f"unknown constraint {name!r}")
    elif kind == "reaction":
        new.reactions = [r for r in new.reactions if r.item_id != rest]
    else:
        new.dislikes = [d for d in new.dislikes if d != rest]
    return new


def _motive_index(belief: BeliefState, text: str) -> int:
    for index, motive in enumerate(belief.motives):
        if motive.text == text:
            return index
    raise CorrectionError(f"the motive {text!r} is no longer in the belief; pick the entry again")


def shown_cards(items: dict[str, Item], shown: list[str]) -> list[Recommendation]:
    """Cards for items shown on an earlier turn, rebuilt from the catalog (the why is not kept)."""
    return [Recommendation(item_id=i, title=items[i].title, brand=items[i].brand, price=items[i].price,
                           currency=items[i].currency, availability=items[i].availability, score=0.0,
                           explanation="Shown earlier in this conversation.")
            for i in shown if i in items]
