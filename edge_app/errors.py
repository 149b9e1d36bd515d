"""The errors the device side reports to people as one line each."""


class DigitsError(Exception):
    """Base of every error that a command prints as one line and exits on."""

    exit_code = 1


class RuntimeUnavailableError(DigitsError):
    """No usable TFLite interpreter is installed (or the one asked for is not)."""

    exit_code = 2


class ModelError(DigitsError):
    """A model file is missing, corrupt, altered, or breaks the model contract."""

    exit_code = 2


class ImageError(DigitsError):
    """An input image cannot be read or used."""


class NothingDrawnError(ImageError):
    """An image holds no ink: there is nothing to classify."""


class NotADigitError(ImageError):
    """The ink is there but is not a digit: a dot, a dash, a scribble, or far too small.

    The message is short and addressed to the person drawing ("Too small - draw bigger").
    """
