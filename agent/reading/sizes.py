"""Sizes: "size M", "sizes S or M", "in a 38", "I'm a medium", "she wears a 40", "EU 38", "UK 10".

Letter sizes are normalised ("medium" -> M, "extra large" -> XL, ``lang/<code>/sizes.toml``); a
numeric size is read as written, and a system before it ("EU 38") is dropped unless the catalog
writes sizes that way. A UK or US size the catalog does not sell is the EU size it converts to
when the catalog sells that ("UK 10" -> 38; the tables are in ``sizes.toml``). "in a 38" counts only when the catalog sells a 38 (otherwise it is
likely a quantity or a measurement); "a small order" and "large quantities" are no sizes.
"""

from __future__ import annotations

import re

from agent.reading.lexicon import CatalogLexicon, Language, forms
from agent.reading.text import Text, alternation


class SizeGrammar:
    def __init__(self, lang: Language, lexicon: CatalogLexicon):
        self.letters = {re.sub(r"\s+", " ", k): v for k, v in lang.sizes.letters.items()}
        self.catalog = lexicon.sizes
        letter = alternation(self.letters)
        value = rf"(?:{letter}|\d{{1,3}}(?:\.5)?)"
        systems = alternation(lang.sizes.cues.systems)
        joined = rf"(?P<s>{value}(?:\s*(?:,|or|and|to|/|-)\s*(?:size\s+)?{value})*)"
        not_after = alternation(lang.sizes.cues.not_after)
        guard = rf"(?!\s*(?:{not_after}|%|days?|weeks?|units?|pieces?|pairs?|boxes|x\b)\b)"
        self.explicit = re.compile(rf"\b(?:sizes?|sz)(?![a-z])\s*:?\s*(?:(?P<sys>{systems})\s?)?{joined}\b"
                                   rf"(?:\s?(?P<sys_after>{systems})(?![a-z]))?{guard}", re.IGNORECASE)
        self.system = re.compile(rf"\b(?P<sys>{systems})\s?(?P<s>\d{{1,2}}(?:\.5)?)\b{guard}", re.IGNORECASE)
        cues = [c for c in lang.sizes.cues.before if c not in ("size", "sizes", "in size", "in sizes", "in a size")]
        cues += [c[:-2] + " an" for c in cues if c.endswith(" a")]  # 'I'm usually an L' 
        self.system_after = re.compile(rf"\b(?P<s>\d{{1,2}}(?:\.5)?)\s?(?P<sys>{systems})(?![a-z])(?!\s*\d)", re.IGNORECASE)
        conv = lang.sizes.conversions
        self.conversions = {"shoes": conv.shoes, "clothing": conv.clothing}
        self.shoe_words = re.compile(rf"(?<![\w-])(?:{alternation(conv.shoe_words)})(?![\w-])", re.IGNORECASE) \
            if conv.shoe_words else None
        codes = [k for k, v in self.letters.items() if len(v) >= 2 and k not in ("os",) and (len(k) >= 2)]
        code = alternation(codes)
        any_size = alternation([k for k in self.letters if k != "os"])
        self.codes = re.compile(rf"(?<![\w-])(?P<s>(?:{code})(?:\s*(?:/|or|and|to|,)\s*(?:{any_size}))*)(?![\w-])",
                                re.IGNORECASE)
        self.listed = re.compile(rf"(?<![\w-])(?P<s>(?:{any_size})(?:\s*(?:/|or|and|to|,)\s*(?:an?\s+)?(?:{any_size}))+)(?![\w-])"
                                 rf"(?!\s*(?:{not_after})\b)", re.IGNORECASE)
        words = alternation(["small", "medium", "large", "extra large", "extra small", "med", "xtra large"])
        self.alone = re.compile(rf"(?:^|(?<=[.!?;,])|(?<=[.!?;,]\s))\W*(?:(?:a|an|in|in a|size)\s+)?(?P<s>{words}|xx?s|s|m|l|xx?l)"
                                rf"(?:\s+(?:please|pls|plz|size|for\s+\w+(?:\s+\w+)?|thanks|thank you|would be great|is fine|"
                                rf"is good|works))?\s*(?=[.!?;,]|$)", re.IGNORECASE)
        lettered = {c.lower() for c in lexicon.lettered}
        kinds = {f for w in lexicon.domain.worn for f in forms(w)}
        kinds |= {w for w, cats in lexicon.aliases.items() if any(c.lower() in lettered for c in cats)}
        kinds |= {w for w, cats in lexicon.domain.types.items() if any(c.lower() in lettered for c in cats)}
        self.before_kind = re.compile(
            rf"(?<![\w-])(?P<s>{words})(?=\s+(?!(?:{not_after})\b)(?:(?!(?:of|for|with|and|or|in|to|a|an|the)\b)"
            rf"[a-z][\w-]*\s+){{0,2}}(?:{alternation(kinds)})(?![\w-]))", re.IGNORECASE) if kinds else None
        """'a medium cashmere jumper', 'large nitrile gloves': a size word before a kind sold in S, M, L."""
        garments = {f for w in lexicon.domain.worn for f in forms(w)} | set(lang.sizes.conversions.shoe_words)
        self._worn = re.compile(rf"(?<![\w-])(?:{alternation(garments)})(?![\w-])", re.IGNORECASE) if garments else None
        self.after_kind = re.compile(
            rf"(?<![\w-])(?:{alternation(garments)})\s+(?P<s>\d{{2}}(?:\.5)?)\s*(?=[,;.!+/]|$)", re.IGNORECASE) if garments else None
        """'mens shoes 43, brown': a number right after the kind, alone in its piece, where the catalog sells that size."""
        self.terse = re.compile(
            r"(?<=[a-z])\s+(?P<s>xx?s|s|m|l|xx?l|xxxl|\d{2}(?:\.5)?)"
            r"(?=\s*(?:$|[,;.!?]|\s-\s|(?:under|below|max|up to|<|£|€|\$|please|pls|or|and)\b|\s+[a-z]))",
            re.IGNORECASE) if garments else None
        """'merino crew neck jumper navy M', 'chelsea boots suede tan 43 under 300': a size token
        run on after the words of a search-box query; taken only after a word of the item (its kind,
        a colour, material or fit the catalog knows) and where the catalog sells that size."""
        self.item_words = frozenset(garments) | frozenset(
            w for phrase in [*lexicon.domain.colours, *lexicon.domain.materials, *lexicon.domain.attributes,
                             *lexicon.domain.patterns] for w in phrase.lower().split()) | lang.stopwords.wearers
        self.word_in = re.compile(rf"\b(?:a|an)\s+(?P<s>{words})\s+(?:in|for)\s+the\b", re.IGNORECASE)
        self.person = re.compile(r"\b(?:client|she|he|wife|husband|daughter|son|mum|mom|mother|father|dad|girlfriend|"
                                 r"boyfriend|partner|sister|brother|friend|niece|nephew)\s+(?:is|'s)\s+(?:usually\s+|normally\s+)?"
                                 rf"(?:a|an)\s+(?P<s>{value})\b", re.IGNORECASE)
        hedged = rf"(?:\s+(?:{alternation(lang.sizes.cues.hedges)}))?" if lang.sizes.cues.hedges else ""
        self.piece = re.compile(rf"(?:^|(?<=[,;.:+])|(?<=\s/))\s*(?:(?:size|sz|in|a|an)\s+)?(?P<s>{value}){hedged}\s*(?=[,;.!+]|\s/|$)",
                                re.IGNORECASE)
        """'a belt, 90 cm' below; 'collar 15 and a half, a 39 i believe': a size alone in its piece, hedged or not."""
        self.piece_unit = re.compile(r"(?:^|(?<=[,;.:]))\s*(?P<s>\d{2,3})\s?(?:cm|inch|inches|in)\s*(?=[,;.!]|$)",
                                     re.IGNORECASE)
        """'a belt, 90 cm': a belt size where the catalog writes the 90 alone."""
        self.in_garment = re.compile(rf"\b(?P<s>\d{{1,3}}(?:\.5)?)\s+in(?=\s+(?:(?:your|the|his|her|my|their)\s+)?(?:(?P<sys>{systems})\s+)?(?:jackets?|suits?|shirts?|"
                                     r"trousers|pants|shoes|boots|dresses|coats?|jeans|tops|skirts?|knitwear|blazers?|belts?|"
                                     r"rings?|gloves|hats?|sizing|sizes)\b)", re.IGNORECASE)
        """'52 in jackets': the size the person takes in that kind of item. Only '52 in' is taken: the
        kind is left to the kinds pass, which keeps it unless another kind is asked for ('a 50 in
        jackets and wants a tweed suit' asks for a suit)."""
        conv_cues = lang.sizes.cues.converted
        self.converted = re.compile(rf"(?<![\w'])(?:{alternation(conv_cues)})(?![\w'])", re.IGNORECASE) if conv_cues else None
        """'a 34 waist, which makes him a 90 in belts', 'a 40 regular in UK sizing, so a 50': the size
        said after a word of converting is the one meant, in the shop's sizes."""
        measures = alternation(lang.sizes.cues.measures) if lang.sizes.cues.measures else r"(?!x)x"
        m_unit = rf"(?:\s?(?:{alternation(lang.sizes.cues.measure_units)})(?![a-z]))?" if lang.sizes.cues.measure_units else ""
        self.measure = re.compile(rf"\b(?:(?:{measures})\s+(?P<s>\d{{2,3}}(?:\.5)?)(?![\d.]){m_unit}(?![\w.])"
                                  rf"|(?P<s2>\d{{2,3}}(?:\.5)?){m_unit}\s+(?:{measures})\b)", re.IGNORECASE)
        """'collar 15', 'waist 32', '32 waist', 'collar 16in', 'a 34 inch waist': a size said as a body measurement."""
        phrases = sorted((k for k in self.catalog if re.search(r"[a-z]", k) and " " in k), key=len, reverse=True)
        self.catalog_phrase = re.compile(rf"(?<![\w-])(?P<s>{alternation(phrases)})(?![\w-])", re.IGNORECASE) if phrases else None
        self.cued = re.compile(rf"(?:^|[^\w])(?:{alternation(cues)})\s+(?:size\s+)?(?P<s>{value})\b{guard}"
                               rf"(?!\s*(?:[a-z]+\s+)?(?:fan|woman|man|person|buyer|manager|girl|boy|one|thing)\b)",
                               re.IGNORECASE)

    def worn_here(self, s: str) -> bool:
        """Whether the message names a kind of item sold in sizes (a garment or shoe word)."""
        return self._worn is not None and self._worn.search(s) is not None

    def resolve(self, raw: str) -> str | None:
        v = re.sub(r"\s+", " ", raw.strip().lower())
        v = self.letters.get(v, v)
        if v.lower() in self.catalog:
            return self.catalog[v.lower()]
        return v if re.fullmatch(r"[A-Z]+|\d+(?:\.5)?|one size", v) else None


