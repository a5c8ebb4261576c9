"""The optimisation loop without host reads: the GPU never waits for Python.

Each iteration queues its work and checks the Stop flag (a Python bool, no
device read). Every `sync_every` iterations the loop reads back the losses
since the last read in one transfer, reports progress and, when due, copies
a preview. Everything else, the step decisions and the best image included,
stays on the device (engine/devopt.py).
"""
from __future__ import annotations

import math
import time

import numpy as np
import torch

from .devopt import DeviceAdam, DeviceLBFGS
from .optimise import OBJECTIVE_SCALE, to_numpy  # optimise imports this module only when called
from .progress import Progress, Result
from .schedule import converged

GPU_SYNC_EVERY = 10


def sync_interval(settings, device: torch.device) -> int:
    if settings.sync_every > 0:
        return settings.sync_every
    return 1 if device.type == "cpu" else GPU_SYNC_EVERY


def optimise_on_device(loss_terms, x0, settings, progress, should_stop, stage, stage_index, stages,
                       converge=(0, 0.0)) -> Result:
    n = settings.iterations
    every = sync_interval(settings, x0.device)
    names: list[str] = []

    def evaluate(x):
        x = x.detach().requires_grad_(True)
        terms = loss_terms(x)
        names[:] = list(terms)
        total = sum(terms.values())
        (grad,) = torch.autograd.grad(total * OBJECTIVE_SCALE, x)
        return total.detach(), grad, torch.stack([v.detach().float() for v in terms.values()])

    if settings.optimizer == "lbfgs":
        opt = DeviceLBFGS(evaluate, x0, settings.lbfgs_history, n)
    else:
        opt = DeviceAdam(evaluate, x0, 0.02 * settings.learning_rate, n)
    history: list[float] = []
    start = time.perf_counter()
    last_preview = 0
    reason = ""
    for i in range(1, n + 1):
        if should_stop is not None and should_stop():
            reason = "cancelled"
            break
        opt.step()
        if not (i == 1 or i % every == 0 or i == n):
            continue
        history += opt.losses_since(len(history) + 1)
        if not math.isfinite(history[-1]):
            reason = "the loss became NaN or infinite; try a lower style strength or learning rate"
            break
        if progress is not None:
            image, aux = opt.current()
            preview = None
            if settings.preview_every and (i // settings.preview_every > last_preview // settings.preview_every
                                            or i in (1, n)):
                preview = (to_numpy(image) * 255 + 0.5).astype(np.uint8)
                last_preview = i
            progress(Progress(i, n, history[-1], dict(zip(names, aux.tolist())), time.perf_counter() - start,
                              preview, stage, stage_index, stages))
        if converged(history, *converge):  # read at the sync points only
            break
    history += opt.losses_since(len(history) + 1)
    image, loss, _ = opt.best()
    return Result(
        image=to_numpy(image),
        loss=float(loss),
        iterations=len(history),
        cancelled=reason == "cancelled",
        stopped_reason=reason,
        history=history,
        evaluations=opt.iteration + 1,
    )
