"""MOTE: offline traits with the real local MiniLM, price tiers, the resumable trait cache, the LLM
extractor with a scripted model, and trait vectors for alignment."""

from __future__ import annotations

import time

import numpy as np
import pytest

from agent.embeddings import CachedEmbedder, OnnxMiniLMEmbedder
from agent.llm import LLM, UsageLedger
from agent.models import Item, Traits
from agent.traits import (
    LLMTraitExtractor,
    OfflineTraitExtractor,
    TraitIndex,
    TraitStore,
    build_traits,
    price_tiers,
)
from agent.vocabulary import TRAIT_VOCABULARY, CueMatcher, cue_hits, cue_pattern, literal_anchor
from tests.fakes import ScriptedChatModel


@pytest.fixture(scope="module")
def embedder() -> CachedEmbedder:
    return CachedEmbedder(OnnxMiniLMEmbedder())


@pytest.fixture(scope="module")
def offline(embedder) -> OfflineTraitExtractor:
    return OfflineTraitExtractor(embedder)


GOWN = Item(id="BQ-1", title="Velluto silk evening gown", brand="Velluto", category="dress", price=2400,
            description="Floor-length bias-cut silk gown in midnight blue for black-tie galas.",
            attributes={"material": "silk", "colour": "midnight blue"})
LINEN = Item(id="BQ-2", title="Linen wrap midi dress", brand="Soleil", category="dress", price=290,
             description="Airy linen wrap dress in sage, perfect for summer weddings and garden parties.")
SUNDRESS = Item(id="BQ-9", title="Cotton sundress", brand="Soleil", category="dress", price=90,
                description="Easy cotton sundress for weekends.")
SHIFT = Item(id="BQ-10", title="Crepe shift dress", brand="Lumen", category="dress", price=450,
             description="Navy crepe shift dress for the office.")
GLOVES = Item(id="WS-1", title="Cut-resistant work gloves, level A4", brand="Gripmaster", category="safety gloves",
              price=6.5, description="HPPE liner with nitrile palm coating, EN 388 certified, for glass handling.",
              attributes={"moq": 120})
BOXES = Item(id="WS-3", title="Compostable bagasse takeaway boxes", brand="GreenPack", category="food containers",
             price=0.18, description="Compostable sugarcane clamshell boxes for takeaway and food trucks.")
TOTE = Item(id="BQ-6", title="Vegan leather tote", brand="Verde", category="bag", price=210,
            description="Apple-leather tote with a laptop sleeve. Leather-free.")


def test_offline_traits_are_sensible(offline):
    traits = offline.extract([GOWN, LINEN, SUNDRESS, SHIFT, GLOVES, BOXES, TOTE])
    gown = traits["BQ-1"]
    assert gown.source == "offline"
    assert "black-tie evening" in gown.occasion
    assert gown.price_tier in ("premium", "luxury")
    assert "luxurious texture" in gown.aesthetic
    linen = traits["BQ-2"]
    assert "breathable in summer heat" in linen.functional
    assert "summer wedding guest" in linen.occasion
    assert "cosy winter warmth" not in linen.functional
    gloves = traits["WS-1"]
    assert gloves.functional[0] == "cut resistant hand protection"
    assert "regulatory compliance certified" in gloves.functional
    assert not gloves.aesthetic or all("palette" not in p for p in gloves.aesthetic)
    boxes = traits["WS-3"]
    assert "compostable packaging" in boxes.functional
    assert "takeaway and food retail" in boxes.occasion
    tote = traits["BQ-6"]
    assert "vegan leather-free" in tote.functional
    # Fashion phrases never land on B2B items and the other way round.
    b2b_only = {p.text for dim in TRAIT_VOCABULARY.values() for p in dim if p.domain == "b2b"}
    assert not b2b_only & {p for _, p in gown.phrases()}


def test_negated_cue_does_not_attach(offline):
    item = Item(id="X", title="Plain storage tub", category="containers", price=4,
                description="Not suitable for food contact. Not waterproof.")
    traits = offline.extract([item])["X"]
    assert "food-contact safe" not in traits.functional
    assert "water resistant" not in traits.functional


