"""Recipient matching: hashed (sha256$/md5$, any hex case, salt) and plain; mismatches explained."""

from __future__ import annotations

import hashlib

import pytest

from wallet.verify.recipient import (
    IdentityClaim,
    claim_from_identity_object,
    claim_from_ob3,
    flatten_profile,
    identity_problems,
    kind_of,
    match_identity,
)


def _hashed(alg: str, identity: str, salt: str, upper: bool = False) -> IdentityClaim:
    digest = hashlib.new(alg, (identity + salt).encode()).hexdigest()
    return IdentityClaim(f"{alg}${digest.upper() if upper else digest}", "email", True, salt)


@pytest.mark.parametrize("alg", ["sha256", "md5"])
@pytest.mark.parametrize("upper", [False, True])
def test_hashed_email_matches_with_salt_in_any_hex_case(alg: str, upper: bool) -> None:
    claim = _hashed(alg, "nobody@example.org", "deadsea", upper)
    found = match_identity(claim, ("other@example.org", "nobody@example.org"))
    assert found.checked and found.matched and found.identity == "nobody@example.org"


def test_the_salt_matters() -> None:
    claim = _hashed("sha256", "nobody@example.org", "deadsea")
    unsalted = IdentityClaim(claim.identity, "email", True, "")
    assert not match_identity(unsalted, ("nobody@example.org",)).matched


def test_a_mismatch_is_explained_and_not_silent() -> None:
    claim = _hashed("sha256", "nobody@example.org", "deadsea")
    found = match_identity(claim, ("someone@example.org",))
    assert found.checked and found.matched is False
    assert "someone else" in found.message


def test_no_identities_means_not_checked() -> None:
    found = match_identity(_hashed("sha256", "a@b.org", ""), ())
    assert not found.checked and found.matched is None


def test_identities_of_another_type_are_a_mismatch_with_a_reason() -> None:
    found = match_identity(_hashed("sha256", "a@b.org", ""), ("https://me.example.org",))
    assert found.checked and found.matched is False and "email" in found.message


def test_plain_email_is_case_insensitive_and_plain_url_tolerates_a_trailing_slash() -> None:
    assert match_identity(
        IdentityClaim("Nobody@Example.org", "email", False), ("nobody@example.org",)
    ).matched
    assert match_identity(
        IdentityClaim("https://me.example.org/", "url", False), ("https://me.example.org",)
    ).matched
    assert not match_identity(
        IdentityClaim("https://me.example.org/a", "url", False), ("https://me.example.org",)
    ).matched


def test_telephone_numbers_are_compared_without_spacing() -> None:
    claim = IdentityClaim("+48123456789", "telephone", False)
    assert match_identity(claim, ("+48 123 456 789",)).matched


def test_ob3_identifiers_map_onto_the_same_rules() -> None:
    digest = hashlib.sha256(b"learner@example.org").hexdigest()
    claim = claim_from_ob3("sha256$" + digest, "emailAddress", hashed=True)
    assert claim.type == "email"
    assert match_identity(claim, ("learner@example.org",)).matched
    assert claim_from_ob3("did:example:1", "sourcedId", hashed=False).type == "id"


@pytest.mark.parametrize(
    ("obj", "fragment"),
    [
        ("test@example.com", "not an IdentityObject"),
        ({"type": "email", "hashed": False}, "no identity"),
        ({"identity": "x@y.org", "type": "fax", "hashed": False}, "not one of"),
        (
            {"identity": "sha256$" + "a" * 64, "type": "email", "hashed": False},
            "marked as not hashed",
        ),
        ({"identity": "x@y.org", "type": "email", "hashed": True}, "not a sha256$ or md5$ hash"),
        ({"identity": "not an email", "type": "email", "hashed": False}, "not an email address"),
        ({"identity": "x@y.org", "type": "email", "hashed": "no"}, "true or false"),
    ],
)
def test_malformed_identity_objects_are_named(obj: object, fragment: str) -> None:
    problems = identity_problems(obj)
    assert any(fragment in p for p in problems), problems


def test_well_formed_identity_object_round_trip() -> None:
    obj = {"identity": "sha256$" + "A" * 64, "type": "email", "hashed": True, "salt": "s"}
    assert identity_problems(obj) == []
    assert claim_from_identity_object(obj).salt == "s"


def test_kind_of_and_flatten_profile() -> None:
    assert [
        kind_of(v)
        for v in ("a@b.org", "mailto:a@b.org", "https://x.org", "+48123456789", "did:web:x")
    ] == ["email", "email", "url", "telephone", "id"]
    assert flatten_profile(["a@b.org", ["c@d.org", "a@b.org", " "], 3]) == ("a@b.org", "c@d.org")
