"""Status lists as real issuers publish them (issue 13): VC-JWT, enveloped, Data Integrity,
lenient ``encodedList``; and never a false ``invalid`` from a list problem."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from tests.verify_ob3.signing import (
    VC1,
    VC2,
    Issuer,
    badge,
    bitstring,
    check,
    contexts_fetcher,
    credential_of,
    run,
    sign_di,
    sign_jwt,
)
from wallet.model import CheckStatus, Status
from wallet.verify import status_lists

LIST_URL = "https://issuer.example/status/3.jwt"
SL2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"


def _subject(bits: dict[int, int] | None, purpose: str = "revocation", **extra: Any) -> Any:
    return {
        "id": LIST_URL + "#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": bitstring(bits),
        **extra,
    }


def _list_vc2(signer: Issuer, bits: dict[int, int] | None = None, **subject: Any) -> Any:
    return {
        "@context": [VC2],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": signer.did,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": _subject(bits, **subject),
    }


def _jwt_list(signer: Issuer, bits: dict[int, int] | None = None, **subject: Any) -> bytes:
    doc = _list_vc2(signer, bits, **subject)
    return sign_jwt({**doc, "iss": signer.did, "iat": 1704067200}, signer).encode()


def _badge(issuer: Issuer, contexts_dir: Path, index: int, purpose: str = "revocation") -> Any:
    doc = badge(issuer)
    doc["credentialStatus"] = {
        "id": f"{LIST_URL}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": LIST_URL,
    }
    return sign_di(doc, issuer, contexts_dir)


def _verify(contexts_dir: Path, credential: Any, body: bytes, ctype: str) -> Any:
    served = {LIST_URL: (200, ctype, body)}
    return run(credential_of(credential), contexts_fetcher(contexts_dir, served))


@pytest.mark.parametrize("ctype", ["application/vc+jwt", "application/jwt", "text/plain"])
def test_list_published_as_vc_jwt_is_read(contexts_dir: Path, ctype: str) -> None:
    issuer = Issuer.ed25519()
    body = _jwt_list(issuer, {7: 1})
    clean = _verify(contexts_dir, _badge(issuer, contexts_dir, 6), body, ctype)
    assert clean.status is Status.VALID, [(c.id, c.message) for c in clean.checks]
    revoked = _verify(contexts_dir, _badge(issuer, contexts_dir, 7), body, ctype)
    assert revoked.status is Status.REVOKED


def test_suspension_list_as_vc_jwt(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    body = _jwt_list(issuer, {2: 1}, purpose="suspension")
    report = _verify(
        contexts_dir, _badge(issuer, contexts_dir, 2, "suspension"), body, "application/vc+jwt"
    )
    assert report.status is Status.SUSPENDED


def test_vc11_status_list_2021_in_a_vc_claim(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    vc = {
        "@context": [VC1, SL2021_CONTEXT],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": LIST_URL + "#list",
            "type": "StatusList2021",
            "statusPurpose": "revocation",
            # StatusList2021 habit: no multibase prefix
            "encodedList": bitstring({9: 1})[1:],
        },
    }
    token = sign_jwt({"vc": vc, "iss": issuer.did, "jti": LIST_URL, "nbf": 1704067200}, issuer)
    doc = badge(issuer)
    doc["@context"] = [*doc["@context"], SL2021_CONTEXT]
    doc["credentialStatus"] = {
        "id": f"{LIST_URL}#9",
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": "9",
        "statusListCredential": LIST_URL,
    }
    report = _verify(
        contexts_dir, sign_di(doc, issuer, contexts_dir), token.encode(), "application/jwt"
    )
    assert report.status is Status.REVOKED, [(c.id, c.message) for c in report.checks]


def test_enveloped_list_is_read(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    token = _jwt_list(issuer, {4: 1}).decode()
    envelope = {
        "@context": [VC2],
        "id": "data:application/vc+jwt," + token,
        "type": "EnvelopedVerifiableCredential",
    }
    report = _verify(
        contexts_dir,
        _badge(issuer, contexts_dir, 4),
        json.dumps(envelope).encode(),
        "application/vc+ld+json",
    )
    assert report.status is Status.REVOKED


def test_bitstring_list_without_multibase_prefix_is_read(contexts_dir: Path) -> None:
    """A production issuer's valid badge: the Bitstring list lacks the ``u`` prefix."""
    issuer = Issuer.ed25519()
    status_list = _list_vc2(issuer)
    status_list["credentialSubject"]["encodedList"] = bitstring()[1:]
    body = json.dumps(sign_di(status_list, issuer, contexts_dir)).encode()
    report = _verify(contexts_dir, _badge(issuer, contexts_dir, 1), body, "application/json")
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]