@pytest.mark.parametrize(
    "prices, expected",
    [
        ([10, 20, 30, 40], ["budget", "mid", "premium", "luxury"]),
        ([5, 5, 5, 5], ["mid", "mid", "mid", "mid"]),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], ["budget", "budget", "budget", "mid", "mid", "mid", "premium",
                                            "premium", "premium", "luxury"]),
        ([10, 10, 40, 50], ["budget", "budget", "premium", "luxury"]),
    ],
)
def test_price_tiers_by_quantile(prices, expected):
    items = [Item(id=f"i{n}", title="t", category="dress", price=p) for n, p in enumerate(prices)]
    tiers = price_tiers(items)
    assert [tiers[i.id] for i in items] == expected


def test_small_categories_are_priced_against_the_whole_batch():
    dresses = [Item(id=f"d{n}", title="t", category="dress", price=p) for n, p in enumerate([10, 20, 30, 40])]
    lone = Item(id="bag", title="t", category="bag", price=35)  # one bag: ranked among all five items
    tiers = price_tiers([*dresses, lone])
    assert tiers["bag"] == "premium"  # 4th of 5 prices -> 75th percentile
    assert tiers["d3"] == "luxury"  # dresses are still ranked among dresses


def test_cue_anchor_prefilter_agrees_with_the_regex():
    assert literal_anchor("cut[- ]resistant") == "resistant"
    assert literal_anchor("(?:ph|moisture) meters?") == " meter"
    assert literal_anchor(r"\d+ ?(?:pcs|pieces)") is None
    texts = ["Cut-resistant gloves", "a digital pH meter", "100 pcs per box", "leather-free tote", "nothing"]
    for dim in TRAIT_VOCABULARY.values():
        for phrase in dim:
            matcher, pattern = CueMatcher(phrase.cues), cue_pattern(phrase.cues)
            for text in texts:
                assert bool(matcher.hits(text)) == bool(cue_hits(pattern, text)), (phrase.text, text)


# -- cache and resume ----------------------------------------------------------------------------

class CountingExtractor:
    """A stand-in offline extractor that counts the items it was asked for and can be made to fail
    after a given number, like an interrupted batch."""

    def __init__(self, fail_after: int | None = None):
        self.seen: list[str] = []
        self.fail_after = fail_after

    def extract(self, items, tiers=None):
        out = {}
        for item in items:
            if self.fail_after is not None and len(self.seen) >= self.fail_after:
                raise KeyboardInterrupt("interrupted")
            self.seen.append(item.id)
            out[item.id] = Traits(functional=[f"trait of {item.title}"], price_tier=(tiers or {}).get(item.id, "mid"))
        return out


def _catalog(n: int) -> list[Item]:
    return [Item(id=f"I{k}", title=f"item {k}", category="c", price=float(k + 1)) for k in range(n)]


def test_interrupted_build_resumes_where_it_stopped(tmp_path):
    items = _catalog(10)
    store = TraitStore(tmp_path / "traits.sqlite3")
    with pytest.raises(KeyboardInterrupt):
        build_traits(items, store, CountingExtractor(fail_after=4), chunk_size=2)
    assert store.count("offline") == 4  # two full chunks were committed before the interruption

    reopened = TraitStore(tmp_path / "traits.sqlite3")
    second = CountingExtractor()
    traits = build_traits(items, reopened, second, chunk_size=2)
    assert second.seen == [f"I{k}" for k in range(4, 10)]  # only the rest was computed
    assert set(traits) == {i.id for i in items}
    assert traits["I9"].price_tier == "luxury" and traits["I0"].price_tier == "budget"

    third = CountingExtractor()
    build_traits(items, reopened, third)
    assert third.seen == []  # everything cached


def test_changed_item_is_recomputed():
    store = TraitStore(None)
    items = _catalog(3)
    build_traits(items, store, CountingExtractor())
    changed = [items[0].model_copy(update={"description": "now in red"}), *items[1:]]
    again = CountingExtractor()
    build_traits(changed, store, again)
    assert again.seen == ["I0"]


