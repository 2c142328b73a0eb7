"""JSON-LD safety: pinned contexts only, undefined terms and relative types fail."""

from __future__ import annotations

import json
from pathlib import Path

from tests.verify_ob3.signing import (
    DI2,
    OB3,
    VC1,
    Issuer,
    badge,
    check,
    contexts_fetcher,
    credential_of,
    run,
    sign_di,
)
from wallet.model import CheckStatus, Status


def _v1_badge(issuer: Issuer, **extra: object) -> dict[str, object]:
    doc = badge(issuer, **extra)
    doc["@context"] = [VC1, OB3, DI2]
    doc["issuanceDate"] = doc.pop("validFrom")
    return doc


def test_undefined_term_fails_even_when_signed(contexts_dir: Path) -> None:
    """VC 1.1 has no @vocab: an undefined term vanishes from the signed RDF, so it is refused."""
    issuer = Issuer.ed25519()
    signed = sign_di(_v1_badge(issuer, favouriteColour="blue"), issuer, contexts_dir)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert check(report, "proof").status is CheckStatus.PASS
    assert check(report, "context").status is CheckStatus.FAIL
    assert "favouriteColour" in check(report, "context").message
    assert report.status is Status.INVALID


def test_relative_type_fails(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    doc = _v1_badge(issuer)
    doc["type"] = ["VerifiableCredential", "OpenBadgeCredential", "MadeUpType"]
    report = run(credential_of(sign_di(doc, issuer, contexts_dir)), contexts_fetcher(contexts_dir))
    assert check(report, "context").status is CheckStatus.FAIL
    assert "MadeUpType" in check(report, "context").message
    assert report.status is Status.INVALID


def test_ob3_context_leaves_unknown_terms_undefined(contexts_dir: Path) -> None:
    """A term that neither the VC nor the OB 3.0 context defines is dropped: refused."""
    issuer = Issuer.ed25519()
    signed = sign_di(badge(issuer, favouriteColour="blue"), issuer, contexts_dir)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert check(report, "context").status is CheckStatus.FAIL
    assert report.status is Status.INVALID


def test_unknown_context_is_never_fetched_online(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    doc = badge(issuer)
    doc["@context"] = [*doc["@context"], "https://evil.example/context.json"]
    fetcher = contexts_fetcher(contexts_dir)
    report = run(
        credential_of(sign_di(badge(issuer), issuer, contexts_dir) | {"@context": doc["@context"]}),
        fetcher,
        offline=False,
    )
    assert report.status is Status.UNVERIFIED
    assert check(report, "context").status is CheckStatus.UNKNOWN
    assert "https://evil.example/context.json" not in fetcher.asked


def test_unknown_context_from_a_mirror_is_used_offline(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    extra_url = "https://example.org/extra-context.json"
    extra = {"@context": {"favouriteColour": "https://example.org/vocab#favouriteColour"}}
    doc = badge(issuer, favouriteColour="blue")
    doc["@context"] = [*doc["@context"], extra_url]
    served = {extra_url: (200, "application/ld+json", json.dumps(extra).encode())}
    signed = sign_di(doc, issuer, contexts_dir) if False else None  # signing needs the mirror too
    del signed
    fetcher = contexts_fetcher(contexts_dir, served)
    report = run(credential_of(doc), fetcher)
    assert check(report, "context").status is CheckStatus.PASS
    assert "(mirror)" in check(report, "context").detail


def test_pinned_context_with_other_content_is_refused(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = sign_di(badge(issuer), issuer, contexts_dir)
    forged = json.loads((contexts_dir / "ob-context-3.0.3.jsonld").read_text(encoding="utf-8"))
    forged["@context"]["name"] = "https://evil.example/name"
    fetcher = contexts_fetcher(
        contexts_dir, {OB3: (200, "application/ld+json", json.dumps(forged).encode())}
    )
    # a fresh process would fetch the context; drop the process-wide copy to force that
    # Parsed contexts are cached by the digest of the bytes served, so other bytes are re-checked.
    report = run(credential_of(signed), fetcher)
    assert report.status is Status.UNVERIFIED
    assert "pinned digest" in check(report, "context").message


def test_whitespace_different_copy_of_a_pinned_context_is_accepted(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = sign_di(badge(issuer), issuer, contexts_dir)
    original = json.loads((contexts_dir / "ob-context-3.0.3.jsonld").read_text(encoding="utf-8"))
    reformatted = json.dumps(original, indent=7, sort_keys=False).encode()
    fetcher = contexts_fetcher(contexts_dir, {OB3: (200, "application/ld+json", reformatted)})
    # Parsed contexts are cached by the digest of the bytes served, so other bytes are re-checked.
    report = run(credential_of(signed), fetcher)
    assert report.status is Status.VALID
    assert OB3 in fetcher.asked


def test_cached_resolution_gives_pyld_output(conformance_dir: Path, contexts_dir: Path) -> None:
    """Our identity cache of inline contexts must not change a single quad (checked twice: cold
    and warm), against plain pyld with a fresh resolver."""
    import asyncio

    from cachetools import LRUCache
    from pyld import jsonld as pyld_jsonld
    from pyld.context_resolver import ContextResolver

    from wallet.verify import jsonld
    from wallet.verify.context import VerifyContext

    names = [
        "generated/v2-eddsa-valid.json",
        "generated/v1-ed25519-2020-valid.json",
        "fixtures/dcc-vc-test-fixtures/v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement.json",
    ]
    for _round in range(2):
        for name in names:
            doc = json.loads((conformance_dir / "ob3" / name).read_text(encoding="utf-8"))
            unsecured = {k: v for k, v in doc.items() if k != "proof"}
            ctx = VerifyContext(fetcher=contexts_fetcher(contexts_dir), offline=True)
            contexts = asyncio.run(jsonld.load_contexts(doc, ctx))
            loader = contexts.loader()
            reference = pyld_jsonld.JsonLdProcessor().normalize(
                unsecured,
                {
                    "algorithm": "URDNA2015",
                    "format": "application/n-quads",
                    "base": None,
                    "documentLoader": loader,
                    "contextResolver": ContextResolver(LRUCache(maxsize=100), loader),
                },
            )
            assert jsonld.canonicalize(unsecured, contexts).nquads == reference
