"""``plecak verify bundle.zip``: the employer's one command (bundle.md), as numbered named checks.

Signatures (exact)::

    async def verify_bundle(
        path: Path,
        *,
        fetcher_factory: Callable[..., Fetcher],   # (documents=None, offline=None) -> Fetcher
        clock: Clock = system_clock,
        offline: bool = False,
        recipients: Sequence[str] = (),
        parse_blob: Callable[[Blob], ImportBatch] | None = None,
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

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from wallet.bundle.claims import misstated
from wallet.bundle.summary import credential_image
from wallet.bundle.verify import holder as bundle_holder
from wallet.bundle.verify.archive import BUNDLE_MEDIA_TYPE, BundleArchive, DamagedEntry, open_bundle
from wallet.bundle.verify.report import BundleCredential, BundleReport
from wallet.bundle.verify.summary_check import captured as _captured
from wallet.bundle.verify.summary_check import check_summary
from wallet.codecs import holder, safejson
from wallet.codecs.dates import parse_date
from wallet.codecs.eu import describe
from wallet.errors import BundleError, WalletError
from wallet.i18n import _
from wallet.model import (
    CheckResult,
    CheckStatus,
    Credential,
    Json,
    Status,
    VerificationReport,
)
from wallet.ports import Blob, Clock, Fetcher, ImportBatch, UrlReference, system_clock
from wallet.verify import provenance
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext
from wallet.verify.ob2.display import with_linked_display

FIXED = ("mimetype", "manifest.json", "presentation.json")
__all__ = ["BundleCredential", "BundleReport", "Integrity", "check_integrity", "verify_bundle"]


def _sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


# --------------------------------------------------------------------------- the run


@dataclass(slots=True)
class _Run:
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


def _read_all(run: _Run) -> None:
    for name in run.archive.names:
        try:
            run.contents[name] = run.archive.read(name)
        except DamagedEntry as exc:
            run.damaged[name] = str(exc)


def _check_files(run: _Run) -> None:
    # (2) the manifest, then every file against it
    mimetype = run.contents.get("mimetype")
    bad: list[str] = []
    if mimetype != BUNDLE_MEDIA_TYPE.encode("ascii"):
        bad.append("mimetype")
    raw = run.contents.get("manifest.json")
    try:
        manifest = safejson.loads(raw, source="manifest.json") if raw is not None else None
    except WalletError:
        manifest = None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        run.problem("manifest.json")
        run.checks.failed(
            "files",
            _("manifest.json is missing or damaged: the files cannot be checked."),
            detail=run.damaged.get("manifest.json", ""),
        )
        return
    run.manifest = manifest
    listed: set[str] = set()
    for entry in manifest["files"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            bad.append("manifest.json")
            continue
        name = entry["path"]
        listed.add(name)
        data = run.contents.get(name)
        if (
            data is None
            or entry.get("size") != len(data)
            or entry.get("sha256") != hashlib.sha256(data).hexdigest()
        ):
            bad.append(name)
    for name in run.archive.names:
        if name not in listed and name not in FIXED:
            bad.append(name)
    for name in run.damaged:
        if name not in bad:
            bad.append(name)
    for name in sorted(set(bad), key=bad.index):
        run.problem(name)
    if bad:
        run.checks.failed(
            "files",
            _(
                "These files do not match the manifest (changed, damaged, missing or unlisted): {files}"
            ).format(files=", ".join(sorted(set(bad), key=bad.index))),
        )
    else:
        run.checks.passed(
            "files",
            _("All {count} files match their SHA-256 digests in the manifest.").format(
                count=len(listed)
            ),
        )


def _check_presentation(run: _Run) -> None:
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


def _evidence_documents(run: _Run) -> tuple[dict[str, tuple[int, str, bytes]], datetime | None]:
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


def _own_evidence(
    run: _Run, entry: dict[str, Any], shared: dict[str, tuple[int, str, bytes]]
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


def _linked(documents: dict[str, tuple[int, str, bytes]]) -> dict[str, Json]:
    linked: dict[str, Json] = {}
    for url, (status, content_type, body) in documents.items():
        if 200 <= status < 300 and "json" in content_type and body:
            try:
                linked[url] = safejson.loads(body, source=url)
            except WalletError:
                continue
    return linked


async def _parse(
    run: _Run, name: str, parse_blob: Callable[[Blob], ImportBatch], fetcher: Fetcher
) -> Credential:
    data = run.contents[name]
    batch = parse_blob(Blob(data=data, source=f"{run.path.name}!{name}"))
    for found in batch.found:
        if isinstance(found, Credential):
            return found
        if isinstance(found, UrlReference):
            response = await fetcher.get(found.url)
            inner = parse_blob(Blob(response.body, found.url, response.content_type))
            for item in inner.found:
                if isinstance(item, Credential):
                    return item
    if batch.failures:
        error = batch.failures[0].error
        raise (
            error
            if isinstance(error, WalletError)
            else BundleError(source=name, reason=repr(error))
        )
    raise BundleError(source=name, reason=_("no credential inside"))


def _incomplete(report: VerificationReport) -> bool:
    return any(c.status is CheckStatus.UNKNOWN for c in report.checks)


async def _verify_one(
    credential: Credential,
    *,
    fetcher_factory: Callable[..., Fetcher],
    evidence: dict[str, tuple[int, str, bytes]],
    as_of: datetime | None,
    clock: Clock,
    offline: bool,
    recipients: tuple[str, ...],
) -> tuple[VerificationReport, Callable[[str], bytes | None]]:
    """Online first; the bundle's evidence only when the issuer cannot be reached.

    Returns the report and the bodies of the documents it used (by digest), from which an OB 2.0
    badge's linked BadgeClass and Issuer are shown (:mod:`wallet.verify.ob2.display`).

    Why the evidence is a fallback and not an alternative: the documents in ``evidence/`` were
    captured by the sender's wallet, so they are only as trustworthy as the sender.  When the
    issuer's server answers — even "404 Not Found" or "410 Gone" — that answer is the truth and
    the evidence is not consulted.  When it does not, the result from the evidence is subject to
    :func:`wallet.verify.provenance.apply_rule`: it can be ``valid`` only when every carried
    document it used is pinned by digest or signed by the credential's own issuer key (did:key and
    did:jwk issuers need no document at all); otherwise it is ``unverified``, naming what to
    confirm online and when the holder's wallet captured it.
    """
    from wallet.verify.verifier import verify

    if not offline:
        online = fetcher_factory()
        try:
            report = await verify(credential, VerifyContext(online, clock, recipients, False))
        finally:
            await _close(online)
        if not _incomplete(report) or _issuer_answered(report):
            return replace(report, mode="online"), online.body_of
    carried = await _not_pinned_by_the_user(evidence, fetcher_factory)
    replay = fetcher_factory(documents=carried, offline=True)
    ctx = VerifyContext(replay, clock, recipients, True)
    try:
        report = await verify(credential, ctx)
    finally:
        await _close(replay)
    report = provenance.apply_rule(report, replay, ctx.vouched, as_of)
    return replace(report, mode="evidence", as_of=as_of), replay.body_of


async def _not_pinned_by_the_user(
    evidence: dict[str, tuple[int, str, bytes]], fetcher_factory: Callable[..., Fetcher]
) -> dict[str, tuple[int, str, bytes]]:
    """The carried documents the verifier's own trust anchors (``--mirror``, ``PLECAK_CONTEXTS``,
    the context cache) cannot answer.  Where they can, their copy is used and the carried one
    never seen: the Fetcher looks at handed-in documents first, and an employer who pinned an
    issuer's DID document must get that one, not the holder's."""
    own = fetcher_factory(offline=True)
    kept: dict[str, tuple[int, str, bytes]] = {}
    try:
        for url, document in evidence.items():
            try:
                await own.get(url)
            except WalletError:
                kept[url] = document
    finally:
        await _close(own)
    return kept


def _issuer_answered(report: VerificationReport) -> bool:
    """The issuer's server was reached and refused a document (404/410): no fallback then."""
    return any(record.status in (404, 410) for record in report.evidence)


