"""The optimisation loop: one pass (a Task) from its start image to the best
image found, with progress, previews, cancellation and convergence once per
iteration, whatever the step rule (engine/optim/step_rules.py).

With the sync-free rules the loop reads the losses back only every
`sync_every` iterations (every 10 on GPUs, every iteration on the CPU): the
GPU never waits for Python. Torch's line search reads every evaluation
anyway, so with it the loop ticks every iteration.
"""

from __future__ import annotations

import math
import time

from ..errors import Cancelled
from ..image.tensors import to_numpy, to_uint8
from ..network.compiled import LossTerms
from ..progress import Progress, Result
from .step_rules import make_rule, sync_free
from .task import Task

GPU_SYNC_EVERY = 10
NAN_REASON = "the loss became NaN or infinite; try a lower style strength or learning rate"


def sync_interval(settings, device) -> int:
    """Iterations between host reads of the loss."""
    if not sync_free(settings, device):
        return 1
    if settings.sync_every > 0:
        return settings.sync_every
    return 1 if device.type == "cpu" else GPU_SYNC_EVERY


def converged(history: list[float], window: int, tolerance: float) -> bool:
    """The loss fell by less than `tolerance` of its value over the last `window` iterations."""
    if window <= 0 or len(history) <= window:
        return False
    before, now = history[-window - 1], history[-1]
    return before - now < tolerance * abs(before)


class _Ticks:
    """What happens after an iteration: read the losses when due, report, check convergence."""

    def __init__(self, task: Task, rule, progress, should_stop):
        self.task, self.rule, self.progress, self.should_stop = task, rule, progress, should_stop
        self.every = sync_interval(task.settings, task.start.device)
        self.history: list[float] = []
        self.start = time.perf_counter()
        self.last_preview = 0

    def check(self) -> None:
        if self.should_stop is not None and self.should_stop():
            raise Cancelled()

    def read(self) -> None:
        self.history += self.rule.losses_since(len(self.history) + 1)

    def __call__(self, i: int) -> bool:
        n = self.task.iterations
        if not (i == 1 or i % self.every == 0 or i == n):
            return False
        self.read()
        if not math.isfinite(self.history[-1]):
            raise FloatingPointError()
        if self.progress is not None:
            self._report(i, n)
        return converged(self.history, *self.task.converge)  # read at the sync points only

    def _report(self, i: int, n: int) -> None:
        image, terms = self.rule.current()
        every, preview = self.task.settings.preview_every, None
        if every and (i // every > self.last_preview // every or i in (1, n)):
            preview, self.last_preview = to_uint8(image), i
        t = self.task
        self.progress(
            Progress(i, n, self.history[-1], terms, time.perf_counter() - self.start, preview, t.name, t.index, t.count)
        )


def optimise(task: Task, progress=None, should_stop=None) -> Result:
    """Run task.iterations iterations, or fewer when task.converge = (window,
    tolerance) finds that the loss has settled."""
    loss_terms = LossTerms(task.objective, task.settings)
    rule = make_rule(loss_terms, task.start, task.settings, task.iterations)
    ticks = _Ticks(task, rule, progress, should_stop)
    reason = ""
    try:
        rule.run(task.iterations, ticks, ticks.check)
    except Cancelled:
        reason = "cancelled"
    except FloatingPointError:
        reason = NAN_REASON
    ticks.read()
    image, loss = rule.best()
    return Result(
        image=to_numpy(image),
        loss=loss,
        iterations=len(ticks.history),
        cancelled=reason == "cancelled",
        stopped_reason=reason,
        history=ticks.history,
        evaluations=rule.evaluations,
        notes=[loss_terms.note] if loss_terms.note else [],
    )
