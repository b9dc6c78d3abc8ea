"""``motive eval understanding``: how well Motive reads messages, against labels written independently.

Each labelled message (``docs/UNDERSTANDING.md``; files under ``apps/evaluation/data/understanding``)
is read with the catalog it is about, the reading is turned into the same slots as the label, and
the two are compared slot by slot.

Metrics (pure functions, tested against hand-computed values in ``tests/test_eval_understanding.py``):

- per slot: precision, recall and F1 over the values of all messages (micro-averaged; a scalar slot
  such as ``budget_max`` is one value);
- ``slot F1``: the same over every slot but the act;
- ``joint``: the share of messages whose every slot (the act included) is right;
- ``act``: the share of messages whose act is right;
- by style: joint and act accuracy of the messages with each style tag.

For a message in a language the reader does not handle, only the act and the language are scored.

Readers compared in the same run (``--readers``): ``motive`` (the product's offline reader),
``keywords`` (a floor: the request act and the catalog categories, brands and materials named, as a
keyword matcher would), ``nothing`` (every message a request with no slot filled), and ``llm`` when
an LLM is configured (the product's LLM reading, validated as the product validates it).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Sequence

from apps.evaluation.understanding_data import (ELECTRONICS, Example, Gold, LabelError, catalog_items, load_examples,
                                                 set_files)
from agent.models import Item

SCALARS = ("budget_max", "budget_min", "currency", "quantity", "quantity_unit", "max_moq", "max_lead_time_days",
           "in_stock", "language")
LISTS = ("sizes", "categories", "brands_in", "brands_out", "exclude", "require", "prefer", "numeric", "liked",
         "rejected", "critique", "lift")
SUBSLOTS = ("question.items", "question.field", "question.value", "question.quantity", "compare.field",
            "compare.goal", "compare.value")
SLOTS = (*SCALARS, *LISTS, *SUBSLOTS)
TERM_SLOTS = frozenset({"exclude", "require", "prefer", "lift", "critique"})
DOMAINS = {"boutique": "fashion", "wholesale": "b2b", "electronics": "any", "hm": "fashion"}


# ------------------------------------------------------------------------------------------------
# Values and metrics (pure functions)


def _term(value: str) -> str:
    """Terms compare without case, hyphens, a plural s or a trailing 'ies' / 'es' difference, and
    with a space between a standard's letters and its number, its edition's year aside ('EN388' and
    'EN 388:2016' are EN 388)."""
    v = re.sub(r"[\s_-]+", " ", str(value).lower()).strip()
    v = re.sub(r"\b([a-z]{2,4})(?=\d)", r"\1 ", v)
    v = re.sub(r"(?<=\d):(?:19|20)\d\d\b", "", v)  # 'EN 388:2016' is EN 388 (the edition aside)
    words = []
    for w in v.split():
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        words.append(w)
    return " ".join(words)


def slot_values(g: Gold) -> dict[str, frozenset[str]]:
    """Every slot of a label (or of a reading turned into one) as a set of comparable strings."""
    out: dict[str, frozenset[str]] = {}

    def num(x: float | None) -> frozenset[str]:
        return frozenset() if x is None else frozenset({f"{round(float(x), 2):g}"})

    for name in SCALARS:
        value = getattr(g, name)
        if name == "language":
            out[name] = frozenset() if value in (None, "", "en") else frozenset({value})
        elif name == "in_stock":
            out[name] = frozenset({"true"}) if value else frozenset()
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = num(value)
        else:
            out[name] = frozenset() if value in (None, "") else frozenset({_term(value) if name == "quantity_unit" else str(value).upper()})
    for name in LISTS:
        values = getattr(g, name)
        if name in TERM_SLOTS:
            out[name] = frozenset(_term(v) for v in values)
        elif name in ("sizes",):
            out[name] = frozenset(str(v).upper() for v in values)
        elif name in ("categories", "brands_in", "brands_out"):
            out[name] = frozenset(str(v).lower() for v in values)
        else:
            out[name] = frozenset(str(v) for v in values)
    q, c = g.question, g.compare
    out["question.items"] = frozenset(q.items) if q else frozenset()
    out["question.field"] = frozenset({q.field}) if q else frozenset()
    out["question.value"] = frozenset({_term(q.value)}) if q and q.value else frozenset()
    out["question.quantity"] = num(q.quantity) if q else frozenset()
    out["compare.field"] = frozenset({c.field}) if c else frozenset()
    out["compare.goal"] = frozenset({c.goal}) if c else frozenset()
    out["compare.value"] = frozenset({_term(c.value)}) if c and c.value else frozenset()
    return out


def scored_slots(gold: Gold) -> tuple[str, ...]:
    """The slots that count for a message: all of them, or only the language for one in a language
    the reader does not handle (its act is scored separately)."""
    return ("language",) if gold.language not in ("en", "", None) else SLOTS


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: frozenset[str], gold: frozenset[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)


def precision(c: Counts) -> float:
    """tp / (tp + fp), in [0, 1]; 1.0 when nothing was predicted (no false positive was made)."""
    return c.tp / (c.tp + c.fp) if c.tp + c.fp else 1.0


def recall(c: Counts) -> float:
    """tp / (tp + fn), in [0, 1]; 1.0 when there was nothing to find."""
    return c.tp / (c.tp + c.fn) if c.tp + c.fn else 1.0


def f1(c: Counts) -> float:
    """Harmonic mean of precision and recall, in [0, 1]; 1.0 when there was nothing to find and
    nothing was predicted."""
    if c.tp + c.fp + c.fn == 0:
        return 1.0
    return 2 * c.tp / (2 * c.tp + c.fp + c.fn)


@dataclass
class Outcome:
    example: Example
    predicted: Gold
    wrong: dict[str, tuple[list[str], list[str]]]
    """Slot -> (values predicted but not labelled, values labelled but not predicted)."""

    @property
    def act_right(self) -> bool:
        return self.predicted.act == self.example.gold.act

    @property
    def joint(self) -> bool:
        return self.act_right and not self.wrong


def compare_one(example: Example, predicted: Gold) -> Outcome:
    gold_v, pred_v = slot_values(example.gold), slot_values(predicted)
    wrong = {}
    for slot in scored_slots(example.gold):
        if pred_v[slot] != gold_v[slot]:
            wrong[slot] = (sorted(pred_v[slot] - gold_v[slot]), sorted(gold_v[slot] - pred_v[slot]))
    return Outcome(example, predicted, wrong)


def summarise(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """``joint``, ``act``, ``slot P/R/F1`` and each slot's F1 (``f1:<slot>``), over ``outcomes``."""
    if not outcomes:
        return {"messages": 0.0}
    per_slot = {s: Counts() for s in SLOTS}
    total = Counts()
    for o in outcomes:
        gold_v, pred_v = slot_values(o.example.gold), slot_values(o.predicted)
        for slot in scored_slots(o.example.gold):
            per_slot[slot].add(pred_v[slot], gold_v[slot])
            total.add(pred_v[slot], gold_v[slot])
    n = len(outcomes)
    out = {
        "messages": float(n),
        "joint": sum(o.joint for o in outcomes) / n,
        "act": sum(o.act_right for o in outcomes) / n,
        "slot precision": precision(total),
        "slot recall": recall(total),
        "slot F1": f1(total),
    }
    for slot, c in per_slot.items():
        if c.tp + c.fp + c.fn:
            out[f"f1:{slot}"] = f1(c)
            out[f"n:{slot}"] = float(c.tp + c.fn)
    return out


