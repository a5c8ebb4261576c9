"""bench/gpu_speed.py cannot be measured here (no GPU in CI); its CPU dry
run keeps the script working for the sessions that have one."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_gpu_benchmark_dry_run_prints_its_table():
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "gpu_speed.py"),
            "--device",
            "cpu",
            "--sizes",
            "48",
            "--iterations",
            "2",
            "--print-size",
            "80",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| size"))
    assert "baseline fp32 ms/it" in header and "% of bf16 floor" in header and "engine peak GB" in header
    row = next(line for line in lines if line.startswith("| 48x48"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == len(header.strip("|").split("|"))
    assert float(cells[1]) > 0 and float(cells[3]) > 0  # baseline and engine ms/it
    assert any(line.startswith("Coarse-to-fine to 80 px") and "output 80x" in line for line in lines)
