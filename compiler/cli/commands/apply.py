"""`adflow apply FILE --state STATE | --plan SAVED [--yes] [--dry-run]
[--validate-only] [--activate] [--assume-created KEY=ID]... [--retry-unknown]
[--no-batch]`

Carries out at Meta what `adflow plan` decides (or decided: `--plan`), over
the bundle's state file and with its promises (compiler/apply/runner.py). Exit 0
done; 1 Meta refused a request, or the file has errors, or the plan was not
confirmed; 2 usage and set-up problems (a stale saved plan among them); 3 a
create's outcome is unknown: nothing more is sent until --assume-created or
--retry-unknown says what became of it; 129, 130, 131, 143 stopped by
SIGHUP, SIGINT, SIGQUIT, SIGTERM (a create in flight is recorded first).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import replace
from typing import Any

from ._shared import UsageError

_ASSUMED = re.compile(r"(.+)=([0-9]+)")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", nargs="?",
                        help="the .adflow file as it should be (with --state)")
    parser.add_argument("--state", metavar="STATE",
                        help="the state file (the bundle's BUNDLE.state, or what ADFLOW_STATE "
                             "named): created when missing; with --plan, the one the plan read")
    parser.add_argument("--plan", metavar="SAVED",
                        help="carry out a saved plan (adflow plan FILE --state STATE -o "
                             "SAVED.json) exactly; refused when the state changed since")
    parser.add_argument("--yes", action="store_true",
                        help="apply without asking (CI); on a terminal adflow shows the plan "
                             "and asks first")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the plan and every request it would send (token "
                             "redacted); send nothing")
    parser.add_argument("--validate-only", action="store_true",
                        help="ask Meta to validate each request without carrying it out")
    parser.add_argument("--activate", action="store_true",
                        help="after creating everything PAUSED, set the ads ACTIVE")
    parser.add_argument("--assume-created", action="append", default=[], metavar="KEY=ID",
                        help="after exit 3: KEY was found at Meta as ID; record it and go on")
    parser.add_argument("--retry-unknown", action="store_true",
                        help="after exit 3: what was sent was found NOT to exist at Meta; "
                             "send it again")
    parser.add_argument("--no-batch", action="store_true",
                        help="send one request at a time instead of Graph batches")


def run(args: argparse.Namespace) -> int:
    from ...apply import runner as runtime

    if (args.file is None) == (args.plan is None):
        raise UsageError("name the file (adflow apply FILE --state STATE) or a saved plan "
                         "(adflow apply --plan SAVED), not both")
    if args.file is not None and args.state is None:
        raise UsageError("adflow apply FILE needs --state STATE (the state file to read and "
                         "write; it is created when missing)")
    resuming = bool(args.assume_created) or args.retry_unknown
    if resuming and (args.dry_run or args.validate_only):
        raise UsageError("--assume-created and --retry-unknown go with a run that creates, "
                         "not --dry-run or --validate-only")
    assumed = []
    for pair in args.assume_created:
        found = _ASSUMED.fullmatch(pair)
        if found is None:
            raise UsageError("--assume-created takes KEY=ID, ID being the number Meta gave")
        assumed.append((found.group(1), found.group(2)))
    output = runtime.Output(sys.stdout, sys.stderr)
    try:
        return _apply(args, runtime, output, tuple(assumed))
    except runtime.Stop as stop:
        for line in stop.lines:
            output.warn(line) if not line.startswith("  ") else output.err.write(line + "\n")
        return stop.status


def _apply(args: argparse.Namespace, runtime: Any, output: Any,
           assumed: tuple[tuple[str, str], ...]) -> int:
    from ...apply import saved as savedplan
    from ...tools import changes

    settings = runtime.settings_from(os.environ, need_token=not args.dry_run)
    for warning in settings.warnings:
        output.warn(warning)
    saved = None
    if args.plan is not None:
        saved = _load_saved(args.plan)
        api_version, requests = saved.api_version, saved.requests
        state_path = args.state or saved.state_path
    else:
        from adflow.emitters.requests import plan_request

        from ._shared import compilable

        document = compilable(args.file)
        api_version = document.api_version
        requests = [plan_request(r) for r in document.requests]
        state_path = args.state
    state = runtime.StateFile(state_path)
    options = runtime.Options(validate_only=args.validate_only, activate=args.activate,
                              retry_unknown=args.retry_unknown, assumed=assumed,
                              batch=not args.no_batch, resume_command=_resume_command(args),
                              plan_tag=saved.tag if saved is not None else None)
    if not args.dry_run:
        state.lock(writable=not args.validate_only)
    records = state.records()
    if saved is not None:
        try:
            progress = savedplan.progress(saved, state.read_bytes())
        except ValueError as exc:
            raise runtime.Stop(2, str(exc)) from None
    run = runtime.Run([], api_version, state, settings, options, output)
    if assumed:
        _record_assumed(run, requests, records, assumed)
        records = state.records()
        if saved is not None:
            progress = savedplan.progress(saved, state.read_bytes())
    # What to do: decided now (FILE) or before (--plan).
    clear_pending = args.retry_unknown or args.validate_only
    if saved is None:
        considered = ({k: replace(r, pending=False) for k, r in records.items()}
                      if clear_pending else records)
        found = changes.plan_changes(document, considered)
        steps = runtime.steps_of(requests, found)
        text = changes.render_text(found).splitlines()
    else:
        steps = runtime.steps_of(requests, saved.changes)
        for step in steps:
            _follow_progress(step, progress.get(step.key), records, clear_pending)
        text = saved.text
    pending = [s for s in steps if s.action == "pending"]
    run.steps = steps
    if args.dry_run:
        for line in text:
            output.say(line)
        run.start(records)
        for line in runtime.dry_run_lines(steps, run.base, run.ids):
            output.say(line)
        return 0
    if pending:
        lines = []
        for step in pending:
            lines += [f"{step.where} was sent by an earlier run, which got no answer: it may "
                      "exist at Meta now", *run.how_to_resume(step)]
        raise runtime.Stop(3, *lines)
    for line in text:
        output.say(line)
    if not args.validate_only and any(s.action not in ("none", "done") for s in steps):
        _confirm(args.yes, settings.graph_url, runtime)
    with run.signals():
        try:
            tally = run.run(records)
        finally:
            run.close()
    if not args.validate_only:
        for line in runtime.summary_lines(tally):
            output.say(line)
    else:
        output.say(f"validated: {tally.sent} request(s) sent")
    return 0


def _load_saved(path: str) -> Any:
    from ...apply import saved as savedplan
    from ._shared import read_text

    text = read_text(path, errors="replace")
    try:
        return savedplan.load(text)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None


def _follow_progress(step: Any, last: Any, records: Any, clear_pending: bool) -> None:
    """A saved plan's step after what runs of this plan recorded."""
    if last is not None and isinstance(last.get("id"), str):
        step.action, step.id = "done", last["id"]
    elif last is not None and last.get("pending") is True:
        step.action = "pending"
    if step.action == "pending" and clear_pending:
        record = records.get(step.key)
        old = record.id if record is not None else None
        step.action, step.id = ("replace", old) if old is not None else ("create", None)


