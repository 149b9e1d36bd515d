"""Drives the app (or probe.py) in a Wayland compositor with a virtual pointer, and checks it.

`drive.py app OUT SAVED`: draws a 7 on the canvas, screenshots the answer through the
compositor (grim), presses Save and checks the saved file is named digit7, opens the settings
row with a long press on the header and presses Quit (`drive.py app OUT SAVED 480x800` for a
turned output). `drive.py probe`: one stroke and one click, for probe.py to log. Coordinates
come from the app's own layout for the output's size (800×480 unless given).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from virtual_pointer import VirtualPointer, socket_path  # noqa: E402

from edge_app.app.actions import MAIN, MENU  # noqa: E402
from edge_app.app.layout import compute_layout  # noqa: E402
from edge_app.app.pointer import LONG_PRESS_SECONDS  # noqa: E402

SIZE = (800, 480)  # pixels: the headless output check.sh configures
MIN_INK = 0.01  # of the canvas: a drawn 7 covers several per cent


def fail(message: str) -> None:
    print(f"wayland-check: {message}", file=sys.stderr)
    sys.exit(1)


def screenshot(path: Path) -> np.ndarray:
    subprocess.run(["grim", str(path)], check=True, timeout=30)
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def ink_share(image: np.ndarray, rect) -> float:
    """The share of `rect` that differs clearly from its most common colour."""
    area = image[rect.y:rect.bottom, rect.x:rect.right].reshape(-1, 3)
    colours, counts = np.unique(area, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    return float((np.abs(area - background).sum(1) > 90).mean())


def centre(rect) -> tuple[float, float]:
    return rect.x + rect.w / 2, rect.y + rect.h / 2


def start_pointer(size: tuple[int, int] = SIZE) -> VirtualPointer:
    pointer = VirtualPointer(socket_path(), size)
    time.sleep(0.5)  # seconds for the client to see the seat's new pointer capability
    return pointer


def drive_app(out: Path, saved: Path, size: tuple[int, int] = SIZE) -> None:
    layout = compute_layout(*size)
    c = layout.canvas
    pointer = start_pointer(size)
    pointer.stroke([(c.x + 0.25 * c.w, c.y + 0.22 * c.h), (c.x + 0.75 * c.w, c.y + 0.22 * c.h),
                    (c.x + 0.42 * c.w, c.y + 0.85 * c.h)])
    time.sleep(2.0)  # seconds: the live answer comes when the drawing pauses
    image = screenshot(out / "wayland.png")
    inked = ink_share(image, c)
    print(f"drew a 7 with the virtual pointer: {inked:.1%} of the canvas inked "
          f"(screenshot {out / 'wayland.png'})")
    if inked < MIN_INK:
        fail(f"nothing drawn on the canvas ({inked:.2%} inked): did the pointer reach the app?")

    pointer.click(*centre(layout.buttons[[a.name for a in MAIN].index("save")]))
    deadline = time.monotonic() + 10
    while not (files := [p for p in saved.glob("*.png") if not p.stem.endswith("_28x28")]):
        if time.monotonic() > deadline:
            fail(f"Save wrote nothing to {saved}")
        time.sleep(0.2)
    print(f"pressed Save: {files[0].name}")
    if "_digit7_" not in files[0].name:
        fail(f"the answer was not 7: {files[0].name}")

    x, y = centre(layout.header)
    pointer.move(x, y)
    pointer.button(True)
    time.sleep(LONG_PRESS_SECONDS + 0.5)
    pointer.button(False)
    time.sleep(0.5)
    screenshot(out / "wayland-settings.png")
    pointer.click(*centre(layout.buttons[[a.name for a in MENU].index("quit")]))
    print("long press on the header, then Quit")
    pointer.close()


def drive_probe() -> None:
    pointer = start_pointer()
    pointer.stroke([(200, 200), (260, 240)])
    pointer.click(500, 300)
    pointer.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["probe"]:
        drive_probe()
    else:
        size = tuple(map(int, sys.argv[4].split("x"))) if len(sys.argv) > 4 else SIZE
        drive_app(Path(sys.argv[2]), Path(sys.argv[3]), size)
