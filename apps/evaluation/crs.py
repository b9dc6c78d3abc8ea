"""``motive eval crs --data DIR --items-text FILE``: conversational recommendation on ReDial turns.

Protocol (as in the CIKM'23 study "Large Language Models as Zero-Shot Conversational
Recommenders")
-----------------------------------------------------------------------------------------------
Every (turn, ground-truth movie) pair is its own case. A ground-truth movie already mentioned in
the turn's context (``prev_entity``) is a *repeated* item: those pairs are reported apart, ranked
over all movies. Every other pair is ranked over all movies except the ones mentioned in its
context (for every method alike); Recall@{1,5,10,20,50} over those pairs is the headline. Ties
count against the target. Results are also split by whether the target's text was found in the
item-text CSV (see :mod:`apps.evaluation.crs_data`); an unmatched target is still ranked, by its
title-only text.

Methods
-------
``popularity``  ReDial mention counts with the test dialogues' own mentions subtracted.
``dense``       the seeker's utterances (most recent first) embedded, cosine to every movie's text.
``motive``      Motive's belief-state pipeline offline: motives inferred from each seeker utterance
                (:func:`apps.evaluation.movie_vocabulary.movie_motive_inferer`), traits from
                genres, keywords and year, scored with MAR (:mod:`agent.alignment`'s formula: ``s``
                is the dense similarity, the *liked* items are the movies mentioned in the context),
                blended with popularity, a stronger weight on the liked (mentioned) movies'
                similarity, and BM25 of the mentioned movies' titles against every title (sequels
                and franchises). The blend weights are cross-fitted by dialogue: the folder has no
                dev split, so each half of the dialogues is scored with weights chosen on the
                other half (``--no-tune``: fixed defaults).
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

import numpy as np

from apps.evaluation.alignment_table import AlignmentTable, mar_scores
from apps.evaluation.blend import TuningSet, blend, coordinate_ascent
from apps.evaluation.bm25 import BM25Index
from apps.evaluation.crs_data import CrsData, CrsTurn, load_crs
from apps.evaluation.metrics import recall_at_k, target_ranks
from apps.evaluation.movie_vocabulary import movie_motive_inferer, movie_traits
from apps.evaluation.report import Published, format_table, write_json
from apps.evaluation.seqrec_data import DataFormatError
from apps.evaluation.seqrec_methods import row_max_normalise
from agent.models import Motive

KS: tuple[int, ...] = (1, 5, 10, 20, 50)
METRICS: tuple[str, ...] = tuple(f"R@{k}" for k in KS)
PUBLISHED: tuple[Published, ...] = (
    Published("GPT-4 zero-shot", "He et al., CIKM'23, ReDial, repeated items removed",
              {"R@1": 0.043, "R@10": 0.195, "R@20": 0.271}),
    Published("UniCRS", "He et al., CIKM'23, ReDial, repeated items removed", {"R@10": 0.224}),
)
DEFAULT_CACHE = Path("~/.motive/eval-cache")
MOTIVE_SIGNALS: tuple[str, ...] = ("mar", "popularity", "like", "title_bm25")
DEFAULT_MOTIVE_WEIGHTS: dict[str, float] = {"mar": 1.0, "popularity": 0.75, "like": 0.75, "title_bm25": 0.3}
"""Start of the cross-fitted tuning and the ``--no-tune`` weights; ``mar`` stays at 1."""
ABLATIONS: dict[str, tuple[dict[str, float], tuple[str, ...]]] = {
    "MAR without the motive-trait alignment": (
        {"mar_without_alignment": 1.0, "popularity": 0.75, "like": 0.75, "title_bm25": 0.3},
        ("mar_without_alignment",)),
    "no MAR block (dense similarity instead)": (
        {"dense": 1.0, "popularity": 0.75, "like": 0.75, "title_bm25": 0.3}, ("dense",)),
    "MAR alone": ({"mar": 1.0}, ("mar",)),
    "MAR + popularity": ({"mar": 1.0, "popularity": 0.75}, ("mar",)),
    "no dialogue text (popularity, like, title_bm25)": (
        {"popularity": 0.75, "like": 0.75, "title_bm25": 0.3}, ("popularity",)),
}
"""Variants of the motive blend for ``--ablations``."""
FOLDS = 2


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seeker_text(turn: CrsTurn) -> str:
    """The seeker's utterances, most recent first, so the embedder's length limit cuts the oldest."""
    return " ".join(reversed(turn.seeker_utterances)) or " "


def dialogue_fold(turn: CrsTurn, folds: int = FOLDS) -> int:
    return zlib.crc32(turn.dialog_id.encode("utf-8")) % folds


class CrsSignals:
    """Everything the methods score with, computed once per run."""

    def __init__(self, data: CrsData, embedder):
        self.data = data
        self.embedder = embedder
        started = time.perf_counter()
        self.movie_vectors = embedder.embed([m.text() for m in data.movies])
        self.context_vectors = embedder.embed([seeker_text(t) for t in data.turns])
        log(f"embedded {len(data.movies)} movies and {len(data.turns)} contexts in "
            f"{time.perf_counter() - started:.1f}s")
        counts = data.mention_counts
        if counts is not None:
            pop = np.log1p(np.array([counts.get(m.entity_id, 0.0) for m in data.movies], dtype=np.float32))
            self.popularity: np.ndarray | None = pop / max(float(pop.max()), 1e-9)
        else:
            self.popularity = None
        self._table: AlignmentTable | None = None
        self._inferer = None
        self._titles = BM25Index([m.title for m in data.movies])

    def dense(self, turn_idx: np.ndarray) -> np.ndarray:
        return self.context_vectors[turn_idx] @ self.movie_vectors.T

    def like(self, turn_idx: np.ndarray) -> np.ndarray:
        """Per turn, each movie's best cosine to a movie mentioned in the context (0 if none)."""
        out = np.zeros((len(turn_idx), len(self.data.movies)), dtype=np.float32)
        for row, t in enumerate(turn_idx):
            liked = [self.data.index[e] for e in self.data.turns[t].mentioned]
            if liked:
                out[row] = (self.movie_vectors[liked] @ self.movie_vectors.T).max(axis=0)
        return out

    def title_overlap(self, turn_idx: np.ndarray) -> np.ndarray:
        """BM25 of the mentioned movies' titles against every title, each row scaled to max 1:
        sequels and films of the same franchise share title words."""
        out = np.zeros((len(turn_idx), len(self.data.movies)), dtype=np.float32)
        for row, t in enumerate(turn_idx):
            mentioned = self.data.turns[t].mentioned
            if mentioned:
                out[row] = self._titles.score(" ".join(self.data.movies[self.data.index[e]].title
                                                       for e in mentioned))
        return row_max_normalise(out)

    def table(self) -> AlignmentTable:
        if self._table is None:
            started = time.perf_counter()
            traits = [movie_traits(m.genres, m.keywords, m.year) for m in self.data.movies]
            self._table = AlignmentTable(self.embedder, traits)
            log(f"movie traits: {sum(t is not None for t in traits)} of {len(traits)} movies, "
                f"{len(self._table.phrase_vectors)} distinct phrases, in {time.perf_counter() - started:.1f}s")
        return self._table

    def motives(self, turn: CrsTurn) -> list[Motive]:
        """The belief state's motives after the seeker's utterances of this turn's context."""
        if self._inferer is None:
            self._inferer = movie_motive_inferer(self.embedder)
        found: list[Motive] = []
        for n, utterance in enumerate(turn.seeker_utterances):
            found.extend(self._inferer.from_message(utterance, turn=n))
        merged: dict[str, Motive] = {}
        for motive in found:  # the same motive said twice counts once, at its strongest
            if motive.text not in merged or motive.confidence > merged[motive.text].confidence:
                merged[motive.text] = motive
        return list(merged.values())

    def motive_features(self, turn_idx: np.ndarray, ablation: bool = False) -> dict[str, np.ndarray]:
        """The signals of the motive blend for these turns (``ablation``: also the MAR score
        without the motive-trait alignment, and the bare dense similarity)."""
        features = {"mar": self.mar(turn_idx), "like": self.like(turn_idx),
                    "title_bm25": self.title_overlap(turn_idx)}
        if self.popularity is not None:
            features["popularity"] = self.popularity[None, :]
        if ablation:
            features["mar_without_alignment"] = self.mar(turn_idx, with_alignment=False)
            features["dense"] = self.dense(turn_idx)
        return features

    def mar(self, turn_idx: np.ndarray, with_alignment: bool = True) -> np.ndarray:
        if not with_alignment:
            similarity = self.dense(turn_idx)
            return mar_scores(similarity, np.zeros_like(similarity), self.like(turn_idx),
                              np.zeros(len(turn_idx), dtype=bool))
        table = self.table()
        similarity = self.dense(turn_idx)
        alignment = np.zeros_like(similarity)
        has_motives = np.zeros(len(turn_idx), dtype=bool)
        for row, t in enumerate(turn_idx):
            motives = self.motives(self.data.turns[t])
            if motives:
                has_motives[row] = True
                alignment[row] = table.alignment(motives)
        return mar_scores(similarity, alignment, self.like(turn_idx), has_motives)


