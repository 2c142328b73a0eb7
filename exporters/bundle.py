"""The Europass-style share bundle (bundle.md): one ZIP an employer checks with one command.

Signatures::

    class BundleExporter: name = "bundle"; media_type = BUNDLE_MEDIA_TYPE
        export(request: ExportRequest) -> bytes
    deterministic_zip(files: Mapping[str, bytes]) -> bytes

Layout: ``mimetype`` (first, stored), ``manifest.json``, ``presentation.json``, ``credentials/``
(byte-for-byte as imported), ``evidence/`` (+ ``evidence/index.json`` in the mirror format of
cli.md with ``fetched_at`` and ``sha256``), ``report.json``, ``summary.html``.

Why deterministic (sorted entries, fixed timestamps, fixed attributes, no extra fields): the same
export gives the same bytes, so golden files and the share ledger's digest mean something, and a
bundle reveals nothing about the machine or the time of day beyond what the manifest says.

Trust chain: ``presentation.json`` is a W3C Verifiable Presentation signed by the learner's did:key
(eddsa-jcs-2022, see :mod:`wallet.codecs.holder`) whose ``relatedResource`` pins the SHA-256 of
``manifest.json``; the manifest lists the SHA-256 of every other file.  One signature thus covers
every byte of the bundle.  Issuers' own signatures stay inside the untouched credential files.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

from exporters.common import (
    all_records,
    credential_for,
    extension_for,
    linked_documents,
    media_type_for_extension,
    safe_name,
    sha256_hex,
)
from exporters.html import summary_item
from wallet.bundle.claims import elements_json, facts_json, stated_fields
from wallet.bundle.summary import Summary, SummaryItem, render_summary
from wallet.codecs import holder
from wallet.codecs.dates import format_date
from wallet.codecs.eu import Facts, describe, sensitive_fields
from wallet.codecs.report_json import record_json
from wallet.errors import ExportError
from wallet.i18n import _
from wallet.model import Credential, FetchRecord, Json, VerificationReport
from wallet.ports import ExportRequest

BUNDLE_MEDIA_TYPE = "application/vnd.plecak.bundle+zip"
MANIFEST_TYPE = "PlecakShareBundle"
MANIFEST_VERSION = 1
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_EVIDENCE_EXT = {
    "application/json": "json",
    "application/ld+json": "jsonld",
    "application/did+json": "json",
    "application/did+ld+json": "json",
    "application/vc+ld+json": "json",
    "application/vc+jwt": "jwt",
    "application/jwt": "jwt",
    "image/png": "png",
    "image/svg+xml": "svg",
    "image/jpeg": "jpg",
    "text/plain": "txt",
    "text/html": "html",
}


def deterministic_zip(files: Mapping[str, bytes]) -> bytes:
    """A ZIP of ``files``: ``mimetype`` first and stored, the rest sorted and deflated, every entry
    with the same timestamp and permissions and no extra fields."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        names = sorted(files, key=lambda n: (n != "mimetype", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=6 if name != "mimetype" else None)
    return out.getvalue()


def _json_bytes(value: Json) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _bundle_id(holder_did: str, created: str, digests: list[str]) -> str:
    """A stable id: the same holder, time and files give the same id (UUID version 8 layout)."""
    raw = bytearray(hashlib.sha256("\n".join([holder_did, created, *digests]).encode()).digest())
    raw[6] = (raw[6] & 0x0F) | 0x80
    raw[8] = (raw[8] & 0x3F) | 0x80
    hexed = raw[:16].hex()
    return f"urn:uuid:{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def _evidence_name(record: FetchRecord) -> str:
    return f"{record.sha256}.{_EVIDENCE_EXT.get(record.content_type, 'bin')}"


