"""Spatial control: label parsing, pairing, mask propagation, guided Gram losses."""

import numpy as np
import pytest
import torch

from engine.errors import StyleError
from engine.losses import guided, masks
from engine.losses.terms import content_loss, gram_matrix
from engine.network.vgg import receptive_fields
from testimages import image_path

RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 255, 0)
torch.manual_seed(0)


def _label(h, w, left, right, split=None):
    a = np.zeros((h, w, 3), np.uint8)
    split = w // 2 if split is None else split
    a[:, :split] = left
    a[:, split:] = right
    return a


def test_label_regions_on_a_hand_made_label():
    a = np.zeros((4, 5, 3), np.uint8)
    a[:2, :3] = RED
    a[3, 4] = BLUE
    colours, m = masks.label_regions(a)
    assert colours == [(0, 0, 0), BLUE, RED]  # sorted by packed value
    assert m.shape == (3, 4, 5) and m.dtype == np.float32
    np.testing.assert_array_equal(m.sum(0), 1.0)  # a partition
    np.testing.assert_array_equal(m[2], np.all(a == RED, axis=-1))
    assert m[1].sum() == 1 and m[1, 3, 4] == 1
    grey_colours, grey = masks.label_regions(np.array([[0, 255], [255, 255]], np.uint8))
    assert grey_colours == [(0, 0, 0), (255, 255, 255)]
    np.testing.assert_array_equal(grey[1], [[0, 1], [1, 1]])


def test_label_with_too_many_colours_is_refused():
    noisy = np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    with pytest.raises(StyleError, match="PNG"):
        masks.label_regions(noisy)


def test_pairing_first_style_wins_and_unmasked_style_is_the_fallback():
    content = _label(6, 8, RED, BLUE)
    regions = masks.pair_regions(content, [_label(5, 5, GREEN, RED), _label(5, 5, RED, BLUE)])
    by_colour = {r.colour: r for r in regions}
    assert by_colour[RED].style_index == 0 and by_colour[BLUE].style_index == 1
    np.testing.assert_array_equal(by_colour[RED].style_mask, _label(5, 5, 0, 1)[..., 0])
    regions = masks.pair_regions(content, [_label(5, 5, GREEN, RED), None])
    assert {r.colour: r.style_index for r in regions} == {RED: 0, BLUE: 1}
    assert next(r for r in regions if r.colour == BLUE).style_mask is None


def test_orphan_region_is_named_in_hex():
    with pytest.raises(StyleError, match="#0000ff.*appear in no style mask.*#00ff00, #ff0000"):
        masks.pair_regions(_label(6, 8, RED, BLUE), [_label(5, 5, GREEN, RED)])


def test_mask_of_the_wrong_size_is_refused():
    with pytest.raises(StyleError, match="content mask is 8x6 pixels but its image is 9x6"):
        masks.pair_regions(_label(6, 8, RED, BLUE), [None], content_image=np.zeros((6, 9, 3)))
    with pytest.raises(StyleError, match="mask of style image 1"):
        masks.pair_regions(_label(6, 8, RED, BLUE), [_label(5, 5, RED, BLUE)], style_images=[np.zeros((5, 6, 3))])


def test_soft_masks_pair_by_position():
    c = masks.soft_masks([np.full((4, 4), 0.3), np.full((4, 4), 0.7)])
    s = masks.soft_masks([np.ones((3, 3)), np.zeros((3, 3))])
    regions = masks.pair_regions(c, [s])
    assert [r.style_index for r in regions] == [0, 0]
    np.testing.assert_allclose(regions[1].content_mask, 0.7)


def test_soft_masks_resize_smoothly_and_are_size_checked():
    colours, soft = masks.soft_masks([np.tile(np.linspace(0, 1, 40, dtype=np.float32), (30, 1))])
    small = masks.resize_label((colours, soft), (15, 20))
    assert small[0] == colours and small[1].shape == (1, 15, 20)
    values = small[1][0, 7]
    assert np.all(np.diff(values) > 0) and 0 < values[0] < 0.1 and 0.9 < values[-1] < 1  # a ramp, no new steps
    masks.check_mask_size((colours, soft), np.zeros((30, 40, 3)))
    with pytest.raises(StyleError, match="40x30 pixels but its image is 20x15"):
        masks.check_mask_size((colours, soft), np.zeros((15, 20, 3)))


