"""Nodes in a compiled graph: a state written as if a node had just run (``update_state(...,
as_node=...)``), then the graph goes on from there, so one node's glue and the routing after it are
tested on their own, with the real offline dependencies."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent.belief import start_over
from agent.models import Reaction, ReflectionReport
from agent.reflection import Draft
from graph.builder import build_graph
from graph.context import RunContext
from graph.nodes import UNVERIFIED_REPLY
from graph.session import checkpoint_serde

CONFIG = {"configurable": {"thread_id": "node-test"}}


@pytest.fixture
def graph(warm_deps):
    graph = build_graph(warm_deps, checkpointer=InMemorySaver(serde=checkpoint_serde()))
    graph.invoke({"messages": [HumanMessage("a linen dress for a summer wedding")], "catalog": "boutique"}, CONFIG,
                 context=RunContext())
    return graph


def test_after_understand_reads_a_reset_only_respond_runs(graph):
    belief = graph.get_state(CONFIG).values["belief"]
    assert belief.shown
    graph.update_state(CONFIG, {"messages": [HumanMessage("start over")], "act": "reset",
                                "belief": start_over(belief)}, as_node="understand")
    assert graph.get_state(CONFIG).next == ("respond",)
    result = graph.invoke(None, CONFIG, context=RunContext())
    assert result["output"].act == "reset" and result["output"].reply.startswith("Let's start over")
    assert result["belief"].shown == [] and result["turn"] == 2


@pytest.mark.parametrize(("max_attempts", "revised"), [(3, True), (1, False)])
def test_after_a_draft_fails_reflection_the_run_context_decides_whether_to_revise(graph, max_attempts, revised):
    first = graph.get_state(CONFIG).values["ranked"][0]
    # As if revise had just written a draft that misstates the price: reflect checks it next.
    wrong = Draft(text=f"1. {first.title} ({first.item_id}), €1, in stock.", item_ids=[first.item_id])
    graph.update_state(CONFIG, {"messages": [HumanMessage("show me that again")], "act": "recommend", "draft": wrong,
                                "reflection": ReflectionReport()}, as_node="revise")
    assert graph.get_state(CONFIG).next == ("reflect",)
    result = graph.invoke(None, CONFIG, context=RunContext(max_attempts=max_attempts))
    report = result["reflection"]
    assert [i.check for i in report.issues] == ["wrong_fact"]
    if revised:  # a second attempt: the grounded offline redraft passes
        assert report.passed and report.attempts == 2 and report.revisions
        assert result["output"].recommendations
    else:  # no attempt left: nothing unverified is sent
        assert not report.passed and report.attempts == 1 and result["output"].reply == UNVERIFIED_REPLY


def test_an_llm_answer_that_fails_reflection_is_redrafted_as_the_offline_answer(graph):
    # Offline, the answer node writes the answer from the catalog.
    first = graph.get_state(CONFIG).values["belief"].shown[0]
    offline = graph.invoke({"messages": [HumanMessage("what is the first one made of?")]}, CONFIG,
                           context=RunContext())["output"]
    assert offline.act == "answer" and first in offline.reply
    # As if an LLM had answered instead, misstating a price: reflection fails it, revise redrafts.
    graph.update_state(CONFIG, {"draft": Draft(text=f"{first} is made of linen and costs €1.", item_ids=[first],
                                               source="llm"), "reflection": None}, as_node="answer")
    assert graph.get_state(CONFIG).next == ("reflect",)
    result = graph.invoke(None, CONFIG, context=RunContext())
    report = result["reflection"]
    assert report.attempts == 2 and report.passed and report.revisions
    assert result["output"].reply == offline.reply and result["draft"].source == "offline"


def test_understand_reads_a_cards_reason_as_a_reaction_and_leaves_the_query(graph):
    before = graph.get_state(CONFIG).values["belief"]
    first = before.shown[0]
    graph.invoke({"messages": [HumanMessage("Not for me: the first one, too formal")],
                  "reaction": Reaction(item_id=first, kind="rejected", reason="too formal")}, CONFIG,
                 context=RunContext(), interrupt_after=["understand"])
    state = graph.get_state(CONFIG)
    assert state.next == ("retrieve",)
    belief, reading = state.values["belief"], state.values["reading"]
    assert reading.act == "reaction" and reading.question is None and state.values["act"] == "recommend"
    assert (belief.reactions[-1].item_id, belief.reactions[-1].turn) == (first, 1)
    assert "too formal" in belief.dislikes and belief.focus == first
    assert belief.query == before.query  # the card's title stays out of the retrieval query
    assert state.values["reaction"] is None and state.values["draft"] is None  # nothing left of turn 1


def test_understand_loads_a_clients_history_once(warm_deps):
    graph = build_graph(warm_deps, checkpointer=InMemorySaver(serde=checkpoint_serde()))
    config = {"configurable": {"thread_id": "node-history"}}
    graph.invoke({"messages": [HumanMessage("something for the office")], "catalog": "boutique",
                  "client_id": "C-MARGOT"}, config, context=RunContext(), interrupt_after=["understand"])
    values = graph.get_state(config).values
    assert values["history_loaded"] and any(m.source == "history" for m in values["belief"].motives)
    # As if the turn had ended with the history motives dropped: the next turn does not read them again.
    belief = values["belief"].model_copy(update={"motives": [m for m in values["belief"].motives
                                                             if m.source != "history"]})
    graph.update_state(config, {"belief": belief}, as_node="respond")
    graph.invoke({"messages": [HumanMessage("in navy please")]}, config, context=RunContext(),
                 interrupt_after=["understand"])
    assert not any(m.source == "history" for m in graph.get_state(config).values["belief"].motives)
