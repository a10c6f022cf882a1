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

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip
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


def glyph_spans(text: str, scale: int) -> list[tuple[int, int]]:
    """(first column, width) of each character's cells at ``scale``, gaps included."""
    spans, x = [], 0
    for ch in text:
        w = (len(_FONT.get(ch, _FONT[" "])[0]) + 1) * scale
        spans.append((x, w))
        x += w
    return spans


def changed_columns(old: str, new: str, scale: int) -> tuple[int, int] | None:
    """The columns (start, end) that differ between ``old`` and ``new`` drawn at one scale.

    None when the layout differs (another length or glyph widths): all must be drawn.
    """
    if len(old) != len(new) or not old:
        return None
    old_spans, new_spans = glyph_spans(old, scale), glyph_spans(new, scale)
    if old_spans != new_spans:
        return None
    changed = [span for a, b, span in zip(old, new, new_spans, strict=True) if a != b]
    if not changed:
        return (0, 0)
    return changed[0][0], changed[-1][0] + changed[-1][1]


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

    DEFAULT_CSS = "BigText { height: 1fr; }"

    text: var[str] = var("")
    """What to draw; characters outside the font are drawn as blanks.

    A change repaints only the columns of the characters that changed (the
    seconds of a countdown, not the whole clock) when the layout stays the same.
    """

    def __init__(self, text: str = "", *, max_scale: int = 8, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.max_scale = max_scale
        self.set_reactive(BigText.text, text)
        self._key: tuple[object, ...] = ()
        self._strips: list[Strip] = []
        self._style: Style | None = None

    def notify_style_update(self) -> None:
        self._style = None
        super().notify_style_update()

    def watch_text(self, old: str, new: str) -> None:
        if not self.is_mounted:
            return
        scale = self.scale
        if fit_scale(old, self.size.width, self.size.height, self.max_scale) != scale:
            self.refresh()
            return
        span = changed_columns(old, new, scale)
        if span is None:
            self.refresh()
            return
        start, end = span
        if end <= start:
            return
        # centred: the drawing starts half the spare width in (allow a cell for rounding)
        drawn_w = cells_for(new, scale)[0]
        left = max(0, (self.size.width - drawn_w) // 2 - 1)
        self.refresh(Region(left + start, 0, end - start + 2, self.size.height))

    @property
    def scale(self) -> int:
        """The scale the current text is drawn at in the current size."""
        return fit_scale(self.text, self.size.width, self.size.height, self.max_scale)

    def render_line(self, y: int) -> Strip:
        """One row, from strips built once per text, size and colour (the Line API:
        no rich Text to convert on every repaint)."""
        style = self._style
        if style is None:  # computing it walks the DOM: once per style change, not per row
            style = self._style = self.rich_style
        key = (self.text, self.size, style)
        if key != self._key:
            self._key = key
            self._strips = self._build(style)
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, style)

    def _build(self, style: Style) -> list[Strip]:
        width, height = self.size.width, self.size.height
        if not self.text or width <= 0 or height <= 0:
            return []
        rows = big_lines(self.text, self.scale)
        if len(rows[0]) > width or len(rows) > height:  # too small even at scale 1: plain text
            rows = (self.text[:width],)
        drawn_w = len(rows[0])
        left = (width - drawn_w) // 2
        top = (height - len(rows)) // 2
        blank = Strip.blank(width, style)
        strips = [blank] * height
        for i, row in enumerate(rows):
            line = (" " * left + row).ljust(width)[:width]
            strips[top + i] = Strip([Segment(line, style)], width)
        return strips
