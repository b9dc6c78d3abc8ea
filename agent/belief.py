"""How the belief state changes with each message: pure functions of the old belief and the
message's :class:`agent.reading.models.Reading`, tested without the graph.

- Constraints: a new statement of a list ('a dress' then 'shoes to go with it') replaces the old
  one, except what accumulates (brands ruled out, excluded terms, requirements); a lifted
  constraint is dropped ('forget the budget', 'leather is fine after all'); 'relax it' drops what
  blocked the last turn. Only readings the reader is sure of become constraints; the others are
  preferences, which rank but never hide an item.
- Reactions: items liked or turned down, with the reason; 'not that brand' rules the brand out.
- Critiques are relative to the item the person is looking at: 'cheaper' caps the budget just
  under its price, 'more formal' becomes a motive, 'less flashy' a dislike.
- Motives merge by text (the higher confidence wins, evidence accumulates) and earlier
  conversation motives fade when a new request brings motives of its own.
"""

from __future__ import annotations

import re

from agent.client_facts import recipient_of
from agent.models import BeliefState, ClientHistory, Constraints, Evidence, Item, Motive, Reaction, Steer
from agent.reading.models import Reading

ACCUMULATING = frozenset({"brands_out", "exclude_terms", "must_have", "numeric"})
"""Constraint lists that grow over a conversation; the others (categories, brands_in, sizes) are
replaced by a new statement: "a dress" then "shoes to go with it" means shoes now."""
MOTIVE_FADE = 0.6
"""Factor applied to a conversation motive each time a new request does not restate it."""
MOTIVE_FLOOR = 0.2
"""Below this confidence a faded motive is dropped from the belief."""
MAX_PREFERENCES = 12
CHEAPER_FACTOR = 0.999
PRICIER_FACTOR = 1.001

LIFTS: dict[str, tuple[str, ...]] = {
    "budget": ("budget_max", "budget_min", "budget_lot"),
    "brand": ("brands_in", "brands_out"),
    "category": ("categories", "kinds"),
    "size": ("sizes",),
    "delivery": ("in_stock_only", "max_lead_time_days"),
    "moq": ("max_moq",),
}
"""What each lift of the reading clears. ``all`` clears what blocked the last turn ('relax it',
'what have you got?'), and when nothing did, nothing, unless it was said as 'forget all the
filters' (``sure``): then every limit and requirement, but never what the person ruled out."""


def merge_motives(old: list[Motive], new: list[Motive]) -> list[Motive]:
    """Union by text (case-insensitive): the higher confidence wins, evidence accumulates."""
    merged: dict[str, Motive] = {m.text.lower(): m for m in old}
    for motive in new:
        key = motive.text.lower()
        if key in merged:
            prior = merged[key]
            evidence = prior.evidence + [e for e in motive.evidence if e not in prior.evidence]
            # Said again in the conversation, a history motive becomes the person's current word.
            source = "conversation" if "conversation" in (prior.source, motive.source) else "history"
            merged[key] = prior.model_copy(update={
                "confidence": max(prior.confidence, motive.confidence), "evidence": evidence,
                "source": source, "overridden_by": None if source == "conversation" else prior.overridden_by,
            })
        else:
            merged[key] = motive
    return list(merged.values())


def fade_motives(motives: list[Motive], restated: list[Motive]) -> list[Motive]:
    """Earlier conversation motives lose weight when a new request brings motives of its own;
    history motives are left alone (they have their own, lower weight)."""
    keep = {m.text.lower() for m in restated}
    out = []
    for motive in motives:
        if motive.source == "conversation" and motive.text.lower() not in keep:
            confidence = round(motive.confidence * MOTIVE_FADE, 3)
            if confidence < MOTIVE_FLOOR:
                continue
            motive = motive.model_copy(update={"confidence": confidence})
        out.append(motive)
    return out


