"""Reading a sequential-recommendation folder in the MiniOneRec format.

The folder holds, whatever the category is called:

- ``index_*.item.json``: ``{"<item id>": {"title", "description", "brand", "categories"}}``, where
  ``description`` is a string holding a Python-style list of strings;
- ``valid_*.csv`` and ``test_*.csv``: one row per case, with ``user_id``, ``history_item_id`` (a
  Python-style list of item ids, oldest first) and ``item_id`` (the target); other columns are
  ignored.

Only these patterns are assumed, so another category or another split of the same format loads
the same way.
"""

from __future__ import annotations

import ast
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from agent.models import Item


class DataFormatError(ValueError):
    """The folder does not hold what the format promises; the message says which file and row."""


@dataclass(frozen=True)
class SeqCase:
    """One evaluation case: a user's history (oldest first) and the item that came next."""

    user: str
    history: tuple[int, ...]
    """Item indices (rows of :attr:`SeqRecData.item_ids`), oldest first."""
    target: int
    """Item index of the next item; never shown to any model when the case is a test case."""
    line: int
    """Line of the CSV file the case came from (for error messages and debugging)."""


@dataclass
class SeqRecData:
    """Items and the cases of each split, with item ids mapped to dense indices ``0..n-1``."""

    folder: Path
    items: list[Item]
    """Item index -> item (catalog id in ``Item.id``)."""
    splits: dict[str, list[SeqCase]] = field(default_factory=dict)

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    @property
    def titles(self) -> list[str]:
        return [item.title for item in self.items]

    @property
    def texts(self) -> list[str]:
        """``Item.text()`` per item: what BM25, the embedder and the trait extractor read."""
        return [item.text() for item in self.items]

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def name(self) -> str:
        return self.folder.name


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if not found:
        raise DataFormatError(f"{folder}: no file matches {pattern!r}; is this a MiniOneRec-format folder?")
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise DataFormatError(f"{folder}: several files match {pattern!r} ({names}); keep one per split")
    return found[0]


def _description(raw: object) -> str:
    if isinstance(raw, list):
        return " ".join(str(x) for x in raw)
    text = str(raw or "").strip()
    if text.startswith("["):
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
        if isinstance(parsed, (list, tuple)):
            return " ".join(str(x) for x in parsed)
    return text


def to_item(item_id: str, meta: dict) -> Item:
    """One index entry as a Motive :class:`~agent.models.Item` (the data has no price: 0).

    ``Item.text()`` (title, brand, categories, description) is then the text BM25, the embedder
    and the trait extractor all read, so the embedding cache is shared with the rest of Motive.
    """
    title = str(meta.get("title") or "").strip() or f"item {item_id}"
    return Item(
        id=str(item_id),
        title=title,
        brand=str(meta.get("brand") or "").strip(),
        category=str(meta.get("categories") or "").strip(),
        description=_description(meta.get("description")),
        price=0.0,
    )


def _read_cases(path: Path, index: dict[str, int]) -> list[SeqCase]:
    csv.field_size_limit(sys.maxsize)
    cases: list[SeqCase] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"user_id", "history_item_id", "item_id"} - set(reader.fieldnames or [])
        if missing:
            raise DataFormatError(f"{path}: missing column(s) {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            try:
                history = ast.literal_eval(row["history_item_id"])
            except (ValueError, SyntaxError) as exc:
                raise DataFormatError(
                    f"{path}:{line}: field history_item_id is not a list literal ({exc})"
                ) from None
            if not isinstance(history, (list, tuple)):
                raise DataFormatError(f"{path}:{line}: field history_item_id is not a list")
            try:
                hist = tuple(index[str(h)] for h in history)
                target = index[str(row["item_id"]).strip()]
            except KeyError as exc:
                raise DataFormatError(
                    f"{path}:{line}: item id {exc.args[0]!r} is not in the item index"
                ) from None
            cases.append(SeqCase(user=row["user_id"], history=hist, target=target, line=line))
    return cases


def load_seqrec(folder: Path | str, splits: tuple[str, ...] = ("valid", "test")) -> SeqRecData:
    """Load the items and the named splits (``valid``, ``test``) of a MiniOneRec-format folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFormatError(f"{folder}: not a directory")
    index_path = _one(folder, "index_*.item.json")
    try:
        meta = json.loads(index_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"{index_path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    item_ids = sorted(meta, key=lambda k: (int(k) if k.isdigit() else float("inf"), k))
    index = {item_id: i for i, item_id in enumerate(item_ids)}
    data = SeqRecData(folder=folder, items=[to_item(i, meta[i]) for i in item_ids])
    for split in splits:
        data.splits[split] = _read_cases(_one(folder, f"{split}_*.csv"), index)
    return data


def history_length_bucket(length: int) -> str:
    """The history-length bucket a case is reported under: ``1-2``, ``3-5`` or ``6+``."""
    if length <= 2:
        return "1-2"
    if length <= 5:
        return "3-5"
    return "6+"


BUCKETS = ("1-2", "3-5", "6+")


def histories_matrix(cases: list[SeqCase]) -> tuple[np.ndarray, np.ndarray]:
    """Histories as a right-aligned ``(cases, max_len)`` int matrix padded with -1, and lengths."""
    lengths = np.array([len(c.history) for c in cases], dtype=np.int64)
    width = int(lengths.max()) if len(cases) else 0
    out = np.full((len(cases), width), -1, dtype=np.int64)
    for i, c in enumerate(cases):
        if c.history:
            out[i, width - len(c.history):] = c.history
    return out, lengths
