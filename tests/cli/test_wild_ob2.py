"""OB 1.x/2.0 badges as real issuers make them (issue 13), through the CLI on a real wallet.

A world of our own (an issuer made in the test) is served from an offline mirror: a hosted assertion
whose BadgeClass and Issuer are only linked by URL, written with the quirks seen in the wild
(``verification.type`` "Hosted", ``salt`` null), carried as JSON or inside a JWS; and an OB 1.0
baked PNG whose tEXt chunk holds only the assertion URL.
"""

from __future__ import annotations

import hashlib
import json
import struct
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwk as jose_jwk
from joserfc import jws as jose_jws

from tests.cli.lines import json_lines
from tests.support.cli import run_cli as run
from tests.support.mirror import mirror_from_serve

V2 = "https://w3id.org/openbadges/v2"
ASSERTION = "https://badges.example/assertions/42.json"
BADGE = "https://badges.example/badges/gardening.json"
ISSUER = "https://badges.example/org.json"
IMAGE = "https://badges.example/badges/gardening.png"
EMAIL = "learner@example.org"


def _assertion() -> dict[str, Any]:
    return {
        "@context": V2,
        "type": "Assertion",
        "id": ASSERTION,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": None,
            "identity": "sha256$" + hashlib.sha256(EMAIL.encode()).hexdigest(),
        },
        "badge": BADGE,
        "verification": {"type": "Hosted"},
        "issuedOn": "2025-03-01T10:00:00Z",
    }


def _world(tmp_path: Path, png: bytes, *, with_assertion: bool = True) -> Path:
    """The issuer's site as an offline mirror index."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    docs: dict[str, Any] = {
        BADGE: {
            "@context": V2,
            "type": "BadgeClass",
            "id": BADGE,
            "name": "Community Gardening",
            "description": "Kept a community garden through one season.",
            "image": IMAGE,
            "criteria": {"narrative": "Tend the garden weekly."},
            "issuer": ISSUER,
        },
        ISSUER: {
            "@context": V2,
            "type": "Issuer",
            "id": ISSUER,
            "name": "Green Streets Association",
            "url": "https://badges.example",
            "email": "badges@badges.example",
        },
    }
    if with_assertion:
        docs[ASSERTION] = _assertion()
    serve = {}
    for number, (url, doc) in enumerate(docs.items()):
        (site / f"{number}.json").write_text(json.dumps(doc))
        serve[url] = f"{number}.json"
    (site / "image.png").write_bytes(png)
    serve[IMAGE] = "image.png"
    return mirror_from_serve(tmp_path / f"m{int(with_assertion)}", site, serve)


@pytest.fixture
def png(conformance_dir: Path) -> bytes:
    return (conformance_dir / "real/www/example.org/robotics-badge.png").read_bytes()


def test_linked_badgeclass_and_issuer_are_shown_everywhere(
    home: Path, tmp_path: Path, png: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror = _world(tmp_path, png)
    source = tmp_path / "assertion.json"
    source.write_text(json.dumps(_assertion()))
    assert run(capsys, "init")[0] == 0
    assert run(capsys, "identity", "add", EMAIL)[0] == 0
    code, out, err = run(capsys, "--mirror", str(mirror), "import", "--json", str(source))
    assert code == 0, err
    (record,) = json_lines(out)
    assert record["state"] == "stored" and record["status"] == "valid", record
    code, out, _ = run(capsys, "list", "--json")
    (listed,) = json_lines(out)
    assert listed["title"] == "Community Gardening"
    assert listed["issuer"]["name"] == "Green Streets Association"
    _code, out, _ = run(capsys, "list", "--search", "gardening", "--json")
    assert [r["id"] for r in json_lines(out)] == [listed["id"]]
    code, out, _ = run(capsys, "show", str(listed["id"]), "--json")
    shown = json_lines(out)[0]["credential"]
    assert shown["title"] == "Community Gardening"
    assert "Green Streets Association" in json.dumps(shown)
    bundle = tmp_path / "share.zip"
    assert run(capsys, "export", "bundle", str(listed["id"]), "-o", str(bundle))[0] == 0
    with zipfile.ZipFile(bundle) as archive:
        manifest = archive.read("manifest.json").decode()
        summary = archive.read("summary.html").decode()
    assert "Community Gardening" in manifest and "Green Streets Association" in manifest
    assert "Community Gardening" in summary and "Green Streets Association" in summary


def _rs256_token(payload: dict[str, Any]) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jose_jws.serialize_compact(
            {"alg": "RS256"}, json.dumps(payload).encode(), jose_jwk.import_key(pem), ["RS256"]
        )


def test_hosted_assertion_carried_in_a_jws_is_verified_as_hosted(
    home: Path, tmp_path: Path, png: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror = _world(tmp_path, png)
    source = tmp_path / "badge.jws"
    source.write_text(_rs256_token(_assertion()))
    code, out, _err = run(
        capsys, "--mirror", str(mirror), "verify", "--json", "--recipient", EMAIL, str(source)
    )
    (record,) = json_lines(out)
    assert record["status"] == "valid", record
    assert record["format"] == "ob2-hosted"
    assert code == 0


def _text_chunk_png(png: bytes, text: str) -> bytes:
    """``png`` with a tEXt ``openbadges`` chunk after IHDR (how OB 1.0 badges were baked)."""
    body = b"openbadges\x00" + text.encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body))
    ihdr_end = 8 + 8 + 13 + 4
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def test_baked_url_that_cannot_be_reached_is_stored_unverified_then_rechecked(
    home: Path, tmp_path: Path, png: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    baked = tmp_path / "baked.png"
    baked.write_bytes(_text_chunk_png(png, ASSERTION))
    assert run(capsys, "init")[0] == 0
    assert run(capsys, "identity", "add", EMAIL)[0] == 0
    offline_world = _world(tmp_path, png, with_assertion=False)
    _code, out, err = run(capsys, "--mirror", str(offline_world), "import", "--json", str(baked))
    (record,) = json_lines(out)
    assert record["state"] == "stored", (record, err)
    assert record["status"] == "unverified"
    _code, out, _ = run(
        capsys, "--mirror", str(_world(tmp_path, png)), "recheck", "--json", str(record["id"])
    )
    (rechecked,) = json_lines(out)
    assert rechecked["status"] == "valid", rechecked
    # what could not be shown at import is shown now, from the documents the recheck fetched
    _code, out, _ = run(capsys, "list", "--json")
    (listed,) = json_lines(out)
    assert listed["title"] == "Community Gardening"
    assert listed["issuer"]["name"] == "Green Streets Association"
    assert listed["issued"]
