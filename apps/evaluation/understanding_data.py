"""The labelled messages of ``motive eval understanding``: their schema, loading and validation.

The labelling guide is ``docs/UNDERSTANDING.md``. A line is validated twice: against the schema
here (unknown slots, wrong types), and against its catalog (every id, category, brand and size it
names must exist there), so a typo in a label is an error with its file and line, not a silent
miss that would count against the reader.

    python -m apps.evaluation.understanding_data FILE...   # validate label files
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent.models import Item

DATA_DIR = Path(__file__).parent / "data"
SETS = {name: DATA_DIR / "understanding" / name for name in ("dev", "dev2", "check", "check2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12", "dev13", "dev14", "dev15", "dev16", "dev17", "dev18", "dev19", "dev20")}
"""Each set is a folder of ``*.jsonl`` files (one per author or catalog), read in name order."""
ELECTRONICS = DATA_DIR / "electronics.jsonl"
DEFAULT_TODAY = date(2026, 12, 1)

Act = Literal["request", "question", "compare", "critique", "reaction", "greeting", "off_topic", "reset"]
LIFTABLE = ("budget", "brand", "category", "size", "delivery", "moq", "all")


class GoldQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[str] = Field(default_factory=list)
    field: str
    value: str | None = None
    quantity: float | None = None


class GoldCompare(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str
    goal: Literal["min", "max", "has"]
    value: str | None = None


class Gold(BaseModel):
    """What the person meant (see the guide for each slot)."""

    model_config = ConfigDict(extra="forbid")

    act: Act
    budget_max: float | None = None
    budget_min: float | None = None
    currency: str | None = None
    quantity: float | None = None
    quantity_unit: str | None = None
    max_moq: float | None = None
    max_lead_time_days: float | None = None
    in_stock: bool = False
    sizes: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    brands_in: list[str] = Field(default_factory=list)
    brands_out: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    require: list[str] = Field(default_factory=list)
    prefer: list[str] = Field(default_factory=list)
    numeric: list[str] = Field(default_factory=list)
    liked: list[str] = Field(default_factory=list)
    rejected: list[str] = Field(default_factory=list)
    critique: list[str] = Field(default_factory=list)
    lift: list[str] = Field(default_factory=list)
    question: GoldQuestion | None = None
    compare: GoldCompare | None = None
    language: str = "en"

    @field_validator("critique")
    @classmethod
    def _critique_form(cls, values: list[str]) -> list[str]:
        for v in values:
            if v not in ("cheaper", "pricier") and not re.fullmatch(r"(?:more|less):[a-z][a-z -]*", v):
                raise ValueError(f"critique {v!r} is not cheaper, pricier, more:<quality> or less:<quality>")
        return values

    @field_validator("lift")
    @classmethod
    def _lift_form(cls, values: list[str]) -> list[str]:
        for v in values:
            if v not in LIFTABLE and not re.fullmatch(r"(?:exclude|require):.+", v):
                raise ValueError(f"lift {v!r} is not one of {LIFTABLE}, exclude:<term> or require:<term>")
        return values

    @field_validator("numeric")
    @classmethod
    def _numeric_form(cls, values: list[str]) -> list[str]:
        for v in values:
            if not re.fullmatch(r"[a-z_][a-z0-9_]*(?:>=|<=)\d+(?:\.\d+)?", v):
                raise ValueError(f"numeric {v!r} is not field>=number or field<=number")
        return values


class Context(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shown: list[str] = Field(default_factory=list)
    focus: str | None = None
    today: date = DEFAULT_TODAY


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    catalog: Literal["boutique", "wholesale", "electronics", "hm"]
    styles: list[str] = Field(default_factory=list)
    context: Context = Field(default_factory=Context)
    text: str = Field(min_length=1)
    gold: Gold

    @property
    def focus(self) -> str | None:
        return self.context.focus or (self.context.shown[0] if self.context.shown else None)


class LabelError(ValueError):
    pass


def set_files(names: tuple[str, ...] = tuple(SETS)) -> list[Path]:
    """The label files of the named sets, in name order."""
    return [p for name in names for p in sorted(SETS[name].glob("*.jsonl"))]


def load_examples(path: Path) -> list[Example]:
    """Every line of ``path`` as an :class:`Example`; a bad line is a :class:`LabelError` naming it."""
    out: list[Example] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            example = Example.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise LabelError(f"{path}:{n}: not JSON: {exc}") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise LabelError(f"{path}:{n}: {where}: {first['msg']}") from None
        if example.id in seen:
            raise LabelError(f"{path}:{n}: id {example.id!r} is used twice")
        seen.add(example.id)
        out.append(example)
    return out


def check_against_catalog(example: Example, items: dict[str, Item]) -> list[str]:
    """What ``example`` names that its catalog does not have (empty: consistent)."""
    problems: list[str] = []
    g = example.gold
    categories = {i.category for i in items.values()}
    brands = {i.brand for i in items.values() if i.brand}
    sizes: set[str] = set()
    for item in items.values():
        value = item.attributes.get("size") or item.attributes.get("sizes")
        if isinstance(value, list):
            sizes.update(str(v) for v in value)
        elif value:
            sizes.update(s.strip() for s in str(value).split(","))
    ids = [*example.context.shown, *([example.context.focus] if example.context.focus else []), *g.liked, *g.rejected,
           *(g.question.items if g.question else [])]
    problems += [f"item {i!r} is not in {example.catalog}" for i in ids if i not in items]
    problems += [f"{i!r} is liked or rejected but was not shown" for i in [*g.liked, *g.rejected]
                 if example.context.shown and i not in example.context.shown and i in items]
    problems += [f"category {c!r} is not one of {example.catalog}'s" for c in g.categories if c not in categories]
    problems += [f"brand {b!r} is not one of {example.catalog}'s" for b in [*g.brands_in, *g.brands_out]
                 if b not in brands]
    problems += [f"size {s!r} is not one {example.catalog} sells" for s in g.sizes if s not in sizes]
    for value in [*g.exclude, *g.require, *g.prefer]:
        if value != value.lower():
            problems.append(f"term {value!r} should be lower case")
    return problems


def catalog_items(name: str, hm_items: list[Item] | None = None) -> dict[str, Item] | None:
    """The items of a labelled set's catalog (None for ``hm`` when it is not given)."""
    from agent.catalog import demo_catalog_path, read_catalog

    if name in ("boutique", "wholesale"):
        items = read_catalog(demo_catalog_path(name)).items
    elif name == "electronics":
        items = read_catalog(ELECTRONICS).items
    else:
        if hm_items is None:
            return None
        items = hm_items
    return {i.id: i for i in items}


