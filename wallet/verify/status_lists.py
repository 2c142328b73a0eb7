"""Status list credentials in every form issuers publish them, and their bitstrings.

Why a module of its own: :mod:`wallet.verify.status` decides what a status entry means for the
credential; this module only turns the bytes at a ``statusListCredential`` URL into a list
credential and its bits.  Real issuers publish the same list in several forms:

* JSON-LD secured with a Data Integrity proof (``application/vc+ld+json``, ``application/json``);
* a VC-JWT (``.jwt`` files, ``application/vc+jwt``): the payload is the list credential (VC 2.0) or
  carries it in its ``vc`` claim (VC 1.1);
* a VC 2.0 ``EnvelopedVerifiableCredential`` whose ``id`` is ``data:application/vc+jwt,<token>``;
* unsigned JSON, which is read but never trusted.

``encodedList`` is GZIP-compressed and base64url-encoded; Bitstring Status List adds the multibase
``u`` prefix, StatusList2021 lists usually lack it and some publish standard base64 with padding.
All of these decode: the encoding is no evidence about the credential, only the signature is.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from wallet.codecs import safejson
from wallet.codecs.dates import format_date
from wallet.errors import InputError
from wallet.i18n import _
from wallet.model import CheckStatus, Json
from wallet.verify import vcjwt

MAX_BITSTRING_BYTES = 16 * 1024 * 1024
"""Decompressed cap (a gzip bomb must not exhaust memory); 16 MiB = 134 million entries."""
ACCEPT = (
    "application/vc+ld+json, application/vc+jwt, application/ld+json, application/json, "
    "application/jwt;q=0.9, */*;q=0.1"
)
_ENVELOPE_PREFIXES = (
    "data:application/vc+jwt,",
    "data:application/jwt,",
    "data:application/vc+sd-jwt,",
)
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]*={0,2}$")


class ListUnreadable(ValueError):
    """The document at the list URL is neither a list credential nor a VC-JWT holding one."""


@dataclass(frozen=True, slots=True)
class ListForm:
    """A status list credential as published."""

    credential: dict[str, Any]
    """The list credential as a JSON object (a JWT's claims folded in, as for credentials)."""
    jwt: vcjwt.DecodedJwt | None = None
    """The VC-JWT it came in (directly or enveloped); None for JSON-LD."""

    @property
    def form(self) -> str:
        return "vc-jwt" if self.jwt is not None else "json-ld"


def parse_list(body: bytes, url: str, *, max_bytes: int) -> ListForm:
    """The list credential in ``body``; raises :class:`ListUnreadable`."""
    text = body.strip().removeprefix(b"\xef\xbb\xbf").strip()
    if vcjwt.looks_like_jwt(text):
        return _from_token(text.decode("ascii"))
    try:
        doc = safejson.loads(text, source=url, max_bytes=max_bytes)
    except InputError as exc:
        raise ListUnreadable(exc.user_message()) from exc
    if isinstance(doc, str) and vcjwt.looks_like_jwt(doc):
        return _from_token(doc)  # a JSON string holding the token (seen in the wild)
    if not isinstance(doc, dict):
        raise ListUnreadable(_("The status list is not a JSON object."))
    types = doc.get("type")
    if "EnvelopedVerifiableCredential" in (types if isinstance(types, list) else [types]):
        return _from_token(_enveloped_token(doc))
    return ListForm(credential=doc)


def _enveloped_token(doc: dict[str, Any]) -> str:
    ident = doc.get("id")
    if isinstance(ident, str):
        for prefix in _ENVELOPE_PREFIXES:
            if ident.startswith(prefix):
                return ident[len(prefix) :].split("~", 1)[0]
    raise ListUnreadable(_("The enveloped status list does not carry a VC-JWT."))


def _from_token(token: str) -> ListForm:
    try:
        jwt = vcjwt.decode(token)
    except vcjwt.MalformedJwt as exc:
        raise ListUnreadable(_("The status list JWT is malformed.")) from exc
    credential = dict(jwt.credential)
    if jwt.claim == "" and "issuer" not in credential and isinstance(jwt.payload.get("iss"), str):
        credential["issuer"] = jwt.payload["iss"]
    nbf, exp = vcjwt.jwt_dates(jwt)
    # The claims bound the list's validity as much as the dates inside it do.
    if nbf is not None and "validFrom" not in credential and "issuanceDate" not in credential:
        credential["validFrom"] = format_date(nbf)
    if exp is not None and "validUntil" not in credential and "expirationDate" not in credential:
        credential["validUntil"] = format_date(exp)
    return ListForm(credential=credential, jwt=jwt)


def decode_bits(value: Json) -> bytes:
    """The bitstring of an ``encodedList``: multibase ``u`` or bare base64(url), GZIP inside.

    Raises ValueError saying what is wrong; the caller makes that an unknown status, never a
    verdict on the credential.
    """
    if not isinstance(value, str) or not value:
        raise ValueError("no encodedList")
    text = value.strip()
    candidates = [text[1:], text] if text.startswith("u") else [text]
    errors = []
    for candidate in candidates:
        try:
            return _gunzip(_base64(candidate))
        except ValueError as exc:
            errors.append(str(exc))
    raise ValueError("; ".join(errors))


def _base64(text: str) -> bytes:
    if not _BASE64.match(text):
        raise ValueError("not base64url")
    normal = text.rstrip("=").replace("+", "-").replace("/", "_")
    try:
        return base64.urlsafe_b64decode(normal + "=" * (-len(normal) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not base64url: {exc}") from exc


def _gunzip(compressed: bytes) -> bytes:
    # wbits 32+: GZIP or zlib, whichever header the list has (some issuers deflate with zlib).
    try:
        inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)
        bits = inflater.decompress(compressed, MAX_BITSTRING_BYTES)
        if inflater.unconsumed_tail:
            raise ValueError("bitstring larger than the cap")
    except zlib.error as exc:
        raise ValueError(f"not gzip: {exc}") from exc
    if not bits:
        raise ValueError("empty bitstring")
    return bits


async def jwt_list_proof(
    jwt: vcjwt.DecodedJwt, url: str, ctx: Any, controllers: Collection[str]
) -> tuple[CheckStatus, str, str] | None:
    """None when the list's VC-JWT is signed by one of ``controllers``; else (status, message,
    detail) saying why the list cannot be believed."""
    outcome = None
    for controller in sorted(controllers):
        outcome = await vcjwt.verify_signature(jwt, ctx, controller)
        if outcome.status is CheckStatus.PASS and outcome.key_status is CheckStatus.PASS:
            problems = vcjwt.claim_problems(jwt)
            if problems:
                return (
                    CheckStatus.FAIL,
                    _("The status list JWT's claims contradict the list: {problems}.").format(
                        problems="; ".join(problems)
                    ),
                    url,
                )
            return None
    if outcome is None:
        return CheckStatus.FAIL, _("The status list credential names no issuer."), url
    message = _("The status list credential's proof is not valid: {reason}").format(
        reason=outcome.key_message if outcome.status is CheckStatus.PASS else outcome.message
    )
    return outcome.status, message, f"{url}: {outcome.detail}"
