"""``motive bench``: what a turn and an ingestion cost. Figures, not pass/fail (targets are in the
README): per-turn latency p50/p95 offline on the demo catalogs and on synthetic catalogs of 1k, 10k
and 100k items, ingestion throughput for 128-token descriptions, peak memory, and LLM calls and
tokens per turn measured with a recording fake chat model at several candidate-pool sizes.

The synthetic catalogs reuse the demo items' real vectors, perturbed (Gaussian noise, renormalised),
and their traits, so retrieval, filtering, alignment and reflection run their real code at that
size without embedding 100k texts (embedding is measured separately, as ingestion throughput).

Every figure depends on what else the machine runs, so each section prints the load average
(``os.getloadavg``) before and after it, and comparisons (``--embed-variants``) run their methods
round-robin in one process and report ratios.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.runnables import RunnableLambda
from pydantic import BaseModel, Field

from apps.loadtest import percentile
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
LLM_RETRIEVE_KS = (15, 60, 240)
"""Candidates retrieved per turn in the LLM-cost runs (the product uses ``RunContext.retrieve_k``)."""
DESCRIPTION_TOKENS = 128
"""Word pieces per description in the ingestion measurement (the target's 128-token descriptions)."""

PROTOCOL = (
    "Latency: offline turns (no LLM) of a fixed script, repeated to --turns, timed end to end "
    "through Conversations.send (graph, SQLite checkpointer), after the model load and a warm-up "
    "turn; synthetic-N catalogs are demo items cloned with perturbed prices and perturbed real "
    "vectors. Ingestion: Deps.register (embedding, Chroma, offline traits) of new items whose "
    "descriptions are 128 word pieces, cold embedding cache. LLM cost: the same scripts on the LLM "
    "path with a recording fake chat model that answers every call with valid structured output; "
    "tokens are estimated as characters/4 of what is sent and returned; candidates = items "
    "retrieved per turn (retrieve k varied). Peak memory: the process's maximum RSS so far."
)


def peak_rss_mb() -> float:
    """The largest resident set this process has had so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


@dataclass
class Report:
    """Every measured figure, keyed the way ``--json`` writes them: method -> metric -> value."""

    methods: dict[str, dict[str, Any]] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)

    def add(self, method: str, **metrics: Any) -> None:
        self.methods.setdefault(method, {}).update(metrics)

    def to_json(self) -> dict[str, Any]:
        return {"dataset": "demo+synthetic", "protocol": PROTOCOL, "methods": self.methods,
                "environment": self.environment}


def _section(title: str) -> None:
    print(f"\n== {title} (load average {load_average()})", flush=True)


# -- latency ------------------------------------------------------------------------------------


def _turns(conversations, catalog: str, script: list[str], turns: int) -> tuple[list[float], list[float]]:
    """Each turn's wall-clock time and the process's CPU time over it, in ms. On a shared machine
    the CPU time moves less with the load than the wall time does."""
    latencies, cpu = [], []
    thread = conversations.new_thread_id()
    for n in range(turns):
        if n % len(script) == 0:
            thread = conversations.new_thread_id()
        started, cpu_started = time.perf_counter(), time.process_time()
        conversations.send(thread, script[n % len(script)], catalog=catalog)
        latencies.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return latencies, cpu


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


def add_synthetic_catalog(deps, size: int) -> str:
    """Write a synthetic catalog of ``size`` items into the store and return its name."""
    name = f"synthetic-{_short(size)}"
    items, vecs, item_traits = synthetic_catalog(deps, size)
    deps.store.ingest_vectors(name, items, vecs)
    deps.trait_store.put_many(zip(items, item_traits))
    deps.remember(name, "any", "bench")
    deps.catalog(name)
    return name


def _short(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


LATENCY_HEADER = (f"{'catalog':34} {'turns':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p50 ms':>10} "
                  f"{'peak RSS MB':>11}")


def _latency_row(report: Report, catalog: str, items: int, timed: tuple[list[float], list[float]]) -> str:
    lat, cpu = timed
    metrics = {"items": items, "turns": len(lat), "p50 ms": round(percentile(lat, 50), 1),
               "p95 ms": round(percentile(lat, 95), 1), "max ms": round(max(lat), 1),
               "CPU p50 ms": round(percentile(cpu, 50), 1), "peak RSS MB": round(peak_rss_mb())}
    report.add(catalog, **metrics)
    return (f"{f'{catalog} ({items:,} items)':34} {len(lat):5d} {metrics['p50 ms']:8.1f} "
            f"{metrics['p95 ms']:8.1f} {metrics['max ms']:8.1f} {metrics['CPU p50 ms']:10.1f} "
            f"{metrics['peak RSS MB']:11.0f}")


# -- LLM cost -----------------------------------------------------------------------------------


def estimate_tokens(text: str) -> int:
    """Tokens of ``text`` by the usual rule of thumb for English BPE: one per four characters."""
    return (len(text) + 3) // 4


_MESSAGE = re.compile(r"<<<MESSAGE\n(.*?)\nMESSAGE>>>", re.S)
_CANDIDATE = re.compile(r"- id (\S+) \| (.+?) \| brand (.*?) \| price ([\d.]+) (\w+) \|")
_NAMED_ITEM = re.compile(r"^- .+ \(id (\S+)\)$", re.M)


class RecordingChatModel(GenericFakeChatModel):
    """A fake chat model for measuring cost: it answers every call with a valid answer built from
    the prompt (a grounded motive, a reply naming the first two real candidates, an approving
    verdict, a ``lookup_item`` tool call then an answer from its result), so a turn completes on
    the LLM path, and it records each call: its kind and estimated input and output tokens."""

    calls: list[dict[str, Any]] = Field(default_factory=list)
    messages: Iterator[Any] = Field(default_factory=lambda: iter(()))
    model_name: str = "recording-fake"

    def _reply(self, kind: str, sent: list[BaseMessage], content: str, **extra: Any) -> AIMessage:
        tokens_in = sum(estimate_tokens(str(m.content)) for m in sent)
        tokens_out = estimate_tokens(content + json.dumps(extra.get("tool_calls", [])))
        self.calls.append({"kind": kind, "input_tokens": tokens_in, "output_tokens": tokens_out})
        return AIMessage(content=content, usage_metadata={
            "input_tokens": tokens_in, "output_tokens": tokens_out,
            "total_tokens": tokens_in + tokens_out}, **extra)

    def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> AIMessage:  # noqa: A002
        sent = list(input)
        last = sent[-1]
        if isinstance(last, ToolMessage):
            item = json.loads(last.content)
            return self._reply("tool answer", sent, f"{item['title']} ({item['id']}) is made by {item['brand']}.")
        named = _NAMED_ITEM.findall(str(last.content))
        if named:
            return self._reply("tool call", sent, "", tool_calls=[
                {"name": "lookup_item", "args": {"item_id": named[0]}, "id": f"call-{len(self.calls)}"}])
        return self._reply("text", sent, "Here is what I found.")

    def bind_tools(self, tools: Any, **kwargs: Any) -> "RecordingChatModel":
        return self

    def with_structured_output(self, schema: Any, *, include_raw: bool = False, **kwargs: Any):
        # ``agent.llm`` sends an OpenAI json_schema dict (and validates the dict that comes back).
        name = schema["name"] if isinstance(schema, dict) else schema.__name__

        def answer(messages: Any) -> Any:
            sent = list(messages)
            parsed = self._answer(name, str(sent[-1].content)).model_dump(mode="json")
            raw = self._reply(f"structured {name}", sent, json.dumps(parsed))
            return {"raw": raw, "parsed": parsed, "parsing_error": None} if include_raw else parsed

        return RunnableLambda(answer)

    @staticmethod
    def _answer(name: str, prompt: str) -> BaseModel:
        from agent.motives import MotiveList
        from graph.nodes import DraftReply, Verdict

        if name in ("LLMReading", "LLMMotives"):  # the message's motives; the offline reading stands for the rest
            found = _MESSAGE.search(prompt)
            words = []
            for word in (found.group(1) if found else "").split():
                if re.search(r"\d", word) or len(words) == 6:
                    break
                words.append(word)
            if not words:
                return MotiveList()
            quote = " ".join(words)
            return MotiveList.model_validate({"motives": [
                {"text": "wants " + re.sub(r"[^\w' ]", "", quote.lower()), "confidence": 0.8,
                 "evidence_quote": quote}]})
        if name == "DraftReply":
            chosen = _CANDIDATE.findall(prompt)[:2]
            lines = [f"{title} ({item_id}) by {brand}, {float(price):.2f} {cur}."
                     for item_id, title, brand, price, cur in chosen]
            return DraftReply(text="\n".join(lines) or "Nothing fits yet.", item_ids=[c[0] for c in chosen])
        if name == "Verdict":
            return Verdict(ok=True)
        return MotiveList() if name == "MotiveList" else BaseModel()


@dataclass
class LLMCost:
    """LLM use of one scripted conversation, turn by turn."""

    acts: list[str] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        return {"turns": len(self.calls),
                "candidates/turn": round(statistics.mean(self.candidates), 1),
                "max candidates": max(self.candidates),
                "LLM calls/turn": round(statistics.mean(self.calls), 2),
                "max LLM calls/turn": max(self.calls),
                "LLM tokens/turn": round(statistics.mean(self.tokens)),
                "max LLM tokens/turn": max(self.tokens),
                "fallbacks": len(self.fallbacks)}


def llm_cost(deps, catalog: str, script: Sequence[str], k: int | None = None) -> LLMCost:
    """Run ``script`` as one conversation on the LLM path (a :class:`RecordingChatModel` in place
    of the chat model) retrieving ``k`` candidates per turn; what each turn cost."""
    import dataclasses

    from langgraph.checkpoint.memory import InMemorySaver

    from agent.llm import LLM
    from graph.context import RunContext
    from graph.session import Conversations, checkpoint_serde

    llm_deps = dataclasses.replace(deps, llm=LLM(RecordingChatModel()))
    # k candidates for this run only, through the graph's run context: nothing process-wide changes.
    context = RunContext() if k is None else RunContext(retrieve_k=k)
    conversations = Conversations(llm_deps, InMemorySaver(serde=checkpoint_serde()), context=context)
    thread = conversations.new_thread_id()
    cost = LLMCost()
    for line in script:
        out = conversations.send(thread, line, catalog=catalog)
        cost.acts.append(out.act)
        cost.calls.append(out.llm.calls)
        cost.tokens.append(out.llm.tokens)
        cost.candidates.append(len(conversations.state(thread).get("candidates") or []))
        cost.fallbacks.extend(f"{f.step}: {f.reason}" for f in out.llm.fallbacks)
    return cost


LLM_COLUMNS = ("candidates/turn", "LLM calls/turn", "max LLM calls/turn", "LLM tokens/turn",
               "max LLM tokens/turn", "fallbacks")


def _llm_rows(report: Report, deps, catalogs: list[tuple[str, list[str]]], ks: Sequence[int]) -> None:
    print(f"{'catalog, retrieve k':30} " + " ".join(f"{c:>{len(c)}}" for c in LLM_COLUMNS))
    per_turn_calls: dict[str, set[tuple[int, ...]]] = {}
    for catalog, script in catalogs:
        for k in ks:
            cost = llm_cost(deps, catalog, script, k)
            metrics = cost.metrics()
            report.add(f"llm {catalog} k={k}", **metrics)
            per_turn_calls.setdefault(catalog, set()).add(tuple(cost.calls))
            print(f"{catalog + ', k=' + str(k):30} "
                  + " ".join(f"{metrics[c]:>{len(c)}}" for c in LLM_COLUMNS), flush=True)
            for fallback in cost.fallbacks:
                print(f"    fallback: {fallback}")
        print(f"  {catalog}: acts per turn {', '.join(cost.acts)}; calls per turn "
              f"{'identical' if len(per_turn_calls[catalog]) == 1 else 'DIFFER'} across k = "
              f"{', '.join(map(str, ks))}: {list(next(iter(per_turn_calls[catalog])))}")
    grows = any(len(v) > 1 for v in per_turn_calls.values())
    print(f"LLM calls per turn {'GROW' if grows else 'do not grow'} with the number of candidates.")
    report.add("llm summary", **{"calls per turn grow with candidates": grows})


# -- embedding and ingestion --------------------------------------------------------------------


class LegacyMiniLM:
    """The embedder as it was before this benchmark tuned it (one batch of 32 at a time on ONNX's
    default threads, sorted by characters, padded by the tokenizer): the baseline the variants
    are compared with, and the reference their vectors must match."""

    name = "all-MiniLM-L6-v2-onnx-int8"
    dim = 384

    def __init__(self, max_length: int = 128, batch_size: int = 32):
        self.max_length, self.batch_size = max_length, batch_size
        self._session = self._tokenizer = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from agent.embeddings import OnnxMiniLMEmbedder, _normalise

        if self._session is None:
            model_path, tokenizer_path = OnnxMiniLMEmbedder.model_files()
            options = ort.SessionOptions()
            options.log_severity_level = 3
            self._session = ort.InferenceSession(str(model_path), sess_options=options,
                                                 providers=["CPUExecutionProvider"])
            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
            self._tokenizer.enable_truncation(max_length=self.max_length)
            self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] or " " for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            result[idx] = _normalise(pooled)
        return result


def _raw_tokenizer():
    from tokenizers import Tokenizer

    from agent.embeddings import OnnxMiniLMEmbedder

    tokenizer = Tokenizer.from_file(str(OnnxMiniLMEmbedder.model_files()[1]))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def descriptions(sources: Sequence[str], count: int, tokens: int = DESCRIPTION_TOKENS) -> list[str]:
    """``count`` distinct descriptions of exactly ``tokens`` word pieces each (special tokens not
    counted), made of real catalog prose: ``sources`` strung together from a rotating start."""
    tokenizer = _raw_tokenizer()
    out = []
    for n in range(count):
        text = f"Lot {n}. " + " ".join(sources[(n + j) % len(sources)] for j in range(len(sources)))
        enc = tokenizer.encode(text, add_special_tokens=False)
        if len(enc.ids) < tokens:
            raise ValueError(f"the source texts hold only {len(enc.ids)} word pieces; {tokens} are needed")
        out.append(text[: enc.offsets[tokens - 1][1]])
    return out


def _embedder_variants() -> dict[str, Any]:
    from agent.embeddings import OnnxMiniLMEmbedder

    class Spinning(OnnxMiniLMEmbedder):
        spinning = True

    class GraphLevel(OnnxMiniLMEmbedder):
        """Another level of ONNX graph optimisation (the product keeps the default, the highest)."""

        def __init__(self, level: str, **kwargs):
            super().__init__(**kwargs)
            self.level = level

        def session_options(self):
            import onnxruntime as ort

            options = super().session_options()
            options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, self.level)
            return options

    return {
        "legacy: bs32, ONNX threads, char sort": LegacyMiniLM(),
        "bs32, 2 intra-op threads, token sort": OnnxMiniLMEmbedder(batch_size=32, workers=1, threads=2),
        "bs8, 2 intra-op threads": OnnxMiniLMEmbedder(batch_size=8, workers=1, threads=2),
        "bs8, 2 intra-op threads, spinning": Spinning(batch_size=8, workers=1, threads=2),
        "bs8, 1 thread, 1 worker": OnnxMiniLMEmbedder(batch_size=8, workers=1, threads=1),
        "bs8, 2 workers, basic graph optimisation": GraphLevel("ORT_ENABLE_BASIC", batch_size=8, workers=2),
        "bs8, 2 workers, no graph optimisation": GraphLevel("ORT_DISABLE_ALL", batch_size=8, workers=2),
        "bs32, 2 workers x 1 thread": OnnxMiniLMEmbedder(batch_size=32, workers=2),
        "bs16, 2 workers x 1 thread": OnnxMiniLMEmbedder(batch_size=16, workers=2),
        "bs8, 2 workers x 1 thread": OnnxMiniLMEmbedder(batch_size=8, workers=2),
        "bs4, 2 workers x 1 thread (default)": OnnxMiniLMEmbedder(batch_size=4, workers=2),
    }


def compare_embedders(report: Report, texts_by_set: dict[str, list[str]], rounds: int) -> None:
    """Every variant on the same texts, round-robin for ``rounds`` rounds (so a burst of load hits
    them all alike); items/s of each variant's best and median round, its ratio to the legacy
    embedder, and the agreement of its vectors with the legacy ones (minimum cosine, same order)."""
    variants = _embedder_variants()
    baseline = next(iter(variants))
    for set_name, texts in texts_by_set.items():
        reference = variants[baseline].embed(texts)
        times: dict[str, list[float]] = {name: [] for name in variants}
        agreement: dict[str, float] = {}
        for name, embedder in variants.items():  # load and warm up, outside the timing
            embedder.embed(texts[:8])
            agreement[name] = float(np.min(np.sum(embedder.embed(texts) * reference, axis=1)))
        print(f"{set_name}: {len(texts)} texts, {rounds} rounds (load average {load_average()})")
        for _ in range(rounds):
            for name, embedder in variants.items():
                started = time.perf_counter()
                embedder.embed(texts)
                times[name].append(time.perf_counter() - started)
        print(f"  {'variant':42} {'best items/s':>12} {'median items/s':>14} {'x legacy':>8} "
              f"{'min cosine vs legacy':>20}")
        base = len(texts) / min(times[baseline])
        for name in variants:
            best, median = len(texts) / min(times[name]), len(texts) / statistics.median(times[name])
            report.add(f"embed {set_name}: {name}", **{
                "texts": len(texts), "best items/s": round(best, 1), "median items/s": round(median, 1),
                "x legacy": round(best / base, 2), "min cosine vs legacy": round(agreement[name], 6)})
            print(f"  {name:42} {best:12.1f} {median:14.1f} {best / base:8.2f} {agreement[name]:20.6f}")
        print(f"  (load average after: {load_average()})", flush=True)


class _TimedEmbedder:
    """Passes through to ``inner`` and adds up the time spent in it."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.seconds = inner, inner.name, inner.dim, 0.0

    def embed(self, texts):
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - started


def measure_ingestion(report: Report, tmp: Path, demo_items, count: int) -> None:
    """``Deps.register`` of ``count`` new items with 128-token descriptions, cold vector cache,
    into a fresh data directory (the trait vocabulary's vectors computed beforehand)."""
    from agent.deps import build_deps
    from agent.embeddings import CachedEmbedder, OnnxMiniLMEmbedder

    texts = descriptions([i.description for i in demo_items if i.description], count)
    fresh = [demo_items[n % len(demo_items)].model_copy(update={"id": f"ING-{n:05d}", "description": text})
             for n, text in enumerate(texts)]
    inner = OnnxMiniLMEmbedder()
    timed = _TimedEmbedder(inner)
    settings = Settings(data_dir=tmp / "ingest")
    deps = build_deps(settings, embedder=CachedEmbedder(timed))
    deps.offline_traits.phrase_vectors()
    timed.seconds = 0.0
    started = time.perf_counter()
    deps.register("ingest-bench", fresh, "any", "bench")
    secs = time.perf_counter() - started
    embedded_tokens = statistics.mean(len(ids) for ids in inner.tokenize([i.text() for i in fresh]))
    rate = len(fresh) / secs
    metrics = {
        "items": len(fresh), "description tokens": DESCRIPTION_TOKENS,
        "tokens embedded per item": round(embedded_tokens, 1), "seconds": round(secs, 1),
        "items/s": round(rate, 1), "embedding share": round(timed.seconds / secs, 3),
        "embedding-only items/s": round(len(fresh) / timed.seconds, 1)}
    report.add("ingestion", **metrics)
    print(f"{len(fresh)} new items, descriptions of {DESCRIPTION_TOKENS} word pieces "
          f"({embedded_tokens:.0f} embedded per item after truncation, with title, brand and attributes), "
          f"in {secs:.1f}s = {rate:.1f} items/s (embedding, Chroma, offline traits); embedding took "
          f"{timed.seconds / secs:.0%} of it ({len(fresh) / timed.seconds:.1f} items/s on its own)")
    print("  " + " | ".join(f"{k}: {v}" for k, v in metrics.items()), flush=True)


# -- the command --------------------------------------------------------------------------------


def run_bench(settings: Settings, sizes: list[int], turns: int, ingest_items: int,
              json_path: Path | None = None, llm_ks: Sequence[int] = LLM_RETRIEVE_KS,
              embed_variants: int = 0, latency: bool = True) -> int:
    from agent.deps import build_deps
    from graph.session import Conversations, sqlite_checkpointer

    report = Report(environment={
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(), "load average at start": load_average()})
    print(f"motive bench, {report.environment['date']}, {os.cpu_count()} CPUs, "
          f"load average {load_average()}")
    with tempfile.TemporaryDirectory(prefix="motive-bench-") as tmp_name:
        tmp = Path(tmp_name)
        bench_settings = settings.with_overrides(data_dir=tmp / "data", llm_base_url=None, llm_model=None)
        started = time.perf_counter()
        deps = build_deps(bench_settings)
        conversations = Conversations(deps, sqlite_checkpointer(tmp / "conversations.sqlite3"))
        deps.catalog("boutique")
        deps.catalog("wholesale")
        print(f"setup (model load, indexing both demo catalogs): {time.perf_counter() - started:.1f}s")
        conversations.send(conversations.new_thread_id(), "warm up", catalog="boutique")

        synthetic: list[str] = []
        if latency:
            _section("per-turn latency, offline, excluding the first model load")
            print(LATENCY_HEADER)
            for catalog, script in (("boutique", SCRIPT), ("wholesale", B2B_SCRIPT)):
                lat = _turns(conversations, catalog, script, turns)
                print(_latency_row(report, catalog, deps.catalog(catalog).size, lat), flush=True)
            for size in sizes:
                t0 = time.perf_counter()
                name = add_synthetic_catalog(deps, size)
                synthetic.append(name)
                built = time.perf_counter() - t0
                lat = _turns(conversations, name, SCRIPT + B2B_SCRIPT, turns)
                print(_latency_row(report, name, deps.catalog(name).size, lat)
                      + f"   (built in {built:.0f}s, not timed)", flush=True)
            print(f"(load average after: {load_average()})")

        if llm_ks:
            _section("LLM calls and tokens per turn (recording fake model, LLM path)")
            catalogs = [("boutique", SCRIPT), ("wholesale", B2B_SCRIPT)]
            mid = [n for n in synthetic if n.endswith("10k")] or synthetic[:1]
            catalogs += [(name, SCRIPT + B2B_SCRIPT) for name in mid]
            _llm_rows(report, deps, catalogs, llm_ks)

        demo = deps.store.all_items("boutique") + deps.store.all_items("wholesale")
        if embed_variants:
            _section("embedder variants, side by side")
            texts = descriptions([i.description for i in demo if i.description], 96)
            compare_embedders(report, {"128-token descriptions": texts,
                                       "demo catalog texts": [i.text() for i in demo[::3]]}, embed_variants)
        if ingest_items:
            _section("ingestion throughput")
            measure_ingestion(report, tmp, demo, ingest_items)

        report.add("process", **{"peak RSS MB": round(peak_rss_mb())})
        report.environment["load average at end"] = load_average()
        print(f"\npeak memory (RSS): {peak_rss_mb():.0f} MB; load average {load_average()}")
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {json_path}")
    return 0
