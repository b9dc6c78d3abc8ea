"""``motive bench``: per-turn latency (p50/p95) offline on the demo catalog and on large synthetic
catalogs, ingestion throughput, and peak memory. Figures, not pass/fail: targets are in README.

The large catalogs reuse the demo items' real vectors, perturbed (Gaussian noise, renormalised),
and their traits, so retrieval, filtering, alignment and reflection run their real code at that
size without embedding 100k texts (embedding is measured separately, as ingestion throughput).
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from agent.settings import Settings

SCRIPT = [
    "I need something elegant for a summer wedding in Provence, under 900 euros",
    "not leather please",
    "something cheaper",
    "tell me more about the first one",
    "start over",
    "a warm coat for winter in the city",
    "more minimalist",
    "what sizes does the second one come in?",
]
B2B_SCRIPT = [
    "we need cut resistant gloves for a food processing line, MOQ under 1000",
    "must be food safe, lead time under 14 days",
    "cheaper",
    "what is the price for 500 units of the first one?",
]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; values need not be sorted."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(np.floor(pos)), int(np.ceil(pos))
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _turns(conversations, catalog: str, script: list[str], turns: int) -> list[float]:
    latencies = []
    thread = conversations.new_thread_id()
    for n in range(turns):
        if n % len(script) == 0:
            thread = conversations.new_thread_id()
        started = time.perf_counter()
        conversations.send(thread, script[n % len(script)], catalog=catalog)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def synthetic_catalog(deps, size: int, seed: int = 7):
    """``size`` items cloned from the demo catalogs with perturbed prices and vectors."""
    from agent.models import Item

    rng = np.random.default_rng(seed)
    sources = []
    for name in ("boutique", "wholesale"):
        deps.catalog(name)
        sources.extend(deps.store.all_items(name))
    vectors = deps.embedder.embed([i.text() for i in sources])
    traits = deps.traits_for(sources)
    picks = rng.integers(0, len(sources), size)
    items, vecs, item_traits = [], np.empty((size, vectors.shape[1]), dtype=np.float32), []
    for n, src_idx in enumerate(picks):
        src = sources[src_idx]
        item = Item.model_validate({**src.model_dump(), "id": f"SYN-{n:06d}",
                                    "title": f"{src.title} {n % 97}",
                                    "price": round(src.price * float(rng.uniform(0.7, 1.3)), 2)})
        noisy = vectors[src_idx] + rng.normal(0, 0.04, vectors.shape[1]).astype(np.float32)
        vecs[n] = noisy / np.linalg.norm(noisy)
        items.append(item)
        item_traits.append(traits[src.id])
    return items, vecs, item_traits


def _print_row(label: str, lat: list[float]) -> None:
    print(f"{label:32} {len(lat):5d} {percentile(lat, 50):8.1f} {percentile(lat, 95):8.1f} {max(lat):8.1f}",
          flush=True)


def run_bench(settings: Settings, sizes: list[int], turns: int, ingest_items: int) -> int:
    from agent.deps import build_deps
    from graph.session import Conversations, sqlite_checkpointer

    with tempfile.TemporaryDirectory(prefix="motive-bench-") as tmp:
        bench_settings = settings.with_overrides(data_dir=Path(tmp), llm_base_url=None, llm_model=None)
        started = time.perf_counter()
        deps = build_deps(bench_settings)
        conversations = Conversations(deps, sqlite_checkpointer(Path(tmp) / "conversations.sqlite3"))
        deps.catalog("boutique")
        deps.catalog("wholesale")
        print(f"setup (model load, indexing both demo catalogs): {time.perf_counter() - started:.1f}s")
        conversations.send(conversations.new_thread_id(), "warm up", catalog="boutique")

        rows = []
        for catalog, script in (("boutique", SCRIPT), ("wholesale", B2B_SCRIPT)):
            lat = _turns(conversations, catalog, script, turns)
            rows.append((f"{catalog} ({deps.catalog(catalog).size} items)", lat))
            _print_row(*rows[-1])

        for size in sizes:
            name = f"bench-{size}"
            t0 = time.perf_counter()
            items, vecs, item_traits = synthetic_catalog(deps, size)
            deps.store.ingest_vectors(name, items, vecs)
            deps.trait_store.put_many(zip(items, item_traits))
            manifest = deps.manifest()
            manifest[name] = {"domain": "any", "source": "bench"}
            deps._write_manifest(manifest)
            deps.catalog(name)
            print(f"built synthetic catalog of {size} items in {time.perf_counter() - t0:.1f}s (not timed below)")
            lat = _turns(conversations, name, SCRIPT + B2B_SCRIPT, turns)
            rows.append((f"synthetic ({size} items)", lat))
            _print_row(*rows[-1])

        print(f"\nper-turn latency, offline, excluding the first model load")
        print(f"{'catalog':32} {'turns':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for label, lat in rows:
            _print_row(label, lat)

        # Ingestion: real descriptions, cold embedding cache, the full register() path.
        demo = deps.store.all_items("boutique") + deps.store.all_items("wholesale")
        fresh = []
        for n in range(ingest_items):
            src = demo[n % len(demo)]
            fresh.append(src.model_copy(update={"id": f"ING-{n:05d}",
                                                "description": f"{src.description} (batch {n})"}))
        # Every description is new text (so it is embedded); the trait vocabulary's vectors are
        # cached, as they are after a first run.
        misses = deps.embedder.misses if hasattr(deps.embedder, "misses") else None
        t0 = time.perf_counter()
        deps.register("ingest-bench", fresh, "any", "bench")
        secs = time.perf_counter() - t0
        embedded = deps.embedder.misses - misses if misses is not None else len(fresh)
        tokenizer = getattr(getattr(deps.embedder, "inner", None), "_tokenizer", None)
        tokens = (statistics.mean(len(e.ids) for e in tokenizer.encode_batch([i.text() for i in fresh[:200]]))
                  if tokenizer is not None else float("nan"))
        print(f"\ningestion: {len(fresh)} new items ({tokens:.0f} tokens of text each on average, "
              f"{embedded} texts embedded) in {secs:.1f}s = {len(fresh) / secs:.1f} items/s "
              f"(embedding, Chroma, offline traits)")
        print(f"peak memory (RSS): {peak_rss_mb():.0f} MB")
    return 0
