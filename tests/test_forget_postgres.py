"""``forget`` with conversations in PostgreSQL: the client's threads are deleted under their turn
locks and the checkpoint tables rewritten, so no row of theirs is left in the database."""

from __future__ import annotations

import json

import pytest

from agent.deps import build_deps
from apps.privacy import client_threads, forget
from agent.settings import Settings
from graph.session import Conversations, postgres_checkpointer
from tests.test_postgres import postgres_url  # noqa: F401  (the fixture)
from tests.test_privacy import NEW_CLIENT

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_forget_on_postgres_leaves_no_row(postgres_url, warm_deps, embedder, tmp_path):  # noqa: F811
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "clients.json").write_text(json.dumps([NEW_CLIENT]))
    deps = build_deps(Settings(data_dir=data_dir), embedder=embedder, ephemeral=True)
    deps.store, deps._catalogs = warm_deps.store, warm_deps._catalogs
    saver = postgres_checkpointer(postgres_url)
    conversations = Conversations(deps, saver)
    for client, thread in (("C-PRIVATE", "p1"), ("C-PRIVATE", "p2"), ("C-ELENA", "e1")):
        conversations.send(thread, "something for a garden party", catalog="boutique", client_id=client)
        conversations.send(thread, "cheaper")
    assert sorted(client_threads(saver, "C-PRIVATE")) == ["p1", "p2"]

    report = forget(deps, saver, "C-PRIVATE")
    assert sorted(report.threads) == ["p1", "p2"]
    with saver._cursor() as cur:
        for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes"):
            cur.execute(f"SELECT count(*) AS n FROM {table} WHERE thread_id IN ('p1', 'p2')")
            assert cur.fetchone()["n"] == 0, table
        cur.execute("SELECT count(*) AS n FROM checkpoint_blobs WHERE position('gala in May'::bytea IN blob) > 0")
        assert cur.fetchone()["n"] == 0
        cur.execute("SELECT count(*) AS n FROM checkpoints WHERE thread_id = 'e1'")
        assert cur.fetchone()["n"] == 1  # everyone else's stay, one checkpoint each
    assert conversations.send("e1", "in stock only").turn == 2
    again = forget(deps, saver, "C-PRIVATE")
    assert again.already_forgotten and again.threads == []
