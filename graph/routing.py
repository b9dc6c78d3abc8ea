"""Routing: pure functions of the state, tested without any LLM."""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime

from graph.context import RunContext, context_of
from graph.state import State


def route_after_understand(state: State) -> Literal["retrieve", "answer", "acknowledge", "respond"]:
    act = state.get("act")
    if act == "reset":
        return "respond"
    if act == "answer":
        return "answer"
    if act == "acknowledge":
        return "acknowledge"
    return "retrieve"


def route_after_align(state: State) -> Literal["ask", "draft"]:
    return "ask" if state.get("act") == "ask" else "draft"


def route_after_reflect(state: State, runtime: Runtime[RunContext] | None = None) -> Literal["revise", "respond"]:
    """Revise a draft that failed reflection while the run's ``max_attempts`` allow another."""
    report = state.get("reflection")
    if report is None or report.passed or report.attempts >= context_of(runtime).max_attempts:
        return "respond"
    return "revise"
