"""`digits-app`: draw a digit with a finger or the mouse and see it recognised at once."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edge_app.options import positive_int
from edge_app.errors import DigitsError, NothingDrawnError
from edge_app.manifest import DEFAULT_MODEL, load_manifest, resolve_model
from edge_app.preprocess import preprocess
from edge_app.runtime import RUNTIMES

# pygame is imported by main() and DigitApp, not here: `digits-app --help` and a missing SDL
# then give a clear message instead of a traceback at import.

BACKGROUND = (32, 34, 40)
PANEL = (44, 47, 56)
TEXT = (235, 235, 240)
MUTED = (150, 155, 170)
ACCENT = (90, 170, 255)
WARN = (255, 170, 80)
BAR = (70, 75, 90)
BUTTON_COLOURS = {"classify": (46, 125, 200), "clear": (190, 70, 70),
                  "model": (110, 90, 170), "save": (60, 150, 90)}
BUTTONS = (("classify", "Classify"), ("clear", "Clear"), ("model", "Model"), ("save", "Save"))
MIN_BUTTON = 48  # pixels: the smallest comfortable finger target
# Touch panels that report only touches and lifts send a tap per sample: a tap this soon after
# a lift, and this close to it, continues the stroke. A person lifting a finger to start a new
# stroke takes longer and lands farther away.
JOIN_SECONDS = 0.15
JOIN_WIDTHS = 3  # stroke widths


@dataclass
class Layout:
    """Where everything goes on a screen of a given size (pygame.Rect values)."""

    size: tuple[int, int]
    canvas: object
    header: object
    digit: object
    info: object
    thumb: object
    bars: object
    status: object
    buttons: dict = field(default_factory=dict)
    scale: float = 1.0  # font scale relative to the 800×480 design


def compute_layout(width: int, height: int) -> Layout:
    """Lays the canvas and result panel out for landscape or portrait screens.

    Landscape (the official 800×480 display, desktop windows): square canvas left, panel right.
    Portrait (e.g. 720×1280 panels): canvas on top, panel below.
    """
    from pygame import Rect

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

    wide = panel.width >= 1.2 * panel.height
    scale = max(0.6, min(panel.width / 308, panel.height / 456, 2.0))
    gap = max(4, round(6 * scale))
    rows = 1 if wide else 2
    cols = 4 if wide else 2
    button_h = max(MIN_BUTTON, round(56 * scale))
    buttons_top = panel.bottom - rows * button_h - (rows - 1) * gap
    button_w = (panel.width - (cols - 1) * gap) // cols
    buttons = {}
    for i, (name, _) in enumerate(BUTTONS):
        r, c = divmod(i, cols)
        buttons[name] = Rect(panel.x + c * (button_w + gap), buttons_top + r * (button_h + gap),
                             button_w, button_h)

    header = Rect(panel.x, panel.y, panel.width, round(28 * scale))
    status = Rect(panel.x, buttons_top - gap - round(24 * scale), panel.width, round(24 * scale))
    free_top, free_bottom = header.bottom + gap, status.top - gap
    result_h = min(round(130 * scale), (free_bottom - free_top) * 55 // 100)
    digit = Rect(panel.x, free_top, min(round(100 * scale), panel.width // 3), result_h)
    thumb_side = min(result_h, panel.width // 3)
    thumb = Rect(panel.right - thumb_side, free_top, thumb_side, thumb_side)
    info = Rect(digit.right + gap, free_top, thumb.left - digit.right - 2 * gap, result_h)
    bars = Rect(panel.x, digit.bottom + gap, panel.width, free_bottom - digit.bottom - gap)
    return Layout((width, height), canvas, header, digit, info, thumb, bars, status, buttons,
                  scale)


@dataclass
class ModelSlot:
    """One entry of the Model button's cycle: loaded on first use, or broken with a reason."""

    name: str
    classifier: object = None
    error: str | None = None


