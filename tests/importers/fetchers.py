"""A conformance case's ``serve`` map as documents for the in-memory Fetcher
(:class:`wallet.net.fake.FakeFetcher`): the URLs name hosts like example.org that a test must never
reach, so the fake answers for them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from wallet.ports import Document

TYPES = {
    ".json": "application/ld+json",
    ".jsonld": "application/ld+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    ".jws": "application/jwt",
}


def documents_from_serve(
    base: Path, serve: Mapping[str, str], meta: Mapping[str, Mapping[str, object]] | None
) -> dict[str, Document]:
    """``{url: file}`` (and ``serve_meta``'s status / content type overrides) as documents."""
    documents: dict[str, Document] = {}
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
    return documents
