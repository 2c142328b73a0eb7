"""Running one case of ``conformance/real`` (published third-party credentials) the way
``plecak verify`` does.

Only the documents of a case's ``serve`` map may be had; every other URL must fail.  Two worlds
show that: an offline mirror (``--offline --mirror``: anything else is "not available offline")
and the same mirror behind a fetcher that answers HTTP 404 for anything else (the corpus README's
wording).  A verdict is good when it is in the case's ``accept`` list (``unverifiable`` is plecak's
``unverified``; ``invalid`` also admits ``not-yet-valid``).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from importers.registry import default_registry
from tests.support.mirror import mirror_from_serve
from wallet.errors import OfflineMiss
from wallet.model import Credential
from wallet.net import HttpFetcher
from wallet.net.fake import FakeFetcher
from wallet.ports import Document, Fetcher, Response, UrlReference
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify


def load_cases(conformance_dir: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(
        (conformance_dir / "real" / "cases.json").read_text(encoding="utf-8")
    )
    return cases


def accepted(case: dict[str, Any]) -> set[str]:
    """The plecak statuses (and ``import-error``) the case allows."""
    allowed = set()
    for verdict in case["accept"]:
        allowed.add(
            {"unverifiable": "unverified", "import-only": "import-error"}.get(verdict, verdict)
        )
        if verdict == "invalid":
            allowed.add("not-yet-valid")
    return allowed


def answering_404_elsewhere(inner: HttpFetcher, now: datetime) -> FakeFetcher:
    """A Fetcher answering from ``inner`` and HTTP 404 for every URL ``inner`` does not have."""

    async def answer(url: str, accept: str | None) -> Response | Document:
        try:
            return await inner.get(url, accept=accept)
        except OfflineMiss:
            return (404, "text/plain", b"")

    return FakeFetcher(handler=answer, fetched_at=now, origin="network")


async def import_case(case: dict[str, Any], base: Path, fetcher: Fetcher) -> list[Credential]:
    """The case's file through the importers' registry; a baked URL is resolved as the service
    does (through the Fetcher and the URL importer)."""
    registry = default_registry()
    found: list[Credential] = []
    for item in registry.read_path(base / case["file"]).found:
        if isinstance(item, UrlReference):
            more = await registry.fetch_url(item.url, fetcher)
            found.extend(x for x in more.found if isinstance(x, Credential))
        elif isinstance(item, Credential):
            found.append(item)
    return found


async def run_case(
    case: dict[str, Any],
    conformance_dir: Path,
    contexts_dir: Path,
    tmp_path: Path,
    now: datetime,
    *,
    not_found_elsewhere: bool = False,
) -> tuple[str, Any]:
    """(status or ``import-error``, the report or None)."""
    base = conformance_dir / "real"
    mirrors = [mirror_from_serve(tmp_path, base, case["serve"])] if case["serve"] else []
    async with HttpFetcher(
        offline=True, mirrors=mirrors, contexts_dir=contexts_dir, clock=lambda: now
    ) as http:
        fetcher: Fetcher = answering_404_elsewhere(http, now) if not_found_elsewhere else http
        found = await import_case(case, base, fetcher)
        if not found:
            return "import-error", None
        recipients = (case["recipient"],) if case.get("recipient") else ()
        ctx = VerifyContext(fetcher=fetcher, clock=lambda: now, offline=True, recipients=recipients)
        report = await verify(found[0], ctx)
        return report.status.value, report
