"""Graph nodes. Each is a verb, reads the state, and returns a partial update (never mutates).

Every LLM step has its offline twin in the same node: the LLM result is used when the call
succeeds, otherwise the fallback is recorded in the turn's ``usage`` and the offline path runs.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from pydantic import BaseModel, Field

from agent.alignment import Candidate as AlignCandidate
from agent.alignment import apply_critique, quality_level, to_recommendation
from agent.deps import Deps
from agent.dialogue import (
    answer_about,
    choose_question,
    conflict_note,
    offline_recommend_text,
    should_ask,
)
from agent.llm import UsageLedger
from agent.models import (
    BeliefState,
    Constraints,
    Evidence,
    LLMUsage,
    Motive,
    Reaction,
    Recommendation,
    ReflectionIssue,
    ReflectionReport,
    TurnOutput,
)
from agent.motives import find_conflicts
from agent.parsing import MessageParse, parse_message
from agent.reflection import Draft, check_draft, resolve_conflicts
from graph.state import Candidate, Conflict, State
from prompts import render
from tools.catalog_tools import make_tools

RETRIEVE_K = 60
"""Candidates fetched per turn (all meeting the hard constraints) before alignment re-ranks them."""
RECOMMEND_N = 3
MAX_ATTEMPTS = 3
"""Drafts reflection may check per turn; the last revision is always the grounded offline text."""
MAX_MESSAGE_CHARS = 4000
HISTORY_CONTEXT_CHARS = 1200
UNVERIFIED_REPLY = ("I couldn't check my answer against the catalog, so I won't send it. Could you "
                    "rephrase, or ask about a specific item by its name or id?")


class DraftReply(BaseModel):
    """What the LLM returns when it writes a recommendation reply."""

    text: str = Field(description="The reply to the person, naming each item by its exact title and id.")
    item_ids: list[str] = Field(description="Ids of the items the reply recommends, in order.")


class Verdict(BaseModel):
    """The LLM verifier's judgement of a drafted reply."""

    ok: bool
    problems: list[str] = Field(default_factory=list)


def _last_user_text(state: State) -> str:
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            content = message.content
            if isinstance(content, list):
                content = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
            return str(content)[:MAX_MESSAGE_CHARS]
    return ""


def _ledger(state: State) -> UsageLedger:
    ledger = UsageLedger()
    ledger.usage = (state.get("usage") or LLMUsage()).model_copy(deep=True)
    return ledger


def merge_motives(old: list[Motive], new: list[Motive]) -> list[Motive]:
    """Union by text (case-insensitive): the higher confidence wins, evidence accumulates."""
    merged: dict[str, Motive] = {m.text.lower(): m for m in old}
    for motive in new:
        key = motive.text.lower()
        if key in merged:
            prior = merged[key]
            evidence = prior.evidence + [e for e in motive.evidence if e not in prior.evidence]
            # Said again in the conversation, a history motive becomes the person's current word.
            source = "conversation" if "conversation" in (prior.source, motive.source) else "history"
            merged[key] = prior.model_copy(update={
                "confidence": max(prior.confidence, motive.confidence), "evidence": evidence,
                "source": source, "overridden_by": None if source == "conversation" else prior.overridden_by,
            })
        else:
            merged[key] = motive
    return list(merged.values())


ACCUMULATING = frozenset({"brands_out", "exclude_terms", "must_have"})
"""Constraint lists that grow over a conversation; the others (categories, brands_in, sizes) are
replaced by a new statement: "a dress" then "shoes to go with it" means shoes now."""


MOTIVE_FADE = 0.6
"""Factor applied to a conversation motive each time a new request does not restate it."""
MOTIVE_FLOOR = 0.2
"""Below this confidence a faded motive is dropped from the belief."""


def fade_motives(motives: list[Motive], restated: list[Motive]) -> list[Motive]:
    """Earlier conversation motives lose weight when a new request brings motives of its own;
    history motives are left alone (they have their own, lower weight)."""
    keep = {m.text.lower() for m in restated}
    out = []
    for motive in motives:
        if motive.source == "conversation" and motive.text.lower() not in keep:
            confidence = round(motive.confidence * MOTIVE_FADE, 3)
            if confidence < MOTIVE_FLOOR:
                continue
            motive = motive.model_copy(update={"confidence": confidence})
        out.append(motive)
    return out


