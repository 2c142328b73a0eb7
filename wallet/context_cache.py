"""A persistent cache of the public JSON-LD contexts plecak pins by digest.

Why: verification needs the W3C/1EdTech context documents.  plecak knows their digests; in real
use each is fetched once from its canonical URL, checked against its pin, and kept here, so later
runs (and offline ones) need no network for them.  The cache is just another mirror for the
Fetcher (cli.md format, ``index.json``), and every use is checked against the pins again by the
verifier — a tampered cache file makes verification ``unverified``, never ``valid``.  Only public,
digest-pinned documents are stored: nothing of the wallet, so no encryption is needed.

Location: ``PLECAK_CACHE_DIR`` or the platform's user cache folder for "plecak", sub-folder
``contexts``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from wallet.files import write_atomic
from wallet.model import FetchRecord

INDEX = "index.json"
MAX_CONTEXT_BYTES = 512 * 1024


def cache_dir() -> Path:
    env = os.environ.get("PLECAK_CACHE_DIR")
    if env:
        return Path(env).expanduser() / "contexts"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("plecak", appauthor=False)) / "contexts"


def index_path(folder: Path | None = None) -> Path | None:
    """The cache's mirror index, when there is one."""
    index = (folder or cache_dir()) / INDEX
    return index if index.is_file() else None


def _pinned(url: str, body: bytes) -> bool:
    """Whether ``body`` is exactly (as parsed JSON) a pinned revision of the context ``url``."""
    from wallet.verify.provenance import pinned_body

    return pinned_body(url, body)


def remember(
    records: Iterable[FetchRecord],
    body_of: Callable[[str], bytes | None],
    folder: Path | None = None,
) -> int:
    """Keep the pinned contexts this run fetched from the network; returns how many were new.

    Best effort: a cache that cannot be written is skipped silently (the next run fetches again).
    """
    target = folder or cache_dir()
    index_file = target / INDEX
    try:
        index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.is_file() else {}
    except (OSError, ValueError):
        index = {}
    if not isinstance(index, dict):
        index = {}
    added = 0
    for record in records:
        if record.origin != "network" or record.status != 200 or record.url in index:
            continue
        body = body_of(record.sha256)
        if body is None or not _pinned(record.url, body):
            continue
        name = hashlib.sha256(body).hexdigest() + ".jsonld"
        try:
            target.mkdir(parents=True, exist_ok=True)
            write_atomic(target / name, body)
        except OSError:
            return added
        index[record.url] = {"file": name, "content_type": "application/ld+json"}
        added += 1
    if added:
        with contextlib.suppress(OSError):
            write_atomic(index_file, json.dumps(index, indent=1, sort_keys=True).encode())
    return added
