"""The automatic schedule of the quality presets, and the fixed passes of
quality custom."""

import numpy as np
import pytest

from cli.options import build_parser, settings_from_args
from engine.optim.loop import converged
from engine.pipeline import stages as schedule
from engine.pipeline.run import stylize
from engine.pipeline.stages import QUALITY, Stage, initial_kind, plan_stages, quality_passes
from engine.settings import Settings


def test_normal_goes_half_then_full_size_with_caps_and_an_expectation():
    stages = plan_stages(Settings(size=512))
    assert [s.size for s in stages] == [256, 512]
    assert [s.iterations for s in stages] == [p.cap for p in QUALITY["normal"]]
    assert all(0 < s.expected <= s.iterations for s in stages)


@pytest.mark.parametrize("quality", ["draft", "normal", "fine"])
def test_every_quality_ends_at_the_output_size_and_grows(quality):
    for size in (64, 128, 200, 512, 2048):
        sizes = [s.size for s in quality_passes(quality, size)]
        assert sizes[-1] == size and sizes == sorted(set(sizes))
        assert all(s >= min(schedule.MIN_PASS_SIZE, size) for s in sizes)


def test_more_quality_means_more_work():
    work = {q: sum(s.size**2 * s.expected for s in quality_passes(q, 512)) for q in QUALITY}
    assert work["draft"] < work["normal"] < work["fine"]


def test_custom_keeps_the_iterations_and_scales_as_given():
    s = Settings(quality="custom", iterations=300, scales=[512])
    assert [(st.size, st.iterations, st.window) for st in plan_stages(s)] == [(512, 300, 0)]
    assert initial_kind(s, has_content=True) == "content"  # as before the presets existed
    assert initial_kind(Settings(), has_content=True) == "adain"
    assert initial_kind(Settings(), has_content=False) == "noise"
    assert initial_kind(Settings(init="content"), has_content=True) == "content"


def test_explicit_counts_on_the_command_line_choose_custom():
    parse = lambda *a: settings_from_args(build_parser().parse_args(["c.png", "s.png", "-o", "o.png", *a]))
    assert parse().quality == "normal"
    assert parse("--iterations", "300").quality == "custom"
    assert parse("--scales", "256,512").quality == "custom"
    assert parse("--quality", "draft").quality == "draft"


def test_settings_saved_before_the_presets_keep_their_counts():
    old = Settings(iterations=250).to_dict()
    del old["quality"]
    old["init"] = "content"
    s = Settings.from_dict(old)
    assert s.quality == "custom" and plan_stages(s)[0].iterations == 250


def test_converged_compares_the_loss_over_the_window():
    assert not converged([10, 9, 8], window=0, tolerance=0.5)
    assert not converged([10, 9], window=2, tolerance=0.5)  # not enough history
    assert converged([10.0, 9.99, 9.98, 9.97], window=3, tolerance=0.01)
    assert not converged([10.0, 9.0, 8.0, 7.0], window=3, tolerance=0.01)


def test_a_pass_ends_when_the_loss_settles(cat_rgb, starry_rgb, monkeypatch):
    """With a loose tolerance the pass stops early; the result says how many
    iterations ran, and the progress reports stop there too."""
    loose = (schedule.Pass(1.0, 200, 20, 3, 0.5),)
    monkeypatch.setitem(schedule.QUALITY, "draft", loose)
    seen = []
    result = stylize(cat_rgb, [starry_rgb], Settings(size=64, quality="draft", preview_every=0), progress=seen.append)
    assert 3 < result.iterations < 200
    assert seen[-1].iteration == result.iterations and seen[-1].total == 200


def test_the_automatic_run_starts_from_the_adain_look(cat_rgb, starry_rgb):
    """The first preview of a run is already stylised: it is much closer to the
    AdaIN result than to the photo (the window shows AdaIN first, then only
    improvements)."""
    from engine.image.io import resize_to
    from engine.network.adain import adain_stylize

    seen = []
    stylize(cat_rgb, [starry_rgb], Settings(size=128, quality="draft", preview_every=1), progress=seen.append)
    assert seen[0].iteration == 0 and seen[0].preview is not None  # the start itself, for the window
    first = seen[1].preview.astype(np.float32) / 255
    wh = first.shape[1::-1]
    from engine.pipeline.start import ADAIN_OVERSIZE

    adain = resize_to(adain_stylize(cat_rgb, [starry_rgb], size=round(128 * ADAIN_OVERSIZE)), wh)
    photo = resize_to(cat_rgb, wh)
    assert np.abs(first - adain).mean() < 0.5 * np.abs(first - photo).mean()
    assert [p.stage_index for p in seen] == sorted(p.stage_index for p in seen)
    assert isinstance(plan_stages(Settings(size=128, quality="draft"))[0], Stage)


def test_soft_clip_keeps_order_and_stays_inside():
    from engine.pipeline.start import soft_clip

    x = np.linspace(-0.35, 1.35, 2001, dtype=np.float32)
    y = soft_clip(x, 0.04)
    assert (np.diff(y) >= 0).all() and y.min() > 0 and y.max() < 1
    assert np.round(y * 255).min() >= 1 and np.round(y * 255).max() <= 254  # nothing saved as 0 or 255
    inside = (x >= 0.04) & (x <= 0.96)
    assert np.array_equal(y[inside], x[inside])
