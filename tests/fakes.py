"""Scripted chat models for the LLM path, in the manner of LangGraph's own tests.

``ScriptedChatModel(script=[...])`` answers each call (plain, structured or tool-calling) with the
next entry of its script, in order:

- a pydantic model or dict: a structured-output answer (or, for a plain call, its JSON as text); a
  model of another class than the schema asked for is parsed from its JSON, as an endpoint would
  (so ``MotiveList(...)`` answers the reading step's ``motives`` field);
- a ``str``: a plain text answer; for a structured call it is parsed as JSON, so a malformed string
  exercises the "unparsable output" path;
- an ``AIMessage``: returned as is (tool calls, ``finish_reason='length'`` for truncation, ...);
- an ``Exception`` instance: raised, as a failing endpoint would;
- a callable: called with the messages the model was sent; its result is used as above (so a
  script can answer from what the agent actually put in the prompt, e.g. real candidate ids).

Every call is recorded in ``history`` as ``(kind, messages)``. An exhausted script raises, so a test
that makes more LLM calls than it scripted fails loudly instead of passing silently.

``reads=[...]`` (opt-in) answers the message-reading step (a structured call for the
``LLMReading`` schema of ``agent.reading.llm``) from its own list, in order, and with ``{}`` (the
model states nothing, so the offline reading stands) once that list is empty; such calls are
recorded as ``("read", messages)`` and take nothing from ``script``. Without it (``reads=None``)
reading calls take their answer from ``script`` like any other.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterator, Sequence

import numpy as np

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import RunnableLambda
from pydantic import BaseModel, Field, ValidationError


class ScriptExhausted(AssertionError):
    pass


def truncated(text: str = '{"motives": [') -> AIMessage:
    """An answer cut off by the token limit."""
    return AIMessage(content=text, response_metadata={"finish_reason": "length"})


class ScriptedChatModel(GenericFakeChatModel):
    script: list[Any] = Field(default_factory=list)
    history: list[tuple[str, list[BaseMessage]]] = Field(default_factory=list)
    messages: Iterator[Any] = Field(default_factory=lambda: iter(()))
    model_name: str = "scripted-fake"
    reads: list[Any] | None = None
    call_kwargs: list[dict[str, Any]] = Field(default_factory=list)
    """The per-call keyword arguments (``max_tokens``, ``timeout``) of each structured call."""

    def _next(self, kind: str, messages: Any) -> Any:
        msgs = messages if isinstance(messages, list) else getattr(messages, "to_messages", lambda: [messages])()
        self.history.append((kind, list(msgs)))
        if not self.script:
            raise ScriptExhausted(f"the scripted model got an unscripted {kind} call: {msgs[-1].content[:200]!r}")
        entry = self.script.pop(0)
        if callable(entry) and not isinstance(entry, (BaseModel, type)):
            entry = entry(list(msgs))
        if isinstance(entry, BaseException):
            raise entry
        return entry

    @staticmethod
    def _as_message(entry: Any) -> AIMessage:
        if isinstance(entry, AIMessage):
            return entry
        if isinstance(entry, BaseModel):
            text = entry.model_dump_json()
        elif isinstance(entry, (dict, list)):
            text = json.dumps(entry)
        else:
            text = str(entry)
        return AIMessage(content=text, usage_metadata={"input_tokens": 50, "output_tokens": 20,
                                                        "total_tokens": 70})

    def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> AIMessage:  # noqa: A002
        return self._as_message(self._next("text", input))

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedChatModel":
        return self

    def _next_read(self, messages: Any) -> Any:
        msgs = messages if isinstance(messages, list) else getattr(messages, "to_messages", lambda: [messages])()
        self.history.append(("read", list(msgs)))
        entry = self.reads.pop(0) if self.reads else {}
        if callable(entry) and not isinstance(entry, (BaseModel, type)):
            entry = entry(list(msgs))
        if isinstance(entry, BaseException):
            raise entry
        return entry

    def with_structured_output(self, schema: Any, *, include_raw: bool = False, **kwargs: Any):
        # ``schema`` is a pydantic class, or (as ``agent.llm`` sends it) an OpenAI json_schema
        # dict, answered as ChatOpenAI does: the parsed JSON as a dict, validated by the caller.
        name = schema.get("name", "") if isinstance(schema, dict) else getattr(schema, "__name__", "")
        reading = self.reads is not None and name == "LLMReading"
        self.call_kwargs.append(dict(kwargs))

        def answer(messages: Any) -> Any:
            entry = self._next_read(messages) if reading else self._next("structured", messages)
            raw = self._as_message(entry)
            parsed, error = None, None
            if isinstance(schema, dict):
                if isinstance(entry, AIMessage) and raw.response_metadata.get("finish_reason") == "length":
                    parsed = None
                elif isinstance(entry, BaseModel):
                    parsed = entry.model_dump(mode="json")
                else:
                    try:
                        parsed = entry if isinstance(entry, (dict, list)) else json.loads(raw.content)
                    except ValueError as exc:
                        error = exc
            elif isinstance(entry, BaseModel) and (not isinstance(schema, type) or isinstance(entry, schema)):
                parsed = entry
            elif isinstance(entry, BaseModel):  # another model's answer, as its JSON would parse
                try:
                    parsed = schema.model_validate(entry.model_dump())
                except ValidationError as exc:
                    error = exc
            elif isinstance(entry, AIMessage) and raw.response_metadata.get("finish_reason") == "length":
                parsed = None
            else:
                try:
                    data = entry if isinstance(entry, (dict, list)) else json.loads(raw.content)
                    parsed = schema.model_validate(data)
                except (ValueError, ValidationError) as exc:
                    error = exc
            if include_raw:
                return {"raw": raw, "parsed": parsed, "parsing_error": error}
            if error is not None:
                raise error
            return parsed

        return RunnableLambda(answer)

    def structured_calls(self) -> int:
        return sum(1 for kind, _ in self.history if kind == "structured")


class HashEmbedder:
    """Deterministic unit vectors from a hash of the text (fast, no model); records what it is
    asked to embed, so a test can check nothing is embedded twice."""

    name = "test-hash-embedder"

    def __init__(self, dim: int = 32) -> None:
        self.dim = dim
        self.calls = 0
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts.extend(texts)
        rows = [np.random.default_rng(int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little"))
                .standard_normal(self.dim) for t in texts]
        out = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True).clip(1e-9)
