"""``motive eval seqrec --data DIR``: next-item prediction on a MiniOneRec-format folder.

Protocol
--------
For every case of the evaluated split (``test`` by default) every item of the index is scored and
ranked, the case's own history items included (``--keep-history``, the default): the published
MiniOneRec evaluation decodes over the whole item set and counts a hit wherever the target sits in
the list, so a repeat purchase can be hit there, and here. ``--exclude-history`` instead excludes
the history items (scored ``-inf``) for *every* method alike; a target that repeats a history item
is then a miss for every method; the run prints how many there are. Ties count against the target
(:func:`apps.evaluation.metrics.target_ranks`). Reported: HR@{5,10} and NDCG@{5,10}, overall and
by history length (1-2, 3-5, 6+ items). The motive blend is tuned under the same option.

Nothing from a test row's target reaches any method: learned statistics come from
:func:`apps.evaluation.seqrec_training.training` (valid split, plus each test user's prefix with
``--learn-from valid+prefixes``), and the motive blend's weights are tuned on held-out folds of
valid users (:func:`apps.evaluation.seqrec_training.fold_training`). The one exception is asked
for by name and labelled in the output: ``--learn-from other-test-users`` lets each fold of test
users be scored by methods that read the *other* test users' complete sequences (transductive).

With ``--split valid`` the valid cases are scored *cross-fitted*: each fold of valid users by
methods fit on the other users; the motive weights are then tuned on those same folds, so that
figure is optimistic and only meant for development.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from apps.evaluation.blend import DEFAULT_GRID, TuningSet, blend, coordinate_ascent, evaluate_blend
from apps.evaluation.bm25 import BM25Index
from apps.evaluation.metrics import hit_rate_at_k, ndcg_at_k, target_ranks
from apps.evaluation.report import Published, format_table, write_json
from apps.evaluation.seqrec_data import (BUCKETS, DataFormatError, SeqCase, SeqRecData,
                                          history_length_bucket, load_seqrec)
from apps.evaluation.alignment_table import AlignmentTable
from apps.evaluation.seqrec_methods import (ABLATIONS, DEFAULT_MOTIVE_WEIGHTS, REPEAT_SIGNALS,
                                             BM25Method, DenseMethod, ItemSpace, KnnMethod, Method,
                                             MotiveMethod, PopularityMethod, SessionKnnMethod)
from apps.evaluation.seqrec_training import (LEARN_FROM, fold_training, test_fold_training,
                                              training)

METRICS: tuple[str, ...] = ("HR@5", "HR@10", "NDCG@5", "NDCG@10")
PUBLISHED: tuple[Published, ...] = (
    Published("SASRec", "MiniOneRec paper, Table 1 (full ranking)", {"HR@10": 0.1088, "NDCG@10": 0.0806}),
    Published("MiniOneRec", "MiniOneRec paper, Table 1 (full ranking)", {"HR@10": 0.1586, "NDCG@10": 0.1167}),
)
DEFAULT_CACHE = Path("~/.motive/eval-cache")
TUNING_FOLDS = 4
TEST_FOLDS = 5
"""Folds of test users with ``--learn-from other-test-users``."""
CHUNK = 512
MOTIVE_GRID: tuple[float, ...] = DEFAULT_GRID + (8.0, 12.0, 16.0, 24.0)
"""Weights tried for each motive signal. It reaches past the shared grid's 6 because the repeat
rate, rarely non-zero but decisive when it is, settled at that top value on the valid folds."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_embedder(cache_dir: Path):
    """Local all-MiniLM-L6-v2 behind a SQLite cache in ``cache_dir`` (no text is embedded twice)."""
    from agent.embeddings import CachedEmbedder, OnnxMiniLMEmbedder

    return CachedEmbedder(OnnxMiniLMEmbedder(), Path(cache_dir).expanduser() / "embeddings.sqlite3")


def metrics_of(ranks: np.ndarray) -> dict[str, float]:
    return {
        "HR@5": hit_rate_at_k(ranks, 5),
        "HR@10": hit_rate_at_k(ranks, 10),
        "NDCG@5": ndcg_at_k(ranks, 5),
        "NDCG@10": ndcg_at_k(ranks, 10),
    }


def history_mask(cases: Sequence[SeqCase], n_items: int) -> np.ndarray:
    """``(cases, items)`` True where the item is in that case's history (excluded from ranking)."""
    mask = np.zeros((len(cases), n_items), dtype=bool)
    for i, case in enumerate(cases):
        if case.history:
            mask[i, list(case.history)] = True
    return mask


def ranking_mask(cases: Sequence[SeqCase], n_items: int, exclude_history: bool) -> np.ndarray | None:
    """What may not be ranked: the history items with ``exclude_history``, nothing otherwise."""
    return history_mask(cases, n_items) if exclude_history else None