def _pairs(data: CrsData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (turn, ground-truth movie): turn index, target position, and whether it is repeated."""
    turns, targets, repeated = [], [], []
    for t, turn in enumerate(data.turns):
        mentioned = set(turn.mentioned)
        for entity in turn.rec:
            turns.append(t)
            targets.append(data.index[entity])
            repeated.append(entity in mentioned)
    return np.array(turns, dtype=np.int64), np.array(targets, dtype=np.int64), np.array(repeated, dtype=bool)


def _context_mask(data: CrsData, turn_idx: np.ndarray) -> np.ndarray:
    mask = np.zeros((len(turn_idx), len(data.movies)), dtype=bool)
    for row, t in enumerate(turn_idx):
        mentioned = [data.index[e] for e in data.turns[t].mentioned]
        if mentioned:
            mask[row, mentioned] = True
    return mask


def _ranks(scores: np.ndarray, targets: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    scores = np.array(scores, dtype=np.float32, copy=True)
    if scores.shape[0] != len(targets):
        scores = np.broadcast_to(scores, (len(targets), scores.shape[1])).copy()
    if mask is not None:
        scores[mask] = -np.inf
    return target_ranks(scores, targets)


def recall_table(ranks: np.ndarray) -> dict[str, float]:
    return {f"R@{k}": recall_at_k(ranks, k) for k in KS}


def cross_fitted(features: dict[str, np.ndarray], start: dict[str, float], fixed: tuple[str, ...],
                 targets: np.ndarray, mask: np.ndarray, folds: np.ndarray, tune: bool
                 ) -> tuple[np.ndarray, dict[str, dict[str, float]]]:
    """Blend scores where each fold of dialogues uses weights tuned on the other folds (``tune``)
    or ``start`` as given; returns the scores and the weights per fold."""
    scores = np.zeros((len(targets), features[next(iter(start))].shape[1]), dtype=np.float32)
    used: dict[str, dict[str, float]] = {}
    for fold in range(FOLDS):
        weights = dict(start)
        other = folds != fold
        if tune and len(start) > 1 and other.any():
            subset = {k: (features[k][other] if features[k].shape[0] > 1 else features[k]) for k in start}
            weights, _ = coordinate_ascent([TuningSet(subset, targets[other], mask[other])], start, fixed=fixed)
        used[f"dialogue fold {fold}"] = weights
        mine = folds == fold
        scores[mine] = np.broadcast_to(blend(features, weights), scores.shape)[mine]
    return scores, used


def run_crs(args: argparse.Namespace, embedder=None) -> int:
    """Run the benchmark as the CLI describes; ``embedder`` overrides the cached local MiniLM."""
    started = time.perf_counter()
    try:
        data = load_crs(args.data, args.items_text, mentions=args.mentions, raw_dialogues=args.raw_dialogues)
    except DataFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.limit:
        data.turns = data.turns[: args.limit]
    for note in data.notes:
        log(note)
    if embedder is None:
        from apps.evaluation.seqrec import default_embedder

        embedder = default_embedder(Path(args.cache))
    signals = CrsSignals(data, embedder)
    turn_idx, targets, repeated = _pairs(data)
    matched = np.array([data.movies[t].match != "none" for t in targets], dtype=bool)
    main = ~repeated
    mask_main = _context_mask(data, turn_idx[main])
    selected = set(args.methods.split(",")) if args.methods else None

    results: dict[str, dict[str, float]] = {}
    repeated_results: dict[str, dict[str, float]] = {}
    split_results: dict[str, dict[str, dict[str, float]]] = {}
    timings: dict[str, float] = {}
    weights_used: dict[str, dict[str, float]] = {}

    def record(name: str, scores_main: np.ndarray, scores_repeated: np.ndarray | None) -> None:
        ranks = _ranks(scores_main, targets[main], mask_main)
        results[name] = recall_table(ranks)
        split_results[name] = {
            "matched": {**recall_table(ranks[matched[main]]), "pairs": int(matched[main].sum())},
            "unmatched": {**recall_table(ranks[~matched[main]]), "pairs": int((~matched[main]).sum())},
        }
        if scores_repeated is not None and repeated.any():
            repeated_results[name] = {**recall_table(_ranks(scores_repeated, targets[repeated], None)),
                                      "pairs": int(repeated.sum())}

    def wanted(name: str) -> bool:
        return selected is None or name in selected

    if wanted("popularity"):
        if signals.popularity is None:
            log("popularity: skipped (see the note above)")
        else:
            t0 = time.perf_counter()
            pop = signals.popularity[None, :]
            record("popularity", pop, pop)
            timings["popularity"] = round(time.perf_counter() - t0, 2)
    if wanted("dense"):
        t0 = time.perf_counter()
        record("dense", signals.dense(turn_idx[main]), signals.dense(turn_idx[repeated]))
        timings["dense"] = round(time.perf_counter() - t0, 2)
    ablations: dict[str, dict[str, float]] = {}
    if wanted("motive"):
        t0 = time.perf_counter()
        features_main = signals.motive_features(turn_idx[main], ablation=args.ablations)
        features_rep = signals.motive_features(turn_idx[repeated])
        start = {k: v for k, v in DEFAULT_MOTIVE_WEIGHTS.items() if k in features_main}
        folds = np.array([dialogue_fold(data.turns[t]) for t in turn_idx])
        scores_main, weights_used = cross_fitted(features_main, start, ("mar",), targets[main], mask_main,
                                                 folds[main], args.tune)
        scores_rep = np.zeros((int(repeated.sum()), len(data.movies)), dtype=np.float32)
        for fold, weights in enumerate(weights_used.values()):
            mine = folds[repeated] == fold
            if mine.any():
                scores_rep[mine] = np.broadcast_to(blend(features_rep, weights), scores_rep.shape)[mine]
        record("motive", scores_main, scores_rep)
        timings["motive"] = round(time.perf_counter() - t0, 2)
        log(f"motive blend weights: {weights_used}")
        if args.ablations:
            for name, (variant, fixed) in ABLATIONS.items():
                variant = {k: v for k, v in variant.items() if k in features_main}
                scores, weights = cross_fitted(features_main, variant, fixed, targets[main], mask_main,
                                               folds[main], args.tune)
                ablations[name] = recall_table(_ranks(scores, targets[main], mask_main))
                log(f"ablation {name}: {weights}")
            ablations = {"full, as benchmarked": results["motive"], **ablations}

    elapsed = time.perf_counter() - started
    n_pairs = int(main.sum())
    protocol = {
        "turns": len(data.turns),
        "pairs": int(len(targets)),
        "evaluated_pairs": n_pairs,
        "repeated_pairs": int(repeated.sum()),
        "candidates": len(data.movies),
        "ranking": ("all candidate movies except those mentioned in the turn's context; repeated "
                    "ground truth (already mentioned) reported apart, ranked over all movies; ties "
                    "count against the target"),
        "item_text": data.notes[0],
        "ground_truth_text": {"matched": int(matched[main].sum()), "unmatched": int((~matched[main]).sum())},
        "popularity": data.notes[1] if len(data.notes) > 1 else "",
        "motive_weights": weights_used,
        "motive_weights_tuned_on": ("the other half of the test dialogues (cross-fitted by dialogue; "
                                    "the folder has no dev split)" if args.tune else "not tuned: defaults"),
        "embedder": getattr(embedder, "name", type(embedder).__name__),
        "limit": args.limit,
    }
    print(f"\n{data.name}: {len(data.turns)} turns, {n_pairs} (turn, movie) pairs ranked over "
          f"{len(data.movies)} movies (context mentions excluded); {int(repeated.sum())} repeated pairs apart")
    print("item text: " + data.notes[0])
    print(f"ground truth with matched text: {int(matched[main].sum())} of {n_pairs} pairs")
    print(format_table(results, METRICS, PUBLISHED))
    print("\nby target text (R@10 / R@50, pairs):")
    for name, parts in split_results.items():
        print(f"  {name:<12} matched {parts['matched']['R@10']:.4f}/{parts['matched']['R@50']:.4f} "
              f"({parts['matched']['pairs']})  unmatched {parts['unmatched']['R@10']:.4f}/"
              f"{parts['unmatched']['R@50']:.4f} ({parts['unmatched']['pairs']})")
    if ablations:
        print("\nmotive ablations (each cross-fitted by dialogue like the full blend):")
        print(format_table(ablations, METRICS))
    if repeated_results:
        print("\nrepeated ground truth (already mentioned; ranked over all movies), R@1 / R@10:")
        for name, m in repeated_results.items():
            print(f"  {name:<12} {m['R@1']:.4f} / {m['R@10']:.4f} ({m['pairs']} pairs)")
    print(f"\nruntime {elapsed:.0f}s; per method: " + ", ".join(f"{k} {v:.0f}s" for k, v in timings.items()))
    if args.json:
        write_json(args.json, data.name, protocol, results, PUBLISHED, by_target_text=split_results,
                   repeated=repeated_results, runtime_seconds=round(elapsed, 1), method_seconds=timings,
                   **({"motive_ablations": ablations} if ablations else {}))
        log(f"wrote {args.json}")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path,
                        help="ReDial-format folder (test.jsonl, item_ids.json, entity2id.json)")
    parser.add_argument("--items-text", required=True, type=Path,
                        help="item-text CSV with title (with year), genres, keywords")
    parser.add_argument("--limit", type=int, default=0, help="evaluate only the first N turns (0: all)")
    parser.add_argument("--json", type=Path, default=None, help="write the results to this JSON file")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="embedding cache directory")
    parser.add_argument("--mentions", type=Path, default=None,
                        help="ReDial movie list with mention counts (default DIR/movies_with_mentions.csv)")
    parser.add_argument("--raw-dialogues", type=Path, default=None,
                        help="raw test dialogues whose mentions are removed from popularity "
                             "(default DIR/test_data.jsonl)")
    parser.add_argument("--methods", default="", help="comma-separated subset of methods to run")
    parser.add_argument("--no-tune", dest="tune", action="store_false",
                        help="use the default motive blend weights instead of cross-fitting them")
    parser.add_argument("--ablations", action="store_true",
                        help="also score variants of the motive blend (each cross-fitted the same way)")
