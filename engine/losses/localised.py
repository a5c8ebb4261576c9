"""Localised style loss (Nikulin & Novak 2016, "Exploring the Neural Algorithm").

The global Gram matrix is replaced by correlation maps that vary over the
image, G_ij(x, y) = sum_{dx,dy} w(dx, dy) F_i(x+dx, y+dy) F_j(x+dx, y+dy),
compared position by position between the output and the style image. The
style is therefore resized to the output size before it goes through the
network (:func:`localised_targets` checks the shapes), and the loss is
content-aware: the painting's local texture lands where it was.

Cost, and the departures from the paper that keep it sane. The exact maps
hold C^2 numbers per position (262,144 at relu4_1), far too many; so

* features are first projected on k channels (default 16) by a fixed random
  orthonormal projection, the same for output and style, so correlations are
  those of a k-dimensional subspace of the features; ``channels=None`` keeps
  all of them (fine up to relu2_1 at small sizes, and used by the tests);
* only the k(k+1)/2 entries with i <= j are kept (G is symmetric), so an
  off-diagonal entry counts once in the mean, not twice;
* w is a normalised Gaussian window (sigma = window / 4) or a box, so the
  maps are local means of F_i F_j and have the scale of G = F F^T / M;
  positions beyond the border repeat the border (replicate padding).

At 256 px with relu1_1..relu3_1, k = 16 and window 7 this is 136 maps per
layer and a few hundred MFLOP per iteration, small beside the network.
Usage: ``targets = localised_targets(style_feats, layers)`` once per run,
then ``localised_style_loss(feats, targets, layer_weights)`` per iteration,
with the same ``window`` and ``channels`` in both.
"""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F

from ..errors import StyleError

DEFAULT_WINDOW = 7
DEFAULT_CHANNELS = 16
# Localised correlation maps are costly on deep layers (C^2 maps per position
# before projection); the localised loss uses the style layers up to this block.
LOCALISED_DEEPEST = 3
WEIGHTINGS = ("gaussian", "box")


@functools.lru_cache(maxsize=16)
def projection(in_channels: int, out_channels: int, seed: int = 0) -> torch.Tensor:
    """Fixed (out, in) matrix with orthonormal rows; identical for every call."""
    g = torch.Generator().manual_seed(seed * 100_003 + in_channels)
    q, _ = torch.linalg.qr(torch.randn(in_channels, out_channels, generator=g))
    return q.T.contiguous()


@functools.lru_cache(maxsize=16)
def triu_indices(k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(i, j) of the k(k+1)/2 entries with i <= j, in the order local_gram returns them."""
    i, j = torch.triu_indices(k, k)
    return i, j


def window_weights(window: int, weighting: str = "gaussian") -> torch.Tensor:
    """1-D weights of the separable window, summing to 1."""
    if window < 1 or window % 2 == 0:
        raise StyleError(f"The localised style window must be an odd number of pixels (1, 3, 5, ...), got {window}.")
    if weighting not in WEIGHTINGS:
        raise StyleError(f"Window weighting {weighting!r} is unknown; use one of {', '.join(WEIGHTINGS)}.")
    if weighting == "box":
        return torch.full((window,), 1.0 / window)
    x = torch.arange(window, dtype=torch.float32) - (window - 1) / 2
    w = torch.exp(-0.5 * (x / (window / 4)) ** 2)
    return w / w.sum()


def local_gram(
    features: torch.Tensor,
    window: int = DEFAULT_WINDOW,
    channels: int | None = DEFAULT_CHANNELS,
    weighting: str = "gaussian",
) -> torch.Tensor:
    """Local correlation maps of (B, C, H, W) features: (B, k(k+1)/2, H, W), fp32.

    Entry p = (i, j) from :func:`triu_indices` at (y, x) is
    sum_{dy,dx} w(dy) w(dx) P_i(y+dy, x+dx) P_j(y+dy, x+dx), with P the
    features projected on ``channels`` channels (all of them if None or if
    C <= channels) and coordinates clamped to the map.
    """
    if features.dim() != 4:
        raise StyleError(f"local_gram needs (B, C, H, W) features, got shape {tuple(features.shape)}.")
    f = features.float()
    c = f.shape[1]
    if channels is not None and channels < c:
        f = torch.einsum("kc,bchw->bkhw", projection(c, channels).to(f.device), f)
    k = f.shape[1]
    i, j = triu_indices(k)
    prod = f[:, i.to(f.device)] * f[:, j.to(f.device)]  # (B, P, H, W)
    if window == 1:
        window_weights(window, weighting)  # validates the arguments
        return prod
    w = window_weights(window, weighting).to(f.device)
    p, r = prod.shape[1], window // 2
    prod = F.pad(prod, (r, r, r, r), mode="replicate")
    prod = F.conv2d(prod, w.view(1, 1, 1, -1).expand(p, 1, 1, window), groups=p)
    return F.conv2d(prod, w.view(1, 1, -1, 1).expand(p, 1, window, 1), groups=p)


def localised_targets(
    style_features: dict,
    layers,
    window: int = DEFAULT_WINDOW,
    channels: int | None = DEFAULT_CHANNELS,
    weighting: str = "gaussian",
) -> dict:
    """{layer: local_gram(style)}; compute once per run, from the style resized to the output size."""
    return {layer: local_gram(style_features[layer], window, channels, weighting).detach() for layer in layers}


def localised_style_loss(
    features: dict,
    targets: dict,
    weights: dict,
    window: int = DEFAULT_WINDOW,
    channels: int | None = DEFAULT_CHANNELS,
    weighting: str = "gaussian",
) -> torch.Tensor:
    """sum_l w_l * mean over maps and positions of (G_l(x)(x, y) - G_l(a)(x, y))^2."""
    total = None
    for layer, w in weights.items():
        g = local_gram(features[layer], window, channels, weighting)
        target = targets[layer]
        if g.shape != target.shape:
            raise StyleError(
                f"The localised style target at {layer} has shape {tuple(target.shape)} but the output's is "
                f"{tuple(g.shape)}; resize the style image to the output size and use the same window and "
                "channel count, because positions are compared one to one."
            )
        term = w * (g - target).pow(2).mean()
        total = term if total is None else total + term
    return total
