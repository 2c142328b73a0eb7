"""Open Badges 0.5, 1.0, 1.1 and 2.0 assertions (and lone 2.0 objects) -> :class:`Credential`.

Why one module for four versions: they share the Assertion -> BadgeClass -> Issuer shape; what
differs is where the recipient, the dates and the hosted URL live.  ``badge`` and ``issuer`` may be
URLs rather than embedded objects: we keep the URL as the id and never fetch (the verifier does).
"""

from __future__ import annotations

from importers.parse import fields as f
from wallet.codecs.dates import parse_date
from wallet.codecs.nodes import as_list
from wallet.errors import MalformedInput
from wallet.i18n import _
from wallet.model import Achievement, Credential, Format, Issuer, Json, Original, Recipient

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB1_CONTEXT = "https://w3id.org/openbadges/v1"
OB2_OBJECT_TYPES = {"BadgeClass", "Issuer", "Profile", "Endorsement"}


def _context_version(doc: dict[str, Json]) -> str | None:
    for ctx in f.contexts(doc):
        base = ctx.rstrip("/")
        if base.endswith("openbadges/v2") or base.endswith("openbadges/v2/context.json"):
            return "2.0"
        if base.endswith("openbadges/v1") or "openbadges/v1" in base:
            return "1.1"
    inline = doc.get("@context")
    for item in as_list(inline):
        if isinstance(item, dict) and str(item.get("obi", "")).startswith(
            "https://w3id.org/openbadges"
        ):
            return "2.0"
    return None


def is_ob2(doc: Json) -> bool:
    """An OB 0.5–2.0 document: by context, or by the legacy assertion shape."""
    if not isinstance(doc, dict):
        return False
    if _context_version(doc):
        return True
    if f.contexts(doc):
        return False
    return "badge" in doc and any(key in doc for key in ("recipient", "verify", "uid", "issuedOn"))


def version(doc: dict[str, Json]) -> str:
    """``0.5``, ``1.0``, ``1.1`` or ``2.0`` (what the document claims, by its shape)."""
    found = _context_version(doc)
    if found:
        return found
    badge = doc.get("badge")
    if isinstance(doc.get("recipient"), str) and (
        isinstance(badge, dict) and ("version" in badge or "issuer" in badge)
    ):
        return "1.0" if "verify" in doc or "uid" in doc else "0.5"
    return "1.0"


def kind(doc: dict[str, Json]) -> str:
    """``Assertion`` or the lone object type (BadgeClass, Issuer/Profile, Endorsement)."""
    types = f.types_of(doc)
    for name in ("BadgeClass", "Endorsement", "Issuer", "Profile"):
        if name in types:
            return name
    return "Assertion"


def verification_type(doc: dict[str, Json]) -> str:
    """``hosted`` or ``signed`` (OB 1.x ``verify``, OB 2.0 ``verification``)."""
    verification = f.obj(doc.get("verification") or doc.get("verify"))
    value = str(verification.get("type", "")).lower()
    if value in ("signed", "signedbadge"):
        return "signed"
    return "hosted"


def issuer(value: Json, *, origin_base: str | None = None) -> Issuer | None:
    if value is None:
        return None
    if isinstance(value, str):
        return Issuer(id=value.strip() or None)
    if not isinstance(value, dict):
        return None
    url = f.text(value.get("url")) or f.text(value.get("origin")) or origin_base
    address = f.obj(value.get("address"))
    return Issuer(
        id=f.ident(value),
        name=f.text(value.get("name")) or f.text(value.get("org")),
        url=url,
        email=f.text(value.get("email")) or f.text(value.get("contact")),
        description=f.text(value.get("description")),
        image=f.image(value.get("image")),
        country=f.text(address.get("addressCountry")),
    )


def achievement(value: Json) -> Achievement | None:
    """A BadgeClass (embedded object, or just its URL)."""
    if value is None:
        return None
    if isinstance(value, str):
        return Achievement(id=value.strip() or None)
    if not isinstance(value, dict):
        return None
    origin = f.text(f.obj(value.get("issuer")).get("origin"))
    return Achievement(
        id=f.ident(value),
        name=f.text(value.get("name")),
        description=f.text(value.get("description")),
        achievement_type=f.text(value.get("achievementType")),
        criteria=f.criteria(value.get("criteria")),
        image=f.image(_absolute(value.get("image"), origin)),
        tags=f.tags(value.get("tags")),
        alignments=f.alignments(value.get("alignment") or value.get("alignments")),
        in_language=f.text(value.get("inLanguage")),
        issuer=issuer(value.get("issuer")),
        related=tuple(r for r in (f.ident(x) for x in as_list(value.get("related"))) if r),
    )


def _absolute(value: Json, origin: str | None) -> Json:
    """OB 0.5 image/criteria paths were relative to the issuer origin."""
    if isinstance(value, str) and value.startswith("/") and origin:
        return origin.rstrip("/") + value
    return value


