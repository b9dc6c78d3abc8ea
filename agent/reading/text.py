"""The message as the passes read it: normalised, lower case, numbers as digits, typos mended, and
mapped back to the characters the person typed, so every value can quote its own words.

Each pass reads :attr:`Text.s` and *consumes* what it interpreted (blanks it out), so a later pass
never reads the same words again: "no more than 200" is a budget, and can no longer exclude the
word "more"; "not that one" is a reference, and can no longer exclude "one".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

from agent.models import fold

GAP = "\x00"
"""What consumed characters become; no pattern's word or space classes match it."""

_PUNCT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                        "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u00b4": "'",
                        "\u2026": ".", "\u00d7": "x"})


@dataclass(frozen=True)
class Edit:
    """Replace ``s[start:end]`` with ``text``."""

    start: int
    end: int
    text: str


@dataclass
class Text:
    """The working copy of one message."""

    original: str
    s: str = ""
    starts: list[int] = field(default_factory=list)
    """For each character of ``s``, where its source starts in ``original``."""
    ends: list[int] = field(default_factory=list)
    """For each character of ``s``, where its source ends in ``original`` (exclusive)."""
    clean: str = ""
    """``s`` before anything was consumed (what the message says, normalised)."""

    @classmethod
    def of(cls, message: str) -> "Text":
        # One character in, one character out, so offsets stay aligned ('İ'.lower() is two).
        chars = [c.translate(_PUNCT) for c in message]
        chars = [c.lower() if len(c) == 1 and len(c.lower()) == 1 else (c if len(c) == 1 else " ") for c in chars]
        s = fold("".join(chars))  # 'the carre' is 'the carré': accents are not what a shopper types
        return cls(original=message, s=s, starts=list(range(len(s))), ends=[i + 1 for i in range(len(s))], clean=s)

    # -- rewriting (before any pass runs) ---------------------------------------------------------

    def rewrite(self, edits: Iterable[Edit]) -> None:
        """Apply non-overlapping edits; each new character maps to the whole span it replaced."""
        edits = sorted(edits, key=lambda e: e.start)
        if not edits:
            return  # (the reader asks for several rewrites of every message; most find nothing to do)
        s, starts, ends = [], [], []
        pos = 0
        for e in edits:
            if e.start < pos:
                continue
            s.append(self.s[pos:e.start])
            starts += self.starts[pos:e.start]
            ends += self.ends[pos:e.start]
            if e.end > e.start:
                src_start, src_end = self.starts[e.start], self.ends[e.end - 1]
            else:  # an insertion maps to the character it follows
                src_start = src_end = self.ends[e.start - 1] if e.start else 0
            s.append(e.text)
            starts += [src_start] * len(e.text)
            ends += [src_end] * len(e.text)
            pos = e.end
        s.append(self.s[pos:])
        starts += self.starts[pos:]
        ends += self.ends[pos:]
        self.s, self.starts, self.ends = "".join(s), starts, ends
        self.clean = self.s

    def sub(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]) -> None:
        """Rewrite every match of ``pattern`` with ``replace(match)`` (None leaves it as it is)."""
        edits = []
        for m in pattern.finditer(self.s):
            new = replace(m)
            if new is not None and new != m.group(0):
                edits.append(Edit(m.start(), m.end(), new))
        if edits:
            self.rewrite(edits)

    def align(self, converted: str) -> None:
        """Take ``converted`` (``s`` rewritten by a library, word for word except where it changed
        something) as the new ``s``, mapping each changed run of words to the words it replaced."""
        old = [(m.start(), m.end()) for m in re.finditer(r"\S+", self.s)]
        new = [(m.start(), m.end()) for m in re.finditer(r"\S+", converted)]
        matcher = difflib.SequenceMatcher(None, [self.s[a:b] for a, b in old],
                                          [converted[a:b] for a, b in new], autojunk=False)
        edits = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            start = old[i1][0] if i1 < len(old) else len(self.s)
            end = old[i2 - 1][1] if i2 > i1 else start
            text = converted[new[j1][0]:new[j2 - 1][1]] if j2 > j1 else ""
            if i2 == i1 and text:
                text = " " + text
            edits.append(Edit(start, end, text))
        self.rewrite(edits)

    # -- reading ----------------------------------------------------------------------------------

    def quote(self, start: int, end: int) -> str:
        """The person's own words for ``s[start:end]``."""
        if start >= end or start >= len(self.starts):
            return ""
        end = min(end, len(self.ends))
        lo = self.starts[start]
        hi = max(self.ends[start:end])
        return self.original[lo:hi].strip(" ,.;:!?")

    def consume(self, start: int, end: int) -> None:
        if end > start:
            self.s = self.s[:start] + GAP * (end - start) + self.s[end:]

    def find(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        return list(pattern.finditer(self.s))

    def take(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Every match of ``pattern``, consumed."""
        matches = self.find(pattern)
        for m in matches:
            self.consume(m.start(), m.end())
        return matches

    def consumed(self, start: int, end: int) -> bool:
        return GAP in self.s[start:end]

    def clauses(self) -> list[tuple[int, int]]:
        """Spans of the clauses: split at sentence punctuation, semicolons and 'but / however'."""
        spans: list[tuple[int, int]] = []
        start = 0
        for m in re.finditer(r"[.!?;\n]+(?:\s|$)|\s[—–]\s|,?\s+\b(?:but|however|whereas|although|though)\b", self.clean):
            if m.start() > start:
                spans.append((start, m.start()))
            start = m.end()
        if start < len(self.clean):
            spans.append((start, len(self.clean)))
        return spans or [(0, len(self.clean))]

    def clause_of(self, pos: int) -> tuple[int, int]:
        spans = self.clauses()
        for s, e in spans:
            if s <= pos < e:
                return s, e
        return spans[-1]


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first: spaces match any run of spaces and an
    apostrophe may be left out ("you've" also matches "youve")."""
    return _alternation(tuple(words))


@lru_cache(maxsize=4096)
def _alternation(words: tuple[str, ...]) -> str:
    # The passes build one from the same language and catalog word lists every message (the
    # number pass alone four, one of hundreds of units): kept per list, not rebuilt.
    phrases = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "'?") for p in phrases)
