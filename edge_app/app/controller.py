"""The app's state and actions: events in, a view out; separate from the window for testing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np
import pygame

from edge_app.app import actions
from edge_app.app.answer import SETTLE_SECONDS, Answer, Recognizer
from edge_app.app.canvas import Canvas
from edge_app.app.commands import Commands
from edge_app.app.events import pointer_event
from edge_app.app.layout import compute_layout
from edge_app.app.models import ModelCycle
from edge_app.app.panel import BACKGROUND, Button, NumberDigit, Panel, View
from edge_app.app.pointer import JOIN_SECONDS, Intent, PointerTracker, Regions
from edge_app.app.store import default_save_dir
from edge_app.manifest import DEFAULT_MODEL
from edge_app.rotation import Rotation

__all__ = ["DigitApp", "SETTLE_SECONDS"]

class DigitApp(Commands):
    """Everything the app does, driven by pygame events and a clock, drawn on a surface.

    Args:
        screen: the surface to draw on, upright (for a rotated panel, an off-screen surface
            that `Rotation.present` turns onto the panel).
        model, models_dir, threads, runtime, live, save_dir: as the command-line options.
        rotation: maps panel coordinates to `screen`'s; None: upright.
        clock: monotonic seconds; tests pass a fake one.
    """

    def __init__(self, screen: pygame.Surface, *, model: str = DEFAULT_MODEL,
                 models_dir: Path | None = None, threads: int = 1, runtime: str | None = None,
                 live: bool = True, save_dir: Path | None = None,
                 rotation: Rotation | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.screen = screen
        self.rotation = rotation or Rotation(0, screen.get_size())
        self.clock = clock
        self.layout = compute_layout(*screen.get_size())
        self.canvas = Canvas(self.layout.canvas.size)
        # Button targets: the row's slots, then the correction strip's digits 0-9.
        targets = tuple(tuple(r) for r in self.layout.buttons + self.layout.strip)
        self.pointer = PointerTracker(
            Regions(tuple(self.layout.canvas), targets, tuple(self.layout.header)),
            self.canvas.brush, clock)
        self.panel = Panel(screen, self.layout)
        self.save_dir = save_dir or default_save_dir()
        self.models = ModelCycle(model, models_dir, runtime, threads)
        self.recognizer = Recognizer(self.models, self.save_dir)
        self.keys = actions.key_table(pygame.key.key_code)
        self.live = live
        self.running = True
        self.menu_open = False
        self.correcting = False  # the 0-9 strip is shown
        self._one_digit: int | None = None  # the canvas version the person said is one digit
        self.answer = Answer()
        self._cleared: list[np.ndarray] = []  # what Clear wiped, for Undo
        self._classify_due: float | None = None
        self._settle_due: float | None = None
        self._held: int | None = None
        self._full_redraw = True  # the whole screen: at start and when the window was hidden
        self._panel_dirty = False  # the panel only: whenever what it shows changes
        self.message, self.warn = "Draw a digit", False
        problems = self.models.problems + [p for p in [self.recognizer.problem] if p]
        if problems:
            self.notify("; ".join(problems), warn=True)
        self._warm_up()

    def _warm_up(self) -> None:
        """One answer at start-up, so that a person's first one is as fast as the rest."""
        scratch = Canvas(self.canvas.size)
        w, h = scratch.size
        scratch.begin((w * 0.3, h * 0.2))  # a crossed 7: two strokes, so grouping runs too
        scratch.extend((w * 0.7, h * 0.2))
        scratch.end((w * 0.45, h * 0.8))
        scratch.begin((w * 0.35, h * 0.5))
        scratch.end((w * 0.65, h * 0.5))
        if self.classifier is not None:
            self.recognizer.answer(scratch, settled=True)

    # --- state --------------------------------------------------------------------------

    @property
    def classifier(self):
        return self.models.classifier

    @property
    def model_name(self) -> str:
        return self.models.name

    @property
    def prediction(self):
        return self.answer.prediction

    @property
    def model_input(self) -> np.ndarray | None:
        return self.answer.model_input

    @property
    def latency_ms(self) -> float | None:
        return self.answer.latency_ms

    def notify(self, text: str, warn: bool = False) -> None:
        self.message, self.warn = text, warn
        self._panel_dirty = True

    def view(self) -> View:
        """The frozen state the panel draws."""
        row = actions.MENU if self.menu_open else actions.MAIN
        buttons = tuple(Button(self._label(a), a.colour, held=i == self._held)
                        for i, a in enumerate(row))
        model = self.model_name + (f" ({self.classifier.runtime})" if self.classifier else "")
        a = self.answer
        settled = a.settled and a.current_for(self.canvas)
        alternative = _runner_up(a.prediction) if a.prediction is not None and settled else None
        number = tuple(NumberDigit(d.prediction.digit, d.prediction.confidence,
                                   _runner_up(d.prediction), d.model_input)
                       for d in a.digits) if a.number else ()
        return View(model, a.prediction, settled, alternative, a.model_input, a.latency_ms,
                    self.message, self.warn, buttons, number, self.correcting,
                    self._adaptation_note())

    def _adaptation_note(self) -> str:
        """The header's note: only when corrections are in use, or switched off."""
        adapter = self.recognizer.adapter
        if adapter is None or (adapter.enabled and not adapter.count):
            return ""
        return adapter.describe()

    def _label(self, action: actions.Action) -> str:
        if action.name == "toggle_live":
            return f"Live: {'on' if self.live else 'off'}"
        if action.name == "toggle_adaptation":
            adapter = self.recognizer.adapter
            return f"Adapt: {'on' if adapter is not None and adapter.enabled else 'off'}"
        if action.name == "correct" and self.correcting:
            return "Cancel"
        return action.label

    # --- events -------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> None:
        """Applies one pygame event."""
        kind = event.type
        if kind == pygame.QUIT:
            self.quit()
        elif kind == pygame.KEYDOWN:
            text = getattr(event, "unicode", "")
            if self.correcting and len(text) == 1 and text.isdigit():
                self.label_as(int(text))
                return
            action = self.keys.get(event.key)
            if action is not None:
                getattr(self, action.name)()
        elif kind == pygame.WINDOWEXPOSED:
            self._full_redraw = True
        else:
            pointer = pointer_event(event, self.rotation)
            if pointer is not None:
                self._apply(self.pointer.handle(*pointer))

    def _apply(self, intents: list[Intent]) -> None:
        for intent in intents:
            verb = intent.verb
            if verb in ("begin", "resume"):
                a = self.answer
                if a.digits and a.settled and a.current_for(self.canvas):
                    self._panel_dirty = True  # the answer shown becomes stale: mute it
                self._cleared = []
                self._classify_due = self._settle_due = None
                self.correcting = False
                if verb == "begin":
                    self.canvas.begin(intent.point)
                else:
                    self.canvas.resume(intent.point)
            elif verb == "extend":
                self.canvas.extend(intent.point)
            elif verb == "end":
                self.canvas.end(intent.point)
                self._stroke_ended(intent.touch)
            elif verb in ("press", "release", "activate"):
                self._held = intent.target if verb == "press" else None
                self._panel_dirty = True
                if verb == "activate":
                    self._activate(intent.target)
            elif verb == "long_press":
                self.open_menu()

    def _activate(self, target: int) -> None:
        row = actions.MENU if self.menu_open else actions.MAIN
        if target < len(row):
            getattr(self, row[target].name)()
        elif target >= actions.ROW_SIZE and self.correcting:
            self.label_as(target - actions.ROW_SIZE)

    def _stroke_ended(self, touch: bool) -> None:
        if not self.live:
            self.notify("Press Classify for the answer" if not self.answer.digits
                        else "Drawing changed: press Classify")
        elif touch:
            # Wait a moment: on a panel without motion events the next tap may continue it.
            self._classify_due = self.clock() + JOIN_SECONDS
        else:
            self._answer(settled=False)

    def update(self) -> None:
        """Runs what is due: the answer after a touch stroke, settling it, a long press."""
        self._apply(self.pointer.update())
        now = self.clock()
        if self._classify_due is not None and now >= self._classify_due:
            self._answer(settled=False)
        if self._settle_due is not None and now >= self._settle_due and not self.pointer.drawing:
            self._settle_due = None
            if self.answer.current_for(self.canvas) and self.answer.digits:
                self.answer.settled = True
                self.notify(self.answer.describe())

    # --- drawing ------------------------------------------------------------------------

    def draw(self) -> list[pygame.Rect]:
        """Draws what changed; returns the screen areas to update."""
        canvas_rect = self.layout.canvas
        if self._full_redraw:
            self._full_redraw = self._panel_dirty = False
            self.screen.fill(BACKGROUND)
            self.canvas.take_dirty()
            self.screen.blit(self.canvas.surface, canvas_rect)
            self.panel.draw(self.view())
            return [self.screen.get_rect()]
        rects = []
        for r in self.canvas.take_dirty():
            self.screen.blit(self.canvas.surface, r.move(canvas_rect.topleft), r)
            rects.append(r.move(canvas_rect.topleft))
        if self._panel_dirty:
            self._panel_dirty = False
            self.panel.draw(self.view())
            rects.append(self.layout.panel)
        return rects


def _runner_up(prediction) -> int | None:
    """The close second digit of a "1 or 7?" answer, else None."""
    pair = prediction.close_call()
    return pair[1] if pair is not None else None
