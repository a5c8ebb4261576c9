"""engine.guided_filter against He et al.'s formula written out per window."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import StyleError
from engine.image.guided_filter import box_mean, guided_filter
from engine.losses.matting import matting_laplacian, photoreal_energy


@pytest.fixture
def rng():
    return np.random.default_rng(2017)


def photo_like(rng, h: int, w: int) -> np.ndarray:
    """Smooth colour gradients, two hard-edged shapes and mild texture."""
    y, x = np.mgrid[0:h, 0:w] / max(h, w)
    img = np.stack([0.2 + 0.6 * x, 0.3 + 0.4 * y, 0.5 + 0.3 * np.sin(6 * x * y)], axis=2)
    img[(y - 0.3) ** 2 + (x - 0.4) ** 2 < 0.04] = [0.9, 0.2, 0.1]
    img[(y > 0.6) & (x > 0.5)] = [0.1, 0.5, 0.8]
    return np.clip(img + 0.03 * rng.standard_normal(img.shape), 0, 1)


def reference(guide: np.ndarray, src: np.ndarray, radius: int, eps: float) -> np.ndarray:
    """He et al. 2013, eq. 19-21, one (border-clipped) window at a time."""
    h, w, _ = guide.shape
    a = np.zeros((h, w, 3, 3))
    b = np.zeros((h, w, 3))
    window = lambda arr, y, x: arr[max(0, y - radius) : y + radius + 1, max(0, x - radius) : x + radius + 1].reshape(
        -1, 3
    )
    for y in range(h):
        for x in range(w):
            i, p = window(guide, y, x), window(src, y, x)
            mu, mp = i.mean(axis=0), p.mean(axis=0)
            sigma = (i - mu).T @ (i - mu) / len(i)
            cov = (i - mu).T @ (p - mp) / len(i)
            a[y, x] = np.linalg.solve(sigma + eps * np.eye(3), cov)
            b[y, x] = mp - a[y, x].T @ mu
    out = np.zeros((h, w, 3))
    for y in range(h):
        for x in range(w):
            ys, xs = slice(max(0, y - radius), y + radius + 1), slice(max(0, x - radius), x + radius + 1)
            mean_a = a[ys, xs].reshape(-1, 3, 3).mean(axis=0)
            mean_b = b[ys, xs].reshape(-1, 3).mean(axis=0)
            out[y, x] = mean_a.T @ guide[y, x] + mean_b
    return out


@pytest.mark.parametrize("radius, eps", [(1, 1e-4), (2, 1e-2), (3, 1e-3)])
def test_matches_per_window_reference(rng, radius, eps):
    guide, src = rng.random((9, 8, 3)), rng.random((9, 8, 3))
    np.testing.assert_allclose(
        guided_filter(guide, src, radius, eps), reference(guide, src, radius, eps), rtol=1e-9, atol=1e-10
    )


def test_box_mean_is_the_border_clipped_window_mean(rng):
    x = rng.random((7, 10, 4))
    r = 2
    ref = np.array(
        [
            [x[max(0, i - r) : i + r + 1, max(0, j - r) : j + r + 1].mean(axis=(0, 1)) for j in range(10)]
            for i in range(7)
        ]
    )
    np.testing.assert_allclose(box_mean(x, r), ref, rtol=1e-12, atol=1e-14)


def test_global_affine_colour_transform_comes_back_unchanged(rng):
    guide = photo_like(rng, 40, 48)
    a = np.array([[0.7, 0.2, 0.0], [0.1, 0.6, 0.2], [-0.1, 0.1, 0.9]])
    src = guide @ a.T + np.array([0.05, -0.02, 0.1])
    out = guided_filter(guide, src, radius=4, eps=1e-6)
    np.testing.assert_allclose(out, src, atol=1e-3)  # everywhere, borders included


def test_lowers_matting_energy_of_a_degraded_source(rng):
    guide = photo_like(rng, 36, 40)
    clean = np.clip(guide @ np.array([[0.9, 0.1, 0.0], [0.0, 0.8, 0.1], [0.1, 0.0, 0.7]]).T + 0.05, 0, 1)
    src = np.clip(np.round(clean * 6) / 6 + 0.05 * rng.standard_normal(clean.shape), 0, 1)  # posterised, noisy
    m = matting_laplacian(guide)
    out = guided_filter(guide, src, radius=4, eps=1e-4)
    assert photoreal_energy(out, m) < 0.1 * photoreal_energy(src, m)
    # ... and it moves towards the clean affine transform, not just anywhere.
    assert np.abs(out - clean).mean() < 0.6 * np.abs(src - clean).mean()


@pytest.mark.parametrize(
    "dtype, expected",
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.uint8, np.float64),
    ],
)
def test_shape_and_dtype(rng, dtype, expected):
    guide = rng.random((13, 21, 3))
    src = (rng.random((13, 21, 3)) * (255 if dtype == np.uint8 else 1)).astype(dtype)
    out = guided_filter(guide, src, radius=3)
    assert out.shape == (13, 21, 3)
    assert out.dtype == expected


def test_radius_larger_than_image_is_a_global_affine_fit(rng):
    guide, src = rng.random((5, 6, 3)), rng.random((5, 6, 3))
    out = guided_filter(guide, src, radius=10, eps=1e-8)
    design = np.concatenate([guide.reshape(-1, 3), np.ones((30, 1))], axis=1)
    coef, *_ = np.linalg.lstsq(design, src.reshape(-1, 3), rcond=None)
    np.testing.assert_allclose(out.reshape(-1, 3), design @ coef, atol=1e-6)


@pytest.mark.parametrize(
    "guide, src, kwargs, match",
    [
        (np.zeros((8, 8)), np.zeros((8, 8, 3)), {}, "RGB"),
        (np.zeros((8, 8, 3)), np.zeros((8, 9, 3)), {}, "same size"),
        (np.zeros((8, 8, 3)), np.zeros((8, 8, 3)), {"radius": 0}, "radius"),
        (np.zeros((8, 8, 3)), np.zeros((8, 8, 3)), {"eps": -1.0}, "epsilon"),
        (np.zeros((8, 8, 3)), np.full((8, 8, 3), np.inf), {}, "NaN or infinite"),
    ],
)
def test_bad_input_raises_style_error(guide, src, kwargs, match):
    with pytest.raises(StyleError, match=match):
        guided_filter(guide, src, **kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"radius": 0}, "matting window radius must be a whole number"), ({"eps": 0.0}, "matting window epsilon")],
)
def test_the_matting_window_is_checked_like_the_guided_filters(kwargs, match):
    with pytest.raises(StyleError, match=match):
        matting_laplacian(np.zeros((8, 8, 3)), **kwargs)
