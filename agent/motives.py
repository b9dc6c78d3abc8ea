"""MOPE / LLMAR annotation: why the person shops, as :class:`~agent.models.Motive` objects with a
confidence, the words they came from (evidence) and their source (the conversation or the
client's history), plus detection of "context competition" between the two.

Offline method (:class:`OfflineMotiveInferer`, the default)
-----------------------------------------------------------
1. The text is split into clauses (at sentence punctuation, semicolons, commas and "but" /
   "because" / "so that"). Each clause is embedded (cached), and so is every motive text of the
   vocabulary (:data:`agent.vocabulary.MOTIVES`, filtered to the catalog's domain), once.
2. A motive *fires from a cue* when one of its cue words occurs in a clause and is not negated
   ("nothing formal", "too formal" do not fire "formal"; see ``agent.vocabulary.negated_at``),
   and no ``unless`` word vetoes it in the same clause ("birthday" is no gift when "treat
   myself"). A compound motive (a *summer* wedding) also needs one of its ``also`` words
   somewhere in the message. Confidence:
   ``min(0.95, 0.70 + 0.08 * (distinct cue words - 1) + 0.30 * max(0, cosine - 0.30))`` where
   ``cosine`` is the clause's similarity to the motive's text.
3. A motive *fires from similarity alone* when a clause with no negation has a cosine of at least
   :data:`SIMILARITY_FIRE` to its text. Confidence: ``min(0.70, 0.50 + (cosine - 0.50))``.
4. A *negated* cue of a motive that names its opposite (``negation_implies``) fires that opposite
   at :data:`NEGATED_CONFIDENCE`: "nothing too flashy" -> "prefers understated minimal style".
5. *Free-text motives.* A clause that states a purpose ("for my daughter's wedding in Provence",
   "we run a hospital kitchen", "to wear at a christening") becomes a motive whose text is that
   phrase, at :data:`FREE_TEXT_CONFIDENCE`, unless a fired vocabulary motive already says the
   same (cosine >= :data:`FREE_TEXT_DUPLICATE`), every content word of it lies inside a cue
   match ("for work", "for board meetings"), or it only names a product ("for a dress").
   Alignment embeds motive text, so free text works like any motive.
6. Motives with the same vocabulary id, or free texts with a cosine >= 0.85, are merged: the
   highest confidence is kept and the evidence lists are joined. A more specific motive drops
   the one it ``subsumes`` (formal summer event drops formal event).

From a client's history (:meth:`OfflineMotiveInferer.from_history`), each associate note,
purchase note and purchased item is one *source*. Notes are read like messages; a purchased
item's text is matched by cues only, at :data:`ITEM_WEIGHT` of a message's strength, and quoted
by its title. Free-text purposes found in the file are capped at
:data:`HISTORY_FREE_TEXT_CONFIDENCE` (they are often one-off). A motive supported by several
sources combines them as independent evidence, ``1 - prod(1 - s_i)``, capped at 0.95, so three
office purchases outweigh one; a more specific motive absorbs the one it subsumes.

LLM method (:func:`ground_motives`)
-----------------------------------
The LLM proposes drafts ``(text, confidence, evidence_quote)``: a message's in the same call as the
rest of its reading (``agent.reading.llm``, ``prompts/read.txt``), a client file's in its own call
(:class:`LLMMotiveInferer`, ``prompts/history_motives.txt``). Code sets source and turn (never the
LLM), clamps the confidence, and drops any draft whose quote is not found in the text it was given
(grounding). When the call fails, or every draft was ungrounded, the offline method reads the
motives instead (:func:`infer_history_motives` does this for a file).

Conflicts (:func:`find_conflicts`)
----------------------------------
Each motive is mapped to vocabulary ids: by its canonical text, else by the cue words in its
text, else (with an embedder) by its nearest vocabulary motive (cosine >= 0.6). A history motive
conflicts with a current one when one of its ids is listed in ``opposes`` of one of the current
motive's ids and the current motive does not carry that same id itself.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Callable, Iterable, Sequence

import numpy as np
from pydantic import BaseModel, Field, WithJsonSchema, create_model

from agent.embeddings import Embedder
from agent.llm import LLM, UsageLedger
from agent.models import ClientHistory, Evidence, Item, Motive
from agent.reading.lexicon import language
from agent.reflection import ID_PATTERN, money_amounts
from agent.vocabulary import (
    CATEGORY_SYNONYMS,
    MOTIVES,
    MOTIVES_BY_ID,
    MOTIVES_BY_TEXT,
    NEGATORS,
    OPPOSITES,
    CueMatcher,
    MotiveEntry,
    motives_for_domain,
)
from prompts import render

CUE_BASE = 0.70
CUE_PER_EXTRA_WORD = 0.08
CUE_SIMILARITY_BONUS = 0.30
"""Cue confidence gains this much per unit of cosine above 0.30."""
MAX_CONFIDENCE = 0.95
SIMILARITY_FIRE = 0.50
"""Cosine of a clause to a motive's text at which the motive fires without a cue."""
SIMILARITY_MAX_CONFIDENCE = 0.70
NEGATED_CONFIDENCE = 0.55
FREE_TEXT_CONFIDENCE = 0.55
HISTORY_FREE_TEXT_CONFIDENCE = 0.40
"""Purposes in a client's file are often one-off ('for her partnership announcement')."""
FREE_TEXT_DUPLICATE = 0.75
"""A free-text purpose this similar to a fired vocabulary motive adds nothing and is dropped."""
FREE_TEXT_MERGE = 0.85
ITEM_WEIGHT = 0.5
"""A purchased item is indirect evidence: its cue strength is scaled by this."""
CONFLICT_NEAREST = 0.60
MAX_LLM_MOTIVES = 6
MAX_MOTIVE_CHARS = 140

