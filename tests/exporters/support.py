"""A portfolio for export tests: conformance credentials of every format, imported by the real
registry and verified offline by the real verifier against mirrors built from the cases."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from importers.registry import default_registry
from tests.support.mirror import mirror_from_serve
from wallet.model import Credential, VerificationReport
from wallet.net import HttpFetcher
from wallet.ports import ExportRequest, Fetcher
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify

FIXED_NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
HOLDER_KEY = bytes(range(32))
"""A fixed test key (did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd); never a real one."""

# (wallet id, corpus, case id) — one of each format plecak verifies as valid offline
EVERY_FORMAT: tuple[tuple[str, str, str], ...] = (
    ("ob2hosted", "ob2", "hosted-2.0-basic"),
    ("ob2signed", "ob2", "signed-2.0-basic"),
    ("ob2png", "ob2", "baked-png-2.0-signed"),
    ("ob2svg", "ob2", "baked-svg-2.0-signed"),
    ("ob3di", "ob3", "gen-v2-eddsa-valid"),
    ("ob3status", "ob3", "gen-v2-eddsa-bsl-not-revoked"),
    ("ob3jwt", "ob3", "gen-jwt-rs256-kid-valid"),
    ("ob3png", "ob3", "baked-png-eddsa-valid"),
    ("ob3svg", "ob3", "baked-svg-jwt-rs256-valid"),
)


def fixed_clock() -> datetime:
    return FIXED_NOW


def _case(conformance: Path, corpus: str, case_id: str) -> dict[str, Any]:
    cases = json.loads((conformance / corpus / "cases.json").read_text())
    return next(c for c in cases if c["id"] == case_id)


@dataclass
class Portfolio:
    credentials: dict[str, Credential]
    reports: dict[str, VerificationReport]
    evidence: dict[str, bytes]

    def request(self, ids: Sequence[str] | None = None, **kw: Any) -> ExportRequest:
        chosen = list(ids) if ids is not None else list(self.credentials)
        options = kw.pop("options", {})
        return ExportRequest(
            ids=chosen,
            credentials={i: self.credentials[i] for i in chosen},
            reports={i: self.reports[i] for i in chosen if i in self.reports},
            evidence=self.evidence,
            holder_key=kw.pop("holder_key", HOLDER_KEY),
            created=kw.pop("created", FIXED_NOW),
            language=kw.pop("language", "en"),
            options=options,
            **kw,
        )


async def _load_case(
    tmp: Path, conformance: Path, contexts: Path, corpus: str, case_id: str
) -> tuple[Credential, VerificationReport, dict[str, bytes]]:
    case = _case(conformance, corpus, case_id)
    serve = case.get("serve") or case.get("needs") or {}
    index = mirror_from_serve(tmp / case_id, conformance / corpus, serve, case.get("serve_meta"))
    registry = default_registry()
    async with HttpFetcher(
        offline=True, mirrors=[index], contexts_dir=contexts, clock=fixed_clock
    ) as fetcher:
        source = case.get("input") or case.get("file")
        assert isinstance(source, str), case_id
        if case.get("input_kind") == "url":
            batch = await registry.fetch_url(source, fetcher)
        else:
            batch = registry.read_path(conformance / corpus / source)
        credential = next(f for f in batch.found if isinstance(f, Credential))
        recipients = tuple(case.get("recipient_profile", {}).values())
        report = await verify(credential, VerifyContext(fetcher, fixed_clock, recipients, True))
        bodies = {r.sha256: b for r in report.evidence if (b := fetcher.body_of(r.sha256))}
    return credential, report, bodies


def build_portfolio(
    tmp: Path,
    conformance: Path,
    contexts: Path,
    items: Sequence[tuple[str, str, str]] = EVERY_FORMAT,
) -> Portfolio:
    async def run() -> Portfolio:
        portfolio = Portfolio({}, {}, {})
        for wallet_id, corpus, case_id in items:
            credential, report, bodies = await _load_case(
                tmp, conformance, contexts, corpus, case_id
            )
            portfolio.credentials[wallet_id] = credential
            portfolio.reports[wallet_id] = report
            portfolio.evidence.update(bodies)
        return portfolio

    return asyncio.run(run())


def evidence_factory(contexts: Path | None = None) -> Callable[..., Fetcher]:
    """The service's fetcher factory, offline: what an employer without network has."""

    def factory(
        documents: Mapping[str, tuple[int, str, bytes]] | None = None, offline: bool | None = None
    ) -> Fetcher:
        return HttpFetcher(
            offline=True, documents=dict(documents) if documents else None, contexts_dir=contexts
        )

    return factory


