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
    out = conversations.send(conversations.new_thread_id(), "an elegant dress for a summer wedding under 900 euros",
                             catalog="boutique")
    assert model.script == []
    assert out.act == "recommend" and len(out.recommendations) == 3
    assert [f.step for f in out.llm.fallbacks] == ["read", "respond"]
    expected = type(FAULTS[fault]()).__name__
    assert all(expected in f.reason for f in out.llm.fallbacks)
    assert out.reflection.passed and out.reflection.llm_verified is None
    items = warm_deps.store.get("boutique", [r.item_id for r in out.recommendations])
    for rec in out.recommendations:
        assert rec.price == items[rec.item_id].price <= 900


# -- what small instruct models do ---------------------------------------------------------------

from langchain_core.messages import AIMessage  # noqa: E402

from agent.llm import LLM, UsageLedger, written_tool_calls  # noqa: E402
from tools.catalog_tools import make_tools  # noqa: E402

WEDDING = "an elegant dress for a summer wedding under 900 euros"


def test_a_tool_call_written_as_text_is_parsed_and_run_never_shown(llm_conversations, warm_deps):
    seen = []

    def written(messages):  # what Qwen2.5-Coder wrote as its answer's content
        item_id = messages[-1].content.split("(id ", 1)[1].split(")", 1)[0]
        return f'```json\n{{"name": "lookup_item", "arguments": {{"item_id": "{item_id}"}}}}\n```'

    def final(messages):
        seen.append(messages[-1])
        return "It is made of linen."

    # Turn 1: the reading states nothing, the draft call fails (the offline reply goes out).
    model = ScriptedChatModel(script=[{}, ConnectionError("down"), {}, written, final, {"ok": True}])
    conversations = llm_conversations(model)
    thread = conversations.new_thread_id()
    conversations.send(thread, WEDDING, catalog="boutique")
    out = conversations.send(thread, "what is the first one made of?")
    assert seen and seen[0].type == "tool" and '"material"' in seen[0].content  # the tool really ran
    assert out.act == "answer" and out.reply == "It is made of linen." and '"name"' not in out.reply
    assert model.script == []


def test_an_answer_that_is_still_a_tool_call_falls_back_to_the_catalog(llm_conversations):
    call = '{"name": "lookup_item", "arguments": {"item_id": "BQ-001"}}'
    model = ScriptedChatModel(script=[{}, ConnectionError("down"), {}, call, call])
    conversations = llm_conversations(model)
    thread = conversations.new_thread_id()
    conversations.send(thread, WEDDING, catalog="boutique")
    out = conversations.send(thread, "what is the first one made of?")
    assert out.act == "answer" and "lookup_item" not in out.reply and "{" not in out.reply
    assert [(f.step, f.reason) for f in out.llm.fallbacks] == [("answer", "the answer is a tool call, not text")]
    assert model.script == []
    assert out.llm.steps["answer"] == 1 and out.llm.failed["answer"] == 1


def test_written_tool_calls_are_only_whole_messages_naming_a_tool(warm_deps):
    tools = {t.name: t for t in make_tools(warm_deps, "boutique")}
    assert written_tool_calls('<tool_call>\n{"name": "lookup_item", "arguments": {"item_id": "BQ-1"}}\n</tool_call>',
                              tools)[0]["args"] == {"item_id": "BQ-1"}
    assert written_tool_calls('[{"function": {"name": "get_traits", "arguments": "{\\"item_id\\": \\"BQ-2\\"}"}}]',
                              tools)[0]["name"] == "get_traits"
    assert written_tool_calls('{"name": "delete_everything", "arguments": {}}', tools) == []
    assert written_tool_calls('It is linen. {"name": "lookup_item"}', tools) == []


def test_a_refusing_draft_falls_back_visibly_to_the_offline_reply(llm_conversations):
    def refusal(messages):
        ids = [line.split("id ", 1)[1].split(" |", 1)[0] for line in messages[-1].content.splitlines()
               if line.startswith("- id ")]
        return {"text": "I'm sorry, but I can't assist with that request.", "item_ids": ids[:3]}

    model = ScriptedChatModel(script=[{}, refusal, refusal])
    conversations = llm_conversations(model)
    out = conversations.send(conversations.new_thread_id(), WEDDING, catalog="boutique")
    assert "sorry" not in out.reply.lower() and len(out.recommendations) == 3
    assert all(r.title in out.reply for r in out.recommendations)
    assert [f.step for f in out.llm.fallbacks] == ["respond", "revise"]
    assert "refusal" in out.llm.fallbacks[0].reason
    assert out.llm.failed == {"respond": 1, "revise": 1} and out.reflection.passed