def rank_cases(method: Method, cases: Sequence[SeqCase], n_items: int, chunk: int = CHUNK,
               exclude_history: bool = False) -> np.ndarray:
    """The 1-based rank of each case's target under ``method`` among all items (with
    ``exclude_history``, among the items outside the case's history)."""
    out = np.zeros(len(cases), dtype=np.int64)
    for start in range(0, len(cases), chunk):
        part = cases[start:start + chunk]
        scores = np.array(method.score(part), dtype=np.float32, copy=True)
        if exclude_history:
            scores[history_mask(part, n_items)] = -np.inf
        out[start:start + chunk] = target_ranks(scores, [c.target for c in part])
    return out


def build_space(data: SeqRecData, embedder) -> ItemSpace:
    started = time.perf_counter()
    texts = data.texts
    vectors = embedder.embed(texts)
    log(f"item vectors: {len(texts)} items in {time.perf_counter() - started:.1f}s")
    return ItemSpace(items=data.items, vectors=vectors, bm25=BM25Index(texts))


def build_motive(space: ItemSpace, embedder, domain: str) -> MotiveMethod:
    from agent.motives import OfflineMotiveInferer
    from agent.traits import OfflineTraitExtractor

    started = time.perf_counter()
    traits = OfflineTraitExtractor(embedder).extract(space.items)
    table = AlignmentTable.for_items(embedder, space.items, traits)
    log(f"traits for {len(traits)} items in {time.perf_counter() - started:.1f}s")
    return MotiveMethod(space, OfflineMotiveInferer(embedder, domain=domain), table)


def tuning_sets(motive: MotiveMethod, data: SeqRecData, learn_from: str, folds: int = TUNING_FOLDS,
                ablation: bool = False, exclude_history: bool = False) -> list[TuningSet]:
    """The motive signals of every held-out fold of valid users, with targets and (with
    ``exclude_history``) history masks: tuned under the protocol the test split is scored with."""
    sets: list[TuningSet] = []
    for fold in range(folds):
        train, held = fold_training(data, fold, folds, learn_from)  # type: ignore[arg-type]
        if not held:
            continue
        motive.fit(train)
        features = motive.features(held, ablation=ablation)
        sets.append(TuningSet(features, np.array([c.target for c in held]),
                              ranking_mask(held, data.n_items, exclude_history)))
    return sets


def tune_motive(motive: MotiveMethod, data: SeqRecData, learn_from: str, folds: int = TUNING_FOLDS,
                sets: list[TuningSet] | None = None, exclude_history: bool = False
                ) -> tuple[dict[str, float], float]:
    """Blend weights for ``motive`` chosen on held-out folds of valid users (never test).

    With ``exclude_history`` the repeat signals stay at 0: they score only history items, which
    are then never ranked."""
    if sets is None:
        sets = tuning_sets(motive, data, learn_from, folds, exclude_history=exclude_history)
    start = dict(DEFAULT_MOTIVE_WEIGHTS)
    fixed: tuple[str, ...] = ("mar",)
    if exclude_history:
        start.update({name: 0.0 for name in REPEAT_SIGNALS})
        fixed += REPEAT_SIGNALS
    return coordinate_ascent(sets, start, fixed=fixed, grid=MOTIVE_GRID)


def ablation_table(motive: MotiveMethod, sets: list[TuningSet], train, cases: Sequence[SeqCase],
                   n_items: int, exclude_history: bool = False) -> dict[str, dict[str, float]]:
    """Each variant of :data:`ABLATIONS` re-tuned on the valid folds, then scored once on ``cases``."""
    motive.fit(train)
    features = motive.features(cases, ablation=True)
    mask = (history_mask(cases, n_items) if exclude_history
            else np.zeros((len(cases), n_items), dtype=bool))
    targets = np.array([c.target for c in cases])
    variants = {"full, as benchmarked": (dict(motive.weights), ("mar",))}
    variants.update(ABLATIONS)
    out: dict[str, dict[str, float]] = {}
    for name, (start, fixed) in variants.items():
        if name == "full, as benchmarked" or len(start) == 1:
            weights, objective = start, evaluate_blend(sets, start)
        else:
            weights, objective = coordinate_ascent(sets, start, fixed=fixed)
        scores = np.where(mask, -np.inf, np.broadcast_to(blend(features, weights), mask.shape))
        out[name] = {**metrics_of(target_ranks(scores, targets)), "valid objective": objective}
        log(f"ablation {name}: {weights}")
    return out


