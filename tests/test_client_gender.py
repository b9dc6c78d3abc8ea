"""Whom an item is for and whom a message shops for (agent.client_facts.item_gender,
recipient_of), on the built-in boutique catalog's own texts."""

from __future__ import annotations

import json

import pytest

from agent.catalog import demo_catalog_path
from agent.client_facts import item_gender, recipient_of
from agent.models import ClientFact, Item


@pytest.fixture(scope="module")
def boutique():
    lines = demo_catalog_path("boutique").read_text(encoding="utf-8").splitlines()
    return {row["id"]: Item(**row) for row in map(json.loads, lines)}


@pytest.mark.parametrize("item_id, gender", [
    ("BQ-001", "women"),   # 'it suits a woman who expects the room to turn'
    ("BQ-020", "men"),     # 'black tie for men who find black a little obvious'
    ("BQ-113", "men"),     # cufflinks 'given to grooms and best men'
    ("BQ-115", "women"),   # 'feminine', 'for a mother'
    ("BQ-104", "women"),   # 'a private reminder to herself'
    ("BQ-109", ""),        # 'entirely unisex'
    ("BQ-117", ""),        # 'Unisex and quietly confident'
    ("BQ-082", ""),        # 'made by a women's weaving cooperative': the maker, not the wearer
    ("BQ-062", ""),        # 'mother-of-pearl buttons': a material
    ("BQ-099", ""),        # 'a gift for a father, a grandmother or a partner': both
    ("BQ-111", ""),        # 'a gift for a partner': nothing said
    ("BQ-131", ""),        # a bikini: the kind of item alone is not read as a gender
])
def test_item_gender_comes_from_words_about_the_wearer(boutique, item_id, gender):
    assert item_gender(boutique[item_id]) == gender


def test_most_items_suit_anyone(boutique):
    genders = [item_gender(i) for i in boutique.values()]
    assert genders.count("") > len(genders) / 2


@pytest.mark.parametrize("message, recipient", [
    ("cufflinks for my girlfriend", "women"),
    ("jewellery for her husband", "men"),      # the relation, not the pronoun
    ("a present for my dad", "men"),
    ("a present for my wife's birthday", "women"),
    ("something for her", "women"),
    ("a scarf for my partner", ""),            # unsaid
    ("something elegant for my daughter's wedding", "keep"),   # the client's own occasion
    ("cheaper", "keep"),
])
def test_recipient_of_a_message(message, recipient):
    assert recipient_of(message, [], current="keep") == recipient


def test_a_name_from_the_client_file_gives_the_recipient():
    facts = [ClientFact(kind="exclude", terms=["leather"], who=["husband", "tom"], label="vegan")]
    assert recipient_of("a birthday present for Tom", facts) == "men"
    assert recipient_of("a birthday present for Sam", facts) == ""
