"""What a message does: start over, drop a constraint, ask about an item, compare the items shown,
critique them, or only greet, thank or chat. The word lists are ``lang/<code>/acts.toml``,
``critiques.toml`` and ``fields.toml``; a catalog adds its own attribute names as question fields
("battery" asks for ``battery_hours``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.models import Item
from agent.reading.lexicon import CatalogLexicon, Language, singular
from agent.reading.models import Comparison, Critique, Lift, Question
from agent.reading.references import IT, PLURAL, STOPWORDS, Ref
from agent.reading.text import Text, alternation


def _phrases(words) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{alternation(words)})(?![\w-])", re.IGNORECASE)


@dataclass
class ActGrammar:
    lang: Language
    lexicon: CatalogLexicon
    reset: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        acts, crit = self.lang.acts, self.lang.critiques
        # ('scrap the gaming stuff, ... now it's a camera he wants': what was being looked for, dropped whole)
        self.reset = re.compile(_phrases(acts.reset).pattern + rf"|\b{DROPPED}\s+(?:the|all the|all that)\s+"
                                rf"{_NOT_A_FIELD}[a-z]+\s+(?:stuff|things)\b|\bpark\s+the\s+{_NOT_A_FIELD}(?:[a-z-]+\s+){{1,3}}?for\s+now\b",
                                re.IGNORECASE)
        self.reject_all = re.compile(rf"(?:^|[.!?;,]\s*|\b(?:but|so|and|hmm|oh|well|sorry|ok|okay|no)\b,?\s*)(?:{alternation(acts.reject_all)})"
                                     rf"(?![\w-])(?!\s+(?:the|that|this)\s+(?:first|second|third|last|one))", re.IGNORECASE)
        self.lifts = {name: _phrases(getattr(acts.lift, name))
                      for name in ("budget", "brand", "size", "category", "delivery", "moq", "everything", "all")}
        self.term_after = re.compile(rf"(?<![\w-])(?P<term>[a-z][a-z -]{{1,30}}?)(?:\s+|(?=')|(?=s\s))(?:{alternation(acts.lift.term_after)})"
                                     rf"(?:\s+(?:now|after all|too|as well|actually))?(?![\w-])", re.IGNORECASE)
        self.term_before = re.compile(rf"(?<![\w-])(?:{alternation(acts.lift.term_before)})\s+(?P<term>[a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)",
                                      re.IGNORECASE)
        self.requirement_lift = re.compile(rf"(?<![\w-])(?:{alternation(acts.lift.requirement_before)})\s+"
                                           rf"(?P<term>[a-z0-9][a-z0-9 /-]{{0,30}}?)(?=\s*(?:[,.;!?]|$|\s+(?:after all|anymore|any more|"
                                           rf"now|then|either|please|requirement|certification)\b))", re.IGNORECASE)
        self.requirement_after = re.compile(rf"(?<![\w-])(?P<term>[a-z0-9][a-z0-9 /-]{{0,30}}?)(?:\s+|['’]s\s+(?=not\b|optional\b))(?:{alternation(acts.lift.requirement_after)})"
                                            rf"(?:\s+(?:now|after all|either|really|anymore|any more))?(?![\w-])", re.IGNORECASE)
        self.greeting = _phrases(acts.social.greeting)
        self.thanks = _phrases(acts.social.thanks)
        self.goodbye = _phrases(acts.social.goodbye)
        self.off_topic = _phrases(acts.social.off_topic)
        you = [w for w in acts.social.off_topic if re.search(r"\b(?:you|your|you're|youre)\b", w)]
        self.about_you = _phrases(you) if you else re.compile(r"(?!)")
        """Small talk about the assistant ('what's your favourite colour?', 'are you a bot'): no question on a card."""
        self.support = _phrases(acts.social.support) if acts.social.support else re.compile(r"(?!)")
        self.asides = _phrases(acts.social.asides) if acts.social.asides else re.compile(r"(?!)")
        self.past_story = _phrases(acts.social.past_story) if acts.social.past_story else re.compile(r"(?!)")
        self.introduction = _phrases(acts.social.introduction) if acts.social.introduction else re.compile(r"(?!)")
        self.want = _phrases(acts.want.cues)
        w = acts.want
        self.owned = re.compile(
            (rf"(?:^|(?<=[,.;!?])\s*|\b(?:and|but|as|since|because|cos|coz)\s+)(?:{alternation(w.owned)})\s+(?:(?!\b(?:and|but|so|which|who|need|needs|want|wants|looking)\b)[^,.;!?])+" if w.owned else "(?!)")
            + (rf"|(?:^|(?<=[,.;!?])\s*|\b(?:and|but|as|since|because|cos|coz)\s+)(?:{alternation(w.owned_if_already)})\s+(?:about\s+|around\s+|like\s+)?"
               rf"(?:\d+|a few|several|loads of|lots of|plenty of|so many|too many|a|an)\s+(?:(?!\b(?:and|but|so|need|needs|want|wants)\b)[^,.;!?])*?\balready\b" if w.owned_if_already else ""),
            re.IGNORECASE)
        self.returned = re.compile(
            rf"(?:^|(?<=[.;!?])\s*|\b(?:and|but|as|since|because|cos|coz)\s+)(?:{alternation(w.returned)})\s+(?:the|a|an|my|her|his|our|some|those|these|that|this)\s+"
            rf"(?:(?!\b(?:but|so|need|needs|want|wants|looking|like|instead|now|this time)\b)[^.;!?])+" if w.returned else "(?!)",
            re.IGNORECASE)
        self.decision = _phrases(acts.decision.cues)
        q = acts.questions
        lead_ins = [*acts.social.greeting, *q.lead_ins]
        # At the start, or of a later sentence ('love the blush bows!! do you have them in a 37'), or
        # after 'but' ('the grey cashmere looks perfect but does it come in other colours').
        self.opener = re.compile(rf"(?:^|(?<=[.!?])\s+|\bbut\s+(?=(?:is|are|does|do|can|could|will|would|has|have|what|which|how)\s)|"
                                 rf"(?:,|\s[-–])\s*(?=(?:is|are|does|do|can|will|would|has|have)\s+(?:it|that|this|they|these|those|the)\s)|"
                                 rf"(?:,|\s[-–])\s*(?=(?:how (?:much|many|long|big|heavy|soon)|what'?s|what (?:is|are)|whats|when (?:is|are|can|will|would|could)|where (?:is|are))\s))"
                                 rf"\W*(?:(?:{alternation(lead_ins)})\W+)*"
                                 rf"(?:{alternation(q.openers)})(?![\w-])(?!\s+to\b)"
                                 rf"(?!\s+(?:matter|mind|bother|have to|need to|need)\b)", re.IGNORECASE)  # ('has to be in stock', 'doesn't matter')
        self.asking = _phrases(q.asking)
        # ('Have a lovely evening!': a goodbye, no question whether the card has one)
        said_goodbye = [g for g in acts.social.goodbye if g.startswith("have ")]
        not_goodbye = rf"(?!(?:{alternation(said_goodbye)})(?![\w-]))" if said_goodbye else ""
        self.yes_no = re.compile(rf"(?:^|[.!?;,]\s*|\s[-\u2013\u2014:]+\s*|\x00\s+(?=\w+\s+(?:they|it|these|those|this|that|them|the|its|their)\b)|\b(?:{alternation(q.lead_ins or ['and', 'also', 'so', 'but'])})\s+){not_goodbye}(?:{alternation(q.yes_no)})\s+(?P<rest>(?:[^?.!,;]|(?<=\d)\.(?=\d))+)",
                                 re.IGNORECASE)
        self.have_it = re.compile(rf"(?<![\w-])(?:{alternation(q.have_it)})\s+(?:a\s+|an\s+|the\s+)?(?:size\s+)?(?P<v>[a-z0-9][a-z0-9 -]{{0,25}}?)"
                                  rf"(?=\s*(?:[?.!,;]|$|\s+(?:too|as well|also|please|instead|by)\b))|"
                                  rf"\b(?:do you have|have you got|can (?:i|we) get|could (?:i|we) get|do you do|can you do|is there|does|do|can)\s+(?:it|them|this|that|"
                                  rf"these|those|the\s+[\w\x00-]+(?:\s+[\w\x00-]+)?|[\x00]+)\s+(?:come\s+)?in\s+(?:a\s+|an\s+|the\s+)?(?:size\s+)?"
                                  rf"(?P<v2>[a-z0-9][a-z0-9 -]{{0,25}}?)(?=\s*(?:[?.!,;]|$|\s+(?:too|as well|also|please|instead)\b))|"
                                  # 'Chelsea boots in a 44?', 'the Osman in black?': a card named, then what it is asked in
                                  rf"^\W*(?:the\s+)?\x00+\s*(?:ones?\s+)?(?:,\s*)?(?:in|available in)\s+(?:a\s+|an\s+)?(?:size\s+)?"
                                  rf"(?P<v3>[a-z0-9][a-z0-9 -]{{0,25}}?)\s*(?:too|as well|also|please|pls)?\s*\?",
                                  re.IGNORECASE)
        self.other_items = _phrases(q.other_items) if q.other_items else re.compile(r"(?!)")
        self.value_suffix = re.compile(rf"\s+(?:{alternation(q.value_suffixes)})$", re.IGNORECASE)
        fields: dict[str, list[str]] = {k: list(v) for k, v in self.lang.fields.fields.items()}
        field_alt = alternation([w for v in fields.values() for w in v if len(w) > 2])  # built once, used thrice
        # 'price breaks on the rinse aid pls', 'lead time on the torque wrench': a field asked of a
        # named item, tersely, with no question mark
        # ('price for 200 of the VDE insulated screwdriver sets pls': a quantity between)
        self.field_first = re.compile(rf"^\W*(?:any\s+|what\s+about\s+|and\s+)?(?:{field_alt})"
                                      rf"\s+(?:(?:on|for)\s+\d[\d,.]*k?\s+(?:units?\s+|pcs\s+|pieces\s+)?of|on|for|of)\s+(?:the|your|ur|those|these)\s+",
                                      re.IGNORECASE)
        # 'pizza boxes moq?', 'nitrile gloves lead time?': an item named, then the field asked of it
        # 'Torque wrench 20-100 Nm - what sort of lead time are we looking at?': the name said first,
        # then, after a dash or colon, a question on it
        # ('Trek Max: how many hours ...?', 'quick one - Camel Hair Polo Coat, what sizes does it come in')
        self.name_then_ask = re.compile(r"^\W*(?:(?:quick (?:one|q|question)|question|hi|hello|hey|hiya)\s*[-:,!]\s*)?"
                                        r"(?P<name>[a-z][a-z0-9 ]{2,50}?(?:\s+\d[\d.-]*\s*[a-z]{0,3})?)(?:\s+[-:]|:|,)\s+"
                                        r"(?:what|how|when|is|are|does|do|can|any)\b[^?]*(?:\?|$)", re.IGNORECASE)
        # 'whats the price break at 2k?', "what's the lead time?": a field asked of nothing named
        self.field_asked_bare = re.compile(
            rf"^\W*(?:also\s+|and\s+|so\s+)?(?:what(?:'s|s| is| are| would be)?|how (?:much|long|many))\s+(?:is\s+|are\s+)?"
            rf"(?:the\s+|your\s+|ur\s+)?(?:{field_alt})\b"
            rf"(?!\s+(?:on|of|for)\s+(?:the|your|ur|those|these|this|that)\b)", re.IGNORECASE)
        self.field_last = re.compile(rf"^\W*(?P<name>[a-z][a-z0-9 -]{{2,40}}?)\s+(?:{field_alt})"
                                     rf"\s*\?\s*$", re.IGNORECASE)
        for name, numeric in self.lexicon.numeric.items():
            fields.setdefault(name, []).extend(w for w in numeric.words if len(w) >= 3
                                               and w not in ("with", "and", "the", "per", "for"))  # battery_with_case_hours
            for stem in numeric.words:
                # a synonym that is another field's own name asks that field ('resolution' of a
                # screen, not the camera's megapixels, when the catalog records resolution)
                fields[name].extend(w for w in self.lang.fields.numeric_words.get(stem, [])
                                    if w == stem or w.replace(" ", "_") not in self.lexicon.attribute_names)
        for name in self.lexicon.attribute_names:
            if name in ("moq", "lead_time_days", "tiered_prices", "size", "colour", "color", "material", "care",
                        "origin", "certifications", "pack_size", "style", "range", "section"):
                continue
            words = [w for w in re.split(r"[_\s]+", name) if len(w) >= 3 and w not in ("with", "and", "the")]
            if words:
                fields.setdefault(name, []).append(" ".join(words))
            fields.setdefault(name, []).extend(self.lang.fields.attribute_words.get(name, []))
        self.field_words = fields
        # 'highest dpi', 'most megapixels', 'covers more': a numeric field with most or least of it
        numeric_words = {}
        for name, numeric in self.lexicon.numeric.items():
            for stem in numeric.words:
                if len(stem) >= 3 and stem not in ("with", "and", "the", "per", "for"):
                    numeric_words.setdefault(stem, stem)
                    for w in self.lang.fields.numeric_words.get(stem, []):
                        if w.replace(" ", "_") not in self.lexicon.attribute_names or w == stem:
                            numeric_words.setdefault(w, stem)
        self.numeric_stem = {k.lower(): v for k, v in numeric_words.items()}
        f = self.lang.fields
        if numeric_words and f.most_before:
            words = alternation(numeric_words)
            self.numeric_most = re.compile(
                rf"(?<![\w-])(?:the\s+)?(?P<g>{alternation([*f.most_before, *f.least_before])})\s+"
                rf"(?:(?!(?:on|per|a|an|of|in|for|with|the|than)\b)[a-z]+\s+)?(?P<f>{words})(?![\w-])|"
                rf"(?<![\w-])(?P<f2>{words})\s+(?P<g2>{alternation([*f.most_after, *f.least_after])})(?![\w-])", re.IGNORECASE)
            self.least_words = frozenset(w.lower() for w in [*f.least_before, *f.least_after])
        else:
            self.numeric_most = None
        # 'how long is it' asks the same of 'how long is that cable': a numeric field's phrase closing
        # on 'it' asks it of any reference to an item (masked before the fields are looked for)
        self.fields = {name: re.compile(re.sub(r"(?<=\\s\+)it(?=\||$)", r"(?:it|\\x00+)", _phrases(words).pattern), re.IGNORECASE)
                       if name in self.lexicon.numeric else _phrases(words) for name, words in fields.items() if words}
        asks = self.lang.fields.amount_asks
        self.amount_ask = re.compile(rf"(?<![\w'])(?:{alternation(asks)})\s+$", re.IGNORECASE) if asks else None
        """'how much ' right before a field's own word: that field is asked, not the price."""
        aux = self.lang.fields.amount_auxiliaries
        self.amount_verb = re.compile(rf"(?<![\w'])(?:{alternation(asks)})\s*(?:{alternation(aux)})(?![\w'])", re.IGNORECASE) \
            if asks and aux else None
        """'how much does ... weigh': the verb's field is asked, not the price."""
        # The units an order is counted in (lang/<code>/units.toml and the catalog's own packs), so
        # the answer to 'price for 60 cases?' counts cases.
        self.unit_of = {f.lower(): one for one, names in self.lang.units.order_units.items() for f in names}
        self.unit_of.update(self.lexicon.units)
        unit = rf"(?P<u>{alternation(self.unit_of)})"
        self.qty_price = [
            re.compile(r"\b(?:price|cost|quote|how much|pricing|rate)\b[^?.!\x00]*?\bfor\s+(?P<q>\d+(?:\.\d+)?)\s*"
                       rf"(?:{unit})?\b", re.IGNORECASE),
            re.compile(rf"\b(?P<q>\d+(?:\.\d+)?)\s*{unit}\b"
                       r"[^?.!\x00]*?\b(?:cost|price|be|come to)\b", re.IGNORECASE),
            re.compile(r"\b(?:price|cost|pricing)s?\s+(?:per\s+[a-z]+\s+|each\s+|a\s+[a-z]+\s+)?(?:at|for)\s+(?P<q>\d+(?:\.\d+)?)\b"
                       rf"(?:\s*{unit}\b)?", re.IGNORECASE),
            re.compile(r"\b(?:come to|comes to|work out|works out|be)\s+(?:per|a|each)\s+(?:unit|piece|item|[a-z]+)\s+(?:at|for)\s+"
                       rf"(?P<q>\d+(?:\.\d+)?)\b(?:\s*{unit}\b)?", re.IGNORECASE),
            re.compile(rf"\bhow much (?:would|will|is|are|for)\s+(?P<q>\d+(?:\.\d+)?)\b(?:\s*{unit}\b)?", re.IGNORECASE),
            # 'price on the last one at 10k?', 'what would it be ea if we took 250?'
            re.compile(r"\b(?:price|cost|pricing|rate)\b[^?.!]*?(?:\bat\s+|@\s*)(?P<q>\d+(?:\.\d+)?)\b"
                       rf"(?:\s*{unit}\b)?\s*(?:[?.!]|$|for\b)", re.IGNORECASE),
            re.compile(r"\b(?:price|cost|pricing|rate)\b[^?.!]*?\bif (?:we|i) (?:take|took|order|ordered|buy|bought|go for|get|need)\s+"
                       rf"(?P<q>\d+(?:\.\d+)?)\b(?:\s*{unit}\b)?", re.IGNORECASE),
            re.compile(r"\bwhat (?:would|will|does|do|is)\s+(?:it|they|that|this|the price|the cost)\s+(?:be|come to|work out|cost)\b"
                       r"[^?.!]*?\b(?:if (?:we|i) (?:took|take|ordered|order|bought|buy|went for|go for|had|got)|for|at)\s+"
                       rf"(?P<q>\d+(?:\.\d+)?)\b(?:\s*{unit}\b)?", re.IGNORECASE),
        ]
        sup = self.lang.fields.superlatives
        self.superlatives = {re.sub(r"\s+", " ", k): tuple(v) for k, v in sup.items()}
        self.superlative = _phrases(sup)
        two = {re.sub(r"\s+", " ", k): tuple(v) for k, v in self.lang.fields.between_two.items()}
        self.between_two = two
        self.which_more = re.compile(
            r"(?<![\w-])which(?:\s+one|\s+of\s+(?:the|these|them|those)(?:\s+(?:two|three|four|[a-z]+s))?)?\s*"
            r"(?:is|'s|s|one's|would be|are|'re|was|looks?|seems?|works? out|comes? out|would work out|would come out|is going to be)\s+(?:the\s+)?(?:a\s+bit\s+|slightly\s+|any\s+)?"
            rf"(?P<c>{alternation(two)})(?:\s+(?:one|ones|option|of (?:the|these|them|those)(?:\s+\w+)?))?(?![\w-])",
            re.IGNORECASE) if two else None
        """'which is the pricier one', 'which one's cheaper': over the shown items, the superlative."""
        among = self.lang.fields.among
        verbs = self.lang.fields.sort_verbs
        self.sort_by = re.compile(
            rf"^\W*(?:(?:ok|okay|right|so|and|alright|hmm|then)\W+)?(?:(?:can|could|would) you\s+|please\s+|pls\s+)?(?:{alternation(verbs)})\s+"
            rf"(?:(?:all\s+)?(?:these|them|those|em|'em)(?:\s+(?:ones|items|options|[a-z]+s))?|the (?:lot|[a-z]+s))\s+"
            rf"(?:by|on|according to|in order of)\s+(?P<f>[a-z][a-z ]*?)(?:\s+(?:for me|for us|pls|please))?"
            rf"(?:\s*,?\s*(?:with\s+)?(?:the\s+)?(?P<d>[a-z]+(?: [a-z]+)?)\s+(?:one\s+|ones\s+)?first)?"
            rf"(?:\s+(?:please|pls|thanks))?\s*[?.!]*\s*$", re.IGNORECASE) if verbs else None
        self.most_first = frozenset(w.lower() for w in self.lang.fields.most_first)
        shown_set = r"(?:these|them|those|the (?:two|three|four|five|six|[2-9]|lot|ones? (?:shown|above|listed)))(?:\s+(?:two|three|four|five|six|[2-9]))?"
        self.any_over_shown = re.compile(
            rf"^\W*(?:(?:are|is)\s+(?:there\s+)?|(?:have\s+)?(?:you\s+)?got\s+|do\s+)?(?:any of {shown_set}(?![\w-])"
            # 'do any come in a petite fit?', 'do any have pockets': 'any' alone, of the items shown
            rf"|(?<=do )any(?=\s+(?:come|have|run|fit|ship|need|go)\b)"
            rf"|any\b(?:\s+[a-z-]+){{0,3}}?\s+(?:ones?\s+)?(?:{alternation(among)})\s+{shown_set}(?![\w-])"
            # 'any in stock??', 'any in navy?': the whole message, asked of the items shown
            rf"|any(?:\s+ones?)?\s+(?=(?:in stock|in-stock|available|still available|left|in\s+(?:a\s+)?[a-z0-9-]+)\s*[?.!]*\s*$)"
            # 'any white ones?': the whole message a question, its value said before 'ones'
            rf"|any\s+(?=[a-z-]+(?:\s+[a-z-]+)?\s+ones\s*\?+\s*$))",
            re.IGNORECASE) if among else re.compile(rf"^\W*(?:are\s+|is\s+)?any of {shown_set}(?![\w-])", re.IGNORECASE)
        """'any of them in black', 'any black ones among those four?': asked over the shown items by its
        form, with or without a question mark."""
        self.has = {re.sub(r"\s+", " ", k): tuple(v) for k, v in self.lang.fields.has.items()}
        self.has_pattern = _phrases(self.has)
        self.which = re.compile(r"(?<![\w-])(?:which(?:ever(?:'s)?)?(?:\s+(?:one|ones|of (?:these|them|those|the \w+)))?|what(?:'s| is|s) the|"
                                r"\w+est of (?:the )?(?:three|two|four|lot|ones?)|"
                                r"who(?:'s| is) the|any of (?:these|them|those)|are any of (?:these|them|those)|"
                                r"is any of (?:these|them|those)|the\s+\w+est\s+of|"
                                r"of the (?:three|two|four|ones? (?:you )?(?:showed|sent|listed)))(?![\w-])", re.IGNORECASE)
        self.suits_values = {k.lower(): v for k, v in self.lang.fields.suits.items()}
        self.suits_phrase = re.compile(rf"(?<![\w-])(?:{alternation(self.suits_values)})(?![\w-])", re.IGNORECASE) \
            if self.suits_values else None
        self.yes_no_values = {k.lower(): v for k, v in self.lang.fields.yes_no.items()}
        self.yes_no_phrase = re.compile(rf"(?<![\w-])(?:{alternation(self.yes_no_values)})(?![\w-])", re.IGNORECASE) \
            if self.yes_no_values else None
        self.est = re.compile(r"\b(?:the\s+)?(?P<adj>[a-z]{3,}?)(?:iest|est)\b|\bthe most (?P<most>[a-z]{3,})\b", re.IGNORECASE)
        self.cheaper = _phrases(crit.cheaper)
        self.pricier = _phrases(crit.pricier)
        self.priced = re.compile(r"\b(?:is|are|'s|s|looks?|seems?|feels?|bit|a bit|quite|rather|very|so|too|kinda|kind of)\s+"
                                 r"(?:a bit\s+|quite\s+|rather\s+|very\s+|so\s+|too\s+|really\s+)?(?:expensive|pricey|costly|steep|dear|spendy)\b",
                                 re.IGNORECASE)
        self.comparatives = crit.comparatives
        self.comparative = _phrases(crit.comparatives)
        skip = set(crit.critique.not_qualities)
        self.not_quality = skip
        self.more = re.compile(rf"(?<![\w-])(?:{alternation(crit.critique.more)})\s+(?P<a>[a-z][a-z-]+)(?:\s+(?P<b>look|style|vibe|feel|cut|fit))?\b",
                               re.IGNORECASE)
        self.less = re.compile(rf"(?<![\w-])(?:{alternation(crit.critique.less)})\s+(?P<a>[a-z][a-z-]+)\b", re.IGNORECASE)
        self.style = frozenset(crit.critique.style)
        self.hedged = re.compile(rf"(?<![\w-])(?:{alternation(crit.critique.hedged)})\s+(?P<a>[a-z][a-z-]+)\b", re.IGNORECASE) \
            if crit.critique.hedged else None
        self.hedge_asked = re.compile(rf"\b(?:{alternation(crit.critique.asking)})\s+$", re.IGNORECASE) \
            if crit.critique.asking else None


_LIFT_FIELD = re.compile(
    r"\b(?:forget|ignore|drop|never ?mind|scrap|skip|lose|ditch|remove|disregard|no need for|doesn'?t matter about)\s+"
    r"(?:about\s+)?(?:the|my|our|that|this|any)?\s*(?:[€$£]?\d+(?:[.,]\d+)?\s*[€$£]?\s+)?"  # ('forget the £400 cap')
    r"(?P<f>budget|price limit|price cap|budget cap|spending limit|cap|limit on (?:price|spend|budget|minimums?|moqs?|the minimum)|price|cost|brand|brands|label|size|sizes|"
    r"delivery(?: date| time| deadline)?|deadline|lead[- ]?time|date|timing|moq|minimum(?: order)?|category|type)\b",
    re.IGNORECASE)
_FIELD_WORDS = (r"budget|price limit|price cap|spending limit|price|cost|money|what it costs|how much it costs|brand|brands|label|"
                r"which brand|what brand|who makes it|size|sizes|delivery(?: date| time| deadline)?|deadline|lead[- ]?times?|"
                r"timing|when (?:it|they) (?:arrives?|comes?|gets? here|ships?|turns? up)|how long (?:it|they|delivery|shipping) takes?|"
                r"how (?:fast|quickly) (?:it|they) (?:ships?|arrives?)|moq|minimum(?: order)?")
_LIFT_INDIFFERENT = re.compile(
    # 'doesn't matter when it arrives', 'when it arrives doesn't really matter', 'not fussed about the
    # brand', 'flexible on price': the person does not mind that field, whatever the words for it.
    rf"\b(?:(?:doesn'?t|does not|don'?t|do not|won'?t) (?:really |much |too much )?matter(?: (?:much|really|too much))?,? "
    rf"(?:about |on )?(?:the |my |our )?(?P<f>{_FIELD_WORDS})"
    rf"|(?:the |my |our )?(?P<g>{_FIELD_WORDS})(?: (?:really )?| ?['’]?s (?:really )?)(?:doesn'?t|does not|don'?t|do not|won'?t|isn'?t|is not|not|aren'?t|"
    rf"are not) (?:really |that |too |much (?:of )?)?(?:matter|important|an issue|a concern|a problem|a big deal|critical|"
    rf"urgent|a priority)"
    rf"|(?:not (?:too |that |really |very )?(?:fussed|bothered|worried|picky|fussy|precious)|(?:don'?t|do not) (?:really )?"
    rf"(?:care|mind)) (?:about |on |with |re:? )?(?:the |my |our |which |what )?(?P<h>{_FIELD_WORDS})"
    rf"|(?:flexible|open|easy) (?:on|about|with|re:?) (?:the |my |our )?(?P<i>{_FIELD_WORDS}))\b",
    re.IGNORECASE)
_LIFT_FIELD_NAMES = {"budget": "budget", "cap": "budget", "price": "budget", "money": "budget", "price limit": "budget", "price cap": "budget", "budget cap": "budget",
                     "spending limit": "budget", "cost": "budget", "brand": "brand",
                     "brands": "brand", "label": "brand", "size": "size", "sizes": "size", "moq": "moq",
                     "minimum": "moq", "minimum order": "moq", "category": "category", "type": "category"}


def read_reset(text: Text, grammar: ActGrammar) -> str | None:
    for m in _TAKEN_BACK.finditer(text.s):
        # '25 kits. Actually scrap that, make it 30 kits', '— sorry, scratch that, all four are
        # right-handed': a number taken back mid-request, not the conversation started over
        text.consume(m.start("r"), m.end("r"))
    found = text.take(grammar.reset)
    return text.quote(found[0].start(), found[0].end()) if found else None


DROPPED = r"(?:scrap|ditch|forget|drop|park)"
"""The verbs that drop what was being looked for ('scrap the gaming stuff', 'park the bin bags for now');
the reader drops the kind said after them in a message that starts over ('Scrap the watches. ... belts')."""
_NOT_A_FIELD = r"(?!(?:budget|price|brand|colou?r|size|delivery|lead|moq|minimum)\b)"
"""('park the budget for now' drops a limit, not the search)"""
_TAKEN_BACK = re.compile(r"\S[^.!?]*?[\s,.;:!?–-]+(?:actually\s+|sorry,?\s+|no,?\s+|oh,?\s+)?(?P<r>scrap that|scratch that)[\s,]*"
                         r"(?=make (?:it|that)\b|it'?s\b|all\b|\d|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)",
                         re.IGNORECASE)


def read_lifts(text: Text, grammar: ActGrammar, lexicon: CatalogLexicon) -> list[Lift]:
    """Constraints dropped whole ('forget about the brand', 'any size'), consuming their words;
    read before references, so 'the brand' is not taken for 'that brand'."""
    out: list[Lift] = []
    for name, pattern in grammar.lifts.items():
        for m in text.find(pattern):
            if re.match(r"\s*(?:except|but|other than|apart from|besides|bar|save)\b", text.s[m.end():]):
                continue  # 'any brand except Velluto' rules one out, it does not lift the others
            if name == "budget" and re.match(r"[\s-]+(?:breaks?|tiers?|lists?|points?|ranges?|quotes?|match|matching|"
                                             r"promise|guarantee|discounts?|structure|per)\b", text.s[m.end():]):
                continue  # 'any price breaks on the rinse aid?' asks about the price, it drops no budget
            if name == "budget" and re.match(r"\s+than\b", text.s[m.end():]):
                continue  # 'I can spend more than that': more than what was shown, a critique
            if name == "budget" and re.match(r"\s+(?:a\s+(?:bit|little)\s+)?(?:to|up to|as far as|towards?)\s+(?:about\s+|around\s+)?[€$£]?\d",
                                             text.s[m.end():]):
                continue  # 'she can stretch the budget to 500': a new budget, not none
            if name == "delivery" and re.match(r"\s+(?:up to\s+|for\s+|at most\s+|max\s+)?(?:\d|a\s+week|two|a\s+fortnight)",
                                               text.s[m.end():]):
                continue  # 'we can wait 9 days max' is a limit, not no limit
            if name in ("all", "everything") and re.match(r"\s+(?:in|for|with|that(?!'?s? (?:is )?(?:closest|nearest|close))|under|from|by|like)\b",
                                                           text.s[m.end():]) and not re.search(r"\beverything\b", m.group(0)):
                continue  # 'what have you got in cable ties' asks for cable ties
            if name in ("all", "everything"):
                # 'all' drops what blocked (sure=False: nothing, when nothing did); 'everything' drops all.
                if all(lift.field != "all" for lift in out):
                    out.append(Lift(field="all", quote=text.quote(m.start(), m.end()), sure=name == "everything"))
            else:
                out.append(Lift(field=name, quote=text.quote(m.start(), m.end())))
            text.consume(m.start(), m.end())
    for pattern in (_LIFT_FIELD, _LIFT_INDIFFERENT):
        for m in text.find(pattern):
            said = next(g for g in m.groups() if g)
            name = _field_name(said)
            if all(lift.field != name for lift in out):
                out.append(Lift(field=name, quote=text.quote(m.start(), m.end())))
            text.consume(m.start(), m.end())
    return out


def _field_name(words: str) -> str:
    """The constraint a field's words name: 'what it costs' -> budget, 'who makes it' -> brand."""
    w = re.sub(r"\s+", " ", words.lower())
    if w in _LIFT_FIELD_NAMES:
        return _LIFT_FIELD_NAMES[w]
    if re.search(r"cost|price|budget|spend", w):
        return "budget"
    if re.search(r"brand|makes|label", w):
        return "brand"
    if re.search(r"\bsizes?\b", w):
        return "size"
    if re.search(r"moq|minimum", w):
        return "moq"
    return "delivery"


def read_term_lifts(text: Text, grammar: ActGrammar, lexicon: CatalogLexicon, named_requirement: bool = False) -> list[Lift]:
    """One term, brand or requirement dropped ('leather is fine after all', 'it doesn't need to be
    EN 14476'); read after references, so 'the pliers are fine' stays a verdict on the pliers.
    ``named_requirement`` reads only a requirement said to be one ('Forget the S3 requirement'),
    before references, so the 'S3' of a card's title is not a card turned down."""
    out: list[Lift] = []
    found = [*text.find(grammar.requirement_lift), *text.find(grammar.requirement_after)]
    if named_requirement:
        found = [m for m in found if m.re is grammar.requirement_lift and re.match(
            r"\s+(?:requirement|certification|standard|spec|rating)\b", text.s[m.end():])]
        if not found:
            return out
    for m in found:
        # 'ok, the linen is optional': the words after the last joining word, without an article.
        term = re.sub(r"^.*\b(?:but|and|so|ok|okay|well|actually|then|also)\s+", "", m.group("term").strip().lower())
        term = re.sub(r"^(?:the|a|an|any|being)\s+", "", term)
        term = re.sub(r"\s+(?:certification|certificate|requirement|part|thing)$", "", term)
        words = term.split()
        # 'a dress where linen isn't a must': the longest end of the words that names a term.
        term = next((" ".join(words[i:]) for i in range(len(words)) if _names_term(" ".join(words[i:]), lexicon)), term)
        start = m.start()
        if m.re is grammar.requirement_after and term:  # the quote starts at the term, not before it
            start = m.start("term") + max(0, m.group("term").lower().rfind(term.split()[0]))
        if term in lexicon.brands:
            out.append(Lift(field="brand", value=lexicon.brands[term], quote=text.quote(start, m.end())))
            text.consume(start, m.end())
            continue
        if term and _names_term(term, lexicon):
            out.append(Lift(field="require", value=term, quote=text.quote(start, m.end())))
            text.consume(start, m.end())
    if named_requirement:
        return out
    field_words = {w for ws in grammar.lang.fields.fields.values() for w in ws} | {
        w for f in lexicon.numeric.values() for w in f.words}
    for pattern in (grammar.term_after, grammar.term_before):
        for m in text.find(pattern):
            term = re.sub(r"^(?:the|a|an|some|real|any)\s+", "", m.group("term").strip().lower())
            term = term.split(" is ")[-1].strip()
            words = term.split()

            def names(ws: list[str]) -> bool:
                phrase = " ".join(ws)
                return bool(ws) and (lexicon.term_kind(phrase) is not None or phrase in lexicon.brands or (
                    len(ws) == 1 and lexicon.uses(ws[0]) and ws[0] not in _PRONOUNS and ws[0] not in _ASKING_WORDS and len(ws[0]) > 3
                    and ws[0] not in field_words))  # 'price is ok': the price, no term ruled back in

            # The longest run of its words that names a term ('polyester' in 'fine with polyester now').
            runs = [words[i:j] for n in range(len(words), 0, -1) for i in range(len(words) - n + 1) for j in [i + n]]
            term = " ".join(next((r for r in runs if names(r)), []))
            if not term:
                continue
            if re.search(r"\d\s*(?:-\s*)?$", text.s[max(0, m.start() - 12):m.start() + max(0, text.s[m.start():m.end()].find(term))]) \
                    and re.fullmatch(r"(?:working |business )?(?:days?|weeks?|months?|hours?)", term):
                continue  # '4 weeks is fine': a delivery time allowed, read by the delivery pass
            if term in lexicon.brands:
                out.append(Lift(field="brand", value=lexicon.brands[term], quote=text.quote(m.start(), m.end())))
            else:
                out.append(Lift(field="exclude", value=term, quote=text.quote(m.start(), m.end())))
            text.consume(m.start(), m.end())
    return out


def _names_term(term: str, lexicon: CatalogLexicon) -> bool:
    return term in lexicon.brands or bool(lexicon.term_kind(term)) or any(p.fullmatch(term) for p in _certs(lexicon))


def _certs(lexicon: CatalogLexicon) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in lexicon.domain.certifications.patterns]


