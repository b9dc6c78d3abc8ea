"""Ranking metrics for offline evaluation: pure functions of ranks, no state, no I/O.

A *rank* is 1-based: the target at the top of the list has rank 1. A case whose target was never
ranked (filtered out, or not a candidate) carries ``rank = 0`` and counts as a miss everywhere.

Ties are broken against the target (:func:`target_ranks`): a method that gives many items the same
score cannot profit from where the target happens to sit among them.

Conventions follow recommenders-team/recommenders' ``python_evaluation.py``: each metric states its
range, and the mean over cases is what the benchmark tables print.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np


def target_ranks(scores: np.ndarray, targets: Sequence[int] | np.ndarray) -> np.ndarray:
    """The 1-based rank of each row's target among that row's scores (higher score = better).

    ``scores`` has shape ``(cases, candidates)``; ``targets[i]`` is the column of case *i*'s target.
    A tie counts against the target: its rank is the number of candidates scoring at least as
    much as it does. A target scored ``-inf`` (masked out) therefore ranks last, which is a miss
    for every K smaller than the number of candidates.

    Returns an int array of shape ``(cases,)``, values in ``[1, candidates]``.
    """
    scores = np.asarray(scores)
    if scores.ndim != 2:
        raise ValueError(f"scores must be 2-d (cases, candidates), got shape {scores.shape}")
    targets = np.asarray(targets, dtype=np.int64)
    if targets.shape != (scores.shape[0],):
        raise ValueError(f"need one target per row: {targets.shape} targets for {scores.shape[0]} rows")
    target_scores = scores[np.arange(scores.shape[0]), targets]
    return (scores >= target_scores[:, None]).sum(axis=1).astype(np.int64)


def _ranks(ranks: Iterable[int] | np.ndarray) -> np.ndarray:
    arr = np.asarray(list(ranks) if not isinstance(ranks, np.ndarray) else ranks, dtype=np.int64)
    if arr.ndim != 1:
        raise ValueError("ranks must be a 1-d sequence")
    if (arr < 0).any():
        raise ValueError("ranks are 1-based; 0 marks an unranked target; negatives are invalid")
    return arr


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"K must be at least 1, got {k}")


def hit_rate_at_k(ranks: Iterable[int] | np.ndarray, k: int) -> float:
    """HR@K: the share of cases whose target is in the top K (one relevant item per case).

    Range ``[0, 1]``; 1 means every target was in the top K. ``nan`` for no cases.
    """
    _check_k(k)
    arr = _ranks(ranks)
    if arr.size == 0:
        return float("nan")
    return float(((arr >= 1) & (arr <= k)).mean())


def ndcg_at_k(ranks: Iterable[int] | np.ndarray, k: int) -> float:
    """NDCG@K with one relevant item per case: ``1 / log2(rank + 1)`` if ``rank <= K`` else 0,
    averaged over cases (the ideal DCG is 1, so DCG is already normalised).

    Range ``[0, 1]``; 1 means every target was ranked first. ``nan`` for no cases.
    """
    _check_k(k)
    arr = _ranks(ranks)
    if arr.size == 0:
        return float("nan")
    hit = (arr >= 1) & (arr <= k)
    gains = np.zeros(arr.shape, dtype=np.float64)
    gains[hit] = 1.0 / np.log2(arr[hit] + 1.0)
    return float(gains.mean())


def recall_at_k(ranks: Iterable[int] | np.ndarray, k: int) -> float:
    """Recall@K over (case, relevant item) pairs, as the CIKM'23 zero-shot CRS study counts it:
    every ground-truth item of a turn is its own case, ranked on its own, so a turn with two
    ground-truth items contributes two cases. ``ranks`` holds one rank per pair.

    Numerically the same as :func:`hit_rate_at_k` on those pairs. Range ``[0, 1]``; ``nan`` for no
    pairs.
    """
    return hit_rate_at_k(ranks, k)


def recall_of_list(ranked: Sequence[object], relevant: Iterable[object], k: int) -> float:
    """Recall@K of one ranked list: the share of ``relevant`` items found in ``ranked[:k]``.

    Range ``[0, 1]``; ``nan`` when ``relevant`` is empty.
    """
    _check_k(k)
    wanted = set(relevant)
    if not wanted:
        return float("nan")
    return len(wanted & set(ranked[:k])) / len(wanted)


def mean_reciprocal_rank(ranks: Iterable[int] | np.ndarray) -> float:
    """MRR: the mean of ``1 / rank`` over cases (an unranked target, rank 0, contributes 0).

    Range ``(0, 1]`` for ranked targets, ``[0, 1]`` overall; ``nan`` for no cases.
    """
    arr = _ranks(ranks)
    if arr.size == 0:
        return float("nan")
    rr = np.zeros(arr.shape, dtype=np.float64)
    ranked = arr >= 1
    rr[ranked] = 1.0 / arr[ranked]
    return float(rr.mean())
