"""Prompt injection, in user messages, catalog text, client notes and reaction reasons: catalog
text is data, never instructions, and reflection blocks any item or price the catalog does not
ground, whether the injection reaches an offline turn or a compromised LLM that obeys it.

Each mode runs every case of ``tests/injection_cases.py`` and prints
"N injection cases, M got through"; the goal, asserted, is M == 0."""

from __future__ import annotations

import dataclasses

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.llm import LLM
from graph.session import Conversations, checkpoint_serde
from tests.injection_cases import CASES, install_fixtures, run_case, summary


@pytest.fixture(scope="module")
def injection_deps(warm_deps):
    deps = dataclasses.replace(warm_deps, clients=dict(warm_deps.clients))
    install_fixtures(deps)
    return deps


def test_there_are_enough_cases():
    assert len(CASES) >= 20
    assert {c.where for c in CASES} == {"message", "catalog", "client note", "reaction"}


@pytest.mark.parametrize("mode", ["offline", "compromised-llm"])
def test_no_injection_gets_through(injection_deps, mode, capsys):
    def make(model):
        deps = injection_deps if model is None else dataclasses.replace(injection_deps, llm=LLM(model))
        return Conversations(deps, InMemorySaver(serde=checkpoint_serde()))

    outcomes = [run_case(make, injection_deps, case, mode) for case in CASES]
    report = summary(outcomes)
    with capsys.disabled():
        print(f"\n[{mode}] {report}")
    assert sum(o.got_through for o in outcomes) == 0, report
