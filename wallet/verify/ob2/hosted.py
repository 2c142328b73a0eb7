"""The hosted path of OB 1.x/2.0 verification: the issuer's copy, fetched at its URL, is the badge.

Steps (1)-(11) as listed in :mod:`wallet.verify.ob2.verifier`; the copy in hand must match the
issuer's (what is shown comes from the issuer's copy)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wallet.i18n import _
from wallet.model import CheckStatus, Credential, Status
from wallet.verify.ob2.classes import verification_type
from wallet.verify.ob2.graph import (
    Node,
    NodeError,
    fetch_node,
)
from wallet.verify.ob2.prefetch import warm_linked
from wallet.verify.ob2.steps import (
    Run,
    badgeclass_and_issuer,
    class_check,
    context_check,
    scope_step,
)
from wallet.verify.ob2.tail import closing_steps
from wallet.verify.ob2.upgrade import UpgradeError, detect_version
from wallet.verify.ob2.values import is_url, node_id, parse_datetime

# --------------------------------------------------------------------------- hosted


def _hosted_url(credential: Credential) -> str | None:
    if credential.hosted_url:
        return credential.hosted_url
    doc = credential.document
    if not isinstance(doc, dict):
        return None
    for holder in (doc.get("verify"), doc.get("verification")):
        if isinstance(holder, dict) and is_url(holder.get("url")):
            return str(holder["url"])
    return str(doc["id"]) if is_url(doc.get("id")) else None


def _revoked_message(body: Any) -> str:
    message = _("The issuer answered 410 Gone: this badge has been revoked.")
    if isinstance(body, dict) and isinstance(body.get("revocationReason"), str):
        message += " " + _("Reason: {reason}").format(reason=body["revocationReason"][:300])
    return message


async def hosted(run: Run, credential: Credential, now: datetime) -> str | None:
    # long: the hosted path's numbered steps (1)-(11), a linear protocol script read top to bottom
    url = _hosted_url(credential)
    # (1) the issuer's copy is the badge: fetch it at its URL
    if url is None:
        version = _version_of(credential.document)
        if version == "0.5":
            run.checks.failed(
                "fetch",
                _(
                    "This is an Open Badges 0.5 badge: it has neither a hosted copy nor a "
                    "signature, so nothing can confirm it was issued."
                ),
            )
        else:
            run.checks.failed(
                "fetch", _("The badge names no hosted URL where the issuer publishes it.")
            )
        return None
    try:
        assertion = run.use(await fetch_node(run.ctx, url, "Assertion"), url)
    except NodeError as exc:
        run.urls.add(url)
        if exc.kind == "gone":
            run.checks.warn("fetch", _("{url} answered HTTP 410 Gone.").format(url=url))
            run.checks.failed("revocation", _revoked_message(exc.body), outcome=Status.REVOKED)
        else:
            run.fail_node("context" if exc.kind.startswith("context") else "fetch", exc)
        return url
    fetched = _("Fetched the issuer's copy of the assertion from {url}.").format(url=assertion.url)
    notes = [n for n in assertion.notes if "pinned" not in n]
    run.checks.add(
        "fetch", CheckStatus.WARN if notes else CheckStatus.PASS, " ".join([fetched, *notes])
    )
    # the copy in hand must be the one the issuer publishes (what is shown comes from it)
    _copy_check(run, credential.document, assertion)
    # (2) contexts
    context_check(run, assertion)
    # (3) the Assertion class, hosted flavour
    if not class_check(
        run, "assertion", assertion, "Assertion", _("The assertion is well-formed.")
    ):
        return assertion.url
    node = assertion.node
    if verification_type(node) != "hosted":
        run.checks.failed(
            "assertion",
            _(
                "The issuer's copy says the badge is signed, but no signature was given; import the signed form."
            ),
        )
        return assertion.url
    if node.get("id") != assertion.url:
        run.checks.failed(
            "assertion",
            _("A hosted assertion's id must be the URL it is published at ({url}).").format(
                url=assertion.url
            ),
        )
        return assertion.url
    # (4) badge class, (5) issuer
    pair = await badgeclass_and_issuer(run, assertion)
    if pair is None:
        return assertion.url
    badge, issuer = pair
    warm = warm_linked(run, assertion, badge, issuer)
    # (6) verification scope
    scope_step(run, str(node["id"]), issuer, assertion.final_url)
    # (7) images, (8) revocation, (9) dates, (10) recipient, (11) endorsements
    await closing_steps(run, node, now, assertion, badge, issuer, hosted=True, warm=warm)
    return assertion.url


_MATERIAL = ("badge", "recipient", "issuedOn", "expires")
"""What a hosted assertion says about whom, what and when: the fields a reader is shown."""


def _copy_check(run: Run, imported: Any, canonical: Node) -> None:
    """Step ``copy``: the imported copy against the issuer's copy that was verified.

    The issuer's copy is what gets verified (as the reference validator does), but the learner's
    file is what the wallet shows: a baked image whose embedded assertion names another badge,
    recipient or date than the issuer publishes must not pass as valid under the issuer's name.
    Other differences (an evidence link added later) are only reported.
    """
    raw = canonical.raw
    if not isinstance(imported, dict) or not isinstance(raw, dict) or imported == raw:
        return
    material = [name for name in _MATERIAL if not _same_value(name, imported, raw)]
    if material:
        run.checks.failed(
            "copy",
            _(
                "Your copy of the badge differs from the one the issuer publishes at {url} in "
                "{fields}: the issuer's copy was verified, and yours is not what it vouches for."
            ).format(url=canonical.url, fields=", ".join(material)),
            detail=canonical.url,
        )
        return
    others = sorted(k for k in set(imported) | set(raw) if imported.get(k) != raw.get(k))
    run.checks.warn(
        "copy",
        _(
            "Your copy of the badge differs from the one the issuer publishes ({fields}); the "
            "issuer's copy was verified."
        ).format(fields=", ".join(str(k)[:40] for k in others[:8])),
        detail=canonical.url,
    )


def _same_value(name: str, imported: dict[str, Any], canonical: dict[str, Any]) -> bool:
    first, second = imported.get(name), canonical.get(name)
    if first == second:
        return True
    if name in ("issuedOn", "expires"):
        a, b = parse_datetime(first), parse_datetime(second)
        return a is not None and a == b
    if name == "badge":
        # an embedded badge class is the same badge when it names the same id
        a_id, b_id = node_id(first), node_id(second)
        return a_id is not None and a_id == b_id
    return False


def _version_of(doc: Any) -> str:
    if not isinstance(doc, dict):
        return ""
    try:
        return detect_version(doc)
    except UpgradeError:
        return ""
