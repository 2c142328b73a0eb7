"""Compact JWS: the key's type pins the algorithm; none/HMAC/mismatched algorithms are refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jws as jose_jws
from joserfc.jwk import ECKey, RSAKey

from wallet.verify.jws import (
    JwsAlgorithmRefused,
    JwsKeyUnsupported,
    JwsMalformed,
    JwsSignatureInvalid,
    algorithms_for,
    public_key_from_jwk,
    public_key_from_pem,
    split_compact,
    verify_compact,
)

PAYLOAD = json.dumps({"id": "urn:uuid:1", "type": "Assertion"}).encode()


def _pem(private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="module")
def rsa_private() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_private() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _sign(alg: str, private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    key = (
        RSAKey.import_key(private)
        if isinstance(private, rsa.RSAPrivateKey)
        else ECKey.import_key(private)
    )
    return jose_jws.serialize_compact({"alg": alg}, PAYLOAD, key, algorithms=[alg])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_rs256_verifies_with_the_rsa_key(rsa_private: rsa.RSAPrivateKey) -> None:
    token = _sign("RS256", rsa_private)
    parts = verify_compact(token, public_key_from_pem(_pem(rsa_private)))
    assert parts.payload == PAYLOAD and parts.alg == "RS256"


def test_es256_verifies_with_a_p256_key(ec_private: ec.EllipticCurvePrivateKey) -> None:
    key = public_key_from_pem(_pem(ec_private))
    assert algorithms_for(key) == ("ES256",)
    assert verify_compact(_sign("ES256", ec_private), key).payload == PAYLOAD


def test_ps256_is_refused_for_an_rsa_key_even_when_correctly_signed(
    rsa_private: rsa.RSAPrivateKey,
) -> None:
    with pytest.raises(JwsAlgorithmRefused):
        verify_compact(_sign("PS256", rsa_private), public_key_from_pem(_pem(rsa_private)))


def test_alg_none_is_refused_before_any_key_is_used(rsa_private: rsa.RSAPrivateKey) -> None:
    token = _b64(b'{"alg":"none"}') + "." + _b64(PAYLOAD) + "."
    with pytest.raises(JwsAlgorithmRefused) as info:
        verify_compact(token, public_key_from_pem(_pem(rsa_private)))
    assert "unsigned" in info.value.user_message()


def test_hs256_with_the_public_pem_as_secret_is_refused(rsa_private: rsa.RSAPrivateKey) -> None:
    pem = _pem(rsa_private)
    signing_input = _b64(b'{"alg":"HS256"}') + "." + _b64(PAYLOAD)
    mac = hmac.new(pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    token = signing_input + "." + _b64(mac)
    with pytest.raises(JwsAlgorithmRefused):
        verify_compact(token, public_key_from_pem(pem))


def test_a_tampered_payload_fails(rsa_private: rsa.RSAPrivateKey) -> None:
    header, _payload, sig = _sign("RS256", rsa_private).split(".")
    forged = header + "." + _b64(PAYLOAD.replace(b"urn:uuid:1", b"urn:uuid:2")) + "." + sig
    with pytest.raises(JwsSignatureInvalid):
        verify_compact(forged, public_key_from_pem(_pem(rsa_private)))


def test_another_rsa_key_fails(rsa_private: rsa.RSAPrivateKey) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(JwsSignatureInvalid):
        verify_compact(_sign("RS256", rsa_private), public_key_from_pem(_pem(other)))


def test_an_rs256_token_is_refused_for_an_ec_key(
    rsa_private: rsa.RSAPrivateKey, ec_private: ec.EllipticCurvePrivateKey
) -> None:
    with pytest.raises(JwsAlgorithmRefused):
        verify_compact(_sign("RS256", rsa_private), public_key_from_pem(_pem(ec_private)))


def test_weak_rsa_keys_and_private_keys_are_refused() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(JwsKeyUnsupported):
        public_key_from_pem(_pem(weak))
    private_pem = weak.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(JwsKeyUnsupported):
        public_key_from_pem(private_pem)
    with pytest.raises(JwsKeyUnsupported):
        public_key_from_pem("not a key")
    with pytest.raises(JwsKeyUnsupported):
        public_key_from_jwk({"kty": "oct", "k": "c2VjcmV0"})


def test_jwk_keys_work_too(ec_private: ec.EllipticCurvePrivateKey) -> None:
    jwk = ECKey.import_key(_pem(ec_private)).as_dict()
    key = public_key_from_jwk(jwk)
    assert verify_compact(_sign("ES256", ec_private), key).payload == PAYLOAD


@pytest.mark.parametrize(
    "token",
    [
        "only.two",
        "a.b.c.d",
        "!!!.e30.",
        _b64(b"[1]") + "." + _b64(b"{}") + ".",
        _b64(b"not json") + "." + _b64(b"{}") + ".",
        "é.e30.",
    ],
)
def test_malformed_compact_tokens_are_clear_errors(token: str) -> None:
    with pytest.raises(JwsMalformed):
        split_compact(token)


def test_crit_and_unencoded_payload_headers_are_refused(rsa_private: rsa.RSAPrivateKey) -> None:
    key = public_key_from_pem(_pem(rsa_private))
    for header in ({"alg": "RS256", "crit": ["x"], "x": 1}, {"alg": "RS256", "b64": False}):
        token = _b64(json.dumps(header).encode()) + "." + _b64(PAYLOAD) + ".AAAA"
        with pytest.raises(JwsMalformed):
            verify_compact(token, key)