def test_simple_propagation_is_the_area_average():
    m = np.random.default_rng(1).random((8, 12)).astype(np.float32)
    out = guided.propagate(m, (4, 6), "relu2_1", "simple")
    np.testing.assert_allclose(out.numpy(), m.reshape(4, 2, 6, 2).mean((1, 3)), atol=1e-6)


def test_inside_propagation_keeps_only_neurons_whose_field_is_inside():
    rng = np.random.default_rng(2)
    m = np.zeros((40, 40), np.float32)
    m[4:36, 6:30] = 1
    m[rng.integers(0, 40, 30), rng.integers(0, 40, 30)] = 0  # holes
    rf, s = receptive_fields()["relu2_1"]
    out = guided.propagate(m, (20, 20), "relu2_1", "inside").numpy()
    # Written out: neuron (i, j) sees input rows i*s - (rf-s)/2 .. i*s + s-1 + (rf-s)/2,
    # clipped to the image (reflection padding shows only image pixels).
    half = (rf - s) // 2
    expected = np.zeros((20, 20), np.float32)
    for i in range(20):
        for j in range(20):
            r0, r1 = max(0, i * s - half), min(40, i * s + s + half)
            c0, c1 = max(0, j * s - half), min(40, j * s + s + half)
            expected[i, j] = m[r0:r1, c0:c1].min()
    np.testing.assert_array_equal(out, expected)
    simple = guided.propagate(m, (20, 20), "relu2_1", "simple").numpy()
    assert 0 < (out > 0).sum() < (simple > 0.999).sum()  # the region shrank


def test_tiny_region_vanishes_inside_with_a_clear_error():
    m = np.zeros((64, 64), np.float32)
    m[30:38, 30:38] = 1
    assert guided.propagate(m, (16, 16), "relu3_1", "simple").max() > 0
    with pytest.raises(StyleError, match='region #ff0000 is empty at layer relu3_1.*"simple"'):
        guided.propagate(m, (16, 16), "relu3_1", "inside", region="#ff0000")


def test_guided_style_loss_matches_the_formula():
    f = {"relu1_1": torch.randn(1, 3, 6, 6), "relu2_1": torch.randn(1, 4, 3, 3)}
    style = {"relu1_1": torch.randn(1, 3, 5, 7), "relu2_1": torch.randn(1, 4, 3, 4)}
    regions = masks.pair_regions(_label(6, 6, RED, BLUE), [_label(5, 7, BLUE, RED, split=3)])
    shapes = {k: v.shape[-2:] for k, v in f.items()}
    out_m = guided.output_masks(regions, shapes)
    targets = guided.guided_gram_targets([style], regions, list(f))
    weights, lam = {"relu1_1": 0.3, "relu2_1": 0.7}, [0.25, 0.75]
    loss = guided.guided_style_loss(f, out_m, targets, weights, lam, global_weight=0.5)
    expected = 0.0
    for layer, w in weights.items():
        for k, r in enumerate(regions):
            tm = guided.propagate(r.content_mask, shapes[layer], layer)
            sm = guided.propagate(r.style_mask, style[layer].shape[-2:], layer)
            fx = (f[layer][0] * tm).flatten(1)
            fa = (style[layer][0] * sm).flatten(1)
            g_x = fx @ fx.T / (tm**2).sum()
            g_a = fa @ fa.T / (sm**2).sum()
            expected += w * lam[k] * ((g_x - g_a) ** 2).mean()
        expected += w * 0.5 * ((gram_matrix(f[layer]) - gram_matrix(style[layer])) ** 2).mean()
    torch.testing.assert_close(loss, torch.as_tensor(expected, dtype=torch.float32), rtol=1e-4, atol=1e-6)


