"""The pipeline controls through `stylize`: colour, masks, scales, init, photoreal."""

import numpy as np
import pytest

from engine.errors import StyleError
from engine.image import color
from engine.image.io import resize_to
from engine.pipeline.run import stylize
from engine.pipeline.stages import plan_stages
from engine.settings import Settings

FAST = dict(quality="custom", size=64, iterations=10, preview_every=0, seed=1)


def test_luminance_only_keeps_the_photos_colour_channels(cat_rgb, starry_rgb):
    out = stylize(cat_rgb, [starry_rgb], Settings(**FAST, color="luminance")).image
    cat = resize_to(cat_rgb, out.shape[1::-1])
    yiq_out, yiq_cat = color.rgb_to_yiq(out), color.rgb_to_yiq(cat)
    inside = (out > 0.002).all(2) & (out < 0.998).all(2)  # pixels the final clip did not touch
    assert inside.mean() > 0.9
    np.testing.assert_allclose(yiq_out[inside][:, 1:], yiq_cat[inside][:, 1:], atol=1 / 255)
    assert np.abs(yiq_out[..., 0] - yiq_cat[..., 0]).mean() > 0.02  # the luminance did change


def test_histogram_matching_keeps_the_photos_palette(cat_rgb, starry_rgb):
    plain = stylize(cat_rgb, [starry_rgb], Settings(**FAST)).image
    matched = stylize(cat_rgb, [starry_rgb], Settings(**FAST, color="histogram")).image
    cat_mean = resize_to(cat_rgb, plain.shape[1::-1]).reshape(-1, 3).mean(0)
    assert (
        np.abs(matched.reshape(-1, 3).mean(0) - cat_mean).sum() < np.abs(plain.reshape(-1, 3).mean(0) - cat_mean).sum()
    )


def test_original_colours_puts_the_chroma_back(cat_rgb, starry_rgb):
    out = stylize(cat_rgb, [starry_rgb], Settings(**FAST, color="original")).image
    cat = resize_to(cat_rgb, out.shape[1::-1])
    iq = lambda a: color.rgb_to_yiq(a)[..., 1:]
    assert np.abs(iq(out) - iq(cat)).mean() < 0.02


