"""The day adflow judges dates against (D004: has the API version expired?).

SOURCE_DATE_EPOCH, the reproducible-builds convention, pins it: with it set,
the same file gives the same diagnostics on any day. Without it, today (UTC).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def today() -> date:
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if pinned.isascii() and pinned.isdigit():
        try:
            return datetime.fromtimestamp(int(pinned), tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            pass  # out of range: treat as unset rather than fail a lint run
    return datetime.now(UTC).date()
