"""Failed sign-ins are throttled per client address (Gradio's own login route has no limit).

An ASGI middleware in front of Gradio's ``POST /login``: after ``free`` failed attempts from one
address, that address must wait before the next attempt is even checked, 1 s at first, doubling
with each further failure up to ``longest`` seconds; an attempt made while waiting is answered
``429`` with the wait, whatever the password (so guessing it buys nothing). A successful sign-in
clears the address's count. The address is the TCP peer's: behind a reverse proxy that is the
proxy, so the proxy should throttle instead (see the README's "Deploying").
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

LOGIN_PATHS = ("/login", "/login/")


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0
    last: float = 0.0


class LoginThrottle:
    """Wraps an ASGI app; see the module docstring."""

    def __init__(self, app: Any, free: int = 5, longest: float = 300.0, forget_after: float = 3600.0,
                 clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.free = free
        """Failed attempts an address may make before it has to wait."""
        self.longest = longest
        """The longest wait, in seconds."""
        self.forget_after = forget_after
        """Seconds after its last failure when an address's count is dropped."""
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Seconds ``address`` must still wait before its next attempt is checked (0: none)."""
        with self._lock:
            record = self._records.get(address)
            return max(0.0, record.blocked_until - self.clock()) if record else 0.0

    def _record(self, address: str, ok: bool) -> None:
        now = self.clock()
        with self._lock:
            for stale in [a for a, r in self._records.items() if now - r.last > self.forget_after]:
                del self._records[stale]
            if ok:
                self._records.pop(address, None)
                return
            record = self._records.setdefault(address, _Record())
            record.failures += 1
            record.last = now
            if record.failures >= self.free:
                record.blocked_until = now + min(self.longest, 2.0 ** (record.failures - self.free))

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope.get("type") != "http" or scope.get("method") != "POST" or scope.get("path") not in LOGIN_PATHS:
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown", 0))[0]
        wait = self.wait(address)
        if wait > 0:
            seconds = math.ceil(wait)
            body = json.dumps({"detail": f"Too many failed sign-ins from this address: wait {seconds} s, "
                                         f"then try again."}).encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json"), (b"retry-after", str(seconds).encode()),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        status: list[int] = []

        async def watching(message: dict) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, receive, watching)
        if status and status[0] in (200, 400, 401, 403):
            self._record(address, ok=status[0] == 200)
