"""Measures of a finished picture, for the benchmarks and the tests.

- ``clipped_fraction``: pixels saved with a channel at 0 or 255;
- ``grid_energy``: how far the spectrum peaks at the periods of VGG's
  pooling strides (2, 4, 8, 16 px), a grid that shows at 200 % zoom;
- ``style_distance`` and ``content_distance``: how much of the painting and
  of the photo a result holds, on the normalised VGG-19 at 256 px (the
  definitions the issue tracker's figures use: Gram distance to the painting
  over relu1_1..relu5_1 relative to the photo's, and relative relu4_2
  feature distance to the photo).
"""

from __future__ import annotations

import numpy as np
import torch

from ..image.io import resize_long_side
from ..losses.terms import gram_matrix
from ..network.build import load_network

STYLE_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
CONTENT_LAYER = "relu4_2"
MEASURE_SIZE = 256
GRID_PERIODS = (2, 4, 8, 16)


def clipped_fraction(rgb: np.ndarray) -> float:
    """Share of pixels with any channel at 0 or 255 once saved at 8 bits."""
    q = np.round(np.clip(np.asarray(rgb, np.float64), 0, 1) * 255)
    return float(((q == 0) | (q == 255)).any(axis=-1).mean())


def grid_energy(rgb: np.ndarray, periods=GRID_PERIODS) -> float:
    """The largest ratio of the luminance power at a stride period (along x,
    along y, or both) to the median power of the 7 x 7 frequency bins around
    it. A smooth spectrum gives a few units; a faint periodic pattern of one
    or two levels gives tens to hundreds."""
    rgb = np.asarray(rgb, np.float64)
    y = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
    h, w = (s - s % max(periods) for s in y.shape)
    y = y[:h, :w] - y[:h, :w].mean()
    power = np.abs(np.fft.fft2(y)) ** 2
    best = 0.0
    for p in periods:
        for fy, fx in ((0, w // p), (h // p, 0), (h // p, w // p)):
            rows = [(fy + d) % h for d in range(-3, 4)]
            cols = [(fx + d) % w for d in range(-3, 4)]
            around = power[np.ix_(rows, cols)].copy()
            peak, around[3, 3] = around[3, 3], np.nan
            best = max(best, float(peak / (np.nanmedian(around) + 1e-20)))
    return best


class FeatureMeter:
    """The network and the reference features of one photo/painting pair."""

    def __init__(self, photo: np.ndarray | None, painting: np.ndarray, size: int = MEASURE_SIZE):
        self.net = load_network("", "auto", "avg", "reflect", "cpu")  # fp32, the normalised VGG-19
        self.size = size
        self.painting = self.features(painting)
        self.photo = self.features(photo) if photo is not None else None

    def features(self, rgb: np.ndarray) -> dict:
        x = np.ascontiguousarray(resize_long_side(np.asarray(rgb, np.float32), self.size), dtype=np.float32)
        t = torch.from_numpy(x).permute(2, 0, 1)[None]
        with torch.no_grad():
            feats = self.net(t, list(STYLE_LAYERS) + [CONTENT_LAYER])
        return {k: v.float() for k, v in feats.items()}

    def style_distance(self, result: np.ndarray) -> float:
        """Mean over the style layers of ||G(x) - G(a)|| / ||G(p) - G(a)||:
        1 is the photo's distance to the painting, 0 the painting's own Gram
        statistics."""
        fx = self.features(result)
        ratios = []
        for layer in STYLE_LAYERS:
            target = gram_matrix(self.painting[layer])
            ratios.append(
                float(
                    (gram_matrix(fx[layer]) - target).norm()
                    / (gram_matrix(self.photo[layer]) - target).norm().clamp_min(1e-12)
                )
            )
        return float(np.mean(ratios))

    def content_distance(self, result: np.ndarray) -> float:
        """||F(x) - F(p)|| / ||F(p)|| at relu4_2 (0: the photo's layout exactly)."""
        fx, fp = self.features(result)[CONTENT_LAYER], self.photo[CONTENT_LAYER]
        if fx.shape != fp.shape:
            raise ValueError("The result and the photo must have the same aspect ratio to compare them.")
        return float((fx - fp).norm() / fp.norm().clamp_min(1e-12))


def style_distance(result, painting, photo) -> float:
    return FeatureMeter(photo, painting).style_distance(result)


def content_distance(result, photo, painting=None) -> float:
    return FeatureMeter(photo, painting if painting is not None else photo).content_distance(result)