_CLAUSE_SPLIT = re.compile(r"[.!?;\n]+|,|\s+(?=\b(?:but|because|so that|although|whereas)\b)", re.IGNORECASE)
_PURPOSE = re.compile(
    r"\b(?P<p>(?:for|to wear (?:to|at|for)|to take (?:to|on)|for use (?:in|at|on)|going to|attending|"
    r"we(?:'re| are) (?:a|an)|we run (?:a|an)|i run (?:a|an)|we operate (?:a|an)|we own (?:a|an)|"
    r"we manage (?:a|an)|we supply (?:a|an)?)\s+"
    r"(?:(?!\b(?:for|and|but|so|because|that|which|who|where|when|to|with|while|since|as|if|or|is|are|was|"
    r"were|will|would|has|have|had|can|could|should|must|at exactly)\b)[^,.;!?])+)",
    re.IGNORECASE,
)
_PRODUCT_WORDS = frozenset(
    {w for k, v in CATEGORY_SYNONYMS.items() for w in (k, *v)}
    | set("dress dresses outfit outfits look piece pieces item items thing clothes clothing wear "
          "gloves glove product products supplies".split()))
_NOT_PURPOSE = frozenset("""
me myself us you it this that them one ones price prices budget money now today tomorrow under
less more around about sure example instance while long ages sale a an the something anything
everything someone anyone years days weeks months first second third last week month year next
coming yet ever real free good
""".split())


def _clauses(text: str) -> list[str]:
    return [c.strip(" \t\"'()-") for c in _CLAUSE_SPLIT.split(text) if c and c.strip(" \t\"'()-")]


def _content_words(text: str) -> list[str]:
    stop = language("en").stopwords.words
    return [w for w in re.findall(r"[a-z][a-z'-]*", text.lower()) if w not in stop and w not in _NOT_PURPOSE]


def _has_negation(text: str) -> bool:
    words = re.findall(r"[a-z']+", text.lower())
    return any(w in NEGATORS or w.endswith("n't") for w in words)


@dataclass
class _Draft:
    """A motive being assembled: a vocabulary entry or a free text, with its support."""

    key: str
    text: str
    entry: MotiveEntry | None
    confidence: float
    quotes: list[str] = field(default_factory=list)


def _merge_quotes(a: list[str], b: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*a, *b]))


