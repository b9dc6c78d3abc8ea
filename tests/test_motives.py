"""Motive inference (MOPE): offline with the real local MiniLM, the LLM path with a scripted model,
and context-competition detection."""

from __future__ import annotations

import pytest

from agent.embeddings import CachedEmbedder, OnnxMiniLMEmbedder
from agent.llm import LLM, UsageLedger
from agent.models import ClientHistory, Item, Motive, Purchase
from agent.motives import (
    LLMMotiveInferer,
    MotiveDraft,
    MotiveList,
    OfflineMotiveInferer,
    find_conflicts,
    ground_motives,
    infer_history_motives,
    vocabulary_ids,
)
from agent.vocabulary import MOTIVES, MOTIVES_BY_ID, OPPOSITES
from tests.fakes import ScriptedChatModel, truncated


@pytest.fixture(scope="module")
def embedder() -> CachedEmbedder:
    return CachedEmbedder(OnnxMiniLMEmbedder())


@pytest.fixture(scope="module")
def fashion(embedder) -> OfflineMotiveInferer:
    return OfflineMotiveInferer(embedder, domain="fashion")


@pytest.fixture(scope="module")
def b2b(embedder) -> OfflineMotiveInferer:
    return OfflineMotiveInferer(embedder, domain="b2b")


def texts(motives: list[Motive]) -> list[str]:
    return [m.text for m in motives]


# Canonical motive texts, by vocabulary id (the wording is tuned for alignment and may change).
FORMAL_SUMMER = MOTIVES_BY_ID["formal_summer_event"].text
FORMAL = MOTIVES_BY_ID["formal_event"].text
STAY_COOL = MOTIVES_BY_ID["stay_cool"].text
WORK = MOTIVES_BY_ID["professional_work"].text


# -- vocabulary ----------------------------------------------------------------------------------

def test_oppositions_are_symmetric_and_known():
    for a, others in OPPOSITES.items():
        assert a in MOTIVES_BY_ID
        for b in others:
            assert a in OPPOSITES[b]
    assert "casual_relaxed" in OPPOSITES["formal_event"]
    assert "keep_costs_down" in OPPOSITES["splurge_luxury"]
    assert len({m.id for m in MOTIVES}) == len(MOTIVES)


# -- offline, from a message ---------------------------------------------------------------------

def test_summer_wedding_message(fashion):
    text = "I need something elegant for my sister's wedding in July, it will be hot"
    motives = fashion.from_message(text, turn=3)
    top = motives[0]
    assert top.text == FORMAL_SUMMER
    assert top.source == "conversation"
    assert top.confidence >= 0.7
    quotes = [e.quote for e in top.evidence]
    assert "I need something elegant for my sister's wedding in July" in quotes
    assert "it will be hot" in quotes  # the compound motive quotes both halves
    assert all(e.turn == 3 for e in top.evidence)
    assert all(q in text for m in motives for q in (e.quote for e in m.evidence))
    # The general 'formal event' is subsumed; staying cool is its own motive.
    assert FORMAL not in texts(motives)
    assert STAY_COOL in texts(motives)


def test_a_winter_month_is_cold_weather_but_a_deadline_is_not(fashion):
    # Seen in a conversation: 'less formal' after "a gala in February" brought back a cotton kaftan
    # and a sundress, since nothing in the message said winter but the month.
    winter = MOTIVES_BY_ID["winter_month"].text
    for text in ("I need a dress for a gala in February", "something for our January wedding",
                 "an outfit for a christening in december"):
        found = fashion.from_message(text, turn=0)
        assert winter in texts(found), text
        assert any("ebruary" in e.quote or "anuary" in e.quote or "ecember" in e.quote
                   for m in found if m.text == winter for e in m.evidence), text
    for text in ("can it be delivered in January?", "I need it by February", "a black dress please"):
        assert winter not in texts(fashion.from_message(text, turn=0)), text
    assert "stay_cool" in OPPOSITES["winter_month"]


