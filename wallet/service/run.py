"""One verification run as one ``async with``: a fresh Fetcher, the clock, the identities to
match, and what happens when the run ends.

Why one object: import, verify and recheck each open a fetcher, verify a batch, keep the pinned
contexts the run fetched and close the fetcher whatever happened; written out at every call site
that sequence drifted.  Here it is once, and a caller cannot forget the close.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Self

from wallet.model import Credential, FetchRecord, VerificationReport
from wallet.ports import Clock, Document, Fetcher, FetcherFactory
from wallet.service.types import Progress


class VerifyRun:
    """``async with VerifyRun(factory, clock=…) as run:`` then :meth:`verify` credentials."""

    def __init__(
        self,
        fetcher_factory: FetcherFactory,
        *,
        clock: Clock,
        offline: bool,
        recipients: Sequence[str] = (),
        documents: Mapping[str, Document] | None = None,
        fetcher_offline: bool | None = None,
    ) -> None:
        self._factory = fetcher_factory
        self._documents = documents
        self._fetcher_offline = fetcher_offline
        self._fetcher: Fetcher | None = None
        self.clock = clock
        self.offline = offline
        self.recipients = tuple(recipients)

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            raise RuntimeError("a VerifyRun is used inside 'async with'")
        return self._fetcher

    async def __aenter__(self) -> Self:
        if self._documents is None and self._fetcher_offline is None:
            self._fetcher = self._factory()
        else:
            self._fetcher = self._factory(documents=self._documents, offline=self._fetcher_offline)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        fetcher = self.fetcher
        remember_contexts(fetcher)
        await fetcher.aclose()

    async def verify(
        self, credentials: Sequence[Credential], progress: Progress | None = None
    ) -> list[VerificationReport]:
        """Every credential, concurrently over the one fetcher (shared documents fetched once)."""
        import asyncio

        from wallet.verify.context import VerifyContext
        from wallet.verify.verifier import verify

        ctx = VerifyContext(
            fetcher=self.fetcher,
            clock=self.clock,
            recipients=self.recipients,
            offline=self.offline,
        )
        total = len(credentials)
        done = 0

        async def one(credential: Credential) -> VerificationReport:
            nonlocal done
            report = await verify(credential, ctx)
            done += 1
            if progress is not None:
                progress(done, total, credential.title or credential.original.source)
            return report

        return list(await asyncio.gather(*(one(c) for c in credentials)))

    def shown(self, credential: Credential, report: VerificationReport) -> Credential:
        """The credential as displayed: an OB 2.0 badge completed from its verified documents."""
        from wallet.verify.ob2.display import with_linked_display

        return with_linked_display(credential, report, self.fetcher.body_of)

    def evidence(self, report: VerificationReport) -> dict[str, bytes]:
        """The bodies of every document the report (and its nested reports) rests on."""
        bodies: dict[str, bytes] = {}
        for record in all_evidence(report):
            body = self.fetcher.body_of(record.sha256)
            if body is not None:
                bodies[record.sha256] = body
        return bodies


def as_of_capture(
    report: VerificationReport, previous: VerificationReport | None
) -> VerificationReport:
    """A recheck from this wallet's own recorded documents: said "as of" when they were captured."""
    from dataclasses import replace

    from wallet.verify.provenance import as_captured  # this wallet's own evidence

    captured: list[datetime] = [r.fetched_at for r in previous.evidence] if previous else []
    return replace(as_captured(report), mode="evidence", as_of=min(captured) if captured else None)


def all_evidence(report: VerificationReport) -> list[FetchRecord]:
    records = list(report.evidence)
    for child in report.children:
        records.extend(all_evidence(child))
    return records


def remember_contexts(fetcher: Fetcher) -> None:
    """Keep the pinned JSON-LD contexts this run fetched, so later runs need no network for them."""
    from wallet.context_cache import remember

    try:
        remember(fetcher.records, fetcher.body_of)
    except Exception:  # a cache is an optimisation: never fail an import or a check over it
        return
