"""The steps shared by hosted, signed and lone-object OB 2.0 verification.

Each step reads the graph through ob2_graph, records exactly one named check in ``run.checks`` and
returns what later steps need (or ``None`` when the chain cannot continue).  Steps never raise for
bad documents: a broken issuer document is a failed check, an unreachable one an unknown check.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wallet.codecs.nodes import as_list, types_of
from wallet.i18n import _
from wallet.model import CheckStatus, FetchRecord, RecipientMatch, Status
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext
from wallet.verify.ob2.classes import validate, verification_type
from wallet.verify.ob2.graph import (
    IMAGE_ACCEPT,
    MAX_IMAGE_BYTES,
    Node,
    NodeError,
    fetch_node,
    get,
)
from wallet.verify.ob2.policy import PolicyError, check_scope, issuer_policy
from wallet.verify.ob2.revocation import RevocationListError, parse_revocation_list
from wallet.verify.ob2.values import (
    data_uri_bytes,
    data_uri_media_type,
    is_data_uri,
    is_url,
    node_id,
    parse_datetime,
)
from wallet.verify.recipient import claim_from_identity_object, identity_problems, match_identity

CLOCK_LEEWAY = timedelta(minutes=5)
"""A badge issued "in the future" by less than this is clock skew, not a forgery."""
MAX_ENDORSEMENTS = 20


@dataclass(slots=True)
class Run:
    """One badge's verification in progress."""

    ctx: VerifyContext
    checks: Checks = field(default_factory=Checks)
    nodes: list[Node] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)
    """Every URL this badge's verification used (to pick its evidence from the Fetcher)."""
    recipient: RecipientMatch = field(default_factory=RecipientMatch)

    def use(self, node: Node, *also: str) -> Node:
        self.nodes.append(node)
        self.urls.add(node.url)
        self.urls.update(u for u in also if u)
        self.urls.update(url for url, _rev in node.contexts)
        return node

    def fail_node(self, check_id: str, error: NodeError, *, soft: bool = False) -> None:
        """Record a NodeError: unknown when we could not check, else failed (or warn if soft)."""
        if error.url:
            self.urls.add(error.url)
        if soft:
            self.checks.warn(check_id, error.message, detail=error.detail)
        elif error.could_not_check:
            self.checks.unknown(check_id, error.message, detail=error.detail)
        else:
            self.checks.failed(check_id, error.message, detail=error.detail)

    def evidence(self) -> tuple[FetchRecord, ...]:
        seen: dict[str, FetchRecord] = {}
        for record in self.ctx.fetcher.records:
            if record.url in self.urls and record.url not in seen:
                seen[record.url] = record
        return tuple(seen.values())


async def resolve(run: Run, ref: Any, expected_class: str, *, parent: Node) -> Node:
    """A reference to another node: fetched by its URL, or taken as embedded when it has none.

    Embedded objects with an http(s) id are fetched from that id (the canonical copy), as the
    reference validator does; embedded ones without are read as part of their parent.
    """
    ref_id = node_id(ref)
    if isinstance(ref, str) or (ref_id is not None and is_url(ref_id)):
        if not is_url(ref_id):
            raise NodeError(
                "malformed",
                _("The reference {value} is not an http(s) URL that can be fetched.").format(
                    value=str(ref_id)[:120]
                ),
            )
        assert ref_id is not None
        node = run.use(await fetch_node(run.ctx, ref_id, expected_class), ref_id)
        if parent.version in ("1.1", "2.0") and node.version in ("0.5", "1.0"):
            # A document without @context is read as OB 1.0, whose classes require less (an
            # issuer without email): a 1.1/2.0 badge may not lower the bar by linking one.
            raise NodeError(
                "malformed",
                _(
                    "{url} has no JSON-LD context, but an Open Badges {version} document links "
                    "to it: it must be an Open Badges {version} document too."
                ).format(url=ref_id[:160], version=parent.version),
                url=ref_id,
            )
        return node
    if isinstance(ref, dict):
        return Node(url=parent.url, node=ref, version=parent.version, contexts=parent.contexts)
    raise NodeError("malformed", _("A reference is neither a URL nor an object."))


def class_check(run: Run, check_id: str, node: Node, cls: str, passed: str) -> bool:
    problems = validate(node.node, cls, version=node.version)
    if problems:
        run.checks.failed(check_id, " ".join(problems[:4]), detail=node.url)
        return False
    if node.notes:
        run.checks.warn(check_id, passed + " " + " ".join(node.notes), detail=node.url)
    else:
        run.checks.passed(check_id, passed, detail=node.url)
    return True


async def badgeclass_and_issuer(run: Run, assertion: Node) -> tuple[Node, Node] | None:
    """Steps: ``badgeclass`` then ``issuer`` (each validated against its class)."""
    try:
        badge = await resolve(run, assertion.node.get("badge"), "BadgeClass", parent=assertion)
    except NodeError as exc:
        run.fail_node("badgeclass", exc)
        return None
    name = badge.node.get("name") if isinstance(badge.node.get("name"), str) else "?"
    if not class_check(
        run,
        "badgeclass",
        badge,
        "BadgeClass",
        _("Badge class {name} is well-formed.").format(name=name),
    ):
        return None
    issuer = await issuer_step(run, badge)
    return (badge, issuer) if issuer is not None else None


