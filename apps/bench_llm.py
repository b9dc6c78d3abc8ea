"""``motive bench --llm-url URL``: the same scripted conversations run offline and with the LLM at
``URL``, side by side in one run, judged on what the person reads.

For each path it reports latency per turn (p50, p95), and for the LLM path: per step how often it
ran and how often it fell back (and why), calls and tokens (failed calls included), and the turns
whose reply a person should never read (:func:`unreadable`): a refusal, an echo of a prompt, a tool
call written as text, markup, or a recommendation that does not present the items it shows.

The catalogs are the built-in ones, indexed once offline under the data directory (offline
traits): the figures are per turn, not the one-off cost of LLM trait extraction.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apps.loadtest import percentile
from agent.reflection import MARKUP, REFUSAL, TOOL_CALL, echoes, names_item, prompt_labels, prompt_phrases
from agent.settings import Settings

CONVERSATIONS: list[tuple[str, str | None, list[str]]] = [
    ("boutique", None, ["a dress for a summer wedding, under 300 euros", "what is the first one made of?",
                        "something more modern", "show me cheaper ones"]),
    ("boutique", "C-ELENA", ["I need a blazer for client meetings", "is the second one in stock?",
                             "not so formal", "thanks, that's all"]),
    ("boutique", None, ["warm knitwear for a ski weekend", "which one is the cheapest?",
                        "no wool please", "tell me more about the first one"]),
    ("wholesale", None, ["cut resistant gloves for a metal stamping line, 500 pairs",
                         "what is the minimum order of the first one?", "anything cheaper?",
                         "start over"]),
    ("wholesale", "C-STALDRIC", ["food-safe disposable gloves for our kitchens", "are they latex free?",
                                 "we need them within a week", "how much for 2000 units of the first one?"]),
    ("wholesale", None, ["eco-friendly cleaning supplies for schools", "what certifications does the first one have?",
                         "something in a bigger pack", "hello"]),
]
"""Six conversations of four turns: requests, questions, critiques, resets and small talk, on both
built-in catalogs, two of them seeded with a client's history."""


_PHRASES = None


def unreadable(out, items: dict[str, Any]) -> list[str]:
    """Why the reply of turn ``out`` (a :class:`~agent.models.TurnOutput`) is not something a person
    should read, if it is not: ``items`` holds the catalog records of its recommendations."""
    global _PHRASES
    if _PHRASES is None:
        names = ("respond", "respond_picks", "revise", "answer", "verify", "read", "read_motives", "traits",
                 "history_motives")
        _PHRASES = prompt_phrases(*names), prompt_labels("respond", "respond_picks", "revise", "answer")
    text = out.reply
    why = []
    if m := REFUSAL.search(text):
        why.append(f"refusal: {m.group(0)!r}")
    if m := TOOL_CALL.search(text):
        why.append(f"tool call as text: {m.group(0)!r}")
    if m := MARKUP.search(text):
        why.append(f"markup: {m.group(0)[:40]!r}")
    if run := echoes(text, _PHRASES[0], labels=_PHRASES[1]):
        why.append(f"prompt echo: {run!r}")
    for rec in out.recommendations:
        item = items.get(rec.item_id)
        if item is None or not names_item(text, item):
            why.append(f"omits the item it shows: {rec.item_id}")
    return why


@dataclass
class PathFigures:
    """One path's figures over every scripted turn."""

    name: str
    latencies: list[float] = field(default_factory=list)
    calls: int = 0
    tokens: int = 0
    steps: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    unreadable: list[str] = field(default_factory=list)
    llm_turn_latencies: list[float] = field(default_factory=list)
    """Latencies of the turns that called the model at least once."""
    llm_replies: int = 0
    """Turns whose sent reply the LLM wrote (it passed reflection)."""
    turns: list[dict[str, Any]] = field(default_factory=list)
    """Every turn: what was said, what the person read, the latency and the fallbacks."""

    def to_json(self) -> dict[str, Any]:
        runs, fails = sum(self.steps.values()), sum(self.failed.values())
        return {
            "turns": len(self.latencies),
            "latency_p50_s": round(percentile(self.latencies, 50), 3) if self.latencies else None,
            "latency_p95_s": round(percentile(self.latencies, 95), 3) if self.latencies else None,
            "latency_max_s": round(max(self.latencies, default=0.0), 3),
            "llm_turns": len(self.llm_turn_latencies),
            "llm_turn_latency_p50_s": (round(percentile(self.llm_turn_latencies, 50), 3)
                                       if self.llm_turn_latencies else None),
            "llm_turn_latency_p95_s": (round(percentile(self.llm_turn_latencies, 95), 3)
                                       if self.llm_turn_latencies else None),
            "llm_calls": self.calls, "llm_tokens": self.tokens,
            "llm_step_runs": runs, "llm_step_fallbacks": fails,
            "llm_step_success": round((runs - fails) / runs, 3) if runs else None,
            "per_step": {s: {"runs": n, "fell_back": self.failed.get(s, 0)} for s, n in sorted(self.steps.items())},
            "fallback_reasons": dict(self.reasons.most_common()),
            "unreadable_turns": self.unreadable,
            "turns_with_llm_reply": self.llm_replies,
            "transcript": self.turns,
        }


