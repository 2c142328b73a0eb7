"""JAdES (ETSI TS 119 182-1) seals in the JWS JSON serialisation that EDCs use.

Why our own reader rather than a JOSE library: EDCs are sealed with ``b64: false`` (RFC 7797) and
JAdES-specific critical headers (``sigT``, ``adoTst``) that general JOSE libraries refuse or ignore,
and the seal's key comes from ``x5c``, which must also match ``x5t#S256``.  The cryptography is
the ``cryptography`` package's; only the framing is ours.

What is checked here (the *integrity* of the seal, not yet the trust in it):

- the wrapper: exactly one signature, a protected header that is a JSON object, a string payload;
- ``crit``: every name listed is present and understood, ``b64`` is listed whenever used;
- the algorithm is pinned to the key type of ``x5c[0]`` (an RSA key verifies only RS*/PS*, a
  P-256 key only ES256, …; ``none`` and HMAC never);
- ``x5t#S256`` (or ``x5t#o``) is the digest of ``x5c[0]``;
- the signature over ``ASCII(protected) || '.' || payload`` (the payload as carried when
  ``b64: false``, its base64url form otherwise).

The unsigned ``etsiU`` components (``sigTst``, ``xVals``, ``rVals``, ``arcTst``, …) are decoded
(base64url-encoded JSON or plain JSON) and handed on; they are evidence, not signed content.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wallet.errors import VerificationError
from wallet.i18n import N_, _

MAX_SEAL_BYTES = 8 * 1024 * 1024
MAX_CERTS = 10

UNDERSTOOD_CRIT = frozenset(
    {"b64", "sigT", "adoTst", "x5t#o", "sigX5ts", "srCms", "srAts", "sigPl", "sigPId", "cty"}
)
"""Critical headers we understand: all are signed attributes we report; none changes the input."""

_DIGESTS = {"S256": "sha256", "S384": "sha384", "S512": "sha512"}


class SealError(VerificationError):
    code = "edc-seal"
    default_message = N_("The seal could not be checked: {reason}")


class SealMalformed(SealError):
    code = "edc-seal-malformed"
    default_message = N_("The seal is not a well-formed JAdES signature: {reason}")


class SealAlgorithmRefused(SealError):
    code = "edc-seal-alg"
    default_message = N_("The seal algorithm {alg} is refused: {reason}")


class SealSignatureInvalid(SealError):
    code = "edc-seal-signature"
    default_message = N_("The seal does not match the sealed content or its certificate.")


@dataclass(frozen=True, slots=True)
class UnsignedProperty:
    """One ``etsiU`` component: its name, its decoded value, and the text it was carried as."""

    name: str
    value: Any
    raw: str


@dataclass(frozen=True, slots=True)
class JadesSeal:
    protected_b64: str
    header: dict[str, Any]
    payload: str
    signature_b64: str
    signature: bytes
    certificates: tuple[bytes, ...]
    unsigned: tuple[UnsignedProperty, ...] = field(default=())

    @property
    def alg(self) -> str:
        value = self.header.get("alg")
        return value if isinstance(value, str) else ""

    @property
    def signing_input(self) -> bytes:
        return f"{self.protected_b64}.{self.payload}".encode()

    @property
    def claimed_time(self) -> datetime | None:
        """``sigT``: the signer's own claim of when it sealed (not proof)."""
        return parse_time(self.header.get("sigT"))

    def unsigned_named(self, name: str) -> list[Any]:
        return [p.value for p in self.unsigned if p.name == name]


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def b64url(text: Any, what: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise SealMalformed(reason=_("the {part} is not base64url").format(part=what))
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SealMalformed(
            reason=_("the {part} is not base64url").format(part=what), detail=repr(exc)
        ) from exc


def b64std(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise SealMalformed(reason=_("the {part} is not base64").format(part=what))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SealMalformed(
            reason=_("the {part} is not base64").format(part=what), detail=repr(exc)
        ) from exc


def parse(raw: bytes) -> JadesSeal:
    """The seal of a JWS JSON document, decoded but not trusted.  Raises :class:`SealError`."""
    if len(raw) > MAX_SEAL_BYTES:
        raise SealMalformed(reason=_("it is over {limit} bytes").format(limit=MAX_SEAL_BYTES))
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SealMalformed(reason=_("it is not JSON"), detail=repr(exc)) from exc
    if not isinstance(doc, dict):
        raise SealMalformed(reason=_("it is not a JSON object"))
    signatures = doc.get("signatures")
    if signatures is None and "protected" in doc:
        signatures = [{k: doc[k] for k in ("protected", "header", "signature") if k in doc}]
    if not isinstance(signatures, list) or len(signatures) != 1:
        raise SealMalformed(reason=_("an EDC carries exactly one seal"))
    entry = signatures[0]
    payload = doc.get("payload")
    if not isinstance(entry, dict) or not isinstance(payload, str):
        raise SealMalformed(reason=_("the payload or the signature entry is missing"))
    protected_b64 = entry.get("protected")
    try:
        header = json.loads(b64url(protected_b64, "protected header"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SealMalformed(reason=_("the protected header is not JSON"), detail=repr(exc)) from exc
    if not isinstance(header, dict):
        raise SealMalformed(reason=_("the protected header is not a JSON object"))
    x5c = header.get("x5c")
    if not isinstance(x5c, list) or not x5c or len(x5c) > MAX_CERTS:
        raise SealMalformed(reason=_("the protected header carries no certificate (x5c)"))
    certificates = tuple(b64std(item, "x5c certificate") for item in x5c)
    signature_b64 = entry.get("signature")
    signature = b64url(signature_b64, "signature")
    unprotected = entry.get("header")
    return JadesSeal(
        protected_b64=str(protected_b64),
        header=header,
        payload=payload,
        signature_b64=str(signature_b64),
        signature=signature,
        certificates=certificates,
        unsigned=_unsigned(unprotected.get("etsiU") if isinstance(unprotected, dict) else None),
    )


def _unsigned(items: Any) -> tuple[UnsignedProperty, ...]:
    if items is None:
        return ()
    if not isinstance(items, list) or len(items) > 64:
        raise SealMalformed(reason=_("etsiU is not a list of unsigned properties"))
    found: list[UnsignedProperty] = []
    for item in items:
        if isinstance(item, str):
            try:
                value = json.loads(b64url(item, "etsiU component"))
            except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                raise SealMalformed(reason=_("an etsiU component is not JSON")) from exc
            raw = item
        else:
            value, raw = item, json.dumps(item, separators=(",", ":"))
        if not isinstance(value, dict) or len(value) != 1:
            raise SealMalformed(reason=_("an etsiU component is not a one-member object"))
        ((name, inner),) = value.items()
        found.append(UnsignedProperty(name=name, value=inner, raw=raw))
    return tuple(found)


def check_header(seal: JadesSeal) -> None:
    """``crit``, ``b64`` and the certificate digests, before any cryptography runs."""
    _check_alg(seal.alg)
    crit = _check_crit(seal.header)
    if "b64" in seal.header:
        if seal.header["b64"] not in (True, False):
            raise SealMalformed(reason=_("b64 is not a boolean"))
        if "b64" not in crit:
            raise SealMalformed(reason=_("b64 is used but not listed in crit"))
    if "sigT" in seal.header and seal.claimed_time is None:
        raise SealMalformed(reason=_("sigT is not a date and time"))
    _check_certificate_digests(seal.header, seal.certificates[0])
    if "sigD" in seal.header:
        raise SealMalformed(reason=_("detached seals (sigD) are not supported"))


def _check_alg(alg: str) -> None:
    if not alg or alg.lower() == "none" or alg.upper().startswith("HS"):
        raise SealAlgorithmRefused(
            alg=alg or "-", reason=_("a seal needs a public-key signature algorithm")
        )


def _check_crit(header: dict[str, Any]) -> list[str]:
    """The critical header names: each understood and present."""
    crit = header.get("crit", [])
    if not isinstance(crit, list) or not all(isinstance(c, str) for c in crit):
        raise SealMalformed(reason=_("crit is not a list of header names"))
    for name in crit:
        if name not in UNDERSTOOD_CRIT:
            raise SealMalformed(
                reason=_("the critical header {name} is not understood").format(name=name)
            )
        if name not in header:
            raise SealMalformed(reason=_("the critical header {name} is missing").format(name=name))
    return crit


def _check_certificate_digests(header: dict[str, Any], leaf: bytes) -> None:
    """``x5t#S256`` and ``x5t#o``, when given, must be digests of the sealing certificate."""
    if (
        "x5t#S256" in header
        and b64url(header["x5t#S256"], "x5t#S256") != hashlib.sha256(leaf).digest()
    ):
        raise SealMalformed(reason=_("x5t#S256 is not the digest of the sealing certificate"))
    x5to = header.get("x5t#o")
    if isinstance(x5to, dict):
        algorithm = _DIGESTS.get(
            str(x5to.get("digAlg", "")).rsplit("#", 1)[-1].upper().replace("SHA", "S")
        )
        if (
            algorithm is None
            or b64url(x5to.get("digVal"), "x5t#o") != hashlib.new(algorithm, leaf).digest()
        ):
            raise SealMalformed(reason=_("x5t#o is not the digest of the sealing certificate"))


RSA_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
"""What JAdES allows an RSA seal key (JWA); EC and Ed25519 keys get the one pin of
:func:`wallet.verify.jws.algorithms_for`."""


def verify_signature(seal: JadesSeal) -> None:
    """The signature under the key of ``x5c[0]``, the algorithm pinned to that key's type.

    The key is loaded by the verifier's shared loader (:func:`jws.public_key_from_pem`: RSA of
    at least 2048 bits, EC on a known curve, Ed25519) and the signature checked by joserfc's
    algorithm of that name, over our own JAdES signing input (``b64: false`` JWS JSON).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from wallet.verify import jws
    from wallet.verify.joserfc_quiet import JWSRegistry, OKPKey, RSAKey

    check_header(seal)
    alg = seal.alg
    try:
        public = x509.load_der_x509_certificate(seal.certificates[0]).public_key()
        pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    except (ValueError, TypeError) as exc:
        raise SealMalformed(
            reason=_("the sealing certificate cannot be read"), detail=repr(exc)
        ) from exc
    try:
        key = jws.public_key_from_pem(pem)
        allowed = RSA_ALGORITHMS if isinstance(key, RSAKey) else jws.algorithms_for(key)
    except jws.JwsKeyUnsupported as exc:
        raise SealAlgorithmRefused(alg=alg, reason=exc.params.get("reason", "")) from exc
    if isinstance(key, OKPKey):
        allowed = (*allowed, "Ed25519")  # the fully-specified name (RFC 9864)
    if alg not in allowed:
        raise SealAlgorithmRefused(
            alg=alg,
            reason=_("the certificate's key allows only {allowed}").format(
                allowed=", ".join(allowed)
            ),
        )
    algorithm = JWSRegistry.algorithms["EdDSA" if alg == "Ed25519" else alg]
    if not algorithm.verify(seal.signing_input, seal.signature, key):
        raise SealSignatureInvalid(detail=f"{alg} signature does not verify")
