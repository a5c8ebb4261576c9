"""Gatys et al. style transfer: targets, the objective and the optimisation loop.

One optimiser step is one iteration, so previews, progress and cancellation
happen per iteration. L-BFGS runs with its tolerances switched off, so only
the iteration count (or the caller) ends a run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from . import losses
from .device import autocast, configure, pick_device, pick_precision
from .errors import Cancelled, StyleError
from .images import resize_long_side, resize_to
from .network import network_for
from .progress import Progress, Result
from .settings import Settings

# L-BFGS skips its curvature update when y.s < 1e-10, which small losses
# (low style strengths, texture-only runs) reach quickly; the objective the
# optimiser sees is scaled by this constant. Reported losses are unscaled.
OBJECTIVE_SCALE = 1e4


def to_tensor(rgb: np.ndarray, device: torch.device) -> torch.Tensor:
    t = torch.from_numpy(np.ascontiguousarray(rgb, dtype=np.float32)).permute(2, 0, 1)[None]
    return t.to(device).contiguous()


def to_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().float().clamp(0, 1)[0].permute(1, 2, 0).cpu().numpy()


def output_size(content: np.ndarray | None, styles: list, size: int) -> tuple[int, int]:
    """(width, height) of the output: the content's aspect, or the first style's."""
    ref = content if content is not None else styles[0]
    h, w = ref.shape[:2]
    s = size / max(h, w)
    return max(1, round(w * s)), max(1, round(h * s))


@dataclass
class Objective:
    """The loss of one run, with targets computed once."""

    net: torch.nn.Module
    settings: Settings
    device: torch.device
    dtype: torch.dtype
    content_targets: dict
    style_targets: dict
    content_w: dict
    style_w: dict

    @property
    def layers(self) -> set:
        return set(self.content_w) | set(self.style_w)

    def features(self, image: torch.Tensor, layers) -> dict:
        # The optimised image stays NCHW-contiguous (L-BFGS flattens its
        # gradient with view()); the network itself runs channels_last.
        if self.device.type in ("cpu", "cuda"):
            image = image.contiguous(memory_format=torch.channels_last)
        with autocast(self.device, self.dtype):
            return self.net(image, layers)

    def terms(self, image: torch.Tensor) -> dict:
        feats = self.features(image, self.layers)
        s = self.settings
        out = {}
        if self.content_w and s.content_weight > 0:
            out["content"] = s.content_weight * losses.content_loss(feats, self.content_targets, self.content_w)
        if self.style_w:
            out["style"] = s.style_weight * losses.style_loss(feats, self.style_targets, self.style_w)
        if s.tv_weight > 0:
            out["tv"] = s.tv_weight * losses.tv_loss(image)
        return out


def build_objective(
    content: torch.Tensor | None, styles: list[torch.Tensor], blend: list[float], settings: Settings, device, dtype
) -> Objective:
    net = network_for(settings, device)
    content_w = losses.normalise_weights(settings.content_layers) if content is not None else {}
    style_w = losses.normalise_weights(settings.style_layers) if styles and settings.style_strength > -20 else {}
    if not content_w and not style_w:
        raise StyleError("Nothing to optimise: give a content image with content layers, or style images with style layers.")
    objective = Objective(net, settings, device, dtype, {}, {}, content_w, style_w)
    with torch.no_grad():
        if content_w:
            objective.content_targets = {k: v.float() for k, v in objective.features(content, content_w).items()}
        for img, b in zip(styles, blend):
            feats = objective.features(img, style_w) if style_w else {}
            for layer, f in feats.items():
                g = b * losses.gram_matrix(f)
                prev = objective.style_targets.get(layer)
                objective.style_targets[layer] = g if prev is None else prev + g
    return objective


def initial_image(kind: str, content, styles, size_wh, seed: int, device) -> torch.Tensor:
    w, h = size_wh
    if kind == "content" and content is not None:
        return content.clone()
    if kind == "style" or (kind == "content" and content is None):
        if kind == "content" and not styles:
            kind = "noise"
        else:
            return to_tensor(resize_to(to_numpy(styles[0]), (w, h)), device)
    if kind == "noise":
        gen = torch.Generator().manual_seed(seed)
        return torch.rand(1, 3, h, w, generator=gen).to(device)
    from .images import load_image  # a file

    return to_tensor(resize_to(load_image(kind, "Init image").rgb, (w, h)), device)


def prepare_styles(styles: list[np.ndarray], out_wh, settings: Settings, device) -> list[torch.Tensor]:
    long_side = max(32, round(max(out_wh) * settings.style_scale))
    return [to_tensor(resize_long_side(s, long_side), device) for s in styles]


def stylize(
    content: np.ndarray | None,
    styles: list[np.ndarray],
    settings: Settings,
    *,
    progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    init: np.ndarray | None = None,
    stage: str = "style",
    stage_index: int = 0,
    stages: int = 1,
) -> Result:
    """Run one style transfer; RGB float arrays in, the best image out.

    `content` may be None for texture synthesis. `init` (RGB float array of
    any size) overrides ``settings.init``, e.g. for coarse-to-fine passes.
    """
    settings.validate(len(styles))
    if content is None and not styles:
        raise StyleError("Give a content image, a style image, or both.")
    device = pick_device(settings.device)
    configure(device)
    dtype = pick_precision(device, settings.precision)
    torch.manual_seed(settings.seed)

    size_wh = output_size(content, styles, settings.size)
    content_t = to_tensor(resize_to(content, size_wh), device) if content is not None else None
    style_ts = prepare_styles(styles, size_wh, settings, device)
    blend = settings.style_blend or [1.0] * len(styles)
    blend = [b / sum(blend) for b in blend]
    objective = build_objective(content_t, style_ts, blend, settings, device, dtype)

    if init is not None:
        x0 = to_tensor(resize_to(init, size_wh), device)
    else:
        x0 = initial_image(settings.init, content_t, style_ts, size_wh, settings.seed, device)
    return optimise(objective, x0, settings, progress, should_stop, stage, stage_index, stages)


def optimise(objective, x0, settings, progress, should_stop, stage, stage_index, stages) -> Result:
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
        terms = objective.terms(x)
        total = sum(terms.values())
        (total * OBJECTIVE_SCALE).backward()
        evals[0] += 1
        value = float(total.detach())
        if not np.isfinite(value):
            raise FloatingPointError()
        if value < best["loss"]:
            best["loss"], best["image"] = value, x.detach().clone()
        i = iteration_now()
        if i > len(history) and i <= n:
            report(i, value, {k: float(v.detach()) for k, v in terms.items()})
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
            with torch.no_grad():  # score the last step's image too
                final = float(sum(objective.terms(x).values()))
            if final < best["loss"]:
                best["loss"], best["image"] = final, x.detach().clone()
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