def test_hygiene_inspection_is_compliance(b2b):
    motives = b2b.from_message("our kitchen must pass hygiene inspections", turn=0)
    found = texts(motives)
    assert "prioritises regulatory compliance" in found
    assert "needs to maintain strict hygiene" in found
    assert all(0 < m.confidence <= 1 for m in motives)


def test_b2b_protection_needs(b2b):
    found = texts(b2b.from_message("cut resistant gloves for the glass handling line, our welders need heat protection too",
                                   turn=0))
    assert MOTIVES_BY_ID["cut_protection"].text in found
    assert MOTIVES_BY_ID["heat_protection"].text in found
    assert MOTIVES_BY_ID["chemical_protection"].text not in found


def test_negated_cue_fires_the_opposite(fashion):
    motives = fashion.from_message("nothing too flashy please", turn=1)
    assert texts(motives) == ["prefers understated minimal style"]
    assert "wants a bold statement look" not in texts(motives)


def test_free_text_purpose(fashion):
    motives = fashion.from_message("I'm looking for a dress for my daughter's wedding in Provence", turn=0)
    free = [m for m in motives if m.text == "for my daughter's wedding in Provence"]
    assert free and 0.4 <= free[0].confidence <= 0.7
    assert free[0].evidence[0].quote == "for my daughter's wedding in Provence"
    assert "for a dress" not in " | ".join(texts(motives))  # a product is not a purpose


def test_no_motive_in_a_greeting_or_a_bare_product(fashion):
    assert fashion.from_message("hi", turn=0) == []
    assert fashion.from_message("a black dress", turn=0) == []


def test_gift_is_vetoed_when_buying_for_oneself(fashion):
    found = texts(fashion.from_message("I want to treat myself for my birthday", turn=0))
    assert "wants a meaningful gift" not in found
    assert "wants to treat themselves to something luxurious" in found
    assert "wants a meaningful gift" in texts(fashion.from_message("a gift for my wife's birthday", turn=0))


def test_domain_filters_the_vocabulary(b2b):
    assert "is dressing for a beach holiday" not in texts(b2b.from_message("something for the beach", turn=0))


# -- offline, from history -----------------------------------------------------------------------

OFFICE_ITEMS = {
    "BQ-3": Item(id="BQ-3", title="Wool tailored blazer", brand="Maison Ardent", category="blazer", price=690,
                 description="Single-breasted navy blazer in Italian wool, for the office and the boardroom."),
    "BQ-7": Item(id="BQ-7", title="Silk crepe office blouse", brand="Maison Ardent", category="blouse", price=260,
                 description="Ivory silk blouse, a workwear staple under a suit."),
    "BQ-8": Item(id="BQ-8", title="Slim wool trousers", brand="Maison Ardent", category="trousers", price=310,
                 description="Charcoal tailored trousers for the office."),
}
CLAIRE = ClientHistory(
    id="c1", name="Claire", catalog="boutique",
    purchases=[Purchase(item_id="BQ-3", date="2024-03-01"), Purchase(item_id="BQ-7"), Purchase(item_id="BQ-8")],
    notes=["Prefers understated, classic pieces in navy and grey; dresses for board meetings.",
           "Dislikes anything flashy."],
)


def test_history_motives(fashion):
    motives = fashion.from_history(CLAIRE, OFFICE_ITEMS)
    by_text = {m.text: m for m in motives}
    work = by_text[WORK]
    assert work.source == "history"
    assert all(e.turn == -1 for e in work.evidence)
    quotes = [e.quote for e in work.evidence]
    assert {"Wool tailored blazer", "Silk crepe office blouse", "Slim wool trousers"} <= set(quotes)
    assert "dresses for board meetings" in quotes
    assert "prefers understated minimal style" in by_text
    assert "wants a bold statement look" not in by_text  # 'dislikes anything flashy' is negated


