"""JSON from untrusted bytes, with caps on size and nesting depth.

Why not plain ``json.loads``: a document nested 100,000 deep makes the stdlib parser raise
RecursionError (or worse, exhaust the C stack in other tools), and tens of MB of JSON is no badge.
We scan the bracket depth first (cheap, linear, string-aware) and refuse before parsing.

Duplicate member names (``{"id": "a", "id": "b"}``) are refused as ambiguous: RFC 8259 leaves their
meaning open, and parsers disagree (first wins, last wins), so a signed document could say one
thing to the signer's tools and another to ours.  Every JSON plecak reads from outside goes through
:func:`loads`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from wallet.errors import MalformedInput, UnsafeInput
from wallet.i18n import _

MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_JSON_DEPTH = 64


# A JSON string (escapes skipped, an unterminated one runs to the end) or one bracket: the regex
# engine walks the characters, Python only sees strings and brackets (a large JWT payload is
# mostly strings, so this is many times faster than a loop over every character).
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)


def depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (linear, string-aware)."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the depth never exceeds the number of openers (in strings or not)
    depth = 0
    for match in _TOKENS.finditer(text):
        ch = match.group()[0]
        if ch == '"':
            continue
        if ch in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def decode_text(data: bytes | str, source: str = "") -> str:
    """Bytes -> text (UTF-8, BOM tolerated); a clear error for other encodings."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedInput(
            source=source or "input", reason=_("not UTF-8 text"), detail=str(exc)
        ) from exc


def loads(
    data: bytes | str,
    *,
    source: str = "",
    max_bytes: int = MAX_JSON_BYTES,
    max_depth: int = MAX_JSON_DEPTH,
) -> Any:
    """Parse JSON within caps; raises UnsafeInput (caps) or MalformedInput (syntax)."""
    size = len(data)
    if size > max_bytes:
        raise UnsafeInput(
            source=source or "input",
            reason=_("JSON of {size} bytes is over the {limit} byte limit").format(
                size=size, limit=max_bytes
            ),
        )
    text = decode_text(data, source)
    if depth_exceeds(text, max_depth):
        raise UnsafeInput(
            source=source or "input",
            reason=_("JSON nested deeper than {limit} levels").format(limit=max_depth),
        )
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique)
    except _DuplicateName as exc:
        raise MalformedInput(
            source=source or "input",
            reason=_(
                "the member name {name} appears twice in one object, so its meaning is ambiguous"
            ).format(name=json.dumps(exc.name)[:80]),
        ) from exc
    except (ValueError, RecursionError) as exc:
        if "int_max_str_digits" in str(exc):
            # Python refuses huge integers (a CPU-exhaustion guard); say it in user terms.
            raise UnsafeInput(
                source=source or "input",
                reason=_("a number in it has more than 4300 digits"),
                detail=repr(exc),
            ) from exc
        raise MalformedInput(
            source=source or "input",
            reason=_("invalid JSON ({error})").format(error=exc),
            detail=repr(exc),
        ) from exc


class _DuplicateName(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for name, _value in pairs:
            if name in seen:
                raise _DuplicateName(name)
            seen.add(name)
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def looks_like_json(data: bytes) -> bool:
    """Cheap sniff: first non-blank byte opens an object or array."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")
