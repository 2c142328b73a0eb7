"""The examples of the SD-JWT specification (RFC 9901), verified by plecak's own SD-JWT code.

The §5.1 issuance is shipped verbatim as test data (tests/data/sd_jwt/SOURCES.md: source, licence,
sha256) and must verify with the example issuer key of Appendix A.5, published here as the
issuer's JWT VC Issuer Metadata.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.verify_ob3.signing import check
from tests.verify_sdjwt.issuing import imported, run
from wallet.codecs import sd_jwt
from wallet.model import CheckStatus, Status

DATA = Path(__file__).parent.parent / "data" / "sd_jwt"
ISSUANCE = DATA / "rfc9901-5.1-issuance.txt"
SHA256 = "116d54486c2c5c5fc533735aae5162cfd960ef9bdb7aab4d31e83ceab2bd390f"
A5_KEY = {
    "kty": "EC",
    "crv": "P-256",
    "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
    "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8",
}
METADATA = {
    "https://issuer.example.com/.well-known/jwt-vc-issuer": (
        200,
        "application/json",
        json.dumps({"issuer": "https://issuer.example.com", "jwks": {"keys": [A5_KEY]}}).encode(),
    )
}


@pytest.mark.parametrize(
    ("disclosure", "expected"),
    [
        (
            "WyI2cU1RdlJMNWhhaiIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0",
            "uutlBuYeMDyjLLTpf6Jxi7yNkEF35jdyWMn9U7b_RYY",
        ),
        (
            "WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0",
            "w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs",
        ),
    ],
    ids=["object-property", "array-element"],
)
def test_disclosure_digests_of_section_4(disclosure: str, expected: str) -> None:
    assert sd_jwt.digest(disclosure, hashlib.sha256) == expected


def _text() -> str:
    raw = ISSUANCE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SHA256
    return raw.decode().strip()


def test_section_5_1_issuance_verifies_with_the_appendix_a5_key() -> None:
    report = run(_text(), METADATA)
    assert check(report, "proof").status is CheckStatus.PASS
    assert check(report, "disclosures").status is CheckStatus.PASS
    # typ example+sd-jwt: an SD-JWT, but not declared as a VC; reported, not refused
    assert check(report, "structure").status is CheckStatus.WARN
    assert report.status is Status.VALID


def test_section_5_1_claims_are_rebuilt() -> None:
    document = imported(_text()).document
    assert document["given_name"] == "John"
    assert document["address"]["locality"] == "Anytown"
    assert document["nationalities"] == ["US", "DE"]
    assert "_sd" not in document and "_sd_alg" not in document


def test_section_5_2_presentation_without_some_disclosures() -> None:
    issuer_jwt, *disclosures = _text().rstrip("~").split("~")
    chosen = [disclosures[i] for i in (1, 5, 0, 8)]  # family_name, address, given_name, US
    text = "~".join([issuer_jwt, *chosen]) + "~"
    document = imported(text).document
    assert document["nationalities"] == ["US"]
    assert "email" not in document
    assert run(text, METADATA).status is Status.VALID


def test_a_disclosure_given_twice_is_refused() -> None:
    issuer_jwt, *disclosures = _text().rstrip("~").split("~")
    with pytest.raises(sd_jwt.SdJwtError):
        sd_jwt.rebuild(sd_jwt.parse("~".join([issuer_jwt, disclosures[0], disclosures[0]]) + "~"))


def test_a_disclosure_the_issuer_never_made_is_refused() -> None:
    issuer_jwt = _text().split("~")[0]
    stranger = "WyJkdW1teXNhbHQiLCAiZm9vIiwgImJhciJd"  # ["dummysalt", "foo", "bar"]
    with pytest.raises(sd_jwt.SdJwtError):
        sd_jwt.rebuild(sd_jwt.parse(f"{issuer_jwt}~{stranger}~"))


def test_another_key_does_not_verify_the_example() -> None:
    other = dict(
        A5_KEY,
        x="TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
        y="ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ",
    )
    served = {
        url: (
            status,
            ctype,
            json.dumps(
                {"issuer": "https://issuer.example.com", "jwks": {"keys": [other]}}
            ).encode(),
        )
        for url, (status, ctype, _body) in METADATA.items()
    }
    assert run(_text(), served).status is Status.INVALID


A3 = DATA / "rfc9901-A.3-presentation.txt"
A3_SHA256 = "4127391ccc4ecd88ab53d4cab1098bd449eaf060091e2015d6697063261ea2a6"
A3_METADATA = {
    "https://pid-issuer.bund.de.example/.well-known/jwt-vc-issuer": (
        200,
        "application/json",
        json.dumps(
            {"issuer": "https://pid-issuer.bund.de.example", "jwks": {"keys": [A5_KEY]}}
        ).encode(),
    )
}


def test_appendix_a3_sd_jwt_vc_presentation_with_key_binding() -> None:
    raw = A3.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == A3_SHA256
    text = raw.decode().strip()
    report = run(text, A3_METADATA)
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]
    assert check(report, "structure").status is CheckStatus.PASS  # dc+sd-jwt
    assert check(report, "key-binding").status is CheckStatus.PASS
    document = imported(text).document
    assert document["age_equal_or_over"] == {"18": True}
    assert document["nationalities"] == ["DE"]
    assert document["vct"] == "urn:eudi:pid:de:1"


def test_appendix_a3_key_binding_over_fewer_disclosures_is_invalid() -> None:
    parts = A3.read_text().strip().split("~")
    without_nationalities = "~".join([*parts[:3], parts[-1]])
    report = run(without_nationalities, A3_METADATA)
    assert report.status is Status.INVALID
    assert check(report, "key-binding").status is CheckStatus.FAIL
