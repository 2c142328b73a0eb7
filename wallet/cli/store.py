"""The store's commands: ``backup``, ``restore`` and ``doctor``, and how damage is told on the
command line.

Why together: they share one concern (the wallet file as a whole: its copies, its damage, its
rollback) and one way of saying what is damaged; ``list`` and ``export`` call :func:`tell_damage`
too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wallet.cli.help import argument, command, option
from wallet.cli.io import err, json_line
from wallet.cli.session import passphrase, settings_of, unlocked
from wallet.codecs.dates import format_minute
from wallet.errors import EXIT_NOT_VALID, EXIT_OK, UnreadableInput, UsageError
from wallet.i18n import N_, _

if TYPE_CHECKING:
    from wallet.store.backup import Summary
    from wallet.store.damage import DamageReport


def tell_damage(report: DamageReport, json_out: bool) -> int:
    """Say what is damaged: one plain sentence per finding on stderr, and with ``--json`` one
    ``{"damage": …}`` line on stdout.  Returns the exit code it calls for (0 or 1)."""
    if report.ok:
        return EXIT_OK
    for sentence in report.sentences(rollback=False):  # _unlocked said that one already
        err(_("Warning: {message}").format(message=sentence))
    if json_out:
        json_line({"damage": report.to_json()})
    return EXIT_NOT_VALID


def _when(summary: Summary) -> str:
    if summary.last_change is None:
        return _("unknown")
    return format_minute(summary.last_change)


def _confirm_restore(yes: bool) -> Callable[[Summary, Summary | None], bool]:
    """The question restore asks before it replaces an existing wallet (after the backup was
    proved, so the learner sees what it holds)."""

    def confirm(backup: Summary, current: Summary | None) -> bool:
        if current is None:
            err(_("The wallet file there cannot be read; it would be replaced."))
        else:
            err(
                _(
                    "This replaces the wallet that holds {count} credentials ({records} records),"
                    " last changed {when}."
                ).format(count=current.credentials, records=current.records, when=_when(current))
            )
        err(
            _("The backup holds {count} credentials ({records} records).").format(
                count=backup.credentials, records=backup.records
            )
        )
        if yes:
            return True
        if not sys.stdin.isatty():
            raise UsageError(
                _("Restoring over an existing wallet needs confirmation; nothing was changed."),
                hint=_("Add --yes to replace it without asking."),
            )
        return bool(click.confirm(_("Replace the wallet?"), default=False, err=True))

    return confirm


@command(help=N_("Write one encrypted file holding the whole wallet."))
@argument("file", type=click.Path(dir_okay=False))
@option("--force", is_flag=True, help=N_("Replace FILE if it exists."))
@click.pass_context
def backup(ctx: click.Context, file: str, force: bool) -> None:
    service = unlocked(settings_of(ctx))
    service.backup(Path(file), overwrite=force)
    err(_("Backup written to {file}.").format(file=file))
    report = service.damage()
    if report.findings or report.garbled:
        tell_damage(report, json_out=False)
        err(
            _(
                "The backup holds the same damage, and restore will refuse it: run 'plecak"
                " doctor --salvage NEW_FOLDER' to keep the intact records."
            )
        )
        ctx.exit(EXIT_NOT_VALID)


@command(help=N_("Replace the wallet with a backup (checked first)."))
@argument("file", type=click.Path(dir_okay=False))
@option("--yes", is_flag=True, help=N_("Replace an existing wallet without asking."))
@click.pass_context
def restore(ctx: click.Context, file: str, yes: bool) -> None:
    service = settings_of(ctx).service()
    if not Path(file).is_file():
        raise UnreadableInput(source=file)
    secret = passphrase(_("Passphrase of the backup"))
    if not service.restore(Path(file), secret, confirm=_confirm_restore(yes)):
        err(_("Nothing was changed."))
        ctx.exit(EXIT_OK)
    err(_("The wallet was restored from {file}.").format(file=file))


@command(help=N_("Check every record of the wallet; optionally save the intact ones."))
@option(
    "--salvage",
    metavar="NEW_HOME",
    type=click.Path(file_okay=False),
    help=N_("Copy every intact record into a new wallet in this folder."),
)
@option(
    "--accept-rollback",
    is_flag=True,
    help=N_("This older copy of the wallet was put back on purpose: stop warning."),
)
@option("--json", "json_out", is_flag=True, help=N_("JSON Lines on stdout."))
@click.pass_context
def doctor(ctx: click.Context, salvage: str | None, accept_rollback: bool, json_out: bool) -> None:
    from wallet.cli.doctor import run_doctor

    settings = settings_of(ctx)
    ctx.exit(
        run_doctor(
            unlocked(settings),
            Path(salvage) if salvage else None,
            accept_rollback=accept_rollback,
            json_out=json_out or settings.json,
        )
    )
