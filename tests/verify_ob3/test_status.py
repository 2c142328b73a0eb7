"""Status lists: bits, purposes, the list credential's own proof/type/dates, availability."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

from tests.verify_ob3.signing import (
    VC2,
    Issuer,
    badge,
    bitstring,
    check,
    contexts_fetcher,
    credential_of,
    run,
    sign_di,
)
from wallet.model import CheckStatus, Status

LIST_URL = "https://issuer.example/status/1"


def _list(
    signer: Issuer,
    contexts_dir: Path,
    *,
    purpose: str = "revocation",
    bits: dict[int, int] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    doc = {
        "@context": [VC2],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": signer.did,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": LIST_URL + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": bitstring(bits),
        },
        **extra,
    }
    return sign_di(doc, signer, contexts_dir)


def _badge_with_status(
    issuer: Issuer, contexts_dir: Path, index: int, purpose: str = "revocation"
) -> dict[str, Any]:
    doc = badge(issuer)
    doc["credentialStatus"] = {
        "id": f"{LIST_URL}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": LIST_URL,
    }
    return sign_di(doc, issuer, contexts_dir)


def _run(
    contexts_dir: Path, credential: dict[str, Any], status_list: dict[str, Any] | bytes | None
) -> Any:
    served = {}
    if status_list is not None:
        body = status_list if isinstance(status_list, bytes) else json.dumps(status_list).encode()
        served[LIST_URL] = (200, "application/vc+ld+json", body)
    return run(credential_of(credential), contexts_fetcher(contexts_dir, served))


def test_set_revocation_bit_is_revoked(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    report = _run(
        contexts_dir,
        _badge_with_status(issuer, contexts_dir, 42),
        _list(issuer, contexts_dir, bits={42: 1}),
    )
    assert report.status is Status.REVOKED
    assert check(report, "status").outcome is Status.REVOKED


def test_clear_bit_is_valid_and_neighbour_bits_do_not_leak(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    status_list = _list(issuer, contexts_dir, bits={41: 1, 43: 1})
    report = _run(contexts_dir, _badge_with_status(issuer, contexts_dir, 42), status_list)
    assert report.status is Status.VALID


def test_suspension_bit_is_suspended(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    status_list = _list(issuer, contexts_dir, purpose="suspension", bits={3: 1})
    report = _run(
        contexts_dir, _badge_with_status(issuer, contexts_dir, 3, "suspension"), status_list
    )
    assert report.status is Status.SUSPENDED


def test_list_for_another_purpose_is_refused(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    status_list = _list(issuer, contexts_dir, purpose="suspension")
    report = _run(contexts_dir, _badge_with_status(issuer, contexts_dir, 3), status_list)
    # issue 13: a list problem leaves the status unknown, never invalid
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN


def test_list_signed_by_a_stranger_is_refused(contexts_dir: Path) -> None:
    issuer, stranger = Issuer.ed25519(), Issuer.ed25519()
    status_list = _list(stranger, contexts_dir)
    status_list["issuer"] = issuer.did  # claims to be the issuer's, signed by someone else
    status_list = sign_di(
        {k: v for k, v in status_list.items() if k != "proof"}, stranger, contexts_dir
    )
    report = _run(contexts_dir, _badge_with_status(issuer, contexts_dir, 1), status_list)
    # issue 13: a list problem leaves the status unknown, never invalid
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN
    assert "proof" in check(report, "status").message


def test_expired_list_is_refused(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    status_list = _list(issuer, contexts_dir, validUntil="2025-01-01T00:00:00Z")
    report = _run(contexts_dir, _badge_with_status(issuer, contexts_dir, 1), status_list)
    # issue 13: a list problem leaves the status unknown, never invalid
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN


def test_unavailable_list_is_unverified_never_valid(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    report = _run(contexts_dir, _badge_with_status(issuer, contexts_dir, 1), None)
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN


def test_index_beyond_the_list_is_refused(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    report = _run(
        contexts_dir, _badge_with_status(issuer, contexts_dir, 10**9), _list(issuer, contexts_dir)
    )
    # issue 13: a list problem leaves the status unknown, never invalid
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN


def test_gzip_bomb_list_is_refused_within_the_cap(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    bomb = gzip.compress(bytes(64 * 1024 * 1024))
    status_list = _list(issuer, contexts_dir)
    status_list["credentialSubject"]["encodedList"] = (
        "u" + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    )
    status_list = sign_di(
        {k: v for k, v in status_list.items() if k != "proof"}, issuer, contexts_dir
    )
    report = _run(contexts_dir, _badge_with_status(issuer, contexts_dir, 1), status_list)
    # issue 13: a list problem leaves the status unknown, never invalid
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN
    assert "decoded" in check(report, "status").message


def test_unknown_status_method_is_unverified(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    doc = badge(issuer)
    doc["credentialStatus"] = {"id": "https://issuer.example/x", "type": "RevocationList2020Status"}
    report = run(credential_of(sign_di(doc, issuer, contexts_dir)), contexts_fetcher(contexts_dir))
    assert report.status in (Status.UNVERIFIED, Status.INVALID)
    assert report.status is not Status.VALID
