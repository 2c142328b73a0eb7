"""Technical detail of a network failure, in words: no exception repr, no errno, no class names.

Why: the ``detail`` of a NetworkError reaches people (the TUI shows it under the check, the JSON
carries it) and ``gaierror(-3, 'Temporary failure in name resolution')`` or
``ConnectError('[Errno 111] Connection refused')`` tells a learner nothing and reads like a crash.
The operating system's own words ("Temporary failure in name resolution", "Connection refused")
are kept: they are what a helper or an administrator needs.
"""

from __future__ import annotations

import re

_ERRNO = re.compile(r"\[Errno\s+-?\d+\]\s*")
_REPR = re.compile(r"^[A-Za-z_][\w.]*\((.*)\)$", re.DOTALL)
_MAX_CAUSES = 10


def _words(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return str(exc.strerror)
    text = _ERRNO.sub("", str(exc)).strip()
    match = _REPR.match(text)  # a wrapped repr, e.g. "ConnectError('...')"
    if match:
        text = match.group(1).strip().strip("'\"")
    return _ERRNO.sub("", text).strip()


def technical(exc: BaseException) -> str:
    """The distinct readable texts of ``exc`` and its causes, outermost first, joined by "; "."""
    parts: list[str] = []
    seen: BaseException | None = exc
    for _depth in range(_MAX_CAUSES):
        if seen is None:
            break
        text = _words(seen)
        if text and text not in parts:
            parts.append(text)
        seen = seen.__cause__ or seen.__context__
    return "; ".join(parts)
