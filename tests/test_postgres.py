"""Past one machine: two app processes sharing one PostgreSQL (conversations) and one ``chroma run``
server (catalogs) serve the same conversation alternately without losing state.

PostgreSQL is Debian's package (``apt-get install postgresql``; ``.ci/run`` installs it), started
here on loopback in a throwaway directory; the test is skipped, saying why, when it cannot be."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from tests.servers import free_port
from tests.test_store_faults import start_chroma, stop

pytestmark = [pytest.mark.server, pytest.mark.slow]


def _as_postgres_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the ``postgres`` user."""
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as a non-root user")
    return [runuser, "-u", "postgres", "--", *cmd]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    pytest.importorskip("langgraph.checkpoint.postgres", reason="the postgres extra is not installed: "
                        "pip install -e '.[postgres]'")
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; .ci/run does it as root)")
    bin_dir = Path(binaries[-1]).parent
    # Not under pytest's tmp_path: its parents are private to the test user, and PostgreSQL may
    # run as another one.
    root = Path(tempfile.mkdtemp(prefix="motive-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", free_port()
    try:
        subprocess.run(_as_postgres_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                                          "--auth=trust", "-E", "UTF8"]),
                       check=True, capture_output=True, timeout=120)
        started = subprocess.run(
            _as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "pg.log"), "-w",
                               "-t", "60", "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1",
                               "start"]),
            capture_output=True, text=True, timeout=90)
        if started.returncode != 0:
            log = (root / "pg.log").read_text(errors="replace")[-2000:] if (root / "pg.log").exists() else ""
            pytest.fail(f"pg_ctl start failed: {started.stderr}{log}")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                          "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


APP = r'''
import json, sys
from agent.deps import build_deps
from agent.settings import Settings
from graph.session import Conversations, checkpointer_from_settings

settings = Settings.load()
conversations = Conversations(build_deps(settings), checkpointer_from_settings(settings))
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    thread, text = json.loads(line)
    before = len(conversations.state(thread).get("messages", []))
    out = conversations.send(thread, text, catalog="boutique")
    state = conversations.state(thread)
    print(json.dumps({"seen_before": before, "turn": out.turn,
                      "messages": [[m.type, m.content] for m in state["messages"]],
                      "belief": state["belief"].model_dump(mode="json")}), flush=True)
'''


class App:
    """One app process (as on its own machine: its own data directory) serving turns on request."""

    def __init__(self, script: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert self.read() == {"ready": True}

    def read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=10)
            pytest.fail(f"app process exited with {self.proc.returncode}: {self.proc.stderr.read()[-3000:]}")
        return json.loads(line)

    def send(self, thread: str, text: str) -> dict:
        self.proc.stdin.write(json.dumps([thread, text]) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def test_two_app_processes_share_one_conversation(postgres_url: str, tmp_path: Path) -> None:
    chroma_port = free_port()
    chroma = start_chroma(tmp_path / "chroma", chroma_port, tmp_path / "chroma.log")
    script = tmp_path / "app.py"
    script.write_text(APP)
    apps: list[App] = []
    try:
        for name in ("a", "b"):
            env = {k: v for k, v in os.environ.items() if not k.startswith("MOTIVE_")} | {
                "MOTIVE_DATA_DIR": str(tmp_path / name), "MOTIVE_CHECKPOINT_URL": postgres_url,
                "MOTIVE_CHROMA_HOST": "127.0.0.1", "MOTIVE_CHROMA_PORT": str(chroma_port),
                "HF_HUB_OFFLINE": "1"}
            apps.append(App(script, env))
        a, b = apps
        script_turns = [(a, "a silk scarf for my mother's birthday"), (b, "under $150 please"),
                        (a, "not red, she never wears red"), (b, "something warmer")]
        last: dict | None = None
        for number, (app, text) in enumerate(script_turns, start=1):
            result = app.send("shared", text)
            assert result["seen_before"] == 2 * (number - 1)  # each process sees every earlier turn
            assert [m for m in result["messages"] if m[0] == "human"] == [["human", t] for _, t in script_turns[:number]]
            if last is not None:
                assert result["messages"][: len(last["messages"])] == last["messages"]
                assert result["turn"] == last["turn"] + 1
                # What earlier turns learned (in either process) is still there.
                assert {m["text"] for m in last["belief"]["motives"]} <= {
                    m["text"] for m in result["belief"]["motives"]}
            last = result
        assert last["belief"]["constraints"]["budget_max"] == 150  # said to b, kept through a and b
        assert last["belief"]["motives"]
    finally:
        for app in apps:
            app.close()
        stop(chroma)


def test_checkpointer_from_settings_defaults_to_sqlite_and_rejects_other_urls(tmp_path: Path) -> None:
    from langgraph.checkpoint.sqlite import SqliteSaver

    from agent.settings import Settings, SettingsError
    from graph.session import checkpointer_from_settings

    assert isinstance(checkpointer_from_settings(Settings(data_dir=tmp_path)), SqliteSaver)
    with pytest.raises(SettingsError, match="postgresql://"):
        checkpointer_from_settings(Settings(data_dir=tmp_path, checkpoint_url="mysql://x@h/db"))
    settings = Settings.load({"MOTIVE_CHECKPOINT_URL": "postgresql://u:secret@127.0.0.1:1/db"})
    assert "secret" not in repr(settings) + settings.describe()


def test_unreachable_postgres_is_a_clear_error_without_the_password() -> None:
    pytest.importorskip("langgraph.checkpoint.postgres", reason="the postgres extra is not installed")
    from agent.settings import SettingsError
    from graph.session import postgres_checkpointer

    port = free_port()  # nothing listens there
    with pytest.raises(SettingsError, match=f"127.0.0.1:{port}") as info:
        postgres_checkpointer(f"postgresql://u:secret@127.0.0.1:{port}/db?connect_timeout=3")
    assert "secret" not in str(info.value)
