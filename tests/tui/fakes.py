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
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import png

from wallet.errors import (
    ExportError,
    UnsupportedInput,
    UsageError,
    WalletExists,
    WalletNotFound,
    WrongPassphrase,
)
from wallet.model import (
    Achievement,
    Alignment,
    CheckResult,
    CheckStatus,
    Credential,
    Credit,
    Criteria,
    ElementState,
    EUElement,
    Evidence,
    FetchRecord,
    Format,
    Image,
    Issuer,
    Level,
    Original,
    PortfolioEntry,
    Recipient,
    RecipientMatch,
    Status,
    VerificationReport,
)
from wallet.service import (
    CredentialView,
    ImportOutcome,
    RecheckOutcome,
    WalletApi,
    WalletService,
    changed_checks,
)
from wallet.store.damage import DamageReport

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
PASSPHRASE = "correct horse battery staple"

Progress = Callable[[int, int, str], None]


def badge_png(size: int = 32) -> bytes:
    """A small round badge: a blue disc with a yellow star-ish centre, transparent corners."""
    rows = []
    centre = (size - 1) / 2
    for y in range(size):
        row: list[int] = []
        for x in range(size):
            d = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if d > size / 2:
                row += [0, 0, 0, 0]
            elif d < size / 5:
                row += [250, 200, 40, 255]
            else:
                row += [30, 90, 200, 255]
        rows.append(row)
    out = io.BytesIO()
    png.Writer(size, size, greyscale=False, alpha=True).write(out, rows)
    return out.getvalue()


def _checks(*items: tuple[str, CheckStatus, str, Status | None]) -> tuple[CheckResult, ...]:
    return tuple(
        CheckResult(id=cid, status=st, message=msg, step=i + 1, outcome=outcome)
        for i, (cid, st, msg, outcome) in enumerate(items)
    )


def _report(status: Status, when: datetime, checks: tuple[CheckResult, ...]) -> VerificationReport:
    return VerificationReport(
        status=status,
        checks=checks,
        checked_at=when,
        recipient=RecipientMatch(
            checked=True, matched=True, identity="ala@example.org", message="Recipient matches."
        ),
        evidence=(
            FetchRecord(
                url="https://badges.example.edu/issuer.json",
                final_url="https://badges.example.edu/issuer.json",
                status=200,
                content_type="application/ld+json",
                sha256="ab" * 32,
                fetched_at=when,
                size=812,
            ),
        ),
    )


PASS = CheckStatus.PASS
FAIL = CheckStatus.FAIL
UNKNOWN = CheckStatus.UNKNOWN


def _base_checks(
    revocation: CheckStatus = PASS, expiry: CheckStatus = PASS
) -> tuple[CheckResult, ...]:
    return _checks(
        ("format", PASS, "A signed Open Badges 2.0 assertion.", None),
        ("proof", PASS, "The signature is valid (RS256, key of the issuer).", None),
        ("issuer", PASS, "The key belongs to the issuer's profile.", None),
        (
            "revocation",
            revocation,
            "Not revoked." if revocation is PASS else "The issuer revoked this badge.",
            Status.REVOKED,
        ),
        (
            "expiry",
            expiry,
            "Not expired." if expiry is PASS else "Expired on 2025-06-30.",
            Status.EXPIRED,
        ),
        ("recipient", PASS, "Issued to ala@example.org.", None),
    )


@dataclass
class Item:
    entry: PortfolioEntry
    credential: Credential
    history: list[VerificationReport] = field(default_factory=list)


SPECS: list[tuple[str, str, str, str, Status, tuple[str, ...], int]] = [
    ("a1b2c3", "Python Programming Basics", "Akademia Kodu", "akademiakodu.pl", Status.VALID, ("python", "it"), 400),
    ("b2c3d4", "Data Analysis with pandas", "Uniwersytet Warszawski", "uw.edu.pl", Status.VALID, ("python", "data"), 300),
    ("c3d4e5", "First Aid Certificate", "Czerwony Krzyż", "pck.pl", Status.EXPIRED, ("health",), 900),
    ("d4e5f6", "Team Leadership", "Open Leadership Lab", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Status.REVOKED, ("soft-skills",), 200),
    ("e5f6a7", "Cloud Fundamentals", "Cloud Academy EU", "did:web:cloud.example.eu", Status.SUSPENDED, ("it",), 120),
    ("f6a7b8", "Summer School 2027", "Politechnika Gdańska", "pg.edu.pl", Status.NOT_YET_VALID, (), 10),
    ("a7b8c9", "Community Volunteer", "Fundacja Dobra", "dobra.example.org", Status.UNVERIFIED, ("volunteering",), 60),
    ("b8c9d0", "Tampered Certificate", "Unknown Issuer", "evil.example.com", Status.INVALID, (), 30),
]  # fmt: skip


