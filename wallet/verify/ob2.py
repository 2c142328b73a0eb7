"""Placeholder: the OB2 verifier lands with its issue; until then every check is 'unknown'."""

from __future__ import annotations

from wallet.i18n import _
from wallet.model import Credential, Status, VerificationReport
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext


async def verify_ob2(credential: Credential, ctx: VerifyContext) -> VerificationReport:
    checks = Checks()
    checks.unknown("proof", _("Verification of this format is not available yet."))
    return VerificationReport(
        status=Status.UNVERIFIED,
        checks=tuple(checks.items),
        checked_at=ctx.clock(),
        format=credential.format,
        credential_id=credential.credential_id,
    )
