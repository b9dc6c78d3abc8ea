"""With an LLM configured, the LLM reads the message, and only what the message's words support is
kept: every value of its answer is checked on its own, and one that fails takes the offline
reading's value for that field (a :class:`~agent.models.Fallback` names the field and why).

    LLMReader(llm, reader).read(message, shown, focus, today, ledger) -> Reading

The model fills a small flat schema (:func:`reading_schema`, built per catalog and per number of
shown items: the catalog's own categories, brands and sizes, and the shown positions, are enums in
the JSON schema the model sees). Parsing is lenient on those enums on purpose: an invented category
must cost that field only, not the whole reading, so membership is checked here, not by pydantic.

What each check asks (see :class:`_Check`):

- a number (budget, quantity, MOQ, lead time, question quantity) is one of the message's numbers,
  as digits or derivable from its words (``agent.reading.numbers``; "around 500" -> 600, "two weeks"
  -> 14, "by Friday" -> days from today), or one the offline reading found; a budget is a plausible
  price for the catalog; a number whose quote states numbers must come from that quote;
- a quote occurs in the message (case-insensitive), and the value it carries comes from it (its
  words are in the quote; not checked for messages in another language, where the value is a
  translation);
- a category, brand or size is the catalog's own; a brand is named in the message; a position is
  one of the shown items; the act is one of the eight; a currency is stated in the message;
- a clause of the message that addresses the model (names a field of the schema, "ignore previous
  instructions") supports nothing: the message is data, never instructions.

A field the answer leaves empty is the offline reading's (the default), unless the words that value
came from are words a validated value of the answer read as something else ("2500 tops" read as a
budget is no order of tops). A failed call is the offline reading whole. ``sure`` keeps its meaning
(:mod:`agent.reading.models`): a category the quote does not name (matched by meaning) and a term the
catalog has no word for rank candidates but never hide one, whoever read them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Callable, get_args

from pydantic import BaseModel, Field, WithJsonSchema, create_model
from text_to_num import alpha2digit

import prompts
from agent.llm import LLM, UsageLedger
from agent.models import Item, Motive
from agent.motives import MotiveDraft, ground_motives, motive_schema, prompt_examples, prompt_vocabulary, quote_choices
from agent.reading.delivery import read_delivery
from agent.reading.lexicon import singular
from agent.reading.models import (Act, Brand, Category, Comparison, Critique, Lift, Limit, PriceLimit, Quantity,
                                  Question, Reading, Reference, Said, Size, Term)
from agent.reading.money import AROUND_FACTOR, normalise_money
from agent.reading.numbers import normalise_numbers
from agent.reading import trust
from agent.reading.reader import Reader
from agent.reading.text import Text, alternation
from agent.settings import Settings

STEP = "read"
ACTS: tuple[str, ...] = get_args(Act)
ENUM_LIMIT = 200
"""A catalog with more categories (brands, sizes) than this gets a plain string field: the list
would crowd a small model's context. Membership is checked either way."""
HISTORY_CHARS = 1200
"""How much of what the client's file says about their motives the prompt carries."""
PROMPT_LIST_LIMIT = 60
MOTIVES_ONLY_MAX = 2
"""Motives the motives-only read asks for (each costs a small model about two seconds)."""
"""How many categories and brands the prompt lists."""
LIFT_FIELDS: tuple[str, ...] = get_args(Lift.model_fields["field"].annotation)
GOALS = ("min", "max", "has")
STANDARD_FIELDS = ("price", "material", "care", "origin", "colour", "size", "availability", "lead_time", "moq",
                   "pack_size", "certifications", "brand", "category", "description")
_NUMBER_LANGS = {"en", "fr", "de", "es", "it", "nl", "pt"}
_FOREIGN_CURRENCY = {"livre": "GBP", "livres": "GBP", "livres sterling": "GBP", "pfund": "GBP", "sterline": "GBP",
                     "sterlina": "GBP", "libra": "GBP", "libras": "GBP", "ponden": "GBP",
                     "franken": "CHF", "franchi": "CHF", "francos": "CHF", "dollari": "USD",
                     "dollaro": "USD", "dólares": "USD", "dolares": "USD", "dólar": "USD", "yenes": "JPY"}
"""Currency words of the languages the LLM reads and the offline reader does not (the message's
currency is checked against them as against ``lang/en/money.toml``'s)."""
_NOT_CONTENT = frozenset("a an the of and or no not free in with for".split())
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?;\n]{0,40}\b(?:instructions?|prompts?|rules|schema|"
    r"system)\b|\bsystem prompt\b|\byou are now\b|\bnew instructions?\b|\bdeveloper mode\b", re.IGNORECASE)


# ------------------------------------------------------------------------------------------------
# The schema the model fills


def _enum(values: list[str] | None, json_type: str = "string") -> Any:
    """A string the JSON schema limits to ``values`` (when there are few enough), but that parses
    whatever the model wrote, so a value outside the list fails its own field, not the answer."""
    if not values or len(values) > ENUM_LIMIT:
        return str
    return Annotated[str, WithJsonSchema({"type": json_type, "enum": list(values)})]


def _positions(n: int) -> Any:
    """1-based positions of the shown items (an id of a shown item is accepted too)."""
    schema = {"type": "integer", "minimum": 1, "maximum": max(n, 1)}
    return list[Annotated[int | str, WithJsonSchema(schema)]]


def _quoted(name: str, value_type: Any, what: str) -> type[BaseModel]:
    return create_model(
        name,
        value=(value_type, Field(description=what)),
        quote=(str, Field("", description="the exact words of the message this value comes from")),
    )


