"""Quantities: how many the buyer wants to order, and a limit on the supplier's minimum order.

"2,000 pairs of nitrile gloves", "10k mailing bags", "we need 500", "qty: 750", "200 of them",
"our order is small, 10 max" -> an order quantity with its unit (singular; the product noun when
the count is of products, ``unit`` when nothing is said). "MOQ under 500", "we can't do minimums
above 100", "the MOQ must not exceed 1000" -> ``max_moq``. A number with a currency, a time unit, a
size or a standard before or after it is not a quantity, nor the contents of a pack ("packs of 12").
Units come from ``lang/<code>/units.toml`` and from the catalog (its pack sizes and product nouns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.reading.lexicon import CatalogLexicon, Language, singular
from agent.reading.text import Text, alternation


@dataclass
class QuantityReading:
    quantity: float | None = None
    unit: str = "unit"
    quantity_quote: str = ""
    max_moq: float | None = None
    moq_quote: str = ""
    headcount: bool = False
    """The number counts people ('for 10 chefs', 'kitting out 30 operatives'), not what is ordered:
    it says how big the order is, but is no limit on a supplier's minimum."""


_MOQ_NOUN = (r"(?:moqs?|minimum order(?:\s+(?:quantity|qty|size|amount))?|min(?:imum)?\.?\s+order(?:\s+(?:qty|quantity))?|"
             r"order minimums?|minimums?(?:\s+order)?|min(?:imum)?\s+(?:qty|quantity)|minimum (?:of )?units)")
_UP_TO = (r"(?:under|below|less than|no more than|not more than|at most|max(?:imum)?|up to|<=?|≤|no higher than|"
          r"not higher than|not above|not over|lower than|within)")
_OVER = r"(?:above|over|exceed(?:ing)?|higher than|more than|greater than|bigger than|beyond)"
_NEGATED = (r"(?:can'?t|cannot|can not|won'?t|must not|mustn'?t|shouldn'?t|should not|not|no|nothing|don'?t|do not|"
            r"never|unable to)")