def merge_constraints(old: Constraints, new: Constraints, clear: list[str]) -> Constraints:
    """The belief's constraints after a message stated ``new`` and lifted ``clear`` (a field name,
    or ``field:value`` to lift one value: 'leather is fine after all')."""
    data = old.model_dump()
    defaults = Constraints().model_dump()
    for entry in clear:
        name, _, value = entry.partition(":")
        if name not in data:
            continue
        if value and isinstance(data[name], list):
            data[name] = [v for v in data[name] if str(v).lower() != value.lower()]
        else:
            data[name] = defaults[name]
    for name, value in new.model_dump().items():
        if value == defaults[name]:
            continue
        if isinstance(value, list) and name in ACCUMULATING:
            data[name] = list(dict.fromkeys([*data[name], *value]))
        elif isinstance(value, dict):
            data[name] = {**data[name], **value}
        else:
            data[name] = value
    if new.categories:  # the kind words go with the categories they were said with
        data["kinds"] = list(new.kinds)
    if new.budget_max is not None:  # a new budget is said per unit unless said for the lot again
        data["budget_lot"] = new.budget_lot
    # A brand cannot be both required and ruled out: the latest statement wins.
    if new.brands_out:
        data["brands_in"] = [b for b in data["brands_in"] if b.lower() not in {x.lower() for x in new.brands_out}]
    if new.brands_in:
        data["brands_out"] = [b for b in data["brands_out"] if b.lower() not in {x.lower() for x in new.brands_in}]
    if new.exclude_terms:  # 'no leather' after 'must be leather'
        data["must_have"] = [t for t in data["must_have"] if t.lower() not in {x.lower() for x in new.exclude_terms}]
    if new.must_have:
        data["exclude_terms"] = [t for t in data["exclude_terms"] if t.lower() not in {x.lower() for x in new.must_have}]
    return Constraints.model_validate(data)


def cleared_fields(reading: Reading, blocking: list[str], held: Constraints) -> list[str]:
    """The ``merge_constraints`` clear entries for what ``reading`` lifts."""
    out: list[str] = []
    for lift in reading.lift:
        if lift.field in LIFTS:
            if lift.field == "brand" and lift.value:  # 'Velluto is fine after all' / 'doesn't have to be Velluto'
                out.extend([f"brands_out:{lift.value}", f"brands_in:{lift.value}"])
            else:
                out.extend(LIFTS[lift.field])
        elif lift.field == "exclude" and lift.value:
            out.append(f"exclude_terms:{lift.value}")
        elif lift.field == "require" and lift.value:
            out.append(f"must_have:{lift.value}")
        elif lift.field == "all" and blocking:
            out.extend(relax_entries(blocking))
        elif lift.field == "all" and lift.sure:  # 'forget all the filters'; 'relax it' with nothing blocking clears nothing
            out.extend([f for group in LIFTS.values() for f in group if f != "brands_out"] + ["must_have", "numeric"])
    return out


def relax_entries(labels: list[str]) -> list[str]:
    """Clear entries for relaxation labels ('budget', 'require:cashmere', 'numeric:ram_gb>=16')."""
    from agent.models import RELAXABLE

    groups = dict(RELAXABLE)
    out: list[str] = []
    for label in labels:
        name, _, value = label.partition(":")
        if name == "require":
            out.append(f"must_have:{value}")
        elif name == "exclude":
            out.append(f"exclude_terms:{value}")
        elif name == "numeric":
            out.append(f"numeric:{value}")
        elif name in groups:
            out.extend(groups[name])
    return out


def soft_terms(reading: Reading) -> list[str]:
    """The preferences a reading adds: its soft terms, unsure kinds of item and brands."""
    out = []
    for term in reading.soft():
        if term.kind == "brand":
            out.append(f"brand:{term.text}")
        elif any(c.name == term.text and not c.sure for c in reading.categories):
            out.append(f"category:{term.text}")
        else:
            out.append(term.text)
    return out


