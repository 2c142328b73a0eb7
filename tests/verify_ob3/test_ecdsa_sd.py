"""ecdsa-sd-2023 derived proofs (issue 13): made here with keys of the test, and cross-checked
against a derived credential another library made (1EdTech's test suite, conformance/real)."""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from tests.verify_ob3.signing import (
    Issuer,
    badge,
    check,
    contexts_fetcher,
    credential_of,
    run,
)
from wallet.model import CheckStatus, Status
from wallet.verify import ecdsa_sd, jsonld, keys
from wallet.verify.context import VerifyContext


def _canonical(document: dict[str, Any], contexts_dir: Path) -> tuple[Any, Any]:
    async def go() -> tuple[Any, Any]:
        ctx = VerifyContext(fetcher=contexts_fetcher(contexts_dir), offline=True)
        contexts = await jsonld.load_contexts(document, ctx)
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        config = {k: v for k, v in document["proof"].items() if k != "proofValue"}
        config["@context"] = document["@context"]
        return jsonld.canonicalize(unsecured, contexts), jsonld.canonicalize(config, contexts)

    return asyncio.run(go())


def _p256_sign(private: Any, data: bytes) -> bytes:
    r, s = utils.decode_dss_signature(private.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def derive(
    document: dict[str, Any],
    issuer: Issuer,
    contexts_dir: Path,
    *,
    mandatory: tuple[int, ...] | None = (0, 1),
    header: bytes = ecdsa_sd.DERIVED_HEADER,
) -> dict[str, Any]:
    """``document`` (what the holder reveals) with a derived ecdsa-sd-2023 proof by ``issuer``
    (``mandatory`` None: every statement is mandatory)."""
    signed = copy.deepcopy(document)
    signed["proof"] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "ecdsa-sd-2023",
        "created": "2025-01-01T00:00:00Z",
        "verificationMethod": issuer.vm,
        "proofPurpose": "assertionMethod",
    }
    canonical_doc, canonical_config = _canonical(signed, contexts_dir)
    hmac_key = b"k" * 32
    labels = {
        int(n): hmac.new(hmac_key, f"c14n{n}".encode(), hashlib.sha256).digest()
        for n in set(ecdsa_sd._LABEL.findall(canonical_doc.nquads))
    }
    statements = ecdsa_sd.relabelled(canonical_doc.nquads, labels)
    if mandatory is None:
        mandatory = tuple(range(len(statements)))
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    public = b"\x80\x24" + ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    chosen = [s for i, s in enumerate(statements) if i in mandatory]
    signed_data = (
        hashlib.sha256(canonical_config.nquads.encode()).digest()
        + public
        + hashlib.sha256("".join(chosen).encode()).digest()
    )
    optional = [s for i, s in enumerate(statements) if i not in mandatory]
    signatures = [_p256_sign(ephemeral, s.encode()) for s in optional]
    if header == ecdsa_sd.BASE_HEADER:
        # the holder's copy: the HMAC key instead of the label map, the pointers as written
        parts: list[Any] = [issuer.sign_bytes(signed_data), public, hmac_key, signatures, ["/x"]]
    else:
        parts = [issuer.sign_bytes(signed_data), public, signatures, labels, list(mandatory)]
    value = header + cbor2.dumps(parts)
    signed["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(value).rstrip(b"=").decode()
    return signed


def test_derived_proof_by_the_issuer_is_valid(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    report = run(
        credential_of(derive(badge(issuer), issuer, contexts_dir)), contexts_fetcher(contexts_dir)
    )
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]
    assert "ecdsa-sd-2023" in check(report, "proof").message


def test_altered_revealed_statement_is_invalid(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    signed = derive(badge(issuer), issuer, contexts_dir)
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert check(report, "proof").status is CheckStatus.FAIL


def test_altered_mandatory_statement_is_invalid(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    signed = derive(badge(issuer), issuer, contexts_dir, mandatory=None)
    assert run(credential_of(signed), contexts_fetcher(contexts_dir)).status is Status.VALID
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID


def test_derived_proof_by_another_key_is_invalid(contexts_dir: Path) -> None:
    issuer, stranger = Issuer.p256(), Issuer.p256()
    signed = derive(badge(issuer), stranger, contexts_dir)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID


@pytest.mark.parametrize("mandatory", [(0, 1), None, ()], ids=["some", "all", "none"])
def test_base_proof_by_the_issuer_is_valid(contexts_dir: Path, mandatory: Any) -> None:
    """The learner's own copy (base proof) is checked too: each optional statement by its
    ephemeral signature, the rest by the issuer's signature."""
    issuer = Issuer.p256()
    signed = derive(
        badge(issuer), issuer, contexts_dir, mandatory=mandatory, header=ecdsa_sd.BASE_HEADER
    )
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]


@pytest.mark.parametrize("mandatory", [(0, 1), None], ids=["optional-altered", "mandatory-altered"])
def test_altered_base_proof_credential_is_invalid(contexts_dir: Path, mandatory: Any) -> None:
    issuer = Issuer.p256()
    signed = derive(
        badge(issuer), issuer, contexts_dir, mandatory=mandatory, header=ecdsa_sd.BASE_HEADER
    )
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID


def test_base_proof_with_a_statement_removed_is_invalid(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    signed = derive(badge(issuer), issuer, contexts_dir, header=ecdsa_sd.BASE_HEADER)
    del signed["credentialSubject"]["achievement"]["description"]
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID


@pytest.mark.parametrize("value", ["zabc", "u", "uAAAA", "u2V0BgA", 5])
def test_malformed_proof_values_are_refused(value: Any) -> None:
    with pytest.raises(ValueError):
        ecdsa_sd.parse_derived(value)


def test_another_librarys_derived_credential_verifies(
    conformance_dir: Path, contexts_dir: Path
) -> None:
    """1EdTech's derived credential (made with Digital Bazaar's library) checks out with the key in
    its verification method's fragment: the algorithm agrees with another implementation.  (The
    verifier itself never takes a key from a fragment: that case is ``unverified``.)"""
    doc = json.loads((conformance_dir / "real/files/1edtech/sd/derivedcredential.json").read_text())
    proof = doc["proof"][0] if isinstance(doc["proof"], list) else doc["proof"]
    doc["proof"] = proof
    canonical_doc, canonical_config = _canonical(doc, contexts_dir)
    derived = ecdsa_sd.parse_derived(proof["proofValue"])
    kind, public = keys.from_multikey(proof["verificationMethod"].split("#")[1])
    assert kind == "P-256"
    assert ecdsa_sd.problem(derived, canonical_doc.nquads, canonical_config.nquads, public) is None
    tampered = canonical_doc.nquads.replace("\n", " \n", 1)
    assert ecdsa_sd.problem(derived, tampered, canonical_config.nquads, public) is not None


def test_the_w3c_base_proof_vector_verifies(contexts_dir: Path) -> None:
    """W3C vc-di-ecdsa's signed base document (tests/data/ecdsa_sd/SOURCES.md) checks out with
    its did:key: the base-proof algorithm agrees with the specification's own vectors."""
    path = Path(__file__).parent.parent / "data/ecdsa_sd/w3c-vc-di-ecdsa-addSignedSDBase.json"
    raw = path.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == (
        "33ead5defc2ff252d3d9cf6da4239ea70546161134c11be195c0529da1ee756e"
    )
    doc = json.loads(raw)
    canonical_doc, canonical_config = _canonical(doc, contexts_dir)
    base = ecdsa_sd.parse(doc["proof"]["proofValue"])
    assert isinstance(base, ecdsa_sd.Base)
    _kind, public = keys.from_multikey(doc["proof"]["verificationMethod"].split("#")[1])
    assert (
        ecdsa_sd.base_problem(base, canonical_doc.nquads, canonical_config.nquads, public) is None
    )
    doc["credentialSubject"]["sails"][0]["year"] = 2024
    altered, _config = _canonical(doc, contexts_dir)
    assert ecdsa_sd.base_problem(base, altered.nquads, canonical_config.nquads, public) is not None
