"""Frozen domain types: one normalised view over Open Badges 1.x/2.x/3.0, CLR and EDC.

Why one view: the learner, the TUI and the share bundle want "a badge" (title, issuer, dates, what it
proves) whatever generation it is; the verifier and the exporters want the exact original.  So every
:class:`Credential` carries both: the normalised fields below, and the original bytes (`original`)
plus the exact payload a signature covers (`payload`).  Nothing here is ever re-serialised to be
verified or exported.

This package does no I/O and imports nothing of the project but errors/i18n markers.
:mod:`wallet.model.json_form` gives the stable JSON form of these types for the store (a format
version is kept by the store).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from wallet.i18n import N_

Json = Any
"""A parsed JSON value (dict/list/str/int/float/bool/None).  Treated as read-only by convention."""


class Format(StrEnum):
    """The ``format`` field of cli.md.  Extend as needed; never rename a value."""

    OB1_HOSTED = "ob1-hosted"
    OB2_HOSTED = "ob2-hosted"
    OB2_SIGNED = "ob2-signed"
    OB3_VC_JWT = "ob3-vc-jwt"
    OB3_DATA_INTEGRITY = "ob3-data-integrity"
    OB3_UNSIGNED = "ob3-unsigned"
    CLR = "clr"
    EDC_JADES = "edc-jades"
    EDC_JSONLD = "edc-jsonld"
    EDC_XML = "edc-xml"
    """A legacy Europass ELM v2 / EDCI XML credential (XAdES seal, read for display only)."""
    VP = "vp"
    OB2_OTHER = "ob2-object"
    """A BadgeClass, Issuer or Endorsement given on its own (verifiable, but not an award)."""
    SD_JWT_VC = "sd-jwt-vc"
    """An IETF SD-JWT VC (``dc+sd-jwt``): issuer JWT, disclosures, optional key binding."""


class Status(StrEnum):
    """A credential's overall verdict (cli.md), in precedence order: first one that applies wins."""

    INVALID = "invalid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    UNVERIFIED = "unverified"
    VALID = "valid"

    @property
    def rank(self) -> int:
        return _STATUS_ORDER.index(self)

    @property
    def label(self) -> str:
        """An English msgid for the status word (translate with ``_`` when showing)."""
        return _STATUS_LABELS[self]

    @property
    def glyph(self) -> str:
        """One single-width symbol, always shown next to the word (never colour alone)."""
        return _STATUS_GLYPHS[self]


_STATUS_ORDER = list(Status)
_STATUS_GLYPHS = {
    Status.VALID: "✓",
    Status.INVALID: "✗",
    Status.REVOKED: "⊘",
    Status.SUSPENDED: "‖",
    Status.EXPIRED: "◷",
    Status.NOT_YET_VALID: "◌",
    Status.UNVERIFIED: "?",
}
_STATUS_LABELS = {
    Status.INVALID: N_("invalid"),
    Status.REVOKED: N_("revoked"),
    Status.SUSPENDED: N_("suspended"),
    Status.EXPIRED: N_("expired"),
    Status.NOT_YET_VALID: N_("not yet valid"),
    Status.UNVERIFIED: N_("unverified"),
    Status.VALID: N_("valid"),
}


def worst_status(statuses: typing.Iterable[Status]) -> Status:
    """The status with the highest precedence; ``VALID`` only for a non-empty all-valid input.

    An empty input is ``UNVERIFIED``: no check ran, so nothing may be called valid.
    """
    found = list(statuses)
    if not found:
        return Status.UNVERIFIED
    return min(found, key=lambda s: s.rank)


