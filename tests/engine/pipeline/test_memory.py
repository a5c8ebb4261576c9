"""The memory estimate counts every buffer a run keeps, so a setting that would
not fit is refused up front instead of being killed by the kernel."""

import torch

from engine.losses.localised import local_gram
from engine.pipeline.memory import SAFETY, estimate_bytes, localised_bytes
from engine.settings import Settings


def test_localised_maps_are_counted_per_style_layer():
    settings = Settings().replace(local_window=7, style_layers={"relu1_1": 1.0, "relu2_1": 1.0, "relu4_1": 1.0})
    w, h = 96, 64
    maps = 0
    for channels, stride in ((64, 1), (128, 2)):  # relu4_1 is beyond the localised loss's deepest block
        g = local_gram(torch.rand(1, channels, h // stride, w // stride), window=7)
        maps += g.numel()
    # target, products, padded products, two window passes, difference: six buffers of the maps' size at least
    assert localised_bytes((w, h), settings) >= 6 * 4 * maps
    assert localised_bytes((w, h), settings.replace(local_window=0)) == 0


def test_a_localised_run_is_estimated_larger_by_its_maps():
    plain = Settings()
    local = plain.replace(local_window=7)
    size = (512, 384)
    extra = estimate_bytes(size, local) - estimate_bytes(size, plain)
    assert abs(extra - SAFETY * localised_bytes(size, local)) < 2
    # measured peak RSS at 512x340 here: 1.40 GB plain, 2.61 GB with --local-window 7
    assert 0.8e9 < extra * 340 / 384 < 2.0e9