class OfflineMotiveInferer:
    """Motives from words without an LLM; see the module docstring for the method."""

    def __init__(self, embedder: Embedder, domain: str = "any",
                 entries: Sequence[MotiveEntry] | None = None):
        """``entries`` replaces the domain's vocabulary (an evaluation on another domain, say)."""
        self.embedder = embedder
        self.domain = domain
        self.entries = list(entries) if entries is not None else motives_for_domain(domain)
        self._cues = [CueMatcher(e.cues) for e in self.entries]
        self._also = [CueMatcher(e.also) if e.also else None for e in self.entries]
        self._unless = [CueMatcher(e.unless) if e.unless else None for e in self.entries]
        self._vectors: np.ndarray | None = None

    def motive_vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = self.embedder.embed([e.text for e in self.entries])
        return self._vectors

    # -- one text ---------------------------------------------------------------------------

    def _read(self, text: str) -> list[_Draft]:
        """Every motive one text supports, before turning them into :class:`Motive` objects."""
        clauses = _clauses(text)
        if not clauses:
            return []
        vectors = self.embedder.embed(clauses)
        sims = vectors @ self.motive_vectors().T  # (clauses, entries)
        drafts: dict[str, _Draft] = {}

        def add(entry: MotiveEntry, confidence: float, quotes: list[str]) -> None:
            found = drafts.get(entry.id)
            if found is None:
                drafts[entry.id] = _Draft(entry.id, entry.text, entry, confidence, list(quotes))
            else:
                found.confidence = max(found.confidence, confidence)
                found.quotes = _merge_quotes(found.quotes, quotes)

        for e_idx, entry in enumerate(self.entries):
            also = self._also[e_idx]
            also_clauses = [c for c in clauses if also.hits(c)] if also is not None else []
            also_ok = also is None or bool(also_clauses)
            for c_idx, clause in enumerate(clauses):
                sim = float(sims[c_idx, e_idx])
                hits = self._cues[e_idx].hits(clause)
                if hits and self._unless[e_idx] is not None and self._unless[e_idx].hits(clause):
                    hits = []
                if hits and also_ok:
                    distinct = len({h.group(0).lower() for h in hits})
                    confidence = min(MAX_CONFIDENCE, CUE_BASE + CUE_PER_EXTRA_WORD * (distinct - 1)
                                     + CUE_SIMILARITY_BONUS * max(0.0, sim - 0.30))
                    add(entry, confidence, [clause, *[c for c in also_clauses if c != clause][:1]])
                elif entry.also is None and sim >= SIMILARITY_FIRE and not _has_negation(clause):
                    add(entry, min(SIMILARITY_MAX_CONFIDENCE, 0.50 + (sim - SIMILARITY_FIRE)), [clause])
                if entry.negation_implies and self._cues[e_idx].negated(clause):
                    opposite = MOTIVES_BY_ID[entry.negation_implies]
                    if opposite in self.entries:
                        add(opposite, NEGATED_CONFIDENCE, [clause])
        # A specific motive makes the general one it subsumes redundant.
        for draft in list(drafts.values()):
            for sub in draft.entry.subsumes if draft.entry else ():
                gone = drafts.pop(sub, None)
                if gone is not None:
                    draft.quotes = _merge_quotes(draft.quotes, gone.quotes)
        out = list(drafts.values())
        out.extend(self._purposes(clauses, out))
        return out

    def _purposes(self, clauses: list[str], fired: list[_Draft]) -> list[_Draft]:
        """Free-text motives: purpose phrases no fired vocabulary motive already expresses."""
        phrases: list[str] = []
        for clause in clauses:
            for m in _PURPOSE.finditer(clause):
                phrase = m.group("p").strip()
                words = _content_words(phrase.split(None, 1)[1] if " " in phrase else "")
                if not words or re.search(r"\d", phrase) or len(phrase) > MAX_MOTIVE_CHARS:
                    continue
                if len(words) == 1 and words[0] in _PRODUCT_WORDS:
                    continue  # 'for a dress' names the product, not a purpose
                if self._covered(phrase, words):
                    continue  # 'for work', 'for board meetings': cue motives already say all of it
                phrases.append(phrase)
        phrases = list(dict.fromkeys(phrases))
        if not phrases:
            return []
        vecs = self.embedder.embed(phrases)
        fired_texts = [d.text for d in fired]
        fired_vecs = self.embedder.embed(fired_texts) if fired_texts else np.zeros((0, vecs.shape[1]), np.float32)
        out: list[_Draft] = []
        kept_vecs: list[np.ndarray] = []
        for phrase, vec in zip(phrases, vecs):
            if len(fired_vecs) and float((fired_vecs @ vec).max()) >= FREE_TEXT_DUPLICATE:
                continue
            duplicate = next((i for i, kv in enumerate(kept_vecs) if float(kv @ vec) >= FREE_TEXT_MERGE), None)
            if duplicate is not None:
                out[duplicate].quotes = _merge_quotes(out[duplicate].quotes, [phrase])
                continue
            out.append(_Draft(f"free:{phrase.lower()}", phrase, None, FREE_TEXT_CONFIDENCE, [phrase]))
            kept_vecs.append(vec)
        return out

    def _covered(self, phrase: str, words: list[str]) -> bool:
        """True when every content word of ``phrase`` lies inside some motive cue's match."""
        spans = [(h.start(), h.end()) for matcher in self._cues for h in matcher.hits(phrase)]
        lowered = phrase.lower()
        for word in words:
            pos = [m.start() for m in re.finditer(re.escape(word), lowered)]
            if not any(s <= p < e for p in pos for s, e in spans):
                return False
        return True

    # -- public ---------------------------------------------------------------------------

    def from_message(self, text: str, turn: int) -> list[Motive]:
        """Motives one message expresses (source ``conversation``), strongest first. In a B2B
        catalog, a request naming only a kind of item ('nitrile gloves') gets the purpose that
        kind serves (``kind_motives``), quoting the words that name it."""
        drafts = self._read(text)
        motives = [
            Motive(text=d.text, confidence=round(d.confidence, 3), source="conversation",
                   evidence=[Evidence(quote=q, turn=turn) for q in d.quotes])
            for d in drafts
        ]
        if not motives and self.domain == "b2b":
            motives = kind_motives(text, turn)
        return sorted(motives, key=lambda m: -m.confidence)

    def from_history(self, client: ClientHistory, items: dict[str, Item]) -> list[Motive]:
        """Motives a client's file supports (source ``history``, turn -1), strongest first."""
        support: dict[str, list[float]] = {}
        quotes: dict[str, list[str]] = {}
        texts: dict[str, str] = {}

        def collect(drafts: list[_Draft], weight: float, quote: str | None = None) -> None:
            # One source supports each motive once, at its strongest.
            best: dict[str, _Draft] = {}
            for d in drafts:
                if d.key not in best or d.confidence > best[d.key].confidence:
                    best[d.key] = d
            for key, d in best.items():
                support.setdefault(key, []).append(d.confidence * weight)
                quotes[key] = _merge_quotes(quotes.get(key, []), [quote] if quote else d.quotes)
                texts[key] = d.text

        def read(text: str) -> list[_Draft]:
            drafts = self._read(text)
            for d in drafts:
                if d.entry is None:
                    d.confidence = min(d.confidence, HISTORY_FREE_TEXT_CONFIDENCE)
            return drafts

        for note in client.notes:
            collect(read(note), 1.0)
        for purchase in client.purchases:
            if purchase.note.strip():
                collect(read(purchase.note), 1.0)
            item = items.get(purchase.item_id)
            if item is not None:
                collect(self._item_drafts(item), ITEM_WEIGHT, quote=item.title)
        # A specific motive makes the general one it subsumes redundant, across sources too.
        for key in list(support):
            entry = MOTIVES_BY_ID.get(key)
            for sub in entry.subsumes if entry else ():
                if sub in support:
                    support[key] = support[key] + support.pop(sub)
                    quotes[key] = _merge_quotes(quotes[key], quotes.pop(sub))
        motives = []
        for key, strengths in support.items():
            combined = 1.0 - math.prod(1.0 - s for s in strengths)
            motives.append(Motive(
                text=texts[key], confidence=round(min(MAX_CONFIDENCE, combined), 3), source="history",
                evidence=[Evidence(quote=q, turn=-1) for q in quotes[key]],
            ))
        return sorted(motives, key=lambda m: -m.confidence)

    def _item_drafts(self, item: Item) -> list[_Draft]:
        """Cue motives of a purchased item's text (no similarity: item copy is too generic)."""
        text = item.text()
        lowered = text.lower()
        out: list[_Draft] = []
        for e_idx, entry in enumerate(self.entries):
            hits = self._cues[e_idx].hits(text, lowered)
            if not hits or (self._unless[e_idx] is not None and self._unless[e_idx].hits(text, lowered)):
                continue
            also = self._also[e_idx]
            if also is not None and not also.hits(text, lowered):
                continue
            distinct = len({h.group(0).lower() for h in hits})
            out.append(_Draft(entry.id, entry.text, entry,
                              min(MAX_CONFIDENCE, CUE_BASE + CUE_PER_EXTRA_WORD * (distinct - 1)), []))
        subsumed = {s for d in out for s in (d.entry.subsumes if d.entry else ())}
        return [d for d in out if d.key not in subsumed]