class CheckStatus(StrEnum):
    """The outcome of one named check of a verification."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    """Passed, but something deserves a look (e.g. id mismatch the spec tolerates)."""
    SKIP = "skip"
    """Not applicable to this credential (e.g. no status list declared)."""
    UNKNOWN = "unknown"
    """Could not be completed (offline, unreachable): the credential cannot be ``valid``."""

    @property
    def glyph(self) -> str:
        return _CHECK_GLYPHS[self]


_CHECK_GLYPHS = {
    CheckStatus.PASS: "✓",
    CheckStatus.FAIL: "✗",
    CheckStatus.WARN: "!",
    CheckStatus.SKIP: "–",
    CheckStatus.UNKNOWN: "?",
}


class ElementState(StrEnum):
    PRESENT = "present"
    DERIVED = "derived"
    MISSING = "missing"


# --------------------------------------------------------------------------- parts of a credential


@dataclass(frozen=True, slots=True)
class Image:
    """A badge image: a URL to fetch, or bytes that came inline (data: URI or baked file)."""

    url: str | None = None
    media_type: str | None = None
    data: bytes | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Issuer:
    id: str | None = None
    name: str | None = None
    url: str | None = None
    email: str | None = None
    description: str | None = None
    image: Image | None = None
    country: str | None = None
    """ISO 3166 or a label, where the credential states it (EU element: country of the issuer)."""

    @property
    def domain_or_did(self) -> str | None:
        """What a human should check: the DID, or the host of the issuer's id/url."""
        ident = self.id or self.url
        if not ident:
            return None
        if ident.startswith("did:"):
            return ident
        if "://" in ident:
            return ident.split("://", 1)[1].split("/", 1)[0].split("@")[-1]
        return ident


@dataclass(frozen=True, slots=True)
class Alignment:
    target_name: str | None = None
    target_url: str | None = None
    target_description: str | None = None
    target_framework: str | None = None
    target_code: str | None = None
    target_type: str | None = None
    """OB 3.0 ``targetType`` (e.g. ``ceasn:Competency``, ``ext:ESCOSkill``) where given."""


@dataclass(frozen=True, slots=True)
class Criteria:
    id: str | None = None
    narrative: str | None = None


@dataclass(frozen=True, slots=True)
class Credit:
    """Workload or credit: ``amount`` of ``unit`` (``ECTS``, ``hours``, ``CATS``, …)."""

    amount: float
    unit: str
    source: str = ""
    """JSON pointer in the original where this came from."""


@dataclass(frozen=True, slots=True)
class Level:
    """A qualification level: framework (``EQF``, ``PRK``, ``QF-EHEA``, …) and value (``6``)."""

    framework: str
    value: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Achievement:
    """What was achieved: the OB 2.0 BadgeClass or OB 3.0 Achievement (or ELM specification)."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    achievement_type: str | None = None
    criteria: Criteria | None = None
    image: Image | None = None
    tags: tuple[str, ...] = ()
    alignments: tuple[Alignment, ...] = ()
    credits: tuple[Credit, ...] = ()
    levels: tuple[Level, ...] = ()
    in_language: str | None = None
    issuer: Issuer | None = None
    related: tuple[str, ...] = ()
    """Ids of related achievements (OB 3.0 ``related``), used to find stacks."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who the credential names: an identity (plain or ``sha256$…``/``md5$…`` hashed with ``salt``)."""

    identity: str
    type: str = "email"
    """email | url | telephone | id | did | name."""
    hashed: bool = False
    salt: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Learner evidence attached to the award (OB ``evidence``), not verification evidence."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    narrative: str | None = None
    genre: str | None = None
    audience: str | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """An OB 3.0 ``result`` (grade, rubric level, status) with its description where known."""

    value: str | None = None
    result_type: str | None = None
    description: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class EUElement:
    """One element of the EU micro-credential (Council Recommendation 2022, Annex I)."""

    key: str
    """Stable key, e.g. ``title``, ``awarding_body``, ``workload``, ``eqf_level`` (see eu.py)."""
    state: ElementState
    value: str | None = None
    pointer: str | None = None
    """JSON pointer into the original payload where the value came from."""
    mandatory: bool = True


@dataclass(frozen=True, slots=True)
class Original:
    """The bytes exactly as imported, and where they came from."""

    data: bytes
    media_type: str
    """e.g. image/png, image/svg+xml, application/json, application/jwt."""
    source: str = ""
    """File path, URL, ``-`` for stdin, or ``archive.zip!inner/path``."""


# --------------------------------------------------------------------------- the credential


