"""The day adflow judges dates against (D004: has the API version expired?).

SOURCE_DATE_EPOCH, the reproducible-builds convention, pins it: with it set,
the same file gives the same diagnostics on any day. Without it, today (UTC).
"""

from __future__ import annotations

import os
import time

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from datetime import date


def today_iso() -> str:
    """The day as YYYY-MM-DD. Read with `time`, not `datetime`: a cache hit
    keys on the day and imports nothing more."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if pinned.isascii() and pinned.isdigit():
        try:
            day = time.gmtime(int(pinned))
        except (OverflowError, OSError, ValueError):
            pass  # out of range: treat as unset rather than fail a lint run
        else:
            if day.tm_year <= 9999:  # beyond what a date can hold: unset too
                return time.strftime("%Y-%m-%d", day)
    return time.strftime("%Y-%m-%d", time.gmtime())


def today() -> date:
    from datetime import date

    return date.fromisoformat(today_iso())