# ---------------------------------------------------------------------------------------------
# LLM path
# ---------------------------------------------------------------------------------------------

class MotiveDraft(BaseModel):
    """One motive as the LLM proposes it."""

    text: str = Field(description="Why the person shops, as a short phrase: 'needs formal attire for a summer event'.")
    confidence: float = Field(description="How sure, from 0 to 1.")
    evidence_quote: str = Field(description="The exact words of the input that show this motive, copied verbatim.")


class MotiveList(BaseModel):
    """The motives found in a text (possibly none)."""

    motives: list[MotiveDraft] = Field(default_factory=list)


MAX_QUOTES = 60
"""Most quotes a motive schema lists as the evidence enum (a long client file keeps its first)."""
QUOTE_CHARS = 200


def quote_choices(text: str) -> list[str]:
    """The quotes a motive's evidence may be: the text's clauses (and its lines, for a client file
    of notes and purchases), each as written. As the enum of the evidence field, they let a
    grammar-constrained model quote nothing else."""
    out: list[str] = []
    for line in (ln.strip() for ln in text.splitlines()):
        body = re.sub(r"^(?:Note|Purchase(?: on [\d-]+)?|Associate's note):\s*", "", line)
        for piece in [body, *_clauses(body)]:
            piece = piece.strip()[:QUOTE_CHARS]
            if len(piece) >= 3 and piece not in out:
                out.append(piece)
    return out[:MAX_QUOTES]


