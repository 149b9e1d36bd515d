"""Convert a Keras digit model to TFLite: float32, float16, dynamic-range or full-integer int8."""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import numpy as np

QUANTIZATIONS = ("float32", "float16", "dynamic", "int8")
CALIBRATION_SAMPLES = 500  # training images that set the int8 ranges
CALIBRATION_SEED = 0


class ConvertError(Exception):
    """A model cannot be loaded or converted."""


def load_keras_model(path: Path):
    """Loads a `.keras` model and checks it is a digit classifier (784 inputs, 10 outputs).

    Raises:
        ConvertError: the file is missing, not a Keras model, or off-contract.
    """
    import keras

    if not path.is_file():
        raise ConvertError(f"{path}: no such file (train it first with digits-train)")
    try:
        model = keras.models.load_model(path, compile=False)
    except Exception as exc:  # Keras raises many types for a bad archive
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConvertError(f"{path}: not a Keras model this Keras can load ({reason})") from None
    in_shape, out_shape = tuple(model.inputs[0].shape[1:]), tuple(model.outputs[0].shape[1:])
    if int(np.prod(in_shape)) != 784 or int(np.prod(out_shape)) != 10 or len(model.inputs) != 1:
        raise ConvertError(f"{path}: input {in_shape} / output {out_shape} is not a digit "
                           "classifier (one input of 784 values, 10 outputs)")
    return model


def calibration_images(x_train: np.ndarray, n: int = CALIBRATION_SAMPLES,
                       seed: int = CALIBRATION_SEED) -> np.ndarray:
    """A reproducible random sample of training images as float32 (n, 28, 28) in [0, 1]."""
    pick = np.random.default_rng(seed).choice(len(x_train), size=min(n, len(x_train)),
                                              replace=False)
    return x_train[np.sort(pick)].astype(np.float32) / 255.0


def convert(model, quantization: str, calibration: np.ndarray | None = None) -> bytes:
    """Converts a Keras model to a TFLite flatbuffer.

    Args:
        model: a loaded Keras model.
        quantization: one of QUANTIZATIONS. "int8" quantizes weights and activations with
            int8 input and output tensors, so a device never handles floats.
        calibration: (N, 28, 28) images in [0, 1]; required for "int8".

    Returns:
        The `.tflite` file's bytes.

    Raises:
        ConvertError: unknown quantization, missing calibration data, or a converter failure.
    """
    import tensorflow as tf

    if quantization not in QUANTIZATIONS:
        raise ConvertError(f"unknown quantization {quantization!r}; one of {QUANTIZATIONS}")
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if quantization != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantization == "float16":
        converter.target_spec.supported_types = [tf.float16]
    elif quantization == "int8":
        if calibration is None or len(calibration) == 0:
            raise ConvertError("int8 conversion needs calibration images")
        sample_shape = (1, *model.inputs[0].shape[1:])

        def representative_dataset():
            for image in calibration:
                yield [image.reshape(sample_shape).astype(np.float32)]

        converter.representative_dataset = representative_dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    try:
        # The converter prints its saved-model details and warns that int8 inputs carry no
        # statistics (they do not need any); neither helps someone reading the progress.
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return converter.convert()
    except Exception as exc:  # the converter raises ConverterError, ValueError, RuntimeError...
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConvertError(
            f"{model.name}: conversion to {quantization} failed ({reason})") from None
