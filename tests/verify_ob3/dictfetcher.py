"""A tiny in-memory Fetcher for the OB3 verifier tests (until/besides wallet.net.HttpFetcher).

It answers from a dict ``{url: (status, content_type, body)}``, raises OfflineMiss for anything else
(exactly what an offline HttpFetcher without that document does), and records what it handed out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from wallet.errors import OfflineMiss
from wallet.model import FetchRecord
from wallet.ports import Response

Document = tuple[int, str, bytes]


class DictFetcher:
    def __init__(self, documents: Mapping[str, Document] | None = None) -> None:
        self.documents: dict[str, Document] = dict(documents or {})
        self._records: list[FetchRecord] = []
        self._bodies: dict[str, bytes] = {}
        self.asked: list[str] = []

    async def get(
        self, url: str, *, accept: str | None = None, max_bytes: int | None = None
    ) -> Response:
        self.asked.append(url)
        key = url.split("#", 1)[0]
        found = self.documents.get(url) or self.documents.get(key)
        if found is None:
            raise OfflineMiss(url=url)
        status, content_type, body = found
        digest = hashlib.sha256(body).hexdigest()
        record = FetchRecord(
            url=url,
            final_url=url,
            status=status,
            content_type=content_type,
            sha256=digest,
            fetched_at=datetime(2026, 11, 23, tzinfo=UTC),
            size=len(body),
            origin="mirror",
        )
        self._records.append(record)
        self._bodies[digest] = body
        return Response(url, url, status, content_type, body, record)

    @property
    def records(self) -> Sequence[FetchRecord]:
        return self._records

    def body_of(self, sha256: str) -> bytes | None:
        return self._bodies.get(sha256)


def contexts_documents(contexts_dir: Path) -> dict[str, Document]:
    """Every context of a PLECAK_CONTEXTS folder (its mirror.json), as fetcher documents."""
    index = json.loads((contexts_dir / "mirror.json").read_text(encoding="utf-8"))
    out: dict[str, Document] = {}
    for url, entry in index.items():
        rel = entry if isinstance(entry, str) else entry.get("file")
        if not rel:
            continue
        out[url] = (200, "application/ld+json", (contexts_dir / rel).read_bytes())
    return out


def needs_documents(base_dir: Path, needs: Mapping[str, str]) -> dict[str, Document]:
    """A conformance case's ``needs`` map as fetcher documents."""
    return {
        url: (200, "application/json", (base_dir / rel).read_bytes()) for url, rel in needs.items()
    }
