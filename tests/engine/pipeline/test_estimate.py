"""Time estimates: planned pixel-iterations times this machine's remembered speed, and the run's ETA."""

import json

import pytest

from engine.pipeline import estimate
from engine.pipeline.stages import Stage
from engine.settings import Settings


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "neural-style-studio"


KEY = estimate.speed_key("cpu", "float32", 2)


def test_more_quality_or_pixels_means_more_time():
    times = [estimate.expected_seconds(Settings(quality=q), (384, 512), KEY) for q in ("normal", "fine")]
    assert times[0] < times[1]
    small = estimate.expected_seconds(Settings(size=256), (384, 512), KEY)
    big = estimate.expected_seconds(Settings(size=1024), (384, 512), KEY)
    assert big - estimate.START_SECONDS > 10 * (small - estimate.START_SECONDS)


def test_the_plan_counts_expected_iterations_not_caps():
    stages = [Stage("a", 100, 50, expected=10), Stage("b", 200, 40)]
    assert estimate.stage_work(stages, (100, 200)) == [50 * 100 * 10, 100 * 200 * 40]


def test_a_recorded_run_calibrates_the_rate_and_is_remembered(own_cache):
    assert estimate.rate(KEY) == (estimate.default_rate(KEY), False)
    start = estimate.START_SECONDS  # the estimate adds it once; the rate leaves it out
    estimate.record_run(KEY, seconds=30.0 + start, work=3e6)
    assert estimate.rate(KEY) == (pytest.approx(1e-5), True)
    estimate.record_run(KEY, seconds=60.0 + start, work=3e6)  # smoothed towards the newer run
    assert estimate.rate(KEY)[0] == pytest.approx(1.5e-5)
    assert json.loads((own_cache / "speed.json").read_text())[KEY] == pytest.approx(1.5e-5)
    assert estimate.expected_seconds(
        Settings(quality="custom", iterations=10, size=100), (100, 100), KEY
    ) == pytest.approx(start + 1.5e-5 * 100 * 100 * 10)
    assert estimate.rate(estimate.speed_key("cpu", "float32", 4))[1] is False  # per thread count


def test_a_corrupt_speed_file_falls_back_to_the_default(own_cache):
    own_cache.mkdir(parents=True)
    (own_cache / "speed.json").write_text("[1, 2", encoding="utf-8")
    assert estimate.rate(KEY) == (estimate.default_rate(KEY), False)
    estimate.record_run(KEY, 10.0 + estimate.START_SECONDS, 1e6)
    assert estimate.rate(KEY) == (pytest.approx(1e-5), True)


def test_run_clock_is_right_after_the_first_pass():
    """Passes at a steady 1e-5 s per pixel-iteration, each set up in the time of 3 of its iterations
    (as measured by bench/eta.py): from the first report after the first pass the ETA is within 25%."""
    stages = [
        Stage("128", 128, 100, expected=60),
        Stage("256", 256, 50, expected=30),
        Stage("512", 512, 20, expected=10),
    ]
    clock = estimate.RunClock(stages, None, prior_rate=3e-5)
    pace, busy, etas = 1e-5, 2.0, []
    for i, its in enumerate((60, 30, 10)):
        busy += estimate.RunClock.SETUP * pace * stages[i].size ** 2 if i else 0
        for it in range(1, its + 1):
            busy += pace * stages[i].size ** 2
            etas.append((i, it, clock.update(i, it, busy), busy))
    end = busy
    for i, it, eta, at in etas:
        last_iteration = pace * 512**2  # whether the pass ends now is unknown until it does
        if i >= 1 and end - at > last_iteration:
            assert eta == pytest.approx(end - at, rel=0.25, abs=0.05), (i, it)  # the issue: within 25%
    setup = estimate.RunClock.SETUP
    assert etas[0][2] == pytest.approx(3e-5 * (59 * 128**2 + (30 + setup) * 256**2 + (10 + setup) * 512**2))
    assert clock.done_work() == 60 * 128**2 + 30 * 256**2 + 10 * 512**2


def test_measured_rate_is_a_plausible_number():
    per = estimate.measure_rate(Settings(precision="fp32"), size=64)
    assert 1e-9 < per < 1e-3


@pytest.mark.parametrize(
    "seconds,text", [(12, "about 10 s"), (50, "about 50 s"), (100, "about 2 min"), (3600 + 600, "about 1 h 10 min")]
)
def test_estimates_read_as_plain_words(seconds, text):
    assert estimate.describe(seconds) == text
