"""The scoring of ``motive eval understanding``, against values computed by hand: how two spellings of
one value compare, which slots a message is scored on, and the metrics over several messages."""

from __future__ import annotations

import pytest

from apps.evaluation.understanding import Counts, compare_one, f1, precision, recall, summarise, _term
from apps.evaluation.understanding_data import Example, Gold


@pytest.mark.parametrize("a, b", [
    ("EN388", "en 388"),           # a standard written with or without the space is one standard
    ("ISO9001", "iso 9001"),
    ("EN 388:2016", "en 388"),     # the edition's year aside
    ("FFP3", "ffp3"),
    ("latex-free", "latex free"),
    ("gloves", "glove"),
    ("accessories", "accessory"),
])
def test_two_spellings_of_one_value_compare_equal(a, b):
    assert _term(a) == _term(b)


@pytest.mark.parametrize("a, b", [
    ("en 388", "en 374"),
    ("s3", "s1p"),
    ("level c", "level d"),
    ("wool", "wood"),
])
def test_different_values_stay_different(a, b):
    assert _term(a) != _term(b)


def ex(gold: dict, **kw) -> Example:
    return Example(id="t", catalog="wholesale", text="x", gold=gold, **kw)


def test_a_message_is_right_only_when_the_act_and_every_slot_are():
    gold = {"act": "request", "quantity": 200, "quantity_unit": "pair", "require": ["en 388", "nitrile"]}
    right = compare_one(ex(gold), Gold(act="request", quantity=200, quantity_unit="pairs", require=["EN388", "Nitrile"]))
    assert right.joint and right.wrong == {}
    extra = compare_one(ex(gold), Gold(act="request", quantity=200, quantity_unit="pair",
                                       require=["en 388", "nitrile", "sterile"]))
    assert not extra.joint and extra.wrong == {"require": (["sterile"], [])}
    wrong_act = compare_one(ex(gold), Gold(act="question", quantity=200, quantity_unit="pair", require=["en 388", "nitrile"]))
    assert wrong_act.wrong == {} and not wrong_act.act_right and not wrong_act.joint


def test_a_message_in_another_language_is_scored_on_its_language_only():
    gold = {"act": "request", "language": "de"}
    o = compare_one(ex(gold), Gold(act="request", language="de", require=["handschuhe"]))
    assert o.joint
    assert not compare_one(ex(gold), Gold(act="request", language="en")).joint


def test_the_metrics_by_hand():
    c = Counts()
    c.add(frozenset({"a", "b"}), frozenset({"a", "c", "d"}))  # tp 1, fp 1, fn 2
    assert (c.tp, c.fp, c.fn) == (1, 1, 2)
    assert precision(c) == 0.5 and recall(c) == pytest.approx(1 / 3) and f1(c) == pytest.approx(0.4)
    assert precision(Counts()) == recall(Counts()) == f1(Counts()) == 1.0  # nothing to find, nothing said


def test_summary_over_messages_by_hand():
    outcomes = [
        compare_one(ex({"act": "request", "budget_max": 50}), Gold(act="request", budget_max=50)),      # right
        compare_one(ex({"act": "request", "budget_max": 50}), Gold(act="request", budget_max=40)),      # fp 1, fn 1
        compare_one(ex({"act": "reaction", "rejected": ["WS-1"]}), Gold(act="request")),                 # act, fn 1
    ]
    s = summarise(outcomes)
    assert s["joint"] == pytest.approx(1 / 3) and s["act"] == pytest.approx(2 / 3)
    # slots: tp 1 (50), fp 1 (40), fn 2 (50, WS-1)
    assert s["slot precision"] == 0.5 and s["slot recall"] == pytest.approx(1 / 3)
    assert s["f1:budget_max"] == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))


def test_the_misreadings_in_counts_name_no_message_and_no_value():
    """``error_profile`` says where a reader fails on a set kept unread: act confusions and, per slot,
    how many values were read but not labelled and labelled but not read, counted by hand here."""
    from apps.evaluation.understanding import error_profile

    gold = {"act": "request", "require": ["nitrile", "en 388"], "quantity": 200, "quantity_unit": "pair"}
    outcomes = [
        compare_one(ex(gold), Gold.model_validate({**gold})),  # right
        compare_one(ex(gold), Gold.model_validate({**gold, "require": ["nitrile", "en 374"]})),  # one swapped
        compare_one(ex(gold), Gold.model_validate({"act": "question", "quantity": 200, "quantity_unit": "pair"})),
    ]
    p = error_profile(outcomes)
    assert p["acts"] == {"request -> question": 1}
    assert p["extra"] == {"require": 1}
    assert p["missing"] == {"require": 3}
    assert p["slots_wrong"] == {"1": 1, "2": 1}
    assert "nitrile" not in repr(p) and "en 3" not in repr(p)
