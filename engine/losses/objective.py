"""The loss of one pass: content, style (global, guided by masks, or
localised), total variation, the soft range, the photorealism term and, for
a video frame, the temporal term.

`build_objective` computes every target once and returns a frozen
`Objective`; nothing changes it afterwards. The style term is one of four
small strategies (StyleTerm) chosen at build time, so `Objective.terms` has no
branch on the mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import torch

from ..errors import StyleError
from ..network.build import features_of, network_for
from ..settings import Settings
from . import guided, terms
from .localised import LOCALISED_DEEPEST, localised_style_loss, localised_targets
from .temporal import temporal_loss

# The soft range (terms.range_loss): pixels may enter the outer RANGE_MARGIN
# of [0, 1] only as far as the other terms insist; its weight grows with
# theirs so that a strong style cannot outbid it. The optimisers also keep
# pixels inside [0, 1] outright (engine/optim/).
RANGE_MARGIN = 0.04
RANGE_WEIGHT = 100.0


def range_weight(settings: Settings) -> float:
    return RANGE_WEIGHT * (settings.content_weight + settings.style_weight)


@dataclass(frozen=True)
class Balance:
    """The weights of the terms (alpha, beta, TV, range, lambda)."""

    content: float
    style: float
    tv: float
    range: float
    photoreal: float

    @classmethod
    def of(cls, settings: Settings, photoreal_weight: float) -> Balance:
        return cls(
            settings.content_weight, settings.style_weight, settings.tv_weight, range_weight(settings), photoreal_weight
        )


@dataclass(frozen=True)
class StyleTerm:
    """One style loss with its targets, called on the output's features:
    "gram" (Gatys et al.: blended Gram matrices), "guided gram" and "guided
    sums" (Gatys et al. 2017: mask regions) or "localised" (Nikulin & Novak)."""

    kind: str
    loss: Callable
    targets: tuple  # the loss's arguments after the features

    def __call__(self, feats: dict) -> torch.Tensor:
        return self.loss(feats, *self.targets)


@dataclass(frozen=True)
class Objective:
    """The loss of one pass, with its targets: frozen once built."""

    net: torch.nn.Module
    device: torch.device
    dtype: torch.dtype
    content_w: dict
    style_w: dict
    content_targets: dict
    style: StyleTerm | None  # None without style layers
    balance: Balance
    laplacian: object = None  # matting.MattingLaplacian for the photorealism term
    temporal: tuple | None = None  # (weight, warped (1,3,H,W), reliable (1,1,H,W)) of a video frame

    @property
    def layers(self) -> set:
        return set(self.content_w) | set(self.style_w)

    def features(self, image: torch.Tensor, layers) -> dict:
        return features_of(self.net, image, layers, self.device)

    def terms(self, image: torch.Tensor) -> dict:
        feats = self.features(image, self.layers)
        b = self.balance
        out = {}
        if self.content_w and b.content > 0:
            out["content"] = b.content * terms.content_loss(feats, self.content_targets, self.content_w)
        if self.style_w:
            out["style"] = b.style * self.style(feats)
        if b.tv > 0:
            out["tv"] = b.tv * terms.tv_loss(image)
        out["range"] = b.range * terms.range_loss(image, RANGE_MARGIN)
        if self.laplacian is not None and b.photoreal > 0:
            # Mean over pixels and channels, like every other term here.
            out["photoreal"] = b.photoreal * self.laplacian.energy(image.float()) / image[0].numel()
        if self.temporal is not None:
            weight, warped, reliable = self.temporal
            out["temporal"] = weight * temporal_loss(image, warped, reliable)
        return out


def layer_weights(settings: Settings, has_content: bool, has_style: bool) -> tuple[dict, dict]:
    """(content, style) layer weights, each normalised to sum 1."""
    content_w = terms.normalise_weights(settings.content_layers) if has_content else {}
    style_w = terms.normalise_weights(settings.style_layers) if has_style else {}
    if settings.local_window:
        style_w = terms.normalise_weights({k: v for k, v in style_w.items() if int(k[4]) <= LOCALISED_DEEPEST})
    if not content_w and not style_w:
        raise StyleError(
            "Nothing to optimise: give a content image with content layers, or style images with style layers."
        )
    return content_w, style_w


def build_objective(
    content,
    styles,
    blend,
    settings: Settings,
    device,
    dtype,
    *,
    regions=None,
    laplacian=None,
    photoreal_weight=0.0,
    style_grams: dict | None = None,
    temporal=None,
) -> Objective:
    """Targets for content (B,3,H,W) or None and style tensors, computed once.

    `temporal` is a losses.temporal.TemporalTarget at this pass's size (as
    tensors: weight, warped, reliable); its weight is relative to content +
    style weight, so one value suits every style strength.

    `style_grams` gives the blended style Gram targets ready-made (tiled passes
    sum them over the whole style image), instead of style tensors.
    """
    net = network_for(settings, device, dtype)
    content_w, style_w = layer_weights(settings, content is not None, bool(styles or style_grams))
    content_feats, style_feats = {}, []
    with torch.no_grad():
        if content_w or regions:
            wanted = set(content_w) | (set(style_w) if regions else set())
            content_feats = features_of(net, content, wanted, device)
        if style_w:
            style_feats = [{k: v.float() for k, v in features_of(net, img, style_w, device).items()} for img in styles]
    content_targets = {k: content_feats[k].float() for k in content_w}
    style = None
    if style_grams is not None:
        style = StyleTerm("gram", terms.style_loss, (style_grams, style_w))
    elif style_w:
        shapes = {k: tuple(content_feats[k].shape[-2:]) for k in style_w} if regions else {}
        style = _style_term(style_feats, blend, style_w, settings, regions, shapes, net.arch, device)
    if temporal is not None:
        weight, warped, reliable = temporal
        temporal = (weight * (settings.content_weight + settings.style_weight), warped, reliable)
    return Objective(
        net,
        device,
        dtype,
        content_w,
        style_w,
        content_targets,
        style,
        Balance.of(settings, photoreal_weight),
        laplacian,
        temporal,
    )


def _style_term(style_feats, blend, style_w, settings, regions, shapes, arch, device):
    """The style strategy of this pass, with its targets."""
    if settings.local_window:
        targets = {}
        for f, b in zip(style_feats, blend):
            for layer, t in localised_targets(f, style_w, window=settings.local_window).items():
                targets[layer] = b * t + targets.get(layer, 0)
        return StyleTerm("localised", partial(localised_style_loss, window=settings.local_window), (targets, style_w))
    if regions:
        masks = guided.output_masks(regions, shapes, settings.mask_propagation, arch, device)
        if settings.mask_method == "sums":
            sums = guided.guided_sums_targets(style_feats, regions, masks, style_w, settings.mask_propagation, arch)
            return StyleTerm("guided sums", guided.guided_sums_loss, (masks, sums, style_w))
        grams = guided.guided_gram_targets(style_feats, regions, style_w, settings.mask_propagation, arch)
        return StyleTerm(
            "guided gram",
            guided.guided_style_loss,
            (masks, grams, style_w, settings.region_weights or None, settings.mask_global_weight),
        )
    grams = {}
    for f, b in zip(style_feats, blend):
        for layer, t in f.items():
            grams[layer] = b * terms.gram_matrix(t) + grams.get(layer, 0)
    return StyleTerm("gram", terms.style_loss, (grams, style_w))
