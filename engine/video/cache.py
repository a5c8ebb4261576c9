"""The finished frames of a video render, kept as PNGs in a folder beside the
output (OUT.frames/) so that an interrupted render resumes where it stopped.

The folder's render.json names the render (input, frames, styles, settings,
video options); frames of another render are never mixed in.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..errors import StyleError
from ..image.io import load_image, save_image

MANIFEST = "render.json"


class FrameCache:
    """Frames 0, 1, ... of one render as frame_000001.png, ..."""

    def __init__(self, folder: Path, key: dict, *, overwrite: bool):
        self.folder, self.key = Path(folder), key
        manifest = self.folder / MANIFEST
        if self.folder.exists() and not self.folder.is_dir():
            raise StyleError(f"{self.folder} is a file, but the frames of this render go there; move it away.")
        old = _read(manifest) if manifest.is_file() else None
        if old is not None and old.get("key") != _normal(key):
            if not overwrite:
                raise StyleError(
                    f"{self.folder} holds the frames of a different render; remove it, or pass "
                    "--overwrite to start again."
                )
            shutil.rmtree(self.folder)
            old = None
        self.partial_output = (old or {}).get("partial_output", "")
        self.folder.mkdir(exist_ok=True)
        if old is None:
            self._write_manifest()

    def path(self, k: int) -> Path:
        return self.folder / f"frame_{k + 1:06d}.png"

    def load(self, k: int) -> np.ndarray | None:
        p = self.path(k)
        if not p.is_file():
            return None
        try:
            return load_image(p, "Cached frame").rgb
        except StyleError:  # a damaged frame is made again
            return None

    def save(self, k: int, rgb: np.ndarray) -> None:
        save_image(self.path(k), rgb, overwrite=True)

    def done(self) -> int:
        """How many frames from the first on are finished."""
        k = 0
        while self.path(k).is_file():
            k += 1
        return k

    def frames(self, count: int) -> Iterator[np.ndarray]:
        for k in range(count):
            yield load_image(self.path(k), "Cached frame").rgb

    def mark_partial(self, out: Path) -> None:
        """Remember that `out` holds only the frames so far, so a later run may replace it."""
        self.partial_output = str(out)
        self._write_manifest()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _write_manifest(self) -> None:
        text = json.dumps({"key": _normal(self.key), "partial_output": self.partial_output}, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=".nss-", suffix=".json", dir=self.folder)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, self.folder / MANIFEST)


def wrote_partial(folder: Path, key: dict, out: Path) -> bool:
    """Whether `out` holds the frames so far of this very render (an
    interrupted run wrote it), so that resuming may replace it."""
    data = _read(Path(folder) / MANIFEST) if (Path(folder) / MANIFEST).is_file() else None
    return bool(data) and data.get("key") == _normal(key) and data.get("partial_output") == str(out)


def _normal(key: dict) -> dict:
    """The key as JSON reads it back (tuples become lists)."""
    return json.loads(json.dumps(key))


def _read(manifest: Path) -> dict | None:
    try:
        data = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
