"""GPU checks; CI has no GPU, so these are skipped there (marker: gpu).
Run them on a CUDA machine with `pytest -m gpu`."""

import pytest
import torch

from engine.pipeline.run import stylize
from engine.settings import Settings

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
]


def test_gpu_result_matches_cpu_statistically(cat_rgb, starry_rgb):
    s = Settings(
        quality="custom", size=96, iterations=30, preview_every=0, seed=5, precision="fp32", step_rule="sync-free"
    )
    cpu = stylize(cat_rgb, [starry_rgb], s.replace(device="cpu"))
    gpu = stylize(cat_rgb, [starry_rgb], s.replace(device="cuda"))
    assert abs(gpu.loss - cpu.loss) / cpu.loss < 0.05
    assert abs(gpu.image.mean() - cpu.image.mean()) < 0.02


def test_gpu_bf16_final_loss_is_close_to_fp32(cat_rgb, starry_rgb):
    s = Settings(quality="custom", size=128, iterations=40, preview_every=0, device="cuda")
    fp32 = stylize(cat_rgb, [starry_rgb], s.replace(precision="fp32")).loss
    bf16 = stylize(cat_rgb, [starry_rgb], s.replace(precision="bf16")).loss
    assert abs(bf16 - fp32) / fp32 < 0.08


def test_sync_free_iterations_never_wait_for_the_gpu(cat_rgb, starry_rgb):
    """CUDA's sync debug mode raises on any operation that makes the host wait."""
    from engine.image.io import resize_to
    from engine.image.tensors import to_tensor
    from engine.losses.objective import build_objective
    from engine.optim.step_rules import OBJECTIVE_SCALE
    from engine.optim.sync_free import DeviceLBFGS

    dev = torch.device("cuda")
    content = to_tensor(cat_rgb, dev)
    style = to_tensor(resize_to(starry_rgb, cat_rgb.shape[1::-1]), dev)
    objective = build_objective(content, [style], [1.0], Settings(), dev, torch.bfloat16)

    def evaluate(x):
        x = x.detach().requires_grad_(True)
        terms = objective.terms(x)
        total = sum(terms.values())
        (grad,) = torch.autograd.grad(total * OBJECTIVE_SCALE, x)
        return total.detach(), grad, torch.stack([v.detach().float() for v in terms.values()])

    opt = DeviceLBFGS(evaluate, content, history=100, iterations=20)
    opt.step()  # cuDNN autotuning may synchronise on first use of a shape
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        for _ in range(15):
            opt.step()
    finally:
        torch.cuda.set_sync_debug_mode("default")
    losses = opt.losses_since(1)
    assert losses[-1] < losses[0]
