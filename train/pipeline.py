"""Train one network on MNIST and save the model with its reports."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from edge_app.files import atomic_path, write_text
from train.augment import ELASTIC_SIGMA, make_augmenter
from train.data import Mnist
from train.distill import TEACHER_SHARE, TEMPERATURE, teacher_targets
from train.drawn import drawn_settings, redrawn, traced_digits
from train.extra import DEFAULT_OVERSAMPLE, ExtraSet, fold_in
from train.hard import COPIES, UNSURE, hard_copies
from train.models import NUM_CLASSES, RECIPES, build_model
from train.reports import confusion_matrix, plot_confusion, plot_history

VALIDATION_FRACTION = 0.1  # of the training split, held out for the validation curves


@dataclass(frozen=True)
class TrainResult:
    """What one training run produced."""

    name: str
    test_accuracy: float
    model_path: Path
    report: dict


def prepare(images: np.ndarray, flat: bool) -> np.ndarray:
    """uint8 (N, 28, 28) → float32 in [0, 1], as (N, 784) for the MLP or (N, 28, 28, 1)."""
    x = images.astype(np.float32) / 255.0
    return x.reshape(len(x), -1) if flat else x[..., np.newaxis]


def run(name: str, data: Mnist, *, epochs: int | None = None, batch_size: int | None = None,
        seed: int = 1, augment: bool = False, strokes: int = 0, fast_strokes: float = 0.0,
        slashed_zeros: float = 0.0, steep_slashes: float = 0.0, hooked_nines: float = 0.0,
        mnist_copies: int = 1, fresh_strokes: bool = False,
        validation: float = VALIDATION_FRACTION, out_dir: str | Path = "models",
        command: str = "", verbose: int | str = "auto", extras: Sequence[ExtraSet] = (),
        oversample: int = DEFAULT_OVERSAMPLE, schedule: str = "constant",
        ema: float = 0.0, elastic: float = 0.0, hard_from: str | Path | None = None,
        hard_copies_each: int = COPIES, teacher: str | Path | None = None) -> TrainResult:
    """Trains the named network on `data` and writes its artefacts to `out_dir`.

    Writes `{name}.keras`, `{name}_history.json`, `{name}_curves.png`,
    `{name}_confusion.png` and `{name}_report.json`, each atomically.

    Args:
        name: "mlp" or "cnn".
        data: the dataset (tests pass a handful of images).
        epochs: defaults to the recipe's.
        batch_size: defaults to the recipe's.
        seed: seeds Python, numpy, TensorFlow and the augmentation.
        augment: train on randomly shifted, rotated, scaled, thickened and thinned digits.
        strokes: add this many copies of the training digits traced into strokes, restyled
            and rendered the app's way (`train.drawn`); 0 trains on MNIST alone.
        fast_strokes: the share of those kept only at a fast finger's motion events.
        slashed_zeros: the share of their 0s struck through with a slash (Ø).
        steep_slashes: the share of those slashes drawn steeply.
        hooked_nines: the share of their 9s whose tail curls to the left.
        mnist_copies: how often each epoch shows every MNIST training digit (each time
            augmented afresh when `augment`).
        fresh_strokes: redraw the stroke copies before every epoch (new leans, warps, pens
            and styles each time) instead of drawing them once for the whole run.
        validation: fraction of the training split held out for the validation curves;
            0 trains on all of it (the curves then show training figures only).
        out_dir: where the artefacts go.
        command: the command line that started the run, recorded in the report.
        verbose: Keras' fit verbosity.
        extras: folders of a person's labelled drawings (`train.extra.load_extra`), added to
            the training part, never to validation or test.
        oversample: copies of each extra drawing per epoch.
        schedule: the learning-rate schedule, "constant" (the seed recipes) or "cosine".
        ema: 0 (the seed recipes), or the momentum of the moving average of the weights
            that the model keeps when training ends (`train.models.make_optimizer`).
        elastic: 0 (the seed recipes), or the alpha in pixels of an elastic warp of every
            image when `augment` (`train.augment.elastic_warp`).
        hard_from: a trained model (`.keras`) that picks the training digits it reads
            unsurely once redrawn as strokes (`train.hard`), or None.
        hard_copies_each: stroke drawings added of each digit `hard_from` picks, drawn once
            for the whole run, as the stroke copies are.
        teacher: a trained model (`.keras`) whose answers on each augmented training image
            make half of its target (`train.distill`), or None: the labels alone.

    Returns:
        The test accuracy, the model's path and the report.
    """
    if hard_from is not None and fresh_strokes:
        raise ValueError("hard_from draws its copies once; it does not go with fresh_strokes")
    recipe = RECIPES[name]
    epochs = recipe.epochs if epochs is None else epochs
    batch_size = recipe.batch_size if batch_size is None else batch_size
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    teacher_sha256 = None
    soften = None
    if teacher is not None:
        # Hashed before training: the run may save over the teacher's file. Loaded before
        # the seeding, so that the student starts from the weights it would start from alone.
        teacher_sha256 = hashlib.sha256(Path(teacher).read_bytes()).hexdigest()
        soften = teacher_targets(keras.models.load_model(teacher))

    # Same seed, same weights, same batches, same augmentations.
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()

    # Hold out a seeded random tenth of the training split for the validation curves;
    # the test split is touched only once, after training.
    order = np.random.default_rng(seed).permutation(len(data.x_train))
    n_val = int(len(order) * validation)
    if validation > 0:
        n_val = max(1, n_val)
    train_idx, val_idx = order[n_val:], order[:n_val]
    labels = keras.utils.to_categorical(data.y_train, NUM_CLASSES)
    x_train, y_train = data.x_train[train_idx], labels[train_idx]
    digits = data.y_train[train_idx]
    fresh = fresh_strokes and strokes > 0
    # Traced once: a run that redraws every epoch draws the same traces anew.
    traced = traced_digits(data.x_train[train_idx]) if fresh else None

    def draw_strokes(epoch: int) -> np.ndarray:
        started = time.perf_counter()
        drawn = redrawn(data.x_train[train_idx], digits, seed=seed, copies=strokes,
                        fast=fast_strokes, slashed=slashed_zeros, steep=steep_slashes,
                        hooked=hooked_nines, epoch=epoch, traced=traced)
        print(f"redrew {len(drawn)} training digits as strokes in "
              f"{time.perf_counter() - started:.0f} s")
        return drawn

    hard = None
    if fresh:
        # MNIST's copies (and a person's drawings) stay; the stroke copies are drawn anew
        # before each epoch and put after them.
        x_train = np.concatenate([x_train] * mnist_copies)
        y_train = np.concatenate([y_train] * (mnist_copies + strokes))
        if extras:
            x_train, folded = fold_in(x_train, np.tile(digits, mnist_copies), extras,
                                      oversample, seed)
            y_train = keras.utils.to_categorical(
                np.concatenate([folded, np.tile(digits, strokes)]), NUM_CLASSES)
    else:
        if strokes:
            x_train = np.concatenate([x_train] * mnist_copies + [draw_strokes(0)])
            y_train = np.concatenate([y_train] * (mnist_copies + strokes))
        elif mnist_copies > 1:
            x_train = np.concatenate([x_train] * mnist_copies)
            y_train = np.concatenate([y_train] * mnist_copies)
        if hard_from is not None:
            # Hashed before training: the run may save over the miner's file.
            miner_sha256 = hashlib.sha256(Path(hard_from).read_bytes()).hexdigest()
            x_hard, y_hard, hard = _hard(Path(hard_from), data.x_train[train_idx], digits, seed,
                                         hard_copies_each, fast=fast_strokes,
                                         slashed=slashed_zeros, steep=steep_slashes,
                                         hooked=hooked_nines)
            x_train = np.concatenate([x_train, x_hard])
            y_train = np.concatenate([y_train, keras.utils.to_categorical(y_hard, NUM_CLASSES)])
        if extras:
            x_train, folded = fold_in(x_train, y_train.argmax(1), extras, oversample, seed)
            y_train = keras.utils.to_categorical(folded, NUM_CLASSES)

    batches = _batcher(batch_size, make_augmenter(seed, elastic) if augment else None,
                       recipe.flat_input, soften)
    val_data = (prepare(data.x_train[val_idx], recipe.flat_input), labels[val_idx]) \
        if n_val else None
    verbose = verbose if verbose != "auto" else (1 if sys.stdout.isatty() else 2)

    total = len(x_train) + (strokes * len(digits) if fresh else 0)
    model = build_model(name, schedule, steps=epochs * -(-total // batch_size), ema=ema)
    started = time.perf_counter()
    if fresh:
        history = {}
        for epoch in range(epochs):
            epoch_x = np.concatenate([x_train, draw_strokes(epoch)])
            fitted = model.fit(batches(epoch_x, y_train, seed + epoch), epochs=epoch + 1,
                               initial_epoch=epoch, validation_data=val_data, shuffle=False,
                               verbose=verbose)
            for key, values in fitted.history.items():
                history.setdefault(key, []).extend(values)
    else:
        history = model.fit(batches(x_train, y_train, seed), epochs=epochs,
                            validation_data=val_data, shuffle=False, verbose=verbose).history
    train_seconds = time.perf_counter() - started

    probabilities = model.predict(prepare(data.x_test, recipe.flat_input), batch_size=1024,
                                  verbose=0)
    predictions = probabilities.argmax(axis=1)
    test_accuracy = float((predictions == data.y_test).mean())
    matrix = confusion_matrix(data.y_test, predictions)

    model_path = out_dir / f"{name}.keras"
    with atomic_path(model_path) as tmp:
        model.save(tmp)
    hist = {k: [float(v) for v in values] for k, values in history.items()}
    write_text(out_dir / f"{name}_history.json", json.dumps(hist, indent=1) + "\n")
    title = name.upper() + (" (augmented)" if augment else "") + (" + strokes" if strokes else "")
    with atomic_path(out_dir / f"{name}_curves.png") as tmp:
        plot_history(hist, f"{title}: loss and accuracy per epoch", tmp)
    with atomic_path(out_dir / f"{name}_confusion.png") as tmp:
        plot_confusion(matrix, f"{title}: test accuracy {test_accuracy:.2%}", tmp)

    report = {
        "network": name,
        "test_accuracy": round(test_accuracy, 6),
        "test_errors": int((predictions != data.y_test).sum()),
        "params": int(model.count_params()),
        "recipe": {
            "optimizer": recipe.optimizer,
            "loss": "categorical_crossentropy",
            "epochs": epochs,
            "batch_size": batch_size,
            "seed": seed,
            "augment": augment,
            "strokes": strokes,
            "fast_strokes": fast_strokes,
            "slashed_zeros": slashed_zeros,
            "steep_slashes": steep_slashes,
            "hooked_nines": hooked_nines,
            # How the strokes were redrawn (module constants of train.drawn): a recipe's
            # models change with them.
            "stroke_drawing": drawn_settings() if strokes else None,
            "mnist_copies": mnist_copies,
            "fresh_strokes": fresh,
            "validation_fraction": validation,
            "learning_rate_schedule": schedule,
            "weights_moving_average": ema,
            "elastic": {"alpha": elastic, "sigma": ELASTIC_SIGMA} if elastic else None,
            "extra": [e.manifest_entry(oversample) for e in extras],
            "hard_strokes": None if hard is None else {
                "from": Path(hard_from).name, "sha256": miner_sha256,
                "unsure_below": UNSURE, "digits": int(len(hard)), "copies": hard_copies_each},
            "teacher": None if teacher is None else {
                "from": Path(teacher).name, "sha256": teacher_sha256,
                "share": TEACHER_SHARE, "temperature": TEMPERATURE},
        },
        "data": {"source": Path(data.source).name, "train": total,
                 "validation": n_val, "test": len(data.x_test)},
        "train_seconds": round(train_seconds, 1),
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__},
        "command": command,
    }
    write_text(out_dir / f"{name}_report.json", json.dumps(report, indent=1) + "\n")
    return TrainResult(name, test_accuracy, model_path, report)


def _hard(miner_path: Path, images: np.ndarray, labels: np.ndarray, seed: int, copies: int,
          **style: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`train.hard.hard_copies` with the model at `miner_path` as the miner."""
    started = time.perf_counter()
    miner = keras.models.load_model(miner_path)
    flat = len(miner.inputs[0].shape) == 2

    def predict(x: np.ndarray) -> np.ndarray:
        return miner.predict(prepare(x, flat), batch_size=1024, verbose=0)

    out = hard_copies(predict, images, labels, seed, copies, **style)
    print(f"{miner_path.name} reads {len(out[2])} training digits unsurely as strokes; drew "
          f"{len(out[0])} more in {time.perf_counter() - started:.0f} s")
    return out