def test_list_signed_by_a_stranger_is_unverified_not_invalid(contexts_dir: Path) -> None:
    issuer, stranger = Issuer.ed25519(), Issuer.ed25519()
    doc = _list_vc2(stranger, {1: 1})
    doc["issuer"] = issuer.did
    body = sign_jwt({**doc, "iss": issuer.did}, stranger).encode()
    report = _verify(contexts_dir, _badge(issuer, contexts_dir, 1), body, "application/vc+jwt")
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN


def test_tampered_jwt_list_is_unverified(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    header, payload, signature = _jwt_list(issuer).decode().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["encodedList"] = bitstring({1: 1})
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    body = f"{header}.{forged}.{signature}".encode()
    report = _verify(contexts_dir, _badge(issuer, contexts_dir, 1), body, "application/vc+jwt")
    assert report.status is Status.UNVERIFIED


def test_unsigned_list_with_the_bit_set_is_unverified_not_revoked(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    body = json.dumps(_list_vc2(issuer, {1: 1})).encode()
    report = _verify(contexts_dir, _badge(issuer, contexts_dir, 1), body, "application/json")
    assert report.status is Status.UNVERIFIED


@pytest.mark.parametrize(
    "body",
    [b"not json, not a jwt", b"[1, 2]", b'{"type": "EnvelopedVerifiableCredential", "id": 5}'],
    ids=["garbage", "array", "bad-envelope"],
)
def test_unreadable_list_is_unverified(contexts_dir: Path, body: bytes) -> None:
    issuer = Issuer.ed25519()
    report = _verify(contexts_dir, _badge(issuer, contexts_dir, 1), body, "application/json")
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN


def test_malformed_entry_is_unverified(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    doc = badge(issuer)
    doc["credentialStatus"] = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}
    report = run(credential_of(sign_di(doc, issuer, contexts_dir)), contexts_fetcher(contexts_dir))
    assert report.status is Status.UNVERIFIED


# --------------------------------------------------------------------------- decoding


def _raw(bits: bytes) -> bytes:
    return bits + bytes(16 * 1024 - len(bits))


@pytest.mark.parametrize(
    "encode",
    [
        lambda b: "u" + base64.urlsafe_b64encode(gzip.compress(b)).rstrip(b"=").decode(),
        lambda b: base64.urlsafe_b64encode(gzip.compress(b)).rstrip(b"=").decode(),
        lambda b: base64.b64encode(gzip.compress(b)).decode(),
        lambda b: base64.urlsafe_b64encode(zlib.compress(b)).decode(),
    ],
    ids=["multibase", "bare-base64url", "standard-base64-padded", "zlib"],
)
def test_encoded_list_forms_decode(encode: Any) -> None:
    raw = _raw(b"\x80\x01")
    assert status_lists.decode_bits(encode(raw)) == raw


@pytest.mark.parametrize("value", ["", "u", "u!!!", "uAAAA", 5, None])
def test_undecodable_lists_raise_value_error(value: Any) -> None:
    with pytest.raises(ValueError):
        status_lists.decode_bits(value)


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(bytes(status_lists.MAX_BITSTRING_BYTES + 1024))
    with pytest.raises(ValueError, match="cap"):
        status_lists.decode_bits("u" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))
