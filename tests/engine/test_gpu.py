"""GPU checks; CI has no GPU, so these are skipped there (marker: gpu)."""
import pytest
import torch

from engine.settings import Settings
from engine.transfer import stylize

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
]


def test_gpu_result_matches_cpu_statistically(cat_rgb, starry_rgb):
    s = Settings(size=96, iterations=30, preview_every=0, seed=5, precision="fp32")
    cpu = stylize(cat_rgb, [starry_rgb], s.replace(device="cpu"))
    gpu = stylize(cat_rgb, [starry_rgb], s.replace(device="cuda"))
    assert abs(gpu.loss - cpu.loss) / cpu.loss < 0.05
    assert abs(gpu.image.mean() - cpu.image.mean()) < 0.02


def test_gpu_bf16_final_loss_is_close_to_fp32(cat_rgb, starry_rgb):
    s = Settings(size=128, iterations=40, preview_every=0, device="cuda")
    fp32 = stylize(cat_rgb, [starry_rgb], s.replace(precision="fp32")).loss
    bf16 = stylize(cat_rgb, [starry_rgb], s.replace(precision="bf16")).loss
    assert abs(bf16 - fp32) / fp32 < 0.08
