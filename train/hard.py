"""Training digits that a trained model reads unsurely as strokes, drawn again more often."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from train.drawn import redrawn

# A drawing of which the miner gives the right digit less than this is hard: MNIST's doubtful
# shapes (a 4 that closes like a 9, a 7 like a 2 or a 1), which the stroke evaluation's
# traced test digits are misread as. Measured: see the README's "What did not help".
UNSURE = 0.6
MINE_DRAWINGS = 2  # stroke drawings of every training digit that the miner reads
COPIES = 6  # drawings added of each hard digit, by default
# Offsets from the run's seed: the miner's drawings and the hard digits' copies are random
# draws of their own, not the run's stroke copies again.
MINE_SEED = 1000
COPY_SEED = 2000


def unsure(probabilities: np.ndarray, labels: np.ndarray, drawings: int) -> np.ndarray:
    """The digits of which any drawing gets the right answer less than UNSURE.

    Args:
        probabilities: (drawings × N, 10) the miner's answers, all digits' first drawings,
            then all digits' second... (as `redrawn` orders them).
        labels: (N,) the digits' labels.
        drawings: drawings per digit.

    Returns:
        Sorted indices into `labels`.
    """
    right = probabilities[np.arange(len(probabilities)), np.tile(labels, drawings)]
    return np.unique(np.flatnonzero(right < UNSURE) % len(labels))


def hard_copies(predict: Callable[[np.ndarray], np.ndarray], images: np.ndarray,
                labels: np.ndarray, seed: int, copies: int,
                **style: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fresh stroke drawings of the training digits that `predict` reads unsurely.

    Args:
        predict: the miner: (M, 28, 28) uint8 drawings → (M, 10) probabilities.
        images: (N, 28, 28) uint8 training digits; labels (N,) theirs.
        seed: the run's seed.
        copies: drawings of each hard digit to add.
        **style: `redrawn`'s fast, slashed, steep and hooked shares, as the run draws.

    Returns:
        The drawings (copies × H, 28, 28) uint8, their labels (copies × H,), and the hard
        digits' indices (H,).
    """
    mined = redrawn(images, labels, seed=seed + MINE_SEED, copies=MINE_DRAWINGS, **style)
    picked = unsure(predict(mined), labels, MINE_DRAWINGS)
    if not len(picked):
        return np.zeros((0, 28, 28), np.uint8), labels[:0], picked
    drawn = redrawn(images[picked], labels[picked], seed=seed + COPY_SEED, copies=copies,
                    **style)
    return drawn, np.tile(labels[picked], copies), picked
