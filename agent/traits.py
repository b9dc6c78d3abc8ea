"""MOTE: every item distilled once into :class:`~agent.models.Traits`, cached, and turned into
vectors for alignment.

Offline method (:class:`OfflineTraitExtractor`, the default)
-----------------------------------------------------------
1. *Cue phrases (precise).* For each trait phrase of :mod:`agent.vocabulary`, its cue words are
   matched on word boundaries in the item's text (``Item.text()``: title, brand, category,
   description, attributes). A negated cue ("leather-free", "not for food contact") does not
   count. Cue phrases are listed first in each dimension.
2. *Similar phrases (recall).* The item text and every vocabulary phrase are embedded (the
   embedder caches, so each text is embedded once ever) and compared by cosine; a phrase is
   embedded with its plain cue words appended (:func:`phrase_anchor`), which pins a short
   generic phrase to the words catalogs actually use. The item's
   domain is the one (fashion or B2B) whose phrases it resembles more (mean of the five best
   cosines, plus :data:`CUE_DOMAIN_BONUS` per cue phrase of that domain it contains), pulled
   towards the batch's majority domain by up to :data:`BATCH_PRIOR`; only phrases of that domain
   or of ``any`` are eligible, for cues and similarity alike. Phrases that state a checkable fact
   (certified, food-contact safe, leather-free, water resistant, ...; ``cue_only`` in the
   vocabulary) are never attached by similarity: embeddings ignore negation and would call
   lambskin "leather-free". Per dimension, the
   :data:`TOP_K` best eligible phrases are kept when their cosine is at least
   :data:`MIN_SIMILARITY` and within :data:`RELATIVE_MARGIN` of the item's best phrase in that
   dimension, so weakly related phrases never ride along. In a dimension where cues already
   found phrases, similarity may only add one with a cosine of :data:`STRONG_SIMILARITY` or more;
   elsewhere a phrase below that must also stand out, beating the dimension's next-ranked phrase
   (rank ``TOP_K + 1``) by :data:`DISTINCT_GAP`, because an item that resembles many phrases
   about equally (a pyjama set is 0.40 "black-tie", 0.38 "cocktail") matches none of them.
3. Each dimension keeps at most :data:`MAX_PER_DIMENSION` phrases.
4. *Price tier* is the item's price percentile within its category among the items given
   (its rank from the cheapest, 0, to the dearest, 1; ties share their average rank): budget
   below 25 %, mid below 60 %, premium below 90 %, luxury from 90 %. A category with
   fewer than four items is ranked against the whole batch. :func:`build_traits` recomputes tiers
   for the whole batch every time (cheap), so a cached item's tier follows its catalog.

The whole batch is one matrix product (items x phrases), so 5,000 items take a few seconds once
their vectors are cached.

LLM method (:class:`LLMTraitExtractor`)
---------------------------------------
One structured call per item (``prompts/traits.txt``), a bounded number in flight. The price tier
is never taken from the LLM (it cannot see the catalog's price distribution): the quantile tier
above replaces it. An item whose call fails gets offline traits instead, and its id is recorded.

Caching (:class:`TraitStore`, :func:`build_traits`)
---------------------------------------------------
Traits are stored in SQLite keyed by (item content hash, source) and committed after every
item (LLM) or chunk (offline), so an interrupted build resumes where it stopped and an item
whose content changed is recomputed.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Annotated, Iterable, Iterator, Literal, Protocol

from pydantic import Field, WithJsonSchema, create_model

import numpy as np

from agent.embeddings import Embedder
from agent.llm import LLM, UsageLedger
from agent.models import Item, PriceTier, Traits
from agent.vocabulary import DIMENSIONS, TRAIT_VOCABULARY, CueMatcher, TraitPhrase, readable_cue
from prompts import render

log = logging.getLogger(__name__)

TOP_K = 2
"""Similar (non-cue) phrases kept per dimension, at most."""
MIN_SIMILARITY = 0.35
"""Cosine below which a phrase is never attached by similarity alone."""
STRONG_SIMILARITY = 0.55
"""In a dimension where cue phrases were found, a phrase needs this cosine to be added too."""
RELATIVE_MARGIN = 0.05
DISTINCT_GAP = 0.05
"""Below STRONG_SIMILARITY, a similar phrase must beat the dimension's (TOP_K+1)-th phrase by this."""
"""A similar phrase must be within this cosine of the item's best phrase in its dimension."""
MAX_PER_DIMENSION = 5
CUE_DOMAIN_BONUS = 0.03
"""Added to a domain's score per cue phrase of that domain found in the item's text."""
BATCH_PRIOR = 0.1
"""Pull of the batch's majority domain: ``BATCH_PRIOR * (2 * share - 1)`` added to each item's lean."""
TIER_CUTS: tuple[tuple[float, PriceTier], ...] = ((0.25, "budget"), (0.60, "mid"), (0.90, "premium"))
MIN_CATEGORY_SIZE = 4
"""Categories smaller than this are priced against the whole batch."""
MAX_LLM_PHRASE_CHARS = 60
"""LLM trait phrases longer than this are dropped (a phrase, not a paragraph)."""


