"""VC-JWT ``nbf``/``exp`` map to different dates per data model (issue 13).

VC 1.1 (``vc`` claim, 2018 context): nbf = issuanceDate, exp = expirationDate.  VC 2.0: nbf =
validFrom, exp = validUntil.  Only a mapped pair contradicts (invalid); a disagreement with another
date (an OB 3.0 ``validFrom`` inside a 1.1 credential, as Velocity issues) is a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.verify_ob3.signing import (
    OB3,
    VC1,
    Issuer,
    badge,
    check,
    contexts_fetcher,
    jwt_credential,
    run,
    sign_jwt,
)
from wallet.model import CheckStatus, Status

ISSUED = 1704067200  # 2024-01-01T00:00:00Z
EXPIRES = 1893456000  # 2030-01-01T00:00:00Z


def _vc11(issuer: Issuer, **extra: Any) -> dict[str, Any]:
    vc = badge(issuer)
    vc["@context"] = [VC1, OB3]
    vc.pop("validFrom")
    vc["issuanceDate"] = "2024-01-01T00:00:00Z"
    vc.update(extra)
    return vc


def _token(issuer: Issuer, vc: dict[str, Any], **claims: Any) -> str:
    return sign_jwt({"vc": vc, "iss": issuer.did, "jti": vc["id"], **claims}, issuer)


def test_vc11_nbf_is_issuance_date_and_a_later_ob3_valid_from_only_warns(
    contexts_dir: Path,
) -> None:
    issuer = Issuer.ed25519()
    vc = _vc11(issuer, validFrom="2022-12-31T00:00:00Z")
    report = run(jwt_credential(_token(issuer, vc, nbf=ISSUED)), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]
    claims = check(report, "claims")
    assert claims.status is CheckStatus.WARN
    assert "nbf does not match validFrom" in claims.message


def test_vc11_nbf_contradicting_issuance_date_is_invalid(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    vc = _vc11(issuer)
    report = run(
        jwt_credential(_token(issuer, vc, nbf=ISSUED + 3600)), contexts_fetcher(contexts_dir)
    )
    assert report.status is Status.INVALID
    assert "nbf does not match issuanceDate" in check(report, "claims").message


def test_vc11_exp_is_expiration_date(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    vc = _vc11(issuer, expirationDate="2030-01-01T00:00:00Z")
    good = run(
        jwt_credential(_token(issuer, vc, nbf=ISSUED, exp=EXPIRES)), contexts_fetcher(contexts_dir)
    )
    assert good.status is Status.VALID
    assert check(good, "claims").status is CheckStatus.PASS
    bad = run(
        jwt_credential(_token(issuer, vc, nbf=ISSUED, exp=EXPIRES + 86400)),
        contexts_fetcher(contexts_dir),
    )
    assert bad.status is Status.INVALID
    assert "exp does not match expirationDate" in check(bad, "claims").message


def test_vc2_nbf_is_valid_from_and_issuance_date_only_warns(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    doc = badge(issuer, issuanceDate="2023-06-01T00:00:00Z")
    token = sign_jwt({**doc, "iss": issuer.did, "jti": doc["id"], "nbf": ISSUED}, issuer)
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir))
    assert check(report, "claims").status is CheckStatus.WARN
    assert "nbf does not match issuanceDate" in check(report, "claims").message
    contradicting = sign_jwt(
        {**badge(issuer), "iss": issuer.did, "jti": doc["id"], "nbf": ISSUED + 86400}, issuer
    )
    report = run(jwt_credential(contradicting), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert "nbf does not match validFrom" in check(report, "claims").message


def test_vc2_exp_is_valid_until(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    doc = badge(issuer, validUntil="2030-01-01T00:00:00Z")
    token = sign_jwt({**doc, "iss": issuer.did, "nbf": ISSUED, "exp": EXPIRES - 60}, issuer)
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert "exp does not match validUntil" in check(report, "claims").message
