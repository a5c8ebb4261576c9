"""OpenMP's spin before sleep is set before torch loads, in every process that renders (engine/openmp.py)."""

import os
import subprocess
import sys
from pathlib import Path

from batch.ray_exec import runtime_env
from engine import openmp

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import os, sys, main
try:
    main.main(["render", "--help"])
except SystemExit:
    pass
print(os.environ.get("GOMP_SPINCOUNT"))
"""


def spin_seen_by_main(**env) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "GOMP_SPINCOUNT"} | env
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_main_sets_the_spin_before_anything_loads_torch_and_keeps_the_users():
    assert spin_seen_by_main() == openmp.ENV["GOMP_SPINCOUNT"]
    assert spin_seen_by_main(GOMP_SPINCOUNT="123") == "123"


def test_ray_workers_get_the_same_values():
    assert runtime_env()["env_vars"] == openmp.current()
    assert openmp.current({"GOMP_SPINCOUNT": "7"}) == {"GOMP_SPINCOUNT": "7"}
