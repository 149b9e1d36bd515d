"""The digit classifier: a `.tflite` model behind a small typed API, for every model variant."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import numpy as np

from edge_app import adapters
from edge_app.errors import ModelError
from edge_app.manifest import DEFAULT_MODEL, load_manifest, resolve_model, sha256_file
from edge_app.preprocess import preprocess
from edge_app.runtime import interpreter_class, quiet_native_stderr


@dataclass(frozen=True)
class ClassifierOptions:
    """How to load a classifier.

    Attributes:
        model: a manifest name such as "cnn_int8", or a path to a `.tflite` file.
        models_dir: where manifest names are looked up (default: the project's models/).
        runtime: "litert", "tflite-runtime" or "tensorflow"; None picks the first installed.
        num_threads: CPU threads the interpreter may use.
        verify: check the file's SHA-256 against the manifest when the manifest lists it.
    """

    model: str | os.PathLike = DEFAULT_MODEL
    models_dir: str | os.PathLike | None = None
    runtime: str | None = None
    num_threads: int = 1
    verify: bool = True


# Top two probabilities closer than this are a close call ("1 or 7?"). Chosen on the stroke
# evaluation (digits-convert reports it per model): with the shipped int8 models it fires on
# about 1 % of digits and flags about a third of the wrong answers; larger margins flag more
# errors but ask on more right answers too.
CLOSE_CALL_MARGIN = 0.6
_ZERO, _TOP, _SIGN = np.array(0, np.float32), np.array(255, np.float32), np.array(0x80, np.uint8)


@dataclass(frozen=True)
class Prediction:
    """One classified digit."""

    digit: int
    confidence: float  # probability of `digit`, 0-1
    probabilities: np.ndarray  # shape (10,), float32, sums to 1

    def top(self, k: int) -> list[tuple[int, float]]:
        """The `k` most probable digits, best first."""
        return adapters.top_k(self.probabilities, k)

    def close_call(self, margin: float = CLOSE_CALL_MARGIN) -> tuple[int, int] | None:
        """The two best digits when their probabilities are within `margin`, else None.

        The app then asks ("1 or 7?") instead of presenting a guess as certain.

        Args:
            margin: the largest difference of the top two probabilities that counts as close.

        Returns:
            (best, runner-up) or None.
        """
        values = self.probabilities.tolist()
        second = max(range(len(values)), key=lambda i: -1.0 if i == self.digit else values[i])
        if values[self.digit] - values[second] < margin:
            return self.digit, second
        return None


class DigitClassifier:
    """Classifies 28×28 digit images (or whole drawings) with one TFLite model.

    Input shape, dtype and quantization come from the model itself, so the MLP and the CNN in
    every quantization are served by the same code.
    """

    def __init__(self, options: ClassifierOptions | None = None) -> None:
        """Loads and checks the model.

        Raises:
            ModelError: missing, corrupt, altered (SHA-256) or off-contract model.
            RuntimeUnavailableError: no usable TFLite runtime.
        """
        self.options = options or ClassifierOptions()
        if self.options.num_threads < 1:
            raise ValueError("num_threads must be at least 1")
        self.path = resolve_model(self.options.model, self.options.models_dir)
        self.name = self.path.stem
        if not self.path.is_file():
            raise ModelError(f"{self.path}: no such model file")
        if self.options.verify:
            self._verify()
        self.runtime, interpreter = interpreter_class(self.options.runtime)
        try:
            with quiet_native_stderr():
                self._interpreter = interpreter(model_path=str(self.path),
                                                num_threads=self.options.num_threads)
                self._interpreter.allocate_tensors()
        except Exception as exc:  # each runtime raises its own types for a bad flatbuffer
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"{self.path.name}: not a valid TFLite model ({reason})") from None
        self.input_spec, self.output_spec = self._check_contract()
        self._batch = self.input_spec.shape[0]
        if self._batch != 1:  # a model saved with a fixed batch: serve one example at a time
            self._set_batch(1)
            self.input_spec = adapters.tensor_spec(self._interpreter.get_input_details()[0])
        self._in_offset = None  # the fast path of `_quantize`, for int8 and uint8 inputs
        if self.input_spec.quantized and self.input_spec.dtype in (np.int8, np.uint8):
            low = np.iinfo(self.input_spec.dtype).min
            # 0-d arrays, not numpy scalars: a ufunc converts a scalar operand on every call.
            self._in_step = np.array(1.0 / self.input_spec.scale, np.float32)
            self._in_offset = np.array(self.input_spec.zero_point - low + 0.5, np.float32)
            # Buffers made once: allocating them per call costs more than filling them.
            self._in_real = np.empty(self.input_spec.shape, np.float32)
            self._in_bytes = np.empty(self.input_spec.shape, np.uint8)
            self._in_codes = self._in_bytes.view(self.input_spec.dtype)
        self._out_table = _dequantize_table(self.output_spec)

    def _verify(self) -> None:
        found = load_manifest(self.path.parent).entry_for_file(self.path)
        if found is None:
            return
        name, entry = found
        self.name = name
        if "sha256" in entry and sha256_file(self.path) != entry["sha256"]:
            raise ModelError(f"{self.path.name}: contents differ from manifest.json (SHA-256); "
                             "the file is corrupt or was replaced - rebuild with digits-convert")

    def _check_contract(self) -> tuple[adapters.TensorSpec, adapters.TensorSpec]:
        inputs = self._interpreter.get_input_details()
        outputs = self._interpreter.get_output_details()
        if len(inputs) != 1 or len(outputs) != 1:
            raise ModelError(f"{self.path.name}: expected 1 input and 1 output, "
                             f"found {len(inputs)} and {len(outputs)}")
        spec_in = adapters.tensor_spec(inputs[0])
        spec_out = adapters.tensor_spec(outputs[0])
        if int(np.prod(spec_in.shape[1:])) != adapters.INPUT_ELEMENTS:
            raise ModelError(f"{self.path.name}: input {list(spec_in.shape)} does not hold a "
                             "28×28 image (784 values)")
        if int(np.prod(spec_out.shape[1:])) != adapters.NUM_CLASSES:
            raise ModelError(f"{self.path.name}: output {list(spec_out.shape)} does not hold "
                             "10 scores")
        return spec_in, spec_out

    def predict(self, model_input: np.ndarray) -> Prediction:
        """Classifies one preprocessed digit.

        Args:
            model_input: (28, 28) or 784 float values in [0, 1], white digit on black.

        Returns:
            The digit, its probability and all 10 probabilities.
        """
        # The single-example path the app and the predictor take; kept lean because its
        # overhead is measured against the bare interpreter (digits-bench).
        self._set_batch(1)
        x = np.asarray(model_input, np.float32).reshape(self.input_spec.shape)
        self._interpreter.set_tensor(self.input_spec.index, self._quantize(x))
        self._interpreter.invoke()
        raw = self._interpreter.get_tensor(self.output_spec.index).reshape(-1)
        # Plain Python on 10 numbers: a numpy call costs more than its arithmetic here, and
        # as much as the MLP's whole invoke. An (u)int8 output is dequantized by looking its
        # bytes up.
        table = self._out_table
        if table is None:
            values = raw.tolist()
        else:
            values = [table[b] for b in raw.view(np.uint8).tolist()]
        total = sum(values)
        if min(values) < -1e-6 or abs(total - 1.0) > 0.02:  # logits, or a degenerate int8
            p = adapters.to_probabilities_1d(np.asarray(values, np.float32))
        else:
            p = np.fromiter([v / total if v > 0.0 else 0.0 for v in values], np.float32,
                            len(values))
        digit = values.index(max(values))
        return Prediction(digit, float(p[digit]), p)

    def _quantize(self, x: np.ndarray) -> np.ndarray:
        """`adapters.quantize` for one input of the input tensor's shape, in a few in-place
        steps for (u)int8 tensors; their result is a buffer that the next call overwrites.

        Rounds half up where adapters.quantize rounds half to even: inputs made from 8-bit
        images never fall on a half.
        """
        spec = self.input_spec
        if not spec.quantized:
            return x.astype(spec.dtype, copy=False)
        if self._in_offset is None:
            return adapters.quantize(x, spec)
        # q - min = floor(x / scale + zero_point - min + 0.5), saturated to 0..255, in the
        # buffers made at load (set_tensor copies them into the interpreter).
        buf, shifted = self._in_real, self._in_bytes
        np.multiply(x, self._in_step, out=buf)
        buf += self._in_offset
        np.maximum(buf, _ZERO, out=buf)  # (np.clip's own overhead is several µs)
        np.minimum(buf, _TOP, out=buf)
        np.copyto(shifted, buf, casting="unsafe")  # truncates, as astype does
        if spec.dtype == np.int8:
            shifted ^= _SIGN
        return self._in_codes

    def classify(self, image: np.ndarray) -> Prediction:
        """Preprocesses a drawing or photo of a digit (any size) and classifies it.

        Raises:
            NothingDrawnError: the image holds no ink.
        """
        return self.predict(preprocess(image))

    def predict_batch(self, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        """Probabilities for many preprocessed digits.

        Args:
            images: (N, 28, 28) float values in [0, 1].
            batch_size: examples per invoke when evaluating many.

        Returns:
            (N, 10) float32 probabilities.
        """
        images = np.asarray(images, np.float32).reshape(-1, 28, 28)
        out = np.empty((len(images), adapters.NUM_CLASSES), np.float32)
        for start in range(0, len(images), batch_size):
            chunk = images[start:start + batch_size]
            self._set_batch(len(chunk))
            self._interpreter.set_tensor(self.input_spec.index,
                                         adapters.fit_batch(chunk, self.input_spec))
            self._interpreter.invoke()
            scores = self._interpreter.get_tensor(self.output_spec.index)
            out[start:start + len(chunk)] = adapters.to_probabilities(
                adapters.dequantize(scores, self.output_spec).reshape(len(chunk), -1))
        return out

    def warm_up(self) -> float:
        """Runs one inference on a blank input; returns its time in seconds.

        The first invoke of a fresh interpreter prepares its kernels (XNNPACK packs the
        weights) and is many times slower than the rest; doing it at load keeps it out of a
        person's first answer.
        """
        started = time.perf_counter()
        self.predict(np.zeros((28, 28), np.float32))
        return time.perf_counter() - started

    def invoke(self) -> None:
        """Runs the interpreter on whatever input is set (for measuring invoke alone)."""
        self._interpreter.invoke()

    def _set_batch(self, n: int) -> None:
        if n == self._batch:
            return
        shape = (n, *self.input_spec.shape[1:])
        self._interpreter.resize_tensor_input(self.input_spec.index, shape)
        self._interpreter.allocate_tensors()
        self._batch = n


def _dequantize_table(spec: adapters.TensorSpec) -> list[float] | None:
    """Each value an (u)int8 tensor can hold, dequantized, indexed by its byte; None for other
    tensors."""
    if not (spec.quantized and spec.dtype in (np.int8, np.uint8)):
        return None
    return [(v - spec.zero_point) * spec.scale
            for v in np.arange(256, dtype=np.uint8).view(spec.dtype).tolist()]
