"""Verification scope policies and RevocationList parsing."""

from __future__ import annotations

import pytest

from wallet.verify.ob2.policy import (
    AllOf,
    PolicyError,
    UnsafeNoOrigin,
    authority,
    check_scope,
    issuer_policy,
)
from wallet.verify.ob2.revocation import RevocationListError, parse_revocation_list

ISSUER = {"id": "https://example.org/organization.json"}


def test_default_scope_is_the_issuer_origin() -> None:
    policy = issuer_policy(ISSUER)
    assert check_scope(policy, ["https://example.org/a.json"]).ok
    assert not check_scope(policy, ["https://example.org:8443/a.json"]).ok
    assert authority("HTTPS://Example.ORG:8443/x") == "example.org:8443"
    outcome = check_scope(policy, ["https://evil.example.net/a.json"])
    assert not outcome.ok and "evil.example.net" in outcome.message


def test_allowed_origins_and_starts_with_compose() -> None:
    policy = issuer_policy(
        {
            **ISSUER,
            "verification": {
                "allowedOrigins": ["evil.example.net", "b.org:8443"],
                "startsWith": "https://b.org:8443/badges/",
            },
        }
    )
    assert isinstance(policy, AllOf)
    assert check_scope(policy, ["https://b.org:8443/badges/1"]).ok
    assert not check_scope(policy, ["https://b.org:8443/other/1"]).ok
    assert not check_scope(policy, ["https://evil.example.net/badges/1"]).ok


@pytest.mark.parametrize(
    "verification",
    [
        "not an object",
        {"allowedOrigins": "https://with-scheme.org"},
        {"allowedOrigins": []},
        {"startsWith": "not a url"},
        {"startsWith": ["https://ok.org/", 3]},
    ],
)
def test_malformed_policies_are_errors(verification: object) -> None:
    with pytest.raises(PolicyError):
        issuer_policy({**ISSUER, "verification": verification})


def test_an_issuer_without_a_web_id_passes_only_with_a_warning() -> None:
    policy = issuer_policy({"id": "urn:uuid:0b0b"})
    assert isinstance(policy, UnsafeNoOrigin)
    outcome = check_scope(policy, ["https://anywhere.org/a"])
    assert outcome.ok and outcome.warning


def test_empty_allof_never_passes() -> None:
    assert not AllOf(()).check("https://example.org/a").ok


def test_revocation_list_entries_iri_id_uid_and_reasons() -> None:
    parsed = parse_revocation_list(
        {
            "type": "RevocationList",
            "id": "http://example.org/revocationList",
            "revokedAssertions": [
                "urn:uuid:6deb4a00-ebce-4b28-8cc2-afa705ef7be4",
                {"id": "https://example.org/a.json", "revocationReason": "Issued in error"},
                {"uid": "abc123", "revocationReason": "Cheating"},
            ],
        }
    )
    assert parsed.find("urn:uuid:6deb4a00-ebce-4b28-8cc2-afa705ef7be4") is not None
    entry = parsed.find("https://example.org/a.json")
    assert entry is not None and entry.reason == "Issued in error"
    by_uid = parsed.find("https://example.org/other.json", uid="abc123")
    assert by_uid is not None and by_uid.reason == "Cheating"
    assert parsed.find("https://example.org/not-listed.json", uid="zzz") is None


@pytest.mark.parametrize(
    "node",
    [
        [],
        {"type": "Issuer", "revokedAssertions": []},
        {"type": "RevocationList"},
        {"type": "RevocationList", "revokedAssertions": ["not an iri"]},
        {"type": "RevocationList", "revokedAssertions": [{"revocationReason": "x"}]},
        {"type": "RevocationList", "revokedAssertions": [42]},
        {"type": "RevocationList", "id": "no iri", "revokedAssertions": []},
    ],
)
def test_unreadable_lists_never_pass_as_not_revoked(node: object) -> None:
    with pytest.raises(RevocationListError):
        parse_revocation_list(node)
