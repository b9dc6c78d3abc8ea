"""The store against a real ``chroma run`` server on loopback, and against no server at all."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from agent.models import Constraints, Item
from agent.store import CatalogStore, StoreUnavailable
from tests.fakes import HashEmbedder
from tests.servers import free_port, start_server, stop

pytestmark = pytest.mark.server


def make_items(n: int) -> list[Item]:
    return [
        Item(
            id=f"item-{i}",
            title=f"Item {i}",
            brand=["Acme", "SafeCo", ""][i % 3],
            category=["gloves", "boots"][i % 2],
            price=float(10 + (i * 37) % 200),
            availability=["in_stock", "out_of_stock", "low_stock"][i % 3],
            attributes={"material": ["silk", "nitrile", "leather"][i % 3]}
            | ({"moq": [10, 1000][i % 2]} if i % 4 else {}),
        )
        for i in range(n)
    ]

HEARTBEAT_TIMEOUT = 60.0


def chroma_cli() -> Path:
    cli = Path(sys.executable).parent / "chroma"
    if not cli.exists():
        pytest.fail(f"the chroma CLI is not next to {sys.executable}; is chromadb installed in this venv?")
    return cli


def start_chroma(data: Path, port: int, log: Path) -> subprocess.Popen:
    """``chroma run`` on loopback, returned once it answers its heartbeat."""
    return start_server(
        [str(chroma_cli()), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        f"http://127.0.0.1:{port}/api/v2/heartbeat", log, HEARTBEAT_TIMEOUT, "chroma run")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, int, subprocess.Popen]]:
    port = free_port()
    proc = start_chroma(tmp_path / "data", port, tmp_path / "chroma.log")
    try:
        yield "127.0.0.1", port, proc
    finally:
        stop(proc)


def test_store_on_a_chroma_server(chroma_server: tuple[str, int, subprocess.Popen]) -> None:
    host, port, proc = chroma_server
    embedder = HashEmbedder()
    store = CatalogStore(embedder, host=host, port=port)
    items = make_items(40)
    stats = store.ingest("wholesale", items)
    assert (stats.added, stats.total) == (40, 40)
    assert store.catalogs() == ["wholesale"]

    calls = embedder.calls
    assert store.ingest("wholesale", items).unchanged == 40
    assert embedder.calls == calls

    query = embedder.embed([items[9].text()])[0]
    hits = store.search("wholesale", query, k=3)
    assert hits[0][0] == items[9] and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    constraints = Constraints(budget_max=150, in_stock_only=True, max_moq=100, exclude_terms=["silk"])
    hits = store.search("wholesale", query, k=5, constraints=constraints)
    assert hits and all(not constraints.violations(item) for item, _ in hits)

    assert store.get("wholesale", ["item-1", "nope"]) == {"item-1": items[1]}
    assert store.count("wholesale") == 40
    assert len(store.all_items("wholesale")) == 40

    # A second client sees the same data (it lives in the server, not in this process).
    assert CatalogStore(HashEmbedder(), host=host, port=port).count("wholesale") == 40

    # The server going away mid-session is reported as StoreUnavailable, not a raw httpx error.
    stop(proc)
    with pytest.raises(StoreUnavailable, match=f"{host}:{port}"):
        store.search("wholesale", query, k=3)


def test_unreachable_server_raises_store_unavailable() -> None:
    port = free_port()  # bound and released: nothing listens there
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as info:
        CatalogStore(HashEmbedder(), host="127.0.0.1", port=port, connect_timeout=2.0)
    assert time.monotonic() - started < 10
    message = str(info.value)
    assert f"127.0.0.1:{port}" in message and "chroma run" in message


def test_a_conversation_on_a_chroma_server(chroma_server, embedder, tmp_path: Path) -> None:
    """The same agent code, configured with MOTIVE_CHROMA_HOST/PORT, keeps its catalogs on the server."""
    from agent.deps import build_deps
    from agent.settings import Settings
    from graph.session import Conversations, sqlite_checkpointer

    host, port, _ = chroma_server
    settings = Settings.load({"MOTIVE_DATA_DIR": str(tmp_path), "MOTIVE_CHROMA_HOST": host,
                              "MOTIVE_CHROMA_PORT": str(port)})
    deps = build_deps(settings, embedder=embedder)
    assert deps.store.host == host and "Chroma server" in settings.describe()
    conversations = Conversations(deps, sqlite_checkpointer(tmp_path / "conversations.sqlite3"))
    out = conversations.send(conversations.new_thread_id(), "nitrile gloves for a food processing line",
                             catalog="wholesale")
    assert out.act == "recommend" and out.recommendations and out.reflection.passed
    with CatalogStore(embedder, host=host, port=port) as other_client:  # a second client, as another process would
        assert other_client.count("wholesale") == deps.catalog("wholesale").size
