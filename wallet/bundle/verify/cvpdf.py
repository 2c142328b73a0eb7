"""``plecak verify cv.pdf``: the PDF's attached proof, checked; its pages, compared.

The PDF made by ``plecak export pdf`` carries the learner's share bundle and each credential's
original bytes as attachments.  Checking it is checking the bundle (:func:`verify_bundle`: file
digests, the holder's signature, every credential by the normal rules, the manifest's claims, the
recipient), plus two checks of the PDF itself:

7. ``pdf-attachments`` — each credential attached to the PDF is byte-for-byte the one in the
   bundle; none is missing, none was added;
8. ``pdf-pages`` — the pages are what :func:`wallet.codecs.cvpdf.render_cv` draws from the bundle:
   every page's drawing (content and images, so a swapped QR code counts) is compared with a fresh
   rendering, and the pages that differ are named with the text that changed.

Signature::

    async def verify_cv_pdf(path: Path, *, fetcher_factory, **options: Unpack[BundleOptions]
        ) -> BundleReport     # kind="pdf"; the options are verify_bundle's
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Unpack

from wallet.bundle.verify.archive import DamagedEntry, open_bundle
from wallet.bundle.verify.report import BundleReport
from wallet.bundle.verify.verifier import BundleOptions, verify_bundle
from wallet.codecs import cvpdf, pdfdoc
from wallet.errors import UnreadableInput, UnsafeInput, WalletError
from wallet.i18n import _
from wallet.model import CheckResult, CheckStatus
from wallet.ports import FetcherFactory, system_clock

STEP_ATTACHMENTS = 7
STEP_PAGES = 8
_SHOWN = 160


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(pdfdoc.MAX_PDF_BYTES + 1)
    except OSError as exc:
        raise UnreadableInput(source=str(path), detail=str(exc)) from exc
    if len(data) > pdfdoc.MAX_PDF_BYTES:
        raise UnsafeInput(
            source=str(path),
            reason=_("the file is larger than {limit} bytes").format(limit=pdfdoc.MAX_PDF_BYTES),
        )
    return data


def _check(check_id: str, ok: bool, message: str, step: int, detail: str = "") -> CheckResult:
    status = CheckStatus.PASS if ok else CheckStatus.FAIL
    return CheckResult(check_id, status, message, detail=detail, step=step)


def _bundle_files(bundle_path: Path) -> dict[str, bytes]:
    archive = open_bundle(bundle_path)
    try:
        files: dict[str, bytes] = {}
        for name in archive.names:
            try:
                files[name] = archive.read(name)
            except DamagedEntry:
                continue  # verify_bundle has named it already
        return files
    finally:
        archive.close()


def _check_attachments(
    attached: Mapping[str, bytes], files: Mapping[str, bytes], manifest: Any
) -> tuple[CheckResult, list[str]]:
    expected: dict[str, bytes] = {}
    entries = manifest.get("credentials") if isinstance(manifest, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        path = entry.get("file") if isinstance(entry, dict) else None
        if isinstance(path, str) and path in files:
            expected[cvpdf.attachment_name(path)] = files[path]
    removed = sorted(set(expected) - set(attached))
    added = sorted(set(attached) - set(expected) - {cvpdf.BUNDLE_ATTACHMENT})
    changed = sorted(n for n in expected if n in attached and attached[n] != expected[n])
    problems = [*removed, *added, *changed]
    if not problems:
        return (
            _check(
                "pdf-attachments",
                True,
                _("The {count} attached credentials are the ones in the signed bundle.").format(
                    count=len(expected)
                ),
                STEP_ATTACHMENTS,
            ),
            [],
        )
    parts = []
    if removed:
        parts.append(_("removed: {names}").format(names=", ".join(removed)))
    if changed:
        parts.append(_("changed: {names}").format(names=", ".join(changed)))
    if added:
        parts.append(_("added: {names}").format(names=", ".join(added)))
    message = _("The PDF's attachments were altered ({what}).").format(what="; ".join(parts))
    return _check("pdf-attachments", False, message, STEP_ATTACHMENTS), problems


def _check_pages(
    data: bytes, pages: Sequence[str], bundle: bytes, files: Mapping[str, bytes], manifest: Any
) -> tuple[CheckResult, list[str]]:
    if not isinstance(manifest, dict):
        return (
            _check(
                "pdf-pages",
                False,
                _("The pages could not be compared: the bundle has no readable manifest."),
                STEP_PAGES,
            ),
            ["manifest.json"],
        )
    fresh = cvpdf.render_cv(bundle, files, manifest)
    expected = pdfdoc.read_pdf(fresh, "rendering", pages=True).pages
    differing = [
        n
        for n in range(1, max(len(pages), len(expected)) + 1)
        if n > len(pages) or n > len(expected) or pages[n - 1] != expected[n - 1]
    ]
    if not differing:
        return (
            _check(
                "pdf-pages",
                True,
                _("Every page ({count}) shows exactly what the signed bundle says.").format(
                    count=len(pages)
                ),
                STEP_PAGES,
            ),
            [],
        )
    shown = pdfdoc.page_texts(data, "pdf", differing[:5])
    wanted = pdfdoc.page_texts(fresh, "rendering", differing[:5])
    details = []
    for n in differing[:5]:
        now, was = shown.get(n, ""), wanted.get(n, "")
        if now == was:
            details.append(_("page {n}: its drawing or images differ").format(n=n))
        else:
            details.append(
                _("page {n}: shows “{now}” where the bundle gives “{was}”").format(
                    n=n, now=_difference(now, was), was=_difference(was, now)
                )
            )
    message = _("Pages were edited after export: {pages}.").format(
        pages=", ".join(str(n) for n in differing)
    )
    message += " " + "; ".join(details[:2]) + "."
    if len(pages) != len(expected):
        message += " " + _("The file has {found} pages; the bundle gives {expected}.").format(
            found=len(pages), expected=len(expected)
        )
    check = _check("pdf-pages", False, message, STEP_PAGES, detail="\n".join(details))
    return check, [_("page {n}").format(n=n) for n in differing]


def _difference(a: str, b: str) -> str:
    """The part of ``a`` that differs from ``b`` (common prefix and suffix cut), shortened."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    part = a[max(0, start - 20) : len(a) - end + 20]
    return part if len(part) <= _SHOWN else part[:_SHOWN] + "…"


