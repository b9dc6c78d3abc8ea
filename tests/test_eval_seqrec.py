"""``motive eval seqrec`` on a tiny MiniOneRec-format folder written here, with a hash embedder.

The leakage tests build a folder where one item (7) is only ever a test target (and, by the
sliding window, part of a *later* test history of the same user): no learned statistic may see it.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
import pytest

from agent.alignment import Aligner, Candidate
from apps.evaluation.alignment_table import AlignmentTable, mar_scores
from apps.evaluation.blend import TuningSet, coordinate_ascent
from apps.evaluation.bm25 import BM25Index, tokenize
from apps.evaluation.seqrec import add_arguments, run_seqrec
from apps.evaluation.seqrec_data import DataFormatError, SeqCase, history_length_bucket, load_seqrec
from apps.evaluation.seqrec_methods import (REPEAT_DECAY, ItemSpace, KnnMethod, PopularityMethod,
                                             RepeatRates, SessionKnnMethod, Transitions, popularity,
                                             repeat_presence)
from apps.evaluation.seqrec_training import Training, chained_users, fold_training, training
from agent.models import Item, Motive, Traits
from tests.fakes import HashEmbedder


ITEMS = {
    "0": ("Red PLA filament 1.75mm", "Acme"),
    "1": ("Blue PLA filament 1.75mm", "Acme"),
    "2": ("Nitrile gloves disposable, food safe", "SafeCo"),
    "3": ("Digital caliper stainless steel", "Measure"),
    "4": ("Super glue gel", "Gluey"),
    "5": ("Epoxy resin kit heavy duty", "Gluey"),
    "6": ("Safety glasses clear", "SafeCo"),
    "7": ("Laser engraver", "Lasr"),
}
HEADER = ["user_id", "history_item_title", "item_title", "history_item_id", "item_id",
          "history_item_sid", "item_sid"]
VALID = [("u1", [0], 1), ("u2", [2], 6), ("u1", [0, 1], 4), ("u2", [2, 6], 3), ("u3", [4], 5)]
TEST = [
    ("u1", [0, 1, 4], 5), ("u4", [3], 7), ("u1", [0, 1, 4, 5], 2), ("u4", [3, 7], 6),
    ("u5", [5], 0), ("u5", [6], 1),  # u5's rows do not chain: its prefix is not trusted
]


def _write_rows(path: Path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for user, history, target in rows:
            titles = [ITEMS[str(h)][0] for h in history]
            writer.writerow([user, repr(titles), ITEMS[str(target)][0], repr(history), target, "[]", ""])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "tiny-category"
    root.mkdir()
    index = {k: {"title": t, "brand": b, "categories": "", "description": f"['{t} for the workshop']"}
             for k, (t, b) in ITEMS.items()}
    (root / "index_Tiny.item.json").write_text(json.dumps(index), encoding="utf-8")
    _write_rows(root / "valid_Tiny_5_2016-10-2018-11.csv", VALID)
    _write_rows(root / "test_Tiny_5_2016-10-2018-11.csv", TEST)
    return root


def test_loads_any_category_by_pattern(folder: Path):
    data = load_seqrec(folder)
    assert data.n_items == 8
    assert data.items[7].title == "Laser engraver"
    assert "for the workshop" in data.texts[0]  # the description's list literal is unpacked
    test = data.splits["test"]
    assert test[0].history == (0, 1, 4) and test[0].target == 5
    assert len(data.splits["valid"]) == 5


def test_a_malformed_row_names_file_line_and_field(folder: Path):
    path = next(folder.glob("valid_*.csv"))
    path.write_text(path.read_text().replace("[0, 1]", "[0, 1", 1))
    with pytest.raises(DataFormatError, match=r"valid_Tiny.*\.csv:\d+: field history_item_id"):
        load_seqrec(folder)


def test_missing_split_file_is_a_clear_error(tmp_path: Path):
    (tmp_path / "index_X.item.json").write_text("{}")
    with pytest.raises(DataFormatError, match="valid_"):
        load_seqrec(tmp_path)


def test_history_length_buckets():
    assert [history_length_bucket(n) for n in (1, 2, 3, 5, 6, 10)] == ["1-2", "1-2", "3-5", "3-5", "6+", "6+"]


def test_no_test_target_reaches_popularity_or_transitions(folder: Path):
    data = load_seqrec(folder)
    train = training(data, "valid+prefixes")
    counts = popularity(train, data.n_items)
    assert counts[7] == 0  # only ever a test target (and in a later test history)
    assert counts[5] == 1  # u3's valid target; u1's *test* target 5 is not counted
    assert counts[3] == 2  # u2's valid target and u4's test prefix
    transitions = Transitions(train, data.n_items)
    assert transitions.row(3)[7] == 0  # u4's test target
    assert transitions.row(5)[2] == 0  # u1's second test target follows its first: never seen
    assert transitions.row(4)[5] == pytest.approx(np.log1p(1.0))  # u3's valid pair, counted once
    assert transitions.row(0)[1] > 0  # a valid transition is learned
    assert "u5" not in train.sequences  # rows that do not chain are not trusted
    knn = KnnMethod(data.n_items)
    knn.fit(train)
    case = data.splits["test"][1]  # u4: [3] -> 7
    assert knn.score([case])[0, 7] == 0.0
    pop = PopularityMethod(data.n_items)
    pop.fit(train)
    assert pop.score([case])[0, 7] == 0.0


def test_valid_only_reads_nothing_from_test(folder: Path):
    data = load_seqrec(folder)
    train = training(data, "valid")
    assert set(train.sequences) == {"u1", "u2", "u3"}
    assert train.sequences["u1"] == (0, 1, 4)


def test_chaining_check(folder: Path):
    data = load_seqrec(folder)
    assert chained_users(data.splits["test"]) == {"u1", "u4"}


def test_fold_training_holds_out_valid_targets(folder: Path):
    data = load_seqrec(folder)
    seen_held = set()
    for fold in range(2):
        train, held = fold_training(data, fold, 2)
        held_users = {c.user for c in held}
        seen_held |= held_users
        for user in held_users:
            first = min((c for c in held if c.user == user), key=lambda c: c.line)
            # only what the user had before their first held-out case: no valid target, and not
            # their test prefix either (it repeats those targets)
            assert train.sequences[user] == first.history
        for user, seq in train.sequences.items():
            if user not in held_users and user in {"u1", "u2", "u3"}:
                assert len(seq) > 1  # other valid users keep their targets
    assert seen_held == {"u1", "u2", "u3"}


def test_bm25_matches_rank_bm25():
    rank_bm25 = pytest.importorskip("rank_bm25")
    docs = ["red pla filament spool", "blue pla filament", "nitrile gloves box of 100", "epoxy glue kit"]
    query = "pla filament glue"
    ours = BM25Index(docs).score(query)
    ref = rank_bm25.BM25Okapi([tokenize(d) for d in docs]).get_scores(tokenize(query))
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6)


def test_vectorised_alignment_agrees_with_aligner():
    embedder = HashEmbedder(dim=16)
    items = [Item(id=str(i), title=t, price=1.0) for i, t in enumerate(["glove", "caliper", "glue"])]
    traits = {
        "0": Traits(functional=["cut resistant hand protection"], emotional=["safety and protection assurance"]),
        "1": Traits(functional=["lab grade precision"]),
        # item 2 has no traits: alignment 0, as Aligner scores it
    }
    motives = [Motive(text="wants to protect workers from injury", confidence=0.9, source="history"),
               Motive(text="needs lab-grade precision and accuracy", confidence=0.6, source="conversation")]
    aligner = Aligner(embedder)
    from agent.traits import TraitIndex

    vectors = TraitIndex(embedder).vectors(traits)
    similarity = np.array([0.2, 0.5, 0.1], dtype=np.float32)
    liked = [items[1]]
    scored = aligner.score([Candidate(i, float(s)) for i, s in zip(items, similarity)], motives, vectors, liked=liked)
    by_id = {s.item.id: s for s in scored}

    table = AlignmentTable.for_items(embedder, items, traits)
    alignment = table.alignment(motives)
    item_vecs = embedder.embed([i.text() for i in items])
    like = (embedder.embed([i.text() for i in liked]) @ item_vecs.T).max(axis=0)
    ours = mar_scores(similarity[None, :], alignment[None, :], like[None, :], np.array([True]))[0]
    for i, item in enumerate(items):
        assert alignment[i] == pytest.approx(by_id[item.id].alignment, abs=1e-5)
        assert ours[i] == pytest.approx(by_id[item.id].score, abs=1e-3)


def test_coordinate_ascent_finds_the_useful_signal():
    rng = np.random.default_rng(0)
    noise = rng.random((50, 20)).astype(np.float32)
    targets = rng.integers(0, 20, size=50)
    oracle = np.zeros((50, 20), dtype=np.float32)
    oracle[np.arange(50), targets] = 1.0
    sets = [TuningSet({"noise": noise, "oracle": oracle}, targets)]
    weights, objective = coordinate_ascent(sets, {"noise": 1.0, "oracle": 0.0}, fixed=("noise",))
    assert weights["oracle"] >= 1.0  # enough to put every target first
    assert objective == pytest.approx(2.0)  # HR@10 = NDCG@10 = 1


def _args(folder: Path, tmp_path: Path, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(["--data", str(folder), "--cache", str(tmp_path / "cache"), *extra])


def test_run_seqrec_end_to_end_writes_the_json(folder: Path, tmp_path: Path, capsys):
    out = tmp_path / "seqrec.json"
    assert run_seqrec(_args(folder, tmp_path, "--json", str(out), "--domain", "b2b"), embedder=HashEmbedder(dim=16)) == 0
    printed = capsys.readouterr().out
    assert "MiniOneRec (published)" in printed and "motive" in printed
    payload = json.loads(out.read_text())
    assert payload["dataset"] == "tiny-category"
    assert set(payload["methods"]) == {"popularity", "bm25", "dense", "knn", "sknn", "motive"}
    for metrics in payload["methods"].values():
        assert set(metrics) == {"HR@5", "HR@10", "NDCG@5", "NDCG@10"}
        assert all(0.0 <= v <= 1.0 for v in metrics.values())
    assert payload["protocol"]["cases"] == len(TEST)
    assert payload["published"]["MiniOneRec"]["HR@10"] == 0.1586
    assert set(payload["by_history_length"]["motive"]) == {"1-2", "3-5", "6+"}


def test_run_seqrec_subset_and_limit(folder: Path, tmp_path: Path):
    out = tmp_path / "subset.json"
    args = _args(folder, tmp_path, "--methods", "popularity,knn", "--limit", "2", "--json", str(out))
    assert run_seqrec(args, embedder=HashEmbedder(dim=16)) == 0
    payload = json.loads(out.read_text())
    assert set(payload["methods"]) == {"popularity", "knn"}
    assert payload["protocol"]["cases"] == 2


def test_run_seqrec_reports_a_bad_folder(tmp_path: Path, capsys):
    assert run_seqrec(_args(tmp_path / "nope", tmp_path), embedder=HashEmbedder(dim=16)) == 2
    assert "not a directory" in capsys.readouterr().err


def test_session_knn_votes_for_items_of_similar_sequences(folder: Path):
    data = load_seqrec(folder)
    method = SessionKnnMethod(data.n_items)
    method.fit(training(data, "valid"))
    scores = method.score([data.splits["test"][0]])[0]  # history 0, 1, 4: like u1's valid sequence
    assert scores[1] > scores[2]


def test_item_space_neighbours_exclude_the_item_itself(folder: Path):
    data = load_seqrec(folder)
    space = ItemSpace(items=data.items, vectors=HashEmbedder(dim=16).embed(data.texts), bm25=BM25Index(data.texts))
    for i, row in enumerate(space.neighbours):
        assert i not in row.tolist()


def test_eval_commands_parse_and_dispatch(folder: Path, tmp_path: Path, monkeypatch):
    from apps.evaluation import cli, seqrec
    from apps.evaluation.__main__ import main

    parser = argparse.ArgumentParser(prog="motive")
    cli.add_eval_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", "crs", "--data", "d", "--items-text", "f.csv", "--limit", "5"])
    assert args.limit == 5 and args.tune is True and callable(args.handler)
    seen = {}
    monkeypatch.setattr(seqrec, "run_seqrec", lambda a: seen.setdefault("data", a.data) and 0)
    assert main(["seqrec", "--data", str(folder), "--cache", str(tmp_path)]) == 0
    assert seen["data"] == folder


@pytest.mark.slow
def test_sasrec_is_optional_and_trains_on_the_training_sequences(folder: Path):
    pytest.importorskip("torch", reason="SASRec is an optional extra (pip install torch==2.13.0)")
    from apps.evaluation.sasrec import SASRecMethod

    data = load_seqrec(folder)
    method = SASRecMethod(data.n_items, epochs=3, seed=0)
    method.fit(training(data, "valid+prefixes"))
    scores = method.score(data.splits["test"])
    assert scores.shape == (len(TEST), data.n_items)
    assert np.isfinite(scores).all()
    again = SASRecMethod(data.n_items, epochs=3, seed=0)
    again.fit(training(data, "valid+prefixes"))
    np.testing.assert_allclose(again.score(data.splits["test"]), scores, rtol=1e-4, atol=1e-5)  # fixed seed


def test_other_test_users_never_reads_the_users_own_targets(folder: Path):
    from apps.evaluation.seqrec_training import test_fold_training

    data = load_seqrec(folder)
    for fold in range(3):
        train, cases = test_fold_training(data, fold, 3)
        held = {c.user for c in cases}
        counts = popularity(train, data.n_items)
        if "u4" in held:
            assert counts[7] == 0  # u4's own test target stays unseen
        else:
            assert counts[7] == 1  # another fold's test target is read (transductive)
        assert "transductive" in train.source


def test_run_seqrec_ablations(folder: Path, tmp_path: Path):
    out = tmp_path / "ablations.json"
    assert run_seqrec(_args(folder, tmp_path, "--ablations", "--json", str(out)), embedder=HashEmbedder(dim=16)) == 0
    ablations = json.loads(out.read_text())["motive_ablations"]
    assert "full, as benchmarked" in ablations and "MAR without the motive-trait alignment" in ablations
    assert ablations["full, as benchmarked"]["HR@10"] == json.loads(out.read_text())["methods"]["motive"]["HR@10"]


# --- history exclusion and the repeat signals --------------------------------------------------

def test_repeat_presence_is_recency_weighted_on_history_items_only():
    case = SeqCase(user="u", history=(3, 1, 3, 2), target=0, line=1)
    row = repeat_presence([case], 5)[0]
    assert row[2] == pytest.approx(1.0)  # the last item
    assert row[3] == pytest.approx(REPEAT_DECAY)  # its latest occurrence counts (2nd most recent)
    assert row[1] == pytest.approx(REPEAT_DECAY ** 2)
    assert row[0] == 0.0 and row[4] == 0.0  # not in the history


def test_repeat_rates_count_re_purchases_and_shrink_to_the_global_rate():
    # item 0 is bought again right away twice out of 4 chances; items 1 and 2 never come back
    train = Training({"a": (0, 0, 1, 2), "b": (0, 1, 2), "c": (1, 2, 0, 0)}, "hand-made")
    rates = RepeatRates(train, 4, window=1)
    assert rates.opportunities.tolist() == [4, 3, 1, 0]  # the last item of a sequence has no chance
    assert rates.repeats.tolist() == [2, 0, 0, 0]
    assert rates.global_rate == pytest.approx(2 / 8)
    smoothed = rates.rates(prior=2.0)  # no item space: shrunk straight to the global rate
    assert smoothed[0] == pytest.approx((2 + 2 * 0.25) / (4 + 2))
    assert smoothed[1] == pytest.approx((0 + 2 * 0.25) / (3 + 2))
    assert smoothed[3] == pytest.approx(0.25)  # never seen: the global rate
    assert smoothed[2] == pytest.approx((0 + 2 * 0.25) / (1 + 2))  # one chance says little


def test_motive_repeat_signals_alone_score_history_items(folder: Path):
    from apps.evaluation.seqrec import build_motive, build_space

    data = load_seqrec(folder)
    embedder = HashEmbedder(dim=16)
    motive = build_motive(build_space(data, embedder), embedder, "b2b")
    motive.fit(Training({"a": (0, 0, 1, 4), "b": (2, 6, 6, 3), "c": (0, 1, 4, 5)}, "hand-made"))
    case = SeqCase(user="x", history=(2, 6), target=6, line=1)
    features = motive.features([case])
    assert features["repeat"][0, 6] == pytest.approx(1.0)
    assert features["repeat"][0, 2] == pytest.approx(REPEAT_DECAY)
    assert features["repeat"][0, 3] == 0.0
    # 6 was re-bought in training, 2 never: the learned rate tells them apart
    assert features["repeat_rate"][0, 6] > features["repeat_rate"][0, 2] / REPEAT_DECAY
    # every other signal is silent on history items: the repeat signals alone decide a repeat
    for name in ("mar", "recent_like", "knn", "sknn", "bm25", "bm25_last", "popularity"):
        assert features[name].shape == (1, data.n_items)
        assert features[name][0, [2, 6]].tolist() == [0.0, 0.0], name
    assert features["knn"][0, 3] > 0 and features["popularity"][0, 0] > 0


class _ScoresHistoryFirst:
    """A method that scores the case's history items highest (as popularity can)."""

    name = "history-first"
    learns = "nothing"

    def fit(self, training) -> None:
        pass

    def score(self, cases):
        out = np.zeros((len(cases), 8), dtype=np.float32)
        for i, case in enumerate(cases):
            out[i, list(case.history)] = 1.0
        return out