class QuantityGrammar:
    def __init__(self, lang: Language, lexicon: CatalogLexicon):
        units: dict[str, str] = {}
        for one, forms in lang.units.order_units.items():
            for f in forms:
                units[f] = "unit" if one == "person" else one
        units.update({k: v for k, v in lexicon.units.items() if len(k) > 2})
        self.units = units
        self.people = frozenset(singular(w) for w in [*lang.stopwords.people, *lang.kinds.counted_people])
        """Counted nouns that are people: a head count, not an order quantity."""
        self.places = frozenset(singular(w) for w in lang.kinds.counted_places)
        self.events = frozenset(singular(w) for w in lang.kinds.counted_events)
        cues = [*lang.acts.corrections, "let's say", "lets say", "say", "call it", "make it", "could be", "or maybe", "maybe even"]
        said_again = rf"(?<![\w-])(?:{alternation(cues)})\s*(?:about\s+|around\s+)?"
        self.correction = re.compile(rf"{said_again}$", re.IGNORECASE)
        self.correction_bare = re.compile(rf"{said_again}(?P<n>\d+(?:\.\d+)?)\b(?!\s*(?:[a-z%€$£]|[.,]\d))", re.IGNORECASE)
        """'100 boxes - sorry, 120 boxes', 'maybe 20, could be 30 - let's say 25': the later count replaces the first."""
        self.plausible_price = lexicon.plausible_price
        self.sold_by_count = bool(lexicon.units)
        """Whether the catalog sells in order units (boxes, pairs, rolls): a trade catalog, where
        'gloves, 500ish' is a count; in a shop's ('maternity jeans, 40ish') it is a price."""
        self.for_whom = re.compile(rf"\b(?:{alternation(lang.kinds.for_people)})\s+(?:about |around |roughly |some |our |the |"
                                   rf"all |all of our )?$", re.IGNORECASE)
        """Words before a count of whom an order is for ('for 12 new starters', 'kitting out 80 housekeepers')."""
        nouns: dict[str, str] = {}
        for alias, cats in lexicon.aliases.items():
            last = alias.split()[-1]
            if len(last) > 2 and re.fullmatch(r"[a-z][a-z-]*", last):
                # 'vest tops' counts vest tops; 'nitrile gloves' counts gloves
                nouns[alias] = singular(alias) if singular(alias) in cats else singular(last)
        for word in lexicon.domain.types:
            last = word.split()[-1]
            if re.fullmatch(r"[a-z][a-z-]*", last):
                nouns.setdefault(word, singular(last))
        self.nouns = {k: v for k, v in nouns.items() if k not in units}
        unit_alt = alternation(units)
        money_words = [k for k in lang.money.currencies if k[0].isalpha()]
        not_counted = alternation([*lang.units.time_units, *lang.units.other_units["words"], *money_words,
                                   *lang.money.minor_units, *units, "of", "more", "percent"])
        not_counted = "|".join(p for p in not_counted.split("|") if p != "in") + r"|in(?=\s*(?:[,.;)]|$))"
        not_counted_things = alternation([*lang.units.time_units, *lang.units.other_units["words"], *money_words,
                                          *lang.money.minor_units, "of", "more", "percent"])  # (units are counted)
        self.identifier = re.compile(rf"(?:^|[^\w])(?!(?<=the )lot\b)(?:{alternation(lang.numbers.identifiers['before'])})\s*[:#]?\s*$",
                                     re.IGNORECASE)
        noun_alt = alternation(self.nouns) or "(?!)"
        measure = "ml|cl|l|oz|inch|inches|in|cm|mm|m|kg|g|gsm|denier|micron|microns|ply|gauge|litres?|liters?|w|v|mah|carats?|karats?|ct|kt"
        money_alt = alternation([*lang.money.currencies, *lang.money.minor_units, "per", "a piece", "each"])
        per_unit = alternation(lang.money.limits.per_unit)
        num = r"(?P<n>\d+(?:\.\d+)?)(?:\s?(?:-|to)\s?(?P<n2>\d+(?:\.\d+)?))?"
        stop = alternation([*units, *money_words, *lang.money.minor_units, "max", "maximum", "per", "each", "a", "an",
                            "the", "under", "over", "for", "at", "in", "of", "to", "and", "or", "but", "with", "from",
                            "by", "is", "are", "max", "tops", "around", "about", "below", "than", "less", "more", "if", "as"])
        filler = (rf"(?:(?:\d+(?:\.\d+)?\s?(?:ml|l|g|kg|mm|cm|m|oz|litre|liter|inch|in|w|v|mah|gb|tb|hz|mp)|\x00+|(?!(?:{stop})\b)[a-z][a-z0-9-]*)"
                  rf"\s+){{0,3}}")
        self.counted = re.compile(
            rf"(?:(?<![\w.€$£¥₹])|(?<=(?<![\w-])x))(?<!size )(?<!sizes ){num}(?!\s?(?:{money_alt})(?![a-z]))(?!\s?(?:{measure})(?![a-z])(?!\s+of\b))(?:\s?(?:x|×|ish|or so))?\s+(?:(?:more|extra|additional|further)\s+)?{filler}(?:(?P<u>{unit_alt})\b"
            rf"|(?P<p>{noun_alt})\b)", re.IGNORECASE)
        self.qty_word = re.compile(rf"\b(?:qty|quantity|order qty|order quantity|amount|volume)\s*(?:of|is|:|=|-)?\s*{num}"
                                   rf"(?:\s+(?P<u>{unit_alt})\b)?", re.IGNORECASE)
        self.want = re.compile(
            rf"\b(?:need|needs|needed|order|ordering|buy|buying|want|wanting|get|getting|looking for|require|requires|"
            rf"purchase|purchasing|take|we'?d take|i'?d take|do|supply|source|sourcing|stock up on|restock)\s+"
            rf"(?:about |around |roughly |approximately |approx\.? |only |just |up to |like |some |maybe |at least )?"
            rf"{num}(?:\s?ish)?(?!\d|\.\d|\s*(?:{not_counted})(?![a-z])|\s*[%€$£x]|\s*(?:{per_unit})(?![a-z]))", re.IGNORECASE)
        self.of_them = re.compile(rf"(?<![\w.])(?:i'?d like |we'?d like |i want |we want |give me |take )?{num}\s+of\s+"
                                  rf"(?:(?:them|'?em|those|these|each|the\s+\w+(?:\s+one)?|it|that one)\b|(?=\x00))", re.IGNORECASE)
        """'200 of them', '300 of em', '40 of the vertical ones' ('\x00': an item referred to, read already)."""
        self.to_start = re.compile(rf"(?<![\w.€$£¥₹]){num}\s+(?:to start(?: (?:with|off))?|to begin with|for starters|to try|"
                                   rf"as a trial|for a trial|initially)\b", re.IGNORECASE)
        """'maybe 1000 to start', '500 to begin with': a first order of the product named before."""
        self.order_max = re.compile(rf"\border\b[^.!?]{{0,30}}?(?<![\w.]){num}\s*(?:max|maximum|tops|at most|or so)\b",
                                    re.IGNORECASE)
        self.noun_max = re.compile(rf"(?P<p>{noun_alt})\s*,?\s*{num}\s*(?:max|maximum|tops|or so|ish|at most)\b(?!\s*(?:a|per|each)\b)",
                                   re.IGNORECASE)
        self.of_plural = re.compile(rf"(?<![\w.€$£¥₹]){num}\s+of\s+(?:(?!(?:{stop})\b)[a-z][a-z-]*\s+){{0,2}}(?P<w>(?!(?:them|these|those|"
                                    rf"{not_counted_things})\b)[a-z][a-z-]{{2,}}s)\b", re.IGNORECASE)
        """'a gross of gauntlets' (144 of gauntlets), '200 of the boxes'."""
        # 'vests x 300', 'hi vis vests class 2 x 300', 'lab coats all cotton x50': the product, a few words
        # about it, then the count; '50off face shields' (trade shorthand: fifty of them)
        self.times = re.compile(rf"(?P<p>{noun_alt}|{unit_alt})(?:[\s,]+(?!x\b)[a-z0-9-]+){{0,5}}?[\s,]*(?<![a-z0-9-])(?:x|×)\s*{num}(?P<pr>\s?(?:prs?|pairs?))?\b", re.IGNORECASE)
        self.off = re.compile(rf"(?<![\w.]){num}\s?off\s+(?:{filler})(?P<p>{noun_alt}|{unit_alt})\b", re.IGNORECASE)
        # 'hi vis parkas, class 3, 30 off': the count after the product
        self.off_after = re.compile(rf"(?P<p>{noun_alt}|{unit_alt}|(?<![\w-])[a-z][a-z-]{{2,}}(?<!s)s)(?:[\s,\x00]+(?!off\b)[a-z0-9\x00-]+){{0,3}}?[\s,\x00]+{num}\s?off\b(?!\s+[a-z])",
                                    re.IGNORECASE)
        self.plural_noun = re.compile(rf"(?<![\w.€$£¥₹])(?<!size ){num}(?!\s?(?:{money_alt}|{measure})(?![a-z]))\s+"
                                      rf"(?:(?!(?:{stop})\b)[a-z][a-z0-9-]*\s+)?(?P<w>(?!(?:{not_counted})\b)[a-z][a-z-]{{2,}}s)\b",
                                      re.IGNORECASE)
        self.for_people = re.compile(rf"\bfor\s+(?:about\s+|around\s+)?{num}\s+(?:people|persons|staff|employees|workers|"
                                     rf"guests|users|heads|covers|members|team members)\b", re.IGNORECASE)
        self.pack_contents = re.compile(rf"\b(?:{unit_alt}|packs?|boxes|box|cases?|cartons?|rolls?|bags?)\s+of\s+$", re.IGNORECASE)
        moq_limit = rf"\s*(?:of|is|:|=|must be|should be|needs to be|has to be|to be|would be|at)?\s*"
        self.moq = [
            re.compile(rf"\b{_MOQ_NOUN}{moq_limit}(?P<w>{_UP_TO})\s*{num}", re.IGNORECASE),
            # 'Our MOQ ceiling is 250 units', 'MOQ tolerance 24 max': the most the buyer can meet
            re.compile(rf"\b{_MOQ_NOUN}\s+(?:ceiling|limit|cap|tolerance|threshold)\s*(?:of|is|:|=|at|would be)?\s*(?:{_UP_TO}\s*)?{num}",
                       re.IGNORECASE),
            re.compile(rf"\b{_MOQ_NOUN}\s*(?:of|is|:|=)?\s*{num}\s*(?:[a-z]+\s+)?(?:or (?:less|lower|under|fewer|below)|max(?:imum)?|"
                       rf"tops|at most)\b", re.IGNORECASE),
            re.compile(rf"\b{_NEGATED}\b[^.!?,]{{0,40}}?{_MOQ_NOUN}\s*(?:of\s+|is\s+|to be\s+|that\s+(?:is|are)\s+)?"
                       rf"(?:(?:set\s+)?(?:at\s+)?{_OVER}|(?:of\s+)?more than)\s*{num}", re.IGNORECASE),
            re.compile(rf"\b{_MOQ_NOUN}\s*(?:of\s+|is\s+)?(?:{_NEGATED}|can'?t|must not|mustn'?t|cannot)\s+(?:be\s+)?"
                       rf"(?:go\s+)?{_OVER}\s*{num}", re.IGNORECASE),
            re.compile(rf"\b{_MOQ_NOUN}\s+(?:(?:has|have|needs?)\s+to\s+be|must\s+be|should\s+be|can\s+be)\s+{num}\s*(?:or (?:lower|less|under|fewer|below))",
                       re.IGNORECASE),
            re.compile(rf"\b(?:can'?t|cannot|won'?t|unable to)\s+(?:commit to|do|go|accept|take|order)\s+(?:more than|over|above|beyond)\s+"
                       rf"{num}\s*(?:[a-z]+\s+)?(?:minimum|moq|min|as a minimum)\b", re.IGNORECASE),
        ]

        caps = lang.units.order_caps
        per_order = alternation(caps.per_order)
        take = alternation(caps.take_verbs)
        unit_opt = rf"(?:\s*(?:{unit_alt}|{noun_alt})\b)?(?:\s+of\s+(?:them|those|these|it))?"
        we = r"(?:we|i|they|he|she|the site|the client)(?:'?d|'?ll| would| will| can| could)?"
        self.order_caps = [
            # 'we only take 20 at a time', 'it's 10 pairs an order, no more', '120 rolls max per drop'
            re.compile(rf"(?<![\w.]){num}{unit_opt}\s*(?:max(?:imum)?\s+|tops\s+|at most\s+)?(?:{per_order})\b",
                       re.IGNORECASE),
            # 'can't take more than 2 units (in one go)', 'we won't order over 50'
            re.compile(rf"\b(?:can'?t|cannot|can not|won'?t|couldn'?t|never|don'?t|do not|unable to)\s+(?:ever\s+)?"
                       rf"(?:{take})\s+(?:more than|over|above|beyond|upwards of)\s+{num}{unit_opt}", re.IGNORECASE),
            # '2 cans is the most we'd take', 'the most we'd order is 40'
            re.compile(rf"(?<![\w.]){num}{unit_opt}\s+(?:is|are|would be)\s+(?:the most|our max(?:imum)?|the max(?:imum)?)\s+"
                       rf"(?:{we}\s+)?(?:ever\s+)?(?:{take})?\b", re.IGNORECASE),
            re.compile(rf"\b(?:the most|the max(?:imum)?)\s+{we}\s+(?:ever\s+)?(?:{take})\s+(?:\w+\s+)?(?:is|would be|'s)\s+"
                       rf"{num}{unit_opt}", re.IGNORECASE),
        ]
        # 'we only order one of them at a time': one ('one' alone is a pronoun as often as a number)
        self.one_at_a_time = re.compile(rf"\b(?:only|just)\s+(?:ever\s+)?(?:{take})\s+(?:one|a single)(?:\s+[a-z]+)?"
                                        rf"(?:\s+of\s+(?:them|those|these))?\s+(?:{per_order})\b", re.IGNORECASE)
        # 'min order 12 on option 3 is too much', 'the minimums are too high', 'can't do those MOQs': the
        # minimum shown is more than the buyer takes, so the count said next ('we need 10 cases max')
        # is the most it orders. The minimum quoted from the card is no quantity.
        too_much = alternation(caps.too_much)
        self.moq_complaint = [
            re.compile(rf"\b{_MOQ_NOUN}\s*(?:of\s+)?(?:{num}\s*(?:[a-z]+\s+)?)?(?:(?:on|for|of)\s+[^,.;!?]{{0,30}}?)?"
                       rf"\s*(?:is|are|'s|'re|seems?|looks?)?\s*(?:just\s+|far\s+|much\s+)?(?:{too_much})\b", re.IGNORECASE),
            re.compile(rf"\b(?:can'?t|cannot|can not|won'?t|couldn'?t)\s+(?:do|meet|manage|hit|reach|handle|take)\s+"
                       rf"(?:those|these|the|that|your|them|such|their)\s+{_MOQ_NOUN}", re.IGNORECASE),
        ]
        self.cap_after_complaint = [re.compile(p, re.IGNORECASE) for p in (
            rf"\b(?:only|just|no more than|not more than|at most|up to|max(?:imum)?(?: of)?|"
            rf"(?:can'?t|cannot|can not|couldn'?t)\s+(?:go|do|take|order)\s+(?:over|above|beyond|more than))\s+(?:{take}\s+)?{num}{unit_opt}",
            rf"(?<![\w.]){num}{unit_opt}\s*(?:max(?:imum)?|tops|at most|or less|or fewer|,? no more)\b",
            rf"\b(?:need|take|order|want|buy)\s+(?:about\s+|around\s+)?{num}{unit_opt}")]

    @staticmethod
    def value(m: re.Match[str]) -> float:
        high = m.group("n2") if "n2" in m.groupdict() else None
        return float(high or m.group("n"))


