"""Every input of the shared conformance corpora is recognised (right count, right format) or
refused with a clear error.  Data is read only through PLECAK_CONFORMANCE (conformance_dir)."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from importers.registry import default_registry
from tests.importers.fetchers import documents_from_serve
from wallet.errors import (
    HTTPStatusError,
    MalformedInput,
    UnsafeInput,
    UnsupportedInput,
    WalletError,
)
from wallet.model import Credential, Format
from wallet.net import HttpFetcher
from wallet.net.fake import FakeFetcher
from wallet.ports import ImportBatch, UrlReference


def _cases(corpus: str) -> list[dict[str, object]]:
    root = os.environ.get("PLECAK_CONFORMANCE")
    if not root:
        return []  # the conformance_dir fixture fails the tests clearly
    return list(json.loads((Path(root) / corpus / "cases.json").read_text()))


OB2_FORMAT = {
    "endorsement-as-input": Format.OB2_OTHER,
    "badgeclass-as-input": Format.OB2_OTHER,
    "legacy-1.1-issuer-redirect": Format.OB2_OTHER,
    "legacy-1.1-fixture-uses-verification": Format.OB1_HOSTED,
    "legacy-1.1-hosted": Format.OB1_HOSTED,
    "legacy-1.0-hosted": Format.OB1_HOSTED,
    "legacy-1.0-json-input": Format.OB1_HOSTED,
    "legacy-0.5-json-input": Format.OB1_HOSTED,
    "legacy-1.0-assertion-with-errors": Format.OB1_HOSTED,
    "bakery-baked-heart-png-unserved": Format.OB1_HOSTED,
    "bakery-baked-svg-unserved": Format.OB1_HOSTED,
}
OB2_REFUSED: dict[str, type[WalletError]] = {
    "unbaked-png": UnsupportedInput,
    "unbaked-svg": UnsupportedInput,
    "signed-2.0-alg-none": UnsafeInput,
    "hosted-2.0-assertion-500": HTTPStatusError,
}


def _resolve(batch: ImportBatch, fetcher: FakeFetcher) -> ImportBatch:
    """What the service does with a baked URL: fetch it through the Fetcher."""
    registry = default_registry()
    out = ImportBatch(failures=list(batch.failures))
    for found in batch.found:
        if isinstance(found, UrlReference):
            resolved = asyncio.run(registry.fetch_url(found.url, fetcher))
            out.found.extend(resolved.found)
            out.failures.extend(resolved.failures)
        else:
            out.found.append(found)
    return out


def _expect(batch: ImportBatch, fmt: Format | None, refused: type[WalletError] | None) -> None:
    if refused is not None:
        assert not batch.found, batch.found
        assert len(batch.failures) == 1
        error = batch.failures[0].error
        assert isinstance(error, refused), repr(error)
        assert isinstance(error, WalletError) and error.user_message()
        return
    assert not batch.failures, [f.error for f in batch.failures]
    assert len(batch.found) == 1
    credential = batch.found[0]
    assert isinstance(credential, Credential)
    assert credential.format is fmt
    assert credential.payload and credential.original.data


@pytest.mark.parametrize("case", _cases("ob2"), ids=lambda c: str(c["id"]))
def test_ob2_case(case: dict[str, object], conformance_dir: Path) -> None:
    base = conformance_dir / "ob2"
    served = documents_from_serve(base, case["serve"], case.get("serve_meta"))  # type: ignore[arg-type]
    fetcher = FakeFetcher(served)
    registry = default_registry()
    if case["input_kind"] == "url":
        # The real Fetcher, answering offline from the case's documents (never the network).
        async def run() -> ImportBatch:
            async with HttpFetcher(offline=True, documents=fetcher.documents) as real:
                return await registry.fetch_url(str(case["input"]), real)

        batch = asyncio.run(run())
    else:
        batch = _resolve(registry.read_path(base / str(case["input"])), fetcher)
    cid = str(case["id"])
    signed = case["kind"] == "signed"
    fmt = OB2_FORMAT.get(cid, Format.OB2_SIGNED if signed else Format.OB2_HOSTED)
    _expect(batch, fmt, OB2_REFUSED.get(cid))


@pytest.mark.parametrize("case", _cases("ob3"), ids=lambda c: str(c["id"]))
def test_ob3_case(case: dict[str, object], conformance_dir: Path) -> None:
    batch = default_registry().read_path(conformance_dir / "ob3" / str(case["file"]))
    proof = str(case.get("proof") or "")
    if case["id"] in OB3_REFUSED:
        _expect(batch, None, OB3_REFUSED[str(case["id"])])
        return
    if case["form"] == "vc-jwt" or proof.startswith("JWS"):
        fmt = Format.OB3_VC_JWT
    elif not proof:
        fmt = Format.OB3_UNSIGNED
    else:
        fmt = Format.OB3_DATA_INTEGRITY
    _expect(batch, fmt, None)
    credential = batch.found[0]
    assert isinstance(credential, Credential)
    assert credential.credential_id and credential.issuer and credential.issuer.id
    if "OpenBadgeCredential" in str(credential.document.get("type")):
        assert credential.issued or credential.valid_from
        assert credential.achievement and credential.achievement.name and credential.title


OB3_REFUSED: dict[str, type[WalletError]] = {
    "baked-png-unbaked": UnsupportedInput,
    "dcc-fx-qr-png-not-baked": UnsupportedInput,
    "baked-png-duplicate-itxt": MalformedInput,
}


EUROPASS = {
    "elm-v3/mc-annex1-signed.jades.json": Format.EDC_JADES,
    "elm-v3/mc-annex1-unsigned.jsonld": Format.EDC_JSONLD,
    "elm-v3/cert-of-participation-signed.jades.json": Format.EDC_JADES,
    "elm-v3/cert-of-participation-unsigned.jsonld": Format.EDC_JSONLD,
    "elm-v3/minimal-credential-sample.jsonld": Format.EDC_JSONLD,
    "third-party/velocert-edc-mc-signed.jades.json": Format.EDC_JADES,
    "third-party/ob3-microcredential-unsigned.json": Format.OB3_UNSIGNED,
    "elm-v3/edc-ap-context.jsonld": None,
    "elm-v2-xml/certificate-of-excellence-xades-signed.xml": Format.EDC_XML,
    "elm-v2-xml/simple-unsigned.xml": Format.EDC_XML,
}


def test_europass_table_covers_the_corpus(conformance_dir: Path) -> None:
    root = conformance_dir / "europass"
    on_disk = {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.suffix in (".json", ".jsonld", ".xml")
    }
    assert on_disk == set(EUROPASS)


@pytest.mark.parametrize("rel", sorted(EUROPASS))
def test_europass_file(rel: str, conformance_dir: Path) -> None:
    batch = default_registry().read_path(conformance_dir / "europass" / rel)
    fmt = EUROPASS[rel]
    _expect(batch, fmt, UnsupportedInput if fmt is None else None)
    if fmt is not None:
        credential = batch.found[0]
        assert isinstance(credential, Credential)
        assert credential.title and credential.issuer and credential.issuer.name
