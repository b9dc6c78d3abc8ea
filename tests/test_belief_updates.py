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


def test_relax_drops_what_blocked_and_only_that():
    from datetime import date

    from agent.belief import cleared_fields
    from agent.catalog import demo_catalog_path, read_catalog
    from agent.reading import CatalogLexicon, Reader

    reader = Reader(CatalogLexicon.from_items(read_catalog(demo_catalog_path("boutique")).items, "fashion"))
    held = Constraints(budget_max=300, exclude_terms=["wool"], must_have=["cashmere"])

    def cleared(message: str, blocking: list[str]) -> list[str]:
        return cleared_fields(reader.read(message, [], None, date(2026, 12, 1)), blocking, held)

    # After a dead end, 'what have you got?' and 'relax it' drop what blocked ...
    assert cleared("what have you got?", ["require:cashmere"]) == ["must_have:cashmere"]
    assert cleared("ok, relax it", ["budget"]) == cleared("ok, relax it", ["budget"]) != []
    # ... and with nothing blocking they ask for more, not for every constraint gone.
    assert cleared("what have you got?", []) == []
    assert cleared("show me the closest", []) == []
    # 'forget all the filters' drops every limit and requirement, blocked or not; what the person
    # ruled out ('no wool', 'nothing from Velluto') stays ruled out.
    everything = cleared("forget all the filters", [])
    assert {"budget_max", "must_have", "categories"} <= set(everything)
    assert "exclude_terms" not in everything and "brands_out" not in everything
