"""Where conversations are kept, and the rules for keeping them: one turn at a time per
conversation across every process, one checkpoint per conversation at rest, nothing readable left
behind after a delete.

- :func:`turn_locks_for` gives the lock a turn holds from reading the conversation to saving it.
  With SQLite it is an ``flock`` on a file beside the database (every process on the machine
  sees it; the kernel drops it when a process dies); with PostgreSQL a session advisory lock on a
  connection of its own (the server drops it when the connection goes). Both wait up to
  ``timeout`` seconds, then refuse with :class:`ConversationBusy`; never a silent lost turn.
- :func:`prune_thread` drops every checkpoint of a conversation but the latest after a turn
  completed: each turn saves one with the whole state (at its end, or where it failed; a turn
  once saved one per graph step), and keeping them all made storage grow with the square of the
  turns.
- :class:`TurnSqliteSaver` (what :func:`sqlite_checkpointer` returns) reads a conversation's
  latest checkpoint once per turn: the read that finds where the turn starts is handed to the
  graph run that follows, instead of the graph reading and decoding the same row again.
- :func:`scrub` makes deleted rows unreadable: ``secure_delete`` overwrites freed pages, a
  ``TRUNCATE`` checkpoint empties the write-ahead log, ``VACUUM`` rebuilds the file (SQLite); a
  ``VACUUM FULL`` rewrites the tables (PostgreSQL).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Iterator

from langgraph.checkpoint.base import CheckpointTuple, get_checkpoint_id
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver

from agent.settings import Settings, SettingsError
from graph.state import checkpoint_types

TURN_WAIT = 120.0
"""Seconds a turn waits for another process's turn on the same conversation before refusing."""
SETUP_WAIT_S = 120.0
"""How long a process starting on a fresh PostgreSQL waits for another one creating the tables."""

WAL_LIMIT = 1 << 20
"""Bytes the SQLite write-ahead log is truncated to whenever it is reset."""

_POLL = 0.02
"""Seconds between two attempts at a lock another process holds."""


class ConversationBusy(RuntimeError):
    """Another turn on the conversation (in this process or another) did not finish in time."""


def checkpoint_serde() -> JsonPlusSerializer:
    """A serializer that rebuilds only the project's own state types (and LangChain's messages)."""
    return JsonPlusSerializer(allowed_msgpack_modules=checkpoint_types())


_TURN_READS: ContextVar[dict | None] = ContextVar("motive_turn_reads", default=None)
"""Within :meth:`TurnSqliteSaver.one_read`: the latest checkpoints read so far and not yet handed on."""


class TurnSqliteSaver(SqliteSaver):
    """A :class:`SqliteSaver` that, inside :meth:`one_read`, decodes a conversation's latest
    checkpoint once: a turn reads it to find where it starts (``Conversations._completed``), then
    the graph run reads it again; the second read gets the first one's result (the same row, with
    the conversation's turn lock held in between). Any write forgets what was read. Outside
    :meth:`one_read` it is a plain :class:`SqliteSaver`."""

    @contextmanager
    def one_read(self) -> Iterator[None]:
        token = _TURN_READS.set({})
        try:
            yield
        finally:
            _TURN_READS.reset(token)

    def get_tuple(self, config: Any) -> CheckpointTuple | None:
        reads = _TURN_READS.get()
        if reads is None or get_checkpoint_id(config):
            return super().get_tuple(config)
        key = (id(self), str(config["configurable"]["thread_id"]), config["configurable"].get("checkpoint_ns", ""))
        if key in reads:
            return reads.pop(key)  # handed on once: the graph run continues from it
        saved = super().get_tuple(config)
        if saved is not None:
            reads[key] = saved
        return saved

    def _forget_reads(self) -> None:
        reads = _TURN_READS.get()
        if reads:
            for key in [k for k in reads if k[0] == id(self)]:
                del reads[key]

    # The parameters as SqliteSaver has them: LangGraph reads put_writes's signature (task_path).
    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        self._forget_reads()
        return super().put(config, checkpoint, metadata, new_versions)

    def put_writes(self, config: Any, writes: Any, task_id: str, task_path: str = "") -> None:
        self._forget_reads()
        super().put_writes(config, writes, task_id, task_path)

    def delete_thread(self, thread_id: str) -> None:
        self._forget_reads()
        super().delete_thread(thread_id)


def one_read(checkpointer) -> AbstractContextManager:
    """``checkpointer.one_read()`` for a :class:`TurnSqliteSaver`, else nothing."""
    return checkpointer.one_read() if isinstance(checkpointer, TurnSqliteSaver) else nullcontext()


