"""Dependencies of the agent, built once at the entry point and handed to ``build_graph``.

``Deps`` holds the chat model (or none), the embedder, the catalog store, the trait cache and the
client files. ``Deps.catalog(name)`` opens a catalog: the built-in ones are ingested on first use
(embeddings and offline traits are computed once and cached under the data directory).
"""

from __future__ import annotations

import json
import logging
import threading
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
from agent.store import CatalogStore
from agent.traits import LLMTraitExtractor, OfflineTraitExtractor, TraitIndex, TraitStore, build_traits

log = logging.getLogger(__name__)

DEMO_DOMAINS = {"boutique": "fashion", "wholesale": "b2b"}


class UnknownCatalog(LookupError):
    pass


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
                self._llm_readers[catalog.name] = LLMReader(self.llm, catalog.reader, fields=self.settings.llm_read)
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

    def register(self, name: str, items: list[Item], domain: str, source: str, progress: bool = False):
        """Ingest ``items`` into catalog ``name``, build their traits, and remember the catalog."""
        with self._lock:
            stats = self.store.ingest(name, items, progress=progress)
            build_traits(items, self.trait_store, self.offline_traits,
                         self._llm_traits(), progress=progress)
            self.remember(name, domain, source)
            return stats

    def remember(self, name: str, domain: str, source: str) -> None:
        """Record catalog ``name`` (its items and traits already stored) so it can be opened, and
        drop any runtime built from an older version of it."""
        with self._lock:
            manifest = self.manifest()
            manifest[name] = {"domain": domain, "source": source}
            self._write_manifest(manifest)
            self._catalogs.pop(name, None)
            self._llm_readers.pop(name, None)

    def _llm_traits(self) -> LLMTraitExtractor | None:
        if not self.llm.enabled:
            return None
        concurrency = self.settings.trait_concurrency or server_slots(self.settings.llm_base_url) or 4
        return LLMTraitExtractor(self.llm, concurrency=concurrency)

    def catalog(self, name: str) -> CatalogRuntime:
        with self._lock:
            if name in self._catalogs:
                return self._catalogs[name]
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
            )
            self._catalogs[name] = runtime
            return runtime

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

    def client(self, client_id: str) -> ClientHistory:
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
    forgotten_file = settings.data_dir / "forgotten.json"  # built-in clients `motive forget` removed
    forgotten = set(json.loads(forgotten_file.read_text())) if forgotten_file.exists() else set()
    clients = {c.id: c for c in load_clients(demo_clients_path()) if c.id not in forgotten}
    extra = settings.data_dir / "clients.json"
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
