"""Pictures as 8-bit grey arrays: image files read and arrays of any usual type converted."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from edge_app.errors import ImageError

MAX_PIXELS = 50_000_000  # refuse larger images instead of exhausting a Pi's memory
DRAFT_SIDE = 96  # pixels: a JPEG is decoded at a reduced size no smaller than this (twice the
# side `preprocess` measures a digit at)


def read_image(path: str | os.PathLike) -> np.ndarray:
    """Reads an image file as a 2-D uint8 grayscale array.

    Transparency is flattened onto a background that contrasts with the drawing, so both
    dark-on-transparent and light-on-transparent PNGs keep their ink. EXIF rotation of photos is
    applied.

    Args:
        path: any format Pillow reads (PNG, JPEG, BMP, GIF, WebP, ...).

    Returns:
        The image as (height, width) uint8.

    Raises:
        ImageError: the file is missing, unreadable, not an image, or far too large.
    """
    path = Path(path)
    try:
        with Image.open(path) as img:
            if img.format == "JPEG":
                # Decode photos at reduced size, and judge the size decoded: a 64-megapixel
                # phone photo is read at an eighth of its side, a megapixel.
                img.draft("L", (DRAFT_SIDE, DRAFT_SIDE))
            if img.width * img.height > MAX_PIXELS:
                raise ImageError(f"image is too large ({img.width}×{img.height} pixels)")
            img = ImageOps.exif_transpose(img)
            return _flatten_to_gray(img)
    except FileNotFoundError:
        raise ImageError("no such file") from None
    except IsADirectoryError:
        raise ImageError("is a folder, not an image") from None
    except PermissionError:
        raise ImageError("permission denied") from None
    except UnidentifiedImageError:
        raise ImageError("not an image Pillow can read") from None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageError(f"cannot decode image ({exc})") from None


def _flatten_to_gray(img: Image.Image) -> np.ndarray:
    if img.mode in ("I", "F") or img.mode.startswith("I;16"):
        return _deep_to_gray(img)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        alpha = np.asarray(rgba.getchannel("A"))
        gray = np.asarray(rgba.convert("L"))
        if alpha.min() < 255:
            opaque = alpha > 127
            if not opaque.any():
                return np.full(gray.shape, 255, np.uint8)  # fully transparent: blank
            # Put the drawing on the background that makes it stand out.
            paper = 255.0 if gray[opaque].mean() < 128 else 0.0
            a = alpha.astype(np.float32) / 255.0
            return np.rint(gray * a + paper * (1.0 - a)).astype(np.uint8)
        return gray
    return np.asarray(img.convert("L"))


def _deep_to_gray(img: Image.Image) -> np.ndarray:
    """A 16-bit, 32-bit or floating-point grey picture as 8-bit grey levels.

    Pillow's `convert("L")` clips such pixels at 255 instead of scaling them, so a 16-bit
    scan's greys all turned white and its digit read as "nothing drawn".
    """
    values = np.nan_to_num(np.asarray(img, np.float64))
    top = float(values.max()) if values.size else 0.0
    if img.mode == "F" and top <= 1.0:
        values = values * 255.0  # floats in [0, 1], as to_gray takes them
    elif img.mode.startswith("I;16") or top > 255:
        values = values * (255.0 / 65535.0)  # 16-bit (an "I" picture above 255 is one too)
    return np.rint(np.clip(values, 0.0, 255.0)).astype(np.uint8)


def to_gray(image: np.ndarray | Image.Image) -> np.ndarray:
    """Returns a 2-D uint8 grayscale view or copy of an array or PIL image.

    Args:
        image: (H, W) gray, (H, W, 3) RGB or (H, W, 4) RGBA; uint8, uint16 (16-bit), or
            floats in [0, 1].
    """
    if isinstance(image, Image.Image):
        return _flatten_to_gray(image)
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        return _flatten_to_gray(Image.fromarray(_as_uint8(array)))
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim != 2:
        raise ImageError(f"expected a 2-D grayscale or RGB(A) image, got shape {array.shape}")
    return _as_uint8(array)


def _as_uint8(array: np.ndarray) -> np.ndarray:
    if array.dtype == np.uint8:
        return array
    if np.issubdtype(array.dtype, np.floating):
        return np.rint(np.clip(array, 0.0, 1.0) * 255).astype(np.uint8)
    if array.dtype == np.uint16:  # a 16-bit picture: scaled, not clipped to white
        return np.rint(array * (255.0 / 65535.0)).astype(np.uint8)
    if np.issubdtype(array.dtype, np.integer) or array.dtype == bool:
        return np.clip(array, 0, 255).astype(np.uint8)
    raise ImageError(f"unsupported pixel type {array.dtype}")
