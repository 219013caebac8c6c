"""Put a finished build in place: the old output is swapped out only once the new one is complete.

On Linux, renameat2(RENAME_EXCHANGE) swaps two directories in one step, so a crash at any moment
leaves either the old or the new output at the target, never a half-written one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def replace_dir(new: Path, target: Path) -> None:
    """Make `new` the content of `target`, then delete the old content."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        try:
            os.rename(new, target)
            return
        except OSError:  # another build put its output there first: swap with it below
            pass
    if not _exchange(new, target):
        # Fallback: two renames; the window between them holds no target, never a partial one.
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
        os.rename(new, target)
        new = old
    shutil.rmtree(new, ignore_errors=True)


def replace_file(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all: readers (a build running alongside) never see half of it.

    The temporary file is named for this process, so two builds writing the same file write apart.
    """
    temp = target.with_suffix(f".{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, target)
