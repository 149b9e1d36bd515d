"""The one place that chooses and imports a TFLite interpreter: LiteRT, tflite-runtime or TF."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
from typing import Any, Iterator

from edge_app.errors import RuntimeUnavailableError

# In order of preference: LiteRT is the maintained successor of tflite-runtime and the fastest
# here; TensorFlow is a last resort on a workstation (2 s and ~500 MB just to import it).
RUNTIMES: dict[str, tuple[str, str]] = {
    "litert": ("ai_edge_litert.interpreter", "ai-edge-litert"),
    "tflite-runtime": ("tflite_runtime.interpreter", "tflite-runtime"),
    "tensorflow": ("tensorflow", "tensorflow"),
}

INSTALL_HINT = ("pip install ai-edge-litert (or: pip install 'tflite-runtime' 'numpy<2' "
                "on older Raspberry Pi OS images)")


def installed_runtimes() -> list[str]:
    """Names of the runtimes whose package is installed, without importing any of them."""
    found = []
    for name, (module, _) in RUNTIMES.items():
        top = module.split(".")[0]
        try:
            if importlib.util.find_spec(top) is not None:
                found.append(name)
        except (ImportError, ValueError):
            pass
    return found


# Every runtime is used through the classic `Interpreter` API, not LiteRT's newer
# `CompiledModel`: under emulation of the Pi 4's CPU (Cortex-A72, no dot-product instructions)
# CompiledModel aborts with an illegal instruction while loading a model, while the Interpreter
# runs; and it is the one API that tflite-runtime on older Pi images offers too.
def interpreter_class(runtime: str | None = None) -> tuple[str, Any]:
    """Imports and returns an `Interpreter` class.

    Args:
        runtime: "litert", "tflite-runtime" or "tensorflow" to force one; None takes the first
            that works in that order.

    Returns:
        The runtime's name and its Interpreter class.

    Raises:
        RuntimeUnavailableError: the runtime asked for (or every runtime) cannot be used; the
            message says what to install.
    """
    if runtime is not None and runtime not in RUNTIMES:
        raise RuntimeUnavailableError(
            f"unknown runtime {runtime!r}; choose one of {', '.join(RUNTIMES)}")
    names = [runtime] if runtime else list(RUNTIMES)
    reasons = []
    for name in names:
        try:
            return name, _import(name)
        except RuntimeUnavailableError as exc:
            reasons.append(str(exc))
    if runtime:
        raise RuntimeUnavailableError(reasons[0])
    # Explain a broken install (e.g. tflite-runtime under numpy 2) rather than only "missing".
    broken = [r for r in reasons if "is not installed" not in r]
    detail = f" ({'; '.join(broken)})" if broken else ""
    raise RuntimeUnavailableError(f"no TFLite runtime is installed{detail}; {INSTALL_HINT}")


def _import(name: str) -> Any:
    module_name, package = RUNTIMES[name]
    if name == "tflite-runtime":
        import numpy

        if int(numpy.__version__.split(".")[0]) >= 2 and importlib.util.find_spec(
                "tflite_runtime") is not None:
            # Its wheels are built against numpy 1.x and fail inside Interpreter(...).
            raise RuntimeUnavailableError(
                f"tflite-runtime needs numpy<2 but numpy {numpy.__version__} is installed: "
                "pip install 'numpy<2', or use ai-edge-litert")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise RuntimeUnavailableError(f"{package} is not installed") from None
        raise RuntimeUnavailableError(
            f"{package} is installed but fails to import: {exc}") from None
    return module.lite.Interpreter if name == "tensorflow" else module.Interpreter


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Hides what native code writes to file descriptor 2 inside the block.

    The runtimes print "INFO: Created TensorFlow Lite XNNPACK delegate for CPU." from C++
    on every load, with no Python switch to turn it off; it would pollute the one-line errors
    our tools promise on stderr. Python exceptions still carry the real error.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (embedded interpreters): nothing to hide
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
