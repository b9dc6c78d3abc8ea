"""Language knowledge as data: the word lists of a language (``lang/<code>/*.toml``), the words of
a domain (``domains/<name>.toml``), and what a catalog teaches about itself when it opens
(:class:`CatalogLexicon`: its categories and the nouns its titles use for them, brands, colours,
materials, certifications, sizes, units, numeric fields, attribute names and values).

Files are validated when loaded: a missing table, a misspelt key or a value of the wrong type is a
:class:`LexiconError` naming the file and the key, never a silent gap in what the reader knows.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agent.models import Item, fold, mentions_positively, plain, title_name

HERE = Path(__file__).parent
LANG_DIR = HERE / "lang"
DOMAIN_DIR = HERE / "domains"


class LexiconError(ValueError):
    """A language or domain file that does not have the shape the reader needs."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- language files ---------------------------------------------------------------------------------

class Numbers(_Strict):
    idioms: dict[str, float]
    multipliers: dict[str, float]
    fractions: dict[str, float]
    not_numbers: dict[str, list[str]]
    identifiers: dict[str, list[str]]
    ages: dict[str, list[str]] = Field(default_factory=dict)
    """A person's age: 'before' it ('age 8-10', 'aged 6') or 'after' it ('8 to 10 years old'); never an amount."""
    price_cues: list[str] = Field(default_factory=list)
    """Before a price said as it is spoken, hundreds then the rest ('around three fifty' = 350)."""


class MoneyLimits(_Strict):
    max_before: list[str]
    max_after: list[str]
    whole_order: list[str]
    whole_order_tail: list[str] = Field(default_factory=list)
    """After an amount only: '400 total' for two scarves is 200 each (a bare 'total' elsewhere is no budget)."""
    """An amount for the whole order, not one unit ('for the lot'); also a limit after an amount."""
    too_dear: list[str]
    """After a price the person quotes back ('0.48 each for the postal boxes is steep'): a complaint
    about an item's price, which asks for cheaper but sets no limit of its own."""
    spend_verbs: list[str]
    spend_limits: list[str]
    min_before: list[str]
    min_before_weak: list[str]
    min_after: list[str]
    floor_negators: list[str]
    around_before: list[str]
    around_after: list[str]
    range_joins: list[str]
    range_before: list[str]
    budget_words: list[str]
    money_words: list[str]
    per_unit: list[str]
    below_quoted: list[str] = Field(default_factory=list)
    """After a price quoted from elsewhere, a ceiling at that price: 'I saw one in another shop for
    1800, I'd want to pay less than that' (1800 the most), 'for 8 each, I want one cheaper than that'."""


class Money(_Strict):
    currencies: dict[str, str]
    slang: dict[str, str]
    minor_units: dict[str, str]
    limits: MoneyLimits

    @field_validator("currencies")
    @classmethod
    def _iso(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k, v in value.items() if not re.fullmatch(r"[A-Z]{3}", v)]
        if bad:
            raise ValueError(f"not ISO 4217 codes: {bad}")
        return value


class OrderCaps(_Strict):
    """How a buyer says the most it orders at once, a limit on the supplier's minimum order."""

    per_order: list[str]
    """'at a time', 'in one go', 'per order': a count said with these is the size of one order."""
    take_verbs: list[str]
    """'take', 'order', 'handle': 'can't take more than 20', '20 is the most we'd order'."""
    too_much: list[str]
    """'too much', 'too high': the minimum order shown is more than the buyer takes."""


class Packs(_Strict):
    """How an item comes packed (see ``[packs]`` in units.toml)."""

    units: list[str]
    volumes: dict[str, list[str]]
    comes_as: list[str]
    liquid: list[str] = []
    """What a liquid is ordered in (cans, drums, bottles): a volume said beside one is its size
    ('5 litre ... 8 cans'), part of the unit ordered, not a requirement."""


class Units(_Strict):
    order_units: dict[str, list[str]]
    time_units: dict[str, int]
    other_units: dict[str, list[str]]
    order_caps: OrderCaps
    packs: Packs
    field_units: dict[str, list[str]]
    """A catalog field's unit (the end of its name: 'weight_kg') -> how people write it."""
    field_conversions: dict[str, float]
    """'from to' -> the factor a value said in one unit is multiplied by for a field in the other."""


class Delivery(_Strict):
    within: list[str]
    within_after: list[str]
    wait_verbs: list[str]
    cues: list[str]
    by: list[str]
    in_stock: list[str]
    relative: dict[str, int]
    occasion_words: list[str] = Field(default_factory=list)
    """Occasions an item is for: 'for a dinner tomorrow' dates the delivery."""
    weekdays: dict[str, int]
    months: dict[str, int]


class SizeCues(_Strict):
    before: list[str]
    systems: list[str]
    not_after: list[str]
    converted: list[str] = Field(default_factory=list)
    """Between two sizes, the later is the first converted: 'a 34 waist, which makes him a 90 in belts'."""
    hedges: list[str] = Field(default_factory=list)
    """After a size alone in its piece, words of not being sure that keep it a size: 'a 39 i believe'."""
    measures: list[str] = Field(default_factory=list)
    """Body measurements a size is said by, before or after the number: 'waist 32', '32 waist', 'collar 16in'."""
    measure_units: list[str] = Field(default_factory=list)
    """Units a measurement may carry ('collar 16in', 'a 34 inch waist'): part of the size, not an attribute."""


class SizeConversions(_Strict):
    shoe_words: list[str] = Field(default_factory=list)
    """Words that make a size a shoe size ('heels, UK 5')."""
    shoes: dict[str, dict[str, str]] = Field(default_factory=dict)
    """System -> its size -> the EU size ('uk' -> '5' -> '38')."""
    clothing: dict[str, dict[str, str]] = Field(default_factory=dict)


class Sizes(_Strict):
    letters: dict[str, str]
    cues: SizeCues
    conversions: SizeConversions = Field(default_factory=SizeConversions)


class Negation(_Strict):
    negators: list[str]
    fillers: list[str]
    first_fillers: list[str] = []
    """Fillers said straight after the negator only: 'not that fake leather stuff'."""
    scope_breaks: list[str]
    list_joins: list[str]
    not_things: list[str]
    free_after: list[str]
    free_before: list[str]
    activity_negators: list[str] = Field(default_factory=list)
    """Negators that dislike a doing as well as a thing ('I hate charging things'): after them an
    -ing word the catalog has no term for is the doing, nothing to rule out."""
    person_subjects: list[str] = Field(default_factory=list)
    person_nouns: list[str] = Field(default_factory=list)
    """'he's not a patient man': a negation said of the person (a subject, then 'not a <word> <noun>'),
    nothing the item must not be."""
    soft_after: list[str] = Field(default_factory=list)
    """After a term, it is wished for, not required: 'grey if u have it', 'dark red if they do it'."""
    firm_clause: list[str] = Field(default_factory=list)
    """In that clause, it is needed after all: 'has to be PFAS free'."""
    firm_after: list[str] = Field(default_factory=list)
    """After a term said on its own, it is required: 'wool obviously', 'leather of course'."""
    soft_clause: list[str] = Field(default_factory=list)
    """In the clause of a standard or an x-free, it is wished for: 'bonus if the cling film is PVC free'."""


class Lifts(_Strict):
    brand: list[str]
    budget: list[str]
    size: list[str]
    category: list[str]
    delivery: list[str]
    moq: list[str]
    all: list[str]
    """Drop what blocked the last turn ('relax it', 'what have you got?')."""
    everything: list[str] = Field(default_factory=list)
    """Drop every constraint ('forget all the filters')."""
    term_after: list[str]
    requirement_before: list[str]
    requirement_after: list[str] = Field(default_factory=list)
    """'linen isn't a must', 'GOTS is optional': a requirement lifted, the term first."""
    term_before: list[str]


