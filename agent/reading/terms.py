"""Terms: what an item must be, should be, or must not be, and the brands ruled in or out.

Negation reaches across a list until a clause break ("no wool, silk or cashmere"; "not interested in
anything from Velluto or Orvane"), so every member is ruled out, brands included. "X-free", "free of
X" and "free from X" are a requirement ``x-free`` (the item must say so, and nothing it contains may
contradict it). A firm "must be / has to have / needs / only / a must" makes a requirement; a
colour, material, pattern, standard or specification that modifies the item asked for ("a cashmere
jumper", "a red dress", "S3 boots", "EN 388 gloves") does too. "ideally / preferably / if possible /
would be nice / she loves" makes a preference, which ranks but does not filter.

What counts as a term comes from the domain files (``domains/*.toml``) and from the catalog (its
colours, materials, certifications, attribute values): a word neither knows is left to the motives.
A requirement the catalog has no word for is not sure (it would only empty the results): it ranks
instead.
"""

from __future__ import annotations

import re
from functools import cached_property
from dataclasses import dataclass, field

from agent.models import claims_absence
from agent.reading.lexicon import CatalogLexicon, Language, language, singular
from agent.reading.models import Brand, Critique, Term
from agent.reading.text import Text, alternation

_FREE_STOP = frozenset("""hassle worry stress care tax duty risk interest hands trouble fuss toll rent fee cost
charge shipping delivery return returns post postage cruelty gluten sugar carefree""".split()) - {"cruelty", "gluten", "sugar"}
_MUST = (r"(?:must(?:\s+be|\s+have)?|has\s+to\s+(?:be|have)|have\s+to\s+(?:be|have)|needs?\s+to\s+(?:be|have)|"
         r"need\s+it\s+to\s+be|need\s+them\s+to\s+be|should\s+(?:be|have)|it\s+should\s+definitely\s+be|"
         r"required|requires?|essential|mandatory|must-have|non-negotiable|has\s+got\s+to\s+be|got\s+to\s+be|gotta\s+be|"
         r"only(?!\s+(?:worried|concerned|bothered|fussed|anxious|nervous|cared|minded|objected))|100%|pure|genuine|strictly|exclusively|insist on|has\s+to\s+come\s+with|must\s+come\s+with|"
         r"(?:has|have|needs?)\s+to\s+(?:carry|meet|comply\s+with|pass|be\s+certified\s+to)|must\s+(?:carry|meet|comply\s+with))")
_MUST_AFTER = (r"\s+(?:is|are|'s|would be|will be)\s+(?:a\s+)?(?:must|must-have|essential|required|mandatory|non-negotiable|"
               r"key|vital|critical|important|a requirement)")
_PREFER = (r"(?:ideally|preferably|preferrably|if possible|if you have|if you can|would be nice|would be great|"
           r"would be lovely|would be good|would be a bonus|bonus if|bonus points for|nice to have|i'?d prefer|i prefer|"
           r"prefer(?:ably|s)?|i'?d love|i'?d like it|would love|maybe(?:\s+in)?|perhaps(?:\s+in)?|possibly|i tend to like|"
           r"(?:i|she|he|they|we) tends? to (?:like|love|go for|wear|prefer|pick|choose)|i tend to go for|tend to wear|i like|i love|she likes|she loves|he likes|he loves|they like|they love|"
           r"she tends to|loves|likes|partial to|fond of|leaning towards|leaning toward|favou?rs?|rather|not essential|"
           r"doesn'?t have to be|does not have to be|don'?t need it to be|if it'?s|ideally in|keen on|a fan of|"
           r"would be nice if it had|would be nice if it has|nice if it has|nice if it had|bonus if it has|"
           r"bonus if it had|would be great if it had|ideally with|preferably with|ideally it would have)")


_POST_NEGATION = (r"(?:(?:'s|\s+is|\s+are)?\s*(?:n'?t|\s+not)\s+(?:really\s+)?(?:me|her|him)\s+at\s+all\b|"
                  r"(?:'s|\s+is|\s+are)?\s*(?:n'?t|\s+not)\s+(?:for me|for us|for her|for him|for them|for my client|my style|"
                  r"my thing|their thing|their style|her style|his style|an option|our thing|what (?:i|we|she|he|they) want)|\s+(?:is|are|'s)\s+out\b|\s+(?:is|are)\s+(?:off|a no)\b|"
                  r"(?:'s|\s+is|\s+are)\s+(?:off|not on|no longer on|removed from)\s+(?:our|the|my)\s+(?:approved\s+|preferred\s+|supplier\s+|vendor\s+)*list|"
                  r"\s*[-,:]\s*not (?:that|this) (?:brand|one|supplier|make)|(?:'s|\s+is|\s+are)\s+(?:banned|blacklisted|not approved))")
"""After a brand or term: 'calder & lune isn't for me', 'polyester is out'."""
_MAKES_REACT = (r"\s+(?:always\s+|just\s+|really\s+)?(?:makes?|made|gives?|brings?)\s+(?:me|her|him|them|us|my skin|her skin|his skin)\s+"
                r"(?:sweat|itch|itchy|break out|come out in|react|red|sneeze)|\s+(?:irritates|scratches|itches)\b|"
                # 'FFP2 won't cut it': not enough, so not it
                r"\s+(?:won'?t|will not|doesn'?t|does not|isn'?t going to)\s+cut\s+it\b|\s+(?:is|are|'s)\s*n(?:o|'?)t\s+(?:good\s+)?enough\b")
"""After a term: 'satin makes me sweat like mad', 'wool makes her itch', 'FFP2 won't cut it': ruled out."""
_NOT_THEM = re.compile(r"\b(?:so\s+)?(?:not them|avoid them|none of theirs|nothing of theirs|not from them|"
                       r"nothing from them|nothing by them|nothing of them|anything but them|steer clear of them|"
                       r"keep away from them|no more from them|not that lot|skip them|"
                       # 'we've used Clearwell for years but want to try someone else': the brand used until now
                       r"(?:want|wanting|would like|'d like|looking|need|keen|time)\s+to\s+(?:try|switch to|move to|find|go with)\s+"
                       r"(?:someone|somebody|a new supplier|another supplier|another brand|a different (?:brand|supplier)|an alternative)(?:\s+else)?|"
                       r"(?:looking for|need|want|after)\s+an alternative(?:\s+to\s+them)?(?=\s*(?:[,.;!?]|$|that\b|which\b)))", re.IGNORECASE)


