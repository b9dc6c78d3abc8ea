"""References to items: which of the items shown (or which catalog item) a message points at, and
what it says of them.

Ordinals ("the second one", "#2", "the last one"), the price ("the cheapest one"), an item id
("BQ-014"), title, brand or category words after a determiner ("the Velluto dress", "that silk
one") resolve against the items shown last turn (ids against the whole catalog); "it", "that one",
"this" resolve to the item last discussed (the focus: the item of the last answer or verdict, else
the first shown). "they", "them", "these", "both" mean every shown item.

A reference is liked or rejected by the polarity words of its own comma-chunk (then the next chunk
if it goes on about it, then the previous one): "I like the first but not the second". A reference
compared to ("cheaper than the second one", "similar to #2") is an anchor the person likes, and a
message that is nothing but a reference ("the second one") picks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.models import Item
from agent.reading.lexicon import CatalogLexicon, language, singular
from agent.reading.text import Text, alternation, rx

STOPWORDS = language("en").stopwords.words
"""Words that are never a reference or a kind of item on their own (``lang/en/stopwords.toml``)."""

_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
             "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "top": 0, "former": 0}
_ORDINAL = rx(r"\b(?:the\s+)?(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|last|final|latter|"
              r"former|middle|top)(?:\s+(?:one|option|item|choice|suggestion|pick|result|product|model|listed|thing|"
              r"pair|set|box|ones?))?\b(?!\s+(?:time|thing i|quality|of all|priority|notch|rated|things|and foremost|up|class))")
_NUMBER = rx(r"(?:\b(?:number|option|no\.?|choice|nr\.?|item)\s*|#)(?P<num>[1-9])\b(?!\s*(?:units?|pairs?|days?|%))")
_BARE_NUMBERS = rx(r"(?:^|(?<=[,.;!?]\s)|(?<=\bbut\s))(?P<nums>[1-9](?:\s*(?:,|and|&|\+|or)\s*[1-9])*)(?!\d|[.,]\d)"
                   r"(?=\s+(?:both|are|is|'re|look|looks|seem|seems|fine|ok|okay|good|no|nope|not|perfect|work|works|"
                   r"do|don't|won't)\b|\s*(?:no|ok|fine|good)?\s*[,.;!?-])")
"""'2 and 3 both fine', '1 no': shown items by their bare numbers, said as a verdict."""
_PRICE = rx(r"\b(?:the\s+)?(?P<which>cheapest|least expensive|most affordable|cheaper|most expensive|priciest|dearest|"
            r"pricier|more expensive)\s+(?:one|option|item|of (?:them|the \w+|these|those))\b")
_DEICTIC = rx(r"\b(?:that|this) (?:one|item|option|piece|model|product|style|colour|color|version|pair|set)\b|\bthe same one\b|"
              r"\b(?:that|this)(?= (?:is|looks|seems|was|one|isn'?t|doesn'?t|would|could|might|sounds))\b|"
              r"\b(?:that|this)\s*(?=[?.!,]|$)")
PLURAL = rx(r"\b(?:they|them|these|those|all of them|both|each of them|all (?:three|two|four|five|[2-9])|all (?:of )?these|all (?:of )?those|"
            r"the lot|either of them|any of them|any of these|any of those|these ones|those ones|all of the above)\b")
IT = rx(r"\b(?:it|it's|its|itself)\b")
_OTHERS = rx(r"\b(?:(?:the|those|these)\s+)?(?:other|remaining)\s+(?:two|three|four|[2-9]|ones?|items?|options?)\b|"
             r"\bthe others\b|\bthe rest(?: of them)?\b|\bthe other ones?\b|(?:^|(?<=[,;.])\s*)(?:rest|others)\b")
_COMPARED_TO = rx(r"(?:\b(?:cheaper|pricier|dearer|better|nicer|more \w+|less \w+|\w+er)\s+than|"
                  r"\b(?:something|anything|one|ones|more|looks?|bit|lot|just|exactly|much|kind of|sort of) like|similar to|"
                  r"same as|along the lines of|in the style of|close to|like the|as the)\s+$")
NEGATIVE = rx(r"\b(?:vetoe?d?|vetoes|turned down|not|no|don'?t|do not|didn'?t|doesn'?t|isn'?t|aren'?t|wasn'?t|weren'?t|never|hate|dislike|ugly|skip|remove|drop|pass on|"
              r"not a fan|not keen|not for me|nope|nah|rather not|can'?t stand|boring|awful|horrible|meh|wrong|"
              r"too(?= +[a-z])|ditch|lose|bin|scrap|get rid of|no thanks|not quite|not really|not sure about|not loving|"
              r"not into|off|cross off|rule out|exclude|killer(?! +(?:deal|price|offer|value|look|find))|deal ?-?breaker|no go|no-go|non-?starter|wo?n'?t work|"
              r"out of the question|useless|rubbish|no use|no good|"
              r"(?:a bit|a little|bit|slightly|rather|far|way) (?:[a-z]+ ){1,2}for (?:them|her|him|us|me|my \w+|our \w+|a \w+|an \w+)|"
              rf"{alternation(language('en').acts.put_downs) or '(?!)'})\b")
POSITIVE = rx(r"^\s*(?:fine|ok|okay|alright|good|great|yes)\s*$|^\W*o+h+(?:\W+(?=the\b|that one\b|this one\b)|\W*(?:ones?)?\W*$)|\b(?:like|love|adore|loved|loves|adored|adores|prefer|perfect|great|nice|lovely|beautiful|gorgeous|stunning|good|fantastic|"
              r"amazing|yes|yep|defo|deffo|definitely|for sure|more like it|keen on|interested in|i'?ll take(?! (?:this|it|that|them) (?:to|up|back)\b)|"
              r"(?:i|we|she|he|they)(?:'?ll| will) (?:take(?! (?:this|it|that|them) (?:to|up|back)\b)|order|buy|go for|have)|let'?s (?:go with|order|take)|that'?s the one|similar to|go with|into|favourite|favorite|"
              r"works|brilliant|ideal|spot on|fab|fabulous|cute|want|winner|best|excellent|looks? right|looks? good|fine|grand|"
              r"(?<!not )(?<!not )suitable|fit for purpose|does the job|will do nicely|"
              r"(?:'d|would|will|could) (?:wear|go for|pick|choose)|"
              r"fine (?:by|with|for) (?:me|us|her|him|them)|"
              r"looks? great|exactly what|what we (?:use|need)|yes please|(?:is|are|'s|'re|seems?|looks?|feels?) (?:(?:exactly|just|absolutely|totally|perfectly|pretty much|about) )?(?:fine|ok|okay|alright|"
              r"decent|right|spot on|(?:just )?the (?:right )?ones?)|the right ones?|could work|might work|would work|will do|(?:more |very |so |just )?(?:her|his|my|our|their) "
              r"(?:style|thing|taste|type|kind of thing|cup of tea))\b|👍|❤|😍|🙌")
_NONE_OF_THEM = rx(r"^\W*(?:nah|nope|no|meh|naa+h?|not really|not quite|not them|no thanks|no thank you)\W*$|"
                   r"^\W*(?:none|nope|nah)\s*[.!;:,-]|"
                   r"\b(?:hate|hates|dislike|dislikes|don'?t like|do not like|doesn'?t like|not keen on|not into|would hate|'d hate|"
                   r"vetoed|vetoes|veto|turned down|ruled out|rejected)\s+"
                   r"(?:(?:all|any|both)?\s*(?:of\s+)?(?:these|them|those|the lot)|all\s+(?:[2-9]|two|three|four|five)"
                   r"(?:\s+of\s+(?:them|these|those))?)\b|\bnone of (?:them|these|those|the \w+|it)\b|\b(?:don'?t|do not) like any of (?:them|these|those)\b|"
                   r"\bnot (?:keen on |into |loving )?any of (?:them|these|those)\b|\b(?:all of )?(?:them|these|those) are "
                   r"(?:all )?(?:ugly|awful|terrible|boring|wrong|no good|not it|not right|not for me)\b|"
                   r"\bneither of (?:them|these|those)\b|\bnot (?:these|those)\b|\bnah,? not (?:these|those|them)\b|"
                   r"\bnone (?:work|works|of those work)\b|\bnothing (?:here|there) (?:works|fits)\b|\bno to all\b|"
                   r"\b(?:these|those|they) (?:don'?t|do not) work\b|\b(?:none|neither) (?:is|are) right\b|"
                   r"^\W*neither\b(?!\s+(?:is|are|of)\b)")
_DONT_MIND = rx(r"\bdon'?t mind\b|\bnot bad\b|\bno problem\b|\bnot sure\b|\bno idea\b")
_ID_CUE = rx(r"(?:\bitems?|\bid|\bsku|\bproduct|\barticle|#|\bno\.?|\bnumber|\bref)\s*:?\s*$")


@dataclass
class Ref:
    start: int
    end: int
    item_ids: list[str]
    how: str
    """``id``, ``ordinal``, ``price``, ``title``, ``deictic`` (it / that one) or ``all``."""


_PRICED = re.compile(r"\bthe\s+(?P<s>[€$£]\s?)?(?P<p>\d+(?:\.\d{1,2})?)\s*(?P<c>quid|pounds?|euros?|eur|gbp|usd|dollars?|bucks|[€$£])?"
                     r"\s+(?:ones?|pairs?|options?|models?|versions?)\b", re.IGNORECASE)
"""'the 25 quid ones', 'the £89 pair': cards named by their price."""


def find(text: Text, shown: list[Item], focus: Item | None, lexicon: CatalogLexicon,
         goodbye: re.Pattern[str] | None = None) -> list[Ref]:
    """Every reference in ``text``, resolved to ids (nothing consumed), first at each position wins.
    ``goodbye``: the language's closing phrases, whose 'that' points at nothing ('thanks, that is all')."""
    s = text.s
    refs: list[Ref] = []
    known = {i.id.lower(): i.id for i in shown}
    for m in re.finditer(r"[a-z0-9][a-z0-9_./-]*[a-z0-9]", s):
        token = m.group(0)
        item_id = known.get(token) or lexicon.item_ids.get(token)
        if item_id and token not in known and token.isdigit() and len(token) < 6 and not _ID_CUE.search(s, 0, m.start()):
            continue  # a short number names a catalog item only when it is called one ('item 360')
        if item_id:
            refs.append(Ref(m.start(), m.end(), [item_id], "id"))
    if shown:
        for m in _ORDINAL.finditer(s):
            word = m.group("ord")
            if word == "top" and not re.search(r"\btop\s+(?:one|option|item|choice|suggestion|pick|result)\b", m.group(0)):
                continue
            idx = len(shown) - 1 if word in ("last", "final", "latter") else (
                len(shown) // 2 if word == "middle" else _ORDINALS[word])
            if word not in ("latter", "former", "middle", "top") and not re.search(
                    r"\b(?:one|option|item|choice|suggestion|pick|result|product|model|listed|thing|pair|set|box|ones?)\b"
                    r"|^the\s", m.group(0)):
                # 'first' alone ('first, I need...') refers only after 'the' or before 'one'
                if not (re.search(r"(?:^|\b(?:like|love|prefer|want|take|not|but|and|the|is|about|of|with|than|"
                                  r"hate|dislike)\s+|[,;]\s*)$", s[:m.start()])
                        or re.match(r"\s*(?:and|or|&|,)\s+(?:the\s+)?(?:first|second|third|last|middle|1st|2nd|3rd)\b|"
                                    r"\s+(?:is|are|was|looks|one)\b", s[m.end():])) or \
                        re.match(r"\s+(?:of all|and foremost|time|thing)", s[m.end():]):
                    continue
            # Beyond what was shown ('the second one' of one): a reference to nothing, kept so the
            # reply can say how many there were instead of reading a new request.
            refs.append(Ref(m.start(), m.end(), [shown[idx].id] if idx < len(shown) else [], "ordinal"))
        for m in re.finditer(r"\b(?:the\s+)?(?P<end>first|last|top)\s+(?P<n>two|three|2|3)\b", s):
            n = {"two": 2, "three": 3, "2": 2, "3": 3}[m.group("n")]
            picked = shown[:n] if m.group("end") in ("first", "top") else shown[-n:]
            refs.append(Ref(m.start(), m.end(), [i.id for i in picked], "ordinal"))
        for m in _NUMBER.finditer(s):
            idx = int(m.group("num")) - 1
            if idx < len(shown):
                refs.append(Ref(m.start(), m.end(), [shown[idx].id], "ordinal"))
        for m in _BARE_NUMBERS.finditer(s):
            nums = [int(n) - 1 for n in re.findall(r"[1-9]", m.group("nums"))]
            if len(shown) > 1 and all(n < len(shown) for n in nums) and not any(r.start <= m.start() < r.end for r in refs):
                refs.append(Ref(m.start(), m.end(), [shown[n].id for n in nums], "ordinal"))
        for m in _PRICE.finditer(s):
            pick = min if m.group("which") in ("cheapest", "least expensive", "most affordable", "cheaper") else max
            refs.append(Ref(m.start(), m.end(), [pick(shown, key=lambda i: i.price).id], "price"))
        for m in _PRICED.finditer(s):
            # 'not the 25 quid ones', 'the €179 pair': the shown cards at that price
            value = float(m.group("p"))
            if not re.fullmatch(r"[€$£]?\s?\d+(?:[.,]\d+)?", text.quote(m.start("p"), m.end("p")).strip()) or value < 10 and not (m.group("c") or m.group("s")):
                continue  # 'the three options you sent': a count said in words, no price
            priced = [i.id for i in shown if abs(i.price - value) <= 0.5]
            if priced and len(priced) < len(shown):
                refs.append(Ref(m.start(), m.end(), priced, "price"))
        if len(shown) >= 2:
            # 'both are lovely', 'both made to order or out of stock, useless': every item shown, as the
            # subject of what is said of them ('both cotton and wool' names no item)
            for m in re.finditer(r"(?:^|(?<=[,.;!?])\s*)(?P<b>both(?:\s+of\s+(?:them|these|those|the\s+[a-z]+)|(?:\s+[a-z]+)?\s+(?:items|options|ones|products|models|quotes))?)(?=\s+(?:are|were|look|"
                                 r"looks|seem|made|out|no|not|too|is|'re|lovely|great|fine|good|perfect|useless|rubbish|work|"
                                 r"would|will|could|have|has|cost)\b|\s*[,.!?]|$)", s):
                refs.append(Ref(m.start("b"), m.end("b"), [i.id for i in shown], "ordinal"))
        refs.extend(_feature_refs(s, shown))
        refs.extend(r for r in _title_refs(s, shown, lexicon) if not any(x.start <= r.start < x.end for x in refs))
        refs.extend(r for r in _measured_refs(s, shown, lexicon) if not any(x.start <= r.start < x.end for x in refs))
    refs.extend(r for r in catalog_titles(s, lexicon) if not any(x.start <= r.start < x.end for x in refs))
    if shown:
        # 'the other two', 'the others', 'the rest': the shown items no other reference names.
        for m in _OTHERS.finditer(s):
            named = {i for r in refs if not (m.start() <= r.start < m.end()) for i in r.item_ids}
            rest = [i.id for i in shown if i.id not in named]
            if named and rest:
                refs.append(Ref(m.start(), m.end(), rest, "ordinal"))
        target = focus or shown[0]
        for m in _DEICTIC.finditer(s):
            bare = not re.search(r"\s", m.group(0).strip())
            if bare and not re.search(r"(?:^|[,.!?;:]\s*|\b(?:but|and|so|think|yes|no|oh|well|ok|okay|hmm|honestly|"
                                      r"like|love|want|take|about|is|not)\s+)$", s[:m.start()]):
                continue  # 'scarves that would make a gift': a relative 'that', not 'that one'
            if bare and re.match(r"\s+(?:to|up|back|away|home)\b", s[m.end():]):
                continue  # "I'll take this to the finance committee": no card taken
            if goodbye is not None and goodbye.match(s, m.start()):
                continue  # 'thanks, that is all': a closing, not a verdict on the item shown
            # 'the second one, she'd love that': 'that' is the one just named, when one was
            named = [r for r in refs if r.end <= m.start() and r.how != "deictic" and len(r.item_ids) == 1]
            refs.append(Ref(m.start(), m.end(), [named[-1].item_ids[0] if named else target.id], "deictic"))
        # 'does that coat have a lining?', 'is this jumper cotton?': the item being looked at, called
        # by its kind (a word of its title, or a word the catalog uses for its category).
        kind_words = {w for w in re.findall(r"[a-z]+", target.title.lower()) if len(w) >= 3}
        for m in re.finditer(r"\b(?:that|this)\s+(?P<n>[a-z]{3,})\b", s):
            noun = m.group("n")
            if noun in ("one", "pair", "set") or any(r.start <= m.start() < r.end for r in refs) \
                    or _degree(s, m.start(), m.start("n")):
                continue
            cats = lexicon.aliases.get(noun) or lexicon.aliases.get(singular(noun)) or ()
            if noun in kind_words or singular(noun) in kind_words or (target.category and target.category in cats):
                refs.append(Ref(m.start(), m.end(), [target.id], "deictic"))
    refs.sort(key=lambda r: (r.start, r.how not in ("id", "ordinal"), r.start - r.end))  # the longest first: 'the first two'
    out: list[Ref] = []
    for ref in refs:
        if out and ref.start < out[-1].end:
            continue
        out.append(ref)
    return out


def _measured_refs(s: str, shown: list[Item], lexicon: CatalogLexicon) -> list[Ref]:
    """'the 75hz one', 'the 13 inch ones', 'that 2m cable': the shown items whose field in that unit
    (refresh_hz, screen_in, length_m) holds the number, when some but not all do."""
    out = []
    for m in _MEASURED.finditer(s):
        head = m.group("head")
        if head not in ("one", "ones", "model", "models", "version") and not (
                lexicon.aliases.get(head) or lexicon.aliases.get(singular(head))):
            continue  # 'the 16gb of ram': a limit, not an item
        unit, value = _UNIT_OF_FORM[m.group("u").lower()], float(m.group("n"))
        holders = [i.id for i in shown if any(
            name.endswith(f"_{unit}") and isinstance(v, (int, float)) and not isinstance(v, bool) and float(v) == value
            for name, v in i.attributes.items())]
        if holders and (len(holders) < len(shown) or len(shown) == 1):
            out.append(Ref(m.start(), m.end(), holders, "title"))
    return out


_WITH_FEATURE = rx(r"\b(?:the|that|those)\s+(?:one|ones|pair|set)\s+(?:with|that has|that's got|with the|w/)\s+"
                   r"(?:the\s+|a\s+|an\s+|some\s+)?(?:(?:little|big|small|cute|tiny|long|short|wee)\s+)?(?P<x>[a-z][a-z-]{2,}(?:\s+[a-z][a-z-]{2,})?)")


def _feature_refs(s: str, shown: list[Item]) -> list[Ref]:
    """'the one with the little hat', 'the ones with pockets': the one shown item whose title or
    description names that thing (a set 'with a top, leggings and hat')."""
    out = []
    for m in _WITH_FEATURE.finditer(s):
        words = m.group("x").split()
        for n in (len(words), 1):
            thing = " ".join(words[:n])
            if thing in STOPWORDS:
                continue
            pattern = re.compile(rf"\b{re.escape(thing)}(?:s|es)?\b|\b{re.escape(singular(thing))}\b", re.IGNORECASE)
            holders = [i.id for i in shown if pattern.search(f"{i.title} {i.description}")]
            if len(holders) == 1 or (holders and len(holders) < len(shown) and m.group(0).split()[1] == "ones"):
                end = m.start("x") + len(thing)
                out.append(Ref(m.start(), end, holders, "title"))
                break
    return out


def _degree(s: str, start: int, after: int) -> bool:
    """Whether the 'that'/'this' at ``start`` (its word ending before ``after``) says how much, not
    which item: 'nothing that chunky', 'not this bright!' ('not that chunky one' names one)."""
    return bool(re.search(r"\b(?:nothing|anything|none|never)\s+$", s[:start])
                or re.search(r"\bnot\s+$", s[:start]) and re.match(r"[a-z-]+\s*(?:[,.;!?]|$|pls\b|please\b)", s[after:]))


def _title_refs(s: str, shown: list[Item], lexicon: CatalogLexicon | None = None) -> list[Ref]:
    """'the Velluto dress', 'that silk one', 'the torque wrench': title, brand, colour or category
    words after a determiner that single out one shown item (a word only that item has counts 1, a
    word others share 0.25); the longest such phrase wins."""
    token_sets = []
    for item in shown:
        named = f"{item.title} {item.brand} {item.category}".lower()
        words = set(re.findall(r"[a-z0-9]+", named)) | set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", named))
        colour = re.findall(r"[a-z]+", str(item.attributes.get("colour", "")).lower())
        words |= set(colour)
        if lexicon is not None:
            # 'the straw one' of a 'net bag in braided paper straw', 'the striped ones' of a pattern
            # 'Stripe', 'the satin ones': what the item is made of or patterned with, as its text says
            words |= lexicon.item_materials(item)
        title = re.findall(r"[a-z0-9]+", item.title.lower())
        if lexicon is not None and item.category:
            # 'the wellies' of 'S5 Nitrile Safety Wellingtons': a name of the item's kind that clips a
            # word of its title
            words |= {name for name, stem in lexicon.clipped_aliases(item.category)
                      if any(w.startswith(stem) and w != name and len(w) > len(name) for w in title)}
        words |= {re.sub(r"\s+", "", q) for q in re.findall(r"\d+(?:\.\d+)?\s?(?:ml|l|mm|cm|m|g|kg|oz|in|µl|ul)\b", named)}  # '1.5ml'
        token_sets.append({w for w in words if (len(w) >= 3 or any(c.isdigit() for c in w)) and w not in STOPWORDS}
                          | {singular(w) for w in words if len(w) > 3}
                          | {f"{a} {b}" for a, b in zip(title, title[1:]) if len(b) <= 2}  # 'level f', 'size 9'
                          | {f"{a} {b}" for a, b in zip(colour, colour[1:])})  # 'the dark grey one' beside dark red and light grey

    refs: list[Ref] = []
    # After a determiner, or at a clause's start before 'one(s)' or a verdict ('plaid one is not him',
    # 'light blue is more like it')
    for m in re.finditer(r"\b(?:the|that|this|those|these|your|ur)\s+|(?:^|(?<=[,.;!?]\s)|(?<=\bbut\s))(?=(?:[a-z0-9-]+\s+){0,2}"
                         r"[a-z0-9-]+(?:\s+ones?\b|(?:\s+is|\s+are|'s|'re)\s+(?:more like it|perfect|the one|lovely|spot on|ideal|"
                         r"not (?:him|her|them|me|it)\b)|(?:\s+(?:is|are|'s|'re))?\s+(?:still\s+)?(?:out of stock|sold out|"
                         r"back in stock)\b))", s):  # ('wellies out of stock?? when are they back in')
        if m.group(0).strip() in ("that", "this") and _degree(s, m.start(), m.end()):
            continue
        tail = []
        for w in re.finditer(r"[a-z0-9-]+(?:\.\d+[a-zµ]*)?", s[m.end():m.end() + 50]):  # ('the 1.5ml tubes')
            if tail and w.group(0) in STOPWORDS and w.group(0) not in ("one", "ones"):
                break  # 'the same but in blue': the phrase ends before 'but'
            asking = re.search(r"(?:^|[,.!?;]\s*)(?:is|are|does|do|has|have|can|will|would)\s+$", s[:m.start()])
            if tail and re.match(r"\s*\?", s[m.end() + w.end():]) and asking:
                break  # 'are the 50 ml tubes sterile?': the last word is what is asked, not the name
            if tail and asking and re.match(r"\s+or\s+(?:not\b|[a-z0-9-]+(?:\s+[a-z0-9-]+)?\s*\?)", s[m.end() + w.end():]):
                break  # 'is the blazer wool or cashmere?', '... silk or not?': the first of what is asked
            if tail and asking and lexicon is not None:
                rest = re.match(r"[^?.!,;]*", s[m.end() + w.start():]).group(0).strip()
                if re.fullmatch(r"(?:en|iso|din|bs|ansi|astm|iec|nf)\s?[\d][\d\s:.-]*(?:\s?(?:type|class|level)\s?\w+)?", rest) or (
                        " " in rest or "-" in rest) and (lexicon.term_kind(re.sub(r"[\s-]+", " ", rest)) is not None
                                                         or re.fullmatch(r"[a-z]+[\s-]free", rest)):
                    break  # 'is the sanitiser spray EN 14476?', '... food safe?': what is asked ends the name
            tail.append(w)
            if len(tail) == 4 or (len(tail) > 1 and w.group(0) in ("one", "ones")):
                break  # ('is the cactus one actually vegan': 'one' ends the name)
        if tail and tail[0].group(0) in STOPWORDS and tail[0].group(0) not in ("one", "ones"):
            continue  # 'these are gold': a verb follows, no item is named
        if tail and not m.group(0).strip() and re.match(r"\s+only\b", s[m.end() + tail[-1].end():]):
            continue  # 'cotton ones only please': what every item must be, no card named
        if tail and (tail[0].group(0) in ("two", "three", "four", "five", "lot", "bunch")
                     or tail[0].group(0) == str(len(shown))) and (
                len(tail) == 1 or tail[1].group(0) in STOPWORDS or tail[1].group(0) in ("one", "ones")):
            continue  # 'of the three, which ...': the items shown, not a title with 'Class 3' in it
        best: tuple[float, int, int] | None = None  # (score, item index, end)
        for n in range(len(tail), 0, -1):
            words = [w.group(0) for w in tail[:n] if w.group(0) not in STOPWORDS]
            if not words or tail[n - 1].group(0) in STOPWORDS:
                continue
            pairs = [f"{a} {b}" for a, b in zip(words, words[1:])]
            scores = []
            for tokens in token_sets:
                score = 0.0
                for pair in pairs:  # 'the level F ones': a grade in one title only
                    if pair in tokens:
                        score += 1.0 if sum(1 for other in token_sets if pair in other) == 1 else 0.25
                for w in words:
                    if w in tokens or singular(w) in tokens:
                        holders = sum(1 for other in token_sets if w in other or singular(w) in other)
                        score += 1.0 if holders == 1 else 0.25
                    elif _clipped(w, tokens):  # 'the refurb one' of a title saying 'Refurbished'
                        holders = sum(1 for other in token_sets if _clipped(w, other))
                        score += 1.0 if holders == 1 else 0.25
                    elif w not in ("one", "ones", "pair", "model", "version") and (len(w) >= 3 or w.isdigit()):
                        score -= 0.5  # ('ml' in 'the 50 ml tubes' is too short to have been indexed)
                scores.append(score)
            top = max(scores)
            if top >= 1.0 and scores.count(top) == 1:
                best = (top, scores.index(top), m.end() + tail[n - 1].end())
                break
        if best is not None and lexicon is not None and re.search(
                r"\b(?:forget|never\s?mind|scrap|drop|skip|ignore)\s+(?:about\s+)?$", s[:m.start()]) \
                and lexicon.term_kind(s[m.end():best[2]].strip()) in ("colour", "material", "pattern") \
                and not _named_after(s[best[2]:], lexicon):
            best = None  # 'ok forget the pink, colours whatever': a wish taken back, not the pink card
        if best is not None:
            refs.append(Ref(m.start(), best[2], [shown[best[1]].id], "title"))
        elif len(tail) >= 2 and (tail[1].group(0) in ("ones", "options", "pairs", "kinds", "models") or (
                tail[1].group(0).endswith("s") and lexicon is not None and (tail[1].group(0) in lexicon.aliases
                                                                              or singular(tail[1].group(0)) in lexicon.aliases))):
            # 'not the Packridge ones', 'the packridge bags': a word (a brand, a colour, a title word)
            # that several shown items share, but not all, with a plural head, names each of them.
            w, head = tail[0].group(0), tail[1].group(0)
            holders = [k for k, tokens in enumerate(token_sets) if w in tokens or singular(w) in tokens]
            with_head = [k for k in holders if head in token_sets[k] or singular(head) in token_sets[k]]
            if with_head:
                holders = with_head  # 'the chef trousers': of the chef items, the trousers
            if 1 <= len(holders) < len(shown):
                refs.append(Ref(m.start(), m.end() + tail[1].end(), [shown[k].id for k in holders], "title"))
    # Without a determiner, a word of one shown item's title only, as the subject of a verdict
    # ("helmet's grand, we'll go with that", 'gloves are fine').
    for m in re.finditer(r"(?:^|(?<=[,.;!?]\s))(?P<w>[a-z][a-z-]+|\d+[a-z]+)(?:\s+(?P<w2>ones?|[a-z][a-z-]+s))?(?:'s|\s+is|\s+are|'re|"
                         r"\s+shows?|\s+says?)\s+(?=[a-z])", s):  # ('wellies show out of stock - when are they back in?')
        # ('sharps bins are fine', 'vinyl ones are a no': the title's word and the kind, or 'ones')
        w, w2 = m.group("w"), m.group("w2")
        if w in STOPWORDS or any(r.start <= m.start() < r.end for r in refs) or (
                lexicon is not None and lexicon.term_kind(w) and not w2):
            continue  # ('pink is a must' asks for pink, though one item shown is pink)
        holders = [k for k, tokens in enumerate(token_sets) if w in tokens or singular(w) in tokens]
        if w2 and w2 not in ("one", "ones") and not (lexicon is not None and any(
                k in lexicon.aliases for k in (w2, singular(w2), f"{w} {w2}", f"{w} {singular(w2)}"))):
            continue  # ('tights sizes are odd': the second word must be 'ones' or a kind)
        if len(holders) == 1 or (w2 and w2 != "one" and 1 <= len(holders) < len(shown)):
            # ('packridge ones are fine': each card of that brand, not all of them)
            refs.append(Ref(m.start(), m.end("w2") if w2 else m.end("w"), [shown[k].id for k in holders], "title"))
    # Two shown items named by a word of each, as one subject ('napkins and cutlery are perfect'),
    # or one named and its verdict said straight after ('straws not so much', 'the bleach no').
    for m in re.finditer(r"(?:^|(?<=[,.;!?]\s))(?:the\s+)?(?P<a>[a-z][a-z-]+)\s+(?:and|&)\s+(?:the\s+)?(?P<b>[a-z][a-z-]+)"
                         r"\s+(?:are|'re|were|both|look|seem)\b|(?:^|(?<=[,.;!?]\s)|(?<=\bbut\s))(?:the\s+)?(?P<c>[a-z][a-z-]+)"
                         r"(?=\s+(?:not\b|no\b(?!\s+[a-z]{3,})|nah\b|nope\b))", s):
        for key in ("a", "b", "c"):
            w = m.group(key)
            if not w or w in STOPWORDS or any(r.start <= m.start(key) < r.end for r in refs) or (
                    lexicon is not None and lexicon.term_kind(w)):
                continue
            holders = [k for k, tokens in enumerate(token_sets) if w in tokens or singular(w) in tokens]
            if len(holders) == 1:
                refs.append(Ref(m.start(key), m.end(key), [shown[holders[0]].id], "title"))
    # Without a determiner, two words of one shown item's title in a row ('peony tea dress in
    # stock?'), not a colour or material phrase that describes what is wanted ('midnight blue').
    for k, item in enumerate(shown):
        title_words = [w for w in re.findall(r"[a-z0-9]+", item.title.lower()) if len(w) >= 3 and w not in STOPWORDS]
        # ('Trek Max' beside 'Trek Mini': the short word tells them apart)
        distinctive = {w for w in title_words if sum(1 for t in token_sets if w in t) == 1 and len(w) >= 3}
        for w in title_words:
            for m in re.finditer(rf"\b{re.escape(w)}\s+(?P<w2>[a-z0-9]+)\b", s):
                w2 = m.group("w2")
                if w2 == w or w2 not in title_words or not ({w, w2} & distinctive) or \
                        lexicon is not None and lexicon.term_kind(f"{w} {w2}"):
                    continue  # ('mop heads' where two titles say mop: 'heads' tells them apart)
                if re.match(r"\s*(?:\?|or\b)", s[m.end():]) and re.search(
                        r"(?:^|[,.!?;]\s*)(?:is|are|does|do|has|have|can|will|would)\s+(?:the|that|this|those|these)\s+$",
                        s[:m.start()]):
                    continue  # 'is the blazer wool?' of three blazers: the wool is asked, it names no card
                if not any(r.start <= m.start() < r.end for r in refs):
                    refs.append(Ref(m.start(), m.end(), [item.id], "title"))
    return refs


def _named_after(rest: str, lexicon: CatalogLexicon) -> bool:
    """Whether the words after a colour or material name a card ('the pink one', 'the pink dress')."""
    m = re.match(r"\s+(?P<w>[a-z]+)", rest)
    return bool(m) and (m.group("w") in ("one", "ones", "pair", "option", "options")
                        or m.group("w") in lexicon.aliases or singular(m.group("w")) in lexicon.aliases)


def _clipped(word: str, tokens: set[str]) -> bool:
    """``word`` is a clipped form of one of ``tokens`` ('refurb' of 'refurbished'): five letters at
    least, and at least two fewer than the word it starts."""
    return len(word) >= 5 and word.isalpha() and any(len(t) >= len(word) + 2 and t.startswith(word) for t in tokens)


_UNIT_FORMS = {unit: frozenset(f.lower() for f in forms) for unit, forms in language("en").units.field_units.items()}
"""A unit -> the forms people write it in ('in': inch, inches), from lang/en/units.toml."""
_UNIT_OF_FORM = {f: u for u, forms in _UNIT_FORMS.items() for f in forms}
_MEASURED = re.compile(r"\b(?:the|that|this|those|these)\s+(?P<n>\d+(?:\.\d+)?)\s?(?P<u>"
                       + "|".join(re.escape(f) for f in sorted(_UNIT_OF_FORM, key=len, reverse=True))
                       + r")(?![a-z0-9])\s*(?P<head>[a-z]+)")


def catalog_named(s: str, lexicon: CatalogLexicon, taken: list[Ref]) -> list[Ref]:
    """Catalog items a question names by words of their titles after a determiner, shown or not:
    'what's the lead time on the torque wrench?', 'is the bleach EN 14476?', 'price per case on the
    C-fold towels?'. The longest run of words after 'the' (up to five, stopping at a small word)
    that every word of which is in one item's title only, and in no other's, names that item; 'the
    nitrile gloves' names none (several titles have both words). Positions ``taken`` by another
    reference are skipped. Only a question reads these: 'I want the navy suit' is a request."""
    parts = lexicon.title_words
    if not parts:
        return []
    out: list[Ref] = []
    # ('what is price of cable ties if we take 1000?': after 'of', 'on' or 'for', no determiner needed)
    for m in re.finditer(r"\b(?:the|that|this|your|ur)\s+|(?<=\bof )|(?<=\bon )|(?<=\bfor )", s):
        if not m.group(0) and not re.search(r"\b(?:price|prices|cost|costs|moq|minimum|lead time|pack size|rate|rates)\s+$",
                                            s[max(0, m.start() - 30):m.start() - 3]):
            continue  # ('quote 40 cases of 2-ply toilet roll' names no item: only a field's 'of' does)
        if any(r.start <= m.start() < r.end or r.start <= m.end() < r.end for r in taken):
            continue
        tail = []
        for w in re.finditer(r"[a-z0-9][a-z0-9-]*", s[m.end():m.end() + 60]):
            if tail and s[m.end() + tail[-1].end():m.end() + w.start()].strip():
                break  # 'the bleach, EN 14476?': the name ends at the comma
            if w.group(0) in STOPWORDS and (not tail or singular(w.group(0)) not in parts):
                break  # 'the drill bit set in stock': the name ends before 'in' ('bit' is a title's word)
            tail.append(w)
            if len(tail) == 5:
                break
        asking = re.search(r"(?:^|[,.!?;]\s*)(?:is|are|does|do|has|have|can|will|would)\s+$", s[:m.start()])
        if tail and " ".join(w.group(0) for w in tail).replace(" ", "_") in lexicon.attribute_names and re.match(
                r"\s+(?:on|of|for|in)\s+(?:the|your|this|that)\b", s[m.end() + tail[-1].end():]):
            continue  # 'is the stand on the Vantage 27 height adjustable?': the field asked, the item after it
        for n in range(len(tail), 0, -1):
            if asking and n > 1 and re.match(r"\s*(?:\?|or\b)", s[m.end() + tail[n - 1].end():]):
                continue  # 'is the blazer wool or cashmere?': the last word is what is asked, not the name
            found: frozenset[int] | None = None
            skipped = ""
            for k_w, w in enumerate(tail[:n]):
                postings = lexicon.titled_with(w.group(0))
                if not postings and (k_w < n - 1 and w.group(0) in lexicon.brand_words() or k_w < n - 2):
                    # 'the Casa Solenne lemon earrings', 'the cognac top handle bag' (a colour before two
                    # words of the title at least: 'the green dress in Atonement' names no card)
                    postings = lexicon.named_with(w.group(0))
                if not postings and found and k_w > 0 and len(w.group(0)) <= 2:
                    postings = found & lexicon.title_words.get(f"{tail[k_w - 1].group(0)} {w.group(0)}", frozenset())
                    # 'the level F cut gloves': the grade with the word before it, as the title writes it
                if not postings and k_w == 0 and n > 1 and len(w.group(0)) <= 2 and any(c.isdigit() for c in w.group(0)):
                    skipped = w.group(0)
                    continue  # 'the S5 nitrile wellingtons': a grade too short to index, then the title's words
                if not postings and found and k_w > 0 and tail[k_w - 1].group(0).isdigit() and any(
                        w.group(0) in forms for forms in _UNIT_FORMS.values()):
                    postings = found  # '12 inch' where the title writes '12 in' (too short a word to index)
                if k_w == n - 1 and k_w > 0 and found and not (found & postings):
                    # 'the Flamingo coat': the title's word, then the item's kind (its title is 'Flamingo')
                    kinds = set(lexicon.aliases.get(w.group(0)) or lexicon.aliases.get(singular(w.group(0))) or ())
                    postings = frozenset(k for k in found if k < len(lexicon.item_categories)
                                         and lexicon.item_categories[k] in kinds)
                found = postings if found is None else found & postings
                if not found:
                    break
            if found is not None and len(found) == 1 and skipped and next(iter(found)) < len(lexicon.item_titles) \
                    and skipped not in re.findall(r"[a-z0-9]+", lexicon.item_titles[next(iter(found))].lower()):
                break  # ('the S5 boots' of the only boots titled S3: not them)
            if found is not None and len(found) == 1:
                k = next(iter(found))
                if k < len(lexicon.item_order):
                    out.append(Ref(m.start(), m.end() + tail[n - 1].end(), [lexicon.item_order[k]], "title"))
                break
    return out


def catalog_titles(s: str, lexicon: CatalogLexicon) -> list[Ref]:
    """An item of the catalog named by its whole title after 'the' ('who makes the Lyocell Jersey
    Wrap Travel Dress?'), when that title belongs to one item only ('a jersey top' asks for any)."""
    titles = lexicon.titles
    if not titles:
        return []
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[a-z0-9&'-]+", s)]
    out: list[Ref] = []
    i = 0
    while i < len(words):
        for n in range(min(8, len(words) - i), 1, -1):
            phrase = " ".join(w for _, _, w in words[i:i + n])
            if phrase in titles and re.search(r"\b(?:the|that|this|your)\s+$", s[:words[i][0]]):
                out.append(Ref(words[i][0], words[i + n - 1][1], [titles[phrase]], "title"))
                i += n - 1
                break
        i += 1
    return out


def polarity(text: Text, refs: list[Ref], k: int, clause: tuple[int, int]) -> tuple[str | None, str]:
    """Whether reference ``k`` is liked or rejected, and the rejection's reason (see the module
    docstring)."""
    ref = refs[k]
    cs, ce = clause
    s = text.clean
    lo = max([cs, *(r.end for r in refs[:k] if r.end > cs)])
    hi = min([ce, *(r.start for r in refs[k + 1:] if r.start < ce)])
    if _COMPARED_TO.search(s[lo:ref.start]):
        return "liked", ""
    if re.search(r"\b(?:forget|never\s?mind|scrap)\s+(?:about\s+)?$", s[lo:ref.start]):
        return "rejected", ""  # 'forget the pink one'
    chunk_lo = lo + (s[lo:ref.start].rfind(",") + 1 if "," in s[lo:ref.start] else 0)
    comma_after = s.find(",", ref.end, hi)
    chunk_hi = comma_after if comma_after != -1 else hi
    candidates = [(chunk_lo, chunk_hi)]
    if comma_after != -1:
        nxt_end = s.find(",", comma_after + 1, hi)
        nxt = (comma_after + 1, nxt_end if nxt_end != -1 else hi)
        if re.match(r"\s*(?:it|it's|that|that's|this|this one|which|too|way too|not|but|defo|deffo|definitely|def|"
                    r"for sure|yes|yep|perfect|lovely|exactly|no way|nope|nah)\b", s[nxt[0]:nxt[1]]):
            candidates.append(nxt)
    if chunk_lo > lo:
        candidates.append((lo, chunk_lo))
    for a, b in candidates:
        # (the rest of a word the reference ends inside: 'the carr|é' of a title the pattern spells in ASCII)
        segment = s[a:ref.start] + " " + re.sub(r"^\w+", "", s[ref.end:b]) if a <= ref.start < b else s[a:b]
        if _DONT_MIND.search(segment):
            return None, ""
        if NEGATIVE.search(segment):
            after = text.quote(ref.end, b) if a <= ref.start < b else text.quote(a, b)
            before = text.quote(a, ref.start) if a <= ref.start < b else ""
            return "rejected", _reason(after) or _reason(before)
        if POSITIVE.search(segment):
            return "liked", ""
    return None, ""


_VERDICT_WORDS = frozenset("""not no don't dont do does doesn't didn't like love dislike hate really that one
    skip remove drop pass nope nah never rather thanks thank please for me isn't is it's was this meh""".split())


def _reason(segment: str) -> str:
    """The words of a rejection that say why ('too formal'), or '' when they only say no."""
    cleaned = re.sub(r"\s+", " ", segment).strip(" ,.;:!?-")
    content = [w for w in re.findall(r"[a-z']+", cleaned.lower()) if w not in STOPWORDS and w not in _VERDICT_WORDS]
    return cleaned if content else ""


def none_of_them(text: Text, phrases: re.Pattern[str] | None = None) -> re.Match[str] | None:
    """Words that turn down everything shown: 'none of these', and the language file's list
    ('these aren't it', 'not feeling these', 'keep looking'), said at the start of a clause."""
    m = _NONE_OF_THEM.search(text.clean)
    if m is None and phrases is not None:
        m = phrases.search(text.clean)
    return m