_SIZE_BEFORE = re.compile(r"\b(?:waist|size|sz|collar|chest|inseam|leg|neck|ring size|shoe size|uk|eu|us)\s*:?\s*$|"
                          r"\b(?:he|she|i|hes|shes|im|i'm|he's|she's|they're|theyre)(?:\s+is|\s+am|\s+are)?\s+(?:a|an)\s+$", re.IGNORECASE)
"""Words before a number that make it a size ('he's a 48 jacket')."""
_HELD = re.compile(r"\b(?:i|he|she|we|they|hes|shes|i'?ve|he'?s|she'?s|we'?ve|they'?ve)\s+(?:already\s+)?(?:has|have|got|owns?)"
                   r"\s+(?:got\s+)?(?:about|around|like|maybe|roughly|already|at least)?\s*$", re.IGNORECASE)
"""Words before a number that count what the person already has ('he's got about 5 grey ones')."""
_STYLE_PIECE = re.compile(r"(?:one|two|three|1|2|3)[\s-]piece(?!s)\b", re.IGNORECASE)
"""'one piece', 'three-piece': a style of swimsuit or suit, not a count of pieces."""


def read_quantities(text: Text, grammar: QuantityGrammar, question_fields: set[str]) -> QuantityReading:
    """The order quantity and MOQ limit ``text`` states, consuming their words. A question about the
    MOQ ("is the minimum 100?") states no limit."""
    out = QuantityReading()
    if "moq" not in question_fields:
        for pattern in grammar.moq:
            for m in text.find(pattern):
                value = grammar.value(m)
                out.max_moq = value if out.max_moq is None else min(out.max_moq, value)
                out.moq_quote = out.moq_quote or text.quote(m.start(), m.end())
                text.consume(m.start(), m.end())
    if "moq" not in question_fields:
        _read_order_caps(text, grammar, out)
    s = text.s
    found: list[tuple[float, str, int, int]] = []
    for m in grammar.counted.finditer(s):
        if grammar.pack_contents.search(s[max(0, m.start() - 20):m.start()]):
            continue  # 'packs of 12': what a pack holds, not what is ordered
        if m.group("n2") and float(m.group("n2")) < float(m.group("n")):
            # 'EN 511 - 24 pairs': no range (it would run down); the second number is the count
            unit = grammar.units.get(m.group("u").lower()) if m.group("u") else grammar.nouns.get(m.group("p").lower())
            found.append((float(m.group("n2")), unit or "unit", m.start("n2"), m.end()))
            continue
        unit = grammar.units.get(m.group("u").lower()) if m.group("u") else grammar.nouns.get(m.group("p").lower())
        if m.group("u"):
            phrase = re.sub(r"\s+", " ", s[m.end("n"):m.end("u")].strip(" x×")).lower()
            if phrase in grammar.nouns and phrase != m.group("u").lower():
                unit = grammar.nouns[phrase]  # '400 mop heads': a product named with a unit's word, not people
        if m.group("p"):
            nxt = re.match(r"\s+(?P<w>[a-z][a-z-]{2,}s)\b(?<!ss)(?<!us)(?<!is)", s[m.end():])
            if nxt and nxt.group("w") not in grammar.units:
                unit = singular(nxt.group("w"))  # '15 first aid kits': the last noun is what is counted
        start = m.start()
        end = m.end("n2") if m.group("n2") else m.end("n")
        found.append((grammar.value(m), unit or "unit", start, end))
        if m.group("u") and m.start("u") == m.end("n") + len(s[m.end("n"):m.start("u")]) and \
                not s[m.end("n"):m.start("u")].strip(" x×ish"):
            found[-1] = (found[-1][0], found[-1][1], start, m.end("u"))  # '2000 pairs': the unit is read too
    for m in grammar.noun_max.finditer(s):
        if re.search(r"\b(?:a|an|one|pair of)\s+(?:[a-z-]+\s+){0,2}$", s[max(0, m.start() - 30):m.start()]):
            continue  # 'a pair of boots, 120 max': one thing to wear, and the number is its price
        if not grammar.sold_by_count and grammar.plausible_price(grammar.value(m)):
            continue  # 'maternity jeans, 40ish', 'a linen shirt, 300 tops' of a shop: the price
        found.append((grammar.value(m), grammar.nouns.get(m.group("p").lower(), "unit"), m.start("n"), m.end()))
    for m in grammar.off.finditer(s):
        word = m.group("p").lower()
        found.append((grammar.value(m), grammar.units.get(word) or grammar.nouns.get(word, "unit"), m.start(), m.end()))
    for m in grammar.off_after.finditer(s):
        # (the words as said: '20L drums, 6 off' counts drums, whose volume was read already)
        words = [m.group("p").lower(), *re.findall(r"[a-z][a-z-]+", text.clean[m.end("p"):m.start("n")].lower())]
        found.append((grammar.value(m), _counted_noun(words, grammar), m.start("n"), m.end()))
    for m in grammar.times.finditer(s):
        if any(f[2] <= m.start("n") < f[3] for f in found):
            continue  # 'masks x 25 boxes': the boxes are what is counted
        words = [m.group("p").lower(), *re.findall(r"[a-z][a-z-]+", s[m.end("p"):m.start("n")].lower())]
        # ('heat resistant gloves 250C x 36pr': 36 pairs)
        found.append((float(m.group("n")), "pair" if m.group("pr") else _counted_noun(words, grammar), m.start("n") - 1, m.end()))
    for m in grammar.of_plural.finditer(s):
        if not any(f[2] <= m.start() < f[3] for f in found):
            found.append((grammar.value(m), grammar.units.get(m.group("w").lower()) or singular(m.group("w").lower()),
                          m.start(), m.start() + len(re.match(r"\S+\s+of\s+", m.group(0)).group(0))))
            # (only 'a gross of': 'hand gel bottles' stay for the kind of item)
    for m in grammar.plural_noun.finditer(s):
        if not any(f[2] <= m.start() < f[3] for f in found):
            found.append((grammar.value(m), singular(m.group("w").lower()), m.start(), m.end("n")))
    for pattern in (grammar.qty_word, grammar.want, grammar.of_them, grammar.order_max, grammar.for_people, grammar.to_start):
        for m in pattern.finditer(s):
            unit = "unit"
            if "u" in m.groupdict() and m.group("u"):
                unit = grammar.units.get(m.group("u").lower(), "unit")
            elif pattern is grammar.of_them:
                # '20L drums, 8 of them': what is counted is the unit named last before
                named = [w.group(1) for w in re.finditer(r"(?<![\d.,]\s)(?<![\d.,])\b([a-z]+)", s[:m.start()].lower())
                         if w.group(1) in grammar.units and w.group(1).endswith("s")]
                if named:  # (not 'iPhone 15 cases, 200 of them': cases after a bare number are what is sold)
                    unit = grammar.units[named[-1]]
            elif pattern is grammar.want or pattern is grammar.to_start:
                # 'pizza boxes, if we take 4000': the product named before in the plural is what is
                # counted ('the Clearwell degreaser, we need 40' counts units)
                before = re.findall(r"[a-z][a-z-]+", s[max(0, m.start() - 60):m.start()].lower())
                plural = [w for w in before if (w in grammar.nouns or w in grammar.units) and w.endswith("s")
                          and not w.endswith("ss")]
                if plural:
                    unit = grammar.units.get(plural[-1]) or grammar.nouns[plural[-1]]
            found.append((grammar.value(m), unit, m.start("n"), m.end()))
    def dozens(m: re.Match) -> bool:  # '750ml trigger bottles, 4 dozen': said in dozens, a count
        return bool(re.search(r"\b(?:dozens?|gross|score)\b", text.quote(m.start("n"), m.end("n")), re.IGNORECASE))

    for m in re.finditer(r"(?P<p>[a-z][a-z-]+s)\s*[,;:]\s*(?P<a>approx|approximately|about|around|roughly|circa|~)?\s*"
                         r"(?P<n>\d+(?:\.\d+)?)\s*(?:please|pls|thanks|ta)?\s*(?=[,.;!]|$)", text.clean):
        # (the words as said: '750ml trigger bottles, 4 dozen' counts the bottles whose size was read)
        # 'compostable cold cups, approx. 5,000,': a count in a fragment of its own after the product
        # named in the plural (no currency: 'hand towels, 30' is a price when money is talked of)
        word = m.group("p").lower()
        if (word in grammar.nouns or word in grammar.units) and not re.search(
                r"[€$£]|\b(?:eur|euros?|usd|gbp|pounds?|dollars?|quid|budget|price|cost)\b", s, re.IGNORECASE) \
                and (not grammar.plausible_price(float(m.group("n"))) or (m.group("a") and word in grammar.units)
                     or dozens(m)) \
                and (float(m.group("n")) >= 100 or m.group("a") or dozens(m)):
            # ('hand towels, 30', 'blazers, around 1200' are prices the catalog's items have; '10L
            # boxes, roughly 15' counts what it comes in)
            unit = grammar.units.get(word) or grammar.nouns[word]
            found.append((float(m.group("n")), unit, m.start("n"), m.end("n")))
    money_here = bool(re.search(r"\b(?:budget|spend|price|afford|pricey|expensive|cost|euros?|dollars?|quid|pounds?|bucks|"
                                  r"cents?|pence|eur|usd|gbp|chf)\b|[€$£]", text.clean, re.IGNORECASE))
    # '73 tops' after 'over budget', or ', 6k tops' on its own: a price ceiling (at most 73, 6000), which
    # no reading of the same number as a count may take.
    ceilings: list[tuple[int, int]] = []
    for m in re.finditer(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*tops\b", s):
        piece = max(s.rfind(c, 0, m.start()) for c in ",;:.!?(-") + 1  # the comma-separated piece it starts
        ends = re.match(r"\s*(?:[,.;!?)]|$|(?:and|but|each|per|a piece)\b)", s[m.end():]) is not None
        alone = not s[piece:m.start()].strip() and float(m.group("n")) >= 10 and ends
        # 'we need 40 tops for the staff': tops the garment, counted, even when money is talked of.
        # 'Reckon 300 tops.' of a shop's linen shirt: a ceiling too ('we need 40 tops' still counts)
        shop = not grammar.sold_by_count and ends and float(m.group("n")) >= 10 and grammar.plausible_price(float(m.group("n"))) \
            and not re.search(r"\b(?:need|needs|want|wants|order|ordering|buy|buying|get|getting|like|of)\s+(?:about\s+|around\s+)?$",
                              s[max(0, m.start() - 20):m.start()])
        if (money_here and ends) or alone or shop:
            ceilings.append((m.start(), m.end()))
    dimensions = [(m.start(), m.end()) for m in _DIMENSIONS.finditer(s)]
    for value, unit, start, end in sorted(found, key=lambda f: f[2]):
        if text.consumed(start, end) or value <= 0 or (grammar.identifier.search(s[max(0, start - 25):start])
                                                       and s[start:start + 1] not in ("x", "×")):
            continue  # ('for the art department x12': the count's sign, not the department's number)
        if any(a <= start < b for a, b in dimensions):
            continue  # 'boxes, roughly 300 x 230 x 150mm': a box's size, not how many
        if any(a <= start < b for a, b in ceilings):
            continue
        if _SIZE_BEFORE.search(s[max(0, start - 16):start]):
            continue  # 'waist 32 trousers', 'size 10 shoes': a size, not how many
        if unit in grammar.events:
            continue  # 'we've merged the two orders': counted, but not what is ordered
        if unit in grammar.places and (re.search(r"\b(?:for|across|in|at|over|between|to)\s+(?:our\s+|the\s+|all\s+|each of our\s+)?$",
                                                 s[max(0, start - 20):start])
                                       or (unit not in grammar.units.values() and unit not in grammar.nouns.values())):
            continue  # 'hand towels for 3 offices': where the order goes, not how many
        if re.search(r"\b(?:of|all|both of)\s+(?:the|these|those)\s+$", s[max(0, start - 20):start]):
            continue  # 'which of the three arrives soonest?': the items shown, not an order
        after = re.match(r"[\d.,\s]*(?:new\s+|more\s+|extra\s+)?([a-z][a-z-]+)", s[start:end + 24])
        heads = unit in grammar.people or bool(re.search(
            r"\b(?:people|persons|staff|employees|workers|guests|users|heads|members|team members)\b", s[start:end + 20])) \
            or bool(after and singular(after.group(1)) in grammar.people)  # 'about 40 covers', 'our nine directors'
        if not heads and unit not in grammar.units.values() and unit not in grammar.nouns.values():
            # 'kitting out eighty housekeepers', 'for 12 new starters': a count of what no catalog sells
            # or counts in, said of whom the order is for, is a head count
            heads = bool(grammar.for_whom.search(s[max(0, start - 24):start]))
        if (not heads and _HELD.search(s[max(0, start - 30):start])) or (
                unit == "piece" and value <= 3 and _STYLE_PIECE.match(text.quote(start, end + 7).strip())):
            # 'NOT grey, he's got about 5 grey ones': what he has, not what is ordered (nor a price);
            # 'swimsuit, one piece, no bikinis': a style
            text.consume(start, end)
            continue
        corrected = out.quantity is not None and not heads and grammar.correction.search(s[max(0, start - 25):start])
        sold = unit in grammar.units.values() or unit in grammar.nouns.values()
        if out.quantity is None or corrected or (out.headcount and not heads) or (
                out.unit in _VOLUMES and unit not in _VOLUMES and not heads) or (
                sold and not heads and not out.headcount and out.unit != "unit"
                and out.unit not in grammar.units.values() and out.unit not in grammar.nouns.values()):
            # the first count said, unless it counts people, or a volume ('200 L of floor cleaner (40 x
            # 5L cans)'), or what nothing is sold in ('two norovirus outbreaks ... 5L cans, ten of
            # them'), and a later one counts what is ordered
            out.quantity, out.unit, out.quantity_quote = value, unit, text.quote(start, end)
            out.headcount = heads
        text.consume(start, end)
    if out.quantity is not None and not out.headcount:
        # 'maybe 20 boxes, could be 30 - let's say 25': a bare number after a word of correcting is the
        # count said again, in the same unit; the last one stands
        for m in grammar.correction_bare.finditer(text.s):
            out.quantity, out.quantity_quote = float(m.group("n")), text.quote(m.start("n"), m.end("n"))
            text.consume(m.start("n"), m.end("n"))
    if out.quantity is None:
        m = _RESTATED.search(text.s)
        if m and (m.group("was") or float(m.group("n")) >= 60):
            # 'actually make it 500 not 300': the count of an order said before, said again
            out.quantity, out.unit, out.quantity_quote = float(m.group("n")), "unit", text.quote(m.start("n"), m.end("n"))
            text.consume(m.start("n"), m.end())
    return out


_RESTATED = re.compile(r"(?:^|[.!?,;]\s*|\b(?:actually|ok|okay|sorry|oh|no|wait|so)\s+)(?:can (?:we|you)\s+)?"
                       r"(?:make (?:it|that|the order)|change (?:it|that|the order) to|up (?:it|that) to|bump (?:it|that) (?:up )?to)\s+"
                       r"(?P<n>\d+(?:\.\d+)?)(?![\d.])(?!\s*(?:[%€$£]|[.,]\d|(?!not\b|instead\b|rather\b|please\b|pls\b)[a-z]))(?:\s+(?:not|instead of|rather than)\s+(?P<was>\d+(?:\.\d+)?))?",
                       re.IGNORECASE)
"""'make it 500 not 300', 'can we change that to 80': a count said again with nothing else counted."""




_VOLUMES = frozenset({"litre", "millilitre", "gallon"})
"""Units of volume: a total said in them gives way to a count of the containers it comes in."""


_DIMENSIONS = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*[x×*]\s*\d+(?:\.\d+)?\s*[x×*]\s*\d+(?:\.\d+)?\s*(?:mm|cm|m|in|inch|inches)?(?![\w])|"
                         r"(?<![\w.])\d+(?:\.\d+)?\s*(?:mm|cm)?\s*[x×*]\s*\d+(?:\.\d+)?\s*(?:mm|cm|in|inch|inches)(?![\w])|"
                         r"(?<![\w.])\d+[x×]\d+(?![\w.])", re.IGNORECASE)