# ---------------------------------------------------------------------------------------------
# Price tiers
# ---------------------------------------------------------------------------------------------

def _tier(percentile: float) -> PriceTier:
    for cut, tier in TIER_CUTS:
        if percentile < cut:
            return tier
    return "luxury"


def price_tiers(items: list[Item]) -> dict[str, PriceTier]:
    """Each item's price tier from its price percentile within its category (see module
    docstring); categories with fewer than :data:`MIN_CATEGORY_SIZE` items use the whole batch."""
    if not items:
        return {}
    all_prices = np.array([i.price for i in items], dtype=np.float64)
    by_category: dict[str, list[float]] = {}
    for item in items:
        by_category.setdefault(item.category, []).append(item.price)
    grouped = {c: np.array(p) for c, p in by_category.items() if len(p) >= MIN_CATEGORY_SIZE}
    out: dict[str, PriceTier] = {}
    for item in items:
        prices = grouped.get(item.category, all_prices)
        if len(prices) < 2:
            out[item.id] = _tier(0.5)
            continue
        below = float((prices < item.price).sum())
        equal = float((prices == item.price).sum())
        # Position between the cheapest (0) and the dearest (1); ties share their average rank,
        # so equal prices always get equal tiers.
        percentile = (below + (equal - 1) / 2) / (len(prices) - 1)
        out[item.id] = _tier(percentile)
    return out


# ---------------------------------------------------------------------------------------------
# Offline extraction
# ---------------------------------------------------------------------------------------------

class TraitExtractor(Protocol):
    def extract(self, items: list[Item], tiers: dict[str, PriceTier] | None = None) -> dict[str, Traits]:
        ...


