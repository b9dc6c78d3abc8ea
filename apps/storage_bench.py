"""``motive bench-storage``: bytes on disk per conversation turn, measured.

One conversation runs offline on the boutique catalog, its turns cycling through a short script,
into a fresh SQLite checkpointer in a temporary folder; after 10, 50 and 200 turns (``--turns``)
the size of the database file and its write-ahead log is read from the file system and printed
with the bytes per turn, the log's share (SQLite reuses the log once it reaches about 4 MB,
1000 pages, so it stops growing there) and the checkpoints the thread holds.

The module uses nothing but ``Conversations(deps, sqlite_checkpointer(path)).send``, so the same
file can measure an older checkout (``PYTHONPATH=<old checkout> python apps/storage_bench.py``),
which is how the "before" figures in the README were taken.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = [
    "a silk scarf for my mother's birthday",
    "under $300 please",
    "not red, she never wears red",
    "something warmer for the winter",
    "tell me more about the first one",
    "more minimalist",
    "what sizes does the second one come in?",
    "I like the colours, something similar but cheaper",
    "start over",
    "a dress for a summer wedding in Provence, elegant but relaxed",
]
"""What the person says, in a loop; 'start over' keeps the belief from growing without end, as in
a long real session."""

DEFAULT_TURNS = (10, 50, 200)


def disk_bytes(db: Path) -> int:
    """Bytes the SQLite database takes on disk: the file, its write-ahead log and shared index."""
    return sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
               if p.exists())


def checkpoint_rows(db: Path, thread: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id=?", (thread,)).fetchone()[0]


def measure(deps, folder: Path, marks: list[int], out=sys.stdout) -> list[dict]:
    """Run one conversation to ``max(marks)`` turns; a row of figures at each mark."""
    from graph.session import Conversations, sqlite_checkpointer

    db = folder / "conversations.sqlite3"
    conversations = Conversations(deps, sqlite_checkpointer(db))
    thread, rows, started = "bench-storage", [], time.perf_counter()
    print(f"{'turns':>6} {'bytes on disk':>14} {'bytes/turn':>11} {'of which WAL':>13} {'checkpoints':>12} "
          f"{'s/turn (last 10)':>17}", file=out, flush=True)
    recent: list[float] = []
    for turn in range(1, max(marks) + 1):
        t0 = time.perf_counter()
        conversations.send(thread, SCRIPT[(turn - 1) % len(SCRIPT)], catalog="boutique")
        recent = (recent + [time.perf_counter() - t0])[-10:]
        if turn in marks:
            size = disk_bytes(db)
            wal = db.with_name(db.name + "-wal")
            row = {"turns": turn, "bytes": size, "bytes_per_turn": round(size / turn),
                   "wal_bytes": wal.stat().st_size if wal.exists() else 0,
                   "checkpoints": checkpoint_rows(db, thread), "seconds_per_turn": sum(recent) / len(recent)}
            rows.append(row)
            print(f"{turn:>6} {size:>14,} {row['bytes_per_turn']:>11,} {row['wal_bytes']:>13,} "
                  f"{row['checkpoints']:>12} {row['seconds_per_turn']:>17.2f}", file=out, flush=True)
    print(f"({time.perf_counter() - started:.0f} s in all)", file=out)
    return rows


def run(settings, marks: list[int], json_path: Path | None = None) -> int:
    from agent.deps import build_deps

    deps = build_deps(settings)
    deps.catalog("boutique")
    with tempfile.TemporaryDirectory(prefix="motive-storage-") as tmp:
        rows = measure(deps, Path(tmp), sorted(set(marks)))
    if json_path is not None:
        json_path.write_text(json.dumps({"turns": rows}, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, nargs="+", default=list(DEFAULT_TURNS))
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    from agent.settings import Settings

    return run(Settings.load(), args.turns, Path(args.json) if args.json else None)


if __name__ == "__main__":
    sys.exit(main())
