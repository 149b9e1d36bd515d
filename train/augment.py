"""On-the-fly augmentation that mimics how people draw digits on a touchscreen."""

from __future__ import annotations

import tensorflow as tf
from keras import layers

# Ranges chosen to cover what survives the app's preprocessing: the digit is re-centred and
# re-scaled there, so what is left is imperfect centring, slant, size of the ink inside the
# 20-pixel box, and above all stroke thickness (finger and brush widths vary a lot).
MAX_ROTATION = 12 / 360  # fraction of a full turn (±12°)
MAX_ZOOM = 0.15  # ±15 % of the image size
MAX_SHIFT = 0.08  # ±8 % of the image side (about 2 pixels)
# The elastic warp's field is this smooth (Simard et al., 2003: σ = 4 pixels, the scale of a
# pen's wobble over a digit); its strength, alpha in pixels, is the recipe's (`--elastic`).
ELASTIC_SIGMA = 4.0  # pixels


def make_augmenter(seed: int, elastic: float = 0.0) -> tf.types.experimental.PolymorphicFunction:
    """Returns a function that augments a batch of (N, 28, 28, 1) images in [0, 1].

    Args:
        seed: makes the sequence of random transforms reproducible.
        elastic: the elastic warp's alpha in pixels (`elastic_warp`); 0 leaves it out, and
            every other transform draws what it drew without it.
    """
    geometric = [
        layers.RandomRotation(MAX_ROTATION, fill_mode="constant", seed=seed),
        layers.RandomZoom((-MAX_ZOOM, MAX_ZOOM), fill_mode="constant", seed=seed + 1),
        layers.RandomTranslation(MAX_SHIFT, MAX_SHIFT, fill_mode="constant", seed=seed + 2),
    ]
    generator = tf.random.Generator.from_seed(seed + 3)
    warps = tf.random.Generator.from_seed(seed + 4)  # its own: the others' draws stay as they were

    def augment(images: tf.Tensor) -> tf.Tensor:
        for layer in geometric:
            images = layer(images, training=True)
        if elastic:
            images = elastic_warp(images, warps, elastic)
        return tf.clip_by_value(vary_thickness(images, generator), 0.0, 1.0)

    return augment


def vary_thickness(images: tf.Tensor, generator: tf.random.Generator) -> tf.Tensor:
    """Thickens or thins each image's strokes by a random fraction of one pixel.

    Grey-level dilation (3×3 max) fattens strokes by up to a pixel on each side and erosion
    (3×3 min) thins them; blending with a random weight gives every thickness in between.
    """
    dilated = tf.nn.max_pool2d(images, ksize=3, strides=1, padding="SAME")
    eroded = -tf.nn.max_pool2d(-images, ksize=3, strides=1, padding="SAME")
    batch = tf.shape(images)[0]
    # One weight per image in [-1, 1]: negative thins, positive thickens.
    weight = generator.uniform([batch, 1, 1, 1], minval=-1.0, maxval=1.0)
    target = tf.where(weight > 0, dilated, eroded)
    return images + tf.abs(weight) * (target - images)


def elastic_warp(images: tf.Tensor, generator: tf.random.Generator, alpha: float,
                 sigma: float = ELASTIC_SIGMA) -> tf.Tensor:
    """Moves each image's ink along a smooth random field, as a hand's wobble bends a digit
    (Simard et al., 2003).

    Each pixel and axis draws uniform noise in [-1, 1]; the noise is blurred with a Gaussian of
    `sigma` pixels and scaled by `alpha`, and the image is sampled (bilinearly) that far away,
    paper beyond its edges. On a 28-pixel image, sigma 4 and alpha 34 move pixels about 0.8
    pixels (σ, each axis; the blur's reach past the edges takes some of it).

    Args:
        images: (N, H, W, 1) in [0, 1].
        generator: the random source.
        alpha: the field's scale, pixels.
        sigma: the blur's standard deviation, pixels.

    Returns:
        (N, H, W, 1) float32.
    """
    shape = tf.shape(images)
    n, h, w = shape[0], shape[1], shape[2]
    noise = generator.uniform(tf.stack([n, h, w, 2]), minval=-1.0, maxval=1.0)
    # The blur as two small matrices (rows, then columns; zero beyond the edges, as a
    # convolution padded with zeros): the warp takes 11 ms a batch of 128 so, 30 with
    # depthwise convolutions (2-core AMD EPYC, AVX2).
    field = alpha * tf.einsum("ij,njkc,lk->nilc", _blur(h, sigma), noise, _blur(w, sigma))
    rows, cols = tf.meshgrid(tf.range(h, dtype=tf.float32), tf.range(w, dtype=tf.float32),
                             indexing="ij")
    return _sample(images, rows[None] + field[..., 0], cols[None] + field[..., 1])


def _blur(size: tf.Tensor, sigma: float) -> tf.Tensor:
    """The (size, size) matrix of a Gaussian blur of `sigma` pixels along one axis: each row
    the weights of a kernel that sums to 1 over 3 sigma each way, cut off at the edges."""
    at = tf.range(size, dtype=tf.float32)
    weights = tf.exp(-0.5 * ((at[:, None] - at[None, :]) / sigma) ** 2)
    weights = tf.where(tf.abs(at[:, None] - at[None, :]) <= int(3 * sigma), weights, 0.0)
    reach = tf.range(-int(3 * sigma), int(3 * sigma) + 1, dtype=tf.float32)
    return weights / tf.reduce_sum(tf.exp(-0.5 * (reach / sigma) ** 2))


def _sample(images: tf.Tensor, y: tf.Tensor, x: tf.Tensor) -> tf.Tensor:
    """`images` (N, H, W, 1) read bilinearly at (N, H, W) rows `y` and columns `x`; 0 outside."""
    # A border of paper, and every coordinate held within it: beyond the edge is paper.
    padded = tf.pad(images[..., 0], ((0, 0), (1, 1), (1, 1)))
    shape = tf.shape(padded)
    y = tf.clip_by_value(y + 1.0, 0.0, tf.cast(shape[1] - 1, tf.float32))
    x = tf.clip_by_value(x + 1.0, 0.0, tf.cast(shape[2] - 1, tf.float32))
    y0, x0 = tf.floor(y), tf.floor(x)
    wy, wx = (y - y0)[..., None], (x - x0)[..., None]
    y0, x0 = tf.cast(y0, tf.int32), tf.cast(x0, tf.int32)
    y1, x1 = tf.minimum(y0 + 1, shape[1] - 1), tf.minimum(x0 + 1, shape[2] - 1)
    flat = tf.reshape(padded, (-1,))
    base = (tf.range(shape[0]) * shape[1] * shape[2])[:, None, None]

    def at(rows: tf.Tensor, cols: tf.Tensor) -> tf.Tensor:
        return tf.gather(flat, base + rows * shape[2] + cols)[..., None]

    top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx
    bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx
    return top * (1 - wy) + bottom * wy
