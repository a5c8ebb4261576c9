"""`main.py batch` on this machine: outputs, batch.json, a failing job, resume, Ctrl-C, bad arguments."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cli.batch import main

QUICK = ["--quality", "custom", "--iterations", "3", "--size", "64", "--seed", "3", "-q"]

ROOT = Path(__file__).resolve().parents[2]


def run_batch(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    return code, capsys.readouterr().err


def record(outdir) -> dict:
    return {e["name"]: e for e in json.loads((Path(outdir) / "batch.json").read_text())["jobs"]}


def test_pairs_are_rendered_and_recorded(pics, tmp_path, capsys):
    out = tmp_path / "out"
    code, err = run_batch(
        capsys, pics["cat"], pics["coffee"], "--style", pics["wave"], pics["starry"], "-o", out, *QUICK
    )
    names = {"cat__wave.png", "cat__starry.png", "coffee__wave.png", "coffee__starry.png"}
    assert code == 0, err
    assert {p.name for p in out.iterdir()} == names | {"batch.json"}
    rec = record(out)
    assert set(rec) == names
    for e in rec.values():
        assert e["status"] == "done" and e["output"] == e["name"] and e["reason"] == ""
        assert e["seconds"] > 0 and e["iterations"] == 3 and e["attempts"] == 1
        with Image.open(out / e["name"]) as im:
            assert max(im.size) == 64
    assert err.strip().splitlines()[-1].startswith("Batch finished: 4 of 4 done, 0 failed")


def test_format_jpg_writes_settings_beside(pics, tmp_path, capsys):
    code, err = run_batch(capsys, pics["cat"], "--style", pics["wave"], "-o", tmp_path, "--format", "jpg", *QUICK)
    assert code == 0, err
    assert (tmp_path / "cat__wave.jpg").is_file()
    assert json.loads((tmp_path / "cat__wave.jpg.json").read_text())["settings"]["iterations"] == 3


def test_a_broken_image_fails_alone_and_is_retried_on_rerun(pics, tmp_path, capsys):
    out = tmp_path / "out"
    args = [pics["broken"], pics["cat"], "--style", pics["wave"], "-o", out, *QUICK]
    code, err = run_batch(capsys, *args)
    assert code == 1
    rec = record(out)
    assert rec["cat__wave.png"]["status"] == "done" and (out / "cat__wave.png").is_file()
    assert rec["broken__wave.png"]["status"] == "failed"
    assert (
        "damaged or truncated" in rec["broken__wave.png"]["reason"]
        and pics["broken"] in rec["broken__wave.png"]["reason"]
    )
    assert not (out / "broken__wave.png").exists()
    assert "broken__wave.png failed: Content image" in err
    assert err.strip().splitlines()[-1] == (
        f"Batch finished with failures: 1 of 2 done, 1 failed (reasons in {out / 'batch.json'})."
    )
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporary files left

    done_before = (out / "cat__wave.png").stat().st_mtime_ns
    code, err = run_batch(capsys, *args)
    assert code == 1
    assert "Skipping 1 job(s) already done" in err
    assert (out / "cat__wave.png").stat().st_mtime_ns == done_before
    assert record(out)["broken__wave.png"]["attempts"] == 2


def test_a_jobs_file_gives_each_job_its_settings_and_masks(pics, tmp_path, capsys):
    with Image.open(pics["cat"]) as im:
        w, h = im.size
    halves = Image.new("RGB", (w, h), (255, 0, 0))
    halves.paste((0, 0, 255), (0, 0, w // 2, h))
    halves.save(tmp_path / "cat_regions.png")
    for name, colour in (("wave", (255, 0, 0)), ("starry", (0, 0, 255))):
        with Image.open(pics[name]) as im:
            Image.new("RGB", im.size, colour).save(tmp_path / f"{name}_regions.png")
    jobs = [
        {
            "content": pics["cat"],
            "styles": [pics["wave"], pics["starry"]],
            "settings": {"seed": 7},
            "content_mask": "cat_regions.png",
            "style_masks": ["wave_regions.png", "starry_regions.png"],
        },
        {
            "content": pics["coffee"],
            "styles": [pics["starry"]],
            "output": "mine.png",
            "settings": {"settings": {"iterations": 2}},
        },
        # the masks reach the engine: a region with no style fails this job alone
        {
            "content": pics["cat"],
            "styles": [pics["wave"]],
            "output": "one_region_missing.png",
            "content_mask": "cat_regions.png",
            "style_masks": ["wave_regions.png"],
        },
    ]
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    out = tmp_path / "out"
    code, err = run_batch(capsys, "--jobs", tmp_path / "jobs.json", "-o", out, *QUICK)
    assert code == 1, err
    rec = record(out)
    assert "#0000ff appear in no style mask" in rec.pop("one_region_missing.png")["reason"]
    assert {e["status"] for e in rec.values()} == {"done"}
    assert set(rec) == {"cat__wave+starry.png", "mine.png"}
    assert rec["mine.png"]["iterations"] == 2 and rec["cat__wave+starry.png"]["iterations"] == 3
    from engine.image.write import read_settings_text

    assert json.loads(read_settings_text(out / "cat__wave+starry.png"))["settings"]["seed"] == 7


@pytest.mark.parametrize(
    "args, message",
    [
        (["{cat}", "-o", "{out}"], "Give at least one CONTENT and one --style STYLE"),
        (["{cat}", "--style", "{tmp}/nope.png", "-o", "{out}"], "nope.png (job cat__nope.png) does not exist"),
        (["{cat}", "--style", "{wave}", "-o", "{out}", "--size", "5"], "--size must be between 32 and 16384"),
        (["{cat}", "--style", "{wave}", "-o", "{out}", "--bits", "16", "--format", "jpg"], "JPEG cannot store 16 bits"),
        (["{cat}", "--style", "{wave}", "-o", "{cat}"], "is a file; -o takes a folder"),
        (["{cat}", "{cat}", "--style", "{wave}", "-o", "{out}"], "Two jobs would both write cat__wave.png"),
        (["{cat}", "--style", "{wave}", "-o", "{out}", "--ray-address", "auto"], "--ray-address needs --executor ray"),
        (["{cat}", "--style", "{wave}", "-o", "{out}", "--jobs", "{cat}"], "either CONTENT and --style, or --jobs"),
        (["--jobs", "{cat}", "-o", "{out}"], "is not valid JSON"),
        (["{cat}", "--style", "{wave}", "-o", "{out}", "--executor", "dask"], "invalid choice: 'dask'"),
        (
            ["{cat}", "--style", "{wave}", "-o", "{out}", "--content-mask", "{cat}"],
            "give them per job in a --jobs file",
        ),
        (["--jobs", "{tmp}/jobs.json", "-o", "{out}"], "has output '../x.png'; give a file name (no folder)"),
    ],
)
def test_bad_arguments_get_one_sentence_and_exit_2(pics, tmp_path, capsys, args, message):
    fill = {**pics, "out": tmp_path / "out", "tmp": tmp_path}
    (tmp_path / "jobs.json").write_text(
        json.dumps([{"content": pics["cat"], "styles": [pics["wave"]], "output": "../x.png"}])
    )
    code, err = run_batch(capsys, *[a.format(**fill) for a in args])
    assert code == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()  # a batch that cannot start leaves no folder behind


def test_save_every_keeps_snapshots_beside_each_output(pics, tmp_path, capsys):
    out = tmp_path / "out"
    args = [
        pics["cat"],
        "--style",
        pics["wave"],
        pics["starry"],
        "-o",
        out,
        *QUICK,
        "--iterations",
        "4",
        "--save-every",
        "2",
    ]
    code, err = run_batch(capsys, *args)
    assert code == 0, err
    assert {p.name for p in out.iterdir()} == {
        "batch.json",
        "cat__wave.png",
        "cat__starry.png",
        "cat__wave_0002.png",
        "cat__starry_0002.png",
    }
    with Image.open(out / "cat__wave_0002.png") as snap, Image.open(out / "cat__wave.png") as final:
        assert snap.size == final.size
        assert np.abs(np.asarray(snap, float) - np.asarray(final, float)).mean() > 0.5  # an earlier image
    (out / "cat__starry.png").unlink()  # the rerun renders it again: its snapshot keeps the old one
    code, err = run_batch(capsys, *args)
    assert code == 0, err
    assert (out / "cat__starry_0002-2.png").is_file() and not (out / "cat__wave_0002-2.png").exists()


def test_an_existing_file_not_from_the_batch_is_not_overwritten(pics, tmp_path, capsys):
    (tmp_path / "cat__wave.png").write_bytes(b"mine")
    code, err = run_batch(capsys, pics["cat"], "--style", pics["wave"], "-o", tmp_path, *QUICK)
    assert code == 2 and "already exists and is not from this batch; pass --overwrite" in err
    assert (tmp_path / "cat__wave.png").read_bytes() == b"mine"
    code, err = run_batch(capsys, pics["cat"], "--style", pics["wave"], "-o", tmp_path, "--overwrite", *QUICK)
    assert code == 0, err
    assert (tmp_path / "cat__wave.png").read_bytes() != b"mine"


def start_batch(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "batch", *map(str, args)], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )


def read_until(proc: subprocess.Popen, text: str) -> list[str]:
    """stderr lines up to the first that holds text (the process's own output is the clock)."""
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if text in line:
            return lines
    pytest.fail(f"the batch ended without printing {text!r}: {''.join(lines)}")


def test_resume_after_the_batch_is_killed(pics, tmp_path, capsys):
    out, jobs_file = tmp_path / "out", tmp_path / "jobs.json"
    quick = {"quality": "custom", "size": 64, "iterations": 10}
    first_job = {"content": pics["cat"], "styles": [pics["wave"]], "settings": quick}
    long_job = {"content": pics["coffee"], "styles": [pics["wave"]], "settings": {**quick, "iterations": 100_000}}
    jobs_file.write_text(json.dumps([first_job, long_job]))
    proc = start_batch("--jobs", jobs_file, "-o", out)
    read_until(proc, "[1/2] cat__wave.png done")
    proc.kill()  # a crash, a power cut: no handler runs
    proc.communicate()
    rec = record(out)
    assert rec["cat__wave.png"]["status"] == "done"
    assert rec["coffee__wave.png"]["status"] in ("queued", "running")
    first = (out / "cat__wave.png").stat().st_mtime_ns

    jobs_file.write_text(json.dumps([first_job, {**long_job, "settings": quick}]))
    code, err = run_batch(capsys, "--jobs", jobs_file, "-o", out)
    assert code == 0, err
    assert "Skipping 1 job(s) already done" in err
    assert (out / "cat__wave.png").stat().st_mtime_ns == first
    assert {e["status"] for e in record(out).values()} == {"done"}
    assert sorted(p.name for p in out.iterdir()) == sorted([*record(out), "batch.json"])


def test_ctrl_c_saves_the_running_jobs_best_image_and_exits_130(pics, tmp_path):
    out = tmp_path / "out"
    proc = start_batch(
        pics["cat"],
        pics["coffee"],
        "--style",
        pics["wave"],
        "-o",
        out,
        "--quality",
        "custom",
        "--size",
        "64",
        "--iterations",
        "5000",
    )
    read_until(proc, "jobs 0/2  cat__wave.png [")  # iterating
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130, err
    rec = record(out)
    assert rec["cat__wave.png"]["status"] == "interrupted"
    assert rec["cat__wave.png"]["reason"].startswith("stopped after ")
    assert f"the best image so far is saved to {out / 'cat__wave.png'}" in err  # where, not only that
    assert (out / "cat__wave.png").is_file()
    assert rec["coffee__wave.png"]["status"] == "queued" and not (out / "coffee__wave.png").exists()
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith("Batch interrupted: 0 of 2 done, 0 failed, 1 interrupted, 1 not started")
    )
    assert "Traceback" not in err
