"""The store's commands: ``backup``, ``restore`` and ``doctor``, and how damage is told on the
command line.

Why apart from cli.py: they share one concern (the wallet file as a whole: its copies, its damage,
its rollback) and one way of saying what is damaged; cli.py only registers them and calls
:func:`tell_damage` after a listing, a recheck or an export.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wallet.cli_support import Settings, _err, _json_line, _passphrase, _unlocked
from wallet.errors import EXIT_NOT_VALID, EXIT_OK, UnreadableInput, UsageError
from wallet.i18n import _

if TYPE_CHECKING:
    from wallet.store.backup import Summary
    from wallet.store.damage import DamageReport


def tell_damage(report: DamageReport, json_out: bool) -> int:
    """Say what is damaged: one plain sentence per finding on stderr, and with ``--json`` one
    ``{"damage": …}`` line on stdout.  Returns the exit code it calls for (0 or 1)."""
    if report.ok:
        return EXIT_OK
    for sentence in report.sentences(rollback=False):  # _unlocked said that one already
        _err(_("Warning: {message}").format(message=sentence))
    if json_out:
        _json_line({"damage": report.to_json()})
    return EXIT_NOT_VALID


def _when(summary: Summary) -> str:
    if summary.last_change is None:
        return _("unknown")
    return summary.last_change.strftime("%Y-%m-%d %H:%M UTC")


def _confirm_restore(yes: bool) -> Any:
    """The question restore asks before it replaces an existing wallet (after the backup was
    proved, so the learner sees what it holds)."""

    def confirm(backup: Summary, current: Summary | None) -> bool:
        if current is None:
            _err(_("The wallet file there cannot be read; it would be replaced."))
        else:
            _err(
                _(
                    "This replaces the wallet that holds {count} credentials ({records} records),"
                    " last changed {when}."
                ).format(count=current.credentials, records=current.records, when=_when(current))
            )
        _err(
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


def register(cli: click.Group) -> None:
    """Add ``backup``, ``restore`` and ``doctor`` to the command group."""

    @cli.command(help=_("Write one encrypted file holding the whole wallet."))
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--force", is_flag=True, help=_("Replace FILE if it exists."))
    @click.pass_context
    def backup(ctx: click.Context, file: str, force: bool) -> None:
        service = _unlocked(ctx.obj)
        service.backup(Path(file), overwrite=force)
        _err(_("Backup written to {file}.").format(file=file))
        report = service.damage()
        if report.findings or report.garbled:
            tell_damage(report, json_out=False)
            _err(
                _(
                    "The backup holds the same damage, and restore will refuse it: run 'plecak"
                    " doctor --salvage NEW_FOLDER' to keep the intact records."
                )
            )
            ctx.exit(EXIT_NOT_VALID)

    @cli.command(help=_("Replace the wallet with a backup (checked first)."))
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help=_("Replace an existing wallet without asking."))
    @click.pass_context
    def restore(ctx: click.Context, file: str, yes: bool) -> None:
        service = ctx.obj.service()
        if not Path(file).is_file():
            raise UnreadableInput(source=file)
        passphrase = _passphrase(_("Passphrase of the backup"))
        if not service.restore(Path(file), passphrase, confirm=_confirm_restore(yes)):
            _err(_("Nothing was changed."))
            ctx.exit(EXIT_OK)
        _err(_("The wallet was restored from {file}.").format(file=file))

    @cli.command(help=_("Check every record of the wallet; optionally save the intact ones."))
    @click.option(
        "--salvage",
        metavar="NEW_HOME",
        type=click.Path(file_okay=False),
        help=_("Copy every intact record into a new wallet in this folder."),
    )
    @click.option(
        "--accept-rollback",
        is_flag=True,
        help=_("This older copy of the wallet was put back on purpose: stop warning."),
    )
    @click.option("--json", "json_out", is_flag=True, help=_("JSON Lines on stdout."))
    @click.pass_context
    def doctor(
        ctx: click.Context, salvage: str | None, accept_rollback: bool, json_out: bool
    ) -> None:
        from wallet.cli_doctor import run_doctor

        settings: Settings = ctx.obj
        ctx.exit(
            run_doctor(
                _unlocked(settings),
                Path(salvage) if salvage else None,
                accept_rollback=accept_rollback,
                json_out=json_out or settings.json,
            )
        )
