"""MAR: score candidates by how well their traits serve the person's motives.

For candidate *i* with retrieval similarity ``s_i`` (cosine of the request and the item text),
trait-phrase vectors ``T_i`` and the active motives *m* with weights
``w_m = confidence_m * (1.0 if from the conversation else HISTORY_WEIGHT)``::

    a_i(m)  = max_{t in T_i} cos(m, t)                       best trait for motive m
    align_i = sum_m w_m * a_i(m) / sum_m confidence_m         motive alignment, in [-1, 1]
    score_i = RETRIEVAL_SHARE * s_i + (1 - RETRIEVAL_SHARE) * align_i
              + LIKE_WEIGHT * max cos(item_i, liked)           items like ones the person liked
              - DISLIKE_WEIGHT * max_t cos(t, dislike)         traits the person asked for less of
              - AVAILABILITY_PENALTY[availability_i]            what cannot ship now ranks lower

With no active motive, ``score_i = s_i`` (plus the like/dislike terms). Every recommendation's
explanation names the motive and the trait with the largest contribution ``w_m * a_i(m)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agent.embeddings import Embedder
from agent.models import Item, Motive, Recommendation, TraitMatch, Traits

RETRIEVAL_SHARE = 0.45
HISTORY_WEIGHT = 0.6
LIKE_WEIGHT = 0.15
DISLIKE_WEIGHT = 0.25
AVAILABILITY_PENALTY = {"out_of_stock": 0.08, "made_to_order": 0.03}
"""Out-of-stock items stay recommendable (the person may wait) but below comparable ones."""
PREFERENCE_WEIGHT = 0.12
"""Added for the share of the person's soft preferences an item meets ('ideally navy')."""
MATCH_FLOOR = 0.4
OWN_TRAIT_FLOOR = 0.6
"""A vocabulary motive's nearest trait phrase is its own trait only this close (cosine)."""
"""A motive-trait pair below this cosine is too weak to cite in an explanation."""


@dataclass(frozen=True)
class Candidate:
    """A retrieved item with its retrieval similarity, before alignment."""

    item: Item
    similarity: float


def motive_weight(motive: Motive) -> float:
    return motive.confidence * (1.0 if motive.source == "conversation" else HISTORY_WEIGHT)


def alignment_norm(motives: list[Motive]) -> float:
    """What a motive-weighted sum is divided by: the motives' confidences, so history motives keep
    their HISTORY_WEIGHT discount even when no motive from the conversation competes with them
    (dividing by the weights themselves would restore them to full strength when alone). A motive
    read from the kind of item alone ('nitrile gloves' -> protecting hands) counts at full
    strength here, so alone it explains the picks without re-ranking what was asked for."""
    from agent.motives import kind_purpose

    return float(sum(1.0 if kind_purpose(m.text) else m.confidence for m in motives)) or 1.0


@dataclass
class Scored:
    item: Item
    score: float
    similarity: float
    alignment: float
    matches: list[TraitMatch]


