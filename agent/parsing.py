"""What one user message states, read deterministically: hard constraints, lifted constraints,
critiques, references to the items shown last turn, questions about an item, resets, greetings.

Method
------
The message is lower-cased into a working copy, and a fixed sequence of passes reads it. Each
pass *consumes* the words it interpreted (blanks them out), so a later pass never reads them
again: "no more than 200" is a budget and can no longer be a negation; "not that one" is a
reference and can no longer exclude the word "one". The order is: reset, item ids and
references, the question (if any), lifted constraints, lead time / MOQ / order quantity,
in-stock, sizes, budget, critiques, brands, categories, must-haves, negated terms, greeting.

Budgets. "under / below / less than / no more than / max / up to / within / at most X",
"X or less", "X max" and "don't want to spend more than X" set ``budget_max = X``;
"at least / minimum X", "X or more" set ``budget_min``; "between X and Y" and "X-Y" set both;
"around / about / roughly X" sets ``budget_max = 1.2 X`` (:data:`AROUND_FACTOR`) and no minimum
(cheaper is rarely unwelcome); a bare amount with a currency ("a dress for €300") is a ceiling.
Amounts understand "$1,200", "1.2k", "300€", "300 euros". A number followed by a unit (days,
units, pairs, %) is never money. Weak triggers ("over", "from", "more than") need a currency or a
budget word in the message.

Terms. A negated word ("not leather", "no leather", "without polyester", "nothing synthetic",
"leather-free", "she doesn't wear leather") is excluded only when it is a known material /
colour / pattern or a word the catalog itself uses, and never a stopword or a non-attribute word
("not sure", "no rush"); "synthetic" expands to polyester, nylon, acrylic. A negated brand goes to
``brands_out``; a negated style adjective ("nothing too formal") becomes a ``less_like`` critique,
not an exclusion; a negated sub-type of a category ("no heels" in a catalog whose category is
"shoes") excludes that word. Must-haves need an explicit "must be / has to be / needs to be /
must have" and a word the catalog uses (spelled as the catalog spells it: "food safe" ->
"food-safe"); a must-have nothing in the catalog mentions would only empty the results.

Brands. A brand as the catalog spells it (any case), or the distinctive first word of a
multi-word brand written capitalised ("Ironvale" -> "Ironvale Safety"). "from / by / only X" and
plain mentions go to ``brands_in``; after a negation ("nothing from X", "not X", "avoid X",
"anything but X") to ``brands_out``; after "like / similar to" nowhere.

Stock, sizes, B2B. "in stock", "available now", "need it this week / by Friday", "asap" set
``in_stock_only``. "size M", "sizes S or M", "in a 38" (when the catalog sells a 38), "I'm a
medium", "EU 38" set ``sizes``. "MOQ / minimum order under N" and an order quantity ("we need 200
pairs") set ``max_moq``; "lead time under N days / weeks", "within N days", "delivered in N days"
set ``max_lead_time_days``.

Categories. Category names with plurals, the last word of a multi-word category ("gloves" ->
"safety gloves", unless it is an abstract head such as "hygiene"), synonyms ("heels" -> "shoes",
"jacket" -> "blazer") when the catalog has them, and the head nouns of item titles ("boxes" ->
every category with an item titled "... Boxes": packaging, catering disposables). Not a category: "the dress" when a
dress was just shown (a reference), "to dress", the object of "to match a gown".

References. Ordinals ("the second one", "#2", "the last one"), "the cheapest one", an item id
("BQ-014"), title or brand words after a determiner ("the Velluto dress") resolve against the
items shown last turn (ids against the whole catalog); "that one" / "it" resolve to the first
shown item. A reference is liked or rejected by the polarity words of its own comma-chunk (then
the following chunk if it continues about it, then the preceding one): "I like the first but not
the second". A reference compared to ("cheaper than the second one", "similar to #2") is a liked
anchor, and a message that is nothing but a reference ("the second one") picks it.

Questions. A message with "?" or a question opening, and a topic word (price, "made of", sizes,
"in stock", colours, care, MOQ, lead time, certifications, brand, "tell me more"), asks about
the referenced items, or about the first shown item (all shown items for "they" / "them").
A question-shaped request for something new ("do you have dresses under 200?") is read again as
a request. The constraint a question's topic would set ("is it in stock?") is not set.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Literal

from pydantic import BaseModel, Field

from agent.models import Constraints, Item
from agent.vocabulary import (
    CATEGORY_SYNONYMS,
    COLOUR_WORDS,
    MATERIAL_WORDS,
    NON_TERMS,
    PATTERN_WORDS,
    SIZE_WORDS,
    STOPWORDS,
    TERM_EXPANSIONS,
)

AROUND_FACTOR = 1.2
"""'around 500' reads as a ceiling of 1.2 x 500."""

QuestionTopic = Literal[
    "price", "tiered_price", "material", "sizes", "availability", "colour", "care", "moq",
    "lead_time", "certifications", "brand", "description",
]


class Critique(BaseModel):
    """A relative request about what was shown: 'cheaper', 'more formal', 'less flashy'."""

    kind: Literal["cheaper", "pricier", "more_like", "less_like"]
    attribute: str = ""
    """The quality asked for more or less of ('formal', 'flashy'); empty for price critiques."""
    text: str = ""
    """For ``more_like`` / ``less_like`` the quality as the person put it ('formal', so it reads
    'something more formal'); for price critiques the words read ('too expensive')."""


class ItemQuestion(BaseModel):
    """The person asks something about specific items."""

    item_ids: list[str]
    topic: QuestionTopic
    other_topics: list[QuestionTopic] = Field(default_factory=list)
    """Further topics asked in the same message ('is it in stock? lead time?')."""
    quantity: int | None = None
    """Units asked about ('price for 500 units'); with topic ``price`` it asks for the tier price."""
    text: str = ""


class MessageParse(BaseModel):
    """Everything one message states (never what earlier messages did)."""

    constraints: Constraints = Field(default_factory=Constraints)
    clear: list[str] = Field(default_factory=list)
    """Constraint fields the person lifted ('any brand' -> brands_in, brands_out); an entry
    ``field:value`` lifts one value ('leather is fine' -> ``exclude_terms:leather``)."""
    critiques: list[Critique] = Field(default_factory=list)
    rejected_refs: list[str] = Field(default_factory=list)
    """Ids of items the person turned down."""
    liked_refs: list[str] = Field(default_factory=list)
    reason: str = ""
    """Why the person turned an item down, in their words ('too formal'), when they said."""
    brand_refs_out: list[str] = Field(default_factory=list)
    """Brands ruled out by reference ('not that brand' -> the referenced or first shown item's)."""
    reset: bool = False
    question: ItemQuestion | None = None
    greeting_only: bool = False


# ---------------------------------------------------------------------------------------------
# Catalog vocabulary
# ---------------------------------------------------------------------------------------------

def singular(word: str) -> str:
    """'dresses' -> 'dress', 'batteries' -> 'battery', 'safety gloves' -> 'safety glove'."""
    head, _, last = word.rpartition(" ")
    if len(last) > 4 and last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("arves", "ives", "elves")):
        last = last[:-3] + ("fe" if last.endswith("ives") else "f")  # scarves -> scarf, knives -> knife
    elif last.endswith(("sses", "shes", "ches", "xes", "zes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        last = last[:-1]
    return f"{head} {last}" if head else last


def plural(word: str) -> str:
    head, _, last = word.rpartition(" ")
    if last.endswith(("rf", "lf", "ife", "eaf", "oaf")):
        last = last[:-2 if last.endswith("fe") else -1] + "ves"  # scarf -> scarves, knife -> knives
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        last = last if last.endswith("s") and not last.endswith(("ss", "us")) else last + "es"
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last


_ABSTRACT_HEADS = frozenset("""hygiene protection equipment clothing care supplies safety chemicals wear goods
products items materials services solutions essentials basics accessories consumables disposables""".split())
_GENERIC_BRAND_WORDS = frozenset("""maison casa atelier studio house la le les the el il der die das de di del
company co group brothers sons international""".split())


_HEAD_NOUN_SKIP = frozenset("""class level light type station wrap roll polish liquid wash tips heads ties
strips inserts film spray concentrate maintainer cream sheets pack pair pairs set kit line plus size ply
one mix""".split()) | frozenset("""kids kid men mens women womens ladies girls boys baby babies junior
juniors unisex toddler toddlers teen teens adult adults""".split())  # who it is for, not what it is
HEAD_NOUN_MIN_HEADED = 3
"""A word is a title head noun only if it ends at least 1 in this many of the titles that use it."""
HEAD_NOUN_MIN_SHARE = 0.15
"""A title head noun names a category only if at least this share of the items it heads are in it
('tee' heads 144 t-shirts and 5 sweaters on H&M: 'tee' means t-shirt)."""


def _head_noun(title: str) -> str | None:
    """The noun a title is about: the last word before the first comma / 'with' / 'for' / 'in'."""
    segment = re.split(r",| with | for | in | - |\(|:", title.lower())[0]
    words = re.findall(r"[a-z][a-z-]*", segment)
    if not words:
        return None
    word = words[-1]
    if (len(word) < 3 or word in STOPWORDS or word in COLOUR_WORDS or word in MATERIAL_WORDS
            or word in _HEAD_NOUN_SKIP):
        return None
    return word


def _words(value: object) -> list[str]:
    values = value if isinstance(value, (list, tuple, set)) else [value]
    out: list[str] = []
    for v in values:
        out.extend(w for w in re.findall(r"[a-z]+", str(v).lower()) if len(w) >= 3)
    return out


def _size_values(value: object) -> list[str]:
    values = value if isinstance(value, (list, tuple, set)) else re.split(r"[,/;|]", str(value))
    return [str(v).strip() for v in values if str(v).strip()]


def _brand_aliases(brands: dict[str, str]) -> dict[str, str]:
    """First distinctive word of each multi-word brand, when no other brand shares it."""
    candidates: dict[str, list[str]] = {}
    for lower, name in brands.items():
        words = [w for w in re.findall(r"[a-z0-9]+", lower) if w not in _GENERIC_BRAND_WORDS]
        if len(re.findall(r"[a-z0-9]+", lower)) < 2 or not words:
            continue
        word = words[0]
        if len(word) >= 4 and word not in STOPWORDS and word not in COLOUR_WORDS and word not in MATERIAL_WORDS:
            candidates.setdefault(word, []).append(name)
    return {w: names[0] for w, names in candidates.items() if len(names) == 1 and w not in brands}


WORD_BRAND_USES = 5
"""A brand the catalog's text writes in lower case this often is also an ordinary word or phrase."""


def _common_word_brands(items: list[Item]) -> frozenset[str]:
    """One-word brands that other brands' titles use, in any case, at least 5 times and more than
    twice as often as the brand has items ('3D' in every maker's '3D printer filament')."""
    own = Counter(i.brand.strip().lower() for i in items if i.brand.strip())
    single = {b for b in own if re.fullmatch(r"[a-z0-9]+", b)}
    in_titles: Counter[str] = Counter()
    for item in items:
        brand = item.brand.strip().lower()
        in_titles.update(t for t in set(re.findall(r"[a-z0-9]+", item.title.lower())) if t in single and t != brand)
    return frozenset(b for b, n in in_titles.items() if n >= 5 and n > 2 * own[b])


@dataclass
class CatalogVocabulary:
    """What the parser needs to know about one catalog: brands, categories (and the words people
    use for them), colours, materials, sizes, item ids, and its text."""

    brands: dict[str, str] = field(default_factory=dict)
    """Lower-case brand -> brand as the catalog spells it."""
    categories: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A word or phrase a person may use -> the categories it means ('gloves' -> 'safety gloves')."""
    colours: frozenset[str] = frozenset()
    materials: frozenset[str] = frozenset()
    sizes: dict[str, str] = field(default_factory=dict)
    """Lower-case size -> size as the catalog spells it."""
    brand_aliases: dict[str, str] = field(default_factory=dict)
    """A distinctive word of a multi-word brand -> the brand ('ironvale' -> 'Ironvale Safety')."""
    item_ids: dict[str, str] = field(default_factory=dict)
    common_word_brands: frozenset[str] = frozenset()
    """Lower-case brands that other brands' titles use as a word more than the brand has items
    ('3D' on '3D printer filament' of every maker): one counts only with a cue ('from 3D')."""
    corpus: str = ""
    """Every item's text, lower-cased, one per line (to check a word is one the catalog uses)."""
    cased_corpus: str = ""
    """Every item's title and description as written (to tell 'precise' or 'super glue', words the
    catalog uses, from 'Precise' or 'Super Glue', brands)."""

    @classmethod
    def from_items(cls, items: Iterable[Item]) -> "CatalogVocabulary":
        items = list(items)
        brands = {i.brand.lower(): i.brand for i in items if i.brand.strip()}
        categories = tuple(sorted({i.category for i in items if i.category}))
        strong: dict[str, set[str]] = {}
        weak: dict[str, set[str]] = {}
        for cat in categories:
            for form in {cat, plural(cat), singular(cat)}:
                strong.setdefault(form, set()).add(cat)
            if " " in cat:
                # 'safety gloves' is also 'gloves'; 'food hygiene' is not 'hygiene' (an abstract
                # head noun would turn 'hygiene inspections' into a category).
                last = cat.rsplit(" ", 1)[1]
                if last not in _ABSTRACT_HEADS and not last.endswith(("ion", "ing", "ene", "ness", "ity", "ics")):
                    for form in {last, plural(last)}:
                        weak.setdefault(form, set()).add(cat)
        aliases: dict[str, set[str]] = {}
        for table in (weak, strong):
            for word, cats in table.items():
                aliases.setdefault(word, set()).update(cats)
        for word, candidates in CATEGORY_SYNONYMS.items():
            for form in {word, plural(word), singular(word)}:
                if form in aliases:
                    continue
                for candidate in candidates:
                    cats = strong.get(candidate) or weak.get(candidate)
                    if cats:
                        aliases[form] = set(cats)
                        break
        # The head noun of item titles ('Bagasse Clamshell Food Boxes, 9 in' -> 'boxes') names the
        # categories that sell it: 'boxes' -> packaging and catering disposables.
        # A word that ends a few titles but qualifies many more ('Skinny', 'Basic', 'Soft') is a
        # modifier, not a noun: it names no category.
        heads: dict[str, Counter[str]] = {}
        mentions: Counter[str] = Counter()
        for item in items:
            mentions.update(set(re.findall(r"[a-z][a-z-]*", item.title.lower())))
            head = _head_noun(item.title)
            if head and item.category:
                for form in {head, plural(head), singular(head)}:
                    heads.setdefault(form, Counter())[item.category] += 1
        for word, counts in heads.items():
            total = sum(counts.values())
            if total * HEAD_NOUN_MIN_HEADED < mentions[word]:
                continue
            if word not in strong:  # a category's own name stays exact
                aliases.setdefault(word, set()).update(
                    cat for cat, n in counts.items() if n >= HEAD_NOUN_MIN_SHARE * total)
        colours: set[str] = set()
        materials: set[str] = set()
        sizes: dict[str, str] = {}
        for item in items:
            for key, value in item.attributes.items():
                k = key.lower()
                if k in ("colour", "color", "colours", "colors"):
                    colours.update(_words(value))
                elif k in ("material", "materials", "fabric", "composition"):
                    materials.update(w for w in _words(value) if w not in STOPWORDS)
                elif k in ("size", "sizes"):
                    sizes.update({s.lower(): s for s in _size_values(value)})
        vocab = cls(
            brands=brands,
            brand_aliases=_brand_aliases(brands),
            categories=categories,
            aliases={k: tuple(sorted(v)) for k, v in aliases.items()},
            colours=frozenset(colours),
            materials=frozenset(materials),
            sizes=sizes,
            item_ids={i.id.lower(): i.id for i in items},
            common_word_brands=_common_word_brands(items),
            corpus="\n".join(i.text().lower() for i in items),
            cased_corpus="\n".join(f"{i.title} {i.description}" for i in items),
        )
        vocab.uses("a")  # builds the token index now, when the catalog opens, not in a turn
        return vocab

    def uses(self, term: str) -> int:
        """How many times the catalog's text uses ``term`` at a word start (0: never).

        A single word is counted from a sorted token index (a prefix range, no scan of the text),
        so the cost does not grow with the catalog; a phrase is scanned for only when each of its
        words occurs, and every answer is memoised."""
        term = term.lower()
        if not term or not self.corpus:
            return 0
        if not hasattr(self, "_uses"):
            counts = Counter(re.findall(r"[a-z0-9]+", self.corpus))
            self._tokens = sorted(counts)
            self._token_counts = [counts[t] for t in self._tokens]
            self._uses: dict[str, int] = {}
        if term not in self._uses:
            words = re.findall(r"[a-z0-9]+", term)
            if words == [term]:
                count = self._prefix_count(term)
            elif not words or any(self._prefix_count(w) == 0 for w in words):
                count = 0
            else:  # a phrase: str.count runs at C speed; a word start follows one of these
                count = sum(self.corpus.count(lead + term) for lead in (" ", "\n", "-", "(", "/", '"'))
                count += self.corpus.startswith(term)
            self._uses[term] = count
        return self._uses[term]

    def lowercase_uses(self, phrase: str) -> int:
        """How many times the catalog's titles and descriptions write ``phrase`` in lower case,
        as words (memoised; a scan of the text at C speed the first time)."""
        if not hasattr(self, "_lower_uses"):
            self._lower_uses: dict[str, int] = {}
        if phrase not in self._lower_uses:
            self._lower_uses[phrase] = len(re.findall(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])",
                                                      self.cased_corpus)) if phrase in self.cased_corpus else 0
        return self._lower_uses[phrase]

    def _prefix_count(self, prefix: str) -> int:
        lo = bisect.bisect_left(self._tokens, prefix)
        hi = bisect.bisect_left(self._tokens, prefix + "\uffff")
        return sum(self._token_counts[lo:hi])

    def catalog_spelling(self, term: str) -> str:
        """The spelling of ``term`` the catalog uses most ('food safe' -> 'food-safe')."""
        variants = list(dict.fromkeys([term, term.replace(" ", "-"), term.replace("-", " "),
                                       term.replace(" ", "").replace("-", "")]))
        counts = [(self.uses(v), -i, v) for i, v in enumerate(variants)]
        return max(counts)[2]

    # Lazily compiled patterns (dataclass fields stay plain data).
    def brand_pattern(self) -> re.Pattern[str] | None:
        if not hasattr(self, "_brand_re"):
            names = sorted({*self.brands, *self.brand_aliases}, key=len, reverse=True)
            self._brand_re = (re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
                              if names else None)
        return self._brand_re

    def alias_pattern(self) -> re.Pattern[str] | None:
        if not hasattr(self, "_alias_re"):
            names = sorted(self.aliases, key=len, reverse=True)
            self._alias_re = (re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
                              if names else None)
        return self._alias_re


