"""Choosing the weights of a linear blend of score matrices on held-out cases, by coordinate ascent.

Pure functions of arrays: the caller builds the feature matrices (one ``(cases, items)`` array per
signal) on data the weights may be tuned on (never the test split) and gets back the weights that
maximise the objective there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from apps.evaluation.metrics import hit_rate_at_k, ndcg_at_k, target_ranks

DEFAULT_GRID: tuple[float, ...] = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


@dataclass
class TuningSet:
    """Held-out cases with their feature matrices; ``mask`` marks items that may not be ranked."""

    features: Mapping[str, np.ndarray]
    """Signal name -> ``(cases, items)`` scores (or ``(1, items)``, broadcast to every case)."""
    targets: np.ndarray
    mask: np.ndarray | None = None


def blend(features: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """``sum_k weights[k] * features[k]`` over the weights that are not zero."""
    total: np.ndarray | None = None
    for name, weight in weights.items():
        if not weight:
            continue
        part = weight * features[name]
        total = part if total is None else total + part
    if total is None:
        raise ValueError("every blend weight is zero")
    return total


def default_objective(ranks: np.ndarray) -> float:
    """HR@10 + NDCG@10: rewards both getting the target into the list and placing it high."""
    return hit_rate_at_k(ranks, 10) + ndcg_at_k(ranks, 10)


def evaluate_blend(sets: Sequence[TuningSet], weights: Mapping[str, float],
                   objective: Callable[[np.ndarray], float] = default_objective) -> float:
    """The objective over every case of every set (cases weigh equally)."""
    ranks = []
    for s in sets:
        scores = blend(s.features, weights)
        if scores.shape[0] != len(s.targets):
            scores = np.broadcast_to(scores, (len(s.targets), scores.shape[1]))
        if s.mask is not None:
            scores = np.where(s.mask, -np.inf, scores)
        ranks.append(target_ranks(scores, s.targets))
    return objective(np.concatenate(ranks))


def coordinate_ascent(sets: Sequence[TuningSet], start: Mapping[str, float],
                      fixed: Sequence[str] = (), grid: Sequence[float] = DEFAULT_GRID,
                      rounds: int = 3,
                      objective: Callable[[np.ndarray], float] = default_objective
                      ) -> tuple[dict[str, float], float]:
    """Improve ``start`` one weight at a time over ``grid`` until a round changes nothing.

    ``fixed`` names weights that stay as given (one weight must stay fixed: a blend's scale does
    not change its ranking). Returns the best weights and their objective value.
    """
    weights = dict(start)
    best = evaluate_blend(sets, weights, objective)
    for _ in range(rounds):
        changed = False
        for name in weights:
            if name in fixed:
                continue
            for value in grid:
                if value == weights[name]:
                    continue
                trial = dict(weights, **{name: value})
                if not any(trial.values()):
                    continue
                score = evaluate_blend(sets, trial, objective)
                if score > best + 1e-9:
                    best, weights, changed = score, trial, True
        if not changed:
            break
    return weights, best
