"""`adflow sandbox [--host H] [--port N] [--record FILE] [--fail N:WHAT ...]`"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from ._shared import UsageError

DEFAULT_PORT = 8765


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--record", metavar="FILE",
                        help="append one JSON line per request (token removed)")
    parser.add_argument("--fail", action="append", default=[], metavar="N:WHAT",
                        help="make request N fail once: CODE[/SUBCODE][:FIELD.PATH] "
                             "(a Graph error, blaming that field), 500, or drop")


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from ...tools.sandbox import GraphSandbox, make_server, parse_failures, url_of

    try:
        failures = parse_failures(args.fail)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: not a port number")
    record = None
    if args.record:
        try:
            # Open for the server's whole life; closed when it stops (below).
            record = open(args.record, "a", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"cannot write {args.record}: {exc.strerror or exc}") from None
    try:
        server = make_server(args.host, args.port, GraphSandbox(failures, record))
    except (OSError, OverflowError) as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: "
                         f"{getattr(exc, 'strerror', None) or exc}") from None
    signal.signal(signal.SIGTERM, _stop)
    url = url_of(server)
    print(f"listening on {url}", flush=True)
    # stdout's one line is for scripts; a person reading the terminal gets the next step.
    print(f"adflow: note: run a bundle against it with GRAPH_API_URL={url} "
          f"META_ACCESS_TOKEN=x bash create.sh (any token will do; Ctrl-C stops the sandbox)",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if record is not None:
            record.close()
    sys.stdout.flush()
    return 0
