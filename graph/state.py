"""The dialogue state the graph carries from turn to turn (and the checkpointer persists)."""

from __future__ import annotations

from typing import Annotated, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from pydantic import BaseModel

from agent.dialogue import Question
from agent.models import BeliefState, Item, LLMUsage, Motive, Reaction, Recommendation, ReflectionIssue, ReflectionReport, TurnOutput
from agent.models import Constraints
from agent.reading.models import Reading
from agent.reflection import Draft


class Candidate(BaseModel):
    """A retrieved item and its cosine similarity to the request."""

    item: Item
    similarity: float


class Conflict(BaseModel):
    """A history motive that the current request contradicts ("context competition")."""

    history: Motive
    current: Motive


class InputState(TypedDict, total=False):
    """What a caller sends each turn: the new user message (and, on the first turn, the setup)."""

    messages: Annotated[list[AnyMessage], add_messages]
    catalog: str
    """Catalog the conversation is about; fixed for the thread once set."""
    client_id: str | None
    """Client whose history (purchases, notes) seeds the motives; optional."""
    reaction: Reaction | None
    """A structured reaction sent with this turn's message (a card's like / not for me button)."""
    owner: str | None
    """The signed-in user who started the conversation (the page's login); None without a login.
    Fixed for the thread once set."""


class State(InputState, total=False):
    belief: BeliefState
    """Motives, constraints, reactions: what the agent believes about the person."""
    turn: int
    """Completed turns so far; the turn in progress has this number (0-based)."""
    history_loaded: bool
    """True once the client's history motives are in the belief."""
    reading: Reading | None
    """This turn's reading of the user message (what it asks, rules in and out, and points at)."""
    act: str
    """Dialogue act chosen for this turn: recommend, ask, answer, reset or acknowledge."""
    conflicts: list[Conflict]
    candidates: list[Candidate]
    """This turn's retrieved candidates, all meeting ``met``."""
    met: Constraints | None
    """The constraints this turn's candidates meet: the belief's, or fewer when nothing met them all."""
    relaxed: list[str]
    """What was loosened to find anything (labels of ``Constraints.relaxations``); empty normally."""
    narrowed: list[str]
    """When fewer items than a reply shows meet everything: the constraint whose loosening brings
    more (one label of ``Constraints.relaxations``); empty normally."""
    passed: list[str]
    """With ``narrowed``: ids of the items that also met everything but were turned down or set
    aside (the note says the shown ones are the only others); empty normally."""
    turned_down: list[str]
    """When nothing meets everything because what did was turned down: those items' titles (the
    dead end says so and keeps the kind of item); empty normally."""
    gender_left: list[str]
    """Titles of items that would have come first but whose own text says they are for the other
    gender than whom this message shops for (the reply says they were left out); empty normally."""
    limits: list[str]
    """Notes for directional critiques nothing could go beyond ('Nothing within what you asked is
    more formal than ...'); empty normally."""
    ranked: list[Recommendation]
    """Candidates after alignment, best first."""
    question: Question | None
    draft: Draft | None
    reflection: ReflectionReport | None
    last_issues: list[ReflectionIssue]
    """Problems found by the latest reflection attempt (what ``revise`` must fix)."""
    usage: LLMUsage
    """LLM calls, tokens and fallbacks of the turn in progress."""
    output: TurnOutput | None
    """The completed turn, as ``motive ask --json`` prints it."""


def checkpoint_types() -> list[type]:
    """Every type the checkpointer may rebuild from storage (LangGraph refuses unlisted ones)."""
    from agent import models
    from agent.reading import models as reading

    return [
        Candidate, Conflict, Question, Draft,
        reading.Reading, reading.Said, reading.PriceLimit, reading.Quantity, reading.Limit, reading.Term,
        reading.Category, reading.Brand, reading.Size, reading.NumericLimit, reading.Reference, reading.Critique,
        reading.Lift, reading.Question, reading.Comparison,
        models.Item, models.Traits, models.Evidence, models.Motive, models.Constraints, models.Reaction,
        models.BeliefState, models.TraitMatch, models.Recommendation, models.ReflectionIssue,
        models.ReflectionReport, models.Fallback, models.LLMUsage, models.TurnOutput, models.PriceTierBreak,
    ]
