"""The conformance mirror helper builds cli.md indexes the verifier engineers can rely on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.mirror import mirror_from_serve


def _case(conformance_dir: Path, corpus: str, case_id: str) -> dict[str, Any]:
    cases = json.loads((conformance_dir / corpus / "cases.json").read_text(encoding="utf-8"))
    return next(c for c in cases if c["id"] == case_id)


def test_ob2_serve_with_meta_status(conformance_dir: Path, tmp_path: Path) -> None:
    case = _case(conformance_dir, "ob2", "hosted-2.0-revoked-410")
    index_path = mirror_from_serve(
        tmp_path, conformance_dir / "ob2", case["serve"], case.get("serve_meta")
    )
    index = json.loads(index_path.read_text(encoding="utf-8"))
    assert set(index) == set(case["serve"])
    revoked = index["https://example.org/beths-robotics-badge.json"]
    assert revoked["status"] == 410
    copied = index_path.parent / revoked["file"]
    original = (
        conformance_dir / "ob2" / case["serve"]["https://example.org/beths-robotics-badge.json"]
    )
    assert copied.read_bytes() == original.read_bytes()
    assert index["https://w3id.org/openbadges/v2"] == "contexts/openbadges_context.jsonld"


def test_ob3_needs_and_status_only_meta(conformance_dir: Path, tmp_path: Path) -> None:
    cases = json.loads((conformance_dir / "ob3" / "cases.json").read_text(encoding="utf-8"))
    case = next(c for c in cases if c["needs"])
    meta = {"https://gone.example/list": {"status": 410}}
    index_path = mirror_from_serve(tmp_path, conformance_dir / "ob3", case["needs"], meta)
    index = json.loads(index_path.read_text(encoding="utf-8"))
    assert index["https://gone.example/list"] == {"status": 410}
    for url, rel in case["needs"].items():
        assert (index_path.parent / index[url]).read_bytes() == (
            conformance_dir / "ob3" / rel
        ).read_bytes()


def test_refuses_escaping_corpus_paths(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        mirror_from_serve(tmp_path, tmp_path, {"https://x.example/": "../secret"})