class Social(_Strict):
    greeting: list[str]
    thanks: list[str]
    goodbye: list[str]
    off_topic: list[str]
    past_story: list[str] = []
    """What a thank-you for an earlier order says happened ('my sister loved the scarf'): a greeting."""
    introduction: list[str] = []
    """Saying who one is or that one is only looking ('my name is', 'just browsing'): a greeting."""
    support: list[str] = []
    """Asking for help with something the person already has ('fix my wifi', 'it stopped working'):
    off topic for a shop, unless the message also asks to buy something."""
    asides: list[str] = []
    """Words sent to someone else or about what no catalog holds ('wrong window', 'grabbed my phone',
    'payment terms'): off topic even when a word of wanting is in them ('meant for my colleague')."""


class Want(_Strict):
    cues: list[str]
    owned: list[str] = Field(default_factory=list)
    """What the person already has, a clause that asks for nothing ('I own about nine black dresses
    already'): these phrases always, ``owned_if_already`` only when the clause says 'already'."""
    owned_if_already: list[str] = Field(default_factory=list)
    returned: list[str] = Field(default_factory=list)
    """The story of an item the person sent back or has had ('I sent back the crewneck I bought,
    it came up too big'): the sentence, up to a want, asks for nothing and criticises nothing shown."""
    returned_same_kind: list[str] = Field(default_factory=list)
    """Words that want another of the kind sent back when the want names no kind ('sent back the
    jeans, want something wide leg instead')."""


class Decision(_Strict):
    cues: list[str]
    """A choice to buy what the message likes ('we'll take it', 'add the second to the order')."""


class QuestionWords(_Strict):
    openers: list[str]
    asking: list[str]
    yes_no: list[str]
    have_it: list[str]
    value_suffixes: list[str]
    lead_ins: list[str] = []
    """Words said before a question that change nothing: 'ooh is the yellow one recycled?', 'hmm, does it ...'."""
    other_items: list[str] = []
    """Asking for other items, which is a request, not a question about one: 'what else have you got?'."""


class Acts(_Strict):
    reset: list[str]
    reject_all: list[str]
    put_downs: list[str] = []
    """Words that turn down the item they are said of ('the 75hz one is trash'), besides the
    reader's own negations."""
    lift: Lifts
    social: Social
    want: Want
    decision: Decision
    questions: QuestionWords
    corrections: list[str] = Field(default_factory=list)
    """Between two values of one kind, the later replaces the earlier: 'emerald, no wait, make that
    navy', 'navy or - no, charcoal'."""
    corrections_restated: list[str] = Field(default_factory=list)
    """After the new value, words that say the old one again as what is no longer wanted: 'actually
    no, black, not cream' (the correction, not an exclusion)."""


class CritiqueWords(_Strict):
    more: list[str]
    less: list[str]
    hedged: list[str] = Field(default_factory=list)
    """Before a word of style said of what was shown, a hedge that means 'too' ('both a bit busy',
    'bit clinical looking'): less of it; never after a word of ``asking``."""
    asking: list[str] = Field(default_factory=list)
    """Right before a hedge, words that ask for the quality rather than find too much of it
    ('something a bit formal', 'I'd prefer a bit more')."""
    not_qualities: list[str]
    style: list[str]


class Critiques(_Strict):
    cheaper: list[str]
    pricier: list[str]
    opposites: dict[str, str] = Field(default_factory=dict)
    """Qualities that are one ask said both ways: 'too short, something longer' is more:long only."""
    budget_hedges: list[str] = Field(default_factory=list)
    """Before a word of price, beside a budget stated: the budget said softly, no critique
    ('denim jacket, nothing too pricey, 70 tops')."""
    comparatives: dict[str, str]
    critique: CritiqueWords


class Fields(_Strict):
    fields: dict[str, list[str]]
    numeric_words: dict[str, list[str]]
    superlatives: dict[str, tuple[str, str]]
    has: dict[str, tuple[str, str]]
    at_least_before: list[str] = Field(default_factory=list)
    """Before a grade, these make it a minimum ('at least S3'): every grade above it will do."""
    at_least_after: list[str] = Field(default_factory=list)
    """After a grade, the same ('level C minimum', 'S1P or better')."""
    verdict_fields: list[str] = Field(default_factory=list)
    """Fields of an item that 'too long', 'too high' can be said of: a verdict, not a critique."""
    suits: dict[str, str] = Field(default_factory=dict)
    """Situations a comparison over the shown items asks about -> the quality compared ('which
    could I walk in all day?' -> 'comfortable')."""
    yes_no: dict[str, str] = Field(default_factory=dict)
    """Ways of asking whether an item is something -> what is asked ('throw it in the washing
    machine' -> 'machine washable')."""
    attribute_words: dict[str, list[str]] = Field(default_factory=dict)
    """Words that ask about a catalog attribute by what it holds, used when the catalog has that
    attribute ('does it have a headphone jack?' -> ports)."""
    most_before: list[str] = Field(default_factory=list)
    """Before a numeric field's words, the one with the most of it ('highest dpi', 'most megapixels')."""
    least_before: list[str] = Field(default_factory=list)
    """Before a numeric field's words, the one with the least of it ('lowest weight')."""
    most_after: list[str] = Field(default_factory=list)
    """After a numeric field's verb, the one with the most ('covers more', 'lasts longest')."""
    least_after: list[str] = Field(default_factory=list)
    """After a numeric field's verb, the one with the least ('weighs less')."""
    between_two: dict[str, tuple[str, str]] = Field(default_factory=dict)
    """A comparative asked with 'which' over the shown items -> field and goal, as a superlative
    ('between the two which is the pricier one' -> price, max)."""
    among: list[str] = Field(default_factory=list)
    """Before 'these', 'those four': the shown items a 'which' or 'any' is asked over ('any black ones
    among those four?')."""
    sort_verbs: list[str] = Field(default_factory=list)
    """Asking for the shown items in order of a field ('sort these by price'): which comes first."""
    most_first: list[str] = Field(default_factory=list)
    """Before 'first' in such an ask, these put the most first ('most expensive first')."""
    amount_asks: list[str] = Field(default_factory=list)
    """Words asking an amount that ask the price alone ('how much is it?'), but the field whose own
    word follows them when one does ('how much RAM has it got?', 'how much storage')."""
    amount_auxiliaries: list[str] = Field(default_factory=list)
    """After an amount ask, these make the verb that follows ask its field, not the price ('how much
    does the Fieldbook weigh?' -> weight)."""
    negators: list[str] = Field(default_factory=list)
    """Before a comparison with a number, these turn it round: 'no smaller than 14 inch' is a minimum."""
    less_than: list[str] = Field(default_factory=list)
    """Comparisons of less before a number ('smaller than', 'lighter than'); negated, a minimum."""
    more_than: list[str] = Field(default_factory=list)
    """Comparisons of more before a number ('bigger than', 'heavier than'); negated, a maximum."""
    hedges: list[str] = Field(default_factory=list)
    """Between a limit's words and its number, these soften the number but keep the limit ('no more
    than about 1.5 kg' is at most 1.5 kg)."""


