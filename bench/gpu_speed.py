"""GPU speed: seconds per iteration, peak memory and the fraction of the bf16
floor, for the engine and a plain fp32 baseline in the same run.

    python bench/gpu_speed.py [--sizes 512,1024,2048] [--repeats 20]

One iteration = forward to relu5_1 plus the backward pass to the pixels
(weights frozen). The floor counts 2 FLOPs a multiply-add for the forward
convolutions and as much again for the input gradient, at the card's peak
bf16 rate (--peak-tflops, 790 for an H100 SXM's dense bf16 by default).
Needs a CUDA GPU; prints why and exits 0 where there is none.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine.vgg import BLOCKS  # noqa: E402


def vgg_flops(h: int, w: int, deepest_block: int = 5) -> float:
    """Forward + input-gradient FLOPs of VGG-19 up to relu5_1."""
    total, cin = 0.0, 3
    for block, n in enumerate(BLOCKS["vgg19"][:deepest_block], start=1):
        cout = min(64 * 2 ** (block - 1), 512)
        convs = n if block < deepest_block else 1  # stops at relu5_1
        for _ in range(convs):
            total += 2 * cin * cout * 9 * h * w
            cin = cout
        h, w = h // 2, w // 2
    return 2 * total


def timed(fn, repeats: int) -> float:
    if not torch.cuda.is_available():  # --device cpu dry run of the script itself
        import time

        fn()
        t = time.perf_counter()
        for _ in range(repeats):
            fn()
        return (time.perf_counter() - t) / repeats
    fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(repeats):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / 1000 / repeats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="512,1024,2048")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--peak-tflops", type=float, default=790.0)
    ap.add_argument("--device", default="cuda", help="cpu: a slow dry run of this script, for testing it")
    args = ap.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print("No CUDA GPU here: this benchmark needs one (CPU figures: bench/cpu_speed.py).")
        return 0
    from baseline import Gatys

    from engine.device import configure
    from engine.objective import build_objective
    from engine.settings import Settings

    dev = torch.device(args.device)
    name = torch.cuda.get_device_name(0) if dev.type == "cuda" else "CPU dry run"
    print(f"GPU: {name}, torch {torch.__version__}\n")
    mem = (lambda: torch.cuda.max_memory_allocated() / 2**30) if dev.type == "cuda" else (lambda: float("nan"))
    reset = torch.cuda.reset_peak_memory_stats if dev.type == "cuda" else (lambda: None)
    print("| size | baseline fp32 ms/it | engine bf16 ms/it | speed-up | engine peak GB | baseline peak GB | % of bf16 floor |")
    print("|---|---|---|---|---|---|---|")
    for size in [int(s) for s in args.sizes.split(",")]:
        h, w = size * 3 // 4, size
        content = torch.rand(1, 3, h, w, device=dev)
        style = torch.rand(1, 3, h, w, device=dev)
        x = content.clone().requires_grad_(True)

        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
        base = Gatys(content, style)

        def base_step():
            x.grad = None
            base.loss(x).backward()

        reset()
        t_base = timed(base_step, args.repeats)
        mem_base = mem()

        configure(dev)
        obj = build_objective(content, [style], [1.0], Settings(device=dev.type), dev, torch.bfloat16)

        def engine_step():
            x.grad = None
            sum(obj.terms(x).values()).backward()

        reset()
        t_eng = timed(engine_step, args.repeats)
        mem_eng = mem()
        floor = vgg_flops(h, w) / (args.peak_tflops * 1e12)
        print(f"| {w}x{h} | {1000 * t_base:.2f} | {1000 * t_eng:.2f} | {t_base / t_eng:.1f}x | {mem_eng:.1f} | "
              f"{mem_base:.1f} | {100 * floor / t_eng:.0f}% |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
