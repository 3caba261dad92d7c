"""Graph API versions: when each was released and when it stops working.

Days are ISO text (YYYY-MM-DD), which compares as the days do: the table is
read on every check, and `datetime` costs a quick check 2 ms to import."""

from __future__ import annotations

from ..lean import NamedTuple
from .sources import GRAPH_VERSIONS_PAGE, MARKETING_VERSIONS_PAGE

_MARKETING_VERSIONS = MARKETING_VERSIONS_PAGE
_GRAPH_VERSIONS = GRAPH_VERSIONS_PAGE


class VersionInfo(NamedTuple):
    name: str  # "v25.0"
    released: str  # YYYY-MM-DD, as every day here
    # When calls to this version stop working for the Marketing API (ads, lead
    # forms): about a year after release. None: not announced yet.
    expires: str | None
    graph_expires: str | None  # the core Graph API keeps a version ~2 years longer
    source: str

    @property
    def numbers(self) -> tuple[int, int]:
        return version_tuple(self.name)

VERSIONS: dict[str, VersionInfo] = {v.name: v for v in (
    VersionInfo("v19.0", "2024-01-23", "2025-02-04", "2026-05-21",
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v20.0", "2024-05-21", "2025-05-06", "2026-09-24",
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v21.0", "2024-10-02", "2025-09-09", "2027-01-21",
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v22.0", "2025-01-21", "2026-02-19", "2027-05-20",
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v23.0", "2025-05-29", "2026-06-09", "2027-10-08",
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    # An older snapshot of the Marketing API page said 6 Oct 2026; the current one 10 Nov.
    VersionInfo("v24.0", "2025-10-08", "2026-11-10", "2028-02-18",
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v25.0", "2026-02-18", "2027-02-23", "2028-07-29",
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v26.0", "2026-07-29", None, None,
                f"{_MARKETING_VERSIONS}"),
    VersionInfo("v27.0", "2026-11-04", None, None,
                f"{_MARKETING_VERSIONS}"),
)}
DEFAULT_API_VERSION = "v25.0"  # the seed's version, matched by SDK 25.0.3 (the versions page)
SDK_API_VERSION = "v25.0"  # what facebook-business 25.0.3, whose enums adflow lists, is made for


def version_tuple(name: str) -> tuple[int, int]:
    """"v25.0" -> (25, 0); "v25" and "25.0" are read the same way.
    ValueError for anything else."""
    major, dot, minor = name.strip().removeprefix("v").partition(".")
    if not _digits(major) or (dot and not _digits(minor)):
        raise ValueError(f"not a Graph API version: {name!r}")
    return int(major), int(minor or 0)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def version_info(name: str) -> VersionInfo | None:
    """The known version spelled `name` (also "v25", "25.0"), or None."""
    try:
        wanted = version_tuple(name)
    except ValueError:
        return None
    return next((v for v in VERSIONS.values() if v.numbers == wanted), None)


def at_least(version: str, since: str | tuple[int, int]) -> bool:
    """Whether `version` is `since` or newer; False if either is malformed."""
    try:
        need = since if isinstance(since, tuple) else version_tuple(since)
        return version_tuple(version) >= need
    except ValueError:
        return False


def expired(version: str, on: str) -> bool:
    """Whether the Marketing API stopped serving `version` before the day `on`."""
    info = version_info(version)
    return info is not None and info.expires is not None and info.expires < on
