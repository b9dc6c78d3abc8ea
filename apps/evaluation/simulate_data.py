"""Catalogs and hidden targets for ``motive eval simulate``, from a built-in catalog or a data folder.

Two folder formats are recognised by their files, whatever the folder is called:

- **H&M** (Kaggle "H&M Personalized Fashion Recommendations"): ``articles.csv`` (``article_id``,
  ``prod_name``, ``product_type_name``, ``colour_group_name``, ``detail_desc``, ...) and a
  transactions file ``transactions*.csv`` (``t_dat``, ``customer_id``, ``article_id``, ``price``).
  Each sampled customer's last purchase is the hidden target; their earlier purchases are the
  client history. The data's prices are scaled by the competition; an article's price here is its
  mean transaction price times 1,000, in currency ``XXX`` (ISO 4217: no currency).
- **MiniOneRec** (``index_*.item.json``, ``valid_*.csv``, ``test_*.csv``): read with
  :func:`apps.evaluation.seqrec_data.load_seqrec`. One test row per sampled user: its target is the
  hidden target, its history the client history. The items carry no price and no category.

A built-in catalog (``boutique``, ``wholesale``) has no purchase data: targets are items drawn at
random, without history.
"""

from __future__ import annotations

import csv
import hashlib
import random
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from apps.evaluation.seqrec_data import DataFormatError, load_seqrec
from agent.models import Item

Format = Literal["hm", "minionerec"]
HM_PRICE_SCALE = 1000.0
"""H&M prices are scaled to roughly 0.001-0.25; times 1,000 they read like ordinary prices."""
HM_CURRENCY = "XXX"
HM_ARTICLE_COLUMNS = ("article_id", "prod_name", "product_type_name")
HM_TRANSACTION_COLUMNS = ("customer_id", "article_id")


@dataclass(frozen=True)
class SimCase:
    """One simulated session: the item the simulated person wants, and what they bought before."""

    case_id: str
    """Customer or user id in the data (``item:<id>`` for a built-in catalog)."""
    target: str
    """Item id of the hidden target."""
    history: tuple[str, ...] = ()
    """Item ids bought before, oldest first (never the target)."""


@dataclass
class SimData:
    """A catalog, the candidate sessions, and (when the data has purchases) item popularity."""

    name: str
    kind: Literal["demo", "catalog", "hm", "minionerec"]
    """``demo``: a built-in catalog; ``catalog``: one the user ingested (``motive ingest``); both
    have no purchases, so every item is a target with no history."""
    domain: str
    """Motive vocabulary domain of the catalog: ``fashion``, ``b2b`` or ``any``."""
    items: list[Item]
    cases: list[SimCase]
    popularity: Counter = field(default_factory=Counter)
    """Purchases per item id, from events that are not a sampled target (see :func:`sample`)."""
    popularity_source: str = ""

    @property
    def targets_only(self) -> bool:
        """A bare catalog: every item is a target, nobody has a history, nothing is popular."""
        return self.kind in ("demo", "catalog")

    @property
    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}


