"""Guided Gram matrices and guided sums (Gatys et al. CVPR 2017, METHOD.md section 2,
"Spatial control"): masks propagated to each layer weight the feature maps before the Gram
matrices, so each content region takes the statistics of its own style region.

How the objective uses this module (regions from engine/losses/masks.py, at the
resolution the network sees)::

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

from ..errors import StyleError
from ..network.vgg import receptive_fields
from .masks import Region
from .terms import gram_matrix

PROPAGATION_MODES = ("simple", "inside")


def propagate(
    mask, layer_shape, layer_name: str, mode: str = "simple", arch: str = "vgg19", region: str = "region"
) -> torch.Tensor:
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
        hint = ' or use mask propagation mode "simple"' if mode == "inside" else ""
        raise StyleError(
            f"Mask region {region} is empty at layer {layer_name} ({shape[1]}x{shape[0]} map); paint a larger region{hint}."
        )
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


def guided_gram_targets(
    style_features, regions, layers, mode: str = "simple", arch: str = "vgg19", style_weights=None
) -> GuidedTargets:
    """Guided Grams G^r_l(a^r) of every region's style region, and the global term.

    The global Gram blends the styles' ordinary Grams with ``style_weights``;
    by default each style weighs as much as the content area it serves.
    """
    if style_weights is None:
        style_weights = [
            sum(float(np.mean(r.content_mask)) for r in regions if r.style_index == j)
            for j in range(len(style_features))
        ]
    total = sum(style_weights) or 1.0
    grams, global_grams = {}, {}
    for layer in layers:
        feats = [style_features[r.style_index][layer] for r in regions]
        grams[layer] = torch.cat([gram_matrix(f, _style_mask(r, f, layer, mode, arch)) for r, f in zip(regions, feats)])
        global_grams[layer] = sum(
            (w / total) * gram_matrix(f[layer])
            for f, w in zip(style_features, style_weights)
            if f is not None and w > 0
        )
    return GuidedTargets(grams, global_grams)


def guided_style_loss(
    features: dict,
    masks: dict,
    targets: GuidedTargets,
    layer_weights: dict,
    region_weights=None,
    global_weight: float = 0.0,
) -> torch.Tensor:
    """E = sum_l w_l [sum_r lambda_r mean((G^r_l(x) - G^r_l(a^r))^2) + g mean((G_l(x) - G_l(a))^2)].

    Departure from the paper: lambda_r defaults to 1/R, not 1, so the guided
    loss has the scale of the ordinary style loss and the same style weight
    serves both. ``global_weight`` g is the paper's constant guidance channel.
    """
    total = None
    for layer, w in layer_weights.items():
        f, m = features[layer], masks[layer]
        r = m.shape[0]
        lam = (
            torch.full((r,), 1.0 / r)
            if region_weights is None
            else torch.as_tensor(region_weights, dtype=torch.float32)
        )
        per_region = (gram_matrix(f.expand(r, -1, -1, -1), m) - targets.grams[layer]).pow(2).mean((1, 2))
        term = (lam.to(per_region.device) * per_region).sum()
        if global_weight:
            term = term + global_weight * (gram_matrix(f) - targets.global_grams[layer]).pow(2).mean()
        total = w * term if total is None else total + w * term
    return total


def guided_sums_features(features: dict, masks: dict, scale: float = 1.0) -> dict:
    """Feature maps with the R guidance channels appended: {layer: (1, C + R, h, w)}."""
    return {layer: torch.cat([features[layer].float(), scale * masks[layer].transpose(0, 1)], 1) for layer in masks}


def guided_sums_targets(
    style_features, regions, masks: dict, layers, mode: str = "simple", arch: str = "vgg19", scale: float = 1.0
) -> dict:
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


def guided_sums_loss(
    features: dict, masks: dict, targets: dict, layer_weights: dict, scale: float = 1.0
) -> torch.Tensor:
    """sum_l w_l mean((Gram([F_l(x); T_l]) - target_l)^2): one Gram per layer."""
    stacked = guided_sums_features(features, {layer: masks[layer] for layer in layer_weights}, scale)
    return sum(w * (gram_matrix(stacked[layer]) - targets[layer]).pow(2).mean() for layer, w in layer_weights.items())
