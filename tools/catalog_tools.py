"""The agent's tools: catalog search, item lookup, trait lookup and alignment scoring.

``make_tools(deps, catalog)`` binds them to one catalog; each returns JSON text built from the
catalog's records only, so whatever a model reads through them is grounded. A tool's docstring is
its description for the model.
"""

from __future__ import annotations

import json

from langchain_core.tools import BaseTool, tool

from agent.alignment import Candidate, to_recommendation
from agent.models import Constraints, Evidence, Motive


def make_tools(deps, catalog: str) -> list[BaseTool]:
    @tool
    def search_catalog(query: str, max_price: float | None = None, category: str | None = None,
                       k: int = 5) -> str:
        """Search the catalog by meaning. Optional hard limits: max_price (catalog currency) and
        category. Returns id, title, brand, price, currency and availability of each match."""
        constraints = Constraints(budget_max=max_price, categories=[category] if category else [])
        vector = deps.embedder.embed([query])[0]
        found = deps.store.search(catalog, vector, max(1, min(k, 20)), constraints)
        return json.dumps([
            {"id": i.id, "title": i.title, "brand": i.brand, "price": i.price, "currency": i.currency,
             "availability": i.availability, "similarity": round(s, 3)} for i, s in found
        ])

    @tool
    def lookup_item(item_id: str) -> str:
        """Every catalog field of one item (price, availability, attributes such as material, size,
        MOQ, lead time, tiered prices). Returns an error object when the id does not exist."""
        item = deps.store.get(catalog, [item_id]).get(item_id)
        if item is None:
            return json.dumps({"error": f"no item {item_id!r} in catalog {catalog!r}"})
        return item.model_dump_json()

    @tool
    def get_traits(item_id: str) -> str:
        """The item's distilled traits: functional, aesthetic, emotional, occasion, price tier."""
        item = deps.store.get(catalog, [item_id]).get(item_id)
        if item is None:
            return json.dumps({"error": f"no item {item_id!r} in catalog {catalog!r}"})
        return deps.traits_for([item])[item.id].model_dump_json()

    @tool
    def score_alignment(item_ids: list[str], motives: list[str]) -> str:
        """Score items against motives (each a short phrase such as 'needs formal attire for a
        summer event'); returns each item's score and the motive-trait pair that explains it."""
        items = list(deps.store.get(catalog, item_ids).values())
        motive_models = [Motive(text=m, confidence=1.0, evidence=[Evidence(quote=m)]) for m in motives]
        scored = deps.aligner.score([Candidate(i, 0.0) for i in items], motive_models, deps.trait_vectors(items))
        return json.dumps([
            {"id": s.item.id, "score": s.score, "explanation": to_recommendation(s, motive_models).explanation}
            for s in scored
        ])

    return [search_catalog, lookup_item, get_traits, score_alignment]
