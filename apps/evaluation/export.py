"""``motive eval export``: a public data folder written as a catalog file that ``motive ingest`` reads.

The evaluations that run on a user's own catalog (``motive eval simulate --catalog NAME``,
``motive eval understanding --catalog NAME``) should meet the catalog the way a user would: as a
file ingested with ``motive ingest``, not through a loader of their own. This command writes such
a file from an H&M or MiniOneRec folder (see :mod:`apps.evaluation.simulate_data` for how their
fields become item fields): a seeded sample of ``--items`` items, one CSV row each, with the
columns ``id, title, description, brand, category, price, currency`` and one column per attribute.

    motive eval export --data ../shared/datasets/hm-fashion --items 2000 --out hm2000.csv
    motive ingest hm2000.csv --catalog hm2000 --domain fashion
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from apps.evaluation.seqrec_data import DataFormatError
from apps.evaluation.simulate_data import load_folder
from agent.models import Item

BASE_COLUMNS = ("id", "title", "description", "brand", "category", "price", "currency")


def sample_items(items: list[Item], count: int, seed: int) -> list[Item]:
    """``count`` items drawn without replacement (seeded), in their original order; every item
    when ``count`` is 0 or covers them all."""
    if not count or count >= len(items):
        return list(items)
    keep = set(random.Random(seed).sample(range(len(items)), count))
    return [item for n, item in enumerate(items) if n in keep]


def write_catalog_csv(items: list[Item], path: Path) -> None:
    """``items`` as a CSV ``motive ingest`` reads back into the same items (attributes as columns,
    lists joined with commas)."""
    keys = sorted({k for item in items for k in item.attributes if k != "tiered_prices"})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*BASE_COLUMNS, *keys])
        for item in items:
            extra = []
            for key in keys:
                value = item.attributes.get(key, "")
                extra.append(",".join(map(str, value)) if isinstance(value, list) else value)
            writer.writerow([item.id, item.title, item.description, item.brand, item.category,
                             f"{item.price:g}", item.currency, *extra])


def run_export(args: argparse.Namespace) -> int:
    try:
        data = load_folder(args.data)
    except DataFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.items < 0:
        print("error: --items must be 0 (every item) or more", file=sys.stderr)
        return 2
    items = sample_items(data.items, args.items, args.seed)
    write_catalog_csv(items, args.out)
    print(f"wrote {len(items)} items of {data.name} to {args.out}; ingest with "
          f"`motive ingest {args.out} --catalog NAME --domain {data.domain}`")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="an H&M-format or MiniOneRec-format folder")
    parser.add_argument("--items", type=int, default=2000, help="items to sample (default 2000; 0: every item)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="the CSV file to write")
