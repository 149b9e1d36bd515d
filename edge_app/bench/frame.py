"""The app's frame, headless: stroke end → answer on screen, and the frame while drawing."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from edge_app.bench import sample
from edge_app.bench.stats import summarize
from edge_app.errors import DigitsError

LAYOUTS = ((800, 480), (720, 1280))  # pixels: the official Pi display, a portrait panel
FRAME_S = 1 / 60  # seconds of fake time per frame: the app's 60 fps loop
EVENTS_PER_FRAME = 2  # motion events per frame: a 125 Hz pointer at 60 fps
ANSWER_WINDOW_S = 1.5  # seconds of fake time after a stroke ends: longer than any pause the
# app waits (tap joining, settling) before and after its answer


class FakeClock:
    """Monotonic seconds that move only when told to: the app waits without anyone sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def bench_frame(model: str, runtime: str | None, threads: int, size: tuple[int, int],
                stroke_ends: int, warmup: int, models_dir: Path | None = None) -> dict[str, object]:
    """Drives the real app with touch events for a drawn digit, over and over, and times it.

    Args:
        model, runtime, threads, models_dir: as for the app.
        size: the screen (width, height) in pixels; the app lays itself out for it.
        stroke_ends: stroke ends to time (the digit has two strokes; the app answers after each).
        warmup: stroke ends drawn untimed first.

    Returns:
        A record: model, runtime, threads, screen and canvas size; `answer_ms` (stroke end →
        the frame with the answer ready: the classification and the panel redraw),
        `classify_ms` and `redraw_ms` (its two parts), `drawing_frame_ms` (a frame while the
        finger moves: events, update, draw), each as `stats.summarize` statistics;
        `redraw_per_classify`, the ratio of the parts' medians (at most 1 is the goal); `pause_s`,
        the fake time the app waited before answering; and how many stroke ends it answered.

    Raises:
        DigitsError: pygame is missing, or the app showed no answer after a stroke ended.
    """
    clock = FakeClock()
    with headless_pygame() as pygame, \
            tempfile.TemporaryDirectory(prefix="digits-bench-") as save_dir:
        from edge_app.app.controller import DigitApp

        app = DigitApp(pygame.Surface(size), model=model, models_dir=models_dir,
                       threads=threads, runtime=runtime, live=True, save_dir=Path(save_dir),
                       rotation=None, clock=clock)
        driver = _Driver(pygame, app, clock, warmup)
        driver.frame()
        while driver.stroke_ends < stroke_ends:
            driver.draw_digit()
    canvas = app.layout.canvas
    if not driver.answers:
        raise DigitsError(f"the app ({size[0]}x{size[1]}) showed no answer after a stroke ended")
    answers = np.asarray(driver.answers)  # (n, 3): classify s, redraw s, pause s
    return {
        "model": model, "runtime": runtime, "threads": threads, "screen": list(size),
        "canvas": [canvas.width, canvas.height],
        "answer_ms": summarize(answers[:, 0] + answers[:, 1]),
        "classify_ms": summarize(answers[:, 0]), "redraw_ms": summarize(answers[:, 1]),
        "drawing_frame_ms": summarize(driver.frames),
        "redraw_per_classify": float(np.median(answers[:, 1]) / np.median(answers[:, 0])),
        "pause_s": float(np.median(answers[:, 2])),
        "stroke_ends": driver.stroke_ends, "answered": len(driver.answers),
    }


@contextlib.contextmanager
def headless_pygame() -> Iterator[Any]:
    """pygame with fonts and a display that shows nothing (SDL's dummy driver).

    What this starts, it stops again on the way out, so that the process (a test run, a
    tool) finds pygame as it was.

    Yields:
        The pygame module.

    Raises:
        DigitsError: pygame is not installed.
    """
    try:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame
    except ImportError:
        raise DigitsError("the app's frame needs pygame: pip install pygame-ce") from None
    started_display = not pygame.display.get_init()
    started_font = not pygame.font.get_init()
    if started_display:
        saved = os.environ.get("SDL_VIDEODRIVER")
        os.environ["SDL_VIDEODRIVER"] = "dummy"  # headless, whatever the session has
        try:
            pygame.display.init()
        finally:
            if saved is None:
                del os.environ["SDL_VIDEODRIVER"]
            else:
                os.environ["SDL_VIDEODRIVER"] = saved
    pygame.font.init()
    try:
        yield pygame
    finally:
        if started_font:
            pygame.font.quit()
        if started_display:
            pygame.display.quit()


