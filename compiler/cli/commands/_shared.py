"""What the commands share: how a command that cannot go on says so (usage
errors, exit 2), reading its input and writing its output, and its input file
through the one check pipeline with its configuration.

Imported by `cli/main.py` for the errors alone, so what a command needs beyond them
is imported where it is used: `adflow --version` loads no pipeline."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any, NoReturn, TextIO

    from ...bodies.model import Document, Request
    from ...pipeline import FileResult
    from ...project.config import Config


class UsageError(Exception):
    """Bad arguments or configuration: exit 2 with the message."""


class OutputError(UsageError):
    """Standard output cannot be written (closed, a full disk): exit 2."""


def input_file(name: str) -> str:
    """The input file of a command, named as reports name it: missing, or not
    a regular file, is a usage error."""
    import stat

    from ...project.files import mode_of
    from ...project.paths import path_name

    path = path_name(name)
    try:
        mode = mode_of(path, name)
    except FileNotFoundError:
        raise UsageError(f"no such file: {name}") from None
    except OSError as exc:  # too long a name, no permission
        raise unreadable(name, exc) from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"no such file: {name}")
    if not stat.S_ISREG(mode):  # a FIFO or device: reading could never end
        raise UsageError(f"{name} is not a regular file")
    return path


def cannot_read(name: str, exc: OSError) -> str:
    """What every command says of a file or folder it could not read."""
    return f"cannot read {name}: {exc.strerror or exc}"


def unreadable(name: str, exc: OSError) -> UsageError:
    """The usage error (exit 2) for an input that could not be read."""
    return UsageError(cannot_read(name, exc))


def read_text(name: str, errors: str = "strict") -> str:
    """The UTF-8 text of a command's input file."""
    path = input_file(name)
    try:
        with open(path, encoding="utf-8", errors=errors) as f:
            return f.read()
    except OSError as exc:
        raise unreadable(name, exc) from None


def write(text: str | Iterable[str], output: str | None, stream: TextIO | None = None,
          inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """A command's output: into the file `output` (atomically, never over one
    of the command's `inputs`), or to stdout when there is none or it is `-`.
    `text` may come in pieces, each written as it is made. Any failure is a
    usage error (exit 2) that names where."""
    from ...project.files import OverwritesInput, refuse_overwriting, write_atomic

    if output and output != "-":
        try:
            refuse_overwriting(output, inputs)
            write_atomic(output, text)
        except OverwritesInput as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
        return
    stream = sys.stdout if stream is None else stream
    try:
        for piece in [text] if isinstance(text, str) else text:
            stream.write(piece)
        stream.flush()
    except BrokenPipeError:
        raise  # the reader left (`| head`): not an error
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def checked(file: str, **settings: Any) -> tuple[FileResult, Config]:
    """A command's input file through `check_file` with the configuration
    found for it (`settings` override the configuration's), so every command
    sees what `adflow check` reports."""
    from ...pipeline import check_file
    from ...project.config import ConfigError, Finder
    from ...records import replace

    path = input_file(file)
    try:
        config = Finder().for_file(path)
        if settings:
            config = replace(config, **settings)
        return check_file(path, config), config
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise unreadable(file, exc) from None


def refuse(result: FileResult) -> NoReturn:
    """Report the findings as `adflow check` does, and end with status 1."""
    from ...findings.report import render_text, use_colour

    sys.stderr.write(render_text([result], use_colour(sys.stderr)))
    raise SystemExit(1)


def load(file: str, market: str | None = None, **settings: Any) -> tuple[FileResult, Document]:
    """For the commands that show a file (graph, paths, simulate, preview):
    findings are shown, not gating; only a file with no model ends them.
    `market`: only the objects made once and those of that market."""
    result, _ = checked(file, **settings)
    if result.document is None:
        refuse(result)
    if market is None:
        return result, result.document
    from ...bodies.markets import of_market

    try:
        return result, of_market(result.document, market)
    except LookupError as exc:
        raise UsageError(str(exc)) from None


def market_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--market", metavar="KEY",
                        help="only the objects made once and those of this market "
                             "(a file's `market KEY`)")


def compilable(file: str) -> Document:
    """For the commands that emit requests (compile, plan): exactly the files
    `adflow check` passes, so ignored and suppressed codes never block them."""
    from ...pipeline import fails

    result, config = checked(file)
    if result.document is None or fails(result, config):
        refuse(result)
    return result.document


def chosen_forms(document: Document, name: str | None) -> list[Request]:
    from ...tools.flowgraph import select_forms

    try:
        return select_forms(document, name)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
