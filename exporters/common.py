"""Helpers the exporters share: file names, report JSON, evidence lookup, raw JSON splicing.

Why raw splicing: a Verifiable Presentation or a CLR must *contain* the learner's credentials, and
exporters never re-serialise a signed payload (a JSON re-dump changes bytes, key order, escapes and
number forms; JCS/RDF proofs survive that, but a human comparing files or a byte-level check would
not).  So the outer document is written with ``json.dumps`` around placeholders that are then
replaced by the original payload text, verbatim.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from wallet.bundle.summary import credential_image
from wallet.codecs import safejson
from wallet.errors import ExportError, WalletError
from wallet.i18n import _
from wallet.model import (
    Credential,
    FetchRecord,
    Format,
    Json,
    VerificationReport,
)
from wallet.ports import ExportRequest

_COMPACT_JWS = re.compile(rb"^\s*[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\s*$")
MAX_INLINE_IMAGE = 512 * 1024
"""Images above this are left out of summary.html (it must stay small enough to e-mail)."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_compact_jws(data: bytes) -> bool:
    return len(data) < 16 * 1024 * 1024 and bool(_COMPACT_JWS.match(data))


def extension_for(credential: Credential) -> str:
    """The file extension of the credential's original bytes (bundle.md: .png .svg .jws .jwt .json)."""
    media = credential.original.media_type.lower()
    data = credential.original.data
    if media == "image/png" or data.startswith(b"\x89PNG"):
        return "png"
    if "svg" in media:
        return "svg"
    if is_compact_jws(data):
        return "jwt" if credential.format is Format.OB3_VC_JWT else "jws"
    return "json"


def media_type_for_extension(ext: str) -> str:
    return {
        "png": "image/png",
        "svg": "image/svg+xml",
        "jws": "application/jose",
        "jwt": "application/jwt",
        "json": "application/json",
        "html": "text/html",
    }.get(ext, "application/octet-stream")


def safe_name(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-") or "credential"


def credential_for(request: ExportRequest, wallet_id: str) -> Credential:
    try:
        return request.credentials[wallet_id]
    except KeyError:
        raise ExportError(
            reason=_("credential {id} was not given to the exporter").format(id=wallet_id)
        ) from None


# --------------------------------------------------------------------------- reports as JSON


def all_records(report: VerificationReport) -> Iterator[FetchRecord]:
    yield from report.evidence
    for child in report.children:
        yield from all_records(child)


# --------------------------------------------------------------------------- evidence documents


def linked_documents(
    report: VerificationReport | None, evidence: Mapping[str, bytes]
) -> dict[str, Json]:
    """URL -> parsed JSON of the documents a verification used (OB 2.0 BadgeClass, Issuer…)."""
    docs: dict[str, Json] = {}
    if report is None:
        return docs
    for record in all_records(report):
        body = evidence.get(record.sha256)
        if body is None or not (200 <= record.status < 300) or "json" not in record.content_type:
            continue
        try:
            parsed = safejson.loads(body, source=record.url)
        except WalletError:
            continue
        for url in (record.url, record.final_url):
            docs.setdefault(url, parsed)
    return docs


def captured_documents(
    report: VerificationReport | None, evidence: Mapping[str, bytes]
) -> dict[str, tuple[str, bytes]]:
    """URL -> (content type, body) of what a verification fetched and the wallet still holds;
    the last capture of a URL wins, as in the bundle manifest's per-credential evidence list."""
    found: dict[str, tuple[str, bytes]] = {}
    for record in all_records(report) if report is not None else ():
        body = evidence.get(record.sha256)
        if body is not None and 200 <= record.status < 300:
            found[record.url] = (record.content_type, body)
    return found


def image_of(
    credential: Credential, report: VerificationReport | None, evidence: Mapping[str, bytes]
) -> tuple[str, bytes] | None:
    """(media type, bytes) of the badge image when we hold it: the baked original, inline image
    data, or the image document fetched during verification."""
    return credential_image(
        credential, captured_documents(report, evidence), credential.original.data
    )


# --------------------------------------------------------------------------- raw JSON splicing


class RawJson:
    """A JSON value given as its exact original text, to be spliced into an outer document."""

    def __init__(self, text: bytes) -> None:
        self.text = text.decode("utf-8-sig").strip()


def dumps_with_raw(document: Any, *, indent: int | None = 2) -> bytes:
    """``json.dumps`` of ``document`` where every :class:`RawJson` appears verbatim."""
    raws: list[RawJson] = []

    def swap(value: Any) -> Any:
        if isinstance(value, RawJson):
            raws.append(value)
            return f"\x00raw{len(raws) - 1}\x00"
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(document), indent=indent, ensure_ascii=False)
    for i, raw in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{i}\x00"), raw.text, 1)
    return (text + "\n").encode("utf-8")


def parsed_with_raw(document: Any) -> Any:
    """The same document with every :class:`RawJson` parsed (what a proof is computed over)."""
    if isinstance(document, RawJson):
        return safejson.loads(document.text, source="credential")
    if isinstance(document, dict):
        return {k: parsed_with_raw(v) for k, v in document.items()}
    if isinstance(document, list | tuple):
        return [parsed_with_raw(v) for v in document]
    return document


def embeddable(credential: Credential) -> Any:
    """How a VC goes into a presentation unchanged: its JSON text verbatim, or a VC-JWT as an
    ``EnvelopedVerifiableCredential`` (VC Data Model 2.0 §4.13) carrying the compact JWT."""
    payload = credential.payload
    if is_compact_jws(payload):
        token = payload.decode("ascii").strip()
        return {
            "@context": "https://www.w3.org/ns/credentials/v2",
            "id": f"data:application/vc+jwt,{token}",
            "type": "EnvelopedVerifiableCredential",
        }
    return RawJson(payload)


VC_FORMATS = (
    Format.OB3_DATA_INTEGRITY,
    Format.OB3_VC_JWT,
    Format.OB3_UNSIGNED,
    Format.CLR,
    Format.EDC_JSONLD,
)


def require_vcs(credentials: Sequence[Credential], allowed: Sequence[Format]) -> None:
    wrong = [c for c in credentials if c.format not in allowed]
    if wrong:
        names = ", ".join(f"{c.title or c.credential_id or '?'} ({c.format.value})" for c in wrong)
        raise ExportError(
            reason=_(
                "only Open Badges 3.0 / W3C Verifiable Credentials can go into this format: {names}"
            ).format(names=names),
            hint=_("Leave these out, or share them in a bundle, which takes every format."),
        )
