"""Colour control against the formulas of Gatys et al. 2017, on real images."""

import numpy as np
import pytest
import torch

from engine.errors import StyleError
from engine.image import color
from testimages import load_small

rng = np.random.default_rng(0)


def _load(name: str, size: int = 128) -> np.ndarray:
    return load_small(name, size)


@pytest.fixture(scope="module")
def content():
    return _load("chelsea.png")


@pytest.fixture(scope="module")
def style():
    return _load("van_gogh_starry_night_1889.jpg")


def _mean_cov(image):
    p = image.reshape(-1, 3).astype(np.float64)
    return p.mean(0), np.cov(p.T, bias=True)


def test_yiq_round_trip_is_exact_and_y_is_the_ntsc_luma():
    rgb = rng.random((5, 7, 3), dtype=np.float32)
    yiq = color.rgb_to_yiq(rgb)
    np.testing.assert_allclose(yiq[..., 0], 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2], atol=1e-6)
    np.testing.assert_allclose(color.yiq_to_rgb(yiq), rgb, atol=1e-6)
    # Grey pixels have no chroma.
    grey = np.full((2, 2, 3), 0.4, np.float32)
    np.testing.assert_allclose(color.rgb_to_yiq(grey)[..., 1:], 0.0, atol=1e-5)


def test_torch_layout_matches_numpy():
    rgb = rng.random((4, 6, 3), dtype=np.float32)
    t = torch.from_numpy(rgb).permute(2, 0, 1)[None]
    out = color.rgb_to_yiq(t)
    assert out.shape == (1, 3, 4, 6)
    np.testing.assert_allclose(out[0].permute(1, 2, 0).numpy(), color.rgb_to_yiq(rgb), atol=1e-6)
    torch.testing.assert_close(color.yiq_to_rgb(out), t, atol=1e-6, rtol=0)


def test_match_luminance_gives_content_mean_and_std():
    s = rng.random((20, 30)) ** 3
    c = 0.3 + 0.1 * rng.random((10, 10))
    out = color.match_luminance(s, c)
    assert out.mean() == pytest.approx(c.mean(), abs=1e-6)
    assert out.std() == pytest.approx(c.std(), abs=1e-6)
    # Written out: sigma_c / sigma_s * (L_s - mu_s) + mu_c.
    np.testing.assert_allclose(out, c.std() / s.std() * (s - s.mean()) + c.mean(), atol=1e-6)


def test_luminance_only_inputs_are_grey_and_matched(content, style):
    c_lum, (s_lum,) = color.luminance_only_inputs(content, [style], match=True)
    assert c_lum.shape == content.shape and s_lum.shape == style.shape
    for img in (c_lum, s_lum):
        np.testing.assert_array_equal(img[..., 0], img[..., 1])
        np.testing.assert_array_equal(img[..., 0], img[..., 2])
    np.testing.assert_allclose(c_lum[..., 0], np.clip(color.rgb_to_yiq(content)[..., 0], 0, 1), atol=1e-6)
    c_y = color.rgb_to_yiq(content)[..., 0]
    # Matched before clipping; clipping moves few pixels on these images.
    assert s_lum[..., 0].mean() == pytest.approx(c_y.mean(), abs=0.01)
    assert s_lum[..., 0].std() == pytest.approx(c_y.std(), abs=0.01)
    _, (raw,) = color.luminance_only_inputs(content, [style], match=False)
    np.testing.assert_allclose(raw[..., 0], np.clip(color.rgb_to_yiq(style)[..., 0], 0, 1), atol=1e-6)


def test_recombine_luminance_keeps_content_chroma_and_result_luma(content):
    # A "result": a grey image whose luminance is a blurred, darkened content.
    y = color.rgb_to_yiq(content)[..., 0]
    result_y = 0.15 + 0.6 * (y + np.roll(y, 3, axis=1)) / 2
    result = np.repeat(result_y[..., None], 3, axis=-1).astype(np.float32)
    out = color.recombine_luminance(result, content)
    unclipped = color.yiq_to_rgb(np.dstack([result_y, color.rgb_to_yiq(content)[..., 1:]]))
    inside = np.all((unclipped >= 0) & (unclipped <= 1), axis=-1)
    assert inside.mean() > 0.95
    yiq_out, yiq_c = color.rgb_to_yiq(out), color.rgb_to_yiq(content)
    np.testing.assert_allclose(yiq_out[inside][:, 1:], yiq_c[inside][:, 1:], atol=1 / 255)
    np.testing.assert_allclose(yiq_out[inside][:, 0], result_y[inside], atol=1 / 255)
    assert out.min() >= 0 and out.max() <= 1