def apply_reading(belief: BeliefState, reading: Reading, shown: list[Item], turn: int) -> BeliefState:
    """The belief after ``reading`` (a new object; ``belief`` is left as it was).

    ``shown`` are the items shown last turn, in order (what critiques are relative to)."""
    b = belief.model_copy(deep=True)
    b.taken = []
    stated = reading.constraints()
    clear = cleared_fields(reading, b.blocking, b.constraints)
    b.constraints = merge_constraints(b.constraints, stated, clear)
    if reading.lift:
        lifted = {x.partition(":")[2].lower() for x in clear if ":" in x}
        b.preferences = [p for p in b.preferences if p.lower() not in lifted]
    b.preferences = list(dict.fromkeys([*b.preferences, *soft_terms(reading)]))[-MAX_PREFERENCES:]
    if belief.blocking and reading.liked and not reading.lift:
        # 'the first one is exactly right' of a near miss shown at a dead end: the like takes what it
        # breaks of what blocked, as 'relax it' would; the item is the answer, not another dead end.
        loosened = merge_constraints(b.constraints, Constraints(), relax_entries(belief.blocking))
        liked = [i for i in shown if i.id in reading.liked and not b.constraints.complies(i) and loosened.complies(i)]
        if liked:
            b.taken = [label for label in belief.blocking
                       if merge_constraints(b.constraints, Constraints(), relax_entries([label])) != b.constraints]
            b.constraints = loosened
    for item_id in reading.rejected:
        b.reactions.append(Reaction(item_id=item_id, kind="rejected", reason=reading.reason, turn=turn))
    for item_id in reading.liked:
        b.reactions.append(Reaction(item_id=item_id, kind="liked", turn=turn))
    if reading.brand_refs_out:
        b.constraints = merge_constraints(b.constraints, Constraints(brands_out=reading.brand_refs_out), [])
    looked_at = next((i for i in shown if i.id == b.focus), shown[0] if shown else None)
    stated_budget = reading.price is not None and reading.price.max is not None
    for critique in reading.critiques:
        # Relative to the item the person is looking at when they say it; a budget said in the same
        # message ('too pricey, up to 21') is the limit itself.
        if critique.kind == "cheaper" and stated_budget:
            continue
        if critique.kind == "cheaper" and shown and critique.partial:
            # 'a couple of these are too pricey': only the dearest is out of reach
            b.constraints.budget_max = min(x for x in (round(max(i.price for i in shown) * CHEAPER_FACTOR, 2),
                                                       b.constraints.budget_max) if x is not None)
        elif critique.kind == "cheaper" and looked_at is not None:
            # Never looser than a budget already held ("too expensive, under 900" keeps 900).
            b.constraints.budget_max = min(x for x in (round(looked_at.price * CHEAPER_FACTOR, 2),
                                                       b.constraints.budget_max) if x is not None)
        lot = b.constraints.budget_lot
        if lot is not None and abs((b.constraints.budget_max or 0) - lot[0] / lot[1]) > 0.01:
            b.constraints.budget_lot = None  # 'cheaper' set a unit price of its own
        if critique.kind == "pricier" and looked_at is not None:
            b.constraints.budget_min = max(x for x in (round(looked_at.price * PRICIER_FACTOR, 2),
                                                       b.constraints.budget_min) if x is not None)
        elif critique.kind == "more_like" and critique.attribute:
            b.motives = merge_motives(b.motives, [Motive(
                text=f"wants something more {critique.attribute}", confidence=0.85, source="conversation",
                evidence=[Evidence(quote=critique.quote or critique.attribute, turn=turn)])])
        elif critique.kind == "less_like" and critique.attribute:
            b.dislikes = list(dict.fromkeys([*b.dislikes, critique.attribute]))
        if critique.kind in ("more_like", "less_like") and critique.attribute:
            b.steers = record_steer(b.steers, critique.attribute, 1 if critique.kind == "more_like" else -1, turn)
            # What was on screen is what the critique moved away from: it is not shown again.
            b.set_aside = list(dict.fromkeys([*b.set_aside, *(i.id for i in shown)]))
    if reading.act == "critique" and not reading.critiques and not reading.liked and shown:
        # 'Not what I asked for, centrefeed please': a critique the reader could not place is still
        # about what is on screen, which it moves away from like any other: not shown again.
        b.set_aside = list(dict.fromkeys([*b.set_aside, *(i.id for i in shown)]))
    if (reading.rejected and reading.reason and not reading.critiques and reading.reason != "not for me"
            and not reason_is_the_rejection(reading)):
        # 'not that one, it's too shiny': the reason is a quality to rank lower from now on
        b.dislikes = list(dict.fromkeys([*b.dislikes, reading.reason]))
    if reading.question is not None and reading.question.item_ids:
        b.focus = reading.question.item_ids[0]
    elif reading.rejected or reading.liked:
        b.focus = (reading.liked or reading.rejected)[0]
    return b


