"""Loss terms as pure functions.

Normalisation departs from Gatys et al. on purpose: every term is a mean, not
a sum, so its size does not depend on the image size or the number of
filters. The paper's E_l = 1/(4 N^2 M^2) sum (G - A)^2 equals one quarter of
our Gram loss with G = F F^T / M, so the style term is the paper's up to a
constant; the content term is the paper's 1/2 sum (F - P)^2 divided by N*M/2.
"""

from __future__ import annotations

import torch


class _GramFn(torch.autograd.Function):
    """f^T f for (B, M, C) features, returned in fp32; saves only its input.

    The input is a view of the network's activations (which autograd keeps
    anyway), so a style layer adds no saved tensor of its own: with
    `features.float().reshape(...)` the fp32 copy (and, for channels_last, the
    reshaped copy) would be kept for the backward pass, twice a bf16 layer's
    size. The backward runs in the features' dtype, like the rest of the net.
    """

    @staticmethod
    def forward(ctx, f: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(f)
        return _mtm_fp32(f)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        (f,) = ctx.saved_tensors
        return torch.bmm(f, (grad + grad.mT).to(f.dtype))


def _mtm_fp32(f: torch.Tensor) -> torch.Tensor:
    if f.dtype in (torch.float32, torch.float64):
        return torch.bmm(f.mT, f)
    if f.is_cuda:  # fp32 output straight from the bf16 GEMM, no fp32 copy of the features
        return torch.bmm(f.mT, f, out_dtype=torch.float32)
    ff = f.float()  # CPU kernels have no bf16-in, fp32-out GEMM; the copy is freed at once
    return torch.bmm(ff.mT, ff)


def feature_rows(features: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) features as a (B, H*W, C) view, without a copy in either
    memory format (channels_last is (B, H, W, C) in memory)."""
    b, c, h, w = features.shape
    if features.is_contiguous(memory_format=torch.channels_last):
        return features.permute(0, 2, 3, 1).reshape(b, h * w, c)
    return features.reshape(b, c, h * w).mT


def gram_matrix(features: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Gram matrix G = F F^T / M of (B, C, H, W) features, in fp32.

    With a mask of shape (B, 1, H, W) (or (H, W)) each position is weighted by
    the mask (a guided Gram matrix) and the result is divided by the mask's sum
    instead of M, so regions of different size weigh alike.
    """
    b, c, h, w = features.shape
    if mask is not None:
        m = mask.float().reshape(-1, 1, h, w)
        f = features.float() * m
        denom = (m * m).flatten(1).sum(1).clamp_min(1e-8).view(-1, 1, 1)
        f = f.reshape(b, c, h * w)
        return torch.bmm(f, f.transpose(1, 2)) / denom
    return _GramFn.apply(feature_rows(features)) / float(h * w)


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


def range_loss(image: torch.Tensor, margin: float) -> torch.Tensor:
    """Mean squared distance of the pixels from [margin, 1 - margin]: a soft
    shoulder inside the hard range, so that what the style pushes past black
    or white keeps some of its detail instead of sitting flat on the bound."""
    x = image.float()
    return ((margin - x).clamp_min(0).pow(2) + (x - (1 - margin)).clamp_min(0).pow(2)).mean()


def normalise_weights(weights: dict) -> dict:
    """Layer weights scaled to sum 1 (the paper's w_l = 1/|layers|)."""
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items() if v > 0} if total > 0 else {}
