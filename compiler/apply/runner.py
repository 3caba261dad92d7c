"""Carrying out a plan at Meta from Python (`adflow apply`), with the curl
bundle's promises and over the same state file (compiler/tools/changes.py
reads it):

- one run at a time: an exclusive flock(2) on `REAL_STATE.lock`, the file
  the bundle's flock(1) takes, so a bundle and an apply never run together;
- a create is marked `{"key", "pending": true}` before it is sent and its
  id recorded as it arrives; a line is whole or absent (taken back when a
  full disk cuts it);
- a create whose outcome is unknown (no answer, a cut or late answer, a 2xx
  that is not JSON, codes 1 and 2, an id beside an error) is never repeated:
  the run stops with exit 3 until `--assume-created KEY=ID` or `--retry-unknown`;
- retries are decided by Meta's codes (compiler/facts/errors.py), never by
  message text; throttling waits what Meta's usage headers ask, and a run slows down
  before a limit (https://developers.facebook.com/docs/graph-api/overview/rate-limiting,
  https://developers.facebook.com/docs/marketing-apis/rate-limiting);
- the token comes from META_ACCESS_TOKEN only and travels in the
  Authorization header; redirects are never followed.

Bodies are sent as the exact text the bundle sends (emitters/curl.py `wire`),
so both runtimes write the same state; independent requests go in Graph
batches (batch.py), each item recorded as if it had been sent alone. What
to do is decided before (a list of `Step`s, from `adflow plan`'s
decisions); this module only carries it out.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Protocol
from urllib.parse import urlencode

from ..bodies.model import iter_refs
from ..facts.errors import (
    NEVER_RETRY_CODES,
    OUTCOME_UNKNOWN_CODES,
    RATE_LIMIT_CODES,
    RETRYABLE_CODES,
    THROTTLING_SUBCODES,
)
from ..tools import changes
from . import batch

DEFAULT_GRAPH_URL = changes.DEFAULT_GRAPH_URL
MAX_WAIT_MINUTES = 1440  # a longer wait Meta asks for stops the run (as the bundle does)
CONNECT_TIMEOUT = 10.0
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9._|-]+")
_URL_SHAPE = re.compile(r"(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?"
                        r"(/[A-Za-z0-9._~/-]*)?")
_PATH_SHAPE = re.compile(r"(act_)?[0-9]+/[a-z_]+")
_ID = re.compile(r"[0-9]+")
SIGNAL_STATUS = {"SIGHUP": 129, "SIGINT": 130, "SIGQUIT": 131, "SIGTERM": 143}


class Stop(Exception):
    """The run ends with `status`; `message` (lines) goes to stderr."""

    def __init__(self, status: int, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.status = status
        self.lines = lines


# -- settings from the environment ----------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    graph_url: str
    token: str
    timeout: float = 120.0
    retry_base_ms: int = 1000
    max_attempts: int = 6
    warnings: tuple[str, ...] = ()


def _whole_number(name: str, env: Mapping[str, str], default: int, low: int, high: int) -> int:
    text = env.get(name, "") or str(default)
    if not re.fullmatch(r"0|[1-9][0-9]{0,8}", text) or not low <= int(text) <= high:
        raise Stop(2, f"{name} takes a whole number from {low} to {high}")
    return int(text)


def graph_url(env: Mapping[str, str]) -> tuple[str, list[str]]:
    """GRAPH_API_URL judged as the bundle judges it: no user info, query or
    fragment; http:// only for a local server (another warns)."""
    url = (env.get("GRAPH_API_URL") or DEFAULT_GRAPH_URL).removesuffix("/")
    if "@" in url:
        raise Stop(2, "GRAPH_API_URL holds user info (an @): the token goes in a header, "
                      "never in the URL")
    found = _URL_SHAPE.fullmatch(url)
    if found is None:
        raise Stop(2, "GRAPH_API_URL must be https://HOST[:PORT][/PATH] (or http:// for a "
                      "local test server)")
    warnings = []
    if found.group(1) == "http" and found.group(2).lower() not in (
            "127.0.0.1", "localhost", "[::1]"):
        warnings.append("GRAPH_API_URL is not https: the token would cross the network in "
                        "clear text")
    return url, warnings


def settings_from(env: Mapping[str, str], *, need_token: bool) -> Settings:
    url, warnings = graph_url(env)
    token = env.get("META_ACCESS_TOKEN", "")
    if need_token:
        if not token:
            raise Stop(2, "META_ACCESS_TOKEN is not set: export a Marketing API token "
                          "(ads_management) and run again")
        if not _TOKEN_SHAPE.fullmatch(token):
            raise Stop(2, "META_ACCESS_TOKEN holds characters no access token has")
    return Settings(url, token,
                    timeout=float(_whole_number("ADFLOW_TIMEOUT", env, 120, 1, 86400)),
                    retry_base_ms=_whole_number("ADFLOW_RETRY_BASE_MS", env, 1000, 0, 300000),
                    max_attempts=_whole_number("ADFLOW_MAX_ATTEMPTS", env, 6, 1, 100),
                    warnings=tuple(warnings))


# -- what to carry out ----------------------------------------------------------------------------