class Stopwords(_Strict):
    words: frozenset[str]
    """Words with no meaning of their own: never a kind of item, a trait, a motive or a reference."""
    documents: frozenset[str]
    """What BM25 drops from item texts: a subset of ``words``."""
    people: frozenset[str] = frozenset()
    """Whom an item is for or who speaks ('Client wants silver shoes'): never a requirement of the item."""
    common: frozenset[str] = frozenset()
    """Common words the catalog's texts use that are no requirement when they are all a word says ('gift')."""
    abbreviations: list[str] = []
    """Words written with a point that ends no sentence: 'approx. 5,000', 'qty. 20'."""
    not_terms: frozenset[str] = frozenset()
    """Never a requirement, even before the kind of item ('first delivery', 'target 7 ea')."""
    not_described: frozenset[str] = frozenset()
    """Words of talk and of the order itself, never what an item is when they are all a requirement
    says ('right, note to self', 'unit price not to exceed', 'please supply'); checked last, so a
    phrase they are part of ('right handed') is read as before."""
    sentence: frozenset[str] = frozenset()
    """Words that make a message a sentence (pronouns, verbs, function words): without any, and
    short, it is typed as into a search box ('wool coat camel long'), every word a want."""
    wearers: frozenset[str] = frozenset()
    """Whom an item is for, in a search box ('womens wool coat'): the wearer, read as such, never a
    requirement."""

    @field_validator("documents")
    @classmethod
    def _subset(cls, value: frozenset[str], info) -> frozenset[str]:
        extra = sorted(value - info.data.get("words", value))
        if extra:
            raise ValueError(f"not in words (one list, the documents' part of it): {extra}")
        return value


class Kinds(_Strict):
    """When a word naming a kind of item is not the kind wanted (``lang/<code>/kinds.toml``)."""

    context_heads: list[str]
    context_before: list[str]
    for_people: list[str]
    counted_people: list[str]
    counted_places: list[str] = []
    counted_events: list[str] = []
    """Counted, but never the order ('we've merged the two orders')."""
    """Places the order is for ('for 3 offices', 'across our 12 sites'): counted, but not what is ordered."""
    host_before: list[str] = []
    """Before a kind named after another ('a keyboard for my desktop', 'a case to go with my phone'):
    what the wanted item is for or goes with, not a second kind wanted."""
    shown_as_before: list[str] = []
    """Before the kind of the items shown, in a critique of them ('too expensive for a laptop'): what
    they are, no new search (with ``host_before``)."""


class Language(_Strict):
    """Everything the reader knows about one language."""

    code: str
    numbers: Numbers
    money: Money
    units: Units
    delivery: Delivery
    sizes: Sizes
    negation: Negation
    acts: Acts
    critiques: Critiques
    fields: Fields
    stopwords: Stopwords
    kinds: Kinds


# -- domain files -----------------------------------------------------------------------------------

class Certifications(_Strict):
    patterns: list[str]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for p in value:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} does not compile: {exc}") from None
        return value


class Alike(_Strict):
    words: list[str]
    """General words, each standing for all of them and the forms ('sparkly', 'glittery')."""
    forms: list[str] = Field(default_factory=list)
    """Narrower words that meet them, standing for nothing but themselves ('sequinned', 'lurex':
    'no sequins' rules out no lurex)."""


class Domain(_Strict):
    """Words of one domain (``any`` holds what every catalog shares)."""

    types: dict[str, list[str]] = Field(default_factory=dict)
    """A shopper's word for a kind of item -> catalog categories it may mean, best first."""
    covering: list[str] = Field(default_factory=list)
    """Words of ``types`` that mean every category listed, not the first the catalog has ('a top'
    is a t-shirt, a blouse or a vest top; 'shoes' is every shoe category), and also every category
    a grouping field files under the word (an H&M section 'Womens Shoes')."""
    colours: list[str] = Field(default_factory=list)
    materials: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    attributes: list[str] = Field(default_factory=list)
    qualities: list[str] = Field(default_factory=list)
    described: list[str] = Field(default_factory=list)
    """Qualities said of the item asked for ('a warm coat') that it should have: wanted, unsure."""
    classes: dict[str, list[str]] = Field(default_factory=dict)
    """A word -> the catalog words that count as it ('synthetic' -> polyester, nylon, ...)."""
    alike: list[Alike] = Field(default_factory=list)
    """Words that each stand for all of their group and its forms ('sparkly', 'glittery' -> also
    sequinned, lurex): each word becomes a class, unless ``classes`` already says what it means."""
    certifications: Certifications = Certifications(patterns=[])
    generic_nouns: dict[str, list[str]] = Field(default_factory=dict)
    rated: list[str] = Field(default_factory=list)
    """Ratings written as a name and a number, higher meeting lower ('snr 30 or better')."""
    grades: dict[str, list[str]] = Field(default_factory=dict)
    """Ordered grades of one standard, lowest first ('cut level a' ... 'cut level f'): a minimum
    grade ('level C minimum', 'at least S3') is met by it and every grade after it."""
    @model_validator(mode="after")
    def _alike_as_classes(self) -> "Domain":
        for group in self.alike:
            words = [w.lower() for w in [*group.words, *group.forms]]
            for w in group.words:
                self.classes.setdefault(w.lower(), words)
        return self

    feature_heads: list[str] = Field(default_factory=list)
    """Nouns of a part or a make of an item that a word before them turns into one description
    ('print' of 'leopard print', 'toe' of 'composite toe', 'ear' of 'over ear'): the two words are
    one requirement, not a colour and a word nobody asked for."""
    worn: list[str] = Field(default_factory=list)
    """Kinds of item sold in letter sizes: a size word before one is its size ('a medium jumper',
    'large gloves'), where 'a large box' is no size. A catalog adds the words of its own categories
    that come in S, M, L (:attr:`CatalogLexicon.lettered`)."""


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: {exc}") from None


def _validated(model: type[BaseModel], data: dict, path: Path) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LexiconError(f"{path}: {where}: {first['msg']}") from None


@cache
def language(code: str = "en") -> Language:
    """The word lists of language ``code`` (``lang/<code>/``), validated."""
    folder = LANG_DIR / code
    if not folder.is_dir():
        known = sorted(p.name for p in LANG_DIR.iterdir() if p.is_dir())
        raise LexiconError(f"no language data for {code!r} in {LANG_DIR}; known: {known}")
    parts: dict[str, object] = {"code": code}
    for name, model in Language.model_fields.items():
        if name == "code":
            continue
        path = folder / f"{name}.toml"
        if not path.is_file():
            raise LexiconError(f"{path}: missing (every language folder needs it)")
        parts[name] = _validated(model.annotation, _load_toml(path), path)
    return Language.model_validate(parts)


@cache
def domain(name: str) -> Domain:
    """The words of domain ``name`` merged over ``any`` (``fashion``, ``b2b``; ``any`` alone for a
    catalog of another domain, which brings its own words)."""
    base = _validated(Domain, _load_toml(DOMAIN_DIR / "any.toml"), DOMAIN_DIR / "any.toml")
    if name in ("any", "", None):
        return base
    path = DOMAIN_DIR / f"{name}.toml"
    if not path.is_file():
        return base
    extra = _validated(Domain, _load_toml(path), path)
    merged = base.model_dump()
    for key, value in extra.model_dump().items():
        if key == "alike":
            merged[key] = [*merged[key], *value]
        elif isinstance(value, dict) and key != "certifications":
            merged[key] = {**merged[key], **value}
        elif isinstance(value, list):
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        elif key == "certifications":
            merged[key] = {"patterns": [*merged[key]["patterns"], *value["patterns"]]}
    return Domain.model_validate(merged)


class ForeignActs(_Strict):
    name: str = ""
    """The language's name in English ('French')."""
    sorry: str = ""
    """'Sorry, I only read English for now: could you write it in English?' in that language."""
    reset: list[str] = Field(default_factory=list)
    question: list[str] = Field(default_factory=list)
    compare: list[str] = Field(default_factory=list)
    critique: list[str] = Field(default_factory=list)
    greeting: list[str] = Field(default_factory=list)
    ordinals: list[str] = Field(default_factory=list)
    """'the second one' in that language: a question naming a shown item asks about that item."""
    reaction: list[str] = Field(default_factory=list)
    """A verdict on what was shown ('me encanta', 'keiner davon')."""
    want: list[str] = Field(default_factory=list)
    """What asks for something ('je cherche', 'necesitamos'): thanks with one is no mere greeting."""
    function_words: list[str] = Field(default_factory=list)
    """Short words only that language uses ('para', 'busco'): they tell it from its neighbours."""


