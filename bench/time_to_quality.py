"""Time to a finished picture, and its quality, side by side in one run.

Each row is a whole `main.py render` in a fresh process, so the wall time
includes start-up (imports, weights, network) and saving:

- plain: the method as published and as the peer tools run it: fp32, from
  the photo, one scale, torch's L-BFGS with its line search, 300 iterations,
  the paper's layers;
- previous default: this engine before the quality presets
  (`--quality custom --iterations 300 --init content --scales SIZE`);
- draft / normal / fine: the quality presets (AdaIN start, coarse to fine,
  passes ending when the loss settles).

Quality: the style distance (Gram distance to the painting over
relu1_1..relu5_1, relative to the photo's) and the content distance
(relative relu4_2 distance to the photo), both at 256 px on the normalised
VGG-19 (engine/pipeline/metrics.py); also the clipped fraction and the grid measure.

    python bench/time_to_quality.py                 # cat + Starry Night, street + Great Wave at 512 px
    python bench/time_to_quality.py --cpu avx2      # as on a laptop without AVX-512 (fp32 kernels only)
    python bench/time_to_quality.py --plain-iterations 30   # the plain row extrapolated from 30 iterations
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.image.io import load_image  # noqa: E402
from engine.pipeline.metrics import FeatureMeter, clipped_fraction, grid_energy  # noqa: E402

SHARED = ROOT.parent / "shared" / "images"
PAIRS = {
    "cat": ("chelsea.png", "van_gogh_starry_night_1889.jpg"),
    "street": ("opencv_leuvenA_street.jpg", "hokusai_great_wave_off_kanagawa.png"),
    "astronaut": ("astronaut.png", "kandinsky_composition_viii_1923.png"),
    "forest": ("plasma_path_summer_forest.jpg", "van_gogh_cafe_terrace_at_night_1888.png"),
}
PAPER = ["--content-layers", "relu4_2", "--style-layers", "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1"]
AVX2_ENV = {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}


def rows(size: int, plain_iterations: int, fp32: bool) -> list[tuple[str, list[str], float]]:
    """(label, flags, factor): factor scales a shortened plain run up to 300 iterations."""
    precision = ["--precision", "fp32"] if fp32 else []
    plain = [
        "--quality",
        "custom",
        "--iterations",
        str(plain_iterations),
        "--init",
        "content",
        "--scales",
        str(size),
        "--precision",
        "fp32",
        "--step-rule",
        "wolfe",
        *PAPER,
    ]
    return [
        ("plain (fp32, torch L-BFGS, 300 it)", plain, 300 / plain_iterations),
        (
            "previous default (300 it from the photo)",
            ["--quality", "custom", "--iterations", "300", "--init", "content", "--scales", str(size), *precision],
            1.0,
        ),
        *[(f"{q}", ["--quality", q, "--size", str(size), *precision], 1.0) for q in ("draft", "normal", "fine")],
    ]


def render(content: Path, style: Path, out: Path, flags: list[str], env: dict) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (GB) of one render in its own process.

    The CPU seconds (user + system, all threads) hardly change when other
    programs load the machine, so the ratios are taken from them."""
    cmd = [
        sys.executable,
        str(ROOT / "main.py"),
        "render",
        str(content),
        str(style),
        "-o",
        str(out),
        "--overwrite",
        "-q",
        *flags,
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"render failed: {' '.join(cmd)}\n{err}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024**2


def _parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pairs", default="cat,street", help=f"comma-separated, from {', '.join(PAIRS)}")
    p.add_argument("--size", type=int, default=512)
    p.add_argument("--big", action="store_true", help="also 1024 px")
    p.add_argument(
        "--cpu",
        choices=("native", "avx2"),
        default="native",
        help="avx2: torch and oneDNN limited to AVX2 and every run in fp32, as on most laptops",
    )
    p.add_argument(
        "--plain-iterations",
        type=int,
        default=300,
        help="run the plain method this long and scale its time to 300 iterations",
    )
    p.add_argument("--keep", metavar="DIR", help="keep the rendered images here")
    p.add_argument("--runs", default="plain,previous,draft,normal,fine", help="which rows, comma-separated")
    return p.parse_args()


def _pair_rows(args, name: str, size: int, env: dict, out_dir: Path) -> None:
    """The chosen rows of one pair at one size, each printed as it finishes."""
    c, s = (SHARED / f for f in PAIRS[name])
    meter = FeatureMeter(load_image(c).rgb, load_image(s).rgb)
    base = None
    chosen = [r for r in rows(size, args.plain_iterations, fp32=bool(env)) if r[0].split()[0] in args.runs.split(",")]
    for label, flags, factor in chosen:
        out = out_dir / f"{name}_{size}_{label.split()[0]}.png"
        wall, cpu, peak = render(c, s, out, flags, env)
        if factor != 1:  # scale the iterations' time only, not the start-up and saving
            i = flags.index("--iterations") + 1
            wall0, cpu0, _ = render(c, s, out_dir / "start.png", flags[:i] + ["0"] + flags[i + 1 :], env)
            wall, cpu = wall0 + (wall - wall0) * factor, cpu0 + (cpu - cpu0) * factor
        base = base or cpu
        img = load_image(out).rgb
        note = f" (from {args.plain_iterations} it)" if factor != 1 else ""
        quality = (
            "- | - | - | -"
            if factor != 1
            else f"{meter.style_distance(img):.3f} | {meter.content_distance(img):.3f} | "
            f"{clipped_fraction(img):.2%} | {grid_energy(img):.0f}"
        )
        print(
            f"| {name} | {size} | {label}{note} | {wall:.0f} | {cpu:.0f} | {base / cpu:.1f}x | {quality} | "
            f"{peak:.2f} |",
            flush=True,
        )


def main() -> None:
    args = _parse_args()
    env = AVX2_ENV if args.cpu == "avx2" else {}
    out_dir = Path(args.keep or tempfile.mkdtemp(prefix="ttq-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    import torch  # local: only for its version; the renders run in their own processes

    print(
        f"CPU: {_cpu_name()}, {os.cpu_count()} cores, torch {torch.__version__}, kernels: "
        f"{'AVX2 (emulated laptop), fp32' if env else 'native'}\n"
    )
    print(
        "| pair | size | run | wall s | CPU s | vs plain (CPU) | style dist. | content dist. | clipped | grid "
        "| peak GB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in [args.size] + ([1024] if args.big else []):
        for name in args.pairs.split(","):
            _pair_rows(args, name, size, env, out_dir)
    print(f"\nImages in {out_dir}")


def _cpu_name() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                flags = open("/proc/cpuinfo").read()
                kind = "AMX" if "amx_bf16" in flags else "AVX-512 BF16" if "avx512_bf16" in flags else "AVX2"
                return f"{line.split(':', 1)[1].strip()} ({kind})"
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    main()
