"""Brands, kinds of item and numeric specifications, read against the catalog's own words.

Brands. A brand as the catalog spells it (any case), or the distinctive first word of a multi-word
brand written capitalised ("Ironvale" -> "Ironvale Safety"). "from / by / only X" and a plain
mention with the item ("a Velluto dress") rule it in; after "like / similar to" it is nowhere; said
in passing about trust or liking ("Verdeleaf is a brand I trust") it ranks but does not filter. A
brand that is also an ordinary word of the catalog ("3D printer filament", "something precise")
counts only with a cue ("from Precise"). Brands after a negation are read by the terms pass.

Kinds of item. The catalog's categories (singular and plural), the last word of a multi-word
category ("gloves" -> "safety gloves"), a shopper's word from the domain file ("jumper" ->
sweater), and the nouns the catalog's titles end in ("boxes"). A word the catalog does not know is
matched to a category by meaning (embedding similarity), and then only ranks. Not a wanted kind:
"these are shorts" (what was shown), "not a dress", "shoes to match a gown" (the gown is context).

Numeric specifications. "at least 16 gigs of RAM", "under 1.5kg", "10+ hours of battery", "a 27
inch screen": a number and a unit matched to the catalog's numeric fields by their names
('ram_gb', 'weight_kg', 'battery_hours', 'screen_in').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from agent.reading.lexicon import CatalogLexicon, Language, singular
from agent.reading.models import Brand, Category, NumericLimit
from agent.reading.text import Text, alternation, rx

_BRAND_CUE_BEFORE = rx(r"\b(?:from|by|brand|made by|maker|manufacturer|only|just|label|designer)\s*:?\s*$")
_BRAND_CUE_AFTER = rx(r"\s+(?:brand|make|label|only)\b|'s\b|\s+(?:dress|coat|bag|gloves?|boots?)\b")
_SOFT_BRAND = rx(r"\b(?:trust|trusted|like|love|loved|liked|rate|rated|fan of|happy with|good experience|used before|"
                 r"bought before|great|reliable|always buy|usually buy|had good|use already|already use)\b")
_PREFER_BEFORE = rx(r"\b(?:ideally|preferably|preferrably|if possible|perhaps|maybe|possibly|ideal would be|"
                    r"nice if it(?:'s| is| was| were)?|bonus if(?: it's)?)\s+(?:(?:from|by|a|an|in|something from)\s+)?$")
_PREFER_AFTER = rx(r"\s*,?\s*(?:ideally|preferably|if possible|if you can|if you have it|would be nice|would be great|"
                   r"would be ideal|is a plus|is a bonus|for preference)\b")
"""'ideally Velluto', 'Velluto if possible': a brand wished for, which ranks and hides nothing."""
_WOULD_LIKE = rx(r"(?:'d|\bwould|\bwd)\s+(?:really\s+)?like\b")
"""'I'd like Velluto shoes' wants them: 'like' here is not 'something like', nor a liking."""
_I_LIKE = rx(r"\b(?:i|we|she|he|they|you|client|clients)\s+(?:really\s+|do\s+|quite\s+)?(?:like|likes|love|loves)\s*$")
_LIKE_BEFORE = rx(r"(?:\blike|similar to|such as|compared to|versus|vs\.?|than|instead of|rather than|other than|"
                  r"alternative to|same as)\s*$")

_PRICED_PER = r"(?:\d|\b(?:eur|euros?|gbp|usd|pounds?|dollars?|quid|cents?|pence|p))\s*(?:a|an)\s+"
"""'6 eur a box', '£2 a roll': an amount per unit, so the unit is no kind of item."""

