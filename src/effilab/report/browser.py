"""Open a report in headless Chromium and see what a reader would: plots drawn, errors, requests.

Used by the browser test and by ``scripts/report_screenshot.py``. Chromium is driven over the DevTools
protocol on a pipe (``--remote-debugging-pipe``: fd 3 carries commands in, fd 4 replies and events out,
each message JSON ended by a NUL byte), so no port is opened and nothing beyond the standard library is
needed. What is collected: console messages of level error, uncaught exceptions, log entries of level
error, and the URL of every request the page made (a report must make none beyond its own file).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import fcntl
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["BrowserError", "PageCheck", "check_page", "find_chromium"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserError(RuntimeError):
    """Chromium could not be started or stopped answering."""


def find_chromium() -> str | None:
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class PageCheck:
    figures: int
    """Figures the page declares (``data-figures`` of its body)."""
    rendered: int
    """Figures whose ``Plotly.newPlot`` finished (``data-rendered``)."""
    plots: int
    """Plot elements holding a drawn SVG (``.js-plotly-plot`` with a ``.main-svg``)."""
    points: int
    """Points and bars drawn over all plots."""
    broken_links: tuple[str, ...]
    """Targets of the figures' ``customdata`` and of ``#…`` links that name no element of the page."""
    errors: tuple[str, ...]
    """Console errors, uncaught exceptions, error log entries."""
    requests: tuple[str, ...]
    """Every URL the page requested."""
    clicked: str | None
    """The location hash after a real mouse click on the first point of the speedup figure (if any)."""
    seconds: float
    """From navigation to the last figure drawn."""


_STATE_JS = """(() => {
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const drawn = plots.filter(p => p.querySelector('.main-svg'));
  const points = drawn.reduce((n, p) => n + p.querySelectorAll('.point, .bars path').length, 0);
  const targets = new Set();
  plots.forEach(p => (p.data || []).forEach(
    t => (t.customdata || []).forEach(c => { if (c) targets.add(String(c)); })));
  document.querySelectorAll('a[href^="#"]').forEach(
    a => targets.add(decodeURIComponent(a.getAttribute('href').slice(1))));
  const broken = Array.from(targets).filter(id => !document.getElementById(id));
  return JSON.stringify({figures: Number(document.body.getAttribute('data-figures') || 0),
    rendered: Number(document.body.getAttribute('data-rendered') || 0), plots: drawn.length, points: points,
    broken: broken});
})()"""

_POINT_JS = """(() => {
  const fig = document.getElementById('fig-speedup');
  const point = fig ? fig.querySelector('.scatterlayer .point') : null;
  if (!point) return '';
  point.scrollIntoView({block: 'center'});
  const box = point.getBoundingClientRect();
  return JSON.stringify({x: box.left + box.width / 2, y: box.top + box.height / 2});
})()"""


class _Pipe:
    """One Chromium with the DevTools protocol on fds 3/4."""

    def __init__(self, binary: str, profile: str, width: int, height: int) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--hide-scrollbars", f"--window-size={width},{height}",
                "about:blank"]  # fmt: skip

        def wire() -> None:
            # In the child, before exec: its fds 3 and 4 become the protocol's. Both are first moved
            # above 10, so that one of them already being 3 or 4 cannot be overwritten by the other.
            high_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        # pass_fds=(3, 4): subprocess closes every other fd after wire() has run.
        self._process = subprocess.Popen(
            args, pass_fds=(3, 4), preexec_fn=wire,  # noqa: PLW1509 - dup2 only, no lock taken
            start_new_session=True,  # its own process group, ended as a whole by close()
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None,
             timeout: float = 30.0) -> dict[str, Any]:  # fmt: skip
        self._next += 1
        ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._receive(deadline))

    def _receive(self, deadline: float) -> dict[str, Any]:
        import select  # noqa: PLC0415 - only here

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium exited (status {self._process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        decoded: dict[str, Any] = json.loads(message)
        return decoded

    def close(self) -> None:
        """Ask Chromium to quit, then end its whole process group: its helpers (zygote, renderers,
        crash handler) would otherwise outlive it for a moment and keep writing to the profile."""
        with contextlib.suppress(BrowserError, OSError):
            self.send("Browser.close", timeout=5.0)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=5.0)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)