def sqlite_checkpointer(path: Path) -> SqliteSaver:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    # Freed pages are overwritten with zeros, so a deleted conversation's text does not linger.
    conn.execute("PRAGMA secure_delete=ON")
    # The write-ahead log is cut back to this size each time SQLite starts it over, instead of
    # keeping its largest size (about 4 MB) for good.
    conn.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")
    return TurnSqliteSaver(conn, serde=checkpoint_serde())


def postgres_checkpointer(url: str):
    """A PostgreSQL checkpointer (the ``postgres`` extra), its tables created if missing.

    Several app processes can share it: each turn reads the thread's latest checkpoint under the
    conversation's advisory lock, so a conversation can move from one process to another between
    turns, and two processes never interleave one conversation's turns."""
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg import Connection
        from psycopg.rows import dict_row
    except ImportError as exc:
        raise SettingsError(
            "MOTIVE_CHECKPOINT_URL names PostgreSQL, but its driver is not installed: "
            "pip install 'motive[postgres]'") from exc
    import psycopg

    try:
        conn = Connection.connect(url, autocommit=True, prepare_threshold=0, row_factory=dict_row)
    except psycopg.OperationalError as exc:
        where = url.rsplit("@", 1)[-1]  # never echo the password
        raise SettingsError(f"cannot connect to PostgreSQL at {where} (MOTIVE_CHECKPOINT_URL): "
                            f"{str(exc).strip().splitlines()[0]}") from None
    saver = PostgresSaver(conn, serde=checkpoint_serde())
    # Processes starting at once on a fresh database would create the tables together, and
    # PostgreSQL's CREATE TABLE IF NOT EXISTS loses that race (a unique violation on pg_type): one
    # process at a time creates them, the others find them made.
    # The lock is tried, not waited for inside a statement: setup's CREATE INDEX CONCURRENTLY waits
    # for every open transaction to end, and a process blocked in pg_advisory_lock is one (a
    # deadlock PostgreSQL detects, failing one of the two); between tries this session is idle.
    key = int.from_bytes(hashlib.sha256(b"motive-checkpoint-setup").digest()[:8], "big", signed=True)
    deadline = time.monotonic() + SETUP_WAIT_S
    while not conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (key,)).fetchone()["ok"]:
        if time.monotonic() > deadline:
            raise SettingsError(f"PostgreSQL (MOTIVE_CHECKPOINT_URL): another process has been creating the "
                                f"conversation tables for over {SETUP_WAIT_S:g} s; try again when it is done")
        time.sleep(0.05)
    try:
        saver.setup()
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
    return saver


def checkpointer_from_settings(settings: Settings):
    """Where conversations are kept: PostgreSQL if ``checkpoint_url`` says so, else SQLite in the
    data directory."""
    url = settings.checkpoint_url
    if not url:
        return sqlite_checkpointer(settings.data_dir / "conversations.sqlite3")
    if url.split("://", 1)[0] in ("postgresql", "postgres"):
        return postgres_checkpointer(url)
    raise SettingsError(f"MOTIVE_CHECKPOINT_URL must be a postgresql:// URL (got scheme "
                        f"{url.split('://', 1)[0]!r}); unset it to keep conversations in SQLite")


# --------------------------------------------------------------------------------------------
# One turn at a time per conversation