AMBIGUOUS = {
    # The verb ('to dress for dinner'), not the noun ('a dress for everyday wear').
    "dress": rx(r"\b(?:to|i|we|you|they|and|how to|she|he|will|gonna|'ll|can)\s+dress\b|\bdress (?:up|down|code)\b|\bdressed\b"),
    "top": rx(r"\b(?:on|at the|from the|over the|on the|the very) top\b|\btop (?:quality|notch|pick|choice|rated|brand|one|"
              r"of|priority|up|end|tier|seller|sellers|\d)\b|\btop[- ]of[- ]the\b"),
    "suit": rx(r"\bto suit\b|\bsuits? (?:me|you|us|her|him|them|my|our|your|a|the|all|every)\b|\bwould suit\b|\bsuited\b"),
    "case": rx(r"\bin (?:that|this|any|which) case\b|\bcase of\b|\bjust in case\b|\bin case\b|\bcases? of \d"),
    # A unit an order or a price is counted in ('by the box', 'per roll', '36 rolls', '6 eur a box'), not a kind.
    "box": rx(r"\bbox of\b|\bticks? (?:the|all|every) box|\b(?:by the|per|each) box\b|" + _PRICED_PER + r"box\b"),
    "boxes": rx(r"\bboxes of\b|\bticks? (?:the|all|every) boxes"),
    "bag": rx(r"\bbag of\b|\bin the bag\b|\b(?:by the|per|each) bag\b|" + _PRICED_PER + r"bag\b"),
    "roll": rx(r"\b(?:by the|per|each) roll\b|\broll of\b|" + _PRICED_PER + r"roll\b"),
    "cartons": rx(r"\bcartons of\b"),
    "carton": rx(r"\bcarton of\b|\b(?:by the|per|each) carton\b"),
    "rolls": rx(r"\b\d+(?:\.\d+)?\s*rolls\b|\brolls of\b"),
    "cap": rx(r"\b(?:moq|price|budget|spend|spending|order|quantity|minimum|volume|cost|weight|size|upper|lower|hard|"
              r"soft)\s+cap\b|\bcap (?:on|of|at|it|them|the)\b|\bcapped\b"),
    "set": rx(r"\ball set\b|\bset (?:up|on|in)\b|\bset of\b"),
    "watch": rx(r"\bwatch out\b|\b(?:to|i|we|you|and|please|will|'ll|should|must|can)\s+watch\b|\bwatch(?:ing)? (?:the|a|tv)\b"),
    "tape": rx(r"\bred tape\b"),
    "light": rx(r"\blight (?:blue|pink|grey|gray|green|weight|beige|brown|orange|turquoise|yellow)\b"),
    "tie": rx(r"\btie (?:in|up|together)\b|\bties? (?:in|to)\b"),
    "ring": rx(r"\bring (?:me|you|us|them)\b|\bgive (?:me|us) a ring\b"),
    # The verb ('she dresses quite quietly'), not the noun.
    "dresses": rx(r"\b(?:she|he|i|they|we|you|who|client)\s+(?:\w+ly\s+|always\s+|usually\s+|often\s+|never\s+|tends to\s+)?dresses\b"),
    # Whom the item is for ('a jumper for my boyfriend'), not the cut ('boyfriend jeans').
    "boyfriend": rx(r"\b(?:my|her|his|your|our|their|a|the)\s+boyfriend(?:'s)?\b(?!\s+(?:jeans|shirts?|fit|cut|style|trousers|"
                    r"blazers?|cardigans?))"),
    # The task a personal shopper is given ('new person, new brief'), not the underwear.
    "brief": rx(r"\b(?:new|the|client'?s|client|her|his|my|our|your|this|that|a)\s+brief\b(?!\s*(?:in|with)\b)"),
    # What a shown item has, asked ('does the first one have a hood'), not hoodies wanted.
    "hood": rx(r"\b(?:does|do|is|has|did)\b[^.?!]*\b(?:have|has|got|come with|with)\s+(?:a\s+)?hood\b"),
    # 'a knitted dress' describes the dress; 'something pink and knitted' asks for knitwear.
    "knitted": rx(r"\bknitted\s+(?!(?:and|or|please|pls|if|for|in|with|but|maybe|ideally)\b)[a-z]"),
    "shorts": rx(r"\bshort(?:s)? of\b"),
    "mac": rx(r"\bmac(?:book|os)\b"),
    "vest": rx(r"\bvested\b"),
    "pants": rx(r"\bpants on fire\b"),
    "tips": rx(r"\btips? (?:for|on)\b|\bany tips\b"),
}
_GUARD_CONSUMES = frozenset({"hood", "brief", "boyfriend", "dresses"})
"""Guarded words that name nothing to search for where guarded, not even a kind like them."""
_ACCOMPANIES = rx(r"\b(?:match(?:es|ing)?|go(?:es)? with|wear(?:s|ing)? (?:it |them )?with|pair(?:ed|s)? with|team(?:ed)? with|"
                  r"under|over|with (?:my|her|his|their|our)|for (?:my|her|his|their|our)|to go (?:over|under|with)|"
                  r"on top of|alongside|complement(?:s|ing)?|coordinate with)\s+(?:[a-z'-]+\s+){0,3}$")
_DESCRIBED = rx(r"\b(?:these|those|they|it|that|this|all of them|all of these|you showed me|you sent|you gave me)(?:'re| are| is|'s| were| was"
                r"| all are| are all| look like| looks like| seem like| seems like| feel like)?\s+(?:all\s+|just\s+|only\s+|still\s+)?(?:some\s+|a\s+|an\s+)?(?:[a-z'-]+\s+){0,2}$")
SHOWN_ARE_NOT = rx(r"\b(?:those|these|they|them|it|that|this|thsoe|theses)(?:\s+(?:are|is)\s+not|\s+aren['’]?t|\s+isn['’]?t|['’]re\s+not|"
                   r"['’]s\s+not)\s+(?:(?:a|an|any|the|real|proper|actual)\s+)?(?:[a-z'-]+\s+){0,1}$")
"""'those aren't safety shoes': what was shown is not the kind wanted, so the kind is wanted."""
SHOWN_ARE = rx(r"\b(?:these|those)(?:['’]re|\s+are)\b|\bthey(?:['’]re|\s+are)\s+(?:all\s+|just\s+|only\s+)?[a-z-]+s\b(?!\s+(?:a|an|for)\b)")
"""'these are disposables, I need proper reusable aprons', 'they're all gloves': what was shown is
named, so a second kind said beside it is the one wanted; not 'they're after a knit' (a person)."""
_CORRECTION = rx(r"(?:^|[,.;:!?-]\s*|\b(?:no|nope|nah|sorry|wrong thing|not quite)\W+)it(?:['’]s| is)\s+(?:a\s+|an\s+|some\s+)?$")
"""'no, it's degreaser': the kind wanted, said as a correction, not what was shown."""
_NEGATED_BEFORE = rx(r"(?:\bnot|\bno|\bnever|\bwithout|\bnothing|\bnor|n't)\s+(?:(?:a|an|the|any|really|more|even)\s+)?"
                     r"(?:[a-z'-]+\s+){0,1}$")
