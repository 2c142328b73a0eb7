"""A yes/no question in a modal: removal and overwriting files always ask first."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from wallet.i18n import N_, _
from wallet.tui.screens.base import PlecakModal


class ConfirmScreen(PlecakModal[bool]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("y", "answer(True)", N_("Yes"), show=True),
        Binding("n,escape", "answer(False)", N_("No"), show=True),
    ]

    def __init__(self, question: str, details: str = "", *, danger: bool = False) -> None:
        super().__init__()
        self.question = question
        self.details = details
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-dialog"):
            yield Label(self.question, classes="dialog-title")
            if self.details:
                yield Static(self.details, markup=False, classes="details")
            with Horizontal(classes="buttons"):
                yield Button(_("Yes (y)"), id="yes", variant="error" if self.danger else "primary")
                yield Button(_("No (n)"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
