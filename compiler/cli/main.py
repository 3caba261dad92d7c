"""The `adflow` command line.

Each command lives in `adflow.compiler.cli.commands.<name>` with `configure(parser)`
and `run(args) -> exit status`; only the command being run is imported, which
keeps `adflow check` quick to start in pre-commit hooks.

Exit status: 0 no errors, 1 errors in the input, 2 usage, I/O or internal errors.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import io
import os
import sys
from collections.abc import Sequence

from .. import __version__
from .commands._shared import OutputError, UsageError

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import NoReturn

# name -> one-line help. The module of the same name implements it.
COMMANDS: dict[str, str] = {
    "check": "check .adflow files and Graph API JSON payloads",
    "compile": "compile a file into a plan (JSON) or a curl bundle",
    "plan": "show what applying a file would change, compared with a bundle's state",
    "apply": "carry out a plan at Meta (or a local sandbox) over the bundle's state file",
    "rules": "list every diagnostic code",
    "explain": "explain a diagnostic code, or a saved Graph API error",
    "fmt": "format .adflow files in one canonical layout (safe: never changes meaning)",
    "import": "turn Graph API JSON, or objects read live with --live, into an .adflow file",
    "sandbox": "a local Graph API emulator for dry runs and tests of curl bundles",
    "graph": "draw lead-form flows and the object graph (Mermaid or Graphviz DOT)",
    "paths": "list every path through a lead form or welcome message",
    "simulate": "chat with a lead form or welcome message in the terminal",
    "preview": "write a self-contained HTML preview of the ads and lead forms",
    "catalogue": "write the gettext template (.pot) of the texts a file's markets translate",
    "lsp": "a language server for editors, over stdin/stdout (diagnostics, completion, ...)",
}


class _ClosedOutput(io.TextIOBase):
    """Stands in for stdout when adflow was started with it closed (`>&-`),
    so writing to it is the usage error it is, in every command alike."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OutputError("cannot write to standard output: it is closed")


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    """After stdout failed, point it at /dev/null: what is still buffered
    would otherwise fail again when Python exits, with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture): nothing is left to fail


@functools.cache
def _help_width() -> int:
    """The width argparse gives help (the terminal's columns less two, as
    `shutil.get_terminal_size` finds them), found once and without importing
    shutil: argparse asks at every add_argument, 2 ms of a quick check."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


class _Parser(argparse.ArgumentParser):
    def _get_formatter(self) -> argparse.HelpFormatter:
        # Every formatter class argparse has takes a width; typeshed names only prog.
        return self.formatter_class(prog=self.prog, width=_help_width())  # type: ignore[call-arg]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        # A missing argument is told what it is (its --help line), not only that it is needed.
        missing = message.partition("the following arguments are required: ")[2].split(", ")
        for action in self._actions:
            name = action.option_strings[0] if action.option_strings else \
                str(action.metavar or action.dest)
            if action.help and name in missing:
                sys.stderr.write(f"  {name}: {action.help}\n")
        raise SystemExit(2)


def build_parser(only: str | None = None, *, others: bool = True) -> argparse.ArgumentParser:
    """The parser, with the options of the command `only`; without `others`,
    that command's alone: building the other twelve costs a fifth of a quick
    check's own work."""
    parser = _Parser(prog="adflow", description="Spec compiler and linter for Meta "
                     "Click-to-Messenger ads and Messenger lead forms.")
    parser.add_argument("--version", action="version", version=f"adflow {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        if not others and name != only:
            continue
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == only:
            module = importlib.import_module(f"adflow.compiler.cli.commands.{name}")
            module.configure(command)
    return parser


# Commands that leave nothing behind when `run` returns (no thread, no
# temporary file, no exit handler that matters): the console script ends them
# at once. These are the ones pre-commit runs on every commit.
EXITS_AT_ONCE = frozenset({"check", "fmt"})


def console() -> int:
    """The `adflow` console script: `main`, ending the commands in
    EXITS_AT_ONCE without Python's clean-up."""
    return main(exit_at_once=True)


def _exit_at_once(status: int) -> NoReturn:
    """End the process without freeing every object and module, which is
    most of what a normal exit does (3.7 ms, an eighth of a cache hit); mypy
    ends the same way. Standard output was flushed already."""
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # as at a normal exit: nowhere left to say it
    os._exit(status)


# Reading a file makes many objects and few cycles: a collection every 50,000
# new objects rather than 700 takes a tenth off a 50,000-line compile.
GC_THRESHOLD = 50_000


def main(argv: Sequence[str] | None = None, *, exit_at_once: bool = False) -> int:
    """Run the command `argv` names; its exit status. `exit_at_once`: see console."""
    gc.set_threshold(GC_THRESHOLD)
    args_list = list(sys.argv[1:] if argv is None else argv)
    chosen = next((a for a in args_list if not a.startswith("-")), None)
    # A command named first needs no other: `adflow -h check` lists them all.
    parser = build_parser(chosen if chosen in COMMANDS else None,
                          others=not args_list or args_list[0] != chosen)
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    try:
        args = parser.parse_args(args_list)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        module = importlib.import_module(f"adflow.compiler.cli.commands.{args.command}")
        status: int = module.run(args)
        _flush_stdout()
        if exit_at_once and args.command in EXITS_AT_ONCE:
            _exit_at_once(status)
        return status
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    except UsageError as exc:
        if isinstance(exc, OutputError):
            _discard_stdout()
        from ..findings.report import terminal_safe  # names from a file may be in the message

        sys.stderr.write(f"adflow: error: {terminal_safe(str(exc))}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("adflow: interrupted\n")
        return 130
    except BrokenPipeError:
        _discard_stdout()
        return 0
    except Exception as exc:  # a bug in adflow, never the user's fault
        if os.environ.get("ADFLOW_DEBUG"):
            raise
        sys.stderr.write(
            f"adflow: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in adflow, not a problem with your input. Please report it "
            "with the command you ran (set ADFLOW_DEBUG=1 for a traceback).\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