"""Sizes written as dimensions ('300 x 230 x 150mm', '40x40', '30 x 40 cm'): never a count."""


def _counted_noun(words: list[str], grammar: QuantityGrammar) -> str:
    """What a count after the product counts: the last product noun of the words before it ('hi vis
    vests, class 2, x200': vests), else their last plural ('hi vis parkas, class 3, 30 off')."""
    if "for" in words[1:]:
        # 'webcams for the meeting rooms x 8': the product before 'for', not where it goes
        words = words[:words.index("for", 1)]
    for w in reversed(words):
        if w in grammar.nouns:
            return grammar.nouns[w]
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            return singular(w)
    return "unit"


def _read_order_caps(text: Text, grammar: QuantityGrammar, out: QuantityReading) -> None:
    """The most the buyer orders at once, said as such ('we only take 20 at a time', '2 cans is the
    most we'd take'), or said after the minimum shown was called too much ('min order 12 on option 3
    is too much, we need 10 cases max'): a limit on the supplier's minimum order, not a quantity."""
    def limit(m: re.Match[str]) -> None:
        value = grammar.value(m)
        out.max_moq = value if out.max_moq is None else min(out.max_moq, value)
        out.moq_quote = out.moq_quote or text.quote(m.start(), m.end())
        text.consume(m.start(), m.end())

    for pattern in grammar.order_caps:
        for m in text.find(pattern):
            limit(m)
    for m in text.find(grammar.one_at_a_time):
        out.max_moq = 1.0
        out.moq_quote = out.moq_quote or text.quote(m.start(), m.end())
        text.consume(m.start(), m.end())
    complained = False
    for pattern in grammar.moq_complaint:
        for m in text.find(pattern):
            complained = True
            text.consume(m.start(), m.end())
    if complained and out.max_moq is None:
        for m in sorted((m for p in grammar.cap_after_complaint for m in text.find(p)), key=lambda m: m.start())[:1]:
            limit(m)





