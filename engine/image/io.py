"""Reading images: any common file in, RGB floats out, and resizing them.

Loading honours EXIF orientation and ICC profiles, accepts grayscale,
palette, CMYK, 16-bit and alpha images, and keeps the alpha channel so it can
be re-attached to the result. Writing them back is engine/image/write.py.
"""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ..errors import StyleError

MIN_SIDE = 32
MAX_PIXELS = 400_000_000  # 20000 x 20000; anything larger is not a photo


@dataclass
class LoadedImage:
    rgb: np.ndarray  # float32 (H, W, 3) in [0, 1], sRGB
    alpha: np.ndarray | None  # float32 (H, W) in [0, 1] or None
    path: str
    text: dict  # PNG text chunks (settings of an earlier run live here)


def load_image(path: str | Path, what: str = "Image") -> LoadedImage:
    path = Path(path)
    check_readable_file(path, what)
    if path.stat().st_size == 0:  # a failed download or copy; Pillow would only say it cannot identify it
        raise StyleError(f"{what} {path} is empty (0 bytes); copy or export the image again.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we check the size ourselves
            with Image.open(path) as opened:
                if opened.width * opened.height > pixel_limit():
                    raise StyleError(
                        _too_large(what, path, opened.width * opened.height, f"{opened.width}x{opened.height}")
                    )
                opened.load()
                text = dict(getattr(opened, "text", {}) or {})
                im = ImageOps.exif_transpose(opened)
    except StyleError:
        raise
    except UnidentifiedImageError:
        raise StyleError(
            f"{what} {path} is not an image Pillow can read; use a PNG, JPEG, TIFF, BMP or WebP file."
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(found.group(1)) if found else pixel_limit() + 1
        raise StyleError(_too_large(what, path, pixels, None)) from None
    except PermissionError:
        raise StyleError(f"{what} {path} cannot be read: permission denied; check the file's permissions.") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise StyleError(f"{what} {path} is damaged or truncated ({exc}); export it again from its source.") from None
    if min(im.size) < MIN_SIDE:
        raise StyleError(
            f"{what} {path} is only {im.width}x{im.height} pixels; use an image at least {MIN_SIDE} px on each side."
        )
    rgb, alpha = _to_rgb_float(im)
    return LoadedImage(rgb, alpha, str(path), text)


def check_readable_file(path: Path, what: str, kind: str = "an image file") -> None:
    """A regular file we may read: FIFOs and devices would hang the reader.
    `kind` names what the user should give instead ("an image file")."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise StyleError(f"{what} {path} does not exist; check the file name.") from None
    except PermissionError:
        raise StyleError(f"{what} {path} cannot be read: permission denied; check the folder's permissions.") from None
    except OSError as exc:
        raise StyleError(f"{what} {path} cannot be read ({exc.strerror}); check the path.") from None
    if stat.S_ISDIR(mode):
        raise StyleError(f"{what} {path} is a folder; choose {kind} inside it.")
    if not stat.S_ISREG(mode):
        raise StyleError(f"{what} {path} is not a regular file (a pipe or a device); give {kind} instead.")
    if not os.access(path, os.R_OK):
        raise StyleError(f"{what} {path} cannot be read: permission denied; check the file's permissions.")


def pixel_limit() -> int:
    """The largest image we open: ours, or Pillow's (lower) decompression-bomb limit."""
    return min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)


def _too_large(what: str, path: Path, pixels: int, size: str | None) -> str:
    limit = pixel_limit()
    side = int(limit**0.5)
    shown = f"{size} ({pixels / 1e6:.1f} megapixels)" if size else f"{pixels / 1e6:.1f} megapixels"
    return (
        f"{what} {path} is {shown}, too large: the limit is "
        f"{limit / 1e6:.1f} megapixels (about {side}x{side}); scale it down first."
    )


def _to_srgb(im: Image.Image) -> Image.Image:
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return im
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode=out_mode)
    except (ImageCms.PyCMSError, OSError):
        return im  # a broken profile: use the pixels as they are


def _to_rgb_float(im: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    alpha = None
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.float32)
        scale = 65535.0 if im.mode.startswith("I;16") or arr.max() > 255 else 255.0
        g = np.clip(arr / scale, 0, 1)
        return np.repeat(g[..., None], 3, axis=2), None
    if im.mode == "F":
        g = np.clip(np.asarray(im, dtype=np.float32), 0, 1)
        return np.repeat(g[..., None], 3, axis=2), None
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode in ("LA", "PA", "La"):
        im = im.convert("RGBA")
    if im.mode == "RGBa":
        im = im.convert("RGBA")
    im = _to_srgb(im)
    if im.mode == "RGBA":
        alpha = np.asarray(im.getchannel("A"), dtype=np.float32) / 255.0
        if alpha.min() >= 1.0:
            alpha = None
        im = im.convert("RGB")
    elif im.mode != "RGB":
        im = im.convert("RGB")
    return np.asarray(im, dtype=np.float32) / 255.0, alpha


def resize_long_side(rgb: np.ndarray, long_side: int) -> np.ndarray:
    """Resize so the long side is `long_side` px (Lanczos, float in/out)."""
    h, w = rgb.shape[:2]
    scale = long_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return resize_to(rgb, size)


def resize_to(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize float RGB to (width, height)."""
    if rgb.shape[1::-1] == tuple(size):
        return rgb
    chans = [
        Image.fromarray(rgb[..., c].astype(np.float32), "F").resize(size, Image.LANCZOS) for c in range(rgb.shape[2])
    ]
    return np.clip(np.stack([np.asarray(c) for c in chans], axis=2), 0, 1)
