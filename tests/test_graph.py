"""The wiring: routing is pure and tested without an LLM; the README's diagram is the code's."""

from pathlib import Path

from agent.models import ReflectionReport
from graph.diagram import mermaid
from graph.context import DEFAULT_CONTEXT
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
    assert route_after_reflect({"reflection": ReflectionReport(passed=False, attempts=DEFAULT_CONTEXT.max_attempts)}) == "respond"


def test_readme_diagram_matches_the_wiring():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert mermaid() in readme, "regenerate the README diagram with `python -m graph.diagram`"


def test_the_relaxation_pool_answers_as_the_store_does(warm_deps, monkeypatch):
    """Looser constraints are tried on one fetched pool; its answers must be the store's own."""
    from agent.models import Constraints
    from graph.nodes import _Pool

    vector = warm_deps.embedder.embed(["a linen dress for a summer wedding"])[0]
    options = [Constraints(), Constraints(categories=["dress"]), Constraints(must_have=["linen"]),
               Constraints(budget_max=300, exclude_terms=["silk"]), Constraints(must_have=["no-such-word"])]
    for size in (400, 5):  # the whole catalog, and a pool too small to be exact (the store answers)
        monkeypatch.setattr(_Pool, "SIZE", size)
        for c in options:
            pool = _Pool(warm_deps.store, "boutique", vector, {"BQ-005"})
            assert pool.whole == (size == 400)
            expected = warm_deps.store.search("boutique", vector, 10, c, exclude_ids={"BQ-005"})
            assert [i.id for i, _ in pool.search(c, 10)] == [i.id for i, _ in expected]
            assert pool.count(c, 3) == min(3, len(warm_deps.store.search("boutique", vector, 3, c, exclude_ids={"BQ-005"})))
