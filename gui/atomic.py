"""Atomic file writes for the window: a temporary file in the target's folder,
then os.replace; the temporary file is removed when anything fails, so a full
disk leaves neither a half-written target nor a stray temporary file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: str | Path, write: Callable[[str], None], prefix: str = ".nss-") -> None:
    """Call write(tmp_path) and move the finished file onto `path`."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
