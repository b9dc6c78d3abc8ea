"""``motive eval understanding --readers llm``: the product's LLM reading (``agent.reading.llm``),
validated field by field as the product validates it, on the same labelled messages.

The chat model comes from the settings (``MOTIVE_LLM_BASE_URL`` and ``MOTIVE_LLM_MODEL``); each
message is read with its own ledger, and the calls, tokens and fallbacks of the whole run are
counted on the returned function (``read.usage``; :func:`summary` says them in one line).
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Callable

from apps.evaluation.understanding import DOMAINS, reading_to_gold
from apps.evaluation.understanding_data import Example, Gold
from agent.models import Item


class NoLLMConfigured(ValueError):
    """``--readers llm`` without an LLM in the settings."""


def llm_reader(catalogs: dict[str, list[Item]], embed=None, args: argparse.Namespace | None = None
               ) -> Callable[[Example], Gold]:
    """One :class:`~agent.reading.llm.LLMReader` per catalog, over the configured chat model."""
    from agent.llm import LLM, UsageLedger, chat_model_from_settings
    from agent.reading import CatalogLexicon, Reader
    from agent.reading.llm import LLMReader
    from agent.settings import Settings

    settings = getattr(args, "settings", None) or Settings.load()
    chat_model = chat_model_from_settings(settings)
    if chat_model is None:
        raise NoLLMConfigured("the llm reader needs an LLM: set MOTIVE_LLM_BASE_URL and MOTIVE_LLM_MODEL "
                              "(an OpenAI-compatible endpoint), or leave llm out of --readers")
    llm = LLM.from_settings(settings, chat_model)  # the product's per-step token caps and timeouts
    readers = {name: LLMReader(llm, Reader(CatalogLexicon.from_items(items, DOMAINS[name]), embed=embed),
                               fields=settings.llm_read)
               for name, items in catalogs.items()}
    by_id = {name: {i.id: i for i in items} for name, items in catalogs.items()}
    usage = {"messages": 0, "calls": 0, "tokens": 0, "fallbacks": Counter()}

    def read(ex: Example) -> Gold:
        items = by_id[ex.catalog]
        shown = [items[i] for i in ex.context.shown if i in items]
        focus = items.get(ex.focus) if ex.focus else None
        ledger = UsageLedger()
        reading = readers[ex.catalog].read(ex.text, shown, focus, ex.context.today, ledger)
        usage["messages"] += 1
        usage["calls"] += ledger.usage.calls
        usage["tokens"] += ledger.usage.tokens
        usage["fallbacks"].update(f.reason.partition(":")[0] for f in ledger.usage.fallbacks)
        return reading_to_gold(reading)

    read.usage = usage  # type: ignore[attr-defined]
    return read


def summary(usage: dict) -> str:
    """One line on a run's LLM use: calls, tokens, and how often each field fell back to offline."""
    fallbacks = ", ".join(f"{k} {v}" for k, v in usage["fallbacks"].most_common()) or "none"
    return (f"llm reader: {usage['messages']} messages, {usage['calls']} calls, {usage['tokens']} tokens; "
            f"fields that fell back to offline: {fallbacks}")