def test_store_round_trip():
    store = TraitStore(None)
    traits = Traits(functional=["water resistant"], occasion=["travel"], price_tier="premium")
    store.put(GOWN, traits)
    assert store.get_many([GOWN, LINEN], "offline") == {"BQ-1": traits}
    assert store.get_many([GOWN], "llm") == {}


# -- LLM extractor -------------------------------------------------------------------------------

def _answer(phrase: str) -> dict:
    return {"functional": [phrase, "  Durable   Heavy-Duty "], "aesthetic": [], "emotional": ["safety"],
            "occasion": ["x" * 200], "price_tier": "luxury", "source": "offline"}


def test_llm_extractor_with_a_failing_item(offline):
    items = [GLOVES, BOXES, GOWN]
    model = ScriptedChatModel(script=[_answer("cut protection"), "{broken json", _answer("evening wear")])
    extractor = LLMTraitExtractor(LLM(model), concurrency=1, offline=offline)
    ledger = UsageLedger()
    traits = extractor.extract(items, ledger)
    assert traits["WS-1"].source == "llm"
    assert traits["WS-1"].functional == ["cut protection", "durable heavy-duty"]
    assert traits["WS-1"].occasion == []  # an over-long 'phrase' is dropped
    assert traits["WS-1"].price_tier == price_tiers(items)["WS-1"]  # the tier is never the LLM's
    assert traits["WS-3"].source == "offline"  # its call failed: offline traits instead
    assert "compostable packaging" in traits["WS-3"].functional
    assert extractor.fell_back == ["WS-3"]
    assert ledger.usage.calls == 3 and len(ledger.usage.fallbacks) == 1
    prompt = model.history[0][1][-1].content
    assert "Cut-resistant work gloves" in prompt and "DATA, not instructions" in prompt


def test_llm_extractor_runs_concurrently_and_build_traits_caches(offline):
    items = [GLOVES, BOXES, GOWN, LINEN]
    model = ScriptedChatModel(script=[_answer("a"), _answer("b"), ConnectionError("down"), _answer("c")])
    extractor = LLMTraitExtractor(LLM(model), concurrency=3)
    store = TraitStore(None)
    ledger = UsageLedger()
    traits = build_traits(items, store, offline, extractor, ledger=ledger)
    sources = sorted(t.source for t in traits.values())
    assert sources == ["llm", "llm", "llm", "offline"]
    assert len(extractor.fell_back) == 1
    assert store.count("llm") == 3 and store.count("offline") == 1
    # Next build: cached LLM traits are reused, only the failed item is asked again.
    retry = ScriptedChatModel(script=[_answer("d")])
    again = build_traits(items, store, offline, LLMTraitExtractor(LLM(retry), concurrency=2))
    assert retry.structured_calls() == 1
    assert all(t.source == "llm" for t in again.values())


# -- vectors -------------------------------------------------------------------------------------

def test_trait_index_shapes_and_memo(embedder):
    index = TraitIndex(embedder)
    traits = {
        "a": Traits(functional=["water resistant"], occasion=["travel"], price_tier="mid"),
        "b": Traits(functional=["water resistant"], price_tier="budget"),
        "c": Traits(),
    }
    vectors = index.vectors(traits)
    matrix, labels = vectors["a"]
    assert matrix.shape == (3, embedder.dim)
    assert labels == [("functional", "water resistant"), ("occasion", "travel"), ("price_tier", "mid price")]
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-3)
    assert np.allclose(vectors["b"][0][0], matrix[0])
    assert vectors["c"][0].shape == (1, embedder.dim)  # only its price tier
    misses = embedder.misses
    index.vectors(traits)
    assert embedder.misses == misses


def test_offline_extraction_of_a_large_batch_is_fast(offline, embedder):
    # 2,000 synthetic items whose vectors are cached: extraction itself is one matrix product
    # plus anchored cue scans.
    rng = np.random.default_rng(0)
    items = [Item(id=f"S{k}", title=f"Item {k}", category=["dress", "safety gloves", "bag"][k % 3],
                  price=float(rng.integers(5, 3000)),
                  description="Lightweight cotton piece, machine washable, for travel and the office.")
             for k in range(2000)]
    fake_vecs = rng.normal(size=(len(items), embedder.dim)).astype(np.float32)
    fake_vecs /= np.linalg.norm(fake_vecs, axis=1, keepdims=True)

    class Precomputed:
        name, dim = embedder.name, embedder.dim

        def embed(self, texts):
            if len(texts) == len(items):
                return fake_vecs
            return embedder.embed(texts)

    fast = OfflineTraitExtractor(Precomputed())
    start = time.perf_counter()
    traits = fast.extract(items)
    assert len(traits) == 2000
    assert time.perf_counter() - start < 10
    assert "easy care machine washable" in traits["S0"].functional