def _cross_fitted_ranks(method: Method, data: SeqRecData, learn_from: str, folds: int,
                        exclude_history: bool) -> tuple[list[SeqCase], np.ndarray]:
    cases: list[SeqCase] = []
    ranks: list[np.ndarray] = []
    for fold in range(folds):
        train, held = fold_training(data, fold, folds, learn_from)  # type: ignore[arg-type]
        if not held:
            continue
        method.fit(train)
        cases.extend(held)
        ranks.append(rank_cases(method, held, data.n_items, exclude_history=exclude_history))
    return cases, np.concatenate(ranks) if ranks else np.zeros(0, dtype=np.int64)


def _test_folds_ranks(method: Method, data: SeqRecData, cases: Sequence[SeqCase], folds: int,
                      exclude_history: bool) -> np.ndarray:
    """``other-test-users``: each fold of test users ranked by ``method`` fit without that fold."""
    position = {id(c): i for i, c in enumerate(cases)}
    ranks = np.zeros(len(cases), dtype=np.int64)
    for fold in range(folds):
        train, held = test_fold_training(data, fold, folds)
        held = [c for c in held if id(c) in position]
        if not held:
            continue
        method.fit(train)
        ranks[[position[id(c)] for c in held]] = rank_cases(method, held, data.n_items,
                                                            exclude_history=exclude_history)
    return ranks


