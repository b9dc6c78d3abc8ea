"""Whole conversations on the LLM path, driven by a scripted fake chat model: one test per
dialogue act and one per reflection failure, plus the fallbacks. The script answers from what the
agent actually put in its prompts (real candidate ids), so the graph runs its real code."""

from __future__ import annotations

import re

from langchain_core.messages import AIMessage

from agent.motives import MotiveDraft, MotiveList
from graph.nodes import DraftReply, Verdict
from tests.fakes import ScriptedChatModel, truncated

CANDIDATE = re.compile(r"- id (\S+) \| (.+?) \| brand (.*?) \| price ([\d.]+) (\w+) \|")


def candidates(messages):
    return CANDIDATE.findall(messages[-1].content)


def motives(*pairs):
    """The reading step's answer stating only motives (the offline reading stands for the rest);
    each pair is (motive text, evidence quote from the message)."""
    return MotiveList(motives=[MotiveDraft(text=t, confidence=0.9, evidence_quote=q) for t, q in pairs])


def draft(pick=(0, 1), price_factor=1.0, extra_ids=(), text_ids=None):
    """A drafted reply built from the real candidates in the prompt."""
    def answer(messages):
        cands = candidates(messages)
        chosen = [cands[i] for i in pick if i < len(cands)]
        lines = [f"{title} ({item_id}) by {brand}, {float(price) * price_factor:.2f} {cur}."
                 for item_id, title, brand, price, cur in chosen]
        ids = [c[0] for c in chosen] + list(extra_ids)
        return DraftReply(text="\n".join(lines + list(text_ids or [])), item_ids=ids)
    return answer


OK = Verdict(ok=True)
READ = {}
"""The reading step's answer stating nothing: the offline reading stands (a question, a critique)."""
WEDDING = "I need an elegant dress for a summer wedding"
WEDDING_MOTIVES = motives(("wants an elegant look for a summer wedding", "elegant dress for a summer wedding"))


def run(llm_conversations, script, lines, catalog="boutique", client=None):
    model = ScriptedChatModel(script=list(script))
    conversations = llm_conversations(model)
    thread = conversations.new_thread_id()
    outs = [conversations.send(thread, line, catalog=catalog, client_id=client) for line in lines]
    assert model.script == [], f"unused script entries: {model.script}"
    return outs, model


# -- one test per dialogue act -------------------------------------------------------------------

def test_recommend_turn_uses_llm_motives_draft_and_verifier(llm_conversations):
    (out,), model = run(llm_conversations, [WEDDING_MOTIVES, draft(), OK], [WEDDING])
    assert out.act == "recommend" and out.mode == "scripted-fake"
    assert out.belief.motives[0].text == "wants an elegant look for a summer wedding"
    assert out.belief.motives[0].source == "conversation" and out.belief.motives[0].evidence[0].turn == 0
    assert [r.item_id for r in out.recommendations] == [c.item_id for c in out.recommendations][:2]
    assert len(out.recommendations) == 2 and out.recommendations[0].title in out.reply
    assert out.reflection.passed and out.reflection.attempts == 1 and out.reflection.llm_verified is True
    assert out.llm.calls == 3 and out.llm.tokens == 210 and out.llm.fallbacks == []


def test_ask_turn(llm_conversations):
    (out,), _ = run(llm_conversations, [MotiveList(motives=[])], ["I'm looking for something nice"])
    assert out.act == "ask" and out.reply.endswith("?") and out.llm.calls == 1


