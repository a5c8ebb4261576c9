"""Minimal 16-bit RGB(A) PNG and TIFF writers.

Pillow has no 48/64-bit RGB mode, so it cannot write these; both formats are
simple enough to write directly (uncompressed TIFF, zlib-compressed PNG).
"""
from __future__ import annotations

import struct
import zlib

import numpy as np


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png16(path: str, data: np.ndarray, text: dict | None = None) -> None:
    """data: uint16 (H, W, 3 or 4)."""
    h, w, c = data.shape
    color_type = {3: 2, 4: 6}[c]
    rows = data.astype(">u2").reshape(h, w * c).view(np.uint8).reshape(h, -1)
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rows], axis=1).tobytes()  # filter 0 per row
    out = [b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))]
    for key, value in (text or {}).items():
        out.append(_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")))
    out.append(_chunk(b"IDAT", zlib.compress(raw, 6)))
    out.append(_chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def write_tiff16(path: str, data: np.ndarray, text: dict | None = None) -> None:
    """Baseline little-endian TIFF, one uncompressed strip, uint16 (H, W, 3 or 4)."""
    h, w, c = data.shape
    pixels = data.astype("<u2").tobytes()
    desc = (next(iter(text.values())) if text else "").encode("utf-8") + b"\0"
    entries = []  # (tag, type, count, value-or-offset payload)
    # Layout: header(8) | bits-per-sample array | description | pixels | IFD
    bps_off = 8
    desc_off = bps_off + 2 * c
    pix_off = desc_off + len(desc) + (len(desc) % 2)
    ifd_off = pix_off + len(pixels)
    SHORT, LONG, ASCII = 3, 4, 2
    entries = [
        (256, LONG, 1, w),
        (257, LONG, 1, h),
        (258, SHORT, c, bps_off),
        (259, SHORT, 1, 1),
        (262, SHORT, 1, 2),
        (270, ASCII, len(desc), desc_off),
        (273, LONG, 1, pix_off),
        (277, SHORT, 1, c),
        (278, LONG, 1, h),
        (279, LONG, 1, len(pixels)),
        (284, SHORT, 1, 1),
    ]
    if c == 4:
        entries.append((338, SHORT, 1, 2))  # unassociated alpha
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        if typ == SHORT and count == 1:
            ifd += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, typ, count, value)
    ifd += struct.pack("<I", 0)
    with open(path, "wb") as f:
        f.write(b"II*\0" + struct.pack("<I", ifd_off))
        f.write(struct.pack(f"<{c}H", *([16] * c)))
        f.write(desc + b"\0" * (len(desc) % 2))
        f.write(pixels)
        f.write(ifd)
