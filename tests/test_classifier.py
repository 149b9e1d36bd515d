"""The classifier on every shipped model, the runtime shim, and model-file checks."""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import sys

import numpy as np
import pytest

from edge_app import (
    ClassifierOptions,
    DigitClassifier,
    ModelError,
    RuntimeUnavailableError,
    runtime,
)
from edge_app.manifest import load_manifest, resolve_model
from tests.helpers import MODELS, ROOT, drawn_digit

MANIFEST = load_manifest(MODELS)
NAMES = list(MANIFEST.models)


def test_manifest_lists_all_eight_variants():
    assert sorted(NAMES) == sorted(f"{n}_{q}" for n in ("mlp", "cnn")
                                   for q in ("float32", "float16", "dynamic", "int8"))


@pytest.mark.parametrize("name", NAMES)
def test_each_shipped_model_reproduces_its_manifest_accuracy(name, test_split):
    x, y = test_split
    classifier = DigitClassifier(ClassifierOptions(model=name))
    probabilities = classifier.predict_batch(x / 255.0)
    assert probabilities.shape == (10000, 10)
    assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    accuracy = float((probabilities.argmax(1) == y).mean())
    # Another runtime may round a handful of borderline digits differently.
    assert accuracy == pytest.approx(MANIFEST.models[name]["mnist_accuracy"], abs=0.001)


@pytest.mark.parametrize("name", NAMES)
def test_model_reads_its_own_tensor_details(name):
    classifier = DigitClassifier(ClassifierOptions(model=name))
    entry = MANIFEST.models[name]
    assert classifier.input_spec.as_dict() == entry["input"]
    assert classifier.output_spec.as_dict() == entry["output"]
    assert classifier.name == name


def test_drawn_digits_get_the_answer_their_mnist_originals_get(test_split):
    x, y = test_split
    classifier = DigitClassifier()
    correct = 0
    for label in range(10):
        for k in range(3):
            original = int(np.flatnonzero(y == label)[k])
            drawn = classifier.classify(drawn_digit(label, test_split, index=k))
            assert drawn.digit == classifier.predict(x[original] / 255.0).digit
            assert drawn.confidence == pytest.approx(drawn.probabilities[drawn.digit])
            assert drawn.top(3)[0][0] == drawn.digit
            correct += drawn.digit == label
    assert correct >= 29


@pytest.mark.parametrize("name", ["mlp_int8", "cnn_float32"])
def test_batch_and_single_predictions_agree(name, test_split):
    classifier = DigitClassifier(ClassifierOptions(model=name))
    x = test_split[0][:20] / 255.0
    batch = classifier.predict_batch(x, batch_size=7)
    single = np.stack([classifier.predict(img).probabilities for img in x])
    assert np.allclose(batch, single, atol=1e-5)


NUMPY_MAJOR = int(np.__version__.split(".")[0])


# Every installed runtime other than the default one, held against the default.
OTHER_RUNTIMES = [r for r in runtime.installed_runtimes()[1:]
                  if not (r == "tflite-runtime" and NUMPY_MAJOR >= 2)]


@pytest.mark.skipif(not OTHER_RUNTIMES, reason="only one TFLite runtime is installed")
@pytest.mark.parametrize("rt", OTHER_RUNTIMES)
def test_every_installed_runtime_agrees(rt, test_split):
    x = test_split[0][:300] / 255.0
    default = DigitClassifier(ClassifierOptions(model="cnn_int8"))
    reference = default.predict_batch(x)
    forced = DigitClassifier(ClassifierOptions(model="cnn_int8", runtime=rt))
    assert forced.runtime == rt != default.runtime
    assert (forced.predict_batch(x).argmax(1) == reference.argmax(1)).mean() >= 0.99


def test_close_call_names_the_two_best_when_they_are_near():
    from edge_app.classifier import CLOSE_CALL_MARGIN, Prediction

    near = np.array([0, 0.46, 0, 0, 0, 0, 0, 0.54, 0, 0], np.float32)
    far = np.array([0, 0.05, 0, 0, 0, 0, 0, 0.95, 0, 0], np.float32)
    assert Prediction(7, 0.54, near).close_call() == (7, 1)
    assert Prediction(7, 0.95, far).close_call() is None
    assert Prediction(7, 0.95, far).close_call(margin=0.95) == (7, 1)
    assert 0 < CLOSE_CALL_MARGIN < 1


def test_threads_option_reaches_the_interpreter(monkeypatch):
    import edge_app.classifier as module

    name, real = runtime.interpreter_class(None)
    seen = []

    def recording(**kwargs):
        seen.append(kwargs.get("num_threads"))
        return real(**kwargs)

    monkeypatch.setattr(module, "interpreter_class", lambda choice: (name, recording))
    two = DigitClassifier(ClassifierOptions(num_threads=2))
    assert seen == [2]
    x = np.zeros((28, 28), np.float32)
    assert np.allclose(two.predict(x).probabilities,
                       DigitClassifier().predict(x).probabilities, atol=1e-6)
    with pytest.raises(ValueError):
        DigitClassifier(ClassifierOptions(num_threads=0))


# --- runtime shim -----------------------------------------------------------------------------