@dataclass
class TermReading:
    exclude: list[Term] = field(default_factory=list)
    require: list[Term] = field(default_factory=list)
    prefer: list[Term] = field(default_factory=list)
    brands_in: list[Brand] = field(default_factory=list)
    brands_out: list[Brand] = field(default_factory=list)
    less: list[Critique] = field(default_factory=list)
    excluded_categories: list[str] = field(default_factory=list)
    excluded_kinds: list[tuple[Term, list[str]]] = field(default_factory=list)
    """Each kind ruled out by name ('no bikinis') as a term, with the categories it names."""


_EN388_CODE = r"[0-4x][0-5x][0-4x][0-4x][a-fx]?p?"
"""An EN 388 performance code: abrasion, cut (coup test), tear, puncture, then the ISO cut level."""
_EN388_CODE_IN = rf"(?<![\w])(?=[0-4x]*\d)(?:{_EN388_CODE})(?![\w])"


class TermGrammar:
    # The patterns built from the catalog's whole term and brand lists are compiled once per
    # grammar: compiled per message, they outgrew re's cache and were compiled again every time
    # (a third of the reader's time).

    @cached_property
    def brand_negated(self) -> re.Pattern[str]:
        brand = self.lexicon.brand_pattern()
        inner = brand.pattern[len(r"(?<![\w-])("):-len(r")(?![\w-])")] if brand is not None else r"(?!x)x"
        return re.compile(r"(?<![\w-])(?P<b>" + inner + r")" + _POST_NEGATION, re.IGNORECASE)

    @cached_property
    def term_negated(self) -> re.Pattern[str]:
        return re.compile(r"(?P<t>" + self.lexicon.term_pattern().pattern + r")\s*(?:\?\s*no\b|\s+(?:is|are)\s+a\s+"
                          r"(?:no|no-go|hard no)\b|\s*[-:]\s*no\b|" + _POST_NEGATION + "|" + _MAKES_REACT + r")", re.IGNORECASE)

    @cached_property
    def term_only(self) -> re.Pattern[str]:
        return re.compile(r"(?P<t>" + self.lexicon.term_pattern().pattern + r")(?:\s+only|\s*,?\s*(?:and\s+)?"
                          r"(?:nothing else|no other|exclusively|or nothing|and that's it))\b", re.IGNORECASE)

    def __init__(self, lang: Language, lexicon: CatalogLexicon, style: frozenset[str]):
        n = lang.negation
        self.lexicon = lexicon
        self.style = style
        occasions = lang.delivery.occasion_words
        self.occasion = re.compile(rf"(?:(?:a|an|the|some|his|her|my|our|their)\s+)?(?:[a-z-]+\s+)?(?:{alternation(occasions)})(?=\s*(?:[,.;!?)]|$)|\s+(?:but|and|so|or|though)\b)",
                                   re.IGNORECASE) if occasions else None
        self.negator = re.compile(rf"(?<![\w-])(?:{alternation(n.negators)})(?![\w-])", re.IGNORECASE)
        fillers = alternation([*n.fillers, 'from', 'by', 'made by', 'anything from', 'stuff from', 'things from'])
        self.fillers = re.compile(rf"^(?:(?:{fillers})\s+)+", re.IGNORECASE)
        self.first_fillers = re.compile(rf"^(?:{alternation(n.first_fillers)})\s+(?:(?:{fillers})\s+)*", re.IGNORECASE) \
            if n.first_fillers else self.fillers
        self.breaks = re.compile(rf"(?<![\w-])(?:{alternation(n.scope_breaks)})(?![\w-])|[;:!?()]|\.(?![a-z0-9])|\s-\s", re.IGNORECASE)
        self.joins = re.compile(rf"\s*(?:{alternation([*n.list_joins, 'not', 'or even', 'and also', 'and no', 'or no'])})\s*",
                                re.IGNORECASE)
        self.not_things = frozenset(n.not_things)
        self.activity_negators = frozenset(w.lower() for w in n.activity_negators)
        self.stopwords = lang.stopwords.words  # ('anything' after 'hates' is no doing)
        self.opposites = frozenset(lang.critiques.opposites)
        self.person_subject = re.compile(rf"(?<![\w'-])(?:{alternation(n.person_subjects)})\s*$", re.IGNORECASE) \
            if n.person_subjects else None
        self.person_noun = re.compile(rf"\s+(?:a|an)\s+(?:very\s+|really\s+|particularly\s+|big\s+)?(?P<w>[a-z][a-z-]*)\s+"
                                      rf"(?:{alternation(n.person_nouns)})(?![\w-])", re.IGNORECASE) if n.person_nouns else None
        self.free_after = re.compile(r"(?<![\w-])(?P<x>[a-z0-9][a-z0-9]*(?:/[a-z0-9]+)?)[\s-]free\b(?!\s+(?:of|from)\b)",
                                     re.IGNORECASE)
        self.free_before = re.compile(r"\bfree\s+(?:of|from)\s+(?:any\s+|all\s+)?"
                                      r"(?P<x>[a-z0-9][a-z0-9-]*(?:\s+(?!(?:and|or|nor|&)\b)[a-z0-9-]+)?)", re.IGNORECASE)
        self.free_more = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|nor|&)\s+)(?:any\s+)?(?P<y>[a-z0-9][a-z0-9-]*)"
                                    r"(?=\s*(?:[,.;!?)]|$)|\s+(?:and|or|nor|&|please|pls|if|ideally|preferably|would|for|in)\b)",
                                    re.IGNORECASE)
        self.must = re.compile(rf"(?<![\w-]){_MUST}\s+(?:be\s+)?(?:a\s+|an\s+|the\s+|some\s+|fully\s+|made\s+(?:of|from|in)\s+|"
                               rf"in\s+)?(?P<rest>[^,.;!?]{{1,60}})", re.IGNORECASE)
        self.must_after = re.compile(rf"(?P<rest>[a-z0-9][a-z0-9 -]{{0,40}}?){_MUST_AFTER}\b", re.IGNORECASE)
        self.prefer = re.compile(rf"(?<![\w-]){_PREFER}\s+(?:be\s+|in\s+|a\s+|an\s+|some\s+|something\s+|with\s+|made of\s+)*"
                                 rf"(?P<rest>[^,.;!?]{{1,60}})", re.IGNORECASE)
        inner = lexicon.term_pattern().pattern
        self.prefer_suffix = re.compile(
            r"(?P<t>" + inner + r")\s*,?\s*(?:ideally|preferably|preferably please|ideally please|if possible|if poss|maybe|perhaps|"
            r"possibly|if you have it|if you have them|if you have one|for preference|by preference|"
            r"if we can|if we can get (?:it|them)|where possible|if available|if you do (?:it|them)|"
            r"would be (?:nice|nicer|great|lovely|good|better|ideal|perfect|handy|useful)|is preferred|preferred"
            + (rf"|{alternation(lang.negation.soft_after)}" if lang.negation.soft_after else "")
            + r")\b(?=\s*(?:[,.;!?)]|$)|\s+(?:but|though|although|however)\b)",  # 'navy preferably but it has to be here'
            re.IGNORECASE)
        firm_after = lang.negation.firm_after
        self.require_suffix = re.compile(
            r"(?:^|(?<=[\s,;:(\x00]))(?P<t>" + inner + rf")\s*,?\s*(?:{alternation(firm_after)})(?![\w-])(?=\s*(?:[,.;!?)]|$)|\s+(?:and|but|so)\b)",
            re.IGNORECASE) if firm_after else None
        """'size 52 wool obviously and i need it by friday': a term, then a word that insists on it."""
        self.prefer_after = re.compile(r"(?P<rest>[a-z0-9][a-z0-9 -]{0,30}?)\s+(?:would be (?:nice|nicer|great|lovely|good|better|ideal|perfect|a bonus|"
                                       r"preferred|handy|useful|helpful|welcome|a plus)|would help|"
                                       r"if possible|if poss|is preferred|preferred|if you have (?:it|them|one)|"
                                       r"if we can|where possible|if available|"
                                       r"is a bonus|is nice to have|"
                                       # 'cream tends to be her thing': what the person usually goes for
                                       r"(?:tends? to be|is (?:usually|normally|generally|always|often)|are (?:usually|normally|generally|always|often)) "
                                       r"(?:her|his|my|their|our) (?:thing|colour|color|go-to|style|choice|preference|favourite|favorite)"
                                       + (rf"|{alternation(lang.negation.soft_after)}" if lang.negation.soft_after else "")
                                       + r")\b", re.IGNORECASE)
        self.cert_patterns = [re.compile(p, re.IGNORECASE) for p in lexicon.domain.certifications.patterns]
        f = lang.fields
        self.at_least_before = re.compile(rf"(?:^|[^\w])(?:{alternation(f.at_least_before)})\s*:?\s*$", re.IGNORECASE) \
            if f.at_least_before else None
        self.at_least_after = re.compile(rf"^\s*,?\s*(?:{alternation(f.at_least_after)})(?![\w])", re.IGNORECASE) \
            if f.at_least_after else None
        certs = sorted(lexicon.certifications, key=len, reverse=True)
        # and the last word of a standard's name when the catalog writes it as a name, capitalised
        # inside sentences and never in lower case ('we need the Ecolabel' for 'EU Ecolabel')
        names = {c.split()[-1] for c in certs if len(c.split()) >= 2 and c.split()[-1].isalpha() and len(c.split()[-1]) >= 5}
        named = [w for w in names if len(re.findall(rf"(?<![.!?:]\s)(?<=\s){w.capitalize()}\b", lexicon.cased_corpus)) >= 2
                 and not re.search(rf"\b{w}\b", lexicon.cased_corpus)]
        certs = [*certs, *sorted(named, key=len, reverse=True)]
        self.catalog_certs = re.compile(rf"(?<![\w-])(?:{alternation(certs)})(?![\w-])", re.IGNORECASE) if certs else None
        # Names of several words and no number ('Nordic Swan Ecolabel') are read before the general
        # patterns, which would take a piece of them ('nordic swan').
        names = [c for c in certs if " " in c and not re.search(r"\d", c)]
        self.catalog_names = re.compile(rf"(?<![\w-])(?:{alternation(names)})(?![\w-])", re.IGNORECASE) if names else None

    def graded(self, term: Term, before: str, after: str) -> Term:
        """``term`` with every grade from it up as its forms when the words around it make it a
        minimum ('level C minimum', 'at least S3': a cut level F glove meets the first), from the
        domain's ordered grades; its text stays as written ('level c'). ``term`` as it is otherwise."""
        minimum = (self.at_least_before is not None and self.at_least_before.search(before)) or (
            self.at_least_after is not None and self.at_least_after.match(after))
        if not minimum:
            return term
        up = self._rated_up(term.text)
        if up is not None:
            return term.model_copy(update={"forms": up, "sure": bool(up)})
        for grades in self.lexicon.domain.grades.values():
            at = next((k for k, g in enumerate(grades) if g == term.text or g.endswith(" " + term.text)), None)
            if at is not None:
                up = grades[at:]
                return term.model_copy(update={"forms": up,
                                               "sure": any(self.lexicon.uses(g) for g in up)})
        return term

    def _rated_up(self, text: str) -> list[str] | None:
        """The catalog's ratings that meet ``text`` said as a minimum, for a rating with a number the
        catalog writes: 'snr 30' (met by SNR 30, SNR 37), an EN 388 performance code '4131x' (met
        by a code at least as high in every place; an X, not tested, meets only an X). None when
        ``text`` is no such rating."""
        certs = self.lexicon.certifications
        if m := re.fullmatch(r"(?P<name>[a-z]+)\s?(?P<n>\d+(?:\.\d+)?)", text):
            name, n = m.group("name"), float(m.group("n"))
            if name not in self.lexicon.domain.rated:
                return None
            found = {c for c in certs for x in [re.search(rf"\b{name}\s?(\d+(?:\.\d+)?)\b", c)] if x and float(x.group(1)) >= n}
            return sorted(re.search(rf"\b{name}\s?\d+(?:\.\d+)?", c).group(0) for c in found)
        if re.fullmatch(_EN388_CODE, text):
            def meets(code: str) -> bool:
                return len(code) >= 4 and all(want == "x" or (have != "x" and have >= want)
                                              for want, have in zip(text[:5], code[:5]))
            return sorted({x.group(0) for c in certs if c.startswith("en 388")
                           for x in re.finditer(_EN388_CODE_IN, c[6:]) if meets(x.group(0))})
        return None

    # -- what a phrase names ------------------------------------------------------------------------

    def term_at(self, phrase: str) -> tuple[str, str] | None:
        """The longest known term at the start of ``phrase`` and its kind ('wool', 'material')."""
        m = self.lexicon.term_pattern().match(phrase)
        if m:
            term = re.sub(r"\s+", " ", m.group(1).lower())
            return term, self.lexicon.term_kind(term) or "attribute"
        for m in (p.match(phrase) for p in self.cert_patterns):
            if m:
                return re.sub(r"\s+", " ", m.group(0).lower()).strip(), "certification"
        return None

    def word_term(self, phrase: str) -> str | None:
        """A word the catalog uses that is not a stopword ('hood', 'pockets' -> 'pocket')."""
        m = re.match(r"[a-z][a-z'-]*", phrase)
        if not m:
            return None
        word = m.group(0)
        if word in self.not_things or len(word) < 3 or word in _COMMON:
            return None
        if self.lexicon.uses(singular(word)) and singular(word) != word:
            return singular(word)
        return word if self.lexicon.uses(word) else None

    def catalog_certification(self, text: str) -> str | None:
        """The catalog's spelling of a standard written another way: 'EN374-1' for 'iso 374-1' (the
        body's letters, spaces and hyphens aside), a name for the one standard whose name ends so;
        None when no one standard of the catalog is meant."""
        def key(t: str) -> str:  # the body's letters, the year ('EN 149:2001'), spaces and hyphens aside
            t = re.sub(r"^(?:din\s*)?(?:en\s*)?(?:iso\s*)?(?=\d)", "", t.lower())
            return re.sub(r"[\s-]+", "", re.sub(r"(?<=\d):(?:19|20)\d\d$", "", t))

        if not hasattr(self, "_cert_keys"):
            keys: dict[str, set[str]] = {}
            for c in self.lexicon.certifications:
                keys.setdefault(key(c), set()).add(c)
            self._cert_keys = keys
        k = key(text)
        same = self._cert_keys.get(k, set())
        shortest = min(same, key=len) if same else None
        if shortest is not None and all(shortest in c for c in same):
            return shortest  # 'EN 374-5' where the catalog writes 'ISO 374-5' and 'EN ISO 374-5'
        if len(same) == 1:
            return next(iter(same))
        if re.fullmatch(r"\d{3,5}(?:-\d+)?", k):
            # 'en12477' for the catalog's one 'EN 12477 Type A' (a class after the number, no other part)
            longer = {c for kk, cs in self._cert_keys.items() if kk.startswith(k) and not kk[len(k)].isdigit()
                      and kk[len(k)] not in "-:" for c in cs}
            if len(longer) == 1:
                return next(iter(longer))
        if len(k) >= 6 and not re.search(r"\d", k):
            # a name the standard's name ends or starts with ('Ecolabel', 'Oekotex'): the one standard
            # so named, or the one the catalog states far more often than the others
            for named in ({c for kk, cs in self._cert_keys.items() if kk.endswith(k) for c in cs},
                          {c for kk, cs in self._cert_keys.items() if kk.startswith(k) for c in cs}):
                if len(named) == 1:
                    return next(iter(named))
                if named:
                    counts = sorted(((self.lexicon.corpus.count(c), c) for c in named), reverse=True)
                    if counts[0][0] >= 3 * sum(n for n, _ in counts[1:]):
                        return counts[0][1]
        return None

    def make(self, text: str, kind: str, quote: str, sure: bool | None = None) -> Term:
        lexicon = self.lexicon
        if kind == "certification":  # 'CE marked', 'FDA approved' -> the standard's name
            text = re.sub(r"[\s-]+(?:marked|marking|approved|certified|certification|compliant|compliance|rated|"
                          r"listed|standard)$", "", text.strip()) or text
        x = re.fullmatch(r"(.+?)[\s-]free", text)
        if x:
            thing = x.group(1)
            forms = lexicon.term_forms(thing)
            claimed = any(claims_absence(lexicon.corpus, f) for f in forms)
            return Term(text=f"{thing}-free", kind="free_of", quote=quote, forms=forms,
                        sure=claimed if sure is None else sure)
        spelled = lexicon.catalog_spelling(text)
        text = spelled if lexicon.uses(spelled) else text
        # A standard's name is no plural: 'GOTS' is not more than one 'GOT'.
        forms = [text] if kind == "certification" else lexicon.term_forms(text)
        if kind == "certification" and text not in lexicon.certifications:
            found = self.catalog_certification(text)
            if found and found != text:
                spelled_alike = re.search(r"\d", text) is not None
                text = re.sub(r"(?<=[a-z])(?=\d)", " ", text)  # 'en374-1' as the guide writes it: 'en 374-1'
                # 'EN374-1' is met by the catalog's 'ISO 374-1' as by itself; 'Ecolabel' by 'EU Ecolabel' only
                forms = [text, found] if spelled_alike else [found]
                if sure is None:
                    sure = True
        used = any(lexicon.uses(f.strip(" ,.")) for f in forms)
        return Term(text=text, kind=kind, quote=quote, forms=[f for f in forms if f != text] and forms,
                    sure=used if sure is None else sure)


