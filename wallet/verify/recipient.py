"""Who a badge was awarded to: OB 1.x/2.0 IdentityObjects and OB 3.0 ``identifier`` entries.

A badge names its recipient as a plain identity (``learner@example.org``) or as a salted hash
(``sha256$<hex>`` of identity + salt, also ``md5$``; the hex in any case).  The wallet holds the
learner's identities (emails, URLs, phone numbers, DIDs); :func:`match_identity` says whether one
of them is the recipient and, when none is, explains why — so a mismatch is never silent.

When the caller gives no identities the check is *not performed* (``checked=False``): absence of
identities is not a failure, but it is not a pass either.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wallet.i18n import _
from wallet.model import RecipientMatch

_HASH_RE = re.compile(r"^(sha256|md5)\$([0-9a-fA-F]+)$")
_HASH_LEN = {"sha256": 64, "md5": 32}
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TEL_RE = re.compile(r"^\+?[1-9]\d{1,14}(;ext=\d+)?$")

OB2_TYPES = ("email", "url", "telephone", "id")
"""The IdentityObject types of OB 2.0 (OB 1.x had only email)."""

_OB3_TYPES = {
    "emailaddress": "email",
    "email": "email",
    "url": "url",
    "phonenumber": "telephone",
    "telephone": "telephone",
    "did": "id",
    "id": "id",
}


@dataclass(frozen=True, slots=True)
class IdentityClaim:
    """What a badge says about its recipient, normalised (``type`` one of :data:`OB2_TYPES`)."""

    identity: str
    type: str
    hashed: bool
    salt: str = ""


def is_hash(value: str) -> bool:
    """``sha256$<64 hex>`` or ``md5$<32 hex>`` (hex in any case)."""
    found = _HASH_RE.match(value)
    return found is not None and len(found.group(2)) == _HASH_LEN[found.group(1)]


def is_email(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 320 and bool(_EMAIL_RE.match(value))


def is_telephone(value: object) -> bool:
    return isinstance(value, str) and bool(_TEL_RE.match(value))


def kind_of(candidate: str) -> str:
    """Guess which IdentityObject type a wallet identity is."""
    text = candidate.strip()
    if text.lower().startswith("mailto:"):
        return "email"
    if is_email(text):
        return "email"
    if text.lower().startswith(("http://", "https://")):
        return "url"
    if text.lower().startswith("tel:") or is_telephone(_strip_phone(text)):
        return "telephone"
    return "id"


def ob3_type(identity_type: str) -> str:
    """Map an OB 3.0 ``identityType`` (``emailAddress``, ``phoneNumber``, …) to an OB 2 type."""
    return _OB3_TYPES.get(identity_type.strip().lower(), "id")


def _strip_phone(value: str) -> str:
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    return re.sub(r"[\s().-]", "", text)


def _variants(candidate: str, kind: str) -> list[str]:
    """The spellings of one identity that denote the same recipient."""
    text = candidate.strip()
    if kind == "email":
        if text.lower().startswith("mailto:"):
            text = text[7:]
        return list(dict.fromkeys([text, text.lower()]))
    if kind == "telephone":
        return list(dict.fromkeys([text, _strip_phone(text)]))
    if kind == "url":
        bare = text.rstrip("/")
        return list(dict.fromkeys([text, bare, bare + "/"]))
    return [text]


def _hash_matches(claimed: str, candidate: str, salt: str) -> bool:
    found = _HASH_RE.match(claimed)
    if not found:
        return False
    alg, hexdigest = found.group(1), found.group(2).lower()
    digest = hashlib.new(alg, (candidate + salt).encode("utf-8"), usedforsecurity=False)
    return hmac.compare_digest(digest.hexdigest(), hexdigest)


def identity_matches(claim: IdentityClaim, candidate: str) -> bool:
    """Does one wallet identity denote the claimed recipient?"""
    for variant in _variants(candidate, claim.type):
        if claim.hashed:
            if _hash_matches(claim.identity, variant, claim.salt):
                return True
        elif claim.type == "email":
            if variant.lower() == claim.identity.strip().lower():
                return True
        elif variant in _variants(claim.identity, claim.type):
            return True
    return False


def _compatible(claim_type: str, candidate: str) -> bool:
    kind = kind_of(candidate)
    if claim_type == "id":
        return True
    return kind == claim_type


def match_identity(claim: IdentityClaim, candidates: Sequence[str]) -> RecipientMatch:
    """Match the claimed recipient against the wallet's identities, explaining a mismatch."""
    if not candidates:
        return RecipientMatch(
            checked=False,
            matched=None,
            message=_("No identities were given, so the recipient was not checked."),
        )
    relevant = [c for c in candidates if c.strip() and _compatible(claim.type, c)]
    if not relevant:
        return RecipientMatch(
            checked=True,
            matched=False,
            message=_(
                "The badge was awarded to an identity of type {type}, and none of your "
                "identities is of that type."
            ).format(type=claim.type),
        )
    for candidate in relevant:
        if identity_matches(claim, candidate):
            return RecipientMatch(
                checked=True,
                matched=True,
                identity=candidate.strip(),
                message=(
                    _("Issued to {identity} (hash matches).")
                    if claim.hashed
                    else _("Awarded to {identity}.")
                ).format(identity=candidate.strip()),
            )
    if claim.hashed:
        message = _(
            "The badge was awarded to someone else: the recipient's hashed {type} does not "
            "match any of your {count} identities of that type."
        ).format(type=claim.type, count=len(relevant))
    else:
        message = _(
            "The badge was awarded to {identity}, which is not one of your identities."
        ).format(identity=claim.identity)
    return RecipientMatch(checked=True, matched=False, message=message)


