"""Failed sign-ins are throttled per address: the page's real launch options (Gradio's login route
behind ``ui.throttle.LoginThrottle``) served on a loopback port, and guessed at over HTTP."""

from __future__ import annotations

import time

import gradio as gr
import httpx
import pytest

from agent.settings import Settings
from tests.servers import free_port
from ui.app import launch_options
from ui.throttle import LoginThrottle


@pytest.fixture
def served():
    port = free_port()
    options = launch_options(Settings(ui_auth="anna:right-password", ui_port=port))
    with gr.Blocks() as demo:
        gr.Markdown("hello")
    demo.launch(**(options | {"prevent_thread_lock": True}))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        demo.close()


def test_guessing_the_password_is_throttled(served):
    with httpx.Client(base_url=served, timeout=10) as client:
        def login(password: str) -> httpx.Response:
            return client.post("/login", data={"username": "anna", "password": password})

        started = time.monotonic()
        codes = [login(f"guess-{i}").status_code for i in range(200)]
        assert codes[:5] == [400] * 5, "the first failures are checked as usual"
        assert set(codes[5:]) == {429}, "later guesses are not even checked"
        refused = login("right-password")
        assert refused.status_code == 429 and "wait" in refused.json()["detail"]
        assert int(refused.headers["retry-after"]) >= 1
        assert time.monotonic() - started < 30
        time.sleep(float(refused.headers["retry-after"]) + 0.1)
        assert login("right-password").status_code == 200  # the wait over, the right password works


def test_the_wait_doubles_and_a_success_clears_it():
    now = [0.0]
    throttle = LoginThrottle(app=None, free=3, longest=10, clock=lambda: now[0])
    for _ in range(3):
        throttle._record("10.0.0.1", ok=False)
    assert throttle.wait("10.0.0.1") == 1 and throttle.wait("10.0.0.2") == 0
    now[0] = 1.5
    throttle._record("10.0.0.1", ok=False)
    assert throttle.wait("10.0.0.1") == 2
    for _ in range(10):
        throttle._record("10.0.0.1", ok=False)
    assert throttle.wait("10.0.0.1") == 10  # never longer than `longest`
    throttle._record("10.0.0.1", ok=True)
    assert throttle.wait("10.0.0.1") == 0
