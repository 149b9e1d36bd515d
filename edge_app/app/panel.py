"""The result panel: draws a frozen view of the app's state; it changes nothing itself."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from edge_app.app.actions import ALL
from edge_app.app.layout import Layout
from edge_app.app.store import gray_surface
from edge_app.classifier import Prediction

BACKGROUND = (32, 34, 40)
PANEL = (44, 47, 56)
TEXT = (235, 235, 240)
MUTED = (150, 155, 170)
ACCENT = (90, 170, 255)
WARN = (255, 170, 80)
BAR = (70, 75, 90)
LABELS = [a.label for a in ALL] + ["Live: off"]  # every text a button can show


@dataclass(frozen=True)
class Button:
    """One button as shown: its text, colour, and whether a finger holds it."""

    label: str
    colour: tuple[int, int, int]
    held: bool = False


@dataclass(frozen=True)
class NumberDigit:
    """One digit of a number as shown: the digit, its confidence, a close second, its input."""

    digit: int
    confidence: float
    alternative: int | None
    model_input: np.ndarray


@dataclass(frozen=True)
class View:
    """Everything the panel shows, decided by the controller.

    Attributes:
        model: the header text, e.g. "cnn_int8 (litert)".
        prediction: the answer shown, or None.
        settled: False while the answer is interim (more strokes may come) or stale (the
            drawing changed since): it is then shown muted.
        alternative: the close second digit when the top two are close ("1 or 7?").
        model_input: the (28, 28) image the model saw.
        latency_ms: drawing to answer, in milliseconds.
        message: the status text; long ones wrap onto a second line.
        warn: show the message as a warning.
        buttons: the button row, in the layout's slot order.
        number: the digits of a number (two or more), else empty.
        strip: show the 0-9 strip for correcting, in place of the bars.
        adaptation: e.g. "adapted: 12 examples", shown in the header.
    """

    model: str
    prediction: Prediction | None = None
    settled: bool = True
    alternative: int | None = None
    model_input: np.ndarray | None = None
    latency_ms: float | None = None
    message: str = ""
    warn: bool = False
    buttons: tuple[Button, ...] = ()
    number: tuple[NumberDigit, ...] = ()
    strip: bool = False
    adaptation: str = ""


class Panel:
    """Draws `View`s onto the screen within a layout; fonts and labels are made once."""

    def __init__(self, screen: pygame.Surface, layout: Layout) -> None:
        self.screen, self.layout = screen, layout
        s = layout.scale
        font = pygame.font.Font
        self.fonts = {"huge": font(None, round(150 * s)), "big": font(None, round(34 * s)),
                      "text": font(None, round(24 * s)), "small": font(None, round(19 * s))}
        self._labels: dict[str, pygame.Surface] = {}
        self._rendered: dict[tuple, pygame.Surface] = {}
        # One label size for every button: the largest font in which the longest label fits.
        narrowest = min((r.w for r in layout.buttons), default=0) - 12
        longest = max(LABELS, key=lambda t: self.fonts["big"].size(t)[0])
        self._label_font = next((self.fonts[n] for n in ("big", "text")
                                 if self.fonts[n].size(longest)[0] <= narrowest),
                                self.fonts["small"])
        self._bases: dict[tuple[bool, bool, tuple[Button, ...]], pygame.Surface] = {}

    def draw(self, view: View) -> None:
        """Draws the whole panel for `view` (the canvas is not touched)."""
        L, f = self.layout, self.fonts
        lines = self._wrap(view.message, f["text"], L.status.w)
        fits = len(lines) * f["text"].get_linesize() <= L.status.h
        bars = fits and not view.strip and not view.number
        self.screen.blit(self._base(bool(view.number), bars, view.buttons), L.panel)
        self._text(view.model, f["text"], TEXT, L.header, align="left")
        if view.adaptation:  # right-aligned over the end of the header line
            note = f["small"].render(view.adaptation, True, ACCENT)
            where = note.get_rect(midright=L.header.midright)
            pygame.draw.rect(self.screen, BACKGROUND, where.inflate(8, 0))
            self.screen.blit(note, where)
        if view.number:
            self._number(view)
        else:
            self._result(view)
        if view.model_input is not None and not view.number:
            # What the model saw, 28×28, enlarged without smoothing so each pixel shows.
            small = gray_surface(view.model_input)
            self.screen.blit(pygame.transform.scale(small, L.thumb.size), L.thumb)
        colour = WARN if view.warn else MUTED
        if fits:
            if view.strip:
                self._strip()
            elif bars:
                self._bars(view)
            self._lines(lines, f["text"], colour, L.status)
        else:  # a long message (e.g. why a model failed) is shown in full, over the bars
            area = L.status.union(L.bars)
            pygame.draw.rect(self.screen, BACKGROUND, area)
            self._lines(lines, f["text"], colour, area)

    def _result(self, view: View) -> None:
        L, f, p = self.layout, self.fonts, view.prediction
        if p is None:
            self._text("?", f["huge"], MUTED, L.digit)
            return
        colour = MUTED if not view.settled else WARN if view.alternative is not None else ACCENT
        self._text(str(p.digit), f["huge"], colour, L.digit)
        line = f["big"].get_linesize()
        rows = [pygame.Rect(L.info.x, L.info.y + k * line, L.info.w, line) for k in range(4)]
        if view.alternative is not None:
            self._text(f"{p.digit} or {view.alternative}?", f["big"], WARN, rows[0], "left")
            self._text("unsure", f["small"], MUTED, rows[1], "left")
        else:
            self._text(f"{p.confidence:.1%}", f["big"], TEXT if view.settled else MUTED,
                       rows[0], "left")
            self._text("confidence" if view.settled else "so far", f["small"], MUTED,
                       rows[1], "left")
        if view.latency_ms is not None:
            self._text(f"{view.latency_ms:.1f} ms", f["big"], TEXT, rows[2].move(0, line // 3),
                       "left")
            self._text("latency", f["small"], MUTED, rows[3].move(0, line // 3), "left")

    def _number(self, view: View) -> None:
        """A number: the digits across the result row, each with its input and confidence."""
        L, f = self.layout, self.fonts
        row = L.digit.union(L.thumb)
        text = "".join(str(d.digit) for d in view.number)
        font = f["huge"] if f["huge"].size(text)[0] <= row.w - 16 else f["big"]
        self._text(text, font, ACCENT if view.settled else MUTED, row)
        if view.strip:  # the 0-9 strip takes the digits' columns' place
            return
        # Below, one column per digit: its 28×28 input and confidence; unsure ones in WARN.
        slot = L.bars.w / len(view.number)
        side = int(min(slot - 6, L.bars.h - 2 * f["small"].get_linesize()))
        for k, d in enumerate(view.number):
            x = L.bars.x + int(k * slot + (slot - side) / 2)
            if side >= 8:
                small = pygame.transform.scale(gray_surface(d.model_input), (side, side))
                self.screen.blit(small, (x, L.bars.y))
            unsure = d.alternative is not None
            label = f"{d.digit}/{d.alternative}?" if unsure else f"{d.confidence:.0%}"
            colour = WARN if unsure else TEXT if view.settled else MUTED
            line = f["small"].get_linesize()
            self._text(label, f["small"], colour, pygame.Rect(
                L.bars.x + int(k * slot), L.bars.y + side + 2, int(slot), line))

    def _strip(self) -> None:
        """The digits 0-9 as buttons: tap the one that was drawn."""
        for d, rect in enumerate(self.layout.strip):
            pygame.draw.rect(self.screen, (200, 140, 40), rect, border_radius=8)
            self._text(str(d), self.fonts["big"], TEXT, rect)

    def _bars(self, view: View) -> None:
        """The probabilities over the bars' grey backgrounds (part of the base)."""
        xs, top, bar_w, full_h = self._bar_geometry()
        p = view.prediction
        if p is None:
            return
        for d, (x, share) in enumerate(zip(xs, p.probabilities.tolist())):
            h = int(round(full_h * share))
            if h:
                best = d == p.digit and view.settled
                pygame.draw.rect(self.screen, ACCENT if best else MUTED,
                                 (x, top + full_h - h, bar_w, h), border_radius=3)

    def _bar_geometry(self) -> tuple[list[int], int, int, int]:
        """The bars' left edges, their top, width and full height, in screen pixels."""
        area, label_h = self.layout.bars, self.fonts["small"].get_linesize()
        top = area.y + label_h + 6  # room for the thumbnail's caption above
        slot = area.w / 10
        bar_w = max(4, int(slot * 0.6))
        xs = [area.x + int(d * slot + (slot - bar_w) / 2) for d in range(10)]
        return xs, top, bar_w, area.bottom - label_h - top

    def _base(self, number: bool, bars: bool, buttons: tuple[Button, ...]) -> pygame.Surface:
        """What the panel shows whatever the answer, drawn once per kind of view and state of
        the buttons: filling the panel afresh for every answer cost more than classifying on
        a 720×1280 screen, and drawing the six buttons a fifth of what was left."""
        key = (number, bars, buttons)
        base = self._bases.get(key)
        if base is not None:
            return base
        if len(self._bases) > 32:  # bounded: a held button, Live on or off
            self._bases.clear()
        L, f = self.layout, self.fonts
        base = pygame.Surface(L.panel.size)
        if pygame.display.get_surface() is not None:
            base = base.convert()
        origin = (-L.panel.x, -L.panel.y)  # screen coordinates onto the base
        base.fill(BACKGROUND)
        if number:
            pygame.draw.rect(base, PANEL, L.digit.union(L.thumb).move(origin), border_radius=8)
        else:
            pygame.draw.rect(base, PANEL, L.digit.move(origin), border_radius=8)
            pygame.draw.rect(base, PANEL, L.thumb.move(origin))
            caption = pygame.Rect(L.thumb.x, L.thumb.bottom, L.thumb.w, f["small"].get_linesize())
            self._text("model input", f["small"], MUTED, caption.move(origin), target=base)
        if bars:
            xs, top, bar_w, full_h = self._bar_geometry()
            label_h = f["small"].get_linesize()
            slot = L.bars.w / 10
            for d, x in enumerate(xs):
                pygame.draw.rect(base, BAR, pygame.Rect(x, top, bar_w, full_h).move(origin),
                                 border_radius=3)
                label = pygame.Rect(L.bars.x + int(d * slot), L.bars.bottom - label_h,
                                    int(slot), label_h)
                self._text(str(d), f["small"], TEXT, label.move(origin), target=base)
        # The buttons lie clear of everything else the panel draws (tests/test_app_layout.py).
        for rect, button in zip(L.buttons, buttons):
            colour = button.colour
            if button.held:  # lighter while a finger is on it
                colour = tuple(min(255, c + 50) for c in colour)
            pygame.draw.rect(base, colour, rect.move(origin), border_radius=10)
            label = self._label(button.label)
            base.blit(label, label.get_rect(center=rect.move(origin).center))
        self._bases[key] = base
        return base

    def _label(self, text: str) -> pygame.Surface:
        """A button label, rendered once."""
        if text not in self._labels:
            self._labels[text] = self._label_font.render(text, True, TEXT)
        return self._labels[text]

    @staticmethod
    def _wrap(text: str, font: pygame.font.Font, width: int) -> list[str]:
        """`text` broken into lines no wider than `width`, words kept whole where possible."""
        lines, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if font.size(trial)[0] <= width or not current:
                current = trial
            else:
                lines.append(current)
                current = word
        return lines + [current]

    def _lines(self, lines: list[str], font: pygame.font.Font, colour, rect: pygame.Rect) -> None:
        line_h = font.get_linesize()
        lines = lines[:max(1, rect.h // line_h)]
        top = rect.y + max(0, (rect.h - len(lines) * line_h) // 2)
        for k, line in enumerate(lines):
            self._text(line, font, colour, pygame.Rect(rect.x, top + k * line_h, rect.w, line_h),
                       "left")

    def _render(self, text: str, font: pygame.font.Font, colour) -> pygame.Surface:
        """`font.render`, remembered: most of the panel's texts are the same every time."""
        key = (text, id(font), colour)
        surface = self._rendered.get(key)
        if surface is None:
            if len(self._rendered) > 512:  # bounded: messages and figures change
                self._rendered.clear()
            surface = self._rendered[key] = font.render(text, True, colour)
        return surface

    def _text(self, text: str, font: pygame.font.Font, colour, rect: pygame.Rect,
              align: str = "center", target: pygame.Surface | None = None) -> None:
        surface = self._render(text, font, colour)
        if surface.get_width() > rect.w:  # shorten rather than spill over the neighbours
            while text and font.size(text + "…")[0] > rect.w:
                text = text[:-1]
            surface = self._render(text + "…", font, colour)
        where = (surface.get_rect(midleft=(rect.x, rect.centery)) if align == "left"
                 else surface.get_rect(center=rect.center))
        (target or self.screen).blit(surface, where)
