"""Real servers on loopback for the tests: a free port, start-and-wait-until-healthy, stop."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(command: list[str], health_url: str, log: Path, timeout: float, name: str,
                 env: dict[str, str] | None = None, cwd: Path | None = None,
                 skip_reason: Callable[[int], str | None] | None = None) -> subprocess.Popen:
    """Start ``command`` (output appended to ``log``) and return it once ``health_url`` answers 200.

    Fails the test, with the end of the log, if the process exits or stays unhealthy for
    ``timeout`` seconds (then it is killed); skips it instead when ``skip_reason`` names, for the
    exit code, a cause in the machine rather than in the code under test.
    """
    with open(log, "ab") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            reason = skip_reason(proc.returncode) if skip_reason else None
            if reason:
                pytest.skip(reason)
            pytest.fail(f"{name} exited with {proc.returncode} while starting:\n"
                        + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(health_url, timeout=2) as response:
                if response.status == 200:
                    return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass  # not listening yet, or 503 while loading
        if time.monotonic() > deadline:
            stop(proc, kill=True)
            pytest.fail(f"{name} was not healthy at {health_url} within {timeout:.0f} s:\n"
                        + log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)


def stop(proc: subprocess.Popen, kill: bool = False) -> None:
    """Terminate (or kill) ``proc`` and reap it; a process that ignores SIGTERM is killed."""
    if proc.poll() is None:
        proc.kill() if kill else proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
