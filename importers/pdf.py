"""PDFs that carry credentials (``plecak export pdf``, or any PDF with attached badge files).

A PDF is a container, like a ZIP: its attachments are read (under the caps of
:mod:`wallet.codecs.pdfdoc`) and each goes back through the registry's sniffing.  When the PDF
carries both the credentials and plecak's share bundle, only the credentials are taken: the
bundle holds the same files, and importing both would report every one as a duplicate.

Signatures::

    is_pdf(data: bytes) -> bool
    attachment_blobs(blob: Blob) -> list[Blob]      # raises InputError
"""

from __future__ import annotations

from importers import sniff
from wallet.codecs import pdfdoc
from wallet.errors import UnsupportedInput
from wallet.i18n import N_
from wallet.ports import Blob

is_pdf = sniff.is_pdf


def attachment_blobs(blob: Blob) -> list[Blob]:
    # Imported here: the PDF writer's module costs tens of milliseconds and only its attachment
    # name is needed, and only when a PDF is imported.
    from wallet.codecs.cvpdf import BUNDLE_ATTACHMENT

    attached = pdfdoc.read_pdf(blob.data, blob.source).attachments
    names = [n for n in attached if n != BUNDLE_ATTACHMENT] or list(attached)
    if not names:
        raise UnsupportedInput(
            source=blob.source,
            hint=N_("This PDF carries no attached credentials; import the badge files themselves."),
        )
    return [Blob(data=attached[n], source=f"{blob.source}#{n}") for n in sorted(names)]