def merge_constraints(old: Constraints, new: Constraints, clear: list[str]) -> Constraints:
    """The belief's constraints after a message stated ``new`` and lifted ``clear`` (a field name,
    or ``field:value`` to lift one value: 'leather is fine after all')."""
    data = old.model_dump()
    defaults = Constraints().model_dump()
    for entry in clear:
        name, _, value = entry.partition(":")
        if name not in data:
            continue
        if value and isinstance(data[name], list):
            data[name] = [v for v in data[name] if str(v).lower() != value.lower()]
        else:
            data[name] = defaults[name]
    for name, value in new.model_dump().items():
        if value == defaults[name]:
            continue
        if isinstance(value, list) and name in ACCUMULATING:
            data[name] = list(dict.fromkeys([*data[name], *value]))
        else:
            data[name] = value
    # A brand cannot be both required and ruled out: the latest statement wins.
    if new.brands_out:
        data["brands_in"] = [b for b in data["brands_in"] if b.lower() not in {x.lower() for x in new.brands_out}]
    if new.brands_in:
        data["brands_out"] = [b for b in data["brands_out"] if b.lower() not in {x.lower() for x in new.brands_in}]
    return Constraints.model_validate(data)


class Nodes:
    """The graph's nodes, bound to their dependencies."""

    def __init__(self, deps: Deps):
        self.deps = deps

    # -- understand ----------------------------------------------------------------------------

    def understand(self, state: State) -> dict[str, Any]:
        deps = self.deps
        text = _last_user_text(state)
        turn = state.get("turn", 0)
        catalog = deps.catalog(state.get("catalog") or "boutique")
        ledger = UsageLedger()  # a new turn starts a new count
        belief = (state.get("belief") or BeliefState(client_id=state.get("client_id"))).model_copy(deep=True)
        update: dict[str, Any] = {"catalog": catalog.name, "question": None, "draft": None, "reaction": None,
                                  "reflection": None, "last_issues": [], "candidates": [], "ranked": [],
                                  "conflicts": []}

        if belief.client_id and not state.get("history_loaded"):
            belief.motives = merge_motives(belief.motives, self._history_motives(belief.client_id, ledger))
            update["history_loaded"] = True

        shown = list(deps.store.get(catalog.name, belief.shown).values())
        shown.sort(key=lambda i: belief.shown.index(i.id))
        reaction = state.get("reaction")
        # A card's "not for me" arrives as "Not for me: <title>, <reason>": only the reason is the
        # person's words; the title would read as a request for that item's category.
        parse = parse_message(reaction.reason if reaction is not None else text, catalog.vocab, shown, turn)
        update["parse"] = parse

        if parse.reset:
            kept = [m for m in belief.motives if m.source == "history"]
            belief = BeliefState(client_id=belief.client_id, motives=kept)
            update.update(belief=belief, act="reset", usage=ledger.usage)
            return update

        belief.constraints = merge_constraints(belief.constraints, parse.constraints, parse.clear)
        if reaction is not None:
            belief.reactions.append(reaction.model_copy(update={"turn": turn}))
            if reaction.kind == "rejected" and reaction.reason:
                belief.dislikes = list(dict.fromkeys([*belief.dislikes, reaction.reason]))
            parse = parse.model_copy(update={"rejected_refs": [], "liked_refs": [], "question": None})
            update["parse"] = parse
        self._apply_reactions(belief, parse, shown, turn)
        # Critiques, reactions and questions steer through constraints and reactions; adding their
        # words ("not for me: Linen Midi Dress") to the request would pull those items back.
        steering = reaction is not None or parse.critiques or parse.rejected_refs or parse.liked_refs
        if parse.question is None and not parse.greeting_only and not steering:
            found = self._message_motives(text, turn, belief, catalog, ledger)
            new_subject = bool(found) or bool(parse.constraints.categories)
            # A request with its own motives or product type is the new subject: it replaces the
            # retrieval query, and earlier conversation motives it does not restate fade.
            belief.query = text if new_subject else f"{belief.query} {text}".strip()[-1000:]
            if found:
                belief.motives = fade_motives(belief.motives, found)
            belief.motives = merge_motives(belief.motives, found)
        conflicts = self._conflicts(belief)
        update["conflicts"] = conflicts

        if parse.question is not None and parse.question.item_ids:
            act = "answer"
        elif parse.greeting_only and not belief.query:
            act = "acknowledge"
        else:
            act = "recommend"  # align may still turn it into a question
        update.update(belief=belief, act=act, usage=ledger.usage)
        return update

    def _history_motives(self, client_id: str, ledger: UsageLedger) -> list[Motive]:
        deps = self.deps
        client = deps.client(client_id)
        items = deps.store.get(client.catalog, [p.item_id for p in client.purchases])
        if deps.llm_motives is not None:
            found = deps.llm_motives.from_history(client, items, ledger)
            if found is not None:
                return found
        return deps.catalog(client.catalog).motives.from_history(client, items)

    def _message_motives(self, text: str, turn: int, belief: BeliefState, catalog, ledger) -> list[Motive]:
        if self.deps.llm_motives is not None:
            history = "; ".join(m.text for m in belief.motives if m.source == "history")
            found = self.deps.llm_motives.from_message(text, turn, ledger, history[:HISTORY_CONTEXT_CHARS])
            if found is not None:
                return found
        return catalog.motives.from_message(text, turn)

    @staticmethod
    def _apply_reactions(belief: BeliefState, parse: MessageParse, shown, turn: int) -> None:
        for item_id in parse.rejected_refs:
            belief.reactions.append(Reaction(item_id=item_id, kind="rejected", reason=parse.reason, turn=turn))
        for item_id in parse.liked_refs:
            belief.reactions.append(Reaction(item_id=item_id, kind="liked", turn=turn))
        if parse.brand_refs_out:
            belief.constraints = merge_constraints(
                belief.constraints, Constraints(brands_out=parse.brand_refs_out), [])
        for critique in parse.critiques:
            # Relative to the first item shown: the one the person is looking at when they say it.
            if critique.kind == "cheaper" and shown:
                # Never looser than a budget already held ("too expensive, under 900" keeps 900).
                belief.constraints.budget_max = min(b for b in (round(shown[0].price * 0.999, 2),
                                                                belief.constraints.budget_max) if b is not None)
            elif critique.kind == "pricier" and shown:
                belief.constraints.budget_min = max(b for b in (round(shown[0].price * 1.001, 2),
                                                                belief.constraints.budget_min) if b is not None)
            elif critique.kind == "more_like" and critique.text:
                belief.motives = merge_motives(belief.motives, [Motive(
                    text=f"wants something more {critique.text}", confidence=0.85, source="conversation",
                    evidence=[Evidence(quote=critique.text, turn=turn)])])
            elif critique.kind == "less_like" and critique.text:
                belief.dislikes = list(dict.fromkeys([*belief.dislikes, critique.text]))

    def _conflicts(self, belief: BeliefState) -> list[Conflict]:
        history = [m for m in belief.motives if m.source == "history" and m.active]
        current = [m for m in belief.motives if m.source == "conversation"]
        return [Conflict(history=h, current=c) for h, c in find_conflicts(history, current, self.deps.embedder)]

    # -- retrieve + align -----------------------------------------------------------------------

    def retrieve(self, state: State) -> dict[str, Any]:
        deps = self.deps
        belief = state["belief"]
        active = [m.text for m in belief.motives if m.active and m.source == "conversation"]
        query = " ".join([belief.query, *active]).strip() or "popular choices"
        vector = deps.embedder.embed([query])[0]
        found = deps.store.search(state["catalog"], vector, RETRIEVE_K, belief.constraints,
                                  exclude_ids=belief.rejected_ids)
        return {"candidates": [Candidate(item=item, similarity=sim) for item, sim in found]}

    def rank(self, belief: BeliefState, candidates: list[Candidate], catalog: str,
             critiques=()) -> tuple[list[Recommendation], list]:
        """Candidates scored against the motives (MAR), then moved by this turn's directional
        critiques ('more formal') relative to the first item shown last turn."""
        deps = self.deps
        items = [c.item for c in candidates]
        liked = list(deps.store.get(catalog, sorted(belief.liked_ids)).values())
        vectors = deps.trait_vectors(items)
        scored = deps.aligner.score(
            [AlignCandidate(c.item, c.similarity) for c in candidates], belief.motives,
            vectors, liked=liked, dislikes=belief.dislikes,
        )
        directional = [c for c in critiques if c.kind in ("more_like", "less_like") and c.text]
        reference = deps.store.get(catalog, belief.shown[:1]).get(belief.shown[0]) if belief.shown else None
        if directional and reference is not None and scored:
            ref_vectors = deps.trait_vectors([reference])[reference.id][0]
            shown = set(belief.shown)
            scored = [s for s in scored if s.item.id not in shown] or scored
            for critique in directional:
                quality = deps.embedder.embed([critique.text])[0]
                scored = apply_critique(scored, vectors, quality, quality_level(ref_vectors, quality),
                                        1 if critique.kind == "more_like" else -1, RECOMMEND_N)
        return [to_recommendation(s, belief.motives) for s in scored], scored

    def align(self, state: State) -> dict[str, Any]:
        belief = state["belief"].model_copy(deep=True)
        parse = state.get("parse")
        ranked, scored = self.rank(belief, state.get("candidates", []), state["catalog"],
                                   parse.critiques if parse else [])
        focus = bool(parse and (parse.constraints != Constraints() or parse.critiques or parse.brand_refs_out
                                or parse.rejected_refs or parse.liked_refs)) or bool(belief.shown)
        if should_ask(belief, scored, focus):
            traits = self.deps.traits_for([s.item for s in scored[:20]])
            question = choose_question(belief, scored, traits)
            if question is not None:
                belief.asked.append(question.attribute)
                # The current request wins over contradicted history even when no draft follows.
                belief.motives = resolve_conflicts(
                    belief.motives, [(c.history, c.current) for c in state.get("conflicts", [])])
                return {"ranked": ranked, "act": "ask", "question": question, "belief": belief}
        return {"ranked": ranked, "act": "recommend"}

    # -- drafting -------------------------------------------------------------------------------

    def draft(self, state: State) -> dict[str, Any]:
        ledger = _ledger(state)
        ranked = state.get("ranked", [])
        belief = state["belief"]
        if self.deps.llm.enabled and ranked:
            reply = self.deps.llm.structured(
                "respond",
                render("respond", request=_last_user_text(state), motives=_motive_lines(belief),
                       constraints=_constraint_text(belief.constraints), candidates=_candidate_lines(ranked[:6]),
                       count=RECOMMEND_N),
                DraftReply, ledger)
            if reply is not None:
                draft = Draft(text=reply.text, item_ids=reply.item_ids[:RECOMMEND_N], source="llm")
                return {"draft": draft, "usage": ledger.usage}
        return {"draft": self._offline_draft(ranked, belief), "usage": ledger.usage}

    def _offline_draft(self, ranked: list[Recommendation], belief: BeliefState) -> Draft:
        recs = ranked[:RECOMMEND_N]
        overridden = [(m.text, m.overridden_by) for m in belief.motives if m.overridden_by]
        text = offline_recommend_text(recs, belief, [conflict_note(overridden)])
        return Draft(text=text, item_ids=[r.item_id for r in recs], source="offline")

    def ask(self, state: State) -> dict[str, Any]:
        question = state["question"]
        return {"draft": Draft(text=question.text, source="offline")}

    def acknowledge(self, state: State) -> dict[str, Any]:
        catalog = self.deps.catalog(state["catalog"])
        kinds = ", ".join(sorted(catalog.vocab.categories)[:6])
        text = (f"Hello! I can help you find the right piece from the {catalog.name} catalog "
                f"({catalog.size} items: {kinds}, ...). What are you looking for, and what is it for?")
        return {"draft": Draft(text=text, source="offline")}

    def answer(self, state: State) -> dict[str, Any]:
        deps = self.deps
        parse = state["parse"]
        question = parse.question
        ledger = _ledger(state)
        items = deps.store.get(state["catalog"], question.item_ids)
        ordered = [items[i] for i in question.item_ids if i in items]
        if deps.llm.enabled:
            text = self._llm_answer(state, question, ordered, ledger)
            if text is not None:
                return {"draft": Draft(text=text, item_ids=[i.id for i in ordered], source="llm"),
                        "usage": ledger.usage}
        traits = deps.traits_for(ordered)
        text = "\n".join(answer_about(i, question.topic, traits.get(i.id), question.quantity,
                                      deps.catalog(state["catalog"]).ids) for i in ordered)
        return {"draft": Draft(text=text, item_ids=[i.id for i in ordered], source="offline"),
                "usage": ledger.usage}

    def _llm_answer(self, state: State, question, items, ledger: UsageLedger) -> str | None:
        """Tool-calling answer: the model looks the items up with the catalog tools, then answers."""
        messages = self.deps.llm.messages(render(
            "answer", question=_last_user_text(state),
            items="\n".join(f"- {i.id}: {i.title}" for i in items)))
        return self.deps.llm.with_tools("answer", messages, make_tools(self.deps, state["catalog"]), ledger)

    # -- reflection -----------------------------------------------------------------------------

    def reflect(self, state: State) -> dict[str, Any]:
        deps = self.deps
        draft: Draft = state["draft"]
        belief: BeliefState = state["belief"]
        act = state["act"]
        report = (state.get("reflection") or ReflectionReport()).model_copy(deep=True)
        ledger = _ledger(state)
        runtime = deps.catalog(state["catalog"])
        ids = list(dict.fromkeys([*draft.item_ids, *runtime.ids.findall(draft.text)]))
        lookup = deps.store.get(state["catalog"], ids)
        ranked = {r.item_id: r for r in state.get("ranked", [])}
        recs = [ranked[i] for i in draft.item_ids if i in ranked]
        issues = check_draft(
            draft, act, lookup, {c.item.id for c in state.get("candidates", [])}, belief,
            runtime.brands,
            [(c.history, c.current) for c in state.get("conflicts", [])] if act == "recommend" else [],
            recs,
            runtime.ids,
        )
        if not issues and deps.llm.enabled and draft.source == "llm":
            verdict = deps.llm.structured(
                "verify", render("verify", reply=draft.text, facts=_facts(lookup.values())), Verdict, ledger)
            report.llm_verified = None if verdict is None else verdict.ok
            if verdict is not None and not verdict.ok:
                issues = [ReflectionIssue(check="llm_verifier", detail=p) for p in verdict.problems[:3]
                          ] or [ReflectionIssue(check="llm_verifier", detail="the verifier rejected the reply")]
        report.attempts += 1
        report.issues.extend(issues)
        report.passed = not issues
        return {"reflection": report, "last_issues": issues, "usage": ledger.usage}

    def revise(self, state: State) -> dict[str, Any]:
        """Fix what reflection found: resolve context conflicts and re-rank, drop offending items,
        then redraft (the LLM once, with the problems listed; after that the offline text)."""
        report = state["reflection"].model_copy(deep=True)
        last = state.get("last_issues", [])
        belief = state["belief"].model_copy(deep=True)
        ranked = list(state.get("ranked", []))
        notes = []
        update: dict[str, Any] = {}
        if any(i.check == "context_conflict" for i in last):
            conflicts = [(c.history, c.current) for c in state.get("conflicts", [])]
            belief.motives = resolve_conflicts(belief.motives, conflicts)
            ranked, _ = self.rank(belief, state.get("candidates", []), state["catalog"])
            set_aside = list(dict.fromkeys(h.text for h, _ in conflicts))
            notes.append("set aside history motives " + ", ".join(f"“{t}”" for t in set_aside)
                         + f" for today's request “{conflicts[0][1].text}”")
            update["belief"] = belief
        bad = {i.item_id for i in last if i.item_id and i.check in
               ("unknown_item", "not_a_candidate", "constraint", "rejected_again")}
        if state["draft"].source != "llm":
            # The offline draft copies catalog fields; if one item's line still fails a fact check
            # (a title that states another price), redrafting cannot fix it: leave that item out,
            # as long as something is left to send (else the turn ends unverified, saying so,
            # rather than claiming nothing fits).
            failing = {i.item_id for i in last if i.item_id and i.check == "wrong_fact"}
            if any(r.item_id not in bad | failing for r in ranked):
                bad |= failing
        if bad:
            ranked = [r for r in ranked if r.item_id not in bad]
            notes.append("removed " + ", ".join(sorted(bad)))
        if any(i.check in ("wrong_fact", "llm_verifier") for i in last):
            notes.append("rewrote the facts from the catalog")
        report.revisions.append("; ".join(notes) or "redrafted")
        update.update(reflection=report, ranked=ranked)
        ledger = _ledger(state)
        draft = None
        if state["act"] == "recommend":
            if self.deps.llm.enabled and report.attempts == 1 and not any(
                    i.check == "context_conflict" for i in last):
                reply = self.deps.llm.structured(
                    "revise",
                    render("revise", previous=state["draft"].text,
                           problems="\n".join(f"- {i.detail}" for i in last),
                           candidates=_candidate_lines(ranked[:6]), count=RECOMMEND_N),
                    DraftReply, ledger)
                if reply is not None:
                    draft = Draft(text=reply.text, item_ids=reply.item_ids[:RECOMMEND_N], source="llm")
            if draft is None:
                draft = self._offline_draft(ranked, belief)
        else:  # an answer: fall back to the catalog's own words
            parse = state["parse"]
            items = self.deps.store.get(state["catalog"], parse.question.item_ids)
            ordered = [items[i] for i in parse.question.item_ids if i in items]
            text = "\n".join(answer_about(i, parse.question.topic, None, parse.question.quantity,
                                      self.deps.catalog(state["catalog"]).ids) for i in ordered)
            draft = Draft(text=text, item_ids=[i.id for i in ordered], source="offline")
        update.update(draft=draft, usage=ledger.usage)
        return update

    # -- respond --------------------------------------------------------------------------------

    def respond(self, state: State) -> dict[str, Any]:
        act = state["act"]
        belief = state["belief"].model_copy(deep=True)
        draft = state.get("draft")
        if act == "reset":
            draft = Draft(text="Let's start over. What are you looking for, and what is it for?")
        report = state.get("reflection")
        if report is not None and not report.passed:
            # Every attempt failed its checks: nothing unverified is sent, not even the last draft.
            draft = Draft(text=UNVERIFIED_REPLY)
        ranked = {r.item_id: r for r in state.get("ranked", [])}
        recs = [ranked[i] for i in draft.item_ids if i in ranked] if act == "recommend" else []
        if act == "recommend":
            belief.shown = [r.item_id for r in recs]
        turn = state.get("turn", 0)
        output = TurnOutput(
            turn=turn, user=_last_user_text(state), reply=draft.text, act=act, recommendations=recs,
            belief=belief, reflection=state.get("reflection"), llm=state.get("usage") or LLMUsage(),
            mode=self.deps.llm.name if self.deps.llm.enabled else "offline",
        )
        return {"messages": [AIMessage(content=draft.text)], "belief": belief, "turn": turn + 1,
                "output": output}


def _motive_lines(belief: BeliefState) -> str:
    lines = [f"- {m.text} (confidence {m.confidence:.2f}, from {m.source})" for m in belief.motives if m.active]
    return "\n".join(lines) or "- none stated yet"


def _constraint_text(c: Constraints) -> str:
    data = {k: v for k, v in c.model_dump().items() if v not in (None, [], False)}
    return json.dumps(data) if data else "none"


def _candidate_lines(ranked: list[Recommendation]) -> str:
    return "\n".join(
        f"- id {r.item_id} | {r.title} | brand {r.brand} | price {r.price:g} {r.currency} | "
        f"{r.availability} | why: {r.explanation}"
        for r in ranked
    )


def _facts(items) -> str:
    return "\n".join(
        f"- {i.id}: {i.title}; brand {i.brand}; price {i.price:g} {i.currency}; {i.availability}" for i in items
    ) or "- (no items named)"
