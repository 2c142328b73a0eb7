"""The steps shared by hosted, signed and lone-object OB 2.0 verification.

Each step reads the graph through ob2_graph, records exactly one named check in ``run.checks`` and
returns what later steps need (or ``None`` when the chain cannot continue).  Steps never raise for
bad documents: a broken issuer document is a failed check, an unreachable one an unknown check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wallet.codecs.dates import format_minute
from wallet.i18n import _
from wallet.model import (
    FetchRecord,
    RecipientMatch,
    Status,
)
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext
from wallet.verify.ob2.classes import validate
from wallet.verify.ob2.graph import (
    Node,
    NodeError,
    fetch_node,
)
from wallet.verify.ob2.policy import PolicyError, check_scope, issuer_policy
from wallet.verify.ob2.revocation import RevocationListError, parse_revocation_list
from wallet.verify.ob2.values import (
    is_url,
    node_id,
    parse_datetime,
)
from wallet.verify.recipient import claim_from_identity_object, identity_problems, match_identity

CLOCK_LEEWAY = timedelta(minutes=5)
"""A badge issued "in the future" by less than this is clock skew, not a forgery."""


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
    return format_minute(value)


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


def context_check(run: Run, node: Node) -> None:
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
