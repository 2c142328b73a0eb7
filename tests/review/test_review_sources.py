"""Where the review's words come from: the verified credentials (not the manifest's claims), and
skill labels from the credential's own text, one row a skill, counted as listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.review.test_review import NOW, _bundle, _credential, _elm, _report
from wallet import i18n
from wallet.bundle.verify.report import BundleCredential, BundleReport
from wallet.bundle.verify.verifier import check_integrity
from wallet.codecs.eu import describe
from wallet.model import Status
from wallet.review import review

LABELLED = "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"
BARE = "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"


def _with_skills(skills: list[dict[str, Any]]) -> bytes:
    doc = json.loads(_elm("K", "Digital content", 3))
    spec = doc["credentialSubject"]["hasClaim"]["specifiedBy"]
    spec["learningOutcome"] = [
        {"id": "urn:lo:1", "title": {"en": "Team work", "pl": "Praca zespołowa"}},
        {"id": "urn:lo:2", "title": {"en": "Content"}, "relatedESCOSkill": skills},
    ]
    return json.dumps(doc).encode()


def _checked(path: Path, documents: dict[str, bytes]) -> BundleReport:
    """The verifier's report for ``path``: each file read as ``documents[file]`` says."""
    manifest = check_integrity(path).manifest or {}
    found = []
    for entry in manifest["credentials"]:
        credential = _credential(documents[entry["file"]])
        facts = describe(credential)
        found.append(
            BundleCredential(
                entry["file"], credential.title, credential, _report(Status.VALID), facts
            )
        )
    return BundleReport(str(path), (), tuple(found), NOW, manifest=manifest)


def test_titles_come_from_the_verified_credential_not_the_manifest(tmp_path: Path) -> None:
    path = _bundle(tmp_path / "a.zip", {"x": (_elm("X", "First aid", 1), Status.VALID)})
    file = (check_integrity(path).manifest or {})["credentials"][0]["file"]
    claimed = review([path], clock=lambda: NOW)
    assert [row["title"] for row in claimed.timeline] == ["First aid"]  # the manifest's word
    verified = _elm("X", "First aid (basic)", 1)  # what the credential says, checked now
    result = review([path], clock=lambda: NOW, reports={path: _checked(path, {file: verified})})
    assert [row["title"] for row in result.timeline] == ["First aid (basic)"]
    assert [row["title"] for row in result.completeness] == ["First aid (basic)"]
    assert result.timeline[0]["status_source"] == "verified"


def _skills_review(tmp_path: Path, lang: str) -> tuple[dict[str, Any], str]:
    i18n.set_language(lang)
    skills: list[dict[str, Any]] = [
        {"id": LABELLED, "prefLabel": {"en": "develop digital content", "pl": "treści cyfrowe"}},
        {"id": BARE},  # an ESCO URI and nothing else
    ]
    data = _with_skills(skills)
    path = _bundle(tmp_path / "k.zip", {"k": (data, Status.VALID)})
    file = (check_integrity(path).manifest or {})["credentials"][0]["file"]
    result = review([path], clock=lambda: NOW, reports={path: _checked(path, {file: data})})
    return result.skills, result.to_text()


def test_a_skill_given_only_as_a_uri_reads_as_the_outcome_that_lists_it(tmp_path: Path) -> None:
    skills, text = _skills_review(tmp_path, "en")
    labels = {row["id"]: row["label"] for row in skills["esco"]}
    assert labels == {LABELLED: "develop digital content", BARE: "a skill of “Content”"}
    assert skills["esco_count"] == len(skills["esco"]) == 2
    listed = text.split("ESCO skills covered: 2\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert listed == ["  develop digital content (1)", "  a skill of “Content” (1)"]
    assert "http" not in "\n".join(listed)


def test_skill_labels_in_polish_when_the_credential_has_them(tmp_path: Path) -> None:
    skills, text = _skills_review(tmp_path, "pl")
    labels = {row["id"]: row["label"] for row in skills["esco"]}
    assert labels[LABELLED] == "treści cyfrowe"
    assert labels[BARE] == "umiejętność w ramach „Content”"
    assert "Objęte umiejętności ESCO: 2" in text


def test_without_a_report_a_bare_uri_gets_a_short_name_not_the_raw_uri(tmp_path: Path) -> None:
    data = _with_skills([{"id": BARE}])
    path = _bundle(tmp_path / "k.zip", {"k": (data, Status.VALID)})
    rows = review([path], clock=lambda: NOW).skills["esco"]
    assert [row["label"] for row in rows] == ["ESCO skill ccdf3597"]