_STOP_LEAD = frozenset("to a an the of for in on at with and or but it this that be wear do get".split())
_COMMON = frozenset(language("en").stopwords.common | language("en").stopwords.not_terms)
"""Words that are no requirement on their own (lang/en/stopwords.toml common, not_terms)."""


def read_terms(text: Text, grammar: TermGrammar, in_question: bool) -> TermReading:
    """Exclusions, requirements, preferences and brands ``text`` states (see the module docstring)."""
    out = TermReading()
    lexicon = grammar.lexicon
    s = text.s

    def add(bucket: list[Term], term: Term) -> None:
        if all(t.text != term.text for t in bucket):
            bucket.append(term)

    # 1. "latex-free", "free of latex", "free from PFAS".
    for pattern in (grammar.free_after, grammar.free_before):
        for m in text.find(pattern):
            thing = re.sub(r"\s+", " ", m.group("x").lower()).strip()
            words = thing.split()
            if words and words[-1] in _FREE_STOP or words and words[0] in _FREE_STOP:
                continue
            if len(words) == 2 and lexicon.term_kind(words[1]) and not lexicon.term_kind(thing):
                thing = words[1]  # 'gloves latex-free' -> latex
            if thing.endswith("s") and not lexicon.term_kind(thing) and singular(thing) != thing:
                thing = singular(thing)  # 'free from phthalates' -> phthalate-free
            things, end = [thing], m.end()
            if pattern is grammar.free_before:
                # 'free of latex and powder', 'free from PFAS, BPA or phthalates': the list goes on
                # while its words are ones the catalog uses.
                while (more := grammar.free_more.match(s, end)) and (
                        lexicon.term_kind(w := more.group("y").lower()) or lexicon.uses(w) or lexicon.uses(singular(w))):
                    things.append(w if lexicon.term_kind(w) or lexicon.uses(w) else singular(w))
                    end = more.end()
            if not in_question:
                soft = re.match(r"\s*(?:,\s*)?(?:if (?:you have it|you have them|possible|poss|you can|available)|ideally|preferably|"
                                r"would be (?:nice|great|good|a bonus))\b", s[end:])
                bucket = out.prefer if soft else out.require
                for one in things:
                    add(bucket, grammar.make(f"{one}-free", "free_of", text.quote(m.start(), end), True if soft else None))
            text.consume(m.start(), end)
    s = text.s

    # 2. Negations and the lists they reach.
    for neg in list(grammar.negator.finditer(s)):
        if text.consumed(neg.start(), neg.end()):
            continue
        if re.search(r"\b(?:those|these|they|thsoe)\s*(?:are|['’]re)?\s*$", s[max(0, neg.start() - 12):neg.start()]) \
                and re.match(r"\s*(?:n['’]?t|not)\b", s[neg.start():neg.end()].lower().replace("is", "").replace("are", "")):
            continue  # 'those aren't hand towels': the items shown are not what is wanted, hand towels are
        pos = neg.end()
        said = re.sub(r"\s+", " ", s[neg.start():neg.end()].lower())
        doing = re.match(r"\s+(?P<w>[a-z]+ing)\b", s[pos:]) if said in grammar.activity_negators else None
        if doing and doing.group("w") not in grammar.stopwords and not grammar.term_at(doing.group("w")):
            continue  # 'I hate charging things': a doing disliked, nothing the item must not be
        person = grammar.person_noun.match(s, pos) if grammar.person_noun is not None else None
        if person and grammar.person_subject.search(s[:neg.start()]) and not grammar.term_at(person.group("w")):
            continue  # "he's not a patient man": said of the person
        scope_end = len(s)
        b = grammar.breaks.search(s, pos)
        if b:
            scope_end = b.start()
        found_any = False
        first = True
        joined_by_word = False
        while pos < scope_end:
            chunk = s[pos:scope_end]
            lead = (first and grammar.first_fillers.match(chunk.lstrip())) or grammar.fillers.match(chunk.lstrip())
            offset = len(chunk) - len(chunk.lstrip()) + (lead.end() if lead else 0)
            start = pos + offset
            phrase = s[start:scope_end]
            if not phrase.strip() or phrase[:1] == "\x00":
                break
            taken = _negated_thing(phrase, grammar, out, text, start, first or joined_by_word)
            if taken is None:
                if first:
                    break
                break
            found_any = True
            first = False
            pos = start + taken
            j = grammar.joins.match(s, pos)
            if (not j or j.end() == pos) and out.exclude and out.exclude[-1].kind == "material":
                # 'no polyester nylon or acrylic': materials listed with spaces only
                nxt = grammar.term_at(s[pos:scope_end].lstrip())
                if nxt and nxt[1] == "material" and re.match(r"\s+\S", s[pos:]):
                    pos += len(s[pos:]) - len(s[pos:].lstrip())
                    joined_by_word = True
                    continue
            if not j or j.end() == pos and not s[pos:pos + 1].isspace():
                break
            joined_by_word = j.group(0).strip() in ("or", "and", "nor")
            if j.group(0).strip() == ",":
                # 'no wool, silk or cashmere' goes on; 'no zip, grey please' does not: after a bare comma
                # the list goes on only with a thing of the same kind.
                last = (out.exclude[-1].kind if out.exclude else None)
                nxt = grammar.term_at(s[j.end():scope_end].lstrip())
                brand_next = lexicon.brand_pattern() is not None and lexicon.brand_pattern().match(s[j.end():scope_end].lstrip())
                if not (nxt and nxt[1] == last) and not (brand_next and out.brands_out) and not re.search(
                        r"\b(?:or|nor|and)\b", s[j.end():scope_end]):
                    break
            pos = j.end()
        if found_any:
            text.consume(neg.start(), neg.end())
    s = text.s
    brand = lexicon.brand_pattern()
    if brand is not None:
        for m in text.find(_NOT_THEM):
            named = [b for b in brand.finditer(text.clean[:m.start()])]
            if named:
                key = named[-1].group(1)
                name = lexicon.brands.get(key) or lexicon.brand_aliases.get(key)
                if name:
                    out.brands_out.append(Brand(name=name, quote=text.quote(named[-1].start(), m.end())))
                    text.consume(named[-1].start(), named[-1].end())
                    text.consume(m.start(), m.end())
    if brand is not None:
        for m in text.find(grammar.brand_negated):
            key = m.group("b")
            name = lexicon.brands.get(key) or lexicon.brand_spellings.get(key) or lexicon.brand_aliases.get(key)
            if name:  # 'calder & lune isn't for me'
                out.brands_out.append(Brand(name=name, quote=text.quote(m.start(), m.end())))
                text.consume(m.start(), m.end())
                # 'Ironvale and Sanora are off our approved list': every brand of the list before it too
                start = m.start()
                brand = lexicon.brand_pattern()
                while brand is not None:
                    before = re.search(r"(?P<t>[a-z][a-z&' -]{1,40}?)\s*(?:,\s*(?:or\s+|and\s+|nor\s+)?|\s+or\s+|\s+and\s+|\s*/\s*|\s*&\s*)$",
                                       text.s[max(0, start - 45):start], re.IGNORECASE)
                    if not before:
                        break
                    at = max(0, start - 45) + before.start("t")
                    hit = next((b for b in brand.finditer(text.s, at, start) if b.end() >= start - len(before.group(0)) + len(
                        before.group("t"))), None)
                    key = hit.group(1) if hit else None
                    other = (lexicon.brands.get(key) or lexicon.brand_spellings.get(key) or lexicon.brand_aliases.get(key)) \
                        if key else None
                    if not other or text.consumed(hit.start(), hit.end()) or re.search(
                            r"\b(?:want|wants|need|needs|love|loves|like|likes|prefer|prefers|must|only|trust|use)\s+(?:[a-z]+\s+)?$",
                            text.s[max(0, hit.start() - 30):hit.start()], re.IGNORECASE):
                        break  # ('we love Verdeleaf and Sanora is off our list': only Sanora)
                    out.brands_out.append(Brand(name=other, quote=text.quote(hit.start(), hit.end())))
                    text.consume(hit.start(), hit.end())
                    start = hit.start()
    for m in text.find(grammar.term_negated):
        term = re.sub(r"[\s-]+", " ", m.group(2).lower())
        add(out.exclude, grammar.make(term, lexicon.term_kind(term) or "attribute", text.quote(m.start(), m.end()), sure=True))
        text.consume(m.start(), m.end())
        # 'polyester or viscose is a no': every term of the list before it is ruled out too.
        start = m.start()
        while True:
            before = re.search(r"(?<![\w-])(?P<t>[a-z][a-z -]{0,30}?)\s*(?:,\s*(?:or\s+|and\s+|nor\s+)?|\s+or\s+|\s+and\s+|\s*/\s*)$",
                               text.s[max(0, start - 40):start], re.IGNORECASE)
            if not before:
                break
            words = before.group("t").lower().split()
            at = max(0, start - 40)
            listed = next((" ".join(words[i:]) for i in range(len(words)) if lexicon.term_kind(" ".join(words[i:]))), None)
            if not listed:
                break
            begin = at + before.start("t") + before.group("t").lower().rfind(listed.split()[0])
            if text.consumed(begin, begin + len(listed)) or re.search(
                    r"\b(?:want|wants|need|needs|love|like|prefer|must|has to|have to|only|ideally|in)\s+(?:[a-z]+\s+)?$",
                    text.s[max(0, begin - 30):begin], re.IGNORECASE):
                break  # 'I want cotton and linen is a no': cotton is wanted
            add(out.exclude, grammar.make(listed, lexicon.term_kind(listed) or "attribute",
                                          text.quote(begin, begin + len(listed)), sure=True))
            text.consume(begin, start)
            start = begin
    s = text.s

    if in_question:
        return out
    for m in text.find(grammar.term_only):
        term = re.sub(r"[\s-]+", " ", m.group(2).lower())
        if term not in lexicon.domain.qualities:
            add(out.require, grammar.make(term, lexicon.term_kind(term) or "attribute", text.quote(m.start(), m.end())))
            text.consume(m.start(), m.end())

    # 3. Firm requirements: "must be waterproof", "has to be navy", "needs noise cancelling",
    #    "only cashmere", "a hood is a must".
    brand = lexicon.brand_pattern()
    for pattern in (grammar.must, grammar.must_after):
        for m in text.find(pattern):
            rest = m.group("rest")
            found = _terms_in(rest, grammar, m.start("rest"), limit=4)
            firm = re.match(r"(?:must|has|have|needs?|need it|need them|should|it should|got|gotta)\b", m.group(0).strip())
            if not found and firm and brand is not None and brand.match(rest.lstrip().lower()):
                continue  # 'Must be Kestrel Foodservice': a brand wanted, read with the brands
            if not found and firm:
                phrase = _firm_phrase(rest, lexicon)
                if phrase:
                    start = m.start("rest") + rest.find(phrase)
                    found = [(start, phrase, "attribute")]
            # 'I require a wired keyboard': the buyer's own 'require' is a 'need', and a kind of the
            # catalog it names is the kind wanted, not a feature the item must have
            wants = re.match(r"requires?\b", m.group(0).strip(), re.IGNORECASE) and re.search(
                r"\b(?:i|we)\s+(?:really\s+|also\s+|now\s+)?$", text.s[max(0, m.start() - 12):m.start()], re.IGNORECASE)
            for start, term, kind in found:
                if term in lexicon.domain.qualities:
                    continue
                if wants and (term in lexicon.aliases or singular(term) in lexicon.aliases):
                    continue
                add(out.require, grammar.make(term, kind, text.quote(start, start + len(term))))
                text.consume(start, start + len(term))
    # "my husband is vegan", "she's vegan": a requirement of the person that items must meet.
    for m in text.find(re.compile(r"\b(?:(?:is|'s|am|are|'re|'m)\s+(?:just\s+|now\s+|recently\s+)?(?:gone\s+|become\s+|turned\s+)?|"
                                  r"(?:has|have|'ve)\s+(?:just\s+|now\s+|recently\s+)?(?:gone|become|turned)\s+|went\s+|turned\s+)"
                                  r"(?:strictly\s+|fully\s+|a\s+|an\s+)?(?P<v>vegan|vegetarian|halal|kosher)\b"
                                  r"|\b(?P<w>vegan|vegetarian|halal|kosher)\s+(?=(?:client|customer|buyer|wife|husband|friend|daughter|son|"
                                  r"mum|mom|dad|partner|sister|brother|girlfriend|boyfriend)s?\b)",
                                  re.IGNORECASE)):
        g = "v" if m.group("v") else "w"  # 'my husband is vegan', 'a vegan client'
        add(out.require, grammar.make(m.group(g), "attribute", text.quote(m.start(g), m.end(g))))
        text.consume(m.start(g), m.end(g))
    if grammar.require_suffix is not None:
        for m in text.find(grammar.require_suffix):
            term = re.sub(r"[\s-]+", " ", m.group(2).lower())
            if any(t.text == term for t in out.exclude):
                continue
            add(out.require, grammar.make(term, lexicon.term_kind(term) or "attribute", text.quote(m.start("t"), m.end("t")), sure=True))
            text.consume(m.start(), m.end())
    # 4. Preferences.
    soft_spans: list[tuple[int, int, str]] = []
    for m in text.find(grammar.prefer_suffix):
        soft_spans.append((m.start(), m.end(), "after"))
        term = re.sub(r"[\s-]+", " ", m.group(2).lower())
        add(out.prefer, grammar.make(term, lexicon.term_kind(term) or "attribute", text.quote(m.start("t"), m.end("t")), sure=True))
        text.consume(m.start(), m.end())
    for pattern in (grammar.prefer, grammar.prefer_after):
        for m in text.find(pattern):
            soft_spans.append((m.start(), m.end(), "before" if pattern is grammar.prefer else "after"))
            rest = m.group("rest")
            found = _terms_in(rest, grammar, m.start("rest"), limit=4)
            if not found:
                phrase = _firm_phrase(rest, lexicon)
                if phrase and len(phrase.split()) <= 2 and ("-" in phrase or lexicon.uses(lexicon.catalog_spelling(phrase))):
                    found = [(m.start("rest") + rest.find(phrase), phrase, "attribute")]  # 'half-canvassed if possible'
            if not found and pattern is grammar.prefer:
                # 'preferably long, maybe in pink': a quality with an opposite (critiques.toml), alone
                q = re.match(r"(?P<q>[a-z]+)\s*(?=[,.;!?]|$)", rest)
                if q and q.group("q") in grammar.opposites:
                    found = [(m.start("rest"), q.group("q"), "attribute")]
            for start, term, kind in found:
                if kind == "brand":
                    continue
                if (term.lower() in lexicon.aliases or singular(term.lower()) in lexicon.aliases) and re.match(
                        r"(?:\s+(?:is|are|was|were|be)\b|'s\b)", text.s[start + len(term):]):
                    continue  # 'bonus if the cling film is PVC free': the kind is what is bought, the wish is its quality
                add(out.prefer, grammar.make(term, kind, text.quote(start, start + len(term)), sure=True))
                text.consume(start, start + len(term))
    # 'preferably organic cotton, GOTS, Fair Wear would be a bonus': bare terms listed between two
    # soft phrases are soft too.
    for a_end in (e for _, e, how in soft_spans if how == "before"):
        later = [st for st, _, how in soft_spans if how == "after" and st >= a_end]
        if not later:
            continue
        between = text.s[a_end:min(later)]
        pieces = [(a_end + m.start(), m.group(0)) for m in re.finditer(r"[^,;]+", between)]
        bare = [(p + len(w) - len(w.lstrip()), w.strip()) for p, w in pieces if w.strip(" \x00")]
        if not bare or len(bare) > 3:
            continue
        found = [(p, w, grammar.term_at(w.lower())) for p, w in bare]
        if all(t is not None and t[0] == re.sub(r"[\s-]+", " ", w.lower()) for _, w, t in found):
            for p, w, t in found:
                add(out.prefer, grammar.make(t[0], t[1], text.quote(p, p + len(w)), sure=True))
                text.consume(p, p + len(w))
    return out


