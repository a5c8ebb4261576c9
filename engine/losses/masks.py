"""Guidance masks for spatial control (Gatys et al. CVPR 2017, METHOD.md section 2):
label images, soft masks, and the pairing of content regions with style regions.

A label image paints regions with flat colours; a content region takes its style from the style
image whose mask holds the same colour. engine/losses/guided.py propagates the masks to every
style layer and weights the Gram matrices with them::

    regions = pair_regions(content_label, style_labels, content_image=content, style_images=styles)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..errors import StyleError

MAX_REGIONS = 32
_SOFT_PALETTE = [  # given to soft masks, so content and style masks pair by position
    (255, 0, 0),
    (0, 255, 0),
    (0, 0, 255),
    (255, 255, 0),
    (255, 0, 255),
    (0, 255, 255),
]


@dataclass(frozen=True, eq=False)
class Region:
    """One content region and where its style comes from."""

    colour: tuple[int, int, int]
    content_mask: np.ndarray  # float32 (H, W) in [0, 1], content image size
    style_index: int
    style_mask: np.ndarray | None  # float32 (h, w); None: the whole style image

    @property
    def name(self) -> str:
        return hex_colour(self.colour)


def hex_colour(colour) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in colour)


def label_regions(label) -> tuple[list[tuple[int, int, int]], np.ndarray]:
    """One region per distinct colour of a label image: (colours, masks (R, H, W)).

    Accepts uint8 (H, W, 3), RGBA (alpha ignored) or grey (H, W); floats in
    [0, 1] are scaled to 0..255. Colours are sorted, so the order is stable.
    """
    a = np.asarray(label)
    if a.dtype == bool or np.issubdtype(a.dtype, np.floating):
        a = np.round(np.clip(a.astype(np.float64), 0, 1) * 255)
    a = a.astype(np.uint8)
    if a.ndim == 2:
        a = np.repeat(a[..., None], 3, axis=-1)
    if a.ndim != 3 or a.shape[-1] not in (3, 4):
        raise StyleError(f"A label mask must be an image of shape (H, W), (H, W, 3) or (H, W, 4), got {a.shape}.")
    code = (a[..., 0].astype(np.int32) << 16) | (a[..., 1].astype(np.int32) << 8) | a[..., 2]
    codes, inverse = np.unique(code, return_inverse=True)
    if len(codes) > MAX_REGIONS:
        raise StyleError(
            f"The label mask has {len(codes)} colours, more than {MAX_REGIONS} regions; paint it with a few flat "
            "colours, antialiasing off, and save it as PNG (JPEG adds colours)."
        )
    colours = [((int(c) >> 16) & 255, (int(c) >> 8) & 255, int(c) & 255) for c in codes]
    inverse = inverse.reshape(code.shape)
    masks = (inverse[None] == np.arange(len(codes))[:, None, None]).astype(np.float32)
    return colours, masks


def soft_masks(masks, colours=None) -> tuple[list[tuple[int, int, int]], np.ndarray]:
    """Soft grey masks (a list of (H, W) floats in [0, 1]) as (colours, masks (R, H, W)).

    Without ``colours`` mask i gets the i-th colour of a fixed palette, so the
    i-th content mask pairs with the i-th mask of each style.
    """
    masks = [np.asarray(m, dtype=np.float32) for m in masks]
    if not masks or any(m.ndim != 2 or m.shape != masks[0].shape for m in masks):
        raise StyleError("Soft masks must be one or more (H, W) grey images of the same size.")
    colours = list(colours) if colours is not None else _SOFT_PALETTE[: len(masks)]
    if len(colours) != len(masks):
        raise StyleError(f"Give one colour per soft mask ({len(masks)} masks, {len(colours)} colours).")
    return [tuple(int(v) for v in c) for c in colours], np.clip(np.stack(masks), 0.0, 1.0)


def resize_label(label, hw: tuple[int, int]):
    """A label image resized to (h, w) nearest-neighbour, so no new colours
    appear; soft ``(colours, masks)`` are resized smoothly instead."""
    if isinstance(label, tuple):
        colours, masks = label
        masks = np.asarray(masks, np.float32)
        if masks.shape[-2:] == tuple(hw):
            return colours, masks
        resized = [np.asarray(Image.fromarray(m, "F").resize((hw[1], hw[0]), Image.BILINEAR)) for m in masks]
        return colours, np.clip(np.stack(resized), 0.0, 1.0)
    a = np.asarray(label)
    if a.shape[:2] == tuple(hw):
        return a
    return np.asarray(Image.fromarray(a).resize((hw[1], hw[0]), Image.NEAREST))


def check_mask_size(mask, image, what: str = "mask") -> None:
    """StyleError unless the mask (a label image, an (H, W) mask or soft
    ``(colours, masks)``) has its image's height and width."""
    if isinstance(mask, tuple):
        mask = np.asarray(mask[1])[0]
    mh, mw = np.shape(mask)[-2:] if np.ndim(mask) == 2 else np.shape(mask)[:2]
    ih, iw = np.shape(image)[:2]
    if (mh, mw) != (ih, iw):
        raise StyleError(
            f"The {what} is {mw}x{mh} pixels but its image is {iw}x{ih}; "
            "paint the mask over the image itself or resize it to the image's size."
        )


def _as_regions(label):
    return (list(label[0]), np.asarray(label[1], np.float32)) if isinstance(label, tuple) else label_regions(label)


def pair_regions(content_label, style_labels, *, content_image=None, style_images=None) -> list[Region]:
    """Pair each content region with the first style whose mask has its colour.

    Labels are label images or ``(colours, masks)`` from :func:`soft_masks`.
    A style given ``None`` for its mask has no regions of its own and serves,
    as a whole, every content colour no masked style has (the first such
    style). A content colour no style can serve is an error.
    """
    style_labels = list(style_labels)
    if not style_labels:
        raise StyleError("Spatial control needs at least one style image; add a style image.")
    colours, masks = _as_regions(content_label)
    if content_image is not None:
        check_mask_size(masks[0], content_image, "content mask")
    styles = []
    for j, label in enumerate(style_labels):
        if label is None:
            styles.append(None)
            continue
        s_colours, s_masks = _as_regions(label)
        if style_images is not None:
            check_mask_size(s_masks[0], style_images[j], f"mask of style image {j + 1}")
        styles.append(dict(zip(s_colours, s_masks)))
    fallback = next((j for j, s in enumerate(styles) if s is None), None)
    regions, orphans = [], []
    for colour, mask in zip(colours, masks):
        j = next((j for j, s in enumerate(styles) if s is not None and colour in s), fallback)
        if j is None:
            orphans.append(hex_colour(colour))
        else:
            regions.append(Region(colour, mask, j, None if styles[j] is None else styles[j][colour]))
    if orphans:
        known = ", ".join(sorted({hex_colour(c) for s in styles if s for c in s}))
        raise StyleError(
            f"The content mask colour(s) {', '.join(orphans)} appear in no style mask; paint them into one of "
            f"the style masks, or repaint the content mask with colours the style masks use ({known})."
        )
    return regions