def test_answer_turn_calls_the_lookup_tool(llm_conversations, warm_deps):
    def tool_call(messages):
        item_id = re.search(r"\(id (\S+)\)", messages[-1].content).group(1)
        return AIMessage(content="", tool_calls=[{"name": "lookup_item", "args": {"item_id": item_id},
                                                  "id": "call-1"}])

    def final(messages):
        assert messages[-1].type == "tool" and '"material"' in messages[-1].content
        material = re.search(r'"material": ?"([^"]+)"', messages[-1].content).group(1)
        return f"It is made of {material}."

    (rec, out), model = run(llm_conversations, [WEDDING_MOTIVES, draft(), OK, READ, tool_call, final, OK],
                            [WEDDING, "what is the first one made of?"])
    item = warm_deps.store.get("boutique", [rec.recommendations[0].item_id])[rec.recommendations[0].item_id]
    assert out.act == "answer" and out.reply == f"It is made of {item.attributes['material']}."
    assert out.llm.calls == 4 and out.reflection.passed  # read, tool call, answer, verify


def test_reset_turn_needs_no_llm(llm_conversations):
    (_, out), _ = run(llm_conversations, [WEDDING_MOTIVES, draft(), OK], [WEDDING, "start over"])
    assert out.act == "reset" and out.llm.calls == 0 and not out.belief.motives


def test_critique_turn_reranks_under_the_new_budget(llm_conversations):
    (first, out), _ = run(llm_conversations,
                          [WEDDING_MOTIVES, draft(), OK, READ, draft(), OK],
                          [WEDDING, "something cheaper"])
    assert out.act == "recommend" and out.recommendations
    assert all(r.price < first.recommendations[0].price for r in out.recommendations)


# -- one test per reflection failure -------------------------------------------------------------

def test_hallucinated_item_is_removed_by_revision(llm_conversations):
    (out,), _ = run(llm_conversations,
                    [WEDDING_MOTIVES, draft(extra_ids=["BQ-999"], text_ids=["Also the Aurora Gown (BQ-999)."]),
                     draft(), OK], [WEDDING])
    assert [i.check for i in out.reflection.issues] == ["unknown_item"]
    assert out.reflection.passed and out.reflection.attempts == 2
    assert "BQ-999" not in out.reply and all(r.item_id != "BQ-999" for r in out.recommendations)


def test_wrong_price_is_corrected(llm_conversations):
    # The LLM misstates prices twice; the third attempt is the grounded offline text.
    (out,), _ = run(llm_conversations, [WEDDING_MOTIVES, draft(price_factor=0.5), draft(price_factor=0.5)],
                    [WEDDING])
    assert {i.check for i in out.reflection.issues} == {"wrong_fact"}
    assert out.reflection.passed and out.reflection.attempts == 3
    for rec in out.recommendations:
        assert f"{rec.price:,.2f}".removesuffix(".00") in out.reply


def test_violated_budget_is_caught(llm_conversations, warm_deps):
    expensive = max(warm_deps.store.all_items("boutique"), key=lambda i: i.price)

    def over_budget(messages):
        return DraftReply(text=f"{expensive.title} ({expensive.id}), {expensive.price:.2f} EUR.",
                          item_ids=[expensive.id])

    (out,), _ = run(llm_conversations, [WEDDING_MOTIVES, over_budget, draft(), OK],
                    [WEDDING + ", under 500 euros"])
    checks = {i.check for i in out.reflection.issues}
    assert "constraint" in checks and "not_a_candidate" in checks
    assert out.reflection.passed and all(r.price <= 500 for r in out.recommendations)
    assert expensive.id not in out.reply


def test_rejected_item_recommended_again_is_caught(llm_conversations):
    first_pick = {}

    def remember(messages):
        reply = draft()(messages)
        first_pick["id"] = reply.item_ids[0]
        return reply

    def again(messages):
        item_id = first_pick["id"]
        return DraftReply(text=f"How about {item_id} after all?", item_ids=[item_id])

    (first, out), _ = run(llm_conversations,
                          [WEDDING_MOTIVES, remember, OK, READ, again, draft(), OK],
                          [WEDDING, "not the first one"])
    assert "rejected_again" in {i.check for i in out.reflection.issues}
    assert first_pick["id"] not in [r.item_id for r in out.recommendations]
    assert out.reflection.passed


