"""LangChain tools over the catalog, bound to a catalog and the agent's dependencies."""
