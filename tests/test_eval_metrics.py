"""Ranking metrics against values computed by hand on tiny examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from apps.evaluation.metrics import (hit_rate_at_k, mean_reciprocal_rank, ndcg_at_k, recall_at_k,
                                      recall_of_list, target_ranks)


def test_target_ranks_counts_ties_against_the_target():
    scores = np.array([
        [0.9, 0.5, 0.1],   # target 1 has one better item: rank 2
        [0.2, 0.2, 0.1],   # target 0 ties with item 1: rank 2, not 1
        [0.3, 0.3, 0.3],   # all tied: the target is last, rank 3
    ])
    assert target_ranks(scores, [1, 0, 2]).tolist() == [2, 2, 3]


def test_a_masked_target_ranks_last():
    scores = np.array([[0.1, -np.inf, 0.0, 0.5]])
    assert target_ranks(scores, [1]).tolist() == [4]


def test_target_ranks_rejects_bad_shapes():
    with pytest.raises(ValueError):
        target_ranks(np.zeros(3), [0])
    with pytest.raises(ValueError):
        target_ranks(np.zeros((2, 3)), [0])


def test_hit_rate_by_hand():
    ranks = [1, 3, 11, 0]  # 0: never ranked
    assert hit_rate_at_k(ranks, 1) == 0.25
    assert hit_rate_at_k(ranks, 5) == 0.5
    assert hit_rate_at_k(ranks, 10) == 0.5
    assert hit_rate_at_k(ranks, 11) == 0.75


def test_ndcg_by_hand():
    # ranks 1 and 3 are hits at K=10: (1/log2(2) + 1/log2(4)) / 4 = (1 + 0.5) / 4
    assert ndcg_at_k([1, 3, 11, 0], 10) == pytest.approx(0.375)
    assert ndcg_at_k([2], 3) == pytest.approx(1 / math.log2(3))  # 0.6309
    assert ndcg_at_k([4], 3) == 0.0
    assert ndcg_at_k([1, 1], 5) == 1.0


def test_recall_counts_each_ground_truth_item_as_its_own_case():
    # one turn with two ground-truth movies ranked 1 and 30, one turn with one movie ranked 7
    ranks = [1, 30, 7]
    assert recall_at_k(ranks, 1) == pytest.approx(1 / 3)
    assert recall_at_k(ranks, 10) == pytest.approx(2 / 3)
    assert recall_at_k(ranks, 50) == 1.0


def test_recall_of_one_list():
    assert recall_of_list(["a", "b", "c"], {"b", "d"}, 2) == 0.5
    assert recall_of_list(["a", "b", "c"], {"b", "d"}, 1) == 0.0
    assert math.isnan(recall_of_list(["a"], set(), 1))


def test_mrr_by_hand():
    assert mean_reciprocal_rank([1, 4, 0]) == pytest.approx((1 + 0.25 + 0) / 3)


def test_empty_input_is_nan_and_bad_input_raises():
    assert math.isnan(hit_rate_at_k([], 10))
    assert math.isnan(ndcg_at_k([], 10))
    with pytest.raises(ValueError):
        hit_rate_at_k([1], 0)
    with pytest.raises(ValueError):
        ndcg_at_k([-1], 10)


@pytest.mark.parametrize("fn", [hit_rate_at_k, ndcg_at_k, recall_at_k])
def test_metrics_stay_in_range(fn):
    rng = np.random.default_rng(0)
    ranks = rng.integers(0, 100, size=500)
    value = fn(ranks, 10)
    assert 0.0 <= value <= 1.0
