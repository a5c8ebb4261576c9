"""`main.py batch --executor ray` as a user runs it: a local Ray started on
this machine's cores and stopped after, and Ctrl-C: running jobs save their
best image, jobs still waiting for a worker never start, exit 130."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray")
ROOT = Path(__file__).resolve().parents[2]


def test_ctrl_c_on_a_local_ray(pics, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "main.py",
            "batch",
            pics["cat"],
            pics["coffee"],
            "--style",
            pics["wave"],
            pics["starry"],
            "-o",
            str(out),
            "--quality",
            "custom",
            "--size",
            "64",
            "--iterations",
            "5000",
            "--executor",
            "ray",
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in proc.stderr:  # the batch's own progress lines are the clock
        seen.append(line)
        if line.startswith("jobs 0/4") and line.count("[") >= 2:  # two jobs iterating on the two cores
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    err = "".join(seen) + err
    assert proc.returncode == 130, err
    jobs = {e["name"]: e for e in json.loads((out / "batch.json").read_text())["jobs"]}
    statuses = sorted(e["status"] for e in jobs.values())
    assert statuses == ["interrupted", "interrupted", "queued", "queued"], err
    for name, e in jobs.items():
        assert (out / name).is_file() == (e["status"] == "interrupted")
    assert "2 interrupted, 2 not started" in err.strip().splitlines()[-1]
    assert "Traceback" not in err


def test_an_address_nobody_answers_on_is_one_sentence_and_exit_2(pics, tmp_path, capsys):
    import ray

    from cli.batch import main

    assert not ray.is_initialized()
    code = main(
        [
            pics["cat"],
            "--style",
            pics["wave"],
            "-o",
            str(tmp_path / "out"),
            "--executor",
            "ray",
            "--ray-address",
            "127.0.0.1:1",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: Nothing answers at 127.0.0.1:1 (") and "ray start --head" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()  # nothing is left behind
