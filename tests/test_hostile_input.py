"""Malformed and hostile messages: each gets a sensible reply or a clear ``EmptyMessage``, never a
crash, and the conversation stays usable afterwards. Conversations are persisted by the real
SQLite checkpointer, so whatever a message carries must also survive serialisation."""

from __future__ import annotations

import pytest

from agent.models import Reaction
from graph.session import Conversations, EmptyMessage, clean_text, sqlite_checkpointer

FOLLOW_UP = "an elegant dress for a summer wedding under 900 euros"

EMPTY = {
    "empty": "",
    "whitespace": " \t\n\r  \u00a0 ",
    "nul only": "\x00\x00\x00",
    "control characters only": "\x01\x02\x1b\x07\x7f",
    "zero-width and BOM only": "\u200b\u200c\ufeff",
    "replacement characters only": "\ufffd\ufffd\ufffd",
    "undecodable bytes only": b"\xff\xfe\xfd".decode("utf-8", errors="surrogateescape"),
}

ANSWERED = {
    "1 MB long": "an elegant dress for a summer wedding " * (1_000_000 // 38),
    "1 MB without spaces": "x" * 1_000_000,
    "lone surrogates": "a dress \udcff\ud800 for a wedding",
    "bytes decoded with surrogateescape": b"\xff\xfe a dress \xc3\x28 for a wedding".decode(
        "utf-8", errors="surrogateescape"),
    "bytes decoded with replace": b"\xff\xfe a dress \xc3\x28 for a wedding".decode("utf-8", errors="replace"),
    "bytes decoded as latin-1": "a dress for a wedding \u00e2\u0082\u00ac".encode().decode("latin-1"),
    "control characters": "\x01\x02\x1b[31ma dress\x07\x08\x7f for a wedding\x1b[0m",
    "NUL bytes": "\x00a dress\x00 for a\x00 wedding\x00",
    "terminal escape and bell": "\x1b]0;owned\x07 a silk scarf",
    "right-to-left override": "\u202ea dress for a wedding\u202c",
    "Chinese": "我需要一件参加夏季婚礼的优雅连衣裙，预算900欧元",
    "Arabic": "أحتاج فستانا أنيقا لحفل زفاف في الصيف",
    "Russian": "Мне нужно элегантное платье на летнюю свадьбу",
    "Hindi": "मुझे गर्मियों की शादी के लिए एक सुंदर पोशाक चाहिए",
    "Japanese and English mixed": "結婚式 for my sister, a silk dress please",
    "emoji only": "👗💍✨🎉",
    "emoji with joiners": "👩‍👩‍👧 family dinner 🍽️",
    "a huge number": "a dress under €" + "9" * 400,
    "many ids": " ".join(f"BQ-{i:03d}" for i in range(500)),
    "punctuation only": "?!?!...,;;",
    "SQL-looking text": "'; DROP TABLE checkpoints; -- a scarf",
    "JSON-looking text": '{"messages": [], "belief": null, "client_id": "C-ELENA"}',
}


@pytest.fixture
def sqlite_conversations(warm_deps, tmp_path):
    return Conversations(warm_deps, sqlite_checkpointer(tmp_path / "conversations.sqlite3"))


def _still_usable(conversations: Conversations, thread: str) -> None:
    out = conversations.send(thread, FOLLOW_UP, catalog="boutique")
    assert out.act == "recommend" and out.recommendations, out.reply
    assert all(r.price <= 900 for r in out.recommendations)
    assert out.reflection.passed


@pytest.mark.parametrize("text", list(EMPTY.values()), ids=list(EMPTY))
def test_empty_messages_are_a_clear_error(sqlite_conversations, text):
    thread = sqlite_conversations.new_thread_id()
    with pytest.raises(EmptyMessage, match="empty"):
        sqlite_conversations.send(thread, text)
    assert sqlite_conversations.state(thread) == {}, "a refused message leaves no trace"
    _still_usable(sqlite_conversations, thread)


@pytest.mark.parametrize("text", list(ANSWERED.values()), ids=list(ANSWERED))
def test_odd_messages_get_a_reply_and_the_conversation_goes_on(sqlite_conversations, text):
    thread = sqlite_conversations.new_thread_id()
    out = sqlite_conversations.send(thread, text, catalog="boutique")
    assert out.reply.strip() and out.act in ("recommend", "ask", "answer", "acknowledge")
    assert out.reply.encode("utf-8"), "the reply is valid UTF-8"
    assert len(out.user) <= 20_000
    if out.reflection is not None:
        assert out.reflection.passed
    _still_usable(sqlite_conversations, thread)
    messages = sqlite_conversations.state(thread)["messages"]
    assert len(messages) == 4
    for message in messages:
        message.content.encode("utf-8")  # raises on a lone surrogate
        assert "\x00" not in message.content


def test_hostile_text_mid_conversation_keeps_the_belief(sqlite_conversations):
    thread = sqlite_conversations.new_thread_id()
    first = sqlite_conversations.send(thread, FOLLOW_UP, catalog="boutique")
    for text in ("\x00\x1b[2J", "👗" * 5000, b"\xc3\x28".decode("utf-8", "surrogateescape") + " cheaper"):
        try:
            sqlite_conversations.send(thread, text)
        except EmptyMessage:
            pass
    belief = sqlite_conversations.state(thread)["belief"]
    assert belief.constraints.budget_max is not None and belief.constraints.budget_max <= 900
    assert first.belief.motives and belief.motives


def test_hostile_reaction_reason_and_edited_reply(sqlite_conversations):
    thread = sqlite_conversations.new_thread_id()
    first = sqlite_conversations.send(thread, FOLLOW_UP, catalog="boutique")
    item = first.recommendations[0].item_id
    out = sqlite_conversations.react(thread, item, "rejected", reason="too \udcff shiny\x00\x1b[0m")
    assert item not in [r.item_id for r in out.recommendations]
    reaction = sqlite_conversations.state(thread)["belief"].reactions[-1]
    assert reaction.reason == "too \ufffd shiny[0m"
    with pytest.raises(EmptyMessage):
        sqlite_conversations.amend_reply(thread, "\x00 \u200b")
    sqlite_conversations.amend_reply(thread, "Edited \udcff reply\x07")
    assert sqlite_conversations.state(thread)["messages"][-1].content == "Edited \ufffd reply"
    _still_usable(sqlite_conversations, thread)


def test_a_reaction_object_with_surrogates_is_cleaned(sqlite_conversations):
    thread = sqlite_conversations.new_thread_id()
    first = sqlite_conversations.send(thread, FOLLOW_UP, catalog="boutique")
    item = first.recommendations[0].item_id
    sqlite_conversations.send(thread, "not this", reaction=Reaction(item_id=item, kind="rejected", reason="\ud800"))
    _still_usable(sqlite_conversations, thread)


@pytest.mark.parametrize(("raw", "clean"), [
    ("  hello\x00 ", "hello"),
    ("a\udcffb", "a\ufffdb"),
    ("line one\nline\ttwo\r", "line one\nline\ttwo"),
    ("\x1b[31mred", "[31mred"),
    ("👩‍👩‍👧", "👩‍👩‍👧"),
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean
