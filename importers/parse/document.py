"""Dispatch one credential text (JSON document, compact JWS/JWT, or a bare URL) to its normaliser.

Why here and not in each importer: a PNG, an SVG, a file, stdin and an HTTP answer can all hold any
of these; the container importers unwrap and call :func:`from_text`.  The classification is by
content (types, contexts, claims), never by file name.
"""

from __future__ import annotations

import json
import re

from importers.parse import fields as f
from importers.parse import jose, ob2, ob3
from wallet.codecs import safejson
from wallet.codecs.nodes import as_list
from wallet.errors import MalformedInput, UnsafeInput, UnsupportedInput
from wallet.i18n import N_, _
from wallet.model import Credential, Format, Json, Original
from wallet.ports import Found, UrlReference

MAX_NESTING = 4
MAX_CHILDREN = 1000
MAX_URL_LENGTH = 4096
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]{0,31}):\S*$")
_DANGEROUS_SCHEMES = {"file", "javascript", "data", "vbscript", "ftp", "gopher", "ldap", "jar"}


def from_text(data: bytes, *, original: Original) -> list[Found]:
    """Whatever credential ``data`` holds: JSON, a compact JWS/JWT, or one URL."""
    source = original.source
    token = jose.strip_token(data)
    if not token:
        raise UnsupportedInput(source=source, detail="empty")
    if safejson.looks_like_json(token):
        return from_json_bytes(token, original=original)
    if jose.looks_like_compact(token):
        return [from_jws(token, original=original)]
    reference = url_reference(token, original=original)
    if reference is not None:
        return [reference]
    raise UnsupportedInput(source=source)


def url_reference(token: bytes, *, original: Original) -> UrlReference | None:
    """A single URL as a pointer to resolve; refuses schemes other than http(s) clearly."""
    if len(token) > MAX_URL_LENGTH or b"\n" in token:
        return None
    try:
        text = token.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    match = _SCHEME.match(text)
    if not match:
        return None
    scheme = match.group(1).lower()
    if scheme in ("http", "https"):
        if len(text) <= len(scheme) + 3:
            return None
        return UrlReference(
            url=text,
            found_in=original.source,
            original=original.data,
            media_type=original.media_type,
        )
    if scheme in _DANGEROUS_SCHEMES or text[len(scheme) + 1 :].startswith("//"):
        raise UnsafeInput(
            source=original.source,
            reason=_(
                "it points to a {scheme}: address; only http and https links are followed"
            ).format(scheme=scheme),
        )
    return None


def from_json_bytes(data: bytes, *, original: Original) -> list[Found]:
    """Parse JSON within caps and normalise it; ``payload`` is ``data`` exactly as found."""
    doc = safejson.loads(data, source=original.source)
    return from_document(doc, payload=data, original=original)


def from_document(doc: Json, *, payload: bytes, original: Original, depth: int = 0) -> list[Found]:
    """Normalise a parsed JSON document (a credential, a presentation, or a list of them)."""
    source = original.source
    if isinstance(doc, list):
        if not doc:
            raise UnsupportedInput(source=source, detail="empty JSON array")
        if len(doc) > MAX_CHILDREN:
            raise UnsafeInput(
                source=source,
                reason=_("more than {limit} items in one JSON array").format(limit=MAX_CHILDREN),
            )
        found: list[Found] = []
        for index, item in enumerate(doc):
            found.extend(_child(item, original, f"{index}", depth + 1))
        return found
    if not isinstance(doc, dict):
        raise UnsupportedInput(source=source, detail="JSON scalar")
    return [credential_from_object(doc, payload=payload, original=original, depth=depth)]