def interrogative(text: Text, grammar: ActGrammar) -> bool:
    return "?" in text.original or bool(grammar.opener.search(text.clean)) or bool(grammar.asking.search(text.clean)) \
        or bool(grammar.field_first.search(text.clean)) or bool(_TRAILING_WH.search(text.clean))


_TRAILING_WH = re.compile(r"(?:[,;:!]|\s[-–])\s*(?:what|how|when|which)\s+(?:sizes?|colou?rs?|is|are|does|do|much|many|long|big|heavy)\b"
                          r"[^.!,;]*$")
"""'Camel Hair Polo Coat, what sizes does it come in': a question said last, without its mark."""


def read_question(text: Text, grammar: ActGrammar, refs: list[Ref], shown: list[Item], focus: Item | None,
                  lexicon: CatalogLexicon) -> Question | None:
    """A question about specific items, or None. Its topic words are consumed, so "is it in stock?"
    does not also ask for in-stock items."""
    if not interrogative(text, grammar) or grammar.other_items.search(text.clean):
        return None
    s = text.s
    for c in grammar.comparative.finditer(s):
        # 'in a darker shade?', 'something paler?': more of a quality than what was shown, asked
        # as a question, is a critique (not a question on the shown item's colour).
        if re.match(r"\s+(?:shade|colou?r|tone|hue|version|one)s?\b", s[c.end():]) or re.search(
                r"\b(?:something|anything|one|ones)\s+(?:a\s+(?:bit|little|touch|tad)\s+)?$", s[:c.start()]):
            return None
    for c in grammar.more.finditer(s):
        # 'something with more storage?', 'anything with more battery?': more of what was shown,
        # asked as a question, is a critique too
        if re.search(r"\b(?:something|anything|one|ones)\s+(?:with|w/|that\s+(?:has|have)|which\s+(?:has|have))\s+$",
                     s[:c.start()]):
            return None
        if re.match(r"\W*(?:(?:ok|okay|hmm|so|and|but|maybe)\W+)?(?:something|anything)\b", s[:c.end()]) \
                and re.match(r"\s*(?:please\s*|pls\s*)?\?", s[c.end():]):
            return None  # 'Something more colour-accurate?': more of a quality than what was shown, a critique
    for r in refs:  # the words naming the item are not what is asked about it
        s = s[:r.start] + "\x00" * (r.end - r.start) + s[r.end:]
    quantity = None
    unit = "unit"
    for pattern in grammar.qty_price:
        m = pattern.search(s)
        if m:
            quantity = float(m.group("q"))
            unit = grammar.unit_of.get((m.group("u") or "").lower(), "unit")
            text.consume(m.start("q"), m.end("q"))
            s = text.s
            break
    positions = []
    for name, pattern in grammar.fields.items():
        for m in pattern.finditer(s):
            positions.append((m.start(), -(m.end() - m.start()), name, m))
    positions.sort()
    fields: list[str] = []
    spans: list[tuple[int, int]] = []
    for start, _, name, m in positions:
        if any(a <= start < b for a, b in spans):
            continue
        spans.append((m.start(), m.end()))
        if name not in fields:
            fields.append(name)
    if grammar.amount_ask is not None and "price" in fields:
        for start, _, name, m in positions:
            # 'how much RAM has the AirBook 14 got?': the amount of RAM, not the price
            if name != "price" and (m.start(), m.end()) in spans and grammar.amount_ask.search(s[max(0, start - 30):start]):
                fields = [name] + [f for f in fields if f not in ("price", name)]
                break
        verb = grammar.amount_verb.search(s) if grammar.amount_verb is not None else None
        if verb is not None and fields[0] == "price" and all(
                m.start() >= verb.start() and m.end() <= verb.end() for _, _, name, m in positions if name == "price"):
            # 'how much does the Corvane Fieldbook weigh?': price is asked by the 'how much' alone,
            # the verb after it names the field
            later = [name for start, _, name, m in positions if name != "price" and start >= verb.end()
                     and (m.start(), m.end()) in spans]
            if later:
                fields = [later[0]] + [f for f in fields if f not in ("price", later[0])]
    if fields[:1] == ["category"] and len(fields) > 1 and re.search(r"\bwhat (?:kind|type|sort)s? of\b", s):
        fields = fields[1:] + ["category"]  # 'what sort of lead time are we looking at?': the field it is of
    if fields[:1] == ["availability"] and "lead_time" in fields and re.search(r"\bwhen\b|\bhow long\b", s):
        fields = ["lead_time"] + [f for f in fields if f != "lead_time"]  # 'out of stock - when are they back in?'
    if quantity is not None and "price" not in fields and "tiered_prices" not in fields:
        fields.insert(0, "price")
    numeric_named = [f for f in fields if f in lexicon.numeric]
    if numeric_named and fields and fields[0] in ("lead_time", "description", "size"):
        fields = numeric_named + [f for f in fields if f not in numeric_named]  # 'how long does the battery last'
    if re.search(r"\bwhere(?:'s| is| are| was| were)?\b[^?.!]{0,40}\b(?:made|from|produced|manufactured|sourced)\b", s):
        fields = ["origin"] + [f for f in fields if f != "origin"]
    rng = re.search(r"\b(?:from|in|part of|of)\s+the\s+(?P<v>[a-z0-9 -]{2,25}?)\s+(?P<f>range|collection|line|section|series)\b", s)
    if rng and rng.group("f") in lexicon.attribute_names:
        fields = [rng.group("f")] + [f for f in fields if f != rng.group("f")]
        spans.append((rng.start(), rng.end()))
    value = None
    counting = re.search(r"\bhow many\b", s) is not None  # 'how many come in a pack?' asks a number, not a yes/no
    other = re.search(r"\b(?:other|different|another|more|any other)\s+(?P<f>colou?rs?|sizes?|shades?|materials?|fabrics?)\b", s)
    if other:  # 'does it come in other colours?' asks which there are, not whether it is 'other colours'
        name = {"c": "colour", "s": "size", "m": "material", "f": "material"}[other.group("f")[0]]
        name = "colour" if other.group("f").startswith("shade") else name
        fields = [name] + [f for f in fields if f != name]
        counting = True
    m = grammar.have_it.search(s) if not counting else None
    if m:
        said = next(g for g in ("v", "v2", "v3") if m.group(g))
        value = m.group(said).strip()
        other = re.fullmatch(r"(?:anything|something|any\s+\w+|other\s+\w+|another\s+\w+)\s+(?:other than|but|besides|except|apart from)\s+(.+)",
                             value)
        if other:  # 'does it come in anything other than khaki?': an open question on that field
            value = other.group(1)
        kind = lexicon.term_kind(value)
        vfield = "colour" if kind == "colour" else ("size" if re.fullmatch(r"(?:\d{1,3}(?:\.5)?|xx?s|s|m|l|xx?l|small|medium|large)", value)
                                                     else ("material" if kind == "material" else "description"))
        fields = [vfield] + [f for f in fields if f != vfield]
        spans.append((m.start(said), m.end()))
        if other:
            value = None
    else:
        y = grammar.yes_no.search(s) if not counting else None
        # 'the second one - latex free?', 'the clamshells, PFAS free?', 'the lace one - lined or not?': a
        # card named and one word of the catalog's asked of it, no verb
        bare = (_TAG_ASK.match(s) or _BARE_ASK.match(s)) if y is None and not counting and any(
            r.how in ("id", "ordinal", "title", "price") for r in refs) else None
        if bare and not (lexicon.term_kind(re.sub(r"[\s-]+", " ", bare.group("v"))) or re.search(r"[\s-]free$", bare.group("v"))
                         or any(p.fullmatch(bare.group("v")) for p in _certs(lexicon))):
            bare = None
        if y or bare:
            rest = re.sub(r"^(?:(?:the|a|an)\s+)?(?:(?:first|second|third|last|\w+)\s+one\s+|ones?\s+)?", "",
                          (y.group("rest") if y else bare.group("v")).replace("\x00", " ").strip())
            rest = re.sub(r"^(?:all\s+)?(?:of them\s+|both\s+|(?:[2-9]|two|three|four)\s+(?:of them\s+)?)", "", rest)  # 'are all three X?'
            for r in refs:  # 'are the petri dishes ISO 13485 certified?': the card's own name is not what is asked
                said = re.sub(r"^(?:the|a|an)\s+", "", re.sub(r"\s+", " ", text.clean[r.start:r.end]).strip())
                if r.how == "title" and said and rest.startswith(said + " "):
                    rest = rest[len(said) + 1:]
            part = re.match(rf"(?:{alternation(lexicon.domain.feature_heads)})\s+(?=[a-z0-9])", rest) \
                if lexicon.domain.feature_heads else None
            if part and not (y and re.search(r"\b(?:the|its|their)\s+$", s[:y.start("rest")] + (
                    re.match(r"\W*(?:(?:the|its|their)\s+)?", y.group("rest")).group(0)))):
                part = None  # ('is frame size 54 in stock' names no part)
            if part:
                rest = rest[part.end():]  # 'is the frame PVC free?': a part of the card, then what is asked of it
            head = re.match(r"(?P<k>[a-z-]+)\s+(?=[a-z0-9])", rest)
            if head and set(lexicon.aliases.get(head.group("k")) or lexicon.aliases.get(singular(head.group("k"))) or ()) \
                    & {i.category for i in shown}:
                rest = rest[head.end():]  # 'is the blazer wool?' of several blazers: the kind names them all
            rest = re.sub(r"^(?:is|are|was|were)\s+", "", rest)  # 'confirm whether the second item is certified to EN 343'
            rest = re.sub(r"^(?:be|feel|look|seem|stay|keep (?:her|him|me|you|them))\s+", "", rest)
            rest = re.sub(r"^(?:all\s+)?(?:from|by|made by)\s+", "", rest)  # 'are they all from Velluto?'
            rest = re.sub(r"^(?:meet|meets|comply with|complies with|conform to|conforms to|pass|passes|carry|carries|"
                          r"support|supports|work with|works with)\s+",
                          "", rest)  # 'does the ladder meet EN 131?'
            for _ in range(3):  # 'does the dark grey one have any wool in it': 'have', then 'any'
                rest = re.sub(r"^(?:more of|more like|closer to|kind of|sort of|a bit|quite|also|still|actually|really|all|both|made of|made from|made in|in|available in|"
                              r"suitable for|good for|ok for|okay for|fit for|rated for|certified to|certified|compliant with|"
                              r"come with|have|has|got|contain|contains|offer|do|does|support|supports|handle|handles|"
                              r"take|takes|work with|works with|connect to|a|an|any|100%|pure|real|genuine|proper|actual|actually|"
                              r"properly|really|definitely|true)\s+", "", rest)
            rest = re.sub(r"\s+(?:in|inside|on|to) (?:it|them|there)\s*$", "", rest.strip(" ?"))  # '... any wool in it'
            rest = re.sub(r"\s+(?:come|comes|coming|included|supplied|provided)\s+(?:with|in the box with)\s+(?:it|them|one)\s*$", "", rest)  # 'does the pen come with it'
            rest = re.sub(r"\s+(?:built[\s-]in|included|fitted|on board|onboard|as standard)\s*$", "", rest)  # '... have GPS built in'
            rest = re.sub(r"^(?:(?:the|a|an)\s+)", "", rest)
            rest = re.sub(r"^(?:ones?|'s|s)\s+", "", rest)
            candidate = rest.strip(" ?")
            stripped = grammar.value_suffix.sub("", candidate)
            if lexicon.term_kind(re.sub(r"[\s-]+", " ", candidate.lower())) is None or lexicon.term_kind(stripped.lower()) \
                    or any(p.fullmatch(stripped.lower()) for p in _certs(lexicon)):
                candidate = stripped  # 'ESD safe' -> esd, 'FSC certified' -> fsc; 'food safe' is a term, 'food' none
            candidate = re.sub(r"^(?:certified to|certified for|compliant with|rated to|made to|made under|manufactured to|"
                               r"manufactured under|produced under|approved for|tested to)\s+",
                               "", candidate)
            named_attrs = [a for a in lexicon.attribute_names if re.search(rf"\b{re.escape(a.replace('_', ' '))}\b", candidate)
                           and a not in ("size", "colour", "color", "material", "style")]
            # 'a backlit keyboard' names 'backlit' and 'keyboard': the noun it ends with is the field
            named_attr = next((a for a in named_attrs if re.search(rf"\b{re.escape(a.replace('_', ' '))}$", candidate)),
                              named_attrs[0] if named_attrs else None)
            if named_attr and candidate != named_attr.replace("_", " "):  # 'a backlit keyboard' -> keyboard: backlit
                fields = [named_attr] + [f for f in fields if f != named_attr]
                candidate = re.sub(rf"\b{re.escape(named_attr.replace('_', ' '))}\b", "", candidate).strip()
            # '... or ...', and a new clause run on without a stop: 'is it machine washable i dont do dry cleaning'
            candidate = re.split(r"\s+(?:or|and|too|as well|please|enough|at all|though|because|cause|cos|as)\b|"
                                 r"\s+(?:i|we|she|he|they|i'?m|she'?s|he'?s|we'?re|they'?re)\s", candidate)[0].strip()
            words = candidate.split()
            if len(words) == 3 and not lexicon.uses(candidate) and lexicon.uses(" ".join(words[:2])) \
                    and not lexicon.term_kind(candidate) and not any(w in STOPWORDS for w in words):
                candidate = " ".join(words[:2])  # 'OK for liquid nitrogen storage?': what the catalog's texts say
            if candidate and len(candidate.split()) <= 3 and not re.fullmatch(
                    r"(?:it|they|this|that|in stock|available|good|ok|okay|any good|worth it|nice|right|true|possible|"
                    r"the same|similar|different|\d+.*)", candidate):
                kind = lexicon.term_kind(candidate)
                if kind is not None or lexicon.uses(candidate) or re.fullmatch(r"[a-z0-9-]+(?: [a-z0-9-]+)?", candidate):
                    value = candidate.lower()
                    vfield = {"colour": "colour", "material": "material", "certification": "certifications"}.get(kind or "")
                    if value in lexicon.brands:
                        vfield = "brand"  # 'are they all Verdeleaf?'
                    elif any(p.fullmatch(value) for p in _certs(lexicon)):
                        vfield = "certifications"
                    if re.search(r"[\s-]free$", value):
                        vfield = "certifications" if re.search(r"certif|approved|compliant", text.clean) else "material"
                    for attr, values in lexicon.attribute_values.items():
                        if vfield is None and value in values:
                            vfield = attr
                    if vfield is None and (not fields or fields[0] == "description"):
                        vfield = _attribute_for(value, lexicon)  # 'does the Trek Max have bluetooth?' -> connectivity
                    flag = lexicon.flags.get(value.replace("-", " "))
                    if vfield is None and flag:
                        vfield = flag
                    if vfield is None:
                        vfield = _attribute_named_like(value, lexicon)  # 'waterproof' -> water_resistance
                    if vfield is None and not fields:
                        vfield = "description"
                    if vfield is not None:
                        fields = [vfield] + [f for f in fields if f != vfield]
    if rng and rng.group("f") in lexicon.attribute_names:
        value = rng.group("v").strip()
    if value is None:
        # (not of an open question: 'how do you clean it? she ruined her last one in the wash')
        asked = grammar.yes_no_phrase.search(s) if grammar.yes_no_phrase is not None and not re.match(
            r"\W*(?:\w+\s+)?(?:how|what|where|when|why)\b", s) else None
        if asked:
            value = grammar.yes_no_values[re.sub(r"\s+", " ", asked.group(0).lower())]
            fields = fields or ["description"]
    if not fields and refs and re.search(r"\b(?:what'?s|what is|what are|how'?s|how is|how are)\s+\x00[\x00\s]*(?:\s+(?:really|actually))?\s+like\b", s):
        fields = ["description"]  # "what's the Donegal tweed suit like for warmth?": what the card says of itself
    if not fields:
        return None
    if value is None and fields[0] == "material" and \
            fields[0] not in lexicon.attribute_names and not (fields[0] == "size" and "sizes" in lexicon.attribute_names) \
            and not (fields[0] == "colour" and "color" in lexicon.attribute_names):
        fields[0] = "description"  # the catalog has no such field: only the description can tell
    if fields and fields[0] == "care" and "care" not in lexicon.attribute_names and any(
            lexicon.uses(w) for w in ("washable", "wash", "washed", "laundered", "launder")):
        # 'can these go in the washing machine?' of gloves: no care field, the descriptions say it
        fields[0] = "description"
    if fields and fields[0] == "availability" and (value is None or value in ("stock", "in stock", "available", "ex-stock",
                                                                             "ex stock", "from stock")):
        # 'is it ex-stock?', 'can it ship from stock?': the trade's words for in stock
        value = "in_stock" if re.search(r"\b(?:in stock|available|still have|any left|sold out|ex[- ]stock|from stock|"
                                        r"(?:hold|have|carry|keep|got) (?:any )?stock|in-stock|"
                                        r"(?:ship|send|dispatch|get|have)(?: out)?(?: (?:it|them|one|hold of(?: it| them)?))?(?: out)? "
                                        r"(?:now|today|right away|straight away|immediately))\b", text.clean) else value
    # Which items: named ones, else 'they' -> every shown item, else 'it' -> the focus.
    explicit = [r for r in refs if r.how in ("id", "ordinal", "title", "price")]
    if len(explicit) > 1 and "?" in text.clean:
        # '9cm heel on the first ones, no way. the orange ones are nice tho, are they leather?': the
        # question's own sentence names the card asked about; naming none, 'they' is the last named
        asked_at = text.clean.rfind("?")
        start = max(text.clean.rfind(c, 0, asked_at) for c in ".!?") + 1
        inside = [r for r in explicit if start <= r.start < asked_at]
        before = [r for r in explicit if r.start < start]
        if inside and before:
            explicit = inside
        elif before and not inside and (PLURAL.search(text.clean[start:asked_at]) or IT.search(text.clean[start:asked_at])):
            explicit = [before[-1]]
    ids: list[str] = []
    if explicit:
        ids = list(dict.fromkeys(i for r in explicit for i in r.item_ids))
    elif any(r.how == "deictic" for r in refs):
        ids = [next(r for r in refs if r.how == "deictic").item_ids[0]]
    elif shown and PLURAL.search(s):
        ids = [i.id for i in shown]
    elif shown and (IT.search(s) or focus is not None):
        ids = [(focus or shown[0]).id]
    if value and fields[0] == "description" and ids:
        # 'is it lined?' of a dress whose material reads 'silk, lined in cotton': the field that says it
        held = _field_holding(value, [i for i in shown if i.id in ids])
        if held and held != "title":
            fields = [held] + [f for f in fields if f != held]
    for a, b in spans:
        text.consume(a, b)
    return Question(item_ids=ids, field=fields[0], value=value, quantity=quantity, unit=unit, other_fields=fields[1:],
                    quote=text.original.strip())


