"""Getting one JSON document for the verifier: fetch, check the HTTP status, parse, want an object.

Why one helper: key documents (:mod:`did`), JSON-LD contexts (:mod:`jsonld`), status lists
(:mod:`status`) and credential schemas (:mod:`schema`) are all fetched through the Fetcher and
parsed with the same size cap the same way, but each reports a failure in its own words and with
its own outcome (an unavailable key, an unknown check, a failed one).  So the shared steps raise one
:class:`DocumentError` that says *which* step failed, and every caller maps it to its own error or
verdict; no wording lives here.
"""

from __future__ import annotations

import enum
from typing import Any

from wallet.codecs import safejson
from wallet.errors import InputError, NetworkError
from wallet.ports import Fetcher, Response


class Failure(enum.Enum):
    NETWORK = "network"
    """No answer (offline miss, blocked, unreachable, too large): ``reason`` and ``detail`` set."""
    HTTP = "http"
    """An answer, but not 2xx: ``status`` set."""
    JSON = "json"
    """The body is not JSON within the caps: ``reason`` set."""
    NOT_OBJECT = "not-object"
    """JSON, but not an object."""


class DocumentError(Exception):
    """Why a document could not be had; never shown as is, callers turn it into their own kind."""

    def __init__(
        self, failure: Failure, *, reason: str = "", detail: str = "", status: int = 0
    ) -> None:
        self.failure = failure
        self.reason = reason
        """The underlying error's user message (NETWORK, JSON)."""
        self.detail = detail
        """The underlying network error's technical detail (NETWORK)."""
        self.status = status
        """The HTTP status of the answer (HTTP)."""
        super().__init__(f"{failure.value}: {reason or status}")

    @property
    def unavailable(self) -> bool:
        """True when no usable answer came (the check cannot complete), False when a broken one did."""
        return self.failure in (Failure.NETWORK, Failure.HTTP)


async def fetch_ok(fetcher: Fetcher, url: str, *, accept: str, max_bytes: int) -> Response:
    """A 2xx response for ``url`` through ``fetcher``; raises :class:`DocumentError`."""
    try:
        response = await fetcher.get(url, accept=accept, max_bytes=max_bytes)
    except NetworkError as exc:
        raise DocumentError(Failure.NETWORK, reason=exc.user_message(), detail=exc.detail) from exc
    if not response.ok:
        raise DocumentError(Failure.HTTP, status=response.status)
    return response


def parse_object(body: bytes, url: str, *, max_bytes: int) -> dict[str, Any]:
    """``body`` as a JSON object (size and depth capped); raises :class:`DocumentError`."""
    try:
        doc = safejson.loads(body, source=url, max_bytes=max_bytes)
    except InputError as exc:
        raise DocumentError(Failure.JSON, reason=exc.user_message()) from exc
    if not isinstance(doc, dict):
        raise DocumentError(Failure.NOT_OBJECT)
    return doc


async def fetch_object(
    fetcher: Fetcher, url: str, *, accept: str, max_bytes: int
) -> dict[str, Any]:
    """:func:`fetch_ok` then :func:`parse_object`; raises :class:`DocumentError`."""
    response = await fetch_ok(fetcher, url, accept=accept, max_bytes=max_bytes)
    return parse_object(response.body, url, max_bytes=max_bytes)