def motive_schema(quotes: list[str], max_motives: int = 3, name: str = "MotiveList") -> type[MotiveList]:
    """:class:`MotiveList` for one call: at most ``max_motives``, each text under 80 characters,
    confidence in [0, 1], and the evidence one of ``quotes`` (:func:`quote_choices`). Parsing is
    lenient: a quote outside them fails that motive in :func:`ground_motives`, not the call."""
    quote = {"type": "string", "enum": quotes} if quotes else {"type": "string", "maxLength": QUOTE_CHARS}
    draft = create_model(
        "MotiveDraft", __base__=MotiveDraft,
        text=(Annotated[str, WithJsonSchema({"type": "string", "maxLength": 80})],
              Field(description=MotiveDraft.model_fields["text"].description)),
        confidence=(Annotated[float, WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1})],
                    Field(description=MotiveDraft.model_fields["confidence"].description)),
        evidence_quote=(Annotated[str, WithJsonSchema(quote)],
                        Field(description="The words of the input that show this motive, one of the listed quotes.")),
    )
    item = draft.model_json_schema()
    item.pop("title", None)
    motives = {"type": "array", "items": item, "maxItems": max_motives}
    return create_model(name, __base__=MotiveList,
                        motives=(Annotated[list[draft], WithJsonSchema(motives)], Field(default_factory=list)))


def prompt_examples(*names: str) -> set[str]:
    """The example phrases the prompts ``names`` show in double quotes, normalised: what a small
    model copies instead of reading its input."""
    import prompts

    found: set[str] = set()
    for name in names:
        found.update(_norm(m) for m in re.findall(r'"([^"{}]{3,80})"', prompts.load(name)))
    return found


def prompt_vocabulary(*names: str) -> frozenset[str]:
    """Every word of the prompts ``names`` (placeholders aside)."""
    import prompts

    text = " ".join(re.sub(r"\{[a-z_]+\}", " ", prompts.load(name)) for name in names)
    return frozenset(re.findall(r"[a-z][a-z']+", _norm(text).replace("-", " ")))


