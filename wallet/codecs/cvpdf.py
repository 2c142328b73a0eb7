"""The CV-ready PDF: rendered from a share bundle alone, so a verifier can render it again.

Why from the bundle and nothing else: the PDF carries its proof (the bundle and each credential,
attached PDF/A-3 style), and ``plecak verify cv.pdf`` compares every page with a fresh rendering of
the attached, verified data.  That only works if the page is a pure function of the bundle: the
manifest's entries (title, issuer, dates, status at export, EU elements, levels, credits) and the
bundle's own files (baked credentials and captured images).  Same bundle → same bytes.

Engine: Typst (the ``typst`` wheel): a self-contained typesetter with its fonts inside (Libertinus
Serif, SIL OFL, full Polish diacritics), PDF/A-3b with associated files, reproducible output for a
fixed timestamp.  System fonts are ignored so every machine renders the same glyphs.  Typst and
segno are imported lazily: ``plecak --help`` never loads them.

Signatures::

    render_cv(bundle: bytes, files: Mapping[str, bytes], manifest: Mapping[str, Any]) -> bytes
    attachment_name(path: str) -> str
    BUNDLE_ATTACHMENT = "plecak-bundle.zip"
"""

from __future__ import annotations

import functools
import gettext
import json
import struct
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wallet.codecs.dates import parse_date
from wallet.codecs.eu_read import LABELS
from wallet.errors import ExportError
from wallet.i18n import N_, _, translation_for
from wallet.model import Status

BUNDLE_ATTACHMENT = "plecak-bundle.zip"
BUNDLE_MEDIA = "application/vnd.plecak.bundle+zip"
TEMPLATE = Path(__file__).with_name("cv.typ")
MAX_IMAGE_BYTES = 512 * 1024
MAX_IMAGE_PIXELS = 4096 * 4096
QR_MASK = 2
_MEDIA = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "json": "application/json",
    "jws": "application/jose",
    "jwt": "application/jwt",
}

T = {
    "heading": N_("Credentials"),
    "subtitle": N_("Verifiable credentials of their holder, with their proof attached"),
    "title": N_("Credential"),
    "issuer": N_("Issuer"),
    "issued": N_("Issued"),
    "expires": N_("Expires"),
    "format": N_("Format"),
    "id": N_("Credential id"),
    "file": N_("Attached file"),
    "level": N_("Level"),
    "credits": N_("Credits"),
    "status": N_("Status at export"),
    "as_of": N_("as of {time}"),
    "eu": N_("EU micro-credential elements"),
    "derived": N_("derived"),
    "check_online": N_("Check it online"),
    "check_file": N_("Check this file"),
    "check_online_text": N_(
        "The QR code opens the issuer's copy of this credential: {url}. The signed original is "
        "also attached to this PDF: 'plecak verify' on the PDF checks it and every page."
    ),
    "check_file_text": N_(
        "This credential has no public address. Its signed original ({file}) is attached to this "
        "PDF: run 'plecak verify' on the PDF file to check it and every page."
    ),
    "qr_file": N_(
        "Check the PDF file this code is printed in with 'plecak verify FILE.pdf': the signed "
        "credential {id} is attached to it."
    ),
    "how": N_(
        "Every page was rendered from the signed credentials attached to this PDF (with the "
        "holder's signed share bundle). 'plecak verify' on the PDF file checks the credentials "
        "with their issuers and tells whether any page or attachment was changed."
    ),
    "footer": N_("Rendered by plecak from the attached credentials · check with 'plecak verify'"),
    "unnamed": N_("(no title)"),
}


def attachment_name(path: str) -> str:
    """The PDF attachment name of a bundle file (``credentials/001-x.json`` → ``001-x.json``)."""
    return path.rsplit("/", 1)[-1]


def _translator(lang: str) -> Callable[[str], str]:
    catalogue = gettext.NullTranslations() if lang == "en" else translation_for(lang)
    return catalogue.gettext


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _day(value: Any) -> str:
    parsed = parse_date(value) if isinstance(value, str) else None
    return parsed.astimezone(UTC).strftime("%Y-%m-%d") if parsed else "—"


def _png_size_ok(data: bytes) -> bool:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", data[16:24])
    return bool(0 < width * height <= MAX_IMAGE_PIXELS)


