"""What the evidence carried in a bundle may and may not prove.

The documents in ``evidence/`` come from the sender.  They let an employer check a bundle when the
issuer is unreachable, but they must never outvote the issuer's own answer, and a result resting on
documents no issuer signature protects must say so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

from exporters.bundle import BundleExporter
from importers.registry import default_registry
from tests.exporters.support import Portfolio, build_portfolio, fixed_clock, verify_offline
from wallet.bundle.verify.verifier import verify_bundle
from wallet.model import CheckStatus, Status
from wallet.net import HttpFetcher
from wallet.ports import Fetcher

ASSERTION = "https://example.org/beths-robotics-badge.json"


def _bundle(tmp_path: Path, portfolio: Portfolio, ids: list[str]) -> Path:
    path = tmp_path / "bundle.zip"
    path.write_bytes(BundleExporter().export(portfolio.request(ids)))
    return path


def test_hosted_badge_checked_from_carried_evidence_names_what_to_confirm_online(
    tmp_path: Path, own_portfolio: Portfolio
) -> None:
    report = verify_offline(_bundle(tmp_path, own_portfolio, ["ob2hosted", "mine"]))
    by_format = {c.report.format.value: c.report for c in report.credentials if c.report}
    hosted = by_format["ob2-hosted"]
    (evidence,) = [c for c in hosted.checks if c.id == "evidence"]
    assert evidence.status is CheckStatus.UNKNOWN  # a carried hosted assertion proves nothing
    assert hosted.status is Status.UNVERIFIED
    assert ASSERTION in evidence.message and "confirm online" in evidence.message
    assert "2026-11-23 12:00 UTC" in evidence.message
    signed = by_format["ob3-data-integrity"]
    (evidence,) = [c for c in signed.checks if c.id == "evidence"]
    assert evidence.status is CheckStatus.PASS  # did:key + pinned contexts: nothing to confirm
    assert signed.status is Status.VALID


def test_issuer_answering_404_online_is_not_outvoted_by_carried_evidence(
    tmp_path: Path, conformance_dir: Path, contexts_dir: Path
) -> None:
    portfolio = build_portfolio(
        tmp_path, conformance_dir, contexts_dir, [("h", "ob2", "hosted-2.0-basic")]
    )
    assert portfolio.reports["h"].status is Status.VALID
    path = _bundle(tmp_path, portfolio, ["h"])

    def issuer_says_gone(
        documents: Mapping[str, tuple[int, str, bytes]] | None = None,
        offline: bool | None = None,
    ) -> Fetcher:
        if documents is not None:  # the replay of the bundle's evidence
            return HttpFetcher(offline=True, documents=dict(documents))
        # "online": the issuer's server is up and no longer serves the assertion
        return HttpFetcher(offline=True, documents={ASSERTION: (404, "text/plain", b"gone")})

    report = asyncio.run(
        verify_bundle(
            path,
            fetcher_factory=issuer_says_gone,
            clock=fixed_clock,
            offline=False,
            parse_blob=default_registry().parse_blob,
        )
    )
    (credential,) = report.credentials
    assert credential.report is not None
    assert credential.report.mode == "online"
    assert credential.status is not Status.VALID
    assert not report.ok
