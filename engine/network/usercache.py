"""Small JSON files in the user's cache folder (hash verdicts, measured speed).

The cache is an optimisation only: an unreadable or corrupt file reads as
empty, and a failed write is silently skipped.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

APP_DIR = "neural-style-studio"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP_DIR


def read_json(name: str) -> dict:
    try:
        data = json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(name: str, data: dict) -> bool:
    """Atomic: a temp file in the same folder, then os.replace. False when it could not be written."""
    folder = cache_dir()
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, folder / name)
        return True
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