def _reason_kind(reason: str) -> str:
    """A fallback reason without its particulars (item ids, numbers), to count alike reasons."""
    head = reason.split(" (")[0].split(": ")
    return ": ".join(head[:2])[:120]


def run_path(deps, name: str, conversations=CONVERSATIONS, on_turn=None) -> PathFigures:
    from langgraph.checkpoint.memory import InMemorySaver

    from graph.session import Conversations, checkpoint_serde

    figures = PathFigures(name)
    sessions = Conversations(deps, InMemorySaver(serde=checkpoint_serde()))
    for catalog, client, lines in conversations:
        thread = sessions.new_thread_id()
        for line in lines:
            started = time.perf_counter()
            out = sessions.send(thread, line, catalog=catalog, client_id=client)
            figures.latencies.append(time.perf_counter() - started)
            usage = out.llm
            figures.calls += usage.calls
            if usage.calls:
                figures.llm_turn_latencies.append(figures.latencies[-1])
            figures.tokens += usage.tokens
            figures.steps.update(usage.steps)
            figures.failed.update(usage.failed)
            figures.reasons.update(f"{f.step}: {_reason_kind(f.reason)}" for f in usage.fallbacks)
            items = deps.store.get(catalog, [r.item_id for r in out.recommendations])
            for why in unreadable(out, items):
                figures.unreadable.append(f"{catalog} turn {out.turn} {line!r}: {why}")
            if out.reflection is not None and out.reflection.passed and usage.steps and \
                    any(s in usage.steps and usage.failed.get(s, 0) < usage.steps[s] for s in ("respond", "revise", "answer")):
                figures.llm_replies += 1
            figures.turns.append({"catalog": catalog, "user": line, "act": out.act, "reply": out.reply,
                                  "seconds": round(figures.latencies[-1], 2),
                                  "llm_calls": usage.calls, "llm_steps": dict(usage.steps),
                                  "fallbacks": [f"{f.step}: {f.reason}" for f in usage.fallbacks]})
            if on_turn is not None:
                on_turn(name, catalog, line, out, figures.latencies[-1])
    return figures


def run_llm_bench(settings: Settings, url: str, model: str, json_path: Path | None = None,
                  conversations=CONVERSATIONS, verbose: bool = True) -> dict[str, Any]:
    """Every scripted conversation offline, then with the LLM at ``url``; the figures side by side."""
    from apps.bench import load_average
    from agent.deps import build_deps
    from agent.llm import LLM

    offline_settings = settings.with_overrides(llm_base_url=None, llm_model=None)
    deps = build_deps(offline_settings)
    for catalog in sorted({c for c, _, _ in conversations}):
        deps.catalog(catalog)  # indexed offline once, before any timing
    llm_settings = settings.with_overrides(llm_base_url=url, llm_model=model)
    llm_deps = dataclasses.replace(deps, settings=llm_settings, llm=LLM.from_settings(llm_settings))

    def show(path, catalog, line, out, seconds):
        if verbose:
            reasons = "; ".join(f"{f.step}: {f.reason[:90]}" for f in out.llm.fallbacks)
            print(f"[{path}] {seconds:5.1f}s {catalog} {line!r} -> {out.act}"
                  f"{' | fell back: ' + reasons if reasons else ''}", flush=True)

    load_before = load_average()
    offline = run_path(deps, "offline", conversations, show)
    llm = run_path(llm_deps, f"llm:{model}", conversations, show)
    report = {"load average before": load_before, "load average after": load_average(), "llm_url": url,
              "offline": offline.to_json(), "llm": llm.to_json()}
    if verbose:
        print(format_report(report))
    if json_path is not None:
        json_path.write_text(json.dumps(report, indent=2))
    return report