async def _close(fetcher: Fetcher) -> None:
    closer = getattr(fetcher, "aclose", None)
    if closer is not None:
        await closer()


@dataclass(frozen=True, slots=True)
class Integrity:
    """Checks 1-3 only (archive, files, holder's signature): what the review needs, no network."""

    checks: tuple[CheckResult, ...]
    manifest: dict[str, Any] | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return all(c.status is CheckStatus.PASS for c in self.checks) and self.manifest is not None


def _integrity_run(path: Path, archive: BundleArchive) -> _Run:
    run = _Run(path, archive)
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
        run = _integrity_run(path, archive)
    finally:
        archive.close()
    return Integrity(tuple(run.checks.items), run.manifest, tuple(run.problems))


async def verify_bundle(
    path: Path,
    *,
    fetcher_factory: Callable[..., Fetcher],
    clock: Clock = system_clock,
    offline: bool = False,
    recipients: Sequence[str] = (),
    parse_blob: Callable[[Blob], ImportBatch] | None = None,
) -> BundleReport:
    """Check a share bundle; raises BundleError only when the archive is refused as unsafe."""
    archive = open_bundle(path)  # (1) archive safety: raises before anything is read
    try:
        run = _integrity_run(path, archive)
        credentials = await _check_credentials(
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


async def _check_credentials(
    run: _Run,
    fetcher_factory: Callable[..., Fetcher],
    clock: Clock,
    offline: bool,
    recipients: Sequence[str],
    parse_blob: Callable[[Blob], ImportBatch] | None,
) -> list[BundleCredential]:
    # (4) each credential, (5) the manifest's claims about it, (6) the recipient
    entries = (run.manifest or {}).get("credentials")
    entries = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    if parse_blob is None:
        run.checks.unknown(
            "credentials", _("The credentials could not be read: no importers given.")
        )
        return [BundleCredential(str(e.get("file")), error="not checked") for e in entries]
    shared, shared_as_of = _evidence_documents(run)
    disclosed = (run.manifest or {}).get("disclosed_identity")
    ids = tuple(recipients) + ((disclosed,) if isinstance(disclosed, str) and disclosed else ())
    results: list[BundleCredential] = []
    claims_bad: list[str] = []
    for entry in entries:
        name = str(entry.get("file"))
        if name not in run.contents:
            run.problem(name)
            results.append(BundleCredential(name, error=_("the file is missing")))
            continue
        evidence, as_of = _own_evidence(run, entry, shared)
        replay = fetcher_factory(documents=evidence, offline=True)
        try:
            credential = await _parse(run, name, parse_blob, replay)
        except WalletError as exc:
            run.problem(name)
            results.append(BundleCredential(name, error=exc.user_message()))
            continue
        finally:
            await _close(replay)
        report, body_of = await _verify_one(
            credential,
            fetcher_factory=fetcher_factory,
            evidence=evidence,
            as_of=as_of or shared_as_of,
            clock=clock,
            offline=offline,
            recipients=ids,
        )
        # what the exporter showed: the badge completed from the BadgeClass/Issuer just verified
        credential = with_linked_display(credential, report, body_of)
        report = bundle_holder.bind_holder(report, credential, _presenter(run))
        if report.status is not Status.VALID:
            run.problem(name)
        stated = (
            [
                (e.get("key"), e.get("state"), e.get("value"))
                for e in entry.get("eu_elements", [])
                if isinstance(e, dict)
            ]
            if isinstance(entry.get("eu_elements"), list)
            else None
        )
        facts = describe(credential, _linked(evidence))
        actual = [(e.key, e.state.value, e.value) for e in facts.elements]
        if stated != actual or misstated(entry, credential):
            claims_bad.append(name)
            run.problem(name)
        image = credential_image(credential, _captured(evidence), run.contents[name])
        # the title, issuer and dates shown come from the verified credential, never the manifest
        results.append(BundleCredential(name, credential.title, credential, report, facts, image))
    valid = sum(1 for r in results if r.status is Status.VALID)
    modes = sorted({_mode_label(r.report.mode) for r in results if r.report})
    if not results:
        run.checks.failed("credentials", _("The bundle holds no credentials."))
    elif valid == len(results):
        run.checks.passed(
            "credentials",
            _("All {count} credentials are valid ({modes}).").format(
                count=valid, modes=", ".join(modes)
            ),
        )
    else:
        # Only unverified (nothing proven either way, e.g. offline) -> the bundle is unverified.
        unverified = all(r.status in (Status.VALID, Status.UNVERIFIED) for r in results)
        run.checks.add(
            "credentials",
            CheckStatus.UNKNOWN if unverified else CheckStatus.FAIL,
            _("{bad} of {count} credentials are not valid.").format(
                bad=len(results) - valid, count=len(results)
            ),
        )
    if claims_bad:
        run.checks.failed(
            "manifest-claims",
            _("The manifest misstates what these credentials say: {files}").format(
                files=", ".join(claims_bad)
            ),
        )
    elif results:
        run.checks.passed("manifest-claims", _("The manifest states what the credentials say."))
    _check_holder_binding(run, results)
    _check_recipient(run, results, ids)
    return results


def _presenter(run: _Run) -> str | None:
    """The bundle's holder, once check 3 proved that DID signed it; otherwise nobody."""
    signed = any(c.id == "presentation" and c.status is CheckStatus.PASS for c in run.checks.items)
    holder_did = (run.manifest or {}).get("holder")
    return holder_did if signed and isinstance(holder_did, str) else None


def _check_holder_binding(run: _Run, results: list[BundleCredential]) -> None:
    bound = [r for r in results if r.credential and bundle_holder.subject_dids(r.credential)]
    if not bound:
        return
    foreign = [r.file for r in bound if bundle_holder.holder_failed(r.report)]
    if foreign:
        run.checks.failed(
            "holder",
            _("These credentials were issued to someone other than the holder: {files}").format(
                files=", ".join(foreign)
            ),
        )
    else:
        run.checks.passed(
            "holder",
            _("The holder is the subject of every credential issued to a DID ({count}).").format(
                count=len(bound)
            ),
        )


def _mode_label(mode: str) -> str:
    if mode == "evidence":
        return _("against the evidence in the bundle")
    return _("online")


def _check_recipient(run: _Run, results: list[BundleCredential], ids: tuple[str, ...]) -> None:
    if not ids:
        run.checks.skip(
            "recipient",
            _("Recipient not disclosed: the holder chose not to show whom these were issued to."),
        )
        return
    mismatched = [r.file for r in results if r.report and r.report.recipient.matched is False]
    checked = [r for r in results if r.report and r.report.recipient.checked]
    if mismatched:
        for name in mismatched:
            run.problem(name)
        run.checks.failed(
            "recipient",
            _("These credentials were not issued to {identity}: {files}").format(
                identity=", ".join(ids), files=", ".join(mismatched)
            ),
        )
    elif checked:
        run.checks.passed(
            "recipient",
            _(
                "Issued to {identity} (hash matches) — {count} credentials. This does not show "
                "that the holder controls that address."
            ).format(count=len(checked), identity=", ".join(ids)),
        )
    else:
        run.checks.skip("recipient", _("No credential names a recipient that could be matched."))
