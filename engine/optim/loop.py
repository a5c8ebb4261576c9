"""The optimisation loop: L-BFGS or Adam over the pixels, with progress,
previews, cancellation and best-image tracking once per iteration.

CPUs and NVIDIA GPUs take the loop without host reads by default
(engine/device_loop.py); this one, with torch's strong-Wolfe line search, is
--step-rule wolfe and Apple's Metal."""
from __future__ import annotations

import time

import numpy as np
import torch

from .compiled import LossTerms
from .errors import Cancelled
from .progress import Progress, Result
from .schedule import converged

# L-BFGS skips its curvature update when y.s < 1e-10, which small losses
# (low style strengths, texture-only runs) reach quickly; the objective the
# optimiser sees is scaled by this constant. Reported losses are unscaled.
OBJECTIVE_SCALE = 1e4


class _Done(Exception):
    """All iterations are done (raised from the closure to leave step())."""


def to_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().float().clamp(0, 1)[0].permute(1, 2, 0).cpu().numpy()


def sync_free(settings, device: torch.device) -> bool:
    """Whether this run uses the loop without host reads (engine/device_loop.py)."""
    if settings.step_rule == "auto":  # Apple's Metal keeps the line search: the sync-free loop is untried there
        return device.type in ("cpu", "cuda")
    return settings.step_rule == "sync-free"


def optimise(objective, x0, settings, progress, should_stop, stage, stage_index, stages,
             converge: tuple[int, float] = (0, 0.0)) -> Result:
    """Run settings.iterations iterations, or fewer when `converge` = (window,
    tolerance) finds that the loss has settled (engine.schedule.converged)."""
    loss_terms = LossTerms(objective, settings)
    if sync_free(settings, x0.device):
        from .device_loop import optimise_on_device

        result = optimise_on_device(loss_terms, x0, settings, progress, should_stop, stage, stage_index, stages,
                                    converge)
    else:
        result = _optimise_wolfe(loss_terms, x0, settings, progress, should_stop, stage, stage_index, stages,
                                 converge)
    if loss_terms.note:
        result.notes.append(loss_terms.note)
    return result


def _optimise_wolfe(loss_terms, x0, settings, progress, should_stop, stage, stage_index, stages,
                    converge=(0, 0.0)) -> Result:
    x = x0.detach().clone().requires_grad_(True)
    n = settings.iterations
    if settings.optimizer == "lbfgs":
        # One step() call runs all iterations, with a strong-Wolfe line search.
        # This departs from "one step() per iteration": torch's L-BFGS re-entered
        # with max_iter=1 and a line search stalls after two iterations, and
        # without a line search the first quasi-Newton steps overshoot by orders
        # of magnitude. Progress, previews and cancellation happen in the
        # closure, once per iteration. Tolerances are 0 so that only the
        # iteration count (or the caller) ends a run.
        opt = torch.optim.LBFGS(
            [x], lr=settings.learning_rate, max_iter=n, max_eval=4 * n + 10,
            history_size=settings.lbfgs_history, tolerance_grad=0.0, tolerance_change=0.0,
            line_search_fn="strong_wolfe",
        )
    else:
        opt = torch.optim.Adam([x], lr=0.02 * settings.learning_rate)

    best = {"loss": float("inf"), "image": x0.detach().clone()}
    history: list[float] = []
    start = time.perf_counter()
    evals = [0]

    def iteration_now() -> int:
        if settings.optimizer == "lbfgs":
            return opt.state[x].get("n_iter", 0) if x in opt.state else 0
        return len(history) + 1

    def report(i: int, value: float, terms: dict) -> None:
        history.append(value)
        if progress is None:
            return
        preview = None
        if settings.preview_every and (i % settings.preview_every == 0 or i in (1, n)):
            preview = (to_numpy(x) * 255 + 0.5).astype(np.uint8)
        progress(Progress(i, n, value, terms, time.perf_counter() - start, preview, stage, stage_index, stages))

    def closure():
        if should_stop is not None and should_stop():
            raise Cancelled()
        opt.zero_grad(set_to_none=True)
        terms = loss_terms(x)
        total = sum(terms.values())
        (total * OBJECTIVE_SCALE).backward()
        evals[0] += 1
        value = float(total.detach())
        if not np.isfinite(value):
            raise FloatingPointError()
        if value < best["loss"]:
            best["loss"], best["image"] = value, x.detach().clone()
        i = iteration_now()
        if i > n:  # a re-entered step() would run past the iteration count
            raise _Done()
        if i > len(history):
            report(i, value, {k: float(v.detach()) for k, v in terms.items()})
            if converged(history, *converge):
                raise _Done()
        return total.detach() * OBJECTIVE_SCALE

    reason = ""
    try:
        if settings.optimizer == "lbfgs":
            while n and len(history) < n:
                before = len(history)
                opt.step(closure)
                if len(history) == before:  # a zero step: nothing more to gain
                    break
        else:
            for _ in range(n):
                opt.step(closure)
                with torch.no_grad():
                    x.clamp_(0, 1)
                if converged(history, *converge):
                    break
            with torch.no_grad():  # score the last step's image too
                final = float(sum(loss_terms(x).values()))
            if final < best["loss"]:
                best["loss"], best["image"] = final, x.detach().clone()
    except _Done:
        pass
    except Cancelled:
        reason = "cancelled"
    except FloatingPointError:
        reason = "the loss became NaN or infinite; try a lower style strength or learning rate"
    return Result(
        image=to_numpy(best["image"]),
        loss=best["loss"],
        iterations=len(history),
        cancelled=reason == "cancelled",
        stopped_reason=reason,
        history=history,
        evaluations=evals[0],
    )
