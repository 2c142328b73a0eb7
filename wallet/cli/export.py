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
from typing import TYPE_CHECKING

import click

from wallet.cli.help import argument, command, option
from wallet.cli.io import atomic_write, err
from wallet.cli.session import settings_of, unlocked
from wallet.cli.store import tell_damage
from wallet.errors import EXIT_OK, UsageError
from wallet.i18n import N_, _, ngettext, tr
from wallet.progress import TerminalProgress

if TYPE_CHECKING:
    from wallet.model import Json
    from wallet.service import WalletService

KINDS = ["bundle", "vp", "clr", "json", "png", "svg", "html", "pdf", "sd-jwt", "linkedin"]

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
    atomic_write(Path(target), data)
    err(
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
    from wallet.model import Status

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


def _options(reveal: tuple[str, ...], doc_lang: str | None) -> dict[str, Json] | None:
    """The format options the exporters understand, or None when none was given."""
    options: dict[str, Json] = {}
    if reveal:
        options["reveal"] = list(reveal)
    if doc_lang:
        options["language"] = doc_lang
    return options or None


def _announce(kind: str, count: int) -> None:
    """Refuse a single-credential format for many; a bundle or PDF of many credentials takes a
    while, so say on a terminal that it started."""
    if kind in ("json", "png", "svg", "sd-jwt") and count != 1:
        raise UsageError(_("This format exports exactly one credential."))
    TerminalProgress(kind in ("bundle", "pdf") or count > 1).note(
        ngettext("Exporting {n} credential…", "Exporting {n} credentials…", count).format(n=count)
    )


@command(
    help=N_("Export credentials: bundle, vp, clr, json, png, svg, html, pdf, sd-jwt; or linkedin.")
)
@argument("kind", type=click.Choice(KINDS))
@argument("ids", nargs=-1)
@option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, allow_dash=True),
    help=N_("The file to write; without it (or with -), text formats go to standard output."),
)
@option("--tag", help=N_("Export every credential with this tag."))
@option("--all", "all_", is_flag=True, help=N_("Export every credential."))
@option("--disclose", metavar="IDENTITY", help=N_("Disclose this identity of yours."))
@option("--purpose", help=N_("A note for the receiver (e.g. the job you apply for)."))
@option(
    "--reveal",
    multiple=True,
    metavar="CLAIM",
    help=N_("sd-jwt: share only this claim (repeat; e.g. credentialSubject/achievement)."),
)
@option("--lang", "doc_lang", type=click.Choice(["pl", "en"]), help=N_("Language of the PDF."))
@option("--open", "open_", is_flag=True, help=N_("linkedin: open the address."))
@click.pass_context
def export(
    ctx: click.Context,
    kind: str,
    ids: tuple[str, ...],
    out: str | None,
    tag: str | None,
    all_: bool,
    disclose: str | None,
    purpose: str | None,
    reveal: tuple[str, ...],
    doc_lang: str | None,
    open_: bool,
) -> None:
    service = unlocked(settings_of(ctx))
    chosen = service.export_ids(ids, tag=tag, all_=all_)
    if kind == "linkedin":
        linkedin(service, chosen, open_)
        return
    target = destination(kind, out)
    damaged = tell_damage(service.damage(), json_out=False)
    _announce(kind, len(chosen))
    data = service.export(
        kind,
        chosen,
        disclose_identity=disclose,
        purpose=purpose,
        destination=target or "",
        options=_options(reveal, doc_lang),
    )
    # Warnings only once the export has been made: a failed export shares nothing.
    for warning in export_warnings(service, chosen, disclose):
        err(warning)
    write_export(target, data, len(chosen))
    ctx.exit(damaged if all_ or tag else EXIT_OK)  # 1: damaged credentials were left out
