"""Crash-safe writes: complete or absent, never clobbering when asked not to."""

from __future__ import annotations

import os
import stat

import pytest

from edge_app.files import atomic_path, write_bytes, write_text


def test_write_replaces_atomically(tmp_path):
    target = tmp_path / "a.txt"
    write_text(target, "one")
    write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary left behind


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "keep.bin"
    write_bytes(target, b"precious")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.bin"]


def test_no_overwrite_mode_refuses_existing_names(tmp_path):
    target = tmp_path / "drawing.png"
    write_bytes(target, b"first", overwrite=False)
    with pytest.raises(FileExistsError):
        write_bytes(target, b"second", overwrite=False)
    assert target.read_bytes() == b"first"
    assert len(list(tmp_path.iterdir())) == 1


def test_permissions_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "m.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "m.json").stat().st_mode) == 0o644


def test_creates_missing_folders(tmp_path):
    write_text(tmp_path / "a" / "b" / "c.txt", "x")
    assert (tmp_path / "a" / "b" / "c.txt").read_text() == "x"