_ANY_WITH = re.compile(r"\W*(?:(?:and|so|ok|okay|hmm+)\W+)?(?:are there\s+|got\s+|have you got\s+)?any\s+(?:ones?\s+)?(?:with|w/|that (?:have|has|are|is)|which (?:have|has|are)|in)\s+(?:a\s+|an\s+|some\s+)?"
                       r"(?P<v>[a-z][a-z -]{1,24}?)\s*\?")
"""'any with sleeves?', 'any in silk?', said of the cards shown: which of them have it."""

WHICH_OF_THEM = re.compile(r"\W*(?:(?:out of|of|from|between)\s+(?:them|these|those|the\s+(?:two|three|four|five|[2-9]|lot))"
                           r"(?:\s+(?:two|three|four|five|[2-9]))?\s*,?\s*)?(?:(?:so|and|ok|okay|but|right)\s+)?which(?:\s+ones?|"
                           r"\s+of\s+(?:them|these|those|the\s+(?:two|three|four|five|lot|[a-z]+s)))?\b", re.IGNORECASE)
"""'which of them ...?', 'out of these, which ...': a question over every shown item."""

_WHICH_CAN = re.compile(WHICH_OF_THEM.pattern + r"\s+"
                        r"(?:can|could|will|would|is|are|does|do)\s+(?:(?:actually|really|definitely|still)\s+)?"
                        r"(?P<v>[a-z][a-z' -]{2,40}?)\s*[?.!]*\s*$")
