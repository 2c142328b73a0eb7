"""The small protocols the core is written against: Fetcher, Importer, Exporter, Clock.

Why protocols: the verifier and importers must be testable against a real loopback server, a mirror
or recorded evidence without knowing which; the service gets importers and exporters injected so
``wallet`` never imports those packages (architecture.md, rules of direction).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, Self, runtime_checkable

from wallet.model import Credential, FetchRecord, Json, VerificationReport


class Clock(Protocol):
    """Returns the current time (timezone-aware UTC).  Tests inject a fixed one."""

    def __call__(self) -> datetime: ...


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Response:
    """A document as the Fetcher hands it out (always fully read and size-checked)."""

    url: str
    """The URL asked for."""
    final_url: str
    """Where it came from after redirects."""
    status: int
    content_type: str
    """Media type without parameters, lower case (``application/ld+json``)."""
    body: bytes
    record: FetchRecord

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@runtime_checkable
class Fetcher(Protocol):
    """All network access of plecak goes through one of these (wallet.net.HttpFetcher)."""

    async def get(
        self, url: str, *, accept: str | None = None, max_bytes: int | None = None
    ) -> Response:
        """GET ``url``.  Returns non-2xx answers as responses (callers decide what 410 means);
        raises :class:`wallet.errors.NetworkError` subclasses when no answer could be had."""
        ...

    @property
    def records(self) -> Sequence[FetchRecord]:
        """Every document handed out so far, in order (the verification evidence)."""
        ...

    def body_of(self, sha256: str) -> bytes | None:
        """The body of a recorded document by digest (to store it as evidence)."""
        ...

    async def aclose(self) -> None:
        """Release connections.  The records and bodies stay readable afterwards."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc_info: object) -> None:
        """Closes the fetcher (:meth:`aclose`), whatever happened inside."""
        ...


Document = tuple[int, str, bytes]
"""A document handed to a Fetcher to serve as if fetched: (HTTP status, media type, body)."""


class FetcherFactory(Protocol):
    """Makes a fresh Fetcher for one run (wallet.factory builds the real one).

    ``documents`` are served before anything else (recorded evidence, a bundle's carried
    documents); ``offline`` None means the configured default (``--offline``/``PLECAK_OFFLINE``).
    """

    def __call__(
        self, documents: Mapping[str, Document] | None = None, offline: bool | None = None
    ) -> Fetcher: ...


@dataclass(frozen=True, slots=True)
class Blob:
    """Raw input for the importers: bytes plus what we know of where they came from."""

    data: bytes
    source: str
    """Display name: a path, a URL, ``-``, or ``archive.zip!inner/name``."""
    media_type: str | None = None
    """As declared by an HTTP server, when there was one.  Importers sniff the bytes anyway."""


@dataclass(frozen=True, slots=True)
class UrlReference:
    """An importer found a pointer instead of a credential (a baked hosted-assertion URL).

    The service resolves it through the Fetcher and the URL importer; importers never fetch.
    """

    url: str
    found_in: str
    original: bytes = b""
    """The bytes that held the reference (the baked image), kept as the original."""
    media_type: str = ""


Found = Credential | UrlReference


@dataclass(frozen=True, slots=True)
class ImportFailure:
    """One item that could not be imported, kept next to the successes (never a silent skip)."""

    source: str
    error: Exception
    skipped: bool = False
    """A file inside a folder or archive that is no credential at all (a README, a LICENSE):
    reported as skipped, not as a failure — the user asked for the folder, not for that file."""


@dataclass(slots=True)
class ImportBatch:
    """What importing one source gave: credentials, references to resolve, and failures."""

    found: list[Found] = field(default_factory=list)
    failures: list[ImportFailure] = field(default_factory=list)


class Importer(Protocol):
    """Turns raw bytes of one kind into credentials.  Parses only: no network, no verification."""

    name: str

    def sniff(self, blob: Blob) -> bool:
        """Cheap check on the bytes (not the file name): is this my kind of input?"""
        ...

    def parse(self, blob: Blob) -> Sequence[Found]:
        """Every credential inside ``blob``; raises InputError-family errors for bad input."""
        ...


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """Everything an exporter may need, gathered by the service (exporters do no I/O of their own).

    ``reports`` and ``entries`` are keyed by the wallet's short id, in the order of ``ids``.
    """

    ids: Sequence[str]
    credentials: Mapping[str, Credential]
    reports: Mapping[str, VerificationReport] = field(default_factory=dict)
    evidence: Mapping[str, bytes] = field(default_factory=dict)
    """Bodies of every FetchRecord in the reports, by sha256."""
    holder_key: bytes | None = None
    """The learner's Ed25519 private key (raw 32 bytes) to sign presentations; never logged."""
    disclosed_identity: str | None = None
    language: str = "en"
    purpose: str | None = None
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    options: Mapping[str, Json] = field(default_factory=dict)


class Exporter(Protocol):
    """Writes credentials out.  Never re-signs or re-serialises a signed payload."""

    name: str
    media_type: str

    def export(self, request: ExportRequest) -> bytes: ...
