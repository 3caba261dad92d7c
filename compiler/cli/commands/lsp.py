"""`adflow lsp`"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import NoReturn

from ._shared import UsageError

INSTALL_HINT = "pip install 'adflow[lsp]' (or: pip install 'pygls>=2,<3' lsprotocol)"


def configure(parser: argparse.ArgumentParser) -> None:
    # Editors' clients often pass --stdio; stdio is the only transport anyway.
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")


def run(args: argparse.Namespace) -> NoReturn:
    try:
        from ...editor.lsp import serve  # imported here only: `adflow check` never loads pygls
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("pygls", "lsprotocol", "cattrs"):
            raise UsageError(f"the language server needs pygls and lsprotocol: {INSTALL_HINT}") \
                from None
        raise
    code = serve()  # 0 after shutdown and exit, 1 after exit alone
    # Work still running beside the server's event loop (a check, an
    # outline) is abandoned, not waited for: the client said exit, and the
    # server writes no files.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