def _negated_thing(phrase: str, grammar: TermGrammar, out: TermReading, text: Text, start: int,
                   first: bool) -> int | None:
    """Rule out the thing ``phrase`` starts with; its length, or None when it names nothing."""
    lexicon = grammar.lexicon
    if grammar.occasion is not None and grammar.occasion.match(phrase):
        return None  # 'a garden party, not a board meeting': where it is worn, not what it is made of
    brand = lexicon.brand_pattern()
    if brand is not None:
        m = brand.match(phrase)
        if m:
            name = (lexicon.brands.get(m.group(1)) or lexicon.brand_spellings.get(m.group(1))
                    or lexicon.brand_aliases.get(m.group(1)))
            if name:
                out.brands_out.append(Brand(name=name, quote=text.quote(start, start + m.end())))
                text.consume(start, start + m.end())
                return m.end()
    alias = lexicon.alias_pattern()
    if alias is not None:
        m = alias.match(phrase)
        if m:
            word = re.sub(r"[\s-]+", " ", m.group(1))
            cats = lexicon.aliases.get(word) or lexicon.aliases.get(m.group(1)) or ()
            if word not in cats and singular(word) not in cats and lexicon.uses(singular(word)):
                out.exclude.append(Term(text=singular(word), kind="attribute", quote=text.quote(start, start + m.end()),
                                        forms=lexicon.term_forms(singular(word))))
            else:
                out.excluded_categories.extend(cats)
                one = word[:-1] if word.endswith("s") and word[:-1] in lexicon.aliases else singular(word)  # 'bikinis'
                out.excluded_kinds.append((Term(text=one, kind="attribute", quote=text.quote(start, start + m.end()),
                                                forms=lexicon.term_forms(one)), list(cats)))
            text.consume(start, start + m.end())
            return m.end()
    found = grammar.term_at(phrase)
    plural_word = re.match(r"[a-z]{3,}s(?![\w-])", phrase) if not found else None
    if plural_word and lexicon.term_kind(singular(plural_word.group(0))):
        # 'no patterns': the plural of a term the catalog knows in the singular
        one = singular(plural_word.group(0))
        out.exclude.append(grammar.make(one, lexicon.term_kind(one), text.quote(start, start + plural_word.end()), sure=True))
        text.consume(start, start + plural_word.end())
        return plural_word.end()
    if found:
        term, kind = found
        whole = lexicon.term_pattern().match(phrase)
        length = len(whole.group(0)) if whole else len(term)
        t = singular(term) if term.endswith("s") and lexicon.term_kind(singular(term)) else term
        out.exclude.append(grammar.make(t, kind, text.quote(start, start + length), sure=True))
        text.consume(start, start + length)
        return length
    word = re.match(r"[a-z][a-z'-]*", phrase)
    if word and word.group(0) not in grammar.not_things and (
            word.group(0) in grammar.style or re.fullmatch(r"[a-z]+-[a-z]+", word.group(0))):
        # 'nothing shiny', 'not see-through', 'no V-necks': a quality ruled out by name
        out.exclude.append(grammar.make(singular(word.group(0)), "attribute", text.quote(start, start + word.end()),
                                        sure=True))
        text.consume(start, start + word.end())
        return word.end()
    if word and word.group(0) not in grammar.not_things and len(word.group(0)) >= 4 and any(
            lexicon.uses(f) for f in (f"un{word.group(0)}", f"non-{word.group(0)}", f"{word.group(0)}-free")):
        # 'nothing bleached' where the catalog says 'unbleached': a quality its texts name by its absence
        out.exclude.append(grammar.make(word.group(0), "attribute", text.quote(start, start + word.end()), sure=True))
        text.consume(start, start + word.end())
        return word.end()
    if word and first:
        two = re.match(r"[a-z][a-z'-]*\s+[a-z][a-z'-]*", phrase)
        if two and lexicon.uses(two.group(0)) >= 1 and not any(w in grammar.not_things or w in _COMMON or w in _STOP_LEAD
                                                                for w in two.group(0).split()):
            out.exclude.append(grammar.make(singular(two.group(0)), "attribute", text.quote(start, start + two.end()), sure=True))
            text.consume(start, start + two.end())
            return two.end()  # 'no chain strap'
        w = grammar.word_term(phrase)
        if w:
            out.exclude.append(grammar.make(w, "attribute", text.quote(start, start + word.end()), sure=True))
            text.consume(start, start + word.end())
            return word.end()
    return None