class OfflineTraitExtractor:
    """Vocabulary cues plus embedding similarity; see the module docstring for the method."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._phrases: list[tuple[str, TraitPhrase]] = [
            (dim, phrase) for dim in DIMENSIONS for phrase in TRAIT_VOCABULARY[dim]
        ]
        self._matchers = [CueMatcher(p.cues) for _, p in self._phrases]
        self._dims = np.array([DIMENSIONS.index(d) for d, _ in self._phrases])
        self._domains = np.array([p.domain for _, p in self._phrases])
        self._cue_only = np.array([p.cue_only for _, p in self._phrases])
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def phrase_vectors(self) -> np.ndarray:
        """Embeddings of every vocabulary phrase, in vocabulary order (computed once)."""
        with self._lock:
            if self._vectors is None:
                self._vectors = self.embedder.embed([phrase_anchor(p) for _, p in self._phrases])
            return self._vectors

    def _cue_matches(self, text: str) -> list[int]:
        lowered = text.lower()
        return [idx for idx, matcher in enumerate(self._matchers) if matcher.hits(text, lowered)]

    def extract(self, items: list[Item], tiers: dict[str, PriceTier] | None = None) -> dict[str, Traits]:
        """Traits for ``items`` keyed by item id (``source='offline'``). ``tiers`` overrides the
        price tiers (pass tiers computed over the whole catalog when ``items`` is a subset)."""
        if not items:
            return {}
        tiers = tiers if tiers is not None else price_tiers(items)
        phrase_vecs = self.phrase_vectors()
        item_vecs = self.embedder.embed([i.text() for i in items])
        sims = item_vecs @ phrase_vecs.T  # (items, phrases)
        fashion = self._domains == "fashion"
        b2b = self._domains == "b2b"
        anywhere = self._domains == "any"
        cues = [self._cue_matches(item.text()) for item in items]
        # Domain of each item: phrase resemblance plus its cue phrases, then a prior from the
        # batch (a catalog is usually one domain, so a lab-grown diamond stays jewellery).
        lean = np.zeros(len(items))
        for row, cue_idx in enumerate(cues):
            lean[row] = (_top_mean(sims[row][fashion]) - _top_mean(sims[row][b2b])
                         + CUE_DOMAIN_BONUS * (sum(1 for i in cue_idx if fashion[i]) - sum(1 for i in cue_idx if b2b[i])))
        fashion_share = float((lean >= 0).mean())
        lean += BATCH_PRIOR * (2 * fashion_share - 1)
        out: dict[str, Traits] = {}
        for row, item in enumerate(items):
            sim = sims[row]
            cue_idx = cues[row]
            domain_mask = anywhere | (fashion if lean[row] >= 0 else b2b)
            chosen: dict[int, list[int]] = {d: [] for d in range(len(DIMENSIONS))}
            # Cue phrases first, strongest similarity first among them.
            for idx in sorted(cue_idx, key=lambda i: -sim[i]):
                if domain_mask[idx]:
                    chosen[int(self._dims[idx])].append(idx)
            for d in range(len(DIMENSIONS)):
                eligible = np.flatnonzero((self._dims == d) & domain_mask & ~self._cue_only)
                if not len(eligible):
                    continue
                # Where cues already spoke, similarity may only add a phrase it is sure about.
                floor = STRONG_SIMILARITY if chosen[d] else MIN_SIMILARITY
                ranked = eligible[np.argsort(-sim[eligible])]
                best = float(sim[ranked[0]])
                runner_up = float(sim[ranked[TOP_K]]) if len(ranked) > TOP_K else -1.0
                for idx in ranked[:TOP_K]:
                    value = float(sim[idx])
                    if value < floor or value < best - RELATIVE_MARGIN:
                        break
                    if value < STRONG_SIMILARITY and value - runner_up < DISTINCT_GAP:
                        break  # not distinctive: the item resembles many phrases about equally
                    if idx not in chosen[d]:
                        chosen[d].append(int(idx))
            fields = {
                dim: [self._phrases[i][1].text for i in chosen[d][:MAX_PER_DIMENSION]]
                for d, dim in enumerate(DIMENSIONS)
            }
            out[item.id] = Traits(**fields, price_tier=tiers.get(item.id, "mid"), source="offline")
        return out


def phrase_anchor(phrase: TraitPhrase, max_cues: int = 6) -> str:
    """The text embedded for a vocabulary phrase: the phrase followed by its first plain cue
    words ('black-tie evening: gala, evening gown, ball gown, opera'), which pins a short,
    generic phrase to the concrete words catalogs use."""
    words = [w for w in (readable_cue(c) for c in phrase.cues) if w][:max_cues]
    return f"{phrase.text}: {', '.join(words)}" if words else phrase.text


def _top_mean(values: np.ndarray, k: int = 5) -> float:
    if not len(values):
        return -1.0
    k = min(k, len(values))
    return float(np.partition(values, -k)[-k:].mean())


# ---------------------------------------------------------------------------------------------
# LLM extraction
# ---------------------------------------------------------------------------------------------

MAX_LLM_PHRASE_WORDS = 8
"""Longest trait phrase in words (the prompt asks for 2 to 6): longer ones were clauses copied or
run together from the item's text ('cold coastal walk and soft enough to sit in all day at adesk')."""


