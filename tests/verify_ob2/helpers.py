"""Small builders for OB 2.0 verifier tests: in-memory documents, credentials, a run context."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wallet.model import Credential, Format, Original, VerificationReport
from wallet.net import HttpFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
V2 = "https://w3id.org/openbadges/v2"
LD = "application/ld+json"


def corpus_docs(conformance: Path, serve: dict[str, str]) -> dict[str, tuple[int, str, bytes]]:
    from wallet.net import content_type_for

    base = conformance / "ob2"
    return {
        url: (200, content_type_for(rel), (base / rel).read_bytes()) for url, rel in serve.items()
    }


def basic_docs(conformance: Path) -> dict[str, tuple[int, str, bytes]]:
    """The canonical hosted 2.0 trio with its images and the v2 context."""
    return corpus_docs(
        conformance,
        {
            V2: "contexts/openbadges_context.jsonld",
            "https://example.org/robotics-badge.json": "components/2_0_basic_badgeclass.json",
            "https://example.org/organization.json": "components/2_0_basic_issuer.json",
            "https://example.org/beths-robot-badge.png": "images/public_domain_heart.png",
            "https://example.org/robotics-badge.png": "images/public_domain_heart.png",
            "https://example.org/beths-robotics-badge.json": "components/2_0_basic_assertion.json",
        },
    )


def jdoc(value: Any, status: int = 200) -> tuple[int, str, bytes]:
    return (status, LD, json.dumps(value).encode())


def hosted(url: str, document: Any = None) -> Credential:
    return Credential(
        format=Format.OB2_HOSTED,
        original=Original(data=url.encode(), media_type="text/plain", source=url),
        payload=json.dumps(document).encode() if document is not None else url.encode(),
        document=document,
        credential_id=url,
        hosted_url=url,
    )


def signed(token: str) -> Credential:
    return Credential(
        format=Format.OB2_SIGNED,
        original=Original(data=token.encode(), media_type="application/jwt", source="test.jws"),
        payload=token.encode(),
    )


def lone(document: dict[str, Any]) -> Credential:
    url = document.get("id")
    return Credential(
        format=Format.OB2_OTHER,
        original=Original(data=b"{}", media_type=LD, source="test"),
        payload=json.dumps(document).encode(),
        document=document,
        credential_id=url,
        hosted_url=url,
    )


def run(
    credential: Credential,
    documents: dict[str, tuple[int, str, bytes]],
    recipients: tuple[str, ...] = (),
    now: datetime = NOW,
    *,
    pinned: bool = True,
) -> VerificationReport:
    async def go() -> VerificationReport:
        async with HttpFetcher(offline=True, documents=documents, pinned=pinned) as fetcher:
            ctx = VerifyContext(fetcher=fetcher, clock=lambda: now, recipients=recipients)
            return await verify(credential, ctx)

    return asyncio.run(go())


def check(report: VerificationReport, check_id: str) -> Any:
    found = [c for c in report.checks if c.id == check_id]
    assert found, (check_id, [(c.id, c.status, c.message) for c in report.checks])
    return found[-1]
