"""The methods ``motive eval seqrec`` compares, each a scorer of every item for every case.

A method has ``fit(training)`` (the learned ones read :class:`~apps.evaluation.seqrec_training.
Training`; the others ignore it) and ``score(cases) -> (cases, items)`` (higher is better). The
evaluator masks history items the same way for every method, so methods need not.

What each method learns from
----------------------------
``popularity``  event counts over the training sequences.
``bm25``        nothing: BM25 of the titles of the last :data:`BM25_QUERY_ITEMS` history items
                against every item's text.
``dense``       nothing: the recency-weighted mean of the history items' MiniLM vectors, cosine
                to every item vector.
``knn``         item-to-item transitions counted in the training sequences (from an item to each
                of the next :data:`TRANSITION_WINDOW` items); ties broken by popularity.
``sknn``        the training sequences themselves: those sharing the most (recent) items with the
                history vote for their items (session-kNN); ties broken by popularity.
``sasrec``      (optional, :mod:`apps.evaluation.sasrec`) a self-attentive model trained on the
                training sequences.
``motive``      see :class:`MotiveMethod`: Motive's motive/trait/alignment scoring (nothing
                learned) blended with content-smoothed transitions, session-kNN, BM25 and
                popularity; the blend weights are tuned on held-out valid users, never on test.

The constants below were chosen on held-out folds of valid users (never on test); the blend's
result hardly moved across the values tried (window 1-5, decays 0.5-0.9, smoothing 0-0.6).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np

from apps.evaluation.alignment_table import AlignmentTable, mar_scores
from apps.evaluation.bm25 import BM25Index
from apps.evaluation.seqrec_data import SeqCase
from apps.evaluation.seqrec_training import Training
from agent.models import ClientHistory, Item, Motive, Purchase

TRANSITION_WINDOW = 3
"""An item counts as followed by each of the next this-many items of the same sequence."""
TRANSITION_GAP_DECAY = 0.5
"""Weight of a transition to the item *g* places later: ``decay ** (g - 1)``."""
HISTORY_ITEMS = 10
"""How many of the most recent history items vote in transition scoring."""
HISTORY_DECAY = 0.7
"""Weight of the *j*-th most recent history item (0-based) in transition scoring: ``decay ** j``."""
DENSE_DECAY = 0.5
"""Recency decay of the dense query (the weighted mean of history vectors)."""
BM25_QUERY_ITEMS = 3
NEIGHBOURS = 20
"""Content neighbours per item used to smooth transitions (the motive method)."""
SMOOTHING = 0.3
"""Share of an item's content neighbours' transitions added to its own (the motive method)."""
POPULARITY_TIEBREAK = 1e-4
SESSION_NEIGHBOURS = 200
"""Most similar training sequences that vote in session-kNN."""
MAX_DENSE_SIMILARITY = 20_000
"""Catalogs up to this size keep the item-item cosine matrix in memory (1.6 GB at the limit)."""
LIKE_DECAY = 0.7
"""Recency decay of the motive method's "recently liked" signal."""
REPEAT_DECAY = 0.3
"""Recency decay of the motive method's repeat signals: the last history item counts 1, the one
before it 0.3, ... (most repeats on this data are of the last item)."""
REPEAT_PRIOR = 2.0
"""Pseudo-opportunities with which an item's own repeat rate is shrunk towards its content
neighbourhood's rate, and that towards the global rate."""


class Method(Protocol):
    name: str
    learns: str
    """One line: what the method learns from (printed with the results)."""

    def fit(self, training: Training) -> None: ...

    def score(self, cases: Sequence[SeqCase]) -> np.ndarray: ...