def test_per_step_token_caps_and_timeouts_reach_the_call_and_failed_calls_count_tokens():
    model = ScriptedChatModel(script=[{"ok": "not a bool"}])
    llm = LLM(model, step_tokens={"verify": 90}, step_timeouts={"verify": 12.5})
    ledger = UsageLedger()
    from graph.nodes import verdict_schema

    assert llm.structured("verify", "check this", verdict_schema(), ledger) is None
    assert model.call_kwargs == [{"max_tokens": 90, "timeout": 12.5}]
    assert ledger.usage.calls == 1 and ledger.usage.tokens == 70  # the failed call's tokens count
    assert "does not fit Verdict" in ledger.usage.fallbacks[0].reason
    assert ledger.usage.steps == {"verify": 1} and ledger.usage.failed == {"verify": 1}


def offline_conversations(deps):
    from langgraph.checkpoint.memory import InMemorySaver

    from graph.session import Conversations, checkpoint_serde

    return Conversations(deps, InMemorySaver(serde=checkpoint_serde()))


def test_picks_drafts_present_their_items_by_construction(warm_deps):
    """``MOTIVE_LLM_DRAFT=picks``: the model chooses and says why; titles, ids and prices are the
    catalog's, so a small model's garbled title cannot reach the person."""
    import dataclasses

    from langgraph.checkpoint.memory import InMemorySaver

    from graph.session import Conversations, checkpoint_serde

    def picks(messages):
        ids = [line.split("id ", 1)[1].split(" |", 1)[0] for line in messages[-1].content.splitlines()
               if line.startswith("- id ")]
        # An opening the schema no longer asks for is ignored: the code writes the offline one.
        return {"intro": "The person said: 'a wedding'.",
                "picks": [{"item_id": ids[1], "why": "Light and elegant for a summer day."},
                          {"item_id": ids[0], "why": "A graceful cut for the ceremony."}]}

    model = ScriptedChatModel(script=[{}, picks])
    settings = warm_deps.settings.with_overrides(llm_draft="picks", llm_verify=False)
    deps = dataclasses.replace(warm_deps, settings=settings, llm=LLM(model))
    conversations = Conversations(deps, InMemorySaver(serde=checkpoint_serde()))
    out = conversations.send(conversations.new_thread_id(), WEDDING, catalog="boutique")
    assert model.script == [] and out.llm.fallbacks == [] and out.reflection.passed
    assert len(out.recommendations) == 2
    lines = out.reply.splitlines()
    offline = offline_conversations(warm_deps).send("t", WEDDING, catalog="boutique").reply
    # The offline opening, for the two items picked (the offline reply has three).
    assert lines[0] == offline.splitlines()[0].replace("three", "two")
    assert lines[0].endswith("here are two I'd suggest:") and len(lines) == 3
    assert "person said" not in out.reply
    for line, rec in zip(lines[1:], out.recommendations):
        assert f"{rec.title}" in line and f"({rec.item_id})" in line
    assert lines[1].endswith("Light and elegant for a summer day.")


def test_no_llm_draft_while_a_contradicted_history_motive_is_active(warm_deps):
    """C-ELENA's history says 'prefers casual relaxed style', her request is for client meetings:
    reflection rejects any draft while that motive steers and redrafts offline, so the draft call
    (a minute on a small local model) is not made; the history call failing falls back as usual."""
    import dataclasses

    model = ScriptedChatModel(script=[ConnectionError("server down")])  # the history motives call
    settings = warm_deps.settings.with_overrides(llm_draft="picks", llm_verify=False, llm_read="off")
    deps = dataclasses.replace(warm_deps, settings=settings, llm=LLM(model))
    out = offline_conversations(deps).send("t", "I need a blazer for client meetings", catalog="boutique",
                                           client_id="C-ELENA")
    assert model.script == [] and out.llm.steps == {"history_motives": 1}
    assert out.reflection.passed and "You usually go for a casual" in out.reply and out.recommendations


