"""Running one ob2 conformance case the way ``plecak verify`` does, for tests and the benchmark.

Inputs go through the importers registry (url -> ``fetch_url``, json/jws -> ``parse_text``, image
-> ``read_path``); every document comes from an offline mirror built from the case's ``serve`` map
(+ ``serve_meta``), so nothing leaves the machine; ``recipient_profile`` values become the
identities to match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from importers.registry import default_registry
from tests.support.mirror import mirror_from_serve
from wallet.errors import HTTPStatusError
from wallet.model import Credential, VerificationReport
from wallet.net import HttpFetcher
from wallet.ports import Fetcher, UrlReference
from wallet.service.sources import hosted_reference
from wallet.verify.context import VerifyContext
from wallet.verify.recipient import flatten_profile
from wallet.verify.verifier import verify


@dataclass
class Outcome:
    status: str
    """A Status value, or ``import-error`` when no credential could be imported."""
    report: VerificationReport | None
    errors: list[str]


def identities(case: dict[str, Any]) -> tuple[str, ...]:
    return flatten_profile((case.get("recipient_profile") or {}).values())


async def import_case(
    case: dict[str, Any], base: Path, fetcher: Fetcher
) -> tuple[list[Credential], list[Exception]]:
    registry = default_registry()
    kind = case["input_kind"]
    if kind == "url":
        batch = await registry.fetch_url(case["input"], fetcher)
    elif kind == "image":
        batch = registry.read_path(base / case["input"])
    else:
        batch = registry.parse_text((base / case["input"]).read_text(encoding="utf-8"))
    found: list[Credential] = []
    failures = [f.error for f in batch.failures]
    for item in batch.found:
        if isinstance(item, UrlReference):
            more = await registry.fetch_url(item.url, fetcher)
            found.extend(x for x in more.found if isinstance(x, Credential))
            failures.extend(f.error for f in more.failures)
        else:
            found.append(item)
    if not found and kind == "url":
        # The URL importer reports an input URL answering 4xx/5xx as a failure; the badge it names
        # is still a hosted badge to verify (the verifier fetches it again and says what it got).
        for error in failures:
            if isinstance(error, HTTPStatusError):
                found.append(hosted_reference(case["input"]))
                break
    return found, failures


async def run_case(case: dict[str, Any], base: Path, tmp_path: Path, now: datetime) -> Outcome:
    index = mirror_from_serve(tmp_path, base, case["serve"], case.get("serve_meta"))
    async with HttpFetcher(offline=True, mirrors=[index]) as fetcher:
        found, failures = await import_case(case, base, fetcher)
        if not found:
            return Outcome("import-error", None, [repr(e) for e in failures])
        ctx = VerifyContext(
            fetcher=fetcher, clock=lambda: now, recipients=identities(case), offline=True
        )
        report = await verify(found[0], ctx)
        return Outcome(report.status.value, report, [])