_WANT_NOUN = rx(r"\b(?:looking for|need|needs|want|wants|after|find me|show me|searching for|shopping for|in the market for|"
                r"recommend|suggest|buy|buying|get|order|ordering|source|sourcing|do you (?:have|sell|carry|stock)|"
                r"have you got|got any|any|some|a|an)\s+(?:(?:a|an|some|new|nice|good|pair of|couple of|few|decent|"
                r"proper|cheap|the)\s+)*(?P<np>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})")
_NP_STOP = rx(r"\s+(?:for|with|under|below|in|to|that|which|from|by|and|or|but|at|on|of|around|about|please|pls|"
              r"less|more|than|like|as|so|i|we|she|he|it|is|are|max|min|specifically|only|really|ideally|asap)\b.*$")


def read_brands(text: Text, lexicon: CatalogLexicon) -> tuple[list[Brand], list[Brand]]:
    """(brands wanted, brands only liked), consuming their words."""
    pattern = lexicon.brand_pattern()
    if pattern is None:
        return [], []
    wanted: list[Brand] = []
    liked: list[Brand] = []
    for m in text.find(pattern):
        key = m.group(1)
        if key in lexicon.brand_spellings:
            key_name = lexicon.brand_spellings[key]
            wanted.append(Brand(name=key_name, quote=text.quote(m.start(), m.end())))
            text.consume(m.start(), m.end())
            continue
        alias = key not in lexicon.brands
        name = lexicon.brand_aliases[key] if alias else lexicon.brands[key]
        original = text.quote(m.start(), m.end())
        common = len(key) < 3 or lexicon.term_kind(key) is not None or key in _COMMON_WORDS
        before = text.s[:m.start()]
        cued = bool(_BRAND_CUE_BEFORE.search(before)) or bool(_BRAND_CUE_AFTER.match(text.s, m.end()))
        end = m.end()
        if alias:
            # 'kestrel food service' is Kestrel Foodservice typed with a space: the whole name.
            at = name.lower().find(key)
            rest = re.sub(r"[^a-z0-9]", "", name.lower()[at + len(key):]) if at >= 0 else ""
            typed = re.match(r"[a-z0-9 &'-]*", text.s[m.end():m.end() + len(rest) + 6]).group(0)
            flat = re.sub(r"[^a-z0-9]", "", typed)
            if rest and flat.startswith(rest):
                k, n = 0, 0
                while n < len(rest) and k < len(typed):
                    n += typed[k].isalnum()
                    k += 1
                end = m.end() + k
                alias = False
                original = text.quote(m.start(), end)
                cued = cued or bool(_BRAND_CUE_AFTER.match(text.s, end))
        if (common and original != name) or (alias and not original[:1].isupper()
                                              and not (cued and _name_only(key, lexicon))):
            continue
        if alias and not cued and re.search(r"(?:^|[.!?]\s+|^\W+)$", before) and _english(key):
            continue  # 'Good morning': a word capitalised because it starts the sentence, not 'Good House'
        written_as_word = original.islower() and not name.islower() and lexicon.lowercase_uses(key) >= 5
        if not cued and (name.lower() in lexicon.common_word_brands or written_as_word):
            continue
        if _I_LIKE.search(before) or _PREFER_BEFORE.search(before) or _PREFER_AFTER.match(text.s, end):
            # 'she likes Velluto', 'ideally Velluto': a liking, which ranks
            liked.append(Brand(name=name, quote=original, sure=False))
            text.consume(m.start(), end)
            continue
        if _LIKE_BEFORE.search(_WOULD_LIKE.sub(" want", before)):
            text.consume(m.start(), end)
            continue
        clause_lo, clause_hi = text.clause_of(m.start())
        clause = _WOULD_LIKE.sub(" want", text.clean[clause_lo:clause_hi])
        possessive_only = bool(re.match(r"'s\b", text.s[end:])) and not _BRAND_CUE_BEFORE.search(before)
        if (not cued or possessive_only) and _SOFT_BRAND.search(clause):
            liked.append(Brand(name=name, quote=original, sure=False))
        else:
            wanted.append(Brand(name=name, quote=original))
        text.consume(m.start(), end)
    return wanted, liked


def _english(word: str) -> bool:
    from agent.reading.language import english_words

    return word.lower() in english_words()


def _name_only(word: str, lexicon: CatalogLexicon) -> bool:
    """A brand's word that is no English word and that the catalog never writes in lower case
    ('kestrel'): typed in lower case, it still names the brand."""
    return not _english(word) and lexicon.lowercase_uses(word) == 0


_COMMON_WORDS = frozenset("the and for with that this from have are was will your you our one all new".split())


