"""Crash-safe file writes: the one place that knows how to replace a file whole or not at all.

The CLI's and the TUI's exports, and the context cache, each write a file a reader must never
find half-written; they word their own errors, so this raises the plain ``OSError``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file beside it, fsync, rename.

    The temporary file is removed on any failure; an ``OSError`` (no folder, no permission, a
    full disk) reaches the caller to word.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".plecak-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
