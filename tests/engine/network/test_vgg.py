"""The feature network: names, truncation, pooling/padding, frozen weights."""

import pytest
import torch

from engine.network.build import load_network
from engine.network.vgg import layer_names, receptive_fields


@pytest.fixture(scope="module")
def net():
    return load_network("", "auto", "avg", "reflect", "cpu")


def test_named_layers_cover_conv1_1_to_conv5_4():
    names = layer_names("vgg19")
    assert names[0] == "conv1_1" and names[-1] == "relu5_4" and len(names) == 32
    assert len(layer_names("vgg16")) == 26


def test_outputs_have_the_expected_shapes_and_relu_is_nonnegative(net):
    x = torch.rand(1, 3, 64, 48)
    out = net(x, ["conv1_1", "relu1_1", "relu4_2", "pool2"])
    assert out["relu1_1"].shape == (1, 64, 64, 48)
    assert out["relu4_2"].shape == (1, 512, 8, 6)
    assert out["pool2"].shape == (1, 128, 16, 12)
    assert out["relu1_1"].min() >= 0 and out["conv1_1"].min() < 0


def test_network_is_frozen_and_in_eval_mode(net):
    assert not net.training
    assert all(not p.requires_grad for p in net.parameters())


def test_truncation_stops_after_the_deepest_requested_layer(net):
    calls = []
    hooks = [c.register_forward_hook(lambda *a, i=i: calls.append(i)) for i, c in enumerate(net.convs)]
    try:
        net(torch.rand(1, 3, 32, 32), ["relu2_1"])
    finally:
        for h in hooks:
            h.remove()
    assert calls == [0, 1, 2]  # conv1_1, conv1_2, conv2_1 and nothing deeper


def test_pooling_and_padding_choices_change_the_features():
    x = torch.rand(1, 3, 32, 32)
    avg = load_network("", "auto", "avg", "reflect", "cpu")(x, ["relu2_1"])["relu2_1"]
    mx = load_network("", "auto", "max", "reflect", "cpu")(x, ["relu2_1"])["relu2_1"]
    zero = load_network("", "auto", "avg", "zero", "cpu")(x, ["relu2_1"])["relu2_1"]
    assert not torch.allclose(avg, mx)
    assert not torch.allclose(avg[..., 0, :], zero[..., 0, :])  # borders differ
    torch.testing.assert_close(avg[..., 4:-4, 4:-4], zero[..., 4:-4, 4:-4])  # interiors agree


def test_receptive_fields_grow_with_depth():
    rf = receptive_fields()
    assert rf["conv1_1"] == (3, 1)
    assert rf["relu1_2"] == (5, 1)
    assert rf["conv2_1"][1] == 2 and rf["relu5_1"][0] > rf["relu4_1"][0] > rf["relu3_1"][0]
