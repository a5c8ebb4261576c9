"""The Adam step rule (Kingma & Ba) on the pixels, kept on the device like
the sync-free L-BFGS (engine/optim/sync_free.py): the best image and its
loss are kept with torch.where, and losses go into a device buffer that the
loop reads every few iterations."""

from __future__ import annotations

import torch


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
        return self.losses[max(0, start - 1) : self.iteration].tolist()
