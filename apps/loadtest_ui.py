"""Many browsers at once: ``motive loadtest --ui`` drives the web page through its own HTTP API.

Each simulated person is a ``gradio_client.Client`` of their own, so they have their own Gradio
session (their own ``gr.State``, so their own conversation), as a browser tab would. They open the
page, pick their catalog and send their messages through the events the page itself fires
(``/load``, ``/pick_catalog``, ``/send``, named in ``ui/app.py``). A turn's latency runs from the
send to the last streamed view, queueing included. The people are ``apps/loadtest.py``'s scripts:
each has a budget no one else has, a catalog and an excluded brand.

Isolation is checked, not assumed: every view a person saw must show their own conversation id,
exactly the messages they sent, their own catalog's items and their own constraints, and no other
person's conversation id anywhere. Afterwards a fresh session reads every conversation back by id
(``/resume``) and checks it the same way; when the app runs in this process, the saved graph state
is checked as ``motive loadtest`` checks it.
"""

from __future__ import annotations

import io
import json
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

from apps.loadtest import ITEM_PREFIXES, LoadResult, Script, check_isolation, constraint_leaks, make_scripts
from agent.settings import Settings
from ui.handlers import CARD_SLOTS

TURN_TIMEOUT = 300.0
"""Seconds a turn may take before it counts as failed (queueing included)."""

CONVERSATION_ID = re.compile(r'id="mv-conversation-id">([^<]*)</code>')
CARD_ITEM = re.compile(r'data-item="([^"]+)"')
AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?")


# -- what a view shows --------------------------------------------------------------------------
# A view is the outputs of one page event, keyed by the component's elem_id ("mv-chat", ...).


def conversation_id(view: dict[str, Any]) -> str | None:
    match = CONVERSATION_ID.search(view.get("mv-header") or "")
    return match.group(1) if match else None


def said(view: dict[str, Any]) -> list[str]:
    """The person's messages in the chat, in order."""
    out = []
    for message in view.get("mv-chat") or []:
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, list):
            content = "".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
        out.append(str(content))
    return out


def catalog_shown(view: dict[str, Any]) -> str | None:
    picker = view.get("mv-catalog")
    return picker.get("value") if isinstance(picker, dict) else picker


def shown_constraints(view: dict[str, Any]) -> tuple[float | None, list[str]]:
    """``(budget_max, brands_out)`` as the belief panel's entries list them (the correction picker)."""
    entries = view.get("mv-entry")
    choices = entries.get("choices", []) if isinstance(entries, dict) else []
    budget, brands = None, []
    for label, key in choices:
        if key == "constraint:budget_max":
            amount = AMOUNT.search(label.rsplit("Budget up to", 1)[-1])
            budget = float(amount.group().replace(",", "")) if amount else None
        elif key.startswith("constraint:brands_out:"):
            brands.append(key.removeprefix("constraint:brands_out:"))
    return budget, brands


def cards_shown(view: dict[str, Any]) -> list[str]:
    return [item for i in range(CARD_SLOTS) for item in CARD_ITEM.findall(view.get(f"mv-card-{i}") or "")]


def error_shown(view: dict[str, Any]) -> str:
    """The error notice on the page as plain text; '' when there is none."""
    status = view.get("mv-status") or ""
    return re.sub(r"<[^>]+>", "", status).strip() if "mv-notice-error" in status else ""


# -- one browser session ------------------------------------------------------------------------


class Page:
    """One browser session on the page: its own Gradio client, whose outputs come back by elem_id."""

    def __init__(self, url: str, auth: tuple[str, str] | None = None, timeout: float = TURN_TIMEOUT):
        from gradio_client import Client
        from gradio_client.utils import SKIP_COMPONENTS

        self.client = Client(url, auth=auth, verbose=False, download_files=False,
                             httpx_kwargs={"timeout": timeout})
        self.timeout = timeout
        components = {c["id"]: c for c in self.client.config["components"]}
        self._outputs: dict[str, list[str | None]] = {}
        for dependency in self.client.config["dependencies"]:
            outputs = [components[i] for i in dependency["outputs"]]
            # The client returns every output but state and layout blocks, in the event's order.
            self._outputs[f"/{dependency.get('api_name')}"] = [
                c.get("props", {}).get("elem_id") for c in outputs
                if not c.get("skip_api", c["type"] in SKIP_COMPONENTS)]

    def call(self, api_name: str, *args: Any) -> dict[str, Any]:
        if api_name not in self._outputs:
            raise LookupError(f"the page has no endpoint {api_name}; ui/app.py names them with api_name=")
        values = self.client.submit(*args, api_name=api_name).result(timeout=self.timeout)
        return dict(zip(self._outputs[api_name], values if isinstance(values, tuple) else (values,)))

    def close(self) -> None:
        self.client.close()


