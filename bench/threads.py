"""Torch's thread settings and memory format for the fp32 path: which is fastest here.

    .venv/bin/python bench/threads.py --cpu avx2     # as on a laptop without AVX-512
    .venv/bin/python bench/threads.py                # this CPU's own kernels, fp32

One VGG-19 forward and backward through the loss layers at 512 px (an
optimiser iteration's network cost), each setting in its own process (the
inter-op pool can be sized only before torch's first parallel work), median
of 5 after 2 warm-up iterations. The engine uses what this table picks:
intra-op threads = physical cores (engine/pipeline/cores.py), torch's default
inter-op pool, contiguous (NCHW) tensors.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AVX2_ENV = {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}

ONE = """
import json, statistics, sys, time
import torch
sys.path.insert(0, {root!r})
intra, inter, layout, size = {intra}, {inter}, {layout!r}, {size}
torch.set_num_threads(intra)
if inter:
    torch.set_num_interop_threads(inter)
from engine.network.build import network_for
from engine.settings import Settings
net = network_for(Settings(), torch.device("cpu"), torch.float32)
fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
net = net.to(memory_format=fmt)
layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1"]
x = torch.rand(1, 3, size, size).contiguous(memory_format=fmt).requires_grad_(True)
times = []
for i in range(7):
    t = time.perf_counter()
    loss = sum(f.square().mean() for f in net(x, layers).values())
    loss.backward()
    times.append(time.perf_counter() - t)
print(json.dumps(statistics.median(times[2:])))
"""


def measure(intra: int, inter: int, layout: str, size: int, env: dict) -> float:
    code = ONE.format(root=str(ROOT), intra=intra, inter=inter, layout=layout, size=size)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cpu", choices=("native", "avx2"), default="native")
    p.add_argument("--size", type=int, default=512)
    args = p.parse_args()
    env = {**os.environ, **(AVX2_ENV if args.cpu == "avx2" else {})}
    sys.path.insert(0, str(ROOT))
    from engine.pipeline.cores import physical_cores

    cores = physical_cores()
    configs = [
        (cores, 0, "contiguous"),
        (cores, 1, "contiguous"),
        (cores, cores, "contiguous"),
        (cores, 0, "channels_last"),
        (max(1, cores - 1), 0, "contiguous"),
        (2 * cores, 0, "contiguous"),
    ]
    rows = [(c, measure(*c, args.size, env)) for c in dict.fromkeys(configs)]
    best = min(s for _, s in rows)
    print(
        f"\n| intra-op threads | inter-op threads | layout | s per iteration ({args.size} px, fp32, {args.cpu}) "
        "| vs best |"
    )
    print("|---|---|---|---|---|")
    for (intra, inter, layout), s in rows:
        print(f"| {intra} | {inter or 'default'} | {layout} | {s:.2f} | {s / best:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
