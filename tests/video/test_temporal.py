"""The temporal term and the flow check (Ruder, Dosovitskiy & Brox 2016)."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from engine.losses.temporal import TemporalTarget, temporal_loss
from engine.pipeline.stages import plan_stages
from engine.settings import Settings
from engine.video.cache import FrameCache
from engine.video.flow import flows, warp
from engine.video.options import VideoOptions
from engine.video.sequence import later_settings, stylize_video
from videoclips import pan_frames


def test_temporal_loss_is_the_papers_masked_mean():
    gen = torch.Generator().manual_seed(0)
    x, w = torch.rand(1, 3, 8, 8, generator=gen), torch.rand(1, 3, 8, 8, generator=gen)
    c = (torch.rand(1, 1, 8, 8, generator=gen) > 0.5).float()
    expected = sum(
        float(c[0, 0, i, j]) * float((x[0, k, i, j] - w[0, k, i, j]) ** 2)
        for k in range(3)
        for i in range(8)
        for j in range(8)
    ) / (3 * 8 * 8)
    assert_allclose(float(temporal_loss(x, w, c)), expected, rtol=1e-5)


def test_a_pan_warps_back_and_only_the_new_edge_is_unreliable(cat_rgb):
    earlier, later = pan_frames(cat_rgb, 2, 48, step=2)
    backward, reliable = flows(earlier, later)
    assert_allclose(np.median(backward[..., 0]), 2.0, atol=0.3)  # later(p) = earlier(p + 2 px)
    inner = (slice(4, -4), slice(4, -8))
    assert np.abs(warp(earlier, backward)[inner] - later[inner]).mean() < 0.02
    assert reliable[inner].mean() > 0.9
    assert reliable[:, -2:].mean() < 0.5  # came from outside the earlier frame


def test_stylize_with_the_temporal_term_stays_near_the_target(cat_rgb, starry_rgb):
    from engine.api import stylize

    settings = Settings(size=64, quality="custom", iterations=5, init="content", preview_every=0)
    target = np.full((cat_rgb.shape[0], cat_rgb.shape[1], 3), 0.5, np.float32)
    reliable = np.ones(cat_rgb.shape[:2], np.float32)
    free = stylize(cat_rgb, [starry_rgb], settings)
    held = stylize(cat_rgb, [starry_rgb], settings, temporal=TemporalTarget(target, reliable, 100.0))
    grey = lambda im: np.abs(im - 0.5).mean()  # noqa: E731
    assert grey(held.image) < 0.5 * grey(free.image)


def test_the_eta_after_the_first_frame_counts_later_frames_as_the_short_runs_they_are(cat_rgb, starry_rgb, tmp_path):
    """Frame 1 runs the full schedule, later frames a few iterations: the first ETA was frame 1's time
    times the frames left (4:23 for a clip that took 0:50 more)."""
    settings, options = Settings(size=64, preview_every=0), VideoOptions(frame_iterations=4)
    later = later_settings(settings, options)
    reports = []
    cache = FrameCache(tmp_path / "frames", {"test": 1}, overwrite=False)
    frames = pan_frames(cat_rgb, 3, 64)
    stylize_video(frames, 3, [starry_rgb], settings, options, cache, on_frame=reports.append)
    first = reports[0]
    share = later.iterations * 64 * 64 / sum(st.iterations * st.size**2 for st in plan_stages(settings))
    assert 0 < share < 0.5
    assert first.eta == pytest.approx(first.seconds * share * 2, rel=0.05)
    assert reports[-1].eta == 0
