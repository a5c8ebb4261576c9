"""Colour control (Gatys et al. CVPR 2017, section "Colour control").

Two ways to keep the photo's colours, plus the peer tools' post-hoc variant:

* Luminance-only transfer: :func:`luminance_only_inputs` turns content and
  style into grey images (Y of YIQ, replicated into three channels so the RGB
  network can take them), optionally matching the style luminance's mean and
  spread to the content's first; after the synthesis
  :func:`recombine_luminance` puts the content's I and Q back under the
  synthesised Y.
* Colour histogram matching: :func:`match_color` recolours the style image
  with an affine map p' = A p + b so its colour mean and covariance equal
  the content's; the synthesis then runs in full colour.
* :func:`original_colors`: after an ordinary full-colour run, keep the
  result's luminance and the content's chroma (neural-style's
  ``-original_colors 1``).

Arrays: numpy images are channel-last (..., 3); torch tensors are
channel-first (..., 3, H, W) as elsewhere in the engine. Both are RGB in
[0, 1]. Statistics are computed in float64 and results returned as float32.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import StyleError

# NTSC RGB -> YIQ (FCC 1953 coefficients). The inverse is computed, not
# typed in, so the round trip is exact to float precision.
RGB_TO_YIQ = np.array(
    [
        [0.299, 0.587, 0.114],
        [0.595716, -0.274453, -0.321263],
        [0.211456, -0.522591, 0.311135],
    ]
)
YIQ_TO_RGB = np.linalg.inv(RGB_TO_YIQ)
COLOR_MODES = ("chol", "pca", "sym")


def _mix(image, matrix: np.ndarray):
    """Apply a 3x3 colour matrix to a numpy (..., 3) or torch (..., 3, H, W) image."""
    if torch.is_tensor(image):
        if image.dim() < 3 or image.shape[-3] != 3:
            raise StyleError(f"Expected a torch image of shape (..., 3, H, W), got {tuple(image.shape)}.")
        m = torch.as_tensor(
            matrix, dtype=image.dtype if image.is_floating_point() else torch.float32, device=image.device
        )
        return torch.einsum("oc,...chw->...ohw", m, image.to(m.dtype))
    image = np.asarray(image)
    if image.shape[-1] != 3:
        raise StyleError(f"Expected an RGB image of shape (H, W, 3), got {image.shape}; convert it to RGB first.")
    return (image.astype(np.float64) @ matrix.T).astype(np.float32)


def rgb_to_yiq(rgb):
    """RGB (numpy (...,3) or torch (...,3,H,W)) to NTSC YIQ, same layout."""
    return _mix(rgb, RGB_TO_YIQ)


def yiq_to_rgb(yiq):
    """Exact inverse of :func:`rgb_to_yiq` (no clipping)."""
    return _mix(yiq, YIQ_TO_RGB)


def _check_rgb(image, what: str) -> np.ndarray:
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[-1] != 3:
        raise StyleError(f"The {what} must be an RGB image of shape (H, W, 3), got shape {image.shape}.")
    return image.astype(np.float32, copy=False)


def _resize_like(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Resize an (H, W, C) float image to (h, w) with antialiased bicubic."""
    if image.shape[:2] == tuple(shape):
        return image
    t = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32)).permute(2, 0, 1)[None]
    t = F.interpolate(t, size=tuple(shape), mode="bicubic", antialias=True, align_corners=False)
    return t[0].permute(1, 2, 0).numpy()


def match_luminance(style_y: np.ndarray, content_y: np.ndarray) -> np.ndarray:
    """L_s' = sigma_c / sigma_s * (L_s - mu_s) + mu_c (the paper's formula, not clipped).

    A flat style (sigma_s ~ 0) is only shifted to the content's mean.
    """
    s = np.asarray(style_y, dtype=np.float64)
    c = np.asarray(content_y, dtype=np.float64)
    sigma_s = s.std()
    scale = c.std() / sigma_s if sigma_s > 1e-8 else 0.0
    return (scale * (s - s.mean()) + c.mean()).astype(np.float32)


def _grey_rgb(y: np.ndarray) -> np.ndarray:
    # Y replicated into three channels: with Y = .299R + .587G + .114B and
    # the weights summing to 1, this grey image has luminance exactly Y.
    return np.repeat(np.clip(y, 0.0, 1.0)[..., None], 3, axis=-1).astype(np.float32)


def luminance_only_inputs(content_rgb, style_rgbs, match: bool = True):
    """Grey-as-RGB content and styles for a luminance-only synthesis.

    Returns ``(content_lum_rgb, [style_lum_rgb, ...])``. With ``match`` each
    style's luminance is first given the content's mean and standard deviation
    (done per style image). Values are clipped to [0, 1] because the network
    expects images in that range; the paper does not say what it did there.
    """
    content = _check_rgb(content_rgb, "content image")
    single = isinstance(style_rgbs, np.ndarray) and style_rgbs.ndim == 3
    styles = [style_rgbs] if single else list(style_rgbs)
    if not styles:
        raise StyleError("Luminance-only transfer needs at least one style image; add a style image.")
    content_y = rgb_to_yiq(content)[..., 0]
    out = []
    for i, style in enumerate(styles):
        y = rgb_to_yiq(_check_rgb(style, f"style image {i + 1}"))[..., 0]
        out.append(_grey_rgb(match_luminance(y, content_y) if match else y))
    return _grey_rgb(content_y), out