def main(argv: list[str]) -> int:
    """Validate label files (every set when none is named); ``--hm FILE.csv`` checks the ``hm``
    lines against an exported catalog."""
    import argparse

    from agent.catalog import read_catalog

    parser = argparse.ArgumentParser(prog="python -m apps.evaluation.understanding_data",
                                     description="Check labelled message files: format, slots, and that "
                                                 "ids, categories and brands exist in the catalogs.")
    parser.add_argument("files", nargs="*", type=Path, help=f"JSONL files (default: every set: {', '.join(SETS)})")
    parser.add_argument("--hm", type=Path, help="an H&M catalog exported by `motive eval export`, for the hm lines")
    args = parser.parse_args(argv)
    hm_items = read_catalog(args.hm).items if args.hm else None
    paths = args.files or set_files()
    failed = 0
    for path in paths:
        try:
            examples = load_examples(path)
        except LabelError as exc:
            print(f"error: {exc}")
            failed += 1
            continue
        cache: dict[str, dict[str, Item] | None] = {}
        for ex in examples:
            if ex.catalog not in cache:
                cache[ex.catalog] = catalog_items(ex.catalog, hm_items)
            items = cache[ex.catalog]
            if items is None:
                continue
            for problem in check_against_catalog(ex, items):
                print(f"{path}: {ex.id}: {problem}")
                failed += 1
        counts: dict[str, int] = {}
        for ex in examples:
            counts[ex.catalog] = counts.get(ex.catalog, 0) + 1
        print(f"{path}: {len(examples)} messages " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