def question_fields(reader: Reader) -> list[str]:
    """The fields a question or a comparison may be about: the standard ones and the catalog's."""
    lx = reader.lexicon
    own = [a for a in lx.attribute_names if a not in ("tiered_prices", "lead_time_days", "sizes")]
    return list(dict.fromkeys([*STANDARD_FIELDS, *lx.numeric, *own]))


def reading_schema(reader: Reader, shown: int) -> type[BaseModel]:
    """The flat schema of one call: the catalog's categories, brands and sizes as enums, positions
    limited to ``1..shown`` (and no position at all when nothing was shown)."""
    lx = reader.lexicon
    categories = list(lx.categories)
    brands = sorted(set(lx.brands.values()))
    sizes = sorted(set(lx.sizes.values()))
    currencies = sorted(set(reader.lang.money.currencies.values()))
    fields = question_fields(reader)
    term = _quoted("TermValue", str, "lower case, singular: 'wool', 'latex-free', 'en 388', 'navy'")
    category = _quoted("CategoryValue", _enum(categories), "a category of this catalog, as listed")
    brand = _quoted("BrandValue", _enum(brands), "a brand of this catalog, as listed")
    size = _quoted("SizeValue", _enum(sizes), "a size as the catalog writes it ('M', '38')")
    critique = _quoted("CritiqueValue", str, "cheaper, pricier, more:<quality> or less:<quality>")
    lift = _quoted("LiftValue", str, "budget, brand, category, size, delivery, moq, all, exclude:<term> "
                                     "or require:<term>")
    positions = _positions(shown)
    none_shown = {} if shown else {"json_schema_extra": {"maxItems": 0}}

    def many(model: Any, what: str, **extra: Any) -> tuple[Any, Any]:
        return list[model], Field(default_factory=list, description=what, **extra)

    def opt(kind: Any, what: str) -> tuple[Any, Any]:
        return kind | None, Field(None, description=what)

    def quote(what: str) -> tuple[Any, Any]:
        return str, Field("", description=f"the exact words of the message that state {what}")

    return create_model(
        "LLMReading",
        __doc__="What one shopper's message states. Leave every field the message does not state empty.",
        act=(_enum(list(ACTS)) | None, Field(None, description="what the message does")),
        budget_max=opt(float, "highest unit price allowed, a plain number ('under 300' -> 300, 'around 500' -> 600)"),
        budget_min=opt(float, "lowest unit price allowed ('nothing under 500' -> 500)"),
        currency=opt(_enum(currencies), "ISO code of a currency the message names (€ -> EUR)"),
        budget_quote=quote("the price limit"),
        quantity=opt(float, "how many the person wants to order ('2,000 pairs' -> 2000)"),
        quantity_unit=opt(str, "the unit of quantity, singular ('pair', 'box'; 'unit' when none is said)"),
        quantity_quote=quote("the quantity"),
        max_moq=opt(float, "highest supplier minimum order allowed ('MOQ under 500' -> 500)"),
        max_moq_quote=quote("the MOQ limit"),
        max_lead_time_days=opt(float, "latest delivery, in days ('within two weeks' -> 14)"),
        lead_time_quote=quote("the delivery limit"),
        in_stock=(bool, Field(False, description="true only if the item must be available now")),
        in_stock_quote=quote("that it must be in stock"),
        sizes=many(size, "sizes asked for"),
        categories=many(category, "the catalog categories the request means"),
        brands_in=many(brand, "brands wanted ('only Velluto')"),
        brands_out=many(brand, "brands ruled out ('nothing from X')"),
        exclude=many(term, "what the item must not be or contain ('no wool' -> wool)"),
        require=many(term, "what the item must be or have, said firmly ('a red dress' -> red)"),
        prefer=many(term, "the same said softly ('ideally navy' -> navy)"),
        liked=(positions, Field(default_factory=list, description="positions of shown items the message likes",
                                **none_shown)),
        rejected=(positions, Field(default_factory=list, description="positions of shown items the message "
                                                                     "turns down ('none of these' -> all)",
                                   **none_shown)),
        critiques=many(critique, "relative requests about what was shown ('too formal' -> less:formal)"),
        lift=many(lift, "constraints the person drops ('forget the budget' -> budget)"),
        question_field=opt(_enum(fields), "for a question about specific items: the field that holds the answer"),
        question_value=opt(str, "what a yes/no question asks about ('is it ESD safe?' -> esd)"),
        question_item_positions=(positions, Field(default_factory=list, description="positions of the items "
                                                                                    "asked about", **none_shown)),
        compare_field=opt(_enum(fields), "for a question over the shown items: the field compared"),
        compare_goal=opt(_enum(list(GOALS)), "min, max, or has (which of them have compare_value)"),
        compare_value=opt(str, "what 'has' asks for, or the quality of 'which is the warmest' (warm)"),
        motives=many(MotiveDraft, "why the person shops, beyond the product named (at most 5)"),
    )


# ------------------------------------------------------------------------------------------------
# The prompt


def _listing(values: list[str], limit: int = PROMPT_LIST_LIMIT) -> str:
    if not values:
        return "(none)"
    more = len(values) - limit
    return ", ".join(values[:limit]) + (f" ... ({more} more)" if more > 0 else "")


def _data(text: str) -> str:
    """Message text as data: it cannot close its own markers."""
    return text.replace("<<<", "< < <").replace(">>>", "> > >")


