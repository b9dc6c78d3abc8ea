"""Graph nodes. Each is a verb, reads the state, and returns a partial update (never mutates).

Every LLM step has its offline twin in the same node: the LLM result is used when the call
succeeds, otherwise the fallback is recorded in the turn's ``usage`` and the offline path runs.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Annotated, Any

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.runtime import Runtime
from pydantic import BaseModel, Field, WithJsonSchema, create_model

from agent.alignment import Candidate as AlignCandidate
from agent.alignment import (
    apply_critique,
    apply_steers,
    count_beyond,
    liked_first,
    quality_level,
    to_recommendation,
)
from agent.answers import compares_shown, offline_answer
from agent.belief import (
    apply_card_reaction,
    apply_message,
    as_reaction,
    left_out,
    merge_motives,
    only_steers,
    start_over,
    wants_items,
    with_client_file,
)
from agent.deps import Deps
from agent.client_facts import other_gender_ids, recipient_of
from agent.dialogue import (
    acknowledgement,
    choose_act,
    choose_question,
    compose_reply,
    confirmation,
    critique_limit_note,
    gender_note,
    remember_said,
    taken_note,
    narrowed_note,
    filed_note,
    no_results_text,
    relaxed_note,
    should_ask,
)
from agent.llm import UsageLedger
from agent.replies import split_hint
from agent.models import (
    BeliefState,
    Constraints,
    Item,
    LLMUsage,
    Motive,
    Recommendation,
    ReflectionIssue,
    ReflectionReport,
    TurnOutput,
)
from agent.motives import find_conflicts, quality_text
from agent.reading.models import Reading
from agent.reflection import (Draft, check_context, check_draft, check_presentation, check_verdict, presentable,
                              resolve_conflicts)
from graph.context import DEFAULT_CONTEXT, RunContext, context_of
from graph.state import Candidate, Conflict, State
from prompts import render
from tools.catalog_tools import make_tools

log = logging.getLogger(__name__)

# Candidates retrieved, items recommended and reflection attempts are per-run settings: see
# graph/context.py (RunContext), read by the nodes as runtime.context.
LLM_CANDIDATES = 4
"""Candidates an LLM draft may choose from (the prompt's length is most of a small model's time)."""
MAX_MESSAGE_CHARS = 4000
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


DRAFT_CHARS = 500
"""Longest recommendation draft the schema allows (three items, a sentence each)."""


def draft_schema(candidate_ids: list[str], count: int = DEFAULT_CONTEXT.recommend_n) -> type[DraftReply]:
    """:class:`DraftReply` for one call: the JSON schema the model sees limits ``item_ids`` to this
    turn's candidates (an enum, 1 to ``count`` of them) and the text to :data:`DRAFT_CHARS`, so a
    grammar-constrained model cannot pick an item outside them or run on to the token limit.
    Parsing stays lenient on purpose: a model without a grammar that breaks the limits is caught
    by reflection, which says what was wrong, instead of failing the call."""
    ids = list(dict.fromkeys(candidate_ids))
    id_schema = {"type": "array", "items": {"type": "string", "enum": ids}, "minItems": 1, "maxItems": count}
    return create_model(
        "DraftReply", __base__=DraftReply,
        text=(Annotated[str, WithJsonSchema({"type": "string", "maxLength": DRAFT_CHARS})],
              Field(description=DraftReply.model_fields["text"].description)),
        item_ids=(Annotated[list[str], WithJsonSchema(id_schema)],
                  Field(description=DraftReply.model_fields["item_ids"].description)),
    )


class Pick(BaseModel):
    """One chosen candidate and why it serves the person."""

    item_id: str = Field(description="The id of a listed candidate.")
    why: str = Field(description="One short sentence on why it serves their motives.")


class DraftPicks(BaseModel):
    """A recommendation draft as a small model writes it best: per chosen item, one sentence on
    why; the code writes the opening (the offline reply's) and each item's title, id and price from
    the catalog (``MOTIVE_LLM_DRAFT=picks``), so the draft presents its items by construction. The
    model writes no opening line: the 0.5B's openings echoed the prompt ("The person said: ...")
    or said nothing ("Motivated shoppers are looking for ..."), and each cost tokens."""

    picks: list[Pick] = Field(default_factory=list, description="The chosen candidates, best first.")


PICK_CHARS = 160


def picks_schema(candidate_ids: list[str], count: int = DEFAULT_CONTEXT.recommend_n) -> type[DraftPicks]:
    """:class:`DraftPicks` for one call: ``item_id`` an enum of this turn's candidates, one to
    ``count`` picks, every sentence bounded (lenient parsing, as :func:`draft_schema`)."""
    pick = {"type": "object", "properties": {
        "item_id": {"type": "string", "enum": list(dict.fromkeys(candidate_ids))},
        "why": {"type": "string", "maxLength": PICK_CHARS}}, "required": ["item_id", "why"]}
    # Required in the schema (a grammar then cannot skip the picks); parsing stays lenient.
    return create_model(
        "DraftPicks", __base__=DraftPicks,
        picks=(Annotated[list[Pick], WithJsonSchema({"type": "array", "items": pick, "minItems": 1,
                                                     "maxItems": count})], Field(...)),
    )


def picks_text(draft: DraftPicks, ranked: list[Recommendation], opening: str = "",
               count: int = DEFAULT_CONTEXT.recommend_n) -> tuple[str, list[str]]:
    """The reply a :class:`DraftPicks` stands for, and its item ids: ``opening`` (the code's), then
    each pick's title, brand, id and price from the catalog and the model's sentence, at most
    ``count`` of them. A pick that is not a candidate keeps its id, so reflection sees it."""
    from agent.dialogue import money

    by_id = {r.item_id: r for r in ranked}
    lines = [opening] if opening else []
    ids: list[str] = []
    for pick in draft.picks:
        if pick.item_id in ids:
            continue
        ids.append(pick.item_id)
        rec = by_id.get(pick.item_id)
        why = _whole_sentences(presentable(pick.why)) or (rec.explanation if rec is not None else "")
        head = (f"{rec.title}{f' by {rec.brand}' if rec.brand else ''} ({rec.item_id}), {money(rec.price, rec.currency)}"
                if rec is not None else pick.item_id)
        lines.append(f"{len(ids)}. {head}: {why}")
        if len(ids) == count:
            break
    return "\n".join(lines), ids


def opening_lines(reply: str) -> str:
    """The lines of an offline recommendation reply before its numbered items: its notes (a limit,
    a history motive set aside) and its opening sentence, which a picks draft reuses."""
    lines = reply.split("\n")
    first = next((n for n, line in enumerate(lines) if re.match(r"1\. ", line)), None)
    return "\n".join(lines[:first]).strip() if first is not None else ""


def _whole_sentences(text: str) -> str:
    """``text`` up to its last full stop: a length cap cuts a sentence where it falls, and the
    person should not read half of one ('..., offering a')."""
    text = text.strip()
    if not text or text[-1] in ".!?)\"”":
        return text
    cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
    return text[:cut + 1] if cut > 0 else ""


def verdict_schema() -> type[Verdict]:
    """:class:`Verdict` with its problems bounded in the JSON schema (three, a line each)."""
    problems = {"type": "array", "items": {"type": "string", "maxLength": 160}, "maxItems": 3}
    return create_model("Verdict", __base__=Verdict,
                        problems=(Annotated[list[str], WithJsonSchema(problems)], Field(default_factory=list)))


def _new_turn(catalog: str) -> dict[str, Any]:
    """What a turn starts from: the catalog, and nothing left of the last turn's work (its
    question, draft, reaction, reflection, candidates and what retrieval loosened or narrowed)."""
    return {"catalog": catalog, "question": None, "draft": None, "reaction": None, "reflection": None,
            "last_issues": [], "candidates": [], "ranked": [], "conflicts": [], "met": None, "relaxed": [],
            "narrowed": [], "passed": [], "limits": [], "turned_down": [], "gender_left": []}


def _last_user_text(state: State) -> str:
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            content = message.content
            if isinstance(content, list):
                content = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
            return str(content)[:MAX_MESSAGE_CHARS]
    return ""


class _Pool:
    """The items nearest the query, fetched once a turn: the constraints, and when they meet
    nothing or too little each looser option, are checked here in Python; only when the pool is not
    the whole catalog and holds too few does the store search beyond it (with Chroma's filters).
    One Chroma query a turn on the demo catalogs, not one or two per option."""

    SIZE = 480
    """At least what ``CatalogStore.search`` reads unfiltered before it filters in Chroma
    (``max(8 k, 400)`` for the 60 candidates retrieved), so a search from the pool finds the same."""

    def __init__(self, store, catalog: str, vector, rejected: set[str]):
        self.store, self.catalog, self.vector, self.rejected = store, catalog, vector, rejected
        self._hits: list[tuple[Item, float]] | None = None

    @property
    def hits(self) -> list[tuple[Item, float]]:
        if self._hits is None:
            self._hits = self.store.search(self.catalog, self.vector, self.SIZE, None, exclude_ids=self.rejected)
        return self._hits

    @property
    def whole(self) -> bool:
        """The pool is every item of the catalog not turned down: what it says is exact."""
        return len(self.hits) < self.SIZE

    def search(self, constraints: Constraints, k: int) -> list[tuple[Item, float]]:
        """What ``store.search`` would return (the ``k`` nearest items that comply): from the pool
        when it holds ``k`` of them or is the whole catalog, else from the store."""
        out: list[tuple[Item, float]] = []
        complies = constraints.checker()
        for hit in self.hits:
            if complies(hit[0]):
                out.append(hit)
                if len(out) == k:
                    return out
        if self.whole:
            return out
        return self.store.search(self.catalog, self.vector, k, constraints, exclude_ids=self.rejected)

    def count(self, constraints: Constraints, enough: int) -> int:
        """How many items meet ``constraints``, counted up to ``enough``."""
        n = 0
        complies = constraints.checker()
        for item, _ in self.hits:
            if complies(item):
                n += 1
                if n >= enough:
                    return n
        if self.whole:
            return n
        return len(self.store.search(self.catalog, self.vector, enough, constraints, exclude_ids=self.rejected))


def _ledger(state: State) -> UsageLedger:
    ledger = UsageLedger()
    ledger.usage = (state.get("usage") or LLMUsage()).model_copy(deep=True)
    return ledger


class Nodes:
    """The graph's nodes, bound to their dependencies."""

    def __init__(self, deps: Deps):
        self.deps = deps

    # -- understand ----------------------------------------------------------------------------

    def understand(self, state: State) -> dict[str, Any]:
        """The message read into the belief, one step each: the client's history (once per
        conversation), the items on screen, the reading, a card's reaction, the motives a request
        states, and the act that answers it."""
        deps = self.deps
        text, turn = _last_user_text(state), state.get("turn", 0)
        catalog = deps.catalog(state.get("catalog") or deps.default_catalog())
        ledger = UsageLedger()  # a new turn starts a new count
        update = _new_turn(catalog.name)
        belief = (state.get("belief") or BeliefState(client_id=state.get("client_id"))).model_copy(deep=True)
        if belief.client_id and not state.get("history_loaded"):
            belief = self._with_history(belief, ledger)
            update["history_loaded"] = True
        shown, focus = self._on_screen(catalog.name, belief)
        reaction = state.get("reaction")
        # A card's "not for me" arrives as "Not for me: <title>, <reason>": only the reason is the
        # person's words; the title would read as a request for that item's category.
        reading = self._read(reaction.reason if reaction is not None else text, shown, focus, catalog, ledger,
                             turn, belief)
        if reading.act == "reset" and reaction is None:
            return {**update, "belief": start_over(belief), "act": "reset", "reading": reading, "usage": ledger.usage}
        if reaction is not None:
            belief, reading = apply_card_reaction(belief, reaction, turn), as_reaction(reading)
        asks = wants_items(reading) and not only_steers(reading, reaction is not None, bool(shown))
        motives = self._message_motives(text, turn, reading, catalog) if asks else None
        belief = apply_message(belief, reading, shown, text, turn, reacted=reaction is not None, motives=motives)
        return {**update, "reading": reading, "belief": belief, "conflicts": self._conflicts(belief),
                "act": choose_act(reading, bool(shown)), "usage": ledger.usage}

    def _with_history(self, belief: BeliefState, ledger: UsageLedger) -> BeliefState:
        """The client's history in the belief: the motives of their purchases and their client file."""
        belief = belief.model_copy(update={"motives": merge_motives(belief.motives,
                                                                    self._history_motives(belief.client_id, ledger))})
        return with_client_file(belief, self.deps.client(belief.client_id))

    def _on_screen(self, catalog: str, belief: BeliefState) -> tuple[list[Item], Item | None]:
        """The items shown last turn, in order, and the one in focus ('it'), shown or not."""
        shown = list(self.deps.store.get(catalog, belief.shown).values())
        shown.sort(key=lambda i: belief.shown.index(i.id))
        focus = next((i for i in shown if i.id == belief.focus), None)
        if focus is None and belief.focus:
            focus = self.deps.store.get(catalog, [belief.focus]).get(belief.focus)
        return shown, focus

    def _read(self, message: str, shown: list[Item], focus: Item | None, catalog, ledger: UsageLedger,
              turn: int, belief: BeliefState) -> Reading:
        """The offline reading, or with an LLM configured the LLM's (its motives included), validated
        field by field. A message the offline reader reads as starting over needs no LLM."""
        today = self.deps.today()
        offline = catalog.reader.read(message, shown, focus, today)
        if not self.deps.llm.enabled or offline.act == "reset":
            return offline
        history = "; ".join(m.text for m in belief.motives if m.source == "history")
        return self.deps.llm_reader(catalog).read(message, shown, focus, today, ledger, turn=turn,
                                                  history=history)

    def _history_motives(self, client_id: str, ledger: UsageLedger) -> list[Motive]:
        deps = self.deps
        client = deps.client(client_id)
        items = deps.store.get(client.catalog, [p.item_id for p in client.purchases])
        if deps.llm_motives is not None:
            found = deps.llm_motives.from_history(client, items, ledger)
            if found is not None:
                return found
        return deps.catalog(client.catalog).motives.from_history(client, items)

    @staticmethod
    def _message_motives(text: str, turn: int, reading: Reading, catalog) -> list[Motive]:
        """The motives the LLM read with the message, or the offline inferer's."""
        if reading.motives is not None:
            return reading.motives
        return catalog.motives.from_message(text, turn)

    def _conflicts(self, belief: BeliefState) -> list[Conflict]:
        history = [m for m in belief.motives if m.source == "history" and m.active]
        current = [m for m in belief.motives if m.source == "conversation"]
        return [Conflict(history=h, current=c)
                for h, c in find_conflicts(history, current, self.deps.embedder, belief.query)]

    # -- retrieve + align -----------------------------------------------------------------------

    def retrieve(self, state: State, runtime: Runtime[RunContext] | None = None) -> dict[str, Any]:
        """Candidates meeting the hard constraints; when none do, the nearest items that break the
        least (one constraint loosened, the one whose loosening brings the closest items), with what
        was loosened recorded so the reply says so and 'relax it' knows what to drop."""
        deps = self.deps
        run = context_of(runtime)
        belief = state["belief"]
        active = [m.text for m in belief.motives if m.active and m.source == "conversation"]
        soft = [p.partition(":")[2] or p for p in belief.preferences]
        query = " ".join([belief.query, *active, *soft]).strip() or "popular choices"
        vector = deps.embedder.embed([query])[0]
        met = belief.constraints
        catalog = state["catalog"]
        excluded = left_out(belief, _last_user_text(state), deps.store.get(catalog, belief.owned),
                            reorders=deps.catalog(catalog).domain == "b2b")
        gendered = other_gender_ids(deps.store, catalog, belief.recipient)
        excluded |= gendered
        pool = _Pool(deps.store, catalog, vector, excluded)
        if met.is_empty():
            found = deps.store.search(catalog, vector, run.retrieve_k, None, exclude_ids=excluded)
        else:
            found = pool.search(met.model_copy(update={"kinds": []}) if met.kinds else met, run.retrieve_k)
            if met.kinds and not found:
                # What the categories hold has run out (or was all turned down): then the items filed
                # elsewhere that call themselves what was asked for ('a jacket': the blazer described
                # as a 'straight-cut jacket'), before any near miss.
                found = pool.search(met, run.retrieve_k)
        relaxed: list[str] = []
        turned_down: list[Item] = []
        if not found and not met.is_empty():
            # Loosen the first constraint (in the order of Constraints.relaxations: what people mind
            # least first) that brings anything back; what this message just said is loosened last.
            reading = state.get("reading")
            said_now = {label for label, _ in (reading.constraints().relaxations() if reading is not None else [])}
            options = met.relaxations()
            options = [o for o in options if o[0] not in said_now] + [o for o in options if o[0] in said_now]
            # When what met everything was turned down ('not these' to the only metal-free boot),
            # the kind of item stays: loosening another constraint shows boots, not gloves.
            turned_down = [i for i in deps.store.get(catalog, [*belief.rejected_ids, *belief.set_aside]).values()
                           if met.complies(i)]
            if turned_down:
                keep_kind = ("all but category", Constraints(categories=met.categories, kinds=met.kinds,
                                                             brands_out=met.brands_out,
                                                             exclude_terms=met.exclude_terms, term_forms=met.term_forms))
                options = ([o for o in options if o[0] != "category"] + [keep_kind]
                           + [o for o in options if o[0] == "category"])
            # Then keep only what was ruled out; then, if that still leaves nothing (a word every
            # item uses), break one exclusion, saying so, rather than show none.
            options.append(("everything", Constraints(brands_out=met.brands_out, exclude_terms=met.exclude_terms,
                                                      term_forms=met.term_forms)))
            options += [(f"exclude:{term}", Constraints(brands_out=met.brands_out, term_forms=met.term_forms,
                                                        exclude_terms=[t for t in met.exclude_terms if t != term]))
                        for term in met.exclude_terms]
            for label, loose in options:
                hits = pool.search(loose, run.retrieve_k)
                if hits:
                    met, found = loose, hits
                    relaxed = ([n for n, _ in belief.constraints.relaxations()] if label == "everything" else
                               [n for n, _ in belief.constraints.relaxations() if n != "category"]
                               if label == "all but category" else [label])
                    if label.startswith("exclude:"):
                        relaxed = [n for n, _ in belief.constraints.relaxations()] + [label]
                    break
        narrowed: list[str] = []
        if found and len(found) < run.recommend_n and not relaxed and not met.is_empty():
            # Fewer matches than a reply shows ('a linen dress' when one dress is linen): the reply
            # says so, naming the constraint whose loosening brings more, which 'relax it' drops.
            for label, loose in met.relaxations():
                if pool.count(loose, len(found) + 1) > len(found):
                    narrowed = [label]
                    break
        update: dict[str, Any] = {"candidates": [Candidate(item=item, similarity=sim) for item, sim in found],
                                  "met": met, "relaxed": relaxed, "narrowed": narrowed}
        if narrowed:
            # What also met everything but was turned down or set aside: the note then says these
            # are the only others, not the only ones.
            passed = [i for i in deps.store.get(catalog, [*belief.rejected_ids, *belief.set_aside]).values()
                      if met.complies(i)]
            update["passed"] = [i.id for i in passed]
        if relaxed and turned_down:
            update["turned_down"] = sorted(i.title for i in turned_down)
            if belief.dead_ends:
                # Again nothing new meets everything: the one nearest item, not another three that
                # break what was asked; the reply says what to relax.
                update["candidates"] = update["candidates"][:1]
        dead_ends = belief.dead_ends + 1 if relaxed and turned_down else 0
        if gendered and recipient_of(_last_user_text(state), belief.facts):
            # Said once, when the message names whom: what would have come first but is, by its
            # own description, for the other gender ('cufflinks for my girlfriend').
            near = deps.store.search(catalog, vector, run.recommend_n, None if belief.constraints.is_empty()
                                     else belief.constraints, exclude_ids=excluded - gendered)
            update["gender_left"] = [i.title for i, _ in near if i.id in gendered]
        if relaxed or narrowed or belief.blocking or dead_ends != belief.dead_ends:
            update["belief"] = belief.model_copy(update={"blocking": relaxed or narrowed, "dead_ends": dead_ends})
        return update

    def rank(self, belief: BeliefState, candidates: list[Candidate], catalog: str,
             critiques=(), shown_n: int = DEFAULT_CONTEXT.recommend_n,
             ) -> tuple[list[Recommendation], list, list[tuple[str, str, str]]]:
        """Candidates scored against the motives (MAR), then moved by this turn's directional
        critiques ('more formal') relative to the first item shown last turn; with the critiques
        nothing could go beyond, as (kind, quality, the reference item's title)."""
        deps = self.deps
        items = [c.item for c in candidates]
        liked = list(deps.store.get(catalog, sorted(belief.liked_ids)).values())
        vectors = deps.trait_vectors(items)
        scored = deps.aligner.score(
            [AlignCandidate(c.item, c.similarity) for c in candidates], belief.motives,
            vectors, liked=liked, dislikes=belief.dislikes, preferences=belief.preferences,
        )
        directional = [c for c in critiques if c.kind in ("more_like", "less_like") and c.attribute]
        limits: list[tuple[str, str, str]] = []
        said_now = {c.attribute.lower() for c in directional}
        earlier = [s for s in belief.steers if s.attribute.lower() not in said_now]
        reference = deps.store.get(catalog, belief.shown[:1]).get(belief.shown[0]) if belief.shown else None
        if (earlier or (directional and reference is not None)) and scored:
            # How much of a quality an item has is read from its whole text ('made for black-tie
            # galas' is formal), which separates items better than the best of its few traits.
            texts = deps.embedder.embed([s.item.text() for s in scored])
            vectors = {s.item.id: (texts[k][None, :], []) for k, s in enumerate(scored)}
        if earlier and scored:
            qualities = deps.embedder.embed([quality_text(s.attribute) for s in earlier])
            scored = apply_steers(scored, vectors, [(q, s.direction) for q, s in zip(qualities, earlier)])
        if directional and reference is not None and scored:
            ref_vectors = deps.embedder.embed([reference.text()])
            shown = set(belief.shown)
            scored = [s for s in scored if s.item.id not in shown] or scored
            for critique in directional:
                quality = deps.embedder.embed([quality_text(critique.attribute)])[0]
                direction = 1 if critique.kind == "more_like" else -1
                # Only a quality the vocabulary knows is measured well enough to say nothing goes further.
                known = quality_text(critique.attribute) != critique.attribute.strip()
                if known and not count_beyond(scored, vectors, quality, quality_level(ref_vectors, quality), direction):
                    limits.append((critique.kind, critique.attribute, reference.title))
                scored = apply_critique(scored, vectors, quality, quality_level(ref_vectors, quality),
                                        direction, shown_n)
        # The why of the first cards; an item that matched no motive is explained by its own traits.
        shown_traits = deps.traits_for([s.item for s in scored[:shown_n * 2] if not s.matches])
        return [to_recommendation(s, belief.motives, shown_traits.get(s.item.id)) for s in scored], scored, limits

    def align(self, state: State, runtime: Runtime[RunContext] | None = None) -> dict[str, Any]:
        belief = state["belief"].model_copy(deep=True)
        reading = state.get("reading")
        ranked, scored, limits = self.rank(belief, state.get("candidates", []), state["catalog"],
                                           reading.critiques if reading else [], context_of(runtime).recommend_n)
        if reading is not None and reading.liked:
            ranked = liked_first(ranked, reading.liked, belief.shown)
        focus = bool(reading and (not reading.constraints().is_empty() or reading.critiques or reading.brand_refs_out
                                  or reading.rejected or reading.liked or reading.prefer)) or bool(belief.shown) \
            or bool(state.get("relaxed"))
        if should_ask(belief, scored, focus):
            traits = self.deps.traits_for([s.item for s in scored[:20]])
            question = choose_question(belief, scored, traits)
            if question is not None:
                belief.asked.append(question.attribute)
                # The current request wins over contradicted history even when no draft follows.
                belief.motives = resolve_conflicts(
                    belief.motives, [(c.history, c.current) for c in state.get("conflicts", [])])
                return {"ranked": ranked, "act": "ask", "question": question, "belief": belief}
        return {"ranked": ranked, "act": "recommend", "limits": [critique_limit_note(*x) for x in limits]}

    # -- drafting -------------------------------------------------------------------------------

    def draft(self, state: State, runtime: Runtime[RunContext] | None = None) -> dict[str, Any]:
        n = context_of(runtime).recommend_n
        ledger = _ledger(state)
        ranked = state.get("ranked", [])
        belief = state["belief"]
        # A draft written while a history motive the request contradicts is still active fails
        # reflection whatever it says, and its redraft is the offline one: no call can change it.
        doomed = bool(check_context(belief, [(c.history, c.current) for c in state.get("conflicts", [])]))
        if self.deps.settings.llm_draft == "off":
            pass
        elif self.deps.llm.enabled and ranked and not state.get("relaxed") and doomed:
            log.info("no LLM draft: a contradicted history motive is active, so reflection redrafts offline")
        elif self.deps.llm.enabled and ranked and not state.get("relaxed") and self.deps.settings.llm_draft == "picks":
            shown = ranked[:LLM_CANDIDATES]
            picks = self.deps.llm.structured(
                "respond",
                render("respond_picks", request=_last_user_text(state), motives=_motive_lines(belief),
                       constraints=_constraint_text(belief.constraints), candidates=_candidate_lines(shown),
                       count=n),
                picks_schema([r.item_id for r in shown], n), ledger)
            if picks is not None:
                # The opening is the offline reply's for the items picked ('here are two ...').
                by_id = {r.item_id: r for r in shown}
                chosen = [by_id[i] for i in dict.fromkeys(p.item_id for p in picks.picks) if i in by_id]
                offline = self._offline_draft(chosen[:n] or ranked, belief, [],
                                              state.get("narrowed", []), state)
                text, ids = picks_text(picks, shown, opening_lines(offline.text), n)
                return {"draft": Draft(text=text, item_ids=ids, source="llm"), "usage": ledger.usage}
        elif self.deps.llm.enabled and ranked and not state.get("relaxed"):
            reply = self.deps.llm.structured(
                "respond",
                render("respond", request=_last_user_text(state), motives=_motive_lines(belief),
                       constraints=_constraint_text(belief.constraints), candidates=_candidate_lines(ranked[:LLM_CANDIDATES]),
                       count=n),
                draft_schema([r.item_id for r in ranked[:LLM_CANDIDATES]], n), ledger)
            if reply is not None:
                draft = Draft(text=presentable(reply.text), item_ids=list(dict.fromkeys(reply.item_ids))[:n],
                              source="llm")
                return {"draft": draft, "usage": ledger.usage}
        return {"draft": self._offline_draft(ranked, belief, state.get("relaxed", []), state.get("narrowed", []),
                                             state, n),
                "usage": ledger.usage}

    def _offline_draft(self, ranked: list[Recommendation], belief: BeliefState, relaxed: list[str] = (),
                       narrowed: list[str] = (), state: State | None = None,
                       n: int = DEFAULT_CONTEXT.recommend_n) -> Draft:
        recs = ranked[:n]
        if not recs:
            return Draft(text=no_results_text(belief), item_ids=[], source="offline")
        state = state or {}
        currency = recs[0].currency
        notes = ([relaxed_note(relaxed, belief.constraints, currency, state.get("turned_down") or [], len(recs))] if relaxed
                 else list(state.get("limits") or []))
        aside = [gender_note(state["gender_left"], belief.recipient)] if state.get("gender_left") else []
        if belief.taken:
            aside.insert(0, taken_note(belief.taken))
        passed = state.get("passed") or []
        after = [narrowed_note(len(recs), narrowed, belief.constraints, currency, len(passed),
                               turned_down=bool(set(passed) & belief.rejected_ids))] if narrowed else []
        catalog = self.deps.catalog(state.get("catalog") or self.deps.default_catalog())
        items = self.deps.store.get(catalog.name, [r.item_id for r in recs])
        c = belief.constraints
        if c.kinds and not relaxed:
            # Shown for the kind asked for because it calls itself that, though filed elsewhere.
            wanted = {x.lower() for x in c.categories}
            elsewhere = [(i.title, i.category, i.own_noun) for i in (items.get(r.item_id) for r in recs)
                         if i is not None and i.category.lower() not in wanted and i.own_noun in c.kinds]
            if elsewhere:
                aside.append(filed_note(elsewhere))
        reply = compose_reply(recs, items, self.deps.traits_for(list(items.values())), belief,
                              state.get("reading"), catalog.domain, notes, after, state.get("turn", 0), aside,
                              dead_end=bool(relaxed))
        return Draft(text=reply, item_ids=[r.item_id for r in recs], source="offline")

    def ask(self, state: State) -> dict[str, Any]:
        question = state["question"]
        return {"draft": Draft(text=question.text, source="offline")}

    def acknowledge(self, state: State) -> dict[str, Any]:
        """Greetings, thanks, small talk and messages in a language the reader does not read."""
        catalog = self.deps.catalog(state["catalog"])
        reading = state.get("reading") or Reading(act="greeting")
        if reading.decided:  # 'we'll take it': the choice confirmed from the catalog
            found = self.deps.store.get(state["catalog"], reading.liked)
            chosen = [found[i] for i in reading.liked if i in found]
            quantity = reading.quantity.value if reading.quantity is not None else None
            unit = reading.quantity.unit if reading.quantity is not None else "unit"
            return {"draft": Draft(text=confirmation(chosen, quantity, catalog.ids, unit),
                                   item_ids=[i.id for i in chosen], source="offline")}
        text = acknowledgement(reading, _last_user_text(state),
                               catalog.name, catalog.size, catalog.lexicon.categories, bool(state["belief"].shown))
        return {"draft": Draft(text=text, source="offline")}

    def answer(self, state: State) -> dict[str, Any]:
        deps = self.deps
        reading: Reading = state["reading"]
        ledger = _ledger(state)
        asked = [] if compares_shown(reading) else self._items(state, reading.question.item_ids)
        if asked and deps.llm.enabled:
            text = self._llm_answer(state, reading.question, asked, ledger)
            if text is not None:
                return {"draft": Draft(text=text, item_ids=[i.id for i in asked], source="llm"),
                        "usage": ledger.usage}
        return {"draft": self._offline_answer(reading, asked, state), "usage": ledger.usage}

    def _items(self, state: State, ids: list[str]) -> list[Item]:
        """The catalog's items of ``ids``, in that order (ids it does not have left out)."""
        found = self.deps.store.get(state["catalog"], ids)
        return [found[i] for i in ids if i in found]

    def _offline_answer(self, reading: Reading, asked: list[Item], state: State) -> Draft:
        """The answer from the catalog's own words (``agent.answers.offline_answer``): the first
        draft without an LLM, and the redraft after an LLM answer failed reflection."""
        shown = self._items(state, state["belief"].shown) if compares_shown(reading) or not asked else []
        text, named = offline_answer(reading, asked, shown, self.deps.catalog(state["catalog"]).ids)
        return Draft(text=text, item_ids=named, source="offline")

    def _llm_answer(self, state: State, question, items, ledger: UsageLedger) -> str | None:
        """The answer from the items' catalog facts, which the prompt carries (the reading already
        resolved which items the question is about); the catalog tools stay bound for a model that
        wants more, and one written as text is run or dropped, never shown (``LLM.with_tools``)."""
        messages = self.deps.llm.messages(render(
            "answer", question=_last_user_text(state),
            facts=_item_facts(items, self.deps.catalog(state["catalog"]).ids, question)))
        if self.deps.settings.llm_answer_tools:
            text = self.deps.llm.with_tools("answer", messages, make_tools(self.deps, state["catalog"]), ledger)
        else:
            text = self.deps.llm.text("answer", messages, ledger)
        return presentable(text) if text is not None else None

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
            constraints=state.get("met"),
        )
        if draft.source == "llm":
            issues.extend(self._presentation(draft, act, lookup, state))
            issues.extend(self._verdict(draft, act, lookup, state))
        if not issues and deps.llm.enabled and draft.source == "llm" and deps.settings.llm_verify:
            verdict = deps.llm.structured(
                "verify", render("verify", reply=draft.text, facts=_facts(lookup.values())),
                verdict_schema(), ledger)
            # A verifier that lists problems has rejected the reply, whatever its 'ok' says.
            report.llm_verified = None if verdict is None else verdict.ok and not verdict.problems
            if verdict is not None and not report.llm_verified:
                issues = [ReflectionIssue(check="llm_verifier", detail=p) for p in verdict.problems[:3]
                          ] or [ReflectionIssue(check="llm_verifier", detail="the verifier rejected the reply")]
        if issues and draft.source == "llm":
            step = ("answer" if act != "recommend" else "respond") if report.attempts == 0 else "revise"
            ledger.fallback(step, "the draft failed reflection: "
                            + "; ".join(i.detail for i in issues[:3])[:300])
        report.attempts += 1
        report.issues.extend(issues)
        report.passed = not issues
        return {"reflection": report, "last_issues": issues, "usage": ledger.usage}

    def _presentation(self, draft: Draft, act: str, lookup: dict[str, Item], state: State) -> list[ReflectionIssue]:
        """What is wrong with an LLM draft as text for the person (see ``check_presentation``)."""
        from agent.reading.language import detect

        runtime = self.deps.catalog(state["catalog"])
        reading = state.get("reading")
        chosen = [lookup[i] for i in draft.item_ids if i in lookup]
        others = [c.item for c in state.get("candidates", [])] if act == "recommend" else []
        return check_presentation(
            draft.text, act, chosen, others,
            prompts=("respond", "respond_picks", "revise") if act == "recommend" else ("answer",),
            language=reading.language if reading is not None else None,
            detect_language=lambda text: detect(text, runtime.lexicon, runtime.reader.known_words))

    def _verdict(self, draft: Draft, act: str, lookup: dict[str, Item], state: State) -> list[ReflectionIssue]:
        """An LLM answer to a yes/no question must say what the catalog says (``check_verdict``)."""
        from agent.answers import verdicts

        reading = state.get("reading")
        question = reading.question if reading is not None else None
        if act != "answer" or question is None or not question.value:
            return []
        items = [lookup[i] for i in question.item_ids if i in lookup]
        return check_verdict(draft.text, verdicts(items, question, self.deps.catalog(state["catalog"]).ids),
                             reading.language)

    def revise(self, state: State, runtime: Runtime[RunContext] | None = None) -> dict[str, Any]:
        """Fix what reflection found: resolve context conflicts and re-rank, drop offending items,
        then redraft (the LLM once, with the problems listed; after that the offline text)."""
        n = context_of(runtime).recommend_n
        report = state["reflection"].model_copy(deep=True)
        last = state.get("last_issues", [])
        belief = state["belief"].model_copy(deep=True)
        ranked = list(state.get("ranked", []))
        notes = []
        update: dict[str, Any] = {}
        if any(i.check == "context_conflict" for i in last):
            conflicts = [(c.history, c.current) for c in state.get("conflicts", [])]
            belief.motives = resolve_conflicts(belief.motives, conflicts)
            ranked, _, _ = self.rank(belief, state.get("candidates", []), state["catalog"], shown_n=n)
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
            if self.deps.llm.enabled and self.deps.settings.llm_revise and report.attempts == 1 and not any(
                    i.check == "context_conflict" for i in last):
                reply = self.deps.llm.structured(
                    "revise",
                    render("revise", previous=state["draft"].text,
                           problems="\n".join(f"- {i.detail}" for i in last),
                           candidates=_candidate_lines(ranked[:LLM_CANDIDATES]), count=n),
                    draft_schema([r.item_id for r in ranked[:LLM_CANDIDATES]], n), ledger)
                if reply is not None:
                    draft = Draft(text=presentable(reply.text),
                                  item_ids=list(dict.fromkeys(reply.item_ids))[:n], source="llm")
            if draft is None:
                draft = self._offline_draft(ranked, belief, state.get("relaxed", []), state.get("narrowed", []),
                                            state, n)
        else:  # an answer: fall back to the catalog's own words
            reading = state["reading"]
            asked = [] if compares_shown(reading) else self._items(state, reading.question.item_ids)
            draft = self._offline_answer(reading, asked, state)
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
            belief.focus = None  # 'it' now means the first of the new items
        domain = self.deps.catalog(state["catalog"]).domain if state.get("catalog") else "any"
        belief.said = remember_said(belief, draft.text, domain)
        belief.last_act = act
        _, hint = split_hint(draft.text)
        turn = state.get("turn", 0)
        reading = state.get("reading")
        output = TurnOutput(
            turn=turn, user=_last_user_text(state), reply=draft.text, act=act, recommendations=recs,
            reading=reading.model_dump(mode="json", exclude_defaults=True) if reading is not None else None,
            relaxed=list(state.get("relaxed") or []) if act == "recommend" and recs else [],
            belief=belief, reflection=state.get("reflection"), llm=state.get("usage") or LLMUsage(),
            mode=self.deps.llm.name if self.deps.llm.enabled else "offline", hint=hint,
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
        f"{r.availability} | why: {_clip(r.explanation, 120)}"
        for r in ranked
    )


ANSWER_DESCRIPTION_CHARS = 600
"""How much of an item's description the answer prompt carries."""
FOCUSED_DESCRIPTION_CHARS = 240
"""... when the question names fields every item records (the answer is in those)."""
_ALWAYS_SHOWN = {"price", "availability", "brand", "category", "title"}


def _asked_keys(items: list[Item], question) -> set[str] | None:
    """The attribute keys holding what ``question`` asks, if every asked field is one each item
    records (or one always shown: price, availability, brand, category); ``None`` when the
    question is open ('tell me more') or a field is not recorded, so every fact is shown."""
    from agent.answers import _attribute_key

    if question is None:
        return None
    fields = [f for f in dict.fromkeys([question.field, *question.other_fields]) if f]
    if not fields or "description" in fields:
        return None
    keys: set[str] = set()
    for field in fields:
        if field in _ALWAYS_SHOWN:
            if field == "price":
                keys.add("tiered_prices")
            continue
        for item in items:
            key = _attribute_key(item, field)
            if key is None:
                return None
            keys.add(key)
    if question.quantity is not None:
        keys.add("tiered_prices")
    return keys


def _item_facts(items: list[Item], ids, question=None) -> str:
    """The catalog fields of ``items``, one block each, as the answer step's prompt shows them
    (ids of other items written in a description are masked, as in offline answers): every field,
    or when the question asks about fields each item records, those, the price and availability,
    and the description's start (a small model reads a prompt at about 45 tokens a second here,
    so the other fields cost seconds and answer nothing)."""
    from agent.dialogue import AVAILABILITY_WORDS, catalog_text, money

    asked = _asked_keys(items, question)
    blocks = []
    for i in items:
        lines = [f"- {i.title} (id {i.id})", f"  price: {money(i.price, i.currency)}",
                 f"  availability: {AVAILABILITY_WORDS.get(i.availability, i.availability)}"]
        if i.brand:
            lines.append(f"  brand: {i.brand}")
        if i.category:
            lines.append(f"  category: {i.category}")
        for key, value in i.attributes.items():
            if asked is not None and key not in asked:
                continue
            if key == "tiered_prices" and isinstance(value, list):
                value = "; ".join(f"from {t.get('min_qty')} units {money(float(t.get('unit_price', 0)), i.currency)}"
                                  for t in value if isinstance(t, dict))
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            if value not in (None, ""):
                lines.append(f"  {key.replace('_', ' ')}: {catalog_text(str(value), i, ids)}")
        if i.description:
            # A yes/no question ('latex free?') may be answered only by the description's words.
            limit = ANSWER_DESCRIPTION_CHARS if asked is None or question.value else FOCUSED_DESCRIPTION_CHARS
            lines.append(f"  description: {catalog_text(_clip(i.description, limit), i, ids)}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "..."


def _facts(items) -> str:
    return "\n".join(
        f"- {i.id}: {i.title}; brand {i.brand}; price {i.price:g} {i.currency}; {i.availability}" for i in items
    ) or "- (no items named)"