def credential_from_object(
    doc: dict[str, Json], *, payload: bytes, original: Original, depth: int = 0
) -> Credential:
    """One JSON object -> one Credential (CLR and VP carry their nested ones as children)."""
    source = original.source
    types = f.types_of(doc)
    if "payload" in doc and ("signatures" in doc or "signature" in doc):
        return _jades(doc, payload=payload, original=original)
    if "VerifiablePresentation" in types:
        return _presentation(doc, payload=payload, original=original, depth=depth, fmt=Format.VP)
    if "ClrCredential" in types:
        return _clr(doc, payload=payload, original=original, depth=depth, fmt=Format.CLR)
    if f.is_edc(doc):
        from importers.parse import edc  # the ELM reader: only for European credentials

        return edc.to_credential(doc, payload=payload, original=original, fmt=Format.EDC_JSONLD)
    if ob3.is_vc(doc) or ob3.is_open_badge(doc):
        fmt = Format.OB3_DATA_INTEGRITY if doc.get("proof") else Format.OB3_UNSIGNED
        return ob3.to_credential(doc, payload=payload, original=original, fmt=fmt)
    if ob2.is_ob2(doc):
        return ob2.to_credential(doc, payload=payload, original=original)
    if set(doc) == {"@context"}:
        raise UnsupportedInput(
            source=source, hint=N_("It is a JSON-LD context document, not a credential.")
        )
    raise UnsupportedInput(source=source)


def from_jws(token: bytes, *, original: Original) -> Credential:
    """A compact JWS/JWT: OB 2.0 signed assertion, OB 3.0 VC-JWT, CLR or VP in a JWT."""
    jws = jose.decode_compact(token, source=original.source)
    claims = jws.claims
    assert isinstance(claims, dict)
    if isinstance(claims.get("vp"), dict):
        return _presentation(
            claims["vp"], payload=jws.raw, original=original, depth=0, fmt=Format.VP, claims=claims
        )
    doc = claims["vc"] if isinstance(claims.get("vc"), dict) else claims
    types = f.types_of(doc)
    if "VerifiablePresentation" in types:
        return _presentation(
            doc, payload=jws.raw, original=original, depth=0, fmt=Format.VP, claims=claims
        )
    if "ClrCredential" in types:
        return _clr(doc, payload=jws.raw, original=original, depth=0, fmt=Format.CLR, claims=claims)
    if ob3.is_vc(doc) or ob3.is_open_badge(doc):
        if f.is_edc(doc):
            from importers.parse import edc

            return edc.to_credential(doc, payload=jws.raw, original=original, fmt=Format.OB3_VC_JWT)
        return ob3.to_credential(
            doc, payload=jws.raw, original=original, fmt=Format.OB3_VC_JWT, claims=claims
        )
    if ob2.is_ob2(doc):
        return ob2.to_credential(doc, payload=jws.raw, original=original, signed=True)
    raise UnsupportedInput(
        source=original.source, hint=N_("It is a signed token, but what it carries is not a badge.")
    )


def _child(item: Json, parent: Original, where: str, depth: int) -> list[Found]:
    """A nested credential: a JSON object, a compact JWT string, or an enveloped VC."""
    source = f"{parent.source}#{where}"
    if depth > MAX_NESTING:
        raise UnsafeInput(
            source=parent.source,
            reason=_("credentials nested more than {limit} levels deep").format(limit=MAX_NESTING),
        )
    if isinstance(item, dict) and "EnvelopedVerifiableCredential" in f.types_of(item):
        envelope = f.ident(item) or ""
        body = envelope.partition(",")[2]
        item = body
    if isinstance(item, str):
        data = item.strip().encode("utf-8")
        original = Original(data=data, media_type="application/jwt", source=source)
        if not jose.looks_like_compact(data):
            raise MalformedInput(
                source=source, reason=_("a nested credential is neither JSON nor a JWT")
            )
        return [from_jws(data, original=original)]
    if isinstance(item, dict):
        data = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        original = Original(data=data, media_type="application/ld+json", source=source)
        return [credential_from_object(item, payload=data, original=original, depth=depth)]
    raise MalformedInput(source=source, reason=_("a nested credential is neither JSON nor a JWT"))


