"""AdaIN preview: the formula, and a real stylisation with the bundled decoder."""

import numpy as np
import pytest
import torch

from engine.errors import StyleError
from engine.network import adain
from testimages import load_small

torch.manual_seed(0)


def _load(name: str, size: int) -> np.ndarray:
    return load_small(name, size)


@pytest.fixture(scope="module")
def content():
    return _load("chelsea.png", 150)  # 150 x 100: not a multiple of 8


@pytest.fixture(scope="module")
def style():
    return _load("van_gogh_starry_night_1889.jpg", 160)


def test_adain_formula_per_channel():
    c = torch.randn(1, 4, 5, 6) * 3 + 1
    s = torch.randn(1, 4, 7, 3) * 0.5 - 2
    out = adain.adain(c, s, eps=0.0)
    for k in range(4):
        cc, ss = c[0, k].flatten(), s[0, k].flatten()
        expected = (c[0, k] - cc.mean()) / cc.std() * ss.std() + ss.mean()
        torch.testing.assert_close(out[0, k], expected, rtol=1e-4, atol=1e-4)
        assert out[0, k].mean().item() == pytest.approx(ss.mean().item(), abs=1e-4)


def test_decoder_matches_the_shipped_state_dict():
    decoder = adain.load_decoder("cpu")
    convs = [i for i, m in enumerate(decoder) if isinstance(m, torch.nn.Conv2d)]
    assert convs == [1, 5, 8, 11, 14, 18, 21, 25, 28]
    assert adain.load_decoder("cpu") is decoder  # cached


def _mean_colour_distance(a, b):
    return float(np.linalg.norm(a.reshape(-1, 3).mean(0) - b.reshape(-1, 3).mean(0)))


def test_stylize_keeps_size_and_moves_colours_towards_the_style(content, style):
    out = adain.adain_stylize(content, style, size=max(content.shape[:2]), precision="fp32")
    assert out.shape == content.shape and out.dtype == np.float32
    assert 0.0 <= out.min() and out.max() <= 1.0
    assert out.std() > 0.05  # not a grey or constant image
    assert _mean_colour_distance(out, style) < 0.6 * _mean_colour_distance(content, style)


def test_alpha_zero_reconstructs_the_content(content, style):
    out = adain.adain_stylize(content, style, alpha=0.0, size=max(content.shape[:2]), precision="fp32")
    stylised = adain.adain_stylize(content, style, alpha=1.0, size=max(content.shape[:2]), precision="fp32")
    err = np.abs(out - content).mean()
    assert err < 0.1  # the decoder is an approximate inverse of the encoder
    assert err < 0.5 * np.abs(stylised - content).mean()


def test_bf16_agrees_with_fp32(content, style):
    a = adain.adain_stylize(content, style, size=96, precision="fp32")
    b = adain.adain_stylize(content, style, size=96, precision="bf16")
    assert a.shape == b.shape == (64, 96, 3)
    assert np.abs(a - b).mean() < 0.05


def test_style_blend_weights(content, style):
    blue = np.zeros_like(style)
    blue[..., 2] = np.linspace(0.3, 1.0, style.shape[1])[None, :]
    only_first = adain.adain_stylize(content, [style, blue], weights=[1.0, 0.0], size=96, precision="fp32")
    single = adain.adain_stylize(content, style, size=96, precision="fp32")
    np.testing.assert_allclose(only_first, single, atol=1e-5)
    mixed = adain.adain_stylize(content, [style, blue], weights=[0.5, 0.5], size=96, precision="fp32")
    assert mixed[..., 2].mean() - mixed[..., 0].mean() > single[..., 2].mean() - single[..., 0].mean()


def test_bad_arguments_raise_style_errors(content, style):
    with pytest.raises(StyleError, match="between 0 and 1"):
        adain.adain_stylize(content, style, alpha=1.5)
    with pytest.raises(StyleError, match="blend weight"):
        adain.adain_stylize(content, [style, style], weights=[1.0])
    with pytest.raises(StyleError, match="RGB image"):
        adain.adain_stylize(content, style[..., 0], size=64)
