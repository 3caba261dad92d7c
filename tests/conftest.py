"""Shared test set-up: Hypothesis profiles and the golden-file switch."""

from __future__ import annotations

import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
ADFLOW = str(Path(sys.executable).with_name("adflow"))

# "dev" for local runs, "ci" (fewer examples) for CI, "fuzz" for `make fuzz`.
settings.register_profile("dev", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# D004 compares API versions' expiry with today: pin the day (for this process
# and the console scripts it starts) so results do not change with the
# calendar. 1 Mar 2026: v25.0 is out, v23.0 not yet expired.
PINNED_DAY = "1772323200"
os.environ["SOURCE_DATE_EPOCH"] = PINNED_DAY


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file, or rewrite it under --update-golden."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs; run pytest --update-golden"


class Loopback:
    """A threaded HTTP server on 127.0.0.1 answering with `handler`, for the
    tests' stand-ins for Meta (scripted answers, fault proxies); `close()`
    stops it. A client killed or timed out mid-answer is what those tests do,
    so such errors are not printed."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)


class LoopbackProxy:
    """A proxy the tests put between a bundle and the sandbox: it counts the
    requests it forwards (under `lock`) and may hold an answer back (`held`
    is set then) until `release()`. Its subclass's `Handler` is served from
    `serve()`; the `with` block releases and stops it."""

    def __init__(self, upstream: str) -> None:
        from urllib.parse import urlsplit

        self.upstream = urlsplit(upstream)
        self.count = 0
        self.held = threading.Event()
        self.lock = threading.Lock()
        self._release = threading.Event()

    def serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = Loopback(handler)
        self.url = self._server.url

    def release(self) -> None:
        self._release.set()

    def wait_for_release(self, timeout: float) -> None:
        self._release.wait(timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self._server.close()
