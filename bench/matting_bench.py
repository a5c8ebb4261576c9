"""Matting Laplacian: build time, size and matvec time of each backend.

    .venv/bin/python bench/matting_bench.py [--sizes 256 512 1024] [--image PATH]

Prints one row per long-side size: build time of matting_laplacian (numpy,
to scipy CSR), nnz, CSR memory, peak traced numpy memory of that build, build
time of the torch operator MattingLaplacian ("op s"), then the time in ms of
one M @ V (V = the three colour channels) with scipy CSR in float64 and
float32, torch sparse CSR (float32) and the torch 25-diagonal stencil
(float32) that MattingLaplacian uses, the time of its energy forward and
backward ("E+grad"), the memory of its float32 diagonals ("op MB"), and the
time of one engine.guided_filter.guided_filter call (radius 8) in seconds.
Times are the best of --repeats runs (the machine may be shared).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.image.guided_filter import guided_filter  # noqa: E402
from engine.losses.matting import MattingLaplacian, matting_laplacian  # noqa: E402

DEFAULT_IMAGE = "/work/shared/images/plasma_coldripple_foggy_lake_day.jpg"


def load(path: str, size: int) -> np.ndarray:
    im = Image.open(path).convert("RGB")
    s = size / max(im.size)
    im = im.resize((max(1, round(im.width * s)), max(1, round(im.height * s))), Image.LANCZOS)
    return np.asarray(im, dtype=np.float64) / 255.0


def best_of(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def torch_csr(m) -> torch.Tensor:
    # torch warns that sparse CSR is "in beta state" on every construction.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return torch.sparse_csr_tensor(
            torch.from_numpy(m.indptr.astype(np.int64)),
            torch.from_numpy(m.indices.astype(np.int64)),
            torch.from_numpy(m.data.astype(np.float32)),
            size=m.shape,
            check_invariants=False,
        )


def _row(img: np.ndarray, repeats: int) -> str:
    """One size's table row: build, memory and every operator's time."""
    h, w, _ = img.shape
    n = h * w
    tracemalloc.start()
    t0 = time.perf_counter()
    m = matting_laplacian(img)
    build = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    csr_mb = (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes) / 2**20
    t0 = time.perf_counter()
    op = MattingLaplacian(img)
    op_build = time.perf_counter() - t0

    v64 = img.reshape(-1, 3)
    t_scipy = best_of(lambda: m @ v64, repeats)
    m32 = m.astype(np.float32)
    v32np = v64.astype(np.float32)
    t_scipy32 = best_of(lambda: m32 @ v32np, repeats)
    tm = torch_csr(m)
    v32 = torch.from_numpy(img.reshape(-1, 3).astype(np.float32))
    t_tcsr = best_of(lambda: tm @ v32, repeats)
    x = torch.from_numpy(img.transpose(2, 0, 1)[None].astype(np.float32)).contiguous()
    with torch.no_grad():
        t_sten = best_of(lambda: op.apply(x), repeats)
    xg = x.clone().requires_grad_(True)
    t_grad = best_of(lambda: op.energy(xg).backward(), repeats)
    sten_mb = op._weights(x).numel() * 4 / 2**20
    t_guided = best_of(lambda: guided_filter(img, img[..., ::-1]), min(3, repeats))
    return (
        f"{w:>4}x{h:<5} {n:>8} {build:>8.2f} {m.nnz:>9} {m.nnz / n:>6.1f} {csr_mb:>7.1f} "
        f"{peak:>8.1f} {op_build:>6.2f} {t_scipy * 1e3:>8.1f} {t_scipy32 * 1e3:>8.1f} {t_tcsr * 1e3:>8.1f} "
        f"{t_sten * 1e3:>9.1f} {t_grad * 1e3:>7.1f} {sten_mb:>6.1f} {t_guided:>8.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024])
    parser.add_argument("--image", default=DEFAULT_IMAGE)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; image {Path(args.image).name}")
    head = (
        f"{'size':>10} {'pixels':>8} {'build s':>8} {'nnz':>9} {'nnz/N':>6} {'CSR MB':>7} "
        f"{'peak MB':>8} {'op s':>6} {'scipy64':>8} {'scipy32':>8} {'t.csr32':>8} {'stencil32':>9} "
        f"{'E+grad':>7} {'op MB':>6} {'guided s':>8}"
    )
    print(head)
    print("-" * len(head))
    for size in args.sizes:
        print(_row(load(args.image, size), args.repeats))  # the big arrays are freed with the call


if __name__ == "__main__":
    main()