def by_style(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for style in o.example.styles or ["(none)"]:
            groups[style].append(o)
    return {style: {"messages": float(len(g)), "joint": sum(o.joint for o in g) / len(g),
                    "act": sum(o.act_right for o in g) / len(g)} for style, g in sorted(groups.items())}


# ------------------------------------------------------------------------------------------------
# Readers


def error_profile(outcomes: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    """What a reader gets wrong, in counts only (no message, no value), so a set kept unread (check2,
    a held-out set) can say where it fails without being read: ``acts`` (labelled act -> act read,
    for each confusion), ``extra`` and ``missing`` (per slot, values read but not labelled and
    labelled but not read), ``slots_wrong`` (misread messages by how many slots, the act counting
    as one)."""
    acts: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    slots_wrong: Counter[str] = Counter()
    for o in outcomes:
        if not o.act_right:
            acts[f"{o.example.gold.act} -> {o.predicted.act}"] += 1
        if not o.joint:
            slots_wrong[str(len(o.wrong) + (not o.act_right))] += 1
        for slot, (read, labelled) in o.wrong.items():
            extra[slot] += len(read)
            missing[slot] += len(labelled)
    order = lambda c: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))  # noqa: E731
    return {"acts": order(acts), "extra": order(extra), "missing": order(missing),
            "slots_wrong": dict(sorted(slots_wrong.items()))}