def copies_example(text: str, source: str, examples: set[str], vocabulary: frozenset[str] = frozenset()) -> bool:
    """``text`` is one of the prompt's ``examples``, or made only of the prompt's own words
    (``vocabulary``: 'a need', 'an occasion'), and the ``source`` it should come from does not
    support it: not every content word of it occurs there."""
    norm = _norm(text).strip(" .").replace("-", " ")
    content = _content_words(norm)
    # Compared with hyphens as spaces on both sides: 'food-contact safe' and 'gift-worthy' copied
    # from the traits prompt passed when only the copy's hyphens were turned into spaces.
    if norm not in {e.replace("-", " ") for e in examples} and not (vocabulary and all(w in vocabulary for w in content)):
        return False
    words = set(re.findall(r"[a-z][a-z']+", _norm(source).replace("-", " ")))
    return not content or not all(w in words or w.rstrip("s") in words for w in content)


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def _grounded(quote: str, source: str) -> bool:
    quote = _norm(quote).strip(" \"'.,;:!?")
    return bool(quote) and quote in _norm(source)


def _clamp(value: float) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(value):
        return None
    if 10.0 < value <= 100.0:
        value /= 100.0  # a percentage ('85'); smaller overshoots ('1.2') are clamped
    return min(1.0, max(0.0, value))


HISTORY_MOTIVES = 3
"""Most motives the LLM may give for a client file (each costs about 40 output tokens)."""


def history_text(client: ClientHistory, items: dict[str, Item]) -> str:
    """A client's file as the LLM sees it (and as its quotes are checked against): the notes, and
    each purchase's title and category with the associate's note. Item descriptions stay out: they
    doubled the prompt (a small model's time goes mostly into reading it) and say what the item
    is, not why the client bought it."""
    lines = [f"Note: {n}" for n in client.notes]
    for p in client.purchases:
        item = items.get(p.item_id)
        title = item.title if item is not None else p.item_id
        detail = f" ({item.category})" if item is not None and item.category else ""
        lines.append(f"Purchase{' on ' + p.date if p.date else ''}: {title}{detail}"
                     + (f". Associate's note: {p.note}" if p.note else ""))
    return "\n".join(lines) or "(empty file)"


def history_quotes(client: ClientHistory, items: dict[str, Item]) -> list[str]:
    """The evidence a history motive may quote: the clauses of each note and associate's note, and
    each purchased item's title; short, so quoting one costs few tokens (whole notes and item
    descriptions made quotes of up to 200 characters, and the 0.5B's answers ran to the cap)."""
    out: list[str] = []
    titles = [items[p.item_id].title if p.item_id in items else p.item_id for p in client.purchases]
    notes = [*client.notes, *(p.note for p in client.purchases if p.note)]
    for piece in [*(q for n in notes for q in (_clauses(n) or [n])), *titles]:
        piece = piece.strip()[:QUOTE_CHARS]
        if len(piece) >= 3 and piece not in out:
            out.append(piece)
    return out[:MAX_QUOTES]


def ground_motives(drafts: Iterable[MotiveDraft], source_text: str, source: str, turn: int,
                   grounded: Callable[[str], bool] | None = None,
                   examples: set[str] = frozenset(),
                   vocabulary: frozenset[str] = frozenset()) -> tuple[list[Motive], int]:
    """The LLM's motive drafts that hold, stamped by code (source and turn are never the LLM's), and
    how many were dropped: a draft needs a text, a confidence, and a quote found in the text it was
    given (``grounded``, by default: a substring of ``source_text``); a motive naming an item id or
    a price is an injection echoed by the model, and the reply would repeat it; a motive that is
    one of the prompt's ``examples`` needs its words in the text (:func:`copies_example`)."""
    grounded = grounded or (lambda quote: _grounded(quote, source_text))
    motives: list[Motive] = []
    dropped = 0
    seen: set[str] = set()
    for draft in list(drafts)[:MAX_LLM_MOTIVES]:
        text = " ".join(str(draft.text).split())[:MAX_MOTIVE_CHARS]
        confidence = _clamp(draft.confidence)
        if text.lower() in seen:
            continue
        seen.add(text.lower())
        if not text or confidence is None or not grounded(draft.evidence_quote):
            dropped += 1
            continue
        if ID_PATTERN.search(text) or money_amounts(text) or copies_example(text, source_text, examples, vocabulary):
            dropped += 1
            continue
        motives.append(Motive(text=text, confidence=round(confidence, 3), source=source,  # type: ignore[arg-type]
                              evidence=[Evidence(quote=draft.evidence_quote.strip(), turn=turn)]))
    return motives, dropped


