"""Building (and caching) the frozen feature network for a device, and running it."""

from __future__ import annotations

import functools

import torch

from .vgg import VGGFeatures
from .weights import load_vgg_weights


@functools.lru_cache(maxsize=3)
def load_network(
    weights: str, weights_format: str, pooling: str, padding: str, device: str, dtype: torch.dtype = torch.float32
) -> VGGFeatures:
    """The network for these settings; cached, because loading takes a second.

    A bf16 network holds bf16 weights and runs in bf16 outright instead of
    under autocast: CPU autocast keeps the reflection padding in fp32, so every
    layer would cast its activations twice (measured: a fifth slower at 512 px).
    Callers cast the features to fp32 before Gram matrices and sums.
    """
    net = VGGFeatures(load_vgg_weights(weights or None, weights_format), pooling, padding)
    net = net.to(torch.device(device))
    net.convs.to(dtype)  # the input normalisation stays fp32 (a bf16 mean pixel is off by ~0.5)
    if torch.device(device).type in ("cpu", "cuda"):
        net = net.to(memory_format=torch.channels_last)
    return net


def network_for(settings, device: torch.device, dtype: torch.dtype = torch.float32) -> VGGFeatures:
    return load_network(
        settings.weights, settings.weights_format, settings.pooling, settings.padding, str(device), dtype
    )


def features_of(net: VGGFeatures, image: torch.Tensor, layers, device: torch.device) -> dict:
    """The network's features of `image` at `layers`.

    The optimised image stays NCHW-contiguous (L-BFGS flattens its gradient
    with view()); the network itself runs channels_last."""
    if device.type in ("cpu", "cuda"):
        image = image.contiguous(memory_format=torch.channels_last)
    return net(image, layers)