"""'which of these can go in a home compost bin': which of the cards shown do what is said; read
when nothing names a field, and answered from each card's own text."""


_TAG_ASK = re.compile(r"[\x00\s]*(?:ones?\s+)?(?:is|are|'s|'re|s)\s+(?:(?:actually|properly|really|definitely|all|both)\s+)?"
                      r"(?P<v>[a-z0-9][a-z0-9 -]{1,28}?),?\s+(?:right|yeah|yes|correct|isn'?t (?:it|she|he)|aren'?t they|innit|no)\s*\?+")
"""A card named, a quality said of it and a tag that asks: 'the loafers are vegan right?'."""


_BARE_ASK = re.compile(r"[\x00\s]*(?:ones?\b)?[\s,:;.-]*(?:and\s+|so\s+)?(?:is (?:it|that|this|they)\s+)?(?:(?:actually|properly|really)\s+)?"
                       r"(?P<v>[a-z0-9][a-z0-9 -]{1,28}?)(?:\s+or not)?\s*\?+(?:[\s\x00]*$|\s+(?=[a-z]))")
"""A card named and a word asked of it with no verb: '\x00 - latex free?' (the card's words masked)."""


_SUPERLATIVE_ALONE = re.compile(r"^\W*the\s+(?:\w+est|most \w+|least \w+)\s+ones?(?:\s+(?:please|pls|then))?\s*[.!]*\s*$")
"""'the warmest one please', said with cards shown and nothing else: the one of them with most of it."""