def verify_offline(path: Path, **kw: Any) -> Any:
    """``plecak --offline verify`` at module level: the evidence in the bundle and nothing else."""
    from importers.registry import default_registry as registry
    from wallet.bundle.verify.verifier import verify_bundle

    return asyncio.run(
        verify_bundle(
            path,
            fetcher_factory=evidence_factory(),
            clock=fixed_clock,
            offline=True,
            parse_blob=registry().parse_blob,
            **kw,
        )
    )


OWN_ISSUER_KEY = bytes(range(32, 64))
"""A fixed test issuer key (did:key) for credentials issued to the bundle's holder."""


def own_credential_document(
    subject: str, *, slug: str = "own", issuer_key: bytes = OWN_ISSUER_KEY
) -> dict[str, Any]:
    """An OB 3.0 eddsa-jcs-2022 credential by a did:key issuer, issued to ``subject`` (a DID)."""
    from wallet.codecs import holder

    issuer = holder.did_key_from_private(issuer_key)
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:plecak-test-{slug}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Own {slug}",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Test Issuer"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": subject,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"https://issuer.test/achievements/{slug}",
                "type": ["Achievement"],
                "name": f"Own {slug}",
                "description": "A credential issued to the holder's own DID.",
                "criteria": {"narrative": "Made by the test suite."},
            },
        },
    }
    signed: dict[str, Any] = holder.sign_jcs(
        document, issuer_key, created=datetime(2026, 1, 1, tzinfo=UTC)
    )
    return signed


def add_own_credential(
    portfolio: Portfolio, wallet_id: str, contexts: Path, *, subject: str | None = None
) -> None:
    """Add a did:key credential issued to the portfolio's holder (or ``subject``), verified."""
    from wallet.codecs import holder

    subject = subject or holder.did_key_from_private(HOLDER_KEY)
    data = json.dumps(own_credential_document(subject, slug=wallet_id)).encode()

    async def run() -> None:
        from wallet.ports import Blob

        batch = default_registry().parse_blob(Blob(data, f"{wallet_id}.json", "application/json"))
        credential = next(f for f in batch.found if isinstance(f, Credential))
        async with HttpFetcher(offline=True, contexts_dir=contexts, clock=fixed_clock) as fetcher:
            report = await verify(credential, VerifyContext(fetcher, fixed_clock, (), True))
            portfolio.evidence.update(
                {r.sha256: b for r in report.evidence if (b := fetcher.body_of(r.sha256))}
            )
        portfolio.credentials[wallet_id] = credential
        portfolio.reports[wallet_id] = report

    asyncio.run(run())


def cycled_request(portfolio: Portfolio, count: int, *, language: str = "en") -> ExportRequest:
    """An export of ``count`` credentials cycling through every format (for the benchmarks)."""
    keys = [wid for wid, _c, _i in EVERY_FORMAT]
    ids = [f"{keys[i % len(keys)]}-{i:03d}" for i in range(count)]
    return ExportRequest(
        ids=ids,
        credentials={i: portfolio.credentials[i.rsplit("-", 1)[0]] for i in ids},
        reports={i: portfolio.reports[i.rsplit("-", 1)[0]] for i in ids},
        evidence=portfolio.evidence,
        holder_key=HOLDER_KEY,
        created=fixed_clock(),
        language=language,
    )
