"""Many users at once: concurrent conversations against the graph, with turn latency, failures and
an isolation check (every thread's messages and belief hold only its own words and constraints).

``motive loadtest`` runs it; ``tests/test_concurrency.py`` runs a smaller one. The same scripts, leak
checks and report serve ``motive loadtest --ui`` (``apps/loadtest_ui.py``), which drives the web page's
HTTP API instead of the graph.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Sequence

from langchain_core.messages import HumanMessage

from agent.settings import Settings

BOUTIQUE_BRANDS = ["Calder & Lune", "Casa Solenne", "Hartwell & Crane", "Kaito Studio", "Maison Ardent",
                   "Nordlys Atelier", "Ondine Verte", "Orvane", "Rosalind Vey", "Tessaro", "Velluto"]
WHOLESALE_BRANDS = ["Clearwell Hygiene", "Forgeworth Workwear", "Halvard Tools", "Ironvale Safety",
                    "Kestrel Foodservice", "Packridge", "Sanora Professional", "Verdeleaf"]
BOUTIQUE_NEEDS = ["an elegant dress for a summer wedding", "a warm coat for winter city walks",
                  "a silk scarf as a gift for my mother", "shoes for long days on my feet",
                  "a handbag for the office", "a blazer for job interviews"]
WHOLESALE_NEEDS = ["nitrile gloves for a food plant", "hi-vis clothing for a road crew",
                   "cleaning chemicals for a hotel", "first aid supplies for a warehouse",
                   "packaging for an online shop", "safety eyewear for a workshop"]
ITEM_PREFIXES = {"boutique": "BQ-", "wholesale": "WS-"}
"""How the built-in catalogs' item ids start: a card from the other catalog is a leak."""
FOLLOW_UPS = ["cheaper", "in stock only", "more durable", "tell me more about the first one",
              "something different please", "not the second one"]


@dataclass
class Script:
    """One simulated person: a distinctive catalog, budget and excluded brand."""

    thread: str
    catalog: str
    budget: int
    brand_out: str
    messages: list[str]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (q in 0-100) by linear interpolation between closest ranks; ``values``
    need not be sorted; NaN when empty."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    """Seconds per completed turn."""
    failures: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        """The ``q``-quantile (0..1) of the turn latencies, in seconds; 0 when none."""
        return percentile(self.latencies, q * 100) if self.latencies else 0.0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.leaks

    def report(self, title: str, elapsed: float, json_path: Path | None = None, **facts) -> int:
        """Print p50/p95 turn latency, failures and leaks (and the machine's load average, since
        other jobs skew latency); write them to ``json_path`` too. 0 when nothing failed or leaked."""
        load = os.getloadavg()
        print(f"{title}: {len(self.latencies)} turns in {elapsed:.1f}s")
        print(f"turn latency p50 {self.percentile(0.5) * 1000:.0f} ms, p95 {self.percentile(0.95) * 1000:.0f} ms")
        print(f"failures: {len(self.failures)}; isolation leaks: {len(self.leaks)}")
        print(f"load average (1, 5, 15 min): {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
        for line in [*self.failures, *self.leaks][:20]:
            print(f"  {line}", file=sys.stderr)
        if json_path is not None:
            summary = {**facts, "turns_completed": len(self.latencies), "elapsed_s": round(elapsed, 2),
                       "p50_ms": round(self.percentile(0.5) * 1000, 1),
                       "p95_ms": round(self.percentile(0.95) * 1000, 1),
                       "failures": self.failures, "leaks": self.leaks, "load_average": [round(x, 2) for x in load]}
            Path(json_path).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        return 0 if self.ok else 1


def make_scripts(conversations: int, turns: int) -> list[Script]:
    scripts = []
    for n in range(conversations):
        catalog = "boutique" if n % 2 == 0 else "wholesale"
        brands = BOUTIQUE_BRANDS if catalog == "boutique" else WHOLESALE_BRANDS
        needs = BOUTIQUE_NEEDS if catalog == "boutique" else WHOLESALE_NEEDS
        # Budgets are unique per conversation, so a budget seen in another thread is a leak.
        budget = (300 + 7 * n) if catalog == "boutique" else (40 + 3 * n)
        currency = "euros" if catalog == "boutique" else "dollars"
        brand = brands[n % len(brands)]
        messages = [f"{needs[n % len(needs)]} under {budget} {currency}", f"nothing from {brand}"]
        messages += [FOLLOW_UPS[(n + k) % len(FOLLOW_UPS)] for k in range(max(0, turns - 2))]
        scripts.append(Script(thread=f"load-{n:03d}", catalog=catalog, budget=budget, brand_out=brand,
                              messages=messages[:turns]))
    return scripts


def _run_script(conversations, script: Script, result: LoadResult) -> None:
    for text in script.messages:
        started = time.perf_counter()
        try:
            conversations.send(script.thread, text, catalog=script.catalog)
        except Exception as exc:  # noqa: BLE001 - counted, reported, and the run goes on
            result.failures.append(f"{script.thread}: {text!r}: {type(exc).__name__}: {exc}")
            continue
        result.latencies.append(time.perf_counter() - started)


def constraint_leaks(who: str, script: Script, budget_max: float | None, brands_out: list[str],
                     budgets: set[int]) -> list[str]:
    """The constraints a conversation ended with must be its own: the brand it excluded (once it said
    so) and a budget no higher than its own ("cheaper" may lower it), never another's budget."""
    leaks = []
    expected = [script.brand_out] if f"nothing from {script.brand_out}" in script.messages else []
    if brands_out != expected:
        leaks.append(f"{who}: brands_out {brands_out}, expected {expected}")
    if budget_max is None or budget_max > script.budget:
        leaks.append(f"{who}: budget_max {budget_max}, expected at most {script.budget}")
    elif budget_max != script.budget and budget_max in budgets:
        leaks.append(f"{who}: budget_max {budget_max} is another conversation's")
    return leaks


