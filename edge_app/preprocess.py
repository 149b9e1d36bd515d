"""Turn any picture of a drawn digit into the model's 28×28 input, the way MNIST was made."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from edge_app import gate, page, pen
from edge_app.errors import ImageError, NothingDrawnError
from edge_app.picture import to_gray

SIDE = 28  # pixels: the model's input is SIDE × SIDE
BOX = 20  # pixels: MNIST scaled each digit's longer side to this
CENTRE = 14.0  # pixel index at which MNIST put the centre of mass (measured: 14.00 ± 0.29)
INK_FLOOR = 0.2  # fraction of the darkest ink below which a pixel counts as background
SPECK_FRACTION = 0.03  # an isolated blob with less of the ink than this is noise, not digit
WORK_SIDE = 48  # pixels: the digit is measured on a copy of its box reduced to about this


def preprocess(image: np.ndarray | Image.Image) -> np.ndarray:
    """Makes the model input from a picture of one digit.

    Finds the ink whatever the polarity, crops to it ignoring isolated specks, refuses marks
    that are not digits, scales the longer side to 20 px with anti-aliasing and the aspect
    ratio kept, brings the stroke to MNIST's width relative to the digit (a thick brush on a
    small digit is thinned, a thin pen on a large one thickened), and places the result in a
    28×28 field with its centre of mass at the centre, white on black in [0, 1], as in MNIST.

    Args:
        image: the drawing, any size; see `to_gray` for accepted forms.

    Returns:
        float32 array (28, 28) in [0, 1].

    Raises:
        NothingDrawnError: the image holds no ink.
        NotADigitError: a dot, a dash, a scribble, or ink too small to be a digit.
        ImageError: the image is empty or of an unusable shape or type.
    """
    gray = to_gray(image)
    if gray.size == 0:
        raise ImageError("image has no pixels")
    return _model_input(*_as_page(gray, _find_ink(gray)))


def preprocess_cut(ink: np.ndarray) -> np.ndarray:
    """`preprocess` for one digit cut out of a picture already cleaned as a page
    (`edge_app.segment.pixels.find_digits`: ink strength, 0 = paper), without looking for
    a page in it again: a bold digit filling its box would pass for a sheet of paper on a
    desk, and the bars across a digit for ruled lines.

    Raises:
        as `preprocess`.
    """
    gray = to_gray(ink)
    if gray.size == 0:
        raise ImageError("image has no pixels")
    return _model_input(gray, _find_ink(gray))


def _model_input(gray: np.ndarray, found: _Ink) -> np.ndarray:
    """`preprocess` of a picture whose ink has been found."""
    background, peak = found.background, found.peak
    (y0, y1), (x0, x1) = found.rows, found.cols

    # Everything else on the crop, reduced to a few dozen pixels: enough to measure the
    # stroke and to make a 20-pixel digit from.
    factor = max(1, max(y1 - y0, x1 - x0) // WORK_SIDE)
    if factor > 1:
        small = np.asarray(Image.fromarray(gray).reduce(factor, (x0, y0, x1, y1)))
    else:
        small = gray[y0:y1, x0:x1]
    ink = _ink(small, np.uint8(background))
    strong = ink > peak * INK_FLOOR
    crop = np.where(strong, ink, 0).astype(np.uint8)  # paper texture out

    width, shape = pen.measure(crop, min(gray.shape) / factor)
    gate.check(shape)
    digit = _fit_box(crop)
    digit = pen.normalise(digit, width * BOX / max(crop.shape))
    gate.check_pen(pen.share(digit))
    return _centre(digit)


@dataclass(frozen=True)
class _Ink:
    """Where the ink of an image is, found from its strongest ink per row and column."""

    background: int  # the paper's grey level
    dark: bool  # dark ink on light paper
    peak: int  # the strongest ink, in grey levels from the paper
    rows: tuple[int, int]  # [start, end) of the ink, specks left out
    cols: tuple[int, int]
    uneven: bool  # the paper's grey varies: light falling off on a photo (`clean_page`)
    across: bool  # ink across nearly all the picture: maybe ruled lines (`clean_page`)


def _find_ink(gray: np.ndarray) -> _Ink:
    """Finds the ink of a 2-D uint8 image.

    Raises:
        NothingDrawnError: no ink.
    """
    border = page.border(gray)
    background = int(page.median(border))
    dark = background >= 128
    # The only passes over the whole image: the strongest ink of each row and column
    # (vectorised reductions, a few µs even for a large canvas).
    # In int32, clipped at the paper: a row all lighter than the paper (darker, for light
    # ink) holds no ink, where uint8 arithmetic would wrap it round to strong ink.
    if dark:
        rows = background - gray.min(axis=1).astype(np.int32)
        cols = background - gray.min(axis=0).astype(np.int32)
    else:
        rows = gray.max(axis=1).astype(np.int32) - background
        cols = gray.max(axis=0).astype(np.int32) - background
    rows, cols = np.maximum(rows, 0), np.maximum(cols, 0)
    peak = int(rows.max())
    if peak < page.MIN_CONTRAST:
        raise NothingDrawnError("nothing drawn")
    y0, y1 = _main_span(np.where(rows > peak * INK_FLOOR, rows, 0))
    x0, x1 = _main_span(np.where(cols > peak * INK_FLOOR, cols, 0))
    h, w = gray.shape
    photo = min(h, w) >= 2 * page.PAPER_BLOCKS  # smaller pictures are no photo of a page
    uneven = photo and page.spread(border) > page.PAPER_SPREAD
    across = photo and (y1 - y0 >= page.PAGE_SPAN * h or x1 - x0 >= page.PAGE_SPAN * w)
    return _Ink(background, dark, peak, (y0, y1), (x0, x1), uneven, across)


def flatten_page(gray: np.ndarray) -> np.ndarray:
    """`gray` as `clean_page` makes it when it looks like a photographed page (or a sheet on
    a desk, `lift_sheet`), else `gray`.

    Args:
        gray: (H, W) uint8.

    Raises:
        NothingDrawnError: no ink.
    """
    return _as_page(gray, _find_ink(gray))[0]


def _as_page(gray: np.ndarray, found: _Ink) -> tuple[np.ndarray, _Ink]:
    """`gray` and its ink, cleaned first (on a copy of at most PAGE_SIDE) when it looks like
    a photo of a page; `gray` and `found` as they are otherwise.

    Raises:
        NothingDrawnError: no ink.
    """
    if not found.dark and min(gray.shape) >= 2 * page.PAPER_BLOCKS:
        # Light ink on a dark ground, or a sheet of paper on a desk darker all round it?
        sheet = page.lift_sheet(page.reduced(gray, page.PAGE_SIDE))
        if sheet is not None:
            gray = page.clean_page(sheet, True)
            return gray, _find_ink(gray)
    if found.uneven or found.across:
        gray = page.clean_page(page.reduced(gray, page.PAGE_SIDE), found.dark,
                               flatten=found.uneven)
        return gray, _find_ink(gray)
    return gray, found


def _ink(gray: np.ndarray, background: np.uint8) -> np.ndarray:
    """Ink strength per pixel (uint8, 0 = background), whichever way round the image is."""
    if background >= 128:  # dark ink on light paper
        return background - np.minimum(gray, background)
    return np.maximum(gray, background) - background


def _main_span(profile: np.ndarray) -> tuple[int, int]:
    """[start, end) of the ink along one axis, leaving out isolated runs that hold little ink."""
    inked = np.flatnonzero(profile)
    if inked[-1] - inked[0] + 1 == len(inked):  # one run, the usual case
        return int(inked[0]), int(inked[-1]) + 1
    present = np.concatenate(([False], profile > 0, [False]))
    edges = np.flatnonzero(present[1:] != present[:-1])
    starts, ends = edges[0::2], edges[1::2]
    cumulative = np.concatenate(([0], np.cumsum(profile)))
    mass = cumulative[ends] - cumulative[starts]
    keep = mass >= SPECK_FRACTION * mass.sum()
    if not keep.any():
        keep = mass == mass.max()
    return int(starts[keep][0]), int(ends[keep][-1])


def _fit_box(crop: np.ndarray) -> np.ndarray:
    """Scales the cropped ink (uint8) so its longer side is BOX pixels, keeping the aspect ratio.

    Returns float32 in [0, 1], normalised to the strongest pixel, so that faint pencil and
    bold marker look alike.
    """
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    # Pillow's bilinear filter widens its support when shrinking, i.e. it anti-aliases;
    # reducing_gap box-reduces big crops by a whole factor first, much faster for the same look.
    resized = np.asarray(Image.fromarray(crop).resize(size, Image.Resampling.BILINEAR,
                                                      reducing_gap=3.0), dtype=np.float32)
    top = resized.max()
    return resized * (1.0 / top) if top > 0 else resized


def _centre(digit: np.ndarray) -> np.ndarray:
    """Pastes `digit` into a SIDE × SIDE field with its centre of mass at (CENTRE, CENTRE)."""
    h, w = digit.shape
    total = float(digit.sum())
    cy = float(digit.sum(axis=1) @ np.arange(h)) / total
    cx = float(digit.sum(axis=0) @ np.arange(w)) / total
    # Keep all the ink inside the field even when the mass is far off-centre (e.g. a "7").
    top = min(max(round(CENTRE - cy), 0), SIDE - h)
    left = min(max(round(CENTRE - cx), 0), SIDE - w)
    field = np.zeros((SIDE, SIDE), np.float32)
    field[top:top + h, left:left + w] = digit
    return field
