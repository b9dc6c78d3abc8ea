"""``motive bench``'s measuring parts: the percentile, the recording fake model's LLM cost per turn
(which must not grow with the number of candidates), the tuned embedder against the one it
replaced, the 128-token descriptions, and the JSON report's shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

from apps.bench import (
    SCRIPT,
    LegacyMiniLM,
    Report,
    descriptions,
    llm_cost,
    percentile,
)
from agent.embeddings import OnnxMiniLMEmbedder


def test_percentile_by_hand():
    assert percentile([4, 1, 3, 2], 50) == 2.5  # between the 2nd and 3rd of 1, 2, 3, 4
    assert percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)  # 4 + 0.8 * (5 - 4)
    assert percentile([7.0], 95) == 7.0
    assert np.isnan(percentile([], 50))


def test_llm_calls_per_turn_do_not_grow_with_candidates(warm_deps):
    few = llm_cost(warm_deps, "boutique", SCRIPT, k=5)
    many = llm_cost(warm_deps, "boutique", SCRIPT, k=120)
    # The comparison means something only if the turns saw very different candidate pools and
    # ran on the LLM path (no fallback to the offline steps, which make no calls).
    assert max(few.candidates) <= 5 and max(many.candidates) > 5 * max(few.candidates)
    assert few.fallbacks == [] and many.fallbacks == []
    assert few.acts == many.acts and "recommend" in few.acts and "answer" in few.acts
    assert sum(few.calls) > 0
    assert many.calls == few.calls, f"calls per turn: {few.calls} with 5 candidates, {many.calls} with 120"
    # Prompts show a fixed number of candidates, so tokens may differ with the items' wording only.
    assert sum(many.tokens) <= 1.25 * sum(few.tokens)


def test_recording_model_answers_validly_on_a_synthetic_id_scheme(warm_deps):
    cost = llm_cost(warm_deps, "wholesale", ["we need nitrile gloves for a food plant",
                                             "what is the price for 500 units of the first one?"])
    assert cost.acts == ["recommend", "answer"] and cost.fallbacks == []
    assert cost.calls == [3, 4]  # read, draft, verify; read, tool call, answer, verify


def test_tuned_embedder_matches_the_one_it_replaced():
    texts = ["", "silk", "a warm wool coat for winter in the city, not too formal",
             *descriptions(["A floor-length column of silk georgette, embroidered by hand with "
                            "thousands of midnight glass sequins so it moves like dark water."] * 4, 5, 64),
             "nitrile gloves " * 80]  # longer than 128 word pieces: truncated alike
    reference = LegacyMiniLM().embed(texts)
    for embedder in (OnnxMiniLMEmbedder(), OnnxMiniLMEmbedder(batch_size=2, workers=2),
                     OnnxMiniLMEmbedder(batch_size=3, workers=1)):
        vectors = embedder.embed(texts)
        assert vectors.shape == (len(texts), 384) and vectors.dtype == np.float32
        cosines = np.sum(vectors * reference, axis=1)
        assert cosines.min() >= 0.9999, cosines  # same vectors, each in its input's row
        assert np.all(np.argmax(vectors @ reference.T, axis=1)[2:] == np.arange(2, len(texts)))


def test_descriptions_have_the_asked_number_of_word_pieces():
    texts = descriptions(["one short sentence about a coat.", "another about gloves."] * 5, 3, 40)
    tokens = OnnxMiniLMEmbedder(max_length=512).tokenize(texts)
    assert [len(t) - 2 for t in tokens] == [40, 40, 40]  # without [CLS] and [SEP]
    assert len(set(texts)) == 3
    with pytest.raises(ValueError, match="only"):
        descriptions(["too short"], 1, 40)


def test_report_json_shape(tmp_path):
    report = Report()
    report.add("boutique", **{"p50 ms": 80.0, "p95 ms": 120.0})
    report.add("boutique", turns=40)
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(report.to_json()))
    data = json.loads(path.read_text())
    assert data["dataset"] == "demo+synthetic" and "recording fake" in data["protocol"]
    assert data["methods"] == {"boutique": {"p50 ms": 80.0, "p95 ms": 120.0, "turns": 40}}


def test_bench_defaults():
    from apps.cli import build_parser

    args = build_parser().parse_args(["bench", "--json", "out.json"])
    assert args.sizes == [1000, 10000, 100000] and args.llm_k == [15, 60, 240] and args.json == "out.json"


def test_the_llm_bench_flags_what_no_one_should_read():
    from apps.bench_llm import unreadable
    from agent.models import BeliefState, Item, Recommendation, TurnOutput

    dress = Item(id="BQ-001", title="Linen Midi Dress", price=420.0, currency="EUR")
    rec = Recommendation(item_id="BQ-001", title="Linen Midi Dress", price=420.0, score=0.5, explanation="")

    def turn(reply, recs=()):
        return TurnOutput(turn=0, user="x", reply=reply, act="recommend", recommendations=list(recs),
                          belief=BeliefState())

    assert unreadable(turn("The Linen Midi Dress (BQ-001), €420, suits a summer wedding.", [rec]),
                      {"BQ-001": dress}) == []
    assert unreadable(turn("I'm sorry, but I can't assist with that request.", [rec]), {"BQ-001": dress}) == [
        "refusal: \"I'm sorry, but I can't\"", "omits the item it shows: BQ-001"]
    assert unreadable(turn('{"name": "lookup_item", "arguments": {"item_id": "BQ-001"}}'), {}) == [
        "tool call as text: '{\"name\":'", "markup: '{'"]
    echo = unreadable(turn("Write a short, warm reply to a shopper recommending up to 3 of the candidates"), {})
    assert echo and echo[0].startswith("prompt echo:")


def test_the_trait_sample_counts_what_the_model_wrote_and_what_the_checks_kept(warm_deps):
    """``python -m apps.bench_llm traits``: per item, the phrases written and kept; a prompt
    phrase of the prompt's own words the item's text does not support is written but not kept; a
    failed call is counted."""
    from apps.bench_llm import measure_traits
    from agent.llm import LLM
    from tests.fakes import ScriptedChatModel

    answer = {"functional": ["giving it signals", "light summer layer"], "aesthetic": ["soft drape"],
              "emotional": [], "occasion": ["garden party"], "price_tier": "premium", "source": "llm"}
    model = ScriptedChatModel(script=[answer, ConnectionError("down")])
    result = measure_traits(warm_deps.settings, LLM(model), per_catalog=2, catalogs=("boutique",), verbose=False,
                            deps=warm_deps)
    assert result["items"] == 2 and result["failed_calls"] == 1 and result["calls"] == 2
    first = result["rows"][0]
    assert first["functional"]["written"] == ["giving it signals", "light summer layer"]
    assert first["functional"]["kept"] == ["light summer layer"]
    assert result["phrases_written"] == 4 and result["phrases_kept"] == 3
    assert "ConnectionError" in result["rows"][1]["failed"]
