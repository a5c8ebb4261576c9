"""What the window is working on: the images, their masks, region->style map, the result.

Qt-free; the window and the session file read and write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.image.io import LoadedImage

from .mask_model import RegionMask
from .palette import colour_table


def style_key(index: int) -> str:
    return f"style{index}"


@dataclass
class Document:
    content: LoadedImage | None = None
    styles: list[LoadedImage] = field(default_factory=list)
    masks: dict[str, RegionMask] = field(default_factory=dict)  # "content", "style0", ...
    region_styles: dict[int, int] = field(default_factory=dict)  # content region -> style index
    result: np.ndarray | None = None  # float32 (H, W, 3)
    result_settings: str | None = None  # the settings JSON the result was made with
    result_alpha: np.ndarray | None = None  # the content's alpha, re-attached on export
    region_names: dict[int, str] = field(default_factory=dict)  # region -> the name the user gave it

    def image(self, key: str) -> np.ndarray | None:
        if key == "content":
            return self.content.rgb if self.content else None
        if key == "result":
            return self.result
        index = int(key[5:])
        return self.styles[index].rgb if index < len(self.styles) else None

    def keys(self) -> list[str]:
        keys = ["content"] if self.content else []
        keys += [style_key(i) for i in range(len(self.styles))]
        return keys + (["result"] if self.result is not None else [])

    def mask(self, key: str) -> RegionMask | None:
        """The mask of `key`'s image, created on first use; None for the result."""
        rgb = self.image(key) if key != "result" else None
        if rgb is None:
            return None
        h, w = rgb.shape[:2]
        mask = self.masks.get(key)
        if mask is None or mask.size != (w, h):
            mask = self.masks[key] = RegionMask(w, h)
        return mask

    def set_content(self, image: LoadedImage) -> None:
        self.content = image
        self.masks.pop("content", None)
        self.result = None

    def add_style(self, image: LoadedImage) -> None:
        self.styles.append(image)

    def remove_style(self, index: int) -> None:
        del self.styles[index]
        masks = {k: v for k, v in self.masks.items() if not k.startswith("style")}
        for k, v in self.masks.items():
            if k.startswith("style"):
                i = int(k[5:])
                if i != index:
                    masks[style_key(i - (i > index))] = v
        self.masks = masks
        self.region_styles = {r: s - (s > index) for r, s in self.region_styles.items() if s != index}

    def engine_masks(self) -> tuple[tuple | None, list[tuple | None]]:
        """(content_mask, style_masks) as soft (colours, masks) for the engine, or (None, []) without masks.

        The engine pairs each content colour with the first style whose mask
        holds it; a style sent without a mask (None) serves, whole, every
        colour no masked style has. So: a style with painted regions sends its
        own masks; an unpainted style assigned exactly one region is sent
        whole in that region's colour; other unpainted styles are sent as None.
        When no style is None, the first unpainted, assigned style is, so the
        unpainted (black) part of the content still has a style.
        """
        content = self.masks.get("content")
        if content is None or content.is_empty():
            return None, []
        style_masks: list[tuple | None] = []
        whole: list[int] = []  # styles sent whole in one colour
        for i, style in enumerate(self.styles):
            own = self.masks.get(style_key(i))
            assigned = sorted(r for r, s in self.region_styles.items() if s == i)
            if own is not None and not own.is_empty():
                style_masks.append(own.soft_regions())
            elif len(assigned) == 1:
                h, w = style.rgb.shape[:2]
                colour = tuple(int(v) for v in colour_table()[assigned[0]])
                style_masks.append(([colour], np.ones((1, h, w), np.float32)))
                whole.append(i)
            else:
                style_masks.append(None)
        if whole and all(m is not None for m in style_masks) and (content.hard_labels() == 0).any():
            style_masks[whole[0]] = None
        return content.soft_regions(), style_masks


def item_title(doc: Document, key: str) -> str:
    """The image list's name: what it is and which file ('Style 1: starry_night.jpg')."""
    image = doc.content if key == "content" else doc.styles[int(key[5:])] if key.startswith("style") else None
    short = "Photo" if key == "content" else key_title(key)
    return f"{short}: {Path(image.path).name}" if image is not None and image.path else short


def key_title(key: str) -> str:
    """'content' -> 'Content', 'style0' -> 'Style 1', 'result' -> 'Result'."""
    if key.startswith("style") and key[5:].isdigit():
        return f"Style {int(key[5:]) + 1}"
    return key.capitalize()
