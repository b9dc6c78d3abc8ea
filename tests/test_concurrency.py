"""Many users at once: concurrent conversations on one ``Conversations`` (SQLite checkpointer,
embedded Chroma, the ONNX embedder) complete every turn, and no conversation's messages or belief
appear in another's (checked by ``apps.loadtest.check_isolation``, not assumed)."""

from __future__ import annotations

from apps.loadtest import check_isolation, make_scripts, run_load_with
from graph.session import Conversations, sqlite_checkpointer


def test_scripts_are_distinct():
    scripts = make_scripts(12, 3)
    assert len({s.budget for s in scripts}) == 12 and len({s.thread for s in scripts}) == 12
    assert {s.catalog for s in scripts} == {"boutique", "wholesale"}
    assert all(len(s.messages) == 3 for s in scripts)


def test_concurrent_conversations_do_not_fail_or_leak(warm_deps, tmp_path):
    conversations = Conversations(warm_deps, sqlite_checkpointer(tmp_path / "conversations.sqlite3"))
    result = run_load_with(conversations, n=12, turns=3, workers=4)
    assert result.failures == []
    assert result.leaks == []
    assert len(result.latencies) == 36
    assert 0 < result.percentile(0.5) <= result.percentile(0.95)


def test_the_isolation_check_catches_a_leak(warm_deps, tmp_path):
    conversations = Conversations(warm_deps, sqlite_checkpointer(tmp_path / "conversations.sqlite3"))
    scripts = make_scripts(2, 2)
    for script in scripts:
        for text in script.messages:
            conversations.send(script.thread, text, catalog=script.catalog)
    assert check_isolation(conversations, scripts) == []
    # Another conversation's constraint and message planted in the first thread must be reported.
    belief = conversations.state(scripts[0].thread)["belief"]
    belief.constraints.brands_out.append(scripts[1].brand_out)
    conversations.correct_belief(scripts[0].thread, belief)
    conversations.send(scripts[0].thread, scripts[1].messages[0])
    leaks = check_isolation(conversations, scripts)
    assert any("brands_out" in leak for leak in leaks) and any("transcript" in leak for leak in leaks)
