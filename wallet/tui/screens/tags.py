"""Add or remove tags (the learner's collections) on one or several badges."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from wallet.errors import WalletError
from wallet.i18n import N_, _, ngettext
from wallet.model import PortfolioEntry
from wallet.tui.screens.base import PlecakModal


def parse_tags(text: str) -> list[str]:
    """Tags typed as ``a, b c`` or ``#a #b``: split on commas and spaces, ``#`` dropped."""
    found: list[str] = []
    for part in re.split(r"[,\s]+", text):
        tag = part.strip().lstrip("#").strip()
        if tag and tag not in found:
            found.append(tag)
    return found


class TagsScreen(PlecakModal[bool]):
    """Dismisses with True when anything changed."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "close", N_("Close"), show=True),
        Binding("x,delete", "untag", N_("Remove tag"), show=True),
    ]

    def __init__(self, entries: Sequence[PortfolioEntry], *, known: Sequence[str] = ()) -> None:
        super().__init__()
        self.entries = list(entries)
        self.known = list(known)
        self.current: list[str] = sorted({t for e in self.entries for t in e.tags})
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-dialog"):
            if len(self.entries) == 1:
                title = _("Tags of “{title}”").format(
                    title=self.entries[0].title or self.entries[0].id
                )
            else:
                title = ngettext(
                    "Tags of {n} badge", "Tags of {n} badges", len(self.entries)
                ).format(n=len(self.entries))
            yield Label(title, classes="dialog-title", markup=False)
            yield Label(_("Add tags (separate with spaces or commas), then Enter:"))
            yield Input(
                id="add",
                placeholder=_("e.g. python, job-applications"),
                suggester=SuggestFromList(self.known, case_sensitive=False),
            )
            yield Label(_("Current tags (select one and press x to remove it):"))
            yield OptionList(id="current")
            yield Label("", id="message", classes="hint")

    def on_mount(self) -> None:
        self._show_current()
        self.query_one("#add", Input).focus()

    def _show_current(self) -> None:
        options = self.query_one("#current", OptionList)
        options.clear_options()
        if self.current:
            options.add_options([Option("#" + t, id=t) for t in self.current])
            options.highlighted = 0
        else:
            options.add_option(Option(_("(none)"), disabled=True))

    @on(Input.Submitted, "#add")
    def add(self, event: Input.Submitted) -> None:
        tags = parse_tags(event.value)
        if tags:
            self._apply(tags, add=True)

    def action_untag(self) -> None:
        options = self.query_one("#current", OptionList)
        if options.highlighted is None or not self.current:
            self.query_one("#message", Label).update(_("Select a tag in the list first."))
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id:
            self._apply([option.id], add=False)

    @on(OptionList.OptionSelected, "#current")
    def selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._apply([event.option.id], add=False)

    @work(exclusive=True, exit_on_error=False)
    async def _apply(self, tags: list[str], *, add: bool) -> None:
        service = self.wallet.service
        try:
            for entry in self.entries:
                if add:
                    await self.call(service.tag, entry.id, tags)
                else:
                    await self.call(service.untag, entry.id, tags)
        except WalletError as error:
            self.query_one("#message", Label).update(error.user_message())
            return
        self.changed = True
        self.wallet.portfolio_changed()
        if add:
            self.current = sorted(set(self.current) | set(tags))
            self.query_one("#add", Input).value = ""
            message = _("Added: {tags}").format(tags=" ".join("#" + t for t in tags))
        else:
            self.current = [t for t in self.current if t not in tags]
            message = _("Removed: {tags}").format(tags=" ".join("#" + t for t in tags))
        self._show_current()
        self.query_one("#message", Label).update(message)

    def action_close(self) -> None:
        self.dismiss(self.changed)
