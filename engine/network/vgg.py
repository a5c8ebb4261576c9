"""The frozen VGG feature network with named layers.

Layers are named conv1_1 .. conv5_4 (pre-ReLU), relu1_1 .. relu5_4 and
pool1 .. pool5.  The network is truncated after the deepest layer a run asks
for, and input normalisation lives inside the module, so callers always pass
RGB in [0, 1].
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .weights import VGGWeights

BLOCKS = {"vgg19": (2, 2, 4, 4, 4), "vgg16": (2, 2, 3, 3, 3)}
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)


def layer_names(arch: str = "vgg19") -> list[str]:
    """conv and relu names in network order (pools left out)."""
    names = []
    for block, n in enumerate(BLOCKS[arch], start=1):
        for i in range(1, n + 1):
            names += [f"conv{block}_{i}", f"relu{block}_{i}"]
    return names


def receptive_fields(arch: str = "vgg19") -> dict[str, tuple[int, int]]:
    """(receptive field size, stride) of every named layer, for mask erosion."""
    out, rf, stride = {}, 1, 1
    for block, n in enumerate(BLOCKS[arch], start=1):
        for i in range(1, n + 1):
            rf += 2 * stride
            out[f"conv{block}_{i}"] = out[f"relu{block}_{i}"] = (rf, stride)
        rf += stride
        stride *= 2
        out[f"pool{block}"] = (rf, stride)
    return out


class VGGFeatures(nn.Module):
    """VGG-16/19 convolutions with named outputs; no classifier."""

    def __init__(self, weights: VGGWeights, pooling: str = "avg", padding: str = "reflect"):
        super().__init__()
        self.arch, self.layout = weights.arch, weights.layout
        self.pooling, self.padding = pooling, padding
        self.convs = nn.ModuleList()
        for w, b in weights.convs:
            # Built without storage and given the loaded tensors: a default
            # random init of 20 M weights, overwritten at once, cost ~0.4 s of start-up.
            conv = nn.Conv2d(w.shape[1], w.shape[0], 3, padding=0 if padding == "reflect" else 1, device="meta")
            conv.weight = nn.Parameter(w.detach(), requires_grad=False)
            conv.bias = nn.Parameter(b.detach(), requires_grad=False)
            self.convs.append(conv)
        if weights.layout == "normalised":
            w, b = weights.input_conv
            self.register_buffer("in_weight", w.reshape(3, 3).clone())
            self.register_buffer("in_bias", b.clone())
        elif weights.layout == "torchvision":
            std = torch.tensor(IMAGENET_STD)
            self.register_buffer("in_weight", torch.diag(1.0 / std))
            self.register_buffer("in_bias", -torch.tensor(IMAGENET_MEAN) / std)
        else:  # caffe: RGB [0,1] -> BGR [0,255] minus the mean pixel
            self.register_buffer("in_weight", torch.eye(3).flip(0) * 255.0)
            self.register_buffer("in_bias", -torch.tensor(CAFFE_MEAN_BGR))
        self.eval().requires_grad_(False)

    @property
    def names(self) -> list[str]:
        return layer_names(self.arch)

    def normalise(self, x: torch.Tensor) -> torch.Tensor:
        """RGB in [0, 1] to what the weights were trained on (a 1x1 conv)."""
        return torch.einsum("oc,bchw->bohw", self.in_weight.to(x.dtype), x) + self.in_bias.to(x.dtype).view(1, 3, 1, 1)

    def forward(self, x: torch.Tensor, layers: set[str] | list[str]) -> dict[str, torch.Tensor]:
        wanted = set(layers)
        known = set(self.names) | {f"pool{i}" for i in range(1, 6)}
        unknown = wanted - known
        if unknown:
            raise KeyError(f"unknown layer(s) {sorted(unknown)}")
        out: dict[str, torch.Tensor] = {}
        h = self.normalise(x.float()).to(self.convs[0].weight.dtype)
        k = 0
        for block, n in enumerate(BLOCKS[self.arch], start=1):
            for i in range(1, n + 1):
                if self.padding == "reflect":
                    h = F.pad(h, (1, 1, 1, 1), mode="reflect")
                h = self.convs[k](h)
                k += 1
                if f"conv{block}_{i}" in wanted:
                    out[f"conv{block}_{i}"] = h
                h = F.relu(h)
                if f"relu{block}_{i}" in wanted:
                    out[f"relu{block}_{i}"] = h
                if len(out) == len(wanted):
                    return out  # truncated after the deepest layer asked for
            h = F.avg_pool2d(h, 2) if self.pooling == "avg" else F.max_pool2d(h, 2)
            if f"pool{block}" in wanted:
                out[f"pool{block}"] = h
                if len(out) == len(wanted):
                    return out
        return out
