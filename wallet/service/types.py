"""The service's vocabulary: what the shells get back, and what the service is given.

Apart from the service class so that the shells, tests and fakes can name these types without
importing the service itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from wallet.errors import WalletError
from wallet.model import Credential, EUElement, PortfolioEntry, Status, VerificationReport
from wallet.ports import Blob, Fetcher, ImportBatch

if TYPE_CHECKING:
    from wallet.bundle.verify.report import BundleReport

Progress = Callable[[int, int, str], None]
"""progress(done, total, label): called from the event loop's thread."""


class ImporterRegistry(Protocol):
    """What the service needs of ``importers.registry.Registry`` (injected)."""

    def parse_blob(self, blob: Blob) -> ImportBatch: ...

    def parse_text(self, text: str, source: str = "-") -> ImportBatch: ...

    def read_path(self, path: Path) -> ImportBatch: ...

    async def fetch_url(self, url: str, fetcher: Fetcher) -> ImportBatch: ...


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    source: str
    state: Literal["stored", "duplicate", "failed", "skipped"]
    id: str | None = None
    entry: PortfolioEntry | None = None
    report: VerificationReport | None = None
    error: WalletError | None = None
    credential: Credential | None = None


@dataclass(frozen=True, slots=True)
class RecheckOutcome:
    id: str
    before: Status
    after: Status
    report: VerificationReport | None
    changed: tuple[str, ...] = ()
    error: WalletError | None = None
    kept: bool = False
    """The new check could not complete, so the last known adverse status (revoked, suspended)
    stands: ``after`` is that status and ``report`` the incomplete check, which was not recorded."""


@dataclass(frozen=True, slots=True)
class VerifyOutcome:
    source: str
    credential: Credential | None = None
    report: VerificationReport | None = None
    error: WalletError | None = None
    bundle: BundleReport | None = None
    """For a share bundle or a CV PDF: the bundle report."""


@dataclass(frozen=True, slots=True)
class CredentialView:
    entry: PortfolioEntry
    credential: Credential
    report: VerificationReport | None
    history: list[VerificationReport] = field(default_factory=list)
    eu_elements: tuple[EUElement, ...] = ()