def _children(items: Json, parent: Original, pointer: str, depth: int) -> tuple[Credential, ...]:
    found: list[Credential] = []
    listed = as_list(items)
    if len(listed) > MAX_CHILDREN:
        raise UnsafeInput(
            source=parent.source,
            reason=_("more than {limit} nested credentials").format(limit=MAX_CHILDREN),
        )
    for index, item in enumerate(listed):
        for child in _child(item, parent, f"{pointer}/{index}", depth + 1):
            if isinstance(child, Credential):
                found.append(child)
    return tuple(found)


def _presentation(
    doc: dict[str, Json],
    *,
    payload: bytes,
    original: Original,
    depth: int,
    fmt: Format,
    claims: dict[str, Json] | None = None,
) -> Credential:
    from dataclasses import replace

    children = _children(doc.get("verifiableCredential"), original, "/verifiableCredential", depth)
    base = ob3.to_credential(doc, payload=payload, original=original, fmt=fmt, claims=claims)
    holder = f.ident(doc.get("holder")) or (claims or {}).get("iss")
    recipient = base.recipient
    if holder and isinstance(holder, str):
        recipient = ob3.recipient({"id": holder})
    return replace(
        base,
        spec_version=ob3.vc_version(doc),
        title=base.title,
        issuer=None,
        recipient=recipient,
        children=children,
    )


def _clr(
    doc: dict[str, Json],
    *,
    payload: bytes,
    original: Original,
    depth: int,
    fmt: Format,
    claims: dict[str, Json] | None = None,
) -> Credential:
    from dataclasses import replace

    subject = f.obj(
        as_list(doc.get("credentialSubject"))[0] if as_list(doc.get("credentialSubject")) else None
    )
    children = _children(
        subject.get("verifiableCredential"),
        original,
        "/credentialSubject/verifiableCredential",
        depth,
    )
    base = ob3.to_credential(doc, payload=payload, original=original, fmt=fmt, claims=claims)
    associations = tuple(a for a in as_list(subject.get("association")) if isinstance(a, dict))
    return replace(base, spec_version="clr-2.0", children=children, associations=associations)


def _jades(doc: dict[str, Json], *, payload: bytes, original: Original) -> Credential:
    """A JAdES / JWS JSON serialisation ``{payload, signatures}`` holding an EDC.

    ``payload`` of the Credential is the whole wrapper as found (the signature covers the
    protected header and the payload string together, like a compact JWS); ``document`` is the
    credential inside.
    """
    source = original.source
    signatures = doc.get("signatures")
    headers = [s for s in as_list(signatures) if isinstance(s, dict)] or [doc]
    b64 = True
    for signature in headers:
        protected = signature.get("protected")
        if not isinstance(protected, str):
            raise MalformedInput(
                source=source, reason=_("the JWS JSON signature has no protected header")
            )
        try:
            header = safejson.loads(jose.b64url_decode(protected), source=source, max_depth=32)
        except (ValueError, TypeError) as exc:
            raise MalformedInput(
                source=source,
                reason=_("a part of the JWS is not valid base64url"),
                detail=repr(exc),
            ) from exc
        if not isinstance(header, dict):
            raise MalformedInput(source=source, reason=_("the JWS header is not a JSON object"))
        jose.check_algorithm(header, source=source)
        if header.get("b64") is False:
            b64 = False
    body = doc.get("payload")
    if not isinstance(body, str):
        raise MalformedInput(source=source, reason=_("the JWS JSON payload is not a string"))
    try:
        inner_bytes = body.encode("utf-8") if not b64 else jose.b64url_decode(body)
    except (ValueError, TypeError) as exc:
        raise MalformedInput(
            source=source, reason=_("a part of the JWS is not valid base64url"), detail=repr(exc)
        ) from exc
    inner = safejson.loads(inner_bytes, source=source)
    if not isinstance(inner, dict) or not f.is_edc(inner):
        raise UnsupportedInput(
            source=source,
            hint=N_("It is a JWS JSON document, but not a sealed European Digital Credential."),
        )
    from importers.parse import edc

    return edc.to_credential(inner, payload=payload, original=original, fmt=Format.EDC_JADES)