@dataclass
class CategoryMatcher:
    """Categories for words the catalog does not spell out, by meaning (the embedder of the catalog)."""

    lexicon: CatalogLexicon
    embed: object | None = None
    """``embed(list[str]) -> np.ndarray`` of L2-normalised rows, or None (no matching by meaning)."""
    threshold: float = 0.7

    def __post_init__(self) -> None:
        self._names: list[str] = []
        self._vectors: np.ndarray | None = None

    def _index(self) -> None:
        if self._vectors is not None or self.embed is None:
            return
        names = sorted({*self.lexicon.categories, *(a for a in self.lexicon.aliases if len(a) > 3)})
        self._names = names
        self._vectors = np.asarray(self.embed(names), dtype=np.float32) if names else np.zeros((0, 1), np.float32)

    def match(self, phrase: str) -> tuple[list[str], float]:
        self._index()
        if self._vectors is None or not len(self._names):
            return [], 0.0
        vector = np.asarray(self.embed([phrase])[0], dtype=np.float32)
        sims = self._vectors @ vector
        best = int(np.argmax(sims))
        if sims[best] < self.threshold:
            return [], float(sims[best])
        name = self._names[best]
        cats = list(self.lexicon.aliases.get(name, ())) or ([name] if name in self.lexicon.categories else [])
        return cats, float(sims[best])


def read_categories(text: Text, lexicon: CatalogLexicon, matcher: CategoryMatcher | None,
                    excluded: list[str], spans: list[tuple[int, int]] | None = None,
                    context=None) -> list[Category]:
    """The kinds of item ``text`` asks for, consuming their words (see the module docstring).
    ``spans`` receives where each wanted kind was named (for the words that modify it);
    ``context(s, start, end)`` says a mention is where the workers are or what they handle ('the
    chemical store', 'decanting chemicals'), which names no kind wanted."""
    pattern = lexicon.alias_pattern()
    out: list[Category] = []
    spans = spans if spans is not None else []
    feature = rx(r"\b(?:with|w/|has|have|having|featuring|plus)\s+(?:a|an|the|some|\d+\s?\w*|built[- ]in)?\s*(?:[a-z-]+\s+){0,1}$")
    s = text.s
    # A word inside a longer known term is not a kind of item ('short sleeve', 'bin liner').
    inside = [(t.start(), t.end()) for t in lexicon.term_pattern().finditer(s) if re.search(r"[\s-]", t.group(1))]
    absorbed = -1
    narrowed: dict[int, set[str]] = {}
    if pattern is not None:
        for m in pattern.finditer(s):
            if any(a <= m.start() and m.end() <= b and (b - a) > (m.end() - m.start()) for a, b in inside):
                continue
            word = re.sub(r"[\s-]+", " ", m.group(1))
            cats = lexicon.aliases.get(word) or lexicon.aliases.get(m.group(1)) or ()
            guard = AMBIGUOUS.get(word)
            if guard is not None and any(g.start() <= m.start() < g.end() for g in guard.finditer(text.clean)):
                if word in _GUARD_CONSUMES:
                    text.consume(m.start(), m.end())  # nor a kind found by meaning ('a hood' is like a hoodie)
                continue
            head = s[max(0, m.start() - 60):m.start()]
            acc = _ACCOMPANIES.search(head)
            if acc and (pre := re.match(r"(?:under|over|on top of)\s+([a-z-]+)", acc.group(0).lower())) and \
                    "-" in lexicon.catalog_spelling(f"{acc.group(0).split()[0].lower()} {pre.group(1)}"):
                acc = None  # 'over ear headphones': a kind of headphone ('over-ear'), not worn over them
            if acc and len([c for c in out]) + 1 > 0 and re.search(
                    r"\b(?:match|go with|wear|pair|team|under|over|with (?:my|her|his)|to go|on top|alongside|complement|coordinate)",
                    head[-40:]) and not re.search(r"\bmatching\s+(?:(?!(?:my|her|his|their|our|your|the|a|an)\b)[a-z-]+\s+)?$", head):
                text.consume(m.start(), m.end())  # ('matching swimsuits', 'a matching bag' are the kind wanted)
                continue
            tail = s[m.end():m.end() + 40]
            if _DESCRIBED.search(head[-40:]) and not re.search(r"\b(?:need|want|looking|after|prefer)\b", head[-40:]) \
                    and not re.match(r"\s*(?:(?:i|we|she|he|they|you)(?:\s+|(?=['’]))(?:need|want|meant|asked for|are after|"
                                     r"['’]re after|am after|['’]m after|are looking for|['’]re looking for|['’]m looking for)|"
                                     r"(?:that|which)\s+(?:i|we|she|he|they)\s+(?:need|want))\b", tail) \
                    and not _CORRECTION.search(head[-40:]) and not SHOWN_ARE_NOT.search(head[-40:]):
                text.consume(m.start(), m.end())  # 'these are shorts': what was shown ('it's trousers I need' is a want)
                continue
            if _NEGATED_BEFORE.search(head[-25:]) and not SHOWN_ARE_NOT.search(head[-40:]):
                text.consume(m.start(), m.end())
                continue
            if re.match(r"[\s-]+(?:jack|jacks|port|ports|socket|sockets|input|output|connector|plug)\b", s[m.end():]):
                continue  # 'a headphone jack', 'keyboard port': a connector of the item, not a kind of item
            if context is not None and context(s, m.start(), m.end()):
                text.consume(m.start(), m.end())
                continue
            if feature.search(head[-30:]) and out:
                continue  # 'a phone with a 48MP camera': a part of the item, not another kind
            if m.start() < absorbed:
                continue
            nxt = pattern.match(s, m.end() + 1) if m.end() < len(s) and s[m.end()] in " -" else None
            if nxt is not None:
                head_cats = set(lexicon.aliases.get(re.sub(r"[\s-]+", " ", nxt.group(1))) or ())
                if cats and not set(cats) & head_cats and _titles_say(lexicon, word, set(cats)) \
                        and not _titles_say(lexicon, word, head_cats) and word not in cats and singular(word) not in cats:
                    # 'hi-vis jackets': no jacket the catalog has is hi-vis, its hi-vis clothing is
                    # what is meant ('paper tape' stays tape: the catalog's tapes say paper).
                    quote = text.quote(m.start(), nxt.end())
                    out.extend(Category(name=c, quote=quote) for c in cats if c not in excluded and all(x.name != c for x in out))
                    spans.append((m.start(), nxt.end()))
                    text.consume(m.start(), nxt.end())
                    absorbed = nxt.end()
                elif set(cats) & head_cats:
                    narrowed[nxt.start()] = set(cats) & head_cats  # 'hand sanitiser gel': the gel that is hand hygiene
                continue  # 'wrap skirt', 'paper tape', 'laptop charger' (a kind's own name): the first word describes the second
            start = m.start()
            if m.start() in narrowed:
                cats = tuple(c for c in cats if c in narrowed[m.start()])
            cats, start = _named_more_closely(s, start, word, cats, lexicon)
            quote = text.quote(start, m.end())
            for cat in cats:
                if cat not in excluded and all(c.name != cat for c in out):
                    out.append(Category(name=cat, quote=quote))
            spans.append((start, m.end()))
            text.consume(start, m.end())
    if len(out) > 1 and len(spans) == len(out) or len(spans) > 1:
        wanted = [k for k, (a, _) in enumerate(spans) if not _PAST.search(text.clean[text.clause_of(a)[0]:text.clause_of(a)[1]])
                  or _WANT_CUE.search(text.clean[text.clause_of(a)[0]:text.clause_of(a)[1]])]
        if wanted and len(wanted) < len(spans):
            keep_quotes = {text.quote(*spans[k]) for k in wanted}
            out[:] = [c for c in out if c.quote in keep_quotes]
            spans[:] = [spans[k] for k in wanted]
    if not out:  # 'cleaning supplies', 'catering stuff': the categories that start with that word
        for m in re.finditer(r"\b(?P<w>[a-z]{4,})\s+(?:supplies|products|stuff|items|things|gear|range|kit|bits)\b", text.s):
            cats = [c for c in lexicon.categories if c.split()[0] == m.group("w") and " " in c]
            if cats:
                quote = text.quote(m.start(), m.end())
                out.extend(Category(name=c, quote=quote) for c in cats)
                spans.append((m.start(), m.end()))
                text.consume(m.start(), m.end())
    if not out:
        # 'merino base layers': two or three words in a row that the titles of one or two kinds of
        # item say in that order name those kinds, though no title ends with them.
        tokens = list(re.finditer(r"[a-z][a-z]*", text.s))
        for i in range(len(tokens)):
            for n in (3, 2):
                run = tokens[i:i + n]
                if len(run) < n or any(text.s[a.end():b.start()] != " " for a, b in zip(run, run[1:])):
                    continue
                words = [w.group(0) for w in run]
                if singular(words[-1]) in _NOT_KINDS or any(w in _NOT_KINDS or len(w) < 3 or lexicon.term_kind(w)
                                                            and k == len(words) - 1 for k, w in enumerate(words)):
                    continue
                cats = [c for c in sorted(lexicon.title_phrase_categories(words)) if c not in excluded]
                if 1 <= len(cats) <= 2:
                    quote = text.quote(run[0].start(), run[-1].end())
                    out.extend(Category(name=c, quote=quote) for c in cats)
                    spans.append((run[0].start(), run[-1].end()))
                    text.consume(run[0].start(), run[-1].end())
                    break
            if out:
                break
    if not out and matcher is not None and matcher.embed is not None:
        for m in _WANT_NOUN.finditer(text.s):
            np_ = _NP_STOP.sub("", m.group("np")).strip()
            words = [w for w in np_.split() if lexicon.term_kind(w) is None and w not in lexicon.domain.qualities
                     and w not in lexicon.domain.generic_nouns.get("words", [])]
            if not words or "\x00" in np_ or len(words[-1]) < 3:
                continue
            phrase = " ".join(words[-2:])
            if phrase in _NOT_KINDS or words[-1] in _NOT_KINDS:
                continue
            cats, _ = matcher.match(phrase)
            cats = [c for c in cats if c not in excluded]
            if cats:
                quote = text.quote(m.start("np"), m.end("np"))
                out.extend(Category(name=c, quote=quote, sure=False) for c in cats)
                spans.append((m.start("np"), m.end("np")))
                break
    return out