def _make_item(spec: tuple[str, str, str, str, Status, tuple[str, ...], int], image: bytes) -> Item:
    sid, title, issuer_name, where, status, tags, days = spec
    issuer_id = where if where.startswith("did:") else f"https://{where}/issuer.json"
    issued = NOW - timedelta(days=days)
    expires = datetime(2025, 6, 30, tzinfo=UTC) if status is Status.EXPIRED else None
    issuer = Issuer(
        id=issuer_id, name=issuer_name, url=None if where.startswith("did:") else f"https://{where}"
    )
    achievement = Achievement(
        id=f"https://{sid}.example/achievement",
        name=title,
        description=f"The holder of {title} has shown the skills the course teaches.",
        achievement_type="Course",
        criteria=Criteria(narrative="Completed all assignments and passed the final exam."),
        alignments=(
            Alignment(
                target_name="Use a programming language",
                target_framework="ESCO",
                target_code="S1.2",
            ),
        ),
        credits=(Credit(amount=5, unit="ECTS"),),
        levels=(Level(framework="EQF", value="5"),),
        issuer=issuer,
    )
    document = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"https://{sid}.example/assertion",
        "badge": {"name": title, "issuer": {"name": issuer_name, "id": issuer_id}},
        "recipient": {"type": "email", "identity": "ala@example.org", "hashed": False},
        "issuedOn": issued.isoformat(),
    }
    payload = json.dumps(document).encode()
    original = (
        Original(data=image, media_type="image/png", source=f"{sid}.png")
        if sid == "a1b2c3"
        else Original(data=payload, media_type="application/json", source=f"{sid}.json")
    )
    credential = Credential(
        format=Format.OB2_SIGNED if not where.startswith("did:") else Format.OB3_VC_JWT,
        original=original,
        payload=payload,
        document=document,
        credential_id=f"https://{sid}.example/assertion",
        spec_version="2.0",
        title=title,
        description=achievement.description,
        image=Image(data=image, media_type="image/png") if sid == "a1b2c3" else None,
        issuer=issuer,
        achievement=achievement,
        recipient=Recipient(identity="ala@example.org"),
        issued=issued,
        expires=expires,
        evidence=(Evidence(id="https://portfolio.example/ala/project", name="Final project"),),
        eu_elements=(
            EUElement(key="title", state=ElementState.PRESENT, value=title),
            EUElement(key="awarding_body", state=ElementState.PRESENT, value=issuer_name),
            EUElement(key="workload", state=ElementState.PRESENT, value="5 ECTS"),
            EUElement(key="eqf_level", state=ElementState.DERIVED, value="5"),
            EUElement(key="assessment_type", state=ElementState.MISSING),
            EUElement(key="grade", state=ElementState.MISSING, mandatory=False),
        ),
    )
    entry = PortfolioEntry(
        id=sid,
        fingerprint=credential.fingerprint,
        format=credential.format,
        status=status,
        title=title,
        issuer_name=issuer_name,
        issuer_id=issuer_id,
        issued=issued,
        expires=expires,
        tags=tags,
        added_at=NOW - timedelta(days=1),
        checked_at=NOW - timedelta(hours=1),
        source=original.source,
        credential_id=credential.credential_id,
    )
    first = _report(Status.VALID, NOW - timedelta(days=30), _base_checks())
    revocation = FAIL if status is Status.REVOKED else PASS
    expiry = FAIL if status is Status.EXPIRED else PASS
    last = _report(status, NOW - timedelta(hours=1), _base_checks(revocation, expiry))
    return Item(entry=entry, credential=credential, history=[first, last])


def sample_items() -> list[Item]:
    image = badge_png()
    return [_make_item(spec, image) for spec in SPECS]


def many_entries(n: int) -> list[PortfolioEntry]:
    """``n`` varied index entries for the benchmark (no full records)."""
    statuses = list(Status)
    words = ["Python", "Data", "Leadership", "Cloud", "First Aid", "Design", "Security", "Rust"]
    result = []
    for i in range(n):
        status = statuses[i % len(statuses)] if i % 3 else Status.VALID
        result.append(
            PortfolioEntry(
                id=f"{i:06x}",
                fingerprint=f"id:urn:demo:{i}",
                format=Format.OB2_SIGNED,
                status=status,
                title=f"{words[i % len(words)]} badge number {i}",
                issuer_name=f"Issuer {i % 97}",
                issuer_id=f"https://issuer{i % 97}.example",
                issued=NOW - timedelta(days=i % 1000),
                tags=(f"tag{i % 13}",) if i % 2 else (),
            )
        )
    return result


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
        report = _report(status, NOW, _base_checks())
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
            report = _report(after, NOW, _base_checks(revocation, expiry))
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


def _both_are_wallet_apis(
    real: WalletService, fake: FakeWalletService
) -> tuple[WalletApi, WalletApi]:
    """Never called: mypy fails here when the fake or the real service leaves ``WalletApi``."""
    return real, fake
