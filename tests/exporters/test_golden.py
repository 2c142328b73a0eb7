"""Golden files for every export format: a fixed clock, a fixed key and credentials made here.

Regenerate after an intended change with ``PLECAK_UPDATE_GOLDEN=1`` and review the diff.  The
inputs are generated in this file (no corpus data is copied into the project); reports are fixed
so that verifier wording changes do not move the goldens.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import png
import pytest

from exporters.registry import default_exporters
from importers.registry import default_registry
from wallet.codecs import baking, holder
from wallet.model import (
    CheckResult,
    CheckStatus,
    Credential,
    FetchRecord,
    Status,
    VerificationReport,
)
from wallet.ports import Blob, ExportRequest

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "exporters" / "golden"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ISSUER_KEY = bytes([7] * 32)
HOLDER_KEY = bytes(range(32))
UPDATE = os.environ.get("PLECAK_UPDATE_GOLDEN") == "1"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _png() -> bytes:
    out = io.BytesIO()
    png.Writer(4, 4, greyscale=True).write(out, [[0, 85, 170, 255]] * 4)
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def _ob3() -> bytes:
    issuer = holder.did_key_from_private(ISSUER_KEY)
    doc = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0b1d4c3e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Analiza danych",
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": "Politechnika Testowa",
            "address": {"type": ["Address"], "addressCountry": "Polska"},
        },
        "validFrom": "2025-06-30T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": False,
                    "identityHash": "anna@example.org",
                }
            ],
            "achievement": {
                "id": "https://example.edu/achievements/data-analysis",
                "type": ["Achievement"],
                "name": "Analiza danych",
                "description": "Mikropoświadczenie z analizy danych.",
                "achievementType": "MicroCredential",
                "inLanguage": "pl",
                "criteria": {"narrative": "Projekt i egzamin."},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "Poziom 6",
                        "targetFramework": "Polska Rama Kwalifikacji",
                        "targetCode": "6",
                        "targetUrl": "https://example.edu/prk/6",
                    },
                    {
                        "type": ["Alignment"],
                        "targetName": "analyse big data",
                        "targetUrl": "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-00000000000a",
                    },
                    {
                        "type": ["Alignment"],
                        "targetName": "4 ECTS",
                        "targetFramework": "ECTS",
                        "targetCode": "4",
                        "targetUrl": "https://example.edu/ects",
                    },
                ],
                "related": [{"id": "https://example.edu/achievements/statistics"}],
            },
        },
    }
    signed = holder.sign_jcs(doc, ISSUER_KEY, created=NOW)
    return json.dumps(signed, indent=2, ensure_ascii=False).encode() + b"\n"


def _vc_jwt() -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    vc: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0b1d4c3e-0000-4000-8000-000000000002",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Statystyka",
        "issuer": {
            "id": holder.did_key_from_private(ISSUER_KEY),
            "type": ["Profile"],
            "name": "Politechnika Testowa",
        },
        "validFrom": "2025-02-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/statistics",
                "type": ["Achievement"],
                "name": "Statystyka",
                "description": "Podstawy.",
                "criteria": {"narrative": "Egzamin."},
            },
        },
    }
    header = _b64url(
        json.dumps(
            {
                "alg": "EdDSA",
                "typ": "JWT",
                "kid": holder.verification_method(holder.did_key_from_private(ISSUER_KEY)),
            }
        ).encode()
    )
    claims = _b64url(
        json.dumps(
            {"vc": vc, "iss": vc["issuer"]["id"], "jti": vc["id"], "nbf": 1738368000}
        ).encode()
    )
    signature = Ed25519PrivateKey.from_private_bytes(ISSUER_KEY).sign(f"{header}.{claims}".encode())
    return f"{header}.{claims}.{_b64url(signature)}".encode()


def _report(credential: Credential, body: bytes) -> VerificationReport:
    record = FetchRecord(
        url="https://example.edu/issuer.json",
        final_url="https://example.edu/issuer.json",
        status=200,
        content_type="application/ld+json",
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=NOW,
        size=len(body),
    )
    return VerificationReport(
        status=Status.VALID,
        checks=(
            CheckResult("proof", CheckStatus.PASS, "The issuer's signature is valid.", step=1),
        ),
        checked_at=NOW,
        format=credential.format,
        credential_id=credential.credential_id,
        evidence=(record,),
    )


@pytest.fixture(scope="module")
def request_all() -> ExportRequest:
    registry = default_registry()
    ob3 = _ob3()
    blobs = {
        "ob3": Blob(ob3, "analiza.json"),
        "jwt": Blob(_vc_jwt(), "statystyka.jwt"),
        "png": Blob(baking.bake_png(_png(), ob3, keyword=baking.OB3_KEYWORD), "analiza.png"),
    }
    credentials = {}
    for key, blob in blobs.items():
        batch = registry.parse_blob(blob)
        credentials[key] = next(f for f in batch.found if isinstance(f, Credential))
    body = b'{"id": "https://example.edu/issuer.json", "name": "Politechnika Testowa"}\n'
    return ExportRequest(
        ids=list(credentials),
        credentials=credentials,
        reports={k: _report(c, body) for k, c in credentials.items()},
        evidence={hashlib.sha256(body).hexdigest(): body},
        holder_key=HOLDER_KEY,
        disclosed_identity="anna@example.org",
        language="pl",
        purpose="Rekrutacja",
        created=NOW,
        options={"image": _png()},
    )


def _golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path} missing: run with PLECAK_UPDATE_GOLDEN=1"
    assert data == path.read_bytes(), f"{name} differs from its golden file"


def test_bundle_golden(request_all: ExportRequest) -> None:
    data = default_exporters()["bundle"].export(request_all)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    listing = {
        name: {"size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        for name, body in entries.items()
    }
    _golden("bundle/entries.json", json.dumps(listing, indent=2).encode() + b"\n")
    for name in (
        "manifest.json",
        "presentation.json",
        "report.json",
        "summary.html",
        "evidence/index.json",
    ):
        _golden(f"bundle/{name}", entries[name])


@pytest.mark.parametrize(
    ("kind", "ids", "file"),
    [
        ("vp", ["ob3", "jwt"], "vp.json"),
        ("clr", ["ob3", "jwt"], "clr.json"),
        ("json", ["jwt"], "json-export.jwt"),
        ("png", ["ob3"], "png-export.png"),
        ("svg", ["ob3"], "svg-export.svg"),
        ("svg", ["jwt"], "svg-export-jwt.svg"),
        ("html", ["ob3", "png"], "summary.html"),
    ],
)
def test_export_golden(request_all: ExportRequest, kind: str, ids: list[str], file: str) -> None:
    from dataclasses import replace

    options = dict(request_all.options)
    if kind == "svg":
        options["image"] = SVG
    data = default_exporters()[kind].export(replace(request_all, ids=ids, options=options))
    _golden(file, data)
