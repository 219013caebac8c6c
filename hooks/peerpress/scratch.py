"""Scratch folders for builds: one per running build, and the ones of dead builds swept away.

Each build works in `.peerpress-build/run-*/` and holds an exclusive `flock` on a file inside it for
as long as it runs. The kernel drops a lock when its holder dies, however it dies (kill -9
included), so a folder whose lock can be taken belongs to no running build and can go.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

SCRATCH = ".peerpress-build"
LOCK_NAME = ".running"
# A folder made so recently that its builder may not have locked it yet is left alone.
UNLOCKED_GRACE_SECONDS = 60


class ScratchDir:
    """A locked scratch folder for one build; `close()` unlocks and removes it."""

    def __init__(self, root: Path):
        base = root / SCRATCH
        base.mkdir(exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix="run-", dir=base))
        self._fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._fd)

    def __enter__(self) -> ScratchDir:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def sweep_stale(root: Path) -> list[Path]:
    """Remove the scratch folders of builds that are no longer running; return what was removed."""
    removed = []
    for folder in sorted((root / SCRATCH).glob("run-*")):
        if folder.is_dir() and _is_stale(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _is_stale(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > UNLOCKED_GRACE_SECONDS
        except FileNotFoundError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a running build holds it
    finally:
        os.close(fd)  # closing drops our lock too
    return True