class LLMMotiveInferer:
    """Motives of a client's file from an LLM, grounded in the file it was shown; ``None`` means
    'use offline'. (A message's motives come in the same call as the rest of its reading:
    ``agent.reading.llm``.)"""

    CACHE_SIZE = 256

    def __init__(self, llm: LLM):
        self.llm = llm
        self._cache: dict[tuple[str, str], list[Motive]] = {}
        """Motives that held, by (model, prompt): a client's file is read once per process, not
        once per conversation (30-60 s on a small local model). A changed file is a new prompt."""
        self._lock = threading.Lock()

    def from_history(self, client: ClientHistory, items: dict[str, Item], ledger: UsageLedger) -> list[Motive] | None:
        file_text = history_text(client, items)
        prompt = render("history_motives", client_file=file_text)
        key = (self.llm.name, prompt)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return [m.model_copy(deep=True) for m in cached]
        schema = motive_schema(history_quotes(client, items), HISTORY_MOTIVES)
        result = self.llm.structured("history_motives", prompt, schema, ledger)
        if result is None:
            return None
        motives, dropped = ground_motives(result.motives, file_text, "history", -1,
                                          examples=prompt_examples("history_motives"),
                                          vocabulary=prompt_vocabulary("history_motives"))
        if dropped and not motives:
            ledger.fallback("history_motives", f"all {dropped} motives lacked evidence found in the text, named an "
                                               f"item or a price, or copied the prompt's examples")
            return None
        with self._lock:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = [m.model_copy(deep=True) for m in motives]
        return motives


def infer_history_motives(client: ClientHistory, items: dict[str, Item], offline: OfflineMotiveInferer,
                          llm_inferer: LLMMotiveInferer | None = None,
                          ledger: UsageLedger | None = None) -> tuple[list[Motive], bool]:
    """``(motives, used_llm)``: the LLM's motives when it answered, the offline ones otherwise."""
    if llm_inferer is not None and llm_inferer.llm.enabled:
        found = llm_inferer.from_history(client, items, ledger or UsageLedger())
        if found is not None:
            return found, True
    return offline.from_history(client, items), False


# ---------------------------------------------------------------------------------------------
# Conflicts
# ---------------------------------------------------------------------------------------------

_ALL_CUES = [(entry, CueMatcher(entry.cues)) for entry in MOTIVES]


def vocabulary_ids(motive: Motive | str, embedder: Embedder | None = None) -> set[str]:
    """The vocabulary motives a motive stands for: its canonical text, else the cue words in its
    text, else (with an embedder) its nearest vocabulary motive at cosine >= 0.6."""
    text = motive.text if isinstance(motive, Motive) else motive
    canonical = MOTIVES_BY_TEXT.get(" ".join(text.lower().split()))
    if canonical is not None:
        return {canonical.id}
    ids = {entry.id for entry, matcher in _ALL_CUES if matcher.hits(text)}
    if entry_also := [e for e in MOTIVES if e.id in ids and e.also]:
        for entry in entry_also:  # a compound motive needs its second word too
            if not CueMatcher(entry.also).hits(text):
                ids.discard(entry.id)
    if not ids and embedder is not None:
        vecs = embedder.embed([text, *[e.text for e in MOTIVES]])
        sims = vecs[1:] @ vecs[0]
        best = int(np.argmax(sims))
        if float(sims[best]) >= CONFLICT_NEAREST:
            ids.add(MOTIVES[best].id)
    return ids


OPPOSITION_FLOOR = 0.35
"""Today's request must be at least this close (cosine) to a history motive's opposite ..."""
OPPOSITION_MARGIN = 0.10
"""... and this much closer to it than to the history motive itself, for the history to give way.
On seven hand-labelled requests (tests/test_motives.py) these find the three real oppositions
('a weekend in the countryside, muddy walks' against office wear) and no false one ('a linen
shirt for the beach' against a casual habit); MiniLM misses subtler ones ('my investiture')."""


