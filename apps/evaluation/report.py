"""Printing result tables and writing the JSON every ``motive eval`` command can produce."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence


@dataclass(frozen=True)
class Published:
    """A figure reported in a paper, printed beside measured rows and never mixed up with them."""

    name: str
    source: str
    metrics: Mapping[str, float]


def _cell(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.4f}"


def format_table(rows: Mapping[str, Mapping[str, float]], columns: Sequence[str],
                 published: Sequence[Published] = (), title: str = "",
                 counts: Mapping[str, int] | None = None) -> str:
    """A fixed-width table: one measured row per method, then published rows marked as such."""
    names = list(rows) + [f"{p.name} (published)" for p in published]
    width = max([len("method"), *(len(n) for n in names)]) + 2
    header = "method".ljust(width) + "".join(c.rjust(10) for c in columns)
    if counts is not None:
        header += "cases".rjust(8)
    lines = [title] if title else []
    lines += [header, "-" * len(header)]
    for name, metrics in rows.items():
        line = name.ljust(width) + "".join(_cell(metrics.get(c)).rjust(10) for c in columns)
        if counts is not None:
            line += str(counts.get(name, "")).rjust(8)
        lines.append(line)
    if published:
        lines.append("-" * len(header))
        for p in published:
            lines.append(f"{p.name} (published)".ljust(width)
                         + "".join(_cell(p.metrics.get(c)).rjust(10) for c in columns))
        sources = sorted({p.source for p in published})
        lines.append("published rows are quoted from " + "; ".join(sources) + ", not measured here")
    return "\n".join(lines)


def _clean(value):
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def write_json(path: Path | str, dataset: str, protocol: Mapping, methods: Mapping[str, Mapping[str, float]],
               published: Sequence[Published] = (), **extra) -> None:
    """``{"dataset", "protocol", "methods": {name: {metric: value}}, "published": {...}, ...}``."""
    payload = {
        "dataset": dataset,
        "protocol": dict(protocol),
        "methods": {name: dict(metrics) for name, metrics in methods.items()},
        "published": {p.name: {"source": p.source, **p.metrics} for p in published},
        **extra,
    }
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(payload), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
