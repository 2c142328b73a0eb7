"""WalletService: the application API the shells (CLI, TUI) call — and the only one.

Why a service between the shells and the core: the CLI and the TUI must behave identically (same
import rules, same duplicate handling, same statuses, same ledger), and both must stay thin.  The
service gets importers, exporters and a Fetcher factory injected (see ``wallet.factory``), so this
module never imports the ``importers`` or ``exporters`` packages (architecture.md).
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wallet.errors import (
    ExportError,
    InputError,
    RecordTampered,
    StoreError,
    UnreadableInput,
    UnsupportedInput,
    UsageError,
    WalletError,
    WalletNotFound,
)
from wallet.i18n import N_, _, current_language
from wallet.model import (
    Credential,
    PortfolioEntry,
    Status,
    VerificationReport,
)
from wallet.ports import (
    Blob,
    Clock,
    Exporter,
    ExportRequest,
    Fetcher,
    ImportBatch,
    ImportFailure,
    UrlReference,
    system_clock,
)
from wallet.service_helpers import (
    MAX_STDIN_BYTES,
    _answered_http_error,
    _classify_source,
    _eu_elements,
    _evidence_bodies,
    _hosted_reference,
    _is_bundle,
    _is_cv_pdf,
    _kdf_profile,
    _read_stdin,
    _remember_contexts,
    _unreached_reference,
    _wallet_error,
    _with_eu_elements,
    changed_checks,
    filter_entries,
    identity_kind,
)
from wallet.service_types import (
    ClosableFetcher,
    CredentialView,
    FetcherFactory,
    ImporterRegistry,
    ImportOutcome,
    Progress,
    RecheckOutcome,
    VerifyOutcome,
)
from wallet.verify.ob2.display import with_linked_display

__all__ = [
    "MAX_STDIN_BYTES",
    "ClosableFetcher",
    "CredentialView",
    "FetcherFactory",
    "ImportOutcome",
    "ImporterRegistry",
    "Progress",
    "RecheckOutcome",
    "VerifyOutcome",
    "WalletService",
    "changed_checks",
    "filter_entries",
    "identity_kind",
]

if TYPE_CHECKING:
    from wallet.store import Wallet
    from wallet.store.damage import DamageReport

MAX_REFERENCE_DEPTH = 2
_SIGNED_KINDS = ("bundle", "vp", "clr", "pdf")
"""Exports the learner signs (the PDF carries a signed bundle); each is recorded in the ledger."""


def _damaged_outcome(cid: str, entry: PortfolioEntry | None, error: WalletError) -> RecheckOutcome:
    """A credential that cannot be rechecked because a record of it is damaged: its status is
    left as it was (nothing was checked), the error says why."""
    before = entry.status if entry is not None else Status.UNVERIFIED
    return RecheckOutcome(id=cid, before=before, after=before, report=None, error=error)


class WalletService:
    """The wallet as the shells see it.  Not thread-safe: one event loop drives it."""

    def __init__(
        self,
        home: Path,
        *,
        importers: ImporterRegistry,
        fetcher_factory: FetcherFactory,
        exporters: Mapping[str, Exporter] | None = None,
        clock: Clock = system_clock,
        offline: bool = False,
        recipients: Sequence[str] = (),
    ) -> None:
        self.home = Path(home)
        self.importers = importers
        self.fetcher_factory = fetcher_factory
        self.exporters: dict[str, Exporter] = dict(exporters or {})
        self.clock = clock
        self.offline = offline
        self.extra_recipients = tuple(recipients)
        self._wallet: Wallet | None = None

    # ------------------------------------------------------------------ lifecycle

    def wallet_exists(self) -> bool:
        from wallet.store import Wallet

        return Wallet.exists(self.home)

    def create(self, passphrase: str) -> None:
        from wallet.store import Wallet

        self._wallet = Wallet.create(self.home, passphrase, kdf=_kdf_profile())

    def unlock(self, passphrase: str) -> None:
        from wallet.store import Wallet

        if not Wallet.exists(self.home):
            raise WalletNotFound(home=str(self.home))
        self._wallet = Wallet.open(self.home, passphrase)

    def lock(self) -> None:
        if self._wallet is not None:
            self._wallet.close()
            self._wallet = None

    @property
    def unlocked(self) -> bool:
        return self._wallet is not None

    @property
    def wallet(self) -> Wallet:
        if self._wallet is None:
            raise StoreError(_("The wallet is locked."), hint=_("Unlock it first."))
        return self._wallet

    def close(self) -> None:
        self.lock()

    # ------------------------------------------------------------------ reading

    def list(
        self,
        *,
        status: Status | None = None,
        tag: str | None = None,
        search: str | None = None,
    ) -> list[PortfolioEntry]:
        entries = self.wallet.list_entries()
        return filter_entries(entries, status=status, tag=tag, search=search)

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for entry in self.wallet.list_entries():
            counts[entry.status] += 1
        return counts

    def tags(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for entry in self.wallet.list_entries():
            for tag in entry.tags:
                found[tag] = found.get(tag, 0) + 1
        return dict(sorted(found.items()))

    def damage(self) -> DamageReport:
        """What is damaged, missing or rolled back (catalogue and index; no full decrypt)."""
        return self.wallet.damage()

    def resolve(self, id_or_prefix: str) -> str:
        return self.wallet.resolve_id(id_or_prefix)

    def show(self, id_or_prefix: str) -> CredentialView:
        wallet = self.wallet
        cid = wallet.resolve_id(id_or_prefix)
        credential = wallet.get_credential(cid)
        history, _damaged = wallet.checked_history(cid)
        newest, _damaged = wallet.newest_report(cid)
        return CredentialView(
            entry=wallet.get_entry(cid),
            credential=credential,
            report=newest,
            history=history,
            eu_elements=credential.eu_elements or _eu_elements(credential),
        )

    # ------------------------------------------------------------------ gathering input

    async def _gather(self, sources: Sequence[str], fetcher: Fetcher) -> builtins.list[ImportBatch]:
        """Parse every source into credentials and failures (URL references resolved)."""
        batches: builtins.list[ImportBatch] = []
        for source in sources:
            batches.append(await self._gather_one(source, fetcher))
        return batches

    async def _gather_one(self, source: str, fetcher: Fetcher) -> ImportBatch:
        kind = _classify_source(source)
        try:
            if kind == "stdin":
                data = _read_stdin()
                batch = self.importers.parse_blob(Blob(data=data, source="-"))
            elif kind == "url":
                batch = await self.importers.fetch_url(source, fetcher)
            elif kind == "bad-url":
                raise UnreadableInput(
                    _("{source} is not an http(s) address or a file."),
                    source=source,
                    hint=_("Only http:// and https:// addresses can be fetched."),
                )
            else:
                path = Path(source)
                if not path.exists():
                    raise UnreadableInput(source=source)
                batch = self.importers.read_path(path)
        except WalletError as exc:
            return ImportBatch(failures=[ImportFailure(source=source, error=exc)])
        return await self._resolve_references(batch, fetcher, depth=0)

    async def _resolve_references(
        self, batch: ImportBatch, fetcher: Fetcher, depth: int
    ) -> ImportBatch:
        if not any(isinstance(item, UrlReference) for item in batch.found):
            return batch
        resolved = ImportBatch(failures=list(batch.failures))
        for item in batch.found:
            if not isinstance(item, UrlReference):
                resolved.found.append(item)
                continue
            if depth >= MAX_REFERENCE_DEPTH:
                resolved.failures.append(
                    ImportFailure(
                        source=item.found_in,
                        error=InputError(_("Too many nested references to other addresses.")),
                    )
                )
                continue
            try:
                inner = await self.importers.fetch_url(item.url, fetcher)
            except WalletError as exc:
                inner = ImportBatch(failures=[ImportFailure(source=item.found_in, error=exc)])
            unreached = _unreached_reference(item, inner)
            if unreached is not None:
                resolved.found.append(unreached)
                continue
            inner = await self._resolve_references(inner, fetcher, depth + 1)
            for inner_found in inner.found:
                found = inner_found
                if isinstance(found, Credential) and item.original:
                    # The learner imported the baked image: keep it as the original.
                    found = replace(
                        found,
                        original=replace(
                            found.original,
                            data=item.original,
                            media_type=item.media_type or found.original.media_type,
                            source=item.found_in,
                        ),
                    )
                resolved.found.append(found)
            resolved.failures.extend(inner.failures)
        return resolved

    # ------------------------------------------------------------------ verify (no wallet)

    async def verify_sources(
        self,
        sources: Sequence[str],
        *,
        recipients: Sequence[str] = (),
        progress: Progress | None = None,
    ) -> builtins.list[VerifyOutcome]:
        """Verify without storing and without a wallet: the employer's and advisor's tool."""
        outcomes: builtins.list[VerifyOutcome] = []
        fetcher = self.fetcher_factory()
        try:
            plain: builtins.list[str] = []
            for source in sources:
                if _is_bundle(source) or _is_cv_pdf(source):
                    outcomes.append(await self._verify_bundle(Path(source), recipients))
                else:
                    plain.append(source)
            batches = await self._gather(plain, fetcher)
            items: builtins.list[tuple[str, Credential]] = []
            for source, batch in zip(plain, batches, strict=True):
                if not batch.found and _answered_http_error(source, batch):
                    # An assertion URL answering 4xx/5xx is still a hosted badge to verify: the
                    # verifier fetches it again and reports revoked (410) or unverified.
                    items.append((source, _hosted_reference(source)))
                    continue
                for failure in batch.failures:
                    outcomes.append(
                        VerifyOutcome(source=failure.source, error=_wallet_error(failure))
                    )
                for found in batch.found:
                    if isinstance(found, Credential):
                        items.append((found.original.source, found))
            ids = tuple(recipients) + self.extra_recipients
            reports = await self._verify_many(
                [c for _s, c in items], fetcher, recipients=ids, progress=progress
            )
            for (source, credential), report in zip(items, reports, strict=True):
                shown = with_linked_display(credential, report, fetcher.body_of)
                outcomes.append(VerifyOutcome(source=source, credential=shown, report=report))
        finally:
            _remember_contexts(fetcher)
            await fetcher.aclose()
        return outcomes

    async def _verify_bundle(self, path: Path, recipients: Sequence[str]) -> VerifyOutcome:
        try:
            from wallet.bundle.verify import verifier as bundle_verify
        except ImportError:
            return VerifyOutcome(
                source=str(path),
                error=UsageError(_("Checking share bundles is not available yet.")),
            )
        if _is_cv_pdf(str(path)):
            from wallet.bundle.verify.cvpdf import verify_cv_pdf as check
        else:
            check = bundle_verify.verify_bundle
        try:
            report = await check(
                path,
                fetcher_factory=self.fetcher_factory,
                clock=self.clock,
                offline=self.offline,
                recipients=tuple(recipients) + self.extra_recipients,
                parse_blob=self.importers.parse_blob,
            )
        except WalletError as exc:
            return VerifyOutcome(source=str(path), error=exc)
        return VerifyOutcome(source=str(path), bundle=report)

    async def _verify_many(
        self,
        credentials: Sequence[Credential],
        fetcher: Fetcher,
        *,
        recipients: Sequence[str],
        progress: Progress | None = None,
    ) -> builtins.list[VerificationReport]:
        from wallet.verify.context import VerifyContext
        from wallet.verify.verifier import verify

        ctx = VerifyContext(
            fetcher=fetcher,
            clock=self.clock,
            recipients=tuple(recipients),
            offline=self.offline,
        )
        total = len(credentials)
        done = 0

        async def one(credential: Credential) -> VerificationReport:
            nonlocal done
            report = await verify(credential, ctx)
            done += 1
            if progress is not None:
                progress(done, total, credential.title or credential.original.source)
            return report

        return list(await asyncio.gather(*(one(c) for c in credentials)))

    # ------------------------------------------------------------------ import

    async def import_sources(
        self, sources: Sequence[str], *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]:
        wallet = self.wallet
        fetcher = self.fetcher_factory()
        try:
            batches = await self._gather(sources, fetcher)
            return await self._store_batches(wallet, batches, fetcher, progress)
        finally:
            _remember_contexts(fetcher)
            await fetcher.aclose()

    async def import_text(
        self, text: str, *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]:
        wallet = self.wallet
        fetcher = self.fetcher_factory()
        try:
            stripped = text.strip()
            if stripped.lower().startswith(("http://", "https://")) and "\n" not in stripped:
                batch = await self._gather_one(stripped, fetcher)
            else:
                try:
                    batch = self.importers.parse_text(text, "-")
                except WalletError as exc:
                    batch = ImportBatch(failures=[ImportFailure(source="-", error=exc)])
                batch = await self._resolve_references(batch, fetcher, depth=0)
            return await self._store_batches(wallet, [batch], fetcher, progress)
        finally:
            _remember_contexts(fetcher)
            await fetcher.aclose()

    async def import_blobs(
        self, blobs: Sequence[Blob], *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]:
        """Credentials that arrived from a host (sync, receive): the same pipeline as files, in
        one transaction (a failure part-way stores nothing)."""
        wallet = self.wallet
        fetcher = self.fetcher_factory()
        try:
            batches = []
            for blob in blobs:
                try:
                    batch = self.importers.parse_blob(blob)
                except WalletError as exc:
                    batch = ImportBatch(failures=[ImportFailure(source=blob.source, error=exc)])
                batches.append(await self._resolve_references(batch, fetcher, depth=0))
            with wallet.batch():
                return await self._store_batches(wallet, batches, fetcher, progress)
        finally:
            _remember_contexts(fetcher)
            await fetcher.aclose()

    async def _store_batches(
        self,
        wallet: Wallet,
        batches: Sequence[ImportBatch],
        fetcher: Fetcher,
        progress: Progress | None,
    ) -> builtins.list[ImportOutcome]:
        outcomes: builtins.list[ImportOutcome] = []
        fresh: builtins.list[Credential] = []
        seen: set[str] = set()
        repeated: builtins.list[int] = []
        """Outcomes of credentials met twice in this import: their id is known once stored."""
        for batch in batches:
            for failure in batch.failures:
                outcomes.append(
                    ImportOutcome(
                        source=failure.source,
                        state="skipped" if failure.skipped else "failed",
                        error=_wallet_error(failure),
                    )
                )
            for found in batch.found:
                if not isinstance(found, Credential):
                    continue
                if _is_status_list(found):
                    outcomes.append(
                        ImportOutcome(
                            source=found.original.source,
                            state="skipped",
                            error=UnsupportedInput(
                                source=found.original.source,
                                hint=N_(
                                    "It is an issuer's status list (the list that says which "
                                    "badges are revoked), not a badge; plecak reads it when it "
                                    "checks a badge."
                                ),
                            ),
                        )
                    )
                    continue
                fingerprint = found.fingerprint
                existing = wallet.find_fingerprint(fingerprint)
                if existing is None and fingerprint in seen:
                    repeated.append(len(outcomes))
                if existing is not None or fingerprint in seen:
                    outcomes.append(
                        ImportOutcome(
                            source=found.original.source,
                            state="duplicate",
                            id=existing,
                            entry=wallet.get_entry(existing) if existing else None,
                            credential=found,
                        )
                    )
                    continue
                seen.add(fingerprint)
                fresh.append(found)
        recipients = self._identities() + self.extra_recipients
        reports = await self._verify_many(fresh, fetcher, recipients=recipients, progress=progress)
        for parsed, report in zip(fresh, reports, strict=True):
            credential = _with_eu_elements(with_linked_display(parsed, report, fetcher.body_of))
            evidence = _evidence_bodies(report, fetcher)
            cid, created = wallet.add_credential(
                credential, report, evidence, source=credential.original.source
            )
            outcomes.append(
                ImportOutcome(
                    source=credential.original.source,
                    state="stored" if created else "duplicate",
                    id=cid,
                    entry=wallet.get_entry(cid),
                    report=report,
                    credential=credential,
                )
            )
        for index in repeated:
            outcome = outcomes[index]
            fingerprint = outcome.credential.fingerprint if outcome.credential else ""
            existing = wallet.find_fingerprint(fingerprint)
            if existing is not None:
                outcomes[index] = replace(outcome, id=existing, entry=wallet.get_entry(existing))
        return outcomes

    def _identities(self) -> tuple[str, ...]:
        return tuple(value for value, _kind in self.wallet.list_identities())

    # ------------------------------------------------------------------ recheck

    async def recheck(
        self,
        ids: Sequence[str] | None = None,
        *,
        progress: Progress | None = None,
        offline: bool | None = None,
    ) -> builtins.list[RecheckOutcome]:
        """Re-verify stored credentials; record each report and what changed.

        Offline (``--offline``), the documents recorded at import time are used as a mirror, and
        the report says "as of" the time they were captured.
        """
        wallet = self.wallet
        outcomes: builtins.list[RecheckOutcome] = []
        if ids:
            targets = [wallet.resolve_id(i) for i in ids]
        else:
            targets = [e.id for e in wallet.list_entries()]
            for cid in sorted(wallet.damage().credentials() - set(targets)):
                outcomes.append(_damaged_outcome(cid, None, RecordTampered(record=cid)))
        use_offline = self.offline if offline is None else offline
        total = len(targets)
        for index, cid in enumerate(targets, start=1):
            outcomes.append(await self._recheck_one(cid, use_offline))
            if progress is not None:
                progress(index, total, cid)
        return outcomes

    async def _recheck_one(self, cid: str, use_offline: bool) -> RecheckOutcome:
        """One credential; a damaged record of it is reported for it alone (never compared as if
        it were a real previous status), and the other credentials go on."""
        wallet = self.wallet
        entry = None
        try:
            entry = wallet.get_entry(cid)
            credential = wallet.get_credential(cid)
            history, _damaged = wallet.checked_history(cid)
            previous, _damaged = wallet.newest_report(cid)
            documents = self._recorded_documents(history) if use_offline else None
        except RecordTampered as exc:
            return _damaged_outcome(cid, entry, exc)
        fetcher = self.fetcher_factory(documents=documents, offline=use_offline)
        try:
            (report,) = await self._verify_many(
                [credential], fetcher, recipients=self._identities() + self.extra_recipients
            )
        finally:
            _remember_contexts(fetcher)
            await fetcher.aclose()
        if use_offline and documents:
            from wallet.verify.provenance import as_captured  # this wallet's own evidence

            captured = [r.fetched_at for r in previous.evidence] if previous else []
            report = replace(
                as_captured(report), mode="evidence", as_of=min(captured) if captured else None
            )
        if _keeps_last_known(previous, report):
            # No answer is not "no longer revoked": the revocation stands until a check says
            # otherwise, and the incomplete check is not recorded over it.
            assert previous is not None and entry is not None
            return RecheckOutcome(cid, entry.status, previous.status, report, kept=True)
        shown = with_linked_display(credential, report, fetcher.body_of)
        wallet.add_report(
            cid,
            report,
            _evidence_bodies(report, fetcher),
            display=shown if shown is not credential else None,
        )
        return RecheckOutcome(
            id=cid,
            before=entry.status,
            after=report.status,
            report=report,
            changed=changed_checks(previous, report) if previous is not None else (),
        )

    def _recorded_documents(
        self, history: Sequence[VerificationReport]
    ) -> dict[str, tuple[int, str, bytes]]:
        documents: dict[str, tuple[int, str, bytes]] = {}
        for report in history:
            for record in report.evidence:
                try:
                    body = self.wallet.evidence_body(record.sha256)
                except RecordTampered:
                    continue  # a damaged stored document: as if it had never been captured
                if body is not None or record.status >= 400:
                    documents[record.url] = (record.status, record.content_type, body or b"")
        return documents

    # ------------------------------------------------------------------ organise

    def tag(self, id_or_prefix: str, tags: Sequence[str]) -> None:
        cid = self.wallet.resolve_id(id_or_prefix)
        current = list(self.wallet.get_entry(cid).tags)
        for tag in tags:
            clean = tag.strip()
            if not clean:
                raise UsageError(_("A tag cannot be empty."))
            if clean not in current:
                current.append(clean)
        self.wallet.set_tags(cid, current)

    def untag(self, id_or_prefix: str, tags: Sequence[str]) -> None:
        cid = self.wallet.resolve_id(id_or_prefix)
        drop = {t.strip() for t in tags}
        self.wallet.set_tags(cid, [t for t in self.wallet.get_entry(cid).tags if t not in drop])

    def remove(self, ids: Sequence[str]) -> builtins.list[str]:
        resolved = [self.wallet.resolve_id(i) for i in ids]
        for cid in resolved:
            self.wallet.remove(cid)
        return resolved

    def identities(self) -> builtins.list[tuple[str, str]]:
        return self.wallet.list_identities()

    def add_identity(self, value: str) -> str:
        kind = identity_kind(value)
        self.wallet.add_identity(value.strip(), kind)
        return kind

    def remove_identity(self, value: str) -> None:
        if not self.wallet.remove_identity(value.strip()):
            raise UsageError(_("No such identity: {value}").format(value=value))

    # ------------------------------------------------------------------ passphrase, backup

    def passwd(self, new_passphrase: str) -> None:
        self.wallet.change_passphrase(new_passphrase)

    def backup(self, path: Path, *, overwrite: bool = False) -> None:
        self.wallet.backup(path, overwrite=overwrite)

    def restore(self, path: Path, passphrase: str, *, confirm: Any = None) -> bool:
        """Replace the wallet by a backup (checked first); ``confirm`` (see store.backup.Confirm)
        is asked before an existing wallet is replaced.  False when nothing was changed."""
        from wallet.store import Wallet

        self.lock()
        return Wallet.restore(self.home, path, passphrase, confirm=confirm)

    # ------------------------------------------------------------------ export

    def export_kinds(self) -> builtins.list[str]:
        return sorted(self.exporters)

    def export_ids(
        self, ids: Sequence[str] = (), *, tag: str | None = None, all_: bool = False
    ) -> builtins.list[str]:
        """The wallet ids an export covers: explicit ids, a tag, or everything."""
        if all_ or tag:
            damaged = self.wallet.damage().credentials()
            return [
                e.id
                for e in self.wallet.list_entries()
                if (all_ or tag in e.tags) and e.id not in damaged
            ]
        return [self.wallet.resolve_id(i) for i in ids]

    def sensitive_fields(
        self, ids: Sequence[str]
    ) -> builtins.list[tuple[str, str, builtins.list[str]]]:
        """(id, title, [what, …]) for credentials that carry data a learner may not want to share
        (date of birth, national ID…).  A signed credential cannot lose fields, so the shells warn
        before an export and the learner decides."""
        from wallet.codecs.eu import sensitive_fields, sensitive_label
        from wallet.i18n import tr

        found = []
        for cid in ids:
            credential = self.wallet.get_credential(self.wallet.resolve_id(cid))
            pointers = sensitive_fields(credential)
            if pointers:
                labels = sorted({tr(sensitive_label(p)) for p in pointers})
                found.append((cid, credential.title or cid, labels))
        return found

    def export(
        self,
        kind: str,
        ids: Sequence[str],
        *,
        disclose_identity: str | None = None,
        purpose: str | None = None,
        options: Mapping[str, Any] | None = None,
        destination: str = "",
    ) -> bytes:
        exporter = self.exporters.get(kind)
        if exporter is None:
            raise ExportError(
                reason=_("the export format '{kind}' is not available yet").format(kind=kind)
            )
        if not ids:
            raise UsageError(_("Choose at least one credential to export."))
        wallet = self.wallet
        resolved = [wallet.resolve_id(i) for i in ids]
        credentials = {cid: wallet.get_credential(cid) for cid in resolved}
        reports: dict[str, VerificationReport] = {}
        evidence: dict[str, bytes] = {}
        for cid in resolved:
            newest, _damaged = wallet.newest_report(cid)
            if newest is not None:
                reports[cid] = newest
                for record in newest.evidence:
                    try:
                        body = wallet.evidence_body(record.sha256)
                    except RecordTampered:
                        continue  # the bundle says this document was not kept
                    if body is not None:
                        evidence[record.sha256] = body
        if disclose_identity is not None and disclose_identity not in self._identities():
            raise UsageError(
                _("{value} is not one of your identities.").format(value=disclose_identity),
                hint=_("Add it with 'plecak identity add'."),
            )
        request = ExportRequest(
            ids=resolved,
            credentials=credentials,
            reports=reports,
            evidence=evidence,
            holder_key=wallet.signing_key() if kind in _SIGNED_KINDS else None,
            disclosed_identity=disclose_identity,
            language=current_language(),
            purpose=purpose,
            created=self.clock(),
            options=dict(options or {}),
        )
        data = exporter.export(request)
        if kind in _SIGNED_KINDS:
            import hashlib

            wallet.record_share(
                {
                    "kind": kind,
                    "ids": resolved,
                    "destination": destination,
                    "purpose": purpose,
                    "identity_disclosed": disclose_identity is not None,
                    "created": self.clock().isoformat(),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
        return data

    def shares(self) -> builtins.list[dict[str, Any]]:
        return self.wallet.shares()

    # ------------------------------------------------------------------ review

    async def review(self, paths: Sequence[Path], pathway: Path | None = None) -> Any:
        """The advisor's view: each bundle is checked first (online when allowed, else from its
        evidence), so the statuses shown are today's, not the ones recorded at export."""
        from wallet import review as review_module

        reports: dict[Path, Any] = {}
        for path in paths:
            outcome = await self._verify_bundle(Path(path), ())
            if outcome.bundle is not None:
                reports[Path(path)] = outcome.bundle
        return review_module.review(paths, pathway=pathway, clock=self.clock, reports=reports)


STATUS_LIST_TYPES = frozenset(
    {
        "BitstringStatusListCredential",
        "StatusList2021Credential",
        "RevocationList2020Credential",
        "1EdTechRevocationList",
    }
)
"""Credential types that are issuer infrastructure (status and revocation lists), not badges."""


def _is_status_list(credential: Credential) -> bool:
    document = credential.document
    if not isinstance(document, dict):
        return False
    types = document.get("type")
    names = {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
    return bool(names & STATUS_LIST_TYPES)


def _keeps_last_known(previous: VerificationReport | None, report: VerificationReport) -> bool:
    """A recheck that could not complete (``unverified``) after a revoked or suspended verdict."""
    return (
        previous is not None
        and previous.status in (Status.REVOKED, Status.SUSPENDED)
        and report.status is Status.UNVERIFIED
    )