@cache
def foreign_acts() -> dict[str, ForeignActs]:
    """Act words of languages the reader does not read (``lang/other.toml``)."""
    path = LANG_DIR / "other.toml"
    data = _load_toml(path)
    return {code: _validated(ForeignActs, table, path) for code, table in data.items()}


def foreign_act(message: str, code: str, shown: bool) -> str:
    """What a message in language ``code`` does, from a few words of that language."""
    words = foreign_acts().get(code)
    text = " " + re.sub(r"\s+", " ", message.lower()) + " "
    if words is None:
        return "request"

    def has(phrases: list[str]) -> bool:
        return any(re.search(rf"(?<![\w]){re.escape(p)}(?![\w])", text) or (not p[0].isalnum() and p in text)
                   for p in phrases)

    if has(words.reset):
        return "reset"
    # a question word asks when it opens a sentence ('Quale è di lana'); inside one it may be the
    # verb of a verdict ('Il secondo è bellissimo, il primo no.')
    opening = [m.end() for m in re.finditer(r"(?:^|[.!?¡¿;:])\s*", text)]
    asking = "?" in text or any(re.match(rf"{re.escape(p)}(?![\w])", text[i:]) for p in words.question for i in opening)
    if shown and has(words.compare) and not has(words.ordinals):
        return "compare"
    if shown and has(words.critique):
        return "critique"
    if shown and asking:
        return "question"
    if shown and (has(words.reaction) or has(words.ordinals)) and not has(words.want):
        return "reaction"  # 'Die zweite passt, danke': a shown item named, the thanks aside
    if has(words.greeting) and not has(words.want) and (len(re.findall(r"\w+", text)) <= 5 or not re.search(r"\d", text)):
        return "greeting"  # 'Merci, c'est tout pour aujourd'hui'
    return "request"


def validate_all() -> list[str]:
    """Every language and domain file loaded once; the errors found (empty: all valid)."""
    errors: list[str] = []
    for folder in sorted(p for p in LANG_DIR.iterdir() if p.is_dir()):
        try:
            language(folder.name)
        except LexiconError as exc:
            errors.append(str(exc))
    try:
        foreign_acts()
    except LexiconError as exc:
        errors.append(str(exc))
    for path in sorted(DOMAIN_DIR.glob("*.toml")):
        try:
            domain(path.stem)
        except LexiconError as exc:
            errors.append(str(exc))
    return errors


# -- word forms --------------------------------------------------------------------------------------

_IRREGULAR = {"mouse": "mice", "person": "people", "foot": "feet", "tooth": "teeth", "child": "children",
              "man": "men", "woman": "women", "knife": "knives", "leaf": "leaves", "scarf": "scarfs"}


def singular(word: str) -> str:
    """'dresses' -> 'dress', 'batteries' -> 'battery', 'safety gloves' -> 'safety glove', 'mice' -> 'mouse'."""
    head, _, last = word.rpartition(" ")
    irregular = {many: one for one, many in _IRREGULAR.items()}
    if last in irregular:
        last = irregular[last]
    elif len(last) > 4 and last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("arves", "elves")) or last in ("knives", "wives", "lives", "midwives", "penknives", "housewives"):
        last = last[:-3] + ("fe" if last.endswith("ives") else "f")  # scarves -> scarf, knives -> knife
    elif last.endswith("ives"):
        last = last[:-1]  # operatives, adhesives, olives, archives, drives: -ive
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




PLURAL_ONLY = frozenset("""shorts trousers jeans tights leggings pants pyjamas pajamas glasses sunglasses
scissors pliers overalls dungarees knickers briefs boxers goggles tongs tweezers binoculars headphones earbuds
earphones clothes shades specs jeans""".split())
"""Nouns whose singular names something else ('short', 'trouser suit', 'glass')."""


def forms(word: str) -> set[str]:
    """A word, its singular and plural, and the irregular or informal plural people also write."""
    last = word.rsplit(" ", 1)[-1]
    out = {word, plural(word)} if last in PLURAL_ONLY else {word, singular(word), plural(word)}
    head, _, last = word.rpartition(" ")
    for one, many in _IRREGULAR.items():
        if last in (one, many):
            out |= {f"{head} {one}".strip(), f"{head} {many}".strip()}
    return out


# -- what a catalog teaches -------------------------------------------------------------------------

_ABSTRACT_HEADS = frozenset("""hygiene protection equipment clothing care supplies safety wear goods
products items materials services solutions essentials basics""".split())
_GENERIC_BRAND_WORDS = frozenset("""maison casa atelier studio house la le les the el il der die das de di del
company co group brothers sons international labs lab works audio""".split())
_HEAD_NOUN_SKIP = frozenset("""class level light type station wrap roll polish liquid wash tips heads ties
strips inserts film spray concentrate maintainer cream sheets pack pair pairs set kit line plus size ply
one mix edition version model series pro max mini lite plus ultra high low long short wide slim deep narrow
regular relaxed loose tight fitted straight skinny flared cropped oversized basic soft light dark heavy thick thin
new old small large big medium petite tall plain solid printed striped sleeve sleeves neck waist leg legs fit
collar hem heel back front side price value offer deal buttons button zip pocket pockets print details detail
look style colour color office home work travel outdoor indoor gaming studio everyday weekend evening day night
party wedding summer winter spring autumn city sport sports school kitchen garden beach holiday edition""".split()) | frozenset("""kids kid men mens
women womens ladies girls boys baby babies junior juniors unisex toddler toddlers teen teens adult adults""".split())
HEAD_NOUN_MIN_HEADED = 3
"""A word is a title head noun only if it ends at least 1 in this many of the titles that use it."""
HEAD_NOUN_SMALL_CATALOG = 500
"""In a catalog this small, a noun that ends one title is enough to name its category ('sarong')."""
HEAD_NOUN_MIN_SHARE = 0.15
"""A title head noun names a category only if at least this share of the items it heads are in it."""
WORD_BRAND_USES = 5
"""A brand the catalog's text writes in lower case this often is also an ordinary word or phrase."""
_GROUPING_KEYS = ("section", "range", "department", "index", "group", "garment_group", "product_group", "collection",
                  "season", "family", "line", "index_group", "department_name", "section_name")
_COLOUR_KEYS = ("colour", "color", "colours", "colors", "colourway", "colorway")
_MATERIAL_KEYS = ("material", "materials", "fabric", "composition", "fabrics", "lining", "upper", "sole")
_SIZE_KEYS = ("size", "sizes")
_CERT_KEYS = ("certifications", "certification", "standards", "standard", "compliance", "certs")
_NUMERIC_UNIT = re.compile(r"_(kg|g|gb|tb|mb|hours|hrs|h|in|inch|inches|cm|mm|m|m2|years|months|days|hz|mp|w|"
                           r"mah|wh|l|ml|db|dpi|v)$")


def _words(value: object) -> list[str]:
    values = value if isinstance(value, (list, tuple, set)) else [value]
    out: list[str] = []
    for v in values:
        out.extend(w for w in re.findall(r"[a-z]+", str(v).lower()) if len(w) >= 3)
    return out


def _phrases(value: object) -> list[str]:
    """'silk georgette, hand-sewn glass sequins' -> the comma-separated phrases, lower case."""
    values = value if isinstance(value, (list, tuple, set)) else re.split(r"[,;/|]| and ", str(value))
    return [re.sub(r"\s+", " ", str(v)).strip().lower() for v in values if str(v).strip()]


