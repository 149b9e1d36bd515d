"""Save: never overwritten, never half-written, loud on a full disk."""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from edge_app.app.store import SaveStore  # noqa: E402
from tests.helpers import ROOT  # noqa: E402


def drawing() -> pygame.Surface:
    surface = pygame.Surface((300, 300))
    surface.fill((255, 255, 255))
    pygame.draw.line(surface, (20, 20, 20), (40, 40), (260, 250), 18)
    return surface


def test_a_write_that_hits_the_file_size_limit_fails_and_leaves_nothing(tmp_path):
    """pygame's own `image.save` reports success there and leaves a truncated PNG."""
    folder = tmp_path / "drawings"
    script = textwrap.dedent(f"""
        import resource, signal
        import numpy as np, pygame
        from edge_app.app.store import SaveStore
        surface = pygame.Surface((300, 300)); surface.fill((255, 255, 255))
        pygame.draw.line(surface, (20, 20, 20), (40, 40), (260, 250), 18)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))
        try:
            SaveStore({str(folder)!r}).save(surface, np.zeros((28, 28)), "digit7", "cnn_int8")
        except OSError as exc:
            print("error", exc.errno)
        else:
            print("saved")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.split() == ["error", str(errno.EFBIG)], result.stderr
    assert list(folder.iterdir()) == []


def test_an_io_error_on_the_second_file_keeps_neither(tmp_path, monkeypatch):
    import edge_app.files

    real_fsync, calls = edge_app.files.os.fsync, []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(edge_app.files.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        SaveStore(tmp_path).save(drawing(), np.zeros((28, 28)), "digit7", "cnn_int8")
    assert list(tmp_path.iterdir()) == []


def test_saved_pngs_read_back_and_names_never_clash(tmp_path):
    store = SaveStore(tmp_path)
    first = store.save(drawing(), np.eye(28), "digit7", "cnn int8/x")
    second = store.save(drawing(), np.eye(28), "digit7", "cnn int8/x")
    assert len(set(first + second)) == 4 and all(p.parent == tmp_path for p in first)
    assert "/" not in first[0].name[len(str(tmp_path)):] and " " not in first[0].name
    small = pygame.image.load(str(first[1]))
    assert small.get_size() == (28, 28) and small.get_at((3, 3))[:3] == (255, 255, 255)
    assert pygame.image.load(str(first[0])).get_size() == (300, 300)