def format_report(report: dict[str, Any]) -> str:
    off, llm = report["offline"], report["llm"]
    rows = [("turns", "turns"), ("latency p50 (s)", "latency_p50_s"), ("latency p95 (s)", "latency_p95_s"),
            ("latency max (s)", "latency_max_s"),
            ("turns that call the LLM", "llm_turns"), ("  their latency p50 (s)", "llm_turn_latency_p50_s"),
            ("  their latency p95 (s)", "llm_turn_latency_p95_s"), ("LLM calls", "llm_calls"), ("LLM tokens (failed calls incl.)", "llm_tokens"),
            ("LLM step runs", "llm_step_runs"), ("LLM step fallbacks", "llm_step_fallbacks"),
            ("LLM step success", "llm_step_success"), ("turns the LLM's reply was sent", "turns_with_llm_reply")]
    lines = [f"load average before {report['load average before']}, after {report['load average after']}",
             f"{'':34} {'offline':>10} {'llm':>10}"]
    lines += [f"{label:34} {str(off[key]):>10} {str(llm[key]):>10}" for label, key in rows]
    lines.append(f"{'unreadable turns':34} {len(off['unreadable_turns']):>10} {len(llm['unreadable_turns']):>10}")
    lines.append("LLM per step (runs / fell back):")
    lines += [f"  {s:16} {v['runs']:>4} / {v['fell_back']}" for s, v in llm["per_step"].items()]
    lines.append("LLM fallback reasons:")
    lines += [f"  {n:>3}  {r}" for r, n in llm["fallback_reasons"].items()]
    for path in ("offline", "llm"):
        for why in report[path]["unreadable_turns"]:
            lines.append(f"unreadable ({path}): {why}")
    return "\n".join(lines)


def measure_traits(settings: Settings, llm, per_catalog: int = 6,
                   catalogs: tuple[str, ...] = ("boutique", "wholesale"), verbose: bool = True,
                   deps=None) -> dict[str, Any]:
    """LLM trait extraction on ``per_catalog`` items of each built-in catalog, spread over it (by
    id): per item the phrases the model wrote and the
    ones the checks kept (``agent.traits._clean_phrases`` as extraction applies it: tidied, bounded,
    the prompt's examples or words the item's text does not support dropped), with the call's seconds, for a person to judge."""
    from agent.deps import build_deps
    from agent.llm import UsageLedger
    from agent.motives import prompt_examples, prompt_vocabulary
    from agent.traits import LLMTraitExtractor, _clean_phrases, trait_schema

    deps = deps or build_deps(settings.with_overrides(llm_base_url=None, llm_model=None))
    extractor = LLMTraitExtractor(llm)
    examples, vocabulary = prompt_examples("traits"), prompt_vocabulary("traits")
    rows, ledger = [], UsageLedger()
    for name in catalogs:
        deps.catalog(name)  # indexed once, offline
        items = sorted(deps.store.all_items(name), key=lambda i: i.id)
        step = max(1, len(items) // per_catalog)
        for item in items[::step][:per_catalog]:
            started = time.perf_counter()
            draft = llm.structured("traits", extractor.prompt(item), trait_schema(), ledger)
            seconds = round(time.perf_counter() - started, 1)
            row: dict[str, Any] = {"catalog": name, "id": item.id, "title": item.title, "seconds": seconds}
            if draft is None:
                row["failed"] = ledger.usage.fallbacks[-1].reason if ledger.usage.fallbacks else "no answer"
            else:
                for dim in ("functional", "aesthetic", "emotional", "occasion"):
                    raw = [str(v) for v in getattr(draft, dim)]
                    row[dim] = {"written": raw, "kept": _clean_phrases(raw, item.text(), examples, vocabulary)}
            rows.append(row)
            if verbose:
                print(json.dumps(row, ensure_ascii=False), flush=True)
    written = sum(len(r[d]["written"]) for r in rows if "failed" not in r
                  for d in ("functional", "aesthetic", "emotional", "occasion"))
    kept = sum(len(r[d]["kept"]) for r in rows if "failed" not in r
               for d in ("functional", "aesthetic", "emotional", "occasion"))
    return {"items": len(rows), "failed_calls": sum("failed" in r for r in rows), "phrases_written": written,
            "phrases_kept": kept, "calls": ledger.usage.calls, "tokens": ledger.usage.tokens, "rows": rows}


if __name__ == "__main__":  # python -m apps.bench_llm traits URL MODEL [PER_CATALOG] [JSON]
    import sys

    if len(sys.argv) < 4 or sys.argv[1] != "traits":
        raise SystemExit("usage: python -m apps.bench_llm traits URL MODEL [PER_CATALOG] [JSON]")
    from agent.llm import LLM

    settings = Settings.load()
    llm = LLM.from_settings(settings.with_overrides(llm_base_url=sys.argv[2], llm_model=sys.argv[3]))
    result = measure_traits(settings, llm, int(sys.argv[4]) if len(sys.argv) > 4 else 6)
    summary = {k: v for k, v in result.items() if k != "rows"}
    print(json.dumps(summary))
    if len(sys.argv) > 5:
        Path(sys.argv[5]).write_text(json.dumps(result, indent=2, ensure_ascii=False))