@dataclass
class Step:
    """One object of the plan and what was decided for it: `action` is one
    of changes.ACTIONS; `fields` the top-level fields an update sends."""

    key: str
    action: str
    id: str | None
    fields: tuple[str, ...]
    path: str
    body: dict[str, Any]
    source: dict[str, Any]
    source_map: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return (f"{changes.clean(self.key)} ({changes.clean(str(self.source.get('file', '?')))}:"
                f"{self.source.get('line', '?')})")


def steps_of(plan_requests: list[dict[str, Any]], decided: list[changes.Change]) -> list[Step]:
    """Steps in creation order from the plan's requests (emitters/requests.py's
    shape) and the changes decided for them (orphans are left alone)."""
    by_key = {c.key: c for c in decided}
    steps = []
    for request in plan_requests:
        change = by_key[request["key"]]
        steps.append(Step(request["key"], change.action, change.id, tuple(change.fields),
                          request["path"], request["body"], request["source"],
                          request.get("source_map") or {}))
    return steps


# -- bodies as the bundle sends them --------------------------------------------------------------


class MissingId(Exception):
    """A body needs the id of an object that does not exist yet."""


def body_text(body: Any, ids: Mapping[str, str]) -> str:
    """The exact JSON text the bundle sends for `body` (its `wire` pieces
    joined, each id as a JSON string, escaped once per `$json` level)."""
    from adflow.emitters.curl import wire

    parts = []
    for piece in wire(body):
        if isinstance(piece, str):
            parts.append(piece)
            continue
        key = piece["ref"]
        if key not in ids:
            raise MissingId(key)
        text = json.dumps(ids[key])
        for _ in range(piece["depth"]):
            text = json.dumps(text)[1:-1]
        parts.append(text)
    return "".join(parts)


def fields_text(body: Mapping[str, Any], names: tuple[str, ...], ids: Mapping[str, str],
                validate: bool) -> str:
    """An update's body: only the changed top-level fields, in the plan's words."""
    members = [json.dumps(name) + ":" + body_text(body[name], ids) for name in names]
    if validate:
        members.append('"execution_options":["validate_only"]')
    return "{" + ",".join(members) + "}"


# -- the state file: lock and whole lines ---------------------------------------------------------


