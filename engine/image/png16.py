"""16-bit RGB(A) writers for the 16-bit exports (PNG here, TIFF by tifffile).

Pillow has no 48/64-bit RGB mode, so it cannot write either. PNG is written here with numpy
and zlib: faster than pypng for the same file, and within reach of OpenCV, which is only
in the video extra (bench/png16_bench.py, README "What we write by hand and why").
TIFF is tifffile's: as fast as a hand-written uncompressed strip, and it lays out the tags
correctly (the hand-written writer stored descriptions of 4 bytes or less out of line, which
readers took for garbage).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

# The "Up" filter on every row and zlib level 3: 10% smaller than no filter at the same speed
# (level 6 adds 20% time for 0.3% size), measured on a 2048 px painting by bench/png16_bench.py.
PNG_FILTER_UP, PNG_LEVEL = 2, 3


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png16(path: str, data: np.ndarray, text: dict | None = None) -> None:
    """data: uint16 (H, W, 3 or 4); text: iTXt chunks (key: value)."""
    h, w, c = data.shape
    color_type = {3: 2, 4: 6}[c]
    rows = data.astype(">u2").reshape(h, w * c).view(np.uint8).reshape(h, -1)
    filtered = rows.copy()
    filtered[1:] -= rows[:-1]  # Up: each byte minus the byte above (mod 256); the first row has none above
    raw = np.concatenate([np.full((h, 1), PNG_FILTER_UP, np.uint8), filtered], axis=1).tobytes()
    out = [b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))]
    for key, value in (text or {}).items():
        out.append(_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")))
    out.append(_chunk(b"IDAT", zlib.compress(raw, PNG_LEVEL)))
    out.append(_chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def write_tiff16(path: str, data: np.ndarray, text: dict | None = None) -> None:
    """Baseline little-endian TIFF, one uncompressed strip, uint16 (H, W, 3 or 4); the first
    text value (the settings) goes in ImageDescription."""
    import tifffile  # local: 16 ms of start-up for the window, paid only by a 16-bit TIFF export

    description = next(iter(text.values())) if text else None
    tifffile.imwrite(
        path,
        data,
        photometric="rgb",
        extrasamples=["unassalpha"] if data.shape[2] == 4 else None,
        description=description,
        metadata=None,
        software=False,
    )
