"""The commands of connections: ``connect``, ``sync``, ``connection list|rename|remove``,
``disconnect`` and ``receive`` (OpenID4VCI).

Registered on the main group by :func:`add_commands` (one line in wallet/cli.py), so the command
line stays one contract while this module owns its part.  Imports here are light (click, i18n):
the network, the store and the crypto are imported inside the commands, so ``plecak --help``
stays fast.  Tokens, secrets and codes are never printed: only the authorization URL is shown
(it carries none), so that a learner without a desktop browser can open it elsewhere.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from wallet.cli.io import echo as _echo
from wallet.cli.io import err as _err
from wallet.cli.io import json_line as _json_line
from wallet.cli.io import run as _run
from wallet.cli.portfolio import import_exit as _import_exit
from wallet.cli.portfolio import print_outcomes as _print_outcomes
from wallet.cli.session import Settings
from wallet.cli.session import unlocked as _unlocked
from wallet.errors import EXIT_OK, UsageError
from wallet.i18n import _
from wallet.progress import TerminalProgress

if TYPE_CHECKING:
    from wallet.connect.service import ConnectService
    from wallet.connect.vci_credential import Pending

WantsJson = Callable[[click.Context, bool], bool]


def _connect_service(settings: Settings) -> ConnectService:
    from wallet.connect import oauth
    from wallet.connect.service import ConnectService

    def announce(url: str) -> None:
        _err(_("Opening your browser to sign in. If it does not open, visit:"))
        _err(url)

    # Looked up now (not at import): tests replace the browser with an HTTP client.
    return ConnectService(
        _unlocked(settings), open_browser=oauth.open_system_browser, announce=announce
    )


def add_commands(cli: click.Group, json_flag: Callable[[Any], Any], wants_json: WantsJson) -> None:
    """Register the commands of connections and OpenID4VCI on the main group."""
    _add_connect_sync(cli, json_flag, wants_json)
    _add_connections(cli, json_flag, wants_json)
    _add_receive(cli, json_flag, wants_json)


def _add_connect_sync(
    cli: click.Group, json_flag: Callable[[Any], Any], wants_json: WantsJson
) -> None:
    @cli.command(help=_("Connect to where you earn badges (OB 3.0 API or Badge Connect)."))
    @click.argument("url")
    @click.option("--name", help=_("A short name for the connection."))
    @json_flag
    @click.pass_context
    def connect(ctx: click.Context, url: str, name: str | None, json_out: bool) -> None:
        service = _connect_service(ctx.obj)
        connection = _run(service.connect(url, name))
        if wants_json(ctx, json_out):
            _json_line(connection.public())
        _err(
            _("Connected {name}: {title} at {host}.").format(
                name=connection.name, title=connection.profile.name, host=connection.profile.origin
            )
        )
        _err(_("Fetch your badges with: plecak sync {name}").format(name=connection.name))

    @cli.command(help=_("Fetch new badges from your connections (all, or one by name)."))
    @click.argument("name", required=False)
    @click.option("--full", is_flag=True, help=_("Fetch everything again, not only what is new."))
    @json_flag
    @click.pass_context
    def sync(ctx: click.Context, name: str | None, full: bool, json_out: bool) -> None:
        service = _connect_service(ctx.obj)
        as_json = wants_json(ctx, json_out)
        progress = TerminalProgress(not as_json)
        try:
            results = _run(service.sync(name, full=full, progress=progress))
        finally:
            progress.close()
        code = EXIT_OK
        for result in results:
            if result.error is not None:
                _err(f"✗ {result.connection}: {result.error.user_message()}")
                if as_json:
                    _json_line({"connection": result.connection, "error": result.error.to_json()})
                code = max(code, result.error.exit_code)
                continue
            _print_outcomes(result.outcomes, as_json, connection=result.connection)
            stored = sum(o.state == "stored" for o in result.outcomes)
            dup = sum(o.state == "duplicate" for o in result.outcomes)
            failed = sum(o.state == "failed" for o in result.outcomes)
            _err(
                _("{name}: new {stored}, already present {dup}, failed {failed}.").format(
                    name=result.connection, stored=stored, dup=dup, failed=failed
                )
            )
            code = max(code, _import_exit(result.outcomes))
        ctx.exit(code)


def _add_connections(
    cli: click.Group, json_flag: Callable[[Any], Any], wants_json: WantsJson
) -> None:
    @cli.group(help=_("Your connections to where you earn badges."))
    def connection() -> None:
        pass

    @connection.command("list", help=_("List connections."))
    @json_flag
    @click.pass_context
    def connection_list(ctx: click.Context, json_out: bool) -> None:
        for item in _connect_service(ctx.obj).list():
            if wants_json(ctx, json_out):
                _json_line(item.public())
                continue
            when = item.last_sync.strftime("%Y-%m-%d %H:%M") if item.last_sync else _("never")
            _echo(
                f"{item.name}\t{item.profile.kind}\t{item.profile.origin}\t"
                + _("last sync: {when}").format(when=when)
            )

    @connection.command("rename", help=_("Rename a connection."))
    @click.argument("old")
    @click.argument("new")
    @click.pass_context
    def connection_rename(ctx: click.Context, old: str, new: str) -> None:
        renamed = _connect_service(ctx.obj).rename(old, new)
        _err(_("Renamed {old} to {new}.").format(old=old, new=renamed.name))

    yes_option = click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))

    @connection.command("remove", help=_("Disconnect: revoke the access and forget it."))
    @click.argument("name")
    @yes_option
    @click.pass_context
    def connection_remove(ctx: click.Context, name: str, yes: bool) -> None:
        _remove(ctx, name, yes)

    @cli.command(help=_("Disconnect from a host (same as 'connection remove')."))
    @click.argument("name")
    @yes_option
    @click.pass_context
    def disconnect(ctx: click.Context, name: str, yes: bool) -> None:
        _remove(ctx, name, yes)


def _remove(ctx: click.Context, name: str, yes: bool) -> None:
    service = _connect_service(ctx.obj)
    connection_ = service.connections.get(name)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                _("Removing a connection needs confirmation."),
                hint=_("Add --yes to remove without asking."),
            )
        question = _("Disconnect from {host} and forget {name}?").format(
            host=connection_.profile.origin, name=name
        )
        if not click.confirm(question, err=True):
            ctx.exit(EXIT_OK)
    revoked = _run(service.remove(name))
    if revoked is True:
        _err(_("Disconnected {name}; the host revoked the access.").format(name=name))
    elif revoked is False:
        _err(
            _(
                "Forgot {name}, but the host did not confirm revoking the access; "
                "you can withdraw it in your account there."
            ).format(name=name)
        )
    else:
        _err(
            _(
                "Forgot {name}; the host offers no revocation, withdraw the access in "
                "your account there."
            ).format(name=name)
        )


def _add_receive(cli: click.Group, json_flag: Callable[[Any], Any], wants_json: WantsJson) -> None:
    @cli.command(
        help=_(
            "Receive credentials from an OpenID4VCI offer (link, JSON, or a PNG of its QR code)."
        )
    )
    @click.argument("offer", required=False)
    @click.option("--tx-code", metavar="CODE", help=_("The transaction code the issuer sent you."))
    @click.option(
        "--resume",
        is_flag=True,
        help=_("Fetch the credentials issuers said they would deliver later."),
    )
    @json_flag
    @click.pass_context
    def receive(
        ctx: click.Context, offer: str | None, tx_code: str | None, resume: bool, json_out: bool
    ) -> None:
        service = _connect_service(ctx.obj)
        as_json = wants_json(ctx, json_out)
        if resume == (offer is not None):
            raise UsageError(
                _("Give either an offer or --resume."),
                hint=_("Run 'plecak receive OFFER', or 'plecak receive --resume' for what waits."),
            )
        progress = TerminalProgress(not as_json)
        pending = _pending_printer(as_json)
        try:
            if offer is None:
                outcomes = _run(service.resume(progress=progress, on_pending=pending))
            else:
                text = _offer_text(offer)
                outcomes = _run(
                    service.receive(
                        text,
                        tx_code=_tx_code_prompt(tx_code),
                        progress=progress,
                        on_pending=pending,
                    )
                )
        finally:
            progress.close()
        _print_outcomes(outcomes, as_json)
        stored = sum(o.state == "stored" for o in outcomes)
        failed = sum(o.state == "failed" for o in outcomes)
        _err(_("Received {stored}, failed {failed}.").format(stored=stored, failed=failed))
        ctx.exit(_import_exit(outcomes))


def _tx_code_prompt(given: str | None) -> Callable[[dict[str, Any]], str]:
    def ask(spec: dict[str, Any]) -> str:
        if given is not None:
            return given
        if not sys.stdin.isatty():
            raise UsageError(
                _("This offer needs a transaction code."),
                hint=_("Give it with --tx-code, or run the command in a terminal."),
            )
        from wallet.connect.api import clean_text

        description = clean_text(spec.get("description") or "", 200)
        prompt = _("Transaction code")
        if description:
            prompt += f" ({description})"
        answer: str = click.prompt(prompt, hide_input=True, err=True)
        return answer

    return ask


def _offer_text(offer: str) -> str:
    """The offer as text: from stdin (``-``), from a QR-code image, or the argument itself."""
    from pathlib import Path

    if offer == "-":
        return sys.stdin.read(64 * 1024)
    path = Path(offer)
    if "://" in offer or offer.lstrip().startswith("{") or not path.is_file():
        return offer
    from wallet.connect import qr

    with path.open("rb") as handle:
        head = handle.read(16)
    if qr.is_image(head):
        return qr.offer_from_image(path)
    with path.open("rb") as handle:
        return handle.read(64 * 1024 + 1).decode("utf-8", errors="replace")


def _pending_printer(as_json: bool) -> Callable[[Pending], None]:
    from datetime import UTC, datetime

    from wallet.codecs.dates import format_date

    def show(item: Pending) -> None:
        when = datetime.fromtimestamp(item.not_before, UTC)
        if as_json:
            _json_line({"source": item.source, "state": "pending", "not_before": format_date(when)})
        _err(
            _(
                "⏳ {source}: the issuer will deliver it later; fetch it with "
                "'plecak receive --resume' from {time} UTC."
            ).format(source=item.source, time=when.strftime("%Y-%m-%d %H:%M"))
        )

    return show
