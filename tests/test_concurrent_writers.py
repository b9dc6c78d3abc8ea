"""Several processes writing one conversation at once: every turn is kept, in order.

Real ``motive ask --thread shared --json`` processes are started together on one conversation, with
the SQLite checkpointer of a shared data directory and with PostgreSQL (Debian's, on loopback, see
``tests/test_postgres.py``). Afterwards the saved conversation must hold every message each process
sent, each followed by its reply, and the turn numbers the processes printed must be 0..n-1 once
each. Before turns were serialised across processes, about half were silently lost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_cli import CSV
from tests.test_postgres import postgres_url  # noqa: F401  (the fixture)

LINES = 4
"""Messages each writer sends."""


def _env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTIVE_")}
    env.update(MOTIVE_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", **(extra or {}))
    return env


def _catalog(tmp_path: Path, env: dict[str, str]) -> None:
    csv = tmp_path / "mini.csv"
    csv.write_text(CSV)
    done = subprocess.run([sys.executable, "-m", "apps.cli", "ingest", str(csv), "--catalog", "mini", "--quiet"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr


def run_writers(tmp_path: Path, writers: int, lines: int = LINES, extra_env: dict[str, str] | None = None,
                thread: str = "shared1") -> tuple[list[str], list[dict], list[list[int]]]:
    """Start ``writers`` ``motive ask`` processes on one conversation at once; return the messages
    they sent, the saved conversation (``[type, content]`` pairs) and the turn numbers each printed."""
    env = _env(tmp_path / "data", extra_env)
    _catalog(tmp_path, env)
    sent, procs = [], []
    for w in range(writers):
        texts = [f"writer {w} message {i}: a merino jumper under {200 + 10 * i} euros" for i in range(lines)]
        script = tmp_path / f"script{w}.txt"
        script.write_text("\n".join(texts) + "\n")
        sent += texts
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "apps.cli", "ask", "--catalog", "mini", "--thread", thread, "--script",
             str(script), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    turns = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        turns.append([json.loads(line)["turn"] for line in out.splitlines()])
    reader = (
        "import json, sys\n"
        "from agent.settings import Settings\n"
        "from graph.session import checkpointer_from_settings\n"
        "saver = checkpointer_from_settings(Settings.load())\n"
        "tup = saver.get_tuple({'configurable': {'thread_id': sys.argv[1]}})\n"
        "msgs = tup.checkpoint['channel_values']['messages'] if tup else []\n"
        "print(json.dumps([[m.type, m.content] for m in msgs]))\n")
    got = subprocess.run([sys.executable, "-c", reader, thread], capture_output=True, text=True, env=env,
                         timeout=120)
    assert got.returncode == 0, got.stderr
    return sent, json.loads(got.stdout), turns


def check_every_turn_kept(sent: list[str], saved: list[list[str]], turns: list[list[int]]) -> None:
    humans = [content for kind, content in saved if kind == "human"]
    assert sorted(humans) == sorted(sent), f"{len(humans)} of {len(sent)} messages kept"
    assert [kind for kind, _ in saved] == ["human", "ai"] * len(sent), "a message without its reply"
    assert sorted(t for per in turns for t in per) == list(range(len(sent)))
    for per in turns:
        assert per == sorted(per)
        # A writer's messages keep its order within the conversation.
    for w in range(len(turns)):
        mine = [h for h in humans if h.startswith(f"writer {w} ")]
        assert mine == sorted(mine, key=lambda h: int(h.split("message ")[1].split(":")[0]))


@pytest.mark.slow
def test_two_writers_on_sqlite_keep_every_turn(tmp_path: Path) -> None:
    sent, saved, turns = run_writers(tmp_path, 2)
    check_every_turn_kept(sent, saved, turns)


@pytest.mark.slow
@pytest.mark.server
def test_two_writers_on_postgres_keep_every_turn(tmp_path: Path, postgres_url: str) -> None:  # noqa: F811
    sent, saved, turns = run_writers(tmp_path, 2, extra_env={"MOTIVE_CHECKPOINT_URL": postgres_url})
    check_every_turn_kept(sent, saved, turns)


def test_a_writer_that_waits_too_long_is_refused_not_lost(tmp_path: Path) -> None:
    """A turn that cannot get the conversation within the wait is refused, with a message saying
    so; nothing is written. (A second process holds the lock file here.)"""
    from graph.checkpoints import ConversationBusy, FileTurnLocks

    locks = FileTurnLocks(tmp_path / "locks", timeout=0.3)
    locks.folder.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, fcntl, os\n"
         "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('held', flush=True)\n"
         "time.sleep(30)\n", str(locks.path("t1"))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(ConversationBusy, match="conversation t1 is busy.*send it again"):
            with locks.hold("t1"):
                pytest.fail("the lock another process holds was taken")
        assert 0.3 <= time.monotonic() - started < 5
        with locks.hold("t2"):  # other conversations are not held up
            pass
    finally:
        holder.kill()
        holder.wait()
    with locks.hold("t1"):  # the kernel released the killed holder's lock
        pass