def test_unknown_runtime_is_named():
    with pytest.raises(RuntimeUnavailableError, match="unknown runtime 'onnx'"):
        runtime.interpreter_class("onnx")


def test_missing_runtime_says_what_to_install(monkeypatch):
    real = importlib.import_module

    def no_runtimes(name, *args):
        if name.split(".")[0] in ("ai_edge_litert", "tflite_runtime", "tensorflow"):
            raise ModuleNotFoundError(f"No module named '{name}'", name=name.split(".")[0])
        return real(name, *args)

    monkeypatch.setattr(runtime.importlib, "import_module", no_runtimes)
    monkeypatch.setattr(runtime.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeUnavailableError, match="pip install ai-edge-litert"):
        runtime.interpreter_class()
    with pytest.raises(RuntimeUnavailableError, match="ai-edge-litert is not installed"):
        runtime.interpreter_class("litert")


def test_tflite_runtime_under_numpy_2_is_explained(monkeypatch):
    monkeypatch.setattr(runtime.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(np, "__version__", "2.1.0")
    with pytest.raises(RuntimeUnavailableError, match="needs numpy<2"):
        runtime.interpreter_class("tflite-runtime")


# --- model files ------------------------------------------------------------------------------

@pytest.fixture()
def model_copy(tmp_path):
    """The shipped int8 CNN and manifest, copied where a test may damage them."""
    shutil.copy(MODELS / "manifest.json", tmp_path)
    shutil.copy(MODELS / "cnn_int8.tflite", tmp_path)
    return tmp_path


def test_altered_model_fails_the_manifest_check(model_copy):
    path = model_copy / "cnn_int8.tflite"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="differ from manifest"):
        DigitClassifier(ClassifierOptions(model=path))
    # Without verification the (still loadable) file is used as it is.
    DigitClassifier(ClassifierOptions(model=path, verify=False))


def test_corrupt_and_missing_models_are_model_errors(tmp_path):
    junk = tmp_path / "junk.tflite"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(ModelError, match="not a valid TFLite model"):
        DigitClassifier(ClassifierOptions(model=junk))
    with pytest.raises(ModelError, match="no such model file"):
        DigitClassifier(ClassifierOptions(model=tmp_path / "absent.tflite"))
    with pytest.raises(ModelError, match="unknown model 'cnn_int4'"):
        DigitClassifier(ClassifierOptions(model="cnn_int4"))


def test_off_contract_models_are_rejected(tmp_path):
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    cases = {
        "wide.tflite": keras.Sequential([keras.Input((900,)), keras.layers.Dense(10)]),
        "five.tflite": keras.Sequential([keras.Input((784,)), keras.layers.Dense(5)]),
    }
    for file, model in cases.items():
        (tmp_path / file).write_bytes(tf.lite.TFLiteConverter.from_keras_model(model).convert())
    with pytest.raises(ModelError, match="784"):
        DigitClassifier(ClassifierOptions(model=tmp_path / "wide.tflite"))
    with pytest.raises(ModelError, match="10 scores"):
        DigitClassifier(ClassifierOptions(model=tmp_path / "five.tflite"))


def test_resolve_names_and_paths(tmp_path):
    assert resolve_model("mlp_int8", MODELS) == MODELS / "mlp_int8.tflite"
    assert resolve_model(str(tmp_path / "x.tflite")) == tmp_path / "x.tflite"


def test_models_dir_from_environment(monkeypatch, model_copy):
    monkeypatch.setenv("DIGITS_MODELS_DIR", str(model_copy))
    assert DigitClassifier().path == model_copy / "cnn_int8.tflite"


def test_edge_app_never_imports_tensorflow():
    code = (
        "import sys, numpy as np\n"
        "import edge_app, edge_app.predict, edge_app.classifier, edge_app.preprocess\n"
        "c = edge_app.DigitClassifier()\n"
        "c.classify(np.pad(np.full((40, 8), 0, np.uint8), 100, constant_values=255))\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]\n"
        "print(c.runtime, bad)\n"
        "sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "litert" in result.stdout


@pytest.mark.parametrize("name", ["mlp_int8", "cnn_int8", "cnn_float32"])
def test_single_prediction_matches_the_adapters(name, test_split):
    # `predict` takes a shortcut around `adapters` (buffers, a byte table, plain Python on the
    # 10 scores); it must give exactly what the adapters give, inputs out of range included.
    from edge_app import adapters

    classifier = DigitClassifier(ClassifierOptions(model=name))
    rng = np.random.default_rng(0)
    images = np.concatenate([test_split[0][:40] / 255.0,
                             rng.normal(0.5, 1.0, (10, 28, 28))]).astype(np.float32)
    interpreter = classifier._interpreter
    for x in images:
        p = classifier.predict(x)
        interpreter.set_tensor(classifier.input_spec.index,
                               adapters.fit_batch(x[None], classifier.input_spec))
        interpreter.invoke()
        scores = adapters.dequantize(interpreter.get_tensor(classifier.output_spec.index),
                                     classifier.output_spec)
        expected = adapters.to_probabilities(scores)[0]
        assert p.digit == int(expected.argmax())
        assert np.allclose(p.probabilities, expected, atol=1e-6)
        assert p.confidence == p.probabilities[p.digit]
