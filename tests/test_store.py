"""The Chroma catalog store: incremental ingest, constrained search, lookups, persistence."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

import agent.store as store_module
from agent.models import Constraints, Item
from agent.store import (
    CatalogMismatch,
    CatalogStore,
    UnknownCatalog,
    build_where,
    build_where_document,
    item_metadata,
    validate_catalog_name,
)
from tests.fakes import HashEmbedder


_names = itertools.count()


@pytest.fixture
def catalog() -> str:
    """A fresh catalog name: the in-memory Chroma is shared by the whole test process."""
    return f"test-{next(_names)}"


@pytest.fixture
def store() -> Iterator[CatalogStore]:
    s = CatalogStore(HashEmbedder())
    yield s
    for name in s.catalogs():
        s.delete_catalog(name)


BRANDS = ["Acme", "Maison", "SafeCo", ""]
CATEGORIES = ["boots", "scarf", "gloves", "coat"]
AVAILABILITY = ["in_stock", "low_stock", "out_of_stock", "made_to_order"]
MATERIALS = ["leather", "silk", "nitrile", "wool", "cotton"]


def make_items(n: int = 48) -> list[Item]:
    items = []
    for i in range(n):
        attributes: dict[str, object] = {"material": MATERIALS[i % 5]}
        if i % 3 == 0:
            attributes["moq"] = [10, 100, 1000][i % 9 // 3]
        if i % 4 == 1:
            attributes["lead_time_days"] = [3, 14, 45][i % 3]
        if i % 2 == 0:
            attributes["size"] = ["S", "M"] if i % 4 == 0 else ["L", "XL"]
        if i % 7 == 0:
            attributes["feature"] = "waterproof"
        if i % 6 == 5:
            # Mentions that Constraints.violations does not count as mentioning leather.
            attributes["note"] = ["leather-free", "faux leather", "no leather"][i % 3]
        items.append(
            Item(
                id=f"item-{i}",
                title=f"Item {i} {CATEGORIES[i % 4]}",
                brand=BRANDS[i % 4 if i % 5 else 3],
                category=CATEGORIES[(i // 2) % 4],
                price=float(5 + (i * 37) % 300),
                availability=AVAILABILITY[(i // 3) % 4],
                attributes=attributes,
            )
        )
    return items


CONSTRAINT_CASES = {
    "budget_max": Constraints(budget_max=120),
    "budget_min": Constraints(budget_min=150),
    "budget_range": Constraints(budget_min=50, budget_max=200),
    "categories": Constraints(categories=["Boots", "scarf"]),
    # An item filed elsewhere whose own name is a kind asked for passes too ('Item 1 scarf', a boot).
    "kinds": Constraints(categories=["coat"], kinds=["scarf", "scarves"]),
    "brands_in": Constraints(brands_in=["acme", "MAISON"]),
    "brands_out": Constraints(brands_out=["Acme"]),
    "exclude_terms": Constraints(exclude_terms=["leather", "silk"]),
    # 'leather-free' and 'no leather' state the absence of leather: they meet both constraints.
    "exclude_negated_mentions": Constraints(exclude_terms=["leather"], must_have=["leather-free"]),
    "must_have": Constraints(must_have=["waterproof"]),
    "in_stock_only": Constraints(in_stock_only=True),
    "sizes": Constraints(sizes=["xl"]),
    "max_moq": Constraints(max_moq=100),
    "max_lead_time": Constraints(max_lead_time_days=14),
    "everything": Constraints(
        budget_max=290,
        categories=["boots", "gloves", "coat"],
        brands_out=["safeco"],
        exclude_terms=["wool"],
        in_stock_only=True,
        max_moq=500,
        max_lead_time_days=30,
        sizes=["S"],
    ),
}


def brute_force(items: list[Item], embedder: HashEmbedder, query: np.ndarray, k: int,
                constraints: Constraints | None, exclude: set[str] = frozenset()) -> list[str]:
    allowed = [i for i in items if i.id not in exclude and not (constraints and constraints.violations(i))]
    vectors = embedder.embed([i.text() for i in allowed])
    order = np.argsort(-(vectors @ query), kind="stable")
    return [allowed[j].id for j in order[:k]]


@pytest.mark.parametrize("case", sorted(CONSTRAINT_CASES))
@pytest.mark.parametrize("size,k", [(48, 5), (600, 5), (600, 60)])
def test_search_never_returns_a_violating_item(store: CatalogStore, catalog: str, case: str,
                                               size: int, k: int) -> None:
    """Small catalogs are scanned whole; on larger ones a broad filter is applied after an
    unfiltered query and a selective one inside Chroma: every path gives the brute-force top-k."""
    items = make_items(size)
    store.ingest(catalog, items)
    constraints = CONSTRAINT_CASES[case]
    query = store.embedder.embed(["something to wear"])[0]
    expected = brute_force(items, HashEmbedder(), query, k, constraints)
    assert expected, "the case should leave some items"
    hits = store.search(catalog, query, k=k, constraints=constraints)
    for item, _ in hits:
        assert constraints.violations(item) == [], (case, item.id)
    # Filtering must not lose compliant items either: same top-k as a brute-force scan.
    assert [item.id for item, _ in hits] == expected
    sims = [s for _, s in hits]
    assert sims == sorted(sims, reverse=True)


def test_search_without_constraints_ranks_by_cosine(store: CatalogStore, catalog: str) -> None:
    items = make_items()
    store.ingest(catalog, items)
    target = items[11]
    query = store.embedder.embed([target.text()])[0]
    hits = store.search(catalog, query, k=3)
    assert hits[0][0] == target
    assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert all(-1.0 <= s <= 1.0 + 1e-6 for _, s in hits)


def test_search_exclude_ids_and_exhaustion(store: CatalogStore, catalog: str) -> None:
    items = make_items()
    store.ingest(catalog, items)
    query = store.embedder.embed([items[0].text()])[0]
    exclude = {"item-0", "item-1", "item-2"}
    hits = store.search(catalog, query, k=4, exclude_ids=exclude)
    assert len(hits) == 4 and not {i.id for i, _ in hits} & exclude
    assert [i.id for i, _ in hits] == brute_force(items, HashEmbedder(), query, 4, None, exclude)

    # Asking for more than can match returns everything that matches, no more, no error.
    must = Constraints(must_have=["waterproof"])
    everything = store.search(catalog, query, k=100, constraints=must)
    assert len(everything) == sum(1 for i in items if not must.violations(i))
    assert store.search(catalog, query, k=0) == []


def test_search_over_fetches_past_python_only_filters(store: CatalogStore, catalog: str) -> None:
    # Only one item mentions "needle", and it is the one least like the query: the store must keep
    # fetching beyond k*3 candidates to find it.
    items = make_items(60)
    items.append(Item(id="needle", title="needle in a haystack", price=1.0))
    store.ingest(catalog, items)
    needle_vec = store.embedder.embed([items[-1].text()])[0]
    hits = store.search(catalog, -needle_vec, k=1, constraints=Constraints(must_have=["needle"]))
    assert [i.id for i, _ in hits] == ["needle"]


def test_text_terms_with_punctuation_and_case(store: CatalogStore, catalog: str) -> None:
    items = [
        Item(id="a4", title="Gloves", description="Cut level A4 (EN 388), re-usable", price=5),
        Item(id="a5", title="Gloves", description="Cut level A5 [EN 388]; single-use", price=5),
        Item(id="plain", title="Gloves", description="cotton", price=5),
    ]
    store.ingest(catalog, items)
    query = store.embedder.embed(["gloves"])[0]

    def ids(constraints: Constraints) -> set[str]:
        return {i.id for i, _ in store.search(catalog, query, k=10, constraints=constraints)}

    assert ids(Constraints(must_have=["a4 (en 388)"])) == {"a4"}
    assert ids(Constraints(must_have=["[EN 388]"])) == {"a5"}
    assert ids(Constraints(exclude_terms=["RE-USABLE", "single-use"])) == {"plain"}
    assert ids(Constraints(must_have=["cut level"], exclude_terms=["a5"])) == {"a4"}
    assert ids(Constraints(must_have=["en 388"], exclude_terms=["*"])) == {"a4", "a5"}


def test_build_where_document() -> None:
    assert build_where_document(None) is None
    assert build_where_document(Constraints(budget_max=3, must_have=[" "])) is None
    assert build_where_document(Constraints(must_have=["Waterproof"])) == {"$regex": "(?i)waterproof"}
    # Excluded terms stay in Python ('leather-free' does not mention leather there).
    assert build_where_document(Constraints(exclude_terms=["leather"])) is None
    where = build_where_document(Constraints(must_have=["a.b", "wool"], exclude_terms=["leather"]))
    assert where == {"$and": [{"$regex": "(?i)a\\x{2E}b"}, {"$regex": "(?i)wool"}]}


def test_build_where() -> None:
    assert build_where(None) is None
    assert build_where(Constraints()) is None
    assert build_where(Constraints(exclude_terms=["x"], must_have=["y"], sizes=["M"])) is None
    # A single condition is not wrapped in $and (Chroma rejects that).
    assert build_where(Constraints(budget_max=10)) == {"price": {"$lte": pytest.approx(10)}}
    assert build_where(Constraints(brands_out=["Acme", ""])) == {"brand_lc": {"$nin": ["acme"]}}
    where = build_where(Constraints(budget_max=10, in_stock_only=True, max_moq=5))
    assert set(where) == {"$and"} and len(where["$and"]) == 3
    assert {"availability": {"$in": ["in_stock", "low_stock"]}} in where["$and"]
    assert {"$or": [{"moq": {"$lte": 5}}, {"has_moq": {"$eq": False}}]} in where["$and"]


def test_items_without_moq_or_lead_time_pass_those_filters(store: CatalogStore, catalog: str) -> None:
    plain = Item(id="plain", title="plain gloves", price=2)
    bulky = Item(id="bulky", title="bulky gloves", price=2, attributes={"moq": 5000, "lead_time_days": 90})
    small = Item(id="small", title="small gloves", price=2, attributes={"moq": 10, "lead_time_days": 2})
    store.ingest(catalog, [plain, bulky, small])
    assert "moq" not in item_metadata(plain) and item_metadata(plain)["has_moq"] is False
    query = store.embedder.embed(["gloves"])[0]
    for constraints in (Constraints(max_moq=100), Constraints(max_lead_time_days=7)):
        ids = {i.id for i, _ in store.search(catalog, query, k=10, constraints=constraints)}
        assert ids == {"plain", "small"}


# ------------------------------------------------------------------------------------------
# Ingest


def test_reingest_unchanged_embeds_nothing_and_changed_item_is_updated(
    store: CatalogStore, catalog: str
) -> None:
    embedder: HashEmbedder = store.embedder
    items = make_items(150)
    first = store.ingest(catalog, items)
    assert (first.added, first.updated, first.unchanged, first.total) == (150, 0, 0, 150)
    assert embedder.calls == 3  # batches of 64: 64 + 64 + 22
    assert len(embedder.texts) == 150

    embedder.calls, embedder.texts = 0, []
    again = store.ingest(catalog, items)
    assert (again.added, again.updated, again.unchanged, again.total) == (0, 0, 150, 150)
    assert embedder.calls == 0

    changed = items[7].model_copy(update={"price": 999.0, "description": "now with laces"})
    new = Item(id="brand-new", title="A new thing", price=3)
    stats = store.ingest(catalog, [changed, new, items[8]])
    assert (stats.added, stats.updated, stats.unchanged, stats.total) == (1, 1, 1, 151)
    assert sorted(embedder.texts) == sorted([changed.text(), new.text()])
    assert store.get(catalog, ["item-7"])["item-7"].price == 999.0


def test_ingest_rejects_duplicate_ids(store: CatalogStore, catalog: str) -> None:
    item = Item(id="x", title="X", price=1)
    with pytest.raises(ValueError, match="'x' appears twice"):
        store.ingest(catalog, [item, item])


def test_ingest_vectors(store: CatalogStore, catalog: str) -> None:
    items = make_items(20)
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((20, store.embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    stats = store.ingest_vectors(catalog, items, vectors)
    assert (stats.added, stats.total) == (20, 20)
    assert store.embedder.calls == 0
    hits = store.search(catalog, vectors[5], k=1)
    assert hits[0][0].id == "item-5" and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert store.ingest_vectors(catalog, items, vectors).unchanged == 20
    with pytest.raises(ValueError, match="shape"):
        store.ingest_vectors(catalog, items, vectors[:3])


# ------------------------------------------------------------------------------------------
# Lookups and catalog management


def test_get_all_items_count(store: CatalogStore, catalog: str, monkeypatch: pytest.MonkeyPatch) -> None:
    items = make_items(23)
    store.ingest(catalog, items)
    assert store.count(catalog) == 23
    got = store.get(catalog, ["item-3", "missing", "item-5", "item-3"])
    assert set(got) == {"item-3", "item-5"}
    assert got["item-3"] == items[3]  # rebuilt exactly from Chroma metadata
    assert store.get(catalog, []) == {}
    monkeypatch.setattr(store_module, "PAGE", 5)  # force several pages
    assert sorted(store.all_items(catalog), key=lambda i: i.id) == sorted(items, key=lambda i: i.id)


def test_catalog_management(store: CatalogStore, catalog: str) -> None:
    other = catalog + "-b"
    store.ingest(catalog, make_items(3))
    store.ingest(other, make_items(2))
    assert {catalog, other} <= set(store.catalogs())
    assert store.has_catalog(catalog) and not store.has_catalog("never-made")
    assert store.delete_catalog(other) is True
    assert store.delete_catalog(other) is False
    assert not store.has_catalog(other) and store.has_catalog(catalog)
    with pytest.raises(UnknownCatalog, match=rf"no catalog '{other}'.*ingest it first"):
        store.count(other)
    with pytest.raises(UnknownCatalog):
        store.search(other, np.ones(store.embedder.dim, dtype=np.float32), k=3)


@pytest.mark.parametrize("name", ["Boutique", "my catalog", "-x", "x-", "", "a_b", "é"])
def test_invalid_catalog_names(name: str) -> None:
    with pytest.raises(ValueError, match="lowercase letters, digits and dashes"):
        validate_catalog_name(name)


def test_valid_catalog_names() -> None:
    for name in ("boutique", "wholesale-2024", "a", "x1"):
        assert validate_catalog_name(name) == name


def test_embedder_mismatch_is_reported(store: CatalogStore, catalog: str) -> None:
    store.ingest(catalog, make_items(2))

    class OtherEmbedder(HashEmbedder):
        name = "another-model"

    other = CatalogStore(OtherEmbedder())
    with pytest.raises(CatalogMismatch, match="test-hash-embedder.*another-model"):
        other.search(catalog, np.ones(32, dtype=np.float32), k=1)


def test_persistence_across_store_instances(tmp_path: Path) -> None:
    items = make_items(12)
    with CatalogStore(HashEmbedder(), path=tmp_path / "chroma") as first:
        first.ingest("shop", items)
    # The first store is closed, so the second reopens the files from disk.
    embedder = HashEmbedder()
    with CatalogStore(embedder, path=tmp_path / "chroma") as second:
        assert second.catalogs() == ["shop"]
        assert second.count("shop") == 12
        assert second.get("shop", ["item-4"])["item-4"] == items[4]
        assert second.ingest("shop", items).unchanged == 12
        assert embedder.calls == 0
        query = embedder.embed([items[2].text()])[0]
        assert second.search("shop", query, k=1)[0][0].id == "item-2"


# ------------------------------------------------------------------------------------------
# Chroma's default embedding function must never run (it would download a model).


@pytest.fixture
def forbid_chroma_default_ef(monkeypatch: pytest.MonkeyPatch) -> None:
    from chromadb.api.types import DefaultEmbeddingFunction
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Chroma's default embedding function was used")

    # Chroma checks an EF's __call__ signature (self, input), so the stand-in keeps it.
    def refuse_call(self: object, input: object) -> None:
        refuse()

    # Building one is harmless (the default-argument instances exist since import), but a store
    # that needs a new one is on the way to using it, so that is refused too.
    monkeypatch.setattr(DefaultEmbeddingFunction, "__init__", refuse)
    monkeypatch.setattr(DefaultEmbeddingFunction, "__call__", refuse_call)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__init__", refuse)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__call__", refuse_call)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "_download_model_if_not_exists", refuse)


@pytest.mark.usefixtures("forbid_chroma_default_ef")
@pytest.mark.filterwarnings("ignore:legacy embedding function config:DeprecationWarning")
@pytest.mark.parametrize("on_disk", [False, True])
def test_chroma_default_embedding_function_is_never_used(tmp_path: Path, on_disk: bool) -> None:
    store = CatalogStore(HashEmbedder(), path=tmp_path / "db" if on_disk else None)
    name = f"no-default-ef-{int(on_disk)}"
    try:
        items = make_items(10)
        store.ingest(name, items)
        store.ingest(name, [items[0].model_copy(update={"price": 1.5})])
        query = store.embedder.embed(["x"])[0]
        assert store.search(name, query, k=3, constraints=Constraints(budget_max=200))
        assert store.get(name, ["item-1"])
        assert len(store.all_items(name)) == 10
        assert name in store.catalogs()
        # A fresh store reopening the existing collection must not build an EF either.
        reopened = CatalogStore(HashEmbedder(), path=tmp_path / "db" if on_disk else None)
        assert reopened.count(name) == 10
        assert reopened.search(name, query, k=1)
        # Stronger than "not called so far": the collection has no embedding function at all, so
        # even a text-only write (which the store never makes) fails instead of downloading.
        with pytest.raises(ValueError, match="must provide an embedding function"):
            reopened._collection(name).add(ids=["text-only"], documents=["hello"])
    finally:
        store.delete_catalog(name)


# ------------------------------------------------------------------------------------------
# Real embeddings


@pytest.fixture(scope="module")
def minilm():
    from agent.embeddings import CachedEmbedder, OnnxMiniLMEmbedder

    try:
        OnnxMiniLMEmbedder.model_files()
    except ImportError as exc:  # pragma: no cover - the wheels are project dependencies
        pytest.fail(f"the local MiniLM model is not installed: {exc}")
    return CachedEmbedder(OnnxMiniLMEmbedder())


def test_real_embeddings_rank_the_relevant_item_first(minilm, catalog: str) -> None:
    store = CatalogStore(minilm)
    items = [
        Item(id="boot", title="Trail hiking boots", brand="Peak", category="boots", price=140,
             description="Waterproof leather boots with a grippy sole for mountain hikes."),
        Item(id="scarf", title="Silk scarf", brand="Maison", category="scarf", price=120,
             description="A light silk scarf with a hand-rolled edge, printed with peonies."),
        Item(id="gloves", title="Nitrile gloves", brand="SafeCo", category="gloves", price=9,
             description="Disposable powder-free nitrile gloves, box of 100."),
        Item(id="sandal", title="Beach sandals", brand="Sol", category="sandals", price=35,
             description="Open-toe sandals for the beach."),
    ]
    try:
        store.ingest(catalog, items)
        query = minilm.embed(["waterproof hiking boots"])[0]
        hits = store.search(catalog, query, k=4)
        ranked = [i.id for i, _ in hits]
        assert ranked[0] == "boot"
        assert ranked.index("boot") < ranked.index("scarf")
        assert hits[0][1] > 0.5 > hits[-1][1]

        # With a budget that rules the boots out, the next best compliant item comes first.
        hits = store.search(catalog, query, k=2, constraints=Constraints(budget_max=100))
        assert "boot" not in [i.id for i, _ in hits]
        assert all(i.price <= 100 for i, _ in hits)
    finally:
        store.delete_catalog(catalog)


def test_a_term_is_a_word_or_a_form_of_it_never_the_start_of_another():
    from agent.models import mentions_positively

    assert not mentions_positively("Grayham set in soft cotton", "gray")
    assert not mentions_positively("reduced price", "red") and not mentions_positively("a tank top", "tan")
    assert all(mentions_positively(text, term) for text, term in [
        ("striped shirt", "stripe"), ("woollen scarf", "wool"), ("with sequins", "sequin"),
        ("wool-blend coat", "wool"), ("a greyish melange", "grey")])
    assert not mentions_positively("no leather here", "leather")
    # 'without a gram of steel' states its absence: the S1P Metal-Free Safety Trainers are metal-free.
    assert not mentions_positively("meet S1P without a gram of steel.", "steel")
    assert mentions_positively("a toe cap of steel, not composite", "steel")
    # A phrase is the same with a hyphen or a space ('food contact' in the gloves' "compliant with
    # EU food-contact legislation"; they were shown as not food-safe, then as food-contact safe).
    assert mentions_positively("compliant with EU food-contact legislation", "food contact")
    assert mentions_positively("a food contact safe liner", "food-contact")
    assert not mentions_positively("not for food contact", "food contact")


# ------------------------------------------------------------------------------------------
# Items read once per catalog version: a write here is seen at once, a write elsewhere within
# FRESH_FOR seconds, a deleted and re-made catalog from scratch.


def test_a_write_by_this_store_is_seen_at_once(store: CatalogStore, catalog: str) -> None:
    items = make_items(12)
    store.ingest(catalog, items)
    query = store.embedder.embed([items[3].text()])[0]
    assert store.search(catalog, query, k=1)[0][0].price == items[3].price
    store.ingest(catalog, [items[3].model_copy(update={"price": 1.25})])
    assert store.search(catalog, query, k=1)[0][0].price == 1.25
    assert store.get(catalog, ["item-3"])["item-3"].price == 1.25


def test_a_write_by_another_process_is_seen_within_fresh_for(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys
    import textwrap

    items = make_items(12)
    reader = CatalogStore(HashEmbedder(), path=tmp_path / "chroma")
    reader.ingest("shop", items)
    query = reader.embedder.embed([items[5].text()])[0]
    assert reader.get("shop", ["item-5"])["item-5"].price == items[5].price
    assert reader.search("shop", query, k=1)[0][0].id == "item-5"
    # Another process (as `motive ingest` beside a running UI) changes a price and adds an item.
    script = textwrap.dedent(f"""
        from agent.store import CatalogStore
        from tests.fakes import HashEmbedder
        from tests.test_store import make_items
        items = make_items(13)
        with CatalogStore(HashEmbedder(), path={str(tmp_path / "chroma")!r}) as s:
            s.ingest("shop", [items[5].model_copy(update={{"price": 2.5}}), items[12]])
    """)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[1], timeout=120)
    monkeypatch.setattr(store_module, "FRESH_FOR", 0.0)
    assert reader.get("shop", ["item-5"])["item-5"].price == 2.5
    assert reader.search("shop", query, k=1)[0][0].price == 2.5
    assert reader.count("shop") == 13
    # (A new item's vector reaches an embedded Chroma's in-memory index in another process only
    # after a restart, with or without this cache: several processes share a Chroma server.)
    reader.close()


def test_a_catalog_deleted_and_made_again_is_read_afresh(store: CatalogStore, catalog: str) -> None:
    items = make_items(6)
    store.ingest(catalog, items)
    assert store.get(catalog, ["item-1"])["item-1"].title == items[1].title
    other = CatalogStore(store.embedder)  # the same in-memory Chroma, another store's snapshots
    other.delete_catalog(catalog)
    other.ingest(catalog, [items[1].model_copy(update={"title": "Renamed"})])
    store_module_fresh = store_module.FRESH_FOR
    try:
        store_module.FRESH_FOR = 0.0
        assert store.get(catalog, ["item-1", "item-2"]) == {"item-1": items[1].model_copy(update={"title": "Renamed"})}
    finally:
        store_module.FRESH_FOR = store_module_fresh


def test_complies_agrees_with_violations() -> None:
    items = make_items(60)
    for name, constraints in CONSTRAINT_CASES.items():
        for item in items:
            assert constraints.complies(item) == (constraints.violations(item) == []), (name, item.id)


def test_an_item_calls_itself_by_its_descriptions_first_phrase_and_a_kind_word_admits_it() -> None:
    blazer = Item(id="b1", title="Jennifer (1)", category="blazer", price=49.5,
                  description="Straight-cut jacket in woven fabric with notch lapels. Lined.")
    jumper = Item(id="s1", title="SIRPA", category="sweater", price=16.9, description="Jumper in a soft knit.")
    jeans = Item(id="t1", title="Skinny", category="trousers", price=20, description="5-pocket jeans in washed denim")
    bare = Item(id="x1", title="Safety Boots, S3", category="safety footwear", price=40)
    assert [i.own_noun for i in (blazer, jumper, jeans, bare)] == ["jacket", "jumper", "jeans", "boots"]
    asked = Constraints(categories=["jacket"], kinds=["jacket", "jackets"])
    assert asked.violations(blazer) == [] and asked.complies(blazer) and asked.checker()(blazer)
    assert asked.violations(jumper) == ["category 'sweater' is not one of ['jacket']"]
    assert Constraints(categories=["jacket"]).violations(blazer)  # without the word, the category alone
    assert blazer.model_copy(update={"description": "Fitted blazer in wool."}).own_noun == "blazer"
    # Loosening the category loosens the words said with it.
    assert dict(asked.relaxations())["category"] == Constraints()


def test_an_items_lowered_text_follows_its_fields() -> None:
    item = make_items(1)[0]
    assert item.lowered_text() == item.text().lower()
    copy = item.model_copy(update={"title": "Velvet OPERA Gloves"})
    assert "velvet opera gloves" in copy.lowered_text()
    assert "velvet" not in item.lowered_text()
    item.description = "Now with SEQUINS"
    assert "sequins" in item.lowered_text()
    assert Constraints(exclude_terms=["sequin"]).violations(item)



def test_a_cached_text_makes_no_difference_to_equality() -> None:
    item, same = make_items(1)[0], make_items(1)[0]
    item.text(), item.lowered_text()
    assert item == same and not item != same and item in [same]
    assert item != same.model_copy(update={"price": same.price + 1})
