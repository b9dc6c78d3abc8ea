"""HTML for the page's panels: the belief panel, recommendation cards, the turn summary, notices.

Pure functions of the core's models; every string that came from a person, a catalog or a model is
escaped here, so a title like ``<script>`` shows as text. The classes are styled by ``ui/theme.css``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Iterable, Literal

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from agent.models import (
    BeliefState,
    ClientHistory,
    Constraints,
    Item,
    Motive,
    Reaction,
    Recommendation,
    TurnOutput,
)

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}

AVAILABILITY_LABELS = {
    "in_stock": "In stock",
    "low_stock": "Few left",
    "out_of_stock": "Out of stock",
    "made_to_order": "Made to order",
}

CONFIDENCE_CHANGE = 0.05
"""A motive whose confidence moved by at least this much (in [0, 1]) counts as changed."""


def money(amount: float, currency: str = "") -> str:
    """``€1,650`` or ``1,650 SEK``; whole amounts without decimals."""
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper()) if currency else None
    if symbol:
        return f"{symbol}{number}"
    return f"{number} {currency}".strip()


# -- the transcript -----------------------------------------------------------------------------


def _text(content: object) -> str:
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def chat_messages(messages: Iterable[BaseMessage]) -> list[dict]:
    """The transcript as the chat shows it: the person's messages and the agent's replies, without
    tool calls and tool results (the LLM path's working)."""
    out: list[dict] = []
    for message in messages:
        if isinstance(message, HumanMessage):
            out.append({"role": "user", "content": _text(message.content)})
        elif isinstance(message, AIMessage) and not message.tool_calls and _text(message.content).strip():
            out.append({"role": "assistant", "content": _text(message.content)})
    return out


# -- notices ------------------------------------------------------------------------------------

NoticeKind = Literal["error", "warning", "info"]


def notice(kind: NoticeKind, text: str) -> str:
    icon = {"error": "!", "warning": "!", "info": "i"}[kind]
    return (f'<div class="mv-notice mv-notice-{kind}" role="{"alert" if kind == "error" else "status"}">'
            f'<span class="mv-notice-icon">{icon}</span><span>{escape(text)}</span></div>')


def progress(text: str) -> str:
    """A notice with a spinner: something takes a while (a catalog indexing on first use)."""
    return (f'<div class="mv-notice mv-notice-info mv-progress" role="status" id="mv-progress">'
            f'<span class="mv-spinner" aria-hidden="true"></span><span>{escape(text)}</span></div>')


def mode_badge(mode: str, embeddings: str) -> str:
    """The header's indicator of what reasons behind the replies: offline, or which LLM."""
    if mode.startswith("llm:"):
        label, cls = f"LLM · {mode[4:]}", "mv-mode-llm"
    else:
        label, cls = "Offline reasoning", "mv-mode-offline"
    return (f'<span class="mv-mode {cls}" id="mv-mode" title="{escape(embeddings)}">'
            f'<span class="mv-dot"></span>{escape(label)}</span>')


TAGLINES = {"fashion": "Clienteling assistant", "b2b": "Wholesale buying assistant", "any": "Shopping assistant"}


def header(mode: str, embeddings: str, conversation_id: str, catalog: str, client: str, domain: str = "fashion") -> str:
    who = f" · client {escape(client)}" if client else ""
    return (
        '<div class="mv-header">'
        '<div class="mv-brandmark"><span class="mv-logo">M</span>'
        f'<div><div class="mv-name">Motive</div><div class="mv-tagline">{TAGLINES.get(domain, TAGLINES["any"])}</div></div></div>'
        f'<div class="mv-header-right">{mode_badge(mode, embeddings)}'
        f'<span class="mv-convo">Conversation <code id="mv-conversation-id">{escape(conversation_id)}</code>'
        f'<span class="mv-convo-sub">{escape(catalog)} catalog{who}</span></span></div>'
        '</div>'
    )


# -- the belief panel ---------------------------------------------------------------------------


def constraint_entries(constraints: Constraints, currency: str = "") -> list[tuple[str, str]]:
    """Every hard constraint as ``(key, label)``. A key is ``field`` for a single value and
    ``field:value`` for one member of a list, the unit the person can remove or correct."""
    c = constraints
    out: list[tuple[str, str]] = []
    if c.budget_max is not None:
        out.append(("budget_max", f"Budget up to {money(c.budget_max, currency)}"))
    if c.budget_min is not None:
        out.append(("budget_min", f"Budget from {money(c.budget_min, currency)}"))
    lists = (
        ("categories", "Category: {}"),
        ("brands_in", "Only {}"),
        ("brands_out", "No {}"),
        ("exclude_terms", "Without {}"),
        ("must_have", "Must be {}"),
        ("sizes", "Size {}"),
    )
    for name, template in lists:
        for value in getattr(c, name):
            out.append((f"{name}:{value}", template.format(value)))
    if c.in_stock_only:
        out.append(("in_stock_only", "Ships now (in stock only)"))
    if c.max_lead_time_days is not None:
        out.append(("max_lead_time_days", f"Lead time up to {c.max_lead_time_days} days"))
    if c.max_moq is not None:
        out.append(("max_moq", f"Minimum order up to {c.max_moq} units"))
    return out


@dataclass
class BeliefChanges:
    """What changed between two belief states (the one before a turn or correction, and after)."""

    new_motives: set[str] = field(default_factory=set)
    changed_motives: dict[str, float] = field(default_factory=dict)
    """Motive text -> its confidence before."""
    dropped_motives: list[Motive] = field(default_factory=list)
    new_constraints: set[str] = field(default_factory=set)
    dropped_constraints: list[str] = field(default_factory=list)
    """Labels of constraints that no longer hold."""
    new_reactions: set[str] = field(default_factory=set)
    new_dislikes: set[str] = field(default_factory=set)

    @property
    def any(self) -> bool:
        return bool(self.new_motives or self.changed_motives or self.dropped_motives or self.new_constraints
                    or self.dropped_constraints or self.new_reactions or self.new_dislikes)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def belief_changes(before: BeliefState | None, after: BeliefState, currency: str = "") -> BeliefChanges:
    """Compare two beliefs; ``before=None`` (a conversation's first turn) makes everything new."""
    before = before or BeliefState()
    old = {_key(m.text): m for m in before.motives}
    new = {_key(m.text): m for m in after.motives}
    changes = BeliefChanges()
    for key, motive in new.items():
        if key not in old:
            changes.new_motives.add(key)
        elif (abs(old[key].confidence - motive.confidence) >= CONFIDENCE_CHANGE
              or old[key].active != motive.active):
            changes.changed_motives[key] = old[key].confidence
    changes.dropped_motives = [m for key, m in old.items() if key not in new]
    old_c = dict(constraint_entries(before.constraints, currency))
    new_c = dict(constraint_entries(after.constraints, currency))
    changes.new_constraints = {k for k, label in new_c.items() if old_c.get(k) != label}
    changes.dropped_constraints = [label for k, label in old_c.items() if k not in new_c]
    old_r = {(r.item_id, r.kind) for r in before.reactions}
    changes.new_reactions = {r.item_id for r in after.reactions if (r.item_id, r.kind) not in old_r}
    changes.new_dislikes = {_key(d) for d in after.dislikes} - {_key(d) for d in before.dislikes}
    return changes


def _motive(motive: Motive, changes: BeliefChanges) -> str:
    key = _key(motive.text)
    pct = round(motive.confidence * 100)
    classes = ["mv-motive"]
    tag = ""
    if key in changes.new_motives and motive.source == "history":
        pass  # read from the client file when the conversation opened: not news from the person
    elif key in changes.new_motives:
        classes.append("mv-changed")
        tag = '<span class="mv-tag mv-tag-new">new</span>'
    elif key in changes.changed_motives:
        classes.append("mv-changed")
        was = round(changes.changed_motives[key] * 100)
        tag = f'<span class="mv-tag mv-tag-changed">was {was}%</span>'
    if not motive.active:
        classes.append("mv-overridden")
    # The person's own words first (latest turn first), then the client file's: a motive said
    # today is shown with today's words, not only with the file's.
    quotes = sorted(motive.evidence, key=lambda e: -e.turn)
    evidence = "".join(
        f'<div class="mv-evidence">“{escape(e.quote)}”'
        f'<span class="mv-evidence-turn">{"client file" if e.turn < 0 else f"turn {e.turn + 1}"}</span></div>'
        for e in quotes[:2]
    )
    also_file = motive.source == "conversation" and any(e.turn < 0 for e in motive.evidence)
    source = ("client history" if motive.source == "history"
              else "this conversation and the client file" if also_file else "this conversation")
    override = (f'<div class="mv-override">Set aside today: “{escape(motive.overridden_by or "")}” '
                f'takes precedence</div>' if not motive.active else "")
    return (
        f'<li class="{" ".join(classes)}" data-motive="{escape(motive.text)}">'
        f'<div class="mv-motive-head"><span class="mv-motive-text">{escape(motive.text)}</span>{tag}</div>'
        f'<div class="mv-motive-meta"><span class="mv-conf" title="confidence">'
        f'<span class="mv-conf-bar" style="width:{pct}%"></span></span>'
        f'<span class="mv-conf-num">{pct}%</span>'
        f'<span class="mv-source mv-source-{motive.source}">'
        f'{source}</span></div>'
        f"{override}{evidence}</li>"
    )


TOP_MOTIVES = 4
"""Motives shown unfolded in the belief panel (active ones first, strongest first)."""


def belief_panel(
    belief: BeliefState | None,
    before: BeliefState | None = None,
    titles: dict[str, str] | None = None,
    client: ClientHistory | None = None,
    currency: str = "",
) -> str:
    """The panel beside the chat: motives (confidence, source, evidence), hard constraints, the
    person's reactions and dislikes; what changed since ``before`` is highlighted."""
    titles = titles or {}
    parts = ['<div class="mv-belief" id="mv-belief">']
    if client is not None:
        parts.append(
            f'<div class="mv-client"><span class="mv-client-initial">{escape((client.name or client.id)[:1])}</span>'
            f'<div><div class="mv-client-name">{escape(client.name or client.id)}</div>'
            f'<div class="mv-client-sub">{escape(client.id)} · {len(client.purchases)} past purchases'
            f'{" · history motives load with the first message" if belief is None else ""}</div></div></div>'
        )
    if belief is None:
        parts.append('<div class="mv-empty">What Motive learns about the person appears here: why they '
                     'are shopping, what they ruled out, and how sure it is.</div></div>')
        return "".join(parts)
    changes = belief_changes(before, belief, currency)
    motives = sorted(belief.motives, key=lambda m: (not m.active, -m.confidence))
    parts.append(f'<div class="mv-section"><div class="mv-section-title">Why they are shopping'
                 f'<span class="mv-count">{sum(m.active for m in motives)}</span></div>')
    if motives:
        top, rest = motives[:TOP_MOTIVES], motives[TOP_MOTIVES:]
        parts.append('<ul class="mv-motives">' + "".join(_motive(m, changes) for m in top) + "</ul>")
        if rest:  # the strongest first; the rest folded, a click away
            parts.append(f'<details class="mv-more-motives"><summary>{len(rest)} more</summary>'
                         '<ul class="mv-motives">' + "".join(_motive(m, changes) for m in rest) + "</ul></details>")
    else:
        parts.append('<div class="mv-empty">No motive inferred yet.</div>')
    parts.extend(f'<div class="mv-dropped">Removed: {escape(m.text)}</div>' for m in changes.dropped_motives)
    parts.append("</div>")

    entries = constraint_entries(belief.constraints, currency)
    parts.append('<div class="mv-section"><div class="mv-section-title">Must respect</div><div class="mv-chips">')
    if entries:
        parts.extend(
            f'<span class="mv-chip{" mv-changed" if key in changes.new_constraints else ""}" '
            f'data-constraint="{escape(key)}">{escape(label)}</span>'
            for key, label in entries
        )
    else:
        parts.append('<span class="mv-empty">No hard constraint yet.</span>')
    parts.extend(f'<span class="mv-chip mv-chip-dropped">{escape(label)}</span>'
                 for label in changes.dropped_constraints)
    parts.append("</div></div>")

    if belief.reactions or belief.dislikes:
        parts.append('<div class="mv-section"><div class="mv-section-title">Reactions</div><ul class="mv-reactions">')
        for reaction in belief.reactions:
            parts.append(_reaction(reaction, titles, reaction.item_id in changes.new_reactions))
        for dislike in belief.dislikes:
            changed = " mv-changed" if _key(dislike) in changes.new_dislikes else ""
            parts.append(f'<li class="mv-reaction mv-less{changed}"><span class="mv-react-icon">−</span>'
                         f'Avoid: {escape(dislike)}</li>')
        parts.append("</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def _reaction(reaction: Reaction, titles: dict[str, str], changed: bool) -> str:
    title = titles.get(reaction.item_id, reaction.item_id)
    liked = reaction.kind == "liked"
    reason = f' <span class="mv-reason">“{escape(reaction.reason)}”</span>' if reaction.reason else ""
    return (
        f'<li class="mv-reaction mv-{reaction.kind}{" mv-changed" if changed else ""}" '
        f'data-item="{escape(reaction.item_id)}"><span class="mv-react-icon">{"♥" if liked else "✕"}</span>'
        f'{"Liked" if liked else "Not for me"}: {escape(title)}{reason}</li>'
    )


# -- recommendation cards -----------------------------------------------------------------------

_DETAIL_KEYS = ("material", "colour", "color", "style", "moq", "lead_time_days")


def trade_terms(item: Item | None) -> str:
    """A wholesale card's ordering terms: minimum order, pack unit, lead time and every price
    tier, so €3.20 a pair and €5.60 a box of 100 are not read as comparable prices."""
    if item is None:
        return ""
    a = item.attributes
    terms = []
    if a.get("moq") not in (None, ""):
        terms.append(f'<span class="mv-moq">MOQ {escape(str(a["moq"]))}</span>')
    if a.get("pack_size"):
        terms.append(f'<span class="mv-pack">{escape(str(a["pack_size"]))}</span>')
    if a.get("lead_time_days") not in (None, ""):
        terms.append(f'<span class="mv-lead">{escape(str(a["lead_time_days"]))}-day lead time</span>')
    tiers = sorted((t for t in a.get("tiered_prices") or [] if isinstance(t, dict)), key=lambda t: t["min_qty"])
    rows = "".join(f'<span class="mv-tier">{int(t["min_qty"]):,}+ {escape(money(float(t["unit_price"]), item.currency))}</span>'
                   for t in tiers)
    if not terms and not rows:
        return ""
    return (f'<div class="mv-trade">{" · ".join(terms)}'
            f'{f"<div class=mv-tiers><span class=mv-tiers-label>By quantity</span>{rows}</div>" if rows else ""}</div>')


def _details(item: Item | None, skip_trade: bool = False) -> str:
    if item is None:
        return ""
    bits = []
    for key in _DETAIL_KEYS:
        if skip_trade and key in ("moq", "lead_time_days"):
            continue  # shown with the trade terms
        value = item.attributes.get(key)
        if value in (None, "", []):
            continue
        if key == "moq":
            value = f"MOQ {value}"
        elif key == "lead_time_days":
            value = f"{value}-day lead time"
        bits.append(escape(str(value)))
    return " · ".join(bits[:2])


def card(rank: int, rec: Recommendation, item: Item | None = None, reaction: Reaction | None = None) -> str:
    """One recommendation: title, brand, price, availability, and the why: each motive it serves
    and the item trait that serves it (the agent's own sentence when it matched no trait)."""
    if rec.matches:
        why = "".join(
            f'<div class="mv-match"><span class="mv-match-motive">{escape(m.motive)}</span>'
            f'<span class="mv-match-arrow">↔</span><span class="mv-match-trait">{escape(m.trait)}</span></div>'
            for m in rec.matches[:2]
        )
    else:
        why = f'<div class="mv-match">{escape(rec.explanation)}</div>'
    category = f" · {escape(item.category)}" if item is not None and item.category else ""
    details = _details(item, skip_trade=True)
    trade = trade_terms(item)
    pack = str(item.attributes.get("pack_size") or "").strip() if item is not None else ""
    unit = re.sub(r"^(?:a|an|per)\s+", "", pack, flags=re.I)
    per = f'<div class="mv-per">per {escape(unit)}</div>' if pack else ""
    state = ""
    if reaction is not None:
        state = (f'<span class="mv-card-state mv-{reaction.kind}">'
                 f'{"♥ Liked" if reaction.kind == "liked" else "✕ Not for me"}</span>')
    return (
        f'<div class="mv-card" data-item="{escape(rec.item_id)}" title="{escape(rec.explanation)}">'
        f'<div class="mv-card-top"><span class="mv-rank">{rank}</span>'
        f'<div class="mv-card-heading"><div class="mv-card-title">{escape(rec.title)}</div>'
        f'<div class="mv-card-brand">{escape(rec.brand or "—")}{category}'
        f'<span class="mv-sku">{escape(rec.item_id)}</span></div></div>'
        f'<div class="mv-price">{escape(money(rec.price, rec.currency))}{per}</div></div>'
        f'<div class="mv-card-meta"><span class="mv-avail mv-avail-{rec.availability}">'
        f'{AVAILABILITY_LABELS.get(rec.availability, rec.availability)}</span>'
        f'{f"<span class=mv-details>{details}</span>" if details else ""}{state}</div>'
        f'{trade}'
        f'<div class="mv-why"><span class="mv-why-label">Why</span><div class="mv-why-body">{why}</div></div>'
        "</div>"
    )


def turn_summary(output: TurnOutput | None, earlier: bool = False) -> str:
    """Above the cards: which turn they answer and the reflection outcome."""
    if output is None:
        return ('<div class="mv-cards-empty">Suggestions appear here, each with why it fits. '
                'Mark one “Not for me” and Motive learns from it.</div>')
    parts = ['<div class="mv-turn">']
    label = "Suggested earlier" if earlier else f"Suggestions for turn {output.turn + 1}"
    parts.append(f'<span class="mv-turn-label">{label}</span>')
    report = output.reflection
    if report is not None:
        if report.passed and not report.revisions:
            parts.append('<span class="mv-check mv-check-ok" id="mv-reflection">✓ Checked against the catalog'
                         f'{" and an LLM" if report.llm_verified else ""}</span>')
        elif report.passed:
            revised = "; ".join(report.revisions)
            parts.append(f'<span class="mv-check mv-check-revised" id="mv-reflection" title="{escape(revised)}">'
                         f'↻ Revised before sending: {escape(revised)}</span>')
        else:
            problems = "; ".join(i.detail for i in report.issues) or "unresolved issues"
            parts.append(f'<span class="mv-check mv-check-failed" id="mv-reflection">'
                         f'⚠ Check found problems: {escape(problems)}</span>')
    parts.append("</div>")
    return "".join(parts)


def fallback_notice(output: TurnOutput | None) -> str:
    """A warning when an LLM step fell back to the offline path this turn (endpoint down, timeout,
    unparsable answer); empty when nothing fell back."""
    if output is None or not output.llm.fallbacks:
        return ""
    steps = "; ".join(f"{f.step}: {f.reason}" for f in output.llm.fallbacks)
    return notice("warning", f"The LLM did not answer ({steps}). This turn used the offline path; "
                             f"the conversation goes on.")
