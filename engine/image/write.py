"""Writing images: RGB floats in [0, 1] out as PNG, JPEG or TIFF, with the run's settings.

encode_image makes the file's bytes in memory (a batch worker sends them to the
driver); save_image writes them. Saving never overwrites unless asked and is
atomic: a temporary file in the same folder, then a rename. The settings go in a
PNG text chunk or, for JPEG and TIFF, in a sidecar ``<file>.json``, and
read_settings_text finds them in either.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from ..errors import StyleError
from .png16 import encode_png16, encode_tiff16

SETTINGS_KEY = "neural-style-studio"
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF"}


def sidecar_path(path: Path) -> Path:
    """Where the settings of a JPEG or TIFF output go: ``<file>.json``."""
    return path.with_name(path.name + ".json")


def has_sidecar(suffix: str) -> bool:
    """Whether an output of this type keeps its settings beside it rather than inside."""
    return FORMATS[suffix.lower()] != "PNG"


def check_output_path(path: str | Path, overwrite: bool = False) -> Path:
    """Validate an output path before any work is done."""
    if not str(path).strip():
        raise StyleError("The output name is empty; give a file name such as result.png.")
    text, path = str(path), Path(path)
    if _is_folder(path):  # before the suffix: a folder is not a missing extension
        raise StyleError(f"{path} is a folder; give a file name such as {path / 'result.png'}.")
    if text.endswith(("/", os.sep)):
        raise StyleError(f"Output {text} names a folder; give a file name such as {path / 'result.png'}.")
    if path.name.lower() in FORMATS:  # ".png": Path sees a hidden file with no suffix
        raise StyleError(f"Output {path} has no name before {path.name}; give a name such as result{path.name}.")
    if path.suffix.lower() not in FORMATS:
        raise StyleError(f"Output {path} must end in .png, .jpg, .jpeg, .tif or .tiff.")
    folder = path.parent if str(path.parent) else Path(".")
    check_output_folder(folder)
    if not os.access(folder, os.W_OK | os.X_OK) or not real_folder(folder):
        raise StyleError(f"Output folder {folder} is not writable; choose a folder you can write to.")
    if len(path.name.encode("utf-8", "surrogateescape")) + len(".json") > _name_max(folder):
        raise StyleError(f"Output name {path.name[:40]}... is too long for this file system; choose a shorter name.")
    if path.exists() and not overwrite:
        raise StyleError(f"{path} already exists; choose another name or pass --overwrite to replace it.")
    sidecar = sidecar_path(path)
    if has_sidecar(path.suffix) and sidecar.exists() and not overwrite:
        raise StyleError(f"{sidecar} already exists; choose another name or pass --overwrite to replace it.")
    return path


def _is_folder(path: Path) -> bool:
    """is_dir() that says no, rather than raising, for a name too long for the file system."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def check_output_folder(folder: Path) -> None:
    """The folder an output goes in exists and is a folder, or one sentence that says which part is wrong."""
    if _is_folder(folder):
        return
    for part in (folder, *folder.parents):
        if _exists(part) and not _is_folder(part):
            raise StyleError(
                f"Output folder {folder} cannot be used: {part} is a file, not a folder; choose another path."
            )
    raise StyleError(f"Output folder {folder} does not exist; create it or choose another folder.")


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def real_folder(folder: Path) -> bool:
    """Pseudo file systems (/proc, /sys) pass os.access but take no new files."""
    try:
        return os.statvfs(folder).f_blocks > 0
    except OSError:
        return False


def encode_image(
    rgb: np.ndarray,
    alpha: np.ndarray | None = None,
    *,
    suffix: str = ".png",
    bits: int = 8,
    settings_json: str | None = None,
    quality: int = 95,
) -> bytes:
    """The bytes of the file save_image writes for `suffix` (".png", ".jpg", ".tif"...).
    PNG and 16-bit TIFF carry the settings inside; the sidecar is the caller's to write."""
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise StyleError(f"Image type {suffix} is not one we write; use .png, .jpg, .jpeg, .tif or .tiff.")
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
    if bits == 16:
        data = np.round(planes * 65535).astype(np.uint16)
        text = {SETTINGS_KEY: settings_json} if settings_json else {}
        return (encode_png16 if fmt == "PNG" else encode_tiff16)(data, text)
    return _encode_8bit(planes, fmt, settings_json, quality)


def _encode_8bit(planes: np.ndarray, fmt: str, settings_json: str | None, quality: int) -> bytes:
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
    out = io.BytesIO()
    im.save(out, fmt, **kwargs)
    return out.getvalue()


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
    data = encode_image(rgb, alpha, suffix=path.suffix, bits=bits, settings_json=settings_json, quality=quality)
    tmp = _write_temporary(path, data)
    try:
        if settings_json and has_sidecar(path.suffix):
            _write_atomic(sidecar_path(path), settings_json.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it: the old file or the new, never half."""
    tmp = _write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_temporary(path: Path, data: bytes) -> str:
    """A hidden temporary file beside `path` holding `data`, with an export's usual permissions."""
    fd, tmp = tempfile.mkstemp(prefix=".nss-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        _normal_permissions(tmp)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


@functools.cache
def _umask() -> int:
    umask = os.umask(0o022)  # reading the umask means setting it; read it once
    os.umask(umask)
    return umask


def _normal_permissions(path) -> None:
    """mkstemp makes files private (0600); an export gets the usual 0666 & ~umask."""
    os.chmod(path, 0o666 & ~_umask())


def read_settings_text(path: str | Path) -> str | None:
    """The settings JSON embedded in an output of ours (or in its sidecar), if any."""
    path = Path(path)
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        return sidecar.read_text()
    try:
        with Image.open(path) as im:
            return (getattr(im, "text", {}) or {}).get(SETTINGS_KEY)
    except (OSError, UnidentifiedImageError):
        return None
