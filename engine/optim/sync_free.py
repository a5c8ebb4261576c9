"""The sync-free step rule: an L-BFGS that never reads a value back to the host inside the loop.

torch.optim.LBFGS decides on the host: its strong-Wolfe line search compares
losses in Python, and every iteration converts the loss to a float. On a GPU
each of those reads waits for the card to finish, so the CPU cannot queue the
next iteration while the current one runs. Here every decision is a tensor
operation instead:

- one evaluation per iteration; the step is the quasi-Newton direction,
  shortened (torch.where, not `if`) so that no pixel moves more than a trust
  radius (0.1 at first: the runs start from a picture, the photo, the AdaIN
  result or the previous pass, and a first step of half the range threw
  that away; it doubles after each shortened step that helps);
- a step that does not lower the loss is undone with torch.where and halves
  the radius; one that does, and was shortened, doubles it;
- a curvature pair with y.s <= 1e-10 is stored as zeros, so it adds nothing
  to the quasi-Newton direction instead of being skipped by a branch;
- the loss of every iteration goes into a device buffer that the caller reads
  every few iterations (`losses_since`).

The accepted point never gets worse, so the current point is the best image.
History lives in one preallocated (m, 2, n) fp32 tensor used as a ring, and
the direction uses the compact form of L-BFGS, so an iteration queues the
same few dozen kernels whatever the history length.

`evaluate(x)` returns (loss, gradient, aux): aux is any tensor that belongs
to the point (the loss terms), kept alongside the accepted point.
"""

from __future__ import annotations

import torch

CURVATURE_EPS = 1e-10


