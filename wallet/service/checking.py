"""Checking: verify without a wallet (the employer's and advisor's tool), share bundles and CV
PDFs, and rechecking stored credentials (online, or offline from this wallet's own evidence)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wallet.errors import RecordTampered, WalletError
from wallet.model import Credential, PortfolioEntry, Status, VerificationReport
from wallet.ports import Clock, Document, FetcherFactory
from wallet.service.entries import changed_checks, keeps_last_known
from wallet.service.run import VerifyRun, as_of_capture
from wallet.service.sources import (
    Gatherer,
    answered_http_error,
    as_wallet_error,
    hosted_reference,
    is_bundle,
    is_cv_pdf,
)
from wallet.service.types import ImporterRegistry, Progress, RecheckOutcome, VerifyOutcome

if TYPE_CHECKING:
    from wallet.store import Wallet


class Checker:
    """What verification needs from the service: importers, a fetcher per run, clock, mode."""

    def __init__(
        self,
        importers: ImporterRegistry,
        fetcher_factory: FetcherFactory,
        clock: Clock,
        offline: bool,
    ) -> None:
        self.importers = importers
        self.fetcher_factory = fetcher_factory
        self.clock = clock
        self.offline = offline

    def run(
        self,
        recipients: Sequence[str] = (),
        *,
        documents: Mapping[str, Document] | None = None,
        fetcher_offline: bool | None = None,
    ) -> VerifyRun:
        """One run (``async with``) in the service's mode."""
        return VerifyRun(
            self.fetcher_factory,
            clock=self.clock,
            offline=self.offline,
            recipients=recipients,
            documents=documents,
            fetcher_offline=fetcher_offline,
        )

    async def sources(
        self, sources: Sequence[str], recipients: Sequence[str], progress: Progress | None
    ) -> list[VerifyOutcome]:
        outcomes: list[VerifyOutcome] = []
        plain: list[str] = []
        for source in sources:
            if is_bundle(source) or is_cv_pdf(source):
                outcomes.append(await self.bundle(Path(source), recipients))
            else:
                plain.append(source)
        async with self.run(recipients) as run:
            batches = await Gatherer(self.importers, run.fetcher).sources(plain)
            items: list[tuple[str, Credential]] = []
            for source, batch in zip(plain, batches, strict=True):
                if not batch.found and answered_http_error(source, batch):
                    # An assertion URL answering 4xx/5xx is still a hosted badge to verify: the
                    # verifier fetches it again and reports revoked (410) or unverified.
                    items.append((source, hosted_reference(source)))
                    continue
                for failure in batch.failures:
                    error = as_wallet_error(failure)
                    outcomes.append(VerifyOutcome(source=failure.source, error=error))
                for found in batch.found:
                    if isinstance(found, Credential):
                        items.append((found.original.source, found))
            reports = await run.verify([c for _s, c in items], progress)
            for (source, credential), report in zip(items, reports, strict=True):
                shown = run.shown(credential, report)
                outcomes.append(VerifyOutcome(source=source, credential=shown, report=report))
        return outcomes

    async def bundle(self, path: Path, recipients: Sequence[str]) -> VerifyOutcome:
        """A share bundle or a CV PDF carrying one (each run opens its own fetchers)."""
        from wallet.bundle.verify.cvpdf import verify_cv_pdf
        from wallet.bundle.verify.verifier import verify_bundle

        check = verify_cv_pdf if is_cv_pdf(str(path)) else verify_bundle
        try:
            report = await check(
                path,
                fetcher_factory=self.fetcher_factory,
                clock=self.clock,
                offline=self.offline,
                recipients=tuple(recipients),
                parse_blob=self.importers.parse_blob,
            )
        except WalletError as exc:
            return VerifyOutcome(source=str(path), error=exc)
        return VerifyOutcome(source=str(path), bundle=report)

    async def recheck(
        self, wallet: Wallet, cid: str, recipients: Sequence[str], offline: bool
    ) -> RecheckOutcome:
        """One credential; a damaged record of it is reported for it alone (never compared as if
        it were a real previous status), and the other credentials go on."""
        entry = None
        try:
            entry = wallet.get_entry(cid)
            credential = wallet.get_credential(cid)
            history, _damaged = wallet.checked_history(cid)
            previous, _damaged = wallet.newest_report(cid)
            documents = recorded_documents(wallet, history) if offline else None
        except RecordTampered as exc:
            return damaged_outcome(cid, entry, exc)
        async with self.run(recipients, documents=documents, fetcher_offline=offline) as run:
            (report,) = await run.verify([credential])
        if offline and documents:
            report = as_of_capture(report, previous)
        if keeps_last_known(previous, report):
            # No answer is not "no longer revoked": the revocation stands until a check says
            # otherwise, and the incomplete check is not recorded over it.
            assert previous is not None and entry is not None
            return RecheckOutcome(cid, entry.status, previous.status, report, kept=True)
        shown = run.shown(credential, report)
        display = shown if shown is not credential else None
        wallet.add_report(cid, report, run.evidence(report), display=display)
        assert entry is not None
        return RecheckOutcome(
            id=cid,
            before=entry.status,
            after=report.status,
            report=report,
            changed=changed_checks(previous, report) if previous is not None else (),
        )


def recorded_documents(
    wallet: Wallet, history: Sequence[VerificationReport]
) -> dict[str, Document]:
    """The documents this wallet captured in earlier checks: an offline recheck's mirror."""
    documents: dict[str, Document] = {}
    for report in history:
        for record in report.evidence:
            try:
                body = wallet.evidence_body(record.sha256)
            except RecordTampered:
                continue  # a damaged stored document: as if it had never been captured
            if body is not None or record.status >= 400:
                documents[record.url] = (record.status, record.content_type, body or b"")
    return documents


def damaged_outcome(cid: str, entry: PortfolioEntry | None, error: WalletError) -> RecheckOutcome:
    """A credential that cannot be rechecked because a record of it is damaged: its status is
    left as it was (nothing was checked), the error says why."""
    before = entry.status if entry is not None else Status.UNVERIFIED
    return RecheckOutcome(id=cid, before=before, after=before, report=None, error=error)
