"""Localised style loss against the windowed sum written out as loops."""

import pytest
import torch

from engine.errors import StyleError
from engine.losses import localised

torch.manual_seed(0)


def _loop_local_gram(f, window, weights):
    """G_ij(y, x) = sum_{dy,dx} w(dy) w(dx) F_i(y+dy, x+dx) F_j(y+dy, x+dx), clamped coordinates."""
    _, c, h, w = f.shape
    r = window // 2
    out = torch.zeros(c, c, h, w)
    for y in range(h):
        for x in range(w):
            for dy in range(-r, r + 1):
                for dx in range(-r, r + 1):
                    yy, xx = min(max(y + dy, 0), h - 1), min(max(x + dx, 0), w - 1)
                    v = f[0, :, yy, xx]
                    out[:, :, y, x] += weights[dy + r] * weights[dx + r] * torch.outer(v, v)
    return out


@pytest.mark.parametrize("weighting", localised.WEIGHTINGS)
def test_local_gram_matches_the_loop_formula(weighting):
    f = torch.randn(1, 3, 5, 6)
    g = localised.local_gram(f, window=3, channels=None, weighting=weighting)
    expected = _loop_local_gram(f, 3, localised.window_weights(3, weighting))
    i, j = localised.triu_indices(3)
    assert g.shape == (1, 6, 5, 6)
    torch.testing.assert_close(g[0], expected[i, j], rtol=1e-5, atol=1e-5)


def test_window_one_is_the_per_pixel_outer_product():
    f = torch.randn(2, 4, 3, 5)
    g = localised.local_gram(f, window=1, channels=None)
    outer = torch.einsum("bihw,bjhw->bijhw", f, f)
    i, j = localised.triu_indices(4)
    torch.testing.assert_close(g, outer[:, i, j])


def test_box_window_mean_over_the_image_is_near_the_global_gram_on_the_interior():
    f = torch.rand(1, 2, 9, 9)
    g = localised.local_gram(f, window=9, channels=None, weighting="box")
    # The centre position's 9x9 window covers the whole map: the global Gram G = F F^T / M.
    flat = f[0].flatten(1)
    gram = flat @ flat.T / 81
    i, j = localised.triu_indices(2)
    torch.testing.assert_close(g[0, :, 4, 4], gram[i, j], rtol=1e-5, atol=1e-6)


def test_projection_is_fixed_and_orthonormal():
    p = localised.projection(64, 16)
    torch.testing.assert_close(p @ p.T, torch.eye(16), atol=1e-5, rtol=0)
    torch.testing.assert_close(localised.projection.__wrapped__(64, 16), p)
    f = torch.randn(1, 64, 6, 6)
    g = localised.local_gram(f, window=3, channels=16)
    projected = torch.einsum("kc,bchw->bkhw", p, f)
    torch.testing.assert_close(g, localised.local_gram(projected, window=3, channels=None), rtol=1e-5, atol=1e-5)


def test_loss_is_zero_on_the_style_and_has_gradients():
    style = {"relu1_1": torch.rand(1, 8, 10, 10), "relu2_1": torch.rand(1, 12, 5, 5)}
    weights = {"relu1_1": 0.5, "relu2_1": 0.5}
    targets = localised.localised_targets(style, weights, window=3, channels=4)
    assert localised.localised_style_loss(style, targets, weights, window=3, channels=4) == 0
    x = {k: v.clone().add_(0.1 * torch.randn_like(v)).requires_grad_(True) for k, v in style.items()}
    loss = localised.localised_style_loss(x, targets, weights, window=3, channels=4)
    loss.backward()
    assert loss > 0 and all(v.grad.abs().sum() > 0 for v in x.values())
    expected = sum(w * (localised.local_gram(x[k], 3, 4) - targets[k]).pow(2).mean() for k, w in weights.items())
    torch.testing.assert_close(loss, expected)


def test_position_mismatch_and_bad_window_are_explained():
    targets = localised.localised_targets({"relu1_1": torch.rand(1, 4, 6, 6)}, ["relu1_1"], window=3)
    with pytest.raises(StyleError, match="resize the style image to the output size"):
        localised.localised_style_loss({"relu1_1": torch.rand(1, 4, 6, 7)}, targets, {"relu1_1": 1.0}, window=3)
    with pytest.raises(StyleError, match="odd number"):
        localised.local_gram(torch.rand(1, 2, 4, 4), window=4)


def test_cost_is_sane_at_256_px():
    feats = {
        "relu1_1": torch.rand(1, 64, 256, 256),
        "relu2_1": torch.rand(1, 128, 128, 128),
        "relu3_1": torch.rand(1, 256, 64, 64),
    }
    weights = {k: 1 / 3 for k in feats}
    targets = localised.localised_targets(feats, weights)
    x = {k: v.clone().requires_grad_(True) for k, v in feats.items()}
    # Counted, not timed (a loaded machine makes any time limit flaky): 1.14 GFLOP
    # of matrix work for forward + backward; a per-pixel Gram would be far more.
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        localised.localised_style_loss(x, targets, weights).backward()
    assert counter.get_total_flops() < 3e9
