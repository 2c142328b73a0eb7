"""Open Badges 0.5–2.1 verification: hosted, signed, and lone objects, as numbered steps.

The shape follows sigstore-python's verifier: each path below lists its steps, and each step is
marked ``# (n)`` where it happens.  Every step records one named check (cli.md ids: ``fetch``,
``context``, ``assertion``, ``badgeclass``, ``issuer``, ``image``, ``scope``, ``signature``, ``key``,
``revocation``, ``dates``, ``recipient``, ``endorsement:<id>``); the verdict is computed from the
checks alone, so a badge is ``valid`` only when every check that matters ran and passed.

Hosted assertion (OB 1.x ``verify.url``, OB 2.0 id):
  (1) fetch the issuer's copy at its URL (410 or ``revoked`` -> revoked; other 4xx/5xx or no
      answer -> unverified; a declared id that differs -> warning, the declared id is used)
  (2) contexts pinned by digest   (3) Assertion class rules   (4) BadgeClass   (5) Issuer
  (6) the assertion lives in the issuer's verification scope   (7) images   (8) revocation
  (9) dates   (10) recipient   (11) endorsements

Signed assertion (compact JWS):
  (1) the JWS is well-formed, with an acceptable algorithm   (2) contexts   (3) Assertion rules
  (4) ``verification.creator`` key fetched   (5) signature, algorithm pinned to the key
  (6) BadgeClass   (7) Issuer   (8) the key is listed by the issuer and owned by it
  (9) images   (10) RevocationList   (11) dates   (12) recipient   (13) endorsements

Lone BadgeClass / Issuer / Endorsement: fetched at its id, validated with what it links to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wallet.codecs import safejson
from wallet.codecs.nodes import as_list, types_of
from wallet.errors import WalletError
from wallet.i18n import _
from wallet.model import CheckStatus, Credential, Format, VerificationReport
from wallet.verify.context import VerifyContext
from wallet.verify.jws import (
    JwsError,
    check_header,
    public_key_from_pem,
    split_compact,
    verify_compact,
)
from wallet.verify.ob2.classes import validate
from wallet.verify.ob2.endorsements import endorsement_core, endorsements_step
from wallet.verify.ob2.graph import (
    Node,
    NodeError,
    fetch_node,
    interpret,
)
from wallet.verify.ob2.hosted import hosted
from wallet.verify.ob2.images import image_step
from wallet.verify.ob2.prefetch import warm_linked
from wallet.verify.ob2.steps import (
    Run,
    badgeclass_and_issuer,
    class_check,
    context_check,
    issuer_step,
)
from wallet.verify.ob2.tail import closing_steps
from wallet.verify.ob2.values import is_url, node_id


async def verify_ob2(credential: Credential, ctx: VerifyContext) -> VerificationReport:
    """Verify one OB 0.5–2.1 credential.  Never raises for bad input or unreachable issuers."""
    run = Run(ctx=ctx)
    now = ctx.clock()
    subject: str | None = credential.credential_id
    try:
        if credential.format is Format.OB2_SIGNED:
            subject = await _signed(run, credential, now) or subject
        elif credential.format is Format.OB2_OTHER:
            subject = await _lone_object(run, credential, now) or subject
        else:
            subject = await hosted(run, credential, now) or subject
    except NodeError as exc:  # a step let one through: still a check, never a crash
        run.fail_node("processing", exc)
    if not run.checks.items:
        run.checks.unknown("processing", _("Nothing could be checked."))
    return _report(run, credential, subject, now)


def _report(
    run: Run, credential: Credential, subject: str | None, now: datetime
) -> VerificationReport:
    evidence = run.evidence()
    mode = "offline" if run.ctx.offline else "online"
    as_of = None
    if evidence and all(r.origin == "evidence" for r in evidence):
        mode = "evidence"
        as_of = min(r.fetched_at for r in evidence)
    return VerificationReport(
        status=VerificationReport.verdict(run.checks.items),
        checks=tuple(run.checks.items),
        checked_at=now,
        format=credential.format,
        credential_id=subject,
        recipient=run.recipient,
        evidence=evidence,
        as_of=as_of,
        mode=mode,
    )


# --------------------------------------------------------------------------- signed


async def _signed(run: Run, credential: Credential, now: datetime) -> str | None:
    # long: the signed path's numbered steps (1)-(13), a linear protocol script read top to bottom
    # (1) the JWS itself: three parts, JSON header, an algorithm a key could verify
    try:
        parts = split_compact(credential.payload)
        check_header(parts)
        doc = safejson.loads(parts.payload, source="JWS payload")
    except JwsError as exc:
        run.checks.failed("signature", exc.user_message(), detail=exc.detail)
        return None
    except WalletError as exc:
        run.checks.failed("signature", exc.user_message(), detail=exc.detail)
        return None
    # (2) contexts, then the signed payload read as a 2.0 node
    try:
        assertion = await interpret(run.ctx, doc, source_url=None, expected_class=None)
    except NodeError as exc:
        run.fail_node("context" if exc.kind.startswith("context") else "assertion", exc)
        return None
    run.use(assertion)
    context_check(run, assertion)
    node = assertion.node
    subject = str(node.get("id")) if isinstance(node.get("id"), str) else None
    is_endorsement = "Endorsement" in types_of(node)
    cls = "Endorsement" if is_endorsement else "Assertion"
    # (3) class rules of the signed object
    if not class_check(run, "assertion", assertion, cls, _("The signed assertion is well-formed.")):
        return subject
    raw_verification = node.get("verification")
    verification: dict[str, Any] = raw_verification if isinstance(raw_verification, dict) else {}
    creator = (
        node_id(as_list(verification.get("creator"))[0]) if verification.get("creator") else None
    )
    if "SignedBadge" not in types_of(verification) or not creator:
        run.checks.failed(
            "assertion",
            _(
                "A signed assertion must say verification type SignedBadge and name its key (creator)."
            ),
        )
        return subject
    # (4) the signing key named by verification.creator
    key_node, public_key = await _key(run, creator)
    if public_key is None:
        run.checks.unknown(
            "signature", _("The signature could not be checked without the issuer's key.")
        )
        return subject
    # (5) the signature, algorithm pinned to the key type
    try:
        verify_compact(credential.payload, public_key)
    except JwsError as exc:
        run.checks.failed("signature", exc.user_message(), detail=exc.detail)
        return subject
    run.checks.passed(
        "signature",
        _("The signature ({alg}) is valid for the key {key}.").format(alg=parts.alg, key=creator),
    )
    if is_endorsement:
        await endorsement_core(run, assertion, now)
        return subject
    # (6) badge class, (7) issuer
    pair = await badgeclass_and_issuer(run, assertion)
    if pair is None:
        return subject
    badge, issuer = pair
    warm = warm_linked(run, assertion, badge, issuer)
    # (8) the key belongs to the issuer
    _key_ownership(run, creator, key_node, issuer)
    # (9) images, (10) revocation list, (11) dates, (12) recipient, (13) endorsements
    await closing_steps(run, node, now, assertion, badge, issuer, hosted=False, warm=warm)
    return subject


async def _key(run: Run, creator: str) -> tuple[Node | None, Any]:
    if not is_url(creator):
        run.checks.failed(
            "key", _("The signing key {key} is not an http(s) URL.").format(key=creator[:120])
        )
        return None, None
    try:
        key_node = run.use(await fetch_node(run.ctx, creator, "CryptographicKey"), creator)
    except NodeError as exc:
        run.fail_node("key", exc)
        return None, None
    problems = validate(key_node.node, "CryptographicKey", version=key_node.version)
    if problems:
        run.checks.failed("key", " ".join(problems[:3]), detail=creator)
        return key_node, None
    try:
        return key_node, public_key_from_pem(str(key_node.node["publicKeyPem"]))
    except JwsError as exc:
        run.checks.failed("key", exc.user_message(), detail=exc.detail)
        return key_node, None


def _key_ownership(run: Run, creator: str, key_node: Node | None, issuer: Node) -> None:
    issuer_id = issuer.node.get("id")
    listed = [node_id(k) for k in as_list(issuer.node.get("publicKey"))]
    if key_node is None:
        run.checks.unknown("key", _("The signing key could not be checked."))
        return
    if creator not in listed:
        run.checks.failed(
            "key",
            _(
                "The badge was signed with the key {key}, which the issuer {issuer} does not list as its own."
            ).format(key=creator, issuer=issuer_id),
        )
        return
    owner = key_node.node.get("owner")
    if owner != issuer_id:
        run.checks.failed(
            "key",
            _(
                "The signing key {key} says it belongs to {owner}, not to the issuer {issuer}."
            ).format(key=creator, owner=owner, issuer=issuer_id),
        )
        return
    run.checks.passed(
        "key",
        _("The signing key {key} is listed by the issuer and owned by it.").format(key=creator),
    )


# --------------------------------------------------------------------------- lone objects


async def _lone_object(run: Run, credential: Credential, now: datetime) -> str | None:
    doc = credential.document if isinstance(credential.document, dict) else {}
    names = types_of(doc)
    if "Endorsement" in names:
        cls, check_id = "Endorsement", "endorsement"
    elif "BadgeClass" in names:
        cls, check_id = "BadgeClass", "badgeclass"
    elif "Issuer" in names or "Profile" in names:
        cls, check_id = "Profile", "issuer"
    else:
        run.checks.failed(
            "assertion",
            _(
                "This Open Badges object is neither an assertion, a badge class, an issuer nor an endorsement."
            ),
        )
        return None
    url = credential.hosted_url or (str(doc["id"]) if is_url(doc.get("id")) else None)
    # (1) the published copy at its id
    if url is None:
        run.checks.unknown(
            "fetch", _("The object has no web address, so the issuer's copy cannot be checked.")
        )
        return None
    try:
        node = run.use(await fetch_node(run.ctx, url, cls), url)
    except NodeError as exc:
        run.fail_node("context" if exc.kind.startswith("context") else "fetch", exc)
        return url
    fetched = _("Fetched the published copy from {url}.").format(url=node.url)
    notes = [n for n in node.notes if "pinned" not in n]
    run.checks.add(
        "fetch", CheckStatus.WARN if notes else CheckStatus.PASS, " ".join([fetched, *notes])
    )
    # (2) contexts
    context_check(run, node)
    # (3) the object and what it links to
    if cls == "Endorsement":
        await endorsement_core(run, node, now)
        return node.url
    if cls == "Profile":
        if class_check(run, check_id, node, cls, _("The issuer profile is well-formed.")):
            await endorsements_step(run, now, node)
        return node.url
    if not class_check(run, check_id, node, cls, _("The badge class is well-formed.")):
        return node.url
    issuer = await issuer_step(run, node)
    if issuer is None:
        return node.url
    await image_step(run, node, None)
    await endorsements_step(run, now, node, issuer)
    return node.url
