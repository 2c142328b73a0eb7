"""Open Badges version detection, and upgrade of 0.5 / 1.0 / 1.1 objects to the 2.0 model.

Why upgrade instead of verifying each version on its own: after upgrade one set of class rules,
one graph walk and one set of checks serve every generation, the way the reference validator does
it.  1.1 and 2.0 documents are JSON-LD and are first compacted to 2.0 terms (ob2_context); 1.0 and
0.5 documents have no context and are reshaped here from what those specifications defined.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from wallet.codecs.nodes import as_list
from wallet.i18n import _
from wallet.verify.ob2.context import OB1_CONTEXT, OB2_CONTEXT, canonical_url
from wallet.verify.ob2.values import is_datetime, parse_datetime


class UpgradeError(ValueError):
    """The document cannot be read as any Open Badges version (message is user-facing)."""


def detect_version(doc: dict[str, Any]) -> str:
    """``0.5``, ``1.0``, ``1.1`` or ``2.0``, from the ``@context`` or (without one) the shape."""
    context = doc.get("@context")
    if context is None:
        recipient = doc.get("recipient")
        badge = doc.get("badge")
        if (
            isinstance(recipient, str)
            and isinstance(badge, dict)
            and "verify" not in doc
            and ("version" in badge or "issuer" in badge)
        ):
            return "0.5"
        return "1.0"
    urls = [c for c in as_list(context) if isinstance(c, str)]
    canon = [canonical_url(u) for u in urls]
    if OB2_CONTEXT in canon:
        return "2.0"
    if OB1_CONTEXT in canon:
        return "1.1"
    if any(isinstance(c, dict) for c in as_list(context)):
        return "2.0"
    raise UpgradeError(
        _("the document's @context ({context}) is not an Open Badges context").format(
            context=", ".join(urls)[:160] or "?"
        )
    )


def iso_datetime(value: Any) -> Any:
    """A 1.x date (``2015-04-30``, Unix seconds, zone-less time) as a 2.0 DateTime string.

    Values that cannot be read are returned unchanged so that class validation reports them.
    """
    if is_datetime(value):
        return value
    parsed = parse_datetime(value)
    if parsed is None:
        return value
    return parsed.astimezone(UTC).isoformat()


def _upgrade_alignment(items: Any) -> Any:
    if not isinstance(items, list | dict):
        return items
    result = []
    for item in as_list(items):
        if isinstance(item, dict):
            fixed = dict(item)
            for old, new in (
                ("url", "targetUrl"),
                ("name", "targetName"),
                ("description", "targetDescription"),
            ):
                if old in fixed and new not in fixed:
                    fixed[new] = fixed.pop(old)
            result.append(fixed)
        else:
            result.append(item)
    return result


def finish_1_1(node: dict[str, Any], expected_class: str | None) -> dict[str, Any]:
    """What compaction does not do for 1.1: dates to DateTime, alignment terms renamed."""
    out = dict(node)
    if expected_class == "Assertion" or "recipient" in out:
        for key in ("issuedOn", "expires"):
            if key in out and out[key] is not None:
                out[key] = iso_datetime(out[key])
        verification = out.get("verification")
        if isinstance(verification, dict) and verification.get("type") in ("hosted", "signed"):
            out["verification"] = dict(verification, type=verification["type"].title() + "Badge")
    elif (expected_class == "BadgeClass" or "criteria" in out) and "alignment" in out:
        out["alignment"] = _upgrade_alignment(out["alignment"])
    return out


_ASSERTION_1_0 = ("uid", "recipient", "badge", "issuedOn", "expires", "image", "evidence")
_BADGECLASS_1_0 = ("name", "description", "image", "criteria", "issuer", "alignment", "tags")
_ISSUER_1_0 = ("name", "url", "description", "image", "email")


def upgrade_1_0(
    doc: dict[str, Any], node_id: str | None, expected_class: str | None
) -> dict[str, Any]:
    """An OB 1.0 object (no context, no ids) as a 2.0 node identified by where it was fetched."""
    if expected_class == "Assertion" or (expected_class is None and "recipient" in doc):
        return _assertion_1_0(doc, node_id)
    if node_id is None:
        raise UpgradeError(_("the OB 1.0 object has no address to identify it"))
    if expected_class == "BadgeClass" or (expected_class is None and "criteria" in doc):
        node = _copied(doc, node_id, "BadgeClass", _BADGECLASS_1_0)
        if "alignment" in node:
            node["alignment"] = _upgrade_alignment(node["alignment"])
        return node
    return _copied(doc, node_id, "Issuer", _ISSUER_1_0)


def _copied(
    doc: dict[str, Any], node_id: str, node_type: str, keys: tuple[str, ...]
) -> dict[str, Any]:
    """A 2.0 node of ``node_type`` carrying those of ``keys`` that ``doc`` has."""
    node: dict[str, Any] = {"id": node_id, "type": node_type}
    node.update((key, doc[key]) for key in keys if key in doc)
    return node


def _assertion_1_0(doc: dict[str, Any], node_id: str | None) -> dict[str, Any]:
    """A 1.0 assertion, identified by its address, its hosted URL or (signed) its uid."""
    raw_verify = doc.get("verify")
    verify: dict[str, Any] = raw_verify if isinstance(raw_verify, dict) else {}
    vtype = str(verify.get("type", "")).lower()
    url = verify.get("url")
    assertion_id = node_id or (url if vtype == "hosted" else None)
    if assertion_id is None and vtype == "signed" and isinstance(doc.get("uid"), str):
        assertion_id = "urn:uid:" + doc["uid"]
    if assertion_id is None:
        raise UpgradeError(_("the OB 1.0 assertion has no hosted URL to identify it"))
    node = _copied(doc, assertion_id, "Assertion", _ASSERTION_1_0)
    for key in ("issuedOn", "expires"):
        if key in node:
            node[key] = iso_datetime(node[key])
    if vtype == "hosted":
        node["verification"] = {"type": "HostedBadge", "url": url}
    elif vtype == "signed":
        node["verification"] = {"type": "SignedBadge", "creator": url}
    return node


def upgrade_0_5(doc: dict[str, Any]) -> dict[str, Any]:
    """An OB 0.5 assertion (embedded badge and issuer, string recipient) in the 2.0 shape.

    0.5 had neither a hosted URL nor a signature, so the result can be shown but never verified.
    """
    recipient = doc.get("recipient")
    node: dict[str, Any] = {"id": "_:ob05-assertion", "type": "Assertion"}
    if isinstance(recipient, str):
        salt = doc.get("salt")
        node["recipient"] = {
            "type": "email",
            "identity": recipient,
            "hashed": "@" not in recipient,
            **({"salt": salt} if isinstance(salt, str) else {}),
        }
    if "issued_on" in doc:
        node["issuedOn"] = iso_datetime(doc["issued_on"])
    if "expires" in doc:
        node["expires"] = iso_datetime(doc["expires"])
    badge = doc.get("badge")
    if isinstance(badge, dict):
        upgraded: dict[str, Any] = {"type": "BadgeClass"}
        upgraded.update({k: v for k, v in badge.items() if k in _BADGECLASS_1_0})
        issuer = badge.get("issuer")
        if isinstance(issuer, dict):
            upgraded["issuer"] = {
                "type": "Profile",
                "name": issuer.get("name"),
                "url": issuer.get("origin"),
                **({"email": issuer["contact"]} if "contact" in issuer else {}),
            }
        node["badge"] = upgraded
    return node