def test_history_motive_contradicting_the_request_is_set_aside(llm_conversations):
    def history_answer(messages):
        assert "tailored" in messages[-1].content.lower()
        quote = re.search(r"(?i)tailored[^.\n]{0,20}", messages[-1].content).group(0)
        # Not the prompt's own example ('wants to look professional at work'): that one is dropped
        # unless the client's file says it.
        return MotiveList(motives=[MotiveDraft(text="needs to look professional in the office", confidence=0.9,
                                               evidence_quote=quote)])

    current = motives(("prefers casual relaxed style", "casual"), ("is dressing for a beach holiday", "beach holiday"))
    # No draft call: while the contradicted history motive is active, any draft fails reflection
    # and the redraft is offline, so the LLM is not asked for one.
    (out,), _ = run(llm_conversations, [history_answer, current],
                    ["something casual for a beach holiday"], client="C-MARGOT")
    assert "respond" not in out.llm.steps and out.llm.calls == 2
    assert "context_conflict" in {i.check for i in out.reflection.issues}
    professional = next(m for m in out.belief.motives if m.text == "needs to look professional in the office")
    assert professional.source == "history" and professional.overridden_by
    assert out.reflection.passed and any("set aside" in r for r in out.reflection.revisions)


def test_llm_verifier_rejection_revises_the_draft(llm_conversations):
    (out,), _ = run(llm_conversations,
                    [WEDDING_MOTIVES, draft(), Verdict(ok=False, problems=["tone is pushy"]), draft(), OK],
                    [WEDDING])
    assert [i.check for i in out.reflection.issues] == ["llm_verifier"]
    assert out.reflection.passed and out.reflection.attempts == 2


# -- failures of the LLM itself ------------------------------------------------------------------

def test_every_llm_failure_falls_back_and_the_turn_completes(llm_conversations):
    (out,), _ = run(llm_conversations, [ConnectionError("connection refused"), truncated()], [WEDDING])
    assert out.act == "recommend" and len(out.recommendations) == 3
    assert [f.step for f in out.llm.fallbacks] == ["read", "respond"]
    assert "ConnectionError" in out.llm.fallbacks[0].reason and "truncated" in out.llm.fallbacks[1].reason
    assert out.belief.motives, "offline motives stand in for the LLM's"
    assert out.reflection.passed and out.reflection.llm_verified is None


def test_malformed_and_empty_llm_output_falls_back(llm_conversations):
    (out,), _ = run(llm_conversations, ['{"motives": [{"text": 3}', '', ], [WEDDING])
    assert [f.step for f in out.llm.fallbacks] == ["read", "respond"]
    assert out.recommendations and out.reflection.passed


def test_llm_calls_per_turn_do_not_grow_with_candidates(llm_conversations):
    (out,), model = run(llm_conversations, [WEDDING_MOTIVES, draft(), OK], [WEDDING])
    assert model.structured_calls() == 3


def test_hallucinated_id_in_a_catalogs_own_short_form_is_caught(llm_conversations, warm_deps):
    # Ids like "K-4" escape the generic ABC-123 form; reflection learns the catalog's id shapes.
    from agent.models import Item

    scarves = [Item(id=f"K-{n}", title=f"{colour} Wool Scarf", brand="Velluto", category="scarf",
                    price=80.0 + n, currency="EUR", description=f"A soft {colour.lower()} wool scarf.")
               for n, colour in enumerate(["Grey", "Navy", "Camel", "Black", "Ivory", "Red"], start=1)]
    warm_deps.register("kshop", scarves, "fashion", "test")
    scarf_motives = motives(("wants a warm accessory for winter", "warm scarf for winter"))
    (out,), _ = run(llm_conversations,
                    [scarf_motives, draft(text_ids=["Or the Cashmere Wrap (K-7)."]), draft(), OK],
                    ["a warm scarf for winter"], catalog="kshop")
    assert [(i.check, i.item_id) for i in out.reflection.issues] == [("unknown_item", "K-7")]
    assert out.reflection.passed and "K-7" not in out.reply
