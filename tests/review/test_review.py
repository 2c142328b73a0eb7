"""The advisor's review over bundles: totals, parts vs wholes, levels, skills, stacks, pathway."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from exporters.bundle import BundleExporter
from importers.registry import default_registry
from wallet import i18n
from wallet.errors import MalformedInput
from wallet.model import CheckResult, CheckStatus, Credential, Status, VerificationReport
from wallet.ports import Blob, ExportRequest
from wallet.review import review

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
ECTS = {
    "id": "http://data.europa.eu/snb/education-credit/6fcec5c5af",
    "prefLabel": {"en": "European Credit Transfer System"},
}
SKILL = "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-0000000000{:02d}"


def _elm(
    ident: str,
    title: str,
    ects: float | None,
    *,
    eqf: int = 6,
    hours: int | None = None,
    part_of: str | None = None,
    has_part: str | None = None,
    issued: str = "2025-01-01T00:00:00Z",
    skills: tuple[int, ...] = (),
) -> bytes:
    spec: dict[str, Any] = {
        "id": f"urn:spec:{ident}",
        "title": {"en": title},
        "eqfLevel": {"id": f"http://data.europa.eu/snb/eqf/{eqf}"},
    }
    if ects is not None:
        spec["creditPoint"] = {"framework": ECTS, "point": str(ects)}
    if hours is not None:
        spec["volumeOfLearning"] = f"PT{hours}H"
    if skills:
        spec["learningOutcome"] = [
            {
                "id": "urn:lo:1",
                "title": {"en": "outcomes"},
                "relatedESCOSkill": [
                    {"id": SKILL.format(n), "prefLabel": {"en": f"skill {n}"}} for n in skills
                ],
            }
        ]
    claim: dict[str, Any] = {
        "id": f"urn:claim:{ident}",
        "type": "LearningAchievement",
        "title": {"en": title},
        "specifiedBy": spec,
    }
    if part_of:
        claim["isPartOf"] = {"id": f"urn:claim:{part_of}"}
    if has_part:
        claim["hasPart"] = {"id": f"urn:claim:{has_part}"}
    doc = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "http://data.europa.eu/snb/model/context/edc-ap",
        ],
        "id": f"urn:credential:{ident}",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "issuer": {"id": "urn:org:1", "type": "Organisation", "legalName": {"en": "Uczelnia"}},
        "issued": issued,
        "issuanceDate": issued,
        "credentialSubject": {
            "id": "urn:person:1",
            "type": "Person",
            "fullName": {"en": "Anna Nowak"},
            "hasClaim": claim,
        },
    }
    return json.dumps(doc).encode()


def _credential(data: bytes) -> Credential:
    batch = default_registry().parse_blob(Blob(data, "test.json"))
    return next(f for f in batch.found if isinstance(f, Credential))


def _report(status: Status) -> VerificationReport:
    check = CheckResult(
        "status",
        CheckStatus.PASS if status is Status.VALID else CheckStatus.FAIL,
        "…",
        outcome=None if status is Status.VALID else status,
    )
    return VerificationReport(status=status, checks=(check,), checked_at=NOW)


def _bundle(path: Path, items: dict[str, tuple[bytes, Status]]) -> Path:
    credentials = {k: _credential(v[0]) for k, v in items.items()}
    request = ExportRequest(
        ids=list(items),
        credentials=credentials,
        reports={k: _report(v[1]) for k, v in items.items()},
        holder_key=bytes(range(32)),
        created=NOW,
    )
    path.write_bytes(BundleExporter().export(request))
    return path


def two_bundles(folder: Path) -> list[Path]:
    """a.zip: a programme with one module, a short course; b.zip: the short course again, a revoked
    course and an hours-only workshop (also what the TUI review screen's tests show)."""
    first = _bundle(
        folder / "a.zip",
        {
            "whole": (
                _elm("W", "Programme", 10, has_part="P", hours=250, skills=(1, 2)),
                Status.VALID,
            ),
            "part": (_elm("P", "Module", 4, part_of="W", eqf=5, skills=(2,)), Status.VALID),
            "solo": (
                _elm("S", "Short course", 2, hours=50, issued="2024-05-01T00:00:00Z", skills=(3,)),
                Status.VALID,
            ),
        },
    )
    second = _bundle(
        folder / "b.zip",
        {
            "solo-again": (
                _elm("S", "Short course", 2, hours=50, issued="2024-05-01T00:00:00Z", skills=(3,)),
                Status.VALID,
            ),
            "revoked": (_elm("R", "Revoked course", 5, skills=(4,)), Status.REVOKED),
            "hours-only": (_elm("H", "Workshop", None, hours=8, eqf=4), Status.VALID),
        },
    )
    return [first, second]


@pytest.fixture
def bundles(tmp_path: Path) -> list[Path]:
    return two_bundles(tmp_path)


def test_ects_totals_count_wholes_not_parts_and_keep_hours_apart(bundles: list[Path]) -> None:
    result = review(bundles, clock=lambda: NOW)
    credits = result.credits
    assert (
        credits["ects"] == 12.0
    )  # whole 10 + short course 2 (once); part 4 and revoked 5 not counted
    assert credits["hours"] == 308.0  # 250 + 50 + 8: hours are never turned into ECTS
    assert [p["credential"] for p in credits["parts_not_counted"]] == [
        "a.zip!credentials/002-module.json"
    ]
    statuses = {row["credential"]: row["status"] for row in credits["not_counted"]}
    assert statuses["b.zip!credentials/002-revoked-course.json"] == "revoked"
    assert statuses["b.zip!credentials/001-short-course.json"] == "valid"  # a duplicate


def test_levels_skills_stacks_and_timeline(bundles: list[Path]) -> None:
    result = review(bundles, clock=lambda: NOW)
    assert result.levels == {"EQF": {"4": 1, "5": 1, "6": 2}}
    assert result.skills["esco_count"] == 3  # skill 4 belongs to the revoked credential only
    stacks = [s for s in result.stacks if s.get("members")]
    assert stacks == [
        {
            "members": [
                "a.zip!credentials/001-programme.json",
                "a.zip!credentials/002-module.json",
            ],
            "links": [
                {
                    "from": "a.zip!credentials/001-programme.json",
                    "relation": "hasPart",
                    "to": "a.zip!credentials/002-module.json",
                },
                {
                    "from": "a.zip!credentials/002-module.json",
                    "relation": "isPartOf",
                    "to": "a.zip!credentials/001-programme.json",
                },
            ],
        }
    ]
    dates = [row["date"] for row in result.timeline]
    assert dates == sorted(dates)
    assert result.statuses == {"revoked": 1, "valid": 4}
    assert all(b["ok"] for b in result.bundles)
    assert any("recorded at export" in w for w in result.warnings)


def test_eu_completeness_per_credential(bundles: list[Path]) -> None:
    rows = {r["credential"]: r for r in review(bundles).completeness}
    row = rows["a.zip!credentials/001-programme.json"]
    assert row["mandatory"] == "7/11"
    assert row["missing_mandatory"] == [
        "issuer_country",
        "assessment_type",
        "participation_form",
        "quality_assurance",
    ]
    assert len(rows) == 5  # the duplicate is not listed twice


def _pathway(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "pathway.json"
    path.write_text(json.dumps(data))
    return path


def test_pathway_progress(tmp_path: Path, bundles: list[Path]) -> None:
    pathway = _pathway(
        tmp_path,
        {
            "name": "Analityk danych",
            "all": [
                {"achievement": "urn:claim:W", "label": "Programme"},
                {
                    "at_least": 2,
                    "of": [
                        {"skill": SKILL.format(1)},
                        {"skill": SKILL.format(4)},
                        {"achievement": "urn:claim:missing"},
                    ],
                },
                {"min_ects": 24},
            ],
        },
    )
    progress = review(bundles, pathway, clock=lambda: NOW).pathway
    assert progress is not None
    assert progress["name"] == "Analityk danych"
    assert progress["met"] is False
    parts = progress["parts"]
    assert parts[0]["met"] is True and parts[0]["matched"] == [
        "a.zip!credentials/001-programme.json"
    ]
    assert (
        parts[1]["met"] is False and parts[1]["progress"] == 0.5
    )  # skill 4 only via a revoked one
    assert parts[2]["progress"] == 0.5  # 12 of 24 ECTS
    assert progress["progress"] == pytest.approx((1 + 0.5 + 0.5) / 3, abs=1e-4)


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"name": "x"},
        {"all": []},
        {"all": [{"at_least": 3, "of": [{"skill": "s"}]}]},
        {"all": [{"min_ects": -1}]},
        {"all": [{"colour": "blue"}]},
        {"all": [{"achievement": ""}]},
    ],
)
def test_malformed_pathways_are_explained(
    tmp_path: Path, bundles: list[Path], data: object
) -> None:
    with pytest.raises(MalformedInput):
        review(bundles, _pathway(tmp_path, data))


def test_a_tampered_bundle_counts_for_nothing(tmp_path: Path, bundles: list[Path]) -> None:
    with zipfile.ZipFile(bundles[0]) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = json.loads(entries["manifest.json"])
    manifest["credentials"][2]["facts"]["credits"][0]["amount"] = 200
    entries["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(out.getvalue())
    result = review([bad], clock=lambda: NOW)
    assert result.bundles[0]["ok"] is False
    assert "manifest.json" in result.bundles[0]["problems"]
    assert result.credits["ects"] == 0.0
    assert set(result.statuses) == {"invalid"}


def test_text_in_polish(bundles: list[Path]) -> None:
    i18n.set_language("pl")
    text = review(bundles, clock=lambda: NOW).to_text()
    assert "Oś czasu" in text and "ECTS: 12" in text and "Godziny nauki" in text
    assert json.loads(json.dumps(review(bundles).to_json()))["kind"] == "review"