def reading_to_gold(reading) -> Gold:
    """A product :class:`agent.reading.models.Reading` in the label's terms."""
    from apps.evaluation.understanding_data import GoldCompare, GoldQuestion

    p = reading.price
    q = reading.quantity
    return Gold(
        act=reading.act,
        budget_max=p.max if p else None, budget_min=p.min if p else None, currency=p.currency if p else None,
        quantity=q.value if q else None, quantity_unit=q.unit if q else None,
        max_moq=reading.max_moq.value if reading.max_moq else None,
        max_lead_time_days=reading.max_lead_time_days.value if reading.max_lead_time_days else None,
        in_stock=reading.in_stock is not None,
        sizes=[s.value for s in reading.sizes],
        categories=[c.name for c in reading.categories],
        brands_in=[b.name for b in reading.brands_in if b.sure],
        brands_out=[b.name for b in reading.brands_out],
        exclude=[t.text for t in reading.exclude],
        require=[t.text for t in reading.require],
        prefer=[t.text for t in reading.prefer] + [b.name.lower() for b in reading.brands_in if not b.sure],
        numeric=[n.label() for n in reading.numeric],
        liked=reading.liked, rejected=reading.rejected,
        critique=[c.label() for c in reading.critiques],
        lift=[lift.field if lift.field == "brand" else lift.label() for lift in reading.lift],
        question=GoldQuestion(items=reading.question.item_ids, field=reading.question.field,
                              value=reading.question.value, quantity=reading.question.quantity)
        if reading.question else None,
        compare=GoldCompare(field=reading.compare.field, goal=reading.compare.goal, value=reading.compare.value)
        if reading.compare else None,
        language=reading.language,
    )


ReadFn = Callable[[Example], Gold]


def motive_reader(catalogs: dict[str, list[Item]], embed=None) -> ReadFn:
    """The product's offline reader, one per catalog (built once, as the product builds it)."""
    from agent.reading import CatalogLexicon, Reader

    readers = {name: Reader(CatalogLexicon.from_items(items, DOMAINS[name]), embed=embed)
               for name, items in catalogs.items()}
    by_id = {name: {i.id: i for i in items} for name, items in catalogs.items()}

    def read(ex: Example) -> Gold:
        items = by_id[ex.catalog]
        shown = [items[i] for i in ex.context.shown if i in items]
        focus = items.get(ex.focus) if ex.focus else None
        return reading_to_gold(readers[ex.catalog].read(ex.text, shown, focus, ex.context.today))

    return read


def keyword_reader(catalogs: dict[str, list[Item]]) -> ReadFn:
    """A floor: every message a request naming the catalog categories, brands and material words it
    contains (what matching on catalog words alone would give)."""
    vocab = {}
    for name, items in catalogs.items():
        cats = sorted({i.category for i in items if i.category}, key=len, reverse=True)
        brands = sorted({i.brand for i in items if i.brand}, key=len, reverse=True)
        vocab[name] = (cats, brands)

    def read(ex: Example) -> Gold:
        text = ex.text.lower()
        cats, brands = vocab[ex.catalog]
        found_cats = [c for c in cats if re.search(rf"\b{re.escape(c)}s?\b", text)]
        found_brands = [b for b in brands if b.lower() in text]
        return Gold(act="request", categories=found_cats, brands_in=found_brands)

    return read


def nothing_reader(_catalogs) -> ReadFn:
    return lambda ex: Gold(act="request")


# ------------------------------------------------------------------------------------------------
# Command


def _load_catalogs(args: argparse.Namespace, needed: set[str]) -> tuple[dict[str, list[Item]], list[str]]:
    catalogs: dict[str, list[Item]] = {}
    notes = []
    for name in sorted(needed):
        if name == "hm":
            items = _hm_items(args)
            if items is None:
                notes.append(f"messages about hm skipped: no H&M catalog (ingest one and pass --hm NAME; see "
                             f"docs/UNDERSTANDING.md)")
                continue
            catalogs[name] = items
        else:
            catalogs[name] = list(catalog_items(name).values())
    return catalogs, notes


def _hm_items(args: argparse.Namespace) -> list[Item] | None:
    if getattr(args, "hm_file", None):
        from agent.catalog import read_catalog

        return read_catalog(Path(args.hm_file)).items
    if not args.hm:
        return None
    from agent.deps import build_deps
    from agent.settings import Settings

    deps = build_deps(getattr(args, "settings", None) or Settings.load())
    if args.hm not in deps.manifest() or not deps.store.has_catalog(args.hm):
        return None
    return deps.store.all_items(args.hm)


