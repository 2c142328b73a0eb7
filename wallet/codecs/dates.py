"""ISO 8601 / RFC 3339 dates from badges into timezone-aware UTC datetimes.

Why our own thin layer: badges carry ``2016-12-31T23:59:59Z``, ``2016-12-31T23:59:59+00:00``,
``2016-12-31`` (OB 1.0 also allowed Unix timestamps), sometimes with fractional seconds; a datetime
without a zone is read as UTC, which is what the OB specs say.  Anything else is ``None`` for
``parse_date`` (lenient display) or an error for ``parse_date_strict`` (verification).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, overload

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$"
)


def parse_date_strict(value: Any) -> datetime:
    """Parse a badge date; raises ValueError when it is not an ISO 8601 date/datetime.

    OB 1.0 Unix timestamps (int or all-digit string) are accepted.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    if text.isdigit() and len(text) >= 9:
        return datetime.fromtimestamp(int(text), UTC)
    if not _ISO.match(text):
        raise ValueError(f"not an ISO 8601 date: {value!r}")
    text = text.replace("z", "Z").replace("t", "T")
    if len(text) == 10:
        d = date.fromisoformat(text)
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_date(value: Any) -> datetime | None:
    """Lenient form for display: ``None`` when absent or unparseable."""
    if value is None:
        return None
    try:
        return parse_date_strict(value)
    except (ValueError, OverflowError, OSError):
        return None


@overload
def format_date(value: datetime) -> str: ...
@overload
def format_date(value: datetime | None) -> str | None: ...
def format_date(value: datetime | None) -> str | None:
    """RFC 3339 UTC with a ``Z``, to the second: the one form of every date plecak writes (cli.md's
    JSON, bundles, reports, presentations).  A datetime without a zone is UTC, as when read."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_minute(value: datetime) -> str:
    """``2026-11-23 18:00 UTC``: the moment for people (reports, messages), in the same UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