def test_guided_sums_target_is_exact_when_output_equals_style():
    feats = {"relu1_1": torch.randn(1, 5, 8, 8)}
    label = _label(8, 8, RED, BLUE, split=3)
    regions = masks.pair_regions(label, [label])
    m = guided.output_masks(regions, {"relu1_1": (8, 8)})
    targets = guided.guided_sums_targets([feats], regions, m, ["relu1_1"], scale=2.0)
    assert targets["relu1_1"].shape == (1, 7, 7)
    stacked = guided.guided_sums_features(feats, m, scale=2.0)["relu1_1"]
    torch.testing.assert_close(targets["relu1_1"], gram_matrix(stacked), rtol=1e-5, atol=1e-5)
    assert guided.guided_sums_loss(feats, m, targets, {"relu1_1": 1.0}, scale=2.0) < 1e-9


def _textured(colour, seed, h=64, w=64):
    rng = np.random.default_rng(seed)
    noise = rng.random((h // 4, w // 4, 1)).repeat(4, 0).repeat(4, 1)
    return np.clip(np.asarray(colour, np.float32) * (0.5 + 0.6 * noise), 0, 1).astype(np.float32)


def test_two_regions_take_their_own_styles_in_a_real_optimisation():
    from engine.image.io import load_image, resize_long_side
    from engine.network.build import load_network

    path = image_path("chelsea.png")
    torch.manual_seed(0)
    content = resize_long_side(load_image(path).rgb, 64)
    h, w = content.shape[:2]
    red, blue = _textured((0.9, 0.15, 0.1), 1), _textured((0.1, 0.25, 0.9), 2)
    regions = masks.pair_regions(_label(h, w, RED, BLUE), [_label(64, 64, RED, RED), _label(64, 64, BLUE, BLUE)])
    net = load_network("", "auto", "avg", "reflect", "cpu")
    style_layers, content_layer = ["relu1_1", "relu2_1", "relu3_1"], "relu3_1"

    def tensor(a):
        return torch.from_numpy(a).permute(2, 0, 1)[None].contiguous()

    with torch.no_grad():
        style_feats = [net(tensor(s), style_layers) for s in (red, blue)]
        content_feats = net(tensor(content), [content_layer] + style_layers)
    shapes = {layer: content_feats[layer].shape[-2:] for layer in style_layers}
    out_masks = guided.output_masks(regions, shapes, mode="inside")
    targets = guided.guided_gram_targets(style_feats, regions, style_layers, mode="inside")
    layer_w = {layer: 1.0 / len(style_layers) for layer in style_layers}

    x = tensor(content).clone().requires_grad_(True)
    opt = torch.optim.LBFGS([x], max_iter=20, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        feats = net(x, style_layers)
        loss = 1e-3 * content_loss(feats, {content_layer: content_feats[content_layer]}, {content_layer: 1.0})
        loss = loss + guided.guided_style_loss(feats, out_masks, targets, layer_w)
        loss.backward()
        return loss

    opt.step(closure)
    out = x.detach().clamp(0, 1)[0].permute(1, 2, 0).numpy()
    left, right = out[:, : w // 2 - 6], out[:, w // 2 + 6 :]

    def dist(a, b):
        return np.linalg.norm(a.reshape(-1, 3).mean(0) - b.reshape(-1, 3).mean(0))

    assert dist(left, red) < 0.5 * dist(left, blue)
    assert dist(right, blue) < 0.5 * dist(right, red)

    # Texture statistics too: each half's relu1_1 Gram is nearer its own style's.
    def gram(a):
        with torch.no_grad():
            return gram_matrix(net(tensor(np.ascontiguousarray(a)), ["relu1_1"])["relu1_1"])

    g_red, g_blue = gram(red), gram(blue)
    assert (gram(left) - g_red).norm() < (gram(left) - g_blue).norm()
    assert (gram(right) - g_blue).norm() < (gram(right) - g_red).norm()
