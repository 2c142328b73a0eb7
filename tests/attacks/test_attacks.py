"""Issue 11: each attack an employer once got "valid, exit 0" for, built with the public CLI and the
attacker's own keys, must end not-valid with exit 1 — offline, and online with the issuer's host
unreachable.  Each test also shows the genuine original is valid (served by a loopback issuer and
checked online, or self-certifying), so the only thing that changed the verdict is provenance."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.attacks.support import (
    World,
    as_json,
    checks_of,
    ed25519_key,
    manifest_of,
    public_jwk,
    sign_jcs_as,
    sign_jwt,
    vc_jwt_claims,
    write_mirror,
)
from tests.conftest import FIXED_NOW
from tests.exporters.support import own_credential_document
from wallet.demo.issuer import DemoIssuer

# slow: each attack runs a whole issuer world and verifies bundles
pytestmark = pytest.mark.slow

VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JSONLD = "application/ld+json"


def _urls(issuer: DemoIssuer) -> dict[str, tuple[str, bytes]]:
    return {issuer.url(path): doc for path, doc in issuer.documents.items()}


def _carried(credential: dict[str, Any], *urls: str) -> str:
    """The credential's ``evidence`` check is UNKNOWN and names ``urls`` with "confirm online"."""
    status, message = checks_of(credential)["evidence"]
    assert status == "unknown", credential
    assert "confirm online" in message and "2026-11-23" in message, message
    for url in urls:
        assert url in message, (url, message)
    return message


def _ob3(issuer: dict[str, Any], name: str, subject: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": [VC2, OB3],
        "id": "urn:uuid:attack-" + name.lower().replace(" ", "-"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": issuer,
        "validFrom": "2026-10-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://achievements.example/phd",
                "type": ["Achievement"],
                "name": name,
                "description": "Doctor of Philosophy.",
                "criteria": {"narrative": "A thesis."},
            },
            **subject,
        },
    }


EMAIL_SUBJECT = {
    "identifier": [
        {
            "type": "IdentityObject",
            "identityHash": "mallory@example.org",
            "identityType": "emailAddress",
            "hashed": False,
        }
    ]
}


def test_forged_ob2_hosted_badge_with_meaningless_proof_keys(world: World) -> None:
    uni = DemoIssuer(world.base, FIXED_NOW)  # a made-up university: the attacker's own documents
    phd = uni.ob2_badge_class("phd", "PhD, University of Oxford", "Doctor of Philosophy.", [])
    assertion = uni.ob2_assertion("phd", phd, signed=False, issued=FIXED_NOW - timedelta(days=9))
    url = uni.publish("/assertions/phd.json", assertion)
    uni.ob2_issuer(revoked=[])
    genuine = _urls(uni)
    world.serve(genuine)
    assert world.verify(url, offline=False)[1]["status"] == "valid"  # served now: valid online

    def with_proof(body: bytes) -> bytes:
        document = json.loads(body)
        document["proof"] = {"type": "DataIntegrityProof", "proofValue": "z-meaningless"}
        return as_json(document)

    forged = {
        u: (ctype, with_proof(body) if "json" in ctype else body)
        for u, (ctype, body) in genuine.items()
    }
    bundle = world.attacker_bundle([url], forged)
    world.stop()
    (credential,) = world.assert_never_valid(bundle)
    assert credential["status"] == "unverified"
    _carried(credential, url, uni.url("/issuer.json"))


def test_forged_ob2_signed_badge_with_carried_key_and_profile(world: World) -> None:
    uni = DemoIssuer(world.base, FIXED_NOW)  # attacker RSA key, fake CryptographicKey + Profile
    phd = uni.ob2_badge_class("phd", "PhD, University of Oxford", "Doctor of Philosophy.", [])
    assertion = uni.ob2_assertion("phd", phd, signed=True, issued=FIXED_NOW - timedelta(days=9))
    uni.ob2_issuer(revoked=[])
    source = world.tmp / "phd.jws"
    source.write_text(uni.jws_rs256(assertion), encoding="ascii")
    documents = _urls(uni)
    world.serve(documents)
    assert world.verify(source, offline=False)[1]["status"] == "valid"  # key fetched now: valid
    bundle = world.attacker_bundle([str(source)], documents)
    world.stop()
    (credential,) = world.assert_never_valid(bundle)
    assert credential["status"] == "unverified"
    _carried(credential, uni.url("/key.json"), uni.url("/issuer.json"))


