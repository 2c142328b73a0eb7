"""EU micro-credential elements (Annex I) from ELM v3, OB 3.0 and OB 2.0 credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from importers.registry import default_registry
from wallet.codecs.eu import ELEMENTS, describe, eu_elements, sensitive_fields
from wallet.model import Credential, ElementState, Format, Original


def _import(path: Path) -> Credential:
    batch = default_registry().read_path(path)
    found = [f for f in batch.found if isinstance(f, Credential)]
    assert found, batch.failures
    return found[0]


def _states(
    credential: Credential, **kw: object
) -> dict[str, tuple[ElementState, str | None, str | None]]:
    return {e.key: (e.state, e.value, e.pointer) for e in eu_elements(credential, **kw)}  # type: ignore[arg-type]


def _resolve(document: object, pointer: str) -> object:
    node = document
    for raw in pointer.lstrip("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    return node


COMMISSION_CARRIES = {
    "learner": "Ana Andromeda",
    "title": "Digital micro-credential creation",
    "issuer_country": "Ireland",
    "awarding_body": "University of Zed",
    "date_of_issue": "2023-09-27T13:54:17+02:00",
    "workload": "2 ECTS",
    "eqf_level": "EQF 6",
    "assessment_type": "artefact assessment",
    "participation_form": "Blended",
    "identity_verification": "Unsupervised without ID Verification",
    "grade": "Pass",
    "further_information": "non-formal learning",
}


def test_commission_sample_every_element_it_carries_is_found(conformance_dir: Path) -> None:
    credential = _import(conformance_dir / "europass/elm-v3/mc-annex1-signed.jades.json")
    states = _states(credential)
    assert list(states) == [key for key, _m, _l in ELEMENTS]
    for key, value in COMMISSION_CARRIES.items():
        assert states[key][0] is ElementState.PRESENT, key
        assert states[key][1] == value, key
    outcomes = states["learning_outcomes"]
    assert outcomes[0] is ElementState.PRESENT
    assert "Developing digital content" in (outcomes[1] or "")
    assert (states["prerequisites"][1] or "").startswith("The learner needs to have an EDC")
    # what the sample lacks is reported missing, never invented
    assert states["quality_assurance"][0] is ElementState.MISSING
    assert states["stackability"][0] is ElementState.MISSING


def test_commission_sample_pointers_lead_to_the_values(conformance_dir: Path) -> None:
    path = conformance_dir / "europass/elm-v3/mc-annex1-signed.jades.json"
    credential = _import(path)
    payload = json.loads(json.loads(path.read_bytes())["payload"])
    for element in eu_elements(credential):
        if element.state is ElementState.PRESENT and element.key not in (
            "learning_outcomes",
            "workload",
            "eqf_level",
        ):
            assert str(_resolve(payload, element.pointer or "")) == element.value, element.key


def test_unsigned_commission_sample_has_no_issue_date(conformance_dir: Path) -> None:
    """Before sealing there is no issuance date; validFrom is not a date of issue."""
    credential = _import(conformance_dir / "europass/elm-v3/mc-annex1-unsigned.jsonld")
    assert _states(credential)["date_of_issue"][0] is ElementState.MISSING


def test_commission_sample_facts_keep_ects_and_hours_apart(conformance_dir: Path) -> None:
    facts = describe(_import(conformance_dir / "europass/elm-v3/mc-annex1-unsigned.jsonld"))
    assert {(c.unit, c.amount) for c in facts.credits} == {("ECTS", 2.0), ("hours", 60.0)}
    assert {(lv.framework, lv.value) for lv in facts.levels} == {("EQF", "6"), ("RQF", "6")}
    esco = [s for s in facts.skills if s.framework == "ESCO"]
    assert len(esco) == 4
    assert all(s.id and s.id.startswith("http://data.europa.eu/esco/skill/") for s in esco)


def test_ob3_microcredential_sample(conformance_dir: Path) -> None:
    credential = _import(conformance_dir / "europass/third-party/ob3-microcredential-unsigned.json")
    states = _states(credential)
    assert states["title"][1] == "Data Science Fundamentals"
    assert states["title"][2] == "/credentialSubject/achievement/name"
    assert states["awarding_body"][1] == "NETIS d.o.o."
    assert states["date_of_issue"][1] == "2026-01-12T07:04:19Z"
    assert states["learning_outcomes"][1] == "Develop test procedures; Analyse test data"
    assert states["learner"][1] is not None and "sha256$" in states["learner"][1]
    # creditsAvailable is "credit hours" in OB 3.0: kept as credits, never called ECTS
    assert states["workload"][1] == "5 credits"
    for gap in ("eqf_level", "assessment_type", "quality_assurance", "issuer_country"):
        assert states[gap][0] is ElementState.MISSING, gap
    facts = describe(credential)
    assert facts.achievement_type == "MicroCredential"
    assert facts.language == "en"
    assert [s.framework for s in facts.skills] == ["ESCO", "ESCO"]


def _ob3(achievement: dict[str, object]) -> Credential:
    doc = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "did:example:1",
            "name": "Uczelnia",
            "address": {"addressCountry": "Poland"},
        },
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"achievement": {"id": "urn:a:1", "name": "X", **achievement}},
    }
    data = json.dumps(doc).encode()
    return Credential(Format.OB3_UNSIGNED, Original(data, "application/json"), data, doc)


def test_prk_level_derives_eqf_and_hours_never_become_ects() -> None:
    credential = _ob3(
        {
            "alignment": [
                {
                    "targetName": "Poziom 6",
                    "targetFramework": "Polska Rama Kwalifikacji",
                    "targetCode": "6",
                },
                {"targetName": "60 hours", "targetFramework": "Workload", "targetCode": "60"},
            ]
        }
    )
    states = _states(credential)
    assert states["eqf_level"][0] is ElementState.DERIVED
    assert states["eqf_level"][1] == "EQF 6 (PRK 6)"
    assert states["issuer_country"][1] == "Poland"
    assert not any(c.unit == "ECTS" for c in describe(credential).credits)


def test_explicit_eqf_and_ects_alignments_are_present() -> None:
    credential = _ob3(
        {
            "alignment": [
                {"targetUrl": "http://data.europa.eu/snb/eqf/5", "targetName": "EQF level 5"},
                {"targetFramework": "ECTS", "targetCode": "3", "targetName": "3 ECTS"},
            ],
            "resultDescription": [{"name": "Final exam", "resultType": "LetterGrade"}],
        }
    )
    states = _states(credential)
    assert states["eqf_level"][:2] == (ElementState.PRESENT, "EQF 5")
    assert states["workload"][:2] == (ElementState.PRESENT, "3 ECTS")
    assert states["assessment_type"][:2] == (ElementState.PRESENT, "Final exam")


def test_ob2_elements_follow_linked_badgeclass_and_issuer(conformance_dir: Path) -> None:
    base = conformance_dir / "ob2/components"
    credential = _import(base / "2_0_basic_assertion.json")
    linked = {
        "https://example.org/robotics-badge.json": json.loads(
            (base / "2_0_basic_badgeclass.json").read_text()
        ),
        "https://example.org/organization.json": json.loads(
            (base / "2_0_basic_issuer.json").read_text()
        ),
    }
    without = _states(credential)
    assert without["title"][0] is ElementState.MISSING  # not in the assertion itself
    states = _states(credential, linked=linked)
    assert states["title"][0] is ElementState.PRESENT
    assert states["title"][2] == "https://example.org/robotics-badge.json#/name"
    assert states["awarding_body"][2] == "https://example.org/organization.json#/name"
    assert states["date_of_issue"][1] == "2016-12-31T23:59:59Z"
    assert states["learner"][0] is ElementState.PRESENT


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        (
            "europass/elm-v3/mc-annex1-unsigned.jsonld",
            ["/credentialSubject/dateOfBirth", "/credentialSubject/nationalID"],
        ),
        ("europass/third-party/ob3-microcredential-unsigned.json", []),
    ],
)
def test_sensitive_fields(conformance_dir: Path, relative: str, expected: list[str]) -> None:
    assert sensitive_fields(_import(conformance_dir / relative)) == expected
