"""Reading and writing images: any common file in, RGB floats out, and back.

Loading honours EXIF orientation and ICC profiles, accepts grayscale,
palette, CMYK, 16-bit and alpha images, and keeps the alpha channel so it can
be re-attached to the result. Saving never overwrites unless asked and is
atomic: a temporary file in the same folder, then a rename.
"""

from __future__ import annotations

import functools
import io
import os
import re
import stat
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps, PngImagePlugin, UnidentifiedImageError

from ..errors import StyleError
from .png16 import write_png16, write_tiff16

MIN_SIDE = 32
MAX_PIXELS = 400_000_000  # 20000 x 20000; anything larger is not a photo
SETTINGS_KEY = "neural-style-studio"
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF"}


@dataclass
class LoadedImage:
    rgb: np.ndarray  # float32 (H, W, 3) in [0, 1], sRGB
    alpha: np.ndarray | None  # float32 (H, W) in [0, 1] or None
    path: str
    text: dict  # PNG text chunks (settings of an earlier run live here)


def load_image(path: str | Path, what: str = "Image") -> LoadedImage:
    path = Path(path)
    check_readable_file(path, what)
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


def check_output_path(path: str | Path, overwrite: bool = False) -> Path:
    """Validate an output path before any work is done."""
    if not str(path).strip():
        raise StyleError("The output name is empty; give a file name such as result.png.")
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise StyleError(f"Output {path} must end in .png, .jpg, .jpeg, .tif or .tiff.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StyleError(f"Output folder {folder} does not exist; create it or choose another folder.")
    if not os.access(folder, os.W_OK | os.X_OK) or not _real_folder(folder):
        raise StyleError(f"Output folder {folder} is not writable; choose a folder you can write to.")
    if len(path.name.encode("utf-8", "surrogateescape")) + len(".json") > _name_max(folder):
        raise StyleError(f"Output name {path.name[:40]}... is too long for this file system; choose a shorter name.")
    if path.is_dir():
        raise StyleError(f"{path} is a folder; give a file name such as {path / 'result.png'}.")
    if path.exists() and not overwrite:
        raise StyleError(f"{path} already exists; choose another name or pass --overwrite to replace it.")
    sidecar = path.with_name(path.name + ".json")
    if FORMATS[path.suffix.lower()] != "PNG" and sidecar.exists() and not overwrite:
        raise StyleError(f"{sidecar} already exists; choose another name or pass --overwrite to replace it.")
    return path


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _real_folder(folder: Path) -> bool:
    """Pseudo file systems (/proc, /sys) pass os.access but take no new files."""
    try:
        return os.statvfs(folder).f_blocks > 0
    except OSError:
        return False


def save_image(
    path: str | Path,
    rgb: np.ndarray,
    alpha: np.ndarray | None = None,
    *,
    bits: int = 8,
    settings_json: str | None = None,
    overwrite: bool = False,
    quality: int = 95,
) -> Path:
    """Write RGB floats in [0, 1] atomically; settings go in a PNG text chunk
    or, for JPEG and TIFF, in a sidecar ``<file>.json``."""
    path = check_output_path(path, overwrite)
    fmt = FORMATS[path.suffix.lower()]
    if bits not in (8, 16):
        raise StyleError("Bit depth must be 8 or 16.")
    if bits == 16 and fmt == "JPEG":
        raise StyleError("JPEG cannot store 16 bits per channel; use .png or .tif for 16-bit output.")
    rgb = np.clip(np.nan_to_num(rgb), 0, 1)
    if alpha is not None and alpha.shape != rgb.shape[:2]:
        alpha = (
            np.asarray(Image.fromarray((alpha * 255).astype(np.uint8)).resize(rgb.shape[1::-1], Image.BICUBIC)) / 255.0
        )
    if alpha is not None and fmt == "JPEG":
        alpha = None  # JPEG has no alpha channel
    planes = rgb if alpha is None else np.concatenate([rgb, alpha[..., None]], axis=2)

    fd, tmp = tempfile.mkstemp(prefix=".nss-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        text = {SETTINGS_KEY: settings_json} if settings_json else {}
        if bits == 16:
            data = np.round(planes * 65535).astype(np.uint16)
            (write_png16 if fmt == "PNG" else write_tiff16)(tmp, data, text)
        else:
            _write_8bit(tmp, planes, fmt, settings_json, quality)
        if settings_json and fmt != "PNG":
            _atomic_text(path.with_name(path.name + ".json"), settings_json)
        _normal_permissions(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _write_8bit(tmp: str, planes: np.ndarray, fmt: str, settings_json: str | None, quality: int) -> None:
    data = np.round(planes * 255).astype(np.uint8)
    im = Image.fromarray(data, "RGBA" if data.shape[2] == 4 else "RGB")
    kwargs = {}
    if fmt == "PNG" and settings_json:
        info = PngImagePlugin.PngInfo()
        info.add_itxt(SETTINGS_KEY, settings_json)
        kwargs["pnginfo"] = info
    if fmt == "JPEG":
        kwargs.update(quality=quality, subsampling=0)
    if fmt == "TIFF":
        kwargs["compression"] = "tiff_deflate"
    im.save(tmp, fmt, **kwargs)


def _atomic_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".nss-", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        _normal_permissions(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    umask = os.umask(0o022)  # reading the umask means setting it; read it once
    os.umask(umask)
    return umask


def _normal_permissions(path) -> None:
    """mkstemp makes files private (0600); an export gets the usual 0666 & ~umask."""
    os.chmod(path, 0o666 & ~_umask())


def read_settings_text(path: str | Path) -> str | None:
    """The settings JSON embedded in an output of ours, if any."""
    path = Path(path)
    sidecar = path.with_name(path.name + ".json")
    if sidecar.is_file():
        return sidecar.read_text()
    try:
        with Image.open(path) as im:
            return (getattr(im, "text", {}) or {}).get(SETTINGS_KEY)
    except (OSError, UnidentifiedImageError):
        return None


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