_NOT_TERMS = frozenset("""morning afternoon evening night day hello hi hey thanks thank please yes no ok okay new
old other none all any one two three the and for with""".split())
"""Words that are never a requirement, whatever a catalog's fields say ('Good morning')."""


def _certification_like(phrase: str) -> bool:
    """A catalog's certification phrase worth matching in messages: a few words, led by a letter."""
    return (len(phrase.split()) <= 4 and re.match(r"[a-z]", phrase) is not None
            and not re.search(r"[()]", phrase) and len(re.sub(r"[^a-z]", "", phrase)) >= 2)


def _head_noun(title: str, stop: frozenset[str]) -> str | None:
    """The noun a title is about: the last word of its name (``agent.models.title_name``)."""
    segment = title_name(title)
    words = re.findall(r"[a-z][a-z-]*", segment)
    if not words:
        return None
    word = words[-1]
    if len(word) < 3 or word in stop or word in _HEAD_NOUN_SKIP:
        return None
    return word


@dataclass
class NumericField:
    """A numeric attribute of the catalog ('weight_kg') and how people name it."""

    name: str
    unit: str
    """The unit in the field's name ('kg'), or '' when it has none."""
    words: tuple[str, ...]
    """Words of the name without the unit ('weight')."""
    low: float
    high: float