def render_prompt(reader: Reader, message: str, shown: list[Item], focus: Item | None, today: date,
                  history: str = "") -> str:
    lx = reader.lexicon
    lines = [f"{k} | {item.id} | {_data(item.title)[:80]}" for k, item in enumerate(shown, start=1)]
    where = next((k for k, item in enumerate(shown, start=1) if focus is not None and item.id == focus.id), None)
    return prompts.render(
        "read",
        message=_data(message),
        shown="\n".join(lines) or "(nothing shown yet)",
        focus=f"position {where}" if where else (f"{focus.id} | {_data(focus.title)[:80]}" if focus is not None
                                                 else "position 1" if shown else "none"),
        categories=_listing(list(lx.categories)),
        brands=_listing(sorted(set(lx.brands.values()))),
        today=f"{today:%A %Y-%m-%d}",
        history=_data(history.strip())[:HISTORY_CHARS] or "(none)",
    )


# ------------------------------------------------------------------------------------------------
# Checking the answer


class _Reject(Exception):
    """A value the message does not support; the message says why."""


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip(" \t\n,.;:!?\"'()")


def _round(values: set[float]) -> set[float]:
    return {round(v, 2) for v in values}


@dataclass
class _Check:
    """Everything the checks compare against, computed once per message."""

    reader: Reader
    message: str
    offline: Reading
    shown: list[Item]
    today: date
    field_names: frozenset[str]
    english: bool = True
    data: str = ""
    """The message, normalised and lower case, with every clause that addresses the model blanked."""
    instructions: list[str] = field(default_factory=list)
    numbers: set[float] = field(default_factory=set)
    days: set[float] = field(default_factory=set)

    def __post_init__(self) -> None:
        text = Text.of(self.message)
        names = "|".join(re.escape(n) for n in sorted(self.field_names, key=len, reverse=True) if "_" in n)
        addressed = re.compile(rf"\b(?:{names})\b", re.IGNORECASE) if names else None
        data = list(text.clean)
        for start, end in text.clauses():
            clause = text.clean[start:end]
            if _INSTRUCTION.search(clause) or (addressed is not None and addressed.search(clause)):
                self.instructions.append(self.message[start:end].strip())
                data[start:end] = " " * (end - start)
        self.data = _squash("".join(data))
        self.numbers = self.numbers_in(self.data)
        self.days = self.days_in(self.data)

    # -- what the message says ----------------------------------------------------------------------

    def numbers_in(self, s: str) -> set[float]:
        """Every number ``s`` states: as digits, in words, with separators or a currency."""
        reader = self.reader
        out: set[float] = set()
        for token in re.findall(r"\d[\d.,]*\d|\d", s):
            for candidate in (token.replace(",", ""), token.replace(".", "").replace(",", "."),
                              token.replace(",", "."), token.replace(".", "")):
                try:
                    out.add(float(candidate))
                except ValueError:
                    pass
        text = Text.of(s)
        normalise_numbers(text, reader.lang, reader.thousands_dot, reader.keep)
        normalise_money(text, reader.lang)
        out |= {float(x) for x in re.findall(r"\d+(?:\.\d+)?", text.s)}
        out |= {a.value for a in reader.money.amounts(text.s)}
        code = self.offline.language
        if not self.english and code in _NUMBER_LANGS:
            try:
                out |= {float(x) for x in re.findall(r"\d+(?:\.\d+)?", alpha2digit(s, code, threshold=1))}
            except Exception:  # text2num on odd input: the digits above still count
                pass
        return out

    def days_in(self, s: str) -> set[float]:
        """Delivery limits in days ``s`` states in words a number cannot show ('by Friday')."""
        text = Text.of(s)
        normalise_numbers(text, self.reader.lang, self.reader.thousands_dot, self.reader.keep)
        d = read_delivery(text, self.reader.delivery, self.today)
        out = {float(d.days)} if d.days is not None else set()
        # '3 weeks', 'two months': a number with its time unit (not every number times every unit:
        # 'a black clutch' times a fortnight let a copied prompt example of 14 days through).
        units = self.reader.lang.units.time_units
        for m in re.finditer(rf"(\d+(?:\.\d+)?)\s*(?:-\s*)?({alternation(list(units))})(?:s)?(?![\w])", text.s):
            out.add(float(m.group(1)) * units[m.group(2)])
        # 'no more than a week', 'within a fortnight': a time unit said without a number is one of it.
        out |= {float(days) for unit, days in self.reader.lang.units.time_units.items()
                if len(unit) > 2 and re.search(rf"(?<![\w]){re.escape(unit)}(?![\w])", s)}
        return out

    def offline_numbers(self) -> set[float]:
        r = self.offline
        values = [r.price.max if r.price else None, r.price.min if r.price else None,
                  r.quantity.value if r.quantity else None, r.max_moq.value if r.max_moq else None,
                  r.max_lead_time_days.value if r.max_lead_time_days else None,
                  r.question.quantity if r.question else None]
        return {float(v) for v in values if v is not None}

    def spans(self, quote: str) -> list[tuple[int, int]]:
        """Where in the message (``data``) a quote's words are ('a / b' quotes two places)."""
        out = []
        for part in (quote or "").split(" / "):
            q = _squash(Text.of(part).clean)
            at = self.data.find(q) if q else -1
            if at >= 0:
                out.append((at, at + len(q)))
        return out

    def occurs(self, quote: str) -> bool:
        q = _squash(Text.of(quote).clean)
        if not q:
            return False
        if q in self.data:
            return True
        flat = re.sub(r"[^\w]", "", q)
        return bool(flat) and flat in re.sub(r"[^\w]", "", self.data)

    # -- the checks ---------------------------------------------------------------------------------

    def quote(self, quote: str | None, value: str = "") -> str:
        """The quote, checked to occur in the message (the value itself when no quote was given)."""
        quote = (quote or "").strip()
        if not quote:
            if value and self.occurs(value):
                return value
            raise _Reject("no quote" if not value else f"{value!r} is not in the message and has no quote")
        if not self.occurs(quote):
            raise _Reject(f"quote {quote!r} is not in the message"
                          + (" (outside what addresses the model)" if self.instructions else ""))
        return quote

    def grounded(self, value: str, quote: str) -> None:
        """The words of ``value`` come from ``quote`` (English messages only: elsewhere they are a
        translation)."""
        if not self.english:
            return
        q = _squash(Text.of(quote).clean).lower()
        flat = re.sub(r"[^a-z0-9]", "", q)
        words = re.findall(r"[a-z0-9]+", q)
        tokens = [t for t in re.findall(r"[a-z0-9]+", value.lower()) if t not in _NOT_CONTENT] \
            or re.findall(r"[a-z0-9]+", value.lower())
        for t in tokens:
            stem = singular(t)
            if any(w.startswith(t) or w.startswith(stem) or (len(w) >= 4 and t.startswith(w)) for w in words) \
                    or (any(c.isdigit() for c in t) and t in flat) \
                    or difflib.get_close_matches(t, words, n=1, cutoff=0.8):
                continue
            raise _Reject(f"{value!r} is not what {quote!r} says")

    def number(self, value: float, quote: str, kind: str) -> float:
        """``value`` is one of the message's numbers (or derivable from one); when its quote states
        numbers, it comes from them."""
        if value is None or value != value or value < 0:
            raise _Reject(f"{value} is not a number the message could state")

        def derived(numbers: set[float], days: set[float]) -> set[float]:
            out = set(numbers)
            if kind == "budget":
                out |= {n * AROUND_FACTOR for n in numbers}
            if kind == "days":
                out |= days
            return _round(out)

        v = round(float(value), 2)
        offline = _round(self.offline_numbers())
        if quote and self.occurs(quote):
            in_quote = self.numbers_in(_squash(Text.of(quote).clean))
            quote_days = self.days_in(_squash(Text.of(quote).clean)) if kind == "days" else set()
            if in_quote or quote_days:
                if v in derived(in_quote, quote_days) or v in offline:
                    return float(value)
                raise _Reject(f"{value:g} is not what {quote!r} says")
        if v in derived(self.numbers, self.days) or v in offline:
            return float(value)
        where = " (outside what addresses the model)" if self.instructions else ""
        raise _Reject(f"{value:g} is not a number of the message{where}")

    def positions(self, values: list[Any]) -> list[str]:
        """Item ids for 1-based positions (or ids) of the shown items."""
        by_id = {i.id.lower(): i.id for i in self.shown}
        out = []
        for v in values:
            if isinstance(v, str) and v.strip().lower() in by_id:
                out.append(by_id[v.strip().lower()])
                continue
            try:
                k = int(str(v).strip())
            except ValueError:
                raise _Reject(f"{v!r} is not a shown item") from None
            if not 1 <= k <= len(self.shown):
                raise _Reject(f"position {k} is not one of the {len(self.shown)} shown items")
            out.append(self.shown[k - 1].id)
        return list(dict.fromkeys(out))


