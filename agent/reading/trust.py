"""Which reader decides each field when an LLM reads a message.

The LLM's reading (:mod:`agent.reading.llm`) is already checked value by value against the
message's words and the catalog; what holds can still be worse than the offline reader's. How
much worse depends on the model: Qwen2.5-Coder-0.5B answered 'reset' to 86 of 97 labelled
messages, and no group of fields did it read better than the rules (``docs/UNDERSTANDING.md``).
So the merge is a setting,
``MOTIVE_LLM_READ_TRUST``, one mode per group of fields (:data:`~agent.settings.READ_TRUST_GROUPS`):

- ``llm``: the LLM's value wherever it held (the offline value where it failed or was not given);
- ``fill``: the offline reader's value wherever it read one; the LLM's only where it read nothing
  in that group (the default: an LLM then only adds what the rules missed);
- ``offline``: the offline value always.

``motive eval understanding --readers motive,llm --trust-report`` scores the three modes of every
group on the same answers and prints the best setting for the model measured.
"""

from __future__ import annotations

from typing import Any, Mapping

from agent.reading.models import Reading
from agent.settings import READ_TRUST_GROUPS, read_trust_values

FIELDS: dict[str, tuple[str, ...]] = {
    "act": ("act", "question", "compare", "decided"),
    "price": ("price",),
    "quantity": ("quantity",),
    "max_moq": ("max_moq",),
    "lead_time": ("max_lead_time_days",),
    "in_stock": ("in_stock",),
    "sizes": ("sizes",),
    "categories": ("categories",),
    "brands": ("brands_in", "brands_out", "brand_refs_out"),
    "terms": ("exclude", "require", "prefer", "numeric"),
    "references": ("references",),
    "critiques": ("critiques", "reason"),
    "lift": ("lift",),
    "motives": ("motives",),
}
"""The :class:`Reading` fields of each group."""

assert set(FIELDS) == set(READ_TRUST_GROUPS), "every trust group names its fields"
_BEYOND_ACT = tuple(f for g, names in FIELDS.items() if g not in ("act", "motives") for f in names)
"""The fields whose emptiness makes a reading's act only the default ('request')."""


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


def read_nothing(reading: Reading, group: str) -> bool:
    """True when ``reading`` holds nothing in ``group``. For the act: the message was not
    understood (another language), or nothing at all was read in it, so its act ('request') is
    only the default, not something the words said."""
    if group == "act":
        if not reading.understood:
            return True
        return reading.act == "request" and all(_empty(getattr(reading, f)) for f in _BEYOND_ACT)
    return all(_empty(getattr(reading, f)) for f in FIELDS[group])


def merge(llm: Reading, offline: Reading, trust: Mapping[str, str] | str) -> Reading:
    """The reading to act on: each group from ``llm`` or ``offline`` as ``trust`` says (a
    :func:`~agent.settings.read_trust_values` mapping, or its text)."""
    modes = read_trust_values(trust) if isinstance(trust, str) else dict(trust)
    out = llm.model_copy(deep=True)
    for group, names in FIELDS.items():
        mode = modes.get(group, "fill")
        if mode == "llm" or (mode == "fill" and read_nothing(offline, group)):
            continue
        for name in names:
            setattr(out, name, _copy(getattr(offline, name)))
        if group == "act":
            out.understood = offline.understood
            if offline.question is not None:  # 'price per case if we take 60 cases?': its quantity is the question's
                out.quantity = _copy(offline.quantity)
    return out


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [v.model_copy(deep=True) if hasattr(v, "model_copy") else v for v in value]
    return value.model_copy(deep=True) if hasattr(value, "model_copy") else value