@dataclass
class CatalogLexicon:
    """What the reader knows about one catalog, learned from its items when it opens."""

    domain: Domain
    brands: dict[str, str] = field(default_factory=dict)
    """Lower-case brand -> brand as the catalog spells it."""
    brand_aliases: dict[str, str] = field(default_factory=dict)
    """A distinctive word of a multi-word brand -> the brand ('ironvale' -> 'Ironvale Safety')."""
    brand_spellings: dict[str, str] = field(default_factory=dict)
    """Another way to write a whole brand name -> the brand ('sable and finch' -> 'Sable & Finch')."""
    common_word_brands: frozenset[str] = frozenset()
    categories: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A word or phrase a person may use -> the categories it means ('gloves' -> 'safety gloves')."""
    colours: frozenset[str] = frozenset()
    materials: frozenset[str] = frozenset()
    certifications: frozenset[str] = frozenset()
    """Standards the catalog's items state ('en 388', 'haccp'), lower case."""
    attribute_values: dict[str, frozenset[str]] = field(default_factory=dict)
    """Short values of the catalog's free-form attributes, per attribute name ('use' -> {'gaming'})."""
    flags: dict[str, str] = field(default_factory=dict)
    """Boolean attributes as a phrase -> the attribute ('noise cancelling' -> 'noise_cancelling')."""
    sizes: dict[str, str] = field(default_factory=dict)
    """Lower-case size -> size as the catalog spells it."""
    lettered: frozenset[str] = frozenset()
    """The categories with an item sold in a letter size (S, M, L): what 'a medium ...' can size."""
    units: dict[str, str] = field(default_factory=dict)
    """A form of an order unit the catalog uses -> its singular ('pairs' -> 'pair')."""
    numeric: dict[str, NumericField] = field(default_factory=dict)
    attribute_names: tuple[str, ...] = ()
    item_ids: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    """A title (lower case) that only one item has -> its id: an item can be named by its title."""
    title_words: dict[str, frozenset[int]] = field(default_factory=dict)
    """A word of the titles, singular, a hyphenated one also split ('c-fold' -> 'c-fold', 'fold'),
    a number too ('500') -> the items whose titles use it (positions in ``item_order``): what names
    one item ('the torque wrench', 'the C-fold towels') and what the catalog calls things."""
    title_heads: dict[str, frozenset[int]] = field(default_factory=dict)
    """The last word of the titles (singular) -> the items whose titles end with it."""
    item_order: tuple[str, ...] = ()
    """Each item's id, in catalog order (the positions of ``title_words`` and ``title_heads``)."""
    item_titles: tuple[str, ...] = ()
    """Each item's title, lower case, in catalog order."""
    item_categories: tuple[str, ...] = ()
    """Each item's category, in catalog order."""
    item_names: tuple[str, ...] = ()
    """Each item's brand and colour, lower case, in catalog order: words a shopper names a card by
    beside its title's ('the cognac top handle bag', 'the Casa Solenne lemon earrings')."""
    prices: tuple[float, ...] = ()
    """Every item's price, sorted (what a plausible budget is)."""
    currency: str = ""
    """The catalog's most common currency."""
    corpus: str = ""
    """Every item's text, lower-cased, one per line."""
    cased_corpus: str = ""

    @classmethod
    def from_items(cls, items: Iterable[Item], domain_name: str = "any") -> "CatalogLexicon":
        originals = list(items)
        items = [plain(i) for i in originals]  # its words as shoppers type them ('boucle', 'carre')
        words = domain(domain_name)
        stop = frozenset(words.colours) | frozenset(words.materials)
        brands = {fold(i.brand.lower()): i.brand for i in originals if i.brand.strip()}
        categories = tuple(sorted({i.category for i in items if i.category}))
        aliases = _category_aliases(items, categories, words, stop)
        colours: set[str] = set()
        materials: set[str] = set()
        certifications: set[str] = set()
        sizes: dict[str, str] = {}
        lettered: set[str] = set()
        values: dict[str, set[str]] = {}
        flags: dict[str, str] = {}
        numbers: dict[str, list[float]] = {}
        cert_res = [re.compile(p, re.IGNORECASE) for p in words.certifications.patterns]
        for item in items:
            for key, value in item.attributes.items():
                k = key.lower()
                if k in _COLOUR_KEYS:
                    colours.update(_phrases(value))
                elif k in _MATERIAL_KEYS:
                    materials.update(p for p in _phrases(value) if len(p) <= 30)
                    materials.update(w for w in _words(value) if w in words.materials)
                elif k in _SIZE_KEYS:
                    vals = value if isinstance(value, list) else re.split(r"[,/;|]", str(value))
                    sizes.update({str(s).strip().lower(): str(s).strip() for s in vals if str(s).strip()})
                    if item.category and any(re.fullmatch(r"x{0,3}[sml]|x{1,3}l|\dxl", str(s).strip().lower()) for s in vals):
                        lettered.add(item.category)
                elif k in _CERT_KEYS:
                    certifications.update(p for p in _phrases(value) if _certification_like(p))
                elif k == "tiered_prices":
                    continue
                if isinstance(value, bool):
                    if value:
                        flags[k.replace("_", " ")] = k
                    continue
                if isinstance(value, (int, float)):
                    numbers.setdefault(k, []).append(float(value))
                    continue
                if k in _SIZE_KEYS or k in _GROUPING_KEYS or k in ("price", "id", "sku", "moq", "lead_time_days"):
                    continue  # a section or range ('Womens Morning Collection') says where, not what
                for phrase in _phrases(value):
                    if 0 < len(phrase.split()) <= 3 and len(phrase) <= 30 and not re.fullmatch(r"[\d.,\s]+", phrase):
                        values.setdefault(k, set()).add(phrase)
            text = item.text()
            for rx in cert_res:
                certifications.update(re.sub(r"\s+", " ", m.group(0).lower()).strip() for m in rx.finditer(text))
        numeric: dict[str, NumericField] = {}
        for name, vals in numbers.items():
            if not vals or name in ("moq", "lead_time_days", "price"):
                continue
            m = _NUMERIC_UNIT.search(name)
            unit = m.group(1) if m else {"megapixels": "mp", "dpi": "dpi", "wattage": "w", "watts": "w"}.get(name, "")
            stem = name[: m.start()] if m else name
            numeric[name] = NumericField(name=name, unit=unit, words=tuple(w for w in stem.split("_") if w),
                                         low=min(vals), high=max(vals))
        lexicon = cls(
            domain=words,
            brands=brands,
            brand_aliases=_brand_aliases(brands, stop),
            common_word_brands=_common_word_brands(items),
            categories=categories,
            aliases=aliases,
            colours=frozenset(colours),
            materials=frozenset(materials),
            certifications=frozenset(c for c in certifications if c),
            attribute_values={k: frozenset(v) for k, v in values.items()},
            flags=flags,
            sizes=sizes,
            lettered=frozenset(lettered),
            units=_units(items),
            numeric=numeric,
            attribute_names=tuple(sorted({k.lower() for i in items for k in i.attributes})),
            item_ids={i.id.lower(): i.id for i in items},
            titles=_unique_titles(items),
            title_words=_title_words(items),
            title_heads=_title_heads(items),
            item_order=tuple(i.id for i in items),
            item_titles=tuple(i.title.lower() for i in items),
            item_categories=tuple(i.category for i in items),
            item_names=tuple(fold(" ".join([i.brand, *(str(v) for k, v in i.attributes.items() if k.lower() in _COLOUR_KEYS)]).lower())
                             for i in items),
            prices=tuple(sorted(i.price for i in items)),
            currency=Counter(i.currency for i in items).most_common(1)[0][0] if items else "",
            corpus="\n".join(i.text().lower() for i in items),
            cased_corpus="\n".join(f"{i.title} {i.description}" for i in items),
        )
        lexicon.uses("a")  # builds the token index now, when the catalog opens, not in a turn
        return lexicon

    # -- what the catalog says -----------------------------------------------------------------

    def _index(self) -> None:
        """The catalog's words, sorted, with their counts (built once, on first use)."""
        if not hasattr(self, "_uses"):
            counts = Counter(re.findall(r"[a-z0-9]+", self.corpus))
            self._tokens = sorted(counts)
            self._token_counts = [counts[t] for t in self._tokens]
            self._uses: dict[str, int] = {}

    def item_materials(self, item: Item) -> frozenset[str]:
        """The one-word materials and patterns ``item``'s text says it has ('straw' of a 'net bag in
        braided paper straw', 'stripe' of a pattern Stripe), each with its '-ed' form; memoised."""
        if not hasattr(self, "_item_materials"):
            self._item_materials: dict[str, frozenset[str]] = {}
        key = item.content_hash()
        if key not in self._item_materials:
            words: set[str] = set()
            for m in self.term_pattern().finditer(f"{item.description} {item.attributes.get('pattern', '')}".lower()):
                term = re.sub(r"[\s-]+", " ", m.group(1))
                if " " not in term and self.term_kind(term) in ("material", "pattern") and mentions_positively(
                        item.lowered_text(), term):
                    words |= {term, term + ("d" if term.endswith("e") else "ed")}
            self._item_materials[key] = frozenset(words)
        return self._item_materials[key]

    def uses(self, term: str) -> int:
        """How many times the catalog's text uses ``term`` at a word start (0: never); memoised."""
        term = term.lower()
        if not term or not self.corpus:
            return 0
        self._index()
        if term not in self._uses:
            tokens = re.findall(r"[a-z0-9]+", term)
            if tokens == [term]:
                count = self._prefix_count(term)
            elif not tokens or any(self._prefix_count(w) == 0 for w in tokens):
                count = 0
            else:
                count = sum(self.corpus.count(lead + term) for lead in (" ", "\n", "-", "(", "/", '"'))
                count += self.corpus.startswith(term)
            self._uses[term] = count
        return self._uses[term]

    def _prefix_count(self, prefix: str) -> int:
        lo = bisect.bisect_left(self._tokens, prefix)
        hi = bisect.bisect_left(self._tokens, prefix + "\uffff")
        return sum(self._token_counts[lo:hi])

    def titled_categories(self, *words: str) -> set[str]:
        """The categories of the items whose titles use every one of ``words`` ('clamshell', 'box'
        -> catering disposables)."""
        sets = [self.title_words.get(singular(w.lower())) for w in words]
        if not sets or any(not s for s in sets):
            return set()
        return {self.item_categories[k] for k in frozenset.intersection(*sets) if self.item_categories[k]}

    def titled_with(self, word: str) -> frozenset[int]:
        """The items (positions in ``item_order``) whose titles use ``word``, as written or singular,
        or, for a hyphenated word, one of its parts ('c-fold' -> 'C-Fold Hand Towels')."""
        w = word.lower()
        keys = {w, singular(w)} if len(w) >= 3 or w.isdigit() else set()
        keys |= {singular(p) for p in w.split("-") if len(p) >= 3}
        return frozenset().union(*(self.title_words.get(k, frozenset()) for k in keys))

    def brand_words(self) -> frozenset[str]:
        """Every word of the catalog's brand names, lower case."""
        if "_brand_words" not in self.__dict__:
            self.__dict__["_brand_words"] = frozenset(w for b in self.brands for w in re.findall(r"[a-z0-9]+", b))  # (keys: folded)
        return self.__dict__["_brand_words"]

    def named_with(self, word: str) -> frozenset[int]:
        """The items (positions in ``item_order``) whose brand or colour uses ``word`` as a whole word."""
        cache = self.__dict__.setdefault("_named_with", {})
        w = word.lower()
        if w not in cache:
            pattern = re.compile(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])")
            cache[w] = frozenset(k for k, names in enumerate(self.item_names) if len(w) >= 3 and pattern.search(names))
        return cache[w]

    def title_phrase_categories(self, words: list[str]) -> set[str]:
        """The categories of the items whose titles say ``words`` in a row, the last one a whole
        word of the title ('base layers' -> workwear: 'Merino Thermal Base Layer Top'; not 'cold
        store', which only 'Cold-Store Thermal Gloves' says, inside one hyphenated word)."""
        if len(words) < 2:
            return set()
        last = singular(words[-1])
        found = self.title_words.get(last)
        for w in words[:-1]:
            if not found:
                return set()
            found = found & self.titled_with(w)
        if not found:
            return set()
        pattern = re.compile(r"(?<![a-z0-9])" + r"[\s-]+".join(re.escape(w) for w in words[:-1])
                             + r"\s+" + re.escape(last) + r"(?:e?s)?(?![a-z0-9-])")
        return {self.item_categories[k] for k in found
                if k < len(self.item_titles) and self.item_categories[k] and pattern.search(self.item_titles[k])}

    def headed_categories(self, modifier: str, head: str) -> set[str]:
        """The categories of the items whose titles use ``modifier`` and end with ``head`` ('knitted',
        'polo' -> knitwear: 'Fine Merino Knitted Polo'; not 'Linen Shirt Dress' for 'linen shirt')."""
        uses = self.title_words.get(singular(modifier.lower()))
        ends = self.title_heads.get(singular(head.lower()))
        if not uses or not ends:
            return set()
        return {self.item_categories[k] for k in uses & ends if self.item_categories[k]}

    def described_categories(self, word: str) -> set[str]:
        """The categories of the items whose text uses ``word`` as a whole word."""
        if not hasattr(self, "_lines"):
            self._lines = self.corpus.split("\n") if self.corpus else []
        pattern = re.compile(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])")
        return {self.item_categories[k] for k, line in enumerate(self._lines)
                if k < len(self.item_categories) and self.item_categories[k] and pattern.search(line)}

    def made_of(self, word: str, categories: set[str]) -> bool | None:
        """Whether an item of ``categories`` records ``word`` in its material; None when none of
        them records a material at all (then the catalog cannot say)."""
        if not hasattr(self, "_lines"):
            self._lines = self.corpus.split("\n") if self.corpus else []
        pattern = re.compile(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])")
        recorded = False
        for k, line in enumerate(self._lines):
            if k < len(self.item_categories) and self.item_categories[k] in categories:
                m = re.search(r"(?:^|\. )materials?: ([^\n]*?)(?:\. [a-z_]+: |$)", line)
                if m:
                    recorded = True
                    if pattern.search(m.group(1)):
                        return True
        return False if recorded else None

    def records(self, attribute: str, categories: set[str]) -> bool:
        """Whether an item of ``categories`` records ``attribute`` ('megapixels' of a phone)."""
        if not hasattr(self, "_lines"):
            self._lines = self.corpus.split("\n") if self.corpus else []
        key = f"{attribute.lower()}: "
        return any(k < len(self.item_categories) and self.item_categories[k] in categories and key in line
                   for k, line in enumerate(self._lines))

    def known_word(self, word: str) -> bool:
        """A whole word of the catalog's text (not just a prefix)."""
        self._index()
        i = bisect.bisect_left(self._tokens, word)
        return i < len(self._tokens) and self._tokens[i] == word

    def vocabulary(self) -> list[str]:
        """Every word of the catalog's text, sorted (none for an empty catalog)."""
        self._index()
        return self._tokens

    def lowercase_uses(self, phrase: str) -> int:
        """How many times the catalog's titles and descriptions write ``phrase`` in lower case."""
        if not hasattr(self, "_lower_uses"):
            self._lower_uses: dict[str, int] = {}
        if phrase not in self._lower_uses:
            self._lower_uses[phrase] = len(re.findall(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])",
                                                      self.cased_corpus)) if phrase in self.cased_corpus else 0
        return self._lower_uses[phrase]

    def catalog_spelling(self, term: str) -> str:
        """The spelling of ``term`` the catalog uses most ('food safe' -> 'food-safe')."""
        variants = list(dict.fromkeys([term, term.replace(" ", "-"), term.replace("-", " "),
                                       term.replace(" ", "").replace("-", "")]))
        return max((self.uses(v), -i, v) for i, v in enumerate(variants))[2]

    def plausible_price(self, amount: float) -> bool:
        """Whether ``amount`` could be a budget for this catalog (between a fifth of its cheapest
        item and five times its dearest)."""
        if not self.prices:
            return True
        return self.prices[0] / 5 <= amount <= self.prices[-1] * 5

    def term_kind(self, term: str) -> str | None:
        """What kind of thing ``term`` is for this catalog, or None when it is no term at all."""
        t = term.lower()
        d = self.domain
        if t in self.colours or t in d.colours:
            return "colour"
        if t in self.materials or t in d.materials:
            return "material"
        if t in self.certifications:
            return "certification"
        if t in d.patterns:
            return "pattern"
        if t in d.attributes or t in self.flags or any(t in v for v in self.attribute_values.values()):
            return "attribute"
        if t in d.classes:
            return "material"
        return None

    def term_forms(self, term: str) -> list[str]:
        """The catalog words that count as ``term``: its class ('synthetic' -> polyester, ...), its
        spellings, its plural; only forms the catalog uses (the term itself always)."""
        t = term.lower()
        classes = list(self.domain.classes.get(t, ()) or self.domain.classes.get(plural(t), ()))
        spellings = [self.catalog_spelling(t), singular(t)]
        # A class keeps every member (a material a later item may have); spellings only count
        # where the catalog uses them.
        return list(dict.fromkeys([t, *classes, *(f for f in spellings if self.uses(f.strip(" ,.")))]))

    # -- lazily compiled patterns ------------------------------------------------------------------

    def brand_pattern(self) -> re.Pattern[str] | None:
        if not hasattr(self, "_brand_re"):
            for lower, name in list(self.brands.items()):  # 'Sable & Finch' is also 'sable and finch'
                if " & " in lower:
                    self.brand_spellings.setdefault(lower.replace(" & ", " and "), name)
            names = sorted({*self.brands, *self.brand_aliases, *self.brand_spellings}, key=len, reverse=True)
            self._brand_re = (re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
                              if names else None)
        return self._brand_re

    def clipped_aliases(self, category: str) -> list[tuple[str, str]]:
        """One-word names of ``category`` that clip a longer word ('wellies' for wellingtons, 'specs'
        for spectacles): (the name, the stem a title word must start with)."""
        if not hasattr(self, "_clipped"):
            clipped: dict[str, list[tuple[str, str]]] = {}
            for name, cats in self.aliases.items():
                if " " in name or "-" in name:
                    continue
                stem = re.sub(r"(?:ies|ys|s|y)$", "", name)
                if len(stem) >= 4:
                    for c in cats:
                        clipped.setdefault(c, []).append((name, stem))
            self._clipped = clipped
        return self._clipped.get(category, [])

    def alias_pattern(self) -> re.Pattern[str] | None:
        if not hasattr(self, "_alias_re"):
            names = sorted(self.aliases, key=len, reverse=True)
            self._alias_re = (re.compile(r"(?<![\w-])(" + "|".join(
                re.escape(n).replace(r"\ ", r"[\s-]+") for n in names) + r")(?![\w-])") if names else None)
        return self._alias_re

    def colour_words(self) -> frozenset[str]:
        """The one-word colours of this catalog and its domain ('grey', 'navy'), built once."""
        if not hasattr(self, "_colour_words"):
            self._colour_words = frozenset(c for c in (*self.colours, *self.domain.colours) if " " not in c and len(c) >= 3)
        return self._colour_words

    def term_pattern(self) -> re.Pattern[str]:
        """Every term this catalog knows: colours, materials, patterns, attributes, certifications,
        attribute values, classes (longest first)."""
        if not hasattr(self, "_term_re"):
            d = self.domain
            terms = {*self.colours, *self.materials, *self.certifications, *d.colours, *d.materials, *d.patterns,
                     *d.attributes, *d.classes, *self.flags}
            for vals in self.attribute_values.values():
                terms.update(v for v in vals if len(v) >= 3)
            terms = {t for t in terms if t and len(t) >= 2 and t not in _NOT_TERMS}
            alternation = "|".join(re.escape(t).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
                                   for t in sorted(terms, key=len, reverse=True))
            self._term_re = re.compile(rf"(?<![\w-])({alternation})(?![\w-])")
        return self._term_re


