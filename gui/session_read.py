"""Reading a session file (.nss): the whole file is checked before anything
of the window changes; every problem is one StyleError naming it.

Loading used to swap the document first and raise on a bad field later, so
the next Ctrl+S wrote the user's work over a different session file.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import io
import json
import warnings
from pathlib import Path

import numpy as np
from PIL import Image

from engine.errors import StyleError
from engine.image.io import load_image
from engine.settings import Settings

from .document import Document
from .mask_model import labels_from_colours
from .region_names import clean_name, default_name, name_problem
from .video_frames import read_frame_image

VERSION = 3  # the newest this build reads; 3: a video's frame is the content ("content_frame")
PLAIN_VERSION = 2  # written when no video frame is the content, so that older builds still read the file
FORMAT = "neural-style-studio-session"
_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "list": (list,), "dict": (dict,), "bool": (bool,)}


class SessionError(StyleError):
    pass


def _fail(path, problem: str) -> SessionError:
    return SessionError(f"Session {Path(path).name} cannot be opened: {problem}. The current work is unchanged.")


def _field(data: dict, key: str, kind, path, default=None):
    value = data.get(key, default)
    if value is not None and not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise _fail(path, f"its field {key!r} should be a {names}, not {type(value).__name__}")
    return value


def _png(b64, mode: str, what: str, path) -> np.ndarray:
    if not isinstance(b64, str):
        raise _fail(path, f"the {what} is not stored as text")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(base64.b64decode(b64, validate=True))) as im:
                im.load()
                return np.asarray(im.convert(mode))
    except (
        OSError,
        ValueError,
        binascii.Error,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _fail(path, f"the {what} is damaged") from None


def read_json(path) -> dict:
    p = Path(path)
    if not p.is_file():
        raise _fail(path, "it is not a file" if p.exists() else "it does not exist")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except PermissionError:
        raise _fail(path, "permission denied") from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise _fail(path, "it is not a session saved by Neural Style Studio, or it is truncated or damaged") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _fail(path, "it is not a Neural Style Studio session file")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(path, f"its version {version!r} is not valid")
    if version > VERSION:
        raise _fail(
            path,
            f"it was saved by a newer Neural Style Studio (session version {version}; this one reads "
            f"up to {VERSION}); update the program",
        )
    return data


def read_settings(raw, path) -> Settings:
    if not isinstance(raw, dict):
        raise _fail(path, "its settings are not a table of values")
    kinds = {f.name: f.type for f in dataclasses.fields(Settings)}
    for key, value in raw.items():
        if key not in kinds:
            raise _fail(path, f"it has an unknown setting {key!r}")
        ok = _TYPES.get(kinds[key], (object,))
        if not isinstance(value, ok) or (isinstance(value, bool) and kinds[key] != "bool"):
            raise _fail(path, f"its setting {key!r} should be a {kinds[key]}, not {value!r}")
    try:
        return Settings.from_dict(dict(raw)).validate()
    except (StyleError, TypeError, ValueError) as exc:
        raise _fail(path, f"its settings are not valid ({str(exc).rstrip('.')})") from None


def _read_masks(doc: Document, data: dict, path) -> None:
    masks = _field(data, "masks", dict, path, {})
    covers = _field(data, "covers", dict, path, {})  # version 1 sessions have none: their masks are hard
    for key, b64 in masks.items():
        mask = doc.mask(key) if key == "content" or (key.startswith("style") and key[5:].isdigit()) else None
        if mask is None:
            raise _fail(path, f"it has a mask for {key!r}, an image the session does not have")
        rgb = _png(b64, "RGB", f"mask of {key}", path)
        if rgb.shape[:2] != (mask.size[1], mask.size[0]):
            raise _fail(
                path,
                f"the mask of {key} is {rgb.shape[1]}x{rgb.shape[0]} but its image is {mask.size[0]}x{mask.size[1]}",
            )
        mask.label, mask.cover = labels_from_colours(rgb.astype(np.int32))
        if key in covers:
            cover = _png(covers[key], "L", f"mask cover of {key}", path)
            if cover.shape != mask.label.shape:
                raise _fail(path, f"the mask cover of {key} does not match its image's size")
            mask.cover = np.where(mask.label > 0, cover, 0).astype(np.uint8)


def _read_region_styles(doc: Document, data: dict, path) -> None:
    raw = _field(data, "region_styles", dict, path, {})
    try:
        regions = {int(k): int(v) for k, v in raw.items()}
    except (TypeError, ValueError):
        raise _fail(path, "its region-to-style table holds something other than numbers") from None
    if any(s < 0 or s >= len(doc.styles) for s in regions.values()):
        raise _fail(path, "its region-to-style table names a style image the session does not have")
    doc.region_styles = regions


def _read_region_names(doc: Document, data: dict, path) -> None:
    """Sessions saved before regions had names have none: every region is then "Region k"."""
    raw = _field(data, "region_names", dict, path, {})
    table = {}
    for key, value in raw.items():
        problem = name_problem(key, value)
        if problem:
            raise _fail(path, problem)
        table[int(key)] = clean_name(value, int(key))
    doc.region_names.update({region: name for region, name in table.items() if name != default_name(region)})


def _content_frame(data: dict, path) -> int | None:
    """Which frame of a video the content was (a session saved while a video frame was the content)."""
    frame = _field(data, "content_frame", int, path)
    if frame is not None and (isinstance(frame, bool) or frame < 0):
        raise _fail(path, f"its content frame {frame!r} is not a frame number")
    return frame


def read_session(path: str | Path) -> tuple[Document, Settings]:
    """Rebuild the document and settings from the whole file, or raise SessionError; nothing else changes."""
    data = read_json(path)
    settings = read_settings(data.get("settings", {}), path)
    doc = Document()
    content = _field(data, "content", str, path)
    styles = _field(data, "styles", list, path, [])
    if not all(isinstance(s, str) for s in styles):
        raise _fail(path, "its list of style images holds something other than file names")
    frame = _content_frame(data, path)
    try:
        if content:
            doc.content = load_image(content, "Content image") if frame is None else read_frame_image(content, frame)
        doc.styles = [load_image(p, "Style image") for p in styles]
    except StyleError as exc:
        raise _fail(path, f"an image it uses cannot be loaded: {str(exc).rstrip('.')}") from None
    _read_masks(doc, data, path)
    _read_region_styles(doc, data, path)
    _read_region_names(doc, data, path)
    if data.get("result") is not None:
        doc.result = _png(data["result"], "RGB", "stored result", path).astype(np.float32) / 255.0
        doc.result_settings = _field(data, "result_settings", str, path)
        doc.result_alpha = doc.content.alpha if doc.content is not None else None
        if doc.result_alpha is not None and doc.result_alpha.shape[:2] != doc.result.shape[:2]:
            doc.result_alpha = None
    return doc, settings
