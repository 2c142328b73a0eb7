"""RFC 3161 time-stamp tokens as JAdES carries them (``sigTst``, ``arcTst``).

A token proves that some bytes existed at ``genTime`` — if, and only if, its imprint matches those
bytes, its CMS signature verifies under the TSA certificate it names, and that TSA is one the
trusted lists grant at ``genTime``.  The first two are checked here; the trust in the TSA is the
path module's job (the same trusted-list lookup as for the seal).

Imprints (ETSI TS 119 182-1): ``sigTst`` covers the base64url text of the JWS signature value;
``arcTst`` covers the protected header, the payload, the signature and the unsigned components
before it, as carried, joined by ``.``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wallet.errors import VerificationError
from wallet.i18n import N_, _

_HASHES = {"sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


class TimestampError(VerificationError):
    code = "edc-timestamp"
    default_message = N_("The time-stamp does not hold: {reason}")


@dataclass(frozen=True, slots=True)
class Timestamp:
    gen_time: datetime
    tsa_certificate: bytes
    certificates: tuple[bytes, ...]
    tsa_name: str


def verify_token(token: bytes, covered: bytes) -> Timestamp:
    """Check one DER token over ``covered``; raises :class:`TimestampError`."""
    from asn1crypto import cms, tsp
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    try:
        info = cms.ContentInfo.load(token)
        if info["content_type"].native != "signed_data":
            raise TimestampError(reason=_("it is not CMS signed data"))
        signed = info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise TimestampError(reason=_("it does not hold a time-stamp"))
        content = encap["content"]
        raw_info = (
            content.parsed.dump()
            if isinstance(content.parsed, tsp.TSTInfo)
            else bytes(content.contents)
        )
        if not isinstance(content.parsed, tsp.TSTInfo):
            raw_info = tsp.TSTInfo.load(content.native).dump()
        tst_info = tsp.TSTInfo.load(raw_info)
        imprint = tst_info["message_imprint"]
        algorithm = _HASHES.get(imprint["hash_algorithm"]["algorithm"].native)
        if algorithm is None:
            raise TimestampError(reason=_("its imprint uses an unsupported digest"))
        if hashlib.new(algorithm, covered).digest() != imprint["hashed_message"].native:
            raise TimestampError(reason=_("it was made over other data"))
        gen_time = tst_info["gen_time"].native
        (signer,) = signed["signer_infos"]
        certs = [c.chosen for c in signed["certificates"] or [] if c.name == "certificate"]
        tsa = _signer_cert(signer, certs)
        if tsa is None:
            raise TimestampError(reason=_("it does not carry the certificate of its TSA"))
        _check_signed_attributes(signer, raw_info)
        signed_attrs = signer["signed_attrs"].untag().dump()
        cert = x509.load_der_x509_certificate(tsa.dump())
        _verify(cert, signer, signed_attrs)
    except TimestampError:
        raise
    except InvalidSignature as exc:
        raise TimestampError(reason=_("its signature does not verify"), detail=repr(exc)) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise TimestampError(reason=_("it cannot be read"), detail=repr(exc)) from exc
    return Timestamp(
        gen_time=gen_time,
        tsa_certificate=tsa.dump(),
        certificates=tuple(c.dump() for c in certs),
        tsa_name=str(tsa.subject.native.get("common_name") or tsa.subject.human_friendly),
    )


def _signer_cert(signer: Any, certs: list[Any]) -> Any:
    sid = signer["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            ref = sid.chosen
            if cert.issuer == ref["issuer"] and cert.serial_number == ref["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _check_signed_attributes(signer: Any, raw_info: bytes) -> None:
    attrs = signer["signed_attrs"]
    algorithm = _HASHES.get(signer["digest_algorithm"]["algorithm"].native)
    if algorithm is None:
        raise TimestampError(reason=_("its signature uses an unsupported digest"))
    digest = next(
        (a["values"][0].native for a in attrs if a["type"].native == "message_digest"), None
    )
    if digest != hashlib.new(algorithm, raw_info).digest():
        raise TimestampError(reason=_("its signed attributes do not cover its content"))


def _verify(cert: Any, signer: Any, signed_attrs: bytes) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = cert.public_key()
    hash_name = signer["digest_algorithm"]["algorithm"].native
    algorithm = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[
        hash_name
    ]
    signature = signer["signature"].native
    sig_alg = signer["signature_algorithm"]
    if isinstance(key, rsa.RSAPublicKey):
        if sig_alg.signature_algo == "rsassa_pss":
            params = sig_alg["parameters"]
            pad: padding.AsymmetricPadding = padding.PSS(
                mgf=padding.MGF1(algorithm), salt_length=params["salt_length"].native
            )
        else:
            pad = padding.PKCS1v15()
        key.verify(signature, signed_attrs, pad, algorithm)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, signed_attrs, ec.ECDSA(algorithm))
    else:
        raise TimestampError(reason=_("its TSA key type is unsupported"))
