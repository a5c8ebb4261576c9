"""engine.matting against the matting Laplacian written out from its formula."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.errors import StyleError
from engine.losses.matting import MattingLaplacian, matting_laplacian, photoreal_energy


def dense_reference(image: np.ndarray, eps: float, radius: int) -> np.ndarray:
    """Levin et al. 2008, eq. 12, one window at a time."""
    h, w, _ = image.shape
    k = 2 * radius + 1
    n_w = k * k
    m = np.zeros((h * w, h * w))
    for cy in range(radius, h - radius):
        for cx in range(radius, w - radius):
            idx = [(cy + dy) * w + (cx + dx) for dy in range(-radius, radius + 1) for dx in range(-radius, radius + 1)]
            colours = image.reshape(-1, 3)[idx]
            mu = colours.mean(axis=0)
            sigma = (colours - mu).T @ (colours - mu) / n_w
            inv = np.linalg.inv(sigma + eps / n_w * np.eye(3))
            for a, i in enumerate(idx):
                for b, j in enumerate(idx):
                    delta = 1.0 if i == j else 0.0
                    m[i, j] += delta - (1.0 + (colours[a] - mu) @ inv @ (colours[b] - mu)) / n_w
    return m


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.mark.parametrize(
    "shape, eps, radius",
    [
        ((6, 5), 1e-7, 1),
        ((4, 4), 1e-7, 1),
        ((5, 7), 1e-2, 1),
        ((6, 7), 1e-5, 2),
    ],
)
def test_sparse_equals_dense_reference(rng, shape, eps, radius):
    image = rng.random(shape + (3,))
    ref = dense_reference(image, eps, radius)
    got = matting_laplacian(image, eps=eps, radius=radius).toarray()
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-9 * np.abs(ref).max())


def test_symmetric_and_positive_semidefinite(rng):
    m = matting_laplacian(rng.random((6, 5, 3))).toarray()
    np.testing.assert_array_equal(m, m.T)
    eig = np.linalg.eigvalsh(m)
    assert eig.min() >= -1e-8 * eig.max()
    assert eig.max() > 1.0  # not trivially zero


def test_constant_and_affine_colour_vectors_are_in_null_space(rng):
    image = rng.random((6, 5, 3))
    m = matting_laplacian(image)
    norm_m = np.linalg.norm(m.toarray(), 2)
    flat = image.reshape(-1, 3)
    vectors = [np.ones(len(flat))] + [flat[:, c] for c in range(3)]
    vectors.append(flat @ np.array([0.3, -1.2, 0.7]) + 0.25)
    for v in vectors:
        assert np.linalg.norm(m @ v) <= 1e-6 * norm_m * np.linalg.norm(v)
    # A vector that is not an affine function of the colours is far from it.
    noise = rng.standard_normal(len(flat))
    assert np.linalg.norm(m @ noise) > 1e-2 * norm_m * np.linalg.norm(noise)


def test_structure_is_at_most_25_entries_a_row(rng):
    h, w = 9, 8
    m = matting_laplacian(rng.random((h, w, 3)))
    per_row = np.diff(m.indptr)
    assert per_row.max() == 25
    assert per_row[4 * w + 4] == 25  # interior pixel: every 5x5 neighbour
    assert per_row[0] == 9  # corner: one window only
    assert m.has_sorted_indices


def test_operator_matches_csr_matrix(rng):
    image = rng.random((7, 6, 3))
    lap = MattingLaplacian(image)
    m = matting_laplacian(image)
    assert abs(lap.matrix - m).max() == 0.0
    v = rng.random((7, 6, 3))
    x = torch.from_numpy(v.transpose(2, 0, 1)[None].copy())
    got = lap.apply(x)[0].permute(1, 2, 0).reshape(-1, 3).numpy()
    np.testing.assert_allclose(got, m @ v.reshape(-1, 3), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(lap.energy(x).item(), photoreal_energy(v, m), rtol=1e-12)


def test_energy_float32_is_close_to_float64(rng):
    image = rng.random((16, 12, 3))
    lap = MattingLaplacian(image)
    v = np.clip(image + 0.1 * rng.standard_normal(image.shape), 0, 1)
    x = torch.from_numpy(v.transpose(2, 0, 1)[None].astype(np.float32))
    np.testing.assert_allclose(lap.energy(x).item(), photoreal_energy(v, lap.matrix), rtol=1e-4)


def test_energy_gradient_is_2_m_v_and_passes_gradcheck(rng):
    image = rng.random((4, 3, 3))
    lap = MattingLaplacian(image)
    x = torch.from_numpy(rng.random((1, 3, 4, 3))).requires_grad_(True)
    assert torch.autograd.gradcheck(lap.energy, (x,), eps=1e-6, atol=1e-7)
    (3.0 * lap.energy(x)).backward()
    expected = 6.0 * (lap.matrix @ x.detach()[0].permute(1, 2, 0).reshape(-1, 3).numpy())
    np.testing.assert_allclose(x.grad[0].permute(1, 2, 0).reshape(-1, 3).numpy(), expected, rtol=1e-10, atol=1e-12)


def test_energy_is_lower_for_the_image_itself_than_for_noise(rng):
    image = rng.random((10, 10, 3))
    m = matting_laplacian(image)
    assert photoreal_energy(image, m) < 1e-5 * photoreal_energy(rng.random(image.shape), m)


@pytest.mark.parametrize(
    "bad, kwargs, match",
    [
        (np.zeros((5, 5)), {}, "RGB"),
        (np.zeros((5, 5, 4)), {}, "RGB"),
        (np.zeros((2, 5, 3)), {}, "smaller than"),
        (np.zeros((5, 5, 3)), {"radius": 0}, "radius"),
        (np.zeros((5, 5, 3)), {"eps": 0.0}, "epsilon"),
        (np.full((5, 5, 3), np.nan), {}, "NaN"),
    ],
)
def test_bad_input_raises_style_error(bad, kwargs, match):
    with pytest.raises(StyleError, match=match):
        matting_laplacian(bad, **kwargs)
    with pytest.raises(StyleError, match=match):
        MattingLaplacian(bad, **kwargs)


def test_wrong_tensor_size_raises_style_error(rng):
    lap = MattingLaplacian(rng.random((5, 4, 3)))
    with pytest.raises(StyleError, match="once per scale"):
        lap.energy(torch.zeros(1, 3, 4, 5))
    with pytest.raises(StyleError, match="same size"):
        photoreal_energy(rng.random((4, 5, 3)), lap.matrix[:10, :10])
