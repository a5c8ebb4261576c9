"""Optical flow between frames, warping along it, and the reliability mask
of Ruder, Dosovitskiy & Brox 2016 ("Artistic style transfer for videos",
section 3.1): a pixel is unreliable where the forward and backward flows
disagree (a disocclusion) or where the flow changes fast (a motion boundary).

Flows are (H, W, 2) float32 arrays of (dx, dy) in pixels; `backward_flow`
gives, for every pixel of the later frame, where it was in the earlier one.
"""

from __future__ import annotations

try:
    import cv2
except ImportError:  # the video extra; cli/video.py calls libs.require_video_libs() first
    cv2 = None
import numpy as np

from ..errors import StyleError
from .options import FLOW_METHODS


def _gray(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8), cv2.COLOR_RGB2GRAY)


def flow(earlier: np.ndarray, later: np.ndarray, method: str = "dis") -> np.ndarray:
    """The flow from `earlier` to `later` (RGB floats of one size):
    earlier(p) ~ later(p + flow(p))."""
    a, b = _gray(earlier), _gray(later)
    if method == "dis":
        # The medium preset: the fast one leaves visible drift on slow pans.
        return cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM).calc(a, b, None)
    if method == "farneback":
        return cv2.calcOpticalFlowFarneback(a, b, None, 0.5, 4, 15, 3, 5, 1.2, 0)
    raise StyleError(f"Unknown flow method {method!r}; choose one of {', '.join(FLOW_METHODS)}.")


def warp(image: np.ndarray, flow_field: np.ndarray) -> np.ndarray:
    """image sampled at p + flow(p) for every pixel p (bilinear, edges repeated)."""
    h, w = flow_field.shape[:2]
    grid_x, grid_y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(
        np.ascontiguousarray(image, dtype=np.float32),
        grid_x + flow_field[..., 0],
        grid_y + flow_field[..., 1],
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )


def reliable(forward: np.ndarray, backward: np.ndarray) -> np.ndarray:
    """(H, W) float32 c of Ruder et al.: 0 where the pixel of the later frame
    is disoccluded or on a motion boundary, 1 elsewhere. `forward` runs from
    the earlier frame to the later, `backward` the other way; the thresholds
    are the paper's."""
    fw = warp(forward, backward)  # the forward flow at the point each pixel came from
    total = fw + backward
    disoccluded = (total**2).sum(-1) > 0.01 * ((fw**2).sum(-1) + (backward**2).sum(-1)) + 0.5
    du = np.gradient(backward[..., 0])
    dv = np.gradient(backward[..., 1])
    gradient = du[0] ** 2 + du[1] ** 2 + dv[0] ** 2 + dv[1] ** 2
    boundary = gradient > 0.01 * (backward**2).sum(-1) + 0.002
    h, w = backward.shape[:2]
    grid_x, grid_y = np.meshgrid(np.arange(w), np.arange(h))
    x, y = grid_x + backward[..., 0], grid_y + backward[..., 1]
    outside = (x < 0) | (x > w - 1) | (y < 0) | (y > h - 1)  # came from outside the earlier frame
    return (~(disoccluded | boundary | outside)).astype(np.float32)


def flows(earlier: np.ndarray, later: np.ndarray, method: str = "dis") -> tuple[np.ndarray, np.ndarray]:
    """(backward flow, reliability) of `later` against `earlier`: what a frame
    needs to take the previous stylised frame as its start and temporal target."""
    backward = flow(later, earlier, method)
    return backward, reliable(flow(earlier, later, method), backward)


def temporal_error(inputs: list, outputs: list, method: str = "dis") -> float:
    """Mean |out_t - warp(out_{t-1})| in 8-bit levels over the pixels the flow
    check marks reliable, the flow taken from the input frames: how much a
    stylised video flickers where the scene itself only moved."""
    errors = []
    for t in range(1, len(outputs)):
        backward, c = flows(inputs[t - 1], inputs[t], method)
        diff = np.abs(outputs[t] - warp(outputs[t - 1], backward)).mean(-1)
        errors.append(255 * float((diff * c).sum() / max(1.0, c.sum())))
    return float(np.mean(errors)) if errors else 0.0
