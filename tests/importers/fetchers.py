"""Tiny Fetchers for importer tests (the real one is wallet.net.HttpFetcher).

``MapFetcher`` answers from an in-memory map (a mirror of a conformance case's ``serve`` map, where
the URLs name hosts like example.org that a test must never reach).  ``LoopbackFetcher`` does real
HTTP GETs, but only to 127.0.0.1 (the loopback test server), so negotiation headers and HTML pages
are exercised over a real socket.
"""

from __future__ import annotations

import hashlib
import http.client
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from wallet.errors import BlockedURL, OfflineMiss
from wallet.model import FetchRecord
from wallet.ports import Response

FIXED = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TYPES = {
    ".json": "application/ld+json",
    ".jsonld": "application/ld+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    ".jws": "application/jwt",
}


def _response(url: str, status: int, content_type: str, body: bytes) -> Response:
    record = FetchRecord(
        url=url,
        final_url=url,
        status=status,
        content_type=content_type,
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=FIXED,
        size=len(body),
        origin="mirror",
    )
    return Response(url, url, status, content_type, body, record)


class MapFetcher:
    """Answers ``{url: (status, content_type, body)}``; anything else is a connection error."""

    def __init__(self, documents: Mapping[str, tuple[int, str, bytes]]) -> None:
        self.documents = dict(documents)
        self._records: list[FetchRecord] = []
        self.asked: list[tuple[str, str | None]] = []

    @classmethod
    def from_serve(
        cls, base: Path, serve: Mapping[str, str], meta: Mapping[str, Mapping[str, object]] | None
    ) -> MapFetcher:
        documents: dict[str, tuple[int, str, bytes]] = {}
        for url, rel in serve.items():
            path = base / rel
            documents[url] = (
                200,
                TYPES.get(path.suffix, "application/octet-stream"),
                path.read_bytes(),
            )
        for url, override in (meta or {}).items():
            status, ctype, body = documents.get(url, (200, "text/plain", b""))
            documents[url] = (
                int(override.get("status", status)),  # type: ignore[call-overload]
                str(override.get("content_type", ctype)),
                body,
            )
        return cls(documents)

    async def get(
        self, url: str, *, accept: str | None = None, max_bytes: int | None = None
    ) -> Response:
        self.asked.append((url, accept))
        if url not in self.documents:
            raise OfflineMiss(url=url)
        status, ctype, body = self.documents[url]
        response = _response(url, status, ctype, body)
        self._records.append(response.record)
        return response

    @property
    def records(self) -> Sequence[FetchRecord]:
        return self._records

    def body_of(self, sha256: str) -> bytes | None:
        for _status, _ctype, body in self.documents.values():
            if hashlib.sha256(body).hexdigest() == sha256:
                return body
        return None


class LoopbackFetcher(MapFetcher):
    """Real HTTP to 127.0.0.1 only (blocking client; fine for tests)."""

    def __init__(self) -> None:
        super().__init__({})

    async def get(
        self, url: str, *, accept: str | None = None, max_bytes: int | None = None
    ) -> Response:
        self.asked.append((url, accept))
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname != "127.0.0.1":
            raise BlockedURL(url=url, reason="test fetcher: loopback only")
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", path or "/", headers={"Accept": accept or "*/*"})
            answer = conn.getresponse()
            body = answer.read()
            ctype = (answer.getheader("Content-Type") or "").split(";")[0].strip().lower()
            response = _response(url, answer.status, ctype, body)
        finally:
            conn.close()
        self._records.append(response.record)
        return response
