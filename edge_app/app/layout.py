"""Where everything goes on a screen of a given size: a pure function of width and height."""

from __future__ import annotations

from dataclasses import dataclass

from pygame import Rect

from edge_app.app.actions import ROW_SIZE

MIN_BUTTON = 48  # pixels: the smallest comfortable finger target
DESIGN_PANEL = (308, 456)  # pixels: the result panel of the 800×480 design, scale 1.0


@dataclass(frozen=True)
class Layout:
    """The app's areas on one screen size.

    Attributes:
        size: the screen (width, height) in pixels.
        canvas: the drawing square.
        panel: everything else: the result panel, redrawn alone when the answer changes.
        header: the model line; a long press on it opens the settings row.
        digit: the big answer.
        info: confidence and latency beside the answer.
        thumb: the 28×28 model input, enlarged.
        bars: the ten probability bars.
        status: the message line(s).
        buttons: ROW_SIZE button slots in screen order.
        strip: ten digit buttons 0-9 over the bars, for correcting an answer.
        scale: font scale relative to the 800×480 design.
    """

    size: tuple[int, int]
    canvas: Rect
    panel: Rect
    header: Rect
    digit: Rect
    info: Rect
    thumb: Rect
    bars: Rect
    status: Rect
    buttons: tuple[Rect, ...]
    strip: tuple[Rect, ...]
    scale: float


def compute_layout(width: int, height: int) -> Layout:
    """Lays the canvas and result panel out for landscape or portrait screens.

    Landscape (the official 800×480 display, desktop windows): square canvas left, panel right.
    Portrait (e.g. 720×1280 panels): canvas on top, panel below.

    Args:
        width: screen width in pixels.
        height: screen height in pixels.

    Returns:
        The layout; the same sizes always give the same layout.
    """
    margin = max(8, min(width, height) // 40)
    if width >= height:
        side = min(height - 2 * margin, int(width * 0.58))
        canvas = Rect(margin, (height - side) // 2, side, side)
        panel = Rect(canvas.right + margin, margin, width - canvas.right - 2 * margin,
                     height - 2 * margin)
    else:
        side = min(width - 2 * margin, int(height * 0.55))
        canvas = Rect((width - side) // 2, margin, side, side)
        panel = Rect(margin, canvas.bottom + margin, width - 2 * margin,
                     height - canvas.bottom - 2 * margin)

    scale = max(0.6, min(panel.width / DESIGN_PANEL[0], panel.height / DESIGN_PANEL[1], 2.0))
    gap = max(4, round(6 * scale))
    # A wide panel takes the buttons in one row; a narrow one in two or more.
    cols = ROW_SIZE if panel.width >= 1.2 * panel.height else 3
    rows = -(-ROW_SIZE // cols)
    button_h = max(MIN_BUTTON, round(52 * scale))
    buttons_top = panel.bottom - rows * button_h - (rows - 1) * gap
    button_w = (panel.width - (cols - 1) * gap) // cols
    buttons = tuple(Rect(panel.x + c * (button_w + gap), buttons_top + r * (button_h + gap),
                         button_w, button_h)
                    for r, c in (divmod(i, cols) for i in range(ROW_SIZE)))

    header = Rect(panel.x, panel.y, panel.width, round(28 * scale))
    status_h = round(44 * scale)  # two lines: a long message wraps instead of being cut
    status = Rect(panel.x, buttons_top - gap - status_h, panel.width, status_h)
    free_top, free_bottom = header.bottom + gap, status.top - gap
    result_h = min(round(120 * scale), (free_bottom - free_top) * 55 // 100)
    digit = Rect(panel.x, free_top, min(round(100 * scale), panel.width // 3), result_h)
    thumb_side = min(result_h, panel.width // 3)
    thumb = Rect(panel.right - thumb_side, free_top, thumb_side, thumb_side)
    info = Rect(digit.right + gap, free_top, thumb.left - digit.right - 2 * gap, result_h)
    bars = Rect(panel.x, digit.bottom + gap, panel.width, free_bottom - digit.bottom - gap)
    # The correction strip: 0-9 in two rows of five over the bars, each a finger target.
    strip_w = (bars.w - 4 * gap) // 5
    strip_h = max(MIN_BUTTON, (bars.h - gap) // 2)
    strip_top = bars.bottom - 2 * strip_h - gap
    strip = tuple(Rect(bars.x + c * (strip_w + gap), strip_top + r * (strip_h + gap), strip_w,
                       strip_h) for r, c in (divmod(d, 5) for d in range(10)))
    return Layout((width, height), canvas, panel, header, digit, info, thumb, bars, status, buttons,
                  strip, scale)
