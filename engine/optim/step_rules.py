"""Step rules: how the optimiser moves the pixels, behind one interface.

Each rule is a small strategy object, as torch.optim's optimisers are; the
loop (engine/optim/loop.py) does the rest (progress, previews, cancellation,
convergence, the result). A rule has

- ``run(iterations, tick, check)``: take up to `iterations` steps, calling
  ``check()`` before each evaluation (it raises Cancelled) and ``tick(i)``
  after iteration i (True: stop);
- ``losses_since(start)``: the loss of iterations start..now;
- ``current()``: the image and loss terms of the latest recorded loss;
- ``best()``: the best image and its loss; ``evaluations``: forward+backward passes.

The rules: the sync-free trust-radius L-BFGS (engine/optim/sync_free.py, the
default on CPUs and NVIDIA GPUs), torch's L-BFGS with its strong-Wolfe line
search (--step-rule wolfe, Apple's Metal) and Adam (engine/optim/adam.py).
"""

from __future__ import annotations

import numpy as np
import torch

from .adam import DeviceAdam
from .sync_free import DeviceLBFGS

# L-BFGS skips its curvature update when y.s < 1e-10, which small losses
# (low style strengths, texture-only runs) reach quickly; the objective the
# optimiser sees is scaled by this constant. Reported losses are unscaled.
OBJECTIVE_SCALE = 1e4


class Done(Exception):
    """All iterations are done (raised from torch's closure to leave step())."""


def sync_free(settings, device: torch.device) -> bool:
    """Whether this run uses the rules without host reads."""
    if settings.step_rule == "auto":  # Apple's Metal keeps the line search: the sync-free loop is untried there
        return device.type in ("cpu", "cuda")
    return settings.step_rule == "sync-free"


def make_rule(loss_terms, x0: torch.Tensor, settings, iterations: int):
    """The step rule these settings ask for."""
    if settings.optimizer == "adam":
        return DeviceRule(DeviceAdam, loss_terms, x0, 0.02 * settings.learning_rate, iterations)
    if sync_free(settings, x0.device):
        return DeviceRule(DeviceLBFGS, loss_terms, x0, settings.lbfgs_history, iterations)
    return TorchLBFGS(loss_terms, x0, settings, iterations)


class DeviceRule:
    """A rule that keeps everything on the device (DeviceLBFGS, DeviceAdam):
    one step() per iteration, losses read back only when the loop asks."""

    def __init__(self, kind, loss_terms, x0, option, iterations: int):
        self.loss_terms = loss_terms
        self.names: list[str] = []
        self.opt = kind(self.evaluate, x0, option, iterations)

    def evaluate(self, x):
        """(loss, gradient of the scaled loss, the terms stacked) at x."""
        x = x.detach().requires_grad_(True)
        terms = self.loss_terms(x)
        self.names[:] = list(terms)
        total = sum(terms.values())
        (grad,) = torch.autograd.grad(total * OBJECTIVE_SCALE, x)
        return total.detach(), grad, torch.stack([v.detach().float() for v in terms.values()])

    def run(self, iterations: int, tick, check) -> None:
        for i in range(1, iterations + 1):
            check()
            self.opt.step()
            if tick(i):
                return

    def losses_since(self, start: int) -> list[float]:
        return self.opt.losses_since(start)

    def current(self) -> tuple[torch.Tensor, dict]:
        image, aux = self.opt.current()
        return image, dict(zip(self.names, aux.tolist()))

    def best(self) -> tuple[torch.Tensor, float]:
        image, loss, _ = self.opt.best()
        return image, float(loss)

    @property
    def evaluations(self) -> int:
        return self.opt.iteration + 1


class TorchLBFGS:
    """torch.optim.LBFGS with a strong-Wolfe line search, reading the loss back at every evaluation.

    One step() call runs all iterations. This departs from "one step() per
    iteration": torch's L-BFGS re-entered with max_iter=1 and a line search
    stalls after two iterations, and without a line search the first
    quasi-Newton steps overshoot by orders of magnitude. Ticks and
    cancellation happen in the closure, once per iteration. Tolerances are 0
    so that only the iteration count (or the caller) ends a run."""

    def __init__(self, loss_terms, x0: torch.Tensor, settings, iterations: int):
        self.loss_terms = loss_terms
        self.x = x0.detach().clone().requires_grad_(True)
        self.opt = torch.optim.LBFGS(
            [self.x],
            lr=settings.learning_rate,
            max_iter=iterations,
            max_eval=4 * iterations + 10,
            history_size=settings.lbfgs_history,
            tolerance_grad=0.0,
            tolerance_change=0.0,
            line_search_fn="strong_wolfe",
        )
        self.best_loss, self.best_image = float("inf"), x0.detach().clone()
        self.values: list[float] = []  # the first evaluation of each iteration
        self.terms: dict = {}
        self.evaluations = 0

    def _iteration(self) -> int:
        return self.opt.state[self.x].get("n_iter", 0) if self.x in self.opt.state else 0

    def _closure(self, n: int, tick, check):
        def closure():
            check()
            self.opt.zero_grad(set_to_none=True)
            terms = self.loss_terms(self.x)
            total = sum(terms.values())
            (total * OBJECTIVE_SCALE).backward()
            self.evaluations += 1
            value = float(total.detach())
            if not np.isfinite(value):
                raise FloatingPointError()
            if value < self.best_loss:
                self.best_loss, self.best_image = value, self.x.detach().clone()
            i = self._iteration()
            if i > n:  # a re-entered step() would run past the iteration count
                raise Done()
            if i > len(self.values):
                self.values.append(value)
                self.terms = {k: float(v.detach()) for k, v in terms.items()}
                if tick(i):
                    raise Done()
            return total.detach() * OBJECTIVE_SCALE

        return closure

    def run(self, iterations: int, tick, check) -> None:
        closure = self._closure(iterations, tick, check)
        try:
            while iterations and len(self.values) < iterations:
                before = len(self.values)
                self.opt.step(closure)
                if len(self.values) == before:  # a zero step: nothing more to gain
                    break
        except Done:
            pass

    def losses_since(self, start: int) -> list[float]:
        return self.values[start - 1 :]

    def current(self) -> tuple[torch.Tensor, dict]:
        return self.x, self.terms

    def best(self) -> tuple[torch.Tensor, float]:
        return self.best_image, self.best_loss