@dataclass
class Visit:
    """One simulated person's time on the page."""

    script: Script
    views: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """Every view they saw, each with how many of their messages it should show."""
    sent: list[str] = field(default_factory=list)
    """Their messages whose turn completed."""
    readback: dict[str, Any] | None = None
    """Their conversation as a fresh session sees it after resuming it by id."""

    @property
    def threads(self) -> set[str | None]:
        return {conversation_id(view) for _, view in self.views}

    @property
    def thread(self) -> str | None:
        threads = self.threads
        return next(iter(threads)) if len(threads) == 1 else None


def visit(url: str, auth: tuple[str, str] | None, script: Script, result: LoadResult) -> Visit:
    """Open the page, pick the script's catalog, send its messages one turn at a time."""
    seen = Visit(script)
    try:
        page = Page(url, auth)
    except Exception as exc:  # noqa: BLE001 - counted, reported, and the run goes on
        result.failures.append(f"{script.thread}: could not open {url}: {type(exc).__name__}: {exc}")
        return seen
    try:
        view = page.call("/load")
        seen.views.append((0, view))
        if catalog_shown(view) != script.catalog:
            view = page.call("/pick_catalog", script.catalog)
            seen.views.append((0, view))
        if error_shown(view):
            result.failures.append(f"{script.thread}: picking {script.catalog}: {error_shown(view)}")
            return seen
        for text in script.messages:
            started = time.perf_counter()
            try:
                view = page.call("/send", text, False)
            except Exception as exc:  # noqa: BLE001
                result.failures.append(f"{script.thread}: {text!r}: {type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            if error_shown(view):
                result.failures.append(f"{script.thread}: {text!r}: the page says: {error_shown(view)}")
                continue
            result.latencies.append(elapsed)
            seen.sent.append(text)
            seen.views.append((len(seen.sent), view))
    except Exception as exc:  # noqa: BLE001
        result.failures.append(f"{script.thread}: opening the page: {type(exc).__name__}: {exc}")
    finally:
        page.close()
    return seen


def read_back(url: str, auth: tuple[str, str] | None, visits: list[Visit], result: LoadResult) -> None:
    """Resume every conversation by id from one fresh session, as a person would after a restart."""
    page = Page(url, auth)
    try:
        page.call("/load")
        for seen in visits:
            if seen.thread is None or not seen.sent:
                continue
            try:
                seen.readback = page.call("/resume", seen.thread)
            except Exception as exc:  # noqa: BLE001
                result.failures.append(f"{seen.script.thread}: resuming {seen.thread}: {type(exc).__name__}: {exc}")
    finally:
        page.close()


# -- isolation ----------------------------------------------------------------------------------


def check_views(visits: list[Visit]) -> list[str]:
    """Leaks between people as the page showed them (see the module docstring); [] when none."""
    leaks = []
    budgets = {v.script.budget for v in visits}
    owners: dict[str, list[str]] = {}
    for seen in visits:
        for thread in seen.threads - {None}:
            owners.setdefault(thread, []).append(seen.script.thread)
    for seen in visits:
        script, who = seen.script, seen.script.thread
        if seen.views and seen.thread is None:
            leaks.append(f"{who}: the page showed conversation ids {sorted(map(str, seen.threads))}, not one")
        for thread in seen.threads - {None}:
            if len(owners[thread]) > 1:
                leaks.append(f"{who}: conversation {thread} is shared with {owners[thread]}")
        checked = list(seen.views)
        if seen.readback is not None:
            checked.append((len(seen.sent), seen.readback))
            if conversation_id(seen.readback) != seen.thread:
                leaks.append(f"{who}: resuming {seen.thread} showed {conversation_id(seen.readback)}")
        prefix = ITEM_PREFIXES.get(script.catalog)
        for n, view in checked:
            if said(view) != seen.sent[:n]:
                leaks.append(f"{who}: the chat shows {said(view)!r}, not its own {seen.sent[:n]!r}")
            if n and catalog_shown(view) != script.catalog:
                leaks.append(f"{who}: the page shows catalog {catalog_shown(view)!r}, expected {script.catalog!r}")
            foreign = [item for item in cards_shown(view) if prefix and not item.startswith(prefix)]
            if foreign:
                leaks.append(f"{who}: cards from another catalog: {foreign}")
        text = json.dumps([view for _, view in checked], ensure_ascii=False, default=str)
        others = [t for t in owners if t not in seen.threads and t in text]
        if others:
            leaks.append(f"{who}: other conversations' ids on its page: {others}")
        if seen.sent:
            last = seen.readback if seen.readback is not None else seen.views[-1][1]
            budget, brands = shown_constraints(last)
            leaks += constraint_leaks(f"{who} (page)", replace(script, messages=seen.sent), budget, brands, budgets)
    return leaks


# -- the run ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(conversations, settings: Settings) -> Iterator[str]:
    """The real page over ``conversations`` on a free loopback port in this process; yields its URL."""
    from ui.app import build_app, launch_options

    app = build_app(conversations, settings)
    port = free_port()
    app.launch(**(launch_options(settings) | dict(server_name="127.0.0.1", server_port=port,
                                                   prevent_thread_lock=True)))
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        with redirect_stdout(io.StringIO()):  # Gradio announces the closing on stdout, amid the report
            app.close()


@dataclass
class UiLoad:
    result: LoadResult
    elapsed: float
    """Seconds from the first send to the last turn's end."""
    visits: list[Visit]


def run_ui_load_with(url: str, n: int = 50, turns: int = 5, workers: int | None = None,
                     auth: tuple[str, str] | None = None, conversations=None) -> UiLoad:
    """``n`` people of ``turns`` turns each on the page at ``url``, ``workers`` at once (default: all).
    ``conversations``, when the app runs in this process, adds the check of the saved graph state."""
    scripts = make_scripts(n, turns)
    result = LoadResult()
    # One throwaway turn per catalog first, so a catalog's first use (indexing, caches) is not timed.
    warm = LoadResult()
    for catalog in sorted({s.catalog for s in scripts}):
        visit(url, auth, Script(f"warm-up-{catalog}", catalog, 0, "", ["hello"]), warm)
    result.failures += [f"warm-up: {f}" for f in warm.failures]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers or n) as pool:
        visits = list(pool.map(lambda s: visit(url, auth, s, result), scripts))
    elapsed = time.perf_counter() - started
    read_back(url, auth, visits, result)
    result.leaks = check_views(visits)
    if conversations is not None:
        saved = [replace(v.script, thread=v.thread, messages=v.sent) for v in visits if v.thread and v.sent]
        result.leaks += [f"saved state: {leak}" for leak in check_isolation(conversations, saved)]
    return UiLoad(result, elapsed, visits)


