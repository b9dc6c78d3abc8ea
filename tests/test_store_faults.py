"""The Chroma server goes away in the middle of a conversation: the person gets a clear error naming
the server, the saved conversation is not touched by the failed turn, and once the server is back
(same data directory, same port) the conversation continues from its last completed turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.store import StoreUnavailable
from tests.servers import free_port, stop
from tests.test_chroma_server import start_chroma

pytestmark = pytest.mark.server


def chroma_and_deps(embedder, tmp_path: Path):
    """A ``chroma run`` server on a free loopback port and the product's dependencies using it:
    ``(server, port, data_dir, log, deps)``. The server is stopped if the deps cannot be built."""
    from agent.deps import build_deps
    from agent.settings import Settings

    port, data, log = free_port(), tmp_path / "chroma", tmp_path / "chroma.log"
    server = start_chroma(data, port, log)
    try:
        settings = Settings.load({"MOTIVE_DATA_DIR": str(tmp_path / "motive"),
                                  "MOTIVE_CHROMA_HOST": "127.0.0.1", "MOTIVE_CHROMA_PORT": str(port)})
        return server, port, data, log, build_deps(settings, embedder=embedder)
    except BaseException:
        stop(server)
        raise


def test_chroma_server_lost_mid_conversation(embedder, tmp_path: Path) -> None:
    from graph.session import Conversations, sqlite_checkpointer

    server, port, data, log, deps = chroma_and_deps(embedder, tmp_path)
    try:
        checkpoints = tmp_path / "motive" / "conversations.sqlite3"
        conversations = Conversations(deps, sqlite_checkpointer(checkpoints))
        thread = conversations.new_thread_id()
        first = conversations.send(thread, "nitrile gloves for a food processing line", catalog="wholesale")
        assert first.act == "recommend" and first.recommendations
        before = conversations.state(thread)

        stop(server, kill=True)  # the server dies without a goodbye
        with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{port}") as info:
            conversations.send(thread, "under $20 a box, please")
        assert "chroma run" in str(info.value)  # says what to do, not just what broke

        # The failed turn left nothing behind: neither this process nor a restarted one sees it.
        for view in (conversations, Conversations(deps, sqlite_checkpointer(checkpoints))):
            after = view.state(thread)
            assert [m.id for m in after["messages"]] == [m.id for m in before["messages"]]
            assert after["belief"] == before["belief"]

        server = start_chroma(data, port, log)  # back, on the same data and port
        again = conversations.send(thread, "under $20 a box, please")
        assert again.act in ("recommend", "ask") and again.turn == first.turn + 1
        state = conversations.state(thread)
        assert len(state["messages"]) == len(before["messages"]) + 2
        assert [m.id for m in state["messages"][: len(before["messages"])]] == [m.id for m in before["messages"]]
        assert [m.content for m in state["messages"] if m.type == "human"] == [
            "nitrile gloves for a food processing line", "under $20 a box, please"]
        belief = state["belief"]
        assert belief.constraints.budget_max == pytest.approx(20)
        # What the first turn learned is still there.
        assert before["belief"].motives and all(m in belief.motives for m in before["belief"].motives)
    finally:
        stop(server)


def test_first_turn_lost_leaves_a_fresh_thread(embedder, tmp_path: Path) -> None:
    """A conversation whose very first turn failed starts clean next time, not from half a turn."""
    from graph.session import Conversations, sqlite_checkpointer

    server, port, data, log, deps = chroma_and_deps(embedder, tmp_path)
    try:
        deps.catalog("wholesale")
        conversations = Conversations(deps, sqlite_checkpointer(tmp_path / "c.sqlite3"))
        stop(server, kill=True)
        with pytest.raises(StoreUnavailable):
            conversations.send("t1", "nitrile gloves", catalog="wholesale")
        assert conversations.state("t1") == {}
        server = start_chroma(data, port, log)
        conversations.send("t1", "nitrile gloves", catalog="wholesale")
        assert [m.type for m in conversations.state("t1")["messages"]] == ["human", "ai"]
    finally:
        stop(server)
