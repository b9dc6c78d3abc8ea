"""With a login, a conversation belongs to the user who started it: the real page (two users in
MOTIVE_UI_AUTH) served on loopback, each user with their own Gradio client, as two browsers."""

from __future__ import annotations

import pytest

from agent.settings import SettingsError
from graph.session import Conversations, NotYourConversation, sqlite_checkpointer
from ui.app import parse_auth
from apps.loadtest_ui import Page, conversation_id, serve


def test_another_user_cannot_read_or_extend_a_conversation(warm_deps, tmp_path):
    settings = warm_deps.settings.with_overrides(ui_auth="anna:pw-anna ben:pw-ben")
    conversations = Conversations(warm_deps, sqlite_checkpointer(tmp_path / "conversations.sqlite3"))
    with serve(conversations, settings) as url:
        anna = Page(url, ("anna", "pw-anna"))
        thread = conversation_id(anna.call("/load"))
        said = anna.call("/send", "a silk scarf for my mother's birthday", False)
        assert "silk scarf" in str(said["mv-chat"])

        ben = Page(url, ("ben", "pw-ben"))
        ben.call("/load")
        refused = ben.call("/resume", thread)
        assert "No saved conversation" in refused["mv-status"]
        assert "silk scarf" not in str(refused["mv-chat"]) and conversation_id(refused) != thread

        again = Page(url, ("anna", "pw-anna"))  # her own conversation, from another tab
        again.call("/load")
        resumed = again.call("/resume", thread)
        assert "Resumed" in resumed["mv-status"] and "silk scarf" in str(resumed["mv-chat"])
        for page in (anna, ben, again):
            page.close()
    assert conversations.state(thread)["owner"] == "anna"
    with pytest.raises(NotYourConversation):
        conversations.send(thread, "under $100", user="ben")
    assert conversations.send(thread, "under $100", user="anna").turn == 1
    assert conversations.send(thread, "in silk", user=None).turn == 2  # the operator's command line


def test_several_users_in_the_login_setting():
    assert parse_auth("anna:s3:cret") == ("anna", "s3:cret")
    assert parse_auth("anna:pw1 ben:pw2") == [("anna", "pw1"), ("ben", "pw2")]
    with pytest.raises(SettingsError, match="twice"):
        parse_auth("anna:pw1 anna:pw2")
