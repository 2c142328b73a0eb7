"""credentialSchema: the 1EdTech schema with single-proof credentials, violations, availability."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.verify_ob3.signing import (
    Issuer,
    badge,
    check,
    contexts_fetcher,
    credential_of,
    run,
    sign_di,
)
from wallet.model import CheckStatus, Status

SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


def _declaring(
    issuer: Issuer, contexts_dir: Path, url: str = SCHEMA_URL, **extra: Any
) -> dict[str, Any]:
    doc = badge(
        issuer, credentialSchema=[{"id": url, "type": "1EdTechJsonSchemaValidator2019"}], **extra
    )
    doc["@context"] = [
        *doc["@context"],
        {
            "1EdTechJsonSchemaValidator2019": "https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019"
        },
    ]
    return doc


def _official(conformance_dir: Path) -> dict[str, Any]:
    body = (conformance_dir / "ob3/schemas/ob_v3p0_achievementcredential_schema.json").read_bytes()
    return {SCHEMA_URL: (200, "application/schema+json", body)}


def test_single_proof_object_passes_the_official_schema(
    conformance_dir: Path, contexts_dir: Path
) -> None:
    """The schema wants ``proof`` as an array; a single proof object is valid VC and must pass."""
    issuer = Issuer.ed25519()
    signed = sign_di(_declaring(issuer, contexts_dir), issuer, contexts_dir)
    assert isinstance(signed["proof"], dict)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir, _official(conformance_dir)))
    assert check(report, "schema").status is CheckStatus.PASS
    assert report.status is Status.VALID


def test_schema_violation_is_invalid(conformance_dir: Path, contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    doc = _declaring(issuer, contexts_dir)
    doc["credentialSubject"]["achievement"].pop("criteria")  # required by the schema
    report = run(
        credential_of(sign_di(doc, issuer, contexts_dir)),
        contexts_fetcher(contexts_dir, _official(conformance_dir)),
    )
    assert check(report, "schema").status is CheckStatus.FAIL
    assert "criteria" in check(report, "schema").message
    assert report.status is Status.INVALID


def test_unidentified_learner_fails_the_ob_schema(
    conformance_dir: Path, contexts_dir: Path
) -> None:
    issuer = Issuer.ed25519()
    doc = _declaring(issuer, contexts_dir)
    doc["credentialSubject"].pop("id")
    report = run(
        credential_of(sign_di(doc, issuer, contexts_dir)),
        contexts_fetcher(contexts_dir, _official(conformance_dir)),
    )
    assert report.status is Status.INVALID


def test_unavailable_schema_makes_the_badge_unverified(contexts_dir: Path) -> None:
    """A shape the issuer declared and nobody checked cannot make the badge valid."""
    issuer = Issuer.ed25519()
    url = "https://schemas.example/not-shipped.json"
    report = run(
        credential_of(sign_di(_declaring(issuer, contexts_dir, url), issuer, contexts_dir)),
        contexts_fetcher(contexts_dir),
    )
    assert check(report, "schema").status is CheckStatus.UNKNOWN
    assert "not available offline" in check(report, "schema").message
    assert report.status is Status.UNVERIFIED


def test_the_shipped_schema_is_used_offline_without_a_mirror(contexts_dir: Path) -> None:
    from wallet.net import HttpFetcher

    issuer = Issuer.ed25519()
    doc = _declaring(issuer, contexts_dir)
    doc["credentialSubject"]["achievement"].pop("criteria")  # required by the schema
    fetcher = HttpFetcher(offline=True, mirrors=[], contexts_dir=None)
    report = run(credential_of(sign_di(doc, issuer, contexts_dir)), fetcher)
    assert check(report, "schema").status is CheckStatus.FAIL
    assert report.status is Status.INVALID
    assert {r.origin for r in report.evidence if r.url == SCHEMA_URL} == {"pinned"}


def test_remote_refs_are_not_followed(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    url = "https://schemas.example/remote-ref.json"
    schema = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$ref": "https://elsewhere.example/s.json",
    }
    fetcher = contexts_fetcher(
        contexts_dir, {url: (200, "application/json", json.dumps(schema).encode())}
    )
    signed = sign_di(_declaring(issuer, contexts_dir, url), issuer, contexts_dir)
    report = run(credential_of(signed), fetcher)
    assert check(report, "schema").status is CheckStatus.WARN
    assert "https://elsewhere.example/s.json" not in fetcher.asked
