"""Nothing lost, nothing left behind, as an operator sees it: real ``motive`` processes on a data
directory of their own.

- Catalog names are checked before anything is written: nothing lands outside the data directory.
- Re-ingesting makes the catalog equal to the file's good rows, with truthful counts; a re-ingest
  killed midway leaves the previous catalog whole.
- ``motive forget`` while another process (the web UI's handlers) serves the client: her open
  conversation refuses its next turn, she leaves the picker, and her notes are in no file of the
  data directory, write-ahead log included; a second ``forget`` is safe.
- What a conversation keeps on disk per turn is bounded (one checkpoint, not eight a turn).
- Item ids with control characters are rejected; an unclosed CSV quote says which lines it took.
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

from tests.test_cli import CSV, motive

# --------------------------------------------------------------------------------------------
# Catalog names


@pytest.mark.parametrize("name", ["../../x", "<absolute>", "a/b", "x" * 300, "Upper Case", ""])
def test_bad_catalog_names_write_nothing_anywhere(tmp_path: Path, name: str) -> None:
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    name = name.replace("<absolute>", str(tmp_path / "outside" / "x"))  # outside the data directory
    csv = work / "small.csv"
    csv.write_text(CSV)
    before = {p for p in tmp_path.rglob("*")}
    result = motive(work, "ingest", str(csv), "--catalog", name, "--quiet")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "catalog name" in result.stderr
    assert "--catalog" in result.stderr and "lowercase letters, digits and dashes" in result.stderr
    assert {p for p in tmp_path.rglob("*")} - before == set(), "something was written"


def test_a_file_name_that_is_no_catalog_name_says_so(tmp_path: Path) -> None:
    csv = tmp_path / "My Shop (2).csv"
    csv.write_text(CSV)
    result = motive(tmp_path, "ingest", str(csv), "--quiet")
    assert result.returncode == 2 and "taken from the file name" in result.stderr and "'my-shop-2'" in result.stderr
    assert not (tmp_path / "data" / "rejects").exists()


# --------------------------------------------------------------------------------------------
# Re-ingesting

READER = r'''
import json, sys
import chromadb
from chromadb.config import Settings
client = chromadb.PersistentClient(path=sys.argv[2], settings=Settings(anonymized_telemetry=False))
got = client.get_collection("motive-" + sys.argv[1], embedding_function=None).get(include=["metadatas"])
print(json.dumps({i: m["price"] for i, m in zip(got["ids"], got["metadatas"])}))
'''
"""What another process reading the store sees (Chroma itself, not Motive's code)."""


def catalog_prices(tmp_path: Path, catalog: str = "mini") -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTIVE_")}
    env["MOTIVE_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run([sys.executable, "-c", READER, catalog, str(tmp_path / "data" / "chroma")],
                          capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_reingest_makes_the_catalog_equal_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mini.csv"
    path.write_text(CSV)
    first = motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet")
    assert first.returncode == 0, first.stderr
    assert "6 added, 0 updated, 0 unchanged, 0 removed (6 items)" in first.stdout
    # K-8 is gone from the file, K-7's price is now 'price on request' (a rejected row).
    lines = [ln for ln in CSV.splitlines() if not ln.startswith("K-8,")]
    lines = [ln.replace(",890,", ",price on request,") if ln.startswith("K-7,") else ln for ln in lines]
    path.write_text("\n".join(lines) + "\n")
    again = motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet")
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 updated, 4 unchanged, 2 removed (4 items)" in again.stdout
    assert f"K-7 at {path}:8" in again.stderr and "fix the row and ingest again" in again.stderr
    prices = catalog_prices(tmp_path)
    assert sorted(prices) == ["K-1", "K-2", "K-3", "K-5"]

    # What the agent recommends comes from the new version only.
    script = tmp_path / "ask.txt"
    script.write_text("canvas sneakers or a wool overcoat for the weekend\n")
    asked = motive(tmp_path, "ask", "--catalog", "mini", "--script", str(script), "--json")
    assert asked.returncode == 0, asked.stderr
    shown = {r["item_id"] for r in json.loads(asked.stdout.splitlines()[0])["recommendations"]}
    assert shown and shown <= {"K-1", "K-2", "K-3", "K-5"}

    removed = motive(tmp_path, "remove", "mini", "--item", "K-1", "--item", "NOPE")
    assert removed.returncode == 1 and "no item 'NOPE'" in removed.stderr and "1 removed (3 items left)" in removed.stdout
    assert sorted(catalog_prices(tmp_path)) == ["K-2", "K-3", "K-5"]
    gone = motive(tmp_path, "remove", "mini")
    assert gone.returncode == 0 and "removed" in gone.stdout
    listed = motive(tmp_path, "catalogs")
    assert "mini" not in listed.stdout.split()


KILLED_INGEST = r'''
import sys, time
from pathlib import Path
from agent.catalog import read_catalog
from agent.deps import build_deps
from agent.settings import Settings

deps = build_deps(Settings.load())
inner = deps.store.embedder


class Stalling:
    """The real embedder, until the second batch: then it says so and hangs until killed."""
    name, dim, calls = inner.name, inner.dim, 0

    def embed(self, texts):
        Stalling.calls += 1
        if Stalling.calls == 2:
            Path(sys.argv[2]).write_text("stalled")
            time.sleep(600)
        return inner.embed(texts)


deps.store.embedder = Stalling()
deps.register("big", read_catalog(sys.argv[1]).items, "any", sys.argv[1])
'''


@pytest.mark.slow
def test_a_killed_reingest_leaves_the_previous_catalog_whole(tmp_path: Path) -> None:
    old = tmp_path / "big.csv"
    header = "id,title,description,price\n"
    old.write_text(header + "".join(f"B-{i},Old item {i},An old wool scarf number {i},{10 + i}\n"
                                    for i in range(100)))
    first = motive(tmp_path, "ingest", str(old), "--catalog", "big", "--quiet")
    assert first.returncode == 0, first.stderr
    before = catalog_prices(tmp_path, "big")
    assert len(before) == 100

    new = tmp_path / "big2.csv"  # every price changes, half the items go, 100 new ones come
    new.write_text(header + "".join(f"B-{i},New item {i},A new linen shirt number {i},{500 + i}\n"
                                    for i in range(50, 250)))
    marker = tmp_path / "stalled"
    script = tmp_path / "ingest.py"
    script.write_text(KILLED_INGEST)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTIVE_")}
    env["MOTIVE_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen([sys.executable, str(script), str(new), str(marker)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "the re-ingest never reached its second batch"
            time.sleep(0.1)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert catalog_prices(tmp_path, "big") == before  # not half old, half new

    finished = motive(tmp_path, "ingest", str(new), "--catalog", "big", "--quiet")
    assert finished.returncode == 0, finished.stderr
    assert "150 added, 50 updated, 0 unchanged, 50 removed (200 items)" in finished.stdout
    after = catalog_prices(tmp_path, "big")
    assert sorted(after) == sorted(f"B-{i}" for i in range(50, 250)) and after["B-60"] == 560


# --------------------------------------------------------------------------------------------
# Bad rows the reader must name


def test_control_characters_in_ids_are_rejected(tmp_path: Path) -> None:
    from agent.catalog import read_catalog

    path = tmp_path / "ids.jsonl"
    rows = [{"id": "OK-1", "title": "Fine", "price": 1}, {"id": "BAD\nRecommended: FAKE-9", "title": "Forged", "price": 2},
            {"id": "ESC\x1b[31m", "title": "Colour", "price": 3}, {"id": "RTL\u202e", "title": "Bidi", "price": 4}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    report = read_catalog(path)
    assert [i.id for i in report.items] == ["OK-1"]
    assert [(e.line, e.field) for e in report.errors] == [(2, "id"), (3, "id"), (4, "id")]
    assert "U+000A" in report.errors[0].message and "U+001B" in report.errors[1].message


def test_an_unclosed_quote_names_the_lines_it_swallowed(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('id,title,price\nA1,Good,10\nA2,"Broken quote,20\nA3,Three,30\nA4,Four,40\n')
    from agent.catalog import read_catalog

    report = read_catalog(path)
    assert [i.id for i in report.items] == ["A1"]
    (error,) = report.errors
    assert error.line == 3 and error.message.startswith("a quote opened on line 3 is never closed, so lines 3-5")


# --------------------------------------------------------------------------------------------
# Bounded storage


def test_storage_per_turn_is_bounded(warm_deps, tmp_path: Path) -> None:
    """The loop of ``motive bench-storage``, written out so it runs on older code as well."""
    import sqlite3

    from graph.session import Conversations, sqlite_checkpointer

    db = tmp_path / "conversations.sqlite3"
    conversations = Conversations(warm_deps, sqlite_checkpointer(db))
    script = ["a silk scarf for my mother's birthday", "under $300 please", "not red, she never wears red",
              "something warmer for the winter", "tell me more about the first one"]
    saved = {}
    for turn in range(1, 21):
        conversations.send("long", script[(turn - 1) % len(script)], catalog="boutique")
        if turn in (5, 20):
            with sqlite3.connect(db) as conn:
                saved[turn] = conn.execute("SELECT count(*), sum(length(checkpoint)) + sum(length(metadata)) "
                                           "FROM checkpoints WHERE thread_id='long'").fetchone()
    assert saved[5][0] == saved[20][0] == 1, f"checkpoints kept: {saved}"
    # Four times the turns may cost at most about four times the bytes saved (keeping eight
    # full-state checkpoints a turn, it was about five times the bytes per turn).
    assert saved[20][1] / 20 <= 1.2 * saved[5][1] / 5, saved


# --------------------------------------------------------------------------------------------
# Forgetting while the UI runs

UI_PROCESS = r'''
import json, sys
from agent.deps import build_deps
from agent.settings import Settings
from graph.session import Conversations, checkpointer_from_settings
from ui.handlers import Handlers

settings = Settings.load()
conversations = Conversations(build_deps(settings), checkpointer_from_settings(settings))
handlers = Handlers(conversations, settings, stream_delay=0)
session = handlers.new_session("boutique", "C-ELENA")
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command, text = json.loads(line)
    if command == "send":
        views = list(handlers.send(session, text))
        session = views[-1].session
        print(json.dumps({"status": views[-1].status, "chat": views[-1].chat}), flush=True)
    elif command == "new":
        fresh = handlers.load({})
        print(json.dumps({"clients": [value for _, value in handlers.client_choices("boutique")],
                          "resume": handlers.resume(fresh.session, session.thread_id).status}), flush=True)
'''

SECRETS = (b"Lucca", b"knee operation", b"knee surgery")


def data_files_with(data_dir: Path, secrets=SECRETS) -> list[str]:
    found = []
    for path in data_dir.rglob("*"):
        if path.is_file() and "chroma" not in path.parts:
            raw = path.read_bytes()
            found += [f"{path.name}: {s.decode()}" for s in secrets if s in raw]
    return found


@pytest.mark.slow
def test_forget_while_the_ui_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTIVE_")}
    env.update(MOTIVE_DATA_DIR=str(tmp_path / "data"), HF_HUB_OFFLINE="1")
    script = tmp_path / "ui_process.py"
    script.write_text(UI_PROCESS)
    ui = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env)

    def ask(command: str, text: str = "") -> dict:
        ui.stdin.write(json.dumps([command, text]) + "\n")
        ui.stdin.flush()
        line = ui.stdout.readline()
        assert line, ui.stderr.read()[-3000:]
        return json.loads(line)

    try:
        assert json.loads(ui.stdout.readline() or "{}") == {"ready": True}, ui.stderr.read()[-3000:]
        first = ask("send", "a dress for a garden party, low heels please")
        assert first["status"] == "" or "error" not in first["status"], first
        assert data_files_with(tmp_path / "data"), "the test needs her notes on disk before forgetting"
        started = time.monotonic()
        forgotten = motive(tmp_path, "forget", "C-ELENA")
        elapsed = time.monotonic() - started
        assert forgotten.returncode == 0, forgotten.stderr
        assert "forgot client C-ELENA" in forgotten.stdout and "1 conversation" in forgotten.stdout
        # Nothing of her is readable in any file while the UI still holds its connections...
        assert data_files_with(tmp_path / "data") == []
        # ...the open tab's next turn is refused and recreates nothing...
        refused = ask("send", "something in blue")
        assert "C-ELENA" in refused["status"] and "forgotten" in refused["status"], refused["status"]
        assert data_files_with(tmp_path / "data") == []
        # ...and a new tab no longer offers her, nor resumes her conversation.
        fresh = ask("new")
        assert "C-ELENA" not in fresh["clients"] and "No saved conversation" in fresh["resume"]
    finally:
        ui.stdin.close()
        ui.wait(timeout=60)
    assert data_files_with(tmp_path / "data") == []
    again = motive(tmp_path, "forget", "C-ELENA")
    assert again.returncode == 0 and "already forgotten" in again.stdout, again.stderr
    print(f"forget with the UI running took {elapsed:.2f} s")


@pytest.mark.slow
def test_a_running_process_serves_the_new_version_after_another_reingests(embedder, tmp_path: Path) -> None:
    """A long-running process (as the web UI) holding the catalog open: another process's re-ingest
    swaps the collection under it; its next reads come from the new version, not an error."""
    import time as clock

    from agent.deps import GENERATION_CHECK, build_deps
    from agent.settings import Settings

    path = tmp_path / "mini.csv"
    path.write_text(CSV)
    assert motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet").returncode == 0
    deps = build_deps(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    assert deps.catalog("mini").size == 6 and len(deps.store.get("mini", ["K-8"])) == 1

    path.write_text("\n".join(ln for ln in CSV.splitlines() if not ln.startswith(("K-7,", "K-8,"))) + "\n")
    again = motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet")
    assert again.returncode == 0 and "2 removed (4 items)" in again.stdout, again.stderr
    clock.sleep(GENERATION_CHECK + 0.1)
    assert deps.catalog("mini").size == 4  # the lexicon and ids are rebuilt from the new version
    assert deps.store.get("mini", ["K-8", "K-1"]).keys() == {"K-1"}
    assert {item.id for item in deps.store.all_items("mini")} == {"K-1", "K-2", "K-3", "K-5"}

    # A handle cached before a swap (a search between two generation checks) is refreshed too.
    path.write_text(CSV)
    assert "2 added" in motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet").stdout
    assert deps.store.get("mini", ["K-8"]).keys() == {"K-8"}
    deps.store.close()
