"""A small Okapi BM25 over a fixed set of documents, with numpy only.

Postings are precomputed as BM25 weights per (term, document), so scoring a query is one
``np.add.at`` per distinct query term: thousands of queries over thousands of documents take
seconds. ``rank_bm25.BM25Okapi`` computes the same scores (its default ``k1=1.5, b=0.75`` and
idf floor) but scans every document per query term, which is too slow for full-ranking
evaluation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Sequence

import numpy as np

from agent.reading.lexicon import language

_TOKEN = re.compile(r"[a-z0-9]+(?:[.\-/][a-z0-9]+)*")

STOPWORDS = language("en").stopwords.documents
"""The classic short list (``agent/reading/lang/en/stopwords.toml``, ``documents``): item texts use
the reader's other stopwords as product words ('made in Portugal')."""


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens (keeping '1.75mm'-style tokens whole), stopwords dropped."""
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS and len(t) > 1]


class BM25Index:
    """BM25 (Okapi) scores of queries against ``documents``.

    ``idf(t) = log((N - df + 0.5) / (df + 0.5))``, floored at ``epsilon * mean idf`` as in
    ``rank_bm25.BM25Okapi``; a document's weight for term *t* is
    ``idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avg_len))``.
    """

    def __init__(self, documents: Sequence[str], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25):
        self.k1, self.b = k1, b
        self.n_docs = len(documents)
        tokenized = [tokenize(d) for d in documents]
        lengths = np.array([len(t) for t in tokenized], dtype=np.float64)
        avg = float(lengths.mean()) if self.n_docs else 0.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for doc, tokens in enumerate(tokenized):
            for term, tf in Counter(tokens).items():
                postings.setdefault(term, []).append((doc, tf))
        idf = {t: math.log((self.n_docs - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        floor = epsilon * (sum(idf.values()) / len(idf)) if idf else 0.0
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, plist in postings.items():
            docs = np.array([d for d, _ in plist], dtype=np.int64)
            tf = np.array([f for _, f in plist], dtype=np.float64)
            norm = self.k1 * (1 - self.b + self.b * lengths[docs] / max(avg, 1e-9))
            weight = floor if idf[term] < 0 else idf[term]
            self._postings[term] = (docs, (weight * tf * (self.k1 + 1) / (tf + norm)).astype(np.float32))

    def score(self, query: str | Iterable[str], query_weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document for ``query`` (a string, or tokens); shape ``(n_docs,)``.

        A repeated query term counts once per occurrence, as in ``rank_bm25``; ``query_weights``
        replaces those counts when given (term -> weight).
        """
        tokens = tokenize(query) if isinstance(query, str) else list(query)
        counts = query_weights if query_weights is not None else Counter(tokens)
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term, qtf in counts.items():
            posting = self._postings.get(term)
            if posting is None or qtf == 0:
                continue
            docs, weights = posting
            out[docs] += qtf * weights
        return out
