"""Handwritten-digit recognition on the device: TFLite inference without TensorFlow."""

from edge_app.classifier import ClassifierOptions, DigitClassifier, Prediction
from edge_app.errors import (
    DigitsError,
    ImageError,
    ModelError,
    NotADigitError,
    NothingDrawnError,
    RuntimeUnavailableError,
)
from edge_app.picture import read_image
from edge_app.preprocess import preprocess

__all__ = [
    "ClassifierOptions", "DigitClassifier", "Prediction", "DigitsError", "ImageError",
    "ModelError", "NotADigitError", "NothingDrawnError", "RuntimeUnavailableError",
    "preprocess", "read_image",
]