def _regular_or_none(path: str, what: str) -> None:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise Stop(2, f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise Stop(2, f"{what} {path} is not a regular file")


class StateFile:
    """The state file of a run: locked, read and appended to whole lines."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock: int | None = None

    def lock(self, *, writable: bool) -> None:
        """Before any request: the state must be writable and this run alone.
        The kernel drops the lock when the process ends, however it ends."""
        _regular_or_none(self.path, "the state file")
        if writable:
            try:
                os.close(os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666))
            except OSError:
                raise Stop(2, f"cannot write the state file {self.path}: "
                              f"{self._problem()}") from None
        lock_path = os.path.realpath(self.path) + ".lock"
        _regular_or_none(lock_path, "the lock file")
        try:
            fd = os.open(lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError:
            raise Stop(2, f"cannot open the lock file {lock_path} (next to the state "
                          "file)") from None
        if not _try_lock(fd):
            os.close(fd)
            raise Stop(2, f"another run is using {self.path} (it holds {lock_path}); "
                          "wait for it to end")
        self._lock = fd

    def _problem(self) -> str:
        folder = os.path.dirname(self.path) or "."
        if os.path.isdir(self.path):
            return "it is a folder"
        if not os.path.isdir(folder):
            return f"its folder {folder} does not exist"
        return "it cannot be written"

    def read_bytes(self) -> bytes:
        _regular_or_none(self.path, "the state file")
        try:
            with open(self.path, "rb") as f:
                return f.read()
        except FileNotFoundError:
            return b""
        except OSError as exc:
            raise Stop(2, f"cannot read the state file {self.path}: "
                          f"{exc.strerror or exc}") from None

    def records(self) -> dict[str, changes.Record]:
        """The state as adflow plan reads it; damage stops the run (exit 2)."""
        try:
            return changes.read_state(self.read_bytes().decode("utf-8", errors="replace"))
        except changes.StateError as exc:
            where = f"{self.path}:{exc.line}" if exc.line else self.path
            raise Stop(2, f"{where}: {exc}; it records what exists at Meta: repair that line "
                          "by hand (an id that could not be recorded was printed when it "
                          "happened)") from None

    def append(self, line: str) -> str | None:
        """Append one whole line; None when written, else why not (the part
        that was written is taken back)."""
        data = line.encode("utf-8") + b"\n"
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as exc:
            return exc.strerror or str(exc)
        try:
            size = os.fstat(fd).st_size
            if size > 0 and os.pread(fd, 1, size - 1) != b"\n":
                return "its last line is not whole"
            try:
                written = 0
                while written < len(data):
                    written += os.write(fd, data[written:])
                if os.fstat(fd).st_size == size + len(data):
                    return None
                fault = f"{os.fstat(fd).st_size} bytes where {size + len(data)} were expected"
            except OSError as exc:
                fault = exc.strerror or str(exc)
            try:
                os.ftruncate(fd, size)
            except OSError:
                fault += "; the cut line could not be taken back"
            return fault
        finally:
            os.close(fd)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def line_text(**members: Any) -> str:
    """A state line; `fields` is spliced in as the exact body text sent,
    `replaces` after it (the bundle's order: both write the same bytes)."""
    body = members.pop("fields", None)
    replaces = members.pop("replaces", None)
    text = json.dumps(members, ensure_ascii=False, separators=(",", ":"))
    if body is not None:
        text = text[:-1] + ',"fields":' + body + "}"
    if replaces is not None:
        text = text[:-1] + ',"replaces":' + json.dumps(replaces) + "}"
    return text


# -- Meta's answers -------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int | None  # None: no HTTP answer
    answer: Any  # the first JSON value of the body, None when there is none
    headers: Mapping[str, str]
    problem: str = ""  # why there is no answer
    sent: bool = True  # False: nothing reached Meta (no connection)


def first_json(data: bytes) -> Any:
    """The answer's first JSON value (bytes a proxy appends are ignored)."""
    text = data.decode("utf-8", errors="replace").lstrip()
    try:
        return json.JSONDecoder().raw_decode(text)[0]
    except (ValueError, RecursionError):
        return None


def _code(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def throttled(reply: Reply) -> bool:
    error = changes.error_of(reply.answer)
    return error is not None and (_code(error.get("code")) in RATE_LIMIT_CODES
                                  or _code(error.get("error_subcode"))
                                  in THROTTLING_SUBCODES)


def verdict(reply: Reply) -> str:
    """ok | retry | unsure | fail | unknown, by Meta's codes, never by text."""
    if reply.status is None:
        return "unknown" if reply.sent else "retry"
    error = changes.error_of(reply.answer)
    if error is not None:
        code = _code(error.get("code"))
        if "id" in reply.answer:  # an id beside the error: something may have been made
            return "unsure"
        if throttled(reply):
            return "retry"
        if code in NEVER_RETRY_CODES:
            return "fail"
        if code in OUTCOME_UNKNOWN_CODES:
            return "unsure"
        if code in RETRYABLE_CODES or error.get("is_transient") is True:
            return "retry"
        return "fail"
    if 200 <= reply.status < 300 and reply.answer is not None:
        return "ok"
    return "unknown"


@dataclass(frozen=True)
class Usage:
    """The highest share of a limit Meta's usage headers report."""

    percent: float = 0.0
    what: str = ""  # e.g. "X-Ad-Account-Usage acc_id_util_pct"
    regain_seconds: float = 0.0  # what Meta asks to wait, 0 when nothing


USAGE_HEADERS = ("X-Business-Use-Case-Usage", "X-Ad-Account-Usage", "X-App-Usage")
_PERCENTS = ("call_count", "total_cputime", "total_time", "acc_id_util_pct")


def usage_of(headers: Mapping[str, str]) -> Usage:
    """Read the three usage headers: percentages of a limit, and the wait
    Meta asks for (`estimated_time_to_regain_access`, minutes;
    `reset_time_duration`, seconds, when the account is at its limit)."""
    best = Usage()
    regain = 0.0
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in USAGE_HEADERS:
        text = lowered.get(name.lower())
        if text is None:
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            continue
        for entry in _objects(value):
            for member in _PERCENTS:
                number = _number(entry.get(member))
                if number is not None and number > best.percent:
                    kind = entry.get("type")
                    label = f"{name} {member}" + (f" ({kind})" if isinstance(kind, str) else "")
                    best = Usage(number, changes.clean(label))
            minutes = _number(entry.get("estimated_time_to_regain_access"))
            if minutes is not None:
                regain = max(regain, minutes * 60)
            reset = _number(entry.get("reset_time_duration"))
            util = _number(entry.get("acc_id_util_pct"))
            if reset is not None and util is not None and util >= 100:
                regain = max(regain, reset)
    return Usage(best.percent, best.what, regain)


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if number == number and 0 <= number < 1e12 else None


SLOW_FROM = 75.0  # percent of a limit from which a run slows down


def slowdown_seconds(usage: Usage, base_ms: int) -> float:
    """How long to pause before the next request: nothing below SLOW_FROM
    percent, then up to ten times the retry base at the limit."""
    if usage.percent < SLOW_FROM:
        return 0.0
    share = min(usage.percent, 100.0) - SLOW_FROM
    return base_ms / 1000 * 10 * share / (100.0 - SLOW_FROM)


# -- the run --------------------------------------------------------------------------------------


@dataclass
class Options:
    validate_only: bool = False
    activate: bool = False
    retry_unknown: bool = False
    assumed: tuple[tuple[str, str], ...] = ()
    batch: bool = True
    resume_command: str = "adflow apply"  # what a person runs again, shell-quoted
    plan_tag: str | None = None  # a saved plan's id, written into each line


@dataclass
class Tally:
    sent: int = 0
    created: list[tuple[str, str]] = field(default_factory=list)
    updated: list[tuple[str, str]] = field(default_factory=list)
    replaced: list[tuple[str, str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    activated: list[tuple[str, str]] = field(default_factory=list)


class Output:
    """Progress for a person: plain lines (CI, logs, pipes), and on a
    terminal a live status line for what is in flight and each wait."""

    def __init__(self, out: IO[str], err: IO[str]) -> None:
        self.out, self.err = out, err
        self.live = err.isatty() and os.environ.get("TERM", "") != "dumb"
        self._shown = False

    def say(self, text: str) -> None:
        self._clear()
        self.out.write(text + "\n")
        self.out.flush()

    def warn(self, text: str) -> None:
        self._clear()
        self.err.write(f"adflow apply: {text}\n")
        self.err.flush()

    def status(self, text: str) -> None:
        """What is happening now: a live line on a terminal, nothing in a log."""
        if self.live:
            self.err.write("\r\x1b[K" + text[:200])
            self.err.flush()
            self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self.err.write("\r\x1b[K")
            self._shown = False


JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


class Client(Protocol):
    def __call__(self, method: str, url: str, body: str, content_type: str = JSON) -> Reply:
        """Send `body` (of `content_type`) and read the reply."""


def http_client(settings: Settings) -> tuple[Client, Callable[[], None]]:
    """An httpx client that sends the token in the Authorization header and
    follows no redirect; returns (send, close)."""
    import httpx

    client = httpx.Client(follow_redirects=False, timeout=httpx.Timeout(
        settings.timeout, connect=min(CONNECT_TIMEOUT, settings.timeout)))
    auth = f"OAuth {settings.token}"

    def send(method: str, url: str, body: str, content_type: str = JSON) -> Reply:
        headers = {"Authorization": auth, "Content-Type": content_type}
        try:
            response = client.request(method, url, content=body.encode("utf-8"),
                                      headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return Reply(None, None, {}, _reason(exc), sent=False)
        except httpx.HTTPError as exc:  # sent, or part of it: the outcome is unknown
            return Reply(None, None, {}, _reason(exc))
        return Reply(response.status_code, first_json(response.content),
                     dict(response.headers))

    return send, client.close


def _reason(exc: Exception) -> str:
    # httpx's messages name the URL at most, never a header: no token in them.
    return changes.clean(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


class Run:
    """One `adflow apply`: carries out `steps` against `state`."""

    def __init__(self, steps: list[Step], api_version: str, state: StateFile,
                 settings: Settings, options: Options, output: Output,
                 client: Client | None = None) -> None:
        self.steps = steps
        self.api_version = api_version
        self.state = state
        self.settings = settings
        self.options = options
        self.out = output
        self.base = f"{settings.graph_url}/{api_version}"
        self._client = client
        self.tally = Tally()
        self.caught = 0  # the exit status of a signal that came, 0 when none
        self.in_flight = False
        self.pending_key: str | None = None
        self.ids: dict[str, str] = {}
        self.current = ""  # the label of the step in flight, for the live line
        # The clock and the sleep waits use (tests put in their own: no real waiting).
        self.clock: Callable[[], float] = time.monotonic
        self.sleep: Callable[[float], None] = time.sleep

    # -- signals ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def signals(self) -> Iterator[None]:
        """A signal while a create is in flight waits for its answer to be
        recorded (a second Ctrl-C stops without it: the create stays pending)."""
        names = [n for n in SIGNAL_STATUS if hasattr(signal, n)]
        old = {n: signal.getsignal(getattr(signal, n)) for n in names}

        def caught(number: int, frame: Any) -> None:
            status = SIGNAL_STATUS[signal.Signals(number).name]
            if not self.in_flight or (self.caught and number == signal.SIGINT):
                self.caught = status
                raise KeyboardInterrupt
            self.caught = status
            self.out.warn("waiting for the answer to the request in flight, to record it "
                          "(Ctrl-C again stops without it)")

        for name in names:
            signal.signal(getattr(signal, name), caught)
        if hasattr(signal, "SIGXFSZ"):  # a size limit fails the write, which is taken back
            old["SIGXFSZ"] = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        try:
            yield
        finally:
            for name, handler in old.items():
                signal.signal(getattr(signal, name), handler)

    def pause(self, seconds: float, why: str) -> None:
        """Sleep in slices, so that a signal cuts the wait short."""
        end = self.clock() + seconds
        while not self.caught:
            left = end - self.clock()
            if left <= 0:
                break
            self.out.status(f"{why}: {left:.0f} s left")
            self.sleep(min(left, 0.5))

    # -- sending ---------------------------------------------------------------------------

    def client(self) -> Client:
        if self._client is None:
            self._client, closer = http_client(self.settings)
            self._close = closer
        return self._client

    def close(self) -> None:
        if getattr(self, "_close", None) is not None:
            self._close()

    def post(self, step: Step, url: str, body: str, repeatable: bool) -> Reply:
        """Send with retries. Unless `repeatable` (an update, a validation,
        an activation), a request is sent again only after an answer that
        proves it was not carried out."""
        attempt = 1
        while True:
            if self.caught:
                self.settle_pending()
                raise Stop(self.caught)
            self.out.status(f"{self.current or changes.clean(step.key)}: sending "
                            f"(attempt {attempt})")
            try:
                reply = self.client()("POST", url, body)
            except KeyboardInterrupt:
                if repeatable:  # nothing recorded: a re-run sends it again
                    raise Stop(self.caught or 130) from None
                raise Stop(self.caught or 130,
                           f"stopped while waiting for the answer to {step.where}: it stays "
                           f"pending in {self.state.path}", *self.how_to_resume(step)) from None
            outcome = verdict(reply)
            if outcome in ("unknown", "unsure"):
                if not repeatable:
                    self.unknown_outcome(step, reply)
                outcome = "retry"  # an update repeats safely (after a signal, on a re-run)
            if outcome == "ok":
                self.tally.sent += 1
                self.slow_down(reply)
                return reply
            if outcome != "retry":
                self.refused(step, reply)
            if attempt >= self.settings.max_attempts:
                self.out.warn(f"giving up after {attempt} attempts")
                if reply.status is None:
                    self.settle_pending()
                    raise Stop(2, reply.problem)
                self.refused(step, reply)
            usage = usage_of(reply.headers)
            if usage.regain_seconds > MAX_WAIT_MINUTES * 60:
                self.out.warn("Meta asks to wait more than a day before the next call: this "
                              "run stops; run it again later")
                self.refused(step, reply)
            delay = self.settings.retry_base_ms * (1 << (attempt - 1)) / 1000
            delay = min(delay, 300.0)
            delay = delay / 2 + random.uniform(0, delay / 2)
            if throttled(reply):
                error = changes.error_of(reply.answer) or {}
                code = f"{changes.clean(str(error.get('code')))}" + (
                    f"/{changes.clean(str(error['error_subcode']))}"
                    if "error_subcode" in error else "")
                if usage.regain_seconds > 0:
                    delay = max(delay, usage.regain_seconds)
                    why = (f"throttled by Meta (code {code}): waiting {_duration(delay)}, as "
                           "estimated_time_to_regain_access asks")
                else:
                    why = f"throttled by Meta (code {code}): waiting {_duration(delay)}"
            else:
                delay = max(delay, usage.regain_seconds)
                why = f"retrying {changes.clean(step.key)} in {_duration(delay)}"
            self.out.warn(f"{why} (attempt {attempt + 1} of {self.settings.max_attempts})")
            self.pause(delay, why)
            attempt += 1

    def slow_down(self, reply: Reply) -> None:
        usage = usage_of(reply.headers)
        pause = slowdown_seconds(usage, self.settings.retry_base_ms)
        if usage.regain_seconds > 0 and usage.percent >= 100:
            pause = max(pause, usage.regain_seconds)
        if pause > 0:
            why = (f"slowing down: Meta reports {usage.percent:g}% of a limit used "
                   f"({usage.what}): waiting {_duration(pause)}")
            self.out.warn(why)
            self.pause(pause, why)

    # -- outcomes --------------------------------------------------------------------------

    def record(self, **members: Any) -> str | None:
        text = line_text(**members)
        if self.options.plan_tag is not None:  # last, where the bundle puts it
            text = text[:-1] + f',"plan":{json.dumps(self.options.plan_tag)}}}'
        return self.state.append(text)

    def settle_pending(self) -> None:
        """The answer proved the create was not carried out."""
        if self.pending_key is not None:
            fault = self.record(key=self.pending_key, pending=False)
            if fault is not None:
                self.out.warn(f"cannot record in {self.state.path} that the create was "
                              f"refused ({fault}): a re-run stops at it")
            self.pending_key = None

    def refused(self, step: Step, reply: Reply) -> None:
        self.settle_pending()
        lines = [f"Meta refused {step.where}"]
        error = changes.error_of(reply.answer)
        if error is not None:
            paths = changes.blamed_paths(error)
            file, line, column = changes.place_of(
                {"source": step.source, "source_map": step.source_map},
                paths[0] if paths else None)
            lines.append(f"{changes.clean(file)}:{line}:{column}: "
                         f"{changes.graph_error_text(reply.answer)}")
            lines.append(f"  fbtrace_id: {changes.clean(str(error.get('fbtrace_id', '-')))}")
        else:
            lines.append(f"  HTTP {reply.status}, an answer that is not Graph API JSON")
        raise Stop(1, *lines)

    def how_to_resume(self, step: Step) -> list[str]:
        name = step.body.get("name")
        named = f' (name "{changes.clean(name)}")' if isinstance(name, str) else ""
        key = changes.shell_word(step.key)
        return [f"  look for it in Ads Manager{named}, or GET "
                f"{changes.clean(self.base)}/{changes.clean(step.path)}?fields=id,name",
                f"  if it exists, go on with: {self.options.resume_command} "
                f"--assume-created {changes.clean(key)}=ID",
                f"  if it does not, send it again with: {self.options.resume_command} "
                "--retry-unknown"]

    def unknown_outcome(self, step: Step, reply: Reply) -> None:
        if reply.status is None:
            reason = reply.problem or "no answer"
        elif changes.error_of(reply.answer) is not None:
            reason = (f"{changes.graph_error_text(reply.answer)} (HTTP {reply.status}), which "
                      "does not say whether it was carried out")
        else:
            reason = f"HTTP {reply.status} without a Graph API answer"
        raise Stop(3, f"no answer for {step.where} after it was sent: {reason}",
                   "it may or may not exist at Meta now; it is recorded as pending in "
                   f"{self.state.path}", *self.how_to_resume(step))

    def lost_id(self, step: Step, new_id: str, fault: str) -> None:
        raise Stop(2, f"{step.where} was created as {new_id}, but the state file "
                      f"{self.state.path} cannot record it: {fault}",
                   f"  once it can be written, go on with: {self.options.resume_command} "
                   f"--assume-created {changes.clean(changes.shell_word(step.key))}={new_id}")

    # -- the plan, step by step ------------------------------------------------------------

    def start(self, records: Mapping[str, changes.Record]) -> None:
        """Ids known before the first request (a pending key has none)."""
        self.ids = {k: r.id for k, r in records.items() if r.id is not None and not r.pending}

    def run(self, records: Mapping[str, changes.Record]) -> Tally:
        try:
            return self._run(records)
        except KeyboardInterrupt:  # a signal between requests (a wait, a state write)
            raise Stop(self.caught or 130) from None

    def _run(self, records: Mapping[str, changes.Record]) -> Tally:
        self.start(records)
        total = len(self.steps)
        todo: list[tuple[str, Step]] = []  # waiting to go out in one Graph batch
        for number, step in enumerate(self.steps, 1):
            label = (f"[{number}/{total}] {changes.clean(step.key)} "
                     f"(line {step.source.get('line', '?')})")
            if step.action in ("none", "done"):
                if step.id is not None:
                    self.ids[step.key] = step.id
                if step.action == "none":
                    self.tally.unchanged.append((step.key, step.id or ""))
                    self.out.say(f"{label}: unchanged, id {step.id}")
                else:
                    self.out.say(f"{label}: done by an earlier run of this plan, id {step.id}")
                continue
            if step.action == "pending":  # handled before the run: never sent blindly
                raise Stop(2, f"{label}: pending; this is a bug in adflow")
            if self.options.batch and not self.options.validate_only:
                if not self.fits(todo, step):
                    self.send_together(todo)
                    todo = []
                todo.append((label, step))
                continue
            self.send_alone(label, step)
        self.send_together(todo)
        if self.options.activate and not self.options.validate_only:
            self.activate()
        return self.tally

    def send_alone(self, label: str, step: Step) -> None:
        self.current = label
        if step.action == "update":
            self.update(step, label)
        else:
            self.create(step, label, replaces=step.id if step.action == "replace" else None)
        self.stop_if_caught(label)

    def stop_if_caught(self, label: str) -> None:
        if self.caught:
            self.out.warn(f"stopped by a signal; {label} is recorded, a re-run goes on "
                          "from there")
            raise Stop(self.caught)

    # -- Graph batches ---------------------------------------------------------------------

    def fits(self, todo: list[tuple[str, Step]], step: Step) -> bool:
        """Whether `step` may join the batch `todo`: room left, every id it
        needs known or made earlier in the batch, no second ad set of one
        campaign, and no text of the user's that Meta would take for a reference."""
        if len(todo) >= batch.MAX_BATCH or batch.holds_reference_text(step.body):
            return False
        keys = {s.key for _, s in todo}
        if any(k not in self.ids and k not in keys for k in iter_refs(step.body)):
            return False
        campaign = batch.campaign_of(step.path, step.body)
        return campaign is None or all(
            batch.campaign_of(s.path, s.body) != campaign for _, s in todo)

    def send_together(self, todo: list[tuple[str, Step]]) -> None:
        """Send `todo` as one Graph batch (one alone as it is). Creates are
        marked pending first, as alone; each item's answer is judged and
        recorded as if it had been sent alone; what the batch could not
        settle (a retry, an item whose earlier item failed) is sent alone."""
        if len(todo) < 2:
            for label, step in todo:
                self.send_alone(label, step)
            return
        names = {step.key: f"s{number}" for number, (_, step) in enumerate(todo)}
        shown = {**self.ids, **{key: batch.reference(name) for key, name in names.items()}}
        items = []
        for _, step in todo:
            if step.action == "update":
                assert step.id is not None
                url, text = step.id, fields_text(step.body, step.fields, shown, False)
            else:
                if not _PATH_SHAPE.fullmatch(step.path):
                    raise Stop(2, f"{changes.clean(step.key)}: unexpected path "
                                  f"{changes.clean(step.path)}")
                url, text = step.path, body_text(step.body, shown)
            items.append({"method": "POST", "relative_url": f"{self.api_version}/{url}",
                          "name": names[step.key], "body": batch.form_text(text),
                          "omit_response_on_success": False})
        creates = [step for _, step in todo if step.action != "update"]
        self.in_flight = True
        for step in creates:
            fault = self.record(key=step.key, pending=True)
            if fault is not None:
                raise Stop(2, f"cannot write the state file {self.state.path}, so "
                              f"{step.where} was not sent: {fault}")
        form = urlencode({"batch": json.dumps(items, ensure_ascii=False, separators=(",", ":")),
                          "include_headers": "false"})
        self.current = f"{todo[0][0]} and {len(todo) - 1} more in one Graph batch"
        self.out.status(f"{self.current}: sending")
        try:
            reply = self.client()("POST", f"{self.base}/", form, FORM)
        except KeyboardInterrupt:
            raise Stop(self.caught or 130, "stopped while waiting for the answer to a batch: "
                       "its creates stay pending", *self.resume_lines(creates)) from None
        answers = reply.answer if isinstance(reply.answer, list) else None
        if reply.status != 200 or answers is None or len(answers) != len(items):
            self.batch_unanswered(todo, creates, reply)
            return
        failed: set[str] = set()
        unknown: list[Step] = []
        refusal: tuple[Step, Reply] | None = None
        redo: list[tuple[str, Step]] = []
        for (label, step), item in zip(todo, answers, strict=True):
            alone = _item_reply(item)
            outcome = verdict(alone)
            new_id = _new_id(alone)
            if outcome == "ok" and (step.action == "update" or new_id is not None):
                self.tally.sent += 1
                if new_id is not None and step.action != "update":
                    self.pending_key = step.key
                    self.created(step, label, new_id, step.id if step.action == "replace"
                                 else None)
                else:
                    self.updated(step, label)
                continue
            failed.add(step.key)
            # An item after a failed one it refers to was not carried out.
            after_failed = any(k in failed for k in iter_refs(step.body))
            if (step.action != "update" and not after_failed
                    and outcome in ("ok", "unknown", "unsure")):
                unknown.append(step)  # stays pending: it may exist at Meta
                continue
            if step.action != "update":
                self.pending_key = step.key
                self.settle_pending()  # the answer proves it was not carried out
            if after_failed or outcome != "fail":
                redo.append((label, step))
            elif refusal is None:
                refusal = (step, alone)
        self.in_flight = False
        self.slow_down(reply)
        if unknown:
            raise Stop(3, *[f"no usable answer for {s.where} in its batch: it may or may not "
                            "exist at Meta now; it is recorded as pending in "
                            f"{self.state.path}" for s in unknown],
                       *self.resume_lines(unknown))
        if refusal is not None:
            self.refused(*refusal)
        self.stop_if_caught(todo[-1][0])
        for label, step in redo:
            self.send_alone(label, step)

    def batch_unanswered(self, todo: list[tuple[str, Step]], creates: list[Step],
                         reply: Reply) -> None:
        """The batch as a whole got no answer of items: a refusal or a
        throttling proves nothing was carried out (each is then sent alone,
        after the wait Meta asks for); no answer leaves its creates unknown."""
        outcome = verdict(reply)
        if creates and outcome in ("unknown", "unsure"):
            reason = reply.problem or f"HTTP {reply.status} without the batch's answers"
            raise Stop(3, f"no answer to a batch of {len(todo)} requests after it was sent "
                          f"({changes.clean(reason)}): its creates may or may not exist at "
                          f"Meta now; they are recorded as pending in {self.state.path}",
                       *self.resume_lines(creates))
        for step in creates:
            self.pending_key = step.key
            self.settle_pending()
        self.in_flight = False
        if outcome == "fail":
            self.refused(todo[0][1], reply)
        if throttled(reply):
            usage = usage_of(reply.headers)
            delay = max(usage.regain_seconds, self.settings.retry_base_ms / 1000)
            why = f"throttled by Meta: waiting {_duration(delay)} before sending one at a time"
            self.out.warn(why)
            self.pause(delay, why)
        for label, step in todo:
            self.send_alone(label, step)

    def resume_lines(self, steps: list[Step]) -> list[str]:
        """What to run next for creates left pending: one --assume-created
        each that exists at Meta, --retry-unknown when none does."""
        lines = []
        for step in steps:
            lines += [f"  {step.where}:", *self.how_to_resume(step)]
        return lines

    def create(self, step: Step, label: str, replaces: str | None) -> None:
        if not _PATH_SHAPE.fullmatch(step.path):
            raise Stop(2, f"{label}: unexpected path {changes.clean(step.path)}")
        body = step.body
        if self.options.validate_only:
            body = {**body, "execution_options": ["validate_only"]}
        try:
            text = body_text(body, self.ids)
        except MissingId as missing:
            if self.options.validate_only:
                self.out.say(f"{label}: not validated, it needs ids that --validate-only does "
                             "not create")
                return
            raise Stop(2, f"{label}: needs the id of {changes.clean(str(missing))}") from None
        url = f"{self.base}/{step.path}"
        if self.options.validate_only:
            self.post(step, url, text, repeatable=True)
            self.out.say(f"{label}: valid")
            return
        # Marked pending before it is sent, so no run repeats it without being told to.
        self.in_flight = True
        fault = self.record(key=step.key, pending=True)
        if fault is not None:
            raise Stop(2, f"cannot write the state file {self.state.path}, so {label} was not "
                          f"sent: {fault}")
        self.pending_key = step.key
        reply = self.post(step, url, text, repeatable=False)
        new_id = _new_id(reply)
        if new_id is None:
            shown = changes.clean(json.dumps(reply.answer)[:300])
            raise Stop(3, f"{label}: Meta answered without a usable id, so it may exist "
                          f"without one recorded: {shown}", *self.how_to_resume(step))
        self.created(step, label, new_id, replaces)
        self.in_flight = False

    def created(self, step: Step, label: str, new_id: str, replaces: str | None) -> None:
        """Record a create Meta answered with `new_id`, as its body was sent."""
        text = body_text(step.body, self.ids)
        members: dict[str, Any] = {"key": step.key, "id": new_id, "path": step.path,
                                   "digest": changes.digest(json.loads(text)), "fields": text}
        if replaces is not None:
            members["replaces"] = replaces
        fault = self.record(**members)
        if fault is not None:
            self.lost_id(step, new_id, fault)
        self.pending_key = None
        self.ids[step.key] = new_id
        if replaces is not None:
            self.tally.replaced.append((step.key, replaces, new_id))
            self.out.say(f"{label}: replaced {replaces} with {new_id}")
        else:
            self.tally.created.append((step.key, new_id))
            self.out.say(f"{label}: created {new_id}")

    def update(self, step: Step, label: str) -> None:
        assert step.id is not None
        try:
            text = fields_text(step.body, step.fields, self.ids, self.options.validate_only)
            body_text(step.body, self.ids)  # what the state records needs every id
        except MissingId as missing:
            raise Stop(2, f"{label}: needs the id of {changes.clean(str(missing))}") from None
        self.post(step, f"{self.base}/{step.id}", text, repeatable=True)
        if self.options.validate_only:
            self.out.say(f"{label}: update valid")
            return
        self.updated(step, label)

    def updated(self, step: Step, label: str) -> None:
        """Record an update Meta carried out: the whole body, as a create's."""
        assert step.id is not None
        full = body_text(step.body, self.ids)
        fault = self.record(key=step.key, id=step.id, path=step.path,
                            digest=changes.digest(json.loads(full)), fields=full)
        if fault is not None:
            raise Stop(2, f"{label}: updated, but the state file {self.state.path} cannot "
                          f"record it ({fault}): a re-run sends the update again")
        self.ids[step.key] = step.id
        self.tally.updated.append((step.key, step.id))
        self.out.say(f"{label}: updated {step.id} ({', '.join(step.fields)})")

    def activate(self) -> None:
        """Ads are created PAUSED: set each ACTIVE once (the state records it)."""
        records = self.state.records()
        for step in self.steps:
            record = records.get(step.key)
            if (not step.path.endswith("/ads") or record is None or record.id is None
                    or record.activated):
                continue
            self.post(step, f"{self.base}/{record.id}", '{"status":"ACTIVE"}', repeatable=True)
            fault = self.record(key=step.key, activated=True)
            if fault is not None:
                raise Stop(2, f"ad {record.id} is ACTIVE, but the state file "
                              f"{self.state.path} cannot record it: {fault}")
            self.tally.activated.append((step.key, record.id))
            self.out.say(f"{changes.clean(step.key)}: ACTIVE")


def _new_id(reply: Reply) -> str | None:
    new_id = reply.answer.get("id") if isinstance(reply.answer, dict) else None
    return new_id if isinstance(new_id, str) and _ID.fullmatch(new_id) else None


def _item_reply(item: Any) -> Reply:
    """A batch item's answer ({code, headers, body: JSON text}) as the
    answer to that request alone; null (omitted) is no answer."""
    if not isinstance(item, dict) or not isinstance(item.get("code"), int):
        return Reply(None, None, {}, "the batch gave this request no answer")
    headers = {str(h.get("name")): str(h.get("value")) for h in item.get("headers") or []
               if isinstance(h, dict)}
    body = item.get("body")
    answer = first_json(body.encode("utf-8")) if isinstance(body, str) else None
    return Reply(item["code"], answer, headers)


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    if seconds >= 10:
        return f"{seconds:.0f} s"
    return f"{seconds:.1f} s"


def summary_lines(tally: Tally) -> list[str]:
    """The end of a run: counts, then each object touched with its id."""
    lines = [f"Apply complete: {len(tally.created)} created, {len(tally.updated)} updated, "
             f"{len(tally.replaced)} replaced, {len(tally.unchanged)} unchanged; "
             f"{tally.sent} request(s) sent."]
    lines += [f"  created   {changes.clean(k)} {i}" for k, i in tally.created]
    lines += [f"  updated   {changes.clean(k)} {i}" for k, i in tally.updated]
    lines += [f"  replaced  {changes.clean(k)} {old} -> {new}" for k, old, new in tally.replaced]
    lines += [f"  unchanged {changes.clean(k)} {i}" for k, i in tally.unchanged]
    lines += [f"  activated {changes.clean(k)} {i}" for k, i in tally.activated]
    return lines


def dry_run_lines(steps: list[Step], base: str, ids: Mapping[str, str]) -> list[str]:
    """What a run would send, token redacted; an id not known yet is shown
    as `(new id of KEY)`, as the bundle's --dry-run shows it."""
    known = dict(ids)
    lines: list[str] = []
    for step in steps:
        if step.action in ("none", "done"):
            continue
        where = f"({changes.clean(str(step.source.get('file')))}:{step.source.get('line')})"
        if step.action == "pending":
            lines += [changes.clean(f"# {step.key}: pending, outcome unknown: a run stops here "
                                    "(exit 3)"), ""]
            continue
        shown = {**{s.key: f"(new id of {s.key})" for s in steps}, **known}
        if step.action == "update":
            url, text = f"{base}/{step.id}", fields_text(step.body, step.fields, shown, False)
        else:
            url, text = f"{base}/{step.path}", body_text(step.body, shown)
            known.pop(step.key, None)
        lines += [changes.clean(f"POST {url}  # {step.action} {step.key} {where}"),
                  "Authorization: OAuth <redacted>", changes.clean(text), ""]
    return lines
