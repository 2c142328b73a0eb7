"""The normalised view: every model field filled from OB 0.5–3.0, CLR, VP and ELM documents,
``original`` = the bytes as imported, ``payload`` = exactly what a proof covers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from importers.registry import default_registry
from tests.importers import make
from wallet.codecs import baking
from wallet.errors import MalformedInput, UnsupportedInput
from wallet.model import Credential, Format
from wallet.ports import Blob, ImportBatch, UrlReference


def _one(batch: ImportBatch) -> Credential:
    assert not batch.failures, [f.error for f in batch.failures]
    assert len(batch.found) == 1
    found = batch.found[0]
    assert isinstance(found, Credential)
    return found


def _parse(data: bytes, source: str = "input") -> ImportBatch:
    return default_registry().parse_blob(Blob(data=data, source=source))


def test_ob2_hosted_assertion_every_field() -> None:
    data = json.dumps(make.ob2_assertion(), indent=2).encode()
    cred = _one(_parse(data))
    assert cred.format is Format.OB2_HOSTED and cred.spec_version == "2.0"
    assert cred.payload == data and cred.original.data == data
    assert cred.original.media_type == "application/json"
    assert cred.credential_id == cred.hosted_url == "https://issuer.example/assertions/1"
    assert cred.fingerprint == "id:https://issuer.example/assertions/1"
    assert cred.title == "Robotics" and cred.description == "Built a robot."
    assert cred.image and cred.image.url == "https://issuer.example/badges/robotics.png"
    assert cred.issuer and cred.issuer.name == "Example University"
    assert cred.issuer.email == "badges@issuer.example"
    assert cred.issuer.domain_or_did == "issuer.example"
    ach = cred.achievement
    assert ach and ach.id == "https://issuer.example/badges/robotics"
    assert ach.criteria and ach.criteria.narrative == "Build one."
    assert ach.tags == ("robots", "stem")
    assert ach.alignments[0].target_framework == "ESCO"
    assert cred.recipient and cred.recipient.hashed and cred.recipient.salt == "deadsea"
    assert cred.issued == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert cred.expires == datetime(2030, 5, 1, 10, tzinfo=UTC)
    assert cred.evidence[0].narrative == "My robot"


def test_ob2_badge_and_issuer_as_urls_are_kept_not_fetched() -> None:
    doc = make.ob2_assertion(badge="https://issuer.example/badges/robotics")
    cred = _one(_parse(json.dumps(doc).encode()))
    assert cred.achievement and cred.achievement.id == "https://issuer.example/badges/robotics"
    assert cred.achievement.name is None and cred.title is None


def test_ob2_signed_json_without_its_jws_is_refused_clearly() -> None:
    doc = make.ob2_assertion(verification={"type": "signed", "creator": "https://k.example/1"})
    batch = _parse(json.dumps(doc).encode())
    assert isinstance(batch.failures[0].error, MalformedInput)
    assert ".jws" in batch.failures[0].error.user_message()


def test_ob2_signed_jws_payload_is_the_token() -> None:
    doc = make.ob2_assertion(verification={"type": "signed", "creator": "https://k.example/1"})
    token = make.jws(doc)
    cred = _one(_parse(f"\n  {token}\n".encode()))
    assert cred.format is Format.OB2_SIGNED
    assert cred.payload == token.encode()
    assert cred.document == doc
    assert cred.hosted_url is None and cred.credential_id == doc["id"]


def test_ob1_and_ob05_legacy_shapes() -> None:
    v10 = {
        "uid": "abc",
        "recipient": "sha256$0011",
        "salt": "s",
        "badge": "http://a.example/badgeclass",
        "issuedOn": 1430352000,
        "verify": {"type": "hosted", "url": "http://a.example/instance"},
    }
    cred = _one(_parse(json.dumps(v10).encode()))
    assert cred.format is Format.OB1_HOSTED and cred.spec_version == "1.0"
    assert cred.hosted_url == cred.credential_id == "http://a.example/instance"
    assert cred.recipient and cred.recipient.hashed and cred.recipient.salt == "s"
    assert cred.issued == datetime(2015, 4, 30, tzinfo=UTC)
    v05 = {
        "recipient": "learner@example.org",
        "issued_on": "2011-06-01",
        "badge": {
            "version": "0.5.0",
            "name": "Basic",
            "image": "/img/1.png",
            "description": "d",
            "criteria": "/criteria/1",
            "issuer": {"origin": "http://old.example", "name": "Old Issuer"},
        },
    }
    cred = _one(_parse(json.dumps(v05).encode()))
    assert cred.spec_version == "0.5" and cred.format is Format.OB1_HOSTED
    assert cred.issuer and cred.issuer.name == "Old Issuer"
    assert cred.image and cred.image.url == "http://old.example/img/1.png"
    assert cred.credential_id is None and cred.fingerprint.startswith("sha256:")


@pytest.mark.parametrize(
    ("doc", "title"),
    [
        (
            {
                "@context": make.OB2_CONTEXT,
                "type": "BadgeClass",
                "id": "https://i.example/b",
                "name": "B",
            },
            "B",
        ),
        (
            {
                "@context": make.OB2_CONTEXT,
                "type": "Issuer",
                "id": "https://i.example/o",
                "name": "Org",
            },
            "Org",
        ),
        (
            {
                "@context": make.OB2_CONTEXT,
                "type": "Endorsement",
                "id": "https://i.example/e",
                "issuer": "https://other.example",
                "claim": {"id": "https://i.example/b", "endorsementComment": "Good"},
            },
            "Good",
        ),
    ],
)
def test_lone_ob2_objects(doc: dict[str, object], title: str) -> None:
    cred = _one(_parse(json.dumps(doc).encode()))
    assert cred.format is Format.OB2_OTHER and cred.title == title
    assert cred.credential_id == doc["id"]


def test_ob3_every_field() -> None:
    doc = make.ob3_credential(
        proof={"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z1"},
        endorsement=[{"id": "urn:e:1", "type": ["EndorsementCredential"]}],
    )
    data = json.dumps(doc).encode()
    cred = _one(_parse(data))
    assert cred.format is Format.OB3_DATA_INTEGRITY and cred.spec_version == "3.0"
    assert cred.payload == data and cred.credential_id == doc["id"]
    assert cred.title == "Data Science Fundamentals"
    assert (
        cred.issuer and cred.issuer.id == "did:web:issuer.example" and cred.issuer.country == "PL"
    )
    ach = cred.achievement
    assert ach and ach.achievement_type == "MicroCredential" and ach.in_language == "en"
    assert ach.tags == ("data", "python")
    assert ach.related == ("https://issuer.example/achievements/ds-advanced",)
    assert [(c.amount, c.source) for c in ach.credits] == [
        (5.0, "/credentialSubject/achievement/creditsAvailable"),
        (4.0, "/credentialSubject/creditsEarned"),
    ]
    assert [(lv.framework, lv.value) for lv in ach.levels] == [("EQF", "5")]
    assert cred.recipient and cred.recipient.type == "email" and cred.recipient.salt == "pepper"
    assert cred.results[0].value == "A" and cred.results[0].result_type == "LetterGrade"
    assert cred.valid_from == datetime(2025, 1, 1, tzinfo=UTC) == cred.issued
    assert cred.valid_until == cred.expires == datetime(2030, 1, 1, tzinfo=UTC)
    assert cred.evidence[0].name == "Capstone"
    assert len(cred.endorsements) == 1


def test_ob3_without_proof_is_unsigned() -> None:
    cred = _one(_parse(json.dumps(make.ob3_credential()).encode()))
    assert cred.format is Format.OB3_UNSIGNED


def test_vc_jwt_with_vc_claim_reads_jwt_claims() -> None:
    vc = make.ob3_credential()
    for key in ("id", "issuer", "validFrom", "validUntil"):
        vc.pop(key)
    claims = {
        "vc": vc,
        "iss": "did:web:jwt.example",
        "jti": "urn:uuid:jti",
        "nbf": 1704067200,
        "exp": 4102444800,
    }
    token = make.jws(claims)
    cred = _one(_parse(token.encode()))
    assert cred.format is Format.OB3_VC_JWT and cred.payload == token.encode()
    assert cred.document == vc
    assert cred.credential_id == "urn:uuid:jti"
    assert cred.issuer and cred.issuer.id == "did:web:jwt.example"
    assert cred.valid_from == datetime(2024, 1, 1, tzinfo=UTC)
    assert cred.valid_until == datetime(2100, 1, 1, tzinfo=UTC)


def test_clr_keeps_children_and_associations() -> None:
    child_json = make.ob3_credential("urn:uuid:child-1")
    child_jwt = make.jws(make.ob3_credential("urn:uuid:child-2"))
    clr = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        ],
        "id": "urn:uuid:clr",
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": "Transcript",
        "issuer": {"id": "did:web:uni.example", "name": "Uni"},
        "validFrom": "2025-06-01T00:00:00Z",
        "credentialSubject": {
            "type": ["ClrSubject"],
            "verifiableCredential": [child_json, child_jwt],
            "association": [
                {
                    "type": "Association",
                    "associationType": "isPartOf",
                    "sourceId": "a",
                    "targetId": "b",
                }
            ],
        },
    }
    cred = _one(_parse(json.dumps(clr).encode()))
    assert cred.format is Format.CLR and cred.spec_version == "clr-2.0"
    assert [c.credential_id for c in cred.children] == ["urn:uuid:child-1", "urn:uuid:child-2"]
    assert [c.format for c in cred.children] == [Format.OB3_UNSIGNED, Format.OB3_VC_JWT]
    assert cred.children[1].payload == child_jwt.encode()
    assert cred.children[0].original.source.endswith("#/credentialSubject/verifiableCredential/0")
    assert cred.associations[0]["associationType"] == "isPartOf"


def test_vp_with_enveloped_and_plain_credentials() -> None:
    inner_jwt = make.jws(make.ob3_credential("urn:uuid:env"))
    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": "did:key:z6Mkholder",
        "verifiableCredential": [
            make.ob3_credential("urn:uuid:plain"),
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/vc+jwt,{inner_jwt}",
            },
            inner_jwt,
        ],
    }
    cred = _one(_parse(json.dumps(vp).encode()))
    assert cred.format is Format.VP
    assert [c.credential_id for c in cred.children] == [
        "urn:uuid:plain",
        "urn:uuid:env",
        "urn:uuid:env",
    ]
    assert cred.recipient and cred.recipient.identity == "did:key:z6Mkholder"
    vp_jwt = make.jws({"vp": vp, "iss": "did:key:z6Mkholder"})
    cred = _one(_parse(vp_jwt.encode()))
    assert cred.format is Format.VP and len(cred.children) == 3 and cred.payload == vp_jwt.encode()


def test_jades_wrapper_payload_is_the_whole_jws_json() -> None:
    edc = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "http://data.europa.eu/snb/model/context/edc-ap",
        ],
        "id": "urn:credential:1",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "issuer": {
            "id": "urn:org:1",
            "type": "Organisation",
            "legalName": {"en": "University of Zed"},
            "location": {
                "address": {
                    "countryCode": {
                        "id": "http://publications.europa.eu/resource/authority/country/IRL"
                    }
                }
            },
        },
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "urn:person:1",
            "fullName": {"en": "Ana Andromeda"},
            "hasClaim": {
                "id": "urn:claim:1",
                "type": "LearningAchievement",
                "title": {"en": "Digital micro-credential creation"},
                "specifiedBy": {
                    "id": "urn:qualification:1",
                    "eqfLevel": {"id": "http://data.europa.eu/snb/eqf/6"},
                    "creditPoint": {
                        "framework": {"prefLabel": {"en": "European Credit Transfer System"}},
                        "point": "2",
                    },
                    "volumeOfLearning": "PT60H",
                },
            },
        },
    }
    protected = make.b64url(json.dumps({"alg": "RS256", "b64": False, "crit": ["b64"]}).encode())
    wrapper = json.dumps(
        {"payload": json.dumps(edc), "signatures": [{"protected": protected, "signature": "AAAA"}]}
    ).encode()
    cred = _one(_parse(wrapper))
    assert cred.format is Format.EDC_JADES and cred.spec_version == "elm-3"
    assert cred.payload == wrapper and cred.document == edc
    assert cred.title == "Digital micro-credential creation"
    assert cred.issuer and cred.issuer.name == "University of Zed" and cred.issuer.country == "IRL"
    ach = cred.achievement
    assert ach and [(lv.framework, lv.value) for lv in ach.levels] == [("EQF", "6")]
    assert [(c.amount, c.unit) for c in ach.credits] == [(2.0, "ECTS"), (60.0, "hours")]
    assert cred.recipient and cred.recipient.name == "Ana Andromeda"


def test_png_and_svg_payload_is_the_embedded_text() -> None:
    doc_text = json.dumps(make.ob3_credential(), indent=1)
    baked = baking.bake_png(make.png(), doc_text, keyword=baking.OB3_KEYWORD)
    cred = _one(_parse(baked, "b.png"))
    assert cred.original.data == baked and cred.original.media_type == "image/png"
    assert cred.payload == doc_text.encode()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'
    baked_svg = baking.bake_svg(svg, text=doc_text, kind="credential")
    cred = _one(_parse(baked_svg, "b.svg"))
    assert cred.original.data == baked_svg and cred.original.media_type == "image/svg+xml"
    assert cred.payload == doc_text.encode()


def test_baked_url_becomes_a_reference_with_the_image_as_original() -> None:
    baked = make.png(make.text_chunk("openbadges", b"https://issuer.example/assertions/1"))
    batch = _parse(baked, "old.png")
    assert not batch.failures
    (ref,) = batch.found
    assert isinstance(ref, UrlReference)
    assert ref.url == "https://issuer.example/assertions/1" and ref.original == baked
    assert ref.media_type == "image/png" and ref.found_in == "old.png"


def test_pasted_text_several_lines_each_an_item() -> None:
    token = make.jws(make.ob3_credential())
    batch = default_registry().parse_text(f"{token}\nhttps://issuer.example/a/2\nnot a badge\n")
    assert [type(f).__name__ for f in batch.found] == ["Credential", "UrlReference"]
    assert [f.source for f in batch.failures] == ["-:3"]


def test_sniffing_is_by_content_not_name(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "badge.png").write_text(json.dumps(make.ob3_credential()))
    (folder / "notes.json").write_bytes(
        baking.bake_png(
            make.png(), make.jws(make.ob3_credential("urn:x:2")), keyword="openbadgecredential"
        )
    )
    batch = default_registry().read_path(folder)
    formats = sorted(f.format.value for f in batch.found if isinstance(f, Credential))
    assert formats == ["ob3-unsigned", "ob3-vc-jwt"]


def test_json_that_is_not_a_badge_is_unsupported() -> None:
    for data in (b'{"hello": "world"}', b"[]", b"42", b'{"@context": {"a": "b"}}'):
        batch = _parse(data)
        assert isinstance(batch.failures[0].error, UnsupportedInput), data


def test_legacy_europass_xml_is_read_for_display() -> None:
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<europassCredential xmlns="http://data.europa.eu/snb"
    xmlns:cred="http://data.europa.eu/europass/model/credentials/w3c#" cred:id="urn:credential:x">
  <cred:validFrom>2022-03-01T00:00:00+01:00</cred:validFrom>
  <cred:issued>2022-02-02T14:15:15+01:00</cred:issued>
  <cred:issuer idref="urn:org:1"/>
  <title><text lang="pl">Certyfikat</text><text lang="en">Certificate</text></title>
  <credentialSubject id="urn:person:1">
    <contactPoint><mailBox uri="mailto:learner@example.org"/></contactPoint>
    <fullName><text lang="en">Ada Learner</text></fullName>
  </credentialSubject>
  <agentReferences><organization id="urn:org:1"><prefLabel><text lang="en">Acme</text></prefLabel>
    <hasLocation><hasAddress><country uri="http://publications.europa.eu/resource/authority/country/POL"/></hasAddress></hasLocation>
  </organization></agentReferences>
</europassCredential>"""
    cred = _one(_parse(xml, "legacy.xml"))
    assert cred.format is Format.EDC_XML and cred.spec_version == "elm-2"
    assert cred.payload == xml == cred.original.data and cred.document is None
    assert cred.title == "Certificate" and cred.credential_id == "urn:credential:x"
    assert cred.issuer and cred.issuer.name == "Acme" and cred.issuer.country == "POL"
    assert cred.recipient and cred.recipient.identity == "learner@example.org"
    assert cred.issued == datetime(2022, 2, 2, 13, 15, 15, tzinfo=UTC)
