"""Graph API versions: when each was released and when it stops working."""

from __future__ import annotations

from datetime import date

from ..lean import NamedTuple
from .sources import GRAPH_VERSIONS_PAGE, MARKETING_VERSIONS_PAGE

_MARKETING_VERSIONS = MARKETING_VERSIONS_PAGE
_GRAPH_VERSIONS = GRAPH_VERSIONS_PAGE


class VersionInfo(NamedTuple):
    name: str  # "v25.0"
    released: date
    # When calls to this version stop working for the Marketing API (ads, lead
    # forms): about a year after release. None: not announced yet.
    expires: date | None
    graph_expires: date | None  # the core Graph API keeps a version ~2 years longer
    source: str

    @property
    def numbers(self) -> tuple[int, int]:
        return version_tuple(self.name)

VERSIONS: dict[str, VersionInfo] = {v.name: v for v in (
    VersionInfo("v19.0", date(2024, 1, 23), date(2025, 2, 4), date(2026, 5, 21),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v20.0", date(2024, 5, 21), date(2025, 5, 6), date(2026, 9, 24),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v21.0", date(2024, 10, 2), date(2025, 9, 9), date(2027, 1, 21),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v22.0", date(2025, 1, 21), date(2026, 2, 19), date(2027, 5, 20),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v23.0", date(2025, 5, 29), date(2026, 6, 9), date(2027, 10, 8),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    # An older snapshot of the Marketing API page said 6 Oct 2026; the current one 10 Nov.
    VersionInfo("v24.0", date(2025, 10, 8), date(2026, 11, 10), date(2028, 2, 18),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v25.0", date(2026, 2, 18), date(2027, 2, 23), date(2028, 7, 29),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v26.0", date(2026, 7, 29), None, None,
                f"{_MARKETING_VERSIONS}"),
    VersionInfo("v27.0", date(2026, 11, 4), None, None,
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


def expired(version: str, on: date) -> bool:
    """Whether the Marketing API stopped serving `version` before `on`."""
    info = version_info(version)
    return info is not None and info.expires is not None and info.expires < on
