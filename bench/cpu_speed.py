"""Engine vs. the plain fp32 baseline (bench/baseline.py), in one run.

Prints two tables:
1. seconds per iteration (one forward + backward of the full objective) at
   256, 512 and 1024 px;
2. time for each to reach the baseline's loss after N iterations, scored by
   one fp32 evaluator so both losses mean the same thing.

    python bench/cpu_speed.py [--sizes 256,512,1024] [--equal-size 256] [--baseline-iterations 300]
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

from baseline import Gatys  # noqa: E402

from engine.image.io import load_image, resize_long_side  # noqa: E402
from engine.image.tensors import to_tensor  # noqa: E402
from engine.losses.objective import build_objective  # noqa: E402
from engine.network.device import pick_precision  # noqa: E402
from engine.optim.loop import optimise  # noqa: E402
from engine.optim.task import Task  # noqa: E402
from engine.settings import Settings  # noqa: E402

CONTENT = ROOT / "resources/samples/chelsea.png"
STYLE = ROOT / "resources/samples/van_gogh_starry_night_1889.jpg"


def images(size):
    c = resize_long_side(load_image(CONTENT).rgb, size)
    s = resize_long_side(load_image(STYLE).rgb, size)
    dev = torch.device("cpu")
    return to_tensor(c, dev), to_tensor(s, dev)


def engine_objective(c, s, precision="auto", tv=0.0):
    settings = Settings(tv_weight=tv, precision=precision, device="cpu")
    dtype = pick_precision(torch.device("cpu"), precision)
    return build_objective(c, [s], [1.0], settings, torch.device("cpu"), dtype), settings


def time_step(fn, repeats):
    fn()  # warm-up
    t = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - t) / repeats


def per_iteration(sizes, repeats):
    rows = []
    for size in sizes:
        c, s = images(size)
        base = Gatys(c, s)
        obj, _ = engine_objective(c, s)
        x = c.clone().requires_grad_(True)

        def base_step():
            x.grad = None
            base.loss(x).backward()

        def engine_step():
            x.grad = None
            sum(obj.terms(x).values()).backward()

        tb, te = time_step(base_step, repeats), time_step(engine_step, repeats)
        rows.append((f"{c.shape[3]}x{c.shape[2]}", tb, te, tb / te))
    return rows


def equal_loss(size, iterations):
    c, s = images(size)
    judge, _ = engine_objective(c, s, precision="fp32")
    score = lambda img: float(sum(judge.terms(img).values()))
    t = time.perf_counter()
    base_img, _ = Gatys(c, s).run(iterations)
    t_base = time.perf_counter() - t
    target = score(base_img)

    obj, settings = engine_objective(c, s)
    settings = settings.replace(iterations=iterations * 3, preview_every=0)
    latest, reached, paused = [], {}, [0.0]
    evaluate = obj.terms

    def terms(img):  # remember the image L-BFGS evaluated last
        latest[:] = [img]
        return evaluate(img)

    obj.terms = terms
    start = time.perf_counter()

    def watch(p):  # every 5 iterations, score the current image (time not counted)
        if p.iteration % 5 == 0 and "t" not in reached:
            t0 = time.perf_counter()
            value = score(latest[0].detach())
            paused[0] += time.perf_counter() - t0
            if value <= target:
                reached["t"] = time.perf_counter() - start - paused[0]
                reached["it"] = p.iteration

    optimise(Task(obj, c.clone(), settings, settings.iterations, "bench"), watch, lambda: "t" in reached)
    return t_base, target, reached.get("t"), reached.get("it")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="256,512,1024")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--equal-size", type=int, default=256)
    ap.add_argument("--baseline-iterations", type=int, default=300)
    args = ap.parse_args()
    dtype = pick_precision(torch.device("cpu"), "auto")
    print(f"CPU threads: {torch.get_num_threads()}, engine precision: {dtype}, torch {torch.__version__}\n")
    print("| size | baseline fp32 s/it | engine s/it | speed-up |")
    print("|---|---|---|---|")
    for name, tb, te, r in per_iteration([int(v) for v in args.sizes.split(",")], args.repeats):
        print(f"| {name} | {tb:.3f} | {te:.3f} | {r:.2f}x |", flush=True)
    t_base, target, t_eng, it_eng = equal_loss(args.equal_size, args.baseline_iterations)
    print(
        f"\nTime to the baseline's {args.baseline_iterations}-iteration loss ({target:.4g}) at {args.equal_size} px:\n"
    )
    print("| run | iterations | seconds | speed-up |")
    print("|---|---|---|---|")
    print(f"| baseline (noise init, fp32) | {args.baseline_iterations} | {t_base:.1f} | 1.00x |")
    if t_eng is None:
        print(f"| engine (content init, {dtype}) | not reached in {3 * args.baseline_iterations} | - | - |")
    else:
        print(f"| engine (content init, {dtype}) | {it_eng} | {t_eng:.1f} | {t_base / t_eng:.2f}x |")


if __name__ == "__main__":
    main()