def _titles_say(lexicon: CatalogLexicon, phrase: str, categories: set[str]) -> bool:
    """Whether a title of an item of ``categories`` uses ``phrase`` ('hi vis' as 'Hi-Vis')."""
    words = [w for w in re.split(r"[\s-]+", phrase.lower()) if w]
    keys = ["-".join(words)] if len(words) > 1 else []
    found: frozenset[int] | None = None
    for key in keys:
        found = lexicon.title_words.get(singular(key)) or lexicon.title_words.get(key)
    if not found:
        found = None
        for w in words:
            if len(w) < 3:
                continue
            posting = lexicon.titled_with(w)
            found = posting if found is None else found & posting
    return bool(found) and any(k < len(lexicon.item_categories) and lexicon.item_categories[k] in categories for k in found)


def _named_more_closely(s: str, start: int, word: str, cats: tuple[str, ...] | list[str],
                        lexicon: CatalogLexicon) -> tuple[list[str], int]:
    """'clamshell boxes': a word of the catalog's titles right before the kind of item, which is no
    colour, material or other term, can say which of the catalog's kinds it is: the categories
    of the items whose titles use both words, when that differs from what the kind alone means
    (the word is then part of the name, not a requirement)."""
    window = max(0, start - 30)
    before = re.search(r"(?:^|[^\w-])(?P<w>[a-z][a-z-]{3,})\s+$", s[window:start])
    if not before or len(lexicon.categories) < 2:
        return list(cats), start
    modifier = before.group("w")
    head = word.split()[-1]
    if lexicon.term_kind(modifier) is not None and modifier not in lexicon.brands and modifier not in _MODIFIER_STOP:
        # 'knitted polo' where the catalog's knitted polos are knitwear, not shirts: the kinds whose
        # titles say both words join what the kind alone means (the term stays a requirement).
        closer = lexicon.headed_categories(modifier, head)
        if closer and " " in word:
            # 'nitrile work gloves': the kind's own words narrow it ('work'), not the head noun alone
            closer &= lexicon.titled_categories(*word.split()[:-1]) or set()
        if closer and not closer <= set(cats):
            return sorted(set(cats) | closer), start
        return list(cats), start
    if modifier in lexicon.aliases or modifier in lexicon.brands \
            or modifier in _MODIFIER_STOP or modifier in lexicon.domain.qualities:
        return list(cats), start
    closer = lexicon.titled_categories(modifier, head)
    if closer and closer != set(cats):
        return sorted(closer), window + before.start("w")
    if not closer:
        # No title says it: 'takeaway packaging', where only catering disposables mention takeaway.
        # Not sure which is meant, so both (a wider filter hides nothing the person wants).
        described = lexicon.described_categories(modifier)
        if len(described) == 1 and not described <= set(cats) and lexicon.uses(modifier) >= 2:
            return sorted(set(cats) | described), start
    return list(cats), start