def test_exclude_history_removes_history_items_from_every_ranking(folder: Path):
    from apps.evaluation.seqrec import rank_cases

    data = load_seqrec(folder)
    repeat = SeqCase(user="x", history=(3, 5), target=5, line=1)
    novel = SeqCase(user="x", history=(3, 5), target=0, line=1)
    method = _ScoresHistoryFirst()
    kept = rank_cases(method, [repeat, novel], data.n_items, exclude_history=False)
    excluded = rank_cases(method, [repeat, novel], data.n_items, exclude_history=True)
    assert kept.tolist() == [2, 8]  # the repeat can be hit; ties count against the target
    assert excluded[0] == data.n_items  # a history item ranks last: a miss
    assert excluded[1] == 6  # the 2 history items no longer sit above the target


@pytest.mark.parametrize("flag, excluded", [("--keep-history", False), ("--exclude-history", True), (None, False)])
def test_history_option_applies_to_every_method(folder: Path, tmp_path: Path, flag, excluded):
    out = tmp_path / "run.json"
    extra = [flag] if flag else []
    assert run_seqrec(_args(folder, tmp_path, "--json", str(out), *extra), embedder=HashEmbedder(dim=16)) == 0
    payload = json.loads(out.read_text())
    assert payload["protocol"]["exclude_history"] is excluded
    data = load_seqrec(folder)
    repeats = [i for i, c in enumerate(data.splits["test"]) if c.target in c.history]
    assert payload["protocol"]["repeat_targets"] == len(repeats)
    if excluded:
        assert payload["protocol"]["motive_weights"]["repeat"] == 0.0
        assert payload["protocol"]["motive_weights"]["repeat_rate"] == 0.0


