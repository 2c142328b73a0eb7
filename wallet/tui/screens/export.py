"""The export wizard: which badges, which format, whether to disclose an identity, where to save.

The service builds the bytes (exporters are injected there); this screen only gathers the choices
and writes the file (atomically, private permissions, never silently over an existing file).
Where no exporter is installed, or an exporter cannot do what was asked, the screen says so plainly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Select, Static

from wallet.errors import ExportError, WalletError
from wallet.files import write_atomic
from wallet.i18n import N_, _, ngettext, tr
from wallet.tui.screens.base import PlecakScreen

KIND_LABELS: dict[str, str] = {
    "bundle": N_("Share bundle for an employer or advisor (ZIP)"),
    "vp": N_("Verifiable Presentation (JSON)"),
    "clr": N_("Comprehensive Learner Record 2.0 (JSON)"),
    "json": N_("The original credentials (JSON)"),
    "png": N_("Baked badge image (PNG)"),
    "svg": N_("Baked badge image (SVG)"),
    "html": N_("Web page (HTML)"),
    "pdf": N_("CV-ready PDF with the credentials attached as proof"),
}
EXTENSIONS = {"bundle": "zip", "vp": "json", "clr": "json", "json": "json", "png": "png",
              "svg": "svg", "html": "html", "pdf": "pdf"}  # fmt: skip
NOT_FILES = frozenset({"linkedin"})
"""Export kinds that give an address, not a file (the CLI prints them)."""
NO_IDENTITY = "-"


def write_new_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` atomically with owner-only permissions; refuse to replace unless asked."""
    if path.exists() and not overwrite:
        raise ExportError(reason=_("{path} already exists.").format(path=path))
    if not path.parent.is_dir():
        raise ExportError(reason=_("the folder {path} does not exist.").format(path=path.parent))
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise ExportError(reason=exc.strerror or str(exc), detail=repr(exc)) from exc


