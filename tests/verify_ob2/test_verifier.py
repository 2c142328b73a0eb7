"""The OB 2.0 verifier end to end on documents served in memory: contexts, graph, signed, steps."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jws as jose_jws
from joserfc.jwk import ECKey, RSAKey

from tests.verify_ob2.helpers import (
    NOW,
    V2,
    basic_docs,
    check,
    hosted,
    jdoc,
    lone,
    run,
    signed,
)
from wallet.model import CheckStatus, Status
from wallet.net import HttpFetcher
from wallet.net.fake import FakeFetcher
from wallet.ports import Response
from wallet.verify.context import VerifyContext
from wallet.verify.ob2.context import OB2_CONTEXT, json_digest, pinned_revision
from wallet.verify.verifier import verify

ASSERTION = "https://example.org/beths-robotics-badge.json"


def _json(docs: dict[str, Any], url: str) -> Any:
    return json.loads(docs[url][2])


def test_the_corpus_contexts_match_the_pins(conformance_dir: Path) -> None:
    v2 = json.loads((conformance_dir / "ob2/contexts/openbadges_context.jsonld").read_text())
    assert pinned_revision(OB2_CONTEXT, v2) == "v2 (2017-2020)"
    assert json_digest(v2) == json_digest(json.loads(json.dumps(v2, indent=4)))


def test_basic_hosted_badge_has_every_named_check_in_order(conformance_dir: Path) -> None:
    report = run(hosted(ASSERTION), basic_docs(conformance_dir))
    assert report.status is Status.VALID
    ids = [c.id for c in report.checks]
    assert ids[:9] == [
        "fetch",
        "context",
        "assertion",
        "badgeclass",
        "issuer",
        "scope",
        "image",
        "revocation",
        "dates",
    ]
    assert check(report, "recipient").status is CheckStatus.SKIP
    assert {r.url for r in report.evidence} >= {
        ASSERTION,
        V2,
        "https://example.org/organization.json",
    }


def test_a_tampered_context_is_refused_and_the_badge_cannot_be_valid(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    context = _json(docs, V2)
    context["@context"]["recipient"] = {"@id": "https://evil.example/recipient"}
    docs[V2] = jdoc(context)
    report = run(hosted(ASSERTION), docs)
    assert report.status is Status.UNVERIFIED
    assert "refused" in check(report, "context").message


def test_a_missing_context_makes_the_badge_unverified(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    del docs[V2]
    report = run(hosted(ASSERTION), docs, pinned=False)  # nor shipped in the package
    assert report.status is Status.UNVERIFIED
    assert check(report, "context").status is CheckStatus.UNKNOWN


def test_the_shipped_context_stands_in_for_a_missing_one(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    del docs[V2]
    report = run(hosted(ASSERTION), docs)
    assert report.status is Status.VALID
    assert {r.origin for r in report.evidence if r.url == V2} == {"pinned"}


def test_a_declared_id_chain_is_followed_once_only(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    first = _json(docs, ASSERTION) | {"id": "https://example.org/second.json"}
    second = first | {"id": "https://example.org/third.json"}
    docs[ASSERTION] = jdoc(first)
    docs["https://example.org/second.json"] = jdoc(second)
    docs["https://example.org/third.json"] = jdoc(second)
    report = run(hosted(ASSERTION), docs)
    assert report.status is Status.INVALID
    assert "again differs" in check(report, "fetch").message


def test_recipient_checked_when_identities_are_given(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    good = run(hosted(ASSERTION), docs, recipients=("nobody@example.org",))
    assert good.status is Status.VALID and good.recipient.matched
    bad = run(hosted(ASSERTION), docs, recipients=("someone@example.org",))
    assert bad.status is Status.INVALID and bad.recipient.checked and not bad.recipient.matched
    assert check(bad, "recipient").status is CheckStatus.FAIL


def test_http_404_on_the_assertion_is_unverified_and_410_revoked_with_reason(
    conformance_dir: Path,
) -> None:
    docs = basic_docs(conformance_dir)
    docs[ASSERTION] = (404, "text/plain", b"gone?")
    assert run(hosted(ASSERTION), docs).status is Status.UNVERIFIED
    body = _json(basic_docs(conformance_dir), ASSERTION) | {
        "revoked": True,
        "revocationReason": "Plagiarism",
    }
    docs[ASSERTION] = jdoc(body, status=410)
    report = run(hosted(ASSERTION), docs)
    assert report.status is Status.REVOKED
    assert "Plagiarism" in check(report, "revocation").message


def test_issuer_image_is_not_fetched_but_badge_image_must_be_an_image(
    conformance_dir: Path,
) -> None:
    docs = basic_docs(conformance_dir)
    docs["https://example.org/robotics-badge.png"] = (
        200,
        "image/png",
        b"<html>not an image</html>",
    )
    report = run(hosted(ASSERTION), docs)
    assert report.status is Status.INVALID
    assert "not an image" in check(report, "image").message


def test_an_hosted_assertion_that_says_signed_is_invalid(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    body = _json(docs, ASSERTION) | {
        "verification": {"type": "SignedBadge", "creator": "http://example.org/key1"}
    }
    docs[ASSERTION] = jdoc(body)
    assert run(hosted(ASSERTION), docs).status is Status.INVALID


def _ec_issuer(docs: dict[str, Any]) -> tuple[ECKey, dict[str, Any]]:
    private = ec.generate_private_key(ec.SECP256R1())
    pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    docs["https://example.org/organization.json"] = jdoc(
        _json(docs, "https://example.org/organization.json")
        | {
            "publicKey": "https://example.org/ec-key",
            "revocationList": "https://example.org/revoked",
        }
    )
    docs["https://example.org/ec-key"] = jdoc(
        {
            "@context": V2,
            "type": "CryptographicKey",
            "id": "https://example.org/ec-key",
            "owner": "https://example.org/organization.json",
            "publicKeyPem": pem,
        }
    )
    docs["https://example.org/revoked"] = jdoc(
        {
            "@context": V2,
            "type": "RevocationList",
            "id": "https://example.org/revoked",
            "revokedAssertions": [{"uid": "revoked-uid", "revocationReason": "Withdrawn"}],
        }
    )
    assertion = _json(docs, ASSERTION) | {
        "id": "urn:uuid:2f2ba1ba-3bd5-4f8a-9c55-4b4b0b3f1a55",
        "verification": {"type": "SignedBadge", "creator": "https://example.org/ec-key"},
    }
    del docs[ASSERTION]
    return ECKey.import_key(private), assertion


def test_es256_signed_badge_with_a_p256_key_is_valid_and_revocable_by_uid(
    conformance_dir: Path,
) -> None:
    docs = basic_docs(conformance_dir)
    key, assertion = _ec_issuer(docs)
    token = jose_jws.serialize_compact(
        {"alg": "ES256"}, json.dumps(assertion), key, algorithms=["ES256"]
    )
    report = run(signed(token), docs)
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]
    assert "ES256" in check(report, "signature").message
    revoked = jose_jws.serialize_compact(
        {"alg": "ES256"}, json.dumps(assertion | {"uid": "revoked-uid"}), key, algorithms=["ES256"]
    )
    report = run(signed(revoked), docs)
    assert report.status is Status.REVOKED and "Withdrawn" in check(report, "revocation").message


def test_key_owned_by_someone_else_is_invalid(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    key, assertion = _ec_issuer(docs)
    key_doc = _json(docs, "https://example.org/ec-key") | {"owner": "https://evil.example.net/me"}
    docs["https://example.org/ec-key"] = jdoc(key_doc)
    token = jose_jws.serialize_compact(
        {"alg": "ES256"}, json.dumps(assertion), key, algorithms=["ES256"]
    )
    report = run(signed(token), docs)
    assert report.status is Status.INVALID and "belongs to" in check(report, "key").message


def test_signed_with_rs256_but_key_is_ec_is_invalid(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    _key, assertion = _ec_issuer(docs)
    rsa_key = RSAKey.generate_key(2048)
    token = jose_jws.serialize_compact(
        {"alg": "RS256"}, json.dumps(assertion), rsa_key, algorithms=["RS256"]
    )
    report = run(signed(token), docs)
    assert report.status is Status.INVALID and check(report, "signature").status is CheckStatus.FAIL


def test_endorsement_about_something_else_only_warns(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    badge = _json(docs, "https://example.org/robotics-badge.json") | {
        "endorsement": ["https://example.org/endorsement"]
    }
    docs["https://example.org/robotics-badge.json"] = jdoc(badge)
    docs["https://example.org/endorsement"] = jdoc(
        {
            "@context": V2,
            "type": "Endorsement",
            "id": "https://example.org/endorsement",
            "claim": {"id": "https://example.org/another-badge.json"},
            "issuedOn": "2020-01-01T00:00:00Z",
            "issuer": "https://example.org/organization.json",
            "verification": {"type": "HostedBadge"},
        }
    )
    report = run(hosted(ASSERTION), docs)
    assert report.status is Status.VALID
    endorsement = check(report, "endorsement:https://example.org/endorsement")
    assert endorsement.status is CheckStatus.WARN and "not about" in endorsement.message


def test_lone_issuer_profile_is_verified_at_its_id(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    issuer = _json(docs, "https://example.org/organization.json")
    assert run(lone(issuer), docs).status is Status.VALID
    docs["https://example.org/organization.json"] = jdoc(issuer | {"email": "not an email"})
    assert run(lone(issuer), docs).status is Status.INVALID


def test_a_concurrent_batch_fetches_each_shared_document_once(conformance_dir: Path) -> None:
    docs = basic_docs(conformance_dir)
    template = _json(docs, ASSERTION)
    urls = [f"https://example.org/a{i}.json" for i in range(40)]
    for url in urls:
        docs[url] = jdoc(template | {"id": url})

    async def go() -> list[Status]:
        async with HttpFetcher(offline=True, documents=docs) as inner:

            async def answer(url: str, accept: str | None) -> Response:
                return await inner.get(url, accept=accept)

            fetcher = FakeFetcher(handler=answer)
            ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW)
            reports = await asyncio.gather(*(verify(hosted(u), ctx) for u in urls))
            calls = Counter(fetcher.asked)
            shared = {u: n for u, n in calls.items() if u not in urls}
            assert shared and max(shared.values()) == 1, shared
            assert all(len(r.evidence) >= 5 for r in reports)
            return [r.status for r in reports]

    assert set(asyncio.run(go())) == {Status.VALID}
