"""Optimisers that never read a value back to the host inside the loop.

torch.optim.LBFGS decides on the host: its strong-Wolfe line search compares
losses in Python, and every iteration converts the loss to a float. On a GPU
each of those reads waits for the card to finish, so the CPU cannot queue the
next iteration while the current one runs. Here every decision is a tensor
operation instead:

- one evaluation per iteration; the step is the quasi-Newton direction,
  shortened (torch.where, not `if`) so that no pixel moves more than a trust
  radius;
- a step that does not lower the loss is undone with torch.where and halves
  the radius; one that does, and was shortened, doubles it;
- a curvature pair with y.s <= 1e-10 is kept with rho = 0, so it adds nothing
  to the two-loop recursion instead of being skipped by a branch;
- the loss of every iteration goes into a device buffer that the caller reads
  every few iterations (`losses_since`).

The accepted point never gets worse, so the current point is the best image.
History lives in two preallocated (m, n) fp32 tensors used as a ring.

`evaluate(x)` returns (loss, gradient, aux): aux is any tensor that belongs
to the point (the loss terms), kept alongside the accepted point.

DeviceAdam wraps torch's Adam the same way: the best image and its loss are
kept with torch.where, and losses go into the same kind of buffer.
"""
from __future__ import annotations

import torch

CURVATURE_EPS = 1e-10


class DeviceLBFGS:
    def __init__(self, evaluate, x0: torch.Tensor, history: int, iterations: int,
                 radius: float = 0.5, max_radius: float = 1.0):
        """x0 is any shape; radius is the largest pixel change of a step (image in [0, 1])."""
        self.evaluate = evaluate
        self.shape = x0.shape
        dev = x0.device
        self.x = x0.detach().reshape(-1).float().clone()
        n = self.x.numel()
        self.m = max(1, int(history))
        self.S = torch.zeros(self.m, n, device=dev)
        self.Y = torch.zeros(self.m, n, device=dev)
        self.rho = torch.zeros(self.m, device=dev)
        self.stored = 0  # pairs written so far (a Python count, not a value read back)
        self.radius = torch.tensor(radius, device=dev)
        self.max_radius = max_radius
        self.losses = torch.zeros(max(1, iterations + 1), device=dev)
        f, g, self.aux = evaluate(self.x.view(self.shape))
        self.f, self.g = f.detach().float().reshape(()), g.detach().reshape(-1).float()
        self.losses[0] = self.f
        # H0 = gamma I; before any pair, gamma makes the first step's largest
        # pixel change equal to the radius (via the cap below).
        self.gamma = torch.ones((), device=dev)
        self.iteration = 0

    def direction(self) -> torch.Tensor:
        """-H g by the two-loop recursion over the ring, newest pair first."""
        q = self.g.clone()
        count = min(self.stored, self.m)
        order = [(self.stored - 1 - j) % self.m for j in range(count)]
        alphas = []
        for i in order:
            a = self.rho[i] * torch.dot(self.S[i], q)
            q.sub_(self.Y[i] * a)
            alphas.append(a)
        q.mul_(self.gamma)
        for i, a in zip(reversed(order), reversed(alphas)):
            b = self.rho[i] * torch.dot(self.Y[i], q)
            q.add_(self.S[i] * (a - b))
        return q.neg_()

    def step(self) -> None:
        d = self.direction()
        t = torch.clamp(self.radius / d.abs().amax().clamp_min(1e-30), max=1.0)
        s = d.mul_(t)
        x_try = self.x + s
        f_try, g_try, aux_try = self.evaluate(x_try.view(self.shape))
        f_try, g_try = f_try.detach().float().reshape(()), g_try.detach().reshape(-1).float()
        accept = f_try <= self.f  # False for NaN too
        y = g_try - self.g
        ys = torch.dot(y, s)
        usable = ys > CURVATURE_EPS
        slot = self.stored % self.m
        self.S[slot] = s
        self.Y[slot] = y
        self.rho[slot] = torch.where(usable, 1.0 / ys.clamp_min(CURVATURE_EPS), 0.0)
        self.stored += 1
        self.gamma = torch.where(usable, ys / torch.dot(y, y).clamp_min(1e-30), self.gamma)
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

    def current(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The image and aux of the latest recorded loss (on the device)."""
        return self.x.view(self.shape), self.aux

    def best(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The best image so far, its loss and its aux (on the device)."""
        return self.x.view(self.shape), self.f, self.aux

    def losses_since(self, start: int) -> list[float]:
        """Losses after iterations start..now (one host read for all of them)."""
        return self.losses[start:self.iteration + 1].tolist()


class DeviceAdam:
    """torch's Adam on the pixels, clamped to [0, 1], with the best image kept
    on the device. losses[i] is the loss of the image before step i + 1."""

    def __init__(self, evaluate, x0: torch.Tensor, lr: float, iterations: int):
        self.evaluate = evaluate
        self.x = x0.detach().float().clone().requires_grad_(True)
        self.opt = torch.optim.Adam([self.x], lr=lr)
        self.best_x = self.x.detach().clone()
        self.best_f = torch.full((), float("inf"), device=x0.device)
        self.best_aux = self.aux = None
        self.losses = torch.zeros(max(1, iterations + 1), device=x0.device)
        self.iteration = 0

    def _score(self) -> torch.Tensor:
        f, g, aux = self.evaluate(self.x.detach())
        f = f.detach().float().reshape(())
        self.scored, self.aux = self.x.detach().clone(), aux
        better = f < self.best_f  # False for NaN
        self.best_x = torch.where(better, self.x.detach(), self.best_x)
        self.best_f = torch.where(better, f, self.best_f)
        self.best_aux = aux if self.best_aux is None else torch.where(better, aux, self.best_aux)
        if self.iteration < self.losses.numel():
            self.losses[self.iteration] = f
        return g

    def step(self) -> None:
        self.x.grad = self._score()
        self.opt.step()
        with torch.no_grad():
            self.x.clamp_(0, 1)
        self.iteration += 1

    def current(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.scored, self.aux

    def best(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        if self.iteration or self.best_aux is None:  # score the last step's image too
            self._score()
        return self.best_x, self.best_f, self.best_aux

    def losses_since(self, start: int) -> list[float]:
        return self.losses[max(0, start - 1):self.iteration].tolist()