# ---------------------------------------------------------------------------------------------
# Working text
# ---------------------------------------------------------------------------------------------

GAP = "\x00"
"""What consumed characters become; no pattern's word or space classes match it."""


class _Work:
    """The message lower-cased, with the spans already interpreted blanked out."""

    def __init__(self, text: str):
        self.original = text
        # Per-character lowering keeps offsets aligned with the original ('İ'.lower() is 2 chars).
        self.chars = [c.lower() if len(c.lower()) == 1 else c for c in text]
        self._s: str | None = None

    @property
    def s(self) -> str:
        if self._s is None:
            self._s = "".join(self.chars)
        return self._s

    def consume(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.chars[i] = GAP
        self._s = None

    def find(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        return list(pattern.finditer(self.s))

    def take(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Every match of ``pattern``, consumed."""
        matches = self.find(pattern)
        for m in matches:
            self.consume(m.start(), m.end())
        return matches


def _normalise(text: str) -> str:
    return (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", " - ").replace("\u00a0", " "))


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Numbers and money
# ---------------------------------------------------------------------------------------------

_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR_PRE = r"[€$£]|eur\s|usd\s|gbp\s|chf\s"
_CUR_POST = r"€|\$|£|eur(?:os?)?\b|usd\b|dollars?\b|bucks\b|pounds?\b|gbp\b|chf\b|francs?\b|quid\b"
_UNIT_AFTER = (r"\s*(?:%|percent|days?|d\b|weeks?|wks?|months?|years?|yrs?|hours?|hrs?|units?|pcs|pieces?|"
               r"pairs?|boxes|box|cases?|rolls?|packs?|items?|people|persons|guests|employees|staff|"
               r"workers|cm|mm|m\b|kg|g\b|ml|l\b|litres?|liters?|gallons?|inch(?:es)?|in\b|ft|feet|"
               r"x\b|sheets?|bags?|cartons?|bottles?|gloves|pallets?|count|ct\b|st\b|nd\b|rd\b|th\b|"
               r"ply|mil\b|micron|gsm|lbs?|oz)")
_MONEY = (rf"(?P<pre{{n}}>{_CUR_PRE})?\s?(?<![\w.,-])(?P<num{{n}}>{_NUM})(?!\d|[.,]\d)(?P<k{{n}}>\s?k\b)?"
          rf"(?!{_UNIT_AFTER})(?:\s?(?P<post{{n}}>{_CUR_POST}))?")


def _money(n: int = 1) -> str:
    return _MONEY.replace("{n}", str(n))


def _amount(m: re.Match[str], n: int = 1) -> tuple[float, bool]:
    """(amount, has_currency) from a :func:`_money` match."""
    raw = m.group(f"num{n}")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    value = float(raw)
    if m.group(f"k{n}"):
        value *= 1000
    has_currency = bool(m.group(f"pre{n}") or m.group(f"post{n}") or m.group(f"k{n}"))
    return value, has_currency


_BUDGET_WORDS = _rx(r"budget|spend|price|pay\b|cost|afford|€|\$|£|euro|dollar|pound|cheap|expensive|bucks")


# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------

_RESET = _rx(r"\b(?:start(?:ing)? (?:over|again|afresh|from scratch)|new search|fresh start|"
             r"forget (?:that|it|all that|everything|what i said|all of (?:that|it))|from scratch|reset|"
             r"scratch that|let'?s begin again|clean slate|never ?mind(?= *(?:$|[.!,;]| all that| that))|"
             r"something completely different|different search)\b")

_CLEAR = [
    (_rx(r"\bany brand\b|\bbrands? (?:doesn't|does not|don't|do not) matter|\bdon'?t care (?:about|which) (?:the )?brand|"
         r"\bopen to (?:any|all|other) brands|\bother brands are (?:fine|ok|okay)|\bno brand preference|"
         r"\bany (?:label|designer)\b|\bbrand is not important"), ("brands_in", "brands_out")),
    (_rx(r"\bbudget (?:doesn't|does not|don't) matter|\bany (?:budget|price)\b|\bno budget\b|"
         r"\b(?:money|price|cost) is no object|\bprice (?:doesn't|does not) matter|\bregardless of (?:the )?(?:price|cost)|"
         r"\bforget (?:about )?the budget|\bignore (?:the|my) budget|\bbudget is flexible|\bflexible (?:on )?budget|"
         r"\b(?:price|cost|money) is not (?:an issue|a problem)|\bdon'?t worry about (?:the )?(?:price|budget|cost)|"
         r"\bwhatever it costs"), ("budget_max", "budget_min")),
    (_rx(r"\bany size\b|\bsize (?:doesn't|does not) matter"), ("sizes",)),
    (_rx(r"\bany (?:category|type)\b|\bdoesn'?t have to be an? \w+|\bnot (?:just|only) \w+s\b|\bother categories|"
         r"\banything (?:at all|is fine|goes)\b|\bsomething else entirely"), ("categories",)),
    (_rx(r"\b(?:doesn'?t|does not|don'?t|do not) (?:need|have) to be in stock|\bcan wait\b|\bno rush\b|"
         r"\bnot in a (?:rush|hurry)|\bhappy to wait|\b(?:out of stock|made to order|back ?order(?:ed)?) is (?:fine|ok|okay)|"
         r"\bin no hurry"), ("in_stock_only", "max_lead_time_days")),
    (_rx(r"\bany moq\b|\bmoq (?:doesn't|does not) matter|\bminimum order (?:doesn't|does not) matter"), ("max_moq",)),
    (_rx(r"\bany lead time\b|\blead time (?:doesn't|does not) matter"), ("max_lead_time_days",)),
]
_LIFT_TERM = _rx(r"\b(?P<term>[a-z]+) (?:is|would be|are) (?:fine|ok|okay|alright|acceptable)(?: (?:now|after all|too))?\b|"
                 r"\bi don'?t mind (?P<term2>[a-z]+)\b")

_ORDINALS = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
    "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "top": 0, "former": 0,
}
_ORDINAL_REF = _rx(r"\b(?:the\s+)?(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|last|final|"
                   r"latter|former|middle|top)(?:\s+(?:one|option|item|choice|suggestion|pick|result))?\b"
                   r"(?!\s+(?:time|thing|quality|of all|priority|notch|rated|things))")
_NUMBER_REF = _rx(r"(?:\b(?:number|option|no\.?|item|choice|#)\s*|#)(?P<num>[1-9])\b")
_PRICE_REF = _rx(r"\b(?:the\s+)?(?P<which>cheapest|least expensive|most affordable|cheaper|most expensive|priciest|"
                 r"dearest|pricier|more expensive)\s+(?:one|option|item|of (?:them|the \w+))\b")
_DEICTIC = _rx(r"\b(?:that|this) (?:one|item|option|piece|model)\b|\b(?:that|this)(?= (?:is|looks|seems|was)\b)")
_PLURAL_DEICTIC = _rx(r"\b(?:they|them|these|those|all of them|both|each of them|all three|all (?:of )?these)\b")
_IT = _rx(r"\bit\b|\bit's\b")
_ACCOMPANIES = _rx(r"\b(?:match(?:es|ing)?|go(?:es)? with|wear(?:s|ing)? (?:it |them )?with|pair(?:ed|s)? with|team(?:ed)? with|"
                  r"under|over|with (?:my|her|his|their|our))\s+(?:[a-z'-]+\s+){0,3}$")
_BRAND_REF = _rx(r"\b(?:that|this|the same|their|the) (?:brand|label|designer|maker|manufacturer|make)\b")

_NEGATIVE = _rx(r"\b(?:not|no|don'?t|do not|didn'?t|doesn'?t|isn'?t|never|hate|dislike|ugly|skip|remove|drop|"
                r"pass on|not a fan|not keen|not for me|nope|rather not|can'?t stand|boring|awful|horrible|"
                r"too(?= +[a-z]))\b")
_POSITIVE = _rx(r"\b(?:like|love|adore|prefer|perfect|great|nice|lovely|beautiful|gorgeous|stunning|good|"
                r"fantastic|amazing|yes|keen on|interested in|i'?ll take|that'?s the one|similar to|go with|"
                r"into|favourite|favorite|works)\b")
_NONE_OF_THEM = _rx(r"\bnone of (?:them|these|those|the \w+)\b|\b(?:don'?t|do not) like any of (?:them|these|those)\b|"
                   r"\bnot (?:keen on |into )?any of (?:them|these|those)\b|\b(?:all of )?(?:them|these|those) are (?:all )?(?:ugly|awful|"
                   r"terrible|boring|wrong|too \w+)\b|\bneither of (?:them|these|those)\b")
_DONT_MIND = _rx(r"\bdon'?t mind\b|\bnot bad\b|\bno problem\b")

_QUESTION_START = _rx(r"^\s*(?:what|which|how|is|are|does|do|can|could|would|will|has|have|tell me|any idea|"
                      r"who|when|where|why|describe|give me (?:the )?details|more (?:info|information|details))\b")
_ASKING = _rx(r"\b(?:tell me|i'?d like to know|can you tell|could you tell|i want to know|i wonder|i was wondering|"
              r"more about|details (?:on|about|of)|let me know)\b")
_QTY_PRICE = [
    _rx(r"\b(?:price|cost|quote|how much|pricing)\b[^?.!\x00]*?\bfor\s+(?P<q>\d[\d,]*)\s*(?:units?|pcs|pieces?|pairs?|boxes|cases?|items?|rolls?|packs?)?\b"),
    _rx(r"\b(?P<q>\d[\d,]*)\s*(?:units?|pcs|pieces?|pairs?|boxes|cases?|rolls?|packs?)\b[^?.!\x00]*?\b(?:cost|price|be)\b"),
    _rx(r"\b(?:price|cost|pricing)s?\s+(?:at|for)\s+(?P<q>\d[\d,]*)\b"),
]
_TOPICS: list[tuple[QuestionTopic, re.Pattern[str]]] = [
    ("tiered_price", _rx(r"volume (?:pricing|price|discount)|bulk (?:pricing|price|discount|rate)|tier(?:ed)? pric|price (?:tiers|breaks)|"
                         r"quantity discount|discount for (?:bulk|volume|quantity)|price per unit at")),
    ("moq", _rx(r"\bmoq\b|minimum order|min(?:imum)?\.? (?:order )?(?:quantity|qty)|smallest order|"
                r"how many (?:do|must|should) (?:i|we) (?:have to )?(?:order|buy)")),
    ("lead_time", _rx(r"lead[- ]?time|how (?:long (?:does|will|would|to|until|before|for)|quickly|fast|soon)\b|"
                      r"when (?:can|could|will|would) (?:it|they|you|this|that|i|we)\b[^?.]*\b(?:arrive|ship|deliver|be delivered|get)|"
                      r"delivery time|turnaround|ship(?:ping)? time|how many days|delivery date")),
    ("certifications", _rx(r"certif\w*|\bcompliant\b|\bcompliance\b|\bapproved\b|\bstandards?\b|\ben ?388\b|\biso ?\d+|"
                           r"\bansi\b|\bosha\b|\bhaccp\b|\bfda\b|\bfood[- ]safe\b|\bfood[- ]grade\b|\bnsf\b")),
    ("care", _rx(r"\bcare (?:for|instructions|label)|\bhow (?:do|should|to) (?:i |you )?(?:wash|clean|care)|\bwash(?:able|ing)?\b|"
                 r"\bdry[- ]clean|\biron(?:ing)?\b|\bclean (?:it|them)\b|\blook after\b|\bmachine wash")),
    ("material", _rx(r"\bmade (?:of|from|out of|with)\b|\bmaterials?\b|\bfabrics?\b|\bcomposition\b|\bwhat(?:'s| is) it made\b|"
                     r"\breal (?:leather|silk|gold|wool|cashmere)\b|\bis (?:it|this|that|the \w+) (?:leather|silk|cotton|wool|cashmere|linen|"
                     r"polyester|nitrile|latex|vinyl|plastic|metal|gold|silver)\b")),
    ("sizes", _rx(r"\bsizes?\b|\bsizing\b|\bwhat fits?\b|\bcome in (?:a |an )?(?:\d{1,2}|xs|xxs|s|m|l|xl|xxl|small|medium|large|petite)\b|"
                  r"\b(?:have|get) (?:it|this|that|one|them) in (?:a |an )?(?:\d{1,2}|xs|s|m|l|xl|small|medium|large)\b|"
                  r"\bin (?:a |an )?(?:size )?\d{1,2}(?:\.5)?\s*\?")),
    ("colour", _rx(r"\bcolou?rs?\b|\bshades?\b|\b(?:come|available|have (?:it|them|one)) in (?:" + "|".join(sorted(COLOUR_WORDS)) + r")\b|"
                   r"\bin (?:other|different|another) colou?rs?")),
    ("availability", _rx(r"\bin stock\b|\bavailable\b|\bavailability\b|\bsold out\b|\bstill (?:have|got)\b|"
                         r"\bcan (?:i|we) (?:buy|get|order) (?:it|them|this|that|one) (?:now|today)|\bback in stock\b")),
    ("brand", _rx(r"\bbrand\b|\bwho makes\b|\bwhich (?:designer|label|maker|manufacturer)\b|\bmade by\b|\bwho(?:'s| is) the (?:designer|maker)")),
    ("price", _rx(r"\bprice\b|\bcost\b|\bhow much\b|\bpricing\b|\bexpensive\s*\?")),
    ("description", _rx(r"\btell me (?:more|about|a bit)|\bmore (?:about|info|information|details)\b|\bdetails\b|\bdescribe\b|"
                        r"\bwhat(?:'s| is) (?:it|this|that|the (?:first|second|third|last)(?: one)?)\s*(?:like)?\s*\??$|\bfeatures\b|"
                        r"\bspecs\b|\bspecifications\b|\binfo on\b|\bwhat about\b")),
]

_LEAD_UNITS = r"(?P<u>(?:business |working )?(?:days?|d\b|weeks?|wks?))"
_LEAD_NUM = r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few)"
_LEAD = [
    _rx(r"\blead[- ]?times?\s*(?:of|is|:|must be|should be|needs to be)?\s*(?:under|below|less than|within|max(?:imum)?|at most|"
        r"no more than|not more than|up to|<|<=|≤|of)?\s*" + _LEAD_NUM + r"\s*" + _LEAD_UNITS),
    _rx(r"\b(?:within|in under|in less than|inside(?: of)?|no later than)\s+(?:the next\s+)?" + _LEAD_NUM + r"\s*" + _LEAD_UNITS),
    _rx(r"\b(?:deliver(?:y|ed)?|ship(?:ped|ping)?|arrive|arrival|get (?:it|them)|have (?:it|them)|need (?:it|them)|"
        r"receive (?:it|them))\s+(?:with)?in\s+" + _LEAD_NUM + r"\s*" + _LEAD_UNITS),
    _rx(r"\b(?:by|before) next week\b"),
]
_MOQ = _rx(r"\b(?:moq|minimum order(?: quantity| qty)?|min(?:imum)?\.? order(?: qty| quantity)?|order minimum|minimum quantity|"
           r"minimum (?:of )?units)\s*(?:of|is|:|must be|should be|needs to be|has to be)?\s*(?:under|below|less than|no more than|"
           r"not more than|at most|max(?:imum)?|up to|<|<=|≤|not (?:above|over|higher than)|of)?\s*(?P<n>\d[\d,]*)")
_ORDER_QTY = _rx(r"\b(?:need|needs|order|ordering|buy|buying|want|get|looking for|require|purchase|purchasing|only need|"
                 r"just need)\s+(?:about |around |roughly |approximately |only |just |up to )?(?P<n>\d[\d,]*)\s*"
                 r"(?:units?|pcs|pieces?|pairs?|boxes|cases?|rolls?|packs?|items?|bottles?|cartons?|sets?)\b")
_IN_STOCK = _rx(r"\b(?:in stock|in-stock|available (?:now|right now|immediately|today|to ship)|ready to ship|"
                r"ships? (?:now|immediately|today|right away)|(?:need|want|have|get) (?:it|them|this|one|something)\s+"
                r"(?:this week|by (?:tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|"
                r"this weekend)|tomorrow|today|tonight|asap|now|urgently|right away|immediately|fast|quickly)|"
                r"asap|urgent(?:ly)?|in a (?:rush|hurry)|can'?t wait|only (?:what's|what is) available|"
                r"(?:for|by) (?:tomorrow|tonight|this weekend)|this week)\b")

_SIZE_VALUE = r"(?:xxs|xs|s|m|l|xl|xxl|2xl|\d{1,2}(?:\.5)?|extra small|extra large|x-small|x-large|small|medium|large|one size)"
_SIZES = [
    _rx(r"\bsizes?\s+(?P<s>" + _SIZE_VALUE + r"(?:\s*(?:,|or|and|to|/)\s*" + _SIZE_VALUE + r")*)\b"),
    _rx(r"\b(?P<sys>uk|eu|us|it|fr)\s?(?P<s>\d{1,2}(?:\.5)?)\b"),
    _rx(r"\b(?:in|fits?|fitting) (?:a |an )?(?:size )?(?P<s>xxs|xs|xl|xxl|\d{1,2}(?:\.5)?|small|medium|large|extra small|extra large)\b(?!\s*(?:%|days?|weeks?|units?|pieces?|pairs?))"),
    _rx(r"\bi(?:'m| am) (?:a |an )?(?:size )?(?P<s>xxs|xs|s|m|l|xl|xxl|\d{1,2}(?:\.5)?|small|medium|large)\b(?! (?:fan|bit|little|woman|man|person|buyer|manager))"),
    _rx(r"\bi (?:wear|take|need) (?:a |an )?(?:size )?(?P<s>xxs|xs|s|m|l|xl|xxl|\d{1,2}(?:\.5)?|small|medium|large)\b(?!\s*(?:units?|pieces?|pairs?|boxes|days?))"),
]

_BUDGET_RANGE = [
    _rx(r"\bbetween\s+" + _money(1) + r"\s*(?:and|&|-|to)\s*" + _money(2)),
    _rx(r"(?:\bfrom\s+)?" + _money(1) + r"\s*(?:-|to)\s*" + _money(2)),
]
_BUDGET_MAX = [
    _rx(r"(?:\b(?:under|below|beneath|less than|no more than|not more than|not over|no higher than|not above|max(?:imum)?|"
        r"at most|up to|upto|cheaper than|within|tops|ceiling of|cap of|lower than|no greater than|"
        r"not exceeding|not to exceed|nothing (?:over|above|more than)|not (?:over|above)|no (?:over|above))|<=?|≤)\s*(?:a\s+)?(?:budget of\s+)?(?:about\s+)?" + _money(1)),
    _rx(r"\b(?:don'?t|do not|can'?t|cannot|won'?t|wouldn'?t|not|rather not|unwilling to|not willing to)\s+(?:want to\s+|wanna\s+|"
        r"be able to\s+|able to\s+|like to\s+)?(?:spend|pay|go|exceed)\s+(?:more than|over|above|beyond|past)?\s*" + _money(1)),
    _rx(_money(1) + r"\s*(?:or less|or under|or below|or cheaper|max(?:imum)?\b|tops\b|at most|at the most|"
                      r"and under|and below|is (?:my|the|our) (?:max|limit|ceiling|maximum))"),
    _rx(r"\b(?:budget|spend|spending|afford|pay)\s*(?:is|of|:|=|would be|will be|up to|max|at most)?\s*"
        r"(?:is\s+)?(?P<around>around|about|roughly|approximately|approx\.?|circa|~)?\s*(?:up to\s+|max\s+)?" + _money(1)),
]
_BUDGET_AROUND = _rx(r"(?:\b(?:around|about|roughly|approximately|approx\.?|circa|something like|in the region of|ballpark(?: of)?|"
                     r"close to|near)|~)\s*" + _money(1))
_BUDGET_MIN = [
    (_rx(r"\b(?:at least|minimum(?: of)?|min\.?|no less than|not less than|upwards of|starting at)\s*" + _money(1)), False),
    (_rx(r"(?:\b(?:more than|over|above|from|greater than)|>=?)\s*" + _money(1)), True),
    (_rx(_money(1) + r"\s*(?:or more|and up|and above|or above|\+|plus)"), False),
]
_BARE_MONEY = _rx(_money(1))

_CHEAPER = _rx(r"\b(?:cheaper|less expensive|less pricey|less costly|more affordable|more budget[- ]friendly|lower[- ]priced?|"
               r"lower price|too (?:expensive|pricey|costly|dear|steep)|too much(?= *(?:$|[.!,;?]| for (?:me|us)| money))|"
               r"over (?:my|the|our) budget|out of (?:my|our) (?:budget|price range|league)|can'?t afford|costs? too much|"
               r"(?:bit|little) (?:steep|pricey|expensive)|less money)\b")
_PRICIER = _rx(r"\b(?:more expensive|pricier|higher[- ]end|more upscale|more premium|more luxurious|too cheap|looks? cheap|"
               r"cheap[- ]looking|better quality|higher quality|nicer quality|more high[- ]end|more exclusive|more luxury)\b")
_COMPARATIVES = {
    "dressier": "dressy", "smarter": "smart", "warmer": "warm", "lighter": "light", "brighter": "bright",
    "bolder": "bold", "simpler": "simple", "longer": "long", "shorter": "short", "softer": "soft",
    "darker": "dark", "cooler": "cool", "sturdier": "sturdy", "tougher": "tough", "thicker": "thick",
    "thinner": "thin", "classier": "classy", "sexier": "sexy", "comfier": "comfy", "fancier": "fancy",
    "edgier": "edgy", "sportier": "sporty", "plainer": "plain", "slimmer": "slim", "looser": "loose",
    "tighter": "tight", "quieter": "quiet", "louder": "loud", "stronger": "strong", "heavier": "heavy",
    "larger": "large", "bigger": "big", "smaller": "small", "cuter": "cute", "chicer": "chic",
    "trendier": "trendy", "cosier": "cosy", "cozier": "cozy", "prettier": "pretty", "subtler": "subtle",
    "durable": "durable",
}
_COMPARATIVE = _rx(r"\b(?P<c>" + "|".join(k for k in _COMPARATIVES if k != "durable") + r")\b")
_MORE_LIKE = _rx(r"\bmore (?:of an? )?(?P<a>[a-z][a-z-]+)(?: (?P<b>look|style|vibe|feel))?\b")
_LESS_LIKE = [
    _rx(r"\bless (?P<a>[a-z][a-z-]+)\b"),
    _rx(r"\b(?:not so|not too|nothing too|not as|not quite so|nothing overly|not overly|nothing so|a bit too|a little too|"
        r"way too|far too|much too|too)\s+(?P<a>[a-z][a-z-]+)\b"),
]
_CRITIQUE_SKIP = frozenset("""
options option choices choice results result items item things thing stuff ideas idea info information
details detail about like of than please money time suggestions suggestion than to the a an
one ones expensive affordable pricey costly cheap much many often later soon late sure bad good
great fine also important importantly specifically detail precisely here there now me us you it that this
these those again or and but so
""".split())
_STYLE_ADJECTIVES = frozenset("""
formal casual flashy bold sexy revealing tight short long bright dark loud fancy plain heavy bulky
dressy smart busy sparkly shiny glittery colourful colorful girly boxy baggy oversized cropped
sheer flowy structured stiff trendy edgy sporty corporate conservative frumpy old-fashioned young
mature matronly fussy ornate minimal simple basic classic quirky
""".split())

_NEGATED_TERM = _rx(r"\b(?:not an? (?:big |huge )?fan of|not keen on|not into|not interested in|not wild about|"
                    r"not|no|without|nothing|avoid|avoiding|exclude|excluding|except|minus|hate|dislike|allergic to|"
                    r"(?:can'?t|cannot|don'?t|doesn'?t|do not|does not|won'?t|will not|never) (?:wear|stand|want|like|need|use|do|have|"
                    r"tolerate|eat|touch)|no more|anything but|"
                    r"free of|free from|nothing with|nothing in|nothing made of|stay away from)\s+"
                    r"(?:(?:any|a|an|the|made of|made from|in|with|of|real|more|anything|things|stuff|items|"
                    r"something|containing|that has|that have|contain)\s+)*"
                    r"(?P<term>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?)")
_FREE_TERM = _rx(r"\b(?P<term>[a-z]+)[- ]free\b")
_MUST = _rx(r"\b(?:must|has to|have to|needs to|need to|got to|gotta|it should definitely)\s+(?:be|have|include|contain|"
            r"come with|feature|offer)\s+(?:a |an |the |some |fully |100% )?(?P<term>[a-z][a-z-]*(?: [a-z][a-z-]*){0,2})")

_GREETING = _rx(r"\b(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day)|bonjour|ciao|hola|"
                r"thanks?(?: you)?(?: so much| very much| a lot)?|cheers|many thanks|there|all|team|folks|everyone)\b")
_GREETING_WORD = _rx(r"\b(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day)|bonjour|ciao|hola|"
                     r"thanks?|thank you|cheers)\b")

_AMBIGUOUS_CATEGORY = {
    # The verb ('to dress for dinner', 'I dress for comfort'), not the noun ('a dress for everyday wear').
    "dress": _rx(r"\b(?:to|i|we|you|they|and|how to)\s+dress\b|\bdress (?:up|down|code)\b"),
    "top": _rx(r"\b(?:on|the|at the|from the|over the) top\b|\btop (?:quality|notch|pick|choice|rated|brand|one|of|priority|up)\b"),
    "suit": _rx(r"\bto suit\b|\bsuits? (?:me|you|us|her|him|them|my|our)\b"),
    "case": _rx(r"\bin (?:that|this|any) case\b|\bcase of\b|\bjust in case\b"),
    "box": _rx(r"\bbox of\b"),
    "boxes": _rx(r"\bboxes of\b"),
    "bag": _rx(r"\bbag of\b"),
    "set": _rx(r"\ball set\b|\bset (?:up|on)\b"),
    "watch": _rx(r"\bwatch out\b|\b(?:to|i|we|you|and|please|will|'ll|should|must)\s+watch\b"),
    "tape": _rx(r"\bred tape\b"),
    "light": _rx(r"\blight (?:blue|pink|grey|gray|green|weight)\b"),
}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def _dedupe(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        key = v.lower()
        if v and key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _number(text: str) -> int:
    text = text.strip().lower()
    if text in _WORD_NUMBERS:
        return _WORD_NUMBERS[text]
    return int(float(text.replace(",", "")))


def _days(n: str, unit: str) -> int:
    value = _number(n)
    return value * 7 if unit.strip().startswith("w") else value


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text``: split at sentence punctuation, semicolons and 'but'."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?;\n]+|,?\s+\bbut\b|,?\s+\bhowever\b|,?\s+\bwhereas\b", text, re.IGNORECASE):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _clause_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return spans[-1]


def _negated_before(text: str, start: int, window: int = 4) -> bool:
    """A negator among the few words before ``start`` in its clause ('nothing from X', 'not X')."""
    tail = text[:start]
    if re.search(r"(?:other than|anything but|rather than|instead of|no more|sick of|tired of|not a fan of|"
                 r"stay away from|except(?: for)?)\s*(?:from\s+|the\s+|any\s+)?$", tail):
        return True
    before = re.split(r"[,;.!?:]|\bbut\b|\band\b|\bor\b", tail)[-1]
    words = re.findall(r"[a-z']+", before)[-window:]
    return any(w in ("not", "no", "nothing", "avoid", "except", "without", "never", "hate", "dislike", "neither",
                     "nor") or w.endswith("n't") or w in ("dont", "doesnt", "isnt") for w in words)


# ---------------------------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------------------------

@dataclass
class _Ref:
    start: int
    end: int
    item_ids: list[str]
    kind: Literal["explicit", "deictic", "plural"]


_ID_CUE = _rx(r"(?:\bitems?|\bid|\bsku|\bproduct|\barticle|#|\bno\.?|\bnumber)\s*:?\s*$")


def _find_refs(work: _Work, shown: list[Item], vocab: CatalogVocabulary) -> list[_Ref]:
    """Every reference to an item in the message, resolved to ids (not consumed)."""
    text = work.s
    refs: list[_Ref] = []
    known = {i.id.lower(): i.id for i in shown}
    # Item ids: any token that is the id of a shown or catalog item.
    for m in re.finditer(r"[a-z0-9][a-z0-9_./-]*[a-z0-9]", text):
        token = m.group(0)
        item_id = known.get(token) or vocab.item_ids.get(token)
        if item_id and token not in known and token.isdigit() and len(token) < 6 \
                and not _ID_CUE.search(text, 0, m.start()):
            continue  # a short number names a catalog item only when it is called one ('item 360')
        if item_id:
            refs.append(_Ref(m.start(), m.end(), [item_id], "explicit"))
    if shown:
        for m in _ORDINAL_REF.finditer(text):
            word = m.group("ord")
            if word == "top" and not re.search(r"\btop\s+(?:one|option|item|choice|suggestion|pick|result)\b", m.group(0)):
                continue
            if word in ("last", "final", "latter"):
                idx = len(shown) - 1
            elif word == "middle":
                idx = len(shown) // 2
            else:
                idx = _ORDINALS[word]
            if word in ("first", "1st", "second", "2nd", "third", "3rd", "fourth", "4th", "fifth", "5th",
                        "sixth", "6th", "last", "final") and not re.search(
                        r"\b(?:one|option|item|choice|suggestion|pick|result)\b|^the\s", m.group(0)):
                # 'first' alone ('first, I need...') is not a reference unless it follows 'the'.
                continue
            if idx < len(shown):
                refs.append(_Ref(m.start(), m.end(), [shown[idx].id], "explicit"))
        for m in _NUMBER_REF.finditer(text):
            idx = int(m.group("num")) - 1
            if idx < len(shown):
                refs.append(_Ref(m.start(), m.end(), [shown[idx].id], "explicit"))
        for m in _PRICE_REF.finditer(text):
            which = m.group("which")
            pick = min if which in ("cheapest", "least expensive", "most affordable", "cheaper") else max
            refs.append(_Ref(m.start(), m.end(), [pick(shown, key=lambda i: i.price).id], "explicit"))
        refs.extend(_title_refs(text, shown))
        for m in _DEICTIC.finditer(text):
            bare = not re.search(r"\s", m.group(0))
            if bare and not re.search(r"(?:^|[,.!?;:]\s*|\b(?:but|and|so|think|yes|no|oh|well|ok|okay|hmm|honestly)\s+)$",
                                      text[:m.start()]):
                continue  # 'scarves that would make a gift': a relative 'that', not 'that one'
            refs.append(_Ref(m.start(), m.end(), [shown[0].id], "deictic"))
    # Keep the first reference at each position (an id beats an ordinal beats a title).
    refs.sort(key=lambda r: (r.start, r.kind != "explicit"))
    out: list[_Ref] = []
    for ref in refs:
        if out and ref.start < out[-1].end:
            continue
        out.append(ref)
    return out


_COMPARED_TO = _rx(r"(?:\b(?:cheaper|pricier|dearer|better|nicer|more \w+|less \w+|\w+er)\s+than|"
                  r"\b(?:something|anything|one|ones|more|looks?|bit|lot|just|exactly|much) like|similar to|"
                  r"same as|along the lines of|in the style of|close to)\s+$")


def _polarity(work: _Work, refs: list[_Ref], k: int, clause: tuple[int, int]) -> tuple[str | None, str]:
    """Whether reference ``k`` is liked or rejected, and the rejection's reason.

    The words read are the reference's own comma-chunk of its clause (up to the neighbouring
    references); when that chunk says nothing, the next chunk if it continues about the same item
    ('the second one, it's too flashy'), else the previous chunk. A reference that is compared to
    ('cheaper than the second one', 'similar to #2') is an anchor the person likes.
    """
    ref = refs[k]
    cs, ce = clause
    text = work.s
    lo = max([cs, *(r.end for r in refs[:k] if r.end > cs)])
    hi = min([ce, *(r.start for r in refs[k + 1:] if r.start < ce)])
    if _COMPARED_TO.search(text[lo:ref.start]):
        return "liked", ""
    chunk_lo = lo + (text[lo:ref.start].rfind(",") + 1 if "," in text[lo:ref.start] else 0)
    comma_after = text.find(",", ref.end, hi)
    chunk_hi = comma_after if comma_after != -1 else hi
    candidates = [(chunk_lo, chunk_hi)]
    if comma_after != -1:
        nxt_end = text.find(",", comma_after + 1, hi)
        nxt = (comma_after + 1, nxt_end if nxt_end != -1 else hi)
        if re.match(r"\s*(?:it|it's|that|that's|this|this one|which|too|way too|not|but)\b", text[nxt[0]:nxt[1]]):
            candidates.append(nxt)
    if chunk_lo > lo:
        candidates.append((lo, chunk_lo))
    for a, b in candidates:
        segment = text[a:ref.start] + " " + text[ref.end:b] if a <= ref.start < b else text[a:b]
        if _DONT_MIND.search(segment):
            return None, ""
        if _NEGATIVE.search(segment):
            after = work.original[ref.end:b] if a <= ref.start < b else work.original[a:b]
            before = work.original[a:ref.start] if a <= ref.start < b else ""
            return "rejected", _reason(after) or _reason(before)
        if _POSITIVE.search(segment):
            return "liked", ""
    return None, ""


def _title_refs(text: str, shown: list[Item]) -> list[_Ref]:
    """'the Velluto dress', 'that silk one': title/brand/category words after a determiner that
    single out one shown item (distinctive words count 1, words shared with others 0.25)."""
    token_sets = []
    for item in shown:
        words = set(re.findall(r"[a-z0-9]+", f"{item.title} {item.brand} {item.category}".lower()))
        token_sets.append({w for w in words if len(w) >= 3 and w not in STOPWORDS})
    refs: list[_Ref] = []
    for m in re.finditer(r"\b(?:the|that|this|those|these)\s+(?P<phrase>(?:[a-z0-9-]+\s+){0,3}?(?:[a-z0-9-]+))(?=\s+one\b|\s*[,.!?;]|\s+(?:is|was|looks|seems|from|by|in|but|and|please|instead|too|for|would|isn'?t|doesn'?t)\b|\s*$)",
                         text):
        words = [w for w in re.findall(r"[a-z0-9]+", m.group("phrase")) if w not in STOPWORDS]
        if not words:
            continue
        scores = []
        for tokens in token_sets:
            score = 0.0
            for w in words:
                if w in tokens or singular(w) in tokens:
                    holders = sum(1 for other in token_sets if w in other or singular(w) in other)
                    score += 1.0 if holders == 1 else 0.25
            scores.append(score)
        best = max(scores)
        if best >= 1.0 and scores.count(best) == 1:
            refs.append(_Ref(m.start(), m.end(), [shown[scores.index(best)].id], "explicit"))
    return refs


def parse_message(text: str, vocab: CatalogVocabulary, shown: list[Item], turn: int = 0) -> MessageParse:
    """Read one message (see the module docstring for the method). ``shown`` are the items shown
    last turn, in the order they were shown; ``turn`` is accepted for symmetry with the other
    readers (references resolve against ``shown`` only)."""
    del turn  # references resolve against ``shown``; the turn adds nothing to a deterministic read
    parsed = _parse(_normalise(text), vocab, shown, allow_question=True)
    if parsed is None:
        # A request phrased as a question ('can you show me gowns, in stock only?'): read it again
        # as a request, so the words the question pass set aside count as constraints.
        parsed = _parse(_normalise(text), vocab, shown, allow_question=False)
    assert parsed is not None
    return parsed


def _parse(text: str, vocab: CatalogVocabulary, shown: list[Item], allow_question: bool) -> MessageParse | None:
    """One reading of the message; None when it found a question whose target turned out to be a
    new search (the caller then reads the message again without the question pass)."""
    work = _Work(text)
    out = MessageParse()
    c = out.constraints

    # 1. Reset.
    if work.take(_RESET):
        out.reset = True

    # 2. References (item ids, ordinals, titles, 'that one').
    refs = _find_refs(work, shown, vocab)
    spans = _clauses(work.s)

    # 'not that brand' must not read as a question about the brand.
    brand_refs = work.take(_BRAND_REF)

    # 3. Question about items.
    question = _question(work, refs, shown) if allow_question else None

    # Reactions: see _polarity.
    question_ids = set(question.item_ids) if question is not None else set()
    previous: tuple[tuple[int, int], str | None] | None = None
    for k, ref in enumerate(refs):
        clause = _clause_of(spans, ref.start)
        polarity, reason = _polarity(work, refs, k, clause)
        if polarity is None and previous is not None and previous[0] == clause:
            polarity = previous[1]  # 'not the first or the second'
        previous = (clause, polarity)
        if set(ref.item_ids) <= question_ids:
            polarity = None  # a question about an item is not a verdict on it
        if polarity == "rejected":
            out.rejected_refs.extend(ref.item_ids)
            out.reason = out.reason or reason
        elif polarity == "liked":
            out.liked_refs.extend(ref.item_ids)
        work.consume(ref.start, ref.end)
    # A message that is nothing but a reference ('the second one') picks that item.
    if len(refs) == 1 and not out.rejected_refs and not out.liked_refs and question is None:
        rest = work.s[:refs[0].start] + work.s[refs[0].end:]
        if not [w for w in re.findall(r"[a-z]+", rest) if w not in STOPWORDS and w not in ("one", "option", "please")]:
            out.liked_refs.extend(refs[0].item_ids)
    if shown and _NONE_OF_THEM.search(work.s):
        out.rejected_refs.extend(i.id for i in shown)
        out.reason = out.reason or _NONE_OF_THEM.search(work.s).group(0)
    # 'not that brand'
    for m in brand_refs:
        cs, ce = _clause_of(spans, m.start())
        if _NEGATIVE.search(work.original.lower()[cs:ce]) or re.search(r"\b(?:nothing|no more|avoid)\b", work.original.lower()[cs:ce]):
            # The item referred to in the same clause, else the nearest one before, else the first shown.
            in_clause = [r for r in refs if cs <= r.start < ce]
            before = [r for r in refs if r.end <= m.start()]
            ref = in_clause[0] if in_clause else (before[-1] if before else None)
            ids = ref.item_ids if ref is not None else ([shown[0].id] if shown else [])
            by_id = {i.id: i for i in shown}
            for item_id in ids:
                item = by_id.get(item_id)
                if item is not None and item.brand:
                    out.brand_refs_out.append(item.brand)
    # A pronoun reaction with one item shown: 'I love it', 'not for me'.
    if shown and not refs and question is None:
        whole = work.s
        if re.search(r"\b(?:love|like|adore) (?:it|this|that)\b|\b(?:it'?s|that'?s|this is) (?:perfect|great|lovely|beautiful|gorgeous|the one)\b", whole):
            if not re.search(r"\b(?:don'?t|do not|not|doesn'?t)\s+(?:really\s+)?(?:love|like)", whole):
                out.liked_refs.append(shown[0].id)
        if re.search(r"\b(?:don'?t|do not|doesn'?t) (?:really )?(?:like|love|want) (?:it|this|that)\b|\bnot (?:for me|my style|my taste)\b|"
                     r"\b(?:hate|dislike) (?:it|this|that)\b|\b(?:it'?s|that'?s|this is) (?:ugly|awful|horrible|not (?:it|right))\b", whole):
            out.rejected_refs.append(shown[0].id)

    # 4. Lifted constraints.
    for pattern, fields in _CLEAR:
        if work.take(pattern):
            out.clear.extend(fields)
    for m in work.find(_LIFT_TERM):
        term = (m.group("term") or m.group("term2") or "").lower()
        if term in MATERIAL_WORDS or term in COLOUR_WORDS or term in PATTERN_WORDS or term in vocab.materials:
            out.clear.append(f"exclude_terms:{term}")
            work.consume(m.start(), m.end())
        elif term in vocab.brands:
            out.clear.append(f"brands_out:{vocab.brands[term]}")
            work.consume(m.start(), m.end())

    asked = {question.topic, *question.other_topics} if question is not None else set()

    # 5. Lead time, MOQ, order quantity.
    for pattern in _LEAD:
        for m in work.take(pattern):
            if "lead_time" in asked:
                continue
            days = _days(m.group("n"), m.group("u")) if "n" in pattern.groupindex else 7
            c.max_lead_time_days = min(days, c.max_lead_time_days or days)
    for m in work.take(_MOQ):
        if "moq" not in asked:
            n = _number(m.group("n"))
            c.max_moq = min(n, c.max_moq or n)
    if question is None:
        for m in work.take(_ORDER_QTY):
            n = _number(m.group("n"))
            c.max_moq = min(n, c.max_moq or n)

    # 6. In stock.
    if work.take(_IN_STOCK) and "availability" not in asked:
        c.in_stock_only = True

    # 7. Sizes.
    for pattern in _SIZES:
        for m in work.find(pattern):
            value = m.group("s")
            if "sys" in pattern.groupindex and m.group("sys"):
                system_value = f"{m.group('sys')} {value}"
                if system_value in vocab.sizes:
                    value = system_value
            sizes = [s.strip() for s in re.split(r"\s*(?:,|\bor\b|\band\b|\bto\b|/)\s*", value) if s.strip()]
            resolved = [_size(s, vocab) for s in sizes]
            resolved = [s for s in resolved if s]
            if pattern is _SIZES[2] and not all(
                    s.lower() in vocab.sizes or not re.fullmatch(r"[\d.]+", s) for s in resolved):
                continue  # 'in a 38' only counts when 38 is a size this catalog sells
            if resolved:
                work.consume(m.start(), m.end())
                if "sizes" not in asked:
                    c.sizes.extend(resolved)

    # 8. Budget.
    if "price" not in asked:
        _budget(work, c)

    # 9. Critiques.
    _critiques(work, out)

    # 10. Brands.
    _brands(work, vocab, c, spans)

    # 11. Categories.
    _categories(work, vocab, c, shown)

    # 12. Must-haves and 13. negated terms.
    _must_haves(work, vocab, c)
    _negated_terms(work, vocab, c, out)

    # Question target default: the first shown item, unless the message is a new search.
    if question is not None and not question.item_ids:
        new_search = bool(c.categories or c.budget_max or c.budget_min or c.brands_in)
        if shown and not new_search:
            plural_ref = bool(_PLURAL_DEICTIC.search(work.original.lower()))
            question.item_ids = [i.id for i in shown] if plural_ref else [shown[0].id]
        else:
            return None
    out.question = question

    # 14. Greeting only.
    stripped = _GREETING.sub(" ", work.original.lower())
    out.greeting_only = bool(_GREETING_WORD.search(work.original.lower())) and not re.search(r"[a-z0-9]", stripped)

    c.sizes = _dedupe(c.sizes)
    c.categories = _dedupe(c.categories)
    c.brands_in = _dedupe(c.brands_in)
    c.brands_out = _dedupe(c.brands_out)
    c.exclude_terms = _dedupe(c.exclude_terms)
    c.must_have = _dedupe(c.must_have)
    out.clear = _dedupe(out.clear)
    out.rejected_refs = _dedupe(out.rejected_refs)
    out.liked_refs = [i for i in _dedupe(out.liked_refs) if i not in out.rejected_refs]
    out.brand_refs_out = _dedupe(out.brand_refs_out)
    return out


_VERDICT_WORDS = frozenset("""not no don't dont do does doesn't didn't like love dislike hate really that one
    skip remove drop pass nope never rather thanks thank please for me isn't is it's was this""".split())


def _reason(segment: str) -> str:
    """The words of a rejection that say why ('too formal'), or '' when they only say no."""
    cleaned = re.sub(r"\s+", " ", segment).strip(" ,.;:!?-")
    content = [w for w in re.findall(r"[a-z']+", cleaned.lower()) if w not in STOPWORDS and w not in _VERDICT_WORDS]
    return cleaned if content else ""


def _size(value: str, vocab: CatalogVocabulary) -> str:
    value = value.strip().lower()
    value = SIZE_WORDS.get(value, value)
    return vocab.sizes.get(value.lower(), value.upper() if re.fullmatch(r"[a-z]+", value) else value)


def _question(work: _Work, refs: list[_Ref], shown: list[Item]) -> ItemQuestion | None:
    text = work.s
    original = work.original.strip()
    interrogative = "?" in original or bool(_QUESTION_START.search(text)) or bool(_ASKING.search(text))
    if not interrogative:
        return None
    topic: QuestionTopic | None = None
    quantity: int | None = None
    for pattern in _QTY_PRICE:
        m = pattern.search(text)
        if m:
            topic, quantity = "price", _number(m.group("q"))
            work.consume(m.start("q"), m.end("q"))
            break
    positions = [(m.start(), n, name) for n, (name, pattern) in enumerate(_TOPICS) if (m := pattern.search(text))]
    found = [name for _, _, name in sorted(positions)]  # in the order the person asked
    if topic is None and found:
        topic = found[0]
    if topic is None:
        return None
    others = [t for t in found if t != topic and not (topic == "price" and t == "tiered_price")]
    explicit = [r for r in refs if r.kind == "explicit"]
    ids: list[str] = []
    if explicit:
        ids = _dedupe(i for r in explicit for i in r.item_ids)
    elif any(r.kind == "deictic" for r in refs):
        ids = [shown[0].id]
    elif shown and _PLURAL_DEICTIC.search(text):
        ids = [i.id for i in shown]
    elif shown and _IT.search(text):
        ids = [shown[0].id]
    return ItemQuestion(item_ids=ids, topic=topic, other_topics=others, quantity=quantity, text=original)


def _budget(work: _Work, c: Constraints) -> None:
    context = bool(_BUDGET_WORDS.search(work.original))
    for pattern in _BUDGET_RANGE:
        for m in work.find(pattern):
            low, cur1 = _amount(m, 1)
            high, cur2 = _amount(m, 2)
            explicit = m.group(0).lstrip().lower().startswith(("between", "from"))
            if not (cur1 or cur2 or context or explicit) or high <= low:
                continue
            c.budget_min, c.budget_max = low, high
            work.consume(m.start(), m.end())
    for pattern in _BUDGET_MAX:
        for m in work.find(pattern):
            value, cur = _amount(m, 1)
            if value <= 0 or (value < 1 and not (cur or context)):
                continue  # B2B unit prices go below 1 ('under €0.66'); a bare 'under 0.5' is no budget
            if "around" in pattern.groupindex and m.group("around"):
                value = round(value * AROUND_FACTOR, 2)
            c.budget_max = value if c.budget_max is None else min(c.budget_max, value)
            work.consume(m.start(), m.end())
    for m in work.find(_BUDGET_AROUND):
        value, cur = _amount(m, 1)
        value = round(value * AROUND_FACTOR, 2)
        c.budget_max = value if c.budget_max is None else min(c.budget_max, value)
        work.consume(m.start(), m.end())
    for pattern, weak in _BUDGET_MIN:
        for m in work.find(pattern):
            value, cur = _amount(m, 1)
            if weak and not (cur or context):
                continue
            c.budget_min = value if c.budget_min is None else max(c.budget_min, value)
            work.consume(m.start(), m.end())
    for m in work.find(_BARE_MONEY):
        value, cur = _amount(m, 1)
        if cur and value > 0:
            c.budget_max = value if c.budget_max is None else min(c.budget_max, value)
            work.consume(m.start(), m.end())


def _critiques(work: _Work, out: MessageParse) -> None:
    for m in work.take(_CHEAPER):
        out.critiques.append(Critique(kind="cheaper", text=m.group(0)))
    for m in work.take(_PRICIER):
        out.critiques.append(Critique(kind="pricier", text=m.group(0)))
    for m in work.find(_MORE_LIKE):
        attr = m.group("a")
        if attr in _CRITIQUE_SKIP or attr in STOPWORDS or len(attr) < 3:
            continue
        if m.group("b"):
            attr = f"{attr} {m.group('b')}"
        out.critiques.append(Critique(kind="more_like", attribute=attr, text=attr))
        work.consume(m.start(), m.end())
    for m in work.find(_COMPARATIVE):
        attr = _COMPARATIVES[m.group("c")]
        out.critiques.append(Critique(kind="more_like", attribute=attr, text=attr))
        work.consume(m.start(), m.end())
    for pattern in _LESS_LIKE:
        for m in work.find(pattern):
            attr = m.group("a")
            if attr in _CRITIQUE_SKIP or attr in STOPWORDS or attr in NON_TERMS or len(attr) < 3:
                continue
            if attr in MATERIAL_WORDS or attr in COLOUR_WORDS or attr in PATTERN_WORDS:
                continue  # 'not too much lace' -> left for the exclusion pass
            out.critiques.append(Critique(kind="less_like", attribute=attr, text=attr))
            work.consume(m.start(), m.end())


_BRAND_CUE_BEFORE = _rx(r"\b(?:from|by|brand|made by|maker|manufacturer)\s*:?\s*$")
_BRAND_CUE_AFTER = _rx(r"\s+(?:brand|make)\b|'s\b")


def _brands(work: _Work, vocab: CatalogVocabulary, c: Constraints, spans: list[tuple[int, int]]) -> None:
    pattern = vocab.brand_pattern()
    if pattern is None:
        return
    for m in work.find(pattern):
        alias = m.group(1) not in vocab.brands
        name = vocab.brand_aliases[m.group(1)] if alias else vocab.brands[m.group(1)]
        original = work.original[m.start():m.end()]
        common = m.group(1) in STOPWORDS or m.group(1) in COLOUR_WORDS or m.group(1) in MATERIAL_WORDS \
            or len(m.group(1)) < 3
        if (common and original != name) or (alias and not original[:1].isupper()):
            continue  # a common word, or a brand's short form, counts only when written as a name
        before = work.s[:m.start()]
        cued = (_negated_before(work.s, m.start()) or bool(_BRAND_CUE_BEFORE.search(before))
                or bool(_BRAND_CUE_AFTER.match(work.s, m.end())))
        written_as_word = (original.islower() and not name.islower()
                           and vocab.lowercase_uses(m.group(1)) >= WORD_BRAND_USES)
        if not cued and (name.lower() in vocab.common_word_brands or written_as_word):
            # A brand that is also a word or phrase of the catalog ('something precise', 'super
            # glue gel', '3D printer filament') counts only with a cue ('from Precise').
            continue
        if _negated_before(work.s, m.start()):
            c.brands_out.append(name)
        elif re.search(r"(?:\blike|similar to|such as|compared to|versus|vs\.?)\s*$", before):
            continue
        else:
            c.brands_in.append(name)
        work.consume(m.start(), m.end())


def _categories(work: _Work, vocab: CatalogVocabulary, c: Constraints, shown: list[Item]) -> None:
    pattern = vocab.alias_pattern()
    if pattern is None:
        return
    text = work.s
    for m in pattern.finditer(text):
        alias = m.group(1)
        cats = vocab.aliases[alias]
        guard = _AMBIGUOUS_CATEGORY.get(alias)
        if guard is not None and any(g.start() <= m.start() < g.end() for g in guard.finditer(text)):
            continue
        if _ACCOMPANIES.search(text[max(0, m.start() - 60):m.start()]):
            continue  # 'shoes to match a gown': the gown is context, not what is wanted
        work.consume(m.start(), m.end())
        if _negated_before(text, m.start(), window=3):
            # 'no heels' in a catalog whose category is 'shoes': rule the sub-type out by name;
            # a negated category itself ('not a dress') just is not asked for.
            if alias not in cats and singular(alias) not in cats and vocab.uses(singular(alias)):
                c.exclude_terms.append(singular(alias))
            continue
        c.categories.extend(cats)


def _must_haves(work: _Work, vocab: CatalogVocabulary, c: Constraints) -> None:
    for m in work.find(_MUST):
        words = m.group("term").split()
        kept: list[str] = []
        for w in words:
            if w in STOPWORDS or w in NON_TERMS:
                break
            kept.append(w)
        # Longest prefix the catalog actually uses; a must-have nothing in the catalog mentions
        # would only empty the results (the words still feed the motives).
        for n in range(len(kept), 0, -1):
            term = vocab.catalog_spelling(" ".join(kept[:n]))
            if n == 1 and singular(term) != term and vocab.uses(singular(term)):
                term = singular(term)  # 'pockets' -> 'pocket', which 'pockets' also contains
            if vocab.uses(term):
                c.must_have.append(term)
                work.consume(m.start(), m.end())
                break


def _negated_terms(work: _Work, vocab: CatalogVocabulary, c: Constraints, out: MessageParse) -> None:
    for m in work.find(_FREE_TERM):
        term = m.group("term")
        if term in STOPWORDS or term in NON_TERMS or term in ("hands", "care", "hassle", "worry", "stress", "tax", "duty"):
            continue
        if term in MATERIAL_WORDS or vocab.uses(term):
            c.exclude_terms.extend(TERM_EXPANSIONS.get(term, (term,)))
        else:
            continue
        work.consume(m.start(), m.end())
    for m in work.find(_NEGATED_TERM):
        words = m.group("term").split()
        first = words[0]
        if first in ("too", "so", "very", "overly", "that", "really", "quite"):
            continue
        if first in STOPWORDS or first in NON_TERMS:
            continue
        bigram = " ".join(words[:2]) if len(words) > 1 and words[1] not in STOPWORDS else None
        if bigram and bigram in TERM_EXPANSIONS:
            c.exclude_terms.extend(TERM_EXPANSIONS[bigram])
            continue
        if bigram and vocab.uses(bigram) and not (first in MATERIAL_WORDS or first in COLOUR_WORDS):
            c.exclude_terms.append(bigram)
            continue
        if first in TERM_EXPANSIONS:
            c.exclude_terms.extend(TERM_EXPANSIONS[first])
            continue
        if first in _STYLE_ADJECTIVES:
            out.critiques.append(Critique(kind="less_like", attribute=first, text=first))
            continue
        known = (first in MATERIAL_WORDS or first in COLOUR_WORDS or first in PATTERN_WORDS
                 or first in vocab.materials or first in vocab.colours)
        if not known and not vocab.uses(first):
            continue
        term = first
        if singular(term) != term and vocab.uses(singular(term)):
            term = singular(term)  # 'no logos' -> 'logo', which also matches 'logos'
        c.exclude_terms.append(term)