class _Driver:
    """Plays a person drawing on the app, frame by frame, and keeps the times."""

    def __init__(self, pygame, app, clock: FakeClock, warmup: int) -> None:
        self.pg, self.app, self.clock = pygame, app, clock
        self.canvas = app.layout.canvas
        self.warmup = warmup  # stroke ends (and the frames before them) left untimed
        self.frames: list[float] = []  # seconds per frame while drawing
        self.answers: list[tuple[float, float, float]] = []  # classify s, redraw s, pause s
        self.stroke_ends = 0  # timed ones

    @property
    def timed(self) -> bool:
        return self.warmup <= 0

    def frame(self, events: tuple = ()) -> tuple[float, float, bool | None]:
        """One turn of the app's loop: events, update, draw.

        Returns:
            Seconds in events and update, seconds in draw, and whether the frame reached
            outside the canvas (the panel was redrawn); None when it drew nothing at all.
        """
        clock = time.perf_counter
        started = clock()
        for event in events:
            self.app.handle(event)
        self.app.update()
        drawn = clock()
        rects = self.app.draw()
        done = clock()
        if not rects and not events:
            return drawn - started, done - drawn, None
        return drawn - started, done - drawn, any(not self.canvas.contains(r) for r in rects)

    def draw_digit(self) -> None:
        """Clears the canvas, then draws the sample digit stroke by stroke."""
        self.clock.advance(ANSWER_WINDOW_S)
        self.frame((self._key(self.pg.K_c),))
        side = self.canvas.width
        for path in sample.pointer_paths(side):
            points = path + np.asarray(self.canvas.topleft, np.float32)
            self.clock.advance(FRAME_S)
            events = [self._finger(self.pg.FINGERDOWN, points[0])]
            for start in range(1, len(points), EVENTS_PER_FRAME):
                events += [self._finger(self.pg.FINGERMOTION, p)
                           for p in points[start:start + EVENTS_PER_FRAME]]
                work, draw, _ = self.frame(events)
                if self.timed:
                    self.frames.append(work + draw)
                self.clock.advance(FRAME_S)
                events = []
            self._stroke_end(self._finger(self.pg.FINGERUP, points[-1]))

    def _stroke_end(self, up) -> None:
        """Lifts the finger and runs frames until the panel shows the answer."""
        lifted = self.clock()
        before = 0.0  # seconds of work before the answer frame's draw
        events = (up,)
        while self.clock() - lifted <= ANSWER_WINDOW_S:
            work, draw, panel = self.frame(events)
            events = ()
            if panel:
                # The lift's frame (the last segment) and the update that classifies count as
                # the classification part: they are part of the wait all the same.
                if self.timed:
                    self.answers.append((before + work, draw, self.clock() - lifted))
                break
            if panel is not None:  # idle frames while the app waits are not its answer's work
                before += work + draw
            self.clock.advance(FRAME_S)
        if self.timed:
            self.stroke_ends += 1
        self.warmup -= 1
        # Let whatever the app does after the answer (settling) happen, untimed.
        settle_until = lifted + ANSWER_WINDOW_S
        while self.clock() < settle_until:
            self.clock.advance(0.1)
            self.frame()

    def _finger(self, kind: int, point: np.ndarray):
        w, h = self.app.screen.get_size()
        return self.pg.event.Event(kind, touch_id=0, finger_id=0, x=float(point[0]) / w,
                                   y=float(point[1]) / h, dx=0.0, dy=0.0, pressure=1.0)

    def _key(self, key: int):
        return self.pg.event.Event(self.pg.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