class PackGrammar:
    """How an item is packed, as people say it: 'boxes of 100', '200 to a tub', '5 litre cans'
    (``[packs]`` in ``lang/<code>/units.toml``)."""

    def __init__(self, lang: Language):
        packs = lang.units.packs
        units = alternation(packs.units)
        volumes = alternation([f for forms in packs.volumes.values() for f in forms])
        self.count = re.compile(rf"\b(?P<u>(?:{units}))(?:e?s)?\s+of\s+(?P<n>\d[\d,]*)(?!\d|[.,]\d)"
                                rf"|\b(?P<n2>\d[\d,]*)\s+(?:to|per|in)\s+(?:a|an|each|the|one)\s+(?P<u2>(?:{units}))\b",
                                re.IGNORECASE)
        self.volume = re.compile(rf"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s?(?P<v>{volumes})\s+(?P<mid>[a-z][a-z-]+\s+)?"
                                 rf"(?P<c>(?:{units}))(?:e?s)?\b", re.IGNORECASE)
        self.comes_as = re.compile(rf"\b(?:{alternation(packs.comes_as)})\s+(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)

    @staticmethod
    def counted_here(s: str, m: re.Match[str]) -> bool:
        """Whether the packs ``m`` names are what is counted: a number right before them ('20 packs of
        1000', '6 x 20L drums') or a count right after ('5L cans x 24', '20L drums, 8 of them')."""
        return bool(re.search(r"(?<![\w.])\d+(?:\.\d+)?\s*(?:x|×)?\s*$", s[max(0, m.start() - 10):m.start()])
                    or re.match(r"\s*(?:x|×)\s*\d|\s*,?\s*\d+\s+of\s+(?:them|those|these)\b", s[m.end():]))

