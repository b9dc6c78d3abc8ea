"""Shared fixtures: no test reaches beyond loopback, and no test touches the user's ~/.motive."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else None
    if isinstance(host, str) and host not in ("localhost",):
        try:
            loopback = ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ConnectionRefusedError(f"tests may not reach the network: connect to {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for key in list(__import__("os").environ):
        if key.startswith("MOTIVE_") or key.startswith("OPENAI_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory):
    """The real local MiniLM, loaded once per test session, with a session-wide vector cache."""
    from agent.embeddings import CachedEmbedder, OnnxMiniLMEmbedder

    return CachedEmbedder(OnnxMiniLMEmbedder(), tmp_path_factory.mktemp("vectors") / "cache.sqlite3")


@pytest.fixture(scope="session")
def warm_deps(tmp_path_factory: pytest.TempPathFactory, embedder):
    """Offline dependencies with both built-in catalogs indexed once for the whole session."""
    from agent.deps import build_deps
    from agent.settings import Settings

    deps = build_deps(Settings(data_dir=tmp_path_factory.mktemp("motive-data")), embedder=embedder)
    deps.catalog("boutique")
    deps.catalog("wholesale")
    return deps


@pytest.fixture
def conversations(warm_deps):
    """Offline conversations (no LLM, no fakes) with an in-memory checkpointer."""
    from langgraph.checkpoint.memory import InMemorySaver

    from graph.session import Conversations, checkpoint_serde

    return Conversations(warm_deps, InMemorySaver(serde=checkpoint_serde()))


@pytest.fixture
def llm_conversations(warm_deps):
    """Factory: conversations driven by a scripted fake chat model."""
    import dataclasses

    from langgraph.checkpoint.memory import InMemorySaver

    from agent.llm import LLM
    from graph.session import Conversations, checkpoint_serde

    def make(model):
        deps = dataclasses.replace(warm_deps, llm=LLM(model))
        return Conversations(deps, InMemorySaver(serde=checkpoint_serde()))

    return make
