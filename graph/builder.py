"""Wiring: ``build_graph(deps)`` returns a freshly compiled graph; nothing heavy at import time.

    understand ─┬─> retrieve ─> align ─┬─> draft ─> reflect ─┬─> respond
                ├─> answer ──────────────────────> reflect   └─> revise ─> reflect
                ├─> acknowledge ─> respond        └─> ask ─> respond
                └─> respond  (start over)
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agent.deps import Deps
from graph.context import RunContext
from graph.nodes import Nodes
from graph.routing import route_after_align, route_after_reflect, route_after_understand
from graph.state import InputState, State


def build_graph(deps: Deps, checkpointer=None):
    """The compiled graph; call it with ``context=RunContext(...)`` for other per-run settings
    than the defaults (``graph.session.Conversations`` does)."""
    nodes = Nodes(deps)
    builder = StateGraph(State, context_schema=RunContext, input_schema=InputState)
    builder.add_node("understand", nodes.understand)
    builder.add_node("retrieve", nodes.retrieve)
    builder.add_node("align", nodes.align)
    builder.add_node("ask", nodes.ask)
    builder.add_node("acknowledge", nodes.acknowledge)
    builder.add_node("answer", nodes.answer)
    builder.add_node("draft", nodes.draft)
    builder.add_node("reflect", nodes.reflect)
    builder.add_node("revise", nodes.revise)
    builder.add_node("respond", nodes.respond)

    builder.add_edge(START, "understand")
    builder.add_conditional_edges("understand", route_after_understand)
    builder.add_edge("retrieve", "align")
    builder.add_conditional_edges("align", route_after_align)
    builder.add_edge("draft", "reflect")
    builder.add_edge("answer", "reflect")
    builder.add_conditional_edges("reflect", route_after_reflect)
    builder.add_edge("revise", "reflect")
    builder.add_edge("ask", "respond")
    builder.add_edge("acknowledge", "respond")
    builder.add_edge("respond", END)
    return builder.compile(checkpointer=checkpointer, name="motive")
