"""Data Integrity proofs: suites, key pinning, purposes, controllers, several proofs."""

from __future__ import annotations

import copy
from pathlib import Path

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


def test_eddsa_rdfc_2022_by_did_key_is_valid(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    report = run(
        credential_of(sign_di(badge(issuer), issuer, contexts_dir)), contexts_fetcher(contexts_dir)
    )
    assert report.status is Status.VALID
    assert check(report, "issuer-key").status is CheckStatus.PASS


def test_ecdsa_rdfc_2019_p256_is_valid_and_tamper_is_caught(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    signed = sign_di(badge(issuer), issuer, contexts_dir)
    assert run(credential_of(signed), contexts_fetcher(contexts_dir)).status is Status.VALID
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    report = run(credential_of(tampered), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert check(report, "proof").status is CheckStatus.FAIL


def test_proof_for_authentication_does_not_issue(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = sign_di(badge(issuer), issuer, contexts_dir, purpose="authentication")
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert "authentication" in check(report, "proof").message


def test_key_of_another_controller_is_refused(contexts_dir: Path) -> None:
    issuer, stranger = Issuer.ed25519(), Issuer.ed25519()
    signed = sign_di(badge(issuer), stranger, contexts_dir)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert check(report, "issuer-key").status is CheckStatus.FAIL


def test_suite_pins_key_type(contexts_dir: Path) -> None:
    """An ecdsa-rdfc-2019 proof naming an Ed25519 key is refused before any cryptography."""
    issuer = Issuer.ed25519()
    signed = sign_di(badge(issuer), issuer, contexts_dir, cryptosuite="ecdsa-rdfc-2019")
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert "cannot make" in check(report, "proof").message


def test_any_valid_proof_suffices_and_the_bad_one_is_reported(contexts_dir: Path) -> None:
    issuer, stranger = Issuer.ed25519(), Issuer.p256()
    signed = sign_di(sign_di(badge(issuer), stranger, contexts_dir), issuer, contexts_dir)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID
    assert check(report, "proof:1").status is CheckStatus.WARN
    assert check(report, "proof:2").status is CheckStatus.PASS


def test_unsupported_proof_type_is_unverified(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = sign_di(badge(issuer), issuer, contexts_dir)
    signed["proof"]["cryptosuite"] = "bbs-2023"
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.UNVERIFIED


def test_unsigned_credential_is_invalid(contexts_dir: Path) -> None:
    report = run(credential_of(badge(Issuer.ed25519())), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert check(report, "proof").status is CheckStatus.FAIL


def test_malformed_proof_value_is_invalid(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = sign_di(badge(issuer), issuer, contexts_dir)
    signed["proof"]["proofValue"] = "zNotBase58!!"
    assert run(credential_of(signed), contexts_fetcher(contexts_dir)).status is Status.INVALID