def _image_for(entry: Mapping[str, Any], files: Mapping[str, bytes]) -> tuple[str, bytes] | None:
    """(extension, bytes) of the badge image, from the bundle only: the baked credential itself,
    else an image the wallet captured while verifying (the credential's evidence list)."""
    candidates: list[tuple[str, bytes]] = []
    path = _text(entry.get("file")) or ""
    ext = path.rsplit(".", 1)[-1]
    if ext in ("png", "svg") and path in files:
        candidates.append((ext, files[path]))
    evidence = entry.get("evidence")
    for item in evidence if isinstance(evidence, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("sha256"), str):
            continue
        kind = {"image/png": "png", "image/svg+xml": "svg"}.get(str(item.get("content_type")))
        body = files.get(f"evidence/{item['sha256']}.{kind}") if kind else None
        if kind and body is not None:
            candidates.append((kind, body))
    for kind, body in candidates:
        if len(body) > MAX_IMAGE_BYTES:
            continue
        if kind == "png" and _png_size_ok(body):
            return kind, body
        if kind == "svg" and b"<svg" in body[:4096]:
            return kind, body
    return None


@functools.lru_cache(maxsize=256)
def _qr_svg(text: str) -> bytes:
    """A QR code (error correction M) as SVG.  The mask is fixed: choosing the best of eight
    took 90 % of a 50-credential export, and any mask gives a valid, readable code."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(text, error="m", micro=False, mask=QR_MASK).save(
        out, kind="svg", border=2, xmldecl=False
    )
    return out.getvalue()


def _facts_rows(facts: Any, t: Callable[[str], str]) -> list[list[str]]:
    rows: list[list[str]] = []
    if not isinstance(facts, dict):
        return rows
    levels = [
        f"{x.get('framework')} {x.get('value')}"
        for x in facts.get("levels") or []
        if isinstance(x, dict) and x.get("value") is not None
    ]
    credits = [
        f"{x.get('amount')} {x.get('unit')}"
        for x in facts.get("credits") or []
        if isinstance(x, dict) and x.get("amount") is not None
    ]
    if levels:
        rows.append([t(T["level"]), ", ".join(str(v) for v in levels)])
    if credits:
        rows.append([t(T["credits"]), ", ".join(str(v) for v in credits)])
    return rows


def _element(entry: Mapping[str, Any], key: str) -> str | None:
    for element in entry.get("eu_elements") or []:
        if (
            isinstance(element, dict)
            and element.get("key") == key
            and element.get("state") != "missing"
        ):
            return _text(element.get("value"))
    return None


def _title(entry: Mapping[str, Any]) -> str | None:
    """The title, or (an OB 2.0 hosted assertion names none itself) the one its BadgeClass gave."""
    return _text(entry.get("title")) or _element(entry, "title")


def _issuer_name(entry: Mapping[str, Any]) -> str:
    issuer = entry.get("issuer") if isinstance(entry.get("issuer"), dict) else {}
    assert isinstance(issuer, dict)
    return (
        _text(issuer.get("name"))
        or _element(entry, "awarding_body")
        or _text(issuer.get("id"))
        or "—"
    )


def _credential(
    index: int, entry: Mapping[str, Any], files: Mapping[str, bytes], t: Callable[[str], str]
) -> tuple[dict[str, Any], tuple[str, bytes] | None, bytes]:
    issuer = entry.get("issuer") if isinstance(entry.get("issuer"), dict) else {}
    assert isinstance(issuer, dict)
    issuer_name = _issuer_name(entry)
    status_value = _text(entry.get("status")) or Status.UNVERIFIED.value
    try:
        status = Status(status_value)
    except ValueError:
        status = Status.UNVERIFIED
    cid = _text(entry.get("credential_id"))
    file = attachment_name(_text(entry.get("file")) or "")
    rows = [
        [t(T["issuer"]), issuer_name + (f" ({issuer['id']})" if _text(issuer.get("id")) else "")],
        [t(T["issued"]), _day(entry.get("issued"))],
        [t(T["expires"]), _day(entry.get("expires"))],
        *_facts_rows(entry.get("facts"), t),
        [t(T["format"]), _text(entry.get("format")) or "—"],
        [t(T["id"]), cid or "—"],
        [t(T["file"]), file],
    ]
    eu: list[list[str]] = []
    for element in entry.get("eu_elements") or []:
        if not isinstance(element, dict) or element.get("state") == "missing":
            continue
        value = element.get("value")
        if value is None or isinstance(value, dict | list):
            continue
        label = t(LABELS.get(str(element.get("key")), str(element.get("key"))))
        if element.get("state") == "derived":
            label += f" ({t(T['derived'])})"
        eu.append([label, str(value)])
    online = cid is not None and cid.startswith(("https://", "http://"))
    if online:
        assert cid is not None
        qr_text = cid
        check_heading = t(T["check_online"])
        check_text = t(T["check_online_text"]).format(url=cid)
    else:
        qr_text = t(T["qr_file"]).format(id=cid or file)
        check_heading = t(T["check_file"])
        check_text = t(T["check_file_text"]).format(file=file)
    page = {
        "title": _title(entry) or t(T["unnamed"]),
        "issuer": issuer_name,
        "status": status.value,
        "status_label": t(status.label),
        "as_of": f"{t(T['status'])}, {t(T['as_of']).format(time=_day(entry.get('checked_at')))}",
        "rows": rows,
        "eu_heading": t(T["eu"]),
        "eu": eu,
        "image": None,
        "qr": f"qr-{index:03d}.svg",
        "check_heading": check_heading,
        "check_text": check_text,
    }
    return page, _image_for(entry, files), _qr_svg(qr_text)


def _overview(entries: Sequence[Mapping[str, Any]], t: Callable[[str], str]) -> dict[str, Any]:
    rows = []
    for i, entry in enumerate(entries, start=1):
        try:
            status = Status(str(entry.get("status")))
        except ValueError:
            status = Status.UNVERIFIED
        rows.append(
            [
                str(i),
                _title(entry) or t(T["unnamed"]),
                _issuer_name(entry),
                _day(entry.get("issued")),
                t(status.label),
            ]
        )
    return {
        "heading": t(T["heading"]),
        "subtitle": t(T["subtitle"]),
        "header": ["#", t(T["title"]), t(T["issuer"]), t(T["issued"]), t(T["status"])],
        "rows": rows,
        "how": t(T["how"]),
    }


def _timestamp(manifest: Mapping[str, Any]) -> int:
    created = parse_date(manifest["created"]) if isinstance(manifest.get("created"), str) else None
    return int((created or datetime(2000, 1, 1, tzinfo=UTC)).timestamp())


def _attach_source(
    root: Path, entry: Mapping[str, Any], files: Mapping[str, bytes]
) -> dict[str, str] | None:
    """Write the credential's original file beside the PDF source; its attachment entry."""
    path = _text(entry.get("file")) or ""
    if path not in files:
        return None
    name = attachment_name(path)
    (root / name).write_bytes(files[path])
    return {
        "path": name,
        "relationship": "source",
        "mime": _MEDIA.get(name.rsplit(".", 1)[-1], "application/octet-stream"),
        "description": _title(entry) or name,
    }


