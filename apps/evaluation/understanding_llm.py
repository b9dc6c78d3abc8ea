"""``motive eval understanding --readers llm``: the product's LLM reading (``agent.reading.llm``),
validated field by field as the product validates it, on the same labelled messages.

The chat model comes from the settings (``MOTIVE_LLM_BASE_URL`` and ``MOTIVE_LLM_MODEL``); each
message is read with its own ledger, and the calls, tokens and fallbacks of the whole run are
counted on the returned function (``read.usage``; :func:`summary` says them in one line).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from apps.evaluation.understanding import DOMAINS, reading_to_gold
from apps.evaluation.understanding_data import Example, Gold
from agent.models import Item


class NoLLMConfigured(ValueError):
    """``--readers llm`` without an LLM in the settings."""


def answer_cache(llm: Any, path: Path) -> Any:
    """``llm`` whose structured answers are kept in ``path`` (JSON lines), keyed by the model, the
    step, the prompt and the schema: a second run on the same messages replays the answers instead
    of calling the model, so several ways of merging them with the offline reading (the
    ``MOTIVE_LLM_READ_TRUST`` setting) are scored on the very same answers. Only answers that
    parsed are kept; a failed call is made again next time."""
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    kept: dict[str, dict] = {}
    if path.exists():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    entry = json.loads(line)
                    kept[entry["key"]] = entry["answer"]
                except (ValueError, KeyError, TypeError) as exc:
                    raise ValueError(f"{path}, line {n}: not a cached answer ({exc})") from None
    structured = llm.structured

    def cached(step, prompt, schema, ledger):
        text = prompt if isinstance(prompt, str) else json.dumps([m.content for m in prompt])
        key = hashlib.sha256(json.dumps([llm.name, step, text, schema.model_json_schema()],
                                        sort_keys=True).encode()).hexdigest()
        if key in kept:
            return schema.model_validate(kept[key])
        answer = structured(step, prompt, schema, ledger)
        if answer is not None:
            kept[key] = answer.model_dump(mode="json")
            with path.open("a", encoding="utf-8") as f:
                f.write(json.dumps({"key": key, "answer": kept[key]}, ensure_ascii=False) + "\n")
        return answer

    llm.structured = cached
    return llm


def _llm_readers(catalogs: dict[str, list[Item]], embed=None, args: argparse.Namespace | None = None):
    """One :class:`~agent.reading.llm.LLMReader` per catalog over the configured chat model, and the
    settings they were made from."""
    from agent.llm import LLM, chat_model_from_settings
    from agent.reading import CatalogLexicon, Reader
    from agent.reading.llm import LLMReader
    from agent.settings import Settings

    settings = getattr(args, "settings", None) or Settings.load()
    chat_model = chat_model_from_settings(settings)
    if chat_model is None:
        raise NoLLMConfigured("the llm reader needs an LLM: set MOTIVE_LLM_BASE_URL and MOTIVE_LLM_MODEL "
                              "(an OpenAI-compatible endpoint), or leave llm out of --readers")
    llm = LLM.from_settings(settings, chat_model)  # the product's per-step token caps and timeouts
    if getattr(args, "llm_answers", None):
        llm = answer_cache(llm, args.llm_answers)
    readers = {name: LLMReader(llm, Reader(CatalogLexicon.from_items(items, DOMAINS[name]), embed=embed),
                               fields=settings.llm_read, trust=settings.llm_read_trust)
               for name, items in catalogs.items()}
    return readers, settings


def _context(ex: Example, by_id: dict[str, dict[str, Item]]):
    items = by_id[ex.catalog]
    return [items[i] for i in ex.context.shown if i in items], items.get(ex.focus) if ex.focus else None


def _count(usage: dict, ledger) -> None:
    usage["messages"] += 1
    usage["calls"] += ledger.usage.calls
    usage["tokens"] += ledger.usage.tokens
    usage["fallbacks"].update(f.reason.partition(":")[0] for f in ledger.usage.fallbacks)


def llm_reader(catalogs: dict[str, list[Item]], embed=None, args: argparse.Namespace | None = None
               ) -> Callable[[Example], Gold]:
    """The product's LLM reading, merged with the offline one as ``MOTIVE_LLM_READ_TRUST`` says."""
    from agent.llm import UsageLedger

    readers, _ = _llm_readers(catalogs, embed, args)
    by_id = {name: {i.id: i for i in items} for name, items in catalogs.items()}
    usage = {"messages": 0, "calls": 0, "tokens": 0, "fallbacks": Counter()}

    def read(ex: Example) -> Gold:
        shown, focus = _context(ex, by_id)
        ledger = UsageLedger()
        reading = readers[ex.catalog].read(ex.text, shown, focus, ex.context.today, ledger)
        _count(usage, ledger)
        return reading_to_gold(reading)

    read.usage = usage  # type: ignore[attr-defined]
    return read


