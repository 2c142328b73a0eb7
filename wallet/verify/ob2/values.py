"""The primitive value types of Open Badges 2.0 (IRI, URL, DateTime, email, data URI, …).

Why our own small predicates: the reference validator declares EMAIL but never runs it and skips
RDF type checks; here every declared type is really checked, and each predicate is total (any JSON
value in, a bool out), so hostile documents cannot make validation raise.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from wallet.codecs.dates import parse_date_strict

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_WS_RE = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`]")
_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)$"
)
_DATA_URI_RE = re.compile(
    r"^data:(?P<type>[a-zA-Z0-9!#$&^_.+-]+/[a-zA-Z0-9!#$&^_.+-]+)?(?P<params>(;[^,;]+)*?)"
    r"(?P<b64>;base64)?,(?P<data>.*)$",
    re.DOTALL,
)
MAX_IRI = 4096


def is_url(value: Any) -> bool:
    """An absolute http(s) URL with a host."""
    if not isinstance(value, str) or len(value) > MAX_IRI or _WS_RE.search(value):
        return False
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def is_iri(value: Any) -> bool:
    """An absolute IRI (http(s) URL, urn:, did:, …) or a blank node id ``_:name``."""
    if not isinstance(value, str) or not value or len(value) > MAX_IRI:
        return False
    if _WS_RE.search(value):
        return False
    if value.startswith("_:"):
        return len(value) > 2
    if not _SCHEME_RE.match(value):
        return False
    scheme = value.split(":", 1)[0].lower()
    if scheme in ("http", "https"):
        return is_url(value)
    return len(value) > len(scheme) + 1


def is_data_uri(value: Any) -> bool:
    return isinstance(value, str) and bool(_DATA_URI_RE.match(value))


def data_uri_media_type(value: str) -> str:
    found = _DATA_URI_RE.match(value)
    return (found.group("type") or "text/plain").lower() if found else ""


def data_uri_bytes(value: str, *, limit: int) -> bytes | None:
    """The decoded bytes of a data URI (``None`` when undecodable or over ``limit``)."""
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes

    found = _DATA_URI_RE.match(value)
    if not found:
        return None
    data = found.group("data")
    if len(data) > limit * 2:
        return None
    try:
        raw = (
            base64.b64decode(data, validate=False) if found.group("b64") else unquote_to_bytes(data)
        )
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) <= limit else None


def is_datetime(value: Any) -> bool:
    """An OB 2.0 DateTime: ISO 8601 date and time with a zone (``Z`` or ``±hh:mm``)."""
    return (
        isinstance(value, str)
        and bool(_DATETIME_RE.match(value.strip()))
        and (parse_datetime(value) is not None)
    )


def parse_datetime(value: Any) -> datetime | None:
    try:
        return parse_date_strict(value)
    except (ValueError, OverflowError, OSError):
        return None


def is_text(value: Any) -> bool:
    return isinstance(value, str)


def is_text_or_number(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def node_id(value: Any) -> str | None:
    """The id of a reference: the IRI string itself, or an embedded object's ``id``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None