def run_seqrec(args: argparse.Namespace, embedder=None) -> int:
    """Run the benchmark as the CLI describes; ``embedder`` overrides the cached local MiniLM."""
    started = time.perf_counter()
    try:
        data = load_seqrec(args.data)
    except DataFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    split = args.split
    if split not in data.splits:
        print(f"error: no {split!r} split in {args.data}", file=sys.stderr)
        return 2
    if embedder is None:
        embedder = default_embedder(Path(args.cache))
    learn_from = args.learn_from
    exclude = args.exclude_history
    space = build_space(data, embedder)
    train = training(data, learn_from)
    log(f"training data: {train.source}; {train.events} events")

    methods: list[Method] = [PopularityMethod(data.n_items), BM25Method(space), DenseMethod(space),
                             KnnMethod(data.n_items), SessionKnnMethod(data.n_items)]
    selected = set(args.methods.split(",")) if args.methods else None
    if args.sasrec:
        from apps.evaluation.sasrec import SASRecMethod, sasrec_available

        if not sasrec_available():
            print("error: --sasrec needs PyTorch (pip install torch==2.13.0, CPU build)", file=sys.stderr)
            return 2
        methods.append(SASRecMethod(data.n_items, epochs=args.sasrec_epochs, seed=args.seed))
    motive: MotiveMethod | None = None
    if selected is None or "motive" in selected:
        motive = build_motive(space, embedder, args.domain)
        methods.append(motive)
    if selected is not None:
        unknown = selected - {m.name for m in methods}
        if unknown:
            print(f"error: unknown method(s) {sorted(unknown)}", file=sys.stderr)
            return 2
        methods = [m for m in methods if m.name in selected]

    tuned: dict[str, float] | None = None
    sets: list[TuningSet] | None = None
    tune_from = "valid+prefixes" if learn_from == "other-test-users" else learn_from
    t0 = time.perf_counter()
    if motive is not None and (args.tune or args.ablations):
        sets = tuning_sets(motive, data, tune_from, ablation=args.ablations, exclude_history=exclude)
    if motive is not None and args.tune:
        tuned, objective = tune_motive(motive, data, tune_from, sets=sets, exclude_history=exclude)
        motive.weights = tuned
        log(f"motive blend tuned on {TUNING_FOLDS} held-out folds of valid users in "
            f"{time.perf_counter() - t0:.1f}s: {tuned} (HR@10+NDCG@10 = {objective:.4f})")

    results: dict[str, dict[str, float]] = {}
    buckets: dict[str, dict[str, dict[str, float]]] = {}
    timings: dict[str, float] = {}
    cases: list[SeqCase] = data.splits[split]
    if args.limit:
        cases = cases[: args.limit]
    for method in methods:
        t0 = time.perf_counter()
        if split == "test" and learn_from == "other-test-users":
            ranks = _test_folds_ranks(method, data, cases, TEST_FOLDS, exclude)
            scored = cases
        elif split == "test":
            method.fit(train)
            ranks = rank_cases(method, cases, data.n_items, exclude_history=exclude)
            scored = cases
        else:
            scored, ranks = _cross_fitted_ranks(
                method, data, "valid+prefixes" if learn_from == "other-test-users" else learn_from, TUNING_FOLDS,
                exclude)
            if args.limit:
                scored, ranks = scored[: args.limit], ranks[: args.limit]
        timings[method.name] = round(time.perf_counter() - t0, 2)
        results[method.name] = metrics_of(ranks)
        lengths = np.array([history_length_bucket(len(c.history)) for c in scored])
        buckets[method.name] = {b: {**metrics_of(ranks[lengths == b]), "cases": int((lengths == b).sum())}
                                for b in BUCKETS}
        log(f"{method.name}: {timings[method.name]:.1f}s  HR@10 {results[method.name]['HR@10']:.4f}")

    ablations: dict[str, dict[str, float]] = {}
    if motive is not None and args.ablations and sets is not None:
        if split == "test" and learn_from != "other-test-users":
            ablations = ablation_table(motive, sets, train, cases, data.n_items, exclude)
        else:
            log("--ablations: only with --split test and a strict --learn-from; skipped")

    n_cases = len(cases)
    repeats = sum(1 for c in cases if c.target in c.history)
    elapsed = time.perf_counter() - started
    protocol = {
        "split": split,
        "cases": n_cases,
        "items": data.n_items,
        "ranking": ("all items; the case's own history items excluded for every method"
                    if exclude else "all items, history items included, for every method")
                   + "; ties count against the target",
        "exclude_history": exclude,
        "repeat_targets": repeats,
        "learned_from": (
            f"{train.source} + complete test sequences of the test users in the other of "
            f"{TEST_FOLDS} user folds (transductive: other users' test targets are read)"
            if split == "test" and learn_from == "other-test-users"
            else train.source if split == "test"
            else f"cross-fitted over {TUNING_FOLDS} folds of valid users"),
        "leakage": "no test target reaches any method (see apps/evaluation/seqrec_training.py)",
        "motive_weights": tuned if tuned is not None else (motive.weights if motive else None),
        "motive_weights_tuned_on": (f"{TUNING_FOLDS} held-out folds of valid users" if tuned is not None
                                    else "not tuned (--no-tune): defaults"),
        "embedder": getattr(embedder, "name", type(embedder).__name__),
        "limit": args.limit,
        "learns": {m.name: m.learns for m in methods},
    }
    print(f"\n{data.name}: {split} split, {n_cases} cases, {data.n_items} items ranked per case "
          + (f"(history excluded; {repeats} repeat targets count as misses)" if exclude
             else f"(history items ranked too; {repeats} targets repeat a history item)"))
    print(f"learned from: {protocol['learned_from']}")
    for method in methods:
        print(f"  {method.name:<12} learns {method.learns}")
    print(format_table(results, METRICS, PUBLISHED))
    print("\nby history length (HR@10 / NDCG@10, cases):")
    for method in results:
        cells = "  ".join(
            f"{b}: {buckets[method][b]['HR@10']:.4f}/{buckets[method][b]['NDCG@10']:.4f} ({buckets[method][b]['cases']})"
            for b in BUCKETS)
        print(f"  {method:<12} {cells}")
    if ablations:
        print("\nmotive ablations (each re-tuned on the valid folds, scored once on test):")
        print(format_table({k: {m: v for m, v in r.items() if m != "valid objective"} for k, r in ablations.items()},
                           METRICS))
    print(f"\nruntime {elapsed:.0f}s; per method: " + ", ".join(f"{k} {v:.0f}s" for k, v in timings.items()))
    if args.json:
        write_json(args.json, data.name, protocol, results, PUBLISHED,
                   by_history_length=buckets, runtime_seconds=round(elapsed, 1), method_seconds=timings,
                   **({"motive_ablations": ablations} if ablations else {}))
        log(f"wrote {args.json}")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path, help="MiniOneRec-format folder")
    parser.add_argument("--split", default="test", choices=("test", "valid"))
    parser.add_argument("--limit", type=int, default=0, help="evaluate only the first N cases (0: all)")
    parser.add_argument("--json", type=Path, default=None, help="write the results to this JSON file")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="embedding cache directory")
    parser.add_argument("--learn-from", default="valid+prefixes", choices=LEARN_FROM,
                        help="what learned methods read: valid, valid+prefixes (default; neither holds "
                             "a test target) or other-test-users (transductive, reported apart)")
    history = parser.add_mutually_exclusive_group()
    history.add_argument("--keep-history", dest="exclude_history", action="store_false",
                         help="rank every item, the case's own history items included, for every method "
                              "(default; as the published MiniOneRec evaluation does)")
    history.add_argument("--exclude-history", dest="exclude_history", action="store_true",
                         help="exclude each case's own history items from the ranking, for every method "
                              "(a target that repeats a history item is then a miss for all)")
    parser.set_defaults(exclude_history=False)
    parser.add_argument("--domain", default="any", choices=("any", "fashion", "b2b"),
                        help="motive vocabulary domain for the motive method")
    parser.add_argument("--methods", default="", help="comma-separated subset of methods to run")
    parser.add_argument("--no-tune", dest="tune", action="store_false",
                        help="use the default motive blend weights instead of tuning them on valid")
    parser.add_argument("--ablations", action="store_true",
                        help="also score variants of the motive blend (each re-tuned on valid)")
    parser.add_argument("--sasrec", action="store_true", help="also train SASRec (needs PyTorch)")
    parser.add_argument("--sasrec-epochs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
