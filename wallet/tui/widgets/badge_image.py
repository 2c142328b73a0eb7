"""The badge image panel: half-block pixels when the wallet holds a PNG, a placeholder otherwise."""

from __future__ import annotations

import asyncio

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from wallet.i18n import _
from wallet.model import Credential
from wallet.tui.image import CellImage, png_cells

COLS, ROWS = 16, 8


def image_bytes(credential: Credential) -> tuple[bytes | None, str]:
    """The image the wallet already holds for ``credential`` and its media type (never fetched)."""
    for image in (
        credential.image,
        credential.achievement.image if credential.achievement else None,
    ):
        if image is not None and image.data:
            return image.data, image.media_type or ""
    original = credential.original
    if original.media_type.startswith("image/"):
        return original.data, original.media_type
    return None, ""


def cells_to_text(cells: CellImage) -> Text:
    text = Text()
    for y, row in enumerate(cells.rows):
        for upper, lower in row:
            text.append("▀", Style(color=f"rgb{upper}", bgcolor=f"rgb{lower}"))
        if y < len(cells.rows) - 1:
            text.append("\n")
    return text


class BadgeImage(Static):
    DEFAULT_CSS = """
    BadgeImage { width: 18; height: 9; content-align: center middle; color: $text-muted;
                 border: round $panel-lighten-2; }
    """

    def __init__(self, credential: Credential, *, id: str | None = None) -> None:
        super().__init__(_("(image)"), id=id)
        self.credential = credential

    def on_mount(self) -> None:
        data, media_type = image_bytes(self.credential)
        if data is None:
            self.update(_("no image\nin the\nwallet"))
        elif media_type == "image/png" or data.startswith(b"\x89PNG"):
            self.run_worker(self._decode(data), exclusive=True, exit_on_error=False)
        elif "svg" in media_type:
            self.update(_("SVG badge\n(not drawn\nin a\nterminal)"))
        else:
            self.update(_("image\nnot shown"))

    async def _decode(self, data: bytes) -> None:
        cells = await asyncio.to_thread(png_cells, data, COLS, ROWS)
        if cells is None:
            self.update(_("image\nnot shown"))
        else:
            self.update(cells_to_text(cells))
