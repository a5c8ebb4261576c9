"""16-bit output writers: engine/image/png16.py beside the kept libraries.

    .venv/bin/python bench/png16_bench.py               # 2048x2048 16-bit RGB, best of 3
    .venv/bin/python bench/png16_bench.py --size 1024 --repeats 5

The picture is a real painting (the sample Starry Night, textured as a stylised export
is) resized in float to the size asked, so it has 16-bit levels, not 8-bit steps. Each writer writes it to a
temporary folder; the table gives the best write time, the file size and whether the
file reads back bit-exact (through OpenCV, which reads 16-bit PNG and TIFF). A writer
whose library is not installed is listed as such (tifffile and pypng are not
dependencies; OpenCV comes with the video extra).
"""

from __future__ import annotations

import argparse
import importlib.util
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.image.png16 import _chunk, write_png16, write_tiff16  # noqa: E402
from resources import sample_path  # noqa: E402


def picture(path: str, size: int) -> np.ndarray:
    with Image.open(path) as im:
        rgb = np.asarray(im.convert("RGB"), np.float32) / 255
    planes = [np.asarray(Image.fromarray(rgb[..., c], "F").resize((size, size), Image.BICUBIC)) for c in range(3)]
    return np.round(np.clip(np.stack(planes, 2), 0, 1) * 65535).astype(np.uint16)


def unfiltered_write(path, data):
    """The earlier png16.py: filter 0 on every row, zlib level 6."""
    h, w, c = data.shape
    rows = data.astype(">u2").reshape(h, w * c).view(np.uint8).reshape(h, -1)
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rows], axis=1).tobytes()
    head = _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, {3: 2, 4: 6}[c], 0, 0, 0))
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + head + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b""))


def pypng_write(path, data):
    import png  # local: optional, only for this comparison

    h, w, c = data.shape
    png.Writer(w, h, bitdepth=16, greyscale=False, alpha=c == 4).write_array(open(path, "wb"), data.reshape(-1))


def cv2_write(path, data, params=()):
    import cv2  # local: optional (video extra)

    cv2.imwrite(str(path), np.ascontiguousarray(data[..., ::-1]), list(params))


def tifffile_write(path, data, **kw):
    import tifffile  # local: optional, only for this comparison

    tifffile.imwrite(path, data, photometric="rgb", **kw)


def cv2_read(path) -> np.ndarray:
    import cv2  # local: optional (video extra)

    back = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    return None if back is None else back[..., ::-1]


def writers():
    """(name, suffix, module it needs or None, write(path, data))."""
    return [
        ("png16.py (Up filter, zlib 3)", ".png", None, write_png16),
        ("earlier png16.py (none, zlib 6)", ".png", None, unfiltered_write),
        ("pypng", ".png", "png", pypng_write),
        ("OpenCV PNG (default level 1)", ".png", "cv2", cv2_write),
        ("OpenCV PNG level 6", ".png", "cv2", lambda p, d: cv2_write(p, d, (16, 6))),  # IMWRITE_PNG_COMPRESSION
        ("png16.write_tiff16 (tifffile)", ".tif", "tifffile", write_tiff16),
        (
            "tifffile (deflate+predictor)",
            ".tif",
            "tifffile",
            lambda p, d: tifffile_write(p, d, compression="zlib", predictor=True),
        ),
        ("OpenCV TIFF (LZW)", ".tif", "cv2", cv2_write),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--image", default=str(sample_path("style")))
    args = parser.parse_args()
    data = picture(args.image, args.size)
    can_read = importlib.util.find_spec("cv2") is not None
    print(f"{args.size}x{args.size} 16-bit RGB ({data.nbytes / 2**20:.1f} MiB raw), best of {args.repeats}")
    print(f"{'writer':<32} {'write s':>8} {'MiB':>7} {'exact':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, suffix, needs, write in writers():
            if needs and importlib.util.find_spec(needs) is None:
                print(f"{name:<32} {'not installed':>23}")
                continue
            path = Path(tmp) / f"out{suffix}"
            best = float("inf")
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                write(path, data)
                best = min(best, time.perf_counter() - t0)
            back = cv2_read(path) if can_read else None
            exact = "?" if back is None else ("yes" if np.array_equal(back, data) else "NO")
            print(f"{name:<32} {best:>8.2f} {path.stat().st_size / 2**20:>7.1f} {exact:>6}")


if __name__ == "__main__":
    main()
