"""The LLM endpoint fails with HTTP 500, 429 or a timeout (the errors the OpenAI client raises):
every turn still completes through the offline path, grounded, with the fallback recorded."""

from __future__ import annotations

import httpx
import openai
import pytest

from tests.fakes import ScriptedChatModel

REQUEST = httpx.Request("POST", "http://127.0.0.1:8080/v1/chat/completions")


def _status(cls, code: int, message: str):
    return cls(message, response=httpx.Response(code, request=REQUEST), body=None)


FAULTS = {
    "http 500": lambda: _status(openai.InternalServerError, 500, "Internal Server Error"),
    "http 429": lambda: _status(openai.RateLimitError, 429, "Rate limit reached"),
    "http 503": lambda: _status(openai.APIStatusError, 503, "Service Unavailable"),
    "timeout": lambda: openai.APITimeoutError(request=REQUEST),
}


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_llm_fault_ends_in_a_grounded_offline_turn(llm_conversations, warm_deps, fault):
    model = ScriptedChatModel(script=[FAULTS[fault](), FAULTS[fault]()])  # motives, then the draft
    conversations = llm_conversations(model)
    out = conversations.send(conversations.new_thread_id(), "an elegant dress for a summer wedding under 900 euros")
    assert model.script == []
    assert out.act == "recommend" and len(out.recommendations) == 3
    assert [f.step for f in out.llm.fallbacks] == ["read", "respond"]
    expected = type(FAULTS[fault]()).__name__
    assert all(expected in f.reason for f in out.llm.fallbacks)
    assert out.reflection.passed and out.reflection.llm_verified is None
    items = warm_deps.store.get("boutique", [r.item_id for r in out.recommendations])
    for rec in out.recommendations:
        assert rec.price == items[rec.item_id].price <= 900
