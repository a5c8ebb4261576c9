"""Guided filter with a colour guide (He, Sun, Tang 2010/2013), the optional
post-processing step of the photorealistic mode.

For every window w_k of radius r, each output channel is fitted as an affine
function of the guide's colour, q_c = a_k,c^T I + b_k,c, by ridge regression
on the source:

    a_k,c = (Sigma_k + eps I_3)^-1 cov_k(I, p_c),   b_k,c = mean_k(p_c) - a_k,c^T mu_k

and the output at a pixel averages the coefficients of the windows covering
it: q_c = mean(a_c)^T I + mean(b_c). The result is a locally affine colour
transform of the guide (the content photo), which is what Luan et al.'s
photorealism term pushes the optimisation towards; applied to the stylised
output it removes distortions that survived the optimisation. Windows are
clipped at the image border and averaged over the pixels they hold (He's box
filter divided by the window size N), so an exactly affine source comes back
unchanged everywhere, borders included (up to eps).

Box means use scipy's running-sum uniform filter: O(N) whatever the radius.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

from ..errors import StyleError


def box_mean(x: np.ndarray, radius: int) -> np.ndarray:
    """Mean over the (2r+1)^2 window around each pixel, clipped at the border,
    of an (H, W, ...) array."""
    h, w = x.shape[:2]
    k = 2 * radius + 1
    # Zero padding gives the clipped window's sum / k per axis; dividing by
    # the clipped count instead turns it into the clipped window's mean.
    out = uniform_filter1d(x, k, axis=0, mode="constant")
    out = uniform_filter1d(out, k, axis=1, mode="constant")
    rows = np.minimum(np.arange(h) + radius + 1, h) - np.maximum(np.arange(h) - radius, 0)
    cols = np.minimum(np.arange(w) + radius + 1, w) - np.maximum(np.arange(w) - radius, 0)
    scale = (k * k) / (rows[:, None] * cols[None, :]).astype(out.dtype)
    out *= scale.reshape((h, w) + (1,) * (out.ndim - 2))
    return out


def check_window(what: str, radius, eps, radius_hint: str, eps_hint: str) -> None:
    """A local window's radius (a whole number >= 1) and regulariser epsilon (> 0), shared with the matting term."""
    if not isinstance(radius, (int, np.integer)) or radius < 1:
        raise StyleError(f"The {what} radius must be a whole number >= 1; got {radius!r}. {radius_hint}")
    if not eps > 0:
        raise StyleError(f"The {what} epsilon must be positive; got {eps!r}. {eps_hint}")


def _check(name: str, image: np.ndarray) -> np.ndarray:
    img = np.asarray(image)
    if img.ndim != 3 or img.shape[2] != 3:
        raise StyleError(f"The guided filter's {name} must be an RGB image of shape (H, W, 3); got shape {img.shape}.")
    img = img.astype(np.float64, copy=False)
    if not np.isfinite(img).all():
        raise StyleError(f"The guided filter's {name} holds NaN or infinite values; clip it to [0, 1] first.")
    return img


def _inverse_3x3(m: np.ndarray) -> np.ndarray:
    """Inverse of a stack of symmetric positive definite 3x3 matrices via the
    adjugate: several times faster than np.linalg.inv on a million pixels."""
    a, b, c = m[..., 0, 0], m[..., 0, 1], m[..., 0, 2]
    e, f, i = m[..., 1, 1], m[..., 1, 2], m[..., 2, 2]
    adj = np.empty_like(m)
    adj[..., 0, 0] = e * i - f * f
    adj[..., 0, 1] = adj[..., 1, 0] = c * f - b * i
    adj[..., 0, 2] = adj[..., 2, 0] = b * f - c * e
    adj[..., 1, 1] = a * i - c * c
    adj[..., 1, 2] = adj[..., 2, 1] = b * c - a * f
    adj[..., 2, 2] = a * e - b * b
    det = a * adj[..., 0, 0] + b * adj[..., 0, 1] + c * adj[..., 0, 2]
    return adj / det[..., None, None]


def guided_filter(guide_rgb: np.ndarray, src_rgb: np.ndarray, radius: int = 8, eps: float = 1e-4) -> np.ndarray:
    """Refine ``src_rgb`` into a locally affine colour transform of ``guide_rgb``.

    guide_rgb, src_rgb: (H, W, 3) in [0, 1] (the content photo and the
    stylised output at the same size). radius: window radius in pixels (8 at
    about 512 px; scale it with the image). eps: regulariser on the guide's
    colour covariance; smaller keeps more of the source, larger smooths more
    across weak edges. Returns (H, W, 3) in the source's float dtype (float64
    for integer input), not clipped.
    """
    guide = _check("guide", guide_rgb)
    src = _check("source", src_rgb)
    if guide.shape != src.shape:
        raise StyleError(
            f"The guide ({guide.shape[1]} x {guide.shape[0]}) and the source ({src.shape[1]} x {src.shape[0]}) "
            "must have the same size; resize the content photo to the output size first."
        )
    check_window("guided filter", radius, eps, "Try 8 at 512 px.", "Try 1e-4.")
    h, w, _ = guide.shape
    mu = box_mean(guide, radius)  # (H, W, 3)
    mean_p = box_mean(src, radius)  # (H, W, 3)
    # Second moments of guide x guide and guide x source in one box pass.
    moments = np.empty((h, w, 2, 3, 3))
    np.multiply(guide[..., :, None], guide[..., None, :], out=moments[:, :, 0])
    np.multiply(guide[..., :, None], src[..., None, :], out=moments[:, :, 1])
    moments = box_mean(moments.reshape(h, w, 18), radius)
    sigma = moments[..., :9].reshape(h, w, 3, 3) - mu[..., :, None] * mu[..., None, :]
    sigma = 0.5 * (sigma + sigma.swapaxes(-1, -2)) + eps * np.eye(3)
    cov_ip = moments[..., 9:].reshape(h, w, 3, 3) - mu[..., :, None] * mean_p[..., None, :]
    a = _inverse_3x3(sigma) @ cov_ip  # a[..., i, c]: weight of guide channel i in output c
    b = mean_p - np.einsum("hwic,hwi->hwc", a, mu)
    coeffs = box_mean(np.concatenate([a.reshape(h, w, 9), b], axis=2), radius)
    mean_a = coeffs[..., :9].reshape(h, w, 3, 3)
    out = np.einsum("hwic,hwi->hwc", mean_a, guide) + coeffs[..., 9:]
    dtype = src_rgb.dtype if np.issubdtype(np.asarray(src_rgb).dtype, np.floating) else np.float64
    return out.astype(dtype, copy=False)
