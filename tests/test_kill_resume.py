"""The process is SIGKILLed in the middle of a turn: a new process resumes the conversation from its
last completed turn, belief intact, and the next turn works.

Trait batches resuming after an interruption are covered by
``tests/test_traits.py::test_interrupted_build_resumes_where_it_stopped``, and ingest batches by
the upsert granularity tested in ``tests/test_store.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

STALL = "STALL-HERE"
"""A message containing this makes the embedder of the child process hang, in the middle of a
turn (after the turn's first nodes ran), until the test kills it."""

CHILD = r'''
import dataclasses, json, sys, time
from pathlib import Path

from agent.deps import build_deps
from agent.settings import Settings
from graph.session import Conversations, sqlite_checkpointer

data_dir, thread, stall_marker, *messages = sys.argv[1:]


class StallingEmbedder:
    """The real embedder, except that a text with the marker never comes back."""

    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim

    def embed(self, texts):
        if any("STALL-HERE" in t for t in texts):
            Path(stall_marker).write_text("stalled")
            time.sleep(600)
        return self.inner.embed(texts)


deps = build_deps(Settings(data_dir=Path(data_dir)))
deps = dataclasses.replace(deps, embedder=StallingEmbedder(deps.embedder))
conversations = Conversations(deps, sqlite_checkpointer(Path(data_dir) / "conversations.sqlite3"))


def snapshot():
    state = conversations.state(thread)
    return {"messages": [[m.type, m.content] for m in state.get("messages", [])],
            "belief": state["belief"].model_dump(mode="json") if state.get("belief") else None}


print(json.dumps({"event": "resumed", **snapshot()}), flush=True)
for text in messages:
    out = conversations.send(thread, text, catalog="boutique")
    print(json.dumps({"event": "turn", "turn": out.turn, "act": out.act, **snapshot()}), flush=True)
'''


def run_child(script: Path, data_dir: Path, marker: Path, *messages: str, timeout: float = 300) -> list[dict]:
    done = subprocess.run([sys.executable, str(script), str(data_dir), "T", str(marker), *messages],
                          capture_output=True, text=True, timeout=timeout, env=os.environ | {"HF_HUB_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_killed_mid_turn_resumes_from_last_completed_turn(tmp_path: Path) -> None:
    script, data_dir, marker = tmp_path / "child.py", tmp_path / "data", tmp_path / "stalled"
    script.write_text(CHILD)
    first, second = "a silk scarf for my mother's birthday", "something warmer, under $150"
    events = run_child(script, data_dir, marker, first, second)
    completed = events[-1]
    assert completed["event"] == "turn" and completed["belief"]["motives"]

    # A third turn hangs inside the embedder; the process is killed there, with no chance to tidy up.
    proc = subprocess.Popen([sys.executable, str(script), str(data_dir), "T", str(marker),
                             f"actually, {STALL} make it a gift for my father"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "the child never reached the stalling embedder"
            time.sleep(0.1)
        time.sleep(0.5)  # let anything the turn would save before the stall land
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    # A turn saves its checkpoint when it ends (or fails), so the killed one left none: the latest
    # checkpoint is the last completed turn's (a turn that raises leaves half a turn instead, which
    # tests/test_store_faults.py resumes from)...
    from graph.session import sqlite_checkpointer

    saver = sqlite_checkpointer(data_dir / "conversations.sqlite3")
    latest = saver.get_tuple({"configurable": {"thread_id": "T"}})
    assert not any(STALL in m.content for m in latest.checkpoint["channel_values"]["messages"])
    saver.conn.close()

    # ...but a new process sees the conversation as of the last completed turn, and goes on from it.
    resumed, turn = run_child(script, data_dir, marker, "something in wool, please")
    assert resumed["event"] == "resumed"
    assert resumed["messages"] == completed["messages"]
    assert resumed["belief"] == completed["belief"]
    assert turn["turn"] == completed["turn"] + 1
    assert turn["messages"][: len(completed["messages"])] == completed["messages"]
    assert turn["messages"][len(completed["messages"])] == ["human", "something in wool, please"]
    assert all(STALL not in text for _, text in turn["messages"])
    assert turn["belief"]["constraints"]["budget_max"] == completed["belief"]["constraints"]["budget_max"] == 150
