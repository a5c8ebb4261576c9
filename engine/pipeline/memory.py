"""Estimating the memory a run needs, so a too-large size fails up front
with a message naming the largest size that fits."""

from __future__ import annotations

import os
import sys

import torch

from ..losses.localised import DEFAULT_CHANNELS, LOCALISED_DEEPEST
from ..network.device import pick_device, pick_precision
from ..network.vgg import BLOCKS
from .advice import TooLittleMemory

# Measured peak / predicted activation bytes on this project's CPU runs
# (peak RSS of renders, README "Memory"); covers autograd's temporaries and
# the allocator, with room to spare since the Gram matrices stopped copying.
SAFETY = 1.6
FIXED = 600 * 2**20  # weights, Python, torch itself


def activation_floats_per_pixel(deepest_block: int = 5, arch: str = "vgg19") -> float:
    """Floats kept for the backward pass per output pixel: three tensors
    (padded input, conv output, ReLU output) per conv, shrinking 4x a block."""
    total = 0.0
    for block, n in enumerate(BLOCKS[arch][:deepest_block], start=1):
        channels = min(64 * 2 ** (block - 1), 512)
        total += 3 * n * channels / 4 ** (block - 1)
    return total


def estimate_bytes(size_wh: tuple[int, int], settings) -> int:
    w, h = size_wh
    pixels = w * h
    device = pick_device(settings.device)
    act_bytes = 2 if pick_precision(device, settings.precision) == torch.bfloat16 else 4
    layers = list(settings.content_layers) + list(settings.style_layers)
    deepest = max((int(name[4]) for name in layers), default=5)
    activations = activation_floats_per_pixel(deepest) * act_bytes * pixels
    history = settings.lbfgs_history * 2 * 3 * 4 * pixels if settings.optimizer == "lbfgs" else 3 * 3 * 4 * pixels
    return int(SAFETY * (activations + localised_bytes(size_wh, settings)) + history + FIXED)


# Buffers the localised loss keeps per style layer, in maps of the layer's size:
# the style's target, the products, the padded products, two window passes and
# the difference (engine/losses/localised.py).
LOCALISED_BUFFERS = 6
LOCALISED_MAPS = DEFAULT_CHANNELS * (DEFAULT_CHANNELS + 1) // 2  # k(k+1)/2 maps of k projected channels


def localised_bytes(size_wh: tuple[int, int], settings) -> int:
    """The localised style loss's per-layer correlation maps (0 when it is off):
    fp32, on every style layer up to block 3, padded by half the window."""
    if not settings.local_window:
        return 0
    w, h = size_wh
    total = 0
    for name in settings.style_layers:
        block = int(name[4])
        if block > LOCALISED_DEEPEST:
            continue
        stride = 2 ** (block - 1)
        pad = 2 * (settings.local_window // 2)
        total += LOCALISED_BUFFERS * LOCALISED_MAPS * 4 * (w // stride + pad) * (h // stride + pad)
    return total


def available_bytes(device: torch.device) -> int | None:
    if device.type == "cuda":
        return torch.cuda.mem_get_info(device)[0]
    if device.type == "cpu" and sys.platform.startswith("linux"):
        try:
            with open("/proc/meminfo") as f:
                for line in f:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
    if device.type == "cpu" and hasattr(os, "sysconf"):
        try:
            return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
        except (ValueError, OSError):
            return None
    return None


def largest_fitting_size(size_wh, settings, budget: int) -> int:
    """The largest long side (multiple of 64) whose estimate fits in budget."""
    w, h = size_wh
    aspect = min(w, h) / max(w, h)
    lo = 0
    for long_side in range(64, 32768, 64):
        short = max(1, round(long_side * aspect))
        if estimate_bytes((long_side, short), settings) > budget:
            break
        lo = long_side
    return lo


def fit_history(size_wh, settings, notes: list | None = None):
    """The settings, with a shorter L-BFGS memory if that is what makes this
    size fit; StyleError naming the largest size that fits otherwise."""
    device = pick_device(settings.device)
    budget = available_bytes(device)
    if budget is None or estimate_bytes(size_wh, settings) <= budget:
        return settings
    if settings.optimizer == "lbfgs":
        for history in (20, 5):
            if (
                history < settings.lbfgs_history
                and estimate_bytes(size_wh, settings.replace(lbfgs_history=history)) <= budget
            ):
                if notes is not None:
                    notes.append(
                        f"L-BFGS memory lowered from {settings.lbfgs_history} to {history} to fit {max(size_wh)} px"
                    )
                return settings.replace(lbfgs_history=history)
    check_memory(size_wh, settings)
    return settings


def check_memory(size_wh, settings) -> None:
    device = pick_device(settings.device)
    budget = available_bytes(device)
    if budget is None:
        return
    need = estimate_bytes(size_wh, settings)
    if need > budget:
        fits = largest_fitting_size(size_wh, settings, budget)
        raise TooLittleMemory(max(size_wh), need, budget, device.type, fits)


def whole_image_fits(size_wh, device) -> bool:
    """Whether the full-size arrays a tiled pass keeps (~64 bytes a pixel) fit."""
    budget = available_bytes(device)
    return budget is None or 64 * size_wh[0] * size_wh[1] <= 0.5 * budget
