"""``plecak trust show|update``: the EU trusted-list snapshot EDC seals are checked against.

A shell only: the work is in :mod:`wallet.verify.edc.update` (online refresh through the one
Fetcher, every signature verified, an older list refused) and :mod:`wallet.verify.edc.snapshots`
(which snapshot is in use).  ``register(cli, json_flag, wants_json)`` adds the group.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from wallet.cli.io import echo as _echo
from wallet.cli.io import err as _err
from wallet.cli.io import json_line as _json_line
from wallet.cli.io import run as _run
from wallet.cli.session import Settings
from wallet.i18n import _, ngettext

WantsJson = Callable[[click.Context, bool], bool]


def _show_text(info: dict[str, Any]) -> None:
    where = _("shipped with plecak") if info["origin"] == "shipped" else _("updated by you")
    _echo(
        _("EU trusted-list snapshot as of {date} ({origin}).").format(
            date=info["as_of"] or "-", origin=where
        )
    )
    if info["source"]:
        _echo(_("Source: {source}").format(source=info["source"]))
    _echo(_("Kept in: {path}").format(path=info["path"]))
    for item in info["lists"]:
        _echo(
            "  "
            + _("{country} #{sequence}, issued {issued}, next update {next}").format(
                country=item["country"],
                sequence=item["sequence"],
                issued=item["issued"],
                next=item["next_update"] or "-",
            )
        )
    counts = info["by_type"]
    total = int(info["services"])
    _echo(
        ngettext(
            "{count} service: {qc} qualified CA, {pkc} other CA, {qtst} qualified time-stamping, "
            "{tsa} other time-stamping.",
            "{count} services: {qc} qualified CA, {pkc} other CA, {qtst} qualified "
            "time-stamping, {tsa} other time-stamping.",
            total,
        ).format(
            count=total,
            qc=counts["ca_qc"],
            pkc=counts["ca_pkc"],
            qtst=counts["tsa_qtst"],
            tsa=counts["tsa"],
        )
    )


async def _refresh(settings: Settings, **options: Any) -> Any:
    from wallet.factory import make_fetcher
    from wallet.verify.edc import update

    fetcher = make_fetcher(offline=settings.offline, mirrors=settings.mirrors)
    try:
        return await update.refresh(fetcher, **options)
    finally:
        await fetcher.aclose()


def _show(as_json: bool) -> None:
    from wallet.verify.edc import snapshots
    from wallet.verify.edc.trust import TrustListError

    try:
        snapshots.stored()
    except TrustListError as exc:
        _err(
            _("Your updated snapshot in {path} is damaged and not used: {reason}").format(
                path=snapshots.user_dir(), reason=exc.user_message()
            )
        )
    info = snapshots.describe(*snapshots.current_and_origin())
    if as_json:
        _json_line(info)
    else:
        _show_text(info)


def _update(
    settings: Settings,
    countries: tuple[str, ...],
    lotl_url: str | None,
    signers: Path | None,
    as_json: bool,
) -> None:
    from wallet.codecs.dates import format_date
    from wallet.errors import UnreadableInput
    from wallet.verify.edc import snapshots, update

    options: dict[str, Any] = {"countries": countries}
    if lotl_url:
        options["lotl_url"] = lotl_url
    if signers is not None:
        try:
            options["signers"] = update.pinned_signers(signers.read_bytes())
        except OSError as exc:
            raise UnreadableInput(source=str(signers), detail=str(exc)) from exc
    done = _run(_refresh(settings, **options))
    info = snapshots.describe(done.snapshot, "user")
    if as_json:
        _json_line(info)
        return
    _err(
        _("Verified and kept the trusted lists of {date} (before: {before}).").format(
            date=info["as_of"], before=format_date(done.previous.as_of) or "-"
        )
    )
    _show_text(info)


def register(cli: click.Group, json_flag: Callable[[Any], Any], wants_json: WantsJson) -> None:
    @cli.group(help=_("The EU trusted lists that Europass seals are checked against."))
    def trust() -> None:
        pass

    @trust.command("show", help=_("Show the trusted-list snapshot in use: date, source, counts."))
    @json_flag
    @click.pass_context
    def show(ctx: click.Context, json_out: bool) -> None:
        _show(wants_json(ctx, json_out))

    @trust.command(
        "update",
        help=_("Fetch the newest EU trusted lists, verify their signatures and keep them."),
    )
    @click.option(
        "--country",
        "countries",
        multiple=True,
        metavar="CC",
        help=_("Also keep this country's list (two letters); repeatable."),
    )
    @click.option("--lotl-url", metavar="URL", help=_("Where to fetch the List of Trusted Lists."))
    @click.option(
        "--signers",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="PEM",
        help=_("LOTL signing certificates of a newer Official Journal publication (PEM)."),
    )
    @json_flag
    @click.pass_context
    def update_(
        ctx: click.Context,
        countries: tuple[str, ...],
        lotl_url: str | None,
        signers: Path | None,
        json_out: bool,
    ) -> None:
        _update(ctx.obj, countries, lotl_url, signers, wants_json(ctx, json_out))
