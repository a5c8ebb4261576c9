"""The matting Laplacian of Levin, Lischinski and Weiss (2008) and the
photorealism term of Luan et al. (2017), L_m = sum_c V_c^T M V_c.

For every (2r+1)^2 window w_k lying fully inside the image (border pixels get
fewer windows, as in the reference implementation) and every pair i, j in w_k:

    M_ij += delta_ij - 1/|w| (1 + (I_i - mu_k)^T (Sigma_k + eps/|w| I_3)^-1 (I_j - mu_k))

Building. Two pixels interact only when their offset lies in [-2r, 2r]^2, so
M has at most (4r+1)^2 = 25 (r = 1) entries a row. The windows' 81 blocks
are summed straight into an (H, W, 25) array of diagonals, one vectorised
slice-add per (i, j) pair of window positions and per chunk of window rows,
and the CSR arrays are cut from it; no COO with 81 N duplicates to sort,
no Python loop over pixels. Memory is linear in N: about 0.6 KB a pixel at
the peak, ~300 B a pixel for the float64 CSR result.

Backend: the build is numpy and returns a scipy CSR matrix (float64), which
the tests and :func:`photoreal_energy` use. The optimisation loop goes through
:class:`MattingLaplacian`, a torch operator that holds M as its 25 diagonals,
(25, H, W) weight maps, and applies it as 25 shifted multiply-adds (a dense
stencil). bench/matting_bench.py, 2 CPU cores, one M @ V (3 channels):

    size       build   scipy CSR f64   torch CSR f32   stencil f32
    512x320    0.7 s   12 ms           8 ms            6 ms
    1024x640   2.3 s   52 ms           85 ms           24 ms

(With one torch thread on a busy machine: 13 / 8.6 / 3.4 ms at 512 and
59 / 90 / 23 ms at 1024; energy plus gradient 4.3 ms at 512.) The stencil is
the fastest at every size, is plain dense torch (any device and
dtype, no CPU round trip when the image lives on a GPU, no index-dtype
care), and torch sparse CSR warns "in beta state" on construction, which the
test configuration turns into an error. So the operator is a stencil, not
torch.sparse; scipy CSR stays the reference form.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import torch

from ..errors import StyleError
from ..image.guided_filter import check_window

# Rows of windows processed at once while building: bounds the (n, 9, 9)
# block array to about 20 MB whatever the image size.
_CHUNK_WINDOWS = 1 << 15


def _check_image(image: np.ndarray, radius: int, eps: float) -> np.ndarray:
    img = np.asarray(image)
    if img.ndim != 3 or img.shape[2] != 3:
        raise StyleError(
            f"The matting Laplacian needs an RGB image of shape (H, W, 3); got shape {img.shape}. "
            "Convert the content image to RGB first."
        )
    check_window("matting window", radius, eps, "Use 1 (3x3 windows).", "Use 1e-7 as in Luan et al.")
    k = 2 * radius + 1
    if img.shape[0] < k or img.shape[1] < k:
        raise StyleError(
            f"The image ({img.shape[1]} x {img.shape[0]} px) is smaller than one {k} x {k} matting window; "
            "use a larger image or a smaller radius."
        )
    img = img.astype(np.float64, copy=False)
    if not np.isfinite(img).all():
        raise StyleError("The image holds NaN or infinite values; load it again or clip it to [0, 1].")
    return img


def _diagonals(img: np.ndarray, eps: float, radius: int) -> tuple[np.ndarray, list]:
    """M as an (H, W, D) array: [y, x, o] = M[(y, x), (y, x) + offsets[o]]."""
    h, w, _ = img.shape
    k = 2 * radius + 1
    n_w = k * k
    span = 4 * radius + 1
    offsets = [(oy, ox) for oy in range(-2 * radius, 2 * radius + 1) for ox in range(-2 * radius, 2 * radius + 1)]
    diag = np.zeros((h, w, span * span))
    wh, ww = h - 2 * radius, w - 2 * radius  # window centres per column / row
    pos = [(ay, ax) for ay in range(k) for ax in range(k)]
    windows = np.lib.stride_tricks.sliding_window_view(img, (k, k), axis=(0, 1))  # (wh, ww, 3, k, k)
    rows_per_chunk = max(1, _CHUNK_WINDOWS // ww)
    eye = np.eye(3) * (eps / n_w)
    for y0 in range(0, wh, rows_per_chunk):
        y1 = min(wh, y0 + rows_per_chunk)
        x = windows[y0:y1].reshape(-1, 3, n_w).transpose(0, 2, 1)  # (n, 9, 3)
        mu = x.mean(axis=1, keepdims=True)
        xc = x - mu
        cov = np.einsum("nwi,nwj->nij", xc, xc) / n_w + eye
        inv = np.linalg.inv(cov)
        inv = 0.5 * (inv + inv.transpose(0, 2, 1))
        g = (1.0 + np.einsum("nai,nij,nbj->nab", xc, inv, xc, optimize=True)) / n_w
        g = 0.5 * (g + g.transpose(0, 2, 1))  # exact symmetry of M
        vals = np.eye(n_w) - g
        vals = vals.reshape(y1 - y0, ww, n_w, n_w)
        for a, (ay, ax) in enumerate(pos):
            for b, (by, bx) in enumerate(pos):
                o = (by - ay + 2 * radius) * span + (bx - ax + 2 * radius)
                diag[y0 + ay : y1 + ay, ax : ax + ww, o] += vals[:, :, a, b]
    return diag, offsets


def _coverage(h: int, w: int, radius: int) -> np.ndarray:
    """(H, W, D) bool: True where the pixel pair shares at least one window."""
    k = 2 * radius + 1
    span = 4 * radius + 1
    wh, ww = h - 2 * radius, w - 2 * radius
    cov = np.zeros((h, w, span * span), dtype=bool)
    for ay in range(k):
        for ax in range(k):
            for by in range(k):
                for bx in range(k):
                    o = (by - ay + 2 * radius) * span + (bx - ax + 2 * radius)
                    cov[ay : ay + wh, ax : ax + ww, o] = True
    return cov


def _to_csr(diag: np.ndarray, offsets: list, radius: int) -> sp.csr_matrix:
    """CSR arrays cut straight from the (H, W, D) diagonals (columns sorted)."""
    h, w, _ = diag.shape
    mask = _coverage(h, w, radius)
    n = h * w
    counts = mask.reshape(n, -1).sum(axis=1)
    index_dtype = np.int32 if n * len(offsets) < np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(n + 1, dtype=index_dtype)
    np.cumsum(counts, out=indptr[1:])
    shift = np.array([oy * w + ox for oy, ox in offsets], dtype=index_dtype)
    cols = (np.arange(n, dtype=index_dtype)[:, None] + shift[None, :]).reshape(h, w, -1)
    return sp.csr_matrix((diag[mask], cols[mask], indptr), shape=(n, n))


def matting_laplacian(image: np.ndarray, eps: float = 1e-7, radius: int = 1) -> sp.csr_matrix:
    """The N x N (N = H*W, row-major pixels) matting Laplacian of an (H, W, 3)
    image in [0, 1], as a symmetric positive semi-definite scipy CSR matrix."""
    img = _check_image(image, radius, eps)
    diag, offsets = _diagonals(img, eps, radius)
    return _to_csr(diag, offsets, radius)


def photoreal_energy(image_rgb: np.ndarray, laplacian: sp.spmatrix) -> float:
    """sum over colour channels c of V_c^T M V_c for an (H, W, 3) image."""
    v = np.asarray(image_rgb, dtype=np.float64)
    if v.ndim != 3 or v.shape[2] != 3 or v.shape[0] * v.shape[1] != laplacian.shape[0]:
        raise StyleError(
            f"The image of shape {v.shape} does not match a matting Laplacian built for "
            f"{laplacian.shape[0]} pixels; build the Laplacian from an image of the same size."
        )
    v = v.reshape(-1, 3)
    return float(np.sum(v * (laplacian @ v)))


class _Energy(torch.autograd.Function):
    """E = sum_c V_c^T M V_c with dE/dV = 2 M V (M symmetric)."""

    @staticmethod
    def forward(ctx, image, op):
        # Half-precision images are summed in float32: the energy is a sum of
        # N small terms that cancel (M V is near zero on locally affine images).
        v = image.to(torch.promote_types(image.dtype, torch.float32))
        mv = op.apply(v)
        ctx.save_for_backward(mv)
        ctx.image_dtype = image.dtype
        return (v * mv).sum()

    @staticmethod
    def backward(ctx, grad_out):
        (mv,) = ctx.saved_tensors
        return (2.0 * grad_out * mv).to(ctx.image_dtype), None


class MattingLaplacian:
    """The matting Laplacian of one content image at one size, as a torch operator.

    Build it once per run and per scale; ``energy(x)`` is differentiable:

        lap = MattingLaplacian(content_rgb_at_run_size)
        loss = loss + weight * lap.energy(x)     # x: (1, 3, H, W)

    M is held as its (4r+1)^2 diagonals (see the module docstring for why a
    dense stencil and not torch.sparse); ``matrix`` is the scipy CSR form.
    """

    def __init__(self, image: np.ndarray, eps: float = 1e-7, radius: int = 1):
        img = _check_image(image, radius, eps)
        self.height, self.width = img.shape[:2]
        self.radius = radius
        diag, self.offsets = _diagonals(img, eps, radius)
        # (D, H, W): one weight map per neighbour offset; zeros where the pair
        # shares no window, so padding the image with zeros is exact.
        self._diag = torch.from_numpy(np.ascontiguousarray(diag.transpose(2, 0, 1)))
        self._cache: dict = {}
        self._matrix = None

    @property
    def matrix(self) -> sp.csr_matrix:
        """The same M as a scipy CSR matrix (built on first use)."""
        if self._matrix is None:
            diag = self._diag.numpy().transpose(1, 2, 0)
            self._matrix = _to_csr(diag, self.offsets, self.radius)
        return self._matrix

    def _weights(self, like: torch.Tensor) -> torch.Tensor:
        key = (like.device, like.dtype)
        if key not in self._cache:
            self._cache[key] = self._diag.to(device=like.device, dtype=like.dtype)
        return self._cache[key]

    def _check(self, image: torch.Tensor) -> None:
        if image.ndim != 4 or image.shape[1] != 3 or tuple(image.shape[2:]) != (self.height, self.width):
            raise StyleError(
                f"The image tensor of shape {tuple(image.shape)} does not match the matting Laplacian "
                f"built for {self.width} x {self.height} px; expected (B, 3, {self.height}, {self.width}). "
                "Build the Laplacian at the size of the run (once per scale)."
            )

    def apply(self, image: torch.Tensor) -> torch.Tensor:
        """M V for each channel of a (B, 3, H, W) image; same shape back."""
        self._check(image)
        d = self._weights(image)
        p = 2 * self.radius
        h, w = self.height, self.width
        padded = torch.nn.functional.pad(image, (p, p, p, p))
        out = torch.zeros_like(image)
        for o, (oy, ox) in enumerate(self.offsets):
            out.addcmul_(d[o], padded[:, :, p + oy : p + oy + h, p + ox : p + ox + w])
        return out

    def energy(self, image: torch.Tensor) -> torch.Tensor:
        """sum over batch and channels of V_c^T M V_c, a differentiable scalar."""
        self._check(image)
        return _Energy.apply(image, self)
