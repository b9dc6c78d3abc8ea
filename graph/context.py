"""The run context: per-run settings of the graph, handed to it with each call (``context=``) and
read by the nodes as ``runtime.context``, as LangGraph 1.x's ``context_schema`` intends.

They were module constants of ``graph/nodes.py`` that the benchmark rewrote for the whole process;
as a context, two conversations in one process can run with different values at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from langgraph.runtime import Runtime


@dataclass(frozen=True, kw_only=True)
class RunContext:
    """Per-run settings of the graph; the defaults are the product's."""

    retrieve_k: int = 60
    """Candidates fetched per turn (all meeting the hard constraints) before alignment re-ranks them."""
    recommend_n: int = 3
    """Items a recommendation shows (and an LLM draft may name)."""
    max_attempts: int = 3
    """Drafts reflection may check per turn; the last revision is always the grounded offline text."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"RunContext.{f.name} must be a whole number of at least 1, got {value!r}")


DEFAULT_CONTEXT = RunContext()


def context_of(runtime: Runtime[RunContext] | None) -> RunContext:
    """The run's context; the defaults when the graph was called without one (``runtime.context``
    is None then) or a node is called directly, outside a graph."""
    if runtime is None or runtime.context is None:
        return DEFAULT_CONTEXT
    return runtime.context
