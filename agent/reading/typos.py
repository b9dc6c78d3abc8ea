"""Typos mended before reading: "cashmre" -> cashmere, "trowsers" -> trousers, "budjet" -> budget.

Only a word that is neither English (the local embedder's vocabulary) nor the catalog's is mended,
and only towards a word the reader acts on (a category or a shopper's word for one, a material,
colour, size, brand word, or a word of the language files), within one edit (two for words of
eight letters or more, rapidfuzz's Damerau-Levenshtein distance) and with the same first letter.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from agent.reading.language import english_words
from agent.reading.lexicon import CatalogLexicon, Language
from agent.reading.text import Edit, Text


def targets(lang: Language, lexicon: CatalogLexicon) -> list[str]:
    """The words a typo may be mended to, for this language and catalog."""
    words: set[str] = set()

    def add(phrases) -> None:
        for p in phrases:
            words.update(w for w in re.findall(r"[a-z]+", str(p).lower()) if len(w) >= 4)

    d = lexicon.domain
    add(lexicon.categories)
    add(lexicon.aliases)
    add(lexicon.colours)
    add(lexicon.materials)
    add(lexicon.brands)
    add(d.colours)
    add(d.materials)
    add(d.attributes)
    add(d.types)
    add(lang.sizes.letters)
    add(lang.money.limits.max_before + lang.money.limits.budget_words + lang.money.limits.money_words)
    add(lang.critiques.cheaper + lang.critiques.pricier + list(lang.critiques.comparatives))
    add(lang.delivery.in_stock + lang.delivery.within + list(lang.delivery.weekdays))
    add(w for ws in lang.fields.fields.values() for w in ws)
    add(w for ws in lang.fields.numeric_words.values() for w in ws)
    add(w for f in lexicon.numeric.values() for w in f.words)
    add(lang.acts.social.thanks + lang.acts.social.greeting)
    add(lang.negation.negators)
    return sorted(words)


CONTRACTIONS = frozenset("""youve dont cant im ive thats whats wont isnt doesnt didnt theyre youre ill hes shes
wouldnt shouldnt couldnt arent wasnt havent hasnt weve wed theyve lets whos wheres hows theres aint gonna wanna
gotta kinda sorta dunno lemme gimme""".split())
"""Contractions typed without their apostrophe: words, not typos."""

_SUFFIXES = (("iest", "y"), ("ier", "y"), ("ies", "y"), ("est", ""), ("est", "e"), ("er", ""), ("er", "e"),
             ("ish", ""), ("ish", "e"), ("ly", ""), ("y", ""), ("y", "e"), ("es", ""), ("s", ""), ("ed", ""),
             ("ed", "e"), ("ing", ""), ("ing", "e"), ("ness", ""), ("able", ""), ("able", "e"), ("ful", ""))


def known(word: str, english: frozenset[str], lexicon: CatalogLexicon, extra: frozenset[str]) -> bool:
    """A word of English, of the catalog or of the lexicons, or a regular form of one ('cheapest')."""
    if word in english or word in extra or word in CONTRACTIONS or lexicon.known_word(word):
        return True
    for suffix, restore in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + restore
            if stem in english or stem in extra or lexicon.known_word(stem):
                return True
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in english:
                return True  # 'biggest' -> 'bigg' -> 'big'
    return False


def lexicon_words(lang: Language, lexicon: CatalogLexicon) -> frozenset[str]:
    """Every word of the language and domain files: words the reader knows, never typos."""
    words: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            words.update(re.findall(r"[a-z]+", value.lower()))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                walk(v)

    walk(lang.model_dump())
    walk(lexicon.domain.model_dump())
    return frozenset(words)


SHORTHAND = {"blu": "blue", "blk": "black", "wht": "white", "gry": "grey", "nvy": "navy", "brn": "brown",
             "grn": "green", "pnk": "pink", "purp": "purple", "lite": "light",
             # the question words a comparison hangs on, as they get typed ('wich of these is warmest')
             "wich": "which", "whcih": "which", "wihch": "which", "whihc": "which", "waht": "what", "wat": "what",
             # the small words a question is built on, as they get typed on a phone ('hw heavy is teh quillby')
             "teh": "the", "hte": "the", "hw": "how", "hwo": "how", "hows": "how is", "whats": "what's", "wats": "what's",
             # 'tmrw latest', 'need them tmrw'
             "refurb": "refurbished", "refurbs": "refurbished", "tmrw": "tomorrow", "tmr": "tomorrow", "tmoz": "tomorrow", "tomoz": "tomorrow", "2moro": "tomorrow", "tomorow": "tomorrow"}
"""Words too short to mend by distance that shoppers shorten anyway."""


_THEN_FOR_THAN = re.compile(r"(?<![\w-])(?:more|less|fewer|other|rather|better|bigger|smaller|lighter|heavier|cheaper|"
                            r"dearer|longer|shorter|higher|lower|larger|greater|faster|slower|warmer|thinner|thicker)\s+"
                            r"(?P<then>then)(?=\s+(?:\d|a\b|an\b|the\b|that\b|this\b|those\b|these\b|[€$£]))")
"""'no more then 500g', 'less then 50': 'then' typed for 'than' after a comparative, before what is compared."""


def mend(text: Text, lang: Language, lexicon: CatalogLexicon, candidates: list[str],
         extra: frozenset[str] = frozenset(), vowelless: dict[str, str] | None = None) -> None:
    """``vowelless``: :func:`skeletons` of ``candidates``, built once with them (the reader keeps it)."""
    english = english_words()
    _unstretch(text, english, lexicon, candidates, extra)
    _join(text, english, lexicon)
    edits = [Edit(m.start(), m.end(), SHORTHAND[m.group(0)])
             for m in re.finditer(rf"(?<![\w-])(?:{'|'.join(SHORTHAND)})(?![\w-])", text.s)
             if not lexicon.known_word(m.group(0))]
    edits += [Edit(m.start("then"), m.end("then"), "than") for m in _THEN_FOR_THAN.finditer(text.s)]
    colours = lexicon.colour_words()
    edits += [Edit(m.start(), m.end(), m.group(1)) for m in re.finditer(r"(?<![\w-])([a-z]{3,})s(?![\w-])", text.s)
              if m.group(1) in colours and lexicon.term_kind(m.group(0)) is None]  # 'greys, navy': the colours, one each
    vowelless = skeletons(candidates) if vowelless is None else vowelless
    for m in re.finditer(r"(?<![\w-])[b-df-hj-np-tv-xz]{3,6}(?![\w-])", text.s):
        # 'pwdr free', 'hndl': a word written without its vowels, when one word the reader acts on has
        # those consonants in that order
        word = m.group(0)
        if word in SHORTHAND or known(word, english, lexicon, extra):
            continue
        full = vowelless.get(word)
        if full:
            edits.append(Edit(m.start(), m.end(), full))
    for m in re.finditer(r"(?<![\w-])[a-z]{4,}(?![\w-])", text.s):
        word = m.group(0)
        if word in candidates or known(word, english, lexicon, extra):
            continue
        fixed = _closest(word, tuple(c for c in candidates if c[0] == word[0] and abs(len(c) - len(word)) <= 2))
        if not fixed and len(word) >= 6:
            # A brand is a name, not a word: two slips in one ('Velutto') still name it.
            fixed = _closest(word, tuple(b for b in brand_words(lexicon) if b[0] == word[0]
                                         and abs(len(b) - len(word)) <= 2), limit=2)
        if fixed:
            edits.append(Edit(m.start(), m.end(), fixed))
    if edits:
        text.rewrite(edits)


def _join(text: Text, english, lexicon: CatalogLexicon) -> None:
    """'eye wash', 'eye-wash' -> eyewash: two words the catalog writes as one ('Eyewash Station'),
    when it never writes them apart and the joined word is no English word ('any one')."""
    edits: list[Edit] = []
    for m in re.finditer(r"(?<![\w-])([a-z]{2,})[ -](?=([a-z]{2,})(?![\w-]))", text.s):
        a, b = m.group(1), m.group(2)
        if edits and m.start() < edits[-1].end:
            continue
        joined = a + b
        if len(joined) < 6 or joined in english or not (lexicon.known_word(joined) or lexicon.known_word(joined + "s")):
            continue
        if lexicon.uses(f"{a} {b}") or lexicon.known_word(f"{a}-{b}"):
            continue
        edits.append(Edit(m.start(), m.end() + len(b), joined))
    if edits:
        text.rewrite(edits)


def _unstretch(text: Text, english, lexicon: CatalogLexicon, candidates: list[str], extra: frozenset[str]) -> None:
    """'heyyy', 'hiii', 'pleaseee', 'sooo': a letter drawn out (three or more times) is the word
    with it said once or twice, whichever is a word."""
    edits = []
    for m in re.finditer(r"(?<![\w-])[a-z]*([a-z])\1\1[a-z]*(?![\w-])", text.s):
        word = m.group(0)
        if word in english or word in extra or lexicon.known_word(word):
            continue
        for repeat in (2, 1):
            short = re.sub(r"([a-z])\1{2,}", lambda r: r.group(1) * repeat, word)
            if short in candidates or short in english or short in extra or lexicon.known_word(short):
                edits.append(Edit(m.start(), m.end(), short))
                break
    if edits:
        text.rewrite(edits)


def skeletons(candidates: list[str]) -> dict[str, str]:
    """Each candidate's consonants in order -> the candidate, for skeletons only one has ('pwdr' ->
    powder)."""
    seen: dict[str, set[str]] = {}
    for c in candidates:
        if len(c) >= 5:
            seen.setdefault(re.sub(r"[aeiou]", "", c), set()).add(c)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and len(k) >= 3}


def brand_words(lexicon: CatalogLexicon) -> frozenset[str]:
    """The distinctive words of the catalog's brands (six letters or more)."""
    return frozenset(w for b in lexicon.brands for w in re.findall(r"[a-z]+", b) if len(w) >= 6)


@lru_cache(maxsize=4096)
def _closest(word: str, pool: tuple[str, ...], limit: int | None = None) -> str | None:
    if not pool:
        return None
    limit = limit or (2 if len(word) >= 8 else 1)
    found = process.extract(word, pool, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=2)
    if not found:
        return None
    if len(found) > 1 and found[1][1] == found[0][1] and found[1][0] != found[0][0]:
        a, b = sorted((found[0][0], found[1][0]), key=len)
        if b in (a + "s", a + "es"):
            # 'leggins': legging and leggings are one word; its plural when the typo ends like one.
            return b if word.endswith("s") else a
        swapped = [c for c, dist, _ in found if dist == found[0][1] and sorted(c) == sorted(word)]
        if len(swapped) == 1:
            return swapped[0]  # 'camle': two letters swapped (camel), the commonest slip, over 'cable'
        return None  # two words as close: no guess
    return found[0][0]
