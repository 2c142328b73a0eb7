"""HttpFetcher: the one way plecak reads documents from the web (or from what stands in for it).

Where a document comes from, in order (the first that has it answers):

1. the in-memory cache of this run (same URL and Accept: fetched once; concurrent requests for
   the same URL share one fetch, failures included, so a dead host costs one timeout per run);
2. ``documents``: an in-memory mirror ``{url: (status, content_type, body)}`` (recorded evidence
   when re-verifying offline, and tests) - recorded with origin ``evidence``;
3. ``contexts_dir``: a folder of JSON-LD contexts with its ``mirror.json`` (``PLECAK_CONTEXTS``,
   an override of what the package ships) - origin ``contexts``;
4. the documents shipped in the package (:mod:`wallet.pinned`: the pinned JSON-LD contexts and
   the 1EdTech JSON Schemas, each checked against its sha256) - origin ``pinned``;
5. ``mirrors``: index files in the cli.md format, in the order given (the user's mirrors, then the
   context cache) - origin ``mirror``;
6. the network, unless ``offline`` (then :class:`OfflineMiss`) - origin ``network``.

Every document handed out is recorded once as a :class:`FetchRecord` (the verification evidence:
URL, final URL, status, media type, sha256, size, time from the injected clock or, for a mirror
entry that says so, the time it was captured) and its body is kept by digest (:meth:`body_of`).
A cache hit hands out the same record again (its origin says where the document really came
from), so ``records`` is the complete evidence set without duplicates; one URL appears twice only
when it gave two different documents (content negotiation with another Accept).
Non-2xx answers are documents too (a 410 is the evidence that a badge was revoked): they are
returned and recorded, never raised.  Errors are :class:`NetworkError` subclasses with a readable
reason; nothing secret is logged (plecak sends no credentials, refuses URLs carrying them, and
stores no cookies).

The network path is hardened as :mod:`wallet.net.policy` and :mod:`wallet.net.transport` explain
(http/https only, address policy checked at connect time against DNS rebinding, redirects followed
by hand so each hop is checked, timeouts per operation and in total, size caps on declared and
streamed bodies, bounded concurrency).  httpx is imported on first network use only, so importing
this module (``plecak --help``) stays cheap.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wallet.errors import (
    NetworkError,
    OfflineMiss,
    ResponseTooLarge,
    UnreadableInput,
)
from wallet.i18n import N_
from wallet.model import FetchRecord
from wallet.net.exchange import NetworkExchange, media_type
from wallet.net.mirror import OCTET_STREAM, Mirror, load_mirror
from wallet.net.policy import (
    AddressPolicy,
    Resolver,
    check_literal,
    check_url,
)
from wallet.ports import Clock, Document, Response, system_clock

if TYPE_CHECKING:
    import asyncio

    import httpx


CONTEXTS_INDEX = "mirror.json"


@dataclass(slots=True)
class _Slot:
    """One cached (or in-flight) fetch of a URL; ``cap`` is the size limit it ran with."""

    task: asyncio.Task[Response]
    cap: int

    def stale_for(self, cap: int) -> bool:
        """A fetch refused as too large under a smaller cap is retried under a larger one."""
        if not self.task.done() or self.task.cancelled():
            return self.task.cancelled()
        return isinstance(self.task.exception(), ResponseTooLarge) and self.cap < cap


def _defragment(url: str) -> str:
    return url.split("#", 1)[0]


class HttpFetcher(NetworkExchange):
    """The Fetcher of :mod:`wallet.ports`: cache -> documents -> mirrors -> contexts -> network."""

    def __init__(
        self,
        *,
        offline: bool = False,
        mirrors: Sequence[str | Path] = (),
        contexts_dir: str | Path | None = None,
        documents: Mapping[str, Document] | None = None,
        allow_loopback: bool = False,
        allow_private: bool = False,
        timeout: float = 10.0,
        max_redirects: int = 5,
        max_bytes: int = 10 * 1024 * 1024,
        concurrency: int = 10,
        clock: Clock = system_clock,
        total_timeout: float | None = None,
        resolver: Resolver | None = None,
        pinned: bool = True,
    ) -> None:
        """Mirror indexes are loaded (and checked) now, so a bad ``--mirror`` fails at once
        with UnreadableInput / MalformedInput / UnsafeInput.

        ``total_timeout`` bounds one whole network fetch including redirects and a slowly
        dripping body (default: three times ``timeout``).  ``resolver`` replaces the system
        resolver (tests: pin a test host name to 127.0.0.1).  ``pinned=False`` leaves out the
        documents shipped in the package (tests of what happens without them).
        """
        self.offline = offline
        self.policy = AddressPolicy(allow_loopback=allow_loopback, allow_private=allow_private)
        self._documents = dict(documents or {})
        self._mirrors: list[Mirror] = [load_mirror(path) for path in mirrors]
        self._contexts = _contexts_mirror(contexts_dir)
        self._pinned: Mirror | None = None
        if pinned:
            from wallet.pinned import pinned_mirror

            self._pinned = pinned_mirror()
        self._timeout = timeout
        self._total_timeout = total_timeout if total_timeout is not None else 3 * timeout
        self._max_redirects = max_redirects
        self._max_bytes = max_bytes
        self._concurrency = max(1, concurrency)
        self._clock = clock
        self._resolver = resolver
        self._semaphore: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: httpx.AsyncClient | None = None
        self._cache: dict[tuple[str, str | None], _Slot] = {}
        self._records: list[FetchRecord] = []
        self._record_by_key: dict[tuple[str, str, int], FetchRecord] = {}
        self._bodies: dict[str, bytes] = {}
        self._in_flight = 0
        self.peak_in_flight = 0
        """Most network requests ever in flight at once (to check the concurrency bound)."""
        self.network_requests = 0
        """HTTP requests sent, redirect hops included."""

    # -- the Fetcher protocol -------------------------------------------------------------

    @property
    def records(self) -> Sequence[FetchRecord]:
        return tuple(self._records)

    def body_of(self, sha256: str) -> bytes | None:
        return self._bodies.get(sha256)

    async def get(
        self, url: str, *, accept: str | None = None, max_bytes: int | None = None
    ) -> Response:
        import asyncio  # lazily, with httpx: importing wallet.net stays cheap for `plecak --help`

        cap = self._max_bytes if max_bytes is None else max_bytes
        check_url(url)
        self._bind_loop()
        key = (_defragment(url), accept)
        while True:
            slot = self._cache.get(key)
            if slot is None or slot.stale_for(cap):
                task = asyncio.ensure_future(self._produce(url, accept, cap))
                task.add_done_callback(_retrieve)
                slot = _Slot(task, cap)
                self._cache[key] = slot
            try:
                if slot.task.done():  # a finished fetch answers from any event loop
                    response = slot.task.result()
                else:
                    response = await asyncio.shield(slot.task)
            except ResponseTooLarge:
                if slot.cap < cap:
                    continue  # the shared fetch ran with a smaller cap: fetch again
                raise
            break
        if len(response.body) > cap:
            raise ResponseTooLarge(url=url, limit=cap)
        return response if response.url == url else replace(response, url=url)

    # -- lifecycle ------------------------------------------------------------------------

    def _bind_loop(self) -> None:
        """Follow the running event loop.  The CLI may run one ``asyncio.run`` per step and the
        TUI has its own loop: the cache of finished fetches survives a change of loop, while
        the HTTP client, the semaphore and unfinished fetches belong to the loop that made them
        (they cannot be used from another) and are made afresh."""
        import asyncio

        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        if self._loop is not None:
            self._client = None  # bound to the old loop, which is gone; cannot be closed here
            for key in [k for k, slot in self._cache.items() if not slot.task.done()]:
                del self._cache[key]
        self._loop = loop
        self._semaphore = asyncio.Semaphore(self._concurrency)

    async def aclose(self) -> None:
        import asyncio

        if self._loop is asyncio.get_running_loop():
            for slot in self._cache.values():
                if not slot.task.done():
                    slot.task.cancel()
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    async def __aenter__(self) -> HttpFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- where documents come from --------------------------------------------------------

    async def _produce(self, url: str, accept: str | None, cap: int) -> Response:
        document = self._documents.get(url) or self._documents.get(_defragment(url))
        if document is not None:
            status, content_type, body = document
            if len(body) > cap:
                raise ResponseTooLarge(url=url, limit=cap)
            return self._respond(url, url, status, media_type(content_type), body, "evidence")
        for mirror, origin in self._local_mirrors():
            entry = mirror.lookup(url)
            if entry is not None:
                try:
                    body = mirror.read(entry, cap)
                except NetworkError:
                    if origin == "pinned":
                        continue  # a damaged install: fall through to the mirrors and network
                    raise
                ctype = entry.content_type or OCTET_STREAM
                return self._respond(
                    url, url, entry.status, ctype, body, origin, when=entry.fetched_at
                )
        if self.offline:
            raise OfflineMiss(url=url)
        check_literal(url, self.policy)
        assert self._semaphore is not None  # set by _bind_loop in get()
        async with self._semaphore:
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            try:
                final_url, status, content_type, body = await self._download(url, accept, cap)
            finally:
                self._in_flight -= 1
        return self._respond(url, final_url, status, content_type, body, "network")

    def _local_mirrors(self) -> list[tuple[Mirror, str]]:
        found: list[tuple[Mirror, str]] = []
        if self._contexts is not None:
            found.append((self._contexts, "contexts"))
        if self._pinned is not None:
            found.append((self._pinned, "pinned"))
        return found + [(mirror, "mirror") for mirror in self._mirrors]

    def _respond(
        self,
        url: str,
        final_url: str,
        status: int,
        content_type: str,
        body: bytes,
        origin: str,
        *,
        when: datetime | None = None,
    ) -> Response:
        digest = hashlib.sha256(body).hexdigest()
        self._bodies.setdefault(digest, body)
        key = (url, digest, status)
        record = self._record_by_key.get(key)
        if record is None:
            record = FetchRecord(
                url=url,
                final_url=final_url,
                status=status,
                content_type=content_type,
                sha256=digest,
                fetched_at=when or self._clock(),
                size=len(body),
                origin=origin,
            )
            self._record_by_key[key] = record
            self._records.append(record)
        return Response(
            url=url,
            final_url=final_url,
            status=status,
            content_type=content_type,
            body=body,
            record=record,
        )


def _retrieve(task: asyncio.Task[Response]) -> None:
    """Mark a shared fetch's failure as seen (its awaiters may all have been cancelled)."""
    if not task.cancelled():
        task.exception()


def _contexts_mirror(contexts_dir: str | Path | None) -> Mirror | None:
    """The index of a PLECAK_CONTEXTS folder, checked now (a bad folder fails at once)."""
    if contexts_dir is None:
        return None
    index = Path(contexts_dir) / CONTEXTS_INDEX
    if not index.is_file():
        raise UnreadableInput(
            source=str(index),
            hint=N_("PLECAK_CONTEXTS must name a folder that holds mirror.json."),
        )
    return load_mirror(index)
