"""Class rules of Open Badges 2.0: required properties and value types, really checked.

Each class is a table of properties (name, value type, required, many).  Validation returns the
problems found as user-facing sentences; an empty list means the node is well-formed.  Compared
with the reference validator this also checks what it declares but skips: ``email`` values, and
``type`` (a BadgeClass that says it is an Issuer is not a BadgeClass).

Nodes arrive compacted to 2.0 terms and upgraded (ob2_graph); ``version`` relaxes only what older
specifications did not require (an OB 1.0 issuer had no email).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wallet.codecs.nodes import as_list, types_of
from wallet.i18n import _
from wallet.verify.ob2.values import (
    is_data_uri,
    is_datetime,
    is_iri,
    is_text,
    is_text_or_number,
    is_url,
)
from wallet.verify.recipient import identity_problems, is_email, is_telephone


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_image_ref(value: Any) -> bool:
    """URL, data URI, or an Image object whose id is one of those."""
    if isinstance(value, dict):
        value = value.get("id")
    return is_url(value) or is_data_uri(value)


def _is_assertion_image(value: Any) -> bool:
    """Assertion.image: a URL or Image object, never a data URI (the reference's rule)."""
    inner = value.get("id") if isinstance(value, dict) else value
    return is_url(inner)


def _is_node_or_iri(value: Any) -> bool:
    if isinstance(value, dict):
        inner = value.get("id")
        return inner is None or is_iri(inner)
    return is_iri(value)


def _is_object(value: Any) -> bool:
    return isinstance(value, dict)


def _is_criteria(value: Any) -> bool:
    if isinstance(value, dict):
        inner = value.get("id")
        narrative = value.get("narrative")
        if inner is not None and not is_iri(inner):
            return False
        return inner is not None or isinstance(narrative, str)
    return is_iri(value)


def _is_alignment(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and is_text(value.get("targetName"))
        and is_url(value.get("targetUrl"))
    )


def _is_claim(value: Any) -> bool:
    return isinstance(value, dict) and is_iri(value.get("id"))


def _is_email_value(value: Any) -> bool:
    return is_email(value)


@dataclass(frozen=True, slots=True)
class Prop:
    name: str
    check: Callable[[Any], bool]
    what: str
    """msgid-free description of the expected type, shown in messages (already translated)."""
    required: bool = False
    many: bool = False


def _props_assertion() -> tuple[Prop, ...]:
    return (
        Prop("id", is_iri, _("an IRI"), required=True),
        Prop("badge", _is_node_or_iri, _("an IRI or a BadgeClass"), required=True),
        Prop("verification", _is_object, _("a verification object"), required=True),
        Prop("issuedOn", is_datetime, _("a date and time with a time zone"), required=True),
        Prop("expires", is_datetime, _("a date and time with a time zone")),
        Prop("image", _is_assertion_image, _("an image URL (not a data: URI)")),
        Prop("narrative", is_text, _("text")),
        Prop("evidence", _is_node_or_iri, _("an IRI or an Evidence object"), many=True),
        Prop("revoked", _is_bool, _("true or false")),
        Prop("revocationReason", is_text, _("text")),
        Prop("uid", is_text, _("text")),
    )


def _props_badgeclass() -> tuple[Prop, ...]:
    return (
        Prop("id", is_iri, _("an IRI"), required=True),
        Prop("issuer", _is_node_or_iri, _("an IRI or a Profile"), required=True),
        Prop("name", is_text, _("text"), required=True),
        Prop("description", is_text, _("text"), required=True),
        Prop("image", _is_image_ref, _("an image URL or data: URI"), required=True),
        Prop("criteria", _is_criteria, _("a URL or a Criteria object"), required=True),
        Prop(
            "alignment",
            _is_alignment,
            _("an AlignmentObject with targetName and targetUrl"),
            many=True,
        ),
        Prop("tags", is_text, _("text"), many=True),
    )


def _props_profile(version: str) -> tuple[Prop, ...]:
    modern = version not in ("0.5", "1.0", "1.1")
    return (
        Prop("id", is_iri, _("an IRI"), required=True),
        Prop("name", is_text, _("text"), required=True),
        Prop("url", is_url, _("an http(s) URL"), required=True),
        Prop("email", _is_email_value, _("an email address"), required=modern),
        Prop("description", is_text, _("text")),
        Prop("image", _is_image_ref, _("an image URL or data: URI")),
        Prop("telephone", is_telephone, _("a telephone number in E.164 form")),
        Prop("publicKey", _is_node_or_iri, _("an IRI or a CryptographicKey"), many=True),
        Prop("verification", _is_object, _("a verification policy object")),
        Prop("revocationList", is_iri, _("an IRI")),
    )


def _props_key() -> tuple[Prop, ...]:
    return (
        Prop("id", is_iri, _("an IRI"), required=True),
        Prop("owner", is_iri, _("an IRI"), required=True),
        Prop("publicKeyPem", is_text, _("a PEM public key"), required=True),
    )


def _props_endorsement() -> tuple[Prop, ...]:
    return (
        Prop("id", is_iri, _("an IRI"), required=True),
        Prop("claim", _is_claim, _("a claim object with an id"), required=True),
        Prop("issuedOn", is_datetime, _("a date and time with a time zone"), required=True),
        Prop("issuer", _is_node_or_iri, _("an IRI or a Profile"), required=True),
        Prop("verification", _is_object, _("a verification object"), required=True),
    )


def _props_primary() -> tuple[Prop, ...]:
    return (
        Prop("version", is_text_or_number, _("text or a number")),
        Prop("related", _is_node_or_iri, _("an IRI"), many=True),
        Prop("endorsement", _is_node_or_iri, _("an IRI or an Endorsement"), many=True),
    )


CLASS_TYPES: dict[str, tuple[str, ...]] = {
    "Assertion": ("Assertion",),
    "BadgeClass": ("BadgeClass",),
    "Profile": ("Issuer", "Profile"),
    "CryptographicKey": ("CryptographicKey",),
    "Endorsement": ("Endorsement",),
}
_TYPE_REQUIRED = {"Assertion", "BadgeClass", "Profile", "Endorsement"}


def _props(cls: str, version: str) -> tuple[Prop, ...]:
    if cls == "Assertion":
        return _props_assertion() + _props_primary()
    if cls == "BadgeClass":
        return _props_badgeclass() + _props_primary()
    if cls == "Profile":
        return _props_profile(version) + _props_primary()
    if cls == "CryptographicKey":
        return _props_key()
    if cls == "Endorsement":
        return _props_endorsement() + _props_primary()
    raise ValueError(cls)


def _label(cls: str) -> str:
    return {
        "Assertion": _("The assertion"),
        "BadgeClass": _("The badge class"),
        "Profile": _("The issuer profile"),
        "CryptographicKey": _("The signing key"),
        "Endorsement": _("The endorsement"),
    }[cls]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def validate(node: Any, cls: str, *, version: str = "2.0") -> list[str]:
    """Problems of ``node`` as an instance of ``cls`` (Assertion, BadgeClass, Profile, …)."""
    label = _label(cls)
    if not isinstance(node, dict):
        return [_("{what} is not a JSON object.").format(what=label)]
    problems = _type_problems(node, cls, label, version)
    for prop in _props(cls, version):
        if prop.name not in node or node[prop.name] is None:
            if prop.required:
                problems.append(
                    _("{what} lacks the required property {name}.").format(
                        what=label, name=prop.name
                    )
                )
            continue
        value = node[prop.name]
        values = as_list(value)
        if prop.required and not values:
            problems.append(
                _("{what} has an empty required property {name}.").format(
                    what=label, name=prop.name
                )
            )
            continue
        if not prop.many and isinstance(value, list) and len(values) != 1:
            problems.append(
                _("{what} has more than one value for {name}.").format(what=label, name=prop.name)
            )
            continue
        for item in values:
            if not prop.check(item):
                problems.append(
                    _("{what} has {name} = {value}, which is not {expected}.").format(
                        what=label, name=prop.name, value=_short(item), expected=prop.what
                    )
                )
                break
    if cls == "Assertion" and "recipient" in node:
        problems.extend(identity_problems(_single(node["recipient"])))
    elif cls == "Assertion":
        problems.append(
            _("{what} lacks the required property {name}.").format(what=label, name="recipient")
        )
    if cls == "Assertion" and isinstance(node.get("verification"), dict):
        problems.extend(verification_problems(node["verification"]))
    return problems


def _type_problems(node: dict[str, Any], cls: str, label: str, version: str) -> list[str]:
    """The node's ``type`` against the class's (required in 2.0 for some classes)."""
    problems: list[str] = []
    wanted = CLASS_TYPES[cls]
    declared = node.get("type")
    if declared is None:
        if cls in _TYPE_REQUIRED and version == "2.0":
            problems.append(
                _("{what} has no type (expected {types}).").format(
                    what=label, types=" / ".join(wanted)
                )
            )
    else:
        names = types_of(node)
        if len(names) != len(as_list(declared)):
            problems.append(_("{what} has a type that is not text.").format(what=label))
        elif not any(t in wanted for t in names):
            problems.append(
                _("{what} declares the type {declared}, not {types}.").format(
                    what=label, declared=", ".join(names)[:80], types=" / ".join(wanted)
                )
            )
    return problems


def _single(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def verification_problems(verification: dict[str, Any]) -> list[str]:
    """An Assertion's VerificationObject: HostedBadge, or SignedBadge with a creator IRI."""
    names = types_of(verification)
    if not names:
        return [_("The assertion's verification object has no type (HostedBadge or SignedBadge).")]
    if not _verification_kind(names):
        return [
            _(
                "The assertion's verification type {value} is neither HostedBadge nor SignedBadge."
            ).format(value=", ".join(names)[:80])
        ]
    creator = verification.get("creator")
    if creator is not None and not is_iri(
        creator if isinstance(creator, str) else _single(creator)
    ):
        return [_("The assertion's verification creator is not an IRI.")]
    return []


def verification_type(node: dict[str, Any]) -> str:
    """``hosted``, ``signed`` or ``""`` for an Assertion node."""
    verification = node.get("verification")
    names = types_of(verification) if isinstance(verification, dict) else []
    return _verification_kind(names)


_KINDS = {"signedbadge": "signed", "signed": "signed", "hostedbadge": "hosted", "hosted": "hosted"}


def _verification_kind(names: list[str]) -> str:
    """``signed``/``hosted`` from the type names; issuers in the wild also write ``Hosted`` or
    ``hosted`` (the OB 1.x words) in 2.0 assertions, which mean the same and are accepted."""
    kinds = {_KINDS.get(name.lower(), "") for name in names} - {""}
    if "signed" in kinds:
        return "signed"
    return "hosted" if "hosted" in kinds else ""
