"""A collector of numbered, named checks: the report of one verification, built step by step."""

from __future__ import annotations

from dataclasses import dataclass, field

from wallet.model import CheckResult, CheckStatus, Status


@dataclass(slots=True)
class Checks:
    items: list[CheckResult] = field(default_factory=list)

    def add(
        self,
        check_id: str,
        status: CheckStatus,
        message: str,
        *,
        detail: str = "",
        outcome: Status | None = None,
    ) -> CheckResult:
        result = CheckResult(
            id=check_id,
            status=status,
            message=message,
            detail=detail,
            step=len(self.items) + 1,
            outcome=outcome,
        )
        self.items.append(result)
        return result

    def passed(self, check_id: str, message: str, *, detail: str = "") -> CheckResult:
        return self.add(check_id, CheckStatus.PASS, message, detail=detail)

    def failed(
        self, check_id: str, message: str, *, detail: str = "", outcome: Status | None = None
    ) -> CheckResult:
        return self.add(check_id, CheckStatus.FAIL, message, detail=detail, outcome=outcome)

    def unknown(self, check_id: str, message: str, *, detail: str = "") -> CheckResult:
        return self.add(check_id, CheckStatus.UNKNOWN, message, detail=detail)

    def warn(self, check_id: str, message: str, *, detail: str = "") -> CheckResult:
        return self.add(check_id, CheckStatus.WARN, message, detail=detail)

    def skip(self, check_id: str, message: str, *, detail: str = "") -> CheckResult:
        return self.add(check_id, CheckStatus.SKIP, message, detail=detail)

    @property
    def failed_any(self) -> bool:
        return any(c.status is CheckStatus.FAIL for c in self.items)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The conclusion of one status check (a status list, a token status list, a revocation list)
    before it becomes a check: its status, what to say, and the credential status it decides."""

    status: CheckStatus
    message: str
    detail: str = ""
    outcome: Status | None = None