def identity_problems(obj: object) -> list[str]:
    """Why an OB 2.0 IdentityObject is malformed (empty list when it is well-formed)."""
    if not isinstance(obj, dict):
        return [_("the recipient is not an IdentityObject (a JSON object)")]
    problems: list[str] = []
    identity = obj.get("identity")
    rtype = obj.get("type")
    hashed = obj.get("hashed")
    salt = obj.get("salt")
    if not isinstance(identity, str) or not identity.strip():
        problems.append(_("the recipient has no identity"))
    if not isinstance(rtype, str) or rtype not in OB2_TYPES:
        problems.append(
            _("the recipient type {value} is not one of email, url, telephone, id").format(
                value=repr(rtype)
            )
        )
    if not isinstance(hashed, bool):
        problems.append(_("the recipient's 'hashed' must be true or false"))
    if salt is not None and not isinstance(salt, str):
        problems.append(_("the recipient's salt must be text"))
    if problems or not isinstance(identity, str):
        return problems
    looks_hashed = is_hash(identity)
    if hashed and not looks_hashed:
        problems.append(
            _("the recipient is marked hashed but {value} is not a sha256$ or md5$ hash").format(
                value=identity[:80]
            )
        )
    elif looks_hashed and not hashed:
        problems.append(_("the recipient identity is a hash but is marked as not hashed"))
    elif not hashed and rtype == "email" and not is_email(identity):
        problems.append(
            _("the recipient email {value} is not an email address").format(value=identity[:80])
        )
    elif not hashed and rtype == "telephone" and not is_telephone(_strip_phone(identity)):
        problems.append(
            _("the recipient telephone {value} is not an E.164 number").format(value=identity[:80])
        )
    return problems


def claim_from_identity_object(obj: dict[str, object]) -> IdentityClaim:
    """A well-formed IdentityObject (see :func:`identity_problems`) as a claim."""
    salt = obj.get("salt")
    return IdentityClaim(
        identity=str(obj.get("identity", "")),
        type=str(obj.get("type", "email")),
        hashed=bool(obj.get("hashed")),
        salt=salt if isinstance(salt, str) else "",
    )


def claim_from_ob3(
    identity: str, identity_type: str, *, hashed: bool, salt: str | None = None
) -> IdentityClaim:
    """An OB 3.0 ``IdentityObject`` entry of ``credentialSubject.identifier``."""
    return IdentityClaim(
        identity=identity, type=ob3_type(identity_type), hashed=hashed, salt=salt or ""
    )


def flatten_profile(values: Iterable[object]) -> tuple[str, ...]:
    """Identities from loose input (strings or lists of strings), blanks dropped, order kept."""
    found: list[str] = []
    for value in values:
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if isinstance(item, str) and item.strip() and item.strip() not in found:
                found.append(item.strip())
    return tuple(found)
