"""Training targets softened by a trained model's answers (knowledge distillation)."""

from __future__ import annotations

from collections.abc import Callable

import keras
import tensorflow as tf

# Half of each target is the teacher's answer: a doubtful training digit (a 4 nearly closed
# like a 9, a bold 3 whose trace looks like a 9) then pulls the student towards what it looks
# like as well as towards its label, instead of towards the label alone. Measured: see the
# README's "What did not help".
TEACHER_SHARE = 0.5
# The teacher's answers are flattened this much (its log-probabilities divided by it) so that
# a sure answer still says which digits come second: what a 7 has of a 1, a 4 of a 9.
TEMPERATURE = 2.0
_FLOOR = 1e-12  # a probability that underflowed to 0 is read as this, so its log is finite


def soft_targets(labels: tf.Tensor, teacher: tf.Tensor, share: float = TEACHER_SHARE,
                 temperature: float = TEMPERATURE) -> tf.Tensor:
    """One-hot labels mixed with a teacher's answers flattened by `temperature`.

    Args:
        labels: (N, 10) one-hot (or already soft) targets.
        teacher: (N, 10) the teacher's probabilities for the same images.
        share: the teacher's part of each target, in [0, 1].
        temperature: above 1 flattens the teacher's answers, 1 keeps them.

    Returns:
        (N, 10) float32 targets; each row sums to 1.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"the teacher's share must be in [0, 1], got {share}")
    if temperature <= 0:
        raise ValueError(f"the temperature must be above 0, got {temperature}")
    logits = tf.math.log(tf.maximum(tf.cast(teacher, tf.float32), _FLOOR)) / temperature
    return (1.0 - share) * tf.cast(labels, tf.float32) + share * tf.nn.softmax(logits)


def teacher_targets(teacher: keras.Model, share: float = TEACHER_SHARE,
                    temperature: float = TEMPERATURE) -> Callable[[tf.Tensor, tf.Tensor],
                                                                 tf.Tensor]:
    """A function of a batch of (N, 28, 28, 1) images and their labels that returns the
    targets `teacher` softens (`soft_targets`); an MLP teacher reads the images flattened.

    Args:
        teacher: a trained digit classifier, 28×28×1 or 784 in, 10 probabilities out.
        share: the teacher's part of each target.
        temperature: how much the teacher's answers are flattened.
    """
    flat = len(teacher.inputs[0].shape) == 2

    def targets(images: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
        seen = tf.reshape(images, (-1, 28 * 28)) if flat else images
        return soft_targets(labels, teacher(seen, training=False), share, temperature)

    return targets
