"""The offline reader: small ordered passes over one message, each owning one kind of fact.

    language -> typos, numbers, money slang -> reset -> references -> question / comparison ->
    verdicts -> lifted constraints -> numeric specs -> delivery -> quantities and MOQ -> sizes ->
    price -> critiques -> negations, X-free, requirements, preferences -> brands -> categories ->
    what modifies the item asked for -> the act

Each pass consumes the words it read (``agent.reading.text``), so no two passes read the same
words. Every pass's knowledge of the language is a data file under ``lang/<code>/``; what it knows
of the catalog comes from :class:`agent.reading.lexicon.CatalogLexicon`. Each pass has a corpus of
example phrases under ``corpus/<code>/`` that ``tests/test_reading_corpus.py`` runs.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from statistics import median

from agent.models import Item, plain
from agent.reading import acts, references
from agent.reading.catalog_words import SHOWN_ARE, SHOWN_ARE_NOT, CategoryMatcher, read_brands, read_categories, read_numeric
from agent.reading.delivery import DeliveryGrammar, read_delivery
from agent.reading.language import SUPPORTED, detect
from agent.reading.lexicon import CatalogLexicon, Language, foreign_act, language
from agent.reading.lexicon import plural, singular
from agent.reading.models import (Brand, Category, Comparison, Critique, Lift, Limit, PriceLimit, Quantity, Question, Reading, Reference, Said, Size,
                                  Term)
from agent.reading.money import MoneyGrammar, normalise_money, read_price
from agent.reading.numbers import normalise_numbers
from agent.reading.quantities import PackGrammar, QuantityGrammar, read_quantities
from agent.reading.sizes import SizeGrammar, read_sizes
from agent.reading.terms import TermGrammar, read_terms
from agent.reading.text import Edit, Text, alternation, rx
from agent.reading.typos import lexicon_words, mend, skeletons, targets

_BRAND_REF = rx(r"\b(?:that|this|the same|their|the|these|those) (?:brand|label|designer|maker|manufacturer|make|supplier)s?\b")
_QUANTITY_CONTEXT = rx(r"\b(?:order|orders|ordering|quantity|qty|units?|pieces|pcs|how many|pairs?|boxes|cases|rolls|"
                       r"cartons|pallets|packs|bags)\b")


_ALTERNATIVE_GAP = re.compile(r"\s*(?:,\s*(?:or\s+)?|/\s*|or\s+)(?:in\s+|a\s+|an\s+)?")
"""What may stand between two alternatives: 'linen or silk', 'navy, black or grey', 'silk/satin'."""

_LIMIT_AFTER_QUESTION = re.compile(
    r"\?\s*(?:[a-z,.' ]{0,20}?\b)?(?:we|i|she|he|they)?\s*(?:can'?t|cannot|won'?t) (?:go|pay|spend|do|wait) (?:above|over|more|beyond|longer)|"
    r"\?\s*(?:no good|too (?:much|long|slow|high|dear)|not (?:good enough|ok)|that'?s (?:too|no))\b|"
    r"\?\s*(?:(?:it|they|that|these|those)\s+)?(?:has|have|needs?|must) (?:to )?be\b|"
    r"\?\s*(?:we|i)\s+(?:only|just)\s+(?:need|use|order|want)\b",
    re.IGNORECASE)
"""After a question, words that state a limit: the question was a complaint about the item."""
class KindsGrammar:
    """When a word naming a kind is not the kind wanted (``lang/<code>/kinds.toml``)."""

    def __init__(self, lang):
        k = lang.kinds
        self.context_head = re.compile(rf"^[\s-]+(?:{alternation(k.context_heads)})\b", re.IGNORECASE)
        self.context_before = re.compile(rf"\b(?:{alternation(k.context_before)})\s+(?:the\s+|some\s+|any\s+|our\s+)?$",
                                         re.IGNORECASE)
        self.for_people = re.compile(rf"\b(?:{alternation(k.for_people)})\s+(?:the|our|my|his|her|their|your|all|all the|all our)"
                                     rf"\s+(?:[a-z-]+\s+)?$", re.IGNORECASE)
        gap = r"\s+(?:(?!(?:and|or|plus|also|then)\b)[\w'-]+\s+){0,4}$"
        self.host = re.compile(rf"\b(?:{alternation(k.host_before)}){gap}", re.IGNORECASE) if k.host_before else None
        self.shown_as = re.compile(rf"\b(?:{alternation([*k.host_before, *k.shown_as_before])}){gap}", re.IGNORECASE) \
            if k.host_before or k.shown_as_before else None
        """'a keyboard for my desktop ': the words before a kind the wanted item goes with."""

    def is_context(self, s: str, start: int, end: int) -> bool:
        """Whether the kind named at ``s[start:end]`` is where the workers are or what they handle
        ('the chemical store', 'chemical splash', 'decanting chemicals'), not what is bought."""
        return bool(self.context_head.match(s[end:]) or self.context_before.search(s[:start]))


_FIELDS_RECORDED = frozenset({"material", "care"})
"""Question fields that only a catalog recording them can answer from a field of their own."""
_WITH_PART = re.compile(r"\b(?:with|w/|that has|that have|which has|featuring)\s+(?:a\s+|an\s+|the\s+|some\s+)?$", re.IGNORECASE)
"""Words before a kind that make it a part of the item: 'a coat with a hood'."""
_SIZED_IN = re.compile(r"\b\d{1,3}(?:\.5)?\s+in\s+([a-z]+)", re.IGNORECASE)
"""'a 42 in dresses': the kind a size is said of."""
_PIECE_OPENERS = rx(r"^(?:(?:ok(?:ay)?|so|then|hmm+|um+|well|right|alright|actually|oh|ah|and|but|fine|sure|"
                    r"wrong (?:material|fabric|colou?r|size|one|item))\s+)+")


def _said_at(lower: str, quote: str, start: int = 0) -> int:
    """Where ``quote`` is said in ``lower`` from ``start``: as a word of its own first ('phone', not
    the phone of 'headphones'), else anywhere; -1 when it is not."""
    q = quote.lower()
    m = re.compile(rf"(?<![\w-]){re.escape(q)}(?![\w-])").search(lower, start)
    return m.start() if m else lower.find(q, start)


@dataclass
class Reader:
    """Reads messages about one catalog. Built once per catalog (it compiles that catalog's words)."""

    lexicon: CatalogLexicon
    lang: Language = field(default_factory=lambda: language("en"))
    embed: object | None = None
    """``embed(list[str])`` -> normalised vectors, to match unknown kinds of item by meaning; optional."""

    def __post_init__(self) -> None:
        lx = self.lexicon
        self.money = MoneyGrammar(self.lang)
        corrections = self.lang.acts.corrections
        self._correction = re.compile(
            rf"(?P<old>\b[a-z][a-z -]{{0,30}}?)\s*,?\s*(?P<marker>(?<![\w-])(?:{alternation(corrections)}))\s*[,:-]?\s*"
            rf"(?:make (?:that|it)\s+|(?:a|an|in)\s+)?(?P<new>[a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)", re.IGNORECASE) if corrections else None
        self._number_correction = re.compile(
            rf"(?<![\w.,])(?P<old>\d+(?:[.,]\d+)*)(?P<tail>(?:st|nd|rd|th)?(?:\s+(?!(?:and|or|but|to)\b)[a-z]+){{0,2}}?)\s*(?:[,–-]\s*)?"
            rf"(?P<marker>(?<![\w-])(?:{alternation(corrections)}))\s*[,:-]?\s*"
            rf"(?:make (?:that|it)\s+|(?:a|an|in|the)\s+)?(?=[€$£]?\d)(?P<new>[€$£]?\d+(?:[.,]\d+)*)", re.IGNORECASE) if corrections else None
        """'budget 500, wait, let's say 700', 'size 40 blazer - sorry, 42', '50 boxes, hang on, 60 boxes', 'by the 9th -
        sorry, the 11th': a number taken back for the next one."""
        self._ref_correction = re.compile(
            rf"\s*(?:[,;]|\.{{2,}}|…)\s*(?:{alternation(corrections)})\s*[,:-]?\s*", re.IGNORECASE) if corrections else None
        """'I like the first... no wait, the slingbacks': between two references, the later replaces the earlier."""
        # A price said per unit ('€5 each', '3 euros a pair', '€2/box'), from the language's own words.
        self.whole_order = re.compile(rf"(?<![\w-])(?:{alternation(self.lang.money.limits.whole_order)})(?![\w-])")
        """Words that make an amount the budget of the whole order rather than of one unit."""
        self.whole_order_tail = re.compile(rf"\d\s*(?:{alternation(self.lang.money.limits.whole_order_tail)})\s*$",
                                           re.IGNORECASE) if self.lang.money.limits.whole_order_tail else None
        self.per_unit_tail = re.compile(rf"(?<![\w])(?:{alternation(self.lang.money.limits.per_unit)})\s*$|/",
                                        re.IGNORECASE)
        self.delivery = DeliveryGrammar(self.lang)
        hedges = self.lang.critiques.budget_hedges
        self.budget_hedge = re.compile(rf"(?<![\w'])(?:{alternation(hedges)})\s+[\w-]+$", re.IGNORECASE) \
            if hedges else None
        self.quantities = QuantityGrammar(self.lang, lx)
        liquid = self.lang.units.packs.liquid
        self._liquid_said = re.compile(rf"(?<![\w-])(?:{alternation([plural(u) for u in liquid])})(?![\w-])|"
                                       rf"(?:/|\bper\s+|\ba\s+|\beach\s+|\d\s*)(?:{alternation(list(liquid))})(?![\w-])",
                                       re.IGNORECASE) if liquid else None
        """A liquid container named as a noun: the plural anywhere ('8 cans'), the singular after a
        number, 'per', 'a' or '/' ('<€8/can'), not 'we can wait'."""
        self._volume_words = {f for forms in self.lang.units.packs.volumes.values() for f in forms}
        self.pack_grammar = PackGrammar(self.lang)
        self.kinds_grammar = KindsGrammar(self.lang)
        soft = self.lang.negation.soft_clause
        self.soft_clause = re.compile(rf"(?<![\w'])(?:{alternation(soft)})(?![\w'])", re.IGNORECASE) if soft else None
        firm = self.lang.negation.firm_clause
        self.firm_clause = re.compile(rf"(?<![\w'])(?:{alternation(firm)})(?![\w'])", re.IGNORECASE) if firm else None
        verdict = self.lang.fields.verdict_fields
        self.verdict_field = re.compile(rf"(?<![\w-])(?:{alternation(verdict)})(?![\w-])(?:\s+\w+){{0,2}}?\s*"
                                        rf"(?:is|are|'s|'re|seems?|looks?)?\s*(?:a bit\s+|way\s+|far\s+|just\s+)?$",
                                        re.IGNORECASE) if verdict else None
        self.sizes = SizeGrammar(self.lang, lx)
        self.acts = acts.ActGrammar(self.lang, lx)
        self.terms = TermGrammar(self.lang, lx, self.acts.style)
        self.matcher = CategoryMatcher(lx, self.embed)
        self.identifier = re.compile(rf"(?:^|[^\w])(?!(?<=the )lot\b)(?:{alternation(self.lang.numbers.identifiers['before'])})\s*[:#]?\s*$",
                                     re.IGNORECASE)
        ages = self.lang.numbers.ages
        age_value = r"\d{1,2}(?:\s*(?:-|to|or|and)\s*\d{1,2})?"
        age_forms = ([rf"(?<![\w-])(?:{alternation(ages['before'])})\s*:?\s*{age_value}(?![\w.])"] if ages.get("before") else []) + \
            ([rf"(?<![\w.]){age_value}\s*(?:{alternation(ages['after'])})(?![\w-])"] if ages.get("after") else [])
        self.age = re.compile("|".join(age_forms), re.IGNORECASE) if age_forms else None
        """'age 8-10', 'aged 6', '8 to 10 years old': a person's age, which no later pass reads as an amount."""
        self.typo_targets = targets(self.lang, lx)
        self.typo_skeletons = skeletons(self.typo_targets)
        self.known_words = lexicon_words(self.lang, lx)
        d = lx.domain
        self.shopping_words = frozenset(w for phrase in [*d.types, *d.materials, *d.colours, *d.attributes, *d.patterns,
                                                         *lx.categories] for w in re.findall(r"[a-z]{4,}", phrase))
        self.thousands_dot = bool(lx.prices) and median(lx.prices) >= 50
        abbreviations = self.lang.stopwords.abbreviations
        self.abbreviation = re.compile(rf"(?<![\w.])({alternation(abbreviations)})\.(?=\s+[\w€$£])", re.IGNORECASE) \
            if abbreviations else None
        self.keep = frozenset(w for w in lx.vocabulary() if re.fullmatch(r"\d+[a-z]+", w))
        heads = lx.domain.feature_heads
        self.feature_compound = re.compile(rf"(?<![\w'-])(?P<m>[a-z][a-z]+)[\s-]+(?P<h>{alternation(heads)})(?![\w'-])") \
            if heads else None
        """'grey marl', 'composite toe', 'over ear': a word and a noun of a part or make of the item."""

    def plausible(self, amount: float) -> bool:
        return self.lexicon.plausible_price(amount)

    # -- the passes ---------------------------------------------------------------------------------

    def read(self, message: str, shown: list[Item] | None = None, focus: Item | None = None,
             today: date | None = None) -> Reading:
        shown = [plain(i) for i in shown or []]  # titles as typed: 'the carre' is the Carré
        focus = plain(focus) if focus is not None else None
        if not shown and focus is not None:
            # the item just asked about, answered without cards ('Need cling film ... Does it come with a
            # cutter box?'), is the one on screen: 'ok and what's the price for 24?' asks it
            shown = [focus]
        today = today or date.today()
        if self.abbreviation is not None:
            # 'approx. 5,000', 'qty. 20': the abbreviation's point ends no sentence (a space, so every
            # position, and so every quote, stays where it was)
            message = self.abbreviation.sub(lambda m: m.group(1) + " ", message)
        code = detect(message, self.lexicon, self.known_words)
        if code not in SUPPORTED:
            return Reading(act=foreign_act(message, code, bool(shown)), language=code, understood=False)
        reading = self._read(message, shown, focus, today, allow_question=True)
        if reading is not None and reading.question is not None and shown and _LIMIT_AFTER_QUESTION.search(message):
            # '49€ for the third one? we can't go above 15 euros per unit': the question is a complaint,
            # and the limit said after it is what the buyer needs.
            stated = self._read(message, shown, focus, today, allow_question=False)
            if stated is not None and not stated.constraints().is_empty():
                reading = stated
        if reading is None:
            # A request phrased as a question ('do you have dresses under 200?'): read again as a request.
            reading = self._read(message, shown, focus, today, allow_question=False)
        if reading.require:
            reading.require = [t for t in reading.require if not self._container_volume(t.text, message, reading)]
        if reading.quantity is None and reading.price is None and reading.categories and reading.act == "request" \
                and not reading.numeric and _search_box(message, self.lang.stopwords.sentence, commas=True):
            # '12oz double wall hot cups compostable 5000', 'kraft mailing bags self seal 10k': a count
            # typed last in a search-box query, with no money said, is how many are wanted
            m = re.search(r"(?<![\w.£€$])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<k>k)?\s*$", message, re.IGNORECASE)
            if m and not re.search(r"\b(?:under|over|below|above|max|budget|up to|size|sz)\s*$|[<>]\s*$",
                                   message[:m.start()], re.IGNORECASE):
                value = float(m.group("n").replace(",", "")) * (1000 if m.group("k") else 1)
                noun = _item_noun(reading)
                if value >= 100 and noun and not any(z.quote.endswith(m.group(0).strip()) for z in reading.sizes):
                    reading.quantity = Quantity(value=value, unit=noun, quote=m.group(0).strip())
        if reading.quantity is not None and not reading.quantity.sure and reading.categories:
            # 'gifts for our nine directors - silk scarves', 'machines for 8 new devs ... per laptop':
            # a head count orders one of the item each, counted in the item's own noun
            reading.quantity.unit = _item_noun(reading) or reading.quantity.unit
        if reading.quantity is not None and reading.quantity.unit == "one":
            # 'wore holes in both my sports bras. need 2 new ones': what 'ones' stands for is counted
            reading.quantity.unit = _item_noun(reading) or "unit"
        if shown and reading.act in ("request", "greeting", "off_topic") and self._asks_unread(message, reading):
            # 'is the degreaser ok on food prep surfaces': a question on the card meant that no
            # field's words name. Its own text answers it, or the reply says the catalog doesn't;
            # never a new list for a question.
            named = [r.item_id for r in reading.references if r.how in ("id", "ordinal", "title", "deictic")]
            lowered = message.lower()
            ids = list(dict.fromkeys(named)) or ([i.id for i in shown] if references.PLURAL.search(lowered) else
                                                 [(focus or shown[0]).id] if references.IT.search(lowered) else [])
            if ids:
                for r in reading.references:
                    r.polarity = None
                reading.question = Question(item_ids=ids, field="description", quote=message.strip())
                reading.act = "question"
        return reading

    def _asks_unread(self, message: str, reading: Reading) -> bool:
        """Whether ``message`` asks something of the cards and the reading holds nothing else."""
        if reading.question is not None or reading.compare is not None or reading.critiques or reading.lift \
                or not reading.constraints().is_empty() or reading.categories or reading.soft() \
                or any(r.polarity for r in reading.references):
            return False
        text = Text.of(message)
        if not ("?" in message or self.acts.opener.search(text.clean)):
            return False
        if re.search(r"\b(?:which|any of|are any|is any|any (?:with|in|that)|the (?:\w+est|most|least|best)|compared?|vs|versus|between)\b",
                     text.clean):
            return False  # over several cards: a comparison the reader did not read, no question on one
        _, off_topic = acts.social(text, self.acts)
        if off_topic or self.acts.asides.search(text.clean):
            return False
        # a word the catalog's texts use, beyond the small words, or a card named
        return any(r.how in ("id", "ordinal", "title") for r in reading.references) or any(
            self.lexicon.uses(w) and w not in references.STOPWORDS and w not in self.lang.stopwords.common
            for w in re.findall(r"[a-z]{4,}", text.clean))

    def _read(self, message: str, shown: list[Item], focus: Item | None, today: date,
              allow_question: bool) -> Reading | None:
        lx = self.lexicon
        text = Text.of(message)
        mend(text, self.lang, lx, self.typo_targets, self.known_words, self.typo_skeletons)
        normalise_numbers(text, self.lang, self.thousands_dot, self.keep)
        normalise_money(text, self.lang)
        # 'ignore what i said about minimums', 'forget what I said about the budget': that one is
        # dropped, not the whole conversation
        text.rewrite([Edit(m.start("w"), m.end(), "the ") for m in _SAID_ABOUT.finditer(text.s)])
        # 'something on the stretchy side', 'one on the fitted side': a leaning, said softly
        text.rewrite([Edit(m.start(), m.end(), "ideally " + m.group("q")) for m in _ON_THE_SIDE.finditer(text.s)
                      if m.group("q") not in ("left", "right", "back", "front", "inside", "outside", "other", "same", "safe")])
        # 'Is the work light at least IP65?': the grade asked about (a grade is met by any above it)
        text.rewrite([Edit(m.start("w"), m.end("w"), "") for m in _AT_LEAST_ASKED.finditer(text.s)])
        # 'DNase- and RNase-free', 'latex- or powder-free': the first word's 'free' said once, for both
        text.rewrite([Edit(m.start("h"), m.end("h"), "-" + m.group("tail")) for m in _SUSPENDED.finditer(text.s)])
        # 'Can you confirm the bagasse boxes are PFAS free?': what is to be confirmed is the question
        text.rewrite([Edit(m.start(), m.end(), "") for m in _CONFIRM_FRAME.finditer(text.s)])
        self._corrected(text)
        self._below_quoted(text, {i.price for i in shown})
        out = Reading()

        reset = acts.read_reset(text, self.acts)
        out.lift = acts.read_lifts(text, self.acts, lx)  # before 'the brand' can read as a reference to one
        out.lift = [x for k, x in enumerate(out.lift) if x.label() not in {y.label() for y in out.lift[:k]}]
        if reset:
            out.lift = [x for x in out.lift if x.field != "category"]  # 'start over, something else entirely': the reset says it
        text.take(self.acts.owned)  # 'I own about nine black dresses already': no count, no colour wanted
        returned = text.take(self.acts.returned)  # 'I sent back the crewneck, it came up too big': no critique
        out.lift += acts.read_term_lifts(text, self.acts, lx, named_requirement=True)
        for m in _THIS_ORDER.finditer(text.clean):
            text.consume(m.start("o"), m.end("o"))  # "Timing's not an issue on this one": this order, not a card
        refs = references.find(text, shown, focus, lx, self.acts.goodbye)
        brand_refs = text.take(_BRAND_REF)

        question = None
        compare = None
        critique_only = bool(self.acts.cheaper.search(text.s) or self.acts.priced.search(text.s)
                             or self.acts.pricier.search(text.s)) and not re.search(
            r"\b(?:how much|what(?:'s| is) the price|price of|cost of|price for)\b|"
            r"\bcheaper\s+(?:if|when)\s+(?:we|i|you)\s+(?:buy|order|take|get)\s+more\b|\bcheaper\s+(?:in|for)\s+bulk\b", text.s) and not (
            shown and re.search(r"\bwhich(?:\s+(?:one|ones|of (?:these|them|those|the \w+)))?\s+(?:is|are|works? out|comes? out|one'?s|would be)\b",
                                text.s))  # 'between the first two, which works out cheaper per pair?' compares
        if critique_only and shown and self.acts.which_more is not None and self.acts.which_more.search(text.s):
            critique_only = False  # 'which is the pricier one?' compares what was shown
        if allow_question and not critique_only and not (self.acts.about_you.search(text.clean) and not refs):
            # 'which of the bags are leather?': the shown bags, not the one bag whose title says 'bag'.
            # "which scarf's the cashmere one?": the quality asked of them, not a card named.
            over_shown = [r for r in refs if r.how == "title" and re.search(
                r"\b(?:which|any|none|all|each|both|either|neither) of\s+$|" + acts.WHICH_IS + "$",
                text.clean[:r.start].lower())]
            compare = acts.read_compare(text, self.acts, shown, lx) if not any(
                r.how in ("id", "title") for r in refs if r not in over_shown) else None
            if compare is not None and over_shown:
                refs = [r for r in refs if r not in over_shown]
            if compare is None and len(shown) > 1 and acts.WHICH_OF_THEM.match(text.clean) and refs:
                # 'which ships quickest? the 50ml ones say low stock', 'which is lighter, the airbook or
                # the refurb corvane': asked first of them all, a comparison, the cards named after it
                saved = text.s
                compare = acts.read_compare(text, self.acts, shown, lx)
                if compare is not None and compare.goal == "has":
                    compare, text.s = None, saved
            if compare is None:
                named = references.catalog_named(text.s, lx, refs) if acts.interrogative(text, self.acts) and not any(
                    r.how in ("id", "ordinal", "title", "price") for r in refs) else []
                shown_ids = {i.id for i in shown}
                for r in named:
                    # 'the trench - is it waterproof?' of a shown Trenchcoat: the card shown that says it
                    words = [w for w in re.findall(r"[a-z0-9]{3,}", text.clean[r.start:r.end]) if w not in references.STOPWORDS]
                    meant = [i.id for i in shown if words and all(w in i.lowered_text() for w in words)]
                    if meant and not set(r.item_ids) & shown_ids:
                        r.item_ids = meant
                if not named and not refs and (self.acts.field_last.match(text.s) or not shown and self.acts.name_then_ask.match(text.s)):
                    # 'pizza boxes moq?': the name said first, without 'the'
                    lead = self.acts.name_then_ask.match(text.s)
                    at = lead.start("name") if lead and not self.acts.field_last.match(text.s) else 0
                    named = [references.Ref(at, at + r.end - 4, r.item_ids, r.how)
                             for r in references.catalog_named("the " + text.s[at:], lx, []) if r.start == 0]
                if not named and not refs and not shown and focus is None:
                    named = self._named_then_asked(text)
                question = acts.read_question(text, self.acts, refs + named, shown, focus, lx)
                if question is not None and (question.value or question.field in (
                        "lead_time", "availability", "description", "certifications")) and len(shown) > 1 and \
                        set(question.item_ids) in ({i.id for i in shown}, set()) and acts.WHICH_OF_THEM.match(text.clean):
                    # ('which of those could be here by friday?': which of them can, not when each comes)
                    # 'Which of them can go in the washing machine?': which of the shown items have it.
                    compare = Comparison(field=question.field, goal="has", value=question.value, quote=text.original.strip())
                    question = None
                if question is not None and named and set(question.item_ids) & {i for r in named for i in r.item_ids}:
                    refs = sorted(refs + named, key=lambda r: r.start)  # 'what's the lead time on the torque wrench?'
        asked = {question.field, *question.other_fields} if question is not None else set()

        # Verdicts on the items referred to.
        question_ids = set(question.item_ids) if question is not None else set()
        previous: tuple[tuple[int, int], str | None] | None = None
        verdicts = [references.polarity(text, refs, k, text.clause_of(ref.start)) for k, ref in enumerate(refs)]
        if self._ref_correction is not None and question is None and compare is None:
            for k in range(len(refs) - 2, -1, -1):
                gap = self._ref_correction.fullmatch(text.s, refs[k].end, refs[k + 1].start)
                if gap and refs[k].item_ids != refs[k + 1].item_ids:
                    # what was said of the one taken back is said of the one meant instead
                    if verdicts[k][0] is not None:
                        verdicts[k + 1] = verdicts[k]
                    elif verdicts[k + 1][0] == "rejected" and re.search(r"\bno\b", gap.group(0)):
                        verdicts[k + 1] = (None, None)  # the 'no' is the correction's, not a verdict
                    text.consume(refs[k].start, refs[k + 1].start)
                    del refs[k], verdicts[k]
        for k in range(len(refs) - 2, -1, -1):
            # 'First and last are lovely': what is said of the second of a pair joined by 'and' or
            # 'or' is said of the first too.
            if verdicts[k][0] is None and verdicts[k + 1][0] is not None and re.fullmatch(
                    r"\s*(?:,\s*)?(?:and|or|&|\+|plus)\s+(?:the\s+)?|\s*,\s*", text.clean[refs[k].end:refs[k + 1].start]):
                verdicts[k] = verdicts[k + 1]
        for k, ref in enumerate(refs):
            clause = text.clause_of(ref.start)
            pol, reason = verdicts[k]
            if pol is None and previous is not None and previous[0] == clause:
                pol = previous[1]  # 'not the first or the second'
            previous = (clause, pol)
            clause_text = text.original[text.starts[clause[0]]:text.ends[min(clause[1], len(text.ends)) - 1]] \
                if clause[1] > clause[0] else ""
            sentence = re.match(r"[^.!?]*[.!?]?", text.clean[ref.start:]).group(0)  # ('the lace one - lined or not?')
            asked_here = "?" in clause_text or sentence.endswith("?") or bool(self.acts.opener.search(text.clean[clause[0]:clause[1]]))
            opened = max(text.clean.rfind(c, 0, ref.start) for c in ".!?") + 1  # ('love the trek max, can I ...?')
            said_first = text.clean[opened:ref.start] + re.split(r",|\s[-–]\s|\bbut\b|\btho\b|\bthough\b", sentence)[0]
            if asked_here and pol == "liked" and "?" not in clause_text and said_first != sentence and \
                    references.POSITIVE.search(said_first) and not self.acts.opener.search(said_first):
                asked_here = False  # 'the orange ones are nice tho, are they leather?': liked, then asked about
            own = text.clean[opened:ref.start] + sentence
            if asked_here and pol == "liked" and "?" not in own and not self.acts.opener.search(own) \
                    and len(own.strip()) < len(text.clean.strip()):
                asked_here = False  # 'ooh the carré. how big is it?': liked in a sentence of its own, then asked
            if (set(ref.item_ids) <= question_ids and asked_here) or compare is not None:
                pol = None  # a question about an item is not a verdict on it ('Love it! what colour is it?' is both)
            for item_id in ref.item_ids:
                out.references.append(Reference(item_id=item_id, how=ref.how, polarity=pol,
                                                quote=text.quote(ref.start, ref.end)))
            if pol == "rejected":
                out.reason = out.reason or reason
            text.consume(ref.start, ref.end)
        liked_by_default: list[Reference] = []
        if refs and len({tuple(r.item_ids) for r in refs}) == 1 and not any(r.polarity for r in out.references) \
                and question is None and compare is None:  # one item, named once or again ('the last one. yeah the last')
            rest = text.s
            complaint = self.acts.cheaper.search(rest) or self.acts.priced.search(rest)  # 'the postal boxes are steep'
            if not complaint and not [w for w in re.findall(r"[a-z]+", rest) if w not in references.STOPWORDS
                    and w not in ("one", "option", "please", "pls") and not _SIZE_WORD.fullmatch(w)
                    and (lx.uses(w) or self.acts.want.search(w))]:  # ('the teal one, in a medium pls' likes it)
                for r in out.references:
                    r.polarity = "liked"
                    liked_by_default.append(r)
        none = references.none_of_them(text, self.acts.reject_all)
        if none and not re.match(r"\W*(?:none|not (?:these|those|them)|(?:i )?don'?t like (?:these|them|any))\b", none.group(0),
                                 re.IGNORECASE) and any(r.polarity for r in out.references if r.how != "all"):
            # 'nah, not the last one', '3rd no - what else have you got?': the verdict is on the one
            # named, not on every item shown
            none = None
        if shown and none and compare is None:
            for item in shown:
                if all(r.item_id != item.id or r.polarity != "liked" for r in out.references):
                    out.references.append(Reference(item_id=item.id, how="all", polarity="rejected", quote=none.group(0)))
            out.reason = out.reason or none.group(0)
            text.consume(*_span_of(text, none.group(0)))
        if shown and not refs and question is None and compare is None:
            self._pronoun_verdict(text, out, focus or shown[0])
        for m in brand_refs:
            cs, ce = text.clause_of(m.start())
            clause = text.clean[cs:ce]
            if references.NEGATIVE.search(clause) or re.search(r"\b(?:nothing|no more|avoid)\b", clause):
                in_clause = [r for r in refs if cs <= r.start < ce]
                before = [r for r in refs if r.end <= m.start()]
                ref = in_clause[0] if in_clause else (before[-1] if before else None)
                ids = ref.item_ids if ref is not None else ([(focus or shown[0]).id] if shown else [])
                by_id = {i.id: i for i in shown}
                for item_id in ids:
                    if item_id in by_id and by_id[item_id].brand:
                        out.brand_refs_out.append(by_id[item_id].brand)

        out.lift += acts.read_term_lifts(text, self.acts, lx)
        if not shown and focus is None:
            # 'a laptop, refurbished is fine', 'sterling silver or gold is fine' to open: what is
            # acceptable, not an earlier exclusion taken back (nothing was asked before)
            out.lift = [x for x in out.lift if x.field not in ("exclude", "require") or not re.search(
                r"(?:is|are|'s|'re|s)\s+(?:fine|ok|okay|good|acceptable|alright|all right)\b", x.quote.lower()) or re.search(
                r"\b(?:after all|any ?more|now|actually|changed? (?:my|our) minds?|on second thoughts?|instead)\b",
                text.clean)]
        if self.age is not None:
            text.take(self.age)  # 'for my son, age 8-10': an age, never a budget, a quantity or a limit
        out.numeric = read_numeric(text, lx, self.lang)
        if "lead_time" not in asked:
            d = read_delivery(text, self.delivery, today)
            if d.days is not None:
                out.max_lead_time_days = Limit(value=d.days, quote=d.days_quote)
                # 'no rush, but it must land here by the 14th': the deadline said is the limit, no rush before it
                out.lift = [lift for lift in out.lift if lift.field != "delivery"]
            if d.in_stock is not None and "availability" not in asked and (compare is None or compare.field != "availability"):
                out.in_stock = Said(quote=d.in_stock)
        breakdown = self._size_breakdown(text) if question is None and compare is None and lx.sizes else None
        counted_volumes = self._packs(text, out, bool(shown)) if question is None and compare is None else []
        q = read_quantities(text, self.quantities, asked)
        if breakdown is not None:
            total, sizes_said, quote = breakdown
            if q.quantity is None:
                out.quantity = Quantity(value=total, unit="unit", quote=quote)
            out.sizes = [Size(value=v, quote=quote) for v in sizes_said]
        for a, b in counted_volumes:
            text.consume(a, b)  # '12 x 20L drums': the drums' size is part of what is counted, no requirement
        if q.quantity is not None and question is None:
            out.quantity = Quantity(value=q.quantity, unit=q.unit, quote=q.quantity_quote, sure=not q.headcount)
        elif q.quantity is not None and question is not None and question.quantity is None:
            question.quantity = q.quantity
            question.unit = q.unit or "unit"
        if q.max_moq is not None:
            out.max_moq = Limit(value=q.max_moq, quote=q.moq_quote)
        sizes, size_quote = read_sizes(text, self.sizes)
        if sizes and "size" not in asked and lx.sizes and (compare is None or compare.field != "size"):
            out.sizes = [Size(value=s, quote=size_quote) for s in sizes]
        p = None
        if "price" not in asked and "tiered_prices" not in asked:
            # 'made to order' is no order; 'a pair of shoes' is one thing to wear, not a count to order.
            plain = re.sub(r"\b(?:made|make|built|back)[ -]to[ -]order\b|\bbackorder\w*|\bpair\b",
                           " ", text.clean)
            quantity_context = bool(_QUANTITY_CONTEXT.search(plain)) and not self.money.money_words.search(text.clean)
            p = read_price(text, self.money, self.identifier, self.plausible, quantity_context,
                           lambda *v: all(f"{x:g}" in lx.sizes for x in v))
            if p is not None and p.not_budget is not None:
                out.lift.append(Lift(field="budget", quote=f"{p.not_budget:g} is not the budget"))
                many = re.search(r"\bhow many (?P<u>[a-z]+)", text.clean)
                if out.quantity is None and many:
                    unit = self.quantities.units.get(many.group("u"), singular(many.group("u")))
                    out.quantity = Quantity(value=p.not_budget, unit=unit, quote=many.group(0))
            if p is not None and p.spans:
                out.price = PriceLimit(max=p.max, min=p.min, currency=p.currency, approximate=p.approximate,
                                       quote=" / ".join(text.quote(a, b) for a, b in p.spans), sure=p.sure)
        for_them = p is not None and out.quantity is not None and any(  # 'budget is 125€ for five pcs'
            re.match(rf"\s*,?\s*for\s+(?:the\s+|all\s+|about\s+)?{out.quantity.value:g}\b", text.clean[b:b + 30])
            for _, b in p.spans)
        if out.price is not None and out.quantity is not None and out.quantity.value > 1 and (
                self.whole_order.search(text.clean) or for_them or (
                self.whole_order_tail is not None and self.whole_order_tail.search(out.price.quote))) \
                and not self.per_unit_tail.search(out.price.quote.lower()):
            # 'our budget is 2k for the lot: 40 pairs': a limit for the whole order, so per pair 2000 / 40.
            n = out.quantity.value
            out.price.total = out.price.max
            out.price.max = round(out.price.max / n, 2) if out.price.max is not None else None
            out.price.min = round(out.price.min / n, 2) if out.price.min is not None else None
        if out.price is None and out.quantity is not None and out.quantity.value > 1:
            # 'got 2k for 40 pairs of boots': an amount for the count that follows it, the whole order's
            q = out.quantity.value
            m = re.search(rf"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?P<k>k)?\s+for\s+(?:the\s+|all\s+)?{q:g}\b", text.clean)
            total = float(m.group("n")) * (1000 if m.group("k") else 1) if m else 0
            if m and total > q and lx.plausible_price(total / q) and not text.consumed(m.start(), m.end("n")):
                out.price = PriceLimit(max=round(total / q, 2), total=total, quote=text.quote(m.start(), m.end()), sure=True)
                text.consume(m.start("n"), m.end("k") if m.group("k") else m.end("n"))
        ruled_out_terms: list[Term] = []
        if shown or focus is not None:
            out.critiques = acts.read_critiques(text, self.acts, lx, bool(shown))
        else:
            # Nothing shown: no critique of it. 'not too boxy' rules boxy out (its words consumed);
            # 'not that fake leather stuff' is left for the terms to read.
            probe = copy.deepcopy(text)
            for c in acts.read_critiques(probe, self.acts, lx, False):
                said = re.search(r"\b(?:not|nothing|no|none)\s+(?:too|overly|very|so)\s+" + re.escape(c.attribute) + r"\b",
                                 text.s) if c.kind == "less_like" and c.attribute and " " not in c.attribute else None
                if said:
                    ruled_out_terms.append(Term(text=c.attribute, quote=text.quote(said.start(), said.end())))
                    text.consume(said.start(), said.end())
            out.critiques = []
        if p is not None and p.dear and not any(c.kind == "cheaper" for c in out.critiques):
            out.critiques.append(Critique(kind="cheaper", quote=p.dear))  # '1.45 for the first one is too much'
        wanted_more = {c.attribute for c in out.critiques if c.kind == "more_like"}
        out.critiques = [c for c in out.critiques if not (
            c.kind == "less_like" and self.lang.critiques.opposites.get(c.attribute) in wanted_more)]  # 'too short, something longer'
        if out.price is not None and out.price.max is not None and self.budget_hedge is not None:
            # 'denim jacket, nothing too pricey, 70 tops': the budget said twice, once softly.
            out.critiques = [c for c in out.critiques if not (c.kind == "cheaper" and self.budget_hedge.search(
                text.clean[:text.clean.lower().find(c.quote.lower()) + len(c.quote)] if c.quote.lower() in text.clean.lower() else ""))]
        terms = read_terms(text, self.terms, in_question=question is not None or compare is not None)
        out.exclude, out.require, out.prefer = terms.exclude + ruled_out_terms, out.require + terms.require, terms.prefer
        out.critiques += [c for c in terms.less if all(c.attribute != x.attribute for x in out.critiques)]
        out.critiques = [c for c in out.critiques if not (c.kind in ("less_like", "more_like") and self._said_of_a_field(text, c.quote))]
        if out.critiques:
            self._verdict_or_critique(text, out, liked_by_default)
        if any(lift.field in ("budget", "all") for lift in out.lift):
            # 'forget the price limit, she's happy to splurge': the splurge is the budget dropped.
            out.critiques = [c for c in out.critiques if c.kind != "pricier"]
        out.brands_out = _unique_brands(terms.brands_out)
        wanted, liked = read_brands(text, lx)
        out.brands_in = _unique_brands([b for b in wanted + liked if b.name not in {x.name for x in out.brands_out}])
        spans: list[tuple[int, int]] = []
        out.categories = read_categories(text, lx, self.matcher, [], spans, context=self.kinds_grammar.is_context)
        same_kind = self.lang.acts.want.returned_same_kind
        if returned and not out.categories and same_kind and re.search(rf"(?<![\w-])(?:{alternation(same_kind)})(?![\w-])", text.clean):
            # 'sent back the superskinny jeans ... want something wide leg instead': the kind sent back
            out.categories = [c for m in returned for c in read_categories(Text.of(m.group(0)), lx, None, [])]
        named = {c.name for c in out.categories}
        for term, cats in terms.excluded_kinds:
            if set(cats) & named:
                # 'a swimsuit, no bikinis': a kind of what is asked for ruled out, which the asked
                # kind keeps (its words are the exclusion, not the category's).
                out.exclude.append(term)
        ruled_out = set(terms.excluded_categories) - {c for t, cats in terms.excluded_kinds if set(cats) & named for c in cats}
        if ruled_out:
            kept = [(c, sp) for c, sp in zip(out.categories, spans) if c.name not in ruled_out] \
                if len(spans) == len(out.categories) else None
            if kept is not None:
                out.categories, spans[:] = [c for c, _ in kept], [sp for _, sp in kept]
            else:
                out.categories = [c for c in out.categories if c.name not in ruled_out]
        self._settle_kinds(text, out, spans, shown)
        if reset and len({c.name for c in out.categories}) > 1:
            # 'Scrap the watches. Let's start over - belts.': the kind dropped is not the one wanted now
            lower = text.original.lower()
            dropped = [c for c in out.categories if (at := _said_at(lower, c.quote)) > 0 and re.search(
                rf"\b(?:{acts.DROPPED}|enough of|no more|forget about)\s+(?:the\s+|all the\s+|about the\s+)?(?:[a-z-]+\s+)?$",
                lower[max(0, at - 40):at])]
            if dropped and len(dropped) < len(out.categories):
                out.categories = [c for c in out.categories if c not in dropped]
        if out.lift and out.categories and not (out.require or out.prefer or out.exclude or out.price or out.quantity):
            # 'OK the gloves don't need to be EN 388 after all': the kind already searched for, named
            # as what the dropped requirement was of, is no new kind asked for.
            kept = []
            for c, (a, b) in zip(out.categories, spans) if len(spans) == len(out.categories) else []:
                after = text.clean[b:b + 40].lower()
                if not (re.search(r"\b(?:the|those|these|our|my)\s+$", text.clean[max(0, a - 8):a])
                        and any(lift.field in ("require", "exclude") and lift.quote
                                and 0 <= after.find(lift.quote.lower()) <= 25 for lift in out.lift)):
                    kept.append(c)
            if len(spans) == len(out.categories):
                out.categories = kept
        if question is None and compare is None:
            self._modifiers(text, spans, out, bool(shown))
            self._wished_for(text, out)
            self._qualities_asked(text, out, spans)
        # 'a hooded top' names the kind (hoodie): its 'hooded' is part of the name, not a requirement,
        # when no item of that kind uses the word (H&M's hoodies have 'a hood'). 'Disposable gloves'
        # keeps 'disposable': the catalog's gloves say it.
        named = {w for c in out.categories if " " in c.quote.strip() for w in c.quote.lower().split()}
        kinds = {c.name for c in out.categories}
        out.require = [t for t in out.require if not (
            t.quote.lower() in named and t.kind not in ("colour", "material")
            and not lx.described_categories(t.text) & kinds)]
        # 'mesh wifi' names the router: a material word inside a shopper's name for a kind (the
        # domain's types) is part of the name when no item of that kind is made of it ('nitrile
        # gloves' keeps nitrile: the gloves are).
        typed = {c.name: c.quote.lower() for c in out.categories
                 if re.sub(r"\s+", " ", c.quote.lower().strip()) in lx.domain.types and re.search(r"[\s-]", c.quote.strip())}
        out.require = [t for t in out.require if not (
            t.kind == "material" and any(t.quote.lower() in re.split(r"[\s-]+", q) and lx.made_of(t.text, {name}) is False
                                         for name, q in typed.items()))]
        if out.quantity is not None and out.quantity.unit == "unit" and out.categories and re.search(
                r"\bof (?:them|those|these)\b", out.quantity.quote.lower()):
            # 'chef jackets, 65 of them': what is counted is the kind of item named.
            head = re.findall(r"[a-z]+", out.categories[0].quote.lower())
            if head:
                out.quantity.unit = singular(head[-1])

        # A question whose target is a new search ('do you have dresses under 200?') is a request.
        if question is not None and refs and question.item_ids and out.categories:
            # 'What ring sizes does the emerald one come in?': the kind of the item asked about, no new search.
            asked_kinds = {i.category for i in shown if i.id in question.item_ids and i.category}
            if asked_kinds and {c.name for c in out.categories} <= asked_kinds:
                out.categories = []
        if question is not None and question.quantity is not None and out.categories:
            # 'price of cable ties if we take 1000 bags?': the unit the quantity is counted in is no kind
            out.categories = [c for c in out.categories if not (
                c.quote.lower() in self.quantities.units or singular(c.quote.lower()) in self.quantities.units)]
        if question is not None:
            if out.categories and not refs and shown and not out.brands_in and not out.price and not re.search(
                    r"\b(?:range|ranges|do you (?:have|sell|stock|carry|do)|have you got|in general|usually|normally)\b",
                    text.clean):
                # 'how many cloths come in a pack?': the shown items that are cloths, not a new search.
                words = {singular(w) for c in out.categories for w in re.findall(r"[a-z]{3,}", c.quote.lower())}
                named = [i for i in shown if any(re.search(rf"\b{re.escape(w)}", f"{i.title} {i.category}".lower())
                                                 for w in words)]
                if named:
                    question.item_ids = [i.id for i in named]
                    out.categories = []
            if out.categories and any(r.how in ("id", "ordinal", "title") for r in refs) and not re.search(
                    r"\b(?:range|ranges|do you (?:have|sell|stock|carry|do)|have you got|any others?|anything else)\b", text.clean):
                # 'the lace one - lined or not? don't fancy wearing a slip under it': a question on the
                # card named; a kind said in passing is no new search
                out.categories = []
            asked_brand = {(question.value or "").lower()}
            new_search = bool(out.categories or [b for b in out.brands_in if b.name.lower() not in asked_brand]
                              or (out.price and not question.item_ids))
            out.brands_in = [b for b in out.brands_in if b.name.lower() not in asked_brand]
            beyond = any(not r.item_ids for r in refs)
            if (not question.item_ids and not beyond) or (new_search and not refs):
                return None
            out.question = question
        out.compare = compare
        for asked_of in (out.question, compare):
            # 'is the jumper cotton?' of a catalog that records no material: only the description
            # can answer (H&M's articles have no material field).
            if asked_of is not None and asked_of.field in _FIELDS_RECORDED and lx.attribute_names \
                    and asked_of.field not in lx.attribute_names:
                asked_of.field = "description"
        if compare is not None:
            out.categories = []  # 'which one lasts longest on a charge?' asks about what was shown
        out.require = [t for t in out.require if self._could_describe(t)]
        out.prefer = [t for t in out.prefer if self._could_describe(t)]
        self._alternatives(text, out)
        out.act = self._act(text, out, reset, shown)
        if out.act in ("critique", "reaction") and out.categories and shown \
                and len(kinds_shown := {i.category for i in shown}) == 1 and {c.name for c in out.categories} <= kinds_shown:
            # 'that's steep for gloves that get binned every week - anything more budget?', 'cheaper chef
            # whites?' with gloves or chef whites shown: the kind names what was shown, no new search
            out.categories = []
        self._decision(text, out)
        if breakdown is not None and out.quantity is not None and out.quantity.unit == "unit" and out.categories:
            # 'navy blazers: two 48s, two 50s and a 52': five blazers
            out.quantity.unit = _item_noun(out) or "unit"
        return _tidy(out)

    def _named_then_asked(self, text: Text) -> list[references.Ref]:
        """'Need cling film for the kitchen, PVC free, 24 rolls. Does it come with a cutter box?',
        'pizza boxes 12 inch - 2,000 of them. whats the price break at 2k?': with nothing shown, a
        question on 'it' (or a field asked of nothing named) after a sentence that names a kind is
        asked of the item that sentence names, when the catalog has one such item only. A kind that
        several items share ('nitrile gloves, 40 boxes. are they EN 374?') names none: it stays a
        request."""
        s = text.clean
        asked = [m for m in _ASKED_SENTENCE.finditer(s) if m.start() > 0]
        if not asked or not _OF_IT.search(asked[-1].group(0)) and not self.acts.field_asked_bare.search(asked[-1].group(0)):
            return []
        before = s[:asked[0].start()]
        starts = [0] + [m.end() for m in self.acts.want.finditer(before)] + [m.end() for m in re.finditer(r"[.!?\n]\s*", before)]
        found: dict[str, tuple[int, int]] = {}
        for at in sorted(set(starts)):
            lead = _NAMING_LEAD.match(s, at, len(before))
            fragment = s[lead.end():len(before)]
            for r in references.catalog_named("the " + fragment, self.lexicon, []):
                if r.start == 0 and r.end > 4:
                    found.setdefault(r.item_ids[0], (lead.end(), lead.end() + r.end - 4))
        if len(found) != 1:
            return []
        (item_id, (start, end)), = found.items()
        return [references.Ref(start, end, [item_id], "title")]

    def _corrected(self, text: Text) -> None:
        """'emerald, no wait, make that navy': a value taken back is no longer said. Only between two
        values of one kind (two colours, two materials), so 'wool, no silk' stays two exclusions."""
        if self._correction is None:
            return
        edits = []
        for m in text.find(self._correction):
            before = re.findall(r"[a-z]+(?:[ -][a-z]+)?$|[a-z]+$", m.group("old").strip())
            old_words, new_words = m.group("old").split(), m.group("new").split()
            olds = [" ".join(old_words[i:]) for i in range(max(0, len(old_words) - 2), len(old_words))] if before else []
            news = [" ".join(new_words[:j]) for j in range(min(2, len(new_words)), 0, -1)]
            old = next((o for o in olds if self.lexicon.term_kind(o)), None)
            new = next((n for n in news if self.lexicon.term_kind(n)), None)
            if old and new and old != new and self.lexicon.term_kind(old) == self.lexicon.term_kind(new):
                start = m.start("old") + m.group("old").rfind(old)
                edits.append(Edit(start, m.end("marker"), " "))
            elif new and not old:
                # 'a grey jumper, no, make it beige', 'in cream please, size M. actually no, black': the
                # value taken back is the last one of the new one's kind said before the marker
                kind = self.lexicon.term_kind(new)
                said = [t for t in self.lexicon.term_pattern().finditer(text.s, 0, m.start("marker"))
                        if self.lexicon.term_kind(re.sub(r"[\s-]+", " ", t.group(1))) == kind
                        and t.group(1) != new and not any(e.start <= t.start() < e.end for e in edits)]
                if said:
                    edits.append(Edit(said[-1].start(1), said[-1].end(1), " "))
                    edits.append(Edit(m.start("marker"), m.end("marker"), " "))
                    restated = self.lang.acts.corrections_restated
                    again = re.match(rf"[\s,]*(?:{alternation(restated)})\s+{re.escape(said[-1].group(1))}(?![\w-])",
                                     text.s[m.end("new"):]) if restated else None
                    if again:
                        edits.append(Edit(m.end("new"), m.end("new") + again.end(), " "))
        for m in text.find(self._number_correction):
            if not any(e.start < m.end() and m.start() < e.end for e in edits):
                if m.group("tail").strip():
                    # the words said with the old number stay, with the new number in its place
                    edits.append(Edit(m.start("old"), m.end("old"), m.group("new").lstrip("€$£")))
                    edits.append(Edit(m.end("tail"), m.end("new"), ""))
                else:
                    edits.append(Edit(m.start("old"), m.start("new"), ""))  # ("UK 12, no wait 14" is UK 14)
        if edits:
            text.rewrite(sorted(edits, key=lambda e: e.start))  # said no more, as if never typed

    def _below_quoted(self, text: Text, shown_prices: set[float]) -> None:
        """'I saw a coat in another shop for 1800, I'd want to pay less than that': a price quoted
        from elsewhere, then 'less than that', is a ceiling at that price (not a critique of what
        was shown). Rewritten as 'under 1800' where the words were, the quoted amount said no more."""
        words = self.lang.money.limits.below_quoted
        if not words:
            return
        edits = []
        for m in text.find(re.compile(rf"(?<![\w-])(?:{alternation(words)})(?![\w-])", re.IGNORECASE)):
            before = [a for a in self.money.amounts(text.s[:m.start()]) if not any(e.start <= a.start < e.end for e in edits)]
            if not before:
                continue
            a = before[-1]
            if a.value in shown_prices:
                continue  # 'the first is 200, something cheaper than that': a critique of what was shown
            edits.append(Edit(a.start, a.end, " "))
            edits.append(Edit(m.start(), m.end(), f"under {text.s[a.start:a.end].strip()}"))
        if edits:
            text.rewrite(sorted(edits, key=lambda e: e.start))

    def _decision(self, text: Text, out: Reading) -> None:
        """'we'll take it', 'add the second to the order', 'we'll take 200 boxes of the first': a
        verdict that chooses, so the reply confirms instead of showing more like it. Only a
        choice of liked items with nothing else wanted but how many."""
        if not out.liked or out.rejected or not self.acts.decision.search(text.clean):
            return
        more = _wants_beyond_quantity(out) or bool(out.critiques)
        if out.act == "reaction" or (out.act == "request" and out.quantity is not None and not more):
            out.act, out.decided = "reaction", True

    # -- helpers ------------------------------------------------------------------------------------

    def _alternatives(self, text: Text, out: Reading) -> None:
        """'in linen or silk', 'a silk or satin slip', 'navy, black or grey': words of one kind
        joined by 'or' (or '/') are alternatives. When one of them is asked for, the others are
        too, and an item needs only one; when one is ruled out ('no wool or silk'), this leaves
        them to the negation that read them."""
        lx = self.lexicon
        s = text.clean
        found = [(m.start(1), m.end(1), re.sub(r"[\s-]+", " ", m.group(1).lower())) for m in lx.term_pattern().finditer(s)]
        chains: list[list[tuple[int, int, str]]] = []
        for term in found:
            # One chain is one kind: in 'dark red or dark green, knee length' the colours are the
            # alternatives and the length is a requirement of its own.
            if chains and _ALTERNATIVE_GAP.fullmatch(s[chains[-1][-1][1]:term[0]]) \
                    and lx.term_kind(chains[-1][-1][2]) == lx.term_kind(term[2]):
                chains[-1].append(term)
            else:
                chains.append([term])
        ruled_out = {t.text for t in out.exclude}
        next_group = max([t.either for t in out.require if t.either is not None] + [0]) + 1
        for chain in chains:
            if len(chain) < 2 or not any(re.search(r"\bor\b|/", s[a[1]:b[0]]) for a, b in zip(chain, chain[1:])):
                continue
            words = [w for _, _, w in chain]
            kinds = {lx.term_kind(w) for w in words}
            if len(kinds) != 1 or not kinds & {"material", "colour", "pattern"} or ruled_out & set(words):
                continue
            kind = kinds.pop()
            quote = text.quote(chain[0][0], chain[-1][1])
            if self.terms.prefer_suffix.match(s, chain[-1][0]) and any(
                    t.text in words or lx.catalog_spelling(t.text) in words for t in out.prefer):
                # 'Pink or rose gold if possible': the wish is said of the alternatives together
                moved = [t for t in out.require if t.text in words or lx.catalog_spelling(t.text) in words]
                out.require = [t for t in out.require if t not in moved]
                out.prefer.extend(t.model_copy(update={"sure": True, "either": None}) for t in moved)
            for bucket, grouped in ((out.require, True), (out.prefer, False)):
                held = [t for t in bucket if t.text in words or lx.catalog_spelling(t.text) in words]
                if not held:
                    continue
                have = {t.text for t in held}
                for w in words:
                    if w not in have and lx.catalog_spelling(w) not in have:
                        term = self.terms.make(w, kind, quote, held[0].sure if held[0].sure is False else None)
                        bucket.append(term)
                        held.append(term)
                if grouped:
                    for t in held:
                        t.either = next_group
                    next_group += 1
                break


    def _pronoun_verdict(self, text: Text, out: Reading, target: Item) -> None:
        """'I love it', 'not for me', 'that's perfect': a verdict on the item being looked at."""
        s = text.clean
        # ('I want it in a jacket pocket', 'want it to last': how the item wanted must be, no verdict)
        liked = re.search(r"\b(?:love|like|adore) (?:it|this|that)\b|\btake (?:it|this|that)\b(?!\s+(?:to|up|back|away|home)\b)|\bwant (?:it|this|that)\b(?!\s+(?:in|into|to|by|for|"
                          r"on|with|as|at|if|more|less|[a-z]+er)\b)|\b(?:it'?s|that'?s|this is|looks) "
                          r"(?:perfect|great|lovely|beautiful|gorgeous|the one|exactly what)\b|\bi'?ll take it\b", s)
        rejected = re.search(r"\b(?:don'?t|do not|doesn'?t) (?:really )?(?:like|love|want) (?:it|this|that)\b|"
                             r"\bnot (?:for me|my style|my taste|for her|for him|what i want|what i'?m after|right)\b|"
                             r"\b(?:hate|dislike) (?:it|this|that)\b|\b(?:it'?s|that'?s|this is) (?:ugly|awful|horrible|not (?:it|right))\b", s)
        if liked and not re.search(r"\b(?:don'?t|do not|not|doesn'?t)\s+(?:really\s+)?(?:love|like)", s):
            out.references.append(Reference(item_id=target.id, how="deictic", polarity="liked", quote=liked.group(0)))
        elif rejected:
            out.references.append(Reference(item_id=target.id, how="deictic", polarity="rejected", quote=rejected.group(0)))

    def _settle_kinds(self, text: Text, out: Reading, spans: list[tuple[int, int]], shown: list[Item]) -> None:
        """Of the kinds of item named, drop those that are not the kind wanted: a field's value of
        another item ('backlit keyboard'), a part the item has ('something with a hood'), people
        ('for the night cleaners'), what was shown ('these aren't gloves, I need aprons', 'these are
        disposables') and the kind a size is said of ('a 50 in jackets and wants a tweed suit')."""
        lx = self.lexicon
        if len(out.categories) > 1:
            # 'Laptop: 16GB RAM, backlit keyboard': a kind the catalog also records as a field of
            # another item, said with one of that field's values, is a feature of the item wanted.
            for k in range(len(spans) - 1, -1, -1):
                a, b = spans[k]
                name = singular(text.clean[a:b].strip().lower())
                values = lx.attribute_values.get(name)
                before = re.search(r"([a-z][a-z-]*)\s+$", text.clean[max(0, a - 30):a])
                if values and before and before.group(1) in values and len(spans) > 1:
                    quote = text.quote(a, b)
                    out.categories = [c for c in out.categories if c.quote != quote]
                    del spans[k]
        for c in list(out.categories):
            # 'something with a hood', 'a coat with a belt, a hood would be nice': a part the item
            # has, not the kind of item wanted.
            at = _said_at(text.original.lower(), c.quote)
            owner = [x for x in out.categories if x.quote != c.quote and _said_at(text.original.lower(), x.quote) < at] or \
                re.search(r"\b(?:something|anything|one|ones)\s+(?:with|w/|that has|that have|which has|featuring)\s+"
                          r"(?:a\s+|an\s+|the\s+|some\s+)?$", text.original[:at], re.I)
            # Not 'sort us out with washroom paper', 'help me with bin bags': with what, not with a part.
            if at > 0 and owner and _WITH_PART.search(text.original[:at]) and not re.search(
                    r"\b(?:those|these|that|it)\s+(?:with|w/)\s+(?:a\s+|an\s+|the\s+)?$", text.original[:at], re.I):
                out.categories = [x for x in out.categories if x.quote != c.quote]
                soft = re.match(r"\s*(?:would be (?:nice|great|good|lovely|a bonus)|if possible|if poss|ideally|maybe)",
                                text.original[at + len(c.quote):], re.I)
                part = singular(c.quote.lower())
                # Hard only when the catalog's words know it; else it ranks ('hood' vs 'hooded').
                (out.prefer if soft else out.require).append(self.terms.make(
                    part, "attribute", c.quote, True if soft else (None if lx.term_kind(part) else False)))
        for m in re.finditer(r"(?<![\w-])(?:a|an)\s+(?P<p>[a-z]+)\s+would be (?:nice|great|good|lovely|a bonus)\b", text.original, re.I):
            part = m.group("p").lower()
            hit = [c for c in out.categories if c.quote.lower() == part]
            if hit and len({c.quote for c in out.categories}) > 1:  # 'a wool coat ..., a hood would be nice'
                out.categories = [c for c in out.categories if c.quote.lower() != part]
                out.prefer.append(self.terms.make(singular(part), "attribute", m.group("p"), True))
        covering = {w.lower() for w in lx.domain.covering}
        said = [text.clean[a:b].strip().lower() for a, b in spans]
        sentence = [len(re.findall(r"[.;!?](?:\s|$)", text.clean[:a])) for a, _ in spans]
        if any(w in covering for w in said) and not all(w in covering for w in said) and len(set(sentence)) > 1:
            # 'Ironvale or Forgeworth for PPE. need hi vis parkas': the narrower kind, said in a sentence
            # of its own, is what is wanted, the PPE the scope of what else was said
            named = {c for w in said if w not in covering for c in lx.aliases.get(w, lx.aliases.get(singular(w), ()))}
            broad = {c.name for c in out.categories}
            if named and named < broad:
                out.categories = [c for c in out.categories if c.name in named]
        for c in list(out.categories):
            # 'FFP3 masks, 100 boxes': a unit counted after a number is what another kind comes in
            at = _said_at(text.original.lower(), c.quote)
            word = c.quote.lower()
            if at > 0 and (word in self.quantities.units or singular(word) in self.quantities.units) and re.search(
                    r"\d\s*(?:x\s*)?$", text.original[:at]) and any(x.quote != c.quote for x in out.categories):
                out.categories = [x for x in out.categories if x.quote != c.quote]
        kinds = self.kinds_grammar
        for c in list(out.categories):
            at = _said_at(text.original.lower(), c.quote)
            if singular(c.quote.lower()) in self.quantities.people and kinds.for_people.search(text.original[:at]):
                out.categories = [x for x in out.categories if x.quote != c.quote]  # 'kitting out the night cleaners': people
        if kinds.host is not None or kinds.shown_as is not None:
            lower = text.original.lower()
            for c in list(out.categories):
                at = _said_at(lower, c.quote)
                window = lower[max(0, at - 50):at] if at > 0 else ""
                host = kinds.host.search(window) if kinds.host is not None else None
                shown_as = kinds.shown_as.search(window) if kinds.shown_as is not None else None
                before = [x for x in out.categories if x.name != c.name and 0 <= _said_at(lower, x.quote) < at]
                seen = {i.category for i in shown}
                if (host and before and not re.search(r"[,.;!?]", host.group(0))) or (
                        shown_as and not re.search(r"[,.;!?]", shown_as.group(0))
                        and shown and out.critiques and c.name in seen and len(seen) == 1):
                    # 'a wired keyboard for my desktop computer': the keyboard is wanted; 'too expensive
                    # for a 12 year old's laptop' of laptops shown: what they are, no new search
                    out.categories = [x for x in out.categories if x.quote != c.quote]
                    hosted_end = at + len(c.quote)
                    for d in list(out.categories):
                        # 'to run my laptop and phone': the kinds listed with the host are hosts too
                        d_at = _said_at(lower, d.quote, hosted_end)
                        if d_at > 0 and re.fullmatch(r"\s*(?:,|and|or|&|\+)\s*(?:(?:my|our|her|his|the)\s+)?", lower[hosted_end:d_at]):
                            out.categories = [x for x in out.categories if x.quote != d.quote]
                            hosted_end = d_at + len(d.quote)
        if len(out.categories) > 1:
            lower = text.original.lower()
            first_at = min(_said_at(lower, c.quote) for c in out.categories)
            for c in list(out.categories):
                at = _said_at(lower, c.quote)
                if at > first_at and lower.rfind("(", 0, at) > max(lower.rfind(")", 0, at), first_at) \
                        and not lower[:first_at].count("(") > lower[:first_at].count(")"):
                    # 'multipoint (laptop and phone at once)', 'VGA would be a bonus (old work laptop)': an
                    # aside in brackets about what the item wanted goes with
                    out.categories = [x for x in out.categories if x.quote != c.quote]
        if len({c.name for c in out.categories}) > 1:
            # 'Monitor, 27 inch or bigger, ..., height adjustable stand': a word only one item's title
            # uses ('Wireless Stand'), said after the kind wanted and described, is a part of that item
            lower = text.original.lower()
            first = min(out.categories, key=lambda x: _said_at(lower, x.quote))
            names = {n.lower() for n in lx.categories}
            plurals = names | {p for n in names for p in (n + "s", n + "es")}
            for c in list(out.categories):
                at = _said_at(lower, c.quote)
                word = singular(c.quote.lower())
                before = re.search(r"([a-z][a-z-]*)\s+$", lower[max(0, at - 30):at])
                if c.name != first.name and at > _said_at(lower, first.quote) and first.quote.lower() in plurals \
                        and word not in plurals and c.quote.lower() not in plurals and " " not in word \
                        and len(lx.title_words.get(word, ())) <= 1 and before and _ADJECTIVE.fullmatch(before.group(1).split("-")[-1]) \
                        and not lx.aliases.get(before.group(1)) and not re.search(r"[.;!?]", lower[_said_at(lower, first.quote):at]):
                    out.categories = [x for x in out.categories if x.quote != c.quote]
        if len({c.name for c in out.categories}) > 1 and not shown:
            # 'oversized camel coat, white tee, straight jeans ... can you do the coat?', 'The trench,
            # please': of a look described, the one piece asked for
            picked = [c for c in out.categories if re.search(
                rf"(?:\b(?:can you do|could you do|do you (?:have|do|sell|stock)|have you got|got|just|only|i want|i'?d like|"
                rf"i need|i'?m after|starting with|find me)\s+the|(?:^|[.!?]\s+)the)\s+(?:[a-z-]+\s+)?{re.escape(c.quote.lower())}"
                rf"(?:\s+(?:bit|one|part|piece))?\s*(?:,?\s*(?:please|pls|plz)\b|\?|[.!]|$)", text.original.lower())]
            if picked and len({c.name for c in picked}) < len({c.name for c in out.categories}):
                out.categories = [c for c in out.categories if c.quote in {p.quote for p in picked}]
        not_shown = [c for c in out.categories
                     if (at := _said_at(text.original.lower(), c.quote)) > 0 and SHOWN_ARE_NOT.search(text.original[:at].lower())]
        if not_shown and len(not_shown) < len(out.categories):
            # 'these aren't gloves, I need aprons': the gloves were what was shown.
            out.categories = [c for c in out.categories if c not in not_shown]
        sized_in = {m.group(1).lower() for m in _SIZED_IN.finditer(text.original)}
        if sized_in and any(c.quote.lower() not in sized_in for c in out.categories):
            # 'he's a 50 in jackets and wants a tweed suit': the jackets say which size, the suit what.
            out.categories = [c for c in out.categories if c.quote.lower() not in sized_in]
        if len(out.categories) > 1 and out.numeric:
            # 'a phone with a 48MP camera or better': a kind said right after a number and unit that
            # limits a field the kind named before it records is that item's feature, no second kind.
            lower = text.original.lower()
            first = {c.quote: _said_at(lower, c.quote) for c in out.categories}
            for c in list(out.categories):
                at = first[c.quote]
                spec = [n for n in out.numeric if n.quote and 0 <= (e := _said_at(lower, n.quote) + len(n.quote)) <= at
                        and re.fullmatch(r"[\s-]*", lower[e:at])]
                owners = {x.name for x in out.categories if x.name != c.name and 0 <= first[x.quote] < at}
                if at > 0 and spec and owners and any(self.lexicon.records(n.field, owners) for n in spec):
                    out.categories = [x for x in out.categories if x.quote != c.quote]
        if shown and len(out.categories) > 1 and SHOWN_ARE.search(text.clean):
            # 'these are disposables, I need proper reusable aprons': not the kind of what was shown
            shown_kinds = {i.category for i in shown}
            if any(c.name not in shown_kinds for c in out.categories):
                out.categories = [c for c in out.categories if c.name not in shown_kinds]

    def _verdict_or_critique(self, text: Text, out: Reading, liked_by_default: list[Reference]) -> None:
        """'the striped one's a bit loud for an interview, got anything plainer?', 'the hot cups are too
        pricey - anything cheaper?': a card found too much of something, with more asked for, is the
        critique's reference, not a card turned down; nor is a card named with nothing said of it liked."""
        for r in liked_by_default:
            r.polarity = None
        if any(r.polarity == "liked" for r in out.references):
            return  # 'I like the first, the rest are too formal': the cards sorted, the rest turned down
        for r in out.references:
            if r.polarity != "rejected" or r.how == "all":
                continue
            at = text.clean.find(r.quote.lower())
            if at < 0:
                continue
            clause = re.split(r"[,.;!?]|\s[-–]\s|\bbut\b", text.clean[at:])[0]
            sentence = re.split(r"[.;!?]|\s[-–]\s", text.clean[at:])[0]
            if re.search(r"\b(?:too|a bit|a little|bit|kinda|rather|slightly|way|quite)\b", clause) and not re.search(
                    r"\b(?:no|not|nope|nah|never|don'?t|doesn'?t|hate|hates|dislike|ugly|awful|horrible)\b", sentence):
                r.polarity = None
        if not any(r.polarity == "rejected" for r in out.references):
            out.reason = ""

    def _qualities_asked(self, text: Text, out: Reading, spans: list[tuple[int, int]]) -> None:
        """'a warm coat', 'something warm and classic', 'a jumpsuit, elegant, dark blue': a quality the
        item asked for must have (the domain's ``described`` words), unsure: it ranks the items that say
        it first and hides none (a catalog rarely writes 'warm' of every warm coat)."""
        described = self.lexicon.domain.described
        if not described:
            return
        pattern = _described_pattern(tuple(described))
        seen = {t.text for t in [*out.require, *out.prefer, *out.exclude]}
        for m in pattern.finditer(text.s):
            q = m.group("q")
            if q in seen:
                continue
            before, after = text.s[max(0, m.start() - 40):m.start()], text.s[m.end():m.end() + 30]
            next_kind = any(0 <= a - m.end() <= 14 and not text.s[m.end():a].strip(" ,-") .count(" ") > 1 for a, _ in spans)
            said_of_item = re.search(r"\b(?:something|anything|one|ones|a|an|it|that'?s|that is|be|is|are|and|really|very|nice and|"
                                     r"super|properly)\s+(?:(?:really|very|super|nice and|properly|and)\s+)?$", before)
            listed = bool(spans) and re.search(r"(?:^|[,;/]|\band)\s*$", before) and re.match(r"\s*(?:[,;/.!?]|$|and\b|or\b)", after)
            if re.search(r"\b(?:not|no|nothing|too|less|more|keep|stay|feel|felt|gets?|got|was|cold|how|which|er)\s+(?:\w+\s+)?$", before) \
                    or re.match(r"(?:er|est)\b|\s+(?:lot|bunch|crowd|team|person|people|guy|girl|man|woman|place|office|vibe|"
                                r"day|night|do|event|wedding|party|dinner|affair)\b", after):
                continue  # 'nothing too formal', 'keep me warm', 'which is warmest': not what the item must be
            if next_kind or said_of_item or listed:
                out.require.append(Term(text=q, kind="attribute", quote=text.quote(m.start(), m.end()), sure=False))
                seen.add(q)

    def _said_of_a_field(self, text: Text, quote: str) -> bool:
        """Whether a 'too long', 'too high' is said of a field of the item ('the first one's lead time
        is too long', 'the minimum is too high'): a verdict on that item, not a quality to have less of."""
        at = text.original.lower().find(quote.lower()) if quote else -1
        return at > 0 and self.verdict_field is not None and bool(self.verdict_field.search(text.original.lower()[max(0, at - 40):at]))

    def _wished_for(self, text: Text, out: Reading) -> None:
        """A standard or an x-free said with a word of wishing in its own piece of the message ('we'd
        like EU Ecolabel on the floor cleaner if poss', 'bonus if the cling film is PVC free') is a
        preference; 'has to be PFAS free, and unbleached if you've got it' keeps PFAS-free required."""
        for t in [t for t in out.require if t.kind in ("certification", "free_of") and t.quote]:
            if self._said_softly(text, t.quote):
                out.require.remove(t)
                out.prefer.append(t)

    def _said_softly(self, text: Text, quote: str) -> bool:
        """Whether the piece of the message ``quote`` is in (up to a comma, 'and' or 'but') says it
        with a word of wishing and none of need ('ideally with some tummy support')."""
        low = text.original.lower()
        at = low.find(quote.lower()) if quote else -1
        if self.soft_clause is None or at < 0:
            return False
        cuts = [m for m in re.finditer(r"[,;.!?](?:\s|$)|\s(?:but|and)\s", low)]
        lo = max([0, *(m.end() for m in cuts if m.end() <= at)])
        hi = min([len(low), *(m.start() for m in cuts if m.start() >= at + len(quote))])
        piece = low[lo:hi]
        return bool(self.soft_clause.search(piece)) and not (self.firm_clause and self.firm_clause.search(piece))

    def _packs(self, text: Text, out: Reading, shown: bool) -> list[tuple[int, int]]:
        """How the item is packed: 'boxes of 100', 'cases of 6 rolls', '200 to a tub', '1000 to a
        case', '5 litre cans', as the catalog writes it ('box of 100', 'case of 1,000', '5 l can');
        hard when the catalog's texts say so, else it ranks. What a shown item comes in ('the top one
        comes as 750 ml trigger bottle') is no requirement. Read before quantities ('we need 200 to a
        case' is no order of 200), terms and kinds (which would take 'to a box')."""
        grammar = self.pack_grammar
        counted: list[tuple[int, int]] = []
        for m in sorted([*grammar.count.finditer(text.s), *grammar.volume.finditer(text.s)], key=lambda m: m.start()):
            if text.consumed(m.start(), m.end()):
                continue
            if m.re is grammar.volume:
                kind = " ".join(x for x in (m.group("mid") or "", m.group("c")) if x).strip().lower()
                packed_in = re.search(r"\b(?:in|as|into)\s+$", text.s[max(0, m.start() - 6):m.start()])
                if grammar.counted_here(text.s, m):
                    # '6 x 20L drums', '5L cans x 24': what is counted, its size part of the unit
                    # ordered, not a requirement
                    counted.append((m.start("n"), m.end("v")))
                    continue
                if not packed_in and any(
                        k in self.lexicon.aliases for k in (kind, f"{kind}s", m.group("c").lower() + "s")):
                    continue  # '50 ml centrifuge tubes': the kind
                    # (but 'in 1 ltr cartridges' is how it comes, cartridges or not the kind)
                unit = next(u for u, forms in self.lang.units.packs.volumes.items() if m.group("v").lower() in forms)
                volume, container = f"{float(m.group('n')):g} {unit}", singular(m.group("c").lower())
                options = [f"{volume} {m.group('mid').strip().lower()} {container}"] if m.group("mid") else []
                options.append(f"{volume} {container}")
                spelled = next((x for x in options if self.lexicon.uses(x)), None)
                said = options[-1]
            else:
                if m.group("u") and grammar.counted_here(text.s, m):
                    continue  # '20 packs of 1000': the order, twenty packs
                unit = singular((m.group("u") or m.group("u2")).lower())
                n = float((m.group("n") or m.group("n2")).replace(",", ""))
                if n < 2 or n != int(n):
                    continue
                said = f"{unit} of {int(n):,}" if n >= 1000 else f"{unit} of {int(n)}"
                spelled = next((x for x in (said, f"{unit} of {int(n)}") if self.lexicon.uses(x)), None)
            text.consume(m.start(), m.end())
            if shown and grammar.comes_as.search(text.clean[max(0, m.start() - 30):m.start()]):
                continue  # what the card says the item comes in
            if all(t.text != (spelled or said) for t in out.require):
                out.require.append(self.terms.make(spelled or said, "attribute", text.quote(m.start(), m.end()),
                                                   None if spelled else False))
        return counted

    def _modifiers(self, text: Text, spans: list[tuple[int, int]], out: Reading, shown: bool = False) -> None:
        """Requirements from the words that describe the item asked for: 'a cashmere jumper', 'high
        waisted jeans', 'black tights, 20 denier', 'a shoe with a low heel', 'a speaker that's
        waterproof', 'S3 boots', 'EN 388 gloves', 'in navy'. A word the lexicons and the catalog do
        not know, right before the kind of item, is part of its name ('centrifuge tubes'), not a
        requirement, unless it is a hyphenated description ('crash-lock boxes')."""
        lx = self.lexicon
        grammar = self.terms
        seen = {t.text for t in [*out.require, *out.prefer]}  # (a term ruled out may be asked for again, later)

        def add(term: str, kind: str, start: int, end: int, sure: bool | None = None) -> None:
            term = re.sub(r"\s+", " ", term.strip(" ,.-")).lower()
            if not term or term in seen or term in lx.domain.qualities or len(term) < 2:
                return
            dress_code = term in ("black tie", "white tie") or (
                term in ("black", "white") and re.match(r"\s*tie\b", text.s[end:end + 5])
                and not re.search(r"\b(?:a|an|one|the|\d+)\s+$", text.s[:start])) or (
                term == "tie" and re.search(r"(?<!\ba )(?<!\ban )\b(?:black|white)\s+$", text.s[:start]))
            if dress_code:
                return  # 'gown, black tie', 'a black tie gala': the dress code, no colour and no tie ('a black tie' is one)
            seen.add(term)
            out.require.append(grammar.make(term, kind, text.quote(start, end), sure))
            text.consume(start, end)

        # Standards and certifications, wherever they are not negated.
        for pattern in [*([grammar.catalog_names] if grammar.catalog_names else []), *grammar.cert_patterns,
                        *([grammar.catalog_certs] if grammar.catalog_certs else [])]:
            for m in pattern.finditer(text.s):
                if _AUDIT.match(text.clean[m.end():]):
                    continue  # 'haccp audit coming up': why they buy (the site is audited), not what the item is
                if not text.consumed(m.start(), m.end()):
                    # 'EN 12477 type A': the standard and the class it is met in, two requirements
                    parts = re.fullmatch(r"(.*\d)\s+((?:type|class|level)\s+[a-z0-9]+)", m.group(0).lower().strip()) or \
                        re.fullmatch(r"(en\s?388(?::20\d\d)?),?\s+([0-4x]{4}[a-fx]?p?)", m.group(0).lower().strip())  # 'EN 388 4131X'
                    tail = re.match(r"[\s-]+(?:certified|certification|approved|compliant|marked|rated|listed|accredited)\b",
                                    text.s[m.end():])
                    if tail:  # 'Blue Angel certified bin bags': the word says it is a standard, no more
                        text.consume(m.end(), m.end() + tail.end())
                    for part in (parts.groups() if parts else (m.group(0),)):
                        before = len(out.require)
                        add(part, "certification", m.start(), m.end())
                        if len(out.require) > before:
                            out.require[-1] = grammar.graded(out.require[-1], text.s[:m.start()], text.s[m.end():])
        clean = text.clean
        # Known terms inside the name of the kind of item ('nitrile gloves', 'disposable gloves').
        d = lx.domain
        for a, b in spans:
            name = clean[a:b]
            for m in lx.term_pattern().finditer(clean, a, b):
                term = re.sub(r"[\s-]+", " ", m.group(1))
                head = re.findall(r"[a-z0-9]+", name.lower())[-1:]
                if (term in d.materials or term in d.colours or term in d.attributes) and name.strip() != term \
                        and term not in lx.aliases and [term] != head:  # 'bubble wrap', 'hand cream': the kind itself
                    add(m.group(1), lx.term_kind(term) or "attribute", m.start(), m.end())
            kinds_here = {c.name for c in out.categories}
            for m in re.finditer(r"[a-z]{3,}ed\b", clean[a:b]):
                # 'a waxed jacket' (named by the catalog's 'Waxed Cotton Field Jacket'): a finish the
                # titles of that kind say, before the kind's noun, is asked for too.
                w = m.group(0).lower()
                if w not in lx.aliases and lx.known_word(w) and lx.described_categories(w) & kinds_here \
                        and re.search(r"[a-z]", clean[a + m.end():b]):
                    add(w, "attribute", a + m.start(), a + m.end())
        s = text.s
        for a, b in spans:
            # Words right before the kind of item.
            head = s[max(0, a - 60):a]
            words = list(re.finditer(r"[a-z0-9][a-z0-9'/-]*", head))
            run: list[re.Match[str]] = []
            for w in reversed(words):
                gap = head[w.end():(run[0].start() if run else len(head))]
                if gap.strip(" ") or w.group(0) in _DETERMINERS or len(run) >= 3:
                    break
                run.insert(0, w)
            offset = max(0, a - 60)
            kind_words = re.findall(r"[a-z]+", clean[a:b].lower())
            if run and kind_words:
                # 'block heels', 'short sleeve tops': the word before and the kind's own noun make one
                # known description (the kind is still read: heels are shoes).
                for i in range(len(run)):
                    phrase = " ".join(w.group(0) for w in run[i:]) + " " + singular(kind_words[0])
                    if phrase.split()[0] not in _DETERMINERS and (self.terms.term_at(phrase) or (None,))[0] == phrase:
                        add(phrase, self.terms.term_at(phrase)[1], offset + run[i].start(), b)
                        run = run[:i]
                        break
            if run and kind_words:
                # 'floor cleaner', 'dishwasher detergent': a title of that kind says the word before its
                # noun, so the two are the product's name; the word is no requirement unless it is a
                # material, colour or description the domain knows ('nitrile gloves', 'disposable gloves').
                last = run[-1].group(0)
                wanted_kinds = {c.name for c in out.categories}
                longer = any(self._descriptor(" ".join(w.group(0) for w in run[k:]), before_noun=True)
                             for k in range(len(run) - 1))  # 'cut resistant gloves' is a description
                adjectival = bool(re.search(r"(?:ed|ing)$", last) or re.match(r"(?:non|anti|multi|double|single|low|high)-", last)
                                  or re.fullmatch(r"[a-z]-[a-z]+", last)) \
                    and not (len(run) > 1 and lx.term_kind(run[-2].group(0)) is not None)  # ('nitrile coated gloves': nitrile says it)
                # ('non-bio laundry liquid', 'thickened bleach', 'foaming hand soap', 'c-fold hand towels': a
                # property by its form, asked for though a title says it)
                if not longer and not adjectival and last not in d.materials and last not in d.colours and last not in d.attributes \
                        and last not in d.patterns and not any(last in v for v in lx.attribute_values.values()) \
                        and lx.title_phrase_categories([last, kind_words[0]]) & wanted_kinds:  # ('split': a layout)
                    text.consume(offset + run[-1].start(), offset + run[-1].end())
                    run = run[:-1]
            i = 0
            while i < len(run):
                for j in range(len(run), i, -1):
                    phrase = " ".join(w.group(0) for w in run[i:j])
                    kind = self._descriptor(phrase, before_noun=True)
                    if kind:
                        add(phrase, kind, offset + run[i].start(), offset + run[j - 1].end())
                        i = j
                        break
                else:
                    i += 1
            # 'with a low heel', "that's waterproof", 'w a mic'.
            tail = s[b:b + 60]
            m = re.match(r"\s*(?:,\s*)?(?:with|w/|w|that'?s|thats|that is|which is|that are|which are|that has|"
                         r"that have|featuring|including|incl\.?)\s+(?:a\s+|an\s+|the\s+|some\s+|built[- ]in\s+)?"
                         r"(?P<d>[a-z0-9][a-z0-9 '/-]{0,30}?)(?=\s*(?:[,.;!?]|$|\s+(?:and|or|for|under|below|in|by|please|pls|but|"
                         r"so|max|to|from|i|we|it)\b|\x00))", tail)
            if m:
                phrase = m.group("d").strip()
                phrase = re.sub(r"^(?:actually|really|very|properly|fully|super|quite|proper|good|decent|nice)\s+", "", phrase)
                known_at = self.terms.term_at(phrase)
                if known_at and phrase.startswith(known_at[0]):
                    phrase, kind = known_at[0], known_at[1]
                else:
                    words = phrase.split()
                    kind = self._descriptor(phrase, before_noun=False) or (
                        "attribute" if 1 <= len(words) <= 2 and all(w not in references.STOPWORDS for w in words)
                        and not re.search(r"\d", phrase) and not any(w.endswith(("s", "ed", "ing")) and len(w) > 4
                                                                       and w[:-1] in references.STOPWORDS for w in words)
                        and (lx.uses(lx.catalog_spelling(phrase)) or "-" in phrase or len(words) == 2) else None)
                if kind:
                    pos = s.find(phrase, b)
                    add(phrase, kind, pos, pos + len(phrase)) if pos >= 0 else None
            else:
                # 'gloves nitrile 500 pairs', 'disinfectant virucidal', 'pipette tips sterile filtered': a
                # description right after the kind, as buyers writing lists or another language's order
                # put it, up to a number, a comma or the end
                at = b
                for _ in range(3):
                    w = re.match(r"[\s\x00]+(?P<w>[a-z][a-z-]{2,})(?=\s*(?:[,.;:!?\x00]|$|\d|x\d|\s+[a-z][a-z-]{2,}))", s[at:])
                    if not w or w.group("w") in references.STOPWORDS:
                        break
                    if text.consumed(at + w.start("w"), at + w.end("w")):
                        at += w.end("w")  # 'sterile filtered': the standard read already, the next word still
                        continue
                    word = w.group("w")
                    known = lx.term_pattern().match(s, at + w.start("w"))
                    if known and re.search(r"[\s-]", known.group(1)) and not text.consumed(known.start(1), known.end(1)) \
                            and lx.term_kind(term := re.sub(r"[\s-]+", " ", known.group(1).lower())) in (
                                "material", "colour", "attribute", "pattern"):
                        add(term, lx.term_kind(term), known.start(1), known.end(1))  # 'gown midnight blue': one colour
                        at = known.end(1)
                        continue
                    if word in self.quantities.units or singular(word) in self.quantities.units:
                        break  # 'hand gel bottles', 'soap refills': what it comes in, the kind's own unit
                    kind = lx.term_kind(word) if lx.term_kind(word) in ("material", "colour", "attribute") else None
                    kind = kind or self._descriptor(word, before_noun=True) or (
                        self._descriptor(word, before_noun=False) if lx.uses(word) >= 2 and re.search(
                            r"(?:al|ed|able|ible|ic|ive|proof|free|less)$", word) else None)  # an adjective's ending, not 'keeps'
                    if word.endswith("s") and not word.endswith(("ss", "us", "less")) and kind == "attribute" \
                            and lx.term_kind(word) is None:
                        break  # 'my router keeps dropping': a verb
                    if not kind:
                        break
                    add(word, kind, at + w.start("w"), at + w.end("w"))
                    at += w.end("w")
        s = text.s
        # 'nitrile stuff', 'a merino thing': a known material or colour of no kind in particular.
        for m in lx.term_pattern().finditer(s):
            if re.match(r"\s+(?:stuff|things?|items?|bits|products|options|gear|pieces?)\b", s[m.end(1):]) and \
                    not text.consumed(m.start(1), m.end(1)):
                term = re.sub(r"[\s-]+", " ", m.group(1).lower())
                kind = lx.term_kind(term)
                if kind in ("material", "colour", "pattern"):
                    add(m.group(1), kind, m.start(1), m.end(1))
        self._feature_compounds(text, spans, out, add)
        s = text.s
        # Descriptions in their own comma-separated piece: 'black tights, 20 denier', 'a belt, brown leather'.
        if True:
            for chunk in re.finditer(r"(?:^|(?<=[,;:+(.!?\n])|(?<=\s-\s))\s*(?P<c>[^,;:+()\x00.!?\n]+?)\s*(?=[,;:+)\n]|\s-\s|$|[.!?]|\x00)", s, re.M):
                phrase = re.sub(r"(?<![\w-])(?:pls|please|plz|thanks|ideally|too|also|only|ones?|things?|stuff|bits|and|wants?|needs?|wanted|likes|loves|colou?r(?![\s-]+coded)|tone|shade|finish|"
                            r"then|instead|maybe|perhaps|obviously|of course|naturally|as usual|as always|again)(?![\w-])",
                                " ", chunk.group("c"))
                phrase = re.sub(r"\s+", " ", phrase).strip()
                # What opens a piece without describing anything: 'ok so silk', 'wrong material so silicone'.
                phrase = _PIECE_OPENERS.sub("", phrase)
                if not phrase:
                    continue
                after = len(s) - len(s[chunk.end("c"):].lstrip(" "))
                if any(a == after for a, _ in spans) and re.fullmatch(r"[a-z]+", phrase.lower()) \
                        and not lx.term_kind(phrase.lower()) and not self._descriptor(phrase, before_noun=True):
                    continue  # 'food prep gloves': words right before the kind were judged as such above
                terms = list(lx.term_pattern().finditer(phrase))
                covered = sum(len(t.group(0)) for t in terms)
                # Known terms joined: 'dark red or dark green', 'black with padded cups' (the
                # alternatives pass then makes 'or' an either).
                joined = re.sub(r"(?<![\w-])(?:or|with|w/)(?![\w-])|/", " ", phrase) if terms else phrase
                if len(joined.split()) > 3 and not (len(joined.split()) <= 5 and terms
                                                    and covered >= len(joined.replace(" ", "")) * 0.6):
                    continue
                if not (spans or out.categories) and not terms:
                    continue  # without a kind of item, only known terms are requirements ('black, please')
                if terms and covered >= len(joined.replace(" ", "")) * 0.6:
                    base = chunk.start("c")
                    for t in terms:
                        pos = s.find(t.group(1), base)
                        if pos >= 0:
                            add(t.group(1), lx.term_kind(re.sub(r"[\s-]+", " ", t.group(1))) or "attribute", pos,
                                pos + len(t.group(1)))
                    continue
                kind = self._descriptor(phrase, before_noun=False)
                if kind:
                    pos = s.find(phrase, chunk.start("c"))
                    if pos >= 0:
                        add(phrase, kind, pos, pos + len(phrase))
        s = text.s
        # 'in navy', 'all in black', 'in linen'; a term asked for on its own ('looking for something in linen').
        for m in lx.term_pattern().finditer(s):
            if text.consumed(m.start(), m.end()):
                continue
            term = re.sub(r"[\s-]+", " ", m.group(1).lower())
            kind = lx.term_kind(term) or "attribute"
            lead = s[max(0, m.start() - 14):m.start()]
            if kind in ("colour", "material", "pattern") and re.search(r"\b(?:in|all in|only in|in a|in an|made of|made from)\s+$", lead):
                add(term, kind, m.start(), m.end())
            elif kind in ("material", "colour", "attribute", "pattern") and self._wants(s, m.start()):
                add(term, kind, m.start(), m.end())
        # 'earrings for my wife yellow gold under a thousand': a colour or material said straight after
        # the kind (and whom it is for), run on without a comma.
        for a, b in spans:
            lead = re.match(r"\s+(?:for\s+(?:my|his|her|our|their|the|a)\s+[a-z]+\s+)?", s[b:])
            if not lead:
                continue
            m = lx.term_pattern().match(s, b + lead.end())
            if m is None or text.consumed(m.start(), m.end()):
                continue
            term = re.sub(r"[\s-]+", " ", m.group(1).lower())
            kind = lx.term_kind(term)
            if kind in ("colour", "material") and re.match(
                    r"\s*(?:[,.;!?\x00]|$|(?:and|under|below|up to|max|size|in size|by|no|nothing|budget|please|pls)\b)", s[m.end():]):
                add(term, kind, m.start(), m.end())
        # 'womens merino crew neck jumper navy M', 'mom jeans high waisted light blue': a query typed
        # as a search box takes it, words of the item and nothing else, wants every colour,
        # material and pattern it names, wherever it stands.
        # (A query naming no kind the catalog sells, 'usb c hub 4k hdmi pd 100w', still wants what it
        # names: first messages only, as a follow-up's words are said of the cards shown.)
        kindless = not spans and not out.categories and not shown and not out.references and sum(
            1 for m in lx.term_pattern().finditer(text.s) if not text.consumed(m.start(1), m.end(1))) >= 2
        if (spans or kindless) and _search_box(
                text.clean, self.lang.stopwords.sentence, commas=True):
            for m in lx.term_pattern().finditer(s):
                if text.consumed(m.start(), m.end()):
                    continue
                term = re.sub(r"[\s-]+", " ", m.group(1).lower())
                kind = lx.term_kind(term)
                if any(0 <= a - m.end() <= 1 for a, _ in spans):
                    continue  # a word right before the kind is the kind's name or modifier, judged above
                if kind in ("colour", "material", "pattern") and term not in self.lang.stopwords.wearers:
                    add(term, kind, m.start(), m.end())
            # ... and every other word of it the catalog's texts use ('short sleeve', 'key pocket',
            # 'hdmi', 'self seal'), the longest such phrase first: in a search box each word is a
            # want (a word the catalog never uses stays unread rather than a filter that hides all)
            # (unsure: they rank, never hide an item, as a word read from a query, not a sentence, is a guess)
            for a, b, phrase in self._search_box_words(text) if _search_box(text.clean, self.lang.stopwords.sentence) else []:
                add(phrase, lx.term_kind(phrase) or "attribute", a, b, False)
        # 'I need one with a numpad', 'something with pockets': a feature of whatever is wanted.
        for m in re.finditer(r"\b(?:one|ones|something|anything|a pair|some)\s+(?:with|w/|that has|that have|which has|"
                             r"featuring)\s+(?:a\s+|an\s+|some\s+|built[- ]in\s+)?(?P<d>[a-z][a-z-]{2,}(?:\s+[a-z][a-z-]{2,})?)"
                             r"(?=\s*(?:[,.;!?]|$|\s+(?:and|or|for|under|please|pls|but|in|by)\b))", text.s):
            phrase = m.group("d")
            if not text.consumed(m.start("d"), m.end("d")) and not any(
                    w in references.STOPWORDS or w in lx.domain.qualities for w in phrase.split()):
                add(phrase, lx.term_kind(phrase) or "attribute", m.start("d"), m.end("d"))
        # 'smartwatch between £100 and £300 with GPS': a known feature said with 'with' further on.
        if spans:
            for m in re.finditer(r"(?<![\w-])(?:with|w/|that has|that have|featuring|including)\s+(?:a\s+|an\s+|built[- ]in\s+)?"
                                 r"(?P<d>[a-z0-9][a-z0-9 -]{1,25}?)(?=\s*(?:[,.;!?]|$|\s+(?:and|or|please|pls|but|for|under|in|by)\b))",
                                 text.s):
                found = self.terms.term_at(m.group("d"))
                if found and found[0] == re.sub(r"[\s-]+", " ", m.group("d").lower()) and found[1] != "brand" \
                        and not text.consumed(m.start("d"), m.end("d")):
                    add(m.group("d"), found[1], m.start("d"), m.end("d"))
        # 'UV resistant', 'scratch proof', 'flame retardant': a specification however it is placed.
        for m in re.finditer(r"(?<![\w-])(?P<t>[a-z]{2,}[\s-](?:resistant|proof|repellent|retardant|stabilised|stabilized))(?![\w-])",
                             text.s):
            if not text.consumed(m.start(), m.end()) and m.group("t").split()[0] not in references.STOPWORDS:
                add(m.group("t"), "attribute", m.start(), m.end())
        # Measurements that specify the item: '12 oz cups', '50 ml tubes', '20 denier'.
        for m in re.finditer(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:ml|cl|l|litres?|liters?|litre|oz|inch|inches|in(?!\s+[a-z])|cm|mm|"
                             r"denier|gsm|micron|microns|ply|gauge|mil|w|watts?|mah|v|volt)(?![a-z])", text.s):
            # ('6 in a 40 collar', 'turns 70 in january': 'in' the preposition, no inches)
            if not text.consumed(m.start(), m.end()):
                add(text.quote(m.start(), m.end()).lower(), "attribute", m.start(), m.end())
        # 'for gaming', "it's for video calls": a use the catalog records.
        uses = {v for k, vals in lx.attribute_values.items() if k in ("use", "uses", "for", "purpose", "activity", "sport")
                for v in vals}
        if uses:
            for m in re.finditer(rf"\bfor\s+(?P<u>{alternation(uses)})\b", text.s):
                if not text.consumed(m.start("u"), m.end("u")):
                    add(m.group("u"), "attribute", m.start("u"), m.end("u"))

    def _size_breakdown(self, text: Text) -> tuple[float, list[str], str] | None:
        """'two M, two L', '3 small, 3 medium, 2 large', 'two 48s, two 50s and a 52', '6 in a 40
        collar and 4 in a 42': how many of each size, in a uniform order. Returns the total, the
        sizes (as the catalog writes them) and the words; None unless two or more sizes are counted
        and each is one the catalog sells. Consumes the words."""
        letter = r"xx?s|s|m|l|xx?l|xxxl|small|medium|large|extra large"
        one = rf"(?P<n{{k}}>\d{{{{1,3}}}}|a|an|one)\s+(?:in\s+(?:a\s+|an\s+)?)?(?:size\s+)?(?P<s{{k}}>{letter}|\d{{{{2}}}}(?:\.5)?)(?:'?s)?(?:\s+collar)?"
        group = rf"(?<![\w.]){one.format(k=0)}(?:\s*(?:,|and|&|\+|/)\s*(?:and\s+)?{one.format(k=1)})(?:\s*(?:,|and|&|\+|/)\s*(?:and\s+)?{one.format(k=2)})?" \
                rf"(?:\s*(?:,|and|&|\+|/)\s*(?:and\s+)?{one.format(k=3)})?(?![\w])"
        m = re.search(group, text.s, re.IGNORECASE)
        if m is None or text.consumed(m.start(), m.end()):
            return None
        total, sizes = 0.0, []
        for k in range(4):
            n, size = m.group(f"n{k}"), m.group(f"s{k}")
            if n is None:
                continue
            resolved = self.sizes.resolve(size)
            if resolved is None or resolved.lower() not in self.sizes.catalog:
                return None
            total += 1 if n.lower() in ("a", "an", "one") else float(n)
            sizes.append(resolved)
        counts = [m.group(f"n{k}") for k in range(4) if m.group(f"n{k}")]
        if len(sizes) < 2 or not any(c.isdigit() for c in counts) or re.search(r"\bbetween\s*$", text.s[:m.start()]):
            return None  # ('between an S and an M' is one person's size, no count)
        quote = text.quote(m.start(), m.end())
        text.consume(m.start(), m.end())
        return total, list(dict.fromkeys(sizes)), quote

    def _search_box_words(self, text: Text) -> list[tuple[int, int, str]]:
        """The phrases of a search-box query left unread that the catalog's texts use, longest first
        from each position: (start, end, phrase)."""
        lx = self.lexicon
        never = self.lang.stopwords.not_terms
        wearers = self.lang.stopwords.wearers
        words = [(m.start(), m.end(), m.group(0).lower()) for m in re.finditer(r"[a-z0-9][a-z0-9'-]*", text.s, re.IGNORECASE)
                 if not text.consumed(m.start(), m.end())]
        out: list[tuple[int, int, str]] = []
        k = 0
        while k < len(words):
            for n in (3, 2, 1):
                run = words[k:k + n]
                if len(run) < n or any(run[j + 1][0] - run[j][1] > 2 for j in range(n - 1)):
                    continue  # only words side by side ('short sleeve'), not across a number or a comma
                phrase = " ".join(w for *_, w in run)
                single = run[0][2]
                if any(w in self.quantities.units or w in never for *_, w in run):
                    continue  # 'per pack', 'max', 'pls': how it is counted or priced, no want
                if n == 1 and (single in references.STOPWORDS or single in wearers or single in self.lang.stopwords.common
                               or single in lx.domain.qualities
                               or re.fullmatch(r"[\d.]+|x\d+|\d+x", single) or len(single) < 2
                               or lx.term_kind(single) == "brand"):
                    continue
                if lx.uses(lx.catalog_spelling(phrase)) >= 1 and phrase not in lx.aliases and singular(phrase) not in lx.aliases:
                    out.append((run[0][0], run[-1][1], phrase))
                    k += n - 1
                    break
            k += 1
        return out

    def _container_volume(self, said: str, s: str, out: Reading) -> bool:
        """'Hand wash refills, 5 litre, antibacterial. 8 cans', 'bleach 5L x100, <€8/can': a volume
        said where the order is counted in containers (cans, drums, bottles) is the containers' size,
        part of the unit ordered, not a requirement of the item."""
        unit = re.sub(r"^[\d.\s]+", "", said.lower())
        q = out.quantity
        if q is not None and q.unit in self.lang.units.packs.liquid and re.fullmatch(
                rf"[\d.\s]+(\S+)(?:\s+[a-z-]+)*\s+{re.escape(q.unit)}", said.lower()) and \
                unit.split()[0] in self._volume_words:
            return True  # '750ml trigger bottles, 4 dozen': the bottles' size, counted in bottles
        if unit not in self._volume_words or self._liquid_said is None:
            return False
        if out.quantity is not None and out.quantity.unit in self.lang.units.packs.liquid:
            return True
        return self._liquid_said.search(s) is not None

    @staticmethod
    def _wants(s: str, pos: int) -> bool:
        """A term said as the thing wanted: 'looking for something in linen', 'need black'."""
        head = s[max(0, pos - 40):pos]
        return bool(re.search(r"\b(?:looking for|need|needs|want|wants|after|show me|something|anything|one with|"
                              r"ones with|something with|anything with|make it|make them|make that|go with|go for|"
                              r"switch to|change it to|i'?d like|we'?d like|would like|how about|what about)\s+"
                              r"(?:(?:nice|good|new|little|lovely|simple|classic|something|in|a|an|more|proper|real|genuine|pure|100%|actual|decent|quality)\s+)*$", head))

    def _could_describe(self, term: Term) -> bool:
        """Whether a requirement read from the message's own words could be something an item is or
        has: not a word of talk or of the order ('right', 'unit price', 'certified'), and not a run of
        small words the catalog never writes ('said at the', 'before we break', 'on set tomorrow')."""
        t = term.text.lower().strip()
        lx = self.lexicon
        if term.kind != "attribute" or lx.term_kind(t) or re.search(r"\d", t):
            return True
        words = t.replace("-", " ").split()
        if t in self.lang.stopwords.not_described | self.lang.stopwords.not_terms \
                and not any(lx.term_kind(w) in ("material", "colour") for w in words):  # ("solid gold")
            return False
        if lx.uses(lx.catalog_spelling(t)):
            return True
        return not (len(words) > 1 and any(w in references.STOPWORDS for w in words))

    def _feature_compounds(self, text: Text, spans: list[tuple[int, int]], out: Reading, add) -> None:
        """'grey marl', 'leopard print', 'tummy control', 'composite toe', 'double wall', 'over ear':
        a word before a noun of a part or make of the item (the domain's ``feature_heads``) makes
        one description, asked for as said, where the word alone would be a colour or a pattern or
        nothing. Only with a kind of item asked for; not a material ('a leather strap' asks for
        leather), a quality ('a nice fit'), a person, a brand or the kind's own name ('shirt collar')."""
        if self.feature_compound is None or not (spans or out.categories):
            return
        lx = self.lexicon
        stop = self.lang.stopwords
        for m in self.feature_compound.finditer(text.s):
            mod = m.group("m")
            if text.consumed(m.start(), m.end()) or any(a < m.end() and m.start() < b for a, b in spans):
                continue
            elif lx.uses(f"{mod}-{m.group('h')}"):
                pass  # 'over ear' of a catalog that writes 'over-ear': one word to the catalog
            elif mod in _DETERMINERS or mod in references.STOPWORDS or mod in lx.domain.qualities or mod in stop.people \
                    or mod in stop.not_terms or mod in lx.aliases or singular(mod) in lx.aliases or mod in lx.brands \
                    or lx.term_kind(mod) == "material" or re.search(r"(?:ly|ing)$", mod):
                continue
            if re.search(r"\b(?:my|our|your|their|his|her|its)\s+$", text.s[max(0, m.start() - 8):m.start()]):
                continue  # 'what our sockets fit': a verb after what is theirs
            before = len(out.require)
            add(f"{mod} {m.group('h')}", "attribute", m.start(), m.end())
            if len(out.require) > before and self._said_softly(text, out.require[-1].quote):
                out.prefer.append(out.require.pop())  # 'ideally with some tummy support'

    def _descriptor(self, phrase: str, before_noun: bool) -> str | None:
        """What kind of description ``phrase`` is, or None when it describes nothing."""
        lx = self.lexicon
        p = phrase.strip().lower()
        if not p or p in _DETERMINERS or p in lx.domain.qualities or p in references.STOPWORDS \
                or p in self.lang.stopwords.people or p in self.lang.stopwords.not_terms:
            return None
        if re.fullmatch(r"\d+(?:[.,]\d+)?\s?%", p):
            return None  # '100%' of '100% cotton': the material is what is asked for
        if p in lx.aliases or p in lx.brands or p in _NOT_DESCRIPTIONS:
            return None
        d = lx.domain
        kind = lx.term_kind(p)
        if kind and (not before_noun or p in d.materials or p in d.colours or p in d.attributes or p in d.patterns
                     or kind in ("colour", "certification")):
            return kind
        m = self.terms.term_at(p)
        if m and m[0] == p:
            return m[1]
        if _ADJECTIVE.fullmatch(p) and p not in _NOT_ADJECTIVES and p not in references.STOPWORDS and (
                not before_noun or lx.uses(p)) and not (p.endswith("ed") and not lx.known_word(p)):
            return "attribute"  # 'sweatproof', 'detectable plasters', 'stackable', 'cordless'
        if re.fullmatch(r"[a-z]+(?:-[a-z]+)+", p) and not p.startswith(("well-", "good-", "nice-")):
            return "attribute"  # 'crash-lock', 'low-lint', 'anti-fog', 'double-wall'
        if re.fullmatch(r"\d+(?:\.\d+)?\s?(?:ml|cl|l|litres?|liters?|oz|inch|inches|in|cm|mm|denier|gsm|micron|ply|gauge)", p):
            return "attribute"
        if not before_noun and not re.fullmatch(r"[\d.]+", p) and all(
                w not in references.STOPWORDS and w not in lx.domain.qualities for w in p.split()) \
                and lx.uses(lx.catalog_spelling(p)) >= 1 and len(p) >= 4:
            return "attribute"
        words = p.split()
        if not before_noun and 2 <= len(words) <= 3 and all(lx.known_word(w) and w not in references.STOPWORDS
                                                            and (w not in self.known_words or w in lx.attribute_names
                                                                 or any(w in v for v in lx.attribute_values.values()))
                                                            for w in words) and any(
                any(w in v for v in lx.attribute_values.values()) or w in lx.attribute_names for w in words):
            return "attribute"  # 'UK layout', 'UK plug': words of the catalog's own fields
        return None

    def _act(self, text: Text, out: Reading, reset: str | None, shown: list[Item]) -> str:
        if reset:
            return "reset"
        if out.question is not None:
            return "question"
        if out.compare is not None:
            return "compare"
        if self.acts.asides.search(text.clean) and not self.acts.want.search(text.clean) and not out.references:
            out.categories = []  # 'hang on, the dog's just got hold of a shoe, brb': not said to the shop
            return "off_topic"
        # ('how do you get red wine out of a white shirt??': the shirt's colour is no want)
        if self.acts.support.search(text.clean) and not (out.quantity or out.price or out.references) \
                and not re.search(r"\b(?:need|want|looking for|buy|buying|recommend|suggest|replace|replacement|new|"
                                  r"upgrade|order|quote|price|cost|budget|sell|stock)\b", text.clean):
            out.categories, out.require = [], []  # 'can you fix my laptop?' names what they have, not what they want
            return "off_topic"  # 'can you help me fix my wifi at home?': support, not shopping
        if not shown and "?" not in text.clean and (
                self.acts.thanks.search(text.clean) and self.acts.past_story.search(text.clean) and not _ASKS_FOR.search(text.clean)
                or (self.acts.greeting.search(text.clean) or re.match(r"\W*my name is\b", text.clean))
                and self.acts.introduction.search(text.clean)
                and not _ASKS_FOR.search(self.acts.introduction.sub(" ", text.clean))) and not (
                out.quantity and (out.categories or out.quantity.unit in self.lexicon.units.values())
                or out.price or out.sizes or out.require or out.exclude or out.brands_in or out.max_lead_time_days):
            # 'Thanks so much for the help last week, my sister loved the scarf!', 'Hello! First time
            # ordering with you - I'm the new business manager at Fernhill Academy.': social, no want yet
            # ('Just having a look around for now, no rush': nothing to drop either)
            out.categories, out.lift, out.quantity = [], [], None  # ('a dental group, four practices': no order)
            return "greeting"
        wants = bool(out.quantity) or _wants_beyond_quantity(out)
        verdicts = any(r.polarity for r in out.references) or bool(out.brand_refs_out)
        if out.critiques:
            return "critique"
        corrects = re.search(r"\b(?:these|those|they|that|this|it)(?:'re| are| is|'s)\s+(?:all\s+|just\s+|only\s+)?"
                             r"(?:some\s+|a\s+|an\s+)?[a-z-]+|\bi (?:meant|said|asked)\b|\bnot what i (?:asked|wanted|meant)\b",
                             text.clean)
        if shown and corrects and (out.categories or re.search(r"\bi (?:need|want|meant|asked for|said)\b", text.clean)) \
                and not out.price and not (out.sizes and not out.categories):  # ('I said 38 before - she's a 40')
            return "critique"  # 'these are shorts, I need underwear'
        if shown and not (wants or verdicts) and re.search(r"\b(?:these|those|they|it|that|this)(?:'re| are| is|'s)\s+"
                                                          r"(?:all\s+|a bit\s+|way\s+|too\s+|so\s+|quite\s+|really\s+)*"
                                                          r"(?:too\s+)?[a-z-]+(?:\s+for\b|\s*$|\s*[,.!?])", text.clean) \
                and re.search(r"\btoo\b|\bnot\b", text.clean):
            return "critique"
        if verdicts and not wants:
            return "reaction"
        if wants or verdicts:
            return "request"
        only_social, off_topic = acts.social(text, self.acts)
        said_social = bool(self.acts.greeting.search(text.clean) or self.acts.thanks.search(text.clean)
                           or self.acts.goodbye.search(text.clean))
        # ('ill show him tonight and come back to you', "I'll get back to you": a goodbye's verbs want nothing)
        unsaid = text.s if out.references else self.acts.goodbye.sub(lambda m: " " * len(m.group(0)), text.s)
        wanting = bool(self.acts.want.search(unsaid)) and self._wanted_known(text)
        # ('can you recommend a good film for tonight?': wanted, but nothing a shop of this catalog sells)
        if (off_topic and not (wanting and self._catalog_content(text))) or self.acts.asides.search(text.clean):
            return "off_topic"
        # 'Hi there, kydex sheet': a hello, then the thing wanted, named in a few words.
        named = (self.acts.greeting.search(text.clean) and not self.acts.thanks.search(text.clean)
                 and not self.acts.goodbye.search(text.clean) and self._names_items(text)
                 and len([w for w in re.findall(r"[a-z0-9]+", text.s) if w not in references.STOPWORDS
                          and w not in _SOCIAL]) <= 4)
        if only_social or (said_social and not wanting and not named):
            return "greeting"
        if wanting or self._catalog_content(text) or (shown and self.acts.want.search(text.s)):
            return "request"  # 'can I see some options?' after items were shown
        return "off_topic"

    def _wanted_known(self, text: Text) -> bool:
        """Whether what the message asks for is something a shop could sell: a word of the catalog,
        of the lexicons, a generic product word ('a present'), or a purpose ('for my sister')."""
        s = text.s
        if re.search(r"\bdo you (?:sell|stock|carry|have|do|make)\b|\bhave you got\b|\bgot any\b|\bwhere can i (?:get|buy|find)\b", s):
            return True
        if re.search(r"\b(?:gift|present|something|anything|for (?:my|her|his|our)|for use|use (?:it|them|these) (?:for|in)|"
                     r"for (?:\w+ing)\b)", s):
            return True
        words = [w for w in re.findall(r"[a-z]{4,}", s) if w not in references.STOPWORDS and w not in _SOCIAL]
        lx = self.lexicon
        # A word of the items' names, not any word of their descriptions ('a good restaurant near
        # the Galleria' uses 'good' and 'near', which descriptions use too); a short one ('bnc',
        # 'led', 'pvc') when several items are named with it.
        short = [w for w in re.findall(r"\b[a-z0-9]{3}\b", s) if w not in references.STOPWORDS and w not in _SOCIAL]
        return any(w in self.shopping_words or singular(w) in lx.title_words or w in lx.aliases or w in lx.brands
                   or lx.term_kind(w) is not None for w in words) or any(
            len(lx.title_words.get(w, ())) >= 2 for w in short)

    def _names_items(self, text: Text) -> bool:
        """A word several items are named with, or a term or brand of the catalog ('kydex sheet'),
        beside a greeting or thanks: not small talk ('thanks for the quick reply')."""
        lx = self.lexicon
        words = [w for w in re.findall(r"[a-z0-9]{3,}", text.s) if w not in references.STOPWORDS and w not in _SOCIAL]
        return any(len(lx.title_words.get(singular(w), ())) >= 2 or lx.term_kind(w) or w in lx.brands for w in words) \
            or bool(lx.alias_pattern() and lx.alias_pattern().search(text.clean))

    def _catalog_content(self, text: Text) -> bool:
        """Words of the catalog's own that are not small talk ('silk scarf ideas')."""
        lx = self.lexicon
        words = [w for w in re.findall(r"[a-z]{4,}", text.s) if w not in references.STOPWORDS and w not in _SOCIAL
                 and w not in self.known_words or w in self.shopping_words]
        # Words of the items' names and fields, not any word of their descriptions ('late', 'good').
        return any(w in self.shopping_words or len(lx.title_words.get(singular(w), ())) >= 2 or lx.term_kind(w)
                   for w in words) or bool(lx.alias_pattern() and lx.alias_pattern().search(text.clean))


_AUDIT = re.compile(r"[\s-]+(?:audits?|inspections?|inspectors?|auditors?|visits?|assessments?|re-?certification|"
                    r"renewal|surveillance)\b", re.IGNORECASE)
"""After a standard's name: the buyer's site is being checked against it, which is no feature of the item."""

_SOCIAL = frozenset("""thanks thank cheers hello morning afternoon evening great perfect lovely brilliant awesome
cool nice good fine okay sure yesterday today tomorrow reply quick help helpful much very really weather""".split())
_DETERMINERS = frozenset("""a an the some any my our your his her their this that these those for of to in on at with
need want like looking after get buy order new good nice proper decent quality cheap little big great lovely
i we she he it me us them do you have sell got about around and or but also please pls just only really very""".split())
_ADJECTIVE = re.compile(r"[a-z]{3,}(?:proof|able|ible|resistant|repellent|less|free|cidal|static)|[a-z]{4,}(?:ed)")
"""A word made to describe ('sweatproof', 'stackable', 'cordless'): a specification, said alone or
before the kind of item (there only when the catalog uses it: 'table' is no description)."""
_NOT_ADJECTIVES = frozenset("vegetable vegetables timetable turntable worktable constable".split())
_NOT_DESCRIPTIONS = frozenset("""men's women's ladies' kids' mens womens ladies gents boys girls baby babies set pair pack
multi mini must should would could shall might may need needs help""".split()) | {
    # What a buyer's own terms are called, left over once the pass that reads them took the value
    # ('lead time no more than 5 days', 'budget around 20 euro each'): never a feature to require.
    "lead time", "lead times", "budget", "price", "prices", "cost", "costs", "delivery", "shipping", "moq",
    "minimum order", "quantity", "order", "total", "each", "per unit", "max", "maximum", "min", "minimum",
    # how exact an amount is, left over once the amount was read ('roughly 30 pairs')
    "roughly", "approximately", "approx", "about", "around", "circa", "ish", "or so"}


_ON_THE_SIDE = re.compile(r"\b(?:something|anything|ones?|a bit|slightly|a little|more)\s+on\s+the\s+(?P<q>[a-z][a-z-]{2,})\s+side\b")
_AT_LEAST_ASKED = re.compile(r"^\W*(?:is|are|does|do)\b[^?]*?\s(?P<w>(?:at least|minimum|min\.?)\s+)(?=[a-z]{1,5}\s?\d+[a-z]?\s*(?:\?|rated|certified))")
_SUSPENDED = re.compile(r"\b[a-z0-9]+(?P<h>-)\s*(?:and|or|&|/|,)\s*[a-z0-9]+-(?P<tail>free|resistant|proof|safe|based)\b")
_CONFIRM_FRAME = re.compile(r"(?:^|(?<=[.!?]\s))\s*(?:(?:can|could|would)\s+(?:you|u)\s+(?:please\s+|just\s+)?|please\s+|pls\s+|just\s+)?"
                            r"(?:confirm|check|double[\s-]check|verify)\s+(?:for me\s+)?(?:that\s+)?"
                            r"(?=(?:the|your|those|these)\s[^.!?]{1,50}?\s(?:is|are|has|have|comes?|meets?|pass(?:es)?)\s[^.!?]*\?)")
"""('Could you confirm whether ... ?', 'Please confirm the price breaks ...' ask as they are)"""
_SAID_ABOUT = re.compile(r"\b(?:forget|ignore|scrap|disregard|never\s?mind)\s+(?P<w>(?:what|everything|all)\s+(?:i|we)\s+"
                         r"(?:said|told you|mentioned|asked for|wrote)\s+(?:about|re|regarding|on)\s+(?:the\s+|my\s+|our\s+)?)")



@lru_cache(maxsize=8)
def _described_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The domain's quality words as one pattern, built once per domain, not once per message."""
    return re.compile(rf"(?<![\w-])(?P<q>{alternation(list(words))})(?![\w-])")


_THIS_ORDER = re.compile(r"\b(?:(?:is|are|'s|'re)\s*n[o']t\s+(?:an?\s+|really\s+an?\s+)?(?:issue|problem|concern|worry|priority|rush)|"
                         r"no\s+(?:object|issue|problem|rush|hurry|concern)|(?:doesn'?t|does not|don'?t|do not)\s+(?:really\s+)?matter|"
                         r"(?:is|are|'s|'re)\s+flexible)\s+(?P<o>(?:on|for|with)\s+this\s+(?:one|order|job|time))\b")
_ASKS_FOR = re.compile(r"\b(?:need|needs|want|wants|looking|after|could you|can you|do you|have you|show|recommend|suggest|"
                       r"another|more|else|again|also|please|pls|something|anything)\b")
_ASKED_SENTENCE = re.compile(r"[^.!?\n]*\?")
_NAMING_LEAD = re.compile(r"\W*(?:(?:hi|hello|hey|hiya)\b\W*)?(?:(?:we|i)(?:'re| are|'m| am)?\s+)?(?:need|want|require|looking for|after|"
                          r"do you (?:have|stock|sell|do))?\s*(?:some\s+|a\s+|an\s+|the\s+)?")
_OF_IT = re.compile(r"\b(?:it|its|it's|they|them|their|they're)\b")
_SIZE_WORD = re.compile(r"x{0,3}s|m|x{0,3}l|small|medium|large|petite|size|uk|eu|us|\d{1,2}(?:\.5)?")


def _span_of(text: Text, fragment: str) -> tuple[int, int]:
    i = text.clean.find(fragment)
    return (i, i + len(fragment)) if i >= 0 else (0, 0)


def _unique_brands(brands: list[Brand]) -> list[Brand]:
    seen: set[str] = set()
    out = []
    for b in brands:
        if b.name not in seen:
            seen.add(b.name)
            out.append(b)
    return out


def _tidy(out: Reading) -> Reading:
    def unique(terms: list[Term]) -> list[Term]:
        seen: set[str] = set()
        kept = []
        for t in terms:
            if t.text not in seen:
                seen.add(t.text)
                kept.append(t)
        return kept

    # 'The middle one isn't FSC, we need FSC': what is said of a shown item is no exclusion when the
    # same message asks for it; a term both ruled out and asked for is asked for.
    out.require = unique(out.require)
    out.exclude = [t for t in unique(out.exclude) if t.text not in {x.text for x in out.require}]
    out.prefer = [t for t in unique(out.prefer) if t.text not in {x.text for x in out.require}]
    cats: list[Category] = []
    for c in out.categories:
        if all(c.name != x.name for x in cats):
            cats.append(c)
    out.categories = cats
    return out


def _wants_beyond_quantity(out: Reading) -> bool:
    """Whether ``out`` states a want other than how many: a budget, a limit, a size, a kind, a
    brand, a term, a spec or a dropped constraint (what makes a message a request, not a verdict)."""
    return bool(out.price or out.max_moq or out.max_lead_time_days or out.in_stock or out.sizes or out.categories
                or out.brands_in or out.brands_out or out.exclude or out.require or out.prefer or out.numeric
                or out.lift)


def _search_box(s: str, sentence: frozenset[str], commas: bool = False) -> bool:
    """Whether ``s`` is typed as a search box takes it: a few words of the item, no sentence (no
    pronoun, verb or function word, no clause break or comma), as in 'wool coat camel long'. (A
    message in comma-separated fragments, 'black, 38, leather, under 400', is read piece by piece,
    unless ``commas``: its colours and materials are wanted wherever they stand.) ``sentence``: the
    language's words that make a sentence (``stopwords.toml``)."""
    words = re.findall(r"[a-z][a-z'-]*", s.lower())
    return 1 < len(words) <= 12 and not re.search(r"[.;!?]\s+\S" if commas else r"[.;!?]\s+\S|[,;:]", s) \
        and not any(w in sentence for w in words)


def _item_noun(reading: Reading) -> str:
    """The noun the first kind of item was said with, singular ('silk scarves' -> 'scarf'): what a
    count that names no unit of its own counts. Empty when no kind was said."""
    words = re.findall(r"[a-z]+", reading.categories[0].quote.lower()) if reading.categories else []
    return singular(words[-1]) if words else ""
