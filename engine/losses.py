"""Loss terms as pure functions.

Normalisation departs from Gatys et al. on purpose: every term is a mean, not
a sum, so its size does not depend on the image size or the number of
filters. The paper's E_l = 1/(4 N^2 M^2) sum (G - A)^2 equals one quarter of
our Gram loss with G = F F^T / M, so the style term is the paper's up to a
constant; the content term is the paper's 1/2 sum (F - P)^2 divided by N*M/2.
"""
from __future__ import annotations

import torch


def gram_matrix(features: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Gram matrix G = F F^T / M of (B, C, H, W) features, in fp32.

    With a mask of shape (B, 1, H, W) (or (H, W)) each position is weighted by
    the mask (a guided Gram matrix) and the result is divided by the mask's sum
    instead of M, so regions of different size weigh alike.
    """
    f = features.float()
    b, c, h, w = f.shape
    if mask is not None:
        m = mask.float().reshape(-1, 1, h, w)
        f = f * m
        denom = (m * m).flatten(1).sum(1).clamp_min(1e-8).view(-1, 1, 1)
    else:
        denom = torch.tensor(float(h * w), device=f.device)
    f = f.reshape(b, c, h * w)
    return torch.bmm(f, f.transpose(1, 2)) / denom


def content_loss(features: dict, targets: dict, weights: dict) -> torch.Tensor:
    """sum_l w_l * mean((F_l(x) - F_l(p))^2)."""
    total = None
    for layer, w in weights.items():
        term = w * (features[layer].float() - targets[layer].float()).pow(2).mean()
        total = term if total is None else total + term
    return total


def style_loss(features: dict, target_grams: dict, weights: dict) -> torch.Tensor:
    """sum_l w_l * mean((G_l(x) - A_l)^2) with G = F F^T / M."""
    total = None
    for layer, w in weights.items():
        term = w * (gram_matrix(features[layer]) - target_grams[layer]).pow(2).mean()
        total = term if total is None else total + term
    return total


def tv_loss(image: torch.Tensor) -> torch.Tensor:
    """Mean squared difference of horizontal and vertical neighbours."""
    dx = image[..., :, 1:] - image[..., :, :-1]
    dy = image[..., 1:, :] - image[..., :-1, :]
    return dx.float().pow(2).mean() + dy.float().pow(2).mean()


def normalise_weights(weights: dict) -> dict:
    """Layer weights scaled to sum 1 (the paper's w_l = 1/|layers|)."""
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items() if v > 0} if total > 0 else {}
