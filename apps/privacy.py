"""Forgetting a client: ``motive forget CLIENT`` deletes the client's file, every conversation held
for them, and the cached vectors of their notes, and leaves none of it readable on disk.

Built-in demo clients live in the package and cannot be deleted from it: they are listed in
``<data_dir>/forgotten.json``, which :func:`agent.deps.build_deps` honours, and which running
processes (the web UI) re-read before every turn (:meth:`agent.deps.Deps.refresh_clients`).

The order matters while other processes run: the client is marked gone first (so no new turn
starts for them), then each of their conversations is deleted under its turn lock (so a turn in
flight finishes first, and a turn that began before the mark deletes its own saves), then the
databases are scrubbed. Forgetting again is safe: it finds nothing, or what a crash left.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from agent.embeddings import text_hash

from agent.deps import FORGOTTEN_FILE, forgotten_ids  # noqa: F401  (imported from here before)


@dataclass
class ForgetReport:
    client_id: str
    client_file_entries: int = 0
    """Entries removed from ``<data_dir>/clients.json``."""
    built_in: bool = False
    """The client ships with the package; it is now listed in ``forgotten.json``."""
    threads: list[str] = field(default_factory=list)
    """Conversation threads deleted from the checkpointer."""
    cached_vectors: int = 0
    already_forgotten: bool = False
    """The client was forgotten before; this run only looked for (and removed) leftovers."""

    def __str__(self) -> str:
        where = []
        if self.client_file_entries:
            where.append(f"{self.client_file_entries} client file entr{'y' if self.client_file_entries == 1 else 'ies'}")
        if self.built_in:
            where.append(f"built-in demo client hidden via {FORGOTTEN_FILE}")
        where.append(f"{len(self.threads)} conversation{'s' if len(self.threads) != 1 else ''}")
        where.append(f"{self.cached_vectors} cached vector{'s' if self.cached_vectors != 1 else ''}")
        verb = "client {} was already forgotten; removed leftovers".format if self.already_forgotten else "forgot client {}".format
        return verb(self.client_id) + ": " + ", ".join(where)


def _open_saver(checkpointer):
    """A saver for ``checkpointer``: a SQLite file path, or any LangGraph saver (PostgreSQL)."""
    if isinstance(checkpointer, (str, Path)):
        if not Path(checkpointer).exists():
            return None
        from graph.session import sqlite_checkpointer

        return sqlite_checkpointer(Path(checkpointer))
    return checkpointer


def client_threads(checkpointer, client_id: str) -> list[str]:
    """Threads whose state belongs to ``client_id``, in a SQLite file (path) or any saver."""
    saver = _open_saver(checkpointer)
    if saver is None:
        return []
    found: list[str] = []
    for snapshot in saver.list(None):
        thread_id = snapshot.config["configurable"]["thread_id"]
        if thread_id in found:
            continue
        values = snapshot.checkpoint.get("channel_values", {})
        belief = values.get("belief")
        if values.get("client_id") == client_id or getattr(belief, "client_id", None) == client_id:
            found.append(thread_id)
    return found


def _note_texts(client) -> list[str]:
    texts = [*client.notes, *(p.note for p in client.purchases if p.note)]
    pieces = [piece.strip() for t in texts for piece in re.split(r"[.;,:!?]\s*", t)]
    return list(dict.fromkeys([*texts, *(p for p in pieces if p)]))


def forget(deps, checkpointer, client_id: str) -> ForgetReport:
    """Delete ``client_id``'s file, conversations (``checkpointer``: the SQLite file's path, or a
    saver such as PostgreSQL's) and cached note vectors, then scrub the databases; raises
    :class:`agent.deps.UnknownClient` when no such client is known, was ever forgotten, or has a
    conversation left."""
    from agent.catalog import demo_clients_path, load_clients
    from agent.deps import UnknownClient
    from graph.checkpoints import scrub, scrub_sqlite, turn_locks_for

    data_dir = deps.settings.data_dir
    client = deps.clients.get(client_id)
    report = ForgetReport(client_id=client_id, already_forgotten=client is None)
    saver = _open_saver(checkpointer)
    if client is None and client_id not in forgotten_ids(data_dir):
        if saver is None or not client_threads(saver, client_id):
            deps.client(client_id)  # raises UnknownClient, listing the known ones
            raise UnknownClient(client_id)

    extra = data_dir / "clients.json"
    if extra.exists():
        entries = json.loads(extra.read_text(encoding="utf-8-sig"))
        kept = [e for e in entries if not (isinstance(e, dict) and e.get("id") == client_id)]
        report.client_file_entries = len(entries) - len(kept)
        if report.client_file_entries:
            extra.write_text(json.dumps(kept, indent=2, ensure_ascii=False), encoding="utf-8")
    report.built_in = any(c.id == client_id for c in load_clients(demo_clients_path()))
    if client_id not in forgotten_ids(data_dir):
        # Every forgotten id is listed (ids only): built-in clients stay hidden by it, and a
        # second `forget` knows the id and looks for leftovers instead of calling it unknown.
        (data_dir / FORGOTTEN_FILE).write_text(
            json.dumps(sorted(forgotten_ids(data_dir) | {client_id}), indent=2), encoding="utf-8")
    deps.clients.pop(client_id, None)

    if saver is not None:
        locks = turn_locks_for(saver)
        report.threads = client_threads(saver, client_id)
        for thread_id in report.threads:
            with locks.hold(thread_id):
                saver.delete_thread(thread_id)
        scrub(saver)  # also when nothing was found: an earlier run may have stopped before it

    cache = getattr(deps.embedder, "_db", None)
    if isinstance(cache, sqlite3.Connection) and client is not None:
        hashes = [text_hash(t) for t in _note_texts(client)]
        with deps.embedder._lock:
            for h in hashes:
                report.cached_vectors += cache.execute("DELETE FROM vectors WHERE hash=?", (h,)).rowcount
                deps.embedder._memo.pop(h, None)
            cache.commit()
            scrub_sqlite(cache)
    return report
