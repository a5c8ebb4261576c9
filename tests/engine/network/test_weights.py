"""Weight files: the bundled normalised VGG-19, torchvision and Caffe layouts, bad files."""

import os

import pytest
import torch

from engine.errors import StyleError
from engine.network.build import load_network
from engine.network.vgg import IMAGENET_MEAN, IMAGENET_STD, VGGFeatures
from engine.network.weights import BUNDLED_VGG, load_state_dict, load_vgg_weights, resource_path

FEATURE_INDEX = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34]  # torchvision vgg19


@pytest.fixture(scope="module")
def bundled_state():
    return torch.load(resource_path(BUNDLED_VGG), weights_only=True)


def test_bundled_weights_load_verified(bundled_state):
    w = load_vgg_weights()
    assert w.layout == "normalised" and w.arch == "vgg19" and len(w.convs) == 16
    assert w.input_conv[0].shape == (3, 3, 1, 1)


def _features_layout(bundled_state, layout):
    """The bundled network rewritten in torchvision or Caffe conventions.

    Caffe: the same convs, fed BGR*255 minus the mean (what index 0 computes).
    Torchvision: fold index 0 and the ImageNet mean/std into conv1_1 so the
    network computes exactly the same function of RGB in [0, 1].
    """
    convs = [k for k in bundled_state if k.endswith(".weight") and k != "0.weight"]
    convs.sort(key=lambda k: int(k.split(".")[0]))
    out = {}
    for idx, key in zip(FEATURE_INDEX, convs):
        out[f"features.{idx}.weight"] = bundled_state[key].clone()
        out[f"features.{idx}.bias"] = bundled_state[key[:-6] + "bias"].clone()
    if layout == "torchvision":
        a = bundled_state["0.weight"].reshape(3, 3)
        b0 = bundled_state["0.bias"]
        mean, std = torch.tensor(IMAGENET_MEAN), torch.tensor(IMAGENET_STD)
        w1 = out["features.0.weight"]
        # conv(A (z*std + mean) + b0) = conv'(z): weights W A diag(std), constant folded into the bias
        out["features.0.weight"] = torch.einsum("ocyx,cd->odyx", w1, a) * std.view(1, 3, 1, 1)
        const = a @ mean + b0
        out["features.0.bias"] = out["features.0.bias"] + torch.einsum("ocyx,c->o", w1, const)
    out["classifier.0.weight"] = torch.zeros(2, 2)
    return out


@pytest.mark.parametrize("layout,name", [("torchvision", "my_vgg19.pth"), ("caffe", "vgg19-d01eb7cb.pth")])
def test_other_layouts_are_detected_and_normalised_correctly(tmp_path, bundled_state, layout, name):
    path = tmp_path / name
    torch.save(_features_layout(bundled_state, layout), path)
    weights = load_vgg_weights(path)
    assert weights.layout == layout and weights.arch == "vgg19"
    x = torch.rand(1, 3, 40, 40, generator=torch.Generator().manual_seed(0))
    ours = VGGFeatures(weights)(x, ["relu3_1"])["relu3_1"]
    ref = load_network("", "auto", "avg", "reflect", "cpu")(x, ["relu3_1"])["relu3_1"]
    torch.testing.assert_close(ours, ref, rtol=1e-3, atol=1e-3 * ref.abs().max().item())


def test_explicit_format_overrides_detection(tmp_path, bundled_state):
    path = tmp_path / "renamed.pth"
    torch.save(_features_layout(bundled_state, "caffe"), path)
    assert load_vgg_weights(path).layout == "torchvision"  # unknown name: the common layout
    assert load_vgg_weights(path, "caffe").layout == "caffe"


def test_vgg16_files_are_recognised(tmp_path, bundled_state):
    full = _features_layout(bundled_state, "caffe")
    drop = {"features.23", "features.32", "features.34"}  # 13 convs remain
    state = {k: v for k, v in full.items() if k.rsplit(".", 1)[0] not in drop}
    path = tmp_path / "vgg16-00b39a1b.pth"
    torch.save(state, path)
    assert load_vgg_weights(path).arch == "vgg16"