def _clean_phrases(values: Iterable[str], source: str = "", examples: set[str] = frozenset(),
                   vocabulary: frozenset[str] = frozenset()) -> list[str]:
    """Phrases as stored: tidied, bounded, without repeats, and without any that is one of the
    prompt's ``examples`` or made only of the prompt's own words (``vocabulary``: 'giving it
    signals') unless the item's text (``source``) supports it: small models copy the examples
    ('cut resistant hand protection' for a silk gown) and read their instructions back."""
    from agent.motives import copies_example

    out: list[str] = []
    for value in values:
        phrase = " ".join(str(value).split()).strip(" .;,-").lower()
        if phrase and len(phrase) <= MAX_LLM_PHRASE_CHARS and len(phrase.split()) <= MAX_LLM_PHRASE_WORDS \
                and phrase not in out and not copies_example(phrase, source, examples, vocabulary):
            out.append(phrase)
    return out[:MAX_PER_DIMENSION]


def trait_schema() -> type[Traits]:
    """:class:`Traits` as the model sees it: at most :data:`MAX_PER_DIMENSION` phrases of at most
    :data:`MAX_LLM_PHRASE_CHARS` characters per dimension (parsing stays lenient; code trims)."""
    phrases = {"type": "array", "items": {"type": "string", "maxLength": MAX_LLM_PHRASE_CHARS},
               "maxItems": MAX_PER_DIMENSION}
    dims = {d: (Annotated[list[str], WithJsonSchema(phrases)], Field(default_factory=list))
            for d in ("functional", "aesthetic", "emotional", "occasion")}
    return create_model("Traits", __base__=Traits, **dims)


class LLMTraitExtractor:
    """One structured LLM call per item, ``concurrency`` in flight; failures fall back to
    ``offline`` (when given) and are listed in :attr:`fell_back`."""

    def __init__(self, llm: LLM, concurrency: int = 4, offline: OfflineTraitExtractor | None = None):
        self.llm = llm
        self.concurrency = max(1, concurrency)
        self.offline = offline
        self.fell_back: list[str] = []
        """Ids of items whose LLM call failed during the last :meth:`extract` / :meth:`iter_extract`."""
        self._lock = threading.Lock()

    def prompt(self, item: Item) -> str:
        return render("traits", item_id=item.id, item_text=item.text(), category=item.category or "unknown")

    def extract_one(self, item: Item, ledger: UsageLedger) -> Traits | None:
        """Traits for one item from the LLM, or None when the call failed."""
        draft = self.llm.structured("traits", self.prompt(item), trait_schema(), ledger)
        if draft is None:
            return None
        from agent.motives import prompt_examples, prompt_vocabulary

        text, examples, words = item.text(), prompt_examples("traits"), prompt_vocabulary("traits")
        traits = Traits(
            functional=_clean_phrases(draft.functional, text, examples, words),
            aesthetic=_clean_phrases(draft.aesthetic, text, examples, words),
            emotional=_clean_phrases(draft.emotional, text, examples, words),
            occasion=_clean_phrases(draft.occasion, text, examples, words),
            price_tier=draft.price_tier,
            source="llm",
        )
        if not any((traits.functional, traits.aesthetic, traits.emotional, traits.occasion)):
            ledger.fallback("traits", f"no trait phrases for item {item.id} (none, or only the prompt's examples)")
            return None
        return traits

    def iter_extract(self, items: list[Item], ledger: UsageLedger,
                     tiers: dict[str, PriceTier] | None = None) -> Iterator[tuple[Item, Traits | None]]:
        """Yield ``(item, traits or None)`` as calls complete; at most ``concurrency`` in flight.
        Stopping the iteration (or an exception in the consumer) cancels the calls not started."""
        tiers = tiers if tiers is not None else price_tiers(items)
        with self._lock:
            self.fell_back = []
        pending: dict[Future, Item] = {}
        queue = iter(items)
        executor = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="traits")
        try:
            for item in queue:
                pending[executor.submit(self.extract_one, item, ledger)] = item
                if len(pending) >= self.concurrency:
                    break
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    item = pending.pop(future)
                    try:
                        traits = future.result()
                    except Exception as exc:  # a bug in a fake or a provider: degrade this item only
                        ledger.fallback("traits", f"{type(exc).__name__} for item {item.id}")
                        traits = None
                    if traits is None:
                        with self._lock:
                            self.fell_back.append(item.id)
                    else:
                        traits = traits.model_copy(update={"price_tier": tiers.get(item.id, traits.price_tier)})
                    yield item, traits
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending[executor.submit(self.extract_one, nxt, ledger)] = nxt
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    def extract(self, items: list[Item], ledger: UsageLedger,
                tiers: dict[str, PriceTier] | None = None) -> dict[str, Traits]:
        """Traits for every item: LLM where it answered, offline (if configured) where it did not."""
        tiers = tiers if tiers is not None else price_tiers(items)
        out: dict[str, Traits] = {}
        failed: list[Item] = []
        for item, traits in self.iter_extract(items, ledger, tiers):
            if traits is None:
                failed.append(item)
            else:
                out[item.id] = traits
        if failed and self.offline is not None:
            out.update(self.offline.extract(failed, tiers))
        return out