def reason_is_the_rejection(reading: Reading) -> bool:
    """Whether the reason given is only the words that turned the items down ('nope', 'no, sorry',
    'these won't do'): those say no, not why, and ranked down as a quality they push away whatever
    their embedding happens to sit near, turn after turn."""
    def bare(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s']+", " ", text.lower()).split())
    reason = bare(reading.reason)
    return any(bare(r.quote) == reason for r in reading.references if r.polarity == "rejected" and r.quote)


def only_steers(reading: Reading, reacted: bool, shown: bool) -> bool:
    """Whether the message steers what is on screen rather than asking for something: a card's
    reaction, or a critique, rejection or like with items shown. Its words then stay out of the
    retrieval query ('not for me: Linen Midi Dress' would pull that item back); a critique with
    nothing on screen ('more jeans-and-a-knit than boardroom' to open) is a request."""
    return reacted or bool((reading.critiques or reading.rejected or reading.liked) and shown)


def wants_items(reading: Reading) -> bool:
    """Whether the message asks for items (a request, a critique, a reaction) and was understood."""
    return reading.act in ("request", "critique", "reaction") and reading.understood


def apply_request(belief: BeliefState, text: str, reading: Reading, found: list[Motive]) -> BeliefState:
    """A request's words and motives (``found``, read from ``text``) in the belief. A request with
    motives of its own or a sure product type is a new subject: it replaces the retrieval query, and
    earlier conversation motives it does not restate fade; otherwise it adds to the query."""
    b = belief.model_copy(deep=True)
    new_subject = bool(found) or any(c.sure for c in reading.categories)
    b.query = text if new_subject else f"{b.query} {text}".strip()[-1000:]
    if found:
        b.motives = fade_motives(b.motives, found)
    b.motives = merge_motives(b.motives, found)
    return b


def apply_card_reaction(belief: BeliefState, reaction: Reaction, turn: int) -> BeliefState:
    """A card's like / not-for-me button: the reaction, and its reason as a dislike."""
    b = belief.model_copy(deep=True)
    b.reactions.append(reaction.model_copy(update={"turn": turn}))
    if reaction.kind == "rejected" and reaction.reason:
        b.dislikes = list(dict.fromkeys([*b.dislikes, reaction.reason]))
    b.focus = reaction.item_id
    return b


def as_reaction(reading: Reading) -> Reading:
    """The reading of a card's reason ('too formal'): a reaction to that card, so nothing in it
    refers to, asks about or compares the items shown."""
    return reading.model_copy(update={"references": [], "question": None, "compare": None, "act": "reaction"})


def apply_message(belief: BeliefState, reading: Reading, shown: list[Item], text: str, turn: int,
                  reacted: bool = False, motives: list[Motive] | None = None) -> BeliefState:
    """Everything one message changes in the belief: its reading, the client facts and the
    recipient its words state (a card's reaction states none: its message is the card's title),
    and, when it asks for items (``motives`` not None, see :func:`wants_items` and
    :func:`only_steers`), its words and ``motives`` (:func:`apply_request`)."""
    b = apply_reading(belief, reading, shown, turn)
    b = apply_client_facts(b, "" if reacted else text, turn)
    if not reacted:
        b.recipient = recipient_of(text, b.facts, b.recipient)
    if motives is not None:
        b = apply_request(b, text, reading, motives)
    return b


def start_over(belief: BeliefState) -> BeliefState:
    """A reset: the client's history stays (its motives, what they own, its facts, to be applied
    afresh), everything said in the conversation goes."""
    return BeliefState(client_id=belief.client_id, motives=[m for m in belief.motives if m.source == "history"],
                       owned=list(belief.owned),
                       facts=[f.model_copy(update={"applied": False}) for f in belief.facts])


def record_steer(steers: list[Steer], attribute: str, direction: int, turn: int) -> list[Steer]:
    """The steers after a directional critique: the latest word on a quality replaces an earlier
    one ('less formal' then 'more formal' leaves only 'more formal')."""
    kept = [s for s in steers if s.attribute.lower() != attribute.lower()]
    return [*kept, Steer(attribute=attribute, direction=direction, turn=turn)]


def apply_client_facts(belief: BeliefState, message: str, turn: int) -> BeliefState:
    """The belief with the client file's hard facts that concern this message turned into
    constraints, each once (a lifted fact is not put back): the client's own facts apply unless
    the message is about someone else; a fact about someone ('husband Tom is vegan') applies when
    the message names them. A size applies when the request is for that kind of item."""
    from agent.client_facts import about_someone_else, names_in

    if not belief.facts:
        return belief
    b = belief.model_copy(deep=True)
    named = names_in(message)
    other = about_someone_else(message)
    facts = []
    categories = {c.lower() for c in b.constraints.categories}
    # Sizes set for a kind of item no longer asked for go first, so the new kind's size can apply.
    order = sorted(range(len(b.facts)), key=lambda k: not (b.facts[k].kind == "size" and b.facts[k].applied))
    ordered = [b.facts[k] for k in order]
    for fact in ordered:
        concerns = bool(set(fact.who) & named) if fact.who else not other
        if fact.kind == "size":
            # A size follows the kind of item asked for: 38 for shoes, 36 once it is a dress again.
            fits = concerns and fact.category in categories and len(categories) == 1
            if fits and not b.constraints.sizes:
                b.constraints = b.constraints.model_copy(update={"sizes": list(fact.terms)})
                fact = fact.model_copy(update={"applied": True})
            elif fact.applied and not fits and b.constraints.sizes == fact.terms:
                b.constraints = b.constraints.model_copy(update={"sizes": []})
                fact = fact.model_copy(update={"applied": False})
        elif concerns and not fact.applied:
            if fact.kind == "exclude":
                b.constraints = merge_constraints(b.constraints, Constraints(exclude_terms=fact.terms), [])
            elif fact.kind == "dislike":
                b.dislikes = list(dict.fromkeys([*b.dislikes, *fact.terms]))
            fact = fact.model_copy(update={"applied": True})
        facts.append(fact)
    b.facts = [facts[order.index(k)] for k in range(len(facts))]
    return b


def with_client_file(belief: BeliefState, client: ClientHistory) -> BeliefState:
    """The belief with what the client file states as facts: what they own and its hard facts."""
    from agent.client_facts import facts_from_client

    return belief.model_copy(update={"owned": list(dict.fromkeys(p.item_id for p in client.purchases)),
                                     "facts": facts_from_client(client)})


def left_out(belief: BeliefState, message: str, owned: dict[str, Item], reorders: bool = False) -> set[str]:
    """Item ids a search leaves out: turned down, set aside by a critique, and owned, except an
    owned item the message asks for by name ('the Peony tea dress again'). Where buyers reorder
    (``reorders``: a B2B catalog of consumables, a lab's usual gloves), owned items stay in."""
    lowered = message.lower()
    asked = {i for i, item in owned.items() if item.title and item.title.lower() in lowered}
    if reorders:
        asked |= set(owned)
    return belief.excluded_ids - (asked - belief.rejected_ids - set(belief.set_aside))
