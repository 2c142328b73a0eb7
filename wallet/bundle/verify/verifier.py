"""``plecak verify bundle.zip``: the employer's one command (bundle.md), as numbered named checks.

Signatures (exact)::

    async def verify_bundle(
        path: Path,
        *,
        fetcher_factory: FetcherFactory,   # (documents=None, offline=None) -> Fetcher
        clock: Clock = system_clock,
        offline: bool = False,
        recipients: Sequence[str] = (),
        parse_blob: Callable[[Blob], ImportBatch],
    ) -> BundleReport

    BundleReport.ok -> bool; .exit_code -> int; .problems -> list[str] (file names)
    BundleReport.to_json() -> dict; .to_json_lines() -> list[dict]; .to_text() -> str

The checks, in order (bundle.md):

1. ``archive`` — archive safety before anything is read (:mod:`wallet.bundle.verify.archive`);
   an unsafe archive raises :class:`BundleError` instead of giving a report;
2. ``files`` — every file's size and SHA-256 match the manifest, nothing unlisted, nothing missing;
3. ``presentation`` — the learner's eddsa-jcs-2022 proof is valid, by the manifest's holder, and its
   ``relatedResource`` pins this very manifest (so one signature covers every byte);
4. ``credentials`` — each credential verified with :func:`wallet.verify.verifier.verify`: online
   when allowed (fresh revocation status), else — or when online checking could not complete —
   against ``evidence/`` as of its capture time (``mode="evidence"``, ``as_of`` set).  The
   evidence is *carried* (the holder could have made it): :mod:`wallet.verify.provenance` lets
   such a result be ``valid`` only when nothing carried decides it (self-certifying keys, pinned
   contexts, lists signed by the issuer's own key), else ``unverified`` with "confirm online";
5. ``manifest-claims`` — the EU elements the manifest states are recomputed from the credential
   (the learner signs the manifest, so this stops a learner overstating a level or credits);
6. ``holder`` — a credential issued to a DID must be presented by that DID (the bundle's
   verified holder), else it fails (:mod:`wallet.bundle.verify.holder`);
7. ``recipient`` — when the learner disclosed an identity (or ``--recipient`` was given), every
   credential that names a recipient matches it ("issued to X (hash matches)": never a claim that
   the presenter owns X); otherwise "recipient not disclosed";
8. ``summary`` — summary.html is drawn again from the verified credentials (and the manifest
   fields it may show) and must match byte for byte (:mod:`wallet.bundle.verify.summary_check`).

Exit 0 only if every check passes and every credential is ``valid``.  ``parse_blob`` is the
importers' registry (injected by the service: ``wallet.verify`` never imports ``importers``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Required, TypedDict

from wallet.bundle.verify.archive import open_bundle
from wallet.bundle.verify.credentials import check_credentials
from wallet.bundle.verify.integrity import Integrity, check_integrity, integrity_run
from wallet.bundle.verify.report import BundleCredential, BundleReport
from wallet.bundle.verify.summary_check import check_summary
from wallet.ports import Blob, Clock, FetcherFactory, ImportBatch, system_clock

__all__ = [
    "BundleCredential",
    "BundleOptions",
    "BundleReport",
    "Integrity",
    "check_integrity",
    "verify_bundle",
]


class BundleOptions(TypedDict, total=False):
    """The keyword options of :func:`verify_bundle`, for callers that pass them on unchanged."""

    clock: Clock
    offline: bool
    recipients: Sequence[str]
    parse_blob: Required[Callable[[Blob], ImportBatch]]


async def verify_bundle(
    path: Path,
    *,
    fetcher_factory: FetcherFactory,
    clock: Clock = system_clock,
    offline: bool = False,
    recipients: Sequence[str] = (),
    parse_blob: Callable[[Blob], ImportBatch],
) -> BundleReport:
    """Check a share bundle; raises BundleError only when the archive is refused as unsafe."""
    archive = open_bundle(path)  # (1) archive safety: raises before anything is read
    try:
        run = integrity_run(path, archive)
        credentials = await check_credentials(
            run, fetcher_factory, clock, offline, recipients, parse_blob
        )
        check_summary(run.checks, run.contents, run.manifest, credentials, run.problem)
    finally:
        archive.close()
    manifest = run.manifest or {}
    return BundleReport(
        source=str(path),
        checks=tuple(run.checks.items),
        credentials=tuple(credentials),
        checked_at=clock(),
        holder=manifest.get("holder") if isinstance(manifest.get("holder"), str) else None,
        bundle_id=manifest.get("id") if isinstance(manifest.get("id"), str) else None,
        problems=tuple(run.problems),
        manifest=run.manifest,
    )