class Aligner:
    """Scores candidates against motives. ``trait_vectors`` maps item id to the matrix of its
    trait-phrase vectors and their ``(dimension, phrase)`` labels (see ``agent.traits.TraitIndex``).
    """

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._opposed: dict[str, frozenset[str]] | None = None

    def opposed_traits(self) -> dict[str, frozenset[str]]:
        """Vocabulary motive text -> the trait phrases of the motives it contradicts. Each motive's
        trait is the phrase nearest its canonical text (the vocabulary's texts were written so:
        'needs warmth for cold weather' -> 'cosy winter warmth'). Without this, 'wants breathable
        fabrics for summer heat' was explained by a merino dress's 'cosy winter warmth' (the two
        sit close in MiniLM, as antonyms do)."""
        if self._opposed is None:
            from agent.vocabulary import MOTIVES, MOTIVES_BY_ID, OPPOSITES, TRAIT_VOCABULARY

            phrases = [t.text for group in TRAIT_VOCABULARY.values() for t in group]
            texts = [m.text for m in MOTIVES]
            sims = self.embedder.embed(texts) @ self.embedder.embed(phrases).T
            # A motive's own trait, when one stands out (a motive with no close phrase has none).
            own = {m.id: phrases[int(sims[i].argmax())] for i, m in enumerate(MOTIVES)
                   if float(sims[i].max()) >= OWN_TRAIT_FLOOR}
            self._opposed = {
                m.text.lower(): frozenset(own[o] for o in OPPOSITES.get(m.id, ())
                                          if o in MOTIVES_BY_ID and o in own and own[o] != own.get(m.id))
                for m in MOTIVES}
        return self._opposed

    def score(
        self,
        candidates: list[Candidate],
        motives: list[Motive],
        trait_vectors: dict[str, tuple[np.ndarray, list[tuple[str, str]]]],
        liked: list[Item] = (),
        dislikes: list[str] = (),
        preferences: list[str] = (),
    ) -> list[Scored]:
        active = [m for m in motives if m.active and m.confidence > 0]
        weights = np.array([motive_weight(m) for m in active], dtype=np.float32)
        strength = alignment_norm(active)
        motive_vecs = (
            self.embedder.embed([m.text for m in active]) if active else np.zeros((0, self.embedder.dim))
        )
        liked_vecs = self.embedder.embed([i.text() for i in liked]) if liked else None
        item_vecs = (
            self.embedder.embed([c.item.text() for c in candidates]) if liked_vecs is not None else None
        )
        dislike_vecs = self.embedder.embed(list(dislikes)) if dislikes else None
        opposed = self.opposed_traits() if active else {}
        out: list[Scored] = []
        for idx, cand in enumerate(candidates):
            vecs, labels = trait_vectors.get(cand.item.id, (np.zeros((0, self.embedder.dim)), []))
            matches: list[TraitMatch] = []
            alignment = 0.0
            if len(active) and len(labels):
                sims = motive_vecs @ vecs.T  # (motives, traits)
                for m_idx, motive in enumerate(active):  # never a trait of what the motive contradicts
                    avoid = opposed.get(motive.text.lower())
                    if avoid:
                        for t_idx, (_, phrase) in enumerate(labels):
                            if phrase in avoid:
                                sims[m_idx, t_idx] = min(float(sims[m_idx, t_idx]), 0.0)
                best = sims.argmax(axis=1)
                best_sim = sims[np.arange(len(active)), best]
                alignment = float((weights * best_sim).sum() / strength)
                contribution = weights * best_sim
                for m_idx in np.argsort(-contribution):
                    if best_sim[m_idx] < MATCH_FLOOR:
                        continue
                    dim, phrase = labels[best[m_idx]]
                    matches.append(TraitMatch(motive=active[m_idx].text, trait=phrase, dimension=dim,
                                              similarity=round(float(best_sim[m_idx]), 4)))
            score = (
                RETRIEVAL_SHARE * cand.similarity + (1 - RETRIEVAL_SHARE) * alignment
                if len(active)
                else cand.similarity
            )
            if liked_vecs is not None and item_vecs is not None:
                score += LIKE_WEIGHT * float((liked_vecs @ item_vecs[idx]).max())
            if dislike_vecs is not None and len(labels):
                score -= DISLIKE_WEIGHT * float(max(0.0, (dislike_vecs @ vecs.T).max()))
            score -= AVAILABILITY_PENALTY.get(cand.item.availability, 0.0)
            if preferences:
                score += PREFERENCE_WEIGHT * preference_share(cand.item, preferences)
            out.append(Scored(cand.item, round(score, 4), cand.similarity, alignment, matches))
        out.sort(key=lambda s: (-s.score, s.item.id))
        return out


def preference_share(item: Item, preferences: list[str]) -> float:
    """The share of ``preferences`` (terms, ``category:<name>``, ``brand:<name>``) ``item`` meets,
    in [0, 1]: a term by a positive mention in its text, a category or brand by its own."""
    from agent.models import mentions_positively

    if not preferences:
        return 0.0
    text = item.text().lower()
    met = 0
    for p in preferences:
        kind, _, value = p.partition(":")
        if kind == "category" and value:
            met += item.category == value.lower()
        elif kind == "brand" and value:
            met += item.brand.lower() == value.lower()
        else:
            met += mentions_positively(text, p)
    return met / len(preferences)


def explain(scored: Scored, motives: list[Motive], traits: Traits | None = None) -> str:
    """One sentence saying why this item, as a client reads it: the traits that matched a motive
    (else the item's strongest traits, when ``traits`` are given) and what they are good for."""
    from agent.replies import why

    bare = Recommendation(item_id=scored.item.id, title=scored.item.title, price=scored.item.price, score=scored.score,
                          explanation="", matches=scored.matches[:3])
    sentence = why(bare, scored.item, traits, motives, trade=False)  # a card shows its terms itself
    return sentence or "Closest match to what you described in the catalog's own words."


