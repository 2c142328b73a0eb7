"""WalletService: the application API the shells (CLI, TUI) call — and the only one.

Why a service between the shells and the core: the CLI and the TUI must behave identically (same
import rules, same duplicate handling, same statuses, same ledger), and both must stay thin.  The
service gets importers, exporters and a Fetcher factory injected (see ``wallet.factory``), so this
package never imports the ``importers`` or ``exporters`` packages (architecture.md).  The class is
the list of what the shells can do; the work is in the modules beside it.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wallet.errors import RecordTampered, StoreError, UsageError, WalletNotFound
from wallet.i18n import _
from wallet.model import Json, PortfolioEntry, Status
from wallet.ports import Blob, Clock, Exporter, FetcherFactory, system_clock
from wallet.service import exporting
from wallet.service.checking import Checker, damaged_outcome
from wallet.service.entries import eu_elements, filter_entries, identity_kind
from wallet.service.sources import Gatherer
from wallet.service.storing import store_batches
from wallet.service.types import (
    CredentialView,
    ImporterRegistry,
    ImportOutcome,
    Progress,
    RecheckOutcome,
    VerifyOutcome,
)

if TYPE_CHECKING:
    from wallet.review import Review
    from wallet.store import Wallet
    from wallet.store.backup import Confirm
    from wallet.store.damage import DamageReport


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
    ) -> None:
        self.home = Path(home)
        self.importers = importers
        self.fetcher_factory = fetcher_factory
        # Kept as given, not copied: the composition root passes a mapping that imports the
        # exporters on first use, so a run that exports nothing never loads them.
        self.exporters: Mapping[str, Exporter] = exporters if exporters is not None else {}
        self.clock = clock
        self.offline = offline
        self.checker = Checker(importers, fetcher_factory, clock, offline)
        self._wallet: Wallet | None = None

    # ------------------------------------------------------------------ lifecycle

    def wallet_exists(self) -> bool:
        from wallet.store import Wallet

        return Wallet.exists(self.home)

    def create(self, passphrase: str) -> None:
        from wallet.store import Wallet

        self._wallet = Wallet.create(
            self.home, passphrase
        )  # kdf: PLECAK_KDF_PROFILE, read by the store

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
    ) -> builtins.list[PortfolioEntry]:
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
            eu_elements=credential.eu_elements or eu_elements(credential),
        )

    # ------------------------------------------------------------------ verify, import, recheck

    async def verify_sources(
        self,
        sources: Sequence[str],
        *,
        recipients: Sequence[str] = (),
        progress: Progress | None = None,
    ) -> builtins.list[VerifyOutcome]:
        """Verify without storing and without a wallet: the employer's and advisor's tool."""
        return await self.checker.sources(sources, recipients, progress)

    async def import_sources(
        self, sources: Sequence[str], *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]:
        wallet = self.wallet
        async with self.checker.run(self._identities()) as run:
            batches = await Gatherer(self.importers, run.fetcher).sources(sources)
            return await store_batches(wallet, batches, run, progress)

    async def import_text(
        self, text: str, *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]:
        wallet = self.wallet
        async with self.checker.run(self._identities()) as run:
            batch = await Gatherer(self.importers, run.fetcher).text(text)
            return await store_batches(wallet, [batch], run, progress)

    async def import_blobs(
        self, blobs: Sequence[Blob], *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]:
        """Credentials that arrived from a host (sync, receive): the same pipeline as files, in
        one transaction (a failure part-way stores nothing)."""
        wallet = self.wallet
        async with self.checker.run(self._identities()) as run:
            gatherer = Gatherer(self.importers, run.fetcher)
            batches = [await gatherer.blob(blob) for blob in blobs]
            with wallet.batch():
                return await store_batches(wallet, batches, run, progress)

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
                outcomes.append(damaged_outcome(cid, None, RecordTampered(record=cid)))
        use_offline = self.offline if offline is None else offline
        total = len(targets)
        for index, cid in enumerate(targets, start=1):
            outcome = await self.checker.recheck(wallet, cid, self._identities(), use_offline)
            outcomes.append(outcome)
            if progress is not None:
                progress(index, total, cid)
        return outcomes

    def _identities(self) -> tuple[str, ...]:
        return tuple(value for value, _kind in self.wallet.list_identities())

    # ------------------------------------------------------------------ organise

    def tag(self, id_or_prefix: str, tags: Sequence[str]) -> None:
        cid = self.wallet.resolve_id(id_or_prefix)
        current = builtins.list(self.wallet.get_entry(cid).tags)
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

    def restore(self, path: Path, passphrase: str, *, confirm: Confirm | None = None) -> bool:
        """Replace the wallet by a backup (checked first); ``confirm`` is asked before an
        existing wallet is replaced.  False when nothing was changed."""
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
        return exporting.export_ids(self.wallet, ids, tag=tag, all_=all_)

    def sensitive_fields(
        self, ids: Sequence[str]
    ) -> builtins.list[tuple[str, str, builtins.list[str]]]:
        """(id, title, [what, …]) for credentials that carry data a learner may not want to
        share; the shells warn before an export and the learner decides."""
        return exporting.sensitive_fields(self.wallet, ids)

    def export(
        self,
        kind: str,
        ids: Sequence[str],
        *,
        disclose_identity: str | None = None,
        purpose: str | None = None,
        options: Mapping[str, Json] | None = None,
        destination: str = "",
    ) -> bytes:
        exporter = exporting.check_request(self.exporters.get(kind), kind, ids)
        return exporting.export(
            self.wallet,
            exporter,
            kind,
            ids,
            now=self.clock(),
            identities=self._identities() if disclose_identity is not None else (),
            disclose_identity=disclose_identity,
            purpose=purpose,
            options=options,
            destination=destination,
        )

    def shares(self) -> builtins.list[dict[str, Json]]:
        return self.wallet.shares()

    # ------------------------------------------------------------------ review

    async def review(self, paths: Sequence[Path], pathway: Path | None = None) -> Review:
        """The advisor's view: each bundle is checked first (online when allowed, else from its
        evidence), so the statuses shown are today's, not the ones recorded at export."""
        from wallet import review as review_module
        from wallet.bundle.verify.report import BundleReport

        reports: dict[Path, BundleReport] = {}
        for path in paths:
            outcome = await self.checker.bundle(Path(path), ())
            if outcome.bundle is not None:
                reports[Path(path)] = outcome.bundle
        return review_module.review(paths, pathway=pathway, clock=self.clock, reports=reports)
