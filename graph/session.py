"""A conversation service over the compiled graph: one thread per conversation, persisted by a
checkpointer (SQLite or PostgreSQL, see ``graph/checkpoints.py``) so a conversation survives a
restart of the process, and serialised per conversation across processes so no turn is lost."""

from __future__ import annotations

import re
import unicodedata
import uuid

from langchain_core.messages import AIMessage, HumanMessage
from agent.deps import Deps, UnknownClient
from agent.models import BeliefState, Reaction, TurnOutput
from graph.builder import build_graph
from graph.context import DEFAULT_CONTEXT, RunContext
from graph.checkpoints import (  # noqa: F401  (where callers have always imported them from)
    ConversationBusy, TurnLocks, checkpoint_serde, checkpointer_from_settings, one_read, postgres_checkpointer,
    prune_thread, scrub, sqlite_checkpointer, turn_locks_for)

MAX_INPUT_CHARS = 20_000


class EmptyMessage(ValueError):
    pass


class NotYourConversation(ValueError):
    """The conversation was started by another signed-in user."""


_SURROGATE = re.compile("[\ud800-\udfff]")
_READABLE = ("L", "N", "P", "S")
"""Unicode categories that carry meaning; a message with none of them (controls, format
characters, replacement characters) has nothing to act on."""


def clean_text(text: str) -> str:
    """``text`` made safe to embed, store and echo: lone surrogates (bytes decoded with
    ``surrogateescape``) become U+FFFD, since they cannot be encoded as UTF-8; NUL and other control
    characters except newlines and tabs are dropped; surrounding whitespace is stripped."""
    text = _SURROGATE.sub("\ufffd", str(text))
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return text.strip()


def has_readable_text(text: str) -> bool:
    return any(c != "\ufffd" and unicodedata.category(c)[0] in _READABLE for c in text)


