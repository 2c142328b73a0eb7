"""Builders for importer test data, generated in the test (never copied from the corpora)."""

from __future__ import annotations

import base64
import io
import json
import struct
import zipfile
import zlib
from typing import Any

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(ctype: bytes, body: bytes, *, crc: int | None = None) -> bytes:
    value = zlib.crc32(ctype + body) if crc is None else crc
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", value)


def png(*extra: bytes, width: int = 1, height: int = 1, idat_bytes: int = 0) -> bytes:
    """A valid RGB PNG; ``extra`` chunks go after IHDR; ``idat_bytes`` pads the image data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    idat = [chunk(b"IDAT", zlib.compress(raw))]
    if idat_bytes:
        # Extra ancillary private chunks stand in for a large image without decoding cost.
        filler = bytes(range(256)) * (idat_bytes // 256 + 1)
        idat.insert(0, chunk(b"prVt", filler[:idat_bytes]))
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", ihdr)
        + b"".join(extra)
        + b"".join(idat)
        + chunk(b"IEND", b"")
    )


def itxt(keyword: str, text: bytes, *, compressed: bool = False) -> bytes:
    body = zlib.compress(text) if compressed else text
    flag = b"\x01\x00" if compressed else b"\x00\x00"
    return chunk(b"iTXt", keyword.encode() + b"\x00" + flag + b"\x00\x00" + body)


def ztxt(keyword: str, text: bytes) -> bytes:
    return chunk(b"zTXt", keyword.encode() + b"\x00\x00" + zlib.compress(text))


def text_chunk(keyword: str, text: bytes) -> bytes:
    return chunk(b"tEXt", keyword.encode() + b"\x00" + text)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jws(claims: Any, header: dict[str, Any] | None = None, signature: bytes = b"\x01" * 64) -> str:
    """A compact JWS with a made-up signature (importers never verify)."""
    head = header if header is not None else {"alg": "RS256", "typ": "JWT"}
    return ".".join(
        [
            b64url(json.dumps(head).encode()),
            b64url(json.dumps(claims).encode()),
            b64url(signature),
        ]
    )


OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def ob2_assertion(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": "https://issuer.example/assertions/1",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "deadsea",
            "identity": "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942",
        },
        "issuedOn": "2024-05-01T10:00:00Z",
        "expires": "2030-05-01T10:00:00Z",
        "badge": {
            "type": "BadgeClass",
            "id": "https://issuer.example/badges/robotics",
            "name": "Robotics",
            "description": "Built a robot.",
            "image": "https://issuer.example/badges/robotics.png",
            "criteria": {"id": "https://issuer.example/criteria", "narrative": "Build one."},
            "tags": ["robots", "stem"],
            "alignment": [
                {
                    "targetName": "Engineering",
                    "targetUrl": "http://data.europa.eu/esco/skill/x",
                    "targetFramework": "ESCO",
                    "targetCode": "x",
                }
            ],
            "issuer": {
                "type": "Profile",
                "id": "https://issuer.example/org",
                "name": "Example University",
                "url": "https://issuer.example",
                "email": "badges@issuer.example",
            },
        },
        "evidence": [{"id": "https://learner.example/robot", "narrative": "My robot"}],
        "verification": {"type": "hosted"},
    }
    doc.update(overrides)
    return doc


OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def ob3_credential(
    uid: str = "urn:uuid:11111111-2222-3333-4444-555555555555", **extra: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": OB3_CONTEXT,
        "id": uid,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Data Science Fundamentals",
        "issuer": {
            "id": "did:web:issuer.example",
            "type": ["Profile"],
            "name": "Example Academy",
            "address": {"type": ["Address"], "addressCountry": "PL"},
        },
        "validFrom": "2025-01-01T00:00:00Z",
        "validUntil": "2030-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "identityHash": "sha256$abc",
                    "hashed": True,
                    "salt": "pepper",
                }
            ],
            "creditsEarned": 4,
            "result": [{"type": ["Result"], "resultDescription": "urn:rd:1", "value": "A"}],
            "achievement": {
                "id": "https://issuer.example/achievements/ds",
                "type": ["Achievement"],
                "name": "Data Science",
                "description": "Fundamentals of data science.",
                "achievementType": "MicroCredential",
                "criteria": {"narrative": "Pass the exam."},
                "creditsAvailable": 5,
                "tag": ["data", "python"],
                "inLanguage": "en",
                "related": [{"id": "https://issuer.example/achievements/ds-advanced"}],
                "resultDescription": [
                    {"id": "urn:rd:1", "name": "Final grade", "resultType": "LetterGrade"}
                ],
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "EQF level 5",
                        "targetUrl": "http://data.europa.eu/snb/eqf/5",
                        "targetFramework": "European Qualifications Framework",
                        "targetCode": "5",
                    }
                ],
            },
        },
        "evidence": [{"id": "https://learner.example/project", "name": "Capstone"}],
    }
    doc.update(extra)
    return doc


def zip_bytes(entries: dict[str, bytes], *, symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