def _firm_phrase(rest: str, lexicon: CatalogLexicon) -> str | None:
    """The words a firm requirement names when no lexicon knows them ('lab-grown', 'drop-proof',
    'a low heel'): up to three words before a clause break, without fillers."""
    if re.match(r"\s*[(\[]|\s*(?:i|we|you|he|she|they|it|our|my|their)\b", rest, re.IGNORECASE):
        return None  # 'silicone-free is a must (we do some surgery)': an aside, a new clause
    if re.match(r"\s*(?:something|anything|one|ones|stuff)\s+(?:(?:that\s+|which\s+)?(?:you|u|we|i)\b|that\b|which\b)", rest, re.IGNORECASE):
        return None  # "needs to be something you've got sitting on the shelf": what is said of it comes after
    words = []
    for w in re.findall(r"[a-z0-9][a-z0-9'/-]*|\x00+", rest):
        if w.startswith("\x00") or w in ("and", "or", "but", "for", "so", "as", "because", "please", "pls", "if", "too",
                                          "under", "below", "with", "in", "by", "within", "max", "that", "which") \
                or w in lexicon.brands or w in lexicon.aliases:
            break
        words.append(w)
        if len(words) == 3:
            break
    while words and words[0] in ("a", "an", "the", "some", "very", "really", "fully", "properly"):
        words = words[1:]
    phrase = " ".join(words)
    return phrase if phrase and phrase not in _COMMON and len(phrase) >= 3 else None