def _batcher(batch_size: int, augmenter: Callable[[tf.Tensor], tf.Tensor] | None,
             flat: bool, soften: Callable[[tf.Tensor, tf.Tensor], tf.Tensor] | None = None,
             ) -> Callable[[np.ndarray, np.ndarray, int], tf.data.Dataset]:
    """A function that makes one run's shuffled, scaled (and augmented) batches of an epoch's
    images, their targets softened by `soften` where given; the augmenter's random source
    carries on from one call to the next."""

    def batches(x: np.ndarray, y: np.ndarray, shuffle_seed: int) -> tf.data.Dataset:
        ds = tf.data.Dataset.from_tensor_slices((x[..., np.newaxis], y))
        # uint8 in memory (a quarter of float32's), scaled per batch.
        ds = ds.shuffle(len(x), seed=shuffle_seed).batch(batch_size).map(
            lambda x, y: (tf.cast(x, tf.float32) / 255.0, y))
        if augmenter is not None:
            ds = ds.map(lambda x, y: (augmenter(x), y))
        if soften is not None:
            # The teacher reads the image the student is shown, augmented as it is.
            ds = ds.map(lambda x, y: (x, soften(x, y)))
        if flat:
            # Augmentation works on images; the MLP then sees them as 784 pixels.
            ds = ds.map(lambda x, y: (tf.reshape(x, (-1, 28 * 28)), y))
        return ds.prefetch(tf.data.AUTOTUNE)

    return batches