WHICH_IS = r"\bwhich(?:\s+[a-z]+)?(?:'s|s|\s+is|\s+are|'re)\s+"
"""'which scarf's ', 'which is ': before the quality asked of the shown items ('... the cashmere one?')."""


def read_compare(text: Text, grammar: ActGrammar, shown: list[Item], lexicon: CatalogLexicon) -> Comparison | None:
    """A question over the items shown: 'which ships fastest', 'the cheapest of these?', 'which are
    in stock?'. None when the message does not compare."""
    m = grammar.sort_by.search(text.clean) if shown and grammar.sort_by is not None else None
    if m:
        # 'sort these by price, cheapest first', 'rank them by lead time': the one first in that order
        said = m.group("f").strip()
        fld = next((name for name, pattern in grammar.fields.items() if pattern.search(said)), None) \
            or _catalog_field(said, lexicon, text.clean)
        if fld in grammar.fields or fld in lexicon.numeric or fld in lexicon.attribute_names:
            # (not 'order these by friday': bought by a day, no field to sort on)
            first = (m.group("d") or "").lower()
            most = first in grammar.most_first if first else fld not in ("price", "lead_time", "moq")
            text.consume(m.start(), m.end())
            return Comparison(field=fld, goal="max" if most else "min", quote=text.original.strip())
    m = _ANY_WITH.match(text.clean) if len(shown) > 1 else None
    if m and not lexicon.aliases.get(m.group("v")) and not re.search(r"\d|^stock$", m.group("v")):
        # 'any with sleeves? my arms ugh', 'any in silk?': which of the shown items have it
        value = m.group("v").strip()
        kind = lexicon.term_kind(value)
        fld = {"colour": "colour", "material": "material", "certification": "certifications"}.get(kind or "", "description")
        text.consume(m.start("v"), m.end("v"))
        return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
    bare = grammar.numeric_most.search(text.clean) if shown and grammar.numeric_most is not None else None
    if bare is not None and not (re.fullmatch(r"\W*(?:(?:and|so|ok|okay|right)\W+)?(?:the\s+)?|\W*which\s+has\s+the\s+", text.clean[:bare.start()])
                                 and re.fullmatch(r"\s*(?:one|ones|then|here|there|please|pls)?\s*[?.!]*\s*", text.clean[bare.end():])):
        bare = None  # 'highest wattage?' alone, of the items shown, compares them
    over = grammar.any_over_shown.search(text.clean) if shown else None
    if not shown or not (bare or over or interrogative(text, grammar) or grammar.which.search(text.clean) or re.search(
            r"\b(?:\w+est|most \w+|least \w+)\b(?: [a-z]+){0,3} (?:(?:out )?of|among|amongst) (?:these|them|those|the (?:two|three|four|lot))\b",
            text.clean) or _SUPERLATIVE_ALONE.search(text.clean)):
        return None  # ('lowest MOQ out of them pls' compares without a question mark)
    s = text.clean
    if re.search(r"\b(?:don'?t|do not|didn'?t|doesn'?t|not|never|can'?t|cannot|won'?t)\s+(?:\w+\s+){0,2}any of (?:these|them|those)\b",
                 s) and "?" not in s:
        return None  # 'I don't like any of these, in stock only': a rejection, then a constraint
    if not bare and not over and not grammar.which.search(s) and not _SUPERLATIVE_ALONE.search(s) and not re.search(r"\b(?:\w+est|most \w+|least \w+)(?: [a-z]+){0,3} (?:(?:out )?of|among|amongst) (?:these|them|those|"
                                                      r"the (?:two|three|four|five|[2-9]|lot|bunch|ones? (?:shown|above|listed)))\b|"
                                                      r"^\W*(?:the\s+)?(?:\w+est|most \w+|least \w+)(?:\s+(?:one|ones|option|price|cost|rate|unit price|[a-z]+))?(?:\s+(?:per|a|an|by the)\s+[a-z]+|\s+each|\s+ea)?"
                                                      r"(?:\s+(?:there|here|then|please))?(?:\s+(?:that'?s|thats|that is|which is|that are|which are|that can|that will)\s+[a-z][a-z -]{1,30})?\s*\?|"
                                                      r"\bany of (?:these|them|those)\b", s):
        return None
    if not over and not re.search(r"\b(?:which|any of|of (?:the )?(?:these|them|those|three|two|four|lot|ones?)|\w+est\b|most|least)\b", s):
        return None
    m = re.search(r"\b(?:any|either|are any|is any) of (?:these|them|those|the (?:two|three|four|[a-z]+s))\s+(?:(?:come|comes|available|going)\s+)?in\s+"
                  r"(?:a\s+|an\s+)?(?:(?:her|his|my|your|their|our)\s+)?(?:size\s+)?(?P<v>\d{1,3}(?:\.5)?|xx?s|s|m|l|xx?l)"
                  r"(?:\s+(?:collar|waist|chest|neck|inch|in))?\s*(?:[?.!]|$)", s)
    if m:
        # 'any of those in a 38?': which of the shown items come in that size
        return Comparison(field="size", goal="has", value=m.group("v"), quote=text.original.strip())
    m = grammar.which_more.search(s) if grammar.which_more is not None else None
    if m:
        # 'between the two which is the pricier one?': of the shown items, the one with most
        fld, goal = grammar.between_two[re.sub(r"\s+", " ", m.group("c").lower())]
        text.consume(m.start(), m.end())
        return Comparison(field=_catalog_field(fld, lexicon, s), goal=goal, quote=text.original.strip())
    # 'which works out at the most rolls per case', 'the most in a box': the pack that holds most.
    m = re.search(r"\b(?P<g>most|fewest|least)\s+(?:[a-z]+s\s+)?(?:per|in a|to a|in each|in one|in the)\s+"
                  r"(?:case|box|pack|carton|pallet|roll|bag|tub|sleeve|packet)\b", s)
    if m:
        return Comparison(field=_catalog_field("pack_size", lexicon, s), goal="max" if m.group("g") == "most" else "min",
                          quote=text.original.strip())
    m = grammar.numeric_most.search(s) if grammar.numeric_most else None
    if m:
        # 'highest dpi of these?', 'the fastest refresh rate', 'which covers more of the house?'
        stem = grammar.numeric_stem[(m.group("f") or m.group("f2")).lower()]
        goal = "min" if re.sub(r"^the\s+", "", (m.group("g") or m.group("g2")).lower()) in grammar.least_words else "max"
        text.consume(m.start(), m.end())
        return Comparison(field=_catalog_field(stem, lexicon, s), goal=goal, quote=text.original.strip())
    if grammar.which.search(s):
        # 'which is cheaper?', 'which works out cheaper per pair?', 'which one's lighter': a comparative
        # over the cards asks what its superlative asks
        for c in re.finditer(r"\b(?P<g>more|less)\s+(?P<a>[a-z-]{3,})\b|\b(?P<w>[a-z]{3,}er)\b", s):
            if c.group("w"):
                w = c.group("w")
                options = [w[:-2] + "est", w[:-1] + "st", w[:-3] + "iest"]
            else:
                options = [("most " if c.group("g") == "more" else "least ") + c.group("a")]
            said = next((o for o in options if o in grammar.superlatives), None)
            if said:
                fld, goal = grammar.superlatives[said]
                text.consume(c.start(), c.end())
                return Comparison(field=_catalog_field(fld, lexicon, s), goal=goal, quote=text.original.strip())
    m = grammar.superlative.search(s)
    if m:
        fld, goal = grammar.superlatives[re.sub(r"\s+", " ", m.group(0).lower())]
        fld = _catalog_field(fld, lexicon, s)
        text.consume(m.start(), m.end())
        if fld not in _STANDARD_FIELDS and fld not in lexicon.numeric and fld not in lexicon.attribute_names:
            # 'lightest one?' of suits, which record no weight: the description says how light
            word = m.group(0).lower().split()[-1]
            quality = _base(word[:-3]) if word.endswith("est") and len(word) > 5 else word
            return Comparison(field="description", goal="max", value=quality, quote=text.original.strip())
        return Comparison(field=fld, goal=goal, quote=text.original.strip())
    m = grammar.has_pattern.search(s)
    if m:
        fld, value = grammar.has[re.sub(r"\s+", " ", m.group(0).lower())]
        text.consume(m.start(), m.end())
        return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
    m = re.search(r"\b(?:the\s+)?least\s+(?P<adj>[a-z][a-z-]{2,})\b", s)
    if m and m.group("adj") not in grammar.not_quality:
        # 'which of the three is the least formal?': the one with least of a quality
        adj = m.group("adj").lower()
        fld = _catalog_field(adj, lexicon, s)
        if fld == adj and "price" in grammar.fields and grammar.fields["price"].fullmatch(adj):
            fld = "price"  # 'whats the least spendy of these', 'the least pricey'
        return Comparison(field=fld if fld != adj else "description", goal="min",
                          value=None if fld != adj else adj, quote=text.original.strip())
    m = grammar.est.search(s)
    if m:
        adj = (m.group("most") or _base(m.group("adj"))).lower()
        if adj not in ("b", "be", "rest", "int", "inter", "bigg", "sm") and len(adj) >= 3:
            fld = _catalog_field(adj, lexicon, s)
            return Comparison(field=fld if fld != adj else "description", goal="max",
                              value=None if fld != adj else adj, quote=text.original.strip())
    # "I'm left-handed - which of these would actually work for me?": which of them have what the
    # person says they are
    m = re.search(r"\bwhich\b[^?]{0,30}?\b(?:would|will|could|can|might|does|do)\s+(?:actually\s+|really\s+)?(?:work|suit|do)\s+"
                  r"(?:for\s+)?(?:me|him|her|us|them)\b", s)
    said = re.search(r"\b(?:i'?m|i am|(?:she|he|we|they|my \w+|our \w+)(?:'s|'re| is| are))\s+(?:a\s+)?(?P<v>[a-z]+-[a-z]+|[a-z]{4,}ed)\b",
                     s) if m else None
    if said:
        value = said.group("v")
        stem = value.split("-")[-1]  # ('left-handed': the catalog's handedness, named after the value's last word)
        fld = lexicon.flags.get(value.replace("-", " ")) or _field_holding(value, shown) or next(
            (a for a in sorted(lexicon.attribute_names) if len(stem) > 3 and a.startswith(stem)), "description")
        return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
    # 'best for running': the one that suits a use best.
    m = re.search(r"\bbest (?:for|at|with|in)\s+(?P<v>[a-z][a-z -]{1,30}?)\s*(?:[?.!]|$)", s)
    if m:
        return Comparison(field="description", goal="max", value=m.group("v").strip(), quote=text.original.strip())
    # "which scarf's the cashmere one?", 'which is the waterproof one': the shown items that are it.
    # (read in the words as said: a reference pass may have taken 'the cashmere' for the card it names)
    m = re.search(WHICH_IS + r"the\s+(?P<v>[a-z0-9][a-z0-9 -]{1,25}?)\s+ones?\s*[?.!]*\s*$", text.clean.lower())
    if m and not re.search(r"\b(?:\w+est|most|least|best|right|one)\b", m.group("v")):
        value = m.group("v").strip()
        kind = lexicon.term_kind(value)
        fld = lexicon.flags.get(value) or {"colour": "colour", "material": "material",
                                           "certification": "certifications"}.get(kind or "", "description")
        return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
    # 'which comes in size 38', 'which is made in Italy', 'any of those waterproof?': the shown
    # items that have something.
    m = re.search(r"\bwhich(?:\s+(?:one|ones|of (?:these|them|those|the (?:[a-z]+\s+)?[a-z]+s)))?\s+(?:is|are|one is|ones are|has|have|comes?\s+in|"
                  r"covers?|meets?|compl(?:y|ies) with|conforms? to|(?:is|are) certified (?:to|for)|pass(?:es)?|"
                  r"(?:is|are)\s+made\s+(?:in|of|from)|(?:is|are)\s+available\s+in|(?:is|are)\s+in)\s+(?:a\s+|an\s+)?"
                  r"(?P<v>[a-z0-9][a-z0-9 -]{0,30}?)(?:\s+(?:out of|of|among|amongst|from)\s+(?:these|them|those|the\s+[a-z]+))?"
                  r"(?:\s*,?\s*(?:if any|at all|please|pls|do you know))?\s*(?:[?.!]|$)", s)
    if m:
        value = re.sub(r"^(?:in\s+)?(?:(?:her|his|my|your|their|our)\s+)?(?:size|sizes)\s+", "", m.group("v").strip())
        value = re.sub(r"\s+(?:out\s+)?of\s+(?:these|those|them|the\s+\w+)$", "", value)  # 'which is pfas-free out of those'
        value = re.sub(r"^(?:the|a|an|any)\s+", "", value)  # 'which ones have the EU Ecolabel?'
        value = re.sub(r"(?<=\w)s free$", "s-free", value) if value.endswith("s free") else value
        value = re.sub(r"^(?:actual|actually|real|really|genuine|proper|properly|truly|100%|pure|fully)\s+", "", value)
        value = re.sub(r"^made\s+(?:of|from|out of|with|in)\s+", "", value)  # 'which one is made of silk'
        value = re.sub(r"^(?:certified to|certified for|compliant with|rated to|made to|approved for|tested to)\s+", "", value)
        certified = re.match(r"(?P<c>.+?)[\s-](?:certified|approved|compliant|rated|tested)$", value)
        if certified and (lexicon.term_kind(certified.group("c")) == "certification" or re.search(r"\d", certified.group("c"))
                          or any(p.fullmatch(certified.group("c")) for p in _certs(lexicon))):
            value = certified.group("c")  # 'which is EN 388 certified?'
        kind = lexicon.term_kind(value)
        flag = lexicon.flags.get(value.replace("-", " "))
        if re.search(r"made\s+in", m.group(0)):
            fld = "origin"
        elif re.search(r"\bsize", m.group(0)) or re.fullmatch(r"\d{1,3}(?:\.5)?|xx?s|s|m|l|xx?l", value):
            fld = "size"
        elif kind == "certification" or any(p.fullmatch(value) for p in _certs(lexicon)):
            fld = "certifications"
        else:
            fld = flag or {"colour": "colour", "material": "material"}.get(kind or "", "description")
            if fld == "description" and " " in value and lexicon.term_kind(value.rsplit(" ", 1)[1]) == "material":
                fld = "material"  # 'which of these is proper 18k gold?': a grade of a material
            most = re.fullmatch(r"(?P<g>most|least)\s+(?P<q>[a-z][a-z -]+)", value)
            if most and fld == "description":
                # 'which is most cut resistant?': the one with the most of it, not the ones that have it
                return Comparison(field="description", goal="max" if most.group("g") == "most" else "min",
                                  value=most.group("q").strip(), quote=text.original.strip())
            if fld == "description":
                fld = _attribute_for(value, lexicon) or fld  # 'which are food safe?' -> certifications say 'food-safe'
            if fld == "description":
                # 'which of these are machine washable?': the catalog's field whose words the value uses (care)
                fld = next((name for name, pattern in grammar.fields.items() if name in _STANDARD_FIELDS
                            and name in lexicon.attribute_names and pattern.search(value)), fld)
            if fld in ("description", "material"):
                fld = _field_holding(value, shown) or fld  # 'which is pfas-free?': the cards' certifications say it
        return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
    can = _WHICH_CAN.match(s)
    if can and (re.match(r"(?:i|we|you|he|she|they|it)\b", can.group("v"))
                or any(p.search(s) for p in grammar.fields.values())):  # a field named: the question reads it
        can = None
    if not over and not can and (not re.search(r"\b(?:which|any of)\b", s) or not interrogative(text, grammar)):
        return None
    m = re.search(r"\bany of (?:these|them|those)\s+(?:with|that have|that has|have|has|got|come with|come in)\s+"
                  r"(?:a\s+|an\s+|the\s+)?(?P<v>[a-z0-9][a-z0-9 -]{0,30}?)\s*(?:[?.!]|$)", s)
    if m:
        # 'any of them with a UK layout?': a value of a field the catalog has, named by the field
        value = m.group("v").strip()
        named = next((a for a in lexicon.attribute_names if value.endswith(" " + a.replace("_", " "))), None)
        if named:
            return Comparison(field=named, goal="has", value=value[: -len(named) - 1].strip(), quote=text.original.strip())
        fld = _attribute_for(value, lexicon)
        if fld:
            return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
        if m.group(0).split()[3] in ("with", "w/") and not lexicon.aliases.get(value) and not re.search(r"\d", value):
            # 'any of them with a lower heel?': which of them have it, in their own words
            kind = lexicon.term_kind(value)
            fld = {"colour": "colour", "material": "material", "certification": "certifications"}.get(kind or "", "description")
            return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
    m = grammar.yes_no_phrase.search(s) if grammar.yes_no_phrase is not None else None
    if m:
        # 'which of these can actually go in the washing machine?': the quality the words ask about,
        # in the field whose words they are (care), before any other word of the message ('check')
        value = grammar.yes_no_values[re.sub(r"\s+", " ", m.group(0).lower())]
        fld = next((name for name, pattern in grammar.fields.items() if name in _STANDARD_FIELDS and pattern.search(m.group(0))),
                   "description")
        if fld == "description":
            fld = _attribute_for(value, lexicon) or fld  # 'take a dunk in the pool?' of gadgets: their water resistance
        return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
    for t in lexicon.term_pattern().finditer(s):
        value = t.group(1)
        flag = lexicon.flags.get(re.sub(r"[\s-]+", " ", value))
        kind = lexicon.term_kind(re.sub(r"[\s-]+", " ", value.lower()))
        fld = flag or {"colour": "colour", "material": "material", "certification": "certifications"}.get(kind or "", "description")
        if fld == "description":
            fld = _attribute_for(value.lower(), lexicon) or _field_worded(value, grammar, lexicon) or fld  # 'are any of them waterproof?' -> water_resistance
        return Comparison(field=fld, goal="has", value=value, quote=text.original.strip())
    suited = grammar.suits_phrase.search(s) if grammar.suits_phrase is not None else None
    if suited and re.search(r"\bwhich\b", s[:suited.start()]):
        # 'which of them could I walk in all day?': the one with most of the quality the situation asks
        value = grammar.suits_values[re.sub(r"\s+", " ", suited.group(0).lower())]
        return Comparison(field=_attribute_for(value, lexicon) or "description", goal="max", value=value,
                          quote=text.original.strip())
    if can:
        # nothing names a field: the words said, found in each card's own text or not
        value = can.group("v").strip()
        if len(value.split()) > 1:  # 'go in a home compost bin': what it goes in
            value = re.sub(r"^(?:be|go|get|work|handle|cope|deal)\s+(?:(?:in|into|on|with|for|at|through)\s+)?(?:(?:a|an|the|my|our|your)\s+)?(?=\w)",
                           "", value)
        return Comparison(field=_attribute_for(value, lexicon) or "description", goal="has", value=value,
                          quote=text.original.strip())
    return None