class Conversations:
    """Send turns to conversations by thread id; the first turn of a thread fixes its catalog and
    client."""

    def __init__(self, deps: Deps, checkpointer=None, locks: TurnLocks | None = None,
                 context: RunContext = DEFAULT_CONTEXT):
        self.deps = deps
        self.graph = build_graph(deps, checkpointer=checkpointer)
        self.context = context
        """The per-run settings every turn of these conversations runs with (``runtime.context``)."""
        self.locks = locks if locks is not None else turn_locks_for(checkpointer)
        """Held from reading a conversation to saving its turn, by every process sharing the
        checkpointer; a second writer waits its turn (or is refused with ConversationBusy)."""

    @staticmethod
    def new_thread_id() -> str:
        return uuid.uuid4().hex[:12]

    def _last_completed(self, thread_id: str):
        """The snapshot of ``thread_id`` after its last completed turn, or None for a new thread.

        A turn that failed (the Chroma server went away) leaves a checkpoint of where it failed,
        with nodes still to run; it is skipped, so the next turn starts from the state the person
        last saw, not from half a turn."""
        return self._completed(thread_id)[0]

    def _completed(self, thread_id: str):
        """``_last_completed`` and whether it is the thread's latest checkpoint (no failed turn
        after it)."""
        config = {"configurable": {"thread_id": thread_id}}
        latest = self.graph.get_state(config)
        if not latest.next:
            return (latest, True) if latest.values else (None, True)
        return next((s for s in self.graph.get_state_history(config) if not s.next and s.values), None), False

    def _config(self, thread_id: str) -> dict:
        """The config that continues ``thread_id`` from its last completed turn (a fork of it
        when a later turn was left unfinished)."""
        snapshot = self._last_completed(thread_id)
        return snapshot.config if snapshot is not None else {"configurable": {"thread_id": thread_id}}

    def state(self, thread_id: str) -> dict:
        snapshot = self._last_completed(thread_id)
        return snapshot.values if snapshot is not None else {}

    @staticmethod
    def may_use(state: dict, user: str | None) -> bool:
        """Whether ``user`` may read and extend a conversation in ``state``: one started by a
        signed-in user is theirs alone; one started without a login (the command line, a page
        with no login configured) is open to all, as is any conversation to the command line
        (``user`` None: the operator on the server)."""
        owner = state.get("owner")
        return owner is None or user is None or owner == user

    def catalog_for(self, thread_id: str, catalog: str | None = None, client_id: str | None = None) -> str:
        """The catalog a turn of ``thread_id`` is about: the conversation's own once it has
        started; else the one named; else the client's (a client buys from one catalog); else the
        only catalog there is (:meth:`Deps.default_catalog`, which refuses to guess among several)."""
        completed = self._last_completed(thread_id)
        if completed is not None and completed.values.get("catalog"):
            return completed.values["catalog"]
        if catalog:
            return catalog
        if client_id:
            return self.deps.client(client_id).catalog
        return self.deps.default_catalog()

    def react(self, thread_id: str, item_id: str, kind: str, reason: str = "", user: str | None = None) -> TurnOutput:
        """A like / not-for-me on a shown item: recorded in the belief as a critique would be, and
        written into the transcript as the person's message; the agent answers with a new turn."""
        belief: BeliefState | None = self.state(thread_id).get("belief")
        if belief is None:
            raise ValueError(f"conversation {thread_id} has not started")
        item = self.deps.store.get(self.state(thread_id)["catalog"], [item_id]).get(item_id)
        title = item.title if item else item_id
        text = (f"Not for me: {title}" + (f", {reason}" if reason else "") if kind == "rejected"
                else f"I like the {title}; more like it, please")
        return self.send(thread_id, text, reaction=Reaction(item_id=item_id, kind=kind, reason=reason), user=user)

    def amend_reply(self, thread_id: str, text: str) -> None:
        """Replace the agent's last reply with an associate's edited version (draft mode): what is
        sent is what the transcript keeps."""
        text = clean_text(text)
        if not has_readable_text(text):
            raise EmptyMessage("the edited reply is empty")
        with self.locks.hold(thread_id):
            messages = self.state(thread_id).get("messages", [])
            last = next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)
            if last is None:
                raise ValueError(f"conversation {thread_id} has no reply to edit")
            self.graph.update_state(self._config(thread_id),
                                    {"messages": [AIMessage(content=text, id=last.id)]}, as_node="respond")
            prune_thread(self.graph.checkpointer, thread_id)

    def correct_belief(self, thread_id: str, belief: BeliefState) -> None:
        """Replace the belief state (the person removed or corrected a motive or a constraint);
        the next turn starts from it, and the checkpointer keeps it."""
        with self.locks.hold(thread_id):
            if not self.state(thread_id):
                raise ValueError(f"conversation {thread_id} has not started (or was deleted)")
            self.graph.update_state(self._config(thread_id),
                                    {"belief": BeliefState.model_validate(belief.model_dump())},
                                    as_node="respond")
            prune_thread(self.graph.checkpointer, thread_id)

    def send(self, thread_id: str, text: str, catalog: str | None = None,
             client_id: str | None = None, reaction: Reaction | None = None, user: str | None = None) -> TurnOutput:
        """One turn of ``thread_id``; the first turn fixes the catalog, the client and the owner
        (``user``, the signed-in user of the page). Raises :class:`NotYourConversation` when the
        conversation belongs to another user, :class:`ConversationBusy` when another turn on it
        (in any process) runs too long."""
        text = clean_text(text)
        if not has_readable_text(text):
            raise EmptyMessage("the message is empty (or has no readable text): type what you are looking for")
        if reaction is not None and reaction.reason:
            reaction = reaction.model_copy(update={"reason": clean_text(reaction.reason)[:MAX_INPUT_CHARS]})
        inputs: dict = {"messages": [HumanMessage(content=text[:MAX_INPUT_CHARS])], "reaction": reaction}
        # one_read: the checkpoint ``_completed`` decodes is the one the graph run starts from.
        with self.locks.hold(thread_id), one_read(self.graph.checkpointer):
            self.deps.refresh_clients()  # a `motive forget` in another process counts from now on
            completed, is_latest = self._completed(thread_id)
            if completed is None:
                if not is_latest and self.graph.get_state({"configurable": {"thread_id": thread_id}}).values:
                    # A first turn that never finished left checkpoints of half a turn: start clean.
                    self.graph.checkpointer.delete_thread(thread_id)
                catalog = catalog or (self.deps.client(client_id).catalog if client_id else self.deps.default_catalog())
                self.deps.catalog(catalog)  # fails fast with a clear error on an unknown catalog
                if client_id:
                    client = self.deps.client(client_id)
                    if client.catalog != catalog:
                        raise ValueError(f"client {client_id} buys from the {client.catalog!r} catalog, "
                                         f"not {catalog!r}: pass --catalog {client.catalog}")
                inputs.update(catalog=catalog, client_id=client_id, owner=user)
            else:
                if not self.may_use(completed.values, user):
                    raise NotYourConversation(f"no saved conversation with id {thread_id} for you; "
                                              f"start a new conversation")
                held_for = completed.values.get("client_id")
                if held_for and held_for not in self.deps.clients:
                    raise UnknownClient(f"conversation {thread_id} was held for client {held_for}, who is no "
                                        f"longer on file (forgotten); start a new conversation")
            # The thread alone when its latest checkpoint is the completed turn: LangGraph loads
            # that one, where naming it would make LangGraph read the latest again to check that
            # it was not superseded (a second deserialisation of the whole state per turn).
            config = (completed.config if completed is not None and not is_latest
                      else {"configurable": {"thread_id": thread_id}})
            # One checkpoint at the end of the turn, not one per node: the next turn only ever
            # starts from a completed one (``_last_completed``), and ``prune_thread`` deleted the
            # others, so writing them cost a full serialisation of the state per node for nothing
            # (two fifths of an offline turn's CPU time on SQLite, docs/BENCHMARKS.md section 4).
            # A turn that raises still leaves its state at the failure (skipped as half a turn).
            result = self.graph.invoke(inputs, config, context=self.context, durability="exit")
            held_for = result.get("client_id")
            self.deps.refresh_clients()
            if held_for and held_for not in self.deps.clients:
                # `motive forget` marked the client while this turn ran, maybe before its first
                # checkpoint existed for forget to find: the turn's saves go too.
                self.graph.checkpointer.delete_thread(thread_id)
                scrub(self.graph.checkpointer)
                raise UnknownClient(f"client {held_for} was forgotten while this turn ran; nothing of it was kept")
            prune_thread(self.graph.checkpointer, thread_id)
        return result["output"]