def _category_aliases(items: list[Item], categories: tuple[str, ...], words: Domain,
                      stop: frozenset[str]) -> dict[str, tuple[str, ...]]:
    strong: dict[str, set[str]] = {}
    weak: dict[str, set[str]] = {}
    for cat in categories:
        for part in re.split(r"\s*/\s*", cat):  # H&M: 'leggings/tights', 'hat/beanie'
            for form in forms(part) | {cat}:
                strong.setdefault(form, set()).add(cat)
        if " " in cat:
            last = cat.rsplit(" ", 1)[1]
            if last not in _ABSTRACT_HEADS and not last.endswith(("ion", "ing", "ene", "ness", "ity", "ics")):
                for form in (last, plural(last)):
                    weak.setdefault(form, set()).add(cat)
    aliases: dict[str, set[str]] = {}
    for word, cats in weak.items():
        if word not in strong:  # 'shirt' is the category shirt, not also 'polo shirt'
            aliases.setdefault(word, set()).update(cats)
    for word, cats in strong.items():
        aliases.setdefault(word, set()).update(cats)
    # A shopper's word from the domain: the first of its categories the catalog has, or all of them
    # when the word covers them ('shoes' -> every shoe category of H&M; 'top' -> its t-shirts,
    # blouses and vest tops as well as what it files as 'top').
    covering = set(words.covering)
    for word, candidates in words.types.items():
        found = [c for c in candidates if c in strong or c in categories]
        cats = {c2 for c in found for c2 in strong.get(c, {c})} if found else set()
        if word in covering:
            cats |= _categories_in_sections(items, word)
        if not cats:
            continue
        if word in strong and word not in covering:
            continue  # a category's own name stays exact
        for form in forms(word) if " " not in word or not word.endswith(")") else {word}:
            if word in covering:
                aliases.setdefault(form, set()).update(cats | strong.get(form, set()))
            elif form not in strong:
                aliases[form] = set(strong.get(found[0], {found[0]}))
    heads: dict[str, Counter[str]] = {}
    mentions: Counter[str] = Counter()
    for item in items:
        mentions.update(set(re.findall(r"[a-z][a-z-]*", item.title.lower())))
        head = _head_noun(item.title, stop | frozenset(words.qualities) | frozenset(words.attributes))
        if head and item.category:
            for form in forms(head):
                heads.setdefault(form, Counter())[item.category] += 1
    # 'Cable Ties', 'Indicator Strips': a head too generic to name a kind alone names one with the word before it.
    for item in items:
        if not item.category:
            continue
        segment = title_name(item.title)
        words_ = re.findall(r"[a-z][a-z-]*", segment)
        if len(words_) >= 2 and words_[-1] in _HEAD_NOUN_SKIP and len(words_[-2]) >= 3 and words_[-2] not in stop \
                and words_[-2] not in words.qualities:
            pair = f"{words_[-2]} {singular(words_[-1])}"
            if pair not in strong:
                for form in (pair, f"{words_[-2]} {plural(singular(words_[-1]))}"):
                    aliases.setdefault(form, set()).add(item.category)
    # A shopper's word the domain gives one category ('wipes' -> cleaning chemicals) also means
    # another kind whose titles end with it more often ('Low-Lint Laboratory Wipes' in lab
    # consumables, where no cleaning chemical is called wipes), not one where it is as rare or rarer
    # ('gloves': safety gloves has nine such titles, food hygiene two; 'jacket': one blazer and one
    # coat, so a 'tailored jacket' stays a blazer, the domain's first choice).
    for word in list(words.types):
        if word in covering or word in strong:
            continue
        for form in forms(word) if " " not in word else {word}:
            counts = heads.get(form)
            if not counts or form not in aliases:
                continue
            base = max((counts.get(c, 0) for c in aliases[form]), default=0)
            aliases[form].update(c for c, n in counts.items() if n > base)
    for word, counts in heads.items():
        total = sum(counts.values())
        least = 1 if len(items) < HEAD_NOUN_SMALL_CATALOG else 2
        if total < least or total * HEAD_NOUN_MIN_HEADED < mentions[word] or word in strong or word in words.types:
            continue
        aliases.setdefault(word, set()).update(cat for cat, n in counts.items() if n >= HEAD_NOUN_MIN_SHARE * total)
    return {k: tuple(sorted(v)) for k, v in aliases.items() if v}