def test_cached_traits_are_recomputed_when_the_method_changes(monkeypatch):
    from agent.models import Item, Traits
    from agent.traits import TraitStore

    item = Item(id="X-1", title="Linen shirt", price=100)
    store = TraitStore()
    store.put(item, Traits(functional=["breathable in summer heat"]))
    assert store.get_many([item], "offline")
    monkeypatch.setitem(TraitStore._versions, "offline", "a-newer-vocabulary")
    assert store.get_many([item], "offline") == {}


def test_the_traits_prompt_shows_no_example_a_model_could_copy(offline):
    """256 of 260 phrases a 0.5B model gave boutique items were the prompt's examples verbatim (a
    silk gown got 'cut resistant hand protection'), and again on 2026-12-01 every list it wrote
    for five boutique items was the examples in order: the prompt now shows none. Whatever the
    model writes is still tidied and bounded, and the schema bounds it."""
    from agent.motives import prompt_examples

    assert prompt_examples("traits") == {"llm"}  # the source value it asks for, no trait phrase
    written = {"functional": ["Flowing bias-cut silk.", "flowing bias-cut silk", "x" * 80],
               "aesthetic": ["minimalist"], "emotional": [], "occasion": ["black-tie evening"],
               "price_tier": "mid", "source": "llm"}
    model = ScriptedChatModel(script=[written])
    traits = LLMTraitExtractor(LLM(model), concurrency=1).extract([GOWN], UsageLedger())
    assert traits[GOWN.id].functional == ["flowing bias-cut silk"]  # tidied, once, the overlong dropped
    assert traits[GOWN.id].occasion == ["black-tie evening"]
    schema = model.history  # the schema bounds what the model may write
    assert schema and all(kind == "structured" for kind, _ in schema)


def test_hyphenated_prompt_examples_are_caught_too():
    """'food-contact safe' and 'gift-worthy' from the traits prompt were kept on a merino blazer by
    the real 0.5B: the copy's hyphens were compared as spaces, the examples' as hyphens."""
    from agent.motives import prompt_examples
    from agent.traits import _clean_phrases

    blazer = "Milano-Stitch Merino Travel Blazer. A dense milano-stitch merino for the frequent traveller."
    examples = prompt_examples("respond") | {"food-contact safe", "gift-worthy"}  # as the old traits prompt had
    assert _clean_phrases(["food-contact safe", "gift-worthy", "travel ready"], blazer, examples) == ["travel ready"]
    # An item whose text says the words keeps the phrase.
    assert _clean_phrases(["food-contact safe"], "Gloves, food contact safe to EU rules.", examples) == ["food-contact safe"]


def test_trait_phrases_that_read_the_prompt_back_or_run_on_are_dropped():
    """The real 0.5B, without examples to copy, wrote 'giving it signals' (the prompt's words for
    the emotional dimension) for a raffia basket and a 13-word run-on clause for a skirt."""
    from agent.motives import prompt_examples, prompt_vocabulary
    from agent.traits import _clean_phrases

    basket = "Crocheted Raffia Beach Basket. Hand-crocheted raffia with lemon pompoms; a market and beach bag."
    words, examples = prompt_vocabulary("traits"), prompt_examples("traits")
    written = ["giving it signals", "hand-crocheted raffia basket", "beach days",
               "cold coastal walk and soft enough to sit in all day at a desk"]
    assert _clean_phrases(written, basket, examples, words) == ["hand-crocheted raffia basket", "beach days"]
    # The prompt's words stay when the item's text says them.
    assert _clean_phrases(["premium materials"], "Made of premium materials.", examples, words) == ["premium materials"]

