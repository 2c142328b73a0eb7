"""Who a bundle's credentials were issued to, and whether the one presenting them may.

Why: a share bundle is signed by its holder (the learner's did:key).  A credential whose subject
is a DID says whom it was issued to in a form that can be proven: only that DID may present it,
so someone else's credential in an attacker's bundle fails.  An email (or other) recipient proves
nothing about the presenter: the bundle shows "issued to X (hash matches)" when the learner
disclosed X, never that the presenter owns X, and says plainly when nothing was disclosed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wallet.i18n import _
from wallet.model import CheckStatus, Credential, Status, VerificationReport, worst_status
from wallet.verify.checks import Checks

HOLDER_CHECK = "holder"


def subject_dids(credential: Credential) -> list[str]:
    """The DIDs the credential is issued to (``credentialSubject.id``; an OB 2.0 DID recipient)."""
    found: list[str] = []
    document = credential.document
    subjects: Any = document.get("credentialSubject") if isinstance(document, dict) else None
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        ident = subject.get("id") if isinstance(subject, dict) else None
        if isinstance(ident, str) and ident.startswith("did:"):
            found.append(ident)
    recipient = credential.recipient
    if recipient is not None and not recipient.hashed and recipient.identity.startswith("did:"):
        found.append(recipient.identity)
    return list(dict.fromkeys(found))


def bind_holder(
    report: VerificationReport, credential: Credential, presenter: str | None
) -> VerificationReport:
    """Add the ``holder`` check to a DID-bound credential's report: it passes only when the
    verified presenter of the bundle is (one of) its subject(s); otherwise the credential fails."""
    subjects = subject_dids(credential)
    if not subjects:
        return report
    checks = Checks(list(report.checks))
    if presenter is not None and presenter.split("#", 1)[0] in subjects:
        checks.passed(
            HOLDER_CHECK,
            _("Presented by its subject {did}, who signed this bundle.").format(did=presenter),
        )
        return replace(report, checks=tuple(checks.items))
    checks.failed(
        HOLDER_CHECK,
        _(
            "Issued to {subject}, but this bundle is presented by {presenter}: only the subject "
            "may present it."
        ).format(subject=", ".join(subjects), presenter=presenter or _("an unverified holder")),
        detail=", ".join(subjects),
    )
    return replace(
        report,
        checks=tuple(checks.items),
        status=worst_status((report.status, Status.INVALID)),
    )


def holder_failed(report: VerificationReport | None) -> bool:
    return report is not None and any(
        c.id == HOLDER_CHECK and c.status is CheckStatus.FAIL for c in report.checks
    )
