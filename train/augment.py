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


def make_augmenter(seed: int) -> tf.types.experimental.PolymorphicFunction:
    """Returns a function that augments a batch of (N, 28, 28, 1) images in [0, 1].

    Args:
        seed: makes the sequence of random transforms reproducible.
    """
    geometric = [
        layers.RandomRotation(MAX_ROTATION, fill_mode="constant", seed=seed),
        layers.RandomZoom((-MAX_ZOOM, MAX_ZOOM), fill_mode="constant", seed=seed + 1),
        layers.RandomTranslation(MAX_SHIFT, MAX_SHIFT, fill_mode="constant", seed=seed + 2),
    ]
    generator = tf.random.Generator.from_seed(seed + 3)

    def augment(images: tf.Tensor) -> tf.Tensor:
        for layer in geometric:
            images = layer(images, training=True)
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