def test_vc_jwt_naming_an_https_issuer_with_its_key_only_in_the_jwk_header(world: World) -> None:
    key = ed25519_key()
    jwk = public_jwk(key)
    https_issuer = world.base.replace("http://", "https://") + "/issuers/oxford"

    def jwt_file(name: str, issuer: str) -> Path:
        credential = _ob3(
            {"id": issuer, "type": ["Profile"], "name": "Oxford"}, "PhD", EMAIL_SUBJECT
        )
        path = world.tmp / name
        path.write_text(sign_jwt({"alg": "EdDSA", "jwk": jwk}, vc_jwt_claims(credential), key))
        return path

    source = jwt_file("phd.jwt", https_issuer)
    # plain `plecak verify`: the signature is intact, but nothing the issuer publishes confirms it
    for offline in (True, False):
        code, report = world.verify(source, offline=offline)
        assert (code, report["status"]) == (1, "unverified"), report
        (key_check,) = [c for c in report["checks"] if c["id"] == "issuer-key"]
        assert key_check["status"] == "unknown"
        assert "nothing the issuer publishes confirms this key" in key_check["message"]
    # the genuine form: the issuer *is* that key (did:jwk), self-certifying, valid anywhere
    did_jwk = "did:jwk:" + _b64(json.dumps(jwk, separators=(",", ":")).encode())
    original = jwt_file("genuine.jwt", did_jwk)
    for offline in (True, False):
        code, report = world.verify(original, offline=offline)
        assert (code, report["status"]) == (0, "valid"), report
    bundle = world.attacker_bundle([str(source)], {})
    world.stop()
    (credential,) = world.assert_never_valid(bundle)
    assert credential["status"] == "unverified"


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def test_did_web_credential_whose_carried_did_document_holds_the_attackers_key(
    world: World,
) -> None:
    key = ed25519_key()
    host = world.base.split("://", 1)[1]
    did = "did:web:" + host.replace(":", "%3A")
    did_url = f"https://{host}/.well-known/did.json"
    multibase = _did_key(key).removeprefix("did:key:")
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#key-1",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multibase,
            }
        ],
        "assertionMethod": [f"{did}#key-1"],
    }
    credential = _ob3({"id": did, "type": ["Profile"], "name": "Oxford"}, "PhD", EMAIL_SUBJECT)
    source = world.tmp / "phd.json"
    source.write_bytes(as_json(sign_jcs_as(credential, key, f"{did}#key-1")))
    carried = {did_url: ("application/did+json", as_json(document))}
    # the genuine check: the employer's own pinning (--mirror) of the issuer's DID document
    index = write_mirror(world.tmp / "employer-pins", carried)
    code, report = world.verify(source, offline=True, extra=("--mirror", str(index)))
    assert (code, report["status"]) == (0, "valid"), report
    bundle = world.attacker_bundle([str(source)], carried)
    world.stop()
    (found,) = world.assert_never_valid(bundle)
    assert found["status"] == "unverified"
    _carried(found, did_url)
    # An employer who pinned the issuer's real DID document (another key) gets that one, never
    # the carried copy: the signature then fails outright.
    real = {**document, "verificationMethod": [{**document["verificationMethod"][0]}]}
    real["verificationMethod"][0]["publicKeyMultibase"] = _did_key(ed25519_key())[8:]
    pinned = write_mirror(
        world.tmp / "real-pins", {did_url: ("application/did+json", as_json(real))}
    )
    code, report = world.verify(bundle, offline=True, extra=("--mirror", str(pinned)))
    assert (code, report["credentials"][0]["status"]) == (1, "invalid"), report
    code, report = world.verify(bundle, offline=True, extra=("--mirror", str(index)))
    assert (code, report["status"]) == (0, "valid"), report  # pinned by the employer: a ground


def _did_key(private_key: bytes) -> str:
    from wallet.codecs import holder

    return holder.did_key_from_private(private_key)


def test_revoked_credential_whose_carried_status_list_was_replaced(world: World) -> None:
    uni = DemoIssuer(world.base, FIXED_NOW)  # the genuine issuer (did:key) revoked index 3
    list_url = uni.status_list("/status/revocation", "revocation", [3])
    credential = uni.ob3_credential(
        "phd", "PhD", issued=FIXED_NOW - timedelta(days=9), status=("revocation", list_url, 3)
    )
    source = world.tmp / "phd.jwt"
    source.write_text(uni.vc_jwt(credential), encoding="ascii")
    world.serve(_urls(uni))
    code, report = world.verify(source, offline=False)
    assert (code, report["status"]) == (1, "revoked")
    # the attacker's own did:key signs a clean list at the same URL, naming itself its issuer
    attacker = DemoIssuer(world.base, FIXED_NOW)
    attacker.status_list("/status/revocation", "revocation", [])
    bundle = world.attacker_bundle([str(source)], _urls(attacker))
    code, report = world.verify(bundle, offline=False)  # the issuer answers: the truth wins
    assert code == 1 and report["credentials"][0]["status"] == "revoked", report
    world.stop()
    (found,) = world.assert_never_valid(bundle)
    assert found["status"] == "unverified"
    _carried(found, list_url)


def test_someone_elses_credential_presented_by_the_attackers_did_key(world: World) -> None:
    issuer_key = ed25519_key()
    theirs = own_credential_document("did:example:alice", slug="alice", issuer_key=issuer_key)
    source = world.tmp / "alice.json"
    source.write_bytes(as_json(theirs))
    bundle = world.attacker_bundle([str(source)], {})
    world.stop()
    (found,) = world.assert_never_valid(bundle)
    status, message = checks_of(found)["holder"]
    assert status == "fail" and "did:example:alice" in message
    assert checks_of(found)["evidence"][0] == "pass"  # did:key, pinned contexts: only the holder
    # the genuine original: issued to the presenter's own DID, it is valid offline
    assert _genuine_bundle_is_valid(world, issuer_key, bundle)


def _genuine_bundle_is_valid(world: World, issuer_key: bytes, attacker_bundle: Path) -> bool:
    """In the attacker's own wallet, a credential issued to that wallet's DID verifies valid."""
    holder_did = manifest_of(attacker_bundle)["holder"]
    mine = own_credential_document(holder_did, slug="own", issuer_key=issuer_key)
    source = world.tmp / "own.json"
    source.write_bytes(as_json(mine))
    home = world.home("attacker")
    assert world.cli(home, "remove", "--yes", *_ids(world, home))[0] == 0
    bundle = world.attacker_bundle([str(source)], {})
    code, report = world.verify(bundle, offline=True)
    assert (code, report["status"]) == (0, "valid"), report
    status, message = checks_of(report["credentials"][0])["holder"]
    return status == "pass" and holder_did in message


def _ids(world: World, home: str) -> list[str]:
    _code, out, _err = world.cli(home, "list", "--json")
    return [json.loads(line)["id"] for line in out.splitlines() if line.strip()]
