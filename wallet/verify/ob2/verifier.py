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

import asyncio
from datetime import datetime
from typing import Any

from wallet.codecs import safejson
from wallet.codecs.nodes import as_list, types_of
from wallet.errors import WalletError
from wallet.i18n import _
from wallet.model import CheckStatus, Credential, Format, Status, VerificationReport
from wallet.verify.context import VerifyContext
from wallet.verify.jws import (
    JwsError,
    check_header,
    public_key_from_pem,
    split_compact,
    verify_compact,
)
from wallet.verify.ob2.classes import validate, verification_type
from wallet.verify.ob2.graph import (
    IMAGE_ACCEPT,
    MAX_IMAGE_BYTES,
    Node,
    NodeError,
    fetch_node,
    get,
    interpret,
)
from wallet.verify.ob2.steps import (
    Run,
    badgeclass_and_issuer,
    class_check,
    dates_step,
    endorsement_core,
    endorsement_refs,
    endorsements_step,
    image_step,
    issuer_step,
    recipient_step,
    revocation_step,
    scope_step,
)
from wallet.verify.ob2.upgrade import UpgradeError, detect_version
from wallet.verify.ob2.values import is_url, node_id, parse_datetime


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
            subject = await _hosted(run, credential, now) or subject
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


def _context_check(run: Run, node: Node) -> None:
    """Step ``context``: which pinned contexts the document used (or that it predates them)."""
    if node.version in ("0.5", "1.0"):
        run.checks.passed(
            "context",
            _("An Open Badges {version} document (no JSON-LD context), read as 2.0.").format(
                version=node.version
            ),
        )
        return
    names = ", ".join(f"{url} [{rev}]" for url, rev in node.contexts) or "-"
    ignored = [n for n in node.notes if "pinned" in n]
    message = _("The document uses the pinned Open Badges contexts: {names}.").format(names=names)
    if ignored:
        run.checks.warn("context", message + " " + " ".join(ignored))
    else:
        run.checks.passed("context", message)


async def _quiet(coroutine: Any) -> None:
    try:
        await coroutine
    except (NodeError, WalletError):
        return


def _warm(
    run: Run, assertion: Node, badge: Node | None, issuer: Node | None
) -> list[asyncio.Task[None]]:
    """Start the independent fetches (images, list, endorsements) so later steps find them ready."""
    jobs: list[Any] = []
    for owner in (badge, assertion):
        if owner is None:
            continue
        image = owner.node.get("image")
        url = node_id(image)
        if url and is_url(url):
            jobs.append(get(run.ctx, url, accept=IMAGE_ACCEPT, max_bytes=MAX_IMAGE_BYTES))
    if issuer is not None and is_url(node_id(issuer.node.get("revocationList"))):
        jobs.append(
            fetch_node(run.ctx, str(node_id(issuer.node["revocationList"])), "RevocationList")
        )
    for ref, _owner in endorsement_refs(assertion, badge, issuer):
        if is_url(node_id(ref)):
            jobs.append(fetch_node(run.ctx, str(node_id(ref)), "Endorsement"))
    return [asyncio.ensure_future(_quiet(job)) for job in jobs]


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


async def _hosted(run: Run, credential: Credential, now: datetime) -> str | None:
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
    _context_check(run, assertion)
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
    warm = _warm(run, assertion, badge, issuer)
    # (6) verification scope
    scope_step(run, str(node["id"]), issuer, assertion.final_url)
    # (7) images
    await image_step(run, badge, assertion)
    # (8) revocation
    await revocation_step(run, assertion, issuer, hosted=True)
    # (9) dates, (10) recipient
    dates_step(run, node, now)
    recipient_step(run, node)
    # (11) endorsements of the assertion, its badge class and its issuer
    await endorsements_step(run, now, assertion, badge, issuer)
    await asyncio.gather(*warm)
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


# --------------------------------------------------------------------------- signed


async def _signed(run: Run, credential: Credential, now: datetime) -> str | None:
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
    _context_check(run, assertion)
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
    warm = _warm(run, assertion, badge, issuer)
    # (8) the key belongs to the issuer
    _key_ownership(run, creator, key_node, issuer)
    # (9) images, (10) revocation list, (11) dates, (12) recipient, (13) endorsements
    await image_step(run, badge, assertion)
    await revocation_step(run, assertion, issuer, hosted=False)
    dates_step(run, node, now)
    recipient_step(run, node)
    await endorsements_step(run, now, assertion, badge, issuer)
    await asyncio.gather(*warm)
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
    _context_check(run, node)
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
