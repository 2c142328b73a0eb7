"""The learner's signature: did:key, RFC 8785 JCS, eddsa-jcs-2022 sign/verify."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.codecs import holder

KEY = bytes(range(32))
WHEN = datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_did_key_round_trip_and_known_prefix() -> None:
    did = holder.did_key_from_private(KEY)
    assert did.startswith("did:key:z6Mk")
    public = holder.public_key_from_did_key(did)
    assert holder.did_key_from_public(public) == did
    assert holder.verification_method(did) == f"{did}#{did[8:]}"


def test_did_key_of_another_curve_is_refused() -> None:
    p256 = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
    with pytest.raises(ValueError):
        holder.public_key_from_did_key(p256)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # RFC 8785 §3.2.2 / Appendix B number examples
        (333333333.33333329, "333333333.3333333"),
        (1e30, "1e+30"),
        (4.50, "4.5"),
        (2e-3, "0.002"),
        (0.000000000000000000000000001, "1e-27"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
    ],
)
def test_jcs_numbers_follow_ecmascript(value: float, expected: str) -> None:
    assert holder.jcs(value).decode() == expected


def test_jcs_sorts_by_utf16_and_escapes_minimally() -> None:
    data = {"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\U0001f600": 5, "\u0080": 6, "\u00f6": 7}
    out = holder.jcs(data).decode()
    assert out == '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\U0001f600":5,"\ufb33":3}'
    assert holder.jcs({"a": "\u2028<>&\x1f"}) == '{"a":"\u2028<>&\\u001f"}'.encode()


def test_sign_and_verify() -> None:
    doc = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "n": 1.5,
    }
    signed = holder.sign_jcs(doc, KEY, created=WHEN, proof_purpose="authentication", challenge="c1")
    result = holder.verify_jcs(signed)
    assert result.ok and result.signer == holder.did_key_from_private(KEY)
    assert (result.proof_purpose, result.challenge) == ("authentication", "c1")
    # key order and whitespace do not matter (JCS), content does
    assert holder.verify_jcs(json.loads(json.dumps(signed, indent=3, sort_keys=True))).ok
    tampers: tuple[Callable[[dict[str, Any]], None], ...] = (
        lambda d: d.update(n=1.50001),
        lambda d: d["proof"].update(challenge="c2"),
        lambda d: d["proof"].update(created="2026-11-24T00:00:00Z"),
        lambda d: d.update({"@context": ["https://example.org/other"]}),
    )
    for tamper in tampers:
        copy = json.loads(json.dumps(signed))
        tamper(copy)
        assert not holder.verify_jcs(copy).ok


def test_proof_by_another_key_claiming_this_did_fails() -> None:
    signed = holder.sign_jcs({"a": 1}, KEY, created=WHEN)
    forged = holder.sign_jcs({"a": 1}, bytes(32), created=WHEN)
    forged["proof"]["verificationMethod"] = signed["proof"]["verificationMethod"]
    assert not holder.verify_jcs(forged).ok


@pytest.mark.parametrize(
    "junk", [None, [], "x", {"proof": "x"}, {"proof": {"type": "DataIntegrityProof"}}]
)
def test_verify_never_raises_on_junk(junk: object) -> None:
    assert not holder.verify_jcs(junk).ok


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@pytest.mark.slow
@given(json_values)
def test_jcs_is_valid_json_with_the_same_meaning(value: object) -> None:
    try:
        text = holder.jcs(value)
    except ValueError:
        return  # lone surrogates
    assert json.loads(text) == value or value != value  # noqa: PLR0124