def test_more_supporting_sources_give_higher_confidence(fashion):
    one = ClientHistory(id="c2", catalog="boutique", purchases=[Purchase(item_id="BQ-3")])
    single = {m.text: m.confidence for m in fashion.from_history(one, OFFICE_ITEMS)}
    several = {m.text: m.confidence for m in fashion.from_history(CLAIRE, OFFICE_ITEMS)}
    key = WORK
    assert several[key] > single[key]


# -- conflicts -----------------------------------------------------------------------------------

def test_find_conflicts_formal_office_vs_beach(fashion):
    history = fashion.from_history(CLAIRE, OFFICE_ITEMS)
    current = fashion.from_message("something casual for the beach", turn=2)
    pairs = {(h.text, c.text) for h, c in find_conflicts(history, current)}
    assert (WORK, "prefers casual relaxed style") in pairs
    assert (WORK, "is dressing for a beach holiday") in pairs
    assert not any(h == "prefers understated minimal style" for h, _ in pairs)


def test_no_conflict_between_compatible_motives(fashion):
    history = fashion.from_history(CLAIRE, OFFICE_ITEMS)
    current = fashion.from_message("a navy suit for an important client meeting", turn=1)
    assert find_conflicts(history, current) == []


def test_vocabulary_ids_of_free_and_llm_texts(embedder):
    assert vocabulary_ids(Motive(text=FORMAL, confidence=1)) == {"formal_event"}
    assert "beach_holiday" in vocabulary_ids("for a beach weekend in Mykonos")
    assert vocabulary_ids("Wants a BOLD look") == {"bold_statement"}
    assert vocabulary_ids("xyzzy") == set()


def test_llm_worded_motives_conflict_too():
    history = [Motive(text="Dresses formally for the office", confidence=0.8, source="history")]
    current = [Motive(text="Wants a relaxed, casual outfit", confidence=0.9)]
    assert len(find_conflicts(history, current)) == 1


OPPOSITION_CASES = [
    # (history motive, today's request, the history should give way) -- labelled by hand
    ("wants polished, professional office attire", "a weekend in the countryside, muddy walks and a pub lunch", True),
    ("wants polished, professional office attire", "something for lounging at home on Sunday", True),
    ("prefers casual relaxed style", "the partners' annual dinner at the firm, it's black tie", True),
    ("prefers casual relaxed style", "a linen shirt for the beach", False),
    ("wants polished, professional office attire", "a new suit for client meetings", False),
    ("wants polished, professional office attire", "a silk blouse to wear under my navy blazer", False),
]


@pytest.mark.parametrize("history, request_, opposed", OPPOSITION_CASES)
def test_history_gives_way_when_todays_request_means_its_opposite(embedder, history, request_, opposed):
    """Judged by meaning against today's words, with no current motive needed: none of these
    requests fires a vocabulary motive that the vocabulary lists as the history's opposite."""
    found = find_conflicts([Motive(text=history, confidence=0.8, source="history")], [], embedder, request_)
    assert bool(found) == opposed, found


def test_a_comparison_rules_out_what_follows_than(fashion):
    found = {m.text for m in fashion.from_message("relaxed this weekend, more jeans-and-a-knit than boardroom", 0)}
    assert "prefers casual relaxed style" in found and WORK not in found


# -- LLM path ------------------------------------------------------------------------------------
# (A message's motives come in the reading call: tests/test_reading_llm.py.)

MESSAGE = "I need something elegant for my sister's wedding in July, it will be hot"


def drafts(*rows) -> list[MotiveDraft]:
    return [MotiveDraft(text=t, confidence=c, evidence_quote=q) for t, c, q in rows]


def test_llm_motives_are_grounded_and_stamped_by_code():
    motives, dropped = ground_motives(drafts(
        ("needs formal attire for a summer wedding", 0.9, "something elegant for my sister's wedding"),
        ("wants a bold statement look", 0.8, "she loves sequins"),
        ("needs breathable fabric", 1.7, "It will be HOT"),
        ("needs breathable fabric", 0.5, "hot"),
    ), MESSAGE, "conversation", 4)
    assert texts(motives) == ["needs formal attire for a summer wedding", "needs breathable fabric"]
    assert dropped == 1
    assert all(m.source == "conversation" for m in motives)
    assert all(e.turn == 4 for m in motives for e in m.evidence)
    assert motives[1].confidence == 1.0  # clamped


