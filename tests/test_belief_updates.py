"""How one message's parse changes the belief state: pure functions, hand-made inputs."""

from agent.models import Constraints, Evidence, Motive
from agent.belief import merge_constraints, merge_motives


def test_negative_constraints_accumulate_and_positive_ones_are_replaced():
    old = Constraints(categories=["dress"], brands_out=["Velluto"], exclude_terms=["leather"], sizes=["M"])
    new = Constraints(categories=["shoes"], brands_out=["Tessaro"], exclude_terms=["suede"], sizes=["38"])
    merged = merge_constraints(old, new, [])
    assert merged.categories == ["shoes"] and merged.sizes == ["38"]
    assert merged.brands_out == ["Velluto", "Tessaro"] and merged.exclude_terms == ["leather", "suede"]


def test_lifting_a_whole_field_or_one_value():
    old = Constraints(budget_max=300, exclude_terms=["leather", "wool"], brands_out=["Velluto"])
    merged = merge_constraints(old, Constraints(), ["budget_max", "exclude_terms:leather"])
    assert merged.budget_max is None and merged.exclude_terms == ["wool"] and merged.brands_out == ["Velluto"]


def test_a_brand_asked_for_again_is_no_longer_ruled_out():
    merged = merge_constraints(Constraints(brands_out=["Velluto"]), Constraints(brands_in=["Velluto"]), [])
    assert merged.brands_in == ["Velluto"] and merged.brands_out == []


def test_motives_merge_by_text_and_a_restated_history_motive_becomes_current():
    history = Motive(text="Prefers casual relaxed style", confidence=0.5, source="history",
                     evidence=[Evidence(quote="linen trousers")], overridden_by="something")
    said = Motive(text="prefers casual relaxed style", confidence=0.8, source="conversation",
                  evidence=[Evidence(quote="casual", turn=2)])
    (merged,) = merge_motives([history], [said])
    assert merged.confidence == 0.8 and merged.source == "conversation" and merged.active
    assert [e.quote for e in merged.evidence] == ["linen trousers", "casual"]