def run_ui_load(settings: Settings, conversations: int = 50, turns: int = 5, workers: int | None = None,
                url: str | None = None, json_path: Path | None = None) -> int:
    """``motive loadtest --ui``: the page served here (or the one at ``url``) under load; prints the
    same figures as the graph load test. 0 when no turn failed and nothing leaked."""
    from ui.app import parse_auth

    auth = parse_auth(settings.ui_auth)
    at_once = workers or conversations
    if url:
        run = run_ui_load_with(url, conversations, turns, at_once, auth)
    else:
        from agent.deps import build_deps
        from graph.session import Conversations, sqlite_checkpointer

        deps = build_deps(settings)
        deps.progress = True
        path = settings.data_dir / "loadtest-ui-conversations.sqlite3"
        path.unlink(missing_ok=True)
        service = Conversations(deps, sqlite_checkpointer(path))
        for catalog in ("boutique", "wholesale"):
            deps.catalog(catalog)  # indexed once, before the page starts
        with serve(service, settings) as url:
            run = run_ui_load_with(url, conversations, turns, at_once, auth, service)
    title = (f"{conversations} conversations x {turns} turns through the web UI at {url}, "
             f"{at_once} at once ({settings.mode})")
    return run.result.report(title, run.elapsed, json_path, target="ui", url=url, conversations=conversations,
                         turns=turns, workers=at_once, mode=settings.mode)
