"""A Fetcher that answers from memory: the real one's contract without a socket.

Why it ships with the code (like httpx's ``MockTransport``): every layer written against the
:class:`wallet.ports.Fetcher` protocol (verifiers, importers, the service) needs a stand-in in its
tests, and four hand-made ones drifted apart.  This one serves a dict ``{url: (status, media type,
body)}`` and/or asks a ``handler`` for the rest; a URL nobody answers raises
:class:`~wallet.errors.OfflineMiss`, exactly what an offline HttpFetcher without the document
does.  Every request is kept in :attr:`FakeFetcher.requests`, every answer in :attr:`records`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from wallet.errors import OfflineMiss
from wallet.model import FetchRecord
from wallet.ports import Document, Response

FIXED = datetime(2026, 11, 23, tzinfo=UTC)
"""When a fake fetcher says it fetched its documents (tests run on a fixed clock)."""

Answer = Response | Document | None
Handler = Callable[[str, str | None], Awaitable[Answer]]
"""handler(url, accept) -> a Response, a Document, or None (not found): like a transport."""


@dataclass(frozen=True, slots=True)
class Request:
    """One ``get`` the fake received."""

    url: str
    accept: str | None


class FakeFetcher:
    """Serves ``documents`` (by URL, then by URL without its fragment), then ``handler``."""

    def __init__(
        self,
        documents: Mapping[str, Document] | None = None,
        *,
        handler: Handler | None = None,
        fetched_at: datetime = FIXED,
        origin: str = "mirror",
    ) -> None:
        self.documents: dict[str, Document] = dict(documents or {})
        self.handler = handler
        self.fetched_at = fetched_at
        self.origin = origin
        self.requests: list[Request] = []
        self.closed = False
        self._records: list[FetchRecord] = []
        self._bodies: dict[str, bytes] = {}

    @property
    def asked(self) -> list[str]:
        """The URLs asked for, in order."""
        return [request.url for request in self.requests]

    async def get(
        self, url: str, *, accept: str | None = None, max_bytes: int | None = None
    ) -> Response:
        self.requests.append(Request(url, accept))
        answer: Answer = self.documents.get(url) or self.documents.get(url.split("#", 1)[0])
        if answer is None and self.handler is not None:
            answer = await self.handler(url, accept)
        if answer is None:
            raise OfflineMiss(url=url)
        response = answer if isinstance(answer, Response) else self.response(url, *answer)
        self._records.append(response.record)
        self._bodies[response.record.sha256] = response.body
        return response

    def response(self, url: str, status: int, content_type: str, body: bytes) -> Response:
        """The Response (and its record) this fake gives for a document."""
        record = FetchRecord(
            url=url,
            final_url=url,
            status=status,
            content_type=content_type,
            sha256=hashlib.sha256(body).hexdigest(),
            fetched_at=self.fetched_at,
            size=len(body),
            origin=self.origin,
        )
        return Response(url, url, status, content_type, body, record)

    @property
    def records(self) -> Sequence[FetchRecord]:
        return self._records

    def body_of(self, sha256: str) -> bytes | None:
        return self._bodies.get(sha256)

    async def aclose(self) -> None:
        self.closed = True

    async def __aenter__(self) -> FakeFetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
