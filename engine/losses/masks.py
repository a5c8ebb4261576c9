"""Spatial control with guidance masks (Gatys et al. CVPR 2017).

A label image paints regions with flat colours; a content region takes its style from the style
image whose mask holds the same colour. Masks are propagated to every style layer and weight the
Gram matrices.

How the optimisation loop uses this module (masks at the resolution the
network sees: resize label images with :func:`resize_label` first)::

    regions = pair_regions(content_label, style_labels, content_image=content, style_images=styles)
    # once per run, style side and output side:
    shapes = {l: content_feats[l].shape[-2:] for l in style_layers}
    masks = output_masks(regions, shapes, mode="inside")
    targets = guided_gram_targets(style_feats, regions, style_layers, mode="inside")
    # every iteration:
    loss = guided_style_loss(net(x, layers), masks, targets, layer_weights, None, global_weight=0.0)

``style_feats`` is one ``{layer: (1, C, h, w)}`` dict per style image (None allowed for a style no
region uses). The cheaper "guided sums" variant: ``sums = guided_sums_targets(style_feats,
regions, masks, style_layers)`` once, then ``guided_sums_loss(features, masks, sums, layer_weights)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .errors import StyleError
from .losses import gram_matrix
from .vgg import receptive_fields

MAX_REGIONS = 32
PROPAGATION_MODES = ("simple", "inside")
_SOFT_PALETTE = [  # given to soft masks, so content and style masks pair by position
    (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (255, 0, 255), (0, 255, 255)]


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
        raise StyleError(f"The content mask colour(s) {', '.join(orphans)} appear in no style mask; paint them into one of "
                         f"the style masks, or repaint the content mask with colours the style masks use ({known}).")
    return regions


def propagate(mask, layer_shape, layer_name: str, mode: str = "simple", arch: str = "vgg19",
              region: str = "region") -> torch.Tensor:
    """A full-resolution mask (H, W) brought to a layer's map size (h, w).

    ``simple``: area down-sampling, so a neuron near a boundary counts for
    both sides. ``inside``: a neuron counts only as far as its whole
    receptive field lies inside the region: erode by (rf - stride + 1), the
    part of the field beyond the neuron's own stride block, then take the
    minimum over each block. The image border is treated as continuing the
    region (the network pads by reflection, so border neurons see only
    pixels of the image).
    """
    if mode not in PROPAGATION_MODES:
        raise StyleError(f"Mask propagation mode {mode!r} is unknown; use one of {', '.join(PROPAGATION_MODES)}.")
    m = torch.as_tensor(mask if torch.is_tensor(mask) else np.asarray(mask), dtype=torch.float32)
    m = m.reshape(1, 1, *m.shape[-2:])
    shape = tuple(int(s) for s in layer_shape)
    if mode == "simple":
        out = F.adaptive_avg_pool2d(m, shape)
    else:
        fields = receptive_fields(arch)
        if layer_name not in fields:
            raise StyleError(f"Layer {layer_name!r} is not a layer of {arch}; cannot propagate a mask to it.")
        rf, stride = fields[layer_name]
        k = rf - stride + 1  # odd for VGG: the field is the stride block plus (rf - stride) / 2 each side
        lo = (k - 1) // 2
        padded = F.pad(m, (lo, k - 1 - lo, lo, k - 1 - lo), mode="replicate")
        eroded = -F.max_pool2d(-padded, k, stride=1)
        out = -F.adaptive_max_pool2d(-eroded, shape)
    if float(out.max()) <= 1e-6:
        hint = " or use mask propagation mode \"simple\"" if mode == "inside" else ""
        raise StyleError(f"Mask region {region} is empty at layer {layer_name} ({shape[1]}x{shape[0]} map); paint a larger region{hint}.")
    return out[0, 0]


def output_masks(regions, layer_shapes: dict, mode: str = "simple", arch: str = "vgg19", device="cpu") -> dict:
    """Output-side guidance channels {layer: (R, 1, h, w)}; compute once per run."""
    return {
        layer: torch.stack(
            [propagate(r.content_mask, hw, layer, mode, arch, f"{r.name} of the content mask") for r in regions]
        )[:, None].to(device)
        for layer, hw in layer_shapes.items()
    }


def _style_mask(region: Region, feat: torch.Tensor, layer: str, mode: str, arch: str) -> torch.Tensor:
    if region.style_mask is None:
        return torch.ones(feat.shape[-2:], device=feat.device)
    where = f"{region.name} of the mask of style image {region.style_index + 1}"
    return propagate(region.style_mask, feat.shape[-2:], layer, mode, arch, where).to(feat.device)


@dataclass
class GuidedTargets:
    """Style-side targets, computed once per run."""

    grams: dict  # layer -> (R, C, C) guided Gram of each region's style region
    global_grams: dict  # layer -> (1, C, C) unguided Grams blended over the styles


def guided_gram_targets(style_features, regions, layers, mode: str = "simple", arch: str = "vgg19",
                        style_weights=None) -> GuidedTargets:
    """Guided Grams G^r_l(a^r) of every region's style region, and the global term.

    The global Gram blends the styles' ordinary Grams with ``style_weights``;
    by default each style weighs as much as the content area it serves.
    """
    if style_weights is None:
        style_weights = [sum(float(np.mean(r.content_mask)) for r in regions if r.style_index == j) for j in range(len(style_features))]
    total = sum(style_weights) or 1.0
    grams, global_grams = {}, {}
    for layer in layers:
        feats = [style_features[r.style_index][layer] for r in regions]
        grams[layer] = torch.cat([gram_matrix(f, _style_mask(r, f, layer, mode, arch)) for r, f in zip(regions, feats)])
        global_grams[layer] = sum(
            (w / total) * gram_matrix(f[layer]) for f, w in zip(style_features, style_weights) if f is not None and w > 0
        )
    return GuidedTargets(grams, global_grams)


def guided_style_loss(features: dict, masks: dict, targets: GuidedTargets, layer_weights: dict,
                      region_weights=None, global_weight: float = 0.0) -> torch.Tensor:
    """E = sum_l w_l [sum_r lambda_r mean((G^r_l(x) - G^r_l(a^r))^2) + g mean((G_l(x) - G_l(a))^2)].

    Departure from the paper: lambda_r defaults to 1/R, not 1, so the guided
    loss has the scale of the ordinary style loss and the same style weight
    serves both. ``global_weight`` g is the paper's constant guidance channel.
    """
    total = None
    for layer, w in layer_weights.items():
        f, m = features[layer], masks[layer]
        r = m.shape[0]
        lam = torch.full((r,), 1.0 / r) if region_weights is None else torch.as_tensor(region_weights, dtype=torch.float32)
        per_region = (gram_matrix(f.expand(r, -1, -1, -1), m) - targets.grams[layer]).pow(2).mean((1, 2))
        term = (lam.to(per_region.device) * per_region).sum()
        if global_weight:
            term = term + global_weight * (gram_matrix(f) - targets.global_grams[layer]).pow(2).mean()
        total = w * term if total is None else total + w * term
    return total


def guided_sums_features(features: dict, masks: dict, scale: float = 1.0) -> dict:
    """Feature maps with the R guidance channels appended: {layer: (1, C + R, h, w)}."""
    return {layer: torch.cat([features[layer].float(), scale * masks[layer].transpose(0, 1)], 1) for layer in masks}


def guided_sums_targets(style_features, regions, masks: dict, layers, mode: str = "simple", arch: str = "vgg19",
                        scale: float = 1.0) -> dict:
    """Target Gram of the stacked maps [F; T], built from each region's style statistics.

    The paper takes the stacked Gram of the style image; with several style
    images and regions of different sizes that target does not exist, so we
    build what the output's stacked Gram would be if every region r (content
    area a_r) had its style region's statistics: F F^T block sum_r a_r G^r
    / sum_r a_r; F T_r block a_r * (mask-weighted feature mean of the style
    region); T T^T block the output's own (a constant, so it adds no gradient).
    """
    out = {}
    for layer in layers:
        t = masks[layer].flatten(1)  # (R, M) output guidance
        areas = t.mean(1)
        ff, means = 0.0, []
        for r, a in zip(regions, areas):
            feat = style_features[r.style_index][layer].float()
            sm = _style_mask(r, feat, layer, mode, arch)
            ff = ff + a * gram_matrix(feat, sm)[0]
            means.append((feat.flatten(2)[0] * sm.flatten()).sum(1) / sm.sum())
        ff = ff / areas.sum()
        ft = torch.stack(means, 1) * areas[None] * scale  # (C, R)
        tt = (t @ t.T) / t.shape[1] * scale**2
        out[layer] = torch.cat([torch.cat([ff, ft], 1), torch.cat([ft.T, tt], 1)], 0)[None]
    return out


def guided_sums_loss(features: dict, masks: dict, targets: dict, layer_weights: dict, scale: float = 1.0) -> torch.Tensor:
    """sum_l w_l mean((Gram([F_l(x); T_l]) - target_l)^2): one Gram per layer."""
    stacked = guided_sums_features(features, {l: masks[l] for l in layer_weights}, scale)
    return sum(w * (gram_matrix(stacked[l]) - targets[l]).pow(2).mean() for l, w in layer_weights.items())
