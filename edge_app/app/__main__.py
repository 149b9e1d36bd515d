"""`digits-app` from the command line: options, then init → load → loop (events → update → draw)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from edge_app.options import add_model_options, positive_int

# pygame is imported by main(), not here: `digits-app --help` and a missing SDL then give a
# clear message instead of a traceback at import.

def parse_size(text: str) -> tuple[int, int]:
    """argparse type: WIDTHxHEIGHT in pixels."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT such as 800x480, got {text!r}") from None
    if w < 320 or h < 240 or w > 10000 or h > 10000:
        raise argparse.ArgumentTypeError(f"{text}: at least 320x240 and at most 10000x10000")
    return w, h


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digits-app",
        description="Draw a digit with a finger or the mouse and see it recognised. Keys: "
                    "space/enter classify, u undo, c clear, m next model, s save, l live on/off, "
                    "esc/q quit. A long press on the header opens the settings row.")
    parser.add_argument("-f", "--fullscreen", action="store_true",
                        help="fill the screen (always so on a console, through KMS/DRM)")
    parser.add_argument("--size", type=parse_size, default=(800, 480),
                        help="window size WIDTHxHEIGHT (default 800x480, the official Pi display)")
    add_model_options(parser)
    parser.add_argument("--fps", type=positive_int, default=60, help="frame-rate cap (default 60)")
    parser.add_argument("--live", action=argparse.BooleanOptionalAction, default=True,
                        help="answer whenever a stroke ends (default on)")
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
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    try:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame
    except ImportError:
        print("digits-app: pygame is not installed: pip install pygame-ce (or: make run)",
              file=sys.stderr)
        return 2

    # --- init ---
    from edge_app.display import DisplayError, open_window

    try:
        screen = open_window(args.size, args.fullscreen)
        pygame.font.init()
    except DisplayError as exc:
        print(f"digits-app: {exc}", file=sys.stderr)
        return exc.exit_code
    fullscreen = args.fullscreen or pygame.display.get_driver() == "kmsdrm"
    pygame.display.set_caption("Digits")
    # Hiding the pointer only stops SDL drawing it; touches still arrive.
    pygame.mouse.set_visible(not fullscreen if args.cursor is None else args.cursor)
    # SIGTERM (systemd stop, kill) ends the loop like closing the window.
    signal.signal(signal.SIGTERM, lambda *_: pygame.event.post(pygame.event.Event(pygame.QUIT)))

    from edge_app.app.controller import DigitApp
    from edge_app.rotation import Rotation

    rotation = Rotation(args.rotate, screen.get_size())
    # A rotated panel gets an upright off-screen surface that is turned onto it each frame.
    upright = screen if args.rotate == 0 else pygame.Surface(rotation.logical_size)

    # --- load ---
    app = DigitApp(upright, model=args.model, models_dir=args.models_dir, threads=args.threads,
                   runtime=args.runtime, live=args.live, save_dir=args.save_dir,
                   rotation=rotation)
    for problem in app.models.problems:
        print(f"digits-app: {problem}", file=sys.stderr)
    clock = pygame.time.Clock()
    print("digits-app: ready", file=sys.stderr, flush=True)

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