# ------------------------------------------------------------------------------------------------
# The reader


@dataclass
class LLMReader:
    """The LLM's reading of a message, validated field by field against the message and the catalog,
    with the offline reading as the fallback of every field (and of the whole call)."""

    llm: LLM
    reader: Reader
    fields: str = "all"
    """What the LLM reads: ``all`` (every field, checked one by one), ``motives`` (only the
    motives, in a small schema whose evidence is an enum of the message's clauses: what a small
    local model does well and fast; the offline reading stands for the rest), or ``off``."""
    trust: str = Settings.model_fields["llm_read_trust"].default
    """Which reading decides each group of fields (:mod:`agent.reading.trust`)."""
    _schemas: dict[int, type[BaseModel]] = field(default_factory=dict, repr=False)

    def schema(self, shown: int) -> type[BaseModel]:
        if shown not in self._schemas:
            self._schemas[shown] = reading_schema(self.reader, shown)
        return self._schemas[shown]

    def read(self, message: str, shown: list[Item] | None = None, focus: Item | None = None,
             today: date | None = None, ledger: UsageLedger | None = None, turn: int = 0,
             history: str = "") -> Reading:
        """``turn`` stamps the motives' evidence; ``history`` is what the client's file says about
        their motives (context only: the message's own words win)."""
        ledger = ledger if ledger is not None else UsageLedger()
        if self.fields == "motives" and self.llm.enabled:
            offline = self.reader.read(message, list(shown or []), focus, today or date.today())
            return self._motives_only(message, offline, ledger, turn, history)
        llm, offline = self.readings(message, shown, focus, today, ledger, turn, history)
        return offline if llm is None else _tidy(trust.merge(llm, offline, self.trust))

    def readings(self, message: str, shown: list[Item] | None = None, focus: Item | None = None,
                 today: date | None = None, ledger: UsageLedger | None = None, turn: int = 0,
                 history: str = "") -> tuple[Reading | None, Reading]:
        """The LLM's reading of every field (its value wherever it held, the offline one elsewhere)
        and the offline reading, before :attr:`trust` merges them; ``None`` for the first when no
        LLM read the message (none configured, ``fields="off"``, or the call failed)."""
        shown = list(shown or [])
        today = today or date.today()
        ledger = ledger if ledger is not None else UsageLedger()
        offline = self.reader.read(message, shown, focus, today)
        if not self.llm.enabled or self.fields != "all":
            return None, offline
        schema = self.schema(len(shown))
        prompt = render_prompt(self.reader, message, shown, focus, today, history)
        answer = self.llm.structured(STEP, prompt, schema, ledger)
        if answer is None:
            return None, offline
        try:
            check = _Check(self.reader, message, offline, shown, today, frozenset(schema.model_fields),
                           english=offline.understood and offline.language == "en")
            return _Assembly(self.reader, check, answer, offline, shown, focus, ledger, turn).reading(), offline
        except Exception as exc:  # an answer the checks cannot take apart: the turn still completes
            ledger.fallback(STEP, f"the answer could not be checked: {type(exc).__name__}: {str(exc)[:200]}")
            return None, offline

    def _motives_only(self, message: str, offline: Reading, ledger: UsageLedger, turn: int, history: str) -> Reading:
        """The offline reading with the LLM's motives, where any holds (see :attr:`fields`)."""
        if not offline.understood or offline.act in ("reset", "greeting", "off_topic", "question", "compare"):
            return offline  # no motive to read in it (and no call to wait for)
        quotes = [q for q in quote_choices(message) if not _INSTRUCTION.search(q)]
        prompt = prompts.render("read_motives", message=_data(message),
                                history=_data(history.strip())[:HISTORY_CHARS] or "(none)")
        answer = self.llm.structured(STEP, prompt, motive_schema(quotes, MOTIVES_ONLY_MAX, "LLMMotives"), ledger)
        if answer is None or not answer.motives:
            return offline
        motives, dropped = ground_motives(answer.motives, message, "conversation", turn,
                                          grounded=lambda q: bool(q.strip()) and q.strip() in quotes,
                                          examples=prompt_examples("read", "read_motives"),
                                          vocabulary=prompt_vocabulary("read_motives"))
        if not motives:
            ledger.fallback(STEP, f"motives: all {dropped} motives lacked evidence found in the message, named "
                                  f"an item or a price, or copied the prompt's examples")
            return offline
        return offline.model_copy(update={"motives": motives})


