"""What the copy-free Gram matrix buys: one objective evaluation (forward to
relu5_1 and backward to the pixels) with engine.losses.gram_matrix, against
the same objective with the previous Gram (features cast to fp32 and reshaped
to (C, H*W), which copies channels_last features and keeps the copy for the
backward pass), in one run.

    python bench/gram_copies.py [--sizes 256,512] [--repeats 4]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import losses  # noqa: E402
from engine.losses.objective import build_objective  # noqa: E402
from engine.network.device import pick_device, pick_precision  # noqa: E402
from engine.settings import Settings  # noqa: E402


def copying_gram(features, mask=None):
    f = features.float()
    b, c, h, w = f.shape
    f = f.reshape(b, c, h * w)
    return torch.bmm(f, f.transpose(1, 2)) / float(h * w)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="256,512")
    ap.add_argument("--repeats", type=int, default=4)
    args = ap.parse_args()
    device = pick_device("auto")
    dtype = pick_precision(device)
    print(f"device {device.type}, precision {dtype}, torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    print("| size | copying Gram s/eval | copy-free Gram s/eval | speed-up |")
    print("|---|---|---|---|")
    copy_free = losses.gram_matrix
    for size in [int(s) for s in args.sizes.split(",")]:
        h, w = size * 2 // 3, size
        gen = torch.Generator().manual_seed(0)
        content = torch.rand(1, 3, h, w, generator=gen).to(device)
        style = torch.rand(1, 3, h, w, generator=gen).to(device)
        objective = build_objective(content, [style], [1.0], Settings(), device, dtype)
        x = content.clone().requires_grad_(True)
        times = {}
        try:
            for name, gram in (("copying", copying_gram), ("copy-free", copy_free)) * 2:
                losses.gram_matrix = gram
                runs = []
                for _ in range(args.repeats + 1):
                    start = time.perf_counter()
                    x.grad = None
                    sum(objective.terms(x).values()).backward()
                    runs.append(time.perf_counter() - start)
                times[name] = min(times.get(name, float("inf")), min(runs[1:]))
        finally:
            losses.gram_matrix = copy_free
        print(
            f"| {w}x{h} | {times['copying']:.3f} | {times['copy-free']:.3f} | "
            f"{times['copying'] / times['copy-free']:.2f}x |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
