"""Building (and caching) the frozen feature network for a device."""
from __future__ import annotations

import functools

import torch

from .vgg import VGGFeatures
from .weights import load_vgg_weights


@functools.lru_cache(maxsize=2)
def load_network(weights: str, weights_format: str, pooling: str, padding: str, device: str) -> VGGFeatures:
    """The network for these settings; cached, because loading takes a second."""
    net = VGGFeatures(load_vgg_weights(weights or None, weights_format), pooling, padding)
    net = net.to(torch.device(device))
    if torch.device(device).type in ("cpu", "cuda"):
        net = net.to(memory_format=torch.channels_last)
    return net


def network_for(settings, device: torch.device) -> VGGFeatures:
    return load_network(settings.weights, settings.weights_format, settings.pooling, settings.padding, str(device))
