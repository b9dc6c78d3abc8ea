"""Dialogue policy: when to ask instead of recommend, which question to ask, how to answer a
question about an item from catalog fields only, and the offline wording of every reply.

Offline replies are built from catalog records and alignment results only, so they are grounded
by construction; an LLM reply is checked by ``agent.reflection`` before it is sent.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from pydantic import BaseModel, Field

from agent import replies
from agent.alignment import Scored
from agent.models import BeliefState, Constraints, Item, Recommendation, Traits
from agent.reading.models import Reading
from agent.reflection import GENERIC_IDS, IdMatcher, money_amounts
from agent.replies import AVAILABILITY_WORDS, CURRENCY_SYMBOLS, money  # noqa: F401  (one wording of prices)

MAX_QUESTIONS = 2
"""Clarifying questions per conversation (since the last reset) before the agent just recommends."""
CONFIDENT_MOTIVE = 0.7
"""A conversation motive this confident is focus enough: the agent recommends instead of asking."""
DIVERSITY_TO_ASK = 1.3
"""Entropy (bits) of the top candidates' categories above which an unfocused request is ambiguous."""


class Question(BaseModel):
    """A clarifying question about one attribute, with the options that split the candidates."""

    attribute: str
    text: str
    options: list[str] = Field(default_factory=list)


def _entropy(values: list[str]) -> float:
    counts = Counter(v for v in values if v)
    total = sum(counts.values())
    if total == 0:
        return 0.0
    return -sum(c / total * math.log2(c / total) for c in counts.values())


def _price_band(price: float, cuts: tuple[float, float]) -> str:
    return "lower" if price <= cuts[0] else ("middle" if price <= cuts[1] else "upper")


@dataclass(frozen=True)
class _Attribute:
    name: str
    values: list[str]


