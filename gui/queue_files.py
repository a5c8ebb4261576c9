"""The current document as a Queue job: files on disk, since a job outlives the window's memory.

A queued job runs later, maybe after a restart, so it must not read the
window's images or masks, which the user goes on editing. The photo and the
styles are used from their files when those still exist; images that have no
file (a session's embedded copy) and the masks are written to a folder of
their own in the app's data folder, one per job, so a later edit never
changes a job already queued. Masks go as label PNGs, the form the command
line reads (each region in its colour, black for none).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
from PIL import Image

from engine.errors import StyleError
from engine.image.io import LoadedImage

from .document import Document
from .model import DocumentModel


def current_job(model: DocumentModel, folder: Path) -> dict | None:
    """The model's document and settings as a Queue job; its files go under `folder`."""
    try:
        settings = model.settings.to_dict()
    except StyleError:
        return None
    return queue_document(model.doc, settings, folder)


def queue_document(doc: Document, settings: dict, folder: Path) -> dict | None:
    """The QueuePanel's job for `doc` (see gui.queue_panel), or None when there is no photo or style."""
    if doc.content is None or not doc.styles:
        return None
    own = folder / uuid.uuid4().hex[:12]
    content = _image_file(doc.content, own, "photo")
    styles = [_image_file(s, own, f"style{i + 1}") for i, s in enumerate(doc.styles)]
    content_mask, style_masks = doc.engine_masks()  # the masks exactly as a run in the window sends them
    job = {"content": content, "styles": styles, "settings": dict(settings), "content_mask": None, "style_masks": []}
    if content_mask is not None:
        job["content_mask"] = _label_file(content_mask, own / "photo-mask.png")
        job["style_masks"] = [
            _label_file(m, own / f"style{i + 1}-mask.png") if m is not None else None for i, m in enumerate(style_masks)
        ]
    return job


def _image_file(image: LoadedImage, folder: Path, fallback: str) -> str:
    if image.path and Path(image.path).is_file():
        return str(image.path)
    name = Path(image.path).stem if image.path else fallback
    path = folder / f"{name}.png"
    folder.mkdir(parents=True, exist_ok=True)
    rgb = np.clip(np.round(image.rgb * 255), 0, 255).astype(np.uint8)
    Image.fromarray(rgb, "RGB").save(path, "PNG")
    return str(path)


def label_image(colours: list, masks: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8: each pixel in the colour of its strongest region (soft edges made hard)."""
    return np.asarray(colours, np.uint8)[np.argmax(masks, axis=0)]


def _label_file(regions: tuple, path: Path) -> str:
    colours, masks = regions
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(label_image(colours, masks), "RGB").save(path, "PNG")
    return str(path)
