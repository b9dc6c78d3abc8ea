"""The wiring: routing is pure and tested without an LLM; the README's diagram is the code's."""

from pathlib import Path

from agent.models import ReflectionReport
from graph.diagram import mermaid
from graph.nodes import MAX_ATTEMPTS
from graph.routing import route_after_align, route_after_reflect, route_after_understand


def test_routes_after_understand():
    assert route_after_understand({"act": "reset"}) == "respond"
    assert route_after_understand({"act": "answer"}) == "answer"
    assert route_after_understand({"act": "acknowledge"}) == "acknowledge"
    assert route_after_understand({"act": "recommend"}) == "retrieve"


def test_routes_after_align():
    assert route_after_align({"act": "ask"}) == "ask"
    assert route_after_align({"act": "recommend"}) == "draft"


def test_reflection_loop_is_bounded():
    assert route_after_reflect({"reflection": ReflectionReport(passed=True, attempts=1)}) == "respond"
    assert route_after_reflect({"reflection": ReflectionReport(passed=False, attempts=1)}) == "revise"
    assert route_after_reflect({"reflection": ReflectionReport(passed=False, attempts=MAX_ATTEMPTS)}) == "respond"


def test_readme_diagram_matches_the_wiring():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert mermaid() in readme, "regenerate the README diagram with `python -m graph.diagram`"