def format_table(rows: dict[str, dict[str, float]]) -> str:
    cols = ("messages", "joint", "act", "slot precision", "slot recall", "slot F1")
    width = max(len("reader"), *(len(r) for r in rows)) + 2
    head = "reader".ljust(width) + "".join(c.rjust(16) for c in cols)
    lines = [head, "-" * len(head)]
    for name, m in rows.items():
        lines.append(name.ljust(width) + "".join(
            (f"{m.get(c, float('nan')):.0f}" if c == "messages" else f"{m.get(c, float('nan')):.3f}").rjust(16)
            for c in cols))
    return "\n".join(lines)


def run_understanding(args: argparse.Namespace, embedder=None) -> int:
    started = time.perf_counter()
    names = [s.strip() for s in args.set.split(",") if s.strip()]
    try:
        files = set_files(tuple(names))
        examples = [ex for path in files for ex in load_examples(path)]
    except (LabelError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not examples:
        print(f"error: no labelled messages in set(s) {names}", file=sys.stderr)
        return 2
    catalogs, notes = _load_catalogs(args, {ex.catalog for ex in examples})
    examples = [ex for ex in examples if ex.catalog in catalogs]
    if args.limit:
        examples = examples[: args.limit]
    if embedder is None and not args.no_embeddings:
        from agent.embeddings import CachedEmbedder, OnnxMiniLMEmbedder

        embedder = CachedEmbedder(OnnxMiniLMEmbedder(), Path(args.cache).expanduser() / "embeddings.sqlite3")
    embed = embedder.embed if embedder is not None else None
    wanted = [r for r in args.readers.split(",") if r]
    factories = {"motive": lambda: motive_reader(catalogs, embed), "keywords": lambda: keyword_reader(catalogs),
                 "nothing": lambda: nothing_reader(catalogs)}
    if "llm" in wanted:
        from apps.evaluation.understanding_llm import llm_reader

        factories["llm"] = lambda: llm_reader(catalogs, embed, args)
    unknown = [r for r in wanted if r not in factories]
    if unknown:
        print(f"error: unknown reader(s) {unknown}; choose from {sorted(factories)} (llm needs MOTIVE_LLM_BASE_URL)",
              file=sys.stderr)
        return 2
    rows: dict[str, dict[str, float]] = {}
    styles: dict[str, dict] = {}
    per_catalog: dict[str, dict] = {}
    failures: list[dict] = []
    timings: dict[str, float] = {}
    report, llm_usage = None, ""
    if getattr(args, "trust_report", False):
        if "llm" not in wanted:
            print("error: --trust-report scores the llm reader: add llm to --readers", file=sys.stderr)
            return 2
        from apps.evaluation.understanding_llm import trust_report

        t0 = time.perf_counter()
        report = trust_report(catalogs, examples, embed, args)
        timings["llm"] = time.perf_counter() - t0
        i = wanted.index("llm")
        wanted[i:i + 1] = list(report["outcomes"])
    for name in wanted:
        t0 = time.perf_counter()
        if report is not None and name in report["outcomes"]:
            outcomes = [compare_one(ex, g) for ex, g in zip(examples, report["outcomes"][name])]
        else:
            read = factories[name]()
            outcomes = [compare_one(ex, read(ex)) for ex in examples]
            timings[name] = time.perf_counter() - t0
            if hasattr(read, "usage"):
                from apps.evaluation.understanding_llm import summary

                llm_usage = summary(read.usage)
        rows[name] = summarise(outcomes)
        styles[name] = by_style(outcomes)
        per_catalog[name] = {c: summarise([o for o in outcomes if o.example.catalog == c]) for c in sorted(catalogs)}
        if name == wanted[0]:
            profile = error_profile(outcomes)
            failures = [{"id": o.example.id, "catalog": o.example.catalog, "text": o.example.text,
                         "gold_act": o.example.gold.act, "act": o.predicted.act,
                         "wrong": {k: {"extra": v[0], "missing": v[1]} for k, v in o.wrong.items()}}
                        for o in outcomes if not o.joint]
    print(f"\nunderstanding: {len(examples)} labelled messages ({', '.join(names)}), "
          f"catalogs {', '.join(sorted(catalogs))}")
    for note in notes:
        print(note)
    print(format_table(rows))
    first = wanted[0]
    print(f"\n{first} by catalog:")
    print(format_table({f"  {c}": m for c, m in per_catalog[first].items()}))
    slot_rows = sorted((k[3:], v) for k, v in rows[first].items() if k.startswith("f1:"))
    print(f"\n{first} F1 by slot (labelled values): " + ", ".join(
        f"{s} {v:.2f} ({rows[first].get('n:' + s, 0):.0f})" for s, v in slot_rows))
    print(f"\n{first} by style (messages, joint, act):")
    for style, m in styles[first].items():
        print(f"  {style:<18} {m['messages']:4.0f}  {m['joint']:.3f}  {m['act']:.3f}")
    print(f"\n{first} misreadings in counts (no message shown): acts labelled -> read: "
          + (", ".join(f"{k} {v}" for k, v in profile["acts"].items()) or "none"))
    slots = sorted(set(profile["extra"]) | set(profile["missing"]),
                   key=lambda k: -(profile["extra"].get(k, 0) + profile["missing"].get(k, 0)))
    print("  values read but not labelled / labelled but not read: "
          + (", ".join(f"{k} {profile['extra'].get(k, 0)}/{profile['missing'].get(k, 0)}" for k in slots) or "none"))
    print("  misread messages by slots wrong (the act counts as one): "
          + (", ".join(f"{k}: {v}" for k, v in profile["slots_wrong"].items()) or "none"))
    if llm_usage:
        print(f"\n{llm_usage}")
    if report is not None:
        from apps.evaluation.understanding_llm import summary

        n = len(examples)
        print(f"\nwhich reader to trust, group by group ({report['read_by_llm']} of {n} messages read by the LLM; "
              f"messages with the group right under each mode: llm / fill / offline):")
        for group, by_mode in report["right"].items():
            print(f"  {group:<11} {by_mode['llm']:4d} / {by_mode['fill']:4d} / {by_mode['offline']:4d}")
        print(f"configured: MOTIVE_LLM_READ_TRUST={report['configured']}")
        print(f"best on these messages: MOTIVE_LLM_READ_TRUST={report['best']} (scored as llm:best above; fitted on "
              f"these very messages, so check it on another set)")
        print(summary(report["usage"]))
    print(f"\nper message: " + ", ".join(f"{k} {1000 * v / max(1, len(examples)):.1f} ms" for k, v in timings.items())
          + f"; runtime {time.perf_counter() - started:.0f}s")
    if args.errors:
        Path(args.errors).write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in failures), encoding="utf-8")
        print(f"wrote {len(failures)} misread messages to {args.errors}", file=sys.stderr)
    if args.json:
        from apps.evaluation.report import write_json

        protocol = {"sets": names, "files": [str(p) for p in files], "messages": len(examples),
                    "catalogs": sorted(catalogs), "notes": notes,
                    "metrics": "per-slot micro P/R/F1 over values; joint = every slot and the act right; "
                               "act = act right; messages in another language: act and language only"}
        extra = {"by_style": styles, "by_catalog": per_catalog, "misreadings": profile,
                 **({"trust": {k: report[k] for k in ("right", "best", "configured", "read_by_llm")}} if report else {}),
                 "ms_per_message": {k: 1000 * v / max(1, len(examples)) for k, v in timings.items()}}
        write_json(args.json, "understanding", protocol, rows, (), runtime_seconds=round(time.perf_counter() - started, 1),
                   **extra)
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", default="dev", help="labelled sets, comma-separated: dev, dev2 ... dev12, check, check2 (default dev)")
    parser.add_argument("--readers", default="motive,keywords,nothing",
                        help="readers compared in the same run: motive, keywords, nothing, llm")
    parser.add_argument("--hm", metavar="NAME", default="hm2000",
                        help="the ingested H&M catalog the hm messages are about (default hm2000)")
    parser.add_argument("--hm-file", metavar="CSV", default=None,
                        help="read the H&M catalog from this exported file instead of the store")
    parser.add_argument("--limit", type=int, default=0, help="only the first N messages (0: all)")
    parser.add_argument("--errors", type=Path, default=None, help="write every misread message to this JSONL file")
    parser.add_argument("--json", type=Path, default=None, help="write the results to this JSON file")
    parser.add_argument("--no-embeddings", action="store_true",
                        help="read without the local embedder (no matching of unknown words by meaning)")
    parser.add_argument("--llm-answers", type=Path, default=None, metavar="JSONL",
                        help="keep the llm reader's answers in this file and replay them on the next run (the "
                             "same messages with another MOTIVE_LLM_READ_TRUST are scored without calling the model)")
    parser.add_argument("--trust-report", action="store_true",
                        help="with llm in --readers: score each field group's merge modes (llm, fill, offline) on the "
                             "same answers and print the best MOTIVE_LLM_READ_TRUST")
    parser.add_argument("--cache", type=Path, default=Path("~/.motive/eval-cache"), help="embedding cache folder")