_MODIFIER_STOP = frozenset("""some more other another many much few need needs want wants with from that this these those
them they have your their good nice best cheap about around like just only also very really please require requires
required needing wanting order ordering quote buy buying supply source sourcing""".split())


_PAST = rx(r"\b(?:bought|had|got|used|loved|wore|ordered|purchased|last (?:time|year|summer|winter|month|week|season)|"
           r"previously|before|already (?:has|have|own)|we use|we've been using|currently use)\b")
_WANT_CUE = rx(r"\b(?:need|needs|want|wants|looking for|after|this time|now|show me|find me|would like|'d like|"
               r"(?:could|can|may) (?:i|we) (?:get|have|order)|quote (?:me|us)|please send)\b")
_NOT_KINDS = frozenset("""help idea ideas something anything everything nothing present gift outfit look option
options recommendation recommendations suggestion suggestions advice budget price quote order one ones stuff
thing things item items product products piece pieces way time lot bit couple few more other others alternative
alternatives replacement replacements supplier suppliers brand brands colour color size sizes wedding party trip
holiday client customer wife husband mum mom dad mother father friend sister brother daughter son boss team staff
office kitchen lab shop store restaurant hotel warehouse site project event birthday anniversary christmas
quantity delivery stock""".split())

_AT_LEAST = rx(r"(?:at least|minimum(?: of)?|min\.?|no less than|not less than|over|more than|above|upwards of|\+|"
               r"or more|and up|or better|or higher|bigger than|larger than|longer than|greater than|a good|"
               r"\d\s?\+)\s*$")
_AT_MOST = rx(r"(?:under|below|less than|max(?:imum)?|at most|no more than|not more than|lighter than|smaller than|"
              r"shorter than|up to|within|not over|no heavier than|no bigger than|no larger than|not bigger than|"
              r"not larger than|no longer than|tops|(?<![\w-])sub-?)\s*$")
_AFTER_MOST = rx(r"^\s*(?:max|maximum|or less|or lighter|or under|tops|at most|or smaller|or shorter|or below)\b")
_AFTER_LEAST = rx(r"^\s*(?:\+|plus|or more|minimum|min|at least|or better|or higher|or bigger|or longer|and up|or larger|"
                  r"or above|or greater|and above)")


def _names_field(f, s: str, synonyms: dict[str, list[str]]) -> bool:
    """``s`` names field ``f`` by one of its words ('battery' for battery_with_case_hours; never
    by 'with' or 'per') or the language's words for one ('lasts' for battery)."""
    said = [w for w in f.words if w not in _FIELD_FILLERS]
    said += [x for w in said for x in synonyms.get(w, [])]
    return any(re.search(rf"\b{re.escape(w)}(?:s|es)?\b", s) for w in said)


_FIELD_FILLERS = frozenset({"with", "per", "of", "and", "in", "to", "for", "the", "a"})


def _consume_field_word(text: Text, chosen, synonyms: dict[str, list[str]], start: int, end: int) -> None:
    """Consume the field's own word nearest before the number (else right after it)."""
    said = [w for w in chosen.words if w not in _FIELD_FILLERS]
    said += [x for w in said for x in synonyms.get(w, [])]
    if not said:
        return
    field_word = re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in sorted(said, key=len, reverse=True))})(?:s|es)?\b")
    near = [w for w in field_word.finditer(text.s, max(0, start - 30), start)] or \
        [w for w in field_word.finditer(text.s, end, end + 20)][:1]
    if near:
        text.consume(near[-1].start(), near[-1].end())