def test_missing_weights_file_names_the_file(tmp_path):
    with pytest.raises(StyleError, match="does not exist"):
        load_vgg_weights(tmp_path / "nope.pth")


def test_corrupt_weights_file_says_what_to_do(tmp_path):
    path = tmp_path / "broken.pth"
    path.write_bytes(b"not a zip file at all" * 10)
    with pytest.raises(StyleError, match=r"broken\.pth could not be read.*Download it again"):
        load_vgg_weights(path)


def test_damaged_bundled_file_fails_its_checksum(tmp_path):
    path = tmp_path / "vgg.pth"
    path.write_bytes(resource_path(BUNDLED_VGG).read_bytes()[:-10] + b"0123456789")
    with pytest.raises(StyleError, match="SHA-256"):
        load_state_dict(path, "0" * 64)


def test_unknown_network_is_rejected(tmp_path):
    path = tmp_path / "resnet.pth"
    torch.save({"conv1.weight": torch.zeros(8, 3, 7, 7), "conv1.bias": torch.zeros(8)}, path)
    with pytest.raises(StyleError, match="not a VGG-16 or VGG-19"):
        load_vgg_weights(path)


def _hash_counter(monkeypatch, tmp_path):
    import engine.network.weights as weights

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calls = []
    real = weights.sha256
    monkeypatch.setattr(weights, "sha256", lambda p: calls.append(p) or real(p))
    return calls


def test_weights_are_hashed_once_per_file_version(tmp_path, monkeypatch):
    calls = _hash_counter(monkeypatch, tmp_path)
    path = tmp_path / "w.pth"
    torch.save({"0.weight": torch.ones(2)}, path)
    from engine.network.weights import sha256 as plain

    good = plain(path)
    calls.clear()
    load_state_dict(path, good)
    load_state_dict(path, good)
    assert len(calls) == 1
    assert (tmp_path / "cache" / "neural-style-studio" / "verified-weights.json").is_file()


def test_a_changed_file_is_hashed_again_and_fails(tmp_path, monkeypatch):
    calls = _hash_counter(monkeypatch, tmp_path)
    path = tmp_path / "w.pth"
    torch.save({"0.weight": torch.ones(2)}, path)
    from engine.network.weights import sha256 as plain

    good = plain(path)
    load_state_dict(path, good)
    data = bytearray(path.read_bytes())
    data[-30] ^= 0xFF  # same size, different bytes
    path.write_bytes(bytes(data))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    calls.clear()
    with pytest.raises(StyleError, match="SHA-256"):
        load_state_dict(path, good)
    assert len(calls) == 1


def test_a_corrupt_hash_cache_is_ignored_and_replaced(tmp_path, monkeypatch):
    calls = _hash_counter(monkeypatch, tmp_path)
    cache = tmp_path / "cache" / "neural-style-studio" / "verified-weights.json"
    cache.parent.mkdir(parents=True)
    cache.write_text("{ not json", encoding="utf-8")
    path = tmp_path / "w.pth"
    torch.save({"0.weight": torch.ones(2)}, path)
    from engine.network.weights import sha256 as plain

    good = plain(path)
    calls.clear()
    assert load_state_dict(path, good)
    assert len(calls) == 1
    import json

    assert json.loads(cache.read_text(encoding="utf-8"))[str(path.resolve())]["sha256"] == good
    assert not [p for p in cache.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_forged_verdict_for_another_version_does_not_pass(tmp_path, monkeypatch):
    import json

    _hash_counter(monkeypatch, tmp_path)
    path = tmp_path / "w.pth"
    torch.save({"0.weight": torch.ones(2)}, path)
    cache = tmp_path / "cache" / "neural-style-studio" / "verified-weights.json"
    cache.parent.mkdir(parents=True)
    st = path.stat()
    cache.write_text(
        json.dumps({str(path.resolve()): {"size": st.st_size + 1, "mtime_ns": st.st_mtime_ns, "sha256": "0" * 64}}),
        encoding="utf-8",
    )
    with pytest.raises(StyleError, match="SHA-256"):
        load_state_dict(path, "0" * 64)
