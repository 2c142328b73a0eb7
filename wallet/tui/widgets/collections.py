"""The sidebar: everything, the count per status, and the learner's tags as collections."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wallet.i18n import _
from wallet.model import Status
from wallet.tui.filtering import Scope
from wallet.tui.view import STYLES, status_text


class Collections(OptionList):
    """Selecting an option (Enter or click) narrows the table to that status or tag."""

    DEFAULT_CSS = """
    Collections { width: 24; height: 1fr; border: none; padding: 0; }
    """

    class ScopeSelected(Message):
        def __init__(self, sidebar: Collections, scope: Scope) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.scope = scope

        @property
        def control(self) -> Collections:
            return self.sidebar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._scopes: dict[str, Scope] = {}

    def show_counts(
        self, counts: Mapping[Status, int], tags: Mapping[str, int], current: Scope
    ) -> None:
        """Rebuild the options from the service's counts; keeps the highlight on ``current``."""
        total = sum(counts.values())
        options: list[Option | None] = []
        self._scopes = {"all": Scope()}
        options.append(Option(Text(_("All badges ({n})").format(n=total)), id="all"))
        options.append(None)
        for status in Status:
            n = counts.get(status, 0)
            if not n:
                continue
            key = "status:" + status.value
            self._scopes[key] = Scope(status=status)
            label = Text(status_text(status), style=STYLES[status])
            label.append(f" ({n})", style="")
            options.append(Option(label, id=key))
        options.append(None)
        options.append(Option(Text(_("Collections"), style="bold"), disabled=True))
        if not tags:
            options.append(Option(Text(_("(no tags yet)"), style="dim"), disabled=True))
        for tag, n in sorted(tags.items(), key=lambda kv: kv[0].casefold()):
            key = "tag:" + tag
            self._scopes[key] = Scope(tag=tag)
            options.append(Option(Text(f"#{tag} ({n})"), id=key))
        self.clear_options()
        self.add_options(options)
        wanted = "all"
        for key, scope in self._scopes.items():
            if scope == current:
                wanted = key
        index = self.get_option_index(wanted)
        self.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        scope = self._scopes.get(event.option.id or "all", Scope())
        self.post_message(self.ScopeSelected(self, scope))
