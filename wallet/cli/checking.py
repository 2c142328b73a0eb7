"""Checking credentials: ``verify`` (no wallet needed), ``recheck`` (the stored ones) and
``review`` (the advisor's read-only view of share bundles).

Argument parsing and output only: every action is one WalletService call; exit codes as cli.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from wallet.cli.help import argument, command, option
from wallet.cli.io import atomic_write, echo, err, json_line, run
from wallet.cli.session import json_flag, settings_of, unlocked, wants_json
from wallet.errors import (
    EXIT_NOT_VALID,
    EXIT_OK,
    EXIT_USAGE,
    UnreadableInput,
    UsageError,
    source_name,
)
from wallet.i18n import N_, _
from wallet.progress import TerminalProgress

if TYPE_CHECKING:
    from wallet.service import RecheckOutcome, VerifyOutcome


def _recheck_line(outcome: RecheckOutcome) -> str:
    """One stored credential's re-check for people: before → after, as of when, what changed."""
    from wallet.cli.render import status_word
    from wallet.codecs.dates import format_date
    from wallet.codecs.words import deciding_reason

    arrow = "→" if outcome.before is not outcome.after else "="
    as_of = outcome.report.as_of if outcome.report else None
    line = f"{outcome.id} {status_word(outcome.before)} {arrow} {status_word(outcome.after)}"
    if as_of:
        line += " " + _("as of {when}").format(when=format_date(as_of))
    if outcome.changed:
        line += f"  ({', '.join(outcome.changed)})"
    if outcome.kept and outcome.report is not None:
        line += "  " + _(
            "(could not be refreshed now; the last known status stands: {reason})"
        ).format(reason=deciding_reason(outcome.report))
    return line


def _recheck_json(outcome: RecheckOutcome) -> None:
    from wallet.codecs.report_json import error_json, result_json
    from wallet.errors import WalletError

    if outcome.report is None:
        json_line(error_json(outcome.id, outcome.error or WalletError(), id=outcome.id))
        return
    kept = {"kept_status": outcome.after.value} if outcome.kept else {}
    json_line(
        result_json(
            outcome.id,
            None,
            outcome.report,
            id=outcome.id,
            before=outcome.before.value,
            changed=list(outcome.changed),
            **kept,
        )
    )


@command(help=N_("Re-verify stored credentials and record what changed."))
@argument("ids", nargs=-1)
@json_flag
@click.pass_context
def recheck(ctx: click.Context, ids: tuple[str, ...], json_out: bool) -> None:
    from wallet.model import Status

    service = unlocked(settings_of(ctx))
    as_json = wants_json(ctx, json_out)
    progress = TerminalProgress(not as_json)
    try:
        outcomes = run(service.recheck(list(ids) or None, progress=progress))
    finally:
        progress.close()
    code = EXIT_OK
    for outcome in outcomes:
        if outcome.after is not Status.VALID or outcome.error is not None:
            code = EXIT_NOT_VALID
        if as_json:
            _recheck_json(outcome)
        elif outcome.error is not None:
            err(f"✗ {outcome.id}: {outcome.error.user_message()}")
        else:
            echo(_recheck_line(outcome))
    ctx.exit(code)


def _print_verified(outcome: VerifyOutcome, as_json: bool) -> int:
    """One source's verification as cli.md prints it; returns the exit code it calls for."""
    from wallet.cli.render import report_text
    from wallet.codecs.report_json import error_json, result_json
    from wallet.model import Status

    if outcome.error is not None:
        if as_json:
            json_line(error_json(outcome.source, outcome.error))
        else:
            err(f"✗ {source_name(outcome.source)}: {outcome.error.user_message()}")
        return EXIT_USAGE if isinstance(outcome.error, UnreadableInput) else EXIT_NOT_VALID
    if outcome.bundle is not None:
        if as_json:
            for line in outcome.bundle.to_json_lines():
                json_line(line)
        else:
            echo(outcome.bundle.to_text())
        return EXIT_OK if outcome.bundle.ok else EXIT_NOT_VALID
    if outcome.report is not None:
        if as_json:
            json_line(result_json(outcome.source, outcome.credential, outcome.report))
        else:
            echo(report_text(outcome.source, outcome.credential, outcome.report))
        return EXIT_OK if outcome.report.status is Status.VALID else EXIT_NOT_VALID
    return EXIT_OK


def _write_page(outcomes: list[VerifyOutcome], html_path: str) -> None:
    """``--html``: the verifier's own page of the one share bundle given, in --lang."""
    from wallet.i18n import current_language

    bundles = [o.bundle for o in outcomes if o.bundle is not None]
    if not bundles and not any(o.error for o in outcomes):
        raise UsageError(_("--html writes the page of a share bundle; this is none."))
    if bundles:
        atomic_write(Path(html_path), bundles[0].to_html(current_language()))


@command(help=N_("Verify without storing (no wallet needed); also share bundles and CV PDFs."))
@argument("sources", nargs=-1, required=True)
@option(
    "--recipient",
    "recipients",
    multiple=True,
    metavar="EMAIL|URL|DID",
    help=N_("Check that the credential was issued to this identity; repeatable."),
)
@option(
    "--html",
    "html_path",
    metavar="FILE",
    help=N_("Also write the verifier's own page of a share bundle (in --lang) to FILE."),
)
@json_flag
@click.pass_context
def verify(
    ctx: click.Context,
    sources: tuple[str, ...],
    recipients: tuple[str, ...],
    html_path: str | None,
    json_out: bool,
) -> None:
    if html_path and len(sources) != 1:
        raise UsageError(_("--html writes the page of exactly one share bundle."))
    service = settings_of(ctx).service()
    outcomes = run(service.verify_sources(list(sources), recipients=recipients))
    if html_path:
        _write_page(outcomes, html_path)
    code = EXIT_OK
    for outcome in outcomes:
        code = max(code, _print_verified(outcome, wants_json(ctx, json_out)))
    ctx.exit(code if outcomes else EXIT_NOT_VALID)


@command(help=N_("The advisor's read-only view of share bundles."))
@argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@option("--pathway", type=click.Path(dir_okay=False), help=N_("A target pathway file."))
@option("--tui", is_flag=True, help=N_("Show the review in the terminal interface."))
@json_flag
@click.pass_context
def review(
    ctx: click.Context, files: tuple[str, ...], pathway: str | None, tui: bool, json_out: bool
) -> None:
    service = settings_of(ctx).service()
    paths = [Path(f) for f in files]
    target = Path(pathway) if pathway else None
    if tui:
        from wallet.tui.app import run_review_tui

        ctx.exit(run_review_tui(service, paths, target))
    result = run(service.review(paths, target))
    if wants_json(ctx, json_out):
        json_line(result.to_json())
    else:
        echo(result.to_text())
    ctx.exit(EXIT_OK if result.ok else EXIT_NOT_VALID)