def read_sizes(text: Text, grammar: SizeGrammar) -> tuple[list[str], str]:
    """The sizes ``text`` asks for and the words that said so, consuming them."""
    out: list[str] = []
    stated: list[tuple[str, int, list[str], str]] = []  # (system, where, sizes, quote) of each 'UK 5'
    said: list[tuple[list[str], str]] = []  # (sizes, quote) of each match
    spans: list[tuple[int, int, list[str]]] = []  # (start, end, sizes) of each match
    patterns = [grammar.explicit, grammar.system, grammar.system_after, grammar.listed, grammar.person, grammar.measure,
                grammar.cued, grammar.alone, grammar.word_in, grammar.piece, grammar.piece_unit, grammar.in_garment]
    if not grammar.catalog or any(v.upper() in ("XS", "S", "M", "L", "XL") for v in grammar.catalog):
        patterns.insert(patterns.index(grammar.listed) + 1, grammar.codes)
    if grammar.catalog_phrase is not None:
        patterns.insert(0, grammar.catalog_phrase)
    if grammar.before_kind is not None:
        patterns.insert(patterns.index(grammar.alone) + 1, grammar.before_kind)
    if grammar.after_kind is not None:
        patterns.append(grammar.after_kind)
    if grammar.terse is not None and grammar.catalog:
        patterns.append(grammar.terse)
    for pattern in patterns:
        for m in text.find(pattern):
            raw = m.group("s") or m.groupdict().get("s2")
            system = m.groupdict().get("sys") or m.groupdict().get("sys_after")  # 'size 10 UK'
            if system:
                with_system = f"{system} {raw}".lower()
                if with_system in grammar.catalog:
                    raw = with_system
            parts = [raw] if raw.strip().lower() in grammar.catalog else [  # 'XS/S' where the catalog sells XS/S
                p for p in re.split(r"\s*(?:,|\bor\b|\band\b|\bto\b|/|\s-\s|(?<=\d)-(?=\d))\s*(?:size\s+|an?\s+)?", raw)
                if p.strip()]
            resolved = [r for r in (grammar.resolve(p) for p in parts) if r]
            if pattern in (grammar.piece, grammar.piece_unit, grammar.in_garment, grammar.after_kind) and not all(
                    r.lower() in grammar.catalog for r in resolved) and not (pattern is grammar.in_garment and system):
                continue  # a lone '48' is a size only where the catalog sells a 48 ('a 9 in UK shoes' is a UK 9)
            if pattern is grammar.terse:
                before = re.findall(r"[a-z'-]+", text.clean[max(0, m.start() - 30):m.start()].lower())
                if not before or before[-1] not in grammar.item_words or not all(
                        r.lower() in grammar.catalog for r in resolved) or not grammar.worn_here(text.clean):
                    continue
            if pattern is grammar.cued:
                numeric = [r for r in resolved if re.fullmatch(r"[\d.]+", r)]
                uk = grammar.conversions.get("clothing", {}).get("uk", {})
                if numeric and grammar.catalog and any(r.lower() not in grammar.catalog for r in numeric) \
                        and re.search(r"\b(?:i'?m|i am|she'?s|he'?s|she is|he is|usually|normally|wears?|takes?)\b", m.group(0)) \
                        and not (grammar.shoe_words is not None and grammar.shoe_words.search(text.clean)) \
                        and not re.search(r"\b(?:us|usa|american|eu|euro|european|it|italian|fr|french)\s+(?:siz|\d)", text.clean) \
                        and all(r.lower() in grammar.catalog or (uk.get(r) or "").lower() in grammar.catalog for r in numeric):
                    # 'I'm usually a 10. Need a wool pencil skirt': a dress size the shop does not sell,
                    # said of the person, is the UK one it converts from (where the shop sells EU sizes)
                    resolved = [grammar.catalog[uk[r].lower()] if r.lower() not in grammar.catalog else r for r in resolved]
                elif numeric and (not grammar.catalog or any(r.lower() not in grammar.catalog for r in numeric)):
                    continue  # 'in a 38' is a size only where the catalog sells a 38
                if not grammar.catalog and not re.search(r"\b(?:i'?m|i am|she'?s|he'?s|wear|take)\b", m.group(0)):
                    continue
            if re.search(r"\bto\b|-", raw) and len(resolved) == 2 and all(r in "XXS XS S M L XL XXL XXXL".split()
                                                                         for r in resolved):
                order = "XXS XS S M L XL XXL XXXL".split()  # 'S to L' -> S, M, L
                resolved = order[order.index(resolved[0]):order.index(resolved[1]) + 1] or resolved
            elif re.search(r"\bto\b|-", raw) and len(resolved) == 2 and all(re.fullmatch(r"\d{2}", r) for r in resolved) \
                    and grammar.catalog and int(resolved[0]) < int(resolved[1]) <= int(resolved[0]) + 12:
                # 'six bridesmaid dresses, sizes 36 to 42' -> 36, 38, 40, 42 (dresses go up in twos);
                # 'shoes, sizes 37 to 40' -> 37, 38, 39, 40: every size the catalog sells between them
                low, high = int(resolved[0]), int(resolved[1])
                shoes = grammar.shoe_words is not None and grammar.shoe_words.search(text.clean)
                between = sorted({int(v) for v in grammar.catalog.values() if re.fullmatch(r"\d{2}", v) and low <= int(v) <= high
                                  and (shoes or low % 2 or high % 2 or int(v) % 2 == 0)})
                resolved = [str(v) for v in between] if len(between) >= 2 else resolved
            if resolved:
                out.extend(resolved)
                said.append((resolved, text.quote(m.start(), m.end())))
                spans.append((m.start(), m.end(), resolved))
                if system:
                    stated.append((_SYSTEMS.get(system.lower(), system.lower()), m.start(), resolved,
                                   text.quote(m.start(), m.end())))
                # 'shoes 43': the kind is left to the kinds pass
                text.consume(m.start("s") if pattern is grammar.after_kind else m.start(), m.end())
    if len({system for system, *_ in stated}) > 1:
        kept = _converted(stated, grammar.catalog, text.s)
        dropped = {r for _, start, values, _ in stated if start != kept[1] for r in values} - set(kept[2])
        out = [v for v in out if v not in dropped]
    elif stated and grammar.catalog and (converted := _to_catalog_system(stated, grammar, text.clean)):
        # 'I'm a UK 10 in dresses' where the catalog sells EU sizes: the EU 38 it is.
        out = [converted.get(v, v) for v in out]
    elif stated and grammar.catalog:
        # 'size 39 shoes, I think that is a UK 6': a number in a system the catalog does not sell,
        # beside a number it does, is the same size converted ('a UK 5 in the heels and a medium
        # in the top' keeps both).
        unsold = {v for _, _, values, _ in stated for v in values if v.lower() not in grammar.catalog}
        if unsold and any(v not in unsold and v.lower() in grammar.catalog and re.fullmatch(r"[\d.]+", v) for v in out):
            out = [v for v in out if v not in unsold]
    measured = [(a, values) for a, _, values in spans if grammar.measure.match(text.clean, a)]
    if measured and grammar.catalog:
        # 'collar 15 and a half, a 39 i believe': a measurement the catalog sells no size for, beside
        # a size it sells, is that size said as a measurement
        unsold = {v for _, values in measured for v in values if v.lower() not in grammar.catalog}
        if unsold and any(v not in unsold and v.lower() in grammar.catalog for v in out):
            out = [v for v in out if v not in unsold]
        elif unsold:
            # 'collar 17' where shirts are sold by the centimetre (39 to 44): the collar in inches
            # is the size in cm it measures (17 in = 43 cm, 15.5 = 39)
            collars = [a for a, _ in measured if re.match(r"(?:\d{2}(?:\.5)?\s*(?:in|inch|inches|\")?\s*)?(?:collar|neck)",
                                                             text.clean[a:], re.IGNORECASE)]  # ('16 collar' too)
            cm = {v: f"{round(float(v) * 2.54):d}" for v in unsold if collars and re.fullmatch(r"1[3-9](?:\.5)?", v)}
            if cm and all(c.lower() in grammar.catalog for c in cm.values()):
                out = [cm.get(v, v) for v in out]
    if grammar.converted is not None and len(spans) > 1:
        # 'He's a 40 regular in UK sizing, so a 50': a size converted to another said after a word
        # of converting, in the same sentence, replaces it (when the later one is sold).
        spans.sort()
        dropped: set[str] = set()
        for (a0, a1, first), (b0, b1, later) in zip(spans, spans[1:]):
            between = text.clean[a1:b0] + " " + text.clean[b0:b1]
            if grammar.converted.search(between) and not re.search(r"[.!?;]\s", text.clean[a1:b0]) and (
                    not grammar.catalog or all(v.lower() in grammar.catalog for v in later)):
                dropped |= set(first) - set(later)
        out = [v for v in out if v not in dropped]
    quote = next((q for values, q in said if any(v in out for v in values)), "")
    return list(dict.fromkeys(out)), quote