def _record_assumed(run: Any, requests: list[dict[str, Any]], records: Any,
                    assumed: tuple[tuple[str, str], ...]) -> None:
    from ...apply import runner as runtime
    from ...tools.changes import clean

    paths = {r["key"]: r["path"] for r in requests}
    for key, new_id in assumed:
        if key not in paths:
            raise runtime.Stop(2, f"--assume-created: the plan has no request {clean(key)!r}")
        record = records.get(key)
        if record is not None and record.id not in (None, new_id) and not record.pending:
            raise runtime.Stop(2, f"--assume-created: {clean(key)} is already recorded as "
                                  f"{record.id}")
        fault = run.record(key=key, id=new_id, path=paths[key], assumed=True)
        if fault is not None:
            raise runtime.Stop(2, f"cannot write the state file {run.state.path}: {fault}")
        run.out.say(f"{clean(key)}: recorded as {new_id} (--assume-created)")


def _confirm(yes: bool, url: str, runtime: Any) -> None:
    """On a terminal, ask; elsewhere only --yes goes on (a CI job says so)."""
    if yes:
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise runtime.Stop(2, "this changes objects at Meta: run it on a terminal to be asked, "
                              "or pass --yes (CI)")
    sys.stdout.write(f"Apply these changes at {url}? Only 'yes' goes on: ")
    sys.stdout.flush()
    answer = sys.stdin.readline().strip()
    if answer != "yes":
        raise runtime.Stop(1, "not applied: nothing was sent")


def _resume_command(args: argparse.Namespace) -> str:
    from ...tools.changes import shell_word

    words = ["adflow", "apply"]
    if args.plan is not None:
        words += ["--plan", args.plan]
        if args.state is not None:
            words += ["--state", args.state]
    else:
        words += [args.file, "--state", args.state]
    words += [flag for flag, on in (("--yes", args.yes), ("--activate", args.activate),
                                    ("--no-batch", args.no_batch)) if on]
    return " ".join(shell_word(w) for w in words)
