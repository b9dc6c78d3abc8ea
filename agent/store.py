"""The catalog store: one Chroma collection per catalog, holding each item's vector and enough
metadata to filter on hard constraints and to rebuild the item without the source file.

Vectors always come from Motive's own :class:`~agent.embeddings.Embedder` (or are passed in);
Chroma's default embedding function is never used, because it would download a model.
"""

from __future__ import annotations

import re
import socket
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
from pydantic import BaseModel
from tqdm import tqdm

from agent.embeddings import Embedder
from agent.models import SHIPPABLE, Constraints, Item, free_of

COLLECTION_PREFIX = "motive-"
EMBED_BATCH = 64
"""Texts per embedder call during ingest (also the upsert granularity, so an interrupted ingest
keeps what it finished and the next run resumes from there)."""
PAGE = 1000
"""Records per Chroma get/upsert call when no embedding is involved."""

_CATALOG_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,54}[a-z0-9])?")


class StoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached; the message names host:port and what to do."""


class UnknownCatalog(LookupError):
    """The store holds no catalog of that name; the message lists the ones it has."""


class CatalogMismatch(ValueError):
    """A catalog's stored vectors come from a different embedder than the store's."""


class IngestStats(BaseModel):
    """What one ingest did to a catalog."""

    added: int = 0
    """Items that were not in the catalog before."""
    updated: int = 0
    """Items whose content changed, so they were re-embedded and overwritten."""
    unchanged: int = 0
    """Items whose content hash matched the stored one; skipped without embedding."""
    removed: int = 0
    """Items the catalog held that the new version does not (only :meth:`CatalogStore.replace`
    removes; :meth:`CatalogStore.ingest` keeps items not in its batch)."""
    removed_ids: list[str] = []
    """Their ids, in storage order."""
    total: int = 0
    """Items in the catalog after the ingest, counted in the store."""


def validate_catalog_name(catalog: str) -> str:
    """Return ``catalog`` if it is a valid catalog name, else raise ValueError saying why."""
    if not isinstance(catalog, str) or not _CATALOG_NAME.fullmatch(catalog):
        suggestion = re.sub(r"[^a-z0-9]+", "-", str(catalog).lower()).strip("-")[:56] or "my-catalog"
        raise ValueError(
            f"catalog name {catalog!r} is not valid: use 1-56 lowercase letters, digits and dashes, "
            f"starting and ending with a letter or digit (e.g. {suggestion!r})"
        )
    return catalog


def build_where(constraints: Constraints | None) -> dict[str, Any] | None:
    """The part of ``constraints`` a Chroma metadata filter can express, or None.

    Required terms go to :func:`build_where_document`; excluded terms and sizes are left to
    Python. Items with no ``moq``/``lead_time_days`` pass those filters (as in
    :meth:`Constraints.violations`), via the ``has_moq``/``has_lead_time`` flags every record
    carries.
    """
    if constraints is None:
        return None
    clauses: list[dict[str, Any]] = []
    # The epsilon matches Constraints.violations, so the filter never drops an item it accepts.
    if constraints.budget_max is not None:
        clauses.append({"price": {"$lte": float(constraints.budget_max) + 1e-9}})
    if constraints.budget_min is not None:
        clauses.append({"price": {"$gte": float(constraints.budget_min) - 1e-9}})
    if constraints.categories and not constraints.kinds:  # what kinds admits is checked in Python
        clauses.append({"category": {"$in": sorted({c.strip().lower() for c in constraints.categories})}})
    if constraints.brands_in:
        clauses.append({"brand_lc": {"$in": sorted({b.lower() for b in constraints.brands_in})}})
    brands_out = sorted({b.lower() for b in constraints.brands_out if b})
    if brands_out:
        clauses.append({"brand_lc": {"$nin": brands_out}})
    if constraints.in_stock_only:
        clauses.append({"availability": {"$in": sorted(SHIPPABLE)}})
    if constraints.max_moq is not None:
        clauses.append(
            {"$or": [{"moq": {"$lte": constraints.max_moq}}, {"has_moq": {"$eq": False}}]}
        )
    if constraints.max_lead_time_days is not None:
        clauses.append(
            {
                "$or": [
                    {"lead_time_days": {"$lte": constraints.max_lead_time_days}},
                    {"has_lead_time": {"$eq": False}},
                ]
            }
        )
    if not clauses:
        return None
    # Chroma rejects an $and with fewer than two operands.
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _literal_pattern(term: str) -> str:
    """A case-insensitive regex matching ``term`` literally, in the syntax of Chroma's (Rust)
    regex engine: every non-alphanumeric character becomes a ``\\x{..}`` escape, which that
    engine accepts whatever the character is."""
    body = "".join(c if c.isalnum() or c == " " else f"\\x{{{ord(c):X}}}" for c in term.lower())
    return "(?i)" + body


def build_where_document(constraints: Constraints | None) -> dict[str, Any] | None:
    """A Chroma document filter for ``must_have`` terms, or None.

    Documents are ``item.text()``, the text :meth:`Constraints.violations` searches for a
    required term (or one of its ``term_forms``), so this filter keeps every item Python would
    (and a few it then rejects, whose only mention is negated); it keeps a selective term
    ('needle') from forcing a scan of the whole catalog. ``exclude_terms`` and 'X-free'
    requirements stay in Python: there a mention like 'leather-free' is an absence, which no
    literal document filter can express.
    """
    if constraints is None:
        return None
    clauses = []
    for term in dict.fromkeys(constraints.must_have):
        if not term.strip() or free_of(term) is not None:
            continue
        forms = [f for f in (constraints.term_forms.get(term) or [term]) if f.strip()]
        bodies = [_literal_pattern(f)[len("(?i)"):] for f in forms]
        clauses.append({"$regex": "(?i)" + (bodies[0] if len(bodies) == 1 else "(?:" + "|".join(bodies) + ")")})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def item_metadata(item: Item) -> dict[str, Any]:
    """Chroma metadata for ``item``: filterable fields, the content hash and the item itself."""
    meta: dict[str, Any] = {
        "title": item.title,
        "brand_lc": item.brand.lower(),
        "category": item.category,
        "price": float(item.price),
        "availability": item.availability,
        "hash": item.content_hash(),
        "item_json": item.model_dump_json(),
    }
    # Chroma metadata cannot hold None, so absent values are left out and flagged instead.
    moq = _number(item.attributes.get("moq"))
    lead = _number(item.attributes.get("lead_time_days"))
    meta["has_moq"] = moq is not None
    meta["has_lead_time"] = lead is not None
    if moq is not None:
        meta["moq"] = int(moq) if moq.is_integer() else moq
    if lead is not None:
        meta["lead_time_days"] = int(lead) if lead.is_integer() else lead
    return meta


VERSION_KEY = "motive_version"
"""Collection metadata that every write changes, so a process that keeps items read from a catalog
knows when they may be stale (a write by this process or by any other sharing the store)."""


FRESH_FOR = 1.0
"""Seconds a snapshot is trusted without reading the catalog's version again: a turn reads a
catalog a few times in a few milliseconds; a write by another process is seen within this long
(this process's own writes at once)."""


class _Swapped(Exception):
    """A cached collection handle is no longer the catalog's collection (deleted or swapped)."""


class _Snapshot:
    """What this process has read of one catalog at one version: its size, and the items fetched
    so far by id (at most ``KEEP``, the oldest forgotten first). A turn asks for hundreds of the
    same items each time; reading their metadata from Chroma was most of a turn's time."""

    KEEP = 5_000

    def __init__(self, key: tuple[str, str | None], count: int):
        self.key, self.count = key, count
        self.items: OrderedDict[str, Item] = OrderedDict()
        self.checked = 0.0
        """When the catalog's version was last read (``time.monotonic``)."""

    def keep(self, item: Item) -> None:
        self.items[item.id] = item
        if len(self.items) > self.KEEP:
            self.items.popitem(last=False)


STAGING, RETIRED = ".next", ".prev"
"""Suffixes of the collections a :meth:`CatalogStore.replace` builds aside and swaps out; a dot is
never part of a catalog name, so they cannot clash with one."""


class CatalogStore:
    """Catalogs in Chroma: embedded on disk (``path``), on a server (``host``), or in memory.

    The in-memory client is shared by every store in the process (Chroma keeps one per process),
    so tests should use distinct catalog names or delete what they create.
    """

    def __init__(
        self,
        embedder: Embedder,
        path: Path | str | None = None,
        host: str | None = None,
        port: int = 8000,
        connect_timeout: float = 5.0,
    ):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.embedder = embedder
        self.path = Path(path) if path is not None else None
        self.host = host
        self.port = int(port)
        self._collections: dict[str, Any] = {}
        self._client: Any = None
        self._snapshots: dict[str, _Snapshot] = {}
        settings = ChromaSettings(anonymized_telemetry=False)
        if host is not None and path is not None:
            raise ValueError("CatalogStore: give either path (embedded Chroma) or host (a server), not both")
        if host is not None:
            # Chroma's HTTP client has no connect timeout; probing first keeps an unreachable
            # server from hanging the caller.
            self._probe(connect_timeout)
            with self._translate_errors():
                self._client = chromadb.HttpClient(host=host, port=self.port, settings=settings)
        elif path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(self.path), settings=settings)
        else:
            self._client = chromadb.EphemeralClient(settings=settings)

    def close(self) -> None:
        """Release the Chroma client (its SQLite files, for an embedded store). Idempotent.

        Chroma shares one client per path within a process, so the files are only released when
        the last store on that path is closed; an in-memory store loses its data then.
        """
        self._collections.clear()
        client, self._client = self._client, None
        if client is not None and hasattr(client, "close"):
            client.close()

    def __enter__(self) -> "CatalogStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------------------
    # Connection handling

    @property
    def location(self) -> str:
        if self.host is not None:
            return f"Chroma server {self.host}:{self.port}"
        return f"Chroma store {self.path}" if self.path else "in-memory Chroma store"

    def _unavailable(self, reason: object) -> StoreUnavailable:
        return StoreUnavailable(
            f"cannot reach the Chroma server at {self.host}:{self.port} ({reason}). Start it with "
            f"`chroma run --host {self.host} --port {self.port} --path <dir>`, fix "
            f"MOTIVE_CHROMA_HOST/MOTIVE_CHROMA_PORT, or unset MOTIVE_CHROMA_HOST to use the "
            f"embedded store"
        )

    def _probe(self, timeout: float) -> None:
        try:
            with socket.create_connection((self.host, self.port), timeout=timeout):
                pass
        except OSError as exc:
            raise self._unavailable(exc.strerror or exc.__class__.__name__) from None

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """Turn a lost server connection, whatever Chroma wraps it in, into StoreUnavailable."""
        if self.host is None:
            yield
            return
        import httpx

        try:
            yield
        except httpx.TransportError as exc:
            raise self._unavailable(f"{type(exc).__name__}: {exc}") from exc
        except ValueError as exc:
            if "Could not connect" in str(exc):
                raise self._unavailable(exc) from exc
            raise

    # ----------------------------------------------------------------------------------------
    # Collections

    def _create(self, name: str) -> Any:
        # embedding_function=None: Chroma's default (a model download) is never built into the
        # collection; every add and query passes vectors explicitly.
        return self._client.get_or_create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self.embedder.name, "dim": int(self.embedder.dim)},
            embedding_function=None,
        )

    def _recover(self, name: str) -> Any | None:
        """The collection ``name``, or the retired one put back when a :meth:`replace` was killed
        between its two renames (so the previous version of the catalog is served whole)."""
        from chromadb.errors import NotFoundError

        try:
            return self._client.get_collection(name, embedding_function=None)
        except NotFoundError:
            pass
        try:
            retired = self._client.get_collection(name + RETIRED, embedding_function=None)
        except NotFoundError:
            return None
        retired.modify(name=name)
        return self._client.get_collection(name, embedding_function=None)

    def _collection(self, catalog: str, create: bool = False) -> Any:
        name = COLLECTION_PREFIX + validate_catalog_name(catalog)
        collection = self._collections.get(catalog)
        if collection is None:
            with self._translate_errors():
                collection = self._recover(name)
                if collection is None and create:
                    collection = self._create(name)
                elif collection is None:
                    known = ", ".join(self.catalogs()) or "none"
                    raise UnknownCatalog(
                        f"no catalog {catalog!r} in the {self.location} (catalogs: {known}); "
                        f"ingest it first, e.g. `motive ingest <file> --catalog {catalog}`"
                    )
        self._check_embedder(catalog, collection)
        self._collections[catalog] = collection
        return collection

    def _check_embedder(self, catalog: str, collection: Any) -> None:
        meta = collection.metadata or {}
        if meta.get("embedder") not in (None, self.embedder.name) or meta.get("dim") not in (
            None,
            int(self.embedder.dim),
        ):
            raise CatalogMismatch(
                f"catalog {catalog!r} was embedded with {meta.get('embedder')} ({meta.get('dim')}-d) "
                f"but the current embedder is {self.embedder.name} ({self.embedder.dim}-d); "
                f"delete the catalog and ingest it again with the current embedder, or switch back "
                f"to that embedder"
            )

    def catalogs(self) -> list[str]:
        """Names of the catalogs in the store, sorted."""
        with self._translate_errors():
            names = [c.name if hasattr(c, "name") else str(c) for c in self._client.list_collections()]
        live = {n[len(COLLECTION_PREFIX):] for n in names if n.startswith(COLLECTION_PREFIX) and "." not in n}
        # A catalog whose replace was killed mid-swap is still there (the next open puts it back).
        live |= {n[len(COLLECTION_PREFIX):-len(RETIRED)] for n in names
                 if n.startswith(COLLECTION_PREFIX) and n.endswith(RETIRED)}
        return sorted(live)

    def has_catalog(self, catalog: str) -> bool:
        validate_catalog_name(catalog)
        return catalog in self.catalogs()

    def delete_catalog(self, catalog: str) -> bool:
        """Delete a catalog and its vectors; return False if there was none."""
        from chromadb.errors import NotFoundError

        validate_catalog_name(catalog)
        self._collections.pop(catalog, None)
        self._snapshots.pop(catalog, None)
        found = False
        with self._translate_errors():
            for suffix in ("", STAGING, RETIRED):
                try:
                    self._client.delete_collection(COLLECTION_PREFIX + catalog + suffix)
                    found = found or suffix != STAGING
                except NotFoundError:
                    pass
        return found

    def remove_items(self, catalog: str, ids: Sequence[str]) -> list[str]:
        """Delete items by id; return the ids the catalog did not hold (nothing is done for them)."""
        wanted = list(dict.fromkeys(ids))
        held = set(self.get(catalog, wanted))
        present = [i for i in wanted if i in held]
        if present:
            collection = self._collection(catalog)
            with self._translate_errors():
                for start in range(0, len(present), PAGE):
                    collection.delete(ids=present[start : start + PAGE])
            self._changed(collection)
        return [i for i in wanted if i not in held]

    def _reading(self, catalog: str, read):
        """``read(collection)``, once more on a fresh handle if the collection was swapped away by
        a :meth:`replace` (in this process or another) since the handle was cached."""
        from chromadb.errors import NotFoundError

        try:
            return read(self._collection(catalog))
        except (NotFoundError, _Swapped):
            self._collections.pop(catalog, None)
            self._snapshots.pop(catalog, None)
            return read(self._collection(catalog))

    def count(self, catalog: str) -> int:
        def read(collection: Any) -> int:
            with self._translate_errors():
                return collection.count()

        return self._reading(catalog, read)

    # ----------------------------------------------------------------------------------------
    # Writing

    def ingest(self, catalog: str, items: Sequence[Item], progress: bool = False) -> IngestStats:
        """Add or update ``items``: only new or changed items are embedded (``item.text()``, in
        batches of 64) and written; unchanged ones cost one metadata lookup."""
        collection = self._collection(catalog, create=True)
        todo, stats = self._plan(collection, items)
        return self._write(collection, todo, stats, EMBED_BATCH, f"embedding {catalog}", progress,
                           lambda batch: self.embedder.embed([item.text() for item in batch]))

    def replace(self, catalog: str, items: Sequence[Item], progress: bool = False) -> IngestStats:
        """Make ``catalog`` hold exactly ``items``: items not among them are removed.

        The new version is built aside (``motive-<name>.next``): unchanged items take their vectors
        from the current version, new and changed ones are embedded. Then it is swapped in by two
        renames, so a reader sees the whole old catalog or the whole new one. A process killed
        while building leaves the old catalog as it was (the next replace starts the build over;
        the embedder's cache keeps what was already embedded); one killed between the two renames
        leaves the old version under ``.prev``, put back on the next open."""
        from chromadb.errors import NotFoundError

        name = COLLECTION_PREFIX + validate_catalog_name(catalog)
        self._check_unique(items)
        self._collections.pop(catalog, None)
        with self._translate_errors():
            live = self._recover(name)
            try:
                self._client.delete_collection(name + STAGING)  # what a killed replace left
            except NotFoundError:
                pass
            staging = self._create(name + STAGING)
        if live is not None:
            self._check_embedder(catalog, live)
        stored = self._stored_hashes(live, [item.id for item in items]) if live is not None else {}
        stats = IngestStats()
        keep = [item for item in items if stored.get(item.id) == item.content_hash()]
        todo = [item for item in items if stored.get(item.id) != item.content_hash()]
        stats.unchanged = len(keep)
        stats.updated = sum(1 for item in todo if item.id in stored)
        stats.added = len(todo) - stats.updated
        for start in range(0, len(keep), PAGE):
            batch = keep[start : start + PAGE]
            with self._translate_errors():
                got = live.get(ids=[item.id for item in batch], include=["embeddings"])
            vectors = dict(zip(got["ids"], got["embeddings"]))
            self._upsert(staging, batch, np.asarray([vectors[item.id] for item in batch]))
        self._write(staging, todo, stats, EMBED_BATCH, f"embedding {catalog}", progress,
                    lambda batch: self.embedder.embed([item.text() for item in batch]))
        with self._translate_errors():
            if live is not None:
                stats.removed_ids = [i for i in self._all_ids(live) if i not in stored]
                stats.removed = len(stats.removed_ids)
                live.modify(name=name + RETIRED)
            staging.modify(name=name)
            if live is not None:
                self._client.delete_collection(name + RETIRED)
            stats.total = self._client.get_collection(name, embedding_function=None).count()
        return stats

    def _all_ids(self, collection: Any) -> list[str]:
        ids: list[str] = []
        while True:
            got = collection.get(limit=PAGE, offset=len(ids), include=[])
            ids.extend(got["ids"])
            if len(got["ids"]) < PAGE:
                return ids

    def ingest_vectors(
        self, catalog: str, items: Sequence[Item], vectors: np.ndarray, progress: bool = False
    ) -> IngestStats:
        """Like :meth:`ingest` with precomputed vectors (row ``i`` belongs to ``items[i]``)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(items), int(self.embedder.dim)):
            raise ValueError(
                f"ingest_vectors: expected vectors of shape ({len(items)}, {self.embedder.dim}), "
                f"got {vectors.shape}"
            )
        collection = self._collection(catalog, create=True)
        row_of = {item.id: i for i, item in enumerate(items)}
        todo, stats = self._plan(collection, items)
        return self._write(collection, todo, stats, PAGE, f"writing {catalog}", progress,
                           lambda batch: vectors[[row_of[item.id] for item in batch]])

    def _write(self, collection: Any, todo: list[Item], stats: IngestStats, size: int, desc: str,
               progress: bool, vectors_of) -> IngestStats:
        """Upsert ``todo`` in batches of ``size``, each with ``vectors_of(batch)``, under a progress
        bar; ``stats.total`` becomes the collection's size."""
        bar = tqdm(total=len(todo), desc=desc, unit="item", disable=not progress)
        try:
            for start in range(0, len(todo), size):
                batch = todo[start : start + size]
                self._upsert(collection, batch, vectors_of(batch))
                bar.update(len(batch))
        finally:
            bar.close()
        with self._translate_errors():
            stats.total = collection.count()
        return stats

    @staticmethod
    def _check_unique(items: Sequence[Item]) -> None:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ValueError(
                    f"item id {item.id!r} appears twice in one ingest; ids must be unique per catalog"
                )
            seen.add(item.id)

    def _stored_hashes(self, collection: Any, ids: Sequence[str]) -> dict[str, str]:
        """Content hash of each of ``ids`` the collection holds."""
        stored: dict[str, str] = {}
        with self._translate_errors():
            for start in range(0, len(ids), PAGE):
                got = collection.get(ids=list(ids[start : start + PAGE]), include=["metadatas"])
                for id_, meta in zip(got["ids"], got["metadatas"]):
                    stored[id_] = (meta or {}).get("hash", "")
        return stored

    def _plan(self, collection: Any, items: Sequence[Item]) -> tuple[list[Item], IngestStats]:
        """Split ``items`` into those to (re)write and counts; compares stored content hashes."""
        self._check_unique(items)
        stored = self._stored_hashes(collection, [item.id for item in items])
        stats = IngestStats()
        todo: list[Item] = []
        for item in items:
            old = stored.get(item.id)
            if old is None:
                stats.added += 1
                todo.append(item)
            elif old != item.content_hash():
                stats.updated += 1
                todo.append(item)
            else:
                stats.unchanged += 1
        return todo, stats

    def _upsert(self, collection: Any, items: Sequence[Item], vectors: np.ndarray) -> None:
        if len(items) == 0:
            return
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(items), int(self.embedder.dim)):
            raise ValueError(
                f"embedder {self.embedder.name} returned vectors of shape {vectors.shape}; "
                f"expected ({len(items)}, {self.embedder.dim})"
            )
        with self._translate_errors():
            collection.upsert(
                ids=[item.id for item in items],
                embeddings=vectors,
                metadatas=[item_metadata(item) for item in items],
                documents=[item.text() for item in items],
            )
        self._changed(collection)

    def _changed(self, collection: Any) -> None:
        """Mark ``collection`` as written: readers (here and in other processes) refetch its items."""
        with self._translate_errors():
            meta = dict(self._client.get_collection(collection.name, embedding_function=None).metadata or {})
            meta[VERSION_KEY] = uuid.uuid4().hex
            collection.modify(metadata=meta)
        for catalog, known in list(self._collections.items()):
            if known.name == collection.name:
                self._snapshots.pop(catalog, None)

    def _snapshot(self, catalog: str, collection: Any) -> _Snapshot:
        """What is known of the catalog's current version, read through ``collection`` (one
        metadata read at most every FRESH_FOR seconds). Raises :class:`_Swapped` when the handle is
        no longer the catalog's collection, so :meth:`_reading` retries on a fresh one."""
        from chromadb.errors import NotFoundError

        snapshot = self._snapshots.get(catalog)
        now = time.monotonic()
        if snapshot is not None and snapshot.key[0] == str(collection.id) and now - snapshot.checked < FRESH_FOR:
            return snapshot
        with self._translate_errors():
            try:
                current = self._client.get_collection(collection.name, embedding_function=None)
            except NotFoundError:
                current = None
        if current is None or current.id != collection.id:
            raise _Swapped(catalog)  # deleted, or replaced by a swap (in this process or another)
        key = (str(current.id), (current.metadata or {}).get(VERSION_KEY))
        if snapshot is None or snapshot.key != key:
            with self._translate_errors():
                snapshot = _Snapshot(key, collection.count())
            self._snapshots[catalog] = snapshot
        snapshot.checked = now
        return snapshot

    def _items(self, collection: Any, snapshot: _Snapshot, ids: Sequence[str]) -> dict[str, Item]:
        """Items by id, from the snapshot or (those not read yet) from Chroma in one request."""
        found = {id_: snapshot.items[id_] for id_ in ids if id_ in snapshot.items}
        missing = [id_ for id_ in ids if id_ not in found]
        with self._translate_errors():
            for start in range(0, len(missing), PAGE):
                got = collection.get(ids=missing[start : start + PAGE], include=["metadatas"])
                for id_, meta in zip(got["ids"], got["metadatas"]):
                    item = Item.model_validate_json(meta["item_json"])
                    found[id_] = item
                    snapshot.keep(item)
        return found

    # ----------------------------------------------------------------------------------------
    # Reading

    def search(
        self,
        catalog: str,
        query_vector: np.ndarray,
        k: int,
        constraints: Constraints | None = None,
        exclude_ids: Iterable[str] = (),
    ) -> list[tuple[Item, float]]:
        """The ``k`` items nearest ``query_vector`` that satisfy ``constraints`` and are not in
        ``exclude_ids``, as ``(item, cosine similarity)``, best first.

        Constraints Chroma can express exactly are applied as metadata and document filters
        (:func:`build_where`, :func:`build_where_document`); every candidate is then checked with
        :meth:`Constraints.violations` and against ``exclude_ids``, over-fetching and growing the
        fetch until ``k`` items pass or the matching items run out. So no result ever violates a
        constraint, and the filters never drop an item Python would accept.
        """
        if k <= 0:
            return []
        query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != int(self.embedder.dim):
            raise ValueError(f"search: query vector has {query.shape[0]} dimensions, expected {self.embedder.dim}")
        excluded = set(exclude_ids)
        return self._reading(catalog, lambda collection: self._search(catalog, collection, query, k, constraints, excluded))

    def _search(self, catalog: str, collection: Any, query: np.ndarray, k: int, constraints: Constraints | None,
                excluded: set[str]) -> list[tuple[Item, float]]:
        snapshot = self._snapshot(catalog, collection)
        where = build_where(constraints)
        where_document = build_where_document(constraints)
        available = snapshot.count
        if available == 0:
            return []
        if where is not None or where_document is not None:
            # Nearest first, filters late: when enough of the unfiltered nearest items pass, they
            # are exactly the nearest passing items, and Chroma skips building an allowed-id set
            # (slow for broad filters on large catalogs: ~0.5 s at 100k items). A selective
            # filter finds too few here and falls through to Chroma's filtered search.
            n = min(available, max(k * 8, 400))
            hits, _ = self._query(collection, snapshot, query, n, k, constraints, excluded)
            if len(hits) == k or n >= available:
                return hits
        n = min(available, k * 3 + len(excluded))
        while True:
            hits, rows = self._query(collection, snapshot, query, n, k, constraints, excluded, where, where_document)
            # Fewer rows than asked for means the filter matched no more items.
            if len(hits) == k or n >= available or rows < n:
                return hits
            n = min(available, n * 4)

    def _query(self, collection: Any, snapshot: _Snapshot, query: np.ndarray, n: int, k: int,
               constraints: Constraints | None, excluded: set[str], where: dict | None = None,
               where_document: dict | None = None) -> tuple[list[tuple[Item, float]], int]:
        """Up to ``k`` items that pass, nearest first, among the ``n`` nearest Chroma returns; and
        how many rows Chroma returned. Chroma returns ids and distances; the items come from the
        snapshot, and only those not read before from Chroma."""
        with self._translate_errors():
            result = collection.query(query_embeddings=[query], n_results=n, where=where,
                                      where_document=where_document, include=["distances"])
        ids, dists = result["ids"][0], result["distances"][0]
        items = self._items(collection, snapshot, [id_ for id_ in ids if id_ not in excluded])
        hits: list[tuple[Item, float]] = []
        complies = constraints.checker() if constraints is not None else None
        for id_, dist in zip(ids, dists):
            item = items.get(id_)
            if item is None:  # excluded, or removed since the query
                continue
            if complies is not None and not complies(item):
                continue
            hits.append((item, float(1.0 - dist)))
            if len(hits) == k:
                break
        return hits, len(ids)

    def get(self, catalog: str, ids: Iterable[str]) -> dict[str, Item]:
        """Items by id, in the order asked; ids the catalog does not hold are simply absent."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}

        def read(collection: Any) -> dict[str, Item]:
            found = self._items(collection, self._snapshot(catalog, collection), wanted)
            return {id_: found[id_] for id_ in wanted if id_ in found}

        return self._reading(catalog, read)

    def all_items(self, catalog: str) -> list[Item]:
        """Every item of the catalog (read in pages), in storage order."""
        def read(collection: Any) -> list[Item]:
            items: list[Item] = []
            offset = 0
            with self._translate_errors():
                while True:
                    got = collection.get(limit=PAGE, offset=offset, include=["metadatas"])
                    items.extend(Item.model_validate_json(meta["item_json"]) for meta in got["metadatas"])
                    if len(got["ids"]) < PAGE:
                        return items
                    offset += PAGE

        return self._reading(catalog, read)

    def generation(self, catalog: str) -> str:
        """An id that changes whenever :meth:`replace` swaps in a new version of the catalog
        (looked up in the store, not the cached handle: another process may have swapped it)."""
        name = COLLECTION_PREFIX + validate_catalog_name(catalog)
        with self._translate_errors():
            collection = self._recover(name)
        if collection is None:
            raise UnknownCatalog(f"no catalog {catalog!r} in the {self.location}")
        if self._collections.get(catalog) is not None and self._collections[catalog].id != collection.id:
            self._collections[catalog] = collection
        return str(collection.id)
