"""Shared helpers for the OB3 conformance corpus: cases, expected statuses, an offline fetcher."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.mirror import mirror_from_serve
from wallet.model import Status
from wallet.net import HttpFetcher


def load_cases(conformance_dir: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(
        (conformance_dir / "ob3" / "cases.json").read_text(encoding="utf-8")
    )
    return cases


def _schema_unavailable(case: dict[str, Any], base: Path) -> bool:
    """A declared JSON Schema that neither the case's ``needs`` nor the package provides."""
    from wallet.pinned import pinned_mirror

    path = base / case["file"]
    if path.suffix != ".json":
        return False
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    declared = document.get("credentialSchema") if isinstance(document, dict) else None
    entries = declared if isinstance(declared, list) else [declared] if declared else []
    have = set(case.get("needs") or {}) | set(pinned_mirror().entries)
    return any(isinstance(e, dict) and e.get("id") not in have for e in entries)


def expected_status(case: dict[str, Any], base: Path | None = None) -> Status:
    """The exact status a case must get (the corpus says only valid/invalid; README: map the rest).

    Precedence is cli.md's: revoked > suspended > expired > not-yet-valid > unverified.  A status
    list or key document that cannot be had (not in ``needs``, so offline it is missing) makes the
    credential ``unverified``: the check could not be completed (issue 5: "a list that cannot be
    had -> unverified, never valid"); the same for a list that is there but cannot be believed or
    read (issue 13: "a status problem never makes a credential invalid").  So does a declared JSON
    Schema that neither ``needs`` nor the package provides (issue 10), when ``base`` (the ob3
    corpus folder) is given.
    """
    if isinstance(case.get("status"), str):
        return Status(case["status"])  # the corpus states it exactly (e.g. an unconfirmed key)
    if case["expect"] == "valid":
        if base is not None and _schema_unavailable(case, base):
            return Status.UNVERIFIED
        return Status.VALID
    why = case["why"]
    if "revocation bit" in why or "1EdTechRevocationList" in why:
        return Status.REVOKED
    if "suspension bit" in why:
        return Status.SUSPENDED
    if why.startswith("expired"):
        return Status.EXPIRED
    if why.startswith("not yet valid"):
        return Status.NOT_YET_VALID
    if "unavailable" in why or "unresolvable" in why:
        return Status.UNVERIFIED
    if why.startswith(("status list credential", "status list undecodable")):
        # Issue 13: a problem with the status list (expired, not yet valid, wrong type, not
        # authentic) leaves the status unknown; only a verified set bit decides.
        return Status.UNVERIFIED
    return Status.INVALID


def offline_fetcher(
    tmp_path: Path, conformance_dir: Path, contexts_dir: Path, case: dict[str, Any], clock: Any
) -> HttpFetcher:
    mirrors = []
    if case.get("needs"):
        mirrors.append(mirror_from_serve(tmp_path, conformance_dir / "ob3", case["needs"]))
    return HttpFetcher(offline=True, mirrors=mirrors, contexts_dir=contexts_dir, clock=clock)
