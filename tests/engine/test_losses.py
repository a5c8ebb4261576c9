"""Each loss against its formula written out element by element."""
import torch

from engine import losses

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
    dx = sum((img[0, c, y, x + 1] - img[0, c, y, x]) ** 2 for c in range(3) for y in range(4) for x in range(5)) / (3 * 4 * 5)
    dy = sum((img[0, c, y + 1, x] - img[0, c, y, x]) ** 2 for c in range(3) for y in range(3) for x in range(6)) / (3 * 3 * 6)
    torch.testing.assert_close(losses.tv_loss(img), dx + dy, rtol=1e-5, atol=1e-6)


def test_layer_weights_normalise_to_one_and_drop_zeros():
    assert losses.normalise_weights({"a": 1.0, "b": 3.0, "c": 0.0}) == {"a": 0.25, "b": 0.75}
    assert losses.normalise_weights({}) == {}