def test_answer_prompts_carry_the_fields_asked_about(warm_deps):
    """A question about recorded fields gets those fields, the price and availability in its
    prompt (not every attribute); an open question, or one about a field an item does not
    record, gets every fact."""
    from agent.reading.models import Question
    from graph.nodes import _item_facts

    items = list(warm_deps.store.get("wholesale", ["WS-0001"]).values())
    ids = warm_deps.catalog("wholesale").ids
    full = _item_facts(items, ids)
    moq = _item_facts(items, ids, Question(item_ids=["WS-0001"], field="moq"))
    assert "minimum order" in full.lower() or "moq" in full.lower()
    assert len(moq) < len(full) and ("moq" in moq.lower() or "minimum order" in moq.lower())
    assert "price:" in moq and "availability:" in moq
    assert _item_facts(items, ids, Question(item_ids=["WS-0001"], field="description")) == full
    assert _item_facts(items, ids, Question(item_ids=["WS-0001"], field="battery")) == full


def test_draft_off_sends_the_offline_reply_and_the_llm_still_answers(warm_deps):
    """``MOTIVE_LLM_DRAFT=off`` (the 0.5B's setting: its picks copied the candidates' own
    explanations in rank order): a recommendation makes no call and is the offline reply; a
    question is still answered by the LLM."""
    import dataclasses

    from agent.settings import Settings, SettingsError

    def answer(messages):
        title = next(line[2:].split(" (id ")[0] for line in messages[-1].content.splitlines()
                     if line.startswith("- ") and " (id " in line)
        return f"The {title} is made of the fabric its catalog entry names."

    model = ScriptedChatModel(script=[answer])
    settings = warm_deps.settings.with_overrides(llm_draft="off", llm_verify=False, llm_read="off")
    deps = dataclasses.replace(warm_deps, settings=settings, llm=LLM(model))
    sessions, offline = offline_conversations(deps), offline_conversations(warm_deps)
    out, base = sessions.send("t", WEDDING, catalog="boutique"), offline.send("t", WEDDING, catalog="boutique")
    assert out.llm.calls == 0 and out.reply == base.reply and out.recommendations == base.recommendations
    asked = sessions.send("t", "what is the first one made of?")
    assert asked.llm.steps == {"answer": 1} and asked.llm.fallbacks == [] and model.script == []
    assert asked.reply.startswith(f"The {out.recommendations[0].title} is made of")
    assert Settings.load({"MOTIVE_LLM_DRAFT": "off"}).llm_draft == "off"
    with pytest.raises(SettingsError, match="'prose', 'picks' or 'off'"):
        Settings.load({"MOTIVE_LLM_DRAFT": "none"})


def test_llm_traits_can_be_turned_off(warm_deps):
    """``MOTIVE_LLM_TRAITS=false`` (the local 0.5B's setting): catalogs get the offline traits even
    with an LLM configured."""
    import dataclasses

    from agent.settings import Settings

    model = ScriptedChatModel(script=[])
    on = dataclasses.replace(warm_deps, llm=LLM(model))
    off = dataclasses.replace(warm_deps, settings=warm_deps.settings.with_overrides(llm_traits=False),
                              llm=LLM(model))
    assert on._llm_traits() is not None and off._llm_traits() is None
    assert Settings.load({"MOTIVE_LLM_TRAITS": "false"}).llm_traits is False


def test_a_yes_no_answer_that_contradicts_the_catalog_falls_back_to_its_verdict(llm_conversations, warm_deps):
    # What the 0.5B wrote about nitrile gloves: yes, and in the same breath that nothing is recorded.
    model = ScriptedChatModel(script=[{}, ConnectionError("down"), {},
                                      "Yes, the item is not recorded in the catalog as that."])
    conversations = llm_conversations(model)
    thread = conversations.new_thread_id()
    first = conversations.send(thread, WEDDING, catalog="boutique")
    out = conversations.send(thread, "is the first one machine washable?")
    assert model.script == []
    assert out.act == "answer" and "not recorded in the catalog as that" not in out.reply
    first_id = first.recommendations[0].item_id
    assert out.reply.startswith(("Yes: ", "No: ", "The catalog doesn't say")) and first_id in out.reply  # offline
    assert [f.step for f in out.llm.fallbacks] == ["answer"]
    assert "contradicts itself" in out.llm.fallbacks[0].reason
