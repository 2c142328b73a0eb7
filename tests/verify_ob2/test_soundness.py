"""Soundness regressions: forged, confused and half-available OB 2.0 inputs once called ``valid``.

Each test is named after the defect it pins.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tests.support.server import LoopbackServer
from tests.verify_ob2.helpers import NOW, basic_docs, check, hosted, jdoc, run
from wallet.model import CheckStatus, Status, VerificationReport
from wallet.net import HttpFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify

ASSERTION = "https://example.org/beths-robotics-badge.json"
ISSUER = "https://example.org/organization.json"


def _json(docs: dict[str, tuple[int, str, bytes]], url: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(docs[url][2])
    return body


def test_issuer_without_context_linked_from_a_2_0_badge_is_not_read_as_1_0(
    conformance_dir: Path,
) -> None:
    """Dropping ``@context`` made the issuer an OB 1.0 document, whose rules do not require an
    email: a 2.0 badge could link an issuer profile that 2.0 itself would reject."""
    docs = basic_docs(conformance_dir)
    issuer = _json(docs, ISSUER)
    issuer.pop("@context")
    issuer.pop("email")
    docs[ISSUER] = jdoc(issuer)
    report = run(hosted(ASSERTION), docs)
    assert report.status is Status.INVALID
    assert check(report, "issuer").status is CheckStatus.FAIL


def test_imported_copy_naming_another_badge_than_the_issuers_copy_is_invalid(
    conformance_dir: Path,
) -> None:
    """A baked image's assertion points at a real hosted assertion but embeds a grander badge:
    the wallet shows the copy in hand, so it may not borrow the issuer's copy's verdict."""
    docs = basic_docs(conformance_dir)
    forged = _json(docs, ASSERTION)
    forged["badge"] = {
        "type": "BadgeClass",
        "name": "PhD in Physics",
        "description": "Doctorate.",
        "image": "https://example.org/robotics-badge.png",
        "criteria": "https://example.org/phd.html",
        "issuer": ISSUER,
    }
    report = run(hosted(ASSERTION, forged), docs)
    assert report.status is Status.INVALID
    assert check(report, "copy").status is CheckStatus.FAIL
    assert check(report, "fetch").status is CheckStatus.PASS  # the issuer's copy was verified
    # an identical copy, and one differing only in what is not shown, stay valid
    assert run(hosted(ASSERTION, _json(docs, ASSERTION)), docs).status is Status.VALID
    later = _json(docs, ASSERTION) | {"narrative": "added by the issuer later"}
    report = run(hosted(ASSERTION, later), docs)
    assert report.status is Status.VALID
    assert check(report, "copy").status is CheckStatus.WARN


def _verify_online(url: str, contexts_dir: Path) -> VerificationReport:
    async def go() -> VerificationReport:
        async with HttpFetcher(allow_loopback=True, contexts_dir=contexts_dir) as fetcher:
            ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW)
            return await verify(hosted(url), ctx)

    return asyncio.run(go())


def test_hosted_assertion_reached_through_a_redirect_to_another_origin_is_out_of_scope(
    conformance_dir: Path, contexts_dir: Path
) -> None:
    """An open redirect on the issuer's host must not make a document served from elsewhere
    pass the hosted-verification scope (the scope is checked where the bytes came from)."""
    docs = basic_docs(conformance_dir)
    with LoopbackServer() as issuer_host, LoopbackServer() as elsewhere:
        assertion_url = issuer_host.url("/go")
        issuer = _json(docs, ISSUER) | {"id": issuer_host.url("/issuer")}
        badge = _json(docs, "https://example.org/robotics-badge.json") | {
            "id": issuer_host.url("/badge"),
            "issuer": issuer_host.url("/issuer"),
            "image": issuer_host.url("/badge.png"),
        }
        assertion = _json(docs, ASSERTION) | {
            "id": assertion_url,
            "badge": issuer_host.url("/badge"),
            "image": issuer_host.url("/badge.png"),
        }
        png = docs["https://example.org/robotics-badge.png"]
        for server in (issuer_host, elsewhere):
            server.routes["/badge.png"] = png
        issuer_host.routes.update({"/issuer": jdoc(issuer), "/badge": jdoc(badge)})
        elsewhere.routes["/a.json"] = jdoc(assertion)
        target = elsewhere.url("/a.json")
        issuer_host.routes["/go"] = lambda _h: (302, {"Location": target}, b"")
        report = _verify_online(assertion_url, contexts_dir)
    assert report.status is not Status.VALID
    assert check(report, "scope").status is CheckStatus.FAIL