async def verify_cv_pdf(
    path: Path,
    *,
    fetcher_factory: FetcherFactory,
    **options: Unpack[BundleOptions],
) -> BundleReport:
    """Check a CV PDF; raises an InputError when the file is not a readable PDF.  The options are
    :func:`~wallet.bundle.verify.verifier.verify_bundle`'s, passed on to it."""
    clock = options.get("clock", system_clock)
    data = _read(path)
    contents = pdfdoc.read_pdf(data, path.name, pages=True)
    bundle = contents.attachments.get(cvpdf.BUNDLE_ATTACHMENT)
    if bundle is None:
        message = _(
            "The proof ({name}) is not attached: it was removed, or plecak did not make this PDF."
        ).format(name=cvpdf.BUNDLE_ATTACHMENT)
        return BundleReport(
            source=str(path),
            checks=(_check("pdf-attachments", False, message, STEP_ATTACHMENTS),),
            credentials=(),
            checked_at=clock(),
            problems=(cvpdf.BUNDLE_ATTACHMENT,),
            kind="pdf",
        )
    with tempfile.TemporaryDirectory(prefix="plecak-pdf-") as tmp:
        bundle_path = Path(tmp) / cvpdf.BUNDLE_ATTACHMENT
        bundle_path.write_bytes(bundle)
        report = await verify_bundle(
            bundle_path,
            fetcher_factory=fetcher_factory,
            **options,
        )
        files = _bundle_files(bundle_path)
    attachments, removed = _check_attachments(contents.attachments, files, report.manifest)
    try:
        pages, edited = _check_pages(data, contents.pages, bundle, files, report.manifest)
    except WalletError as exc:
        pages = _check(
            "pdf-pages",
            False,
            _("The pages could not be compared: {reason}").format(reason=exc.user_message()),
            STEP_PAGES,
        )
        edited = []
    return replace(
        report,
        source=str(path),
        checks=(*report.checks, attachments, pages),
        problems=(*report.problems, *removed, *edited),
        kind="pdf",
    )