_SYSTEMS = {"italian": "it", "french": "fr", "british": "uk"}
"""Size systems named in full -> their short name, so 'UK 5' and 'British 5' are one system."""


def _to_catalog_system(stated: list[tuple[str, int, list[str], str]], grammar: SizeGrammar, s: str) -> dict[str, str]:
    """One size said in a UK or US system the catalog does not sell -> the EU size the catalog
    sells for it, by the conversion tables (shoes when the message names a shoe, else clothing)."""
    family = "shoes" if grammar.shoe_words is not None and grammar.shoe_words.search(s) else "clothing"
    out: dict[str, str] = {}
    for system, _, values, _ in stated:
        table = grammar.conversions[family].get(system, {})
        for v in values:
            eu = table.get(v)
            if v.lower() not in grammar.catalog and eu is not None and eu.lower() in grammar.catalog:
                out[v] = grammar.catalog[eu.lower()]
    return out


def _converted(stated: list[tuple[str, int, list[str], str]], catalog: dict[str, str], s: str):
    """Of one size stated in several systems ('I'm a UK 5, so EU 38', 'EU 40 (UK 7)'), the one to
    read: the only one the catalog sells, else the one said last outside brackets (the person
    converting to the shop's system says it after 'so', 'which is', '/')."""
    sold = [x for x in stated if all(v.lower() in catalog for v in x[2])]
    if catalog and len(sold) == 1:
        return sold[0]
    outside = [x for x in stated if not re.search(r"\(\s*$", s[:x[1]])] or stated
    return max(outside, key=lambda x: x[1])