# ------------------------------------------------------------------------------------------------
# Which reader to trust with each group of fields

GROUP_SLOTS: dict[str, tuple[str, ...]] = {
    "act": ("act", "question.items", "question.field", "question.value", "question.quantity", "compare.field",
            "compare.goal", "compare.value"),
    "price": ("budget_max", "budget_min", "currency"),
    "quantity": ("quantity", "quantity_unit"),
    "max_moq": ("max_moq",),
    "lead_time": ("max_lead_time_days",),
    "in_stock": ("in_stock",),
    "sizes": ("sizes",),
    "categories": ("categories",),
    "brands": ("brands_in", "brands_out"),
    "terms": ("exclude", "require", "prefer", "numeric"),
    "references": ("liked", "rejected"),
    "critiques": ("critique",),
    "lift": ("lift",),
}
"""The labelled slots that score each trust group (``motives`` have no label here: they keep the
configured mode). ``act`` is the act itself plus the question or comparison it carries."""


def group_right(example: Example, predicted: Gold, group: str) -> bool:
    """Every slot of ``group`` right for ``example`` (the act compared as such)."""
    from apps.evaluation.understanding import scored_slots, slot_values

    gold_v, pred_v = slot_values(example.gold), slot_values(predicted)
    counted = set(scored_slots(example.gold))
    for slot in GROUP_SLOTS[group]:
        if slot == "act":
            if predicted.act != example.gold.act:
                return False
        elif slot in counted and pred_v[slot] != gold_v[slot]:
            return False
    return True


def best_trust(right: dict[str, dict[str, int]], configured: dict[str, str]) -> dict[str, str]:
    """Per group, the mode with the most messages right; a tie keeps the offline reading's value
    (``offline``, then ``fill``): the LLM decides a group only where it measurably reads it better."""
    out = dict(configured)
    for group, by_mode in right.items():
        out[group] = max(("offline", "fill", "llm"), key=lambda m: (by_mode.get(m, 0), -("offline", "fill", "llm").index(m)))
    return out


def trust_text(modes: dict[str, str]) -> str:
    """``modes`` as the shortest ``MOTIVE_LLM_READ_TRUST`` value: the commonest mode, then exceptions."""
    common = Counter(modes.values()).most_common(1)[0][0]
    return ",".join([common, *(f"{g}={m}" for g, m in modes.items() if m != common)])


def trust_report(catalogs: dict[str, list[Item]], examples: list[Example], embed=None,
                 args: argparse.Namespace | None = None) -> dict:
    """Every message read once by the LLM; the three modes of every group scored on those same
    answers, and the best setting. Returns ``{"outcomes": {row: [Gold]}, "right": {group: {mode: n}},
    "best": str, "configured": str, "usage": dict}`` (rows: ``llm`` as configured, ``llm:<mode>``
    for each mode everywhere, ``llm:best``)."""
    from agent.llm import UsageLedger
    from agent.reading.llm import _tidy
    from agent.reading.trust import merge
    from agent.settings import READ_TRUST_MODES, read_trust_values

    readers, settings = _llm_readers(catalogs, embed, args)
    configured = read_trust_values(settings.llm_read_trust)
    by_id = {name: {i.id: i for i in items} for name, items in catalogs.items()}
    usage = {"messages": 0, "calls": 0, "tokens": 0, "fallbacks": Counter()}
    pairs = []
    for ex in examples:
        shown, focus = _context(ex, by_id)
        ledger = UsageLedger()
        pairs.append(readers[ex.catalog].readings(ex.text, shown, focus, ex.context.today, ledger))
        _count(usage, ledger)

    def golds(modes) -> list[Gold]:
        return [reading_to_gold(off if llm is None else _tidy(merge(llm, off, modes))) for llm, off in pairs]

    per_mode = {mode: golds(read_trust_values(mode)) for mode in READ_TRUST_MODES}
    right = {group: {mode: sum(group_right(ex, g, group) for ex, g in zip(examples, per_mode[mode]))
                     for mode in READ_TRUST_MODES} for group in GROUP_SLOTS}
    best = best_trust(right, configured)
    outcomes = {"llm": golds(configured), **{f"llm:{m}": per_mode[m] for m in READ_TRUST_MODES},
                "llm:best": golds(best)}
    return {"outcomes": outcomes, "right": right, "best": trust_text(best),
            "configured": settings.llm_read_trust, "usage": usage, "read_by_llm": sum(llm is not None for llm, _ in pairs)}


def summary(usage: dict) -> str:
    """One line on a run's LLM use: calls, tokens, and how often each field fell back to offline."""
    fallbacks = ", ".join(f"{k} {v}" for k, v in usage["fallbacks"].most_common()) or "none"
    return (f"llm reader: {usage['messages']} messages, {usage['calls']} calls, {usage['tokens']} tokens; "
            f"fields that fell back to offline: {fallbacks}")