def to_recommendation(scored: Scored, motives: list[Motive], traits: Traits | None = None) -> Recommendation:
    item = scored.item
    return Recommendation(
        item_id=item.id,
        title=item.title,
        brand=item.brand,
        price=item.price,
        currency=item.currency,
        availability=item.availability,
        score=scored.score,
        explanation=explain(scored, motives, traits),
        matches=scored.matches[:3],
    )


def traits_summary(traits: Traits | None, limit: int = 4) -> str:
    if traits is None:
        return ""
    phrases = [p for _, p in traits.phrases()]
    return ", ".join(phrases[:limit])


CRITIQUE_MARGIN = 0.02
"""How much more (or less) of a quality an item must show than the reference to count."""
CRITIQUE_WEIGHT = 0.3


def quality_level(vectors: np.ndarray, quality: np.ndarray) -> float:
    """How strongly an item's traits express a quality: the best cosine of any trait with it."""
    return float((vectors @ quality).max()) if len(vectors) else 0.0


def apply_critique(
    scored: list[Scored],
    trait_vectors: dict[str, tuple[np.ndarray, list[tuple[str, str]]]],
    quality: np.ndarray,
    reference_level: float,
    direction: int,
    keep_at_least: int = 3,
) -> list[Scored]:
    """A directional critique ('more formal': direction +1; 'less flashy': -1) relative to the item
    the person was looking at: keep the candidates that express the quality more (or less) than
    that reference, re-ranked with the quality's strength; if too few do, the ``keep_at_least``
    candidates that go furthest in the asked direction."""
    levels = {
        s.item.id: quality_level(trait_vectors.get(s.item.id, (np.zeros((0, len(quality))), []))[0], quality)
        for s in scored
    }
    moved = [s for s in scored if direction * (levels[s.item.id] - reference_level) > CRITIQUE_MARGIN]
    if len(moved) < keep_at_least:
        moved = sorted(scored, key=lambda s: -direction * levels[s.item.id])[:keep_at_least]
    adjusted = [
        Scored(s.item, round(s.score + CRITIQUE_WEIGHT * direction * levels[s.item.id], 4), s.similarity,
               s.alignment, s.matches)
        for s in moved
    ]
    adjusted.sort(key=lambda s: (-s.score, s.item.id))
    return adjusted


STEER_WEIGHT = 0.15
"""How much an earlier turn's directional critique still moves the ranking, per unit of the
quality's strength in an item (this turn's critique moves it by CRITIQUE_WEIGHT and filters)."""


def apply_steers(
    scored: list[Scored],
    trait_vectors: dict[str, tuple[np.ndarray, list[tuple[str, str]]]],
    steers: list[tuple[np.ndarray, int]],
) -> list[Scored]:
    """Earlier critiques, kept: each ``(quality vector, direction)`` adds ``STEER_WEIGHT *
    direction * level`` to every candidate's score, so 'less formal' said two turns ago still
    keeps the most formal items down after 'not for me'. Nothing is filtered out."""
    if not steers:
        return scored
    out = []
    for s in scored:
        vecs = trait_vectors.get(s.item.id, (np.zeros((0, len(steers[0][0]))), []))[0]
        shift = sum(STEER_WEIGHT * direction * quality_level(vecs, quality) for quality, direction in steers)
        out.append(Scored(s.item, round(s.score + shift, 4), s.similarity, s.alignment, s.matches))
    out.sort(key=lambda s: (-s.score, s.item.id))
    return out


def liked_first(ranked: list[Recommendation], liked: list[str], shown: list[str]) -> list[Recommendation]:
    """After 'love the first one': the liked items first, then what was not on screen (more like
    it, not the same list again), then the rest."""
    keep = [r for r in ranked if r.item_id in liked]
    fresh = [r for r in ranked if r.item_id not in liked and r.item_id not in shown]
    rest = [r for r in ranked if r.item_id not in liked and r.item_id in shown]
    return keep + fresh + rest


def count_beyond(
    scored: list[Scored],
    trait_vectors: dict[str, tuple[np.ndarray, list[tuple[str, str]]]],
    quality: np.ndarray,
    reference_level: float,
    direction: int,
) -> int:
    """How many candidates express a quality more (``direction`` +1) or less (-1) than the item
    the person looked at, by :data:`CRITIQUE_MARGIN`: 0 means 'more formal' has nowhere to go."""
    empty = (np.zeros((0, len(quality))), [])
    return sum(direction * (quality_level(trait_vectors.get(s.item.id, empty)[0], quality) - reference_level)
               > CRITIQUE_MARGIN for s in scored)