def _terms_in(rest: str, grammar: TermGrammar, offset: int, limit: int) -> list[tuple[int, str, str]]:
    """Known terms in ``rest`` (a must- or prefer- clause), with their position in the message."""
    out: list[tuple[int, str, str]] = []
    lexicon = grammar.lexicon
    pos = 0
    words_seen = 0
    while pos < len(rest) and len(out) < limit and words_seen < 8:
        chunk = rest[pos:]
        lead = re.match(r"[\s,/&+-]*(?:(?:and|or|a|an|the|with|in|be|made of|some|also|plus|very|really|quite|"
                        r"fully|100%|pure|real|genuine)\s+)*", chunk)
        pos += lead.end()
        chunk = rest[pos:]
        if not chunk or chunk[0] == "\x00":
            break
        found = grammar.term_at(chunk)
        if found:
            term, kind = found
            m = lexicon.term_pattern().match(chunk)
            length = m.end() if m else len(term)
            out.append((offset + pos, chunk[:length].lower(), kind))
            pos += length
            continue
        if grammar.lexicon.brand_pattern() is not None and (m := grammar.lexicon.brand_pattern().match(chunk)):
            pos += m.end()
            continue
        w = re.match(r"[a-z0-9'-]+", chunk)
        if not w:
            break
        one = singular(w.group(0))
        if one != w.group(0) and lexicon.term_kind(one) in ("colour", "material"):
            out.append((offset + pos, one, lexicon.term_kind(one)))  # 'she tends to like pinks'
        pos += w.end()
        words_seen += 1
    return out