class _Assembly:
    """One answer checked field by field and turned into a :class:`Reading`."""

    def __init__(self, reader: Reader, check: _Check, answer: BaseModel, offline: Reading, shown: list[Item],
                 focus: Item | None, ledger: UsageLedger, turn: int = 0):
        self.reader, self.check, self.a, self.offline = reader, check, answer, offline
        self.shown, self.focus, self.ledger, self.turn = shown, focus, ledger, turn
        self.failed: set[str] = set()
        """The fields of the answer that failed their check (they took the offline value)."""

    def fail(self, name: str, why: object) -> None:
        self.failed.add(name)
        self.ledger.fallback(STEP, f"{name}: {why}")

    def keep(self, name: str, validate: Callable[[], Any], fallback: Any) -> Any:
        """``validate()``, or ``fallback`` (and a recorded fallback) when the message does not support it."""
        try:
            return validate()
        except _Reject as why:
            self.fail(name, why)
            return fallback

    # -- scalars ----------------------------------------------------------------------------------

    def price(self) -> PriceLimit | None:
        """The budget: a number that fails sends the whole limit to the offline one (a limit is one
        thing: a valid floor beside a refused ceiling would say something the person did not)."""
        a, off, check = self.a, self.offline.price, self.check
        if a.budget_max is None and a.budget_min is None:
            return None
        quote = self.keep("budget_quote", lambda: check.quote(a.budget_quote), "") if a.budget_quote else ""
        offline_numbers = _round(check.offline_numbers())

        def amount(value: float) -> float:
            v = check.number(value, quote, "budget")
            if not self.reader.plausible(v) and round(v, 2) not in offline_numbers:
                raise _Reject(f"{v:g} is not a plausible price in this catalog")
            return v

        values: dict[str, float | None] = {}
        for name in ("budget_max", "budget_min"):
            value = getattr(a, name)
            try:
                values[name] = amount(value) if value is not None else None
            except _Reject as why:
                self.fail(name, why)
                return off
        hi, lo = values["budget_max"], values["budget_min"]
        if hi is not None and lo is not None and lo > hi:
            self.fail("budget_min", f"{lo:g} is above budget_max {hi:g}")
            return off

        def currency() -> str:
            code = str(a.currency).strip().upper()
            if code not in set(self.reader.lang.money.currencies.values()):
                raise _Reject(f"{a.currency!r} is not a currency code")
            named = [f for f, c in [*self.reader.money.currencies.items(), *_FOREIGN_CURRENCY.items()] if c == code]
            said = any(f in check.data if not f[0].isalpha()
                       else re.search(rf"(?<![\w]){re.escape(f)}(?![\w])", check.data) for f in named)
            if not said and not (off is not None and off.currency == code):
                raise _Reject(f"the message names no {code}")
            return code

        cur = self.keep("currency", currency, off.currency if off else None) if a.currency else None
        stated = _round(check.numbers_in(_squash(Text.of(quote).clean)) if quote else check.numbers)
        approximate = hi is not None and round(hi, 2) not in stated and round(hi / AROUND_FACTOR, 2) in stated
        if hi is not None and lo is None and not approximate and quote and self.around.search(quote):
            hi, approximate = round(hi * AROUND_FACTOR, 2), True  # 'around 500' is a ceiling of 600
        if off is not None and (off.max, off.min) == (hi, lo):
            quote = quote or off.quote
            approximate = approximate or off.approximate
        return PriceLimit(max=hi, min=lo, currency=cur, approximate=approximate, quote=quote, sure=True)

    @property
    def around(self) -> re.Pattern[str]:
        limits = self.reader.lang.money.limits
        return re.compile(rf"(?<![\w])(?:{alternation([*limits.around_before, *limits.around_after])})(?![\w])|~",
                          re.IGNORECASE)

    def limit(self, name: str, value: float | None, quote: str, kind: str, off: Limit | None) -> Limit | None:
        if value is None:
            return None
        check = self.check

        def valid() -> Limit:
            q = check.quote(quote) if quote else ""
            v = check.number(value, q, kind)
            return Limit(value=v, quote=q or (off.quote if off and off.value == v else f"{v:g}"), sure=True)

        return self.keep(name, valid, off)

    def quantity(self) -> Quantity | None:
        a, off, check = self.a, self.offline.quantity, self.check
        if a.quantity is None:
            return None

        def valid() -> Quantity:
            q = check.quote(a.quantity_quote) if a.quantity_quote else ""
            v = check.number(a.quantity, q, "count")
            return Quantity(value=v, unit="unit", quote=q or f"{v:g}", sure=True)

        out = self.keep("quantity", valid, off)
        if out is None or out is off:
            return out

        def unit() -> str:
            u = (a.quantity_unit or "unit").strip().lower()
            u = self.reader.lexicon.units.get(u) or self.reader.quantities.units.get(u) or singular(u)
            if u in ("unit", "units", "") or not check.english:
                return u or "unit"
            if re.search(rf"(?<![\w]){re.escape(u[:max(3, len(u) - 1)])}", check.data):
                return u
            raise _Reject(f"the message does not count in {u!r}")

        out.unit = self.keep("quantity_unit", unit, off.unit if off else "unit")
        return out

    def in_stock(self) -> Said | None:
        a, off = self.a, self.offline.in_stock
        if not a.in_stock:
            return None

        def valid() -> Said:
            if not a.in_stock_quote and off is not None:
                return off
            return Said(quote=self.check.quote(a.in_stock_quote), sure=True)

        return self.keep("in_stock", valid, off)

    # -- lists ------------------------------------------------------------------------------------

    def each(self, name: str, values: list[Any], make: Callable[[Any], Any], fallback: list[Any]) -> list[Any]:
        """Every value of a list field checked; one that fails sends the field to the offline value."""
        def valid() -> list[Any]:
            return [make(v) for v in values]

        return self.keep(name, valid, fallback)

    def _catalog_value(self, table: dict[str, str], value: str, what: str) -> str:
        key = value.strip().lower()
        if key not in table:
            raise _Reject(f"{value!r} is not one of the catalog's {what}")
        return table[key]

    def category(self, v: BaseModel) -> Category:
        """A catalog category, quoted from the message. Sure when the quote names it (its name, a
        form of it, or a word the catalog's titles use for it) or the offline reader read it too;
        otherwise the model matched it by meaning ('frock' -> dress), and like the offline
        reader's matches by meaning it ranks candidates but never hides one."""
        lx = self.reader.lexicon
        name = self._catalog_value({c.lower(): c for c in lx.categories}, v.value, "categories")
        quote = self.check.quote(v.quote, name)
        q = re.sub(r"[\s-]+", " ", _squash(Text.of(quote).clean))
        words = {name.lower(), singular(name.lower()), *(a for a, cats in lx.aliases.items() if name in cats)}
        words = {re.sub(r"[\s-]+", " ", w) for w in words if w}
        named = any(re.search(rf"(?<![\w]){re.escape(w)}(?:s|es)?(?![\w])", q) for w in words)
        offline = next((c for c in self.offline.categories if c.name == name), None)
        return Category(name=name, quote=quote, sure=named or (offline is not None and offline.sure))

    def brand(self, v: BaseModel) -> Brand:
        lx, check = self.reader.lexicon, self.check
        name = self._catalog_value(lx.brands, v.value, "brands")
        offline = {b.name for b in [*self.offline.brands_in, *self.offline.brands_out]} | set(self.offline.brand_refs_out)
        words = [name.lower(), *(w for w, b in lx.brand_aliases.items() if b == name)]
        said = any(re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", check.data) for w in words)
        tokens = [t for t in re.findall(r"[a-z]{3,}", name.lower()) if t not in _NOT_CONTENT]
        typed = re.findall(r"[a-z]+", check.data)
        if not said and tokens and all(difflib.get_close_matches(t, typed, n=1, cutoff=0.85) for t in tokens[:1]):
            said = True
        if not said and name not in offline:
            raise _Reject(f"the message does not name {name!r}")
        quote = check.quote(v.quote) if v.quote else name
        return Brand(name=name, quote=quote, sure=True)

    def size(self, v: BaseModel) -> Size:
        lx, check = self.reader.lexicon, self.check
        value = self._catalog_value(lx.sizes, v.value, "sizes")
        quote = check.quote(v.quote, value)
        q = _squash(Text.of(quote).clean)
        words = [value.lower(), *(k for k, s in self.reader.lang.sizes.letters.items() if s == value)]
        if not any(re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", q) for w in words) \
                and all(s.value != value for s in self.offline.sizes):
            raise _Reject(f"{quote!r} does not say size {value}")
        return Size(value=value, quote=quote, sure=True)

    def term(self, v: BaseModel) -> Term:
        text = re.sub(r"\s+", " ", str(v.value).strip().lower()).strip(" ,.;:")
        free = re.fullmatch(r"free (?:of|from) (.+)", text)
        if free:
            text = f"{free.group(1)}-free"
        text = re.sub(r"^(.+?)[ -]free$", r"\1-free", text)
        if not text or len(text) > 40 or len(text.split()) > 4:
            raise _Reject(f"{v.value!r} is not a term")
        quote = self.check.quote(v.quote, text)
        self.check.grounded(text, quote)
        kind = self.reader.lexicon.term_kind(text) or "attribute"
        # Sure, as offline, unless the catalog has no word for it (or, for 'x-free', no item claims
        # it): then it ranks candidates but never hides one, whoever read it.
        return self.reader.terms.make(text, kind, quote)

    def critique(self, v: BaseModel) -> Critique:
        value = re.sub(r"\s+", " ", str(v.value).strip().lower())
        m = re.fullmatch(r"(cheaper|pricier)|(more|less)\s*:\s*([a-z][a-z -]*)", value)
        if not m:
            raise _Reject(f"{v.value!r} is not cheaper, pricier, more:<quality> or less:<quality>")
        quote = self.check.quote(v.quote, value if m.group(1) else m.group(3))
        if m.group(1):
            return Critique(kind=m.group(1), quote=quote, sure=True)
        self.check.grounded(m.group(3), quote)
        return Critique(kind="more_like" if m.group(2) == "more" else "less_like", attribute=m.group(3).strip(),
                        quote=quote, sure=True)

    def lift(self, v: BaseModel) -> Lift:
        value = re.sub(r"\s+", " ", str(v.value).strip().lower())
        name, _, term = value.partition(":")
        name, term = name.strip(), term.strip()
        if name not in LIFT_FIELDS or (term and name not in ("exclude", "require")) \
                or (name in ("exclude", "require") and not term):
            raise _Reject(f"{v.value!r} is not a constraint that can be dropped")
        quote = self.check.quote(v.quote, term or "")
        if term:
            self.check.grounded(term, quote)
        # 'all' drops what blocked the last turn; every constraint only when the offline reader read
        # the same words as 'forget all the filters'.
        everything = name == "all" and any(x.field == "all" and x.sure for x in self.offline.lift)
        return Lift(field=name, value=term or None, quote=quote, sure=name != "all" or everything)

    # -- references, questions, comparisons -----------------------------------------------------------

    def references(self) -> list[Reference]:
        a, off = self.a, self.offline
        liked = self.keep("liked", lambda: self.check.positions(a.liked), []) if a.liked else []
        rejected = self.keep("rejected", lambda: self.check.positions(a.rejected), []) if a.rejected else []
        rejected = [i for i in rejected if i not in liked]
        if not liked and not rejected:
            return list(off.references)
        by_item = {r.item_id: r for r in off.references}
        out = [Reference(item_id=i, how=by_item[i].how if i in by_item else "ordinal", polarity=pol,
                         quote=by_item[i].quote if i in by_item else "", sure=True)
               for pol, ids in (("liked", liked), ("rejected", rejected)) for i in ids]
        chosen = {r.item_id for r in out}
        return out + [r for r in off.references if r.polarity is None and r.item_id not in chosen]

    def _field(self, name: str, value: str | None) -> str:
        allowed = question_fields(self.reader)
        v = (value or "").strip().lower().replace(" ", "_")
        if v not in allowed:
            raise _Reject(f"{value!r} is not a field of this catalog")
        return v

    def _value(self, value: str) -> str:
        v = re.sub(r"\s+", " ", value.strip().lower())
        if v.replace(" ", "_") in {code for _, code in self.reader.lang.fields.has.values()}:
            return v.replace(" ", "_")  # a state of the catalog's own ('in_stock'), not the person's words
        if self.check.english:
            self.check.grounded(v, self.check.data)
        return v

    def question(self, quantity: float | None) -> Question | None:
        a, off = self.a, self.offline.question
        ids = self.keep("question_item_positions", lambda: self.check.positions(a.question_item_positions), []) \
            if a.question_item_positions else []
        ids = ids or (list(off.item_ids) if off else []) or \
            [r.item_id for r in self.offline.references if r.polarity is None] or ([self.focus.id] if self.focus else [])
        if not ids:
            return None
        fld = self.keep("question_field", lambda: self._field("question_field", a.question_field),
                        off.field if off else "description") if a.question_field else (off.field if off else "description")
        value = self.keep("question_value", lambda: self._value(a.question_value), off.value if off else None) \
            if a.question_value else None
        return Question(item_ids=ids, field=fld, value=value,
                        quantity=quantity if quantity is not None else (off.quantity if off else None),
                        other_fields=list(off.other_fields) if off else [], quote=off.quote if off else "", sure=True)

    def compare(self) -> Comparison | None:
        a, off = self.a, self.offline.compare
        fld = self.keep("compare_field", lambda: self._field("compare_field", a.compare_field),
                        off.field if off else None) if a.compare_field else (off.field if off else None)

        def goal() -> str:
            g = (a.compare_goal or "").strip().lower()
            if g not in GOALS:
                raise _Reject(f"{a.compare_goal!r} is not min, max or has")
            return g

        g = self.keep("compare_goal", goal, off.goal if off else None) if a.compare_goal else (off.goal if off else None)
        if fld is None or g is None:
            return None
        value = self.keep("compare_value", lambda: self._value(a.compare_value), off.value if off else None) \
            if a.compare_value else None
        return Comparison(field=fld, goal=g, value=value, quote=off.quote if off else "", sure=True)

    # -- the whole reading ------------------------------------------------------------------------------

    def reading(self) -> Reading:
        a, off, check = self.a, self.offline, self.check

        def act() -> str | None:
            if a.act is None:
                return None  # not said: the offline act
            value = str(a.act).strip().lower().replace("-", "_").replace(" ", "_")
            if value not in ACTS:
                raise _Reject(f"{a.act!r} is not one of the acts")
            if not check.data and check.instructions:
                raise _Reject("the message only addresses the model")
            if value == "reset" and off.act != "reset":
                # Starting over clears the whole search: only on the words the language file knows
                # for it (a 0.5B answered 'reset' to 86 of 97 messages).
                raise _Reject("the message has no words for starting over")
            return value

        chosen = self.keep("act", act, None)
        quantity = self.quantity()
        out = Reading(
            act=chosen or off.act, language=off.language, understood=off.understood,
            price=self.price(),
            max_moq=self.limit("max_moq", a.max_moq, a.max_moq_quote, "count", off.max_moq),
            max_lead_time_days=self.limit("max_lead_time_days", a.max_lead_time_days, a.lead_time_quote, "days",
                                          off.max_lead_time_days),
            in_stock=self.in_stock(),
            sizes=self.each("sizes", a.sizes, self.size, off.sizes),
            categories=self.each("categories", a.categories, self.category, off.categories),
            brands_in=self.each("brands_in", a.brands_in, self.brand, off.brands_in),
            brands_out=self.each("brands_out", a.brands_out, self.brand, off.brands_out),
            exclude=self.each("exclude", a.exclude, self.term, off.exclude),
            require=self.each("require", a.require, self.term, off.require),
            prefer=self.each("prefer", a.prefer, self.term, off.prefer),
            numeric=list(off.numeric),
            references=self.references(),
            critiques=self.each("critiques", a.critiques, self.critique, off.critiques),
            lift=self.each("lift", a.lift, self.lift, off.lift),
            reason=off.reason,
            brand_refs_out=list(off.brand_refs_out),
        )
        out.quantity = quantity
        if chosen is None:  # no act said: the offline act, with its question or comparison
            out.question, out.compare = off.question, off.compare
        elif out.act == "question":
            out.question = self.question(quantity.value if quantity is not None else None)
            out.quantity = None if out.question is not None else quantity
        elif out.act == "compare":
            out.compare = self.compare()
        missing = {"question": out.question is None, "compare": out.compare is None,
                   "reaction": not (out.liked or out.rejected)}.get(out.act, False)
        if out.act in ("question", "compare") and not (a.liked or a.rejected):
            # A question about an item is not a verdict on it (as offline).
            asked = set(out.question.item_ids) if out.question is not None else {r.item_id for r in out.references}
            out.references = [r.model_copy(update={"polarity": None}) if r.item_id in asked else r
                              for r in out.references]
        if missing:
            self.fail("act", f"{out.act} without what it needs "
                             f"({'the items asked about' if out.act == 'question' else 'the items'})")
            out.act = off.act
            out.question, out.compare = off.question, off.compare
            if off.question is not None:
                out.quantity = off.quantity
        # A choice ('we'll take it') is the offline reader's cue words on a reaction that likes something.
        out.decided = off.decided and out.act == "reaction" and bool(out.liked)
        # Another language the offline reader does not read: understood when the LLM's act stands.
        out.understood = off.understood or (chosen is not None and "act" not in self.failed)
        out.motives = self.motives()
        self.fill(out)
        return _tidy(out)

    def motives(self) -> list[Motive] | None:
        """The motives whose quote is the message's own words (a clause that addresses the model
        grounds nothing); ``None`` (the offline inferer reads them) when the answer gave none, as
        for any field it leaves empty, or none of them held."""
        check = self.check
        if not self.a.motives:
            return None
        motives, dropped = ground_motives(self.a.motives, check.message, "conversation", self.turn,
                                          grounded=lambda quote: bool(quote.strip()) and check.occurs(quote),
                                          examples=prompt_examples("read"))
        if dropped and not motives:
            self.fail("motives", f"all {dropped} motives lacked evidence found in the message or named an item or a price")
            return None
        return motives

    # -- what the answer left empty ------------------------------------------------------------------

    def fill(self, out: Reading) -> None:
        """A field the answer left empty takes the offline value (the offline reading is the default),
        unless the words that value came from are words the answer read as something else: '2500
        tops' read as a budget is no order of 2500 tops; 'nothing by Velluto' read as ruling Velluto
        out no longer wants it."""
        a, off = self.a, self.offline
        given = {
            "price": a.budget_max is not None or a.budget_min is not None, "quantity": a.quantity is not None,
            "max_moq": a.max_moq is not None, "max_lead_time_days": a.max_lead_time_days is not None,
            "in_stock": bool(a.in_stock),
            **{name: bool(getattr(a, name)) for name in _LIST_FIELDS},
        }
        failed = {"price": {"budget_max", "budget_min"}}
        read_by_llm = [name for name, said in given.items() if said and not (failed.get(name, {name}) & self.failed)]
        spans = [span for name in read_by_llm for value in _values(getattr(out, name))
                 for span in self.check.spans(value.quote)]

        def free(value: Any) -> bool:
            return not any(a0 < b1 and a1 < b0 for a0, b0 in self.check.spans(value.quote) for a1, b1 in spans)

        for name, said in given.items():
            if said or name == "quantity" and out.question is not None:
                continue
            value = getattr(off, name)
            if isinstance(value, list):
                setattr(out, name, [v for v in value if free(v)])
            elif value is not None and free(value):
                setattr(out, name, value)


_LIST_FIELDS = ("sizes", "categories", "brands_in", "brands_out", "exclude", "require", "prefer", "critiques", "lift")


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else ([] if value is None else [value])


def _tidy(out: Reading) -> Reading:
    """No value twice; a brand both wanted and ruled out is ruled out; a term both required and
    excluded is excluded."""
    def unique(values: list[Any], key: Callable[[Any], str]) -> list[Any]:
        seen: set[str] = set()
        kept = []
        for v in values:
            if key(v) not in seen:
                seen.add(key(v))
                kept.append(v)
        return kept

    out.exclude = unique(out.exclude, lambda t: t.text)
    out.require = [t for t in unique(out.require, lambda t: t.text) if t.text not in {x.text for x in out.exclude}]
    out.prefer = [t for t in unique(out.prefer, lambda t: t.text) if t.text not in {x.text for x in out.require}]
    out.categories = unique(out.categories, lambda c: c.name)
    out.brands_out = unique(out.brands_out, lambda b: b.name)
    out.brands_in = [b for b in unique(out.brands_in, lambda b: b.name) if b.name not in {x.name for x in out.brands_out}]
    out.sizes = unique(out.sizes, lambda s: s.value)
    out.critiques = unique(out.critiques, lambda c: c.label())
    out.lift = unique(out.lift, lambda lift: lift.label())
    return out