def detect_format(folder: Path | str) -> Format:
    """``hm`` or ``minionerec``, from the files present; a clear error otherwise."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFormatError(f"{folder}: not a directory")
    if (folder / "articles.csv").is_file() and _transactions_file(folder, required=False) is not None:
        return "hm"
    if any(folder.glob("index_*.item.json")):
        return "minionerec"
    raise DataFormatError(
        f"{folder}: neither an H&M folder (articles.csv and transactions*.csv) nor a MiniOneRec "
        f"folder (index_*.item.json with valid_*.csv / test_*.csv)")


def _transactions_file(folder: Path, required: bool = True) -> Path | None:
    found = sorted(folder.glob("transactions*.csv"))
    if not found:
        if required:
            raise DataFormatError(f"{folder}: no transactions*.csv file")
        return None
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise DataFormatError(f"{folder}: several transactions files ({names}); keep one")
    return found[0]


def _rows(path: Path, required: tuple[str, ...]):
    csv.field_size_limit(sys.maxsize)
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.DictReader(handle)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        handle.close()
        raise DataFormatError(f"{path}: missing column(s) {missing}; columns are {reader.fieldnames}")
    with handle:
        for line, row in enumerate(reader, start=2):
            yield line, row


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def load_hm(folder: Path | str) -> SimData:
    """Articles as items and one case per customer (target: last purchase, history: the others)."""
    folder = Path(folder)
    transactions = _transactions_file(folder)
    prices: dict[str, list[float]] = defaultdict(list)
    bought: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for line, row in _rows(transactions, HM_TRANSACTION_COLUMNS):
        article = row["article_id"].strip()
        if not article:
            raise DataFormatError(f"{transactions}:{line}: field article_id is empty")
        bought[row["customer_id"]].append((row.get("t_dat", ""), line, article))
        if row.get("price"):
            try:
                prices[article].append(float(row["price"]))
            except ValueError:
                raise DataFormatError(f"{transactions}:{line}: field price is not a number: {row['price']!r}") from None

    raw: list[tuple[str, dict]] = []
    seen: set[str] = set()
    articles = folder / "articles.csv"
    for line, row in _rows(articles, HM_ARTICLE_COLUMNS):
        article = row["article_id"].strip()
        if not article or article in seen:
            raise DataFormatError(f"{articles}:{line}: article_id {article!r} is empty or repeated")
        seen.add(article)
        raw.append((article, row))
    # An article nobody bought gets the median price of its product type (then of everything).
    type_prices: dict[str, list[float]] = defaultdict(list)
    for article, row in raw:
        if prices.get(article):
            type_prices[row["product_type_name"]].append(statistics.fmean(prices[article]))
    everything = [p for values in type_prices.values() for p in values] or [0.0]
    items = []
    for article, row in raw:
        mean = (statistics.fmean(prices[article]) if prices.get(article)
                else statistics.median(type_prices.get(row["product_type_name"]) or everything))
        items.append(hm_item(article, row, round(mean * HM_PRICE_SCALE, 2)))

    known = set(seen)
    cases: list[SimCase] = []
    popularity: Counter = Counter()
    for customer in sorted(bought):
        events = sorted(bought[customer])
        ids = [a for _, _, a in events]
        unknown = [a for a in ids if a not in known]
        if unknown:
            raise DataFormatError(f"{transactions}: article {unknown[0]} (customer {customer[:12]}...) "
                                  f"is not in articles.csv")
        popularity.update(ids)
        target = ids[-1]
        history = tuple(dict.fromkeys(a for a in ids[:-1] if a != target))
        cases.append(SimCase(case_id=customer, target=target, history=history))
    return SimData(name=folder.name, kind="hm", domain="fashion", items=items, cases=cases,
                   popularity=popularity, popularity_source=f"purchases in {transactions.name}")


def hm_item(article: str, row: dict, price: float) -> Item:
    """One ``articles.csv`` row as an item: the product type is the category, the colour group,
    pattern, section and index group are attributes (the catalog's facts a shopper can state)."""
    attributes = {}
    for key, column in (("colour", "colour_group_name"), ("pattern", "graphical_appearance_name"),
                        ("section", "section_name"), ("range", "index_group_name")):
        value = _clean(row.get(column))
        if value and value.lower() not in ("unknown", "undefined", "other"):
            attributes[key] = value.lower() if key == "colour" else value
    return Item(id=article, title=_clean(row["prod_name"]) or f"article {article}",
                description=_clean(row.get("detail_desc")), brand="",
                category=_clean(row["product_type_name"]).lower(), price=price,
                currency=HM_CURRENCY, attributes=attributes)


def load_minionerec(folder: Path | str) -> SimData:
    """Items of the index, one case per test user (a row drawn later by :func:`sample`), and
    popularity from the valid split only (no test target is counted)."""
    from apps.evaluation.seqrec_training import training

    data = load_seqrec(folder)
    ids = data.item_ids
    cases = [SimCase(case_id=f"{c.user}:{c.line}", target=ids[c.target],
                     history=tuple(ids[h] for h in c.history if h != c.target))
             for c in data.splits["test"]]
    seqs = training(data, "valid").sequences
    popularity = Counter(ids[i] for seq in seqs.values() for i in seq)
    return SimData(name=data.name, kind="minionerec", domain="b2b", items=data.items, cases=cases,
                   popularity=popularity, popularity_source="valid split (users' histories and targets)")


def load_demo(name: str) -> SimData:
    from agent.catalog import demo_catalog_path, read_catalog
    from agent.deps import DEMO_DOMAINS

    items = read_catalog(demo_catalog_path(name)).items
    cases = [SimCase(case_id=f"item:{i.id}", target=i.id) for i in items]
    return SimData(name=name, kind="demo", domain=DEMO_DOMAINS[name], items=items, cases=cases)


def load_catalog(name: str, settings) -> SimData:
    """A catalog as ``motive catalogs`` lists it: a built-in one, or one ingested with ``motive
    ingest`` into the store ``settings`` point at (its items read back from that store)."""
    from agent.catalog import DEMO_CATALOGS, CatalogError

    if name in DEMO_CATALOGS:
        return load_demo(name)
    from agent.deps import build_deps

    deps = build_deps(settings)
    manifest = deps.manifest()
    if name not in manifest or not deps.store.has_catalog(name):
        raise CatalogError(f"no catalog named {name!r} in {settings.data_dir}; known: "
                           f"{', '.join(deps.catalog_names())} (add one with `motive ingest FILE --catalog NAME`)")
    items = deps.store.all_items(name)
    if not items:
        raise CatalogError(f"catalog {name!r} has no items")
    cases = [SimCase(case_id=f"item:{i.id}", target=i.id) for i in items]
    return SimData(name=name, kind="catalog", domain=manifest[name].get("domain", "any"), items=items,
                   cases=cases)


def load_folder(folder: Path | str) -> SimData:
    return load_hm(folder) if detect_format(folder) == "hm" else load_minionerec(folder)


def sample(data: SimData, sessions: int, seed: int, min_history: int = 0) -> list[SimCase]:
    """``sessions`` cases drawn without replacement (seeded), at most one per user, among those
    with at least ``min_history`` earlier purchases; a built-in catalog smaller than ``sessions`` is
    cycled through again in a new order.

    Each drawn case's target purchase is removed from :attr:`SimData.popularity`, so the popularity
    baseline never counts the purchase it has to find.
    """
    rng = random.Random(seed)
    by_user: dict[str, list[SimCase]] = defaultdict(list)
    for case in data.cases:
        if len(case.history) < min_history:
            continue
        by_user[case.case_id.split(":")[0] if data.kind == "minionerec" else case.case_id].append(case)
    users = sorted(by_user)
    rng.shuffle(users)
    picked = [rng.choice(by_user[u]) for u in users[:sessions]]
    if data.targets_only:
        while len(picked) < sessions:
            more = list(data.cases)
            rng.shuffle(more)
            picked.extend(more[: sessions - len(picked)])
    if data.kind == "hm":
        for case in picked:
            data.popularity[case.target] -= 1
    return picked


def catalog_subset(data: SimData, cases: list[SimCase], limit: int, seed: int) -> list[Item]:
    """The catalog the agent sees: every item when ``limit`` covers them (or is 0); otherwise the
    targets and histories of ``cases`` plus items drawn at random (seeded) up to ``limit``."""
    if not limit or limit >= len(data.items):
        return list(data.items)
    needed = list(dict.fromkeys(i for c in cases for i in (c.target, *c.history)))
    if len(needed) > limit:
        raise ValueError(f"--items {limit} cannot hold the {len(needed)} targets and history items of "
                         f"{len(cases)} sessions; raise --items or lower --sessions")
    rest = sorted(set(data.by_id) - set(needed))
    random.Random(seed).shuffle(rest)
    keep = set(needed) | set(rest[: limit - len(needed)])
    return [item for item in data.items if item.id in keep]


def catalog_name(prefix: str, items: list[Item]) -> str:
    """A catalog name that changes whenever an item does, so a re-run finds its catalog indexed."""
    digest = hashlib.sha256("".join(sorted(i.content_hash() for i in items)).encode()).hexdigest()[:10]
    stem = "".join(c if c.isalnum() else "-" for c in prefix.lower()).strip("-")[:30].strip("-") or "data"
    return f"sim-{stem}-{digest}"