class DeviceLBFGS:
    def __init__(
        self,
        evaluate,
        x0: torch.Tensor,
        history: int,
        iterations: int,
        radius: float = 0.1,
        max_radius: float = 1.0,
        small_dtype: torch.dtype | None = None,
        bounds: tuple[float, float] | None = (0.0, 1.0),
    ):
        """x0 is any shape; radius is the largest pixel change of a step (image in [0, 1]);
        small_dtype is that of the m x m algebra (float64, or float32 where Metal has no float64);
        bounds keep every pixel in range during the run (None: unbounded)."""
        self.evaluate = evaluate
        self.shape = x0.shape
        self.bounds = bounds
        dev = x0.device
        self.x = x0.detach().reshape(-1).float().clone()
        if bounds is not None:
            self.x.clamp_(*bounds)
        n = self.x.numel()
        self.m = m = max(1, int(history))
        # Pair i is W[i] = (s_i, y_i): the written pairs are one contiguous
        # block, so a matrix-vector product over W[:count] gives S v and Y v
        # together and reads no unwritten memory. An unusable pair is zeros.
        self.W = torch.zeros(m, 2, n, device=dev)
        small = small_dtype or (torch.float32 if dev.type == "mps" else torch.float64)
        self.SY = torch.zeros(m, m, device=dev, dtype=small)  # s_i . y_j
        self.YY = torch.zeros(m, m, device=dev, dtype=small)  # y_i . y_j
        self.stored = 0  # pairs written so far (a Python count, not a value read back)
        self.Wg = torch.zeros(0, 2, device=dev)  # (s_i . g, y_i . g) for the current g, kept by _store
        self.radius = torch.tensor(radius, device=dev)
        self.max_radius = max_radius
        self.losses = torch.zeros(max(1, iterations + 1), device=dev)
        f, g, self.aux = evaluate(self.x.view(self.shape))
        self.f, self.g = f.detach().float().reshape(()), g.detach().reshape(-1).float()
        self.losses[0] = self.f
        # H0 = gamma I; before any pair, gamma makes the first step's largest
        # pixel change equal to the radius (via the cap below).
        self.gamma = torch.ones((), device=dev, dtype=small)
        self.iteration = 0

    def direction(self) -> torch.Tensor:
        """-H g in the compact form of Byrd, Nocedal & Schnabel (1994):
        H = gamma I + [S gamma Y] [[R^-T (D + gamma Y^T Y) R^-1, -R^-T], [-R^-1, 0]] [S^T; gamma Y^T]
        with R the upper triangle of S^T Y in age order and D its diagonal.
        Unlike the two-loop recursion (4 kernels a pair), this is a fixed
        couple of dozen kernels whatever the history length: one pass over
        the written pairs (W g is kept up to date by _store) and small m x m
        algebra in float64 (float32 on Apple's Metal)."""
        count = min(self.stored, self.m)
        if count == 0:
            return -self.gamma.float() * self.g
        rows = self.W[:count].view(2 * count, -1)
        shift = self.stored % count if self.stored >= self.m else 0  # ring slot of the oldest pair
        sg, yg = self.Wg.to(self.SY.dtype).roll(-shift, dims=0).unbind(1)
        sy = self.SY[:count, :count].roll((-shift, -shift), dims=(0, 1))
        yy = self.YY[:count, :count].roll((-shift, -shift), dims=(0, 1))
        diag = sy.diagonal()
        used = diag > 0
        r = torch.triu(sy) + torch.diag(torch.where(used, 0.0, 1.0).to(sy.dtype))  # zero pairs: decoupled
        u = torch.linalg.solve_triangular(r, sg.unsqueeze(1), upper=True)
        rhs = (torch.diag(diag) + self.gamma * yy) @ u - self.gamma * yg.unsqueeze(1)
        p = torch.linalg.solve_triangular(r.mT, rhs, upper=False).squeeze(1)
        q = -u.squeeze(1) * self.gamma
        coeffs = torch.stack([p, q], dim=1).roll(shift, dims=0).float().view(1, 2 * count)
        hg = (coeffs @ rows).view(-1) + self.gamma.float() * self.g
        return hg.neg_()

    def _store(self, s, y, usable, g_try, accept) -> None:
        """Write the pair into the ring, update S^T Y and Y^T Y, and keep
        W g for the next gradient: the same pass over the pairs that gives
        the new products also gives W g_try; a rejected step keeps the old
        W g with the overwritten slot's two entries recomputed. That saves
        the direction a pass over the whole history."""
        slot = self.stored % self.m
        old_count = min(self.stored, self.m)
        self.W[slot, 0] = torch.where(usable, s, 0.0)
        self.W[slot, 1] = torch.where(usable, y, 0.0)
        self.stored += 1
        count = min(self.stored, self.m)
        new = torch.stack([self.W[slot, 0], self.W[slot, 1], g_try])
        prods = (self.W[:count].view(2 * count, -1) @ new.T).view(count, 2, 3)
        # prods[i, a, b] = (s_i, y_i)[a] . (s_new, y_new, g_try)[b]
        pairs = prods[:, :, :2].to(self.SY.dtype)
        self.SY[:count, slot] = pairs[:, 0, 1]
        self.SY[slot, :count] = pairs[:, 1, 0]
        self.YY[:count, slot] = pairs[:, 1, 1]
        self.YY[slot, :count] = pairs[:, 1, 1]
        kept = torch.cat([self.Wg, self.Wg.new_zeros(count - old_count, 2)]) if count > old_count else self.Wg.clone()
        kept[slot] = new[:2] @ self.g
        self.Wg = torch.where(accept, prods[:, :, 2], kept)

    def step(self) -> None:
        d = self.direction()
        if self.bounds is not None:
            d = self._free(d)
        t = torch.clamp(self.radius / d.abs().amax().clamp_min(1e-30), max=1.0)
        s = d.mul_(t)
        x_try = self.x + s
        if self.bounds is not None:
            # Projected step: pixels stop at the range's edge instead of
            # running past it to be cut flat on saving (the clipped black
            # and white patches). The pair stores the step actually taken.
            x_try = x_try.clamp_(*self.bounds)
            s = x_try - self.x
        f_try, g_try, aux_try = self.evaluate(x_try.view(self.shape))
        f_try, g_try = f_try.detach().float().reshape(()), g_try.detach().reshape(-1).float()
        accept = f_try <= self.f  # False for NaN too
        y = g_try - self.g
        ys = torch.dot(y, s)
        usable = ys > CURVATURE_EPS
        self._store(s, y, usable, g_try, accept)
        yy = torch.dot(y, y).to(self.gamma.dtype).clamp_min(1e-30)
        self.gamma = torch.where(usable, ys.to(self.gamma.dtype) / yy, self.gamma)
        self.x = torch.where(accept, x_try, self.x)
        self.g = torch.where(accept, g_try, self.g)
        self.f = torch.where(accept, f_try, self.f)
        self.aux = torch.where(accept, aux_try, self.aux)
        shortened = t < 1.0
        grown = torch.where(shortened, self.radius * 2, self.radius).clamp_max(self.max_radius)
        self.radius = torch.where(accept, grown, self.radius * 0.5)
        self.iteration += 1
        if self.iteration < self.losses.numel():
            self.losses[self.iteration] = self.f

    def _free(self, d: torch.Tensor) -> torch.Tensor:
        """The direction without the components that push a pixel already at
        a bound further out (the active set of a bound-constrained L-BFGS):
        they would be clamped away and only shorten the useful part of the
        step through the trust radius."""
        lo, hi = self.bounds
        blocked = ((self.x <= lo) & (d < 0)) | ((self.x >= hi) & (d > 0))
        return d.masked_fill_(blocked, 0.0)

    def current(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The image and aux of the latest recorded loss (on the device)."""
        return self.x.view(self.shape), self.aux

    def best(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The best image so far, its loss and its aux (on the device)."""
        return self.x.view(self.shape), self.f, self.aux

    def losses_since(self, start: int) -> list[float]:
        """Losses after iterations start..now (one host read for all of them)."""
        return self.losses[start : self.iteration + 1].tolist()
