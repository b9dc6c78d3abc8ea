"""Dependencies of the agent, built once at the entry point and handed to ``build_graph``.

``Deps`` holds the chat model (or none), the embedder, the catalog store, the trait cache and the
client files. ``Deps.catalog(name)`` opens a catalog: the built-in ones are ingested on first use
(embeddings and offline traits are computed once and cached under the data directory).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import numpy as np

from agent.alignment import Aligner
from agent.catalog import DEMO_CATALOGS, demo_catalog_path, demo_clients_path, load_clients, read_catalog
from agent.embeddings import CachedEmbedder, Embedder, OnnxMiniLMEmbedder, OpenAIEmbedder
from agent.llm import LLM, UsageLedger, chat_model_from_settings, server_slots
from agent.models import ClientHistory, Item, Traits
from agent.motives import LLMMotiveInferer, OfflineMotiveInferer
from agent.reading import CatalogLexicon, Reader
from agent.reading.llm import LLMReader
from agent.reflection import IdMatcher
from agent.settings import Settings
from agent.store import CatalogStore, validate_catalog_name
from agent.traits import LLMTraitExtractor, OfflineTraitExtractor, TraitIndex, TraitStore, build_traits

log = logging.getLogger(__name__)

FORGOTTEN_FILE = "forgotten.json"
"""Built-in demo clients `motive forget` removed (the package's own file cannot be edited)."""
CLIENTS_FILE = "clients.json"
"""The operator's client files, beside the built-in ones."""


def forgotten_ids(data_dir: Path) -> set[str]:
    path = data_dir / FORGOTTEN_FILE
    return set(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else set()

DEMO_DOMAINS = {"boutique": "fashion", "wholesale": "b2b"}
GENERATION_CHECK = 2.0
"""Seconds a process serves a catalog before checking whether a re-ingest replaced it."""


class UnknownCatalog(LookupError):
    pass


class CatalogNotChosen(UnknownCatalog):
    """No catalog was named and there is more than one: none is guessed (the message lists them)."""


class UnknownClient(LookupError):
    pass


@dataclass
class CatalogRuntime:
    """What the agent needs at hand for one catalog during a conversation."""

    name: str
    domain: str
    lexicon: CatalogLexicon
    """What the catalog teaches the reader about itself (its categories, brands, words, units)."""
    reader: Reader
    """The offline reader for messages about this catalog."""
    brands: list[str]
    size: int
    motives: OfflineMotiveInferer
    ids: IdMatcher
    generation: str = ""
    """The store's version of the catalog this runtime was built from (see ``Deps.catalog``)."""
    checked: float = field(default_factory=time.monotonic)
    """When ``generation`` was last compared with the store's (``time.monotonic``)."""


@dataclass
class Deps:
    settings: Settings
    llm: LLM
    embedder: Embedder
    store: CatalogStore
    trait_store: TraitStore
    clients: dict[str, ClientHistory] = field(default_factory=dict)
    progress: bool = False
    """Show progress bars (on stderr) for work that takes seconds, such as first-use indexing."""
    today: Callable[[], date] = date.today
    """The day relative dates are read against ('by Friday'); tests and evaluations fix it."""
    _catalogs: dict[str, CatalogRuntime] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self._client_files_seen = self._client_files_stamp()
        extra = self.settings.data_dir / CLIENTS_FILE
        self._file_client_ids = {c.id for c in load_clients(extra)} if extra.exists() else set()
        self.trait_index = TraitIndex(self.embedder)
        self.aligner = Aligner(self.embedder)
        self.offline_traits = OfflineTraitExtractor(self.embedder)
        self.llm_motives = LLMMotiveInferer(self.llm) if self.llm.enabled else None
        self._llm_readers: dict[str, LLMReader] = {}

    def llm_reader(self, catalog: CatalogRuntime) -> LLMReader:
        """The LLM reader of ``catalog`` (the offline reader validates and backs it up)."""
        with self._lock:
            cached = self._llm_readers.get(catalog.name)
            if cached is None or cached.reader is not catalog.reader:
                self._llm_readers[catalog.name] = LLMReader(
                    self.llm, catalog.reader, fields=self.settings.llm_read, trust=self.settings.llm_read_trust)
            return self._llm_readers[catalog.name]

    # -- catalogs -------------------------------------------------------------------------------

    def manifest_path(self) -> Path:
        return self.settings.data_dir / "catalogs.json"

    def manifest(self) -> dict[str, dict]:
        path = self.manifest_path()
        return json.loads(path.read_text()) if path.exists() else {}

    def _write_manifest(self, manifest: dict[str, dict]) -> None:
        self.manifest_path().parent.mkdir(parents=True, exist_ok=True)
        self.manifest_path().write_text(json.dumps(manifest, indent=2, sort_keys=True))

    def catalog_names(self) -> list[str]:
        return sorted(set(DEMO_CATALOGS) | set(self.manifest()))

    def default_catalog(self) -> str:
        """The catalog meant when none is named: the only one, when there is exactly one. With
        several, guessing would have someone who forgot to name their own catalog talk about
        another's items, so :class:`CatalogNotChosen` says so and lists them."""
        names = self.catalog_names()
        if len(names) == 1:
            return names[0]
        raise CatalogNotChosen(f"no catalog named, and there are {len(names)}: {', '.join(names)}; "
                               f"name the one this conversation is about")

    def register(self, name: str, items: list[Item], domain: str, source: str, progress: bool = False):
        """Make catalog ``name`` hold exactly ``items`` (built aside, then swapped in: see
        :meth:`CatalogStore.replace`), build their traits, and remember the catalog."""
        validate_catalog_name(name)
        with self._lock:
            stats = self.store.replace(name, items, progress=progress)
            build_traits(items, self.trait_store, self.offline_traits,
                         self._llm_traits(), progress=progress)
            self.remember(name, domain, source)
            return stats

    def remember(self, name: str, domain: str, source: str) -> None:
        """Record catalog ``name`` (its items and traits already stored) so it can be opened, and
        drop any runtime built from an older version of it."""
        validate_catalog_name(name)
        with self._lock:
            manifest = self.manifest()
            manifest[name] = {"domain": domain, "source": source}
            self._write_manifest(manifest)
            self._catalogs.pop(name, None)
            self._llm_readers.pop(name, None)

    def remove_items(self, name: str, ids: list[str]) -> list[str]:
        """Delete items from catalog ``name``; return the ids it did not hold."""
        with self._lock:
            missing = self.store.remove_items(name, ids)
            self._catalogs.pop(name, None)
            self._llm_readers.pop(name, None)
            return missing

    def remove_catalog(self, name: str) -> bool:
        """Delete catalog ``name`` (vectors and manifest entry); False if there was none."""
        with self._lock:
            found = self.store.delete_catalog(name)
            manifest = self.manifest()
            found = manifest.pop(name, None) is not None or found
            self._write_manifest(manifest)
            self._catalogs.pop(name, None)
            self._llm_readers.pop(name, None)
            return found

    def _llm_traits(self) -> LLMTraitExtractor | None:
        if not self.llm.enabled or not self.settings.llm_traits:
            return None
        concurrency = self.settings.trait_concurrency or server_slots(self.settings.llm_base_url) or 4
        return LLMTraitExtractor(self.llm, concurrency=concurrency)

    def catalog(self, name: str) -> CatalogRuntime:
        with self._lock:
            cached = self._catalogs.get(name)
            if cached is not None:
                if time.monotonic() - cached.checked < GENERATION_CHECK:
                    return cached
                try:
                    current = self.store.generation(name)
                except LookupError:
                    current = None
                if current == cached.generation:
                    cached.checked = time.monotonic()
                    return cached
                # Another process (`motive ingest`) swapped in a new version: rebuild from it.
                del self._catalogs[name]
                self._llm_readers.pop(name, None)
            manifest = self.manifest()
            if not self.store.has_catalog(name) or name not in manifest:
                if name not in DEMO_CATALOGS:
                    raise UnknownCatalog(
                        f"no catalog named {name!r}; known: {', '.join(self.catalog_names())}. "
                        f"Add one with `motive ingest FILE --catalog {name}`."
                    )
                report = read_catalog(demo_catalog_path(name))
                log.info("first use of the built-in %s catalog: indexing %d items", name, len(report.items))
                self.register(name, report.items, DEMO_DOMAINS[name], "built-in", progress=self.progress)
                manifest = self.manifest()
            items = self.store.all_items(name)
            domain = manifest.get(name, {}).get("domain", "any")
            lexicon = CatalogLexicon.from_items(items, domain)
            runtime = CatalogRuntime(
                name=name,
                domain=domain,
                lexicon=lexicon,
                reader=Reader(lexicon, embed=self.embedder.embed),
                brands=sorted({i.brand for i in items if i.brand}),
                size=len(items),
                motives=OfflineMotiveInferer(self.embedder, domain=domain),
                ids=IdMatcher(i.id for i in items),
                generation=self.store.generation(name),
            )
            self._catalogs[name] = runtime
            return runtime

    def is_open(self, name: str) -> bool:
        """Whether ``catalog(name)`` returns at once (its runtime is built; no indexing to wait for)."""
        return name in self._catalogs

    def traits_for(self, items: list[Item]) -> dict[str, Traits]:
        """Cached traits of ``items``; any missing (a catalog changed behind our back) are built now."""
        found = self.trait_store.get_many(items, "llm") if self.llm.enabled else {}
        missing = [i for i in items if i.id not in found]
        if missing:
            found.update(self.trait_store.get_many(missing, "offline"))
        missing = [i for i in items if i.id not in found]
        if missing:
            found.update(build_traits(missing, self.trait_store, self.offline_traits, None))
        return found

    def trait_vectors(self, items: list[Item]) -> dict[str, tuple[np.ndarray, list[tuple[str, str]]]]:
        return self.trait_index.vectors(self.traits_for(items))

    # -- clients --------------------------------------------------------------------------------

    def _client_files_stamp(self) -> tuple:
        stamp = []
        for name in (FORGOTTEN_FILE, CLIENTS_FILE):
            try:
                st = (self.settings.data_dir / name).stat()
                stamp.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                stamp.append(None)
        return tuple(stamp)

    def refresh_clients(self) -> None:
        """Re-read the client files if another process changed them (``motive forget`` run while
        the web UI serves): forgotten clients disappear from this process at once. Costs two
        ``stat`` calls when nothing changed."""
        stamp = self._client_files_stamp()
        if stamp == self._client_files_seen:
            return
        with self._lock:
            data_dir = self.settings.data_dir
            forgotten = forgotten_ids(data_dir)
            on_file = {c.id: c for c in load_clients(data_dir / CLIENTS_FILE)} if (data_dir / CLIENTS_FILE).exists() else {}
            for client_id in list(self.clients):
                if client_id in on_file:
                    continue
                if client_id in forgotten or client_id in self._file_client_ids:
                    del self.clients[client_id]  # clients added in memory only (evaluations) stay
            self.clients.update(on_file)
            self._file_client_ids = set(on_file)
            self._client_files_seen = stamp

    def client(self, client_id: str) -> ClientHistory:
        if client_id not in self.clients and client_id in forgotten_ids(self.settings.data_dir):
            raise UnknownClient(f"client {client_id} was forgotten (`motive forget`): their file and "
                                f"conversations are deleted; pick another client, or none")
        if client_id not in self.clients:
            raise UnknownClient(
                f"no client {client_id!r}; known: {', '.join(sorted(self.clients)) or 'none'}"
            )
        return self.clients[client_id]

    def new_ledger(self) -> UsageLedger:
        return UsageLedger()


def build_embedder(settings: Settings) -> Embedder:
    if settings.embedding_base_url:
        inner: Embedder = OpenAIEmbedder(
            model=settings.embedding_model or "text-embedding-3-small",
            base_url=settings.embedding_base_url,
            api_key=settings.embedding_api_key,
            dim=settings.embedding_dim,
        )
    else:
        inner = OnnxMiniLMEmbedder()
    return CachedEmbedder(inner, settings.data_dir / "embeddings.sqlite3")


def build_deps(settings: Settings, chat_model=None, embedder: Embedder | None = None,
               ephemeral: bool = False) -> Deps:
    """Everything the agent needs, from settings. ``chat_model`` overrides the configured LLM
    (tests pass a scripted fake); ``ephemeral`` keeps Chroma in memory (tests, benchmarks)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embedder = embedder or build_embedder(settings)
    if ephemeral:
        store = CatalogStore(embedder)
    elif settings.chroma_host:
        store = CatalogStore(embedder, host=settings.chroma_host, port=settings.chroma_port)
    else:
        store = CatalogStore(embedder, path=settings.data_dir / "chroma")
    model = chat_model if chat_model is not None else chat_model_from_settings(settings)
    forgotten = forgotten_ids(settings.data_dir)  # built-in clients `motive forget` removed
    clients = {c.id: c for c in load_clients(demo_clients_path()) if c.id not in forgotten}
    extra = settings.data_dir / CLIENTS_FILE
    if extra.exists():
        clients.update({c.id: c for c in load_clients(extra)})
    return Deps(
        settings=settings,
        llm=LLM.from_settings(settings, model),
        embedder=embedder,
        store=store,
        trait_store=TraitStore(settings.data_dir / "traits.sqlite3"),
        clients=clients,
    )
