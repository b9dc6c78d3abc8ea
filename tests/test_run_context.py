"""The graph's run context (``graph/context.py``): per-run settings handed to each call as
``context=`` and read by the nodes as ``runtime.context``; nothing process-wide is patched, so two
conversations in one process can run with different values at once."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.runtime import Runtime

from agent.llm import LLM
from agent.models import ReflectionReport
from graph.context import DEFAULT_CONTEXT, RunContext, context_of
from graph.routing import route_after_reflect
from graph.session import Conversations, checkpoint_serde
from tests.fakes import ScriptedChatModel
from tests.test_conversation_llm import WEDDING, WEDDING_MOTIVES, draft

BROAD = "something elegant to wear"


def test_defaults_are_the_products():
    assert (DEFAULT_CONTEXT.retrieve_k, DEFAULT_CONTEXT.recommend_n, DEFAULT_CONTEXT.max_attempts) == (60, 3, 3)
    assert context_of(None) is DEFAULT_CONTEXT
    assert context_of(Runtime(context=None)) is DEFAULT_CONTEXT


@pytest.mark.parametrize("field", ["retrieve_k", "recommend_n", "max_attempts"])
@pytest.mark.parametrize("value", [0, -1, True, "5", 2.5])
def test_a_setting_that_is_not_a_positive_whole_number_is_refused_by_name(field, value):
    with pytest.raises(ValueError, match=f"RunContext.{field}"):
        RunContext(**{field: value})


def test_routing_reads_max_attempts_from_the_run():
    failed_once = {"reflection": ReflectionReport(passed=False, attempts=1)}
    assert route_after_reflect(failed_once) == "revise"
    assert route_after_reflect(failed_once, Runtime(context=RunContext(max_attempts=1))) == "respond"


def test_two_conversations_in_one_process_run_with_their_own_context(warm_deps):
    narrow = Conversations(warm_deps, InMemorySaver(serde=checkpoint_serde()),
                           context=RunContext(retrieve_k=5, recommend_n=2))
    wide = Conversations(warm_deps, InMemorySaver(serde=checkpoint_serde()))

    def turn(conversations):
        thread = conversations.new_thread_id()
        out = conversations.send(thread, BROAD, catalog="boutique")
        return out, len(conversations.state(thread)["candidates"])

    # At the same time, in two threads: a process-wide knob would give both the same counts.
    with ThreadPoolExecutor(2) as pool:
        (narrow_out, narrow_k), (wide_out, wide_k) = pool.map(turn, [narrow, wide])
    assert narrow_out.act == wide_out.act == "recommend"
    assert narrow_k == 5 and wide_k == DEFAULT_CONTEXT.retrieve_k
    assert len(narrow_out.recommendations) == 2 and len(wide_out.recommendations) == 3


def test_max_attempts_bounds_reflection_per_run(warm_deps):
    # The LLM misstates prices; with one attempt allowed the turn ends unverified instead of revising.
    model = ScriptedChatModel(script=[WEDDING_MOTIVES, draft(price_factor=0.5)])
    conversations = Conversations(dataclasses.replace(warm_deps, llm=LLM(model)),
                                  InMemorySaver(serde=checkpoint_serde()), context=RunContext(max_attempts=1))
    out = conversations.send(conversations.new_thread_id(), WEDDING, catalog="boutique")
    assert model.script == []
    assert out.reflection.attempts == 1 and not out.reflection.passed
    assert out.recommendations == [] and "couldn't check my answer" in out.reply
