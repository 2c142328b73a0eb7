"""Hostile SD-JWTs: the codec raises only SdJwtError, never loops, never takes a disclosure twice."""

from __future__ import annotations

import base64
import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wallet.codecs import sd_jwt


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def _token(payload: dict[str, Any], *disclosures: str) -> str:
    return "~".join([f"{_b64({'alg': 'ES256'})}.{_b64(payload)}.c2ln", *disclosures]) + "~"


@given(st.text(alphabet='ab~.-_=xyzAB01{}[]"', max_size=300))
@settings(max_examples=300, deadline=None)
def test_random_text_raises_only_sd_jwt_errors(text: str) -> None:
    with contextlib.suppress(sd_jwt.SdJwtError):
        sd_jwt.rebuild(sd_jwt.parse(text))


def test_a_digest_listed_twice_is_refused() -> None:
    """One disclosure placed twice would show a claim twice from one signature (RFC 9901 §7.1)."""
    disclosure = _b64(["salt", "x", 1])
    digest = sd_jwt.digest(disclosure, sd_jwt.HASHES["sha-256"])
    token = _token({"_sd": [digest], "nested": {"_sd": [digest]}}, disclosure)
    with pytest.raises(sd_jwt.SdJwtError, match="more than once"):
        sd_jwt.rebuild(sd_jwt.parse(token))


def test_a_disclosure_may_not_overwrite_a_plain_claim() -> None:
    disclosure = _b64(["salt", "iss", "https://evil.example"])
    digest = sd_jwt.digest(disclosure, sd_jwt.HASHES["sha-256"])
    token = _token({"iss": "https://issuer.example", "_sd": [digest]}, disclosure)
    with pytest.raises(sd_jwt.SdJwtError, match="already exists"):
        sd_jwt.rebuild(sd_jwt.parse(token))


@pytest.mark.parametrize("name", ["_sd", "...", "_sd_alg"])
def test_reserved_claim_names_cannot_be_disclosed(name: str) -> None:
    with pytest.raises(sd_jwt.SdJwtError):
        sd_jwt.decode_disclosure(_b64(["salt", name, 1]))


def test_unknown_sd_alg_is_refused() -> None:
    with pytest.raises(sd_jwt.SdJwtError, match="_sd_alg"):
        sd_jwt.rebuild(sd_jwt.parse(_token({"_sd_alg": "md5", "_sd": []})))


def test_too_many_disclosures_are_refused() -> None:
    many = [_b64(["s", "n", i]) for i in range(sd_jwt.MAX_DISCLOSURES + 1)]
    with pytest.raises(sd_jwt.SdJwtError, match="too many"):
        sd_jwt.parse(_token({}, *many))
