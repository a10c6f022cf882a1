"""Digits drawn as big as the space allows, for a screen read from the belt.

Textual's ``Digits`` is three rows tall at any terminal size; from 1-2 m on a
treadmill that is too small on a large terminal. Here each glyph is a 5x7
pixel bitmap scaled by a whole factor and drawn with half-block characters
(two pixels per cell row, and a cell is about twice as tall as it is wide, so
the pixels stay square): scale 1 is 4 rows tall, 2 is 7, 3 is 11, 4 is 14.
The widget picks the largest scale that fits its own size, so the number
grows with the terminal, and it redraws only when the text, the size or the
colour changes.
"""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

GLYPH_ROWS = 7

# 5 pixels wide (":" and " " narrower), 7 tall; "#" is ink.
_FONT: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "    #", "   # ", "  ## ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    "-": ("     ", "     ", "     ", " ### ", "     ", "     ", "     "),
    ":": (" ", " ", "#", " ", "#", " ", " "),
    " ": ("   ",) * GLYPH_ROWS,
}


def text_pixels_wide(text: str) -> int:
    """Width in pixels at scale 1, one blank pixel between glyphs."""
    glyphs = [_FONT.get(ch, _FONT[" "]) for ch in text]
    return sum(len(g[0]) for g in glyphs) + max(0, len(glyphs) - 1)


def cells_for(text: str, scale: int) -> tuple[int, int]:
    """(columns, rows) the text takes at ``scale``."""
    return text_pixels_wide(text) * scale, (GLYPH_ROWS * scale + 1) // 2


def fit_scale(text: str, width: int, height: int, max_scale: int = 8) -> int:
    """The largest scale (at least 1) at which ``text`` fits ``width`` x ``height`` cells."""
    best = 1
    for scale in range(1, max_scale + 1):
        w, h = cells_for(text, scale)
        if w <= width and h <= height:
            best = scale
    return best


@lru_cache(maxsize=256)
def big_lines(text: str, scale: int) -> tuple[str, ...]:
    """The rows of characters that draw ``text`` at ``scale`` (cached: few distinct values)."""
    glyphs = [_FONT.get(ch, _FONT[" "]) for ch in text]
    pixel_rows: list[str] = []
    for r in range(GLYPH_ROWS):
        row = " ".join(g[r] for g in glyphs)
        wide = "".join(ch * scale for ch in row)
        pixel_rows.extend([wide] * scale)
    if len(pixel_rows) % 2:
        pixel_rows.append(" " * len(pixel_rows[0]) if pixel_rows else "")
    out = []
    for top, bottom in zip(pixel_rows[0::2], pixel_rows[1::2], strict=True):
        out.append(
            "".join(_HALF[(t == "#", b == "#")] for t, b in zip(top, bottom, strict=True))
        )
    return tuple(out)


_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


class BigText(Widget):
    """A short text (digits, ``-``, ``:``) drawn at the largest scale that fits.

    Centred in its region; the colour comes from the CSS ``color`` of the widget,
    so a class change (on target, below, above) recolours it without new text.
    """

    DEFAULT_CSS = "BigText { height: 1fr; content-align: center middle; text-wrap: nowrap; }"

    text: reactive[str] = reactive("")
    """What to draw; characters outside the font are drawn as blanks."""

    def __init__(self, text: str = "", *, max_scale: int = 8, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.max_scale = max_scale
        self.set_reactive(BigText.text, text)

    @property
    def scale(self) -> int:
        """The scale the current text is drawn at in the current size."""
        return fit_scale(self.text, self.size.width, self.size.height, self.max_scale)

    def render(self) -> Text:
        if not self.text:
            return Text("")
        rows = big_lines(self.text, self.scale)
        width = self.size.width
        if rows and len(rows[0]) > width:  # too narrow even at scale 1: plain text
            return Text(self.text, style="bold")
        return Text("\n".join(rows), no_wrap=True)
