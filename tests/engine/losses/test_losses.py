"""Each loss against its formula written out element by element."""

import torch

from engine.losses import terms as losses

torch.manual_seed(0)


def test_gram_matrix_matches_the_sum_formula():
    f = torch.randn(1, 4, 3, 5)
    g = losses.gram_matrix(f)
    m = 3 * 5
    expected = torch.zeros(4, 4)
    for i in range(4):
        for j in range(4):
            expected[i, j] = sum(f[0, i].flatten()[k] * f[0, j].flatten()[k] for k in range(m)) / m
    torch.testing.assert_close(g[0], expected, rtol=1e-5, atol=1e-6)


def test_gram_matrix_is_exact_in_both_memory_formats_with_its_gradient():
    f = torch.randn(1, 4, 5, 6, dtype=torch.float64, requires_grad=True)
    rows = f.detach().reshape(4, 30)
    for layout in (torch.contiguous_format, torch.channels_last):
        g = losses.gram_matrix(f.contiguous(memory_format=layout))
        torch.testing.assert_close(g[0], rows @ rows.T / 30)
        assert torch.autograd.gradcheck(lambda t: losses.gram_matrix(t.contiguous(memory_format=layout)), (f,))


def test_gram_matrix_keeps_no_copy_of_the_features_for_the_backward_pass():
    """Autograd keeps only views of the features themselves: no fp32 copy of
    bf16 features and no reshaped copy of channels_last ones."""
    for dtype in (torch.float32, torch.bfloat16):
        feats = torch.randn(1, 64, 24, 32).to(dtype).contiguous(memory_format=torch.channels_last).requires_grad_(True)
        saved = []
        with torch.autograd.graph.saved_tensors_hooks(lambda t: saved.append(t) or t, lambda t: t):
            g = losses.gram_matrix(feats)
        assert g.dtype == torch.float32
        assert saved, "the Gram matrix keeps its input for the backward pass"
        base = feats.untyped_storage().data_ptr()
        assert all(t.untyped_storage().data_ptr() == base for t in saved), [t.shape for t in saved]
        g.sum().backward()
        assert feats.grad.dtype == dtype and feats.grad.is_contiguous(memory_format=torch.channels_last)


def test_guided_gram_weights_positions_and_normalises_by_mask_energy():
    f = torch.randn(1, 3, 4, 4)
    mask = torch.zeros(4, 4)
    mask[:, :2] = 1.0
    g = losses.gram_matrix(f, mask)
    left = f[0, :, :, :2].reshape(3, -1)
    torch.testing.assert_close(g[0], left @ left.T / 8, rtol=1e-5, atol=1e-6)


def test_content_loss_is_weighted_mean_squared_error():
    a = {"relu1_1": torch.randn(1, 2, 3, 3), "relu4_2": torch.randn(1, 5, 2, 2)}
    b = {k: torch.randn_like(v) for k, v in a.items()}
    w = {"relu1_1": 0.25, "relu4_2": 0.75}
    expected = sum(w[k] * ((a[k] - b[k]) ** 2).sum() / a[k].numel() for k in w)
    torch.testing.assert_close(losses.content_loss(a, b, w), expected)


def test_style_loss_is_a_quarter_of_gatys_e_l_times_four():
    f = torch.randn(1, 3, 4, 5)
    target = torch.randn(1, 3, 4, 5)
    n, m = 3, 20
    g_x = f[0].reshape(n, m) @ f[0].reshape(n, m).T
    g_a = target[0].reshape(n, m) @ target[0].reshape(n, m).T
    e_l = ((g_x - g_a) ** 2).sum() / (4 * n**2 * m**2)  # Gatys et al., eq. 4
    ours = losses.style_loss({"l": f}, {"l": losses.gram_matrix(target)}, {"l": 1.0})
    torch.testing.assert_close(ours, 4 * e_l, rtol=1e-5, atol=1e-7)


def test_total_variation_formula():
    img = torch.randn(1, 3, 4, 6)
    dx = sum((img[0, c, y, x + 1] - img[0, c, y, x]) ** 2 for c in range(3) for y in range(4) for x in range(5)) / (
        3 * 4 * 5
    )
    dy = sum((img[0, c, y + 1, x] - img[0, c, y, x]) ** 2 for c in range(3) for y in range(3) for x in range(6)) / (
        3 * 3 * 6
    )
    torch.testing.assert_close(losses.tv_loss(img), dx + dy, rtol=1e-5, atol=1e-6)


def test_layer_weights_normalise_to_one_and_drop_zeros():
    assert losses.normalise_weights({"a": 1.0, "b": 3.0, "c": 0.0}) == {"a": 0.25, "b": 0.75}
    assert losses.normalise_weights({}) == {}