def find_conflicts(history: list[Motive], current: list[Motive],
                   embedder: Embedder | None = None, request: str = "") -> list[tuple[Motive, Motive]]:
    """Pairs ``(history motive, current motive)`` that contradict each other: by the vocabulary's
    opposites (see module docstring), or by meaning: today's ``request`` is nearer (embedding
    cosine) a history motive's opposite than the motive itself (:data:`OPPOSITION_MARGIN`)."""
    if not history:
        return []  # nothing to contradict: no need to look up every current motive (most turns)
    current_ids = [(c, vocabulary_ids(c, embedder)) for c in current]
    out: list[tuple[Motive, Motive]] = []
    for h in history:
        h_ids = vocabulary_ids(h, embedder)
        for c, c_ids in current_ids:
            clash = any(b in OPPOSITES.get(a, ()) and a not in c_ids for a in h_ids for b in c_ids)
            if clash:
                out.append((h, c))
    if embedder is not None and request.strip():
        clashed = {h.text for h, _ in out}
        out.extend(opposed_by_meaning([h for h in history if h.text not in clashed], current, embedder, request))
    return out


def opposed_by_meaning(history: list[Motive], current: list[Motive], embedder: Embedder,
                       request: str) -> list[tuple[Motive, Motive]]:
    """History motives today's request opposes by meaning, each with what stands for today: the
    current motive nearest the opposite, else the opposite itself as a motive of today."""
    clauses = _clauses(request) or [request]
    out: list[tuple[Motive, Motive]] = []
    for h in history:
        opposites = [MOTIVES_BY_ID[o] for a in vocabulary_ids(h, None) for o in OPPOSITES.get(a, ())
                     if o in MOTIVES_BY_ID]
        if not opposites:
            continue
        vecs = embedder.embed([request, *clauses, h.text, *[o.text for o in opposites]])
        asked = vecs[: 1 + len(clauses)]
        to_history = float((asked @ vecs[1 + len(clauses)]).max())
        to_opposite = asked @ vecs[2 + len(clauses):].T  # (texts, opposites)
        best = int(to_opposite.max(axis=0).argmax())
        strength = float(to_opposite[:, best].max())
        if strength < OPPOSITION_FLOOR or strength - to_history < OPPOSITION_MARGIN:
            continue
        today = next((c for c in current if opposites[best].id in vocabulary_ids(c, None)), None)
        out.append((h, today or Motive(text=opposites[best].text, confidence=round(min(0.95, strength), 3),
                                       source="conversation", evidence=[Evidence(quote=request[:200])])))
    return out


def quality_text(attribute: str) -> str:
    """What a critique's quality means, to embed: the word alone ('formal') is a poor vector, so
    the vocabulary motive it is a cue of is added ('formal: dressing up for a wedding, gala or
    party'); a word no motive uses stays as it is."""
    word = attribute.strip()
    for entry in MOTIVES:  # the general motive ('formal' -> a wedding, gala or party), not a compound one
        if not entry.also and CueMatcher(entry.cues).hits(word):
            return f"{word}: {entry.text}"
    return word


KIND_CONFIDENCE = 0.3
"""Confidence of a motive read from the kind of item alone: below a stated one (a cue's 0.6 and up)."""


@functools.lru_cache(maxsize=1)
def _kinds() -> list[dict]:
    return tomllib.loads(Path(__file__).with_name("motive_kinds.toml").read_text(encoding="utf-8"))["kind"]


def kind_motives(text: str, turn: int) -> list[Motive]:
    """The purpose a B2B request's kind of item serves when it states none ('nitrile gloves' ->
    'needs to protect hands at work'), with the words naming the kind as evidence; [] when the
    message names no kind of ``motive_kinds.toml``."""
    out: list[Motive] = []
    for kind in _kinds():
        m = re.search(kind["cue"], text, re.IGNORECASE)
        if m:
            out.append(Motive(text=kind["motive"], confidence=KIND_CONFIDENCE, source="conversation",
                              evidence=[Evidence(quote=text.strip(), turn=turn)]))
    return out


def kind_purpose(motive_text: str) -> str | None:
    """How a reply says what a kind motive is for ('to protect hands at work'), or None."""
    return next((k["purpose"] for k in _kinds() if k["motive"] == motive_text), None)