def _attributes(scored: list[Scored], traits: dict[str, Traits]) -> list[_Attribute]:
    items = [s.item for s in scored]
    prices = sorted(i.price for i in items)
    cuts = (prices[len(prices) // 3], prices[2 * len(prices) // 3]) if prices else (0.0, 0.0)
    first = lambda values: values[0] if values else ""  # noqa: E731
    return [
        _Attribute("category", [i.category for i in items]),
        _Attribute("occasion", [first(traits[i.id].occasion) if i.id in traits else "" for i in items]),
        _Attribute("budget", [_price_band(i.price, cuts) for i in items]),
        _Attribute("style", [first(traits[i.id].aesthetic) if i.id in traits else "" for i in items]),
        _Attribute("colour", [str(i.attributes.get("colour", "")) for i in items]),
    ]


def choose_act(reading: Reading, shown: bool) -> str:
    """The dialogue act of a message read as ``reading`` (``shown``: items are on screen):
    ``acknowledge`` what is not a request (a greeting, small talk, a language the reader does not
    read, a choice made: 'we'll take it'), ``answer`` a question about items or a comparison of the shown ones, else
    ``recommend`` (which align may still turn into a clarifying question)."""
    if not reading.understood or reading.act in ("greeting", "off_topic") or reading.decided:
        return "acknowledge"
    if reading.question is not None or (reading.compare is not None and shown):
        return "answer"
    return "recommend"


def should_ask(belief: BeliefState, scored: list[Scored], has_focus: bool) -> bool:
    """Ask when the request is unfocused and the top candidates disagree about what it is for.

    ``has_focus`` is true when this turn stated a category, budget, brand or a confident motive.
    """
    if belief.last_act == "ask":
        return False  # at most one question in a row: after an answer, show something
    if gift_question(belief, has_focus) is not None:
        return True
    if has_focus or len(belief.asked) >= MAX_QUESTIONS or len(scored) < 4:
        return False
    if any(m.active and m.source == "conversation" and m.confidence >= CONFIDENT_MOTIVE for m in belief.motives):
        return False
    top = scored[:10]
    return _entropy([s.item.category for s in top]) >= DIVERSITY_TO_ASK


GIFT_MOTIVE = "wants a meaningful gift"


def gift_question(belief: BeliefState, has_focus: bool) -> Question | None:
    """For a gift whose recipient is unsaid ('I need a present'), whom it is for: the answer
    changes everything (a pendant for a mother, cufflinks for a husband). Never when the request
    already names a kind of item or a budget, and only once."""
    from agent.client_facts import about_someone_else

    c = belief.constraints
    gift = any(m.active and m.source == "conversation" and m.text == GIFT_MOTIVE for m in belief.motives)
    if not gift or "recipient" in belief.asked or c.categories or c.budget_max is not None or belief.shown:
        return None
    # 'for me', 'for myself', 'for him' say whom; 'can you help me find a present' does not.
    if about_someone_else(belief.query) or re.search(r"\bmyself\b|\bfor (?:me|him|her)\b", belief.query.lower()):
        return None
    return Question(attribute="recipient",
                    text="Lovely, who is the present for? Tell me a little about them (a partner, a parent, a "
                         "friend) and roughly what you'd like to spend, and I'll pick accordingly.",
                    options=["a partner", "a parent", "a friend"])


def choose_question(belief: BeliefState, scored: list[Scored], traits: dict[str, Traits]) -> Question | None:
    """The question whose answer best splits the top candidates (highest entropy), never one
    already asked or already answered by a constraint; for a gift for someone unnamed, whom it is for."""
    gift = gift_question(belief, False)
    if gift is not None:
        return gift
    top = scored[:20]
    skip = set(belief.asked)
    if belief.constraints.categories:
        skip.add("category")
    if belief.constraints.budget_max is not None or belief.constraints.budget_min is not None:
        skip.add("budget")
    best: tuple[float, _Attribute] | None = None
    for attr in _attributes(top, traits):
        if attr.name in skip:
            continue
        h = _entropy(attr.values)
        if h > 0 and (best is None or h > best[0]):
            best = (h, attr)
    if best is None:
        return None
    attr = best[1]
    options = [v for v, _ in Counter(v for v in attr.values if v).most_common(4)]
    if attr.name == "budget":
        prices = sorted(s.item.price for s in top)
        currency = top[0].item.currency
        text = (f"What budget do you have in mind? What I'd suggest ranges from "
                f"{money(prices[0], currency)} to {money(prices[-1], currency)}.")
        options = ["lower", "middle", "upper"]
    elif attr.name == "category":
        text = f"To narrow it down: are you thinking of {_or_list(options)}, or something else?"
    elif attr.name == "occasion":
        text = f"What is it for? For example {_or_list(options)}."
    elif attr.name == "style":
        text = f"Which style feels right: {_or_list(options)}?"
    else:
        text = f"Any preference of {attr.name}: {_or_list(options)}?"
    return Question(attribute=attr.name, text=text, options=options)


def _or_list(values: list[str]) -> str:
    values = [v for v in values if v]
    if len(values) <= 1:
        return values[0] if values else ""
    return ", ".join(values[:-1]) + " or " + values[-1]


FIELD_ALIASES = {
    "color": "colour", "sizes": "size", "made of": "material", "fabric": "material",
    "lead time": "lead_time_days", "lead_time": "lead_time_days", "minimum order": "moq",
    "certification": "certifications", "stock": "availability", "tiers": "tiered_prices",
    "tiered_price": "tiered_prices", "details": "description",
}


def unit_price_for(item: Item, quantity: int) -> float | None:
    """Unit price at ``quantity`` units from the item's tiered prices (None below the first tier)."""
    tiers = sorted(item.attributes.get("tiered_prices") or [], key=lambda t: t["min_qty"])
    price = None
    for tier in tiers:
        if quantity >= int(tier["min_qty"]):
            price = float(tier["unit_price"])
    return price


def catalog_text(text: str, item: Item, ids: IdMatcher = GENERIC_IDS) -> str:
    """Free catalog text (a description, an attribute) as it may be quoted in a reply: sentences
    that name another item (an id ``ids`` finds) or state a price other than the item's own are
    left out, so text planted in a catalog cannot put an ungrounded item or price in the agent's
    mouth."""
    prices = {round(item.price, 2)} | {round(float(t.get("unit_price", -1)), 2)
                                       for t in item.attributes.get("tiered_prices") or []
                                       if isinstance(t, dict)}
    kept = [s for s in re.split(r"(?<=[.!?])\s+", str(text).strip())
            if all(i == item.id for i in ids.findall(s))
            and all(round(a, 2) in prices for a in money_amounts(s))]
    return " ".join(kept)


def answer_about(item: Item, topic: str, traits: Traits | None = None, quantity: int | None = None,
                 ids: IdMatcher = GENERIC_IDS) -> str:
    """Answer a question about ``item`` from its catalog record only; say so when it is not recorded.
    ``ids`` finds item ids in free catalog text (see :func:`catalog_text`)."""
    topic = FIELD_ALIASES.get(topic.lower().strip(), topic.lower().strip())
    name = f"{item.title} ({item.id})"
    if topic == "price":
        if quantity:
            unit = unit_price_for(item, quantity)
            moq = item.attributes.get("moq")
            if moq is not None and quantity < int(moq):
                return (f"{name} has a minimum order of {moq} units, so {quantity} is below it; "
                        f"the list price is {money(item.price, item.currency)} per unit.")
            if unit is not None:
                return (f"For {quantity} units, {name} costs {money(unit, item.currency)} per unit, "
                        f"{money(unit * quantity, item.currency)} in total.")
        text = f"{name} is {money(item.price, item.currency)}."
        return text + (" " + _tiers(item) if item.attributes.get("tiered_prices") else "")
    if topic == "tiered_prices":
        return _tiers(item) if item.attributes.get("tiered_prices") else (
            f"The catalog records no volume pricing for {name}; its price is {money(item.price, item.currency)}.")
    if topic == "availability":
        return f"{name} is {AVAILABILITY_WORDS[item.availability]}."
    if topic == "brand":
        return f"{name} is by {item.brand}." if item.brand else f"The catalog records no brand for {name}."
    if topic == "category":
        return f"{name} is listed under {item.category}."
    if topic in ("description", "more", "about"):
        extra = f" What stands out: {', '.join(p for _, p in traits.phrases()[:4])}." if traits else ""
        return f"{name}{f', by {item.brand}' if item.brand else ''}, {money(item.price, item.currency)}: {catalog_text(item.description, item, ids)}{extra}"
    value = item.attributes.get(topic)
    if value in (None, "", []):
        known = ", ".join(sorted(k for k in item.attributes if k != "tiered_prices"))
        return (f"The catalog does not record the {topic.replace('_', ' ')} of {name}, so I can't say. "
                f"It does record: price, availability, brand{', ' + known if known else ''}.")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    value = catalog_text(str(value), item, ids) or "not stated clearly in the catalog"
    label = {"moq": "minimum order quantity", "lead_time_days": "lead time"}.get(topic, topic.replace("_", " "))
    unit = {"moq": " units", "lead_time_days": " days"}.get(topic, "")
    return f"The {label} of {name} is {value}{unit}."


def _tiers(item: Item) -> str:
    tiers = sorted(item.attributes.get("tiered_prices") or [], key=lambda t: t["min_qty"])
    steps = "; ".join(f"from {t['min_qty']} units {money(float(t['unit_price']), item.currency)}" for t in tiers)
    return f"Volume pricing per unit: {steps}."


def compose_reply(recs: list[Recommendation], items: dict[str, Item], traits: dict[str, Traits],
                  belief: BeliefState, reading, domain: str, notes: list[str] = (), after: list[str] = (),
                  turn: int = 0, aside: list[str] = (), dead_end: bool = False) -> str:
    """The offline recommendation reply (``agent.replies.compose``) for this turn's reading: it
    acknowledges what the message changed, or for a new request says what it is for."""
    overridden = [(m, m.overridden_by) for m in belief.motives if m.overridden_by]
    new_request = reading is None or not belief.shown or (reading.act == "request" and not reading.critiques
                                                          and not reading.rejected and not reading.liked)
    return replies.compose(recs, items, traits, belief, reading, None, domain, overridden, notes, after,
                           new_request, seed=turn, aside=aside, dead_end=dead_end).text


def remember_said(belief: BeliefState, text: str, domain: str) -> list[str]:
    """``belief.said`` after sending ``text``: its opening words, its hints, and the history notes
    it made (each history motive set aside is explained once)."""
    entries = [replies.opening_key(text), *replies.hint_keys(domain, replies.split_hint(text)[1])]
    if any(line.startswith("You usually ") for line in text.split("\n")):
        entries += replies.history_note_keys([(m, m.overridden_by) for m in belief.motives if m.overridden_by])
    return replies.remember(belief.said, entries)


def no_results_text(belief: BeliefState) -> str:
    c = belief.constraints
    held = []
    if c.budget_max is not None:
        held.append(f"a budget of at most {c.budget_max:g}")
    if c.categories:
        held.append("only " + ", ".join(c.categories))
    if c.brands_out:
        held.append("no " + ", ".join(c.brands_out))
    if c.exclude_terms:
        held.append("nothing " + ", ".join(c.exclude_terms))
    if c.must_have:
        held.append("must have " + ", ".join(c.must_have))
    if c.in_stock_only:
        held.append("in stock only")
    why = f" with {', '.join(held)}" if held else ""
    return (f"Nothing in the catalog fits{why}. Could we relax one of these? "
            f"Say for example “any budget” or “any brand”, or “start over”.")


def describe_relaxation(label: str, c: "Constraints", currency: str = "") -> str:
    """What a relaxation label loosens, in words: 'budget' -> 'the budget of at most €300'."""
    name, _, value = label.partition(":")
    if name == "require":
        return f"“{value}”"
    if name == "exclude":
        return f"nothing with “{value}”"
    if name == "numeric":
        field, op, bound = re.fullmatch(r"([a-z_0-9]+)(>=|<=)(.+)", value).groups()
        return f"{field.replace('_', ' ')} {'at least' if op == '>=' else 'at most'} {bound}"
    if name == "budget":
        if c.budget_min is not None and c.budget_max is not None:
            return f"the budget of {money(c.budget_min, currency)} to {money(c.budget_max, currency)}"
        if c.budget_max is not None and c.budget_lot is not None:
            return f"the budget of at most {replies.lot_words(c.budget_max, c.budget_lot, currency)}"
        if c.budget_max is not None:
            return f"the budget of at most {money(c.budget_max, currency)}"
        return f"prices from {money(c.budget_min or 0, currency)}"
    if name == "size":
        return "size " + " or ".join(c.sizes)
    if name == "delivery":
        return f"delivery within {c.max_lead_time_days} days"
    if name == "stock":
        return "in stock now"
    if name == "moq":
        return f"a minimum order of at most {c.max_moq}"
    if name == "brand":
        return "only " + " or ".join(c.brands_in)
    if name == "category":
        return "asking only for " + " or ".join(c.categories)
    return name


def relaxed_note(labels: list[str], c: "Constraints", currency: str = "", turned_down: list[str] = (),
                 shown: int = 2) -> str:
    """The reply's first line when nothing met every constraint: which ones blocked, and that the
    items shown break them (so no one mistakes them for a match). When what met everything was
    turned down (``turned_down``, titles), that is what it says first. ``shown``: how many items
    the reply shows (one is said of as one)."""
    parts = [describe_relaxation(label, c, currency) for label in labels]
    clauses = [what_breaks(label, c, currency) for label in labels]
    broken = replies.join_and([_one(x) for x in clauses] if shown == 1 else clauses)
    these = "This is" if shown == 1 else "These are"
    relax = f"Say “relax it” to keep {'it' if len(parts) == 1 else 'them'} off, or tell me what to change."
    if turned_down:
        if len(turned_down) == 1:
            lead = f"The only item meeting everything you asked is the {turned_down[0]}, which you turned down"
        else:
            lead = (f"The only {len(turned_down)} items meeting everything you asked are ones you turned down "
                    f"({replies.join_and(list(turned_down))})")
        return f"{lead}. {these} the closest otherwise, but {broken}. {relax}"
    return (f"Nothing in the catalog meets everything you asked; what blocks it is {replies.join_and(parts)}. "
            f"{these} the closest, but {broken}. {relax}")


def taken_note(labels: list[str]) -> str:
    """After a like of an item that broke what blocked ('the first one is exactly right' of a near
    miss): that what it breaks is no longer asked for."""
    words = {"budget": "the budget", "size": "the size", "delivery": "the delivery time", "stock": "“in stock only”",
             "moq": "the minimum order", "brand": "the brand", "category": "the kind of item"}
    parts = []
    for label in labels:
        name, _, value = label.partition(":")
        parts.append(f"“{value}”" if name == "require" else f"“no {value}”" if name == "exclude"
                     else describe_relaxation(label, None) if name == "numeric" else words.get(name, name))
    return f"I've dropped {replies.join_and(parts)} for it."


def _one(clause: str) -> str:
    """A clause of :func:`what_breaks` said of one item: 'they are not' -> 'it is not'."""
    return re.sub(r"^(?:they are|they do|they have|they cannot|their)\b",
                  lambda m: {"they are": "it is", "they do": "it does", "they have": "it has",
                             "they cannot": "it cannot", "their": "its"}[m.group(0)], clause)


def gender_note(titles: list[str], recipient: str) -> str:
    """That items which would have come first were left out because their own description says
    they are for the other gender than the person shopped for."""
    other = "women" if recipient == "men" else "men"
    them = "it" if len(titles) == 1 else "them"
    counts = {t: titles.count(t) for t in dict.fromkeys(titles)}  # two items may share a title ('Rave')
    named = [f"the {t}" if n == 1 else f"{replies.NUMBER_WORDS.get(n, str(n))} items called {t}" for t, n in counts.items()]
    return f"I've left out {replies.join_and(named)}: the catalog describes {them} as made for {other}."


def critique_limit_note(kind: str, quality: str, reference: str) -> str:
    """When nothing meeting the request goes further than the item looked at ('more formal' than
    the most formal dress under the budget): say so, rather than pass the closest off as more."""
    way = "more" if kind == "more_like" else "less"
    return (f"Nothing within what you asked is {way} {quality} than the {reference}; "
            f"these are the closest I have:")


def what_breaks(label: str, c: "Constraints", currency: str = "") -> str:
    """What the closest items break, as a clause: 'they are not “powder-free”', 'they are over
    the budget of at most €300', 'they are not safety footwear'."""
    name, _, value = label.partition(":")
    if name == "require":
        return f"they are not “{value}”"
    if name == "exclude":
        return f"they have “{value}”"
    if name == "category":
        return "they are not " + " or ".join(c.categories)
    if name == "brand":
        return "they are not by " + " or ".join(c.brands_in)
    if name == "size":
        return "they do not come in size " + " or ".join(c.sizes)
    if name == "delivery":
        return f"they cannot arrive within {c.max_lead_time_days} days"
    if name == "stock":
        return "they are not in stock now"
    if name == "moq":
        return f"their minimum order is above {c.max_moq}"
    if name == "budget":
        return f"they are outside {describe_relaxation(label, c, currency)}"
    return f"they do not meet {describe_relaxation(label, c, currency)}"


def narrowed_note(count: int, labels: list[str], c: "Constraints", currency: str = "", passed: int = 0,
                  turned_down: bool = True) -> str:
    """After the items, when fewer than a reply shows meet everything: that these are all, what
    narrows it, and how to see more (so one card does not read as the catalog's best three).
    ``passed``: how many more met everything but were turned down (``turned_down``) or set aside
    by a critique; then these are the only others, not the only ones."""
    what = describe_relaxation(labels[0], c, currency)
    those = "that is the only item" if count == 1 else f"those are the only {count} items"
    if passed:
        them = "the one" if passed == 1 else f"the {replies.NUMBER_WORDS.get(passed, str(passed))}"
        lead = f"Besides {them} you turned down, " if turned_down else f"Besides {them} shown before, "
        those = (those.replace("the only item", "the only other item") if count == 1
                 else those.replace(" items", " other items"))
    else:
        lead, those = "", those[:1].upper() + those[1:]
    return (f"{lead}{those} in the catalog meeting everything you asked; {what} is what narrows it. "
            f"Say “relax it” to see more without it.")


def filed_note(pairs: list[tuple[str, str, str]]) -> str:
    """When what is shown for a kind of item ('a jacket') is filed under another category but calls
    itself that kind in its own description (the blazer 'Jennifer', a 'straight-cut jacket'):
    says so, so the card does not read as a misfiling. ``pairs``: (title, category, own noun)."""
    parts = [f"the {title} under “{category}”" for title, category, _ in pairs]
    nouns = list(dict.fromkeys(noun for _, _, noun in pairs))
    if len(pairs) == 1:
        return f"The catalog files {parts[0]}; its own description calls it a {nouns[0]}."
    what = f"a {nouns[0]}" if len(nouns) == 1 else "what you asked for"
    return f"The catalog files {replies.join_and(parts)}; each calls itself {what} in its own description."


def acknowledgement(reading, message: str, catalog: str, size: int, categories, shown: bool) -> str:
    """The reply to a greeting, thanks, goodbye, small talk, or a message in a language the
    offline reader does not read (said in that language too, from ``lang/other.toml``)."""
    from agent.reading.lexicon import foreign_acts

    kinds = ", ".join(sorted(c for c in categories if c)[:6])
    # A catalog without categories (an export with none) is described by its size alone.
    range_of = f" ({kinds}, ...)" if kinds else ""
    holds = f" ({size:,} items: {kinds}, ...)" if kinds else f" ({size:,} items)"
    if not reading.understood:
        words = foreign_acts().get(reading.language)
        language = words.name if words and words.name else f"that language ({reading.language})"
        sorry = f"{words.sorry}\n" if words and words.sorry else ""
        if reading.act == "greeting" and re.search(
                r"\b(?:merci|danke|grazie|gracias|obrigad[oa]|dank|tack|takk|kiitos|dzi[eę]kuj[eę])", message.lower()):
            return (f"You're welcome! {sorry}If you'd like anything else, tell me in English what you're "
                    f"looking for.")  # 'merci beaucoup': thanks, in any language, are understood
        return (f"{sorry}I can only read English for now, and this looks like {language}. Could you write it in "
                f"English? For example: “a linen dress for a summer wedding, size M”.")
    lowered = message.lower()
    if reading.act == "off_topic":
        return (f"I can only help with the {catalog} catalog{range_of}. "
                f"Tell me what you're looking for, and what it is for.")
    if re.search(r"\b(?:thank|thanks|thx|cheers|ta|appreciate|grazie|merci|danke|gracias)\b", lowered):
        return "You're welcome! If you'd like anything else, just tell me what you're looking for."
    if re.search(r"\b(?:bye|goodbye|see you|that's all|thats all|that's everything|done for today|all set)\b", lowered):
        return "Thank you, and goodbye! Come back any time."
    if shown:
        return "Hello again! Tell me what you think of these, or what else you're looking for."
    return (f"Hello! I can help you find the right piece from the {catalog} catalog"
            f"{holds}. What are you looking for, and what is it for?")


def confirmation(items: list[Item], quantity: float | None, ids: IdMatcher = GENERIC_IDS, unit: str = "unit") -> str:
    """The reply to a choice ('we'll take the second', 'we'll take 200 boxes of it'): the items
    chosen with their catalog price and availability (and, for a quantity, the price at that
    quantity and the minimum order, as a price question gets), and no claim of an order placed:
    Motive recommends, it does not sell."""
    from agent.answers import answer_question
    from agent.reading.models import Question
    from agent.replies import money, pack_unit

    if not items:
        return "Which one have you chosen? Tell me its name or id."
    lines = []
    for item in items:
        brand = f" by {catalog_text(item.brand, item, ids)}" if item.brand else ""
        price = money(item.price, item.currency) + (f" {pack_unit(item)}" if item.attributes.get("pack_size") else "")
        line = f"{catalog_text(item.title, item, ids)}{brand} ({item.id}), {price}, {AVAILABILITY_WORDS[item.availability]}."
        if quantity:
            asked = Question(item_ids=[item.id], field="price", quantity=quantity, unit=unit or "unit")
            line += " " + answer_question([item], asked, ids)
        lines.append(line)
    chosen = lines[0] if len(lines) == 1 else "\n" + "\n".join(f"{n}. {l}" for n, l in enumerate(lines, 1))
    by_id = "its id" if len(items) == 1 else "their ids"
    return (f"Good choice: {chosen}\nI can't place the order myself: order by {by_id} above. "
            f"Is there anything else you're looking for?")
