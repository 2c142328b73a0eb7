"""Which trusted-list snapshot the seal verifier uses: the one shipped, or the user's newer one.

Why two places: the package ships a verified snapshot (``data/``) that ages; ``plecak trust
update`` verifies newer lists online and keeps the result in the user's cache folder
(``PLECAK_CACHE_DIR`` or the platform's user cache folder for "plecak", sub-folder
``trusted-lists``), never in the package.  The newer of the two (by its lists' issue time) is
used, so upgrading plecak past an old refresh never goes back in time.  The user's copy is public
data checked against the sha256 written beside it; like a ``--mirror``, that folder is the user's
own pinning (whoever can write it can also replace the package).
"""

from __future__ import annotations

import os
from pathlib import Path

from wallet.verify.edc import trust

_LOADED: dict[tuple[str, int, int], trust.TrustSnapshot] = {}


def user_dir() -> Path:
    env = os.environ.get("PLECAK_CACHE_DIR")
    if env:
        return Path(env).expanduser() / "trusted-lists"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("plecak", appauthor=False)) / "trusted-lists"


def _load(path: Path, digest: Path) -> trust.TrustSnapshot | None:
    """The snapshot at ``path`` (memoised by file identity), None when there is none."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _LOADED:
        _LOADED[key] = trust.load_pinned(path, digest)
    return _LOADED[key]


def shipped() -> trust.TrustSnapshot:
    found = _load(trust.SNAPSHOT_FILE, trust.SNAPSHOT_SHA256)
    return found if found is not None else trust.TrustSnapshot(lists=(), services=())


def stored() -> trust.TrustSnapshot | None:
    """The user's refreshed snapshot; a damaged one raises TrustListError (said, never used)."""
    folder = user_dir()
    return _load(folder / trust.FILE_NAME, folder / trust.DIGEST_NAME)


def current() -> trust.TrustSnapshot:
    """The snapshot seals are checked against."""
    return current_and_origin()[0]


def current_and_origin() -> tuple[trust.TrustSnapshot, str]:
    """The newer of the user's snapshot and the shipped one, and which it is (``user`` or
    ``shipped``).  A damaged user copy is passed over: the shipped one is still verified data,
    and ``plecak trust show`` names the damage."""
    package = shipped()
    try:
        mine = stored()
    except trust.TrustListError:
        return package, "shipped"
    if mine is None or mine.as_of is None:
        return package, "shipped"
    if package.as_of is not None and package.as_of > mine.as_of:
        return package, "shipped"
    return mine, "user"


def describe(snapshot: trust.TrustSnapshot, where: str) -> dict[str, object]:
    """What ``plecak trust show`` reports (cli.md JSON names): date, origin, source, counts."""
    from wallet.codecs.dates import format_date

    kinds = {trust.CA_QC: "ca_qc", trust.CA_PKC: "ca_pkc", trust.TSA_QTST: "tsa_qtst"}
    counts = dict.fromkeys([*kinds.values(), "tsa"], 0)
    for service in snapshot.services:
        newest = max(service.history, key=lambda p: p.start, default=None)
        if newest is not None:
            counts[kinds.get(newest.service_type, "tsa")] += 1
    return {
        "as_of": format_date(snapshot.as_of),
        "origin": where,
        "path": str(user_dir() if where == "user" else trust.SNAPSHOT_DIR),
        "source": snapshot.source,
        "lists": [
            {
                "country": i.country,
                "sequence": i.sequence,
                "issued": format_date(i.issued),
                "next_update": format_date(i.next_update),
                "sha256": i.sha256,
            }
            for i in snapshot.lists
        ],
        "services": len(snapshot.services),
        "by_type": counts,
    }