class ExportScreen(PlecakScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+s", "export", N_("Export"), show=True, priority=True),
        Binding("escape", "back", N_("Back"), show=True),
    ]

    def __init__(self, ids: Sequence[str], *, tags: Sequence[str] = ()) -> None:
        super().__init__()
        self.ids = list(ids)
        self.tags = list(tags)
        self.kinds: list[str] = []
        self.path_edited = False
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static(_("Export badges"), id="title", classes="title-bar")
        with VerticalScroll(id="form"):
            yield Label(_("1. Which badges"), classes="field-label")
            what: list[tuple[str, str]] = []
            if self.ids:
                what.append(
                    (
                        ngettext(
                            "The selected badge", "The {n} selected badges", len(self.ids)
                        ).format(n=len(self.ids)),
                        "ids",
                    )
                )
            what.append((_("All badges"), "all"))
            what += [(_("Collection #{tag}").format(tag=t), "tag:" + t) for t in self.tags]
            yield Select(what, id="what", allow_blank=False, value=what[0][1], compact=True)
            yield Label(_("2. Format"), classes="field-label")
            # Disabled until the formats are known: "Loading…" is a state, never a choice.
            yield Select([], id="kind", prompt=_("Loading formats…"), compact=True, disabled=True)
            yield Label(
                _("3. Disclose one of your identities to the reader?"), classes="field-label"
            )
            yield Select(
                [(_("No, do not disclose an identity"), NO_IDENTITY)],
                id="identity",
                allow_blank=False,
                value=NO_IDENTITY,
                compact=True,
            )
            yield Label(_("4. Purpose (optional, shown to the reader)"), classes="field-label")
            yield Input(
                id="purpose",
                placeholder=_("e.g. Application for the data analyst role"),
                compact=True,
            )
            yield Label(
                _("5. Save to (a path; relative to the start folder)"), classes="field-label"
            )
            yield Input(id="path", compact=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Export (Ctrl+S)"), id="go", variant="primary", compact=True)
            yield Label("", id="message", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#what", Select).focus()
        self.load()

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self) -> None:
        service = self.wallet.service
        try:
            kinds = await self.call(service.export_kinds)
            self.kinds = [k for k in kinds if k not in NOT_FILES]
            identities = await self.call(service.identities)
        except WalletError as error:
            self._say(error.user_message(), error=True)
            return
        kind = self.query_one("#kind", Select)
        if not self.kinds:
            kind.set_options([])
            kind.prompt = _("none available")
            kind.disabled = True
            self.query_one("#go", Button).disabled = True
            self._say(
                _(
                    "No export formats are available in this version of plecak yet, "
                    "so nothing can be exported."
                ),
                error=True,
            )
            return
        kind.set_options([(_kind_label(k), k) for k in self.kinds])
        kind.prompt = _("Choose a format")
        kind.value = "bundle" if "bundle" in self.kinds else self.kinds[0]
        kind.disabled = False
        self.query_one("#identity", Select).set_options(
            [(_("No, do not disclose an identity"), NO_IDENTITY)]
            + [(f"{value} ({kind_})", value) for value, kind_ in identities]
        )
        self.query_one("#identity", Select).value = NO_IDENTITY
        self._default_path()

    def _default_path(self) -> None:
        if self.path_edited:
            return
        kind = self.query_one("#kind", Select).value
        if not isinstance(kind, str):
            return
        day = self.wallet.clock().strftime("%Y-%m-%d")
        field = self.query_one("#path", Input)
        field.value = f"plecak-{kind}-{day}.{EXTENSIONS.get(kind, 'dat')}"

    @on(Select.Changed, "#kind")
    def kind_changed(self) -> None:
        self._default_path()

    @on(Input.Changed, "#path")
    def path_changed(self, event: Input.Changed) -> None:
        self.path_edited = bool(event.value) and event.value != self._suggested()

    def _suggested(self) -> str:
        kind = self.query_one("#kind", Select).value
        day = self.wallet.clock().strftime("%Y-%m-%d")
        return f"plecak-{kind}-{day}.{EXTENSIONS.get(str(kind), 'dat')}"

    def _say(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#message", Label)
        label.update(text)
        label.set_class(error, "error")

    @on(Button.Pressed, "#go")
    @on(Input.Submitted, "#path")
    def go(self) -> None:
        self.action_export()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        if self.busy:
            return
        kind = self.query_one("#kind", Select).value
        if not self.kinds or not isinstance(kind, str):
            self._say(_("Choose a format first."), error=True)
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self._say(_("Type where to save the export."), error=True)
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.wallet.start_dir / path
        identity = self.query_one("#identity", Select).value
        disclose = identity if isinstance(identity, str) and identity != NO_IDENTITY else None
        purpose = self.query_one("#purpose", Input).value.strip() or None
        what = str(self.query_one("#what", Select).value)
        if path.exists():
            from wallet.tui.screens.confirm import ConfirmScreen

            def done(yes: bool | None) -> None:
                if yes:
                    self._export(kind, what, disclose, purpose, path, True)

            self.app.push_screen(
                ConfirmScreen(_("Replace the existing file?"), "  " + str(path), danger=True), done
            )
            return
        self._export(kind, what, disclose, purpose, path, False)

    @work(exclusive=True, group="export", exit_on_error=False)
    async def _export(
        self,
        kind: str,
        what: str,
        disclose: str | None,
        purpose: str | None,
        path: Path,
        overwrite: bool,
    ) -> None:
        service = self.wallet.service
        self.busy = True
        self._say(_("Exporting…"))
        try:
            if what == "ids":
                ids = self.ids
            else:
                tag = what[4:] if what.startswith("tag:") else None
                ids = [e.id for e in await self.call(service.list, tag=tag)]
            if not ids:
                self._say(_("There are no badges to export in this choice."), error=True)
                return
            warnings = await self.call(service.sensitive_fields, ids)
            data = await self.call(
                service.export, kind, ids, disclose_identity=disclose, purpose=purpose
            )
            await self.call(write_new_file, path, data, overwrite=overwrite)
        except WalletError as error:
            self._say(error.user_message(), error=True)
            return
        finally:
            self.busy = False
        message = ngettext(
            "Exported {n} badge to {path}.", "Exported {n} badges to {path}.", len(ids)
        ).format(n=len(ids), path=path)
        for _cid, title, labels in warnings:
            # A signed credential cannot lose fields: say plainly what else was shared.
            message += "\n" + _("Note: {title} also carries {what}.").format(
                title=title, what=", ".join(labels)
            )
        self._say(message)
        self.notify(message)


def _kind_label(kind: str) -> str:
    return tr(KIND_LABELS[kind]) if kind in KIND_LABELS else kind