def _title_words(items: list[Item]) -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for k, item in enumerate(items):
        words = re.findall(r"[a-z0-9][a-z0-9-]*", item.title.lower())
        for word in set(words):
            for part in {word, *word.split("-")}:
                if len(part) >= 3 or part.isdigit():
                    index.setdefault(singular(part), set()).add(k)
        for a, b in zip(words, words[1:]):
            if len(b) <= 2 and not b.isdigit():  # 'Level F', 'Type A': a grade too short to index alone
                index.setdefault(f"{a} {b}", set()).add(k)
    return {w: frozenset(ks) for w, ks in index.items()}


def _title_heads(items: list[Item]) -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for k, item in enumerate(items):
        title = item.title.lower()
        words = re.findall(r"[a-z][a-z-]{2,}", title)
        # The last word of the name, and of the name before its details ('Disposable Polythene
        # Aprons, Colour-Coded' ends with aprons too).
        named = re.findall(r"[a-z][a-z-]{2,}", title_name(title))
        for last in {words[-1] if words else None, named[-1] if named else None} - {None}:
            index.setdefault(singular(last), set()).add(k)
    return {w: frozenset(ks) for w, ks in index.items()}


def _unique_titles(items: list[Item]) -> dict[str, str]:
    counts = Counter(" ".join(re.findall(r"[a-z0-9&'-]+", i.title.lower())) for i in items)
    out = {}
    for item in items:
        key = " ".join(re.findall(r"[a-z0-9&'-]+", item.title.lower()))
        if counts[key] == 1 and len(key.split()) >= 2 and len(key) >= 10:
            out[key] = item.id
    return out


def _categories_in_sections(items: list[Item], word: str) -> set[str]:
    """Categories whose items mostly carry ``word`` in a grouping field ('shoes' in an H&M section
    'Womens Shoes'): what a covering word such as 'shoes' means in this catalog."""
    stem = singular(word)
    per_cat: dict[str, list[int]] = {}
    for item in items:
        if not item.category:
            continue
        values = " ".join(str(v).lower() for k, v in item.attributes.items()
                          if k in ("section", "department", "group", "garment_group", "product_group", "range", "family"))
        hit = bool(re.search(rf"\b(?:{re.escape(word)}|{re.escape(stem)})\b", values))
        counts = per_cat.setdefault(item.category, [0, 0])
        counts[0] += hit
        counts[1] += 1
    return {cat for cat, (hit, total) in per_cat.items() if hit >= 1 and hit >= 0.6 * total}


def _brand_aliases(brands: dict[str, str], stop: frozenset[str]) -> dict[str, str]:
    """First distinctive word of each multi-word brand, when no other brand shares it."""
    candidates: dict[str, list[str]] = {}
    for lower, name in brands.items():
        tokens = re.findall(r"[a-z0-9]+", lower)
        distinctive = [w for w in tokens if w not in _GENERIC_BRAND_WORDS]
        if len(tokens) < 2 or not distinctive:
            continue
        word = distinctive[0]
        if len(word) >= 4 and word not in stop:
            candidates.setdefault(word, []).append(name)
    return {w: names[0] for w, names in candidates.items() if len(names) == 1 and w not in brands}


def _common_word_brands(items: list[Item]) -> frozenset[str]:
    """One-word brands that other brands' titles use as a word at least 5 times and more than
    twice as often as the brand has items ('3D' in every maker's '3D printer filament')."""
    own = Counter(i.brand.strip().lower() for i in items if i.brand.strip())
    single = {b for b in own if re.fullmatch(r"[a-z0-9]+", b)}
    in_titles: Counter[str] = Counter()
    for item in items:
        brand = item.brand.strip().lower()
        in_titles.update(t for t in set(re.findall(r"[a-z0-9]+", item.title.lower())) if t in single and t != brand)
    return frozenset(b for b, n in in_titles.items() if n >= 5 and n > 2 * own[b])


_NOT_PACK_UNITS = frozenset("with and or of per in x each plus assorted mixed including incl".split())


def _units(items: list[Item]) -> dict[str, str]:
    """Order units the catalog counts in, from its pack sizes ('pack of 12 pairs', 'box of 100')."""
    out: dict[str, str] = {}
    for item in items:
        pack = str(item.attributes.get("pack_size") or item.attributes.get("pack") or "")
        for m in re.finditer(r"\b(?:of\s+)?\d+\s+([a-z]+)", pack.lower()):
            word = m.group(1)
            if word not in _NOT_PACK_UNITS:  # 'case of 500 with lids': 'with' counts nothing
                out[word] = singular(word)
        for m in re.finditer(r"\b(pair|box|case|carton|roll|pack|bag|bottle|sheet|pallet|set|tube|can|drum|reel|"
                             r"sack|tub|bucket|piece|unit)s?\b", pack.lower()):
            out[m.group(0)] = m.group(1)
    return out
