"""``plecak``: the scriptable face of the wallet (cli.md is the contract).

Argument parsing and output only: every action is a WalletService call.  ``main(argv) -> int``
catches WalletError once and turns it into a clear message on stderr and the exit code of cli.md.

Why the commands are built inside :func:`build_cli`: help texts must be in the interface language,
and the language (``--lang``/``PLECAK_LANG``/locale) is only known once argv has been looked at.
Heavy modules (Textual, httpx, pyld) are imported inside the commands that need them, so
``plecak --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from wallet.cli_store import register as register_store_commands
from wallet.cli_store import tell_damage
from wallet.cli_support import (
    Settings,
    _atomic_write,
    _echo,
    _err,
    _import_exit,
    _json_line,
    _new_passphrase,
    _prescan_lang,
    _print_outcomes,
    _Progress,
    _run,
    _translate_click,
    _unlocked,
    _wants_debug,
)
from wallet.errors import (
    EXIT_NOT_VALID,
    EXIT_OK,
    EXIT_USAGE,
    UnreadableInput,
    UsageError,
    WalletError,
)
from wallet.i18n import _, ngettext, set_language
from wallet.trust_cli import register as register_trust_commands

EXPORT_KINDS = ["bundle", "vp", "clr", "json", "png", "svg", "html", "pdf", "sd-jwt", "linkedin"]


def build_cli() -> click.Group:
    from wallet.model import Status

    status_choice = click.Choice([s.value for s in Status])
    json_flag = click.option(
        "--json", "json_out", is_flag=True, help=_("JSON Lines on stdout, one object per line.")
    )

    def wants_json(ctx: click.Context, flag: bool) -> bool:
        settings: Settings = ctx.obj
        return flag or settings.json

    @click.group(
        invoke_without_command=True,
        help=_("plecak: your Open Badges wallet. Without a command, opens the wallet's window."),
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    @click.option("--home", envvar="PLECAK_HOME", metavar="DIR", help=_("Wallet folder."))
    @click.option(
        "--lang",
        envvar="PLECAK_LANG",
        type=click.Choice(["pl", "en"]),
        help=_("Interface language."),
    )
    @click.option(
        "--offline",
        is_flag=True,
        envvar="PLECAK_OFFLINE",
        help=_("Never use the network; only cached documents and mirrors."),
    )
    @click.option(
        "--mirror",
        "mirrors",
        multiple=True,
        metavar="PATH",
        help=_("An offline mirror index (JSON); repeatable."),
    )
    @click.option("--json", "json_out", is_flag=True, help=_("JSON Lines output."))
    @click.option("--debug", is_flag=True, help=_("Show technical detail with errors."))
    @click.version_option(package_name="plecak", prog_name="plecak")
    @click.pass_context
    def cli(
        ctx: click.Context,
        home: str | None,
        lang: str | None,
        offline: bool,
        mirrors: tuple[str, ...],
        json_out: bool,
        debug: bool,
    ) -> None:
        ctx.obj = Settings(home, lang, offline, mirrors, json_out, debug)
        if ctx.invoked_subcommand is None:
            from wallet.tui.app import run_tui

            ctx.exit(run_tui(ctx.obj.service()))

    @cli.command(help=_("Open a throwaway wallet filled with sample badges."))
    @click.option("--no-tui", is_flag=True, help=_("Print the list and exit."))
    @click.pass_context
    def demo(ctx: click.Context, no_tui: bool) -> None:
        from wallet.demo import run_demo

        settings: Settings = ctx.obj
        ctx.exit(run_demo(no_tui=no_tui, lang=settings.lang, json_out=settings.json))

    @cli.command(help=_("Create a new wallet."))
    @click.pass_context
    def init(ctx: click.Context) -> None:
        service = ctx.obj.service()
        if service.wallet_exists():
            from wallet.errors import WalletExists

            raise WalletExists(home=str(service.home))
        service.create(_new_passphrase(_("New passphrase")))
        _err(_("Created a wallet in {home}.").format(home=service.home))

    @cli.command("import", help=_("Import, verify and store credentials."))
    @click.argument("sources", nargs=-1, required=True)
    @json_flag
    @click.pass_context
    def import_(ctx: click.Context, sources: tuple[str, ...], json_out: bool) -> None:
        service = _unlocked(ctx.obj)
        if "-" in sources and sys.stdin.isatty():
            _err(_("Paste the badge (a JWS, JWT or JSON), then press Ctrl-D on an empty line."))
        progress = _Progress(not wants_json(ctx, json_out))
        try:
            outcomes = _run(service.import_sources(list(sources), progress=progress))
        finally:
            progress.close()
        _print_outcomes(outcomes, wants_json(ctx, json_out))
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
        _err(summary)
        ctx.exit(_import_exit(outcomes))

    @cli.command("list", help=_("The portfolio."))
    @click.option("--status", type=status_choice, help=_("Only this status."))
    @click.option("--tag", help=_("Only this tag."))
    @click.option("--search", help=_("Only credentials whose title, issuer or tags match."))
    @json_flag
    @click.pass_context
    def list_(
        ctx: click.Context, status: str | None, tag: str | None, search: str | None, json_out: bool
    ) -> None:
        from wallet import output

        service = _unlocked(ctx.obj)
        damage = service.damage()  # first: a catalogue that fails refuses before any listing
        entries = service.list(status=Status(status) if status else None, tag=tag, search=search)
        if wants_json(ctx, json_out):
            for entry in entries:
                _json_line(output.entry_json(entry))
        else:
            _echo(output.entries_table(entries))
        ctx.exit(tell_damage(damage, wants_json(ctx, json_out)))

    @cli.command(help=_("One credential: every field, EU elements, verification, history."))
    @click.argument("credential_id")
    @json_flag
    @click.pass_context
    def show(ctx: click.Context, credential_id: str, json_out: bool) -> None:
        from wallet import output

        service = _unlocked(ctx.obj)
        view = service.show(credential_id)
        if wants_json(ctx, json_out):
            _json_line(output.show_json(view))
            return
        _echo(output.show_text(view))

    @cli.command(help=_("Re-verify stored credentials and record what changed."))
    @click.argument("ids", nargs=-1)
    @json_flag
    @click.pass_context
    def recheck(ctx: click.Context, ids: tuple[str, ...], json_out: bool) -> None:
        from wallet import output
        from wallet.codecs.dates import format_date

        service = _unlocked(ctx.obj)
        progress = _Progress(not wants_json(ctx, json_out))
        try:
            outcomes = _run(service.recheck(list(ids) or None, progress=progress))
        finally:
            progress.close()
        code = EXIT_OK
        for outcome in outcomes:
            if outcome.after is not Status.VALID or outcome.error is not None:
                code = EXIT_NOT_VALID
            if outcome.error is not None and not wants_json(ctx, json_out):
                _err(f"✗ {outcome.id}: {outcome.error.user_message()}")
                continue
            if wants_json(ctx, json_out):
                if outcome.report is None:
                    _json_line(
                        output.error_json(outcome.id, outcome.error or WalletError(), id=outcome.id)
                    )
                else:
                    _json_line(
                        output.report_json(
                            outcome.id,
                            None,
                            outcome.report,
                            id=outcome.id,
                            before=outcome.before.value,
                            changed=list(outcome.changed),
                            **({"kept_status": outcome.after.value} if outcome.kept else {}),
                        )
                    )
            else:
                arrow = "→" if outcome.before is not outcome.after else "="
                as_of = outcome.report.as_of if outcome.report else None
                _echo(
                    f"{outcome.id} {output.status_word(outcome.before)} {arrow} "
                    f"{output.status_word(outcome.after)}"
                    + (" " + _("as of {when}").format(when=format_date(as_of)) if as_of else "")
                    + (f"  ({', '.join(outcome.changed)})" if outcome.changed else "")
                    + (
                        "  "
                        + _(
                            "(could not be refreshed now; the last known status stands: {reason})"
                        ).format(reason=output.deciding_reason(outcome.report))
                        if outcome.kept and outcome.report is not None
                        else ""
                    )
                )
        ctx.exit(code)

    @cli.command(
        help=_("Verify without storing (no wallet needed); also share bundles and CV PDFs.")
    )
    @click.argument("sources", nargs=-1, required=True)
    @click.option(
        "--recipient",
        "recipients",
        multiple=True,
        metavar="EMAIL|URL|DID",
        help=_("Check that the credential was issued to this identity; repeatable."),
    )
    @click.option(
        "--html",
        "html_path",
        metavar="FILE",
        help=_("Also write the verifier's own page of a share bundle (in --lang) to FILE."),
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
        from wallet import output
        from wallet.i18n import current_language

        if html_path and len(sources) != 1:
            raise UsageError(_("--html writes the page of exactly one share bundle."))
        service = ctx.obj.service()
        outcomes = _run(service.verify_sources(list(sources), recipients=recipients))
        if html_path:
            bundles = [o.bundle for o in outcomes if o.bundle is not None]
            if not bundles and not any(o.error for o in outcomes):
                raise UsageError(_("--html writes the page of a share bundle; this is none."))
            if bundles:
                _atomic_write(Path(html_path), bundles[0].to_html(current_language()))
        code = EXIT_OK
        for outcome in outcomes:
            if outcome.error is not None:
                code = max(
                    code,
                    EXIT_USAGE if isinstance(outcome.error, UnreadableInput) else EXIT_NOT_VALID,
                )
                if wants_json(ctx, json_out):
                    _json_line(output.error_json(outcome.source, outcome.error))
                else:
                    _err(f"✗ {outcome.source}: {outcome.error.user_message()}")
            elif outcome.bundle is not None:
                bundle = outcome.bundle
                if not bundle.ok:
                    code = max(code, EXIT_NOT_VALID)
                if wants_json(ctx, json_out):
                    for line in bundle.to_json_lines():
                        _json_line(line)
                else:
                    _echo(bundle.to_text())
            elif outcome.report is not None:
                if outcome.report.status is not Status.VALID:
                    code = max(code, EXIT_NOT_VALID)
                if wants_json(ctx, json_out):
                    _json_line(
                        output.report_json(outcome.source, outcome.credential, outcome.report)
                    )
                else:
                    _echo(output.report_text(outcome.source, outcome.credential, outcome.report))
        if not outcomes:
            code = EXIT_NOT_VALID
        ctx.exit(code)

    @cli.command(help=_("Add tags to a credential."))
    @click.argument("credential_id")
    @click.argument("tags", nargs=-1, required=True)
    @click.pass_context
    def tag(ctx: click.Context, credential_id: str, tags: tuple[str, ...]) -> None:
        _unlocked(ctx.obj).tag(credential_id, tags)

    @cli.command(help=_("Remove tags from a credential."))
    @click.argument("credential_id")
    @click.argument("tags", nargs=-1, required=True)
    @click.pass_context
    def untag(ctx: click.Context, credential_id: str, tags: tuple[str, ...]) -> None:
        _unlocked(ctx.obj).untag(credential_id, tags)

    @cli.command(help=_("Delete credentials from the wallet."))
    @click.argument("ids", nargs=-1, required=True)
    @click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
    @click.pass_context
    def remove(ctx: click.Context, ids: tuple[str, ...], yes: bool) -> None:
        service = _unlocked(ctx.obj)
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
            _err(_("Removed {id}.").format(id=cid))

    @cli.group(help=_("Your identities (emails, URLs, DIDs) used to match recipients."))
    def identity() -> None:
        pass

    @identity.command("add", help=_("Add an identity."))
    @click.argument("value")
    @click.pass_context
    def identity_add(ctx: click.Context, value: str) -> None:
        kind = _unlocked(ctx.obj).add_identity(value)
        _err(_("Added {kind} {value}.").format(kind=kind, value=value))

    @identity.command("list", help=_("List identities."))
    @json_flag
    @click.pass_context
    def identity_list(ctx: click.Context, json_out: bool) -> None:
        for value, kind in _unlocked(ctx.obj).identities():
            if wants_json(ctx, json_out):
                _json_line({"value": value, "kind": kind})
            else:
                _echo(f"{kind}\t{value}")

    @identity.command("remove", help=_("Remove an identity."))
    @click.argument("value")
    @click.pass_context
    def identity_remove(ctx: click.Context, value: str) -> None:
        _unlocked(ctx.obj).remove_identity(value)

    @cli.command(help=_("Change the wallet's passphrase."))
    @click.pass_context
    def passwd(ctx: click.Context) -> None:
        service = _unlocked(ctx.obj)
        new = _new_passphrase(_("New passphrase"), env="PLECAK_NEW_PASSPHRASE")
        _err(_("Deriving the key from the new passphrase; this takes a few seconds…"))
        service.passwd(new)
        _err(_("The passphrase was changed."))

    register_store_commands(cli)

    @cli.command(
        help=_(
            "Export credentials: bundle, vp, clr, json, png, svg, html, pdf, sd-jwt; or linkedin."
        )
    )
    @click.argument("kind", type=click.Choice(EXPORT_KINDS))
    @click.argument("ids", nargs=-1)
    @click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(dir_okay=False, allow_dash=True),
        help=_("The file to write; without it (or with -), text formats go to standard output."),
    )
    @click.option("--tag", help=_("Export every credential with this tag."))
    @click.option("--all", "all_", is_flag=True, help=_("Export every credential."))
    @click.option("--disclose", metavar="IDENTITY", help=_("Disclose this identity of yours."))
    @click.option("--purpose", help=_("A note for the receiver (e.g. the job you apply for)."))
    @click.option(
        "--reveal",
        multiple=True,
        metavar="CLAIM",
        help=_("sd-jwt: share only this claim (repeat; e.g. credentialSubject/achievement)."),
    )
    @click.option(
        "--lang", "doc_lang", type=click.Choice(["pl", "en"]), help=_("Language of the PDF.")
    )
    @click.option("--open", "open_", is_flag=True, help=_("linkedin: open the address."))
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
        from wallet.cli_export import destination, export_warnings, write_export

        service = _unlocked(ctx.obj)
        chosen = service.export_ids(ids, tag=tag, all_=all_)
        if kind == "linkedin":
            from wallet.cli_export import linkedin

            linkedin(service, chosen, open_)
            return
        target = destination(kind, out)
        damaged = tell_damage(service.damage(), json_out=False)
        if kind in ("json", "png", "svg", "sd-jwt") and len(chosen) != 1:
            raise UsageError(_("This format exports exactly one credential."))
        data = service.export(
            kind,
            chosen,
            disclose_identity=disclose,
            purpose=purpose,
            destination=target or "",
            options=({"reveal": list(reveal)} if reveal else {})
            | ({"language": doc_lang} if doc_lang else {})
            or None,
        )
        # Warnings only once the export has been made: a failed export shares nothing.
        for warning in export_warnings(service, chosen, disclose):
            _err(warning)
        write_export(target, data, len(chosen))
        ctx.exit(damaged if all_ or tag else EXIT_OK)  # 1: damaged credentials were left out

    @cli.command(help=_("The advisor's read-only view of share bundles."))
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("--pathway", type=click.Path(dir_okay=False), help=_("A target pathway file."))
    @click.option("--tui", is_flag=True, help=_("Show the review in the terminal interface."))
    @json_flag
    @click.pass_context
    def review(
        ctx: click.Context, files: tuple[str, ...], pathway: str | None, tui: bool, json_out: bool
    ) -> None:
        service = ctx.obj.service()
        if tui:
            from wallet.tui.app import run_review_tui

            ctx.exit(
                run_review_tui(
                    service, [Path(f) for f in files], Path(pathway) if pathway else None
                )
            )
        result = _run(service.review([Path(f) for f in files], Path(pathway) if pathway else None))
        if wants_json(ctx, json_out):
            _json_line(result.to_json())
        else:
            _echo(result.to_text())
        ctx.exit(EXIT_OK if result.ok else EXIT_NOT_VALID)

    from wallet.connect.cli import add_commands as add_connect_commands

    add_connect_commands(cli, json_flag, wants_json)
    register_trust_commands(cli, json_flag, wants_json)
    from wallet.cli_help import add_epilogs, localise

    add_epilogs(cli)
    localise(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    """Run plecak; returns the exit code of cli.md.  Never lets a traceback reach the user."""
    args = list(sys.argv[1:] if argv is None else argv)
    set_language(_prescan_lang(args))
    _translate_click()
    cli = build_cli()
    args = _with_globals_first(cli, args)
    try:
        result = cli.main(args=args, prog_name="plecak", standalone_mode=False)
    except WalletError as exc:
        _err(_("Error: {message}").format(message=exc.user_message()))
        if _wants_debug(args) and exc.detail:
            _err(exc.detail)
        return exc.exit_code
    except click.exceptions.Abort:
        _err(_("Aborted."))
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err(_("Interrupted."))
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    return int(result) if isinstance(result, int) else EXIT_OK


def _with_globals_first(cli: click.Group, args: list[str]) -> list[str]:
    """Accept the global options after the command too (``plecak recheck --offline``)."""
    from wallet.cli_globals import declared_options, hoist_globals

    own = {
        name: {opt for param in command.params for opt in param.opts}
        for name, command in cli.commands.items()
    }
    return hoist_globals(args, declared_options(args, own))


if __name__ == "__main__":
    sys.exit(main())
