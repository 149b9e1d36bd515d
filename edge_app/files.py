"""Crash-safe file writing: a file is either complete on disk or not there at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, overwrite: bool = True) -> Iterator[Path]:
    """Yields a temporary path beside `path`; on success moves it into place in one step.

    A crash, a full disk or an exception leaves `path` as it was and removes the temporary
    file. The temporary name keeps the suffix so that writers that look at it (Keras, Pillow)
    still work.

    Args:
        path: the final file.
        overwrite: when False, an existing `path` is never replaced (FileExistsError).

    Yields:
        The temporary path to write to.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    # mkstemp makes the file private (0600); give it the permissions a plain open() would.
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the name exists, so two writers can never clobber each other.
            os.link(tmp, path)
            tmp.unlink()
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: str | os.PathLike, data: bytes, *, overwrite: bool = True) -> None:
    """Writes `data` to `path` atomically (see `atomic_path`)."""
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike, text: str, *, overwrite: bool = True) -> None:
    """Writes UTF-8 `text` to `path` atomically (see `atomic_path`)."""
    write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def write_new_files(folder: str | os.PathLike, base: str, parts: dict[str, bytes],
                    attempts: int = 1000) -> list[Path]:
    """Writes a group of files that belong together under one new name: all of them or none.

    The files are `folder/base{suffix}` for each suffix of `parts`, written in order (put the
    file readers look for last). A base that clashes with any existing file gets `-1`, `-2`,
    ... instead, so nothing is ever overwritten, even by a concurrent writer.

    Args:
        folder: where to write (created if needed).
        base: the file name without suffix.
        parts: suffix (e.g. ".png", "_28x28.png") → bytes.
        attempts: how many names to try.

    Returns:
        The paths written, in the order of `parts`.

    Raises:
        OSError: a write failed (e.g. the disk is full); nothing of the group is left.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(attempts):
        stem = base + (f"-{n}" if n else "")
        paths = [folder / f"{stem}{suffix}" for suffix in parts]
        if any(p.exists() for p in paths):
            continue
        written: list[Path] = []
        try:
            for path, data in zip(paths, parts.values()):
                write_bytes(path, data, overwrite=False)
                written.append(path)
        except FileExistsError:
            _remove(written)
            continue
        except BaseException:
            _remove(written)
            raise
        return paths
    raise FileExistsError(f"no free file name for {base} in {folder}")


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
