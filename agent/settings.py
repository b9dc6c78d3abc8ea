"""Settings, read once at the entry point from environment variables and an optional TOML file.

Precedence: environment variable > config file > default. Nothing else in the code reads the
environment. With nothing set, Motive runs offline on the built-in catalogs.

The fields are a pydantic model, so pydantic does the coercion and the checks (a number, a yes or
no, one of the allowed words); pydantic-settings reads the two sources: ``MOTIVE_<FIELD>``
environment variables (an empty one counts as unset) and the TOML file's ``<field>`` keys. A
value Motive cannot use is a :class:`SettingsError` naming the variable (or the file and key) and
the value. ``Settings(...)`` itself reads nothing: it is the values it is given, and the defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, TomlConfigSettingsSource

DEFAULT_DATA_DIR = Path.home() / ".motive"


DEFAULT_STEP_TOKENS = "read=400,respond=320,revise=320,verify=120,answer=200,traits=220,history_motives=320"
READ_TRUST_MODES = ("llm", "fill", "offline")
READ_TRUST_GROUPS = ("act", "price", "quantity", "max_moq", "lead_time", "in_stock", "sizes", "categories", "brands",
                     "terms", "references", "critiques", "lift", "motives")
"""The field groups of a reading that :attr:`Settings.llm_read_trust` gives to one reader or the
other (``act`` carries the question or comparison with it; ``terms`` are the excluded, required
and preferred terms; ``brands`` those wanted and ruled out)."""
LLM_STEPS = ("read", "respond", "revise", "verify", "answer", "traits", "history_motives")
ENV_PREFIX = "MOTIVE_"


class SettingsError(ValueError):
    """A setting has a value Motive cannot use; the message names the setting and the source."""


class Settings(BaseModel):
    """Every knob a user can set. Each field maps to ``MOTIVE_<FIELD>`` in the environment and to
    ``<field>`` in the config file (``MOTIVE_CONFIG``, default ``<data_dir>/config.toml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    data_dir: Path = DEFAULT_DATA_DIR
    """Where Chroma, caches, conversations and rejects files live."""
    llm_base_url: str | None = None
    """OpenAI-compatible endpoint, e.g. ``http://127.0.0.1:8080/v1``; unset means offline."""
    llm_model: str | None = None
    llm_api_key: str | None = Field(default=None, repr=False)
    llm_timeout: float = 30.0
    """Seconds before an LLM call is abandoned (and that step falls back to offline)."""
    llm_max_tokens: int = 800
    """Output tokens of a step that :attr:`llm_step_tokens` does not size."""
    llm_step_tokens: str = DEFAULT_STEP_TOKENS
    """Output tokens per LLM step, ``step=N`` separated by commas (steps: read, respond, revise,
    verify, answer, traits, history_motives); sized to what each step writes, so a model that
    rambles is cut off (and that step falls back) instead of running on for a minute."""
    llm_step_timeouts: str = ""
    """Seconds per LLM step, ``step=S`` separated by commas; a step not named gets
    :attr:`llm_timeout`."""
    llm_max_retries: int = 1
    llm_temperature: float = 0.0
    llm_read: Literal["all", "motives", "off"] = "all"
    """What the LLM reads of a message: ``all`` fields (each checked against the message, offline
    where it fails), only the ``motives`` (a small, fast schema: for small local models), or
    ``off`` (the offline reader alone)."""
    llm_read_trust: str = "fill"
    """When the LLM reads every field, which reading decides each group of fields
    (:data:`READ_TRUST_GROUPS`): ``llm`` (the LLM's value wherever it holds against the message),
    ``fill`` (the offline reader's value wherever it read one; the LLM's only where it read
    nothing), ``offline`` (the offline value always). One mode for all (``fill``), or a mode then
    exceptions: ``fill,act=offline,terms=llm``. ``motive eval understanding --readers motive,llm
    --trust-report`` measures each group's three modes on labelled messages and prints the best."""
    llm_answer_tools: bool = True
    """Bind the catalog tools to the answer step (its prompt already carries the item's facts);
    off, the model answers from the prompt alone: one call, not two, for a small local model."""
    llm_draft: Literal["prose", "picks", "off"] = "prose"
    """How the LLM drafts a recommendation: ``prose`` (the whole reply, titles and prices in its own
    words, then checked) or ``picks`` (which candidates and one sentence each; the code writes
    their titles, ids and prices: for small models, which garble long titles), or ``off`` (the
    offline reply; for a model whose picks are the ranking's order and whose sentences copy the
    candidates' own explanations, as the 0.5B's did: 15-25 s for a poorer copy of the offline text)."""
    llm_revise: bool = True
    """When reflection rejects an LLM draft, let the LLM redraft once (with the problems listed)
    before the offline text; off, the offline text follows at once."""
    llm_verify: bool = True
    """After the deterministic checks pass, ask the LLM to verify its own draft too (one more call
    a turn; a verifier listing any problem rejects the draft)."""
    llm_traits: bool = True
    """Extract item traits with the LLM when a catalog is indexed (off: the offline extractor). A
    0.5B model took 30-70 s an item, wrote about half its phrases into the wrong dimension, and
    echoed its prompt ('giving it signals'): the offline traits are better there."""
    trait_concurrency: int = 0
    """LLM trait extraction: requests in flight at once; 0 asks the server how many parallel slots
    it has (llama.cpp's ``/props``) and uses 4 when it does not say."""
    embedding_base_url: str | None = None
    """OpenAI-compatible ``/embeddings`` endpoint; unset means the local ONNX MiniLM."""
    embedding_model: str | None = None
    embedding_api_key: str | None = Field(default=None, repr=False)
    embedding_dim: int = 384
    chroma_host: str | None = None
    """Chroma server host; unset means an embedded persistent store under ``data_dir``."""
    chroma_port: int = 8000
    checkpoint_url: str | None = Field(default=None, repr=False)
    """``postgresql://user:password@host:port/db`` to keep conversations in PostgreSQL (shared by
    several app processes); unset means SQLite at ``<data_dir>/conversations.sqlite3``."""
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    ui_auth: str | None = Field(default=None, repr=False)
    """``user:password`` for the web UI's basic login."""

    @field_validator("data_dir")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("llm_read_trust")
    @classmethod
    def _known_trust(cls, value: str) -> str:
        read_trust_values(value)
        return value

    @field_validator("llm_step_tokens", "llm_step_timeouts")
    @classmethod
    def _known_steps(cls, value: str) -> str:
        _step_values(value)
        return value

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def mode(self) -> str:
        return f"llm:{self.llm_model}" if self.llm_enabled else "offline"

    def describe(self) -> str:
        """One line for the startup banner; never includes a key."""
        llm = (
            f"LLM {self.llm_model} at {self.llm_base_url}"
            if self.llm_enabled
            else "offline (no LLM configured: set MOTIVE_LLM_BASE_URL and MOTIVE_LLM_MODEL)"
        )
        emb = (
            f"embeddings {self.embedding_model} at {self.embedding_base_url}"
            if self.embedding_base_url
            else "local MiniLM embeddings"
        )
        store = (
            f"Chroma server {self.chroma_host}:{self.chroma_port}"
            if self.chroma_host
            else f"data in {self.data_dir}"
        )
        conversations = "conversations in PostgreSQL" if self.checkpoint_url else "conversations in SQLite"
        return f"Motive: {llm}; {emb}; {store}; {conversations}"

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, config_file: Path | None = None) -> "Settings":
        """Read settings from ``env`` (default: ``os.environ``) and the config file."""
        env = os.environ if env is None else env
        path = config_file or (Path(env["MOTIVE_CONFIG"]) if env.get("MOTIVE_CONFIG") else None)
        if path is None:
            data_dir = Path(env.get("MOTIVE_DATA_DIR") or DEFAULT_DATA_DIR).expanduser()
            candidate = data_dir / "config.toml"
            path = candidate if candidate.exists() else None
        file_values: dict[str, Any] = {}
        if path is not None:
            if not Path(path).is_file():
                raise SettingsError(f"config file {path} does not exist (from MOTIVE_CONFIG)")
            try:
                file_values = TomlConfigSettingsSource(_Sources, toml_file=path)()
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"config file {path} is not valid TOML: {exc}") from exc
            known = sorted(cls.model_fields)
            for key in file_values:
                if key not in cls.model_fields:
                    raise SettingsError(f"config file {path}: unknown setting {key!r}; known: {', '.join(known)}")
        env_values = _Environment(env)()
        try:
            return cls(**{**file_values, **env_values})
        except ValidationError as exc:
            error = exc.errors()[0]
            name = str(error["loc"][0])
            where = (f"environment variable {ENV_PREFIX}{name.upper()}" if name in env_values
                     else f"config file {path}: {name}")
            if error["type"] == "value_error":  # our own check, whose message quotes the value
                raise SettingsError(f"{where}: {error['msg'].removeprefix('Value error, ')}") from None
            raise SettingsError(f"{where}: {error['msg']}, got {error['input']!r}") from None

    def step_tokens(self) -> dict[str, int]:
        """:attr:`llm_step_tokens` as ``{step: tokens}`` (validated when the settings were made)."""
        return {k: int(v) for k, v in _step_values(self.llm_step_tokens).items()}

    def step_timeouts(self) -> dict[str, float]:
        """:attr:`llm_step_timeouts` as ``{step: seconds}``."""
        return {k: float(v) for k, v in _step_values(self.llm_step_timeouts).items()}

    def with_overrides(self, **changes: object) -> "Settings":
        """These settings with ``changes``, checked as a new value would be."""
        return type(self).model_validate({**self.model_dump(), **changes})


