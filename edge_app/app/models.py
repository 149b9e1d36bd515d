"""The Model button's cycle over the manifest's models; it reports problems, the UI shows them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from edge_app.classifier import ClassifierOptions, DigitClassifier
from edge_app.errors import DigitsError
from edge_app.manifest import DEFAULT_MODEL, load_manifest, resolve_model


@dataclass
class ModelSlot:
    """One entry of the cycle: loaded on first use, or broken with a reason."""

    name: str
    classifier: DigitClassifier | None = None
    error: str | None = None


def _load_classifier(name: str, models_dir: Path | None, runtime: str | None,
                     threads: int) -> DigitClassifier:
    classifier = DigitClassifier(ClassifierOptions(model=name, models_dir=models_dir,
                                                   runtime=runtime, num_threads=threads))
    classifier.warm_up()  # the interpreter's slow first invoke, out of the first answer
    return classifier


class ModelCycle:
    """The models a person can switch between, starting at the one asked for.

    Args:
        start: the model to start with: manifest name or `.tflite` path.
        models_dir: where the manifest is (None: the shipped models).
        runtime: TFLite runtime name, or None for the first installed.
        threads: interpreter threads.
        loader: makes a classifier from (name, models_dir, runtime, threads); tests pass fakes.
    """

    def __init__(self, start: str, models_dir: Path | None = None, runtime: str | None = None,
                 threads: int = 1, loader: Callable[..., DigitClassifier] = _load_classifier
                 ) -> None:
        self._options = (models_dir, runtime, threads)
        self._loader = loader
        self.problems: list[str] = []  # what went wrong while starting, for stderr and screen
        try:
            names = list(load_manifest(models_dir).models)
        except DigitsError as exc:
            names = []
            self.problems.append(str(exc))
        self.slots = [ModelSlot(n) for n in names]
        self.current = 0
        self._put_first(start, names)
        skipped = self.activate(0)
        if self.slots and self.slots[0].error is not None:
            # A mistyped or broken start model: say so, leave it out of the cycle, and use
            # the default model rather than whichever happens to come next.
            failed = self.slots.pop(0)
            self.problems.append(f"model {start} not used: {failed.error}")
            default = [i for i, s in enumerate(self.slots) if s.name == DEFAULT_MODEL]
            skipped = self.activate(default[0] if default else 0) if self.slots else []
        self.problems += skipped

    def _put_first(self, start: str, names: list[str]) -> None:
        """Puts the start model first in the cycle."""
        models_dir = self._options[0]
        try:
            chosen = resolve_model(start, models_dir)
        except DigitsError as exc:
            self.slots.insert(0, ModelSlot(str(start), error=str(exc)))
            return
        by_name = not (os.sep in str(start) or str(start).endswith(".tflite"))
        if by_name and chosen.stem in names:
            k = names.index(chosen.stem)
            self.slots = self.slots[k:] + self.slots[:k]
        else:  # a file outside the manifest joins the cycle in front
            self.slots.insert(0, ModelSlot(str(chosen)))

    @property
    def classifier(self) -> DigitClassifier | None:
        """The current model, or None when no model could be loaded."""
        return self.slots[self.current].classifier if self.slots else None

    @property
    def name(self) -> str:
        return self.classifier.name if self.classifier is not None else "no model"

    def activate(self, start: int) -> list[str]:
        """Makes the first loadable model from slot `start` onwards current.

        Returns:
            The reasons of the models skipped on the way (all of them if none loads).
        """
        skipped = []
        for k in range(len(self.slots)):
            i = (start + k) % len(self.slots)
            if self._load(self.slots[i]) is not None:
                self.current = i
                return skipped
            skipped.append(self.slots[i].error)
        return skipped or ["no models found"]

    def next(self) -> list[str]:
        """Switches to the next loadable model; returns what was skipped."""
        return self.activate(self.current + 1)

    def _load(self, slot: ModelSlot) -> DigitClassifier | None:
        if slot.classifier is None and slot.error is None:
            try:
                slot.classifier = self._loader(slot.name, *self._options)
            except DigitsError as exc:
                slot.error = str(exc)
        return slot.classifier