def recipient(doc: dict[str, Json]) -> Recipient | None:
    value = doc.get("recipient")
    if isinstance(value, str) and value.strip():
        identity = value.strip()
        hashed = "$" in identity and identity.split("$", 1)[0].lower() in ("sha256", "md5")
        salt = f.text(doc.get("salt"))
        return Recipient(identity=identity, type="email", hashed=hashed, salt=salt)
    if isinstance(value, dict):
        found = f.text(value.get("identity"))
        if not found:
            return None
        identity = found
        hashed_flag = value.get("hashed")
        hashed = (
            hashed_flag
            if isinstance(hashed_flag, bool)
            else ("$" in identity and identity.split("$", 1)[0].lower() in ("sha256", "md5"))
        )
        return Recipient(
            identity=identity,
            type=f.text(value.get("type")) or "email",
            hashed=hashed,
            salt=f.text(value.get("salt")),
        )
    return None


def to_credential(
    doc: Json, *, payload: bytes, original: Original, signed: bool = False
) -> Credential:
    """Normalise an OB 0.5–2.0 document.  ``signed``: it came as the payload of a JWS."""
    if not isinstance(doc, dict):
        raise MalformedInput(
            source=original.source,
            reason=_("an Open Badges assertion must be a JSON object"),
        )
    spec = version(doc)
    what = kind(doc)
    if what != "Assertion":
        return _lone_object(doc, what, spec, payload=payload, original=original, signed=signed)
    fmt = _format(doc, spec, signed, original)
    verify_url = f.text(f.obj(doc.get("verify") or doc.get("verification")).get("url"))
    assertion_id = f.ident(doc)
    if spec == "1.0" and not doc.get("@context"):
        assertion_id = None  # 1.0 had no id; uid is only unique per issuer
    hosted_url = None
    if fmt is not Format.OB2_SIGNED:
        hosted_url = verify_url or (assertion_id if _is_http(assertion_id) else None)
    credential_id = assertion_id or verify_url
    badge = doc.get("badge")
    ach = achievement(badge)
    iss = ach.issuer if ach else None
    if spec == "0.5":
        iss = issuer(f.obj(badge).get("issuer"))
    assertion_image = f.image(doc.get("image"))
    return Credential(
        format=fmt,
        original=original,
        payload=payload,
        document=doc,
        credential_id=credential_id,
        spec_version=spec,
        title=ach.name if ach else None,
        description=ach.description if ach else None,
        image=assertion_image or (ach.image if ach else None),
        issuer=iss,
        achievement=ach,
        recipient=recipient(doc),
        issued=parse_date(doc.get("issuedOn") or doc.get("issued_on")),
        expires=parse_date(doc.get("expires")),
        evidence=f.evidence(doc.get("evidence")),
        endorsements=tuple(as_list(doc.get("endorsement"))),
        hosted_url=hosted_url,
    )


def _format(doc: dict[str, Json], spec: str, signed: bool, original: Original) -> Format:
    """Signed or hosted (OB 1.x / 2.0); an assertion that says it is signed needs its JWS."""
    if signed and _says_hosted(doc) and _is_http(f.ident(doc)):
        # A hosted assertion carried in a JWS (one issuer library bakes them so): the signature
        # is not what makes it authentic; the copy at its id is.  Verified as hosted.
        signed = False
    if signed:
        return Format.OB2_SIGNED
    if verification_type(doc) == "signed":
        raise MalformedInput(
            source=original.source,
            reason=_(
                "this Open Badges assertion says it is signed, but its signature (the JWS) is "
                "missing; import the baked image or the .jws file the issuer gave you"
            ),
        )
    return Format.OB1_HOSTED if spec in ("0.5", "1.0", "1.1") else Format.OB2_HOSTED


def _says_hosted(doc: dict[str, Json]) -> bool:
    """The assertion explicitly says it is hosted (``HostedBadge``, or ``hosted``/``Hosted``)."""
    verification = f.obj(doc.get("verification") or doc.get("verify"))
    return str(verification.get("type", "")).lower() in ("hosted", "hostedbadge")


def _is_http(value: str | None) -> bool:
    return bool(value) and str(value).lower().startswith(("http://", "https://"))


def _lone_object(
    doc: dict[str, Json],
    what: str,
    spec: str,
    *,
    payload: bytes,
    original: Original,
    signed: bool,
) -> Credential:
    """A BadgeClass, Issuer/Profile or Endorsement given on its own (ob2-object)."""
    object_id = f.ident(doc)
    ach = achievement(doc) if what == "BadgeClass" else None
    if what in ("Issuer", "Profile"):
        iss = issuer(doc)
        title = iss.name if iss else None
    else:
        iss = issuer(doc.get("issuer"))
        title = ach.name if ach else f.text(doc.get("name"))
    if what == "Endorsement" and not title:
        comment = f.text(f.obj(doc.get("claim")).get("endorsementComment"))
        title = comment
    return Credential(
        format=Format.OB2_SIGNED if signed else Format.OB2_OTHER,
        original=original,
        payload=payload,
        document=doc,
        credential_id=object_id,
        spec_version=spec,
        title=title,
        description=f.text(doc.get("description")),
        image=f.image(doc.get("image")),
        issuer=iss,
        achievement=ach,
        issued=parse_date(doc.get("issuedOn")),
        endorsements=tuple(as_list(doc.get("endorsement"))),
        hosted_url=object_id if _is_http(object_id) and not signed else None,
    )
