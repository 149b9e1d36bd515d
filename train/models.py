"""The two networks of the original design and the recipes that train them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import keras
from keras import layers

NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)  # height, width, channels: white digit on black, scaled to [0, 1]


def build_mlp() -> keras.Model:
    """784 → Dense 512 ReLU → Dense 10 softmax (407,050 parameters)."""
    return keras.Sequential(
        [
            keras.Input(shape=(28 * 28,), name="pixels"),
            layers.Dense(512, activation="relu"),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ],
        name="mlp",
    )


def build_cnn() -> keras.Model:
    """3 × [Conv 32 4×4 same ReLU → MaxPool 2 → Dropout 0.1] → Dense 128 → Dense 10 (71,658)."""
    blocks = []
    for _ in range(3):
        blocks += [
            layers.Conv2D(32, (4, 4), padding="same", activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Dropout(0.1),
        ]
    return keras.Sequential(
        [
            keras.Input(shape=IMAGE_SHAPE, name="image"),
            *blocks,
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ],
        name="cnn",
    )


@dataclass(frozen=True)
class Recipe:
    """How one network is built and trained by default."""

    name: str
    build: Callable[[], keras.Model]
    optimizer: str
    epochs: int
    batch_size: int
    flat_input: bool  # the MLP reads 784 pixels, the CNN a 28×28×1 image


RECIPES: dict[str, Recipe] = {
    "mlp": Recipe("mlp", build_mlp, "rmsprop", epochs=25, batch_size=128, flat_input=True),
    "cnn": Recipe("cnn", build_cnn, "adam", epochs=10, batch_size=128, flat_input=False),
}


LEARNING_RATE = 1e-3  # Keras' default for both Adam and RMSprop
SCHEDULES = ("constant", "cosine")


def make_optimizer(name: str, schedule: str = "constant", steps: int | None = None,
                   ema: float = 0.0) -> keras.optimizers.Optimizer:
    """The recipe's optimizer at Keras' default learning rate, held or decayed.

    Args:
        name: "mlp" or "cnn".
        schedule: "constant" (the seed recipes) or "cosine": the rate falls along half a
            cosine to zero over `steps`, so the last epochs settle instead of wandering.
        steps: batches in the whole run; needed for "cosine".
        ema: 0 (the seed recipes), or the momentum of an exponential moving average of the
            weights that replaces them when training ends (Keras' `use_ema`; 0.9998 weighs
            about the last 5,000 batches). The optimizer's own steps are the same either way.

    Returns:
        A fresh optimizer.
    """
    if not 0 <= ema < 1:
        raise ValueError(f"the weights' moving average needs a momentum in [0, 1), got {ema}")
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown learning-rate schedule {schedule!r}")
    rate: float | keras.optimizers.schedules.LearningRateSchedule = LEARNING_RATE
    if schedule == "cosine":
        if not steps or steps < 1:
            raise ValueError("a cosine schedule needs the number of training steps")
        rate = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    optimizer = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop}
    averaged = {"use_ema": True, "ema_momentum": ema} if ema else {}
    return optimizer[RECIPES[name].optimizer](learning_rate=rate, **averaged)


def build_model(name: str, schedule: str = "constant", steps: int | None = None,
                ema: float = 0.0) -> keras.Model:
    """Builds and compiles the named network with its recipe's optimizer and loss.

    Args:
        name: "mlp" or "cnn".
        schedule: the learning-rate schedule (`make_optimizer`).
        steps: batches in the whole run, for a decaying schedule.
        ema: the momentum of the weights' moving average, 0 for none (`make_optimizer`).

    Returns:
        A compiled, untrained Keras model.
    """
    model = RECIPES[name].build()
    model.compile(optimizer=make_optimizer(name, schedule, steps, ema),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model
