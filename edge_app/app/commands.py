"""What the buttons and keys do: the methods that the actions table names."""

from __future__ import annotations

from edge_app.app.answer import SETTLE_SECONDS, Answer
from edge_app.app.store import save_answer, shown_path


class Commands:
    """The app's actions, mixed into `DigitApp` (which holds the state they act on)."""

    # --- actions ------------------------------------------------------------------------

    def classify(self) -> None:
        """Shows what the current model makes of the drawing, as a settled answer."""
        self._answer(settled=True)

    def _answer(self, settled: bool) -> None:
        self._classify_due = None
        self._settle_due = None if settled else self.clock() + SETTLE_SECONDS
        if self.classifier is None:
            self.notify("No usable model: see the message above", warn=True)
        elif self.canvas.blank:
            self.notify("Draw a digit first")
        else:
            self.answer = self.recognizer.answer(self.canvas, settled,
                                                 whole=self._one_digit == self.canvas.version)
            self.notify(self.answer.describe(), warn=self.answer.refusal is not None)

    def undo(self) -> None:
        """Takes back the last stroke, or the last Clear when the canvas is empty."""
        if self.canvas.blank and self._cleared:
            self.canvas.restore(self._cleared.pop())
            self.notify("Drawing restored")
        elif self.canvas.undo():
            self.notify("Stroke taken back" if not self.canvas.blank else "Draw a digit")
        else:
            self.notify("Nothing to undo")
            return
        self._after_edit()

    def clear(self) -> None:
        """Wipes the canvas (Undo brings it back)."""
        if not self.canvas.blank:
            self._cleared = [self.canvas.strokes]
        self.canvas.clear()
        self._after_edit()
        self.notify("Draw a digit" + (" (Undo brings it back)" if self._cleared else ""))

    def _after_edit(self) -> None:
        self.pointer.forget_last_stroke()
        self._classify_due = self._settle_due = None
        self.answer = Answer()
        self.correcting = False
        if self.live and not self.canvas.blank:
            self.classify()

    def next_model(self) -> None:
        """Switches to the next model and, if something is drawn, answers with it at once."""
        if len(self.models.slots) < 2:
            self.notify("Only one model available", warn=True)
            return
        skipped = self.recognizer.next_model()
        if self.classifier is not None and not self.canvas.blank:
            self.classify()
        elif self.classifier is not None:
            self.notify(f"Model: {self.model_name}")
        if skipped:
            self.notify(f"Skipped: {'; '.join(skipped)}", warn=True)

    def save(self) -> None:
        """Saves the drawing with what it was read as (unconfirmed), named after the answer."""
        if self.canvas.blank:
            self.notify("Nothing to save", warn=True)
            return
        if not self.answer.current_for(self.canvas):
            self.classify()  # the name and the 28×28 file must match the drawing saved
        if not self.answer.digits:
            return
        self._save(label=None)

    def _save(self, label: int | None) -> bool:
        folder = shown_path(self.save_dir)
        try:
            save_answer(self.save_dir, self.canvas, self.answer, self.model_name, label)
        except OSError as exc:
            self.notify(f"Not saved to {folder}: {exc.strerror or exc}", warn=True)
            return False
        self.notify(f"Saved to {folder}")
        return True

    def correct(self) -> None:
        """Opens the 0-9 strip to tell the app what the drawing really is (or closes it)."""
        if self.correcting:
            self.correcting = False
            self.notify(self.answer.describe())
        elif self.canvas.blank:
            self.notify("Draw a digit, then correct it", warn=True)
        else:
            if not self.answer.current_for(self.canvas):
                self.classify()
            self.correcting = True
            # A number is corrected as one digit: a digit cut in two ("41" for a 4) has no
            # other way out. A digit of a real number read wrong is drawn alone to correct it.
            self.notify("Tap the digit you drew" if self.answer.number is None
                        else "One digit, not a number? Tap it")

    def label_as(self, digit: int) -> None:
        """The person says the drawing is `digit`, one digit even where it was read as a
        number: saved as a confirmed example and learnt, and read as one digit until it
        changes."""
        self.correcting = False
        number = self.answer.number is not None
        if number:
            self._one_digit = self.canvas.version
            self.classify()  # the whole drawing as one digit: the input saved and learnt
        x = self.answer.model_input
        if x is None:
            if number:  # refused as one digit (e.g. far wider than tall): the number again
                self._one_digit = None
                self.classify()
            self.notify("Not learnt: that drawing is not a digit the app can read", warn=True)
            return
        if not self._save(label=digit):
            return
        try:
            self.recognizer.learn(x, digit)
        except OSError as exc:
            self.notify(f"Saved, but not learnt: {exc.strerror or exc}", warn=True)
            return
        self.classify()
        self.notify(f"Learnt: that is a {digit} ({self.recognizer.describe_adaptation()})")

    def toggle_adaptation(self) -> None:
        adapter = self.recognizer.adapter
        if adapter is None:
            self.notify(self.recognizer.problem or "No adaptation for this model", warn=True)
            return
        try:
            adapter.enabled = not adapter.enabled
        except OSError as exc:
            self.notify(f"Not changed: {exc.strerror or exc}", warn=True)
            return
        self.notify(adapter.describe())

    def forget(self) -> None:
        """Forgets every correction (the saved drawings stay)."""
        adapter = self.recognizer.adapter
        try:
            if adapter is not None:
                adapter.reset()
        except OSError as exc:
            self.notify(f"Not reset: {exc.strerror or exc}", warn=True)
            return
        self.notify("Corrections forgotten; saved drawings kept")

    def toggle_live(self) -> None:
        self.live = not self.live
        self.notify("Answers when a stroke ends" if self.live else "Answers on Classify")

    def open_menu(self) -> None:
        self.menu_open = True
        self.notify("Settings: Back returns")

    def close_menu(self) -> None:
        self.menu_open = False
        self.correcting = False  # the 0-9 strip is shown
        self.notify("Draw a digit" if self.canvas.blank else self.message)

    def quit(self) -> None:
        self.running = False

