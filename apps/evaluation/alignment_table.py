"""Motive's alignment (MAR, :mod:`agent.alignment`) vectorised over a whole catalog.

:class:`agent.alignment.Aligner` scores a short list of candidates per turn; a benchmark scores
every item for thousands of cases. The formula is the same (and a test checks the two agree):
``a_i(m) = max_t cos(m, t)`` over item *i*'s trait phrases, ``align_i`` the motive-weighted mean
of ``a_i(m)``, and the score ``RETRIEVAL_SHARE * s + (1 - RETRIEVAL_SHARE) * align + LIKE_WEIGHT
* like``, with the constants imported from :mod:`agent.alignment`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from agent.alignment import LIKE_WEIGHT, RETRIEVAL_SHARE, alignment_norm, motive_weight
from agent.models import Item, Motive, Traits


class AlignmentTable:
    """``a_i(m) = max_t cos(m, t)`` of :mod:`agent.alignment` for every (motive text, item),
    vectorised: every distinct trait phrase is embedded once and each distinct motive text once.

    ``traits[i]`` are the traits of item *i* (None: an item without traits, which aligns at 0, as
    :class:`agent.alignment.Aligner` scores it).
    """

    def __init__(self, embedder, traits: Sequence[Traits | None]):
        self.embedder = embedder
        labels = [[p for _, p in t.phrases()] if t is not None else [] for t in traits]
        phrases = list(dict.fromkeys(p for ps in labels for p in ps))
        self.phrase_vectors = (embedder.embed(phrases) if phrases
                               else np.zeros((0, embedder.dim), np.float32))
        index = {p: i for i, p in enumerate(phrases)}
        width = max((len(ps) for ps in labels), default=0)
        # Padded (items, width) phrase indices; padding points at an extra column of -inf.
        self._padded = np.full((len(labels), max(width, 1)), len(phrases), dtype=np.int64)
        for i, ps in enumerate(labels):
            self._padded[i, :len(ps)] = [index[p] for p in ps]
        self._has_traits = np.array([bool(ps) for ps in labels], dtype=bool)
        self.n_items = len(labels)
        self._rows: dict[str, np.ndarray] = {}

    @classmethod
    def for_items(cls, embedder, items: Sequence[Item], traits: dict[str, Traits]) -> "AlignmentTable":
        return cls(embedder, [traits.get(item.id) for item in items])

    def rows(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), items)``: each text's best trait cosine per item (0 for an item without
        traits)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._rows]
        if missing:
            sims = self.embedder.embed(missing) @ self.phrase_vectors.T  # (texts, phrases)
            sims = np.concatenate([sims, np.full((len(missing), 1), -np.inf, np.float32)], axis=1)
            for t, sim in zip(missing, sims):
                row = sim[self._padded].max(axis=1)
                self._rows[t] = np.where(self._has_traits, row, 0.0).astype(np.float32)
        if not texts:
            return np.zeros((0, self.n_items), dtype=np.float32)
        return np.stack([self._rows[t] for t in texts])

    def alignment(self, motives: Sequence[Motive]) -> np.ndarray:
        """``align_i = sum_m w_m a_i(m) / sum_m w_m`` over active motives (zeros when none)."""
        active = [m for m in motives if m.active and m.confidence > 0]
        if not active:
            return np.zeros(self.n_items, dtype=np.float32)
        weights = np.array([motive_weight(m) for m in active], dtype=np.float32)
        return (weights @ self.rows([m.text for m in active])) / alignment_norm(active)


def mar_scores(similarity: np.ndarray, alignment: np.ndarray, like: np.ndarray,
               has_motives: np.ndarray) -> np.ndarray:
    """The MAR formula of :mod:`agent.alignment`, for whole score matrices at once::

        score = RETRIEVAL_SHARE * s + (1 - RETRIEVAL_SHARE) * align + LIKE_WEIGHT * like

    and ``s + LIKE_WEIGHT * like`` for cases without an active motive (``has_motives`` False).
    """
    with_motives = RETRIEVAL_SHARE * similarity + (1 - RETRIEVAL_SHARE) * alignment
    base = np.where(has_motives[:, None], with_motives, similarity)
    return (base + LIKE_WEIGHT * like).astype(np.float32)