def recombine_luminance(result_rgb, content_rgb) -> np.ndarray:
    """Y of the result, I and Q of the content, back to RGB clipped to [0, 1].

    The second half of luminance-only transfer: ``result_rgb`` is the output
    of a synthesis run on :func:`luminance_only_inputs` (a grey image, so its
    Y is the synthesised luminance). The content is resized to the result's
    size if they differ.
    """
    result = _check_rgb(result_rgb, "result image")
    content = _resize_like(_check_rgb(content_rgb, "content image"), result.shape[:2])
    yiq = rgb_to_yiq(content)
    yiq[..., 0] = rgb_to_yiq(result)[..., 0]
    return np.clip(yiq_to_rgb(yiq), 0.0, 1.0)


def original_colors(result_rgb, content_rgb) -> np.ndarray:
    """Post-hoc "original colours" after an ordinary full-colour run.

    Same arithmetic as :func:`recombine_luminance` (result's Y, content's
    chroma) but applied to a result that was synthesised in colour, so its
    luminance was shaped by the style's colours too; the paper's
    luminance-only transfer instead never shows the network any colour.
    neural-style does this in YUV; YUV and YIQ share Y and their chroma
    planes are the same plane (rows summing to zero), so the result is the
    same up to the rounding of the published coefficients.
    """
    return recombine_luminance(result_rgb, content_rgb)


def _stats(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = image.reshape(-1, 3).astype(np.float64)
    mu = p.mean(0)
    d = p - mu
    return mu, d.T @ d / len(p)


def _sqrt_sym(cov: np.ndarray, inverse: bool = False) -> np.ndarray:
    vals, vecs = np.linalg.eigh(cov)
    vals = np.clip(vals, 1e-12, None) ** (-0.5 if inverse else 0.5)
    return (vecs * vals) @ vecs.T


def _pca(cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    vals, vecs = np.linalg.eigh(cov)  # ascending eigenvalues
    # Eigenvectors have no sign; make each one's largest component positive
    # so style and content axes are paired the same way every time.
    idx = np.abs(vecs).argmax(0)
    vecs = vecs * np.sign(vecs[idx, np.arange(3)])
    return np.clip(vals, 1e-12, None), vecs


def color_transform(style_rgb, content_rgb, mode: str = "chol", eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """(A, b) with A Sigma_s A^T = Sigma_c and b = mu_c - A mu_s.

    Modes: ``chol``: A = L_c L_s^-1 from Cholesky factors; ``sym``:
    A = Sigma_c^1/2 Sigma_s^-1/2 with symmetric square roots (the paper's
    formula); ``pca``: A = V_c L_c^1/2 L_s^-1/2 V_s^T, i.e. whiten the style
    along its principal axes and colour along the content's, pairing axes by
    variance rank. (Some peer scripts call the sym formula "pca".) Both
    covariances get eps*I so flat images do not make A singular.
    """
    if mode not in COLOR_MODES:
        raise StyleError(f"Colour matching mode {mode!r} is unknown; use one of {', '.join(COLOR_MODES)}.")
    mu_s, cov_s = _stats(_check_rgb(style_rgb, "style image"))
    mu_c, cov_c = _stats(_check_rgb(content_rgb, "content image"))
    cov_s = cov_s + eps * np.eye(3)
    cov_c = cov_c + eps * np.eye(3)
    if mode == "chol":
        a = np.linalg.cholesky(cov_c) @ np.linalg.inv(np.linalg.cholesky(cov_s))
    elif mode == "sym":
        a = _sqrt_sym(cov_c) @ _sqrt_sym(cov_s, inverse=True)
    else:
        vals_s, vecs_s = _pca(cov_s)
        vals_c, vecs_c = _pca(cov_c)
        a = (vecs_c * np.sqrt(vals_c / vals_s)) @ vecs_s.T
    return a, mu_c - a @ mu_s


def match_color(style_rgb, content_rgb, mode: str = "chol", eps: float = 1e-5, clip: bool = True) -> np.ndarray:
    """The style image recoloured so its colour mean and covariance are the content's.

    p' = A p + b for every pixel (see :func:`color_transform`); clipped to
    [0, 1] unless ``clip=False``. Clipping slightly breaks the match where the
    affine map leaves the gamut, the limitation the paper mentions.
    """
    style = _check_rgb(style_rgb, "style image")
    a, b = color_transform(style, content_rgb, mode, eps)
    out = (style.astype(np.float64) @ a.T + b).astype(np.float32)
    return np.clip(out, 0.0, 1.0) if clip else out
