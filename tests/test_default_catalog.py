"""No silent default catalog: a conversation is about the catalog named, the client's, or the only
one there is; with several and none named, a clear error lists them (``Deps.default_catalog``).
The web page, which shows its choice in the catalog picker, opens on the first built-in catalog."""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.deps import CatalogNotChosen, UnknownCatalog
from graph.session import Conversations, checkpoint_serde
from tests.test_cli import motive
from ui.handlers import Handlers


@pytest.fixture
def conversations(warm_deps):
    return Conversations(warm_deps, InMemorySaver(serde=checkpoint_serde()))


def test_several_catalogs_and_none_named_is_an_error_listing_them(warm_deps):
    # (warm_deps is shared: other tests ingest catalogs of their own into it.)
    with pytest.raises(CatalogNotChosen, match=r"no catalog named, and there are \d+: boutique, (.+, )?wholesale"):
        warm_deps.default_catalog()
    assert issubclass(CatalogNotChosen, UnknownCatalog)  # every caller that reports an unknown catalog reports it


def test_the_only_catalog_is_the_default(warm_deps, monkeypatch):
    monkeypatch.setattr(type(warm_deps), "catalog_names", lambda self: ["mine"])
    assert warm_deps.default_catalog() == "mine"


def test_a_first_turn_with_no_catalog_named_is_refused_not_guessed(conversations):
    thread = conversations.new_thread_id()
    with pytest.raises(CatalogNotChosen, match=r"boutique, (.+, )?wholesale"):
        conversations.send(thread, "a warm coat")
    assert conversations.state(thread) == {}  # nothing was saved


def test_a_clients_catalog_is_the_conversations_when_none_is_named(conversations):
    thread = conversations.new_thread_id()
    assert conversations.catalog_for(thread, client_id="C-STALDRIC") == "wholesale"
    out = conversations.send(thread, "nitrile gloves for the line", client_id="C-STALDRIC")
    assert conversations.state(thread)["catalog"] == "wholesale"
    assert out.recommendations and all(r.item_id.startswith("WS-") for r in out.recommendations)
    # Once started, the conversation's own catalog is the one, whatever is named later.
    assert conversations.catalog_for(thread, "boutique") == "wholesale"


def test_the_page_opens_on_the_first_built_in_catalog_and_says_so_in_its_picker(conversations, warm_deps, monkeypatch):
    handlers = Handlers(conversations, warm_deps.settings, stream_delay=0)
    assert handlers.default_catalog() == "boutique"
    view = handlers.load()
    assert view.session.catalog == "boutique" and "boutique" in view.header  # the picker's value is the session's
    monkeypatch.setattr(type(warm_deps), "catalog_names", lambda self: ["mine"])
    assert handlers.default_catalog() == "mine"


def test_the_command_line_names_the_catalogs_when_none_is_chosen(tmp_path):
    script = tmp_path / "script.txt"
    script.write_text("a warm coat\n")
    result = motive(tmp_path, "ask", "--script", str(script))
    assert result.returncode == 2, result.stderr
    assert "no catalog named, and there are 2: boutique, wholesale" in result.stderr
    assert "--catalog NAME" in result.stderr and "Traceback" not in result.stderr
