"""A region mask for one image: painting, filling, undo and PNG import/export.

A mask is two uint8 planes at the image's size: ``label`` (0 = no region,
k = region k) and ``cover`` (how firmly the pixel belongs to its label,
0..255). A soft brush (hardness < 1) takes a pixel over only where its
falloff reaches the pixel's current cover, so soft edges stay soft when
painted over. The engine gets soft masks: region k weighs cover/255 where
it is painted, "no region" (black) takes the rest, so a soft edge blends the
two styles. A region counts (is listed, can be assigned a style) once some
pixel of it has cover >= 128; label PNGs hold that hard view. Qt-free, so it
is tested without a window.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from .palette import MAX_REGIONS, REGION_COLOURS, colour_table

UNDO_LIMIT = 30


def brush_alpha(shape: tuple[int, int], cx: float, cy: float, radius: float, hardness: float):
    """(y0, y1, x0, x1, alpha) of a round dab: alpha 1 inside radius*hardness, falling to 0 at radius."""
    h, w = shape
    r = max(0.5, radius)
    y0, y1 = max(0, int(np.floor(cy - r))), min(h, int(np.ceil(cy + r)) + 1)
    x0, x1 = max(0, int(np.floor(cx - r))), min(w, int(np.ceil(cx + r)) + 1)
    if y0 >= y1 or x0 >= x1:
        return y0, y1, x0, x1, np.zeros((0, 0), np.float32)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d = np.hypot(xx + 0.5 - cx, yy + 0.5 - cy)
    inner = r * min(max(hardness, 0.0), 1.0)
    if inner >= r:
        alpha = (d <= r).astype(np.float32)
    else:
        alpha = np.clip((r - d) / (r - inner), 0.0, 1.0)
    return y0, y1, x0, x1, alpha


def stroke_points(p0: tuple[float, float], p1: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    """Dab centres from p0 to p1 spaced at a quarter radius, so a fast drag leaves no gaps."""
    dist = float(np.hypot(p1[0] - p0[0], p1[1] - p0[1]))
    n = max(1, int(np.ceil(dist / max(0.5, radius / 4))))
    return [(p0[0] + (p1[0] - p0[0]) * t / n, p0[1] + (p1[1] - p0[1]) * t / n) for t in range(1, n + 1)]


class RegionMask:
    """The mask of one image, with its own undo history."""

    def __init__(self, width: int, height: int):
        self.label = np.zeros((height, width), np.uint8)
        self.cover = np.zeros((height, width), np.uint8)
        self._undo: list[tuple[np.ndarray, np.ndarray]] = []
        self._redo: list[tuple[np.ndarray, np.ndarray]] = []

    @property
    def size(self) -> tuple[int, int]:
        return self.label.shape[1], self.label.shape[0]

    # --- history --------------------------------------------------------------
    def checkpoint(self) -> None:
        """Remember the current state before an edit (one stroke = one step)."""
        self._undo.append((self.label.copy(), self.cover.copy()))
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        return self._step(self._undo, self._redo)

    def redo(self) -> bool:
        return self._step(self._redo, self._undo)

    def _step(self, back_to: list, keep_in: list) -> bool:
        """Go back to the last state in `back_to`, keeping the current one in `keep_in`; False when empty."""
        if not back_to:
            return False
        keep_in.append((self.label, self.cover))
        self.label, self.cover = back_to.pop()
        return True

    # --- edits ----------------------------------------------------------------
    def dab(self, cx: float, cy: float, radius: float, hardness: float, region: int) -> None:
        """Paint region `region` (0 erases) at image point (cx, cy)."""
        y0, y1, x0, x1, alpha = brush_alpha(self.label.shape, cx, cy, radius, hardness)
        if alpha.size == 0:
            return
        a = np.round(alpha * 255).astype(np.uint8)
        lab, cov = self.label[y0:y1, x0:x1], self.cover[y0:y1, x0:x1]
        if region == 0:
            np.copyto(cov, (cov.astype(np.uint16) * (255 - a) // 255).astype(np.uint8))
            lab[cov == 0] = 0
            return
        same = lab == region
        np.copyto(cov, np.maximum(cov, a), where=same)
        take = ~same & (a > 0) & (a >= cov)
        lab[take] = region
        cov[take] = a[take]

    def stroke(self, p0, p1, radius: float, hardness: float, region: int) -> None:
        for cx, cy in stroke_points(p0, p1, radius):
            self.dab(cx, cy, radius, hardness, region)

    def fill(self, x: int, y: int, region: int) -> None:
        """Flood-fill the connected area of (x, y)'s hard label with `region`."""
        from scipy import ndimage  # local: scipy loads on the first fill, not at start-up

        h, w = self.label.shape
        if not (0 <= x < w and 0 <= y < h):
            return
        hard = self.hard_labels()
        parts, _ = ndimage.label(hard == hard[y, x])
        area = parts == parts[y, x]
        self.label[area] = region
        self.cover[area] = 255 if region else 0

    def clear(self) -> None:
        self.label[:] = 0
        self.cover[:] = 0

    # --- views ----------------------------------------------------------------
    def hard_labels(self) -> np.ndarray:
        return np.where(self.cover >= 128, self.label, 0).astype(np.uint8)

    def regions(self) -> list[int]:
        """Regions present in the hard mask, in order."""
        return [int(r) for r in np.unique(self.hard_labels()) if r]

    def is_empty(self) -> bool:
        return not self.regions()

    def soft_regions(self) -> tuple[list[tuple[int, int, int]], np.ndarray]:
        """(colours, masks (R, H, W) float32) for the engine: each listed region
        weighted by its cover, black (no region) by what is left, so the masks
        sum to 1 at every pixel. Black is a region only where the hard view
        has unpainted pixels, as in the label PNG: soft edges between painted
        regions alone do not ask the user for a style for black."""
        table = colour_table()
        weight = self.cover.astype(np.float32) / 255.0
        colours, masks = [], []
        for r in self.regions():
            colours.append(tuple(int(v) for v in table[r]))
            masks.append(np.where(self.label == r, weight, 0.0).astype(np.float32))
        if (self.hard_labels() == 0).any():
            rest = 1.0 - np.sum(masks, axis=0) if masks else np.ones(self.label.shape, np.float32)
            colours.insert(0, tuple(int(v) for v in table[0]))
            masks.insert(0, np.clip(rest, 0.0, 1.0).astype(np.float32))
        return colours, np.stack(masks)

    def label_image(self) -> np.ndarray:
        """(H, W, 3) uint8: each region in its colour, black where no region (the hard view, as in label PNGs)."""
        return colour_table()[self.hard_labels()]

    def overlay_rgba(self, opacity: float) -> np.ndarray:
        """(H, W, 4) uint8 premultiplied-free RGBA for drawing over the image."""
        rgba = np.zeros(self.label.shape + (4,), np.uint8)
        rgba[..., :3] = colour_table()[self.label]
        rgba[..., 3] = (self.cover.astype(np.float32) * opacity).astype(np.uint8)
        return rgba

    # --- files ----------------------------------------------------------------
    def save_png(self, path) -> None:
        Image.fromarray(self.label_image(), "RGB").save(path, "PNG")

    def load_png(self, path) -> None:
        """Read a label PNG: each region colour maps to its region; other colours to the nearest one.

        Black (or near-black) is no region. The file is resized to the image
        with nearest-neighbour sampling, so labels are never blended.
        """
        with Image.open(path) as im:
            im = im.convert("RGB").resize(self.size, Image.NEAREST)
            rgb = np.asarray(im, dtype=np.int32)
        self.checkpoint()
        self.label, self.cover = labels_from_colours(rgb)


def labels_from_colours(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Map an (H, W, 3) colour image to (label, cover) planes by nearest region colour."""
    table = colour_table().astype(np.int32)
    flat = rgb.reshape(-1, 3).astype(np.int32)
    colours, inverse = np.unique(flat, axis=0, return_inverse=True)
    d = ((colours[:, None, :] - table[None, :, :]) ** 2).sum(axis=2)
    nearest = d.argmin(axis=1).astype(np.uint8)
    label = nearest[inverse.reshape(-1)].reshape(rgb.shape[:2])
    cover = np.where(label > 0, 255, 0).astype(np.uint8)
    return label, cover


__all__ = ["RegionMask", "brush_alpha", "stroke_points", "labels_from_colours", "MAX_REGIONS", "REGION_COLOURS"]
