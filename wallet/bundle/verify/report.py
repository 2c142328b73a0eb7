"""What ``plecak verify bundle.zip`` reports: per-bundle checks, per-credential outcomes, text/JSON.

Kept apart from :mod:`wallet.bundle.verify.verifier` (the checking itself) so the shells can read this
small, stable shape without the checking machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from wallet.bundle.claims import shown_issuer, shown_title
from wallet.codecs.dates import format_date
from wallet.codecs.eu import Facts
from wallet.codecs.report_json import check_json, provenance_json
from wallet.errors import EXIT_NOT_VALID, EXIT_OK
from wallet.i18n import _, tr
from wallet.model import (
    CheckResult,
    CheckStatus,
    Credential,
    Json,
    Status,
    VerificationReport,
    worst_status,
)


@dataclass(frozen=True, slots=True)
class BundleCredential:
    """One credential of the bundle as checked now."""

    file: str
    title: str | None = None
    credential: Credential | None = None
    report: VerificationReport | None = None
    facts: Facts | None = None
    image: tuple[str, bytes] | None = field(default=None, repr=False)
    error: str | None = None

    @property
    def status(self) -> Status:
        return self.report.status if self.report else Status.INVALID


@dataclass(frozen=True, slots=True)
class BundleReport:
    source: str
    checks: tuple[CheckResult, ...]
    credentials: tuple[BundleCredential, ...]
    checked_at: datetime
    holder: str | None = None
    bundle_id: str | None = None
    problems: tuple[str, ...] = ()
    """Files that failed a check (a tampered file, a damaged entry, a credential not valid)."""
    manifest: Json = field(default=None, repr=False)
    kind: str = "bundle"
    """``bundle``, or ``pdf`` for a CV PDF carrying a bundle (wallet.bundle.verify.cvpdf)."""

    @property
    def status(self) -> Status:
        statuses = [Status.VALID if not self.credentials else c.status for c in self.credentials]
        if any(c.status is CheckStatus.FAIL for c in self.checks):
            statuses.append(Status.INVALID)
        if any(c.status is CheckStatus.UNKNOWN for c in self.checks):
            statuses.append(Status.UNVERIFIED)
        return worst_status(statuses)

    @property
    def ok(self) -> bool:
        return self.status is Status.VALID and bool(self.credentials)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_NOT_VALID

    def to_json(self) -> dict[str, Json]:
        return {
            "source": self.source,
            "kind": self.kind,
            "status": self.status.value,
            "bundle_id": self.bundle_id,
            "holder": self.holder,
            "problems": list(self.problems),
            "checks": [check_json(c) for c in self.checks],
            "credentials": [
                {
                    "file": c.file,
                    **_verified_fields(c.credential, c.facts),
                    "status": c.status.value,
                    "mode": c.report.mode if c.report else None,
                    "as_of": format_date(c.report.as_of) if c.report else None,
                    "checks": [check_json(x) for x in c.report.checks] if c.report else [],
                    "provenance": provenance_json(c.report) if c.report else [],
                    "error": c.error,
                }
                for c in self.credentials
            ],
            "checked_at": format_date(self.checked_at),
        }

    def to_html(self, lang: str) -> bytes:
        """The verifier's own page (report.html) in ``lang``."""
        from wallet.bundle.verify.report_view import report_page

        return report_page(self, lang)

    def to_json_lines(self) -> list[dict[str, Json]]:
        return [self.to_json()]

    def to_text(self) -> str:
        mark = {
            CheckStatus.PASS: "✓",
            CheckStatus.FAIL: "✗",
            CheckStatus.WARN: "!",
            CheckStatus.SKIP: "-",
            CheckStatus.UNKNOWN: "?",
        }
        head = _("PDF {source}: {status}") if self.kind == "pdf" else _("Bundle {source}: {status}")
        lines = [head.format(source=self.source, status=tr(self.status.label))]
        for check in self.checks:
            lines.append(f"  {mark[check.status]} {check.step}. {check.message}")
        for item in self.credentials:
            report = item.report
            how = ""
            if report is not None and report.mode == "evidence":
                how = " " + _("(checked against the bundle's evidence as of {time})").format(
                    time=format_date(report.as_of) or "?"
                )
            elif report is not None:
                how = " " + _("(checked online)")
            lines.append(
                f"    {item.status.glyph} {tr(item.status.label)}{how}: {_heading(item)}"
                + (f" — {item.error}" if item.error else "")
            )
            # Every check that is not a plain pass, valid credentials too: a warning or a
            # skipped check is what an employer most needs to read.
            for check in report.checks if report is not None else ():
                if check.status is not CheckStatus.PASS:
                    lines.append(f"      {mark[check.status]} {check.message}")
        if self.problems:
            lines.append(_("Problems in: {files}").format(files=", ".join(self.problems)))
        return "\n".join(lines)


def _verified_fields(credential: Credential | None, facts: Facts | None) -> dict[str, Json]:
    """Title, issuer and dates as the verified credential states them (never the manifest's)."""
    issuer = credential.issuer if credential else None
    return {
        "title": shown_title(credential, facts) if credential else None,
        "issuer": {"id": issuer.id, "name": issuer.name} if issuer else None,
        "issued": format_date((credential.issued or credential.valid_from) if credential else None),
        "expires": format_date(
            (credential.expires or credential.valid_until) if credential else None
        ),
    }


def _heading(item: BundleCredential) -> str:
    """A credential in one line of text: its verified title and issuer, then its file."""
    credential = item.credential
    if credential is None:
        return item.file
    who = shown_issuer(credential, item.facts)
    title = shown_title(credential, item.facts) or "—"
    return f"{title} — {who} ({item.file})" if who else f"{title} ({item.file})"
