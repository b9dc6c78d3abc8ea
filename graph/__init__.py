"""The LangGraph state machine: state, nodes, routing, builder."""

from graph.builder import build_graph

__all__ = ["build_graph"]
