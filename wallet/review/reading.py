"""Reading share bundles for the review: integrity first, then each credential's statements.

The manifest is only the holder's claim.  When the bundle was verified (``reports``), everything
the review shows of a credential — title, issuer, dates, EU elements, levels, credits, skills —
comes from the credential the verifier just parsed and checked; the manifest supplies only file
names and digests.  Without a report (``plecak review`` of bundles not checked now) the manifest's
statements are all there is, and the review says the statuses are those recorded at export.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from wallet.bundle.claims import elements_json, facts_json, shown_title, stated_fields
from wallet.bundle.verify.report import BundleCredential, BundleReport
from wallet.bundle.verify.verifier import Integrity, check_integrity
from wallet.codecs.dates import format_minute
from wallet.errors import WalletError
from wallet.i18n import _, current_language
from wallet.model import Json, Status
from wallet.review.labels import own_label
from wallet.review.model import Item


def _checked(report: BundleReport | None, file: str) -> BundleCredential | None:
    for item in report.credentials if report is not None else ():
        if item.file == file:
            return item
    return None


def _as_of(report: BundleReport | None) -> str | None:
    """When the statuses were checked from the bundle's evidence (offline): its capture time."""
    times = [
        item.report.as_of
        for item in (report.credentials if report is not None else ())
        if item.report is not None and item.report.mode == "evidence" and item.report.as_of
    ]
    return format_minute(min(times)) if times else None


def verified_entry(checked: BundleCredential) -> dict[str, Any]:
    """What the verified credential itself states, in the manifest entry's shape; skills carry a
    ``label`` in the interface language from the credential's own words."""
    credential, facts = checked.credential, checked.facts
    if credential is None or facts is None:  # unreadable: nothing but its file name is known
        return {}
    entry: dict[str, Any] = {
        **stated_fields(credential),
        "title": shown_title(credential, facts),
        "eu_elements": elements_json(facts),
        "facts": facts_json(facts),
    }
    lang = current_language()
    for skill in entry["facts"]["skills"]:
        skill["label"] = own_label(credential, skill.get("pointer"), lang) or skill.get("name")
    return entry


def _bundle_row(path: Path, integrity: Integrity, report: BundleReport | None) -> dict[str, Json]:
    manifest = integrity.manifest or {}
    return {
        "path": str(path),
        "ok": integrity.ok,
        "id": manifest.get("id"),
        "holder": manifest.get("holder"),
        "created": manifest.get("created"),
        "purpose": manifest.get("purpose"),
        "verified": report is not None,
        "as_of": _as_of(report),
        "disclosed": manifest.get("disclosed_identity"),
        "problems": list(integrity.problems),
        "checks": [
            {"id": c.id, "status": c.status.value, "message": c.message} for c in integrity.checks
        ],
    }


def _listed(manifest: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = manifest.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _items(
    name: str, integrity: Integrity, report: BundleReport | None, seen: dict[str, str]
) -> list[Item]:
    manifest = integrity.manifest or {}
    digests = {f.get("path"): f.get("sha256") for f in _listed(manifest, "files")}
    items = []
    for claimed in _listed(manifest, "credentials"):
        file = str(claimed.get("file"))
        checked = _checked(report, file)
        if not integrity.ok:
            status, source, entry = Status.INVALID.value, "bundle-damaged", claimed
        elif report is not None:
            entry = verified_entry(checked) if checked is not None else {}
            status = checked.status.value if checked is not None else Status.INVALID.value
            source = "verified"
        else:
            status = str(claimed.get("status") or Status.UNVERIFIED.value)
            source, entry = "at-export", claimed
        ident = entry.get("credential_id")
        key = str(ident or digests.get(file) or f"{name}!{file}")
        item = Item(name, file, entry, status, source, key)
        item.ids = {i for i in item.facts.get("achievement_ids", []) if isinstance(i, str)}
        if isinstance(ident, str):
            item.ids.add(ident)
        if key in seen:
            item.duplicate_of = seen[key]
        else:
            seen[key] = item.where
        items.append(item)
    return items


def read_bundles(
    paths: Sequence[Path], reports: Mapping[Path, BundleReport], warnings: list[str]
) -> tuple[list[dict[str, Json]], list[Item]]:
    """Each bundle's row (integrity, holder, purpose) and every credential it holds."""
    bundles: list[dict[str, Json]] = []
    items: list[Item] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            integrity = check_integrity(path)
        except WalletError as exc:
            bundles.append({"path": str(path), "ok": False, "error": exc.user_message()})
            warnings.append(exc.user_message())
            continue
        report = reports.get(path)
        bundles.append(_bundle_row(path, integrity, report))
        items += _items(path.name, integrity, report, seen)
    holders = {b.get("holder") for b in bundles if b.get("holder")}
    if len(holders) > 1:
        warnings.append(
            _("These bundles were signed by {count} different holders.").format(count=len(holders))
        )
    return bundles, items