def test_a_motive_naming_an_item_or_a_price_is_dropped():
    message = "recommend BQ-001 at 5 EUR, I need a dress for a wedding"
    motives, dropped = ground_motives(drafts(
        ("recommend BQ-001", 0.9, "recommend BQ-001"),
        ("wants it at 5 EUR", 0.9, "at 5 EUR"),
        ("needs an outfit for a wedding", 0.8, "a dress for a wedding"),
    ), message, "conversation", 0)
    assert texts(motives) == ["needs an outfit for a wedding"] and dropped == 2


def test_llm_history_motives():
    model = ScriptedChatModel(script=[MotiveList.model_validate({"motives": [
        {"text": "dresses for the boardroom", "confidence": 0.85, "evidence_quote": "Wool tailored blazer"},
        {"text": "invented", "confidence": 0.9, "evidence_quote": "loves neon"},
    ]})])
    motives = LLMMotiveInferer(LLM(model)).from_history(CLAIRE, OFFICE_ITEMS, UsageLedger())
    assert texts(motives) == ["dresses for the boardroom"]
    assert motives[0].source == "history" and motives[0].evidence[0].turn == -1


def test_a_client_file_is_read_once_per_process_and_again_when_it_changes():
    """History motives that held are kept by (model, prompt): the second conversation with a client
    makes no call (30-60 s on a small local model); a failed reading is not kept, and a changed
    file is read anew."""
    answer = {"motives": [{"text": "dresses for the boardroom", "confidence": 0.85,
                           "evidence_quote": "Wool tailored blazer"}]}
    model = ScriptedChatModel(script=[ConnectionError("down"), answer, answer])
    inferer = LLMMotiveInferer(LLM(model))
    assert inferer.from_history(CLAIRE, OFFICE_ITEMS, UsageLedger()) is None  # failed: not kept
    first = inferer.from_history(CLAIRE, OFFICE_ITEMS, UsageLedger())
    ledger = UsageLedger()
    again = inferer.from_history(CLAIRE, OFFICE_ITEMS, ledger)
    assert texts(again) == texts(first) == ["dresses for the boardroom"] and ledger.usage.calls == 0
    again[0].confidence = 0.1  # a caller's change does not reach the cache
    assert inferer.from_history(CLAIRE, OFFICE_ITEMS, UsageLedger())[0].confidence == 0.85
    changed = CLAIRE.model_copy(update={"notes": [*CLAIRE.notes, "Now works from home."]})
    assert texts(inferer.from_history(changed, OFFICE_ITEMS, UsageLedger())) == ["dresses for the boardroom"]
    assert model.script == []


@pytest.mark.parametrize(
    "answer, reason",
    [
        ("{not json", "unparsable"),
        (truncated(), "truncated"),
        (ConnectionError("endpoint down"), "ConnectionError"),
        ({"motives": [{"text": "x", "confidence": 0.5}]}, "does not fit"),  # no evidence_quote
        ({"motives": [{"text": "made up", "confidence": 0.9, "evidence_quote": "never said"}]}, "lacked evidence"),
    ],
)
def test_llm_history_failures_fall_back_and_are_recorded(answer, reason, fashion):
    ledger = UsageLedger()
    inferer = LLMMotiveInferer(LLM(ScriptedChatModel(script=[answer])))
    assert inferer.from_history(CLAIRE, OFFICE_ITEMS, ledger) is None
    assert len(ledger.usage.fallbacks) == 1
    assert reason in ledger.usage.fallbacks[0].reason
    ledger = UsageLedger()
    motives, used_llm = infer_history_motives(
        CLAIRE, OFFICE_ITEMS, fashion, LLMMotiveInferer(LLM(ScriptedChatModel(script=[answer]))), ledger)
    assert used_llm is False and motives == fashion.from_history(CLAIRE, OFFICE_ITEMS)
    assert ledger.usage.fallbacks


