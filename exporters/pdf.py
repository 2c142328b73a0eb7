"""``plecak export pdf``: a CV-ready A4 PDF that carries its own proof.

The share bundle is built first (the learner's signed manifest over the untouched credentials and
the evidence), then the pages are rendered from that bundle alone by :mod:`wallet.codecs.cvpdf`,
and the bundle and each credential's original bytes are attached (PDF/A-3 associated files).  A
verifier extracts the bundle, checks it as usual and renders the pages again to compare.

Signatures::

    class PdfExporter: name = "pdf"; media_type = "application/pdf"
        export(request: ExportRequest) -> bytes     # options: {"language": "pl" | "en"}
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from typing import Any

from exporters.bundle import BundleExporter
from wallet.codecs import cvpdf
from wallet.ports import ExportRequest


def bundle_files(bundle: bytes) -> dict[str, bytes]:
    """Every file of a bundle this process just wrote (trusted: our own bytes)."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class PdfExporter:
    name = "pdf"
    media_type = "application/pdf"

    def export(self, request: ExportRequest) -> bytes:
        language = request.options.get("language")
        if language in ("pl", "en") and language != request.language:
            assert isinstance(language, str)
            request = replace(request, language=language)
        bundle = BundleExporter().export(request)
        files = bundle_files(bundle)
        manifest: dict[str, Any] = json.loads(files["manifest.json"])
        return cvpdf.render_cv(bundle, files, manifest)
