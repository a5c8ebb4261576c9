"""The loss of one pass: content, style (global, guided by masks, or
localised), total variation and the photorealism term, with every target
computed once when the objective is built."""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from . import losses
from .localised import LOCALISED_DEEPEST
from .network import network_for
from .settings import Settings

# The soft range (losses.range_loss): pixels may enter the outer RANGE_MARGIN
# of [0, 1] only as far as the other terms insist; its weight grows with
# theirs so that a strong style cannot outbid it. The optimisers also keep
# pixels inside [0, 1] outright (engine/devopt.py, engine/optimise.py).
RANGE_MARGIN = 0.04
RANGE_WEIGHT = 100.0


def range_weight(settings: Settings) -> float:
    return RANGE_WEIGHT * (settings.content_weight + settings.style_weight)


@dataclass
class Objective:
    net: torch.nn.Module
    settings: Settings
    device: torch.device
    dtype: torch.dtype
    content_w: dict
    style_w: dict
    content_targets: dict = field(default_factory=dict)
    style_targets: dict = field(default_factory=dict)  # layer -> blended Gram (global mode)
    guided: object = None  # masks.GuidedTargets or guided-sums targets
    masks: dict | None = None  # layer -> (R, 1, h, w) output guidance
    local_targets: dict | None = None
    laplacian: object = None  # matting.MattingLaplacian for the photorealism term
    photoreal_weight: float = 0.0

    @property
    def layers(self) -> set:
        return set(self.content_w) | set(self.style_w)

    def features(self, image: torch.Tensor, layers) -> dict:
        # The optimised image stays NCHW-contiguous (L-BFGS flattens its
        # gradient with view()); the network itself runs channels_last.
        if self.device.type in ("cpu", "cuda"):
            image = image.contiguous(memory_format=torch.channels_last)
        return self.net(image, layers)

    def style_term(self, feats: dict) -> torch.Tensor:
        s = self.settings
        if self.local_targets is not None:
            from .localised import localised_style_loss

            return localised_style_loss(feats, self.local_targets, self.style_w, window=s.local_window)
        if self.masks is not None:
            from . import masks

            if s.mask_method == "sums":
                return masks.guided_sums_loss(feats, self.masks, self.guided, self.style_w)
            return masks.guided_style_loss(feats, self.masks, self.guided, self.style_w,
                                           s.region_weights or None, s.mask_global_weight)
        return losses.style_loss(feats, self.style_targets, self.style_w)

    def terms(self, image: torch.Tensor) -> dict:
        feats = self.features(image, self.layers)
        s = self.settings
        out = {}
        if self.content_w and s.content_weight > 0:
            out["content"] = s.content_weight * losses.content_loss(feats, self.content_targets, self.content_w)
        if self.style_w:
            out["style"] = s.style_weight * self.style_term(feats)
        if s.tv_weight > 0:
            out["tv"] = s.tv_weight * losses.tv_loss(image)
        out["range"] = range_weight(s) * losses.range_loss(image, RANGE_MARGIN)
        if self.laplacian is not None and self.photoreal_weight > 0:
            # Mean over pixels and channels, like every other term here.
            out["photoreal"] = self.photoreal_weight * self.laplacian.energy(image.float()) / image[0].numel()
        return out


def build_objective(content, styles, blend, settings: Settings, device, dtype, *, regions=None,
                    laplacian=None, photoreal_weight=0.0, style_grams: dict | None = None) -> Objective:
    """Targets for content (B,3,H,W) or None and style tensors, computed once.

    `style_grams` gives the blended style Gram targets ready-made (tiled passes
    sum them over the whole style image), instead of style tensors.
    """
    from .errors import StyleError

    net = network_for(settings, device, dtype)
    content_w = losses.normalise_weights(settings.content_layers) if content is not None else {}
    style_w = losses.normalise_weights(settings.style_layers) if styles or style_grams else {}
    if settings.local_window:
        style_w = losses.normalise_weights({k: v for k, v in style_w.items() if int(k[4]) <= LOCALISED_DEEPEST})
    if not content_w and not style_w:
        raise StyleError("Nothing to optimise: give a content image with content layers, or style images with style layers.")
    obj = Objective(net, settings, device, dtype, content_w, style_w, laplacian=laplacian,
                    photoreal_weight=photoreal_weight)
    with torch.no_grad():
        if content_w or regions:
            wanted = set(content_w) | (set(style_w) if regions else set())
            feats = obj.features(content, wanted)
            obj.content_targets = {k: feats[k].float() for k in content_w}
        style_feats = [{k: v.float() for k, v in obj.features(img, style_w).items()} for img in styles] if style_w else []
    if style_grams is not None:
        obj.style_targets = style_grams
        return obj
    if not style_w:
        return obj
    if settings.local_window:
        from .localised import localised_targets

        obj.local_targets = {}
        for f, b in zip(style_feats, blend):
            for layer, t in localised_targets(f, style_w, window=settings.local_window).items():
                obj.local_targets[layer] = b * t + obj.local_targets.get(layer, 0)
    elif regions:
        from . import masks

        shapes = {k: tuple(feats[k].shape[-2:]) for k in style_w}
        obj.masks = masks.output_masks(regions, shapes, settings.mask_propagation, net.arch, device)
        if settings.mask_method == "sums":
            obj.guided = masks.guided_sums_targets(style_feats, regions, obj.masks, style_w,
                                                   settings.mask_propagation, net.arch)
        else:
            obj.guided = masks.guided_gram_targets(style_feats, regions, style_w, settings.mask_propagation, net.arch)
    else:
        for f, b in zip(style_feats, blend):
            for layer, t in f.items():
                obj.style_targets[layer] = b * losses.gram_matrix(t) + obj.style_targets.get(layer, 0)
    return obj