class TurnLocks:
    """Per-conversation locks within this process; subclasses add a lock across processes.

    A turn takes the in-process lock first (threads of one process queue there without touching
    the file system or the database), then the cross-process one."""

    def __init__(self, timeout: float = TURN_WAIT):
        self.timeout = timeout
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _local(self, thread_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(thread_id, threading.Lock())

    def _busy(self, thread_id: str) -> ConversationBusy:
        return ConversationBusy(
            f"conversation {thread_id} is busy: another turn on it has been running for over "
            f"{self.timeout:.0f} s (in this process or another one); nothing was saved for this "
            f"message, send it again in a moment")

    @contextmanager
    def hold(self, thread_id: str) -> Iterator[None]:
        """Hold ``thread_id`` for one turn (read, run, save), waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + self.timeout
        local = self._local(thread_id)
        if not local.acquire(timeout=self.timeout):
            raise self._busy(thread_id)
        try:
            with self._across(thread_id, deadline):
                yield
        finally:
            local.release()

    @contextmanager
    def _across(self, thread_id: str, deadline: float) -> Iterator[None]:
        yield


class FileTurnLocks(TurnLocks):
    """``flock`` on ``<folder>/<sha256 of the thread id>.lock``: every process on this machine
    using the same SQLite file sees it, and a killed process's lock goes with it."""

    def __init__(self, folder: Path, timeout: float = TURN_WAIT):
        super().__init__(timeout)
        self.folder = Path(folder)

    def path(self, thread_id: str) -> Path:
        return self.folder / (hashlib.sha256(thread_id.encode("utf-8")).hexdigest()[:32] + ".lock")

    @contextmanager
    def _across(self, thread_id: str, deadline: float) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path(thread_id), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                if time.monotonic() > deadline:
                    raise self._busy(thread_id)
                time.sleep(_POLL)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def advisory_key(thread_id: str) -> int:
    """The signed 64-bit advisory-lock key of a conversation (stable across processes)."""
    digest = hashlib.sha256(b"motive-conversation:" + thread_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresTurnLocks(TurnLocks):
    """``pg_try_advisory_lock`` on a connection opened for the turn: the lock is the server's, so
    every app process sharing the database sees it, and it goes when the connection does."""

    def __init__(self, conninfo: str, timeout: float = TURN_WAIT):
        super().__init__(timeout)
        self._conninfo = conninfo

    @contextmanager
    def _across(self, thread_id: str, deadline: float) -> Iterator[None]:
        import psycopg

        key = advisory_key(thread_id)
        with psycopg.Connection.connect(self._conninfo, autocommit=True) as conn:
            while not conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:
                if time.monotonic() > deadline:
                    raise self._busy(thread_id)
                time.sleep(_POLL)
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def sqlite_path(saver: SqliteSaver) -> Path | None:
    """The file behind a SQLite saver, or None for an in-memory database."""
    rows = saver.conn.execute("PRAGMA database_list").fetchall()
    file = next((row[2] for row in rows if row[1] == "main"), "")
    return Path(file) if file else None


def turn_locks_for(checkpointer, timeout: float = TURN_WAIT) -> TurnLocks:
    """The turn locks that go with ``checkpointer``: across processes for SQLite files and
    PostgreSQL, within the process for anything else (an in-memory saver lives in one process)."""
    if isinstance(checkpointer, SqliteSaver):
        path = sqlite_path(checkpointer)
        if path is not None:
            return FileTurnLocks(path.with_name(path.name + ".locks"), timeout)
    conn = getattr(checkpointer, "conn", None)
    if type(checkpointer).__name__ == "PostgresSaver" and hasattr(conn, "info"):
        from psycopg.conninfo import make_conninfo

        params = {"password": conn.info.password} if conn.info.password else {}
        return PostgresTurnLocks(make_conninfo(conn.info.dsn, **params), timeout)
    return TurnLocks(timeout)


# --------------------------------------------------------------------------------------------
# Bounded storage and deletes that leave nothing behind


def prune_thread(checkpointer, thread_id: str) -> None:
    """Keep only the latest checkpoint of ``thread_id`` (the one the next turn continues from).

    Call it with the conversation's turn lock held, after a turn or an edit completed. Savers
    other than SQLite and PostgreSQL (the in-memory one of tests) are left as they are."""
    if isinstance(checkpointer, SqliteSaver):
        with checkpointer.cursor() as cur:
            row = cur.execute("SELECT checkpoint_id FROM checkpoints WHERE thread_id=? AND checkpoint_ns='' "
                              "ORDER BY checkpoint_id DESC LIMIT 1", (thread_id,)).fetchone()
            if row is None:
                return
            for table in ("writes", "checkpoints"):
                cur.execute(f"DELETE FROM {table} WHERE thread_id=? AND checkpoint_id != ?", (thread_id, row[0]))
    elif type(checkpointer).__name__ == "PostgresSaver":
        checkpointer.prune([thread_id], strategy="keep_latest")


def scrub(checkpointer) -> None:
    """Make rows deleted from ``checkpointer`` unreadable on disk (see the module docstring)."""
    if isinstance(checkpointer, SqliteSaver):
        with checkpointer.lock:
            scrub_sqlite(checkpointer.conn)
    elif type(checkpointer).__name__ == "PostgresSaver":
        with checkpointer._cursor() as cur:
            for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes"):
                cur.execute(f"VACUUM FULL {table}")


def scrub_sqlite(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """Overwrite freed pages, rebuild the file and empty its write-ahead log.

    Another process reading the database at that instant keeps the log from being emptied; the
    checkpoint is retried for up to ``attempts`` × 0.1 s, then the error says so."""
    conn.commit()
    conn.execute("PRAGMA secure_delete=ON")
    conn.execute("VACUUM")
    for _ in range(attempts):
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy is None or busy[0] == 0:
            return
        time.sleep(0.1)
    raise ConversationBusy("another process kept reading the conversation database, so its write-ahead "
                           "log could not be emptied; run `motive forget` again")