def test_original_colors_resizes_content_to_the_result():
    content = rng.random((40, 60, 3), dtype=np.float32)
    result = rng.random((20, 30, 3), dtype=np.float32)
    out = color.original_colors(result, content)
    assert out.shape == (20, 30, 3) and out.dtype == np.float32


@pytest.mark.parametrize("mode", color.COLOR_MODES)
def test_match_color_gives_content_mean_and_covariance(mode, content, style):
    out = color.match_color(style, content, mode=mode, clip=False)
    mu_o, cov_o = _mean_cov(out)
    mu_c, cov_c = _mean_cov(content)
    np.testing.assert_allclose(mu_o, mu_c, atol=1e-3)
    np.testing.assert_allclose(cov_o, cov_c, atol=1e-3)
    # The recoloured image is an affine map of the style, pixel by pixel.
    a, b = color.color_transform(style, content, mode)
    np.testing.assert_allclose(out, style @ a.T + b, atol=1e-5)
    clipped = color.match_color(style, content, mode=mode)
    assert clipped.min() >= 0 and clipped.max() <= 1


def test_match_color_modes_differ_but_agree_on_statistics(content, style):
    a_chol, _ = color.color_transform(style, content, "chol")
    a_sym, _ = color.color_transform(style, content, "sym")
    a_pca, _ = color.color_transform(style, content, "pca")
    assert not np.allclose(a_chol, a_sym, atol=1e-3)
    assert not np.allclose(a_sym, a_pca, atol=1e-3)
    # sym: A is Sigma_c^1/2 Sigma_s^-1/2, so A Sigma_s A^T = Sigma_c.
    _, cov_s = _mean_cov(style)
    _, cov_c = _mean_cov(content)
    np.testing.assert_allclose(a_sym @ (cov_s + 1e-5 * np.eye(3)) @ a_sym.T, cov_c + 1e-5 * np.eye(3), atol=1e-6)


def test_flat_style_does_not_break_match_color(content):
    flat = np.full((32, 32, 3), 0.5, np.float32)
    out = color.match_color(flat, content)
    assert np.isfinite(out).all()


def test_bad_mode_and_shapes_raise_style_errors(content, style):
    with pytest.raises(StyleError, match="chol, pca, sym"):
        color.match_color(style, content, mode="lab")
    with pytest.raises(StyleError, match="RGB image"):
        color.match_color(style[..., 0], content)
    with pytest.raises(StyleError, match="at least one style"):
        color.luminance_only_inputs(content, [])


@pytest.mark.parametrize("mode", ["luminance", "histogram", "original"])
def test_previews_show_the_colours_the_result_will_have(cat_rgb, starry_rgb, mode):
    """With luminance-only transfer the optimiser works on a grey picture; the
    previews still show the photo's colours, as the final image does."""
    from engine.api import stylize
    from engine.settings import Settings

    seen = []
    settings = Settings(size=64, quality="custom", iterations=3, init="content", color=mode, preview_every=1)
    result = stylize(cat_rgb, [starry_rgb], settings, progress=seen.append)
    previews = [p.preview for p in seen if p.preview is not None]
    assert len(previews) >= 3

    def saturation(rgb):
        rgb = np.asarray(rgb, np.float32)
        return float((rgb.max(-1) - rgb.min(-1)).mean())

    final = result.image * 255
    assert saturation(final) > 10  # the cat's photo colours are back in the result
    assert saturation(previews[-1]) > 0.7 * saturation(final)
    assert np.abs(previews[-1].astype(np.float32) - final).mean() < 2.0  # the last preview is the result
