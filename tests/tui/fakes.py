"""A fake WalletService with the real one's interface and fixed, hand-made data.

Why a fake next to the real service: screenshots must be identical on every machine and every run
(fixed clock, fixed ids, no KDF, no network), and flows must be able to provoke every outcome
(duplicate, failure, a status that changes on recheck, a missing exporter).  The result types are
the real ones from ``wallet.service``, and mypy checks that this fake and the real service both
satisfy ``WalletApi`` (see :func:`_both_are_wallet_apis`), so neither can drift from the screens.
The real service is exercised too (tests/tui/test_real_service.py).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from tests.tui.fake_data import (
    FAIL,
    NOW,
    PASS,
    PASSPHRASE,
    Item,
    base_checks,
    make_report,
    sample_items,
)
from wallet.errors import (
    ExportError,
    UnsupportedInput,
    UsageError,
    WalletExists,
    WalletNotFound,
    WrongPassphrase,
)
from wallet.model import (
    PortfolioEntry,
    Status,
)
from wallet.review import Review, review
from wallet.service import (
    CredentialView,
    ImportOutcome,
    Progress,
    RecheckOutcome,
    WalletApi,
    WalletService,
    changed_checks,
)
from wallet.store.damage import DamageReport


class FakeWalletService:
    """The WalletService interface over memory, with knobs for every outcome the screens show."""

    def __init__(
        self,
        home: Path | None = None,
        *,
        exists: bool = True,
        unlocked: bool = False,
        items: Sequence[Item] | None = None,
        exporters: Sequence[str] = ("bundle", "vp"),
        identities: Sequence[tuple[str, str]] = (("ala@example.org", "email"),),
    ) -> None:
        self.home = home or Path("/nonexistent/plecak-fake")
        self._exists = exists
        self._unlocked = unlocked
        self.passphrase = PASSPHRASE
        self.items: dict[str, Item] = {
            i.entry.id: i for i in (items if items is not None else sample_items())
        }
        self.kinds = list(exporters)
        self._identities = list(identities)
        self.calls: list[tuple[str, object]] = []
        self.import_results: dict[str, list[ImportOutcome]] = {}
        self.recheck_status: dict[str, Status] = {}
        self.exported: list[tuple[str, list[str], str | None, str | None]] = []
        self.reviewed: list[tuple[list[Path], Path | None]] = []
        self.entries_override: list[PortfolioEntry] | None = None

    # lifecycle
    def wallet_exists(self) -> bool:
        return self._exists

    def create(self, passphrase: str) -> None:
        self.calls.append(("create", None))
        if self._exists:
            raise WalletExists(home=str(self.home))
        self._exists = True
        self.passphrase = passphrase
        self._unlocked = True
        self.items = {}

    def unlock(self, passphrase: str) -> None:
        self.calls.append(("unlock", None))
        if not self._exists:
            raise WalletNotFound(home=str(self.home))
        if passphrase != self.passphrase:
            raise WrongPassphrase()
        self._unlocked = True

    def lock(self) -> None:
        self.calls.append(("lock", None))
        self._unlocked = False

    @property
    def unlocked(self) -> bool:
        return self._unlocked

    def _need_unlocked(self) -> None:
        if not self._unlocked:
            raise UsageError("The wallet is locked.")

    # reading
    def damage(self) -> DamageReport:
        self._need_unlocked()
        return DamageReport()

    def list(
        self, *, status: Status | None = None, tag: str | None = None, search: str | None = None
    ) -> builtins.list[PortfolioEntry]:
        self._need_unlocked()
        if self.entries_override is not None:
            entries = list(self.entries_override)
        else:
            entries = [i.entry for i in self.items.values()]
        return [
            e
            for e in entries
            if (status is None or e.status is status) and (tag is None or tag in e.tags)
        ]

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for e in self.list():
            counts[e.status] += 1
        return counts

    def tags(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for e in self.list():
            for t in e.tags:
                found[t] = found.get(t, 0) + 1
        return dict(sorted(found.items()))

    def show(self, id_or_prefix: str) -> CredentialView:
        self._need_unlocked()
        matches = [i for i in self.items.values() if i.entry.id.startswith(id_or_prefix)]
        if len(matches) != 1:
            raise UsageError("No credential {id}.", id=id_or_prefix)
        item = matches[0]
        return CredentialView(
            entry=item.entry,
            credential=item.credential,
            report=item.history[-1] if item.history else None,
            history=list(item.history),
            eu_elements=item.credential.eu_elements,
        )

    # import
    async def import_sources(
        self, sources: Sequence[str], *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]:
        self._need_unlocked()
        self.calls.append(("import_sources", list(sources)))
        outcomes: builtins.list[ImportOutcome] = []
        for n, source in enumerate(sources, start=1):
            outcomes += self._import_one(source)
            if progress:
                progress(n, len(sources), source)
        return outcomes

    async def import_text(
        self, text: str, *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]:
        self._need_unlocked()
        self.calls.append(("import_text", text))
        if progress:
            progress(1, 1, "-")
        return self._import_one(text.strip() if text.strip() in self.import_results else "-")

    def _import_one(self, source: str) -> builtins.list[ImportOutcome]:
        if source in self.import_results:
            outcomes = self.import_results[source]
        else:
            outcomes = [
                ImportOutcome(
                    source=source,
                    state="failed",
                    error=UnsupportedInput(source=source),
                )
            ]
        for outcome in outcomes:
            if outcome.state == "stored" and outcome.entry is not None and outcome.credential:
                self.items[outcome.entry.id] = Item(
                    outcome.entry, outcome.credential, [outcome.report] if outcome.report else []
                )
        return outcomes

    def stored_outcome(self, source: str, title: str, sid: str, status: Status) -> ImportOutcome:
        """An outcome as the real service gives for a newly stored badge."""
        base = sample_items()[0]
        entry = replace(base.entry, id=sid, title=title, status=status, tags=(), source=source)
        credential = replace(base.credential, title=title)
        report = make_report(status, NOW, base_checks())
        return ImportOutcome(
            source=source, state="stored", id=sid, entry=entry, report=report, credential=credential
        )

    # recheck
    async def recheck(
        self, ids: Sequence[str] | None = None, *, progress: Progress | None = None
    ) -> builtins.list[RecheckOutcome]:
        self._need_unlocked()
        self.calls.append(("recheck", None if ids is None else list(ids)))
        targets = list(ids) if ids else list(self.items)
        outcomes = []
        for n, sid in enumerate(targets, start=1):
            item = self.items[sid]
            before = item.entry.status
            after = self.recheck_status.get(sid, before)
            previous = item.history[-1] if item.history else None
            revocation = FAIL if after is Status.REVOKED else PASS
            expiry = FAIL if after is Status.EXPIRED else PASS
            report = make_report(after, NOW, base_checks(revocation, expiry))
            item.history.append(report)
            item.entry = replace(item.entry, status=after, checked_at=NOW)
            outcomes.append(
                RecheckOutcome(
                    id=sid,
                    before=before,
                    after=after,
                    report=report,
                    changed=changed_checks(previous, report),
                )
            )
            if progress:
                progress(n, len(targets), item.entry.title or sid)
        return outcomes

    # organise
    def tag(self, id: str, tags: Sequence[str]) -> None:
        self.calls.append(("tag", (id, list(tags))))
        item = self.items[id]
        merged = list(item.entry.tags) + [t for t in tags if t not in item.entry.tags]
        item.entry = replace(item.entry, tags=tuple(merged))

    def untag(self, id: str, tags: Sequence[str]) -> None:
        self.calls.append(("untag", (id, list(tags))))
        item = self.items[id]
        item.entry = replace(item.entry, tags=tuple(t for t in item.entry.tags if t not in tags))

    def remove(self, ids: Sequence[str]) -> builtins.list[str]:
        self.calls.append(("remove", list(ids)))
        for sid in ids:
            del self.items[sid]
        return list(ids)

    def identities(self) -> builtins.list[tuple[str, str]]:
        return list(self._identities)

    def add_identity(self, value: str) -> str:
        if "@" not in value and not value.startswith(("did:", "http")):
            raise UsageError(
                "{value} is not an email address, URL, DID or telephone number.", value=value
            )
        kind = "email" if "@" in value else "did" if value.startswith("did:") else "url"
        self._identities.append((value, kind))
        return kind

    def remove_identity(self, value: str) -> None:
        self._identities = [i for i in self._identities if i[0] != value]

    # export
    def export_kinds(self) -> builtins.list[str]:
        return list(self.kinds)

    def sensitive_fields(
        self, ids: Sequence[str]
    ) -> builtins.list[tuple[str, str, builtins.list[str]]]:
        """Tests set ``fake.sensitive = {id: [labels]}`` to have some reported."""
        sensitive: dict[str, builtins.list[str]] = getattr(self, "sensitive", {})
        return [(i, i, sensitive[i]) for i in ids if i in sensitive]

    def export(
        self,
        kind: str,
        ids: Sequence[str],
        *,
        disclose_identity: str | None = None,
        purpose: str | None = None,
    ) -> bytes:
        if kind not in self.kinds:
            raise ExportError(reason=f"the export format '{kind}' is not available yet")
        self.exported.append((kind, list(ids), disclose_identity, purpose))
        return b"PK-fake-bundle:" + ",".join(ids).encode()

    async def review(self, paths: Sequence[Path], pathway: Path | None = None) -> Review:
        """The real review of real bundles (no wallet is involved) at the fixed clock."""
        self.reviewed.append((list(paths), pathway))
        return review(paths, pathway, clock=lambda: NOW)


def _both_are_wallet_apis(
    real: WalletService, fake: FakeWalletService
) -> tuple[WalletApi, WalletApi]:
    """Never called: mypy fails here when the fake or the real service leaves ``WalletApi``."""
    return real, fake