async def issuer_step(run: Run, owner: Node, check_id: str = "issuer") -> Node | None:
    try:
        issuer = await resolve(run, owner.node.get("issuer"), "Profile", parent=owner)
    except NodeError as exc:
        run.fail_node(check_id, exc)
        return None
    name = issuer.node.get("name") if isinstance(issuer.node.get("name"), str) else "?"
    if not class_check(
        run,
        check_id,
        issuer,
        "Profile",
        _("Issuer {name} ({id}) is well-formed.").format(
            name=name, id=str(issuer.node.get("id"))[:120]
        ),
    ):
        return None
    return issuer


# --------------------------------------------------------------------------- images


def sniff_image(body: bytes) -> str | None:
    """``png``, ``svg``, ``other`` (JPEG/GIF/WebP) or ``None`` when it is no image."""
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg"))
        and b"<svg" in body[:65536].lower()
    ):
        return "svg"
    if body.startswith((b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    ):
        return "other"
    return None


async def _one_image(
    run: Run, ref: Any, *, allow_data_uri: bool, what: str
) -> tuple[CheckStatus, str, str]:
    url = ref.get("id") if isinstance(ref, dict) else ref
    if not isinstance(url, str):
        return CheckStatus.FAIL, _("{what} is not a URL.").format(what=what), ""
    if is_data_uri(url):
        if not allow_data_uri:
            return (
                CheckStatus.FAIL,
                _("{what} may not be a data: URI.").format(what=what),
                "",
            )
        media = data_uri_media_type(url)
        body = data_uri_bytes(url, limit=MAX_IMAGE_BYTES)
        kind = sniff_image(body) if body is not None else None
        if media not in ("image/png", "image/svg+xml") or kind not in ("png", "svg"):
            return (
                CheckStatus.FAIL,
                _("{what} (a data: URI) is not a PNG or SVG image.").format(what=what),
                media,
            )
        return (
            CheckStatus.PASS,
            _("{what} is an embedded {kind} image.").format(what=what, kind=kind.upper()),
            "",
        )
    if not is_url(url):
        return (
            CheckStatus.FAIL,
            _("{what} {url} is not an http(s) URL.").format(what=what, url=url[:120]),
            "",
        )
    run.urls.add(url)
    try:
        response = await get(run.ctx, url, accept=IMAGE_ACCEPT, max_bytes=MAX_IMAGE_BYTES)
    except NodeError as exc:
        return CheckStatus.UNKNOWN, exc.message, exc.detail
    if 400 <= response.status < 500:
        return (
            CheckStatus.FAIL,
            _("{what} {url} answered HTTP {status}: it is missing.").format(
                what=what, url=url[:120], status=response.status
            ),
            url,
        )
    if not response.ok:
        return (
            CheckStatus.UNKNOWN,
            _("{what} {url} answered HTTP {status}.").format(
                what=what, url=url[:120], status=response.status
            ),
            url,
        )
    kind = sniff_image(response.body)
    if kind is None:
        return (
            CheckStatus.FAIL,
            _("{what} {url} is not an image.").format(what=what, url=url[:120]),
            url,
        )
    if kind == "other":
        return (
            CheckStatus.WARN,
            _("{what} is an image, but not PNG or SVG as Open Badges requires.").format(what=what),
            url,
        )
    return (
        CheckStatus.PASS,
        _("{what} is a reachable {kind} image.").format(what=what, kind=kind.upper()),
        url,
    )


async def image_step(run: Run, badge: Node, assertion: Node | None) -> None:
    """Step ``image``: the badge class image (required) and the assertion image (optional)."""
    jobs = [
        _one_image(run, badge.node.get("image"), allow_data_uri=True, what=_("The badge image"))
    ]
    if assertion is not None and assertion.node.get("image") is not None:
        jobs.append(
            _one_image(
                run,
                assertion.node.get("image"),
                allow_data_uri=False,
                what=_("The assertion image"),
            )
        )
    results = await asyncio.gather(*jobs)
    order = [CheckStatus.FAIL, CheckStatus.UNKNOWN, CheckStatus.WARN, CheckStatus.PASS]
    worst = min(results, key=lambda r: order.index(r[0]))
    message = " ".join(r[1] for r in results)
    run.checks.add("image", worst[0], message, detail=" ".join(r[2] for r in results if r[2]))


# --------------------------------------------------------------------------- scope, revocation


def scope_step(run: Run, subject_id: str, issuer: Node, *served_from: str) -> None:
    """Step ``scope``: the hosted document lives where its issuer says its documents live.

    ``served_from`` are the URLs the document was really read from after HTTP redirects: an
    open redirect on the issuer's host must not let a document from anywhere pass as hosted there.
    """
    try:
        policy = issuer_policy(issuer.node)
    except PolicyError as exc:
        run.checks.failed("scope", str(exc))
        return
    outcome = check_scope(policy, [subject_id, *(u for u in served_from if u != subject_id)])
    if not outcome.ok:
        run.checks.failed("scope", outcome.message, detail=subject_id)
    elif outcome.warning:
        run.checks.warn("scope", outcome.message, detail=subject_id)
    else:
        run.checks.passed("scope", outcome.message, detail=subject_id)


async def revocation_step(run: Run, assertion: Node, issuer: Node, *, hosted: bool) -> None:
    """Step ``revocation``: ``revoked: true`` in the hosted copy, and the issuer's RevocationList."""
    node = assertion.node
    if node.get("revoked") is True:
        reason = node.get("revocationReason")
        run.checks.failed(
            "revocation",
            _("The issuer has revoked this badge.")
            + (
                " " + _("Reason: {reason}").format(reason=reason) if isinstance(reason, str) else ""
            ),
            outcome=Status.REVOKED,
        )
        return
    list_ref = issuer.node.get("revocationList")
    if list_ref is None:
        if hosted:
            run.checks.passed(
                "revocation",
                _("The issuer still publishes this badge and does not mark it revoked."),
            )
        else:
            run.checks.skip(
                "revocation",
                _("The issuer publishes no revocation list, so there is none to check."),
            )
        return
    list_url = node_id(list_ref)
    if not is_url(list_url):
        run.checks.failed(
            "revocation", _("The issuer's revocation list address is not an http(s) URL.")
        )
        return
    assert list_url is not None
    run.urls.add(list_url)
    try:
        listed = await fetch_node(run.ctx, list_url, "RevocationList")
        run.use(listed, list_url)
        revocations = parse_revocation_list(listed.node, expected_id=None)
    except NodeError as exc:
        run.fail_node("revocation", exc)
        return
    except RevocationListError as exc:
        run.checks.failed("revocation", str(exc), detail=list_url)
        return
    uid = node.get("uid") if isinstance(node.get("uid"), str) else None
    entry = revocations.find(str(node.get("id")), uid)
    if entry is None:
        run.checks.passed(
            "revocation", _("The badge is not on the issuer's revocation list."), detail=list_url
        )
        return
    message = _("The issuer has revoked this badge (listed in {url}).").format(url=list_url)
    if entry.reason:
        message += " " + _("Reason: {reason}").format(reason=entry.reason)
    run.checks.failed("revocation", message, detail=list_url, outcome=Status.REVOKED)


# --------------------------------------------------------------------------- dates, recipient


def dates_step(run: Run, node: dict[str, Any], now: datetime) -> None:
    """Step ``dates``: issued not in the future, expires not before issued, past expiry."""
    issued = parse_datetime(node.get("issuedOn"))
    expires = parse_datetime(node.get("expires")) if node.get("expires") is not None else None
    if issued is None:
        run.checks.failed("dates", _("The issue date cannot be read."))
        return
    if issued > now + CLOCK_LEEWAY:
        run.checks.failed(
            "dates",
            _("The badge says it was issued on {date}, which is in the future.").format(
                date=_iso(issued)
            ),
        )
        return
    if node.get("expires") is not None and expires is None:
        run.checks.failed("dates", _("The expiry date cannot be read."))
        return
    if expires is not None and expires < issued:
        run.checks.failed(
            "dates",
            _("The badge expires ({expires}) before it was issued ({issued}).").format(
                expires=_iso(expires), issued=_iso(issued)
            ),
        )
        return
    if expires is not None and expires <= now:
        run.checks.failed(
            "dates",
            _("The badge expired on {date}.").format(date=_iso(expires)),
            outcome=Status.EXPIRED,
        )
        return
    if expires is not None:
        message = _("Issued on {issued}; valid until {expires}.").format(
            issued=_iso(issued), expires=_iso(expires)
        )
    else:
        message = _("Issued on {issued}; it does not expire.").format(issued=_iso(issued))
    run.checks.passed("dates", message)


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def recipient_step(run: Run, node: dict[str, Any]) -> None:
    """Step ``recipient``: match against the wallet's identities (not performed without them)."""
    recipient = node.get("recipient")
    recipient = recipient[0] if isinstance(recipient, list) and len(recipient) == 1 else recipient
    problems = identity_problems(recipient)
    if problems:
        run.checks.failed(
            "recipient",
            _("The recipient cannot be read: {reason}.").format(reason="; ".join(problems)),
        )
        return
    assert isinstance(recipient, dict)
    match = match_identity(claim_from_identity_object(recipient), run.ctx.recipients)
    run.recipient = match
    if not match.checked:
        run.checks.skip("recipient", match.message)
    elif match.matched:
        run.checks.passed("recipient", match.message)
    else:
        run.checks.failed("recipient", match.message)


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
