"""Checks 4-7 of a share bundle: each credential (online first, the carried evidence only as a
fallback under the provenance rule), the manifest's claims about it, the holder and the recipient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from wallet.bundle.claims import misstated
from wallet.bundle.summary import credential_image
from wallet.bundle.verify import holder as bundle_holder
from wallet.bundle.verify.integrity import BundleRun, evidence_documents, own_evidence
from wallet.bundle.verify.report import BundleCredential
from wallet.bundle.verify.summary_check import captured as _captured
from wallet.codecs import safejson
from wallet.codecs.eu import describe
from wallet.errors import BundleError, WalletError
from wallet.i18n import _
from wallet.model import (
    CheckStatus,
    Credential,
    Json,
    Status,
    VerificationReport,
)
from wallet.ports import Blob, Clock, Fetcher, FetcherFactory, ImportBatch, UrlReference
from wallet.verify import provenance
from wallet.verify.context import VerifyContext
from wallet.verify.ob2.display import with_linked_display


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
    run: BundleRun, name: str, parse_blob: Callable[[Blob], ImportBatch], fetcher: Fetcher
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
    fetcher_factory: FetcherFactory,
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
            await online.aclose()
        if not _incomplete(report) or _issuer_answered(report):
            return replace(report, mode="online"), online.body_of
    carried = await _not_pinned_by_the_user(evidence, fetcher_factory)
    replay = fetcher_factory(documents=carried, offline=True)
    ctx = VerifyContext(replay, clock, recipients, True)
    try:
        report = await verify(credential, ctx)
    finally:
        await replay.aclose()
    report = provenance.apply_rule(report, replay, ctx.vouched, as_of)
    return replace(report, mode="evidence", as_of=as_of), replay.body_of


async def _not_pinned_by_the_user(
    evidence: dict[str, tuple[int, str, bytes]], fetcher_factory: FetcherFactory
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
        await own.aclose()
    return kept


def _issuer_answered(report: VerificationReport) -> bool:
    """The issuer's server was reached and refused a document (404/410): no fallback then."""
    return any(record.status in (404, 410) for record in report.evidence)


async def check_credentials(
    run: BundleRun,
    fetcher_factory: FetcherFactory,
    clock: Clock,
    offline: bool,
    recipients: Sequence[str],
    parse_blob: Callable[[Blob], ImportBatch],
) -> list[BundleCredential]:
    # (4) each credential, (5) the manifest's claims about it, (6) the recipient
    entries = (run.manifest or {}).get("credentials")
    entries = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    shared, shared_as_of = evidence_documents(run)
    disclosed = (run.manifest or {}).get("disclosed_identity")
    ids = tuple(recipients) + ((disclosed,) if isinstance(disclosed, str) and disclosed else ())
    one = _EntryCheck(run, fetcher_factory, parse_blob, shared, shared_as_of, clock, offline, ids)
    results = [await one.check(entry) for entry in entries]
    _check_verdicts(run, results)
    _check_claims(run, results, one.claims_bad)
    _check_holder_binding(run, results)
    _check_recipient(run, results, ids)
    return results


@dataclass(slots=True)
class _EntryCheck:
    """Check (4) and (5) for one manifest entry at a time, with what every entry shares."""

    run: BundleRun
    fetcher_factory: FetcherFactory
    parse_blob: Callable[[Blob], ImportBatch]
    shared: dict[str, tuple[int, str, bytes]]
    shared_as_of: datetime | None
    clock: Clock
    offline: bool
    ids: tuple[str, ...]
    claims_bad: list[str] = field(default_factory=list)

    async def check(self, entry: dict[str, Any]) -> BundleCredential:
        run, name = self.run, str(entry.get("file"))
        if name not in run.contents:
            run.problem(name)
            return BundleCredential(name, error=_("the file is missing"))
        evidence, as_of = own_evidence(run, entry, self.shared)
        replay = self.fetcher_factory(documents=evidence, offline=True)
        try:
            credential = await _parse(run, name, self.parse_blob, replay)
        except WalletError as exc:
            run.problem(name)
            return BundleCredential(name, error=exc.user_message())
        finally:
            await replay.aclose()
        report, body_of = await _verify_one(
            credential,
            fetcher_factory=self.fetcher_factory,
            evidence=evidence,
            as_of=as_of or self.shared_as_of,
            clock=self.clock,
            offline=self.offline,
            recipients=self.ids,
        )
        # what the exporter showed: the badge completed from the BadgeClass/Issuer just verified
        credential = with_linked_display(credential, report, body_of)
        report = bundle_holder.bind_holder(report, credential, _presenter(run))
        if report.status is not Status.VALID:
            run.problem(name)
        facts = describe(credential, _linked(evidence))
        if _stated(entry) != [(e.key, e.state.value, e.value) for e in facts.elements] or (
            misstated(entry, credential)
        ):
            self.claims_bad.append(name)
            run.problem(name)
        image = credential_image(credential, _captured(evidence), run.contents[name])
        # the title, issuer and dates shown come from the verified credential, never the manifest
        return BundleCredential(name, credential.title, credential, report, facts, image)


def _stated(entry: dict[str, Any]) -> list[tuple[Any, Any, Any]] | None:
    """The EU elements the manifest states for an entry (None when it states none)."""
    elements = entry.get("eu_elements")
    if not isinstance(elements, list):
        return None
    return [(e.get("key"), e.get("state"), e.get("value")) for e in elements if isinstance(e, dict)]


def _check_verdicts(run: BundleRun, results: list[BundleCredential]) -> None:
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


def _check_claims(run: BundleRun, results: list[BundleCredential], claims_bad: list[str]) -> None:
    if claims_bad:
        run.checks.failed(
            "manifest-claims",
            _("The manifest misstates what these credentials say: {files}").format(
                files=", ".join(claims_bad)
            ),
        )
    elif results:
        run.checks.passed("manifest-claims", _("The manifest states what the credentials say."))


def _presenter(run: BundleRun) -> str | None:
    """The bundle's holder, once check 3 proved that DID signed it; otherwise nobody."""
    signed = any(c.id == "presentation" and c.status is CheckStatus.PASS for c in run.checks.items)
    holder_did = (run.manifest or {}).get("holder")
    return holder_did if signed and isinstance(holder_did, str) else None


def _check_holder_binding(run: BundleRun, results: list[BundleCredential]) -> None:
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


def _check_recipient(run: BundleRun, results: list[BundleCredential], ids: tuple[str, ...]) -> None:
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
