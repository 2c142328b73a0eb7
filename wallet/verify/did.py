"""Issuer keys: did:key, did:jwk, did:web and https controller documents, to a usable public key.

Why our own resolver: the verifier needs three things from a verification method and nothing more —
the public key, *who controls it* (it must be the credential's issuer) and *what it may be used for*
(``assertionMethod`` for issuing credentials).  A general DID library would fetch whatever a
document points to; here every document comes through the Fetcher (recorded as evidence, with the
network policy applied) and nothing else is followed.

Supported: ``did:key`` (Ed25519, P-256, P-384 Multikey), ``did:jwk``, ``did:web`` (host, port,
paths, ``.well-known``), https controller documents (Multikey, Ed25519VerificationKey2020/2018,
JsonWebKey/JsonWebKey2020), and bare JWK / JWK Set documents for VC-JWT ``kid`` URLs.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from cryptography.hazmat.primitives.asymmetric import ed25519

from wallet.codecs import safejson
from wallet.errors import VerificationError, WalletError
from wallet.i18n import N_, _
from wallet.verify import documents
from wallet.verify.context import VerifyContext
from wallet.verify.keys import b58decode, b64url_decode, from_multikey, jwk_of, key_from_jwk

ASSERTION = "assertionMethod"
AUTHENTICATION = "authentication"
RELATIONSHIPS = (ASSERTION, AUTHENTICATION, "capabilityInvocation", "capabilityDelegation")
MAX_DOC_BYTES = 256 * 1024
ACCEPT_DID = "application/did+json, application/did+ld+json, application/ld+json, application/json"
DOC_CACHE_PREFIX = "did-doc:"


class KeyUnavailable(VerificationError):
    """The key document could not be had (offline, unreachable, HTTP error): check incomplete."""

    code = "key-unavailable"
    default_message = N_("The issuer's key {key} could not be retrieved: {reason}")


class KeyInvalid(VerificationError):
    """The key is malformed, unknown to its controller, or not allowed for this purpose."""

    code = "key-invalid"
    default_message = N_("The issuer's key {key} cannot be used: {reason}")


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """A resolved verification method."""

    id: str
    controller: str | None
    """Who controls the key (a DID or URL); ``None`` for a bare JWK that names no controller."""
    kind: str
    """``Ed25519`` | ``P-256`` | ``P-384`` | ``RSA``."""
    jwk: dict[str, str]
    """The public key as a JWK (for joserfc)."""
    public_key: Any
    """The ``cryptography`` public key object."""
    method: str
    """``did:key`` | ``did:jwk`` | ``did:web`` | ``https`` | ``jwk``."""
    purposes: frozenset[str]
    """Verification relationships the controller grants this key."""


# --------------------------------------------------------------------------- resolution

_PURE_KEYS: LRUCache[str, VerificationKey] = LRUCache(maxsize=512)
"""did:key / did:jwk keys: pure functions of the identifier, safe to keep process-wide."""


def split_url(url: str) -> tuple[str, str]:
    base, _sep, fragment = url.partition("#")
    return base, fragment


async def resolve(vm_url: str, ctx: VerifyContext) -> VerificationKey:
    """Resolve a verification method URL (DID URL or https URL) to a key.

    Raises :class:`KeyUnavailable` (could not fetch) or :class:`KeyInvalid` (bad/unknown key).
    """
    if not isinstance(vm_url, str) or not vm_url or len(vm_url) > 8192:
        raise KeyInvalid(key=str(vm_url)[:100], reason=_("no verification method was named"))
    if vm_url.startswith("did:key:"):
        return _did_key(vm_url)
    if vm_url.startswith("did:jwk:"):
        return _did_jwk(vm_url)
    if vm_url.startswith("did:web:"):
        return await _did_web(vm_url, ctx)
    if vm_url.startswith("https://") or vm_url.startswith("http://"):
        return await _https(vm_url, ctx)
    method = ":".join(vm_url.split(":")[:2])
    raise KeyUnavailable(
        key=vm_url, reason=_("the key method {method} is not supported").format(method=method)
    )


def _did_key(vm_url: str) -> VerificationKey:
    cached = _PURE_KEYS.get(vm_url)
    if cached is not None:
        return cached
    did, fragment = split_url(vm_url)
    ident = did[len("did:key:") :]
    if fragment and fragment != ident:
        raise KeyInvalid(key=vm_url, reason=_("the fragment does not name the did:key's own key"))
    try:
        kind, public = from_multikey(ident)
    except ValueError as exc:
        raise KeyInvalid(key=vm_url, reason=_("malformed did:key"), detail=str(exc)) from exc
    key = VerificationKey(
        id=f"{did}#{ident}",
        controller=did,
        kind=kind,
        jwk=jwk_of(kind, public),
        public_key=public,
        method="did:key",
        purposes=frozenset(RELATIONSHIPS),
    )
    _PURE_KEYS[vm_url] = key
    return key


def _did_jwk(vm_url: str) -> VerificationKey:
    cached = _PURE_KEYS.get(vm_url)
    if cached is not None:
        return cached
    did, fragment = split_url(vm_url)
    if fragment not in ("", "0"):
        raise KeyInvalid(key=vm_url, reason=_("a did:jwk has only the key #0"))
    try:
        jwk = safejson.loads(b64url_decode(did[len("did:jwk:") :]), source="did:jwk")
        kind, public, clean = key_from_jwk(jwk)
    except WalletError as exc:
        raise KeyInvalid(key=vm_url, reason=_("malformed did:jwk"), detail=str(exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise KeyInvalid(key=vm_url, reason=_("malformed did:jwk"), detail=str(exc)) from exc
    key = VerificationKey(
        id=f"{did}#0",
        controller=did,
        kind=kind,
        jwk=clean,
        public_key=public,
        method="did:jwk",
        purposes=frozenset(RELATIONSHIPS),
    )
    _PURE_KEYS[vm_url] = key
    return key


_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$")


def did_web_url(did: str) -> str:
    """The https URL of a did:web document (did-method-web §3.2); raises ValueError."""
    parts = did[len("did:web:") :].split(":")
    host = urllib.parse.unquote(parts[0])
    if not _HOST.match(host):
        raise ValueError(f"invalid did:web host {host!r}")
    path = [urllib.parse.unquote(p) for p in parts[1:]]
    if any(not p or "/" in p or p in (".", "..") for p in path):
        raise ValueError("invalid did:web path")
    if not path:
        return f"https://{host}/.well-known/did.json"
    return f"https://{host}/{'/'.join(urllib.parse.quote(p) for p in path)}/did.json"


async def _did_web(vm_url: str, ctx: VerifyContext) -> VerificationKey:
    did, _fragment = split_url(vm_url)
    doc = await _did_web_document(did, vm_url, ctx)
    return _from_controller_doc(doc, vm_url, did, "did:web")


async def _did_web_document(did: str, key_ref: str, ctx: VerifyContext) -> dict[str, Any]:
    try:
        url = did_web_url(did)
    except ValueError as exc:
        raise KeyInvalid(key=key_ref, reason=_("malformed did:web"), detail=str(exc)) from exc
    doc = await fetch_document(url, key_ref, ctx)
    if doc.get("id") != did:
        raise KeyInvalid(key=key_ref, reason=_("the DID document is for another DID"))
    return doc


async def key_by_jwk(did: str, jwk: dict[str, str], ctx: VerifyContext) -> VerificationKey:
    """The verification method of ``did`` whose public key is ``jwk`` (a VC-JWT ``jwk`` header
    with no ``kid``).  Only the DID's own document can say an embedded key is the DID's: a key
    it does not list is refused (:class:`KeyInvalid`), one we cannot look up is unavailable."""
    if did.startswith(("did:key:", "did:jwk:")):
        own = await resolve(did, ctx)
        if own.jwk != jwk:
            raise KeyInvalid(key=did, reason=_("the embedded key is not the DID's key"))
        return own
    if not did.startswith("did:web:"):
        method = ":".join(did.split(":")[:2])
        raise KeyUnavailable(
            key=did, reason=_("the key method {method} is not supported").format(method=method)
        )
    base = split_url(did)[0]
    doc = await _did_web_document(base, did, ctx)
    for entry in _methods(doc, base):
        try:
            _kind, _public, material = _key_material(entry)
        except ValueError:
            continue
        if material == jwk:
            return _from_controller_doc(doc, _absolute(entry["id"], base), base, "did:web")
    raise KeyInvalid(key=did, reason=_("its DID document does not list the embedded key"))


async def _https(vm_url: str, ctx: VerifyContext) -> VerificationKey:
    base, _fragment = split_url(vm_url)
    doc = await fetch_document(base, vm_url, ctx)
    if "kty" in doc or isinstance(doc.get("keys"), list):
        return _from_jwk_doc(doc, vm_url)
    if doc.get("id") not in (None, base, vm_url):
        raise KeyInvalid(
            key=vm_url, reason=_("the key document at this address says it is another document")
        )
    if doc.get("id") == vm_url and ("publicKeyMultibase" in doc or "publicKeyJwk" in doc):
        # A verification method document on its own: its controller's document must list it.
        controller = doc.get("controller")
        if not isinstance(controller, str):
            raise KeyInvalid(key=vm_url, reason=_("the key document names no controller"))
        if not controller.startswith("https://"):
            raise KeyInvalid(key=vm_url, reason=_("an https key must have an https controller"))
        controller_doc = await fetch_document(split_url(controller)[0], vm_url, ctx)
        return _from_controller_doc(controller_doc, vm_url, controller, "https")
    return _from_controller_doc(doc, vm_url, base, "https")


def _from_jwk_doc(doc: dict[str, Any], vm_url: str) -> VerificationKey:
    keys = doc["keys"] if isinstance(doc.get("keys"), list) else [doc]
    candidates = [k for k in keys if isinstance(k, dict) and k.get("kid") == vm_url]
    if not candidates and len(keys) == 1:
        candidates = keys
    if len(candidates) != 1:
        raise KeyInvalid(key=vm_url, reason=_("the key set has no single key with this id"))
    jwk = candidates[0]
    if jwk.get("use") not in (None, "sig"):
        raise KeyInvalid(key=vm_url, reason=_("the key is not meant for signatures"))
    try:
        kind, public, clean = key_from_jwk(jwk)
    except ValueError as exc:
        raise KeyInvalid(key=vm_url, reason=str(exc)) from exc
    # A bare JWK proves nothing about who controls it: a ``controller`` member is believed only
    # for a controller on the key's own origin (whoever runs that origin could publish the key
    # anyway).  Otherwise the key speaks for no one, and callers fall back to the origin rule.
    controller = jwk.get("controller") or doc.get("controller")
    if not isinstance(controller, str) or not _same_origin(controller, vm_url):
        controller = None
    return VerificationKey(
        id=vm_url,
        controller=controller,
        kind=kind,
        jwk=clean,
        public_key=public,
        method="jwk",
        purposes=frozenset({ASSERTION, AUTHENTICATION}),
    )


def _same_origin(first: str, second: str) -> bool:
    a, b = urllib.parse.urlsplit(first), urllib.parse.urlsplit(second)
    return (
        a.scheme == b.scheme == "https" and bool(a.netloc) and a.netloc.lower() == b.netloc.lower()
    )


def _absolute(ref: str, doc_id: str) -> str:
    return doc_id + ref if ref.startswith("#") else ref


def _methods(doc: dict[str, Any], doc_id: str) -> Iterator[dict[str, Any]]:
    for key in ("verificationMethod", *RELATIONSHIPS, "publicKey"):
        entries = doc.get(key)
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                yield entry


def _from_controller_doc(
    doc: dict[str, Any], vm_url: str, doc_id: str, method: str
) -> VerificationKey:
    found = None
    for entry in _methods(doc, doc_id):
        if _absolute(entry["id"], doc_id) == vm_url:
            found = entry
            break
    if found is None:
        raise KeyInvalid(key=vm_url, reason=_("the controller document does not list this key"))
    purposes = set()
    for relationship in RELATIONSHIPS:
        entries = doc.get(relationship)
        for granted in entries if isinstance(entries, list) else [entries]:
            ref = granted.get("id") if isinstance(granted, dict) else granted
            if isinstance(ref, str) and _absolute(ref, doc_id) == vm_url:
                purposes.add(relationship)
    controller = found.get("controller", doc_id)
    if not isinstance(controller, str):
        raise KeyInvalid(key=vm_url, reason=_("the key's controller is malformed"))
    if _absolute(controller, doc_id) != doc_id:
        # The document may list a key "controlled by" anyone it likes; only the controller's own
        # document can grant that (CID 1.0: the method's controller is the document's id).
        raise KeyInvalid(
            key=vm_url,
            reason=_(
                "the key claims the controller {controller}, but {document} publishes it"
            ).format(controller=controller[:200], document=doc_id[:200]),
        )
    try:
        kind, public, jwk = _key_material(found)
    except ValueError as exc:
        raise KeyInvalid(key=vm_url, reason=str(exc)) from exc
    return VerificationKey(
        id=vm_url,
        controller=_absolute(controller, doc_id),
        kind=kind,
        jwk=jwk,
        public_key=public,
        method=method,
        purposes=frozenset(purposes),
    )


def _key_material(vm: dict[str, Any]) -> tuple[str, Any, dict[str, str]]:
    if isinstance(vm.get("publicKeyMultibase"), str):
        value = vm["publicKeyMultibase"]
        if vm.get("type") == "Ed25519VerificationKey2018":
            raise ValueError("Ed25519VerificationKey2018 uses publicKeyBase58")
        kind, public = from_multikey(value)
        return kind, public, jwk_of(kind, public)
    if isinstance(vm.get("publicKeyJwk"), dict):
        return key_from_jwk(vm["publicKeyJwk"])
    if (
        isinstance(vm.get("publicKeyBase58"), str)
        and vm.get("type") == "Ed25519VerificationKey2018"
    ):
        public = ed25519.Ed25519PublicKey.from_public_bytes(b58decode(vm["publicKeyBase58"]))
        return "Ed25519", public, jwk_of("Ed25519", public)
    raise ValueError("the verification method carries no supported public key")


async def fetch_document(url: str, key_ref: str, ctx: VerifyContext) -> dict[str, Any]:
    """A key/controller document by URL through the Fetcher, memoised for the run."""
    cache_key = DOC_CACHE_PREFIX + url
    cached = ctx.cache.get(cache_key)
    if isinstance(cached, dict):
        return cached
    if isinstance(cached, VerificationError):
        raise cached
    try:
        doc = await _fetch(url, key_ref, ctx)
    except VerificationError as exc:
        ctx.cache[cache_key] = exc
        raise
    ctx.cache[cache_key] = doc
    return doc


async def _fetch(url: str, key_ref: str, ctx: VerifyContext) -> dict[str, Any]:
    try:
        return await documents.fetch_object(
            ctx.fetcher, url, accept=ACCEPT_DID, max_bytes=MAX_DOC_BYTES
        )
    except documents.DocumentError as exc:
        if exc.failure is documents.Failure.HTTP:
            reason = _("{url} answered HTTP {status}").format(url=url, status=exc.status)
        elif exc.failure is documents.Failure.NOT_OBJECT:
            reason = _("the key document is not a JSON object")
        else:
            reason = exc.reason
        error = KeyUnavailable if exc.unavailable else KeyInvalid
        raise error(key=key_ref, reason=reason, detail=exc.detail) from exc
