"""The learner's own wallet: ``init``, ``import``, ``list``, ``show``, ``tag``, ``untag``,
``remove``, ``identity`` and ``passwd``.

Argument parsing and output only: every action is one WalletService call.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from wallet.cli.help import Group, StatusChoice, argument, command, import_epilog, option
from wallet.cli.io import echo, err, json_line, run
from wallet.cli.render import entries_table, entry_json, show_json, show_text, status_word
from wallet.cli.session import json_flag, new_passphrase, settings_of, unlocked, wants_json
from wallet.cli.store import tell_damage
from wallet.errors import (
    EXIT_NOT_VALID,
    EXIT_OK,
    EXIT_USAGE,
    UnreadableInput,
    UsageError,
    source_name,
)
from wallet.i18n import N_, _, ngettext
from wallet.progress import TerminalProgress

if TYPE_CHECKING:
    from wallet.model import Json
    from wallet.service import ImportOutcome


@command(help=N_("Create a new wallet."))
@click.pass_context
def init(ctx: click.Context) -> None:
    service = settings_of(ctx).service()
    if service.wallet_exists():
        from wallet.errors import WalletExists

        raise WalletExists(home=str(service.home))
    service.create(new_passphrase(_("New passphrase")))
    err(_("Created a wallet in {home}.").format(home=service.home))


def print_outcomes(outcomes: Sequence[ImportOutcome], as_json: bool, **extra: Json) -> None:
    """One line per item (JSON Lines with ``--json``), as ``plecak import`` prints them."""
    from wallet.codecs.report_json import error_json, result_json

    for outcome in outcomes:
        if as_json:
            if outcome.error is not None:
                line = error_json(outcome.source, outcome.error, state=outcome.state)
            elif outcome.report is not None:
                line = result_json(
                    outcome.source,
                    outcome.credential,
                    outcome.report,
                    id=outcome.id,
                    state=outcome.state,
                )
            else:
                line = {"source": outcome.source, "state": outcome.state, "id": outcome.id}
            json_line({**line, **extra})
        elif outcome.state == "failed" and outcome.error is not None:
            err(f"✗ {source_name(outcome.source)}: {outcome.error.user_message()}")
        elif outcome.state == "skipped":
            err(_("· {source}: skipped, not a credential.").format(source=outcome.source))
        elif outcome.state == "duplicate":
            echo(
                _("= {source}: already in the wallet as {id}").format(
                    source=outcome.source, id=outcome.id or "—"
                )
            )
        elif outcome.entry is not None:
            echo(
                _("+ {id} {status}  {title}").format(
                    id=outcome.id,
                    status=status_word(outcome.entry.status),
                    title=outcome.entry.title or outcome.source,
                )
            )


def import_exit(outcomes: Sequence[ImportOutcome]) -> int:
    """cli.md's exit code of an import: 2 for unreadable input, 1 for any other failure."""
    code = EXIT_OK
    for outcome in outcomes:
        if outcome.state == "failed":
            error = outcome.error
            code = max(code, EXIT_USAGE if isinstance(error, UnreadableInput) else EXIT_NOT_VALID)
    return code


def _import_summary(outcomes: Sequence[ImportOutcome]) -> str:
    stored = sum(o.state == "stored" for o in outcomes)
    dup = sum(o.state == "duplicate" for o in outcomes)
    failed = sum(o.state == "failed" for o in outcomes)
    skipped = sum(o.state == "skipped" for o in outcomes)
    summary = _("Imported {stored}, already present {dup}, failed {failed}.").format(
        stored=stored, dup=dup, failed=failed
    )
    if skipped:
        summary += " " + ngettext(
            "Skipped {n} file that is not a credential.",
            "Skipped {n} files that are not credentials.",
            skipped,
        ).format(n=skipped)
    return summary


@command("import", help=N_("Import, verify and store credentials."), epilog=import_epilog)
@argument("sources", nargs=-1, required=True)
@json_flag
@click.pass_context
def import_(ctx: click.Context, sources: tuple[str, ...], json_out: bool) -> None:
    service = unlocked(settings_of(ctx))
    if "-" in sources and sys.stdin.isatty():
        err(_("Paste the badge (a JWS, JWT or JSON), then press Ctrl-D on an empty line."))
    progress = TerminalProgress(not wants_json(ctx, json_out))
    try:
        outcomes = run(service.import_sources(list(sources), progress=progress))
    finally:
        progress.close()
    print_outcomes(outcomes, wants_json(ctx, json_out))
    err(_import_summary(outcomes))
    ctx.exit(import_exit(outcomes))


