"""What ``plecak verify bundle.zip`` reports: per-bundle checks, per-credential outcomes, text/JSON.

Kept apart from :mod:`wallet.verify.bundle` (the checking itself) so the shells can read this
small, stable shape without the checking machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
    """``bundle``, or ``pdf`` for a CV PDF carrying a bundle (wallet.verify.cvpdf)."""

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
            "checks": [_check_json(c) for c in self.checks],
            "credentials": [
                {
                    "file": c.file,
                    "title": c.title,
                    "status": c.status.value,
                    "mode": c.report.mode if c.report else None,
                    "as_of": _iso(c.report.as_of) if c.report else None,
                    "checks": [_check_json(x) for x in c.report.checks] if c.report else [],
                    "error": c.error,
                }
                for c in self.credentials
            ],
            "checked_at": _iso(self.checked_at),
        }

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
                    time=_iso(report.as_of) or "?"
                )
            elif report is not None:
                how = " " + _("(checked online)")
            lines.append(
                f"    {item.file}: {tr(item.status.label)}{how}"
                + (f" — {item.error}" if item.error else "")
            )
            if report is not None and report.status is not Status.VALID:
                for check in report.checks:
                    if check.status in (CheckStatus.FAIL, CheckStatus.UNKNOWN):
                        lines.append(f"      {mark[check.status]} {check.message}")
        if self.problems:
            lines.append(_("Problems in: {files}").format(files=", ".join(self.problems)))
        return "\n".join(lines)


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _check_json(check: CheckResult) -> dict[str, Json]:
    out: dict[str, Json] = {"id": check.id, "status": check.status.value, "message": check.message}
    if check.detail:
        out["detail"] = check.detail
    return out