def check_isolation(conversations, scripts: list[Script]) -> list[str]:
    """Every thread's transcript is exactly its own messages, and its belief only its constraints."""
    leaks = []
    budgets = {s.budget for s in scripts}
    for script in scripts:
        state = conversations.state(script.thread)
        said = [m.content for m in state.get("messages", []) if isinstance(m, HumanMessage)]
        if said != script.messages:
            leaks.append(f"{script.thread}: transcript {said!r} is not its own {script.messages!r}")
        if state.get("catalog") != script.catalog:
            leaks.append(f"{script.thread}: catalog {state.get('catalog')!r}, expected {script.catalog!r}")
        belief = state.get("belief")
        if belief is None:
            leaks.append(f"{script.thread}: no belief state")
            continue
        c = belief.constraints
        leaks += constraint_leaks(script.thread, script, c.budget_max, c.brands_out, budgets)
        foreign = [m.text for m in belief.motives for e in m.evidence
                   if not any(e.quote.lower() in t.lower() for t in script.messages)]
        if foreign:
            leaks.append(f"{script.thread}: motives with evidence from elsewhere: {foreign}")
    return leaks


def run_load_with(conversations, n: int = 50, turns: int = 5, workers: int = 8) -> LoadResult:
    """Run ``n`` conversations of ``turns`` turns on ``workers`` threads against ``conversations``."""
    scripts = make_scripts(n, turns)
    for catalog in {s.catalog for s in scripts}:
        conversations.deps.catalog(catalog)  # indexed once, before the clock starts
    result = LoadResult()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(_run_script, conversations, s, result) for s in scripts]:
            future.result()
    result.leaks = check_isolation(conversations, scripts)
    return result


def run_load(settings: Settings, conversations: int = 50, turns: int = 5, workers: int = 8,
             json_path: Path | None = None) -> int:
    """The load benchmark: prints p50/p95 turn latency, failures and leaks; 0 when there were none."""
    from agent.deps import build_deps
    from graph.session import Conversations, sqlite_checkpointer

    deps = build_deps(settings)
    deps.progress = True
    path = settings.data_dir / "loadtest-conversations.sqlite3"
    path.unlink(missing_ok=True)  # thread ids repeat between runs
    service = Conversations(deps, sqlite_checkpointer(path))
    started = time.perf_counter()
    result = run_load_with(service, conversations, turns, workers)
    elapsed = time.perf_counter() - started
    return result.report(f"{conversations} conversations x {turns} turns on {workers} threads ({settings.mode})",
                         elapsed, json_path, target="graph", conversations=conversations, turns=turns,
                         workers=workers, mode=settings.mode)
