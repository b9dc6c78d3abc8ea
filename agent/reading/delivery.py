"""Delivery: how soon the item must arrive (a limit in days) and whether it must ship now.

"within 10 days", "has to be here in ten days", "we can wait 9 days max", "two weeks or less",
"lead time under 20 days", "10 working days is the most we can do", "by Friday", "by next week",
"this week", "by the 15th", "by 10 December", "before Christmas" -> days from the day of reading;
"in stock", "available now", "ready to ship", "nothing made to order", "asap" -> must ship now.
Without a delivery word, "in 3 days" is not a limit ("I'm travelling in 3 days"). Phrases come from
``lang/<code>/delivery.toml``; weeks count 7 days, a fortnight 14, hours are rounded up to days.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from agent.reading.lexicon import Language
from agent.reading.text import Text, alternation


@dataclass
class DeliveryReading:
    days: int | None = None
    days_quote: str = ""
    in_stock: str | None = None
    """The words that said it must ship now, when they did."""


_NEEDED_TODAY = re.compile(r"\b(?:need|needs|needed|want|wants)\s+(?:a|an|the|some|these|those|them|it|\d+)\b[^.!?,;]{0,30}?\s+(?P<t>today)\b",
                           re.IGNORECASE)
"""A thing needed today ('needs a 140W charger TODAY'): it must ship now."""


_BACK_THEN = re.compile(r"\b(?:(?:come|coming|get|getting|be|call|ring|phone|email|write|report)\s+back(?:\s+to\s+you)?|"
                        r"(?:speak|talk|chat)(?:\s+to\s+you|\s+again)?|decide|revert(?:\s+to\s+you)?)\s+(?:on\s+|by\s+)?$",
                        re.IGNORECASE)


class DeliveryGrammar:
    def __init__(self, lang: Language):
        d = lang.delivery
        self.units = {re.sub(r"\s+", " ", k): v for k, v in lang.units.time_units.items()}
        unit = rf"(?P<u>{alternation([*self.units, 'hours', 'hour', 'hrs', 'hr', 'h'])})(?![a-z])"
        num = r"(?P<n>\d+(?:\.\d+)?|\ban?\b)"
        strong = [w for w in d.within if w != "in"]
        # ('Lead time ≤2 days', 'lead time <= 3 days': the sign, with or without a space after it)
        self.within = re.compile(rf"(?:(?:^|[^\w])(?:{alternation(strong)})\s+|(?:lead[\s-]?time|delivery|turnaround)\s*(?:[<≤]=?|=<)\s*)"
                                 rf"(?:the\s+next\s+|next\s+)?{num}[\s-]*{unit}\b", re.IGNORECASE)
        self.business = re.compile(rf"(?:^|[^\w])(?:in\s+)?{num}[\s-]*(?P<u>(?:business|working)\s+days?)\b", re.IGNORECASE)
        self.in_n = re.compile(rf"(?:^|[^\w])in\s+(?:the\s+next\s+)?{num}[\s-]*{unit}\b", re.IGNORECASE)
        self.cue = re.compile(rf"(?:{alternation(d.cues)})", re.IGNORECASE)
        self.after = re.compile(rf"(?:^|[^\w]){num}[\s-]*{unit}\s*(?:{alternation(d.within_after)})(?![\w])", re.IGNORECASE)
        self.wait = re.compile(rf"(?:{alternation(d.wait_verbs)})\s+(?:for\s+)?(?:up\s+to\s+|at\s+most\s+|max\s+)?"
                               rf"{num}[\s-]*{unit}\b", re.IGNORECASE)
        self.cannot = re.compile(rf"(?:(?:can'?t|cannot|can not|mustn'?t|must not|shouldn'?t|should not|won'?t|not)\s+(?:be|take|exceed|go)\s+|"
                                 # "We can't accept anything with a lead time over 10 days", 'nothing with a lead time over a week'
                                 rf"\b(?:can'?t|cannot|won'?t|nothing|no|not)\b[^.!?]{{0,40}}?(?:lead[\s-]?time|delivery|turnaround)s?\s+(?:of\s+)?)"
                                 rf"(?:more than|longer than|over|above|beyond|past|exceeding)\s+{num}[\s-]*{unit}", re.IGNORECASE)
        # ', two weeks' as one fragment of a buyer's list of needs ('MOQ no higher than 10, two weeks'):
        # the lead time it can wait, with nothing else in the fragment
        self.duration_fragment = re.compile(rf"(?:[,;:]|\.\s|\s-\s)\s*{num}[\s-]*{unit}\s*(?:please|pls|plz|max|tops|latest|"
                                            rf"at the latest|at most)?\s*(?=[,.;!]|$)", re.IGNORECASE)
        # 'nine days is too long, need them within 5': a bare number after 'within', in the unit of
        # time the message already used
        self.within_bare = re.compile(r"(?:^|[^\w])(?:within|in under|in less than)\s+(?P<n>\d+)\b(?!\s*(?:[^\W\d]|[%€$£]|[.,]\d))",
                                      re.IGNORECASE)
        self.unit_said = re.compile(rf"\d[\s-]*{unit}\b", re.IGNORECASE)
        self.noun = re.compile(rf"(?:^|[^\w]){num}[\s-]*{unit}\s+(?:delivery|lead[\s-]?time|turnaround|shipping|dispatch)"
                               rf"(?:\s+(?:max|maximum|at most|or less|tops))?", re.IGNORECASE)
        self.weekdays = {k: v for k, v in d.weekdays.items()}
        self.months = {k: v for k, v in d.months.items()}
        self.relative = {re.sub(r"\s+", " ", k): v for k, v in d.relative.items()}
        wd = alternation(self.weekdays)
        mo = alternation(self.months)
        rel = alternation(self.relative)
        # 'Friday next week' (the Friday of next week), 'Friday the 18th' (the date; the weekday names it)
        date_expr = (rf"(?:(?:this\s+|next\s+|coming\s+)?(?P<wd>{wd})\b(?:\s+(?P<nw>next\s+week|week\s+after\s+next|week)\b"
                     rf"|,?\s+(?:the\s+)?(?P<wdom>\d{{1,2}})(?:(?:st|nd|rd|th)\b(?:\s+(?:of\s+)?(?P<wmo>{mo})\b)?|\s+(?:of\s+)?(?P<wmo2>{mo})\b))?"
                     rf"|(?P<rel>{rel})\b|"
                     rf"(?:the\s+(?P<dom>\d{{1,2}})(?:st|nd|rd|th)?|(?P<domx>\d{{1,2}})(?=st|nd|rd|th|\s+(?:of\s+)?(?:{mo})\b)"
                     rf"(?:st|nd|rd|th)?)(?:\s+(?:of\s+)?(?P<mo1>{mo})\b)?|"
                     rf"(?P<mo2>{mo})\s+(?:the\s+)?(?P<dom2>\d{{1,2}})(?:st|nd|rd|th)?\b)")
        # A day said as one fragment of a list of needs ('kraft mailing bags, self seal, this week please',
        # '500 pairs; Friday latest'): the delivery limit, with nothing else in the fragment.
        self.fragment = re.compile(rf"(?:[,;:]|\.\s|\s-\s)\s*(?:{date_expr})\s*(?:please|pls|plz|latest|at the latest|"
                                   rf"at latest|max|tops|asap)?\s*(?=[,.;!]|$)", re.IGNORECASE)
        # A bare number is a day of the month only as 'the 4th', '4th' or '4 May' ('for 4 units' is no date).
        # 'by 10/12', 'before 3/1/27': a day and month in figures, day first (as the buyers these
        # lists are written for write them), only after a word of 'by'.
        numeric = r"|(?P<dn>[0-3]?\d)/(?P<mn>[01]?\d)(?:/(?:\d{2}|\d{4}))?(?![\d/])"
        self.by = re.compile(rf"(?:^|[^\w])(?:{alternation(d.by)}|on)\s+(?:{date_expr}{numeric})", re.IGNORECASE)
        # 'need them monday latest', 'the 12th at the latest': a day, then the word that makes it a deadline
        self.day_latest = re.compile(rf"(?:^|[^\w])(?:{date_expr})\s+(?:at\s+the\s+(?:very\s+)?latest|latest|at\s+latest|"
                                     rf"or\s+sooner|or\s+earlier|or\s+before)\b", re.IGNORECASE)
        # 'for saturday: a black dress', 'a clutch for a dinner tomorrow', 'for her party on the 18th':
        # the day of an occasion the item is for is when it must arrive (a day from now; 'that's all
        # for today' is no deadline).
        occasion = alternation(d.occasion_words)
        self.for_day = re.compile(rf"(?:^|[^\w])for\s+(?:(?:a|an|the|my|his|her|our|their)\s+(?:[a-z'-]+\s+)?(?:{occasion})\s+"
                                  rf"(?:on\s+|this\s+|next\s+)?)?(?:(?:this\s+|next\s+|coming\s+)?(?P<wd>{wd})\b|"
                                  rf"(?P<rel>tomorrow|the day after tomorrow|christmas eve|xmas eve|christmas|xmas|new year'?s eve)\b|the\s+(?P<dom>\d{{1,2}})(?:st|nd|rd|th)\b"
                                  rf"(?:\s+(?:of\s+)?(?P<mo1>{mo})\b)?)", re.IGNORECASE)
        # 'my gf's birthday is on the 10th', 'funeral next week', 'the wedding's this saturday': an
        # occasion said with its day is when the item must arrive
        # ('our 25th anniversary coming up on the 19th', "sister's wedding in Puglia, Saturday week", "the
        # gala's on friday", 'Wedding is 14 Dec')
        self.occasion_on = re.compile(rf"(?:(?:^|[,.;!?(]\s*)|\b(?:my|his|her|our|their|the|a|an|[a-z]+'?s)\s+(?:[a-z0-9'-]+\s+){{0,2}})"
                                      rf"(?:{occasion})(?:'?s)?(?:\s+(?:is|was|are))?(?:\s+(?:coming up|coming|happening|taking place))?"
                                      rf"(?:\s+in\s+[a-z]+(?:\s+[a-z]+)?\s*,)?\s+(?:on\s+|this\s+|next\s+|coming\s+)?"
                                      rf"(?:(?P<wd>{wd})\b(?:\s+(?P<nw>next week|week after next|week)\b)?|(?P<rel>tomorrow|the day after tomorrow|next week)\b|"
                                      rf"(?:the\s+)?(?P<dom>\d{{1,2}})(?:(?:st|nd|rd|th)\b|(?=\s+(?:of\s+)?(?:{mo})\b))(?:\s+(?:of\s+)?(?P<mo1>{mo})\b)?)", re.IGNORECASE)
        # 'need them friday', 'want it monday': the day, without 'by'
        self.need_day = re.compile(rf"\b(?:need|want|get|have|receive|deliver|send|ship|dispatch)\s+(?:(?:it|them|'?em|these|those|everything)\s+)?"
                                   rf"(?:(?:on|by|this|next|coming)\s+)?"
                                   rf"(?P<wd>{wd})\b(?!\s+(?:night|morning|afternoon|evening)\b)", re.IGNORECASE)
        """'need them friday', 'need fri' ('need friday night'? a time, not said as a deadline)."""
        self.need_when = re.compile(rf"(?:need|want|get|have|receive|deliver\w*|ship\w*|arriv\w*|here|to come|come)\s+(?:it|them|these|"
                                    rf"those|this|that|(?:(?:a|an|the|some|my|our)\s+)?[\w-]+(?:\s+[\w-]+)?)?\s*(?:{rel})\b",
                                    re.IGNORECASE)
        self.day_named = re.compile(rf"\b(?:(?:this|next|coming)\s+)?(?:{wd})\b(?:\s+next\s+week)?|\bthe\s+\d{{1,2}}(?:st|nd|rd|th)\b",
                                    re.IGNORECASE)
        """A day named anywhere ('saturday', 'friday next week', 'the 14th'), for a later 'by then'."""
        self.rel_limit = re.compile(rf"(?:^|[^\w])(?P<rel>{rel})\s*(?:{alternation([*d.within_after, 'delivery', 'dispatch', 'shipping'])})(?![\w])",
                                    re.IGNORECASE)
        self.rel_only = re.compile(rf"\b(?P<rel>{rel})\b", re.IGNORECASE)
        self.in_stock = re.compile(rf"(?:^|[^\w])(?:{alternation(d.in_stock)})(?![\w])", re.IGNORECASE)
        who = alternation([*lang.stopwords.people, "she", "he", "they", "i", "we", "she's", "he's", "they're", "i'm", "we're"])
        self.somebody_here = re.compile(rf"\b(?:{who})\s+(?:is\s+|are\s+|am\s+|'s\s+)?(?:here\s+|with me\s+)?\W?in[\s-]store\b",
                                        re.IGNORECASE)
        """'Client in store now', 'she's in store now': where the person is, not that the item must be in stock."""

    def days_of(self, n: str, unit: str) -> int:
        value = 1.0 if n in ("a", "an") else float(n)
        unit = re.sub(r"\s+", " ", unit.lower())
        if unit in ("hours", "hour", "hrs", "hr", "h"):
            return max(1, math.ceil(value / 24))
        return int(math.ceil(value * self.units.get(unit, 1)))

    def date_days(self, m: re.Match[str], today: date, whole: str) -> int | None:
        g = m.groupdict()
        if g.get("wd") and g.get("wdom"):
            g = {**g, "wd": None, "dom": g["wdom"], "mo1": g.get("wmo") or g.get("wmo2")}  # 'Friday 11 December'
        elif g.get("wd") and g.get("nw"):
            weeks = 2 if g["nw"].lower().startswith("week after") else 1  # ('Saturday week': next week's)
            return 7 * weeks - today.weekday() + self.weekdays[g["wd"].lower()]
        if g.get("wd"):
            target = self.weekdays[g["wd"].lower()]
            days = (target - today.weekday()) % 7 or 7
            if re.search(r"\bnext\s+$", whole[:m.start("wd")]) and days < 7:
                days += 7
            return days
        if g.get("rel"):
            if self.relative.get(re.sub(r"\s+", " ", g["rel"].lower())) == -5 and re.search(r"\bbefore\s+$", whole[:m.start("rel")]):
                return self.relative_days("christmas eve", today)  # 'before Christmas': by Christmas Eve
            return self.relative_days(g["rel"].lower(), today)
        if g.get("dn") and g.get("mn"):
            day, mon = int(g["dn"]), int(g["mn"])
            if not (1 <= mon <= 12 and 1 <= day <= 31):
                return None
            try:
                target = date(today.year, mon, day)
                if target < today:
                    target = date(today.year + 1, mon, day)
            except ValueError:
                return None
            return (target - today).days
        dom, month = g.get("dom") or g.get("domx") or g.get("dom2"), g.get("mo1") or g.get("mo2")
        if dom:
            day = int(dom)
            mon = self.months[month.lower()] if month else today.month
            year = today.year
            try:
                target = date(year, mon, day)
                if target < today:
                    target = date(year + 1, mon, day) if month else (
                        date(year + (mon == 12), mon % 12 + 1, day))
            except ValueError:
                return None
            return (target - today).days
        return None

    def relative_days(self, phrase: str, today: date) -> int | None:
        code = self.relative.get(re.sub(r"\s+", " ", phrase))
        if code is None:
            return None
        if code >= 0:
            return code
        wd = today.weekday()
        if code == -1:
            return 6 - wd
        if code == -2:
            return (5 - wd) % 7 or 7
        if code == -3:
            return 13 - wd
        if code == -4:
            return calendar.monthrange(today.year, today.month)[1] - today.day
        if code in (-5, -7):
            target = date(today.year, 12, 25 if code == -5 else 24)
            if target < today:
                target = date(today.year + 1, 12, 25 if code == -5 else 24)
            return (target - today).days
        if code == -6:
            return (date(today.year + 1, 1, 1) - today).days
        if code == -8:  # New Year's Eve
            target = date(today.year, 12, 31)
            return (target - today).days
        return None