@command("list", help=N_("The portfolio."))
@option("--status", type=StatusChoice(), help=N_("Only this status."))
@option("--tag", help=N_("Only this tag."))
@option("--search", help=N_("Only credentials whose title, issuer or tags match."))
@json_flag
@click.pass_context
def list_(
    ctx: click.Context, status: str | None, tag: str | None, search: str | None, json_out: bool
) -> None:
    from wallet.model import Status

    service = unlocked(settings_of(ctx))
    damage = service.damage()  # first: a catalogue that fails refuses before any listing
    entries = service.list(status=Status(status) if status else None, tag=tag, search=search)
    if wants_json(ctx, json_out):
        for entry in entries:
            json_line(entry_json(entry))
    else:
        echo(entries_table(entries))
    ctx.exit(tell_damage(damage, wants_json(ctx, json_out)))


@command(help=N_("One credential: every field, EU elements, verification, history."))
@argument("credential_id")
@json_flag
@click.pass_context
def show(ctx: click.Context, credential_id: str, json_out: bool) -> None:
    view = unlocked(settings_of(ctx)).show(credential_id)
    if wants_json(ctx, json_out):
        json_line(show_json(view))
        return
    echo(show_text(view))


@command(help=N_("Add tags to a credential."))
@argument("credential_id")
@argument("tags", nargs=-1, required=True)
@click.pass_context
def tag(ctx: click.Context, credential_id: str, tags: tuple[str, ...]) -> None:
    unlocked(settings_of(ctx)).tag(credential_id, tags)


@command(help=N_("Remove tags from a credential."))
@argument("credential_id")
@argument("tags", nargs=-1, required=True)
@click.pass_context
def untag(ctx: click.Context, credential_id: str, tags: tuple[str, ...]) -> None:
    unlocked(settings_of(ctx)).untag(credential_id, tags)


@command(help=N_("Delete credentials from the wallet."))
@argument("ids", nargs=-1, required=True)
@option("--yes", is_flag=True, help=N_("Do not ask for confirmation."))
@click.pass_context
def remove(ctx: click.Context, ids: tuple[str, ...], yes: bool) -> None:
    service = unlocked(settings_of(ctx))
    resolved = [service.resolve(i) for i in ids]
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                _("Removing needs confirmation."), hint=_("Add --yes to remove without asking.")
            )
        titles = ", ".join(service.show(i).entry.title or i for i in resolved)
        if not click.confirm(_("Remove {titles}?").format(titles=titles), err=True):
            ctx.exit(EXIT_OK)
    for cid in service.remove(resolved):
        err(_("Removed {id}.").format(id=cid))


@click.group(cls=Group, help=N_("Your identities (emails, URLs, DIDs) used to match recipients."))
def identity() -> None:
    pass


@identity.command("add", help=N_("Add an identity."))
@argument("value")
@click.pass_context
def identity_add(ctx: click.Context, value: str) -> None:
    kind = unlocked(settings_of(ctx)).add_identity(value)
    err(_("Added {kind} {value}.").format(kind=kind, value=value))


@identity.command("list", help=N_("List identities."))
@json_flag
@click.pass_context
def identity_list(ctx: click.Context, json_out: bool) -> None:
    for value, kind in unlocked(settings_of(ctx)).identities():
        if wants_json(ctx, json_out):
            json_line({"value": value, "kind": kind})
        else:
            echo(f"{kind}\t{value}")


@identity.command("remove", help=N_("Remove an identity."))
@argument("value")
@click.pass_context
def identity_remove(ctx: click.Context, value: str) -> None:
    unlocked(settings_of(ctx)).remove_identity(value)


@command(help=N_("Change the wallet's passphrase."))
@click.pass_context
def passwd(ctx: click.Context) -> None:
    service = unlocked(settings_of(ctx))
    new = new_passphrase(_("New passphrase"), env="PLECAK_NEW_PASSPHRASE")
    err(_("Deriving the key from the new passphrase; this takes a few seconds…"))
    service.passwd(new)
    err(_("The passphrase was changed."))