def test_masks_send_each_region_to_its_style(cat_rgb):
    h, w = cat_rgb.shape[:2]
    red = np.zeros((64, 64, 3), np.float32)
    red[..., 0] = 0.9
    red[::4, :, 1] = 0.4  # a little texture so the Gram has structure
    blue = red[..., ::-1].copy()
    label = np.zeros((h, w, 3), np.uint8)
    label[:, : w // 2] = (255, 0, 0)
    label[:, w // 2 :] = (0, 0, 255)
    style_label = lambda c: np.tile(np.array(c, np.uint8), (64, 64, 1))
    out = stylize(
        cat_rgb,
        [red, blue],
        Settings(**{**FAST, "iterations": 25, "style_strength": 3.0}),
        content_mask=label,
        style_masks=[style_label((255, 0, 0)), style_label((0, 0, 255))],
    ).image
    half = out.shape[1] // 2
    left, right = out[:, : half - 4].reshape(-1, 3).mean(0), out[:, half + 4 :].reshape(-1, 3).mean(0)
    assert left[0] - left[2] > 0.1 and right[2] - right[0] > 0.1


def test_soft_masks_blend_the_two_styles_across_their_ramp(cat_rgb):
    h, w = cat_rgb.shape[:2]
    red = np.zeros((64, 64, 3), np.float32)
    red[..., 0] = 0.9
    red[::4, :, 1] = 0.4
    blue = red[..., ::-1].copy()
    ramp = np.clip((2 * w / 3 - np.arange(w)) / (w / 3), 0, 1).astype(np.float32)  # 1 left, 0 right
    left_weight = np.tile(ramp, (h, 1))
    content = ([(255, 0, 0), (0, 0, 255)], np.stack([left_weight, 1 - left_weight]))
    whole = lambda c: ([c], np.ones((1, 64, 64), np.float32))
    out = stylize(
        cat_rgb,
        [red, blue],
        Settings(**{**FAST, "iterations": 25, "style_strength": 3.0}),
        content_mask=content,
        style_masks=[whole((255, 0, 0)), whole((0, 0, 255))],
    ).image
    redness = out[..., 0].mean(0) - out[..., 2].mean(0)  # per column
    third = out.shape[1] // 3
    left, middle, right = (
        redness[: third - 4].mean(),
        redness[third + 8 : 2 * third - 8].mean(),
        redness[2 * third + 4 :].mean(),
    )
    assert left > 0.1 and right < -0.1
    assert right < middle < left  # in between where both regions weigh


def test_orphan_region_and_wrong_size_masks_are_rejected(cat_rgb, starry_rgb):
    label = np.zeros(cat_rgb.shape, np.uint8)
    label[:, :10] = (0, 255, 0)
    style_mask = np.zeros(starry_rgb.shape, np.uint8)
    with pytest.raises(StyleError, match="#00ff00"):
        stylize(cat_rgb, [starry_rgb], Settings(**FAST), content_mask=label, style_masks=[style_mask])
    with pytest.raises(StyleError, match="content mask"):
        stylize(cat_rgb, [starry_rgb], Settings(**FAST), content_mask=label[:20], style_masks=[style_mask])


def test_coarse_to_fine_passes_end_at_the_last_scale(cat_rgb, starry_rgb):
    seen = []
    s = Settings(**{**FAST, "scales": [48, 96], "scale_iterations": [4, 3]})
    assert [(st.size, st.iterations) for st in plan_stages(s)] == [(48, 4), (96, 3)]
    result = stylize(cat_rgb, [starry_rgb], s, progress=seen.append)
    assert max(result.image.shape[:2]) == 96 and result.iterations == 7
    assert [(p.stage_index, p.stages) for p in seen][::3] == [(0, 2), (0, 2), (1, 2)]
    # Progress.fraction weighs each pass by pixels x iterations: 48^2 x 4 against 96^2 x 3.
    first, second = 48 * 48 * 4, 96 * 96 * 3
    end_of_first = next(p for p in seen if p.stage_index == 0 and p.iteration == 4)
    assert end_of_first.fraction == pytest.approx(first / (first + second))
    assert seen[-1].fraction == pytest.approx(1.0)
    assert all(a.fraction <= b.fraction for a, b in zip(seen, seen[1:]))


def test_per_style_scale_must_match_the_styles(cat_rgb, starry_rgb):
    with pytest.raises(StyleError, match="one scale per style image"):
        stylize(cat_rgb, [starry_rgb], Settings(**FAST, style_scales=[1.0, 2.0]))


def test_adain_init_starts_from_the_feedforward_result(cat_rgb, starry_rgb):
    seen = []
    stylize(
        cat_rgb,
        [starry_rgb],
        Settings(**{**FAST, "iterations": 1, "init": "adain", "preview_every": 1}),
        progress=seen.append,
    )
    first = seen[0].preview.astype(np.float32) / 255
    cat = resize_to(cat_rgb, first.shape[1::-1])
    assert np.abs(first - cat).mean() > 0.05  # not the photo: already stylised


def test_localised_style_loss_runs_and_lowers_its_loss(cat_rgb, starry_rgb):
    seen = []
    stylize(cat_rgb, [starry_rgb], Settings(**FAST, local_window=5), progress=seen.append)
    assert seen[-1].losses["style"] < seen[0].losses["style"]


def test_photoreal_mode_runs_two_stages_with_the_laplacian_term(cat_rgb, starry_rgb):
    seen = []
    s = Settings(**{**FAST, "iterations": 4, "photoreal": True, "photoreal_stage1": 3})
    stylize(cat_rgb, [starry_rgb], s, progress=seen.append)
    stages = sorted({p.stage for p in seen})
    assert stages == ["stage 1: style", "stage 2: photoreal"]
    assert "photoreal" in seen[-1].losses and "photoreal" not in seen[0].losses


def test_photoreal_keeps_edges_and_moves_colours_on_the_lake_pair():
    """Issue 5's two proofs, at a test-sized 80 px (bench/photoreal_bench.py runs 512 px)."""
    import torch

    from engine.image.io import load_image, resize_long_side
    from engine.losses.matting import MattingLaplacian
    from engine.presets import apply_preset
    from testimages import image_path

    day = resize_long_side(load_image(image_path("plasma_coldripple_foggy_lake_day.jpg")).rgb, 80)
    dusk = resize_long_side(load_image(image_path("plasma_eveningglow_lake_sunset.jpg")).rgb, 80)
    lap = MattingLaplacian(day)
    energy = lambda img: float(lap.energy(torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1)[None]))
    photo = apply_preset(
        "photoreal", Settings(quality="custom", size=80, iterations=30, photoreal_stage1=30, preview_every=0)
    )
    gatys = photo.replace(photoreal=False, iterations=30)
    plain = stylize(day, [dusk], gatys).image
    real = stylize(day, [dusk], photo).image
    assert energy(real) <= 0.3 * energy(plain)
    mean = lambda a: a.reshape(-1, 3).mean(0)
    assert np.abs(mean(real) - mean(dusk)).sum() <= 0.5 * np.abs(mean(day) - mean(dusk)).sum()


def test_scale_mixing_keeps_the_coarse_layout_and_takes_the_fine_texture(starry_rgb, wave_rgb):
    from engine.pipeline.scale_mix import mix_scales

    seen = []
    result = mix_scales(
        starry_rgb, wave_rgb, Settings(quality="custom", size=64, iterations=15, preview_every=0), progress=seen.append
    )
    assert seen[-1].losses["style"] < seen[0].losses["style"]
    coarse = resize_to(starry_rgb, result.image.shape[1::-1])
    # Layout survives: the mix stays closer to the coarse image than a random image would be.
    assert (
        np.abs(result.image - coarse).mean()
        < 0.5 * np.abs(np.random.default_rng(0).random(coarse.shape) - coarse).mean()
    )


def test_zero_iterations_with_adain_init_is_the_feedforward_result(cat_rgb, starry_rgb):
    result = stylize(cat_rgb, [starry_rgb], Settings(quality="custom", size=64, iterations=0, init="adain"))
    assert result.iterations == 0 and result.image.shape[:2] == (43, 64)
    assert np.abs(result.image - resize_to(cat_rgb, (64, 43))).mean() > 0.05


def test_tiles_cover_the_image_and_feather_only_inside():
    from engine.pipeline.tiles import feather, tile_boxes

    boxes = tile_boxes(300, 200, 128, 32)
    total = np.zeros((200, 300))
    for b in boxes:
        x0, y0, x1, y1 = b
        total[y0:y1, x0:x1] += feather(b, 300, 200, 32)
    assert total.min() > 0  # every pixel is covered; the blend divides by this sum
    assert all(x1 - x0 == 128 and y1 - y0 == 128 for x0, y0, x1, y1 in boxes)
    corner = feather(boxes[0], 300, 200, 32)
    assert corner[0, 0] == 1 and corner[-1, -1] < 0.05  # flat at the image border, ramped inside


def test_a_tiled_pass_matches_an_untiled_one_without_seams(cat_rgb, starry_rgb):
    s = Settings(quality="custom", size=96, iterations=10, preview_every=0, seed=2)
    whole = stylize(cat_rgb, [starry_rgb], s).image
    seen = []
    tiled = stylize(
        cat_rgb, [starry_rgb], s.replace(tile_size=128, tile_overlap=16, size=160), progress=seen.append
    ).image
    assert tiled.shape == (107, 160, 3)
    assert any("tile 2/2" in p.stage for p in seen)
    # No seam: the column step across the tile boundary is like the steps around it.
    steps = np.abs(np.diff(tiled, axis=1)).mean(axis=(0, 2))
    assert steps[40:120].max() < 4 * np.median(steps)
    # The style statistics agree with the untiled result's.
    assert abs(tiled.mean() - whole.mean()) < 0.08
