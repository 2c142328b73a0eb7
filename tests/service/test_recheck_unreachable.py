"""A recheck that cannot reach the issuer never turns a revoked or suspended badge "unverified"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wallet.demo.issuer import build
from wallet.demo.server import DemoServer
from wallet.factory import make_service
from wallet.model import Status

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.slow
def test_revoked_and_suspended_stand_when_the_issuer_cannot_be_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")
    monkeypatch.setenv("PLECAK_CACHE_DIR", str(tmp_path / "cache"))
    server = DemoServer()
    files = tmp_path / "badges"
    files.mkdir()
    issue = build(server.base, files, NOW)
    server.publish(issue.documents)
    server.start()
    service = make_service(tmp_path / "wallet", allow_loopback=True, clock=lambda: NOW)
    service.create("a long passphrase")
    try:
        asyncio.run(service.import_sources(issue.sources))
    finally:
        server.stop()
    before = {e.id: e.status for e in service.list()}
    adverse = {
        cid for cid, status in before.items() if status in (Status.REVOKED, Status.SUSPENDED)
    }
    assert len(adverse) == 2, before

    outcomes = asyncio.run(service.recheck())  # the issuer is gone: every fetch fails

    kept = {o.id: o for o in outcomes if o.kept}
    assert set(kept) == adverse
    for outcome in kept.values():
        assert outcome.after is before[outcome.id]
        assert outcome.report is not None and outcome.report.status is Status.UNVERIFIED
    after = {e.id: e.status for e in service.list()}
    assert {cid: after[cid] for cid in adverse} == {cid: before[cid] for cid in adverse}
    assert all(len(service.show(cid).history) == 1 for cid in adverse)  # nothing recorded over it
