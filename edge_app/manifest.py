"""Find the shipped models and read `models/manifest.json`, which says what each one is."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edge_app.errors import ModelError

MANIFEST_NAME = "manifest.json"
DEFAULT_MODEL = "cnn_int8"  # smallest and fastest of the accurate ones
TEST_SPLIT_NAME = "mnist_test.npz"


def default_models_dir() -> Path:
    """`$DIGITS_MODELS_DIR` if set, else the project's `models/` folder."""
    env = os.environ.get("DIGITS_MODELS_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "models"


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Manifest:
    """The parsed manifest of one models folder."""

    folder: Path
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def models(self) -> dict[str, dict[str, Any]]:
        """Entries by name (e.g. "cnn_int8"), in the manifest's order."""
        return self.data.get("models", {})

    def entry_for_file(self, path: Path) -> tuple[str, dict[str, Any]] | None:
        """The (name, entry) describing `path`, if `path` is one of this folder's files."""
        try:
            if path.resolve().parent != self.folder.resolve():
                return None
        except OSError:
            return None
        for name, entry in self.models.items():
            if entry.get("file") == path.name:
                return name, entry
        return None


def load_manifest(models_dir: str | os.PathLike | None = None) -> Manifest:
    """Reads the manifest of `models_dir` (default: `default_models_dir()`).

    A folder without a manifest gives an empty one, so loose `.tflite` files still work.

    Raises:
        ModelError: the manifest exists but is not valid JSON of the expected form.
    """
    folder = Path(models_dir) if models_dir is not None else default_models_dir()
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest(folder)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("models", {}), dict):
        raise ModelError(f"{path}: not a models manifest")
    return Manifest(folder, data)


def resolve_model(model: str | os.PathLike, models_dir: str | os.PathLike | None = None) -> Path:
    """Turns a manifest name ("mlp_int8") or a file path into the model's path.

    Raises:
        ModelError: a name that the manifest does not list and no such file exists.
    """
    text = os.fspath(model)
    as_path = Path(text).expanduser()
    if text.endswith(".tflite") or os.sep in text or as_path.is_file():
        return as_path
    manifest = load_manifest(models_dir)
    entry = manifest.models.get(text)
    if entry is not None:
        return manifest.folder / entry["file"]
    candidate = manifest.folder / f"{text}.tflite"
    if candidate.is_file():
        return candidate
    names = ", ".join(manifest.models) or "none"
    raise ModelError(f"unknown model {text!r}; models in {manifest.folder}: {names}")
