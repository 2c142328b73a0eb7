"""Checks 1-3 of a share bundle (archive, files, the holder's signature) and the evidence it carries.

What :func:`check_integrity` gives the review without any network, and the first half of
:func:`wallet.bundle.verify.verifier.verify_bundle`; the run it builds is handed to
:mod:`wallet.bundle.verify.credentials` for checks 4-7.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from wallet.bundle.verify.archive import BUNDLE_MEDIA_TYPE, BundleArchive, DamagedEntry, open_bundle
from wallet.codecs import holder, safejson
from wallet.codecs.dates import parse_date
from wallet.errors import WalletError
from wallet.i18n import _
from wallet.model import (
    CheckResult,
    CheckStatus,
)
from wallet.verify.checks import Checks

FIXED = ("mimetype", "manifest.json", "presentation.json")


def _sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


# --------------------------------------------------------------------------- the run


@dataclass(slots=True)
class BundleRun:
    path: Path
    archive: BundleArchive
    checks: Checks = field(default_factory=Checks)
    contents: dict[str, bytes] = field(default_factory=dict)
    damaged: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] | None = None

    def problem(self, name: str) -> None:
        if name not in self.problems:
            self.problems.append(name)


def _read_all(run: BundleRun) -> None:
    for name in run.archive.names:
        try:
            run.contents[name] = run.archive.read(name)
        except DamagedEntry as exc:
            run.damaged[name] = str(exc)


def _check_files(run: BundleRun) -> None:
    # (2) the manifest, then every file against it
    manifest = _read_manifest(run)
    if manifest is None:
        return
    run.manifest = manifest
    bad, listed = _mismatched_files(run, manifest["files"])
    for name in bad:
        run.problem(name)
    if bad:
        run.checks.failed(
            "files",
            _(
                "These files do not match the manifest (changed, damaged, missing or unlisted): {files}"
            ).format(files=", ".join(bad)),
        )
    else:
        run.checks.passed(
            "files",
            _("All {count} files match their SHA-256 digests in the manifest.").format(
                count=len(listed)
            ),
        )


def _read_manifest(run: BundleRun) -> dict[str, Any] | None:
    """The parsed manifest; None, with the failed check recorded, when it is missing or damaged."""
    raw = run.contents.get("manifest.json")
    try:
        manifest = safejson.loads(raw, source="manifest.json") if raw is not None else None
    except WalletError:
        manifest = None
    if isinstance(manifest, dict) and isinstance(manifest.get("files"), list):
        return manifest
    run.problem("manifest.json")
    run.checks.failed(
        "files",
        _("manifest.json is missing or damaged: the files cannot be checked."),
        detail=run.damaged.get("manifest.json", ""),
    )
    return None


def _mismatched_files(run: BundleRun, entries: list[Any]) -> tuple[list[str], set[str]]:
    """The names that break the manifest (first-seen order, once each), and the names it lists."""
    bad: list[str] = []
    if run.contents.get("mimetype") != BUNDLE_MEDIA_TYPE.encode("ascii"):
        bad.append("mimetype")
    listed: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            bad.append("manifest.json")
            continue
        name = entry["path"]
        listed.add(name)
        if not _matches(entry, run.contents.get(name)):
            bad.append(name)
    bad.extend(name for name in run.archive.names if name not in listed and name not in FIXED)
    bad.extend(run.damaged)
    return list(dict.fromkeys(bad)), listed


def _matches(entry: dict[str, Any], data: bytes | None) -> bool:
    return (
        data is not None
        and entry.get("size") == len(data)
        and entry.get("sha256") == hashlib.sha256(data).hexdigest()
    )


def _check_presentation(run: BundleRun) -> None:
    # (3) the holder's signature binds this manifest
    raw = run.contents.get("presentation.json")
    manifest_raw = run.contents.get("manifest.json", b"")
    try:
        vp = safejson.loads(raw, source="presentation.json") if raw is not None else None
    except WalletError:
        vp = None
    result = holder.verify_jcs(vp)
    manifest = run.manifest or {}
    if not isinstance(vp, dict) or not result.ok:
        run.problem("presentation.json")
        run.checks.failed(
            "presentation",
            _("The holder's signature in presentation.json is not valid."),
            detail=result.reason,
        )
        return
    resources = vp.get("relatedResource")
    pinned = None
    bundle_id = manifest.get("id")
    for item in resources if isinstance(resources, list) else []:
        if isinstance(item, dict) and item.get("id") == f"{bundle_id}#manifest.json":
            pinned = item.get("digestSRI")
    problems: list[str] = []
    if vp.get("holder") != result.signer or manifest.get("holder") != result.signer:
        problems.append(_("the signer is not the holder named in the manifest"))
    if result.proof_purpose != "authentication" or result.challenge != bundle_id:
        problems.append(_("the signature was made for another purpose or bundle"))
    if pinned != _sri(manifest_raw):
        run.problem("manifest.json")
        problems.append(_("manifest.json was changed after the holder signed it"))
    if problems:
        run.checks.failed("presentation", "; ".join(problems), detail=str(result.signer))
    else:
        run.checks.passed(
            "presentation",
            _(
                "Signed by the holder {did}; the signature covers the manifest and so every file."
            ).format(did=result.signer),
        )


def evidence_documents(run: BundleRun) -> tuple[dict[str, tuple[int, str, bytes]], datetime | None]:
    """The in-memory mirror of ``evidence/`` and the latest capture time in it."""
    raw = run.contents.get("evidence/index.json")
    documents: dict[str, tuple[int, str, bytes]] = {}
    latest: datetime | None = None
    try:
        index = safejson.loads(raw, source="evidence/index.json") if raw else {}
    except WalletError:
        return documents, None
    for url, entry in index.items() if isinstance(index, dict) else []:
        if not isinstance(entry, dict):
            continue
        status = entry.get("status", 200)
        body = b""
        file = entry.get("file")
        if isinstance(file, str):
            body = run.contents.get(f"evidence/{file}", b"")
            if not body:
                continue
        if not isinstance(status, int):
            continue
        documents[str(url)] = (
            status,
            str(entry.get("content_type") or "application/octet-stream"),
            body,
        )
        when = parse_date(entry.get("fetched_at"))
        if when is not None and (latest is None or when > latest):
            latest = when
    return documents, latest


def own_evidence(
    run: BundleRun, entry: dict[str, Any], shared: dict[str, tuple[int, str, bytes]]
) -> tuple[dict[str, tuple[int, str, bytes]], datetime | None]:
    """The documents this credential was verified with at export (from the signed manifest),
    over the bundle's shared index; and their latest capture time."""
    documents = dict(shared)
    latest: datetime | None = None
    listed = entry.get("evidence")
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        status = item.get("status")
        if not isinstance(status, int):
            continue
        body = b""
        digest = item.get("sha256")
        if isinstance(digest, str):
            found = [n for n in run.contents if n.startswith(f"evidence/{digest}.")]
            if not found:
                continue
            body = run.contents[found[0]]
            if hashlib.sha256(body).hexdigest() != digest:
                continue
        content_type = str(item.get("content_type") or "application/octet-stream")
        documents[item["url"]] = (status, content_type, body)
        when = parse_date(item.get("fetched_at"))
        if when is not None and (latest is None or when > latest):
            latest = when
    return documents, latest


@dataclass(frozen=True, slots=True)
class Integrity:
    """Checks 1-3 only (archive, files, holder's signature): what the review needs, no network."""

    checks: tuple[CheckResult, ...]
    manifest: dict[str, Any] | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return all(c.status is CheckStatus.PASS for c in self.checks) and self.manifest is not None


def integrity_run(path: Path, archive: BundleArchive) -> BundleRun:
    run = BundleRun(path, archive)
    run.checks.passed(
        "archive",
        _(
            "The archive is safe to read ({count} entries, no links, no traversal, no bombs)."
        ).format(count=len(archive.names)),
    )
    _read_all(run)
    _check_files(run)
    _check_presentation(run)
    return run


def check_integrity(path: Path) -> Integrity:
    """Archive safety, file digests and the holder's signature; raises BundleError when unsafe."""
    archive = open_bundle(path)
    try:
        run = integrity_run(path, archive)
    finally:
        archive.close()
    return Integrity(tuple(run.checks.items), run.manifest, tuple(run.problems))
