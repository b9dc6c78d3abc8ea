"""``motive loadtest --ui`` in small: the real page served in this process on a free loopback port,
with a basic login, and several people talking to it at once through its HTTP API, each in a Gradio
session of their own. No turn may fail and nothing may leak; and the leak check itself is shown to
catch each kind of leak on views built by hand."""

from __future__ import annotations

import copy

import pytest

from apps.loadtest import make_scripts
from agent.models import BeliefState, Constraints
from graph.session import Conversations, sqlite_checkpointer
from ui import render
from ui.handlers import correction_choices
from apps.loadtest_ui import Page, Visit, check_views, run_ui_load_with, serve, shown_constraints

AUTH = ("associate", "load-test-password")


@pytest.fixture
def served(warm_deps, tmp_path):
    settings = warm_deps.settings.with_overrides(ui_auth=":".join(AUTH))
    conversations = Conversations(warm_deps, sqlite_checkpointer(tmp_path / "conversations.sqlite3"))
    with serve(conversations, settings) as url:
        yield url, conversations


def test_concurrent_people_on_the_page_do_not_fail_or_leak(served):
    url, conversations = served
    run = run_ui_load_with(url, n=6, turns=2, workers=6, auth=AUTH, conversations=conversations)
    assert run.result.failures == []
    assert run.result.leaks == []
    assert len(run.result.latencies) == 12
    assert 0 < run.result.percentile(0.5) <= run.result.percentile(0.95)
    # The checks had something to check: six conversations of their own, read back by id, with cards
    # and their own constraints on the page.
    threads = [v.thread for v in run.visits]
    assert None not in threads and len(set(threads)) == 6
    assert all(v.sent == v.script.messages and v.readback is not None for v in run.visits)
    assert {v.script.catalog for v in run.visits} == {"boutique", "wholesale"}
    for seen in run.visits:
        budget, brands = shown_constraints(seen.readback)
        assert budget == seen.script.budget and brands == [seen.script.brand_out]


def test_the_page_refuses_a_person_without_the_login(served):
    url, _ = served
    with pytest.raises(ValueError, match="credentials were not provided"):
        Page(url, auth=None)
    with pytest.raises(ValueError, match="Could not login"):
        Page(url, auth=(AUTH[0], "wrong"))
    page = Page(url, auth=AUTH)
    try:
        assert page.call("/load")["mv-chat"] == []
    finally:
        page.close()


# -- the leak check, on views built by hand -----------------------------------------------------


def view(thread: str, said: list[str], catalog: str = "boutique", budget: float | None = None,
         brands: list[str] | None = None, cards: list[str] | None = None) -> dict:
    """A view as ``Page.call`` returns it, rendered by the page's own code where it matters."""
    belief = BeliefState(constraints=Constraints(budget_max=budget, brands_out=brands or []))
    chat = []
    for text in said:
        chat += [{"role": "user", "content": [{"type": "text", "text": text}]},
                 {"role": "assistant", "content": [{"type": "text", "text": "Here are three ideas."}]}]
    return {
        "mv-header": render.header("offline", "embeddings: local MiniLM", thread, catalog, ""),
        "mv-chat": chat,
        "mv-catalog": {"__type__": "update", "value": catalog},
        "mv-entry": {"__type__": "update", "choices": correction_choices(belief, currency="EUR"), "value": None},
        "mv-card-0": "".join(f'<div class="mv-card" data-item="{item}"></div>' for item in cards or []),
        "mv-status": "",
    }


def clean_visits() -> list[Visit]:
    visits = []
    for n, script in enumerate(make_scripts(2, 2)):
        thread = f"{n:012x}abc"[-12:]
        prefix = "BQ-" if script.catalog == "boutique" else "WS-"
        visit = Visit(script, sent=list(script.messages))
        visit.views = [(0, view(thread, [], script.catalog))]
        for k in (1, 2):
            visit.views.append((k, view(thread, script.messages[:k], script.catalog, budget=script.budget,
                                        brands=[script.brand_out] if k == 2 else [], cards=[f"{prefix}001"])))
        visit.readback = copy.deepcopy(visit.views[-1][1])
        visits.append(visit)
    return visits


def test_the_view_check_passes_clean_visits():
    visits = clean_visits()
    assert shown_constraints(visits[0].readback) == (visits[0].script.budget, [visits[0].script.brand_out])
    assert check_views(visits) == []


def test_the_view_check_catches_another_persons_message():
    visits = clean_visits()
    visits[0].views[-1][1]["mv-chat"] += visits[1].views[1][1]["mv-chat"]
    assert any("the chat shows" in leak for leak in check_views(visits))


def test_the_view_check_catches_another_persons_budget():
    visits = clean_visits()
    a, b = visits
    a.readback = view(a.thread, a.sent, a.script.catalog, budget=b.script.budget, brands=[a.script.brand_out])
    leaks = check_views(visits)
    assert any("budget_max" in leak for leak in leaks), leaks


def test_the_view_check_catches_another_persons_conversation():
    visits = clean_visits()
    a, b = visits
    a.readback["mv-status"] = f"<p>Resumed conversation {b.thread}.</p>"
    assert any("other conversations' ids" in leak for leak in check_views(visits))
    visits = clean_visits()
    a, b = visits
    b.views.append((0, view(a.thread, [], b.script.catalog)))  # b's session landed in a's conversation
    leaks = check_views(visits)
    assert any("shared with" in leak for leak in leaks) and any("not one" in leak for leak in leaks)


def test_the_view_check_catches_cards_from_another_catalog():
    visits = clean_visits()
    boutique = next(v for v in visits if v.script.catalog == "boutique")
    boutique.views[-1][1]["mv-card-0"] = '<div class="mv-card" data-item="WS-0004"></div>'
    assert any("another catalog" in leak for leak in check_views(visits))