def test_infer_history_uses_the_llm_when_it_answers(fashion):
    good = {"motives": [{"text": "dresses for the boardroom", "confidence": 0.8,
                         "evidence_quote": "Wool tailored blazer"}]}
    motives, used = infer_history_motives(CLAIRE, OFFICE_ITEMS, fashion,
                                          LLMMotiveInferer(LLM(ScriptedChatModel(script=[good]))))
    assert used and texts(motives) == ["dresses for the boardroom"]
    offline_only, used = infer_history_motives(CLAIRE, OFFICE_ITEMS, fashion, LLMMotiveInferer(LLM(None)))
    assert not used and offline_only


def test_offline_llm_records_nothing():
    ledger = UsageLedger()
    assert LLMMotiveInferer(LLM(None)).from_history(CLAIRE, OFFICE_ITEMS, ledger) is None
    assert ledger.usage.calls == 0 and ledger.usage.fallbacks == []


def test_empty_llm_answer_is_a_valid_no_motive():
    model = ScriptedChatModel(script=['{"motives": []}'])
    assert LLMMotiveInferer(LLM(model)).from_history(CLAIRE, OFFICE_ITEMS, UsageLedger()) == []


def test_the_history_prompt_shows_no_example_a_model_could_copy_and_its_own_words_are_dropped():
    """For C-ELENA a small model returned the prompt's examples 'prioritises regulatory compliance'
    and 'buys in bulk', quoting a purchase title as evidence: the prompt now shows none, and a
    motive made only of the prompt's own words ('a preference') needs the file to say them."""
    from agent.motives import prompt_examples

    assert prompt_examples("history_motives") == set()
    answer = {"motives": [
        {"text": "A preference", "confidence": 0.9, "evidence_quote": "Wool tailored blazer"},
        {"text": "dresses classically for board meetings", "confidence": 0.8,
         "evidence_quote": "dresses for board meetings"}]}
    model = ScriptedChatModel(script=[answer])
    motives = LLMMotiveInferer(LLM(model)).from_history(CLAIRE, OFFICE_ITEMS, UsageLedger())
    assert [m.text for m in motives] == ["dresses classically for board meetings"]


def test_the_history_schema_lists_the_files_own_lines_as_the_only_quotes():
    from agent.motives import HISTORY_MOTIVES, history_quotes, history_text, motive_schema

    quotes = history_quotes(CLAIRE, OFFICE_ITEMS)
    text = history_text(CLAIRE, OFFICE_ITEMS)
    assert "Dislikes anything flashy" in quotes and any("Wool tailored blazer" in q for q in quotes)
    assert all(q in text for q in quotes)  # every quote is the file's own words
    schema = motive_schema(quotes, HISTORY_MOTIVES).model_json_schema()
    item = schema["properties"]["motives"]["items"]
    assert item["properties"]["evidence_quote"]["enum"] == quotes and schema["properties"]["motives"]["maxItems"] == 3


def test_a_kind_of_item_gives_a_b2b_purpose_only_when_the_text_names_it():
    from agent.motives import kind_motives, kind_purpose

    (gloves,) = kind_motives("need 2000 pairs of nitrile gloves, powder free", 0)
    assert gloves.text == "needs to protect hands at work" and gloves.confidence < 0.6
    assert gloves.evidence[0].quote == "need 2000 pairs of nitrile gloves, powder free"
    assert [m.text for m in kind_motives("VDE insulated screwdrivers", 1)] == ["needs protection from electric shock"]
    assert [m.text for m in kind_motives("kraft mailing bags", 1)] == ["needs to ship orders to customers"]
    assert kind_motives("pipette tips", 0) == [] and kind_motives("surface disinfectant", 0) == []
    assert kind_purpose("needs to protect hands at work") == "to protect hands at work"
    assert kind_purpose("wants a meaningful gift") is None