# ---------------------------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------------------------

TraitSource = Literal["llm", "offline"]


def method_version(source: TraitSource) -> str:
    """A fingerprint of how ``source`` traits are made (the vocabulary and thresholds offline, the
    prompt for the LLM), so cached traits are recomputed when the method changes."""
    if source == "offline":
        basis = repr((TRAIT_VOCABULARY, TOP_K, MIN_SIMILARITY, STRONG_SIMILARITY, RELATIVE_MARGIN,
                      DISTINCT_GAP, MAX_PER_DIMENSION, CUE_DOMAIN_BONUS))
    else:
        from prompts import load

        basis = load("traits")
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:12]


class TraitStore:
    """SQLite cache of traits keyed by (item content hash + method version, source); ``path=None``
    is in memory. Thread-safe; every write is committed at once."""

    _versions: dict[str, str] = {}

    @classmethod
    def _key(cls, item: Item, source: str) -> str:
        if source not in cls._versions:
            cls._versions[source] = method_version(source)  # type: ignore[arg-type]
        return f"{item.content_hash()}:{cls._versions[source]}"

    def __init__(self, path: Path | str | None = None):
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS traits (hash TEXT, source TEXT, item_id TEXT, traits TEXT, "
            "PRIMARY KEY (hash, source))"
        )
        self._db.commit()
        self._lock = threading.Lock()

    def get_many(self, items: list[Item], source: TraitSource) -> dict[str, Traits]:
        """Cached traits of ``items`` from ``source``, keyed by item id (missing items absent)."""
        by_hash: dict[str, list[str]] = {}
        for item in items:
            by_hash.setdefault(self._key(item, source), []).append(item.id)
        out: dict[str, Traits] = {}
        hashes = list(by_hash)
        with self._lock:
            for start in range(0, len(hashes), 500):
                chunk = hashes[start:start + 500]
                rows = self._db.execute(
                    f"SELECT hash, traits FROM traits WHERE source=? AND hash IN ({','.join('?' * len(chunk))})",
                    [source, *chunk],
                ).fetchall()
                for h, payload in rows:
                    traits = Traits.model_validate_json(payload)
                    for item_id in by_hash[h]:
                        out[item_id] = traits
        return out

    def put(self, item: Item, traits: Traits) -> None:
        self.put_many([(item, traits)])

    def put_many(self, pairs: Iterable[tuple[Item, Traits]]) -> None:
        rows = [(self._key(item, traits.source), traits.source, item.id, traits.model_dump_json())
                for item, traits in pairs]
        if not rows:
            return
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO traits VALUES (?, ?, ?, ?)", rows)
            self._db.commit()

    def count(self, source: TraitSource | None = None) -> int:
        with self._lock:
            if source is None:
                return int(self._db.execute("SELECT COUNT(*) FROM traits").fetchone()[0])
            return int(self._db.execute("SELECT COUNT(*) FROM traits WHERE source=?", (source,)).fetchone()[0])


