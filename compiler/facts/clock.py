"""The day adflow judges dates against (D004: has the API version expired?).

SOURCE_DATE_EPOCH, the reproducible-builds convention, pins it: with it set,
the same file gives the same diagnostics on any day. Without it, today (UTC).
"""

from __future__ import annotations

import os
import time

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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


def spoken(day: str) -> str:
    """A YYYY-MM-DD day as messages write it: `10 Feb 2026`."""
    year, month, of_month = day.split("-")
    return f"{of_month} {_MONTHS[int(month) - 1]} {year}"
