"""Build a cli.md mirror index from a conformance case, for offline verifier tests.

The conformance corpora describe what a verifier may fetch as a map URL -> file in the corpus:
``serve`` (+ optional ``serve_meta`` overrides) in ob2/cases.json, ``needs`` in ob3/cases.json.
:func:`mirror_from_serve` turns such a map into a mirror index (cli.md format) under ``tmp_path`` that
``HttpFetcher(mirrors=[index])`` or ``plecak --mirror index`` understands.

Why the files are copied into ``tmp_path`` instead of pointing at the corpus: a mirror refuses paths
that escape the folder of its index (a hostile share bundle must not read ``../../etc/passwd``), so
the documents must live next to the index.  The copy lives only in the test's temporary folder;
nothing from the corpus enters the project.

Example::

    case = next(c for c in cases if c["id"] == "hosted-2.0-revoked-410")
    index = mirror_from_serve(tmp_path, conformance_dir / "ob2", case["serve"], case.get("serve_meta"))
    async with HttpFetcher(offline=True, mirrors=[index]) as fetcher: ...
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

INDEX_NAME = "index.json"


def _safe_relative(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"corpus path {rel!r} is not a plain relative path")
    return path


def mirror_from_serve(
    tmp_path: Path,
    base_dir: Path,
    serve: Mapping[str, str],
    serve_meta: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """Write ``tmp_path/mirror/index.json`` answering every URL of ``serve`` (and ``serve_meta``).

    ``serve`` maps URL -> file relative to ``base_dir`` (the corpus folder the case belongs to, e.g.
    ``conformance_dir / "ob2"`` or ``conformance_dir / "ob3"``).  ``serve_meta`` maps URL ->
    ``{"status": ..., "content_type": ...}`` overrides; a URL only in ``serve_meta`` becomes a
    status-only entry (a 410/404 with no body).  Content types not given are left to the Fetcher,
    which guesses them from the file extension exactly as the corpus MANIFESTs say.

    Returns the path of the index file.  Calling it twice with the same ``tmp_path`` replaces the
    previous mirror.
    """
    folder = tmp_path / "mirror"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    meta = dict(serve_meta or {})
    index: dict[str, Any] = {}
    for url, rel in serve.items():
        rel_path = _safe_relative(rel)
        source = base_dir / rel_path
        if not source.is_file():
            raise FileNotFoundError(f"{url} is served from {source}, which does not exist")
        target = folder / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        entry: dict[str, Any] = {"file": rel_path.as_posix()}
        override = meta.pop(url, None) or {}
        if "status" in override:
            entry["status"] = int(override["status"])
        if override.get("content_type"):
            entry["content_type"] = str(override["content_type"])
        index[url] = entry if len(entry) > 1 else rel_path.as_posix()
    for url, override in meta.items():
        status_only: dict[str, Any] = {"status": int(override.get("status", 404))}
        if override.get("content_type"):
            status_only["content_type"] = str(override["content_type"])
        index[url] = status_only
    path = folder / INDEX_NAME
    path.write_text(json.dumps(index, indent=1, sort_keys=True), encoding="utf-8")
    return path