OFFLINE_CHUNK = 256
"""Items per offline extraction chunk; the store is committed after each."""


def build_traits(items: list[Item], store: TraitStore, offline: TraitExtractor,
                 llm_extractor: LLMTraitExtractor | None = None, progress: bool = False,
                 ledger: UsageLedger | None = None, chunk_size: int = OFFLINE_CHUNK) -> dict[str, Traits]:
    """Traits for every item, computing only those missing from ``store`` and storing each as soon
    as it exists, so an interrupted build resumes. With ``llm_extractor``, LLM traits are wanted:
    cached LLM traits are used, missing ones are asked for, and items whose call fails get offline
    traits (cached under ``offline``, so they are asked for again next time). Price tiers are
    recomputed over ``items`` on every call."""
    tiers = price_tiers(items)
    found: dict[str, Traits] = {}
    todo = list(items)
    if llm_extractor is not None:
        found.update(store.get_many(todo, "llm"))
        todo = [i for i in todo if i.id not in found]
    bar = _progress(progress, len(items), initial=len(found))
    try:
        if llm_extractor is not None and todo:
            failed: list[Item] = []
            for item, traits in llm_extractor.iter_extract(todo, ledger or UsageLedger(), tiers):
                if traits is None:
                    failed.append(item)
                    continue
                store.put(item, traits)
                found[item.id] = traits
                bar.update(1)
            todo = failed
        cached = store.get_many(todo, "offline")
        found.update(cached)
        bar.update(len(cached))
        missing = [i for i in todo if i.id not in cached]
        for start in range(0, len(missing), max(1, chunk_size)):
            chunk = missing[start:start + chunk_size]
            extracted = offline.extract(chunk, tiers)
            store.put_many((item, extracted[item.id]) for item in chunk if item.id in extracted)
            found.update(extracted)
            bar.update(len(chunk))
    finally:
        bar.close()
    return {
        item.id: found[item.id].model_copy(update={"price_tier": tiers[item.id]})
        for item in items
        if item.id in found
    }


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(enabled: bool, total: int, initial: int = 0):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, desc="traits", unit="item")


# ---------------------------------------------------------------------------------------------
# Vectors for alignment
# ---------------------------------------------------------------------------------------------

class TraitIndex:
    """Trait-phrase vectors per item for alignment; each distinct phrase is embedded once."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._memo: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def vectors(self, traits_by_id: dict[str, Traits]) -> dict[str, tuple[np.ndarray, list[tuple[str, str]]]]:
        """Item id -> (matrix ``(n_phrases, dim)``, ``[(dimension, phrase), ...]``) in
        :meth:`Traits.phrases` order."""
        labels = {item_id: traits.phrases() for item_id, traits in traits_by_id.items()}
        with self._lock:
            new = list(dict.fromkeys(p for pairs in labels.values() for _, p in pairs if p not in self._memo))
        if new:
            vecs = self.embedder.embed(new)
            with self._lock:
                self._memo.update(zip(new, vecs))
        out: dict[str, tuple[np.ndarray, list[tuple[str, str]]]] = {}
        for item_id, pairs in labels.items():
            if pairs:
                matrix = np.stack([self._memo[p] for _, p in pairs]).astype(np.float32)
            else:
                matrix = np.zeros((0, self.embedder.dim), dtype=np.float32)
            out[item_id] = (matrix, pairs)
        return out
