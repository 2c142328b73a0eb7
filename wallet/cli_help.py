"""Help that reads as one language: metavars, usage words, whole summaries, examples.

Why after the fact: click derives metavars from parameter names and types (``SOURCES``, ``TEXT``,
``[OPTIONS]``) and cuts command summaries at 45 characters with "…"; none of that goes through a
catalogue.  Walking the finished command tree once replaces each with its translation, so every
command gets the same treatment without repeating ``metavar=`` on every declaration.
"""

from __future__ import annotations

import click

from wallet.i18n import N_, _, tr

METAVARS = {
    "TEXT": N_("TEXT"),
    "SOURCES": N_("SOURCES"),
    "SOURCE": N_("SOURCE"),
    "FILES": N_("FILES"),
    "FILE": N_("FILE"),
    "IDS": N_("IDS"),
    "ID": N_("ID"),
    "CREDENTIAL_ID": N_("ID"),
    "TAGS": N_("TAGS"),
    "VALUE": N_("VALUE"),
    "DIR": N_("DIR"),
    "PATH": N_("PATH"),
    "IDENTITY": N_("IDENTITY"),
    "INTEGER": N_("NUMBER"),
}
"""Upper-case words click would show, and their msgids (the shown word is the translation)."""


def _word(raw: str) -> str:
    msgid = METAVARS.get(raw)
    return tr(msgid) if msgid else raw


def _metavar(param: click.Parameter, ctx: click.Context) -> str | None:
    base = param.metavar or param.type.get_metavar(param=param, ctx=ctx)
    if base is None:
        base = (
            (param.name or "").upper()
            if isinstance(param, click.Argument)
            else param.type.name.upper()
        )
    if base.startswith(("[", "{")):
        return None  # a choice list: values, not words
    word = _word(base.rstrip(".").strip("[]"))
    if isinstance(param, click.Argument):
        if not param.required:
            word = f"[{word}]"
        if param.nargs != 1:
            word += "..."
    return word


def localise(group: click.Group) -> None:
    """Translate usage words and metavars, and keep whole summaries, in the whole tree."""
    ctx = click.Context(group)
    commands: list[click.Command] = [group]
    while commands:
        command = commands.pop()
        command.options_metavar = _("[OPTIONS]")
        if isinstance(command, click.Group):
            command.subcommand_metavar = _("COMMAND [ARGS]...")
            commands.extend(command.commands.values())
        if command.help and not command.short_help:
            command.short_help = command.help.split("\n\n", 1)[0]
        for param in command.params:
            if isinstance(param, click.Option) and (param.is_flag or param.count):
                continue
            metavar = _metavar(param, ctx)
            if metavar is not None:
                param.metavar = metavar


def add_epilogs(group: click.Group) -> None:
    """Examples, the environment variables and the accepted formats, where people look first."""
    group.epilog = "\n\n".join(
        (
            "\b\n"
            + _("Examples:")
            + "\n  plecak demo\n  plecak init\n  plecak import badge.png folder/ https://uni.example/a/1\n"
            "  plecak list --status valid\n"
            "  plecak export bundle -o for-employer.zip --tag cv\n"
            "  plecak verify for-employer.zip",
            "\b\n"
            + _("Environment:")
            + "\n  PLECAK_HOME        "
            + _("the wallet folder (like --home)")
            + "\n  PLECAK_LANG        "
            + _("pl or en (like --lang)")
            + "\n  PLECAK_OFFLINE=1   "
            + _("never use the network (like --offline)")
            + "\n  PLECAK_MIRROR      "
            + _("mirror indexes, separated by ':' (like --mirror)")
            + "\n  PLECAK_PASSPHRASE  "
            + _("unlock without a prompt (scripts); never echoed")
            + "\n  PLECAK_IDLE_LOCK   "
            + _("seconds before the window locks itself (0: never)"),
            _("Global options may also follow the command: plecak recheck --offline."),
        )
    )
    importer = group.commands.get("import")
    if importer is not None:
        importer.epilog = (
            "\b\n"
            + _("Accepted sources:")
            + "\n  "
            + _("baked PNG and SVG badges; .json, .jsonld, .jws, .jwt and .txt files;")
            + "\n  "
            + _("folders and ZIP archives (files that are no credential are skipped);")
            + "\n  "
            + _("http(s) addresses of badges or of pages that link one;")
            + "\n  "
            + _("- for standard input (a JWS, JWT or JSON pasted).")
            + "\n\n"
            + _("Formats:")
            + "\n  "
            + _("Open Badges 0.5–2.1 and 3.0, CLR 2.0, Verifiable Presentations, SD-JWT VC,")
            + "\n  "
            + _("European Digital Credentials (ELM v3, JAdES) and legacy Europass XML.")
        )
