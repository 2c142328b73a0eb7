"""VP, CLR and single-credential exports: credentials unchanged, re-importable, re-verifiable."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from exporters.registry import default_exporters
from importers.registry import default_registry
from tests.exporters.support import Portfolio, fixed_clock
from wallet.codecs import baking, holder
from wallet.errors import ExportError
from wallet.model import Credential, Status, VerificationReport
from wallet.net import HttpFetcher
from wallet.ports import Blob
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify


def _reimport(data: bytes, source: str) -> Credential:
    batch = default_registry().parse_blob(Blob(data, source))
    found = [f for f in batch.found if isinstance(f, Credential)]
    assert found, batch.failures
    return found[0]


def _verify(credential: Credential, contexts_dir: Path, portfolio: Portfolio) -> VerificationReport:
    documents = {}
    for report in portfolio.reports.values():
        for record in report.evidence:
            body = portfolio.evidence.get(record.sha256)
            if body is not None:
                documents[record.url] = (record.status, record.content_type, body)

    async def run() -> VerificationReport:
        async with HttpFetcher(
            offline=True, documents=documents, contexts_dir=contexts_dir
        ) as fetcher:
            return await verify(credential, VerifyContext(fetcher, fixed_clock, (), True))

    return asyncio.run(run())


OB3 = ["ob3di", "ob3jwt", "ob3status"]


def test_vp_embeds_credentials_verbatim_and_is_signed_by_the_holder(portfolio: Portfolio) -> None:
    data = default_exporters()["vp"].export(portfolio.request(OB3, options={"challenge": "job-42"}))
    text = data.decode()
    di = portfolio.credentials["ob3di"].payload.decode("utf-8").strip()
    assert di in text  # the original JSON text, byte for byte
    jwt = portfolio.credentials["ob3jwt"].payload.decode().strip()
    assert f"data:application/vc+jwt,{jwt}" in text
    vp = json.loads(data)
    check = holder.verify_jcs(vp)
    assert check.ok and check.challenge == "job-42" and check.proof_purpose == "authentication"
    assert vp["holder"] == check.signer


def test_vp_nested_credentials_reverify_with_plecak(
    portfolio: Portfolio, contexts_dir: Path
) -> None:
    data = default_exporters()["vp"].export(portfolio.request(OB3))
    presentation = _reimport(data, "vp.json")
    assert len(presentation.children) == len(OB3)
    report = _verify(presentation, contexts_dir, portfolio)
    assert [c.status for c in report.children] == [Status.VALID] * len(OB3)


def test_vp_itself_reverifies_with_plecak(portfolio: Portfolio, contexts_dir: Path) -> None:
    data = default_exporters()["vp"].export(portfolio.request(OB3))
    assert _verify(_reimport(data, "vp.json"), contexts_dir, portfolio).status is Status.VALID


def test_clr_is_self_issued_with_explicit_associations_only(portfolio: Portfolio) -> None:
    data = default_exporters()["clr"].export(portfolio.request(OB3))
    clr = json.loads(data)
    assert "ClrCredential" in clr["type"]
    assert clr["issuer"]["id"] == clr["credentialSubject"]["id"]  # self-issued
    assert "self-issued" in clr["name"]
    assert "association" not in clr["credentialSubject"]  # the corpus badges state no links
    assert holder.verify_jcs(clr).ok
    nested = _reimport(data, "clr.json")
    assert len(nested.children) == len(OB3)


@pytest.mark.parametrize("kind", ["vp", "clr"])
def test_ob2_cannot_go_into_a_vc_container(portfolio: Portfolio, kind: str) -> None:
    with pytest.raises(ExportError) as caught:
        default_exporters()[kind].export(portfolio.request(["ob3di", "ob2signed"]))
    assert "ob2-signed" in caught.value.user_message()


@pytest.mark.parametrize("wallet_id", ["ob2signed", "ob3jwt", "ob3di", "ob2hosted"])
def test_json_export_is_the_signed_payload(portfolio: Portfolio, wallet_id: str) -> None:
    data = default_exporters()["json"].export(portfolio.request([wallet_id]))
    assert data == portfolio.credentials[wallet_id].payload


def test_png_of_a_png_is_the_original(portfolio: Portfolio) -> None:
    data = default_exporters()["png"].export(portfolio.request(["ob3png"]))
    assert data == portfolio.credentials["ob3png"].original.data


@pytest.mark.parametrize(
    ("kind", "wallet_id"),
    [("png", "ob3di"), ("svg", "ob3jwt"), ("png", "ob2signed"), ("svg", "ob2signed")],
)
def test_rebaked_credentials_unbake_and_reverify(
    portfolio: Portfolio, contexts_dir: Path, conformance_dir: Path, kind: str, wallet_id: str
) -> None:
    image = (
        (conformance_dir / "ob2/images/public_domain_heart.png").read_bytes()
        if kind == "png"
        else (conformance_dir / "ob2/images/unbaked_example.svg").read_bytes()
    )
    data = default_exporters()[kind].export(
        portfolio.request([wallet_id], options={"image": image})
    )
    if kind == "png":
        found = baking.unbake_png(data)
        assert found is not None
    again = _reimport(data, f"rebaked.{kind}")
    assert again.payload.strip() == portfolio.credentials[wallet_id].payload.strip()
    assert _verify(again, contexts_dir, portfolio).status is Status.VALID


def test_baking_without_an_image_says_what_to_do(portfolio: Portfolio) -> None:
    with pytest.raises(ExportError) as caught:
        default_exporters()["svg"].export(portfolio.request(["ob3di"]))
    assert "json" in caught.value.user_message()
