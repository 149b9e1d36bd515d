"""MNIST test digits redrawn the way a finger leaves them on a touchscreen canvas."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

UPSAMPLE = 4  # work at 4× MNIST resolution, where stroke edits are cheap
CANVAS_SIDES = (200, 480)  # pixels: range of canvas sizes (the app's canvas is ~300-450)
DIGIT_HEIGHT = (0.25, 0.9)  # fraction of the canvas side the digit's box spans
PAPER = 255  # grey level of the canvas
INK = 20  # grey level of the strokes


def redraw(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Redraws one MNIST digit as a person might draw it on the app's canvas.

    Dark ink on a light canvas several times larger than 28×28, at a random size and position,
    with strokes from much thinner to much fatter than MNIST's, and sometimes a few specks.

    Args:
        digit: (28, 28) uint8, white on black.
        rng: the random source (seeded by the caller for reproducible sets).

    Returns:
        (side, side) uint8 grayscale canvas.
    """
    big = Image.fromarray(digit).resize((28 * UPSAMPLE,) * 2, Image.Resampling.BICUBIC)
    # Stroke width: fatten with a max filter, or thin by cutting the soft stroke higher up.
    fatten = rng.choice([0, 0, 3, 5, 7, 9])
    if fatten:
        big = big.filter(ImageFilter.MaxFilter(int(fatten)))
    cut = rng.uniform(0.25, 0.7) * 255
    strokes = np.clip((np.asarray(big, np.float32) - cut) * 4 + 128, 0, 255).astype(np.uint8)
    ys, xs = np.nonzero(strokes > 127)
    if len(ys) == 0:  # thinning erased a faint digit; keep it as it was
        strokes, (ys, xs) = np.asarray(big), np.nonzero(np.asarray(big) > 127)
    strokes = strokes[ys.min():ys.max() + 1, xs.min():xs.max() + 1]

    side = int(rng.integers(*CANVAS_SIDES, endpoint=True))
    height = max(8, int(side * rng.uniform(*DIGIT_HEIGHT)))
    width = max(2, round(strokes.shape[1] * height / strokes.shape[0]))
    width = min(width, side - 2)
    ink = np.asarray(Image.fromarray(strokes).resize((width, height), Image.Resampling.BILINEAR))

    canvas = np.full((side, side), PAPER, np.float32)
    top = int(rng.integers(0, side - height + 1))
    left = int(rng.integers(0, side - width + 1))
    alpha = ink.astype(np.float32) / 255.0
    region = canvas[top:top + height, left:left + width]
    canvas[top:top + height, left:left + width] = region * (1 - alpha) + INK * alpha
    if rng.random() < 0.3:  # a stray touch or two: one- to two-pixel specks
        for _ in range(int(rng.integers(1, 4))):
            y, x = rng.integers(0, side - 2, size=2)
            canvas[y:y + rng.integers(1, 3), x:x + rng.integers(1, 3)] = INK
    return canvas.astype(np.uint8)


def drawn_set(images: np.ndarray, n: int, seed: int = 0) -> list[np.ndarray]:
    """Redraws the first `n` of `images` (uint8 (N, 28, 28)) with a seeded random source."""
    rng = np.random.default_rng(seed)
    return [redraw(image, rng) for image in images[:n]]
