"""GPU speed: milliseconds per optimiser iteration, peak memory and the share
of the bf16 floor, for the engine and a plain fp32 baseline in the same run;
then a coarse-to-fine print run at --print-size.

    python bench/gpu_speed.py [--sizes 512,1024,2048] [--iterations 30] [--compile]

An iteration is what a run repeats: the forward pass to relu5_1, the backward
pass to the pixels and the optimiser's update.
- baseline: bench/baseline.py (fp32, NCHW, TF32 off) with torch's L-BFGS and
  its strong-Wolfe line search, as a plain implementation would run it;
- engine: engine.optim.loop.optimise as a GPU run uses it (bf16 VGG,
  channels_last, TF32, fp32 Grams, the sync-free L-BFGS reading the loss back
  every 10 iterations); with --compile also under torch.compile.
The floor counts 2 FLOPs a multiply-add for the forward convolutions and as
much again for the input gradient, at the card's bf16 peak (--peak-tflops,
790 for an H100 SXM's dense bf16 by default). Sizes are square, as the floor
in the README. Needs a CUDA GPU; prints why and exits 0 where there is none
(`--device cpu` is a slow dry run of this script, for testing it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine.network.vgg import BLOCKS  # noqa: E402


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


class Device:
    def __init__(self, name: str):
        self.dev = torch.device(name)
        self.cuda = self.dev.type == "cuda"

    def sync(self) -> None:
        if self.cuda:
            torch.cuda.synchronize()

    def reset_peak(self) -> None:
        if self.cuda:
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()

    def peak_gb(self) -> float:
        return torch.cuda.max_memory_allocated() / 2**30 if self.cuda else float("nan")


def per_iteration(run, iterations: int, device: Device) -> tuple[float, float]:
    """Seconds an iteration of run(n) (after a warm-up run) and peak GB."""
    run(3)  # cuDNN autotuning, allocator warm-up, compilation
    device.sync()
    device.reset_peak()
    start = time.perf_counter()
    done = run(iterations)
    device.sync()
    return (time.perf_counter() - start) / done, device.peak_gb()


def baseline_runner(content, style):
    from baseline import Gatys

    base = Gatys(content, style)
    return lambda n: base.run(n, init=content)[1]


def engine_runner(content, style, settings, device: Device):
    from engine.losses.objective import build_objective
    from engine.network.device import configure
    from engine.optim.loop import optimise
    from engine.optim.task import Task

    configure(device.dev)
    dtype = torch.bfloat16 if device.cuda else torch.float32
    objective = build_objective(content, [style], [1.0], settings, device.dev, dtype)

    def run(n: int) -> int:
        result = optimise(Task(objective, content, settings, n, "bench"))
        return result.iterations

    return run


def print_run(size: int, device: Device) -> None:
    """A coarse-to-fine run to `size` px on real images; peak memory and time."""
    from engine.api import stylize
    from engine.image.io import load_image
    from engine.settings import Settings

    images = ROOT.parent / "shared" / "images"
    if not images.is_dir():
        images = ROOT / "resources" / "samples"
    content = load_image(images / "chelsea.png").rgb
    style = load_image(images / "van_gogh_starry_night_1889.jpg").rgb
    scales = [s for s in (512, 1024, 2048, 4096, 8192) if s < size] + [size]
    settings = Settings(
        quality="custom",
        size=size,
        scales=scales,
        scale_iterations=[100] * (len(scales) - 1) + [20],
        preview_every=0,
        device=device.dev.type,
    )
    device.reset_peak()
    start = time.perf_counter()
    result = stylize(content, [style], settings)
    device.sync()
    print(
        f"\nCoarse-to-fine to {size} px ({' -> '.join(map(str, scales))}, iterations "
        f"{settings.scale_iterations}): {time.perf_counter() - start:.1f} s, peak {device.peak_gb():.1f} GB, "
        f"output {result.image.shape[1]}x{result.image.shape[0]}" + (f"; notes: {result.notes}" if result.notes else "")
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="512,1024,2048")
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--peak-tflops", type=float, default=790.0)
    ap.add_argument("--compile", action="store_true", help="also time the engine under torch.compile")
    ap.add_argument("--print-size", type=int, default=4096, help="long side of the coarse-to-fine run (0: skip)")
    ap.add_argument("--device", default="cuda", help="cpu: a slow dry run of this script, for testing it")
    args = ap.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print("No CUDA GPU here: this benchmark needs one (CPU figures: bench/cpu_speed.py).")
        return 0
    from engine.settings import Settings

    device = Device(args.device)
    name = torch.cuda.get_device_name(0) if device.cuda else "CPU dry run"
    print(f"GPU: {name}, torch {torch.__version__}, {args.iterations} iterations a figure\n")
    variants = [("engine", Settings(device=device.dev.type, step_rule="sync-free"))]
    if args.compile:
        variants.append(("engine compiled", variants[0][1].replace(compile="on")))
    head = ["size", "baseline fp32 ms/it", "baseline peak GB"]
    for label, _ in variants:
        head += [f"{label} ms/it", f"{label} peak GB", "speed-up", "% of bf16 floor"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for size in [int(s) for s in args.sizes.split(",")]:
        gen = torch.Generator().manual_seed(0)
        content = torch.rand(1, 3, size, size, generator=gen).to(device.dev)
        style = torch.rand(1, 3, size, size, generator=gen).to(device.dev)
        if device.cuda:  # a plain fp32 implementation: no TF32
            torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
        t_base, m_base = per_iteration(baseline_runner(content, style), args.iterations, device)
        row = [f"{size}x{size}", f"{1000 * t_base:.2f}", f"{m_base:.1f}"]
        floor = vgg_flops(size, size) / (args.peak_tflops * 1e12)
        for _, settings in variants:
            t, m = per_iteration(engine_runner(content, style, settings, device), args.iterations, device)
            row += [f"{1000 * t:.2f}", f"{m:.1f}", f"{t_base / t:.1f}x", f"{100 * floor / t:.0f}%"]
        print("| " + " | ".join(row) + " |", flush=True)
    if args.print_size:
        print_run(args.print_size, device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
