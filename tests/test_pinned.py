"""The documents shipped in the package: complete, intact, attributed, and tried first."""

from __future__ import annotations

import hashlib
import json

from wallet.pinned import INDEX, pinned_mirror
from wallet.verify.known_contexts import KNOWN_CONTEXTS, canonical_digest

OB3_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


def _index() -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = json.loads(INDEX.read_text(encoding="utf-8"))
    return index


def test_every_shipped_file_matches_its_sha256_and_names_source_and_licence() -> None:
    for url, entry in _index().items():
        body = (INDEX.parent / entry["file"]).read_bytes()
        assert hashlib.sha256(body).hexdigest() == entry["sha256"], url
        assert entry["source"] and entry["licence"], url


def test_every_pinned_context_ships_with_its_pinned_content() -> None:
    index = _index()
    missing = sorted(set(KNOWN_CONTEXTS) - set(index))
    assert not missing, missing
    for url, pin in KNOWN_CONTEXTS.items():
        body = (INDEX.parent / index[url]["file"]).read_bytes()
        assert canonical_digest(json.loads(body)) == pin, url


def test_the_ob3_achievement_schema_ships() -> None:
    entry = pinned_mirror().lookup(OB3_SCHEMA)
    assert entry is not None
    schema = json.loads(pinned_mirror().read(entry, 1 << 20))
    assert schema["title"] == "JSON Schema for the AchievementCredential class."


def test_the_endorsement_and_clr_schemas_ship() -> None:
    for url in (
        "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json",
        "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json",
        "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_achievementcredential_schema.json",
        "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_endorsementcredential_schema.json",
    ):
        entry = pinned_mirror().lookup(url)
        assert entry is not None, url
        assert json.loads(pinned_mirror().read(entry, 1 << 20))["$id"] == url