def read_delivery(text: Text, grammar: DeliveryGrammar, today: date) -> DeliveryReading:
    """The delivery limit and stock requirement ``text`` states, consuming their words."""
    out = DeliveryReading()
    found: list[tuple[int, int, int]] = []  # (days, start, end)
    s = text.s
    for pattern in (grammar.within, grammar.after, grammar.wait, grammar.noun, grammar.business, grammar.cannot):
        for m in pattern.finditer(s):
            found.append((grammar.days_of(m.group("n"), m.group("u")), m.start(), m.end()))
    for m in grammar.in_n.finditer(s):
        clause = s[max(0, m.start() - 50):m.end() + 30]
        if grammar.cue.search(clause):
            found.append((grammar.days_of(m.group("n"), m.group("u")), m.start(), m.end()))
    for m in grammar.by.finditer(s):
        before = s[:m.start() + 1]
        if re.search(r"\b(?:i'?m|i am|we'?re|we are|i'?ll be|we'?ll be|i will be|we will be|be|i'?m out|we'?re out)\s*$",
                     before) and not re.search(r"\b(?:has|have|needs?|got|must|should|ought)\s+(?:to\s+)?be\s*$", before):
            continue  # "I'm on site Monday": where the person will be, not when the order must arrive
        if re.match(r"(?:(?:needed|need)\s+)?for\b", m.group(0).strip()) and re.search(
                r"\b(?:all|everything|it|enough|that)(?:\s+(?:i|we)(?:\s+(?:need|needed|want|wanted))?)?\s*$", before[:-1]):
            continue  # "that's everything for today", "that's everything i needed for today": a goodbye, not a deadline
        if re.match(r"\W*(?:till|until|til)\b", m.group(0)) and re.search(
                r"\b(?:i'?m|i am|we'?re|we are|she'?s|she is|he'?s|he is|they'?re|they are|(?:i|we|she|he|they)(?:'ll| will) be)"
                r"\s+(?:not\s+)?(?:away\s+|off\s+|back\s+|travelling\s+|staying\s+)?(?:in|at|from|on|abroad|away|off)\b[^,.;!?]{0,30}$",
                before):
            continue  # "she's in Dubai till the 10th": where the person is until then, no deadline
        if m.group(0).strip().startswith("for") and m.group("rel") and re.fullmatch(
                r"(?:a|an|one|\d+|a few|a couple of)\s+(?:days?|weeks?|fortnight|months?)",
                re.sub(r"\s+", " ", m.group("rel").strip())):
            continue  # 'bathers for a week in Noosa': how long the stay is, not when the order must arrive
        days = grammar.date_days(m, today, s)
        if days and days > 1 and re.match(r"\W*before\s+(?:the|this)\s+weekend\b", m.group(0), re.IGNORECASE):
            days -= 1  # 'before the weekend': by Friday
        around = s[max(0, m.start() - 50):m.end() + 40]
        if days is not None and (not m.group(0).strip().startswith(("on", "for")) or grammar.cue.search(around)):
            found.append((days, m.start(), m.end()))
    said = grammar.unit_said.search(s)
    if said:
        for m in grammar.within_bare.finditer(s):
            found.append((grammar.days_of(m.group("n"), said.group("u")), m.start(), m.end()))
    for m in grammar.need_day.finditer(s):
        days = grammar.date_days(m, today, s)
        if days is not None:
            found.append((days, m.start("wd"), m.end("wd")))
    for m in grammar.day_latest.finditer(s):
        days = grammar.date_days(m, today, s)
        if days is not None:
            found.append((days, m.start(), m.end()))
    for m in grammar.duration_fragment.finditer(s):
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(",;:.- "))
        found.append((grammar.days_of(m.group("n"), m.group("u")), start, m.end()))
    for m in grammar.for_day.finditer(s):
        days = grammar.date_days(m, today, s)
        if days:
            found.append((days, m.start(), m.end()))
    for m in grammar.occasion_on.finditer(s) if not re.search(r"\b(?:today|tonight|right now|asap|a\.s\.a\.p)\b", s, re.IGNORECASE) else ():
        days = grammar.date_days(m, today, s)  # ('need a webcam today, got a big meeting tomorrow': today says it)
        if days and not any(a <= m.start() < b or m.start() <= a < m.end() for _, a, b in found):
            found.append((days, m.start(), m.end()))
    for m in grammar.fragment.finditer(s):
        days = grammar.date_days(m, today, s)
        if days is not None:
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(",;:.- "))
            found.append((days, start, m.end()))
    for m in grammar.need_when.finditer(s):
        rel = grammar.rel_only.search(m.group(0))
        days = grammar.relative_days(rel.group("rel").lower(), today)
        if days is not None:  # only the day is consumed: 'need a router this week' still asks for a router
            found.append((days, m.start() + rel.start(), m.start() + rel.end()))
    for m in grammar.rel_limit.finditer(s):
        days = grammar.relative_days(m.group("rel").lower(), today)
        if days is not None:
            found.append((days, m.start(), m.end()))
    then = re.search(r"\b(?:by|before|in time for|for)\s+then\b", s, re.IGNORECASE)
    if then and not found:
        # 'salon opening saturday!! need 2 dispensers up by then': the day said earlier is the deadline
        days_named = []
        for m in grammar.day_named.finditer(s[:then.start()]):
            by = grammar.by.search("by " + m.group(0))
            days = grammar.date_days(by, today, "by " + m.group(0)) if by is not None else None
            if days is not None:
                days_named.append(days)
        if days_named:
            found.append((days_named[-1], then.start(), then.end()))
    # "I'll have a think and come back tomorrow", 'will get back to you on Friday': when the person
    # will be back, no deadline
    found = [f for f in found if not _BACK_THEN.search(s[:f[1]] + " ")]
    kept: list[tuple[int, int, int]] = []
    for days, start, end in sorted(found, key=lambda f: (f[1], -f[2])):
        if kept and start < kept[-1][2]:
            continue
        kept.append((days, start, end))
    for days, start, end in kept:
        if days == 0:
            out.in_stock = out.in_stock or text.quote(start, end)
        else:
            out.days = days if out.days is None else min(out.days, days)
            out.days_quote = out.days_quote or text.quote(start, end)
        text.consume(start, end)
    for m in text.find(_NEEDED_TODAY):
        out.in_stock = out.in_stock or text.quote(m.start("t"), m.end("t"))  # 'the DoP needs a 140W charger TODAY'
        text.consume(m.start("t"), m.end("t"))
    for m in text.find(grammar.in_stock):
        if grammar.somebody_here.search(text.clean[max(0, m.start() - 30):m.end()]):
            text.consume(m.start(), m.end())
            continue
        out.in_stock = out.in_stock or text.quote(m.start(), m.end())
        text.consume(m.start(), m.end())
    return out
