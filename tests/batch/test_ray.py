"""`--executor ray` on a local Ray of two CPUs: the same files as the local
executor, a worker killed mid-job and the batch still done, weights read
once per worker, resume."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from batch.jobs import Record, pair_jobs
from batch.runner import Display, Driver
from cli.batch import main
from engine.settings import Settings

pytest.importorskip("ray")

QUICK = ["--quality", "custom", "--iterations", "3", "--size", "64", "--seed", "3", "-q"]


def record(outdir) -> dict:
    return {e["name"]: e for e in json.loads((Path(outdir) / "batch.json").read_text())["jobs"]}


def pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im).astype(int)


def test_ray_gives_the_local_executors_files(local_ray, pics, tmp_path, capsys):
    args = [pics["cat"], pics["broken"], "--style", pics["wave"], pics["starry"], *QUICK, "--save-every", "2"]
    assert main([*args, "-o", str(tmp_path / "local")]) == 1
    assert main([*args, "-o", str(tmp_path / "ray"), "--executor", "ray"]) == 1
    err = capsys.readouterr().err
    local, remote = record(tmp_path / "local"), record(tmp_path / "ray")
    assert {n: e["status"] for n, e in remote.items()} == {n: e["status"] for n, e in local.items()}
    assert remote["broken__wave.png"]["reason"] == local["broken__wave.png"]["reason"]
    assert remote["broken__wave.png"]["attempts"] == 1  # the job's own failure: not retried
    for name, e in local.items():
        if e["status"] == "done":
            # one torch thread per Ray task, all cores locally: sums differ in the last bits
            diff = np.abs(pixels(tmp_path / "local" / name) - pixels(tmp_path / "ray" / name))
            assert diff.max() <= 2 and diff.mean() < 0.1, name
    assert err.strip().splitlines()[-1].startswith("Batch finished with failures: 2 of 4 done, 2 failed")
    snapshots = {"cat__wave_0002.png", "cat__starry_0002.png"}  # --save-every's images come back from the workers
    assert snapshots <= {p.name for p in (tmp_path / "ray").iterdir()}
    assert snapshots <= {p.name for p in (tmp_path / "local").iterdir()}


class KillingDriver(Driver):
    """Kills the worker process rendering `victim` at its first iteration, once."""

    def __init__(self, *a, victim: str):
        super().__init__(*a)
        self.victim, self.pids, self.killed, self.outcomes = victim, {}, None, []

    def started(self, name, pid=0):
        super().started(name, pid)
        self.pids[name] = pid

    def progress(self, name, iteration, total):
        super().progress(name, iteration, total)
        if name == self.victim and self.killed is None:
            self.killed = self.pids[name]
            os.kill(self.killed, signal.SIGKILL)

    def finished(self, outcome):
        self.outcomes.append(outcome)
        super().finished(outcome)


def test_a_worker_killed_mid_job_is_retried_and_weights_load_once_per_worker(local_ray, pics, tmp_path):
    from batch.ray_exec import run_ray

    settings = Settings(quality="custom", iterations=12, size=64)
    jobs = pair_jobs([pics["cat"], pics["coffee"]], [pics["wave"], pics["starry"]], settings, ".png")
    # the victim runs long enough (about 10 s) to be killed mid-job however fast or loaded the machine
    jobs = [
        dataclasses.replace(j, settings={**j.settings, "iterations": 200}) if j.name == "coffee__wave.png" else j
        for j in jobs
    ]
    record_ = Record(tmp_path)
    todo = record_.plan(jobs)
    driver = KillingDriver(
        tmp_path, record_, [j.name for j in jobs], Display(len(todo), True), victim="coffee__wave.png"
    )
    run_ray(todo, driver)
    assert driver.killed, "the victim never reported an iteration"
    rec = record(tmp_path)
    assert {e["status"] for e in rec.values()} == {"done"}
    assert rec["coffee__wave.png"]["attempts"] == 2 and rec["cat__wave.png"]["attempts"] == 1
    assert all((tmp_path / n).is_file() for n in rec)
    victim = next(o for o in driver.outcomes if o.name == "coffee__wave.png")
    assert victim.pid != driver.killed
    by_pid = {}
    for o in driver.outcomes:
        by_pid.setdefault(o.pid, []).append(o.network_loads)
    assert all(max(loads) == 1 for loads in by_pid.values()), by_pid  # one network per process, however many jobs
    assert any(len(loads) > 1 for loads in by_pid.values()), by_pid  # and some process did several jobs


def test_ray_resumes_a_batch_the_local_executor_began(local_ray, pics, tmp_path, capsys):
    out = tmp_path / "out"
    assert main([pics["cat"], "--style", pics["wave"], "-o", str(out), *QUICK]) == 0
    first = (out / "cat__wave.png").stat().st_mtime_ns
    code = main([pics["cat"], "--style", pics["wave"], pics["starry"], "-o", str(out), *QUICK, "--executor", "ray"])
    assert code == 0, capsys.readouterr().err
    assert "Skipping 1 job(s) already done" in capsys.readouterr().err
    assert (out / "cat__wave.png").stat().st_mtime_ns == first
    assert {e["status"] for e in record(out).values()} == {"done"}