def _field_holding(value: str, shown: list[Item]) -> str | None:
    """The field of the shown items whose values say ``value`` ('PFAS-free' in their certifications),
    the one most of them say it in; None when no field does."""
    want = re.sub(r"[\s-]+", " ", value.lower())
    counts: dict[str, int] = {}
    for item in shown:
        for name, v in item.attributes.items():
            if isinstance(v, str) and want in re.sub(r"[\s-]+", " ", v.lower()):
                counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _field_worded(value: str, grammar: ActGrammar, lexicon: CatalogLexicon) -> str | None:
    """The catalog field whose question words the value is ('machine washable' -> care), when the
    catalog records that field: 'are any of them machine washable?'."""
    for name, pattern in grammar.fields.items():
        if name in ("care", "origin", "lining", "fit") and name in lexicon.attribute_names and pattern.fullmatch(value.strip()):
            return name
    return None


_STANDARD_FIELDS = frozenset({"price", "lead_time", "moq", "availability", "description", "pack_size", "size", "colour",
                              "material", "origin", "certifications", "brand", "category", "care"})


def _attribute_for(value: str, lexicon: CatalogLexicon) -> str | None:
    """The one catalog attribute a word asked about belongs to: a word of its values ('bluetooth'
    in 'Bluetooth 5.3' -> connectivity), or an attribute named like it ('waterproof' ->
    water_resistance)."""
    spelled = r"[\s-]".join(re.escape(w) for w in re.split(r"[\s-]+", value.strip()))  # 'food safe' as 'food-safe'
    word = re.compile(rf"(?<![a-z]){spelled}(?![a-z])")
    holders = {attr for attr, values in lexicon.attribute_values.items()
               if attr not in ("colour", "color", "material", "description", "title") and any(word.search(v) for v in values)}
    if len(holders) == 1:
        return holders.pop()
    return _attribute_named_like(value, lexicon)