def check_page(
    path: str | Path,
    *,
    chromium: str | None = None,
    timeout: float = 60.0,
    screenshot: str | Path | None = None,
    click: bool = True,
    width: int = 1280,
    height: int = 1600,
) -> PageCheck:
    """Load ``path`` (a local HTML file), wait until every figure is drawn, and report what happened."""
    binary = chromium or find_chromium()
    if binary is None:
        raise BrowserError("no Chromium found (apt-get install chromium)")
    url = Path(path).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="effilab-chromium-", ignore_cleanup_errors=True) as profile:
        browser = _Pipe(binary, profile, width, height)
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Runtime", "Log", "Network", "Page"):
                browser.send(f"{domain}.enable", session=session)
            browser.send("Emulation.setDeviceMetricsOverride",
                         {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                         session=session)  # fmt: skip
            started = time.monotonic()
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait_event("Page.loadEventFired", timeout)
            state = _state(browser, session)
            while state["figures"] == 0 or state["rendered"] < state["figures"]:
                if time.monotonic() - started > timeout:
                    break
                time.sleep(0.1)
                state = _state(browser, session)
            seconds = time.monotonic() - started
            clicked = _click(browser, session) if click else None
            if screenshot is not None:
                browser.send("Runtime.evaluate", {"expression": "window.scrollTo(0, 0); location.hash = ''"},
                             session=session)  # fmt: skip
                time.sleep(0.3)
                shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
                Path(screenshot).write_bytes(base64.b64decode(shot["data"]))
            time.sleep(0.2)  # late console messages of the last drawings
            _state(browser, session)
        finally:
            browser.close()
    return PageCheck(
        figures=state["figures"], rendered=state["rendered"], plots=state["plots"], points=state["points"],
        broken_links=tuple(state["broken"]), errors=tuple(_errors(browser.events)),
        requests=tuple(e["params"]["request"]["url"] for e in browser.events
                       if e.get("method") == "Network.requestWillBeSent"),
        clicked=clicked, seconds=seconds,
    )  # fmt: skip


def _state(browser: _Pipe, session: str) -> dict[str, Any]:
    reply = browser.send(
        "Runtime.evaluate", {"expression": _STATE_JS, "returnByValue": True}, session=session
    )
    value: dict[str, Any] = json.loads(reply["result"]["value"])
    return value


def _click(browser: _Pipe, session: str, attempts: int = 5) -> str | None:
    """Move to the first point of the speedup figure and click it, as a reader would.

    plotly finds the point under the mouse on a (throttled) hover after the move, and a click counts only
    once that is done; on a loaded machine that can take longer than any fixed pause, so the click is
    repeated, with longer pauses, until the location changes.
    """
    hash_value = ""
    for attempt in range(attempts):
        reply = browser.send("Runtime.evaluate", {"expression": _POINT_JS, "returnByValue": True},
                             session=session)  # fmt: skip
        found = reply["result"].get("value")
        if not found:
            return None
        time.sleep(0.2 * (attempt + 1))  # the scroll settles: the point is where it was measured
        reply = browser.send("Runtime.evaluate", {"expression": _POINT_JS, "returnByValue": True},
                             session=session)  # fmt: skip
        where = json.loads(reply["result"]["value"])
        point = {"x": where["x"], "y": where["y"], "button": "left", "clickCount": 1}
        browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", **point}, session=session)
        time.sleep(0.2 * (attempt + 1))
        for kind in ("mousePressed", "mouseReleased"):
            browser.send("Input.dispatchMouseEvent", {"type": kind, **point}, session=session)
        time.sleep(0.2)
        reply = browser.send("Runtime.evaluate", {"expression": "location.hash", "returnByValue": True},
                             session=session)  # fmt: skip
        hash_value = reply["result"].get("value", "")
        if hash_value:
            break
    return hash_value


def _errors(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(
                " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            )
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append(str(details.get("exception", {}).get("description") or details.get("text")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            found.append(str(params["entry"].get("text")))
    return found