def test_history_option_reaches_every_method_ranking(folder: Path, monkeypatch):
    """Every method is ranked through the same function, with the option as given."""
    from apps.evaluation import seqrec

    seen = []
    real = seqrec.rank_cases

    def spy(method, cases, n_items, chunk=seqrec.CHUNK, exclude_history=False):
        seen.append((method.name, exclude_history))
        return real(method, cases, n_items, chunk, exclude_history=exclude_history)

    monkeypatch.setattr(seqrec, "rank_cases", spy)
    for flag, expected in (("--exclude-history", True), ("--keep-history", False)):
        seen.clear()
        assert run_seqrec(_args(folder, folder.parent, "--no-tune", flag), embedder=HashEmbedder(dim=16)) == 0
        assert {name for name, _ in seen} == {"popularity", "bm25", "dense", "knn", "sknn", "motive"}
        assert all(ex is expected for _, ex in seen)


def test_the_two_history_flags_are_exclusive(folder: Path, tmp_path: Path):
    with pytest.raises(SystemExit):
        _args(folder, tmp_path, "--keep-history", "--exclude-history")


def test_bm25_drops_the_documents_part_of_the_one_stopword_list():
    from agent.reading.lexicon import language

    stop = language("en").stopwords
    assert stop.documents < stop.words
    # 'made' is a reader's stopword but a product word in item texts; 'the' and 'as' are dropped.
    assert tokenize("Made in Portugal, the same as the 1.75mm spool") == ["made", "portugal", "same", "1.75mm", "spool"]
