"""Privacy: ``forget`` deletes a client's file, conversations and cached note vectors, and leaves
everyone else's; settings never show an API key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from apps.cli import main
from agent.deps import UnknownClient, build_deps
from agent.embeddings import text_hash
from apps.privacy import client_threads, forget
from agent.settings import Settings
from graph.session import Conversations, sqlite_checkpointer

NEW_CLIENT = {"id": "C-PRIVATE", "name": "Private Person", "catalog": "boutique",
              "purchases": [{"item_id": "BQ-003", "note": "Secret note about a garden wedding"}],
              "notes": ["Very private: prefers silk, attending a gala in May"]}


@pytest.fixture
def setup(warm_deps, embedder, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "clients.json").write_text(json.dumps([NEW_CLIENT]))
    deps = build_deps(Settings(data_dir=data_dir), embedder=embedder, ephemeral=True)
    deps.store, deps._catalogs = warm_deps.store, warm_deps._catalogs  # the indexed catalogs
    path = data_dir / "conversations.sqlite3"
    conversations = Conversations(deps, sqlite_checkpointer(path))
    threads = {}
    for client in ("C-PRIVATE", "C-ELENA", "C-MARGOT"):
        threads[client] = [conversations.new_thread_id() for _ in range(2)]
        for thread in threads[client]:
            conversations.send(thread, "something for a garden party", catalog="boutique", client_id=client)
            conversations.send(thread, "cheaper")
    anonymous = conversations.new_thread_id()
    conversations.send(anonymous, "a silk scarf", catalog="boutique")
    conversations.graph.checkpointer.conn.close()
    return deps, path, threads, anonymous


def test_forget_a_client_from_the_data_dir(setup, embedder):
    deps, path, threads, anonymous = setup
    note_hash = text_hash(NEW_CLIENT["notes"][0])
    embedder.embed([NEW_CLIENT["notes"][0]])
    assert sorted(client_threads(path, "C-PRIVATE")) == sorted(threads["C-PRIVATE"])

    report = forget(deps, path, "C-PRIVATE")
    assert sorted(report.threads) == sorted(threads["C-PRIVATE"]) and report.client_file_entries == 1
    assert report.cached_vectors >= 1 and not report.built_in
    assert embedder._db.execute("SELECT COUNT(*) FROM vectors WHERE hash=?", (note_hash,)).fetchone()[0] == 0

    assert json.loads((deps.settings.data_dir / "clients.json").read_text()) == []
    assert "C-PRIVATE" not in deps.clients
    with pytest.raises(UnknownClient):
        deps.client("C-PRIVATE")
    assert client_threads(path, "C-PRIVATE") == []
    # Nothing of the client is left in the conversations database, not even in old checkpoints.
    raw = path.read_bytes()
    assert b"C-PRIVATE" not in raw
    # Everyone else's conversations remain, and resume.
    assert sorted(client_threads(path, "C-ELENA")) == sorted(threads["C-ELENA"])
    assert sorted(client_threads(path, "C-MARGOT")) == sorted(threads["C-MARGOT"])
    again = Conversations(deps, sqlite_checkpointer(path))
    assert again.state(anonymous)["messages"]
    for thread in threads["C-ELENA"]:
        assert again.state(thread)["belief"].client_id == "C-ELENA"
        assert again.send(thread, "in stock only").recommendations
    for thread in threads["C-PRIVATE"]:
        assert again.state(thread) == {}
    assert "C-PRIVATE" not in build_deps(deps.settings, embedder=embedder, ephemeral=True).clients


def test_forget_a_built_in_client(setup, embedder):
    deps, path, threads, _ = setup
    report = forget(deps, path, "C-ELENA")
    assert report.built_in and sorted(report.threads) == sorted(threads["C-ELENA"])
    assert json.loads((deps.settings.data_dir / "forgotten.json").read_text()) == ["C-ELENA"]
    reloaded = build_deps(deps.settings, embedder=embedder, ephemeral=True)
    assert "C-ELENA" not in reloaded.clients and "C-MARGOT" in reloaded.clients
    assert "C-PRIVATE" in reloaded.clients
    assert client_threads(path, "C-ELENA") == [] and b"C-ELENA" not in path.read_bytes()
    assert sorted(client_threads(path, "C-PRIVATE")) == sorted(threads["C-PRIVATE"])


def test_forget_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOTIVE_DATA_DIR", str(tmp_path))
    (tmp_path / "clients.json").write_text(json.dumps([NEW_CLIENT]))
    assert main(["forget", "C-PRIVATE"]) == 0
    assert "forgot client C-PRIVATE" in capsys.readouterr().out
    assert main(["forget", "C-NOBODY"]) == 2
    assert "no client 'C-NOBODY'" in capsys.readouterr().err


def test_settings_never_show_keys():
    settings = Settings(llm_base_url="http://127.0.0.1:1/v1", llm_model="m", llm_api_key="sk-SECRET-1",
                        embedding_api_key="sk-SECRET-2", ui_auth="user:SECRET-3")
    for text in (repr(settings), str(settings), settings.describe()):
        assert "SECRET" not in text


def test_no_code_logs_keys_or_client_notes():
    root = Path(__file__).resolve().parents[1]
    logging_call = re.compile(r"\b(?:log|logger|logging)\.\w+\((?P<args>[^\n]*)")
    suspicious = re.compile(r"api_key|ui_auth|\.notes\b|\.note\b|history_text|client_file")
    offenders = []
    for path in [*root.glob("agent/*.py"), *root.glob("graph/*.py"), *root.glob("ui/*.py"), *root.glob("tools/*.py")]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = logging_call.search(line)
            if match and suspicious.search(match.group("args")):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
