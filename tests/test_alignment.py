"""MAR scoring on vectors chosen by hand, so every score can be checked with a pencil."""

from __future__ import annotations

import numpy as np
import pytest

from agent.alignment import RETRIEVAL_SHARE, Aligner, Candidate
from agent.models import Item, Motive

VECTORS = {"wants warmth for winter": [1.0, 0.0], "warm in winter": [1.0, 0.0],
           "likes bright colours": [0.0, 1.0], "bright red": [0.0, 1.0]}


class TableEmbedder:
    name, dim = "table", 2

    def embed(self, texts):
        return np.array([VECTORS.get(t, [0.6, 0.8]) for t in texts], dtype=np.float32).reshape(len(texts), 2)


COAT = Item(id="C1", title="Coat", price=100)
TRAITS = {"C1": (np.array([VECTORS["warm in winter"]], dtype=np.float32), [("functional", "warm in winter")])}


def score(*motives: Motive, similarity: float = 0.5) -> float:
    return Aligner(TableEmbedder()).score([Candidate(COAT, similarity)], list(motives), TRAITS)[0].score


def test_a_conversation_motive_served_fully_scores_its_full_share():
    m = Motive(text="wants warmth for winter", confidence=0.8, source="conversation")
    assert score(m) == pytest.approx(RETRIEVAL_SHARE * 0.5 + (1 - RETRIEVAL_SHARE) * 1.0)


def test_a_lone_history_motive_keeps_its_discount():
    """No motive from the conversation: the history motive counts at HISTORY_WEIGHT (0.6), not at
    full strength, so what the person asked for now (the retrieval similarity) keeps the lead."""
    m = Motive(text="wants warmth for winter", confidence=0.8, source="history")
    assert score(m) == pytest.approx(RETRIEVAL_SHARE * 0.5 + (1 - RETRIEVAL_SHARE) * 0.6)


def test_history_and_conversation_motives_share_by_confidence():
    served = Motive(text="wants warmth for winter", confidence=0.5, source="history")        # a = 1
    unserved = Motive(text="likes bright colours", confidence=0.5, source="conversation")   # a = 0
    # (0.5 * 0.6 * 1 + 0.5 * 1 * 0) / (0.5 + 0.5) = 0.3
    assert score(served, unserved) == pytest.approx(RETRIEVAL_SHARE * 0.5 + (1 - RETRIEVAL_SHARE) * 0.3)


def test_a_motive_is_never_explained_by_the_trait_of_what_it_contradicts(embedder):
    # The README's screenshot: 'wants breathable fabrics for summer heat' <-> a merino dress's
    # 'cosy winter warmth' (antonyms sit close in MiniLM).
    aligner = Aligner(embedder)
    assert "cosy winter warmth" in aligner.opposed_traits()["wants breathable fabrics for summer heat"]
    assert "breathable in summer heat" in aligner.opposed_traits()["needs warmth for cold weather"]
    # A motive keeps its own trait even when what it opposes sits nearest that trait too.
    assert "classic timeless design" not in aligner.opposed_traits()["wants a timeless piece that lasts for years"]
    phrases = ["cosy winter warmth", "luxurious texture"]
    dress = Item(id="D1", title="Merino Rib Dress", price=690)
    traits = {"D1": (embedder.embed(phrases), [("functional", phrases[0]), ("aesthetic", phrases[1])])}
    cool = Motive(text="wants breathable fabrics for summer heat", confidence=0.9)
    scored = aligner.score([Candidate(dress, 0.5)], [cool], traits)[0]
    assert all(m.trait != "cosy winter warmth" for m in scored.matches)
    warm = Motive(text="needs warmth for cold weather", confidence=0.9)
    assert [m.trait for m in aligner.score([Candidate(dress, 0.5)], [warm], traits)[0].matches] == ["cosy winter warmth"]
