"""``plecak export``: where the result goes, what the learner is warned about before sharing, and
``export linkedin`` (print, and with ``--open`` open, LinkedIn's add-to-profile address).

Why warnings are computed from the wallet's last reports: an employer will verify the bundle and see
every revoked badge and every badge issued to another identity; the learner should learn that from
their own wallet first, not from the employer.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from wallet.cli_support import _atomic_write, _err
from wallet.errors import UsageError
from wallet.i18n import _, ngettext, tr
from wallet.model import Status
from wallet.service import WalletService

TEXT_KINDS = frozenset({"json", "vp", "clr", "html", "svg", "sd-jwt"})
"""Formats that can go to standard output; the rest are binary (ZIP, PNG, PDF)."""


def destination(kind: str, out: str | None) -> str | None:
    """The file to write, or None for standard output (checked before any work is done)."""
    if out not in (None, "-"):
        return out
    if kind not in TEXT_KINDS:
        raise UsageError(
            _("The {kind} format is binary; name the file to write with -o FILE.").format(kind=kind)
        )
    return None


def write_export(target: str | None, data: bytes, count: int) -> None:
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _atomic_write(Path(target), data)
    _err(
        ngettext(
            "Wrote {file} ({count} credential).",
            "Wrote {file} ({count} credentials).",
            count,
        ).format(file=target, count=count)
    )


def export_warnings(service: WalletService, ids: Sequence[str], disclose: str | None) -> list[str]:
    """Plain sentences about what the receiver will see that the learner may not expect."""
    warnings = [
        _("Warning: {title} ({id}) contains {what}; it will be shared too.").format(
            title=title, id=cid, what=", ".join(labels)
        )
        for cid, title, labels in service.sensitive_fields(ids)
    ]
    wanted = set(ids)
    entries = [e for e in service.list() if e.id in wanted]
    not_valid = [e for e in entries if e.status is not Status.VALID]
    if not_valid:
        warnings.append(
            ngettext(
                "Warning: {count} credential is not valid in your wallet ({which}); the receiver "
                "will see that.",
                "Warning: {count} credentials are not valid in your wallet ({which}); the receiver "
                "will see that.",
                len(not_valid),
            ).format(
                count=len(not_valid),
                which=", ".join(f"{e.id} {tr(e.status.label)}" for e in not_valid),
            )
        )
    if disclose:
        others = [cid for cid in ids if _issued_to_another(service, cid, disclose)]
        if others:
            warnings.append(
                ngettext(
                    "Warning: {count} credential was issued to another identity than the one you "
                    "disclose ({ids}).",
                    "Warning: {count} credentials were issued to another identity than the one "
                    "you disclose ({ids}).",
                    len(others),
                ).format(count=len(others), ids=", ".join(others))
            )
    return warnings


def _issued_to_another(service: WalletService, cid: str, identity: str) -> bool:
    """The last report matched a recipient, and not with the identity being disclosed."""
    report = service.show(cid).report
    if report is None or not report.recipient.checked:
        return False
    return report.recipient.matched is False or (
        report.recipient.identity is not None and report.recipient.identity != identity
    )


def linkedin(service: WalletService, chosen: Sequence[str], open_: bool) -> None:
    if len(chosen) != 1:
        raise UsageError(_("LinkedIn takes one credential at a time: give one ID."))
    url = service.export("linkedin", list(chosen)).decode("utf-8").strip()
    click.echo(url)
    if open_:
        import webbrowser  # only here: the rest of the CLI never opens a browser

        if not webbrowser.open(url):
            click.echo(_("No browser could be opened; copy the address above."), err=True)