class DigitApp:
    """The app's state and behaviour, separate from the window so tests can drive it."""

    def __init__(self, screen, *, model: str = DEFAULT_MODEL, models_dir: Path | None = None,
                 threads: int = 1, runtime: str | None = None, live: bool = True,
                 save_dir: Path | None = None, rotation=None, clock=time.monotonic) -> None:
        """
        Args:
            screen: the surface to draw on, upright (for a rotated panel, an off-screen
                surface that `rotation.present` turns onto the panel).
            rotation: a `Rotation` mapping panel coordinates to `screen`'s; None: upright.
            clock: seconds, monotonic; tests pass a fake one.
            Others: as the command-line options of the same names.
        """
        import pygame

        from edge_app.app.canvas import Canvas
        from edge_app.app.store import SaveStore, default_save_dir
        from edge_app.rotation import Rotation

        self.pygame = pygame
        self.screen = screen
        self.rotation = rotation or Rotation(0, screen.get_size())
        self.clock = clock
        self.layout = compute_layout(*screen.get_size())
        self.canvas = Canvas(self.layout.canvas.size)
        self.store = SaveStore(save_dir or default_save_dir())
        self.live = live
        self.threads, self.runtime_choice, self.models_dir = threads, runtime, models_dir
        self.running = True
        self.prediction = None
        self._predicted_version = -1  # the canvas version the prediction belongs to
        self.model_input: np.ndarray | None = None
        self.latency_ms: float | None = None
        self.message, self.message_colour = "Draw a digit", MUTED
        self.last_saved: tuple[Path, Path] | None = None
        self._finger: int | None = None  # the one finger that draws; others are ignored
        self._last_lift: tuple[float, tuple[float, float]] | None = None  # (time, point)
        self._classify_due: float | None = None
        self._full_redraw = True

        self.slots = self._model_slots(model)
        self.current = 0
        self._activate(0)
        self._make_fonts()
        self._warm_up_preprocessing()

    def _warm_up_preprocessing(self) -> None:
        """Runs preprocessing once at start-up so the first answer is as fast as the rest."""
        scratch = self.canvas.pixels().copy()
        scratch[scratch.shape[0] // 3:scratch.shape[0] * 2 // 3, scratch.shape[1] // 2] = 0
        preprocess(scratch)

    # --- models -----------------------------------------------------------------------------

    def _model_slots(self, model: str) -> list[ModelSlot]:
        try:
            names = list(load_manifest(self.models_dir).models)
        except DigitsError as exc:
            names, self.message, self.message_colour = [], str(exc), WARN
        try:
            chosen = resolve_model(model, self.models_dir)
        except DigitsError as exc:
            return [ModelSlot(model, error=str(exc))] + [ModelSlot(n) for n in names]
        # Start the cycle at the chosen model; a path outside the manifest joins the cycle.
        name = chosen.stem
        if name in names and not (os.sep in str(model) or str(model).endswith(".tflite")):
            start = names.index(name)
            return [ModelSlot(n) for n in names[start:] + names[:start]]
        return [ModelSlot(str(chosen))] + [ModelSlot(n) for n in names]

    def _load(self, slot: ModelSlot):
        from edge_app.classifier import ClassifierOptions, DigitClassifier

        if slot.classifier is None and slot.error is None:
            try:
                slot.classifier = DigitClassifier(ClassifierOptions(
                    model=slot.name, models_dir=self.models_dir, runtime=self.runtime_choice,
                    num_threads=self.threads))
                slot.classifier.warm_up()
            except DigitsError as exc:
                slot.error = str(exc)
        return slot.classifier

    def _activate(self, start: int) -> None:
        """Makes the first loadable model from slot `start` onwards the current one."""
        problems = []
        for k in range(len(self.slots)):
            i = (start + k) % len(self.slots)
            if self._load(self.slots[i]) is not None:
                self.current = i
                if problems:
                    self.notify(f"Skipped: {problems[0]}", WARN)
                return
            problems.append(self.slots[i].error)
        self.current = start % max(1, len(self.slots))
        self.notify(problems[0] if problems else "no models found", WARN)

    @property
    def classifier(self):
        return self.slots[self.current].classifier if self.slots else None

    @property
    def model_name(self) -> str:
        c = self.classifier
        return c.name if c is not None else "no model"

    # --- actions ----------------------------------------------------------------------------

    def notify(self, text: str, colour=MUTED) -> None:
        self.message, self.message_colour = text, colour
        self._full_redraw = True

    def classify(self) -> None:
        """Preprocesses the drawing and shows what the current model makes of it."""
        if self.classifier is None:
            self.notify("No usable model: see the message above", WARN)
            return
        if self.canvas.blank:
            self.notify("Draw a digit first")
            return
        started = time.perf_counter()
        try:
            self.model_input = preprocess(self.canvas.pixels())
            self.prediction = self.classifier.predict(self.model_input)
        except NothingDrawnError:
            self.prediction = None
            self.notify("Nothing drawn", WARN)
            return
        self.latency_ms = (time.perf_counter() - started) * 1000
        self._predicted_version = self.canvas.version
        self.notify(f"{self.prediction.digit} with {self.prediction.confidence:.0%} confidence")

    def clear(self) -> None:
        self.canvas.clear()
        self._last_lift = self._classify_due = None
        self.prediction = None
        self.model_input = None
        self.latency_ms = None
        self.notify("Draw a digit")

    def next_model(self) -> None:
        """Switches to the next model and, if something is drawn, re-classifies it with it."""
        if len(self.slots) < 2:
            self.notify("Only one model available", WARN)
            return
        self._activate(self.current + 1)
        if self.classifier is not None and not self.canvas.blank:
            self.classify()
        elif self.classifier is not None:
            self.notify(f"Model: {self.model_name}")

    def save(self) -> None:
        """Saves the drawing and the 28×28 input, named after the prediction and the time."""
        if self.canvas.blank:
            self.notify("Nothing to save", WARN)
            return
        if self.prediction is None or self._predicted_version != self.canvas.version:
            self.classify()  # the name and the 28×28 file must match the drawing saved
        if self.prediction is None:
            return
        try:
            self.last_saved = self.store.save(self.canvas.surface, self.model_input,
                                              self.prediction.digit, self.model_name)
        except OSError as exc:
            self.notify(f"Not saved: {exc.strerror or exc}", WARN)
            return
        self.notify(f"Saved to {_home_relative(self.store.folder)}")

    def quit(self) -> None:
        self.running = False

    # --- events -----------------------------------------------------------------------------

    def handle(self, event) -> None:
        """Applies one pygame event."""
        pg = self.pygame
        kind = event.type
        if kind == pg.QUIT:
            self.quit()
        elif kind == pg.KEYDOWN:
            self._key(event.key)
        elif kind in (pg.FINGERDOWN, pg.FINGERMOTION, pg.FINGERUP):
            w, h = self.rotation.physical_size
            # Touch coordinates are fractions of the (physical) window.
            pos = self.rotation.to_logical((event.x * w, event.y * h))
            self._pointer(kind, event.finger_id, pos, down=pg.FINGERDOWN, motion=pg.FINGERMOTION)
        elif kind in (pg.MOUSEBUTTONDOWN, pg.MOUSEMOTION, pg.MOUSEBUTTONUP):
            if getattr(event, "touch", False):
                return  # SDL's mouse copy of a touch: the FINGER event already handled it
            if kind != pg.MOUSEMOTION and event.button != 1:
                return
            if kind == pg.MOUSEMOTION and not event.buttons[0]:
                return
            self._pointer(kind, "mouse", self.rotation.to_logical(event.pos),
                          down=pg.MOUSEBUTTONDOWN, motion=pg.MOUSEMOTION)
        elif kind == pg.WINDOWEXPOSED:
            self._full_redraw = True

    def _key(self, key) -> None:
        pg = self.pygame
        actions = {pg.K_c: self.clear, pg.K_SPACE: self.classify, pg.K_RETURN: self.classify,
                   pg.K_KP_ENTER: self.classify, pg.K_m: self.next_model, pg.K_s: self.save,
                   pg.K_ESCAPE: self.quit, pg.K_q: self.quit}
        if key in actions:
            actions[key]()

    def _pointer(self, kind, pointer, pos, *, down, motion) -> None:
        canvas = self.layout.canvas
        local = (pos[0] - canvas.x, pos[1] - canvas.y)
        touch = pointer != "mouse"
        if kind == down:
            if self._finger is not None:
                return  # a second finger while one draws: ignore it
            if canvas.collidepoint(pos):
                self._finger = pointer
                self._classify_due = None
                if touch and self._continues_last_stroke(local):
                    self.canvas.resume(local)
                else:
                    self.canvas.begin(local)
                return
            for name, rect in self.layout.buttons.items():
                if rect.collidepoint(pos):
                    getattr(self, {"model": "next_model"}.get(name, name))()
                    return
        elif pointer != self._finger:
            return
        elif kind == motion:
            self.canvas.extend(local)
        else:  # up
            self.canvas.end(local)
            self._finger = None
            if touch:
                # Wait a moment: on a panel without motion events the next tap may continue it.
                self._last_lift = (self.clock(), local)
                if self.live:
                    self._classify_due = self.clock() + JOIN_SECONDS
            elif self.live:
                self.classify()

    def _continues_last_stroke(self, local) -> bool:
        if self._last_lift is None or self.canvas.blank:
            return False
        lifted_at, (x, y) = self._last_lift
        near = ((local[0] - x) ** 2 + (local[1] - y) ** 2) ** 0.5 <= JOIN_WIDTHS * self.canvas.brush
        return near and self.clock() - lifted_at <= JOIN_SECONDS

    def update(self) -> None:
        """Runs what is due: the live classification after a touch stroke ends."""
        if self._classify_due is not None and self.clock() >= self._classify_due:
            self._classify_due = None
            self.classify()

    # --- drawing ----------------------------------------------------------------------------

    def _make_fonts(self) -> None:
        font = self.pygame.font.Font
        s = self.layout.scale
        self.fonts = {"huge": font(None, round(150 * s)), "big": font(None, round(34 * s)),
                      "text": font(None, round(24 * s)), "small": font(None, round(19 * s))}
        self._button_labels = {name: self.fonts["big"].render(label, True, TEXT)
                               for name, label in BUTTONS}

    def draw(self) -> list:
        """Draws what changed; returns the screen areas to update."""
        rects = []
        canvas_rect = self.layout.canvas
        if self._full_redraw:
            self.screen.fill(BACKGROUND)
            self.canvas.take_dirty()
            self.screen.blit(self.canvas.surface, canvas_rect)
            self._draw_panel()
            self._full_redraw = False
            return [self.screen.get_rect()]
        for r in self.canvas.take_dirty():
            r = r.clip(self.canvas.surface.get_rect())
            self.screen.blit(self.canvas.surface, r.move(canvas_rect.topleft), r)
            rects.append(r.move(canvas_rect.topleft))
        return rects

    def _draw_panel(self) -> None:
        pg, L, f = self.pygame, self.layout, self.fonts
        screen = self.screen
        model = self.model_name + (f" ({self.classifier.runtime})" if self.classifier else "")
        self._text(f"Model: {model}", f["text"], TEXT, L.header, align="left")

        pg.draw.rect(screen, PANEL, L.digit, border_radius=8)
        pg.draw.rect(screen, PANEL, L.thumb)
        if self.prediction is not None:
            self._text(str(self.prediction.digit), f["huge"], ACCENT, L.digit)
            line = f["big"].get_linesize()
            self._text(f"{self.prediction.confidence:.1%}", f["big"], TEXT,
                       pg.Rect(L.info.x, L.info.y, L.info.w, line), align="left")
            self._text("confidence", f["small"], MUTED,
                       pg.Rect(L.info.x, L.info.y + line, L.info.w, line), align="left")
            self._text(f"{self.latency_ms:.1f} ms", f["big"], TEXT,
                       pg.Rect(L.info.x, L.info.y + 2.3 * line, L.info.w, line), align="left")
            self._text("latency", f["small"], MUTED,
                       pg.Rect(L.info.x, L.info.y + 3.3 * line, L.info.w, line), align="left")
        else:
            self._text("?", f["huge"], MUTED, L.digit)
        if self.model_input is not None:
            # What the model saw, 28×28, enlarged without smoothing so each pixel shows.
            pixels = np.repeat((self.model_input.T * 255).astype(np.uint8)[..., None], 3, axis=2)
            small = pg.surfarray.make_surface(pixels)
            screen.blit(pg.transform.scale(small, L.thumb.size), L.thumb)
        self._text("model input", f["small"], MUTED,
                   pg.Rect(L.thumb.x, L.thumb.bottom, L.thumb.w, f["small"].get_linesize()))

        self._draw_bars()
        self._text(self.message, f["text"], self.message_colour, L.status, align="left")
        for name, rect in L.buttons.items():
            pg.draw.rect(screen, BUTTON_COLOURS[name], rect, border_radius=10)
            label = self._button_labels[name]
            screen.blit(label, label.get_rect(center=rect.center))

    def _draw_bars(self) -> None:
        pg, L, f = self.pygame, self.layout, self.fonts
        area = L.bars
        label_h = f["small"].get_linesize()
        top = area.y + label_h + 6  # room for the thumbnail's caption above
        slot = area.w / 10
        bar_w = max(4, int(slot * 0.6))
        full_h = area.bottom - label_h - top
        probabilities = self.prediction.probabilities if self.prediction else np.zeros(10)
        for d in range(10):
            x = area.x + int(d * slot + (slot - bar_w) / 2)
            pg.draw.rect(self.screen, BAR, (x, top, bar_w, full_h), border_radius=3)
            h = int(round(full_h * float(probabilities[d])))
            if h:
                colour = ACCENT if self.prediction and d == self.prediction.digit else MUTED
                pg.draw.rect(self.screen, colour, (x, top + full_h - h, bar_w, h),
                             border_radius=3)
            self._text(str(d), f["small"], TEXT,
                       pg.Rect(area.x + int(d * slot), area.bottom - label_h, int(slot), label_h))

    def _text(self, text: str, font, colour, rect, align: str = "center") -> None:
        surface = font.render(text, True, colour)
        if surface.get_width() > rect.w:  # shorten rather than spill over the neighbours
            while text and font.size(text + "…")[0] > rect.w:
                text = text[:-1]
            surface = font.render(text + "…", True, colour)
        where = (surface.get_rect(midleft=(rect.x, rect.centery)) if align == "left"
                 else surface.get_rect(center=rect.center))
        self.screen.blit(surface, where)


def _home_relative(path: Path) -> str:
    """`path` with the home folder shown as ~, as people read it."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


def parse_size(text: str) -> tuple[int, int]:
    """argparse type: WIDTHxHEIGHT in pixels."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 800x480, got {text!r}")
    if w < 320 or h < 240 or w > 10000 or h > 10000:
        raise argparse.ArgumentTypeError(f"{text}: at least 320x240 and at most 10000x10000")
    return w, h


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digits-app",
        description="Draw a digit with a finger or the mouse and see it recognised. "
                    "Keys: c clear, space/enter classify, m next model, s save, esc/q quit.")
    parser.add_argument("-f", "--fullscreen", action="store_true",
                        help="fill the screen (the default on a console without a desktop)")
    parser.add_argument("--size", type=parse_size, default=(800, 480),
                        help="window size WIDTHxHEIGHT (default 800x480, the official Pi display)")
    parser.add_argument("-m", "--model", default=DEFAULT_MODEL,
                        help=f"model to start with: manifest name or .tflite path ({DEFAULT_MODEL})")
    parser.add_argument("--models_dir", "--models-dir", type=Path, default=None,
                        help="folder with the models and manifest.json (default: shipped models)")
    parser.add_argument("-t", "--threads", type=positive_int, default=1,
                        help="interpreter threads (default 1)")
    parser.add_argument("-r", "--runtime", choices=tuple(RUNTIMES), default=None,
                        help="TFLite runtime (default: the first installed)")
    parser.add_argument("--fps", type=positive_int, default=60, help="frame-rate cap (default 60)")
    parser.add_argument("--live", action=argparse.BooleanOptionalAction, default=True,
                        help="classify whenever a stroke ends (default on)")
    parser.add_argument("--rotate", type=int, choices=(0, 90, 180, 270), default=0,
                        help="turn the picture clockwise on the panel, touch included "
                             "(e.g. 90 for a landscape panel mounted upright)")
    parser.add_argument("--cursor", action=argparse.BooleanOptionalAction, default=None,
                        help="show the mouse pointer (default: hidden in fullscreen)")
    parser.add_argument("--save_dir", "--save-dir", type=Path, default=None,
                        help="where Save writes drawings (default ~/.local/share/digits-edge/"
                             "drawings)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point: init → load → loop (events → update → draw)."""
    args = parse_args(argv)
    try:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame
    except ImportError:
        print("digits-app: pygame is not installed: pip install pygame-ce (or: make run)",
              file=sys.stderr)
        return 2

    # --- init ---
    try:
        pygame.display.init()
        pygame.font.init()
        flags = pygame.FULLSCREEN if args.fullscreen else 0
        size = (0, 0) if args.fullscreen else args.size
        screen = pygame.display.set_mode(size, flags)
    except pygame.error as exc:
        print(f"digits-app: cannot open a window ({exc}); on a Pi console try "
              "SDL_VIDEODRIVER=kmsdrm, on a desktop check DISPLAY", file=sys.stderr)
        return 2
    pygame.display.set_caption("Digits")
    # Hiding the pointer only stops SDL drawing it; touches still arrive.
    pygame.mouse.set_visible(not args.fullscreen if args.cursor is None else args.cursor)
    # SIGTERM (systemd stop, kill) ends the loop like closing the window.
    signal.signal(signal.SIGTERM, lambda *_: pygame.event.post(pygame.event.Event(pygame.QUIT)))

    from edge_app.rotation import Rotation

    rotation = Rotation(args.rotate, screen.get_size())
    # A rotated panel gets an upright off-screen surface that is turned onto it each frame.
    upright = screen if args.rotate == 0 else pygame.Surface(rotation.logical_size)

    # --- load ---
    app = DigitApp(upright, model=args.model, models_dir=args.models_dir, threads=args.threads,
                   runtime=args.runtime, live=args.live, save_dir=args.save_dir,
                   rotation=rotation)
    clock = pygame.time.Clock()

    # --- loop: events → update → draw ---
    try:
        while app.running:
            for event in pygame.event.get():
                app.handle(event)
            app.update()
            rects = app.draw()
            if rects and args.rotate:
                rotation.present(upright, screen)
                pygame.display.flip()
            elif rects:
                pygame.display.update(rects)
            clock.tick(args.fps)
    except KeyboardInterrupt:
        pass
    finally:
        pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
