"""Every exporter by the name the CLI uses (``plecak export KIND``).  Built by wallet.factory."""

from __future__ import annotations

from collections.abc import Mapping

from exporters.baked import JsonExporter, PngExporter, SvgExporter
from exporters.bundle import BundleExporter
from exporters.clr import ClrExporter
from exporters.html import HtmlExporter
from exporters.linkedin import LinkedInExporter
from exporters.pdf import PdfExporter
from exporters.sd_jwt import SdJwtExporter
from exporters.vp import VpExporter
from wallet.ports import Exporter


def default_exporters() -> Mapping[str, Exporter]:
    found: list[Exporter] = [
        BundleExporter(),
        VpExporter(),
        ClrExporter(),
        JsonExporter(),
        PngExporter(),
        SvgExporter(),
        HtmlExporter(),
        SdJwtExporter(),
        PdfExporter(),
        LinkedInExporter(),
    ]
    return {exporter.name: exporter for exporter in found}
