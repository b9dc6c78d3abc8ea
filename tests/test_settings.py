"""Settings (``agent/settings.py``): the environment over the config file over the defaults, read
by pydantic-settings; a value Motive cannot use is an error naming the variable and the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.settings import DEFAULT_DATA_DIR, DEFAULT_STEP_TOKENS, Settings, SettingsError


def test_nothing_set_is_the_defaults_and_offline(tmp_path):
    settings = Settings.load({"MOTIVE_DATA_DIR": str(tmp_path)})
    assert settings == Settings(data_dir=tmp_path)
    assert Settings().data_dir == DEFAULT_DATA_DIR and Settings().llm_step_tokens == DEFAULT_STEP_TOKENS
    assert (settings.llm_timeout, settings.llm_max_tokens, settings.ui_port, settings.llm_verify) == (30.0, 800, 7860, True)
    assert settings.mode == "offline"


def test_environment_over_config_file_over_default(tmp_path):
    (tmp_path / "config.toml").write_text('llm_model = "from-file"\nllm_timeout = 5\nui_port = 9000\n')
    settings = Settings.load({"MOTIVE_DATA_DIR": str(tmp_path), "MOTIVE_UI_PORT": "9100", "MOTIVE_LLM_VERIFY": "off",
                              "MOTIVE_LLM_BASE_URL": "http://127.0.0.1:8080/v1", "MOTIVE_UI_AUTH": ""})
    assert (settings.llm_model, settings.llm_timeout, settings.ui_port) == ("from-file", 5.0, 9100)
    assert settings.llm_verify is False and settings.ui_auth is None  # an empty variable is unset
    assert settings.llm_enabled and settings.mode == "llm:from-file"


def test_the_config_file_named_by_motive_config(tmp_path):
    path = tmp_path / "motive.toml"
    path.write_text('llm_draft = "picks"\ndata_dir = "~/elsewhere"\n')
    settings = Settings.load({"MOTIVE_CONFIG": str(path)})
    assert settings.llm_draft == "picks" and settings.data_dir == Path("~/elsewhere").expanduser()


@pytest.mark.parametrize(("env", "message"), [
    ({"MOTIVE_LLM_TIMEOUT": "soon"}, "environment variable MOTIVE_LLM_TIMEOUT: .*number.*, got 'soon'"),
    ({"MOTIVE_UI_PORT": "80.5"}, "environment variable MOTIVE_UI_PORT: .*integer.*, got '80.5'"),
    ({"MOTIVE_LLM_VERIFY": "perhaps"}, "environment variable MOTIVE_LLM_VERIFY: .*boolean.*, got 'perhaps'"),
    ({"MOTIVE_LLM_DRAFT": "essay"}, "environment variable MOTIVE_LLM_DRAFT: .*'prose', 'picks' or 'off', got 'essay'"),
    ({"MOTIVE_LLM_READ": "some"}, "environment variable MOTIVE_LLM_READ: .*'all', 'motives' or 'off', got 'some'"),
    ({"MOTIVE_LLM_STEP_TOKENS": "read=0"}, "environment variable MOTIVE_LLM_STEP_TOKENS: read needs a positive number, got '0'"),
    ({"MOTIVE_LLM_STEP_TIMEOUTS": "think=30"}, "environment variable MOTIVE_LLM_STEP_TIMEOUTS: unknown LLM step 'think'"),
    ({"MOTIVE_CONFIG": "/nonexistent/motive.toml"}, "config file /nonexistent/motive.toml does not exist"),
])
def test_a_bad_value_names_the_variable_and_the_value(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.load(env)


def test_a_bad_config_file_names_the_file_and_the_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('llm_max_tokens = "many"\n')
    with pytest.raises(SettingsError, match=rf"config file {path}: llm_max_tokens: .*integer.*, got 'many'"):
        Settings.load({"MOTIVE_DATA_DIR": str(tmp_path)})
    path.write_text("llm_modle = 'x'\n")
    with pytest.raises(SettingsError, match=r"unknown setting 'llm_modle'; known: .*llm_model"):
        Settings.load({"MOTIVE_DATA_DIR": str(tmp_path)})
    path.write_text("llm_model = \n")
    with pytest.raises(SettingsError, match="is not valid TOML"):
        Settings.load({"MOTIVE_DATA_DIR": str(tmp_path)})


def test_settings_made_in_code_read_nothing(monkeypatch):
    monkeypatch.setenv("MOTIVE_LLM_MODEL", "from-the-environment")
    assert Settings().llm_model is None  # only Settings.load reads the environment
    assert Settings.load().llm_model == "from-the-environment"


def test_overrides_are_checked_like_any_value():
    assert Settings().with_overrides(ui_host="0.0.0.0").ui_host == "0.0.0.0"
    with pytest.raises(ValueError):
        Settings().with_overrides(llm_draft="essay")
    assert Settings().step_tokens()["read"] == 400 and Settings(llm_step_timeouts="read=12").step_timeouts() == {"read": 12.0}