def _attribute_named_like(value: str, lexicon: CatalogLexicon) -> str | None:
    """The first catalog attribute whose name starts like ``value`` (five letters at least):
    'waterproof' -> water_resistance."""
    if len(value) < 5:
        return None
    return next((a for a in lexicon.attribute_names if a.replace("_", "")[:5] == value.replace(" ", "")[:5]), None)


def _base(stem: str) -> str:
    """'warm' from 'warmest' (stem 'warm'), 'light' from 'lightest', 'heavy' from 'heaviest'."""
    if stem.endswith(stem[-1] * 2) and stem[-1] not in "ls":
        return stem[:-1]  # 'biggest' -> 'big'
    return stem


def _catalog_field(name: str, lexicon: CatalogLexicon, message: str = "") -> str:
    """A comparison field as the catalog names it: 'weight' -> 'weight_kg', 'lead_time' stays; of
    several ('battery' -> battery_hours, battery_with_case_hours), the one whose other words the
    message says too ('with the case')."""
    if name in ("price", "lead_time", "moq", "availability", "description", "pack_size"):
        return name
    fields = [(f, n) for f, n in lexicon.numeric.items() if name in n.words or name == f]
    if not fields:
        return name

    def said(n) -> int:
        return sum(1 for w in n.words if w not in ("with", "per", "of") and re.search(rf"\b{re.escape(w)}", message))

    return max(fields, key=lambda fn: (said(fn[1]), -len(fn[1].words)))[0]


