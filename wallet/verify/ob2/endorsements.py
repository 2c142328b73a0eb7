"""OB 2.0 endorsements: each Endorsement of an assertion, its BadgeClass or its Issuer is fetched,
checked like a small credential of its own (class rules, signature scope, dates) and summed up as
one ``endorsement:<id>`` check; a bad endorsement never makes the badge invalid."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from wallet.codecs.nodes import as_list, types_of
from wallet.i18n import _
from wallet.model import CheckStatus
from wallet.verify.checks import Checks
from wallet.verify.ob2.classes import verification_type
from wallet.verify.ob2.graph import (
    Node,
    NodeError,
)
from wallet.verify.ob2.steps import (
    Run,
    class_check,
    dates_step,
    issuer_step,
    resolve,
    scope_step,
)
from wallet.verify.ob2.values import (
    node_id,
)

MAX_ENDORSEMENTS = 20


# --------------------------------------------------------------------------- endorsements


def endorsement_refs(*nodes: Node | None) -> list[tuple[Any, Node]]:
    found: list[tuple[Any, Node]] = []
    for owner in nodes:
        if owner is None:
            continue
        for ref in as_list(owner.node.get("endorsement")):
            found.append((ref, owner))
    return found[:MAX_ENDORSEMENTS]


async def verify_endorsement(
    run: Run, ref: Any, owner: Node, now: datetime
) -> tuple[CheckStatus, str, str, str]:
    """(status, message, detail, id) for one endorsement of ``owner`` (never raises)."""
    sub = Run(ctx=run.ctx)
    label = str(node_id(ref) or "?")
    try:
        endorsement = await resolve(sub, ref, "Endorsement", parent=owner)
    except NodeError as exc:
        return (
            (CheckStatus.UNKNOWN if exc.could_not_check else CheckStatus.FAIL),
            exc.message,
            exc.detail,
            label,
        )
    ok, message = await endorsement_core(sub, endorsement, now, endorsed_id=owner.node.get("id"))
    run.urls.update(sub.urls)
    label = str(endorsement.node.get("id") or label)
    return (CheckStatus.PASS if ok else _worst(sub.checks)), message, endorsement.url, label


def _worst(checks: Checks) -> CheckStatus:
    statuses = [c.status for c in checks.items]
    for status in (CheckStatus.FAIL, CheckStatus.UNKNOWN):
        if status in statuses:
            return status
    return CheckStatus.PASS


async def endorsement_core(
    run: Run, endorsement: Node, now: datetime, *, endorsed_id: Any = None
) -> tuple[bool, str]:
    """Validate an Endorsement, its claim, its issuer, scope and dates into ``run.checks``."""
    node = endorsement.node
    if not class_check(
        run, "endorsement", endorsement, "Endorsement", _("The endorsement is well-formed.")
    ):
        return False, " ".join(c.message for c in run.checks.items)
    raw_claim = node.get("claim")
    claim: dict[str, Any] = raw_claim if isinstance(raw_claim, dict) else {}
    if endorsed_id is not None and claim.get("id") != endorsed_id:
        run.checks.failed(
            "endorsement",
            _("The endorsement is about {claim}, not about {endorsed}.").format(
                claim=str(claim.get("id"))[:120], endorsed=str(endorsed_id)[:120]
            ),
        )
        return False, run.checks.items[-1].message
    endorser = await issuer_step(run, endorsement, "issuer")
    if endorser is None:
        return False, " ".join(
            c.message for c in run.checks.items if c.status is not CheckStatus.PASS
        )
    if verification_type(node) == "hosted" or "HostedBadge" in types_of(node.get("verification")):
        scope_step(run, str(node.get("id")), endorser)
    else:
        run.checks.unknown(
            "scope", _("Signed endorsements can only be checked from their signed form.")
        )
    dates_step(run, node, now)
    if run.checks.failed_any or any(c.status is CheckStatus.UNKNOWN for c in run.checks.items):
        return False, " ".join(
            c.message
            for c in run.checks.items
            if c.status in (CheckStatus.FAIL, CheckStatus.UNKNOWN)
        )
    comment = claim.get("endorsementComment")
    name = endorser.node.get("name")
    text = _("Endorsed by {name}.").format(name=name if isinstance(name, str) else endorser.url)
    if isinstance(comment, str) and comment.strip():
        text += " “" + comment.strip()[:300] + "”"
    return True, text


async def endorsements_step(run: Run, now: datetime, *owners: Node | None) -> None:
    """Steps ``endorsement:<id>``: each endorsement verified and shown (failures only warn)."""
    refs = endorsement_refs(*owners)
    if not refs:
        return
    results = await asyncio.gather(
        *(verify_endorsement(run, ref, owner, now) for ref, owner in refs)
    )
    for status, message, detail, label in results:
        if status is CheckStatus.PASS:
            run.checks.passed(f"endorsement:{label}", message, detail=detail)
        else:
            run.checks.warn(
                f"endorsement:{label}",
                _("An endorsement could not be verified and is not shown: {reason}").format(
                    reason=message
                ),
                detail=detail,
            )
