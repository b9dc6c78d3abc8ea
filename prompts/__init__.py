"""Prompt templates, one file each, with ``{named}`` placeholders.

``render(name, **values)`` fails loudly on a missing or unexpected placeholder, so a prompt and the
code that fills it can never drift apart silently. Literal braces in a template are doubled: ``{{``.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

PROMPT_DIR = Path(__file__).parent


class PromptError(KeyError):
    """A template is missing, or was rendered with missing or unknown placeholders."""


@lru_cache(maxsize=None)
def load(name: str) -> str:
    path = PROMPT_DIR / f"{name}.txt"
    if not path.exists():
        known = sorted(p.stem for p in PROMPT_DIR.glob("*.txt"))
        raise PromptError(f"no prompt named {name!r} in {PROMPT_DIR}; known: {known}")
    return path.read_text(encoding="utf-8")


def placeholders(name: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(load(name)) if field}


def render(name: str, **values: object) -> str:
    needed = placeholders(name)
    missing = needed - values.keys()
    extra = values.keys() - needed
    if missing or extra:
        raise PromptError(
            f"prompt {name!r}: missing placeholders {sorted(missing)}, unexpected {sorted(extra)}"
        )
    return load(name).format(**values)
