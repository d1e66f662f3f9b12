"""Open a page in headless Chromium with the network blocked, record every request, and screenshot it.

A small client for the Chrome DevTools Protocol over `--remote-debugging-pipe` (JSON messages
ended by NUL on file descriptors 3 and 4): no websocket library, no browser download. Every
request the page makes pauses in the Fetch domain; the page itself is let through, anything
else fails and is recorded. A proxy on a closed local port and a host resolver that resolves
nothing stand behind that, so nothing can leave the machine even if interception missed it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PageVisit", "find_chromium", "visit"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium() -> str | None:
    """Return the path of a Chromium or Chrome executable on PATH ($CHROMIUM first), or None."""
    given = os.environ.get("CHROMIUM")
    if given and shutil.which(given):
        return shutil.which(given)
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageVisit:
    """What a visit saw: every URL requested (in order) and one PNG screenshot per colour scheme."""

    requests: list[str] = field(default_factory=list)
    screenshots: dict[str, bytes] = field(default_factory=dict)


class _Pipe:
    """The DevTools connection: numbered commands out, replies and events in."""

    def __init__(self, write_fd: int, read_fd: int, deadline: float) -> None:
        self.write_fd, self.read_fd, self.deadline = write_fd, read_fd, deadline
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.read_fd], [], [], remaining)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.read_fd, 1 << 16)
            if not chunk:
                raise ConnectionError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        if os.environ.get("CHROMIUM_DEBUG"):
            print(message[:300])
        return json.loads(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send a command and return its result, keeping the events that arrive meanwhile."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def next_event(self) -> dict[str, Any]:
        """Return the oldest event not yet handled, reading one when none is waiting."""
        return self.events.pop(0) if self.events else self._read_message()


def visit(chromium: str, url: str, width: int = 1280, timeout: float = 20.0) -> PageVisit:
    """Open `url` in headless Chromium with every other request blocked; return the requests and screenshots.

    Screenshots are full-page PNGs `width` CSS pixels wide, one with the light and one with the
    dark colour scheme (keys "light" and "dark").
    """
    deadline = time.monotonic() + timeout
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()

    # Chromium reads commands on fd 3 and writes on fd 4: move our ends above them first, so that
    # putting one in place never overwrites the other.
    high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
    high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(to_chrome_r)
    os.close(from_chrome_w)

    def wire() -> None:
        os.dup2(high_r, 3, inheritable=True)
        os.dup2(high_w, 4, inheritable=True)

    with tempfile.TemporaryDirectory(prefix="costmodel-chromium-") as profile:
        args = [
            chromium,
            "--headless=new",
            "--remote-debugging-pipe",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--proxy-server=http://127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            f"--window-size={width},900",
            "about:blank",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("CHROMIUM_DEBUG") else subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire,
        )
        os.close(high_r)
        os.close(high_w)
        pipe = _Pipe(to_chrome_w, from_chrome_r, deadline)
        result = PageVisit()
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            pipe.send("Network.enable", session=session)
            # Every scheme that leaves the machine pauses here and fails; file: and data: URLs are
            # not intercepted (Network records them, and the page's own file must load).
            blocked = [{"urlPattern": f"{scheme}:*"} for scheme in ("http", "https", "ws", "wss", "ftp")]
            pipe.send("Fetch.enable", {"patterns": blocked}, session=session)
            pipe.send("Page.enable", session=session)
            pipe.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            pipe.send("Page.navigate", {"url": url}, session=session)
            loaded = False
            while not loaded:
                event = pipe.next_event()
                method, params = event.get("method"), event.get("params", {})
                if method == "Network.requestWillBeSent":
                    result.requests.append(params["request"]["url"])
                elif method == "Fetch.requestPaused":
                    request_url = params["request"]["url"]
                    if request_url not in result.requests:
                        result.requests.append(request_url)
                    pipe.send(
                        "Fetch.failRequest",
                        {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                        session=session,
                    )
                elif method == "Page.loadEventFired":
                    loaded = True
            for scheme in ("light", "dark"):
                pipe.send(
                    "Emulation.setEmulatedMedia",
                    {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
                    session=session,
                )
                shot = pipe.send(
                    "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session
                )
                result.screenshots[scheme] = base64.b64decode(shot["data"])
            for event in pipe.events:
                if event.get("method") == "Network.requestWillBeSent":
                    result.requests.append(event["params"]["request"]["url"])
            with contextlib.suppress(ConnectionError, RuntimeError):
                pipe.send("Browser.close")
        finally:
            os.close(to_chrome_w)
            os.close(from_chrome_r)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return result