class _Sources(BaseSettings, Settings):
    """:class:`Settings` as pydantic-settings' sources see it: the fields, named ``MOTIVE_<FIELD>``."""


class _Environment(EnvSettingsSource):
    """The ``MOTIVE_<FIELD>`` variables of ``env`` (``os.environ`` or the mapping a caller passes);
    an empty variable counts as unset."""

    def __init__(self, env: Mapping[str, str]):
        self._env = env
        super().__init__(_Sources, case_sensitive=False, env_prefix=ENV_PREFIX, env_ignore_empty=True)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {k.lower(): v for k, v in self._env.items() if k.upper().startswith(ENV_PREFIX) and v != ""}


def read_trust_values(text: str) -> dict[str, str]:
    """``'fill,act=offline'`` as a mode for every group of :data:`READ_TRUST_GROUPS`; an unknown
    group or mode is a ``ValueError`` naming it and the choices."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    default = "fill"
    if parts and "=" not in parts[0]:
        default = parts.pop(0)
        if default not in READ_TRUST_MODES:
            raise ValueError(f"unknown mode {default!r} in {text!r}; modes: {', '.join(READ_TRUST_MODES)}")
    out = dict.fromkeys(READ_TRUST_GROUPS, default)
    for part in parts:
        group, _, mode = (x.strip() for x in part.partition("="))
        if group not in READ_TRUST_GROUPS:
            raise ValueError(f"unknown field group {group!r} in {text!r}; groups: {', '.join(READ_TRUST_GROUPS)}")
        if mode not in READ_TRUST_MODES:
            raise ValueError(f"{group} needs one of {', '.join(READ_TRUST_MODES)}, got {mode!r} (write it as {group}=fill)")
        out[group] = mode
    return out


def _step_values(text: str) -> dict[str, float]:
    """``'read=400, respond=300'`` as ``{'read': 400.0, 'respond': 300.0}``; a step that does not
    exist or a value that is not a positive number is a ``ValueError`` naming both."""
    out: dict[str, float] = {}
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        step, _, value = part.partition("=")
        step = step.strip()
        if step not in LLM_STEPS:
            raise ValueError(f"unknown LLM step {step!r} in {text!r}; steps: {', '.join(LLM_STEPS)}")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if number <= 0:
            raise ValueError(f"{step} needs a positive number, got {value.strip()!r} (write it as {step}=N)")
        out[step] = number
    return out