def recency_weights(length: int, decay: float) -> np.ndarray:
    """Weights of a history of ``length`` items, oldest first: ``decay ** (length - 1 - j)``."""
    return decay ** np.arange(length - 1, -1, -1, dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# Shared item views
# ---------------------------------------------------------------------------------------------

@dataclass
class ItemSpace:
    """Everything content-based methods know about the items, computed once per run."""

    items: list[Item]
    vectors: np.ndarray
    """``(items, dim)`` unit MiniLM vectors of ``Item.text()``."""
    bm25: BM25Index
    """BM25 over ``Item.text()``."""
    title_bm25: BM25Index = field(default=None)  # type: ignore[assignment]
    """BM25 over title and brand only: model names and brands, without the description's noise."""
    neighbours: np.ndarray = field(default=None)  # type: ignore[assignment]
    """``(items, NEIGHBOURS)`` indices of each item's most similar other items (cosine)."""
    neighbour_sims: np.ndarray = field(default=None)  # type: ignore[assignment]
    _similarity: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.title_bm25 is None:
            self.title_bm25 = BM25Index([f"{i.title} {i.brand}" for i in self.items])
        if self.neighbours is None:
            self.neighbours, self.neighbour_sims = content_neighbours(self.vectors, NEIGHBOURS)

    @property
    def n_items(self) -> int:
        return len(self.items)

    def similarities(self, history: Sequence[int]) -> np.ndarray:
        """``(len(history), items)`` cosines of the history items to every item (from a cached
        item-item matrix while the catalog is small enough for one)."""
        if self._similarity is None and self.n_items <= MAX_DENSE_SIMILARITY:
            self._similarity = self.vectors @ self.vectors.T
        if self._similarity is not None:
            return self._similarity[list(history)]
        return self.vectors[list(history)] @ self.vectors.T


def content_neighbours(vectors: np.ndarray, k: int, chunk: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest other items of each item by cosine, and their (non-negative) cosines."""
    n = len(vectors)
    k = max(0, min(k, n - 1))
    idx = np.zeros((n, k), dtype=np.int64)
    sims = np.zeros((n, k), dtype=np.float32)
    if k == 0:
        return idx, sims
    for start in range(0, n, chunk):
        block = vectors[start:start + chunk] @ vectors.T
        rows = np.arange(block.shape[0])
        block[rows, rows + start] = -np.inf  # not its own neighbour
        part = np.argpartition(-block, k - 1, axis=1)[:, :k]
        part_sims = block[rows[:, None], part]
        order = np.argsort(-part_sims, axis=1)
        idx[start:start + chunk] = np.take_along_axis(part, order, axis=1)
        sims[start:start + chunk] = np.maximum(np.take_along_axis(part_sims, order, axis=1), 0)
    return idx, sims


def row_max_normalise(scores: np.ndarray) -> np.ndarray:
    """Each row divided by its maximum (rows whose maximum is not positive are left at 0)."""
    top = scores.max(axis=1, keepdims=True)
    return np.where(top > 0, scores / np.where(top > 0, top, 1), 0).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Learned statistics
# ---------------------------------------------------------------------------------------------

def popularity(training: Training, n_items: int) -> np.ndarray:
    """How many times each item occurs in the training sequences."""
    counts = np.zeros(n_items, dtype=np.float64)
    for seq in training.sequences.values():
        np.add.at(counts, np.asarray(seq, dtype=np.int64), 1.0)
    return counts


class Transitions:
    """Directed item-to-item transition counts: ``a`` followed (within the window) by ``b``.

    Rows are kept sparse; :meth:`row` returns ``log1p`` of a row as a dense vector (cached), so
    one frequent pair cannot drown the rest.
    """

    def __init__(self, training: Training, n_items: int, window: int = TRANSITION_WINDOW,
                 gap_decay: float = TRANSITION_GAP_DECAY):
        self.n_items = n_items
        pairs: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for seq in training.sequences.values():
            for i, a in enumerate(seq):
                for gap in range(1, window + 1):
                    if i + gap >= len(seq):
                        break
                    b = seq[i + gap]
                    if a != b:
                        pairs[a][b] += gap_decay ** (gap - 1)
        self._rows = {
            a: (np.fromiter(row.keys(), dtype=np.int64), np.log1p(np.fromiter(row.values(), dtype=np.float64)))
            for a, row in pairs.items()
        }
        self._dense: dict[int, np.ndarray] = {}
        self._smoothed: dict[tuple[int, float], np.ndarray] = {}

    def row(self, item: int) -> np.ndarray:
        cached = self._dense.get(item)
        if cached is None:
            cached = np.zeros(self.n_items, dtype=np.float32)
            found = self._rows.get(item)
            if found is not None:
                cached[found[0]] = found[1]
            self._dense[item] = cached
        return cached

    def smoothed_row(self, item: int, space: ItemSpace, share: float) -> np.ndarray:
        """The item's row plus ``share`` times its content neighbours' rows, weighted by cosine:
        an item seldom or never seen in training borrows what followed items like it."""
        key = (item, share)
        cached = self._smoothed.get(key)
        if cached is None:
            cached = self.row(item).copy()
            if share:
                for nb, sim in zip(space.neighbours[item], space.neighbour_sims[item]):
                    if sim > 0 and int(nb) in self._rows:
                        cached += share * float(sim) * self.row(int(nb))
            self._smoothed[key] = cached
        return cached

    def score(self, cases: Sequence[SeqCase], space: ItemSpace | None = None, share: float = 0.0,
              last: int = HISTORY_ITEMS, decay: float = HISTORY_DECAY) -> np.ndarray:
        """Sum over the last ``last`` history items of (smoothed) rows, the *j*-th most recent
        weighted ``decay ** j``."""
        out = np.zeros((len(cases), self.n_items), dtype=np.float32)
        for i, case in enumerate(cases):
            for j, item in enumerate(reversed(case.history[-last:])):
                row = self.smoothed_row(item, space, share) if (space is not None and share) else self.row(item)
                out[i] += (decay ** j) * row
        return out


class RepeatRates:
    """How often an item is bought again soon after being bought, learned from training sequences.

    An *opportunity* is an occurrence of item ``i`` with at least one later item in its sequence;
    it is a *repeat* when ``i`` occurs again within the next ``window`` items. The rate of an
    item is its own ``repeats / opportunities``, shrunk (:data:`REPEAT_PRIOR` pseudo-counts)
    towards the rate of its content neighbourhood (the pooled, cosine-weighted counts of its
    :data:`NEIGHBOURS` nearest items: the "category" of an item in a catalog without one),
    itself shrunk towards the global rate. So an item never seen repeated is not ruled out if
    items like it are re-bought (consumables), and one seen once is not taken at face value.
    """

    def __init__(self, training: Training, n_items: int, window: int = TRANSITION_WINDOW):
        self.n_items = n_items
        self.opportunities = np.zeros(n_items, dtype=np.float64)
        self.repeats = np.zeros(n_items, dtype=np.float64)
        for seq in training.sequences.values():
            for i, item in enumerate(seq[:-1]):
                self.opportunities[item] += 1
                if item in seq[i + 1:i + 1 + window]:
                    self.repeats[item] += 1
        total = self.opportunities.sum()
        self.global_rate = float(self.repeats.sum() / total) if total else 0.0

    def rates(self, space: ItemSpace | None = None, prior: float = REPEAT_PRIOR) -> np.ndarray:
        """``(items,)`` smoothed repeat rate per item, in ``[0, 1]``."""
        base = np.full(self.n_items, self.global_rate, dtype=np.float64)
        if space is not None and space.neighbours.shape[1]:
            sims = space.neighbour_sims.astype(np.float64)
            near_opp = (sims * self.opportunities[space.neighbours]).sum(axis=1)
            near_rep = (sims * self.repeats[space.neighbours]).sum(axis=1)
            base = (near_rep + prior * base) / (near_opp + prior)
        return ((self.repeats + prior * base) / (self.opportunities + prior)).astype(np.float32)


def repeat_presence(cases: Sequence[SeqCase], n_items: int, decay: float = REPEAT_DECAY) -> np.ndarray:
    """``(cases, items)``: ``decay ** j`` for an item whose latest occurrence in the history is the
    *j*-th most recent (0 for the last item), 0 for items not in the history."""
    out = np.zeros((len(cases), n_items), dtype=np.float32)
    for i, case in enumerate(cases):
        for j, item in enumerate(reversed(case.history)):
            out[i, item] = max(out[i, item], decay ** j)
    return out


class SessionNeighbours:
    """Session-kNN: training sequences that share items with the history vote for their items.

    A history's items are weighted by recency (``LIKE_DECAY ** j`` for the *j*-th most recent);
    a training sequence's similarity is the sum of the weights of the items it contains divided by
    the square root of its length; the :data:`SESSION_NEIGHBOURS` most similar sequences add their
    similarity to each item they contain.
    """

    def __init__(self, training: Training, n_items: int, neighbours: int = SESSION_NEIGHBOURS,
                 decay: float = LIKE_DECAY):
        self.n_items = n_items
        self.k = neighbours
        self.decay = decay
        seqs = [s for s in training.sequences.values() if s]
        self.members = np.zeros((len(seqs), n_items), dtype=np.float32)
        for row, seq in enumerate(seqs):
            self.members[row, list(seq)] = 1.0
        self.norms = np.sqrt(np.maximum(self.members.sum(axis=1), 1.0))

    def score(self, cases: Sequence[SeqCase], chunk: int = 512) -> np.ndarray:
        out = np.zeros((len(cases), self.n_items), dtype=np.float32)
        if not len(self.members):
            return out
        k = min(self.k, len(self.members))
        for start in range(0, len(cases), chunk):
            part = cases[start:start + chunk]
            query = np.zeros((len(part), self.n_items), dtype=np.float32)
            for i, case in enumerate(part):
                for j, item in enumerate(reversed(case.history)):
                    query[i, item] = max(query[i, item], self.decay ** j)
            sims = (query @ self.members.T) / self.norms[None, :]  # (cases, sequences)
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            keep = np.zeros_like(sims)
            rows = np.arange(len(part))[:, None]
            keep[rows, top] = np.maximum(sims[rows, top], 0)
            out[start:start + len(part)] = keep @ self.members
        return out


# ---------------------------------------------------------------------------------------------
# Baselines
# ---------------------------------------------------------------------------------------------

class PopularityMethod:
    name = "popularity"
    learns = "event counts of the training sequences"

    def __init__(self, n_items: int):
        self.n_items = n_items
        self.counts = np.zeros(n_items)

    def fit(self, training: Training) -> None:
        self.counts = popularity(training, self.n_items)

    def score(self, cases: Sequence[SeqCase]) -> np.ndarray:
        return np.broadcast_to(self.counts.astype(np.float32), (len(cases), self.n_items))


def bm25_scores(space: ItemSpace, cases: Sequence[SeqCase], query_items: int = BM25_QUERY_ITEMS) -> np.ndarray:
    out = np.zeros((len(cases), space.n_items), dtype=np.float32)
    for i, case in enumerate(cases):
        query = " ".join(space.items[x].title for x in case.history[-query_items:])
        out[i] = space.bm25.score(query)
    return out


class BM25Method:
    name = "bm25"
    learns = f"nothing (query: titles of the last {BM25_QUERY_ITEMS} history items)"

    def __init__(self, space: ItemSpace):
        self.space = space

    def fit(self, training: Training) -> None:
        pass

    def score(self, cases: Sequence[SeqCase]) -> np.ndarray:
        return bm25_scores(self.space, cases)


def dense_query(space: ItemSpace, cases: Sequence[SeqCase], decay: float = DENSE_DECAY) -> np.ndarray:
    """Per case, the recency-weighted mean of its history vectors, renormalised."""
    out = np.zeros((len(cases), space.vectors.shape[1]), dtype=np.float32)
    for i, case in enumerate(cases):
        if case.history:
            w = recency_weights(len(case.history), decay)
            out[i] = (w[:, None] * space.vectors[list(case.history)]).sum(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1)


class DenseMethod:
    name = "dense"
    learns = f"nothing (recency-weighted mean of history vectors, decay {DENSE_DECAY})"

    def __init__(self, space: ItemSpace):
        self.space = space

    def fit(self, training: Training) -> None:
        pass

    def score(self, cases: Sequence[SeqCase]) -> np.ndarray:
        return dense_query(self.space, cases) @ self.space.vectors.T


class KnnMethod:
    name = "knn"
    learns = (f"item-to-item transitions of the training sequences (window {TRANSITION_WINDOW}, "
              f"last {HISTORY_ITEMS} history items, decay {HISTORY_DECAY}); popularity breaks ties")

    def __init__(self, n_items: int):
        self.n_items = n_items
        self.transitions: Transitions | None = None
        self.counts = np.zeros(n_items)

    def fit(self, training: Training) -> None:
        self.transitions = Transitions(training, self.n_items)
        self.counts = popularity(training, self.n_items)

    def score(self, cases: Sequence[SeqCase]) -> np.ndarray:
        assert self.transitions is not None, "fit() first"
        tiebreak = POPULARITY_TIEBREAK * np.log1p(self.counts).astype(np.float32)
        return self.transitions.score(cases) + tiebreak[None, :]


class SessionKnnMethod:
    name = "sknn"
    learns = (f"training sequences similar to the history (session-kNN, {SESSION_NEIGHBOURS} "
              f"neighbours); popularity breaks ties")

    def __init__(self, n_items: int):
        self.n_items = n_items
        self.model: SessionNeighbours | None = None
        self.counts = np.zeros(n_items)

    def fit(self, training: Training) -> None:
        self.model = SessionNeighbours(training, self.n_items)
        self.counts = popularity(training, self.n_items)

    def score(self, cases: Sequence[SeqCase]) -> np.ndarray:
        assert self.model is not None, "fit() first"
        tiebreak = POPULARITY_TIEBREAK * np.log1p(self.counts).astype(np.float32)
        return self.model.score(cases) + tiebreak[None, :]


# ---------------------------------------------------------------------------------------------
# Motive
# ---------------------------------------------------------------------------------------------

ABLATIONS: dict[str, tuple[dict[str, float], tuple[str, ...]]] = {
    # name: (signals with their starting weights, the weight held fixed as the scale)
    "MAR without the motive-trait alignment": (
        {"mar_without_alignment": 1.0, "recent_like": 0.3, "knn": 0.5, "sknn": 2.0, "bm25": 1.5,
         "bm25_last": 0.5, "popularity": 1.5}, ("mar_without_alignment",)),
    "no MAR block": (
        {"recent_like": 0.3, "knn": 0.5, "sknn": 2.0, "bm25": 1.5, "bm25_last": 0.5, "popularity": 1.5},
        ("popularity",)),
    "MAR alone": ({"mar": 1.0}, ("mar",)),
    "MAR + popularity": ({"mar": 1.0, "popularity": 0.5}, ("mar",)),
    "collaborative only (knn, sknn, popularity)": ({"knn": 1.0, "sknn": 1.0, "popularity": 0.5}, ("knn",)),
}
"""Variants of the motive blend for ``--ablations``; each is re-tuned on the valid folds."""

MOTIVE_SIGNALS: tuple[str, ...] = (
    "mar", "recent_like", "knn", "sknn", "bm25", "bm25_last", "popularity", "repeat", "repeat_rate")
DEFAULT_MOTIVE_WEIGHTS: dict[str, float] = {
    "mar": 1.0, "recent_like": 0.3, "knn": 0.5, "sknn": 2.0, "bm25": 1.5, "bm25_last": 0.5,
    "popularity": 1.5, "repeat": 0.0, "repeat_rate": 0.0}
"""Start of the tuning, and the weights used with ``--no-tune`` (a tuning on valid folds during
development); ``mar`` stays fixed at 1, the others are relative to it. The repeat signals start at
0 (off); they only matter when history items are ranked (``--keep-history``)."""
REPEAT_SIGNALS: tuple[str, ...] = ("repeat", "repeat_rate")
"""Signals that only score history items: held at 0 when history items are excluded."""


def title_bm25_scores(space: ItemSpace, cases: Sequence[SeqCase]) -> np.ndarray:
    """BM25 of the last history item's title against every item's title and brand."""
    out = np.zeros((len(cases), space.n_items), dtype=np.float32)
    for i, case in enumerate(cases):
        if case.history:
            out[i] = space.title_bm25.score(space.items[case.history[-1]].title)
    return out


class MotiveMethod:
    """Motive's offline pipeline driven from the history, plus the collaborative evidence it lacks.

    The history stands in for the conversation:

    - *motives*: :meth:`agent.motives.OfflineMotiveInferer.from_history` on a client file whose
      purchases are the history items (source ``history``);
    - *traits*: :class:`agent.traits.OfflineTraitExtractor` over the whole catalog;
    - *MAR*: :mod:`agent.alignment`'s formula with its own constants, where the retrieval
      similarity ``s`` is the cosine of the dense query (recency-weighted mean of the history
      vectors) and the *liked* items are the history items (``like = max cos(item, history item)``).

    The blend adds what a purchase log knows and a single conversation does not::

        motive = w_mar * MAR
               + w_recent_like * max_j LIKE_DECAY^j cos(item, j-th most recent history item)
               + w_knn * T / 5                       transitions, content-smoothed (learned)
               + w_sknn * rowmax(session-kNN)        similar training sequences (learned)
               + w_bm25 * rowmax(BM25(last 3 titles -> item text))
               + w_bm25_last * rowmax(BM25(last title -> title and brand))
               + w_popularity * log1p(pop) / max     (learned)
               + w_repeat * REPEAT_DECAY^j           j: how recent the item is in the history
               + w_repeat_rate * REPEAT_DECAY^j * r  r: item's repeat rate (learned, smoothed)

    Every signal but the two repeat ones is 0 on history items: they say what is worth buying
    next (and would score an item high for being like itself); whether an item already bought
    comes back is left to the repeat signals (:class:`RepeatRates`), which are 0 on every item
    outside the history.

    ``T`` are transitions smoothed over each history item's :data:`NEIGHBOURS` content neighbours
    (:data:`SMOOTHING`), learned from the training sequences. The weights are chosen by
    :func:`apps.evaluation.blend.coordinate_ascent` on held-out valid users (see
    ``apps.evaluation.seqrec``), never on test.
    """

    name = "motive"

    def __init__(self, space: ItemSpace, inferer, alignment: AlignmentTable,
                 weights: dict[str, float] | None = None):
        self.space = space
        self.inferer = inferer
        self.table = alignment
        self.weights = dict(weights or DEFAULT_MOTIVE_WEIGHTS)
        self.transitions: Transitions | None = None
        self.sessions: SessionNeighbours | None = None
        self.counts = np.zeros(space.n_items)
        self.repeat_rates = np.zeros(space.n_items, dtype=np.float32)
        self._motives: dict[tuple[int, ...], list[Motive]] = {}
        self.learns = ("MAR (nothing learned) + content-smoothed transitions, session-kNN and "
                       "popularity of the training sequences; blend weights tuned on held-out valid users")

    def fit(self, training: Training) -> None:
        self.transitions = Transitions(training, self.space.n_items)
        self.sessions = SessionNeighbours(training, self.space.n_items)
        self.counts = popularity(training, self.space.n_items)
        self.repeat_rates = RepeatRates(training, self.space.n_items).rates(self.space)

    def motives(self, history: tuple[int, ...]) -> list[Motive]:
        """Motives the purchase history supports, as the product infers them from a client file."""
        found = self._motives.get(history)
        if found is None:
            items = {self.space.items[x].id: self.space.items[x] for x in history}
            client = ClientHistory(id="eval", catalog="eval",
                                   purchases=[Purchase(item_id=self.space.items[x].id) for x in history])
            found = self.inferer.from_history(client, items)
            self._motives[history] = found
        return found

    def features(self, cases: Sequence[SeqCase], ablation: bool = False) -> dict[str, np.ndarray]:
        """Every signal of the blend, each ``(cases, items)``.

        On the case's history items every signal but ``repeat`` and ``repeat_rate`` is 0, and
        those two are 0 everywhere else.

        With ``ablation``, also ``mar_without_alignment``: the MAR score with the motive-trait
        alignment left out (retrieval similarity and liked items only), for the ablation table.
        """
        assert self.transitions is not None and self.sessions is not None, "fit() first"
        space = self.space
        similarity = dense_query(space, cases) @ space.vectors.T
        like = np.zeros_like(similarity)
        recent = np.zeros_like(similarity)
        alignment = np.zeros_like(similarity)
        has_motives = np.zeros(len(cases), dtype=bool)
        for i, case in enumerate(cases):
            if case.history:
                sims = space.similarities(case.history)
                like[i] = sims.max(axis=0)
                recent[i] = (sims * recency_weights(len(case.history), LIKE_DECAY)[:, None]).max(axis=0)
            motives = self.motives(case.history)
            if any(m.active and m.confidence > 0 for m in motives):
                has_motives[i] = True
                alignment[i] = self.table.alignment(motives)
        pop = np.log1p(self.counts).astype(np.float32)
        presence = repeat_presence(cases, space.n_items)
        in_history = presence > 0
        extra = ({"mar_without_alignment": mar_scores(similarity, alignment, like, np.zeros_like(has_motives))}
                 if ablation else {})
        novel = {
            **extra,
            "mar": mar_scores(similarity, alignment, like, has_motives),
            "recent_like": recent,
            "knn": self.transitions.score(cases, space, SMOOTHING) / 5.0,
            "sknn": row_max_normalise(self.sessions.score(cases)),
            "bm25": row_max_normalise(bm25_scores(space, cases)),
            "bm25_last": row_max_normalise(title_bm25_scores(space, cases)),
            "popularity": (pop / max(float(pop.max()), 1e-9))[None, :],
        }
        # Every other signal says what is worth buying *next*, and scores an item already bought
        # high for being like itself; whether it comes back is the repeat signals' call alone.
        silenced = {name: np.where(in_history, np.float32(0), value).astype(np.float32)
                    for name, value in novel.items()}
        return {
            **silenced,
            "repeat": presence,
            "repeat_rate": presence * self.repeat_rates[None, :],
        }

    def score(self, cases: Sequence[SeqCase]) -> np.ndarray:
        from apps.evaluation.blend import blend

        features = self.features(cases)
        scores = blend(features, self.weights)
        return np.broadcast_to(scores, (len(cases), self.space.n_items))
