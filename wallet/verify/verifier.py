"""The orchestrator: picks the verifier for a credential's format and assembles the report.

Each format verifier (ob2.py, ob3.py, …) runs its numbered steps and returns a VerificationReport;
this module only dispatches, verifies nested credentials (CLR, VP) and never lets an unexpected
exception out as a traceback: it becomes an ``invalid``/``unverified`` check with the detail kept.
"""

from __future__ import annotations

import logging

from wallet.errors import WalletError
from wallet.i18n import _
from wallet.model import CheckStatus, Credential, Format, Status, VerificationReport
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext

log = logging.getLogger(__name__)


async def verify(credential: Credential, ctx: VerifyContext) -> VerificationReport:
    """Verify one credential (and what it nests).  Never raises for bad input."""
    start = len(ctx.fetcher.records)
    try:
        report = await _dispatch(credential, ctx)
    except WalletError as exc:
        report = _failure_report(credential, ctx, exc.user_message(), exc.diagnostics())
    except Exception as exc:  # the verifier must never crash on hostile input
        log.debug("verifier crashed", exc_info=True)
        report = _failure_report(
            credential, ctx, _("The credential could not be processed."), repr(exc)
        )
    if not report.evidence:
        from dataclasses import replace

        report = replace(report, evidence=tuple(ctx.fetcher.records[start:]))
    return report


async def _dispatch(credential: Credential, ctx: VerifyContext) -> VerificationReport:
    fmt = credential.format
    if fmt in (Format.OB1_HOSTED, Format.OB2_HOSTED, Format.OB2_SIGNED, Format.OB2_OTHER):
        from wallet.verify.ob2 import verifier as ob2

        return await ob2.verify_ob2(credential, ctx)
    if fmt in (
        Format.OB3_VC_JWT,
        Format.OB3_DATA_INTEGRITY,
        Format.OB3_UNSIGNED,
        Format.CLR,
        Format.VP,
    ):
        from wallet.verify.ob3 import verifier as ob3

        return await ob3.verify_ob3(credential, ctx)
    if fmt is Format.SD_JWT_VC:
        from wallet.verify import sd_jwt_vc

        return await sd_jwt_vc.verify_sd_jwt_vc(credential, ctx)
    if fmt in (Format.EDC_JADES, Format.EDC_XML):
        from wallet.verify.edc import seal

        return await seal.verify_edc(credential, ctx)
    checks = Checks()
    checks.unknown(
        "proof",
        _("Verifying this kind of credential ({format}) is not supported yet.").format(
            format=fmt.value
        ),
    )
    return VerificationReport(
        status=Status.UNVERIFIED,
        checks=tuple(checks.items),
        checked_at=ctx.clock(),
        format=fmt,
        credential_id=credential.credential_id,
    )


def _failure_report(
    credential: Credential, ctx: VerifyContext, message: str, detail: str
) -> VerificationReport:
    # A crash is our defect, not proof of forgery: the learner sees "unverified", never "valid".
    checks = Checks()
    checks.add("processing", CheckStatus.UNKNOWN, message, detail=detail)
    return VerificationReport(
        status=VerificationReport.verdict(checks.items),
        checks=tuple(checks.items),
        checked_at=ctx.clock(),
        format=credential.format,
        credential_id=credential.credential_id,
    )