def read_numeric(text: Text, lexicon: CatalogLexicon, lang: Language) -> list[NumericLimit]:
    """Limits on the catalog's numeric fields (see the module docstring), consuming their words.
    Units and conversions come from ``lang/<code>/units.toml``; a field is named by the words of its
    name or the language's words for them ('lasts' for battery, 'covers' for coverage)."""
    if not lexicon.numeric:
        return []
    by_unit: dict[str, list] = {}
    for f in lexicon.numeric.values():
        by_unit.setdefault(f.unit, []).append(f)
    words = {w: u for u, ws in lang.units.field_units.items() for w in ws}
    meanings: dict[str, list[str]] = {}
    for u, ws in lang.units.field_units.items():
        for w in ws:
            meanings.setdefault(w, []).append(u)
    convert = {tuple(k.rsplit(" ", 1)): v for k, v in lang.units.field_conversions.items()}
    synonyms = lang.fields.numeric_words

    def _names(f, s: str) -> bool:
        return _names_field(f, s, synonyms)
    negators = alternation(lang.fields.negators) if lang.fields.negators else None
    # ('nothing with less than 10 hours of battery', 'none that weigh more than 2 kg')
    having = r"(?:(?:with|that\s+(?:has|have|gets?|does|do|lasts?|weighs?)|which\s+(?:has|have)|having|offering)\s+)?"
    negated_less = re.compile(rf"(?<![\w'])(?:{negators})\s+{having}(?:{alternation(lang.fields.less_than)})\s*$", re.IGNORECASE) \
        if negators and lang.fields.less_than else None
    negated_more = re.compile(rf"(?<![\w'])(?:{negators})\s+{having}(?:{alternation(lang.fields.more_than)})\s*$", re.IGNORECASE) \
        if negators and lang.fields.more_than else None
    hedged_end = re.compile(rf"(?<![\w'])(?:{alternation(lang.fields.hedges)})\s*$", re.IGNORECASE) \
        if lang.fields.hedges else None
    units = sorted(words, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?|an?(?=\s+(?:hour|day|week|month|year|terabyte|gigabyte|kilo|kilogram)\b))\s?(?P<plus>\+)?\s?(?P<u>"
                         + "|".join(re.escape(u) for u in units)
                         + r")(?![a-z])(?P<plus2>\+)?", re.IGNORECASE)
    out: list[NumericLimit] = []
    said_at: list[tuple[object, str, int]] = []
    for m in text.find(pattern):
        unit = words[m.group("u").lower()]
        if len(meanings.get(m.group("u").lower(), ())) > 1:
            # '256G+ storage' is gigabytes, '200g' of a mouse grams: the unit whose field the number's
            # phrase names, when one does
            phrase = " ".join(re.split(r"[,;]|\band\b|\bor\b", s)[i] for s, i in (
                (text.s[max(0, m.start() - 25):m.start()], -1), (text.s[m.end():m.end() + 25], 0)))
            said = [u for u in meanings[m.group("u").lower()] if any(
                _names(f, phrase) for f in by_unit.get(u, []) + [f for (have, want) in convert if have == u
                                                                  for f in by_unit.get(want, [])])]
            if len(said) == 1:
                unit = said[0]
        value = 1.0 if m.group("n").startswith("a") else float(m.group("n"))  # 'at least a week'
        window = text.s[max(0, m.start() - 40):m.end() + 40]
        candidates = list(by_unit.get(unit, []))
        for (have, want), factor in convert.items():
            if unit == have and want in by_unit:
                candidates = candidates or list(by_unit[want])
                if not by_unit.get(unit):
                    value = value * factor
                    unit = want
        if not candidates:
            continue
        # The field named in the number's own phrase ('1TB and 32GB of RAM': RAM is the 32GB's),
        # else anywhere near it.
        lead_in = re.split(r"[,;]|\band\b|\bor\b", text.s[max(0, m.start() - 25):m.start()])[-1]
        lead_out = re.split(r"[,;]|\band\b|\bor\b", text.s[m.end():m.end() + 25])[0]
        near = f"{lead_in} {lead_out}"
        named = [f for f in candidates if _names(f, near)] or [
            f for f in candidates if _names(f, window) and f.low / 1.5 <= value <= f.high * 1.5]
        if unit in ("hours", "days", "weeks", "years", "months") and not named:
            continue  # '10 days' is a delivery limit unless a field is named ('battery')
        if len(named) > 1:
            # 'laptop 16gb ram 512gb ssd': the field whose word is right beside the number ('ram' after
            # 16gb, 'ssd' after 512gb); else 'battery' names battery_hours and battery_with_case_hours:
            # the plainer one
            beside = [f for f in named if _names_field(f, " ".join(lead_out.split()[:1]), synonyms)
                      or _names_field(f, " ".join(lead_in.split()[-1:]), synonyms)]
            if len(beside) == 1:
                named = beside
            fewest = min(len(f.words) for f in named)
            named = [f for f in named if len(f.words) == fewest]
        if len(named) == 1:
            chosen = named[0]
        elif len(candidates) == 1:
            chosen = candidates[0]
        else:
            fits = [f for f in (named or candidates) if f.low <= value <= f.high * 1.5]
            if len(fits) != 1:
                continue
            chosen = fits[0]
        before = text.s[max(0, m.start() - 30):m.start()]
        after = text.s[m.end():m.end() + 30]
        hedge = hedged_end.search(before) if hedged_end is not None else None
        hedged = len(hedge.group(0)) if hedge else 0  # 'no more than about 1.5 kg': the limit before the hedge
        before = before[:len(before) - hedged]
        # '12 inch screen or larger': the field's own word between the number and 'or larger'
        own = [w for w in chosen.words if w not in _FIELD_FILLERS]
        own += [x for w in own for x in synonyms.get(w, [])]
        named_after = re.match(rf"\s*(?:{'|'.join(re.escape(w) for w in own)})(?:s|es)?\b", after) if own else None
        shift = 0
        if named_after and (_AFTER_LEAST.match(after[named_after.end():]) or _AFTER_MOST.match(after[named_after.end():])):
            shift = named_after.end()
            after = after[shift:]
        rng = re.search(r"(?<![\w.])(?:between\s+)?(?P<a>\d+(?:\.\d+)?)\s?(?:-|–|to|and)\s?$", before)
        if rng and float(rng.group("a")) < value and not (_AT_LEAST.search(before[:rng.start()]) or _AT_MOST.search(before[:rng.start()])):
            # '13-14 inch screen', 'between 2 and 3 kg': both ends of a range
            start = m.start() - hedged - (len(before) - rng.start())
            out.append(NumericLimit(field=chosen.name, op=">=", value=float(rng.group("a")), quote=text.quote(start, m.end())))
            out.append(NumericLimit(field=chosen.name, op="<=", value=round(value, 3), quote=text.quote(start, m.end())))
            text.consume(start, m.end())
            _consume_field_word(text, chosen, synonyms, start, m.end())  # 'screen between 13 and 14 in'
            continue
        gap = 0
        if own:
            # 'maximum weight 1.5 kg', 'minimum battery 20 hours': the field's word between the limit and the number
            field_said = re.search(rf"\s+(?:{'|'.join(re.escape(w) for w in own)})(?:s|es)?\s*(?:of\s*|:\s*)?$", before)
            if field_said and (_AT_LEAST.search(before[:field_said.start()]) or _AT_MOST.search(before[:field_said.start()])):
                gap = len(before) - field_said.start()
                before = before[:field_said.start()]
        least, most = _AT_LEAST.search(before), _AT_MOST.search(before)
        flip = None
        if negated_less is not None and (flip := negated_less.search(before)):
            least, most = flip, None  # 'no smaller than 14 inch': a minimum
        elif negated_more is not None and (flip := negated_more.search(before)):
            least, most = None, flip  # 'not heavier than 1.5kg': a maximum
        token = re.sub(r"\s+", "", m.group(0).lower())
        if not (least or most or m.group("plus") or m.group("plus2") or _AFTER_LEAST.match(after)
                or _AFTER_MOST.match(after) or named) and lexicon.known_word(token) and \
                not chosen.low <= value <= chosen.high:
            continue  # '5G' is a feature the catalog names, not 5 grams ('240W' is a wattage the cables have)
        if most and (not least or len(most.group(0)) >= len(least.group(0))):
            op = "<="  # 'no bigger than 6.2 inches'
        elif m.group("plus") or m.group("plus2") or least or _AFTER_LEAST.match(after):
            op = ">="
        elif _AFTER_MOST.match(after):
            op = "<="
        else:
            op = "<=" if chosen.unit in ("kg", "g") and re.search(r"\b(?:light|lightweight|heavy)\b", window) else ">="
        out.append(NumericLimit(field=chosen.name, op=op, value=round(value, 3), quote=text.quote(m.start(), m.end())))
        said_at.append((chosen, op, m.end()))
        lead = flip or _AT_LEAST.search(before) or _AT_MOST.search(before)
        tail = _AFTER_LEAST.match(after) or _AFTER_MOST.match(after)
        text.consume(m.start() - hedged - gap - (len(lead.group(0)) if lead else 0), m.end() + (shift + tail.end() if tail else 0))
        # the field's own word beside the number is part of the limit ('must weigh under 1.5kg',
        # 'battery 20+ hours'), not a feature asked for
        _consume_field_word(text, chosen, synonyms, m.start(), m.end())
    for f, op, end in said_at:
        # '8 hours on a charge at least, 30 with the case': a bare number after a limit, with the
        # words of another field of the same unit, is that field's limit, the same way round
        m = re.compile(r"[^,;]{0,30}?(?:,|\band\b)\s*(?:and\s+)?(?P<n>\d+(?:\.\d+)?)\s+(?P<tail>[a-z][a-z ]{0,25})").match(text.s, end)
        if not m:
            continue
        value, tail = float(m.group("n")), m.group("tail")
        others = [g for g in by_unit.get(f.unit, []) if g.name != f.name and all(x.field != g.name for x in out)
                  and _names(g, tail) and not _names(f, tail) and g.low / 1.5 <= value <= g.high * 1.5]
        if len(others) == 1:
            out.append(NumericLimit(field=others[0].name, op=op, value=value, quote=text.quote(m.start("n"), m.end("tail"))))
            text.consume(m.start("n"), m.end("tail"))
    return out


def singular_noun(word: str) -> str:
    return singular(word)
