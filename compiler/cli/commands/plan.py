"""`adflow plan FILE --state STATE [--refresh] [--format text|json|markdown] [-o FILE]`

What applying the file with this state would change. Exit 0 (changes or not);
1 when the file has errors; 2 for usage and I/O problems. The JSON form (the
default for `-o NAME.json`) is also a saved plan: `adflow apply --plan NAME.json`
and `adflow compile --emit curl --plan NAME.json` carry out exactly what it
decided (compiler/apply/saved.py).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys

from ._shared import UsageError, compilable, unreadable, write


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the .adflow file as it should be")
    parser.add_argument("--state", required=True, metavar="STATE",
                        help="the state file the bundle writes (required): BUNDLE.state "
                             "(create.sh.state for create.sh; before the first run it does not "
                             "exist, and everything is to be created), or what ADFLOW_STATE "
                             "named when it ran")
    parser.add_argument("--refresh", action="store_true",
                        help="also read the live objects (GET /{id}) and report changes made "
                             "outside adflow; needs META_ACCESS_TOKEN, uses GRAPH_API_URL")
    parser.add_argument("--format", choices=("text", "json", "markdown"),
                        help="text (the default), json (adflow.changes/1, for tools, and a "
                             "saved plan for adflow apply --plan; the default for -o "
                             "NAME.json) or markdown (a summary and a table, for a pull "
                             "request comment)")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from ...tools import changes

    token = os.environ.get("META_ACCESS_TOKEN", "")
    if args.refresh and not token:
        raise UsageError("--refresh reads from Meta: set META_ACCESS_TOKEN")
    # What compile would emit: a file is planned exactly when it compiles.
    document = compilable(args.file)
    state_bytes = b""
    try:
        state_bytes = _state_bytes(args.state)
        state = changes.read_state(state_bytes.decode("utf-8", errors="replace"))
    except FileNotFoundError:
        sys.stderr.write(f"adflow: note: {args.state} does not exist yet: "
                         "everything would be created\n")
        state = {}
    except OSError as exc:
        raise unreadable(args.state, exc) from None
    except changes.StateError as exc:  # never read damage as "not created"
        where = f"{args.state}:{exc.line}" if exc.line else args.state
        raise UsageError(f"{where}: {exc}") from None
    live = None
    if args.refresh:
        base = os.environ.get("GRAPH_API_URL") or changes.DEFAULT_GRAPH_URL
        try:
            live = changes.read_live(document, state, base, token)
        except changes.RefreshError as exc:
            raise UsageError(f"--refresh: {exc}") from None
    found = changes.plan_changes(document, state, live)
    form = args.format or ("json" if (args.output or "").endswith(".json") else "text")
    if form == "json":
        from ...apply import saved as savedplan

        text = savedplan.render(document, found, args.state, state_bytes)
    elif form == "markdown":
        text = changes.render_markdown(document, found)
    else:
        text = changes.render_text(found)
    write(text, args.output, inputs=[args.file, args.state])  # -o never overwrites an input
    return 0


def _state_bytes(path: str) -> bytes:
    """The state file's bytes. Opened without blocking and read only if it is
    a regular file: a FIFO or /dev/zero named as the state must not hang."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise UsageError(f"cannot read {path}: it is not a regular file")
        return f.read()