def render_cv(bundle: bytes, files: Mapping[str, bytes], manifest: Mapping[str, Any]) -> bytes:
    """The PDF (PDF/A-3b) of the bundle whose files and parsed manifest are given."""
    lang = manifest.get("language") if manifest.get("language") in ("pl", "en") else "en"
    assert isinstance(lang, str)
    t = _translator(lang)
    raw_entries = manifest.get("credentials")
    entries = (
        [e for e in raw_entries if isinstance(e, dict)] if isinstance(raw_entries, list) else []
    )
    if not entries:
        raise ExportError(reason=_("no credentials were chosen"))
    with tempfile.TemporaryDirectory(prefix="plecak-pdf-") as tmp:
        root = Path(tmp)
        pages: list[dict[str, Any]] = []
        images: list[tuple[dict[str, Any], str, bytes]] = []
        attachments: list[dict[str, str]] = []
        for index, entry in enumerate(entries, start=1):
            page, image, qr = _credential(index, entry, files, t)
            (root / page["qr"]).write_bytes(qr)
            if image is not None:
                images.append((page, f"img-{index:03d}.{image[0]}", image[1]))
            pages.append(page)
            attachment = _attach_source(root, entry, files)
            if attachment is not None:
                attachments.append(attachment)
        (root / BUNDLE_ATTACHMENT).write_bytes(bundle)
        attachments.append(
            {
                "path": BUNDLE_ATTACHMENT,
                "relationship": "source",
                "mime": BUNDLE_MEDIA,
                "description": "plecak share bundle (manifest, holder's signature, evidence)",
            }
        )
        titles = [p["title"] for p in pages]
        document = {
            "lang": lang,
            "title": titles[0] if len(titles) == 1 else t(T["heading"]),
            "author": "plecak",
            "footer": t(T["footer"]),
            "overview": _overview(entries, t) if len(entries) > 1 else None,
            "credentials": pages,
            "attachments": attachments,
        }
        (root / "main.typ").write_bytes(TEMPLATE.read_bytes())
        try:
            for page, name, body in images:
                (root / name).write_bytes(body)
                page["image"] = name
            return _compile(root, document, manifest)
        except ExportError:
            # A badge image Typst cannot decode: render without images (deterministically so).
            for page, _name, _body in images:
                page["image"] = None
            return _compile(root, document, manifest)


def _compile(root: Path, document: Mapping[str, Any], manifest: Mapping[str, Any]) -> bytes:
    import typst

    (root / "cv.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    try:
        out = typst.compile(
            str(root / "main.typ"),
            root=str(root),
            font_paths=[],
            ignore_system_fonts=True,
            pdf_standards=["a-3b"],
            timestamp=_timestamp(manifest),
        )
    except typst.TypstError as exc:
        raise ExportError(reason=_("the PDF could not be typeset"), detail=str(exc)) from exc
    assert isinstance(out, bytes)
    return out