def _evidence(
    reports: list[VerificationReport], bodies: Mapping[str, bytes], media: dict[str, str]
) -> tuple[dict[str, bytes], dict[str, Json]]:
    """evidence/ files (every captured body, named by digest) and the mirror index of cli.md
    (the latest capture of each URL); fills ``media`` with each file's media type."""
    files: dict[str, bytes] = {}
    latest: dict[str, FetchRecord] = {}
    for report in reports:
        for record in all_records(report):
            for url in dict.fromkeys((record.url, record.final_url)):
                seen = latest.get(url)
                if seen is None or record.fetched_at > seen.fetched_at:
                    latest[url] = record
    for report in reports:
        for record in all_records(report):
            body = bodies.get(record.sha256)
            if body is not None and sha256_hex(body) == record.sha256:
                name = _evidence_name(record)
                files[f"evidence/{name}"] = body
                media[f"evidence/{name}"] = record.content_type
    index: dict[str, Json] = {}
    for url in sorted(latest):
        record = latest[url]
        entry: dict[str, Json] = {
            "status": record.status,
            "content_type": record.content_type,
            "fetched_at": format_date(record.fetched_at),
            "sha256": record.sha256,
        }
        name = _evidence_name(record)
        if f"evidence/{name}" in files:
            entry = {"file": name, **entry}
        elif 200 <= record.status < 300:
            continue  # a success we hold no body for cannot be replayed: leave it out
        index[url] = entry
    return files, index


def evidence_list(report: VerificationReport | None, bodies: Mapping[str, bytes]) -> list[Json]:
    """The documents this credential's verification used, replayable from ``evidence/``.

    Why per credential and not only the global index: two issuers' documents, or two captures of
    one URL at different times, may differ; each credential is re-checked against its own."""
    seen: dict[str, dict[str, Json]] = {}
    for record in all_records(report) if report is not None else ():
        held = record.sha256 in bodies
        if not held and 200 <= record.status < 300:
            continue
        seen[record.url] = {
            "url": record.url,
            "status": record.status,
            "content_type": record.content_type,
            "sha256": record.sha256 if held else None,
            "fetched_at": format_date(record.fetched_at),
        }
    return [seen[url] for url in sorted(seen)]


def credential_entry(
    file: str,
    credential: Credential,
    report: VerificationReport | None,
    facts: Facts,
    evidence: list[Json] | None = None,
) -> dict[str, Json]:
    """The manifest's description of one credential (also recomputed by the bundle verifier)."""
    return {
        "file": file,
        **stated_fields(credential),
        "status": report.status.value if report else None,
        "checked_at": format_date(report.checked_at) if report else None,
        "sensitive": sensitive_fields(credential),
        "eu_elements": elements_json(facts),
        "facts": facts_json(facts),
        "evidence": evidence or [],
    }


def _sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def presentation(
    *,
    bundle_id: str,
    holder_key: bytes,
    manifest: bytes,
    credential_files: Mapping[str, bytes],
    request: ExportRequest,
) -> dict[str, Any]:
    """The learner's signed presentation: it pins the manifest (and so every file) by digest."""
    did = holder.did_key_from_private(holder_key)
    resources: list[dict[str, Json]] = [
        {
            "id": f"{bundle_id}#manifest.json",
            "mediaType": "application/json",
            "digestSRI": _sri(manifest),
        }
    ]
    for path in sorted(credential_files):
        resources.append(
            {
                "id": f"{bundle_id}#{path}",
                "mediaType": media_type_for_extension(path.rsplit(".", 1)[-1]),
                "digestSRI": _sri(credential_files[path]),
            }
        )
    unsigned: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": bundle_id,
        "type": ["VerifiablePresentation"],
        "holder": did,
        "relatedResource": resources,
    }
    domain = request.options.get("recipient_hint")
    return holder.sign_jcs(
        unsigned,
        holder_key,
        created=request.created,
        proof_purpose="authentication",
        challenge=bundle_id,
        domain=domain if isinstance(domain, str) and domain else None,
    )