def read_critiques(text: Text, grammar: ActGrammar, lexicon: CatalogLexicon, shown: bool = False) -> list[Critique]:
    out: list[Critique] = []
    for pattern, kind in ((grammar.cheaper, "cheaper"), (grammar.priced, "cheaper"), (grammar.pricier, "pricier")):
        for m in text.take(pattern):
            if re.search(r"\b(?:minimums?|moqs?|min(?:imum)? orders?|order minimums?|lead[- ]?times?|waits?|"
                         r"quantit(?:y|ies)|pack sizes?)\b(?:\s+\w+){0,3}?\s*(?:are|is|'s|'re)?\s*(?:a bit\s+|way\s+|far\s+)?$",
                         text.clean[max(0, m.start() - 40):m.start()]):
                continue  # 'the minimums are too high': the minimum order, not the price
            if not any(c.kind == kind for c in out):
                partial = bool(re.search(r"\b(?:some|a couple|a few|one|two|several|most|half)\b(?:\s+of\s+(?:these|them|those))?\s*"
                                         r"(?:are|is|were|look|seem)?\s*(?:a bit\s+|way\s+|too\s+|so\s+)*$",
                                         text.clean[max(0, m.start() - 40):m.start()]))
                out.append(Critique(kind=kind, quote=text.quote(m.start(), m.end()), partial=partial))
    for m in text.find(grammar.comparative):
        before = text.s[max(0, m.start() - 25):m.start()]
        after = text.s[m.end():m.end() + 12]
        cued = re.search(r"(?:^|\b(?:more|something|anything|a bit|bit|little|much|way|even|slightly|is|are|looks?|need|want|"
                         r"go|get|find|got|any|one|ones|was|were|be|something a little|something a bit|far|lot|a lot|"
                         r"maybe|slightly|way|abit|prefer|in a|in|a)\s+|[,.;!?]\s*)$", before) and not (
            re.search(r"\b(?:a|an)\s+$", before) and not re.match(r"\s+(?:colou?r|shade|tone|fabric|weight|version|one)\b", after))
        # A word the catalog names items with ('drain cleaner', 'a lighter') is the noun unless a
        # comparison is cued before it; elsewhere what follows can tell ('cleaner please').
        noun = bool(lexicon.title_words.get(m.group(0).lower()))
        if not (cued or (not noun and re.match(r"\s*(?:$|[?.!,;]|than\b|one\b|ones\b|please|pls|option|options|version|"
                                                r"model|for\b)", after))):
            continue  # 'floor cleaner', 'a lighter': the noun, not a comparison
        attr = grammar.comparatives[m.group(0).lower()]
        out.append(Critique(kind="more_like", attribute=attr, quote=text.quote(m.start(), m.end())))
        text.consume(m.start(), m.end())
    for m in text.find(grammar.more):
        attr = m.group("a").lower()
        if re.search(r"\d\s*$", text.clean[:m.start()]):
            continue  # 'need 20 more rolls of that tape': a count, not more of a quality
        if attr in grammar.not_quality or len(attr) < 3 or lexicon.term_kind(attr) in ("material", "colour") \
                or attr in ("her", "his", "my", "our", "their", "your"):
            continue  # 'the third is more her style' likes the third
        end = m.end()
        if m.group("b"):
            attr = f"{attr} {m.group('b').lower()}"
        elif (two := re.match(r"[\s-]+(?P<w>[a-z]+)", text.s[end:])) and \
                lexicon.term_kind(f"{attr} {two.group('w').lower()}") is not None:
            attr, end = f"{attr} {two.group('w').lower()}", end + two.end()  # 'more heavy duty', 'more cut resistant'
        out.append(Critique(kind="more_like", attribute=attr, quote=text.quote(m.start(), end)))
        text.consume(m.start(), end)
    for m in text.find(grammar.less):
        attr = m.group("a").lower()
        if attr in grammar.not_quality or len(attr) < 3 or attr in _PRONOUNS:
            continue
        if lexicon.term_kind(attr) in ("material", "colour", "pattern") and attr not in grammar.style:
            continue  # 'not too much lace' -> left for the exclusion pass
        lead = m.group(0)[: m.start("a") - m.start()].strip().lower()
        if lead in ("so", "quite") and attr not in grammar.style:
            continue
        if lead == "so" and re.match(r"\s*(?:would|will|is|'s|must|should|has|needs?|please|it is|that)\b",
                                     text.s[m.end():]):
            continue  # 'wrong colour so pink would be a must': 'so' here is 'therefore'
        if lead == "so" and re.search(r"(?:[,;]|\b(?:colour|color|size|material|fit))\s*$", text.s[:m.start()]):
            continue
        if attr not in grammar.style and lexicon.uses(attr) == 0:
            continue
        if re.search(r"\b(?:i|we|i'?ve|we'?ve|i'?m|we'?re)\s+(?:been|am|are|was|were)?\s*(?:a bit\s+|way\s+|being\s+)*$",
                     text.s[max(0, m.start() - 24):m.start()]):
            continue  # "i've been way too fussy": said of the person, no less of it in the items
        out.append(Critique(kind="less_like", attribute=attr, quote=text.quote(m.start(), m.end())))
        text.consume(m.start(), m.end())
    if shown and grammar.hedged is not None and not out:  # ('a bit flimsy, anything more heavy duty?' asks once)
        for m in text.find(grammar.hedged):
            attr = m.group("a").lower()
            asked = grammar.hedge_asked is not None and grammar.hedge_asked.search(text.s[max(0, m.start() - 20):m.start()])
            every = re.search(r"\b(?:(?:these|those|they)(?:'re|\s+are)?\s+all|all\s+(?:of\s+)?(?:these|those|them)(?:'re|\s+are)?|"
                              r"(?:they|these|those)(?:'re|\s+are))\s+$", text.s[max(0, m.start() - 24):m.start()])
            if attr not in grammar.style or any(c.attribute == attr for c in out) or asked \
                    or (re.match(r"\s+for\b", text.s[m.end():]) and not every):
                continue  # 'something a bit formal' asks for it; 'a bit young for them' turns them down
                # (but 'these are all a bit loud for her' finds too much of it in every card)
            out.append(Critique(kind="less_like", attribute=attr, quote=text.quote(m.start(), m.end())))
            text.consume(m.start(), m.end())
    return out


_ASKING_WORDS = frozenset("which what whichever whatever anything something everything nothing".split())
"""Not a term taken back: 'which of these would work for me?' asks, it drops no 'which'."""
_PRONOUNS = frozenset("they them these those it this that we you he she i me us".split())


def social(text: Text, grammar: ActGrammar) -> tuple[bool, bool]:
    """(only social talk, off topic): what is left of the message once greetings, thanks and
    goodbyes are set aside, and whether it is small talk that is not about shopping."""
    rest = text.s
    for pattern in (grammar.greeting, grammar.thanks, grammar.goodbye):
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b(?:there|all|team|folks|everyone|guys|again|very|so|much|a lot|for (?:that|this|your help|the help|"
                  r"everything|all (?:that|the help)|now|today)|you|u|for now|bye|mate|dear|sir|madam|both|lol|:\)|"
                  r"good|nice|really|just|and|then|that's|thats|it|i|will|we|ll|'ll|be|back|later)\b", " ", rest)
    said_social = bool(grammar.greeting.search(text.clean) or grammar.thanks.search(text.clean)
                       or grammar.goodbye.search(text.clean))
    only_social = said_social and not re.search(r"[a-z0-9]", rest)
    off = bool(grammar.off_topic.search(text.s))
    return only_social, off
