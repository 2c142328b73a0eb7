"""Pinned contexts fetched from the network are kept and served again — only pinned ones."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from wallet.context_cache import index_path, remember
from wallet.factory import make_fetcher_factory
from wallet.model import FetchRecord
from wallet.ports import system_clock

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"


def _record(url: str, body: bytes, origin: str = "network") -> FetchRecord:
    return FetchRecord(
        url=url,
        final_url=url,
        status=200,
        content_type="application/ld+json",
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=datetime(2026, 11, 23, tzinfo=UTC),
        origin=origin,
    )


def test_a_pinned_context_from_the_network_is_kept_and_served_offline(
    contexts_dir: Path, tmp_path: Path
) -> None:
    body = (contexts_dir / "credentials-v2.jsonld").read_bytes()
    folder = tmp_path / "cache"
    bodies = {hashlib.sha256(body).hexdigest(): body}
    assert remember([_record(CREDENTIALS_V2, body)], bodies.get, folder) == 1
    assert remember([_record(CREDENTIALS_V2, body)], bodies.get, folder) == 0  # once
    assert index_path(folder) is not None

    async def fetch() -> bytes:
        factory = make_fetcher_factory(
            offline=True,
            mirrors=[str(index_path(folder))],
            allow_loopback=False,
            clock=system_clock,
        )
        fetcher = factory()
        try:
            return (await fetcher.get(CREDENTIALS_V2)).body
        finally:
            await fetcher.aclose()

    assert asyncio.run(fetch()) == body


def test_unpinned_altered_or_non_network_documents_are_not_kept(
    contexts_dir: Path, tmp_path: Path
) -> None:
    good = (contexts_dir / "credentials-v2.jsonld").read_bytes()
    altered = good.replace(b'"@protected": true', b'"@protected": false', 1)
    assert altered != good
    other = b'{"@context": {"x": "https://evil.example/x"}}'
    bodies = {hashlib.sha256(b).hexdigest(): b for b in (good, altered, other)}
    folder = tmp_path / "cache"
    records = [
        _record(CREDENTIALS_V2, altered),
        _record("https://evil.example/context.json", other),
        _record(CREDENTIALS_V2, good, origin="mirror"),
    ]
    assert remember(records, bodies.get, folder) == 0
    assert index_path(folder) is None