@dataclass(frozen=True, slots=True)
class Credential:
    """One credential in plecak's normalised view, with its original bytes.

    ``payload`` is the exact text a proof covers (compact JWS/JWT, or the JSON document as found):
    the verifier reads it, exporters copy it, nobody re-serialises it.  ``document`` is that payload
    parsed (for JWS: the decoded assertion/credential); read-only by convention.
    """

    format: Format
    original: Original
    payload: bytes
    document: Json = None
    credential_id: str | None = None
    """The credential's id (OB 2.0 assertion id / hosted URL, OB 3.0 ``id``)."""
    spec_version: str = ""
    """e.g. ``0.5``, ``1.0``, ``1.1``, ``2.0``, ``3.0``, ``vc-1.1``, ``vc-2.0``, ``elm-3``."""
    title: str | None = None
    description: str | None = None
    image: Image | None = None
    issuer: Issuer | None = None
    achievement: Achievement | None = None
    recipient: Recipient | None = None
    issued: datetime | None = None
    expires: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    evidence: tuple[Evidence, ...] = ()
    results: tuple[Result, ...] = ()
    eu_elements: tuple[EUElement, ...] = ()
    endorsements: tuple[Json, ...] = ()
    children: tuple[Credential, ...] = ()
    """Credentials nested in a CLR or a Verifiable Presentation (each verifiable on its own)."""
    associations: tuple[Json, ...] = ()
    """CLR 2.0 associations kept as found (sourceId, targetId, associationType)."""
    hosted_url: str | None = None
    """For hosted badges: where the canonical copy lives (OB 1.x ``verify.url``, OB 2.0 id)."""

    @property
    def fingerprint(self) -> str:
        """A stable identity for duplicate detection: the id when there is one, else the bytes."""
        import hashlib

        if self.credential_id:
            return "id:" + self.credential_id
        return "sha256:" + hashlib.sha256(self.payload).hexdigest()

    @property
    def issuer_name(self) -> str | None:
        return self.issuer.name if self.issuer else None


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One document the Fetcher handed out: the verification evidence of cli.md/store.md."""

    url: str
    final_url: str
    status: int
    content_type: str
    sha256: str
    fetched_at: datetime
    size: int = 0
    origin: str = "network"
    """network | cache | mirror | evidence | pinned (a digest-pinned known context)."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One named check: ``id`` is stable (``proof``, ``issuer``, ``revocation``, …)."""

    id: str
    status: CheckStatus
    message: str
    """User-facing, already in the interface language when produced."""
    detail: str = ""
    """Technical detail (key id, URL, digest) for --debug and the evidence view."""
    step: int = 0
    outcome: Status | None = None
    """What a failure means for the verdict (e.g. REVOKED, EXPIRED); None = INVALID on fail."""


@dataclass(frozen=True, slots=True)
class RecipientMatch:
    checked: bool = False
    matched: bool | None = None
    identity: str | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """The result of one verification: ordered checks, a verdict, the evidence used."""

    status: Status
    checks: tuple[CheckResult, ...]
    checked_at: datetime
    format: Format | None = None
    credential_id: str | None = None
    recipient: RecipientMatch = field(default_factory=RecipientMatch)
    evidence: tuple[FetchRecord, ...] = ()
    as_of: datetime | None = None
    """Set when checked offline from recorded evidence: the capture time of that evidence."""
    mode: str = "online"
    """online | offline | evidence."""
    children: tuple[VerificationReport, ...] = ()

    @staticmethod
    def verdict(checks: typing.Iterable[CheckResult]) -> Status:
        """The overall status from checks, by cli.md precedence.

        A failed check gives its ``outcome`` (INVALID when unset); an UNKNOWN check gives
        UNVERIFIED; no checks at all gives UNVERIFIED (nothing may be valid unchecked).
        """
        statuses: list[Status] = []
        seen = False
        for check in checks:
            seen = True
            if check.status is CheckStatus.FAIL:
                statuses.append(check.outcome or Status.INVALID)
            elif check.status is CheckStatus.UNKNOWN:
                statuses.append(Status.UNVERIFIED)
            else:
                statuses.append(Status.VALID)
        return worst_status(statuses) if seen else Status.UNVERIFIED


# --------------------------------------------------------------------------- the portfolio index


@dataclass(frozen=True, slots=True)
class PortfolioEntry:
    """One row of the compact, separately encrypted index the list views read.

    Why separate: listing 10,000 badges must not decrypt every full record and image (store.md §8).
    """

    id: str
    """Short, stable, copy-pasteable id (a unique prefix is accepted by the CLI)."""
    fingerprint: str
    format: Format
    status: Status
    title: str | None = None
    issuer_name: str | None = None
    issuer_id: str | None = None
    issued: datetime | None = None
    expires: datetime | None = None
    tags: tuple[str, ...] = ()
    added_at: datetime | None = None
    checked_at: datetime | None = None
    source: str = ""
    credential_id: str | None = None