def _credentials(
    request: ExportRequest,
) -> tuple[dict[str, bytes], list[dict[str, Json]], list[SummaryItem], list[VerificationReport]]:
    """Each chosen credential's file, manifest entry, summary item, and the reports held."""
    credential_files: dict[str, bytes] = {}
    entries: list[dict[str, Json]] = []
    items: list[SummaryItem] = []
    reports: list[VerificationReport] = []
    for i, wallet_id in enumerate(request.ids, start=1):
        credential = credential_for(request, wallet_id)
        report = request.reports.get(wallet_id)
        if report is not None:
            reports.append(report)
        facts = describe(credential, linked_documents(report, request.evidence))
        title = next((e.value for e in facts.elements if e.key == "title"), None)
        name = safe_name(credential.title or title or "credential")
        path = f"credentials/{i:03d}-{name}.{extension_for(credential)}"
        credential_files[path] = credential.original.data
        entries.append(
            credential_entry(
                path, credential, report, facts, evidence_list(report, request.evidence)
            )
        )
        items.append(summary_item(credential, report, facts, request.evidence))
    return credential_files, entries, items, reports


def _report_file(request: ExportRequest, entries: list[dict[str, Json]], created: str) -> bytes:
    """report.json: the wallet's last report of each credential, next to its file name."""
    return _json_bytes(
        {
            "generated": created,
            "reports": [
                {"file": entry["file"], **record_json(request.reports[wid])}
                for entry, wid in zip(entries, request.ids, strict=True)
                if wid in request.reports
            ],
        }
    )


def _manifest(
    request: ExportRequest,
    *,
    bundle_id: str,
    holder_did: str,
    created: str,
    files: dict[str, bytes],
    media: dict[str, str],
    entries: list[dict[str, Json]],
) -> dict[str, Json]:
    """manifest.json: who, when, for what, and the SHA-256 of every other file."""
    recipient_hint = request.options.get("recipient_hint")
    return {
        "type": MANIFEST_TYPE,
        "version": MANIFEST_VERSION,
        "id": bundle_id,
        "created": created,
        "holder": holder_did,
        "language": request.language,
        "purpose": request.purpose,
        "recipient_hint": recipient_hint if isinstance(recipient_hint, str) else None,
        "disclosed_identity": request.disclosed_identity,
        "files": [
            {
                "path": path,
                "media_type": media.get(path) or _media_type(path),
                "size": len(data),
                "sha256": sha256_hex(data),
            }
            for path, data in sorted(files.items())
        ],
        "credentials": entries,
    }


class BundleExporter:
    name = "bundle"
    media_type = BUNDLE_MEDIA_TYPE

    def export(self, request: ExportRequest) -> bytes:
        if request.holder_key is None:
            raise ExportError(reason=_("the wallet's signing key is needed to sign the bundle"))
        if not request.ids:
            raise ExportError(reason=_("no credentials were chosen"))
        did = holder.did_key_from_private(request.holder_key)
        created = format_date(request.created) or ""
        files: dict[str, bytes] = {"mimetype": BUNDLE_MEDIA_TYPE.encode("ascii")}
        credential_files, entries, items, reports = _credentials(request)
        files.update(credential_files)
        media: dict[str, str] = {"evidence/index.json": "application/json"}
        evidence_files, index = _evidence(reports, request.evidence, media)
        files.update(evidence_files)
        files["evidence/index.json"] = _json_bytes(index)
        files["report.json"] = _report_file(request, entries, created)
        bundle_id = request.options.get("bundle_id")
        if not isinstance(bundle_id, str) or not bundle_id:
            bundle_id = _bundle_id(did, created, [sha256_hex(d) for _n, d in sorted(files.items())])
        files["summary.html"] = render_summary(
            Summary(
                created=created,
                items=items,
                language=request.language,
                holder=did,
                bundle_id=bundle_id,
                purpose=request.purpose,
                disclosed_identity=request.disclosed_identity,
            )
        )
        manifest = _manifest(
            request,
            bundle_id=bundle_id,
            holder_did=did,
            created=created,
            files=files,
            media=media,
            entries=entries,
        )
        manifest_bytes = _json_bytes(manifest)
        files["manifest.json"] = manifest_bytes
        files["presentation.json"] = _json_bytes(
            presentation(
                bundle_id=bundle_id,
                holder_key=request.holder_key,
                manifest=manifest_bytes,
                credential_files=credential_files,
                request=request,
            )
        )
        return deterministic_zip(files)


def _media_type(path: str) -> str:
    if path == "mimetype":
        return "text/plain"
    return media_type_for_extension(path.rsplit(".", 1)[-1])
