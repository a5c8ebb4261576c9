"""The loop without host reads (engine/optim/sync_free.py, engine/optim/loop.py),
tested on the CPU: the same code runs on a GPU, where the reads are syncs."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch.overrides import TorchFunctionMode

from engine.image.io import resize_to
from engine.image.tensors import to_tensor
from engine.losses.objective import build_objective
from engine.optim.loop import optimise
from engine.optim.step_rules import sync_free
from engine.optim.sync_free import DeviceLBFGS
from engine.optim.task import Task
from engine.pipeline.run import stylize
from engine.settings import Settings

HOST_READS = {"item", "tolist", "__float__", "__bool__", "__int__", "__index__", "cpu", "numpy"}


class HostReads(TorchFunctionMode):
    """Records every tensor method that brings a value to the host (a sync on
    a GPU), with the number of loss evaluations done when it happened."""

    def __init__(self, evaluations: list):
        super().__init__()
        self.evaluations = evaluations
        self.at: list[tuple[int, str]] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in HOST_READS:
            self.at.append((self.evaluations[0], name))
        return func(*args, **(kwargs or {}))


def quadratic(a: torch.Tensor):
    def evaluate(x):
        x = x.detach().requires_grad_(True)
        f = 0.5 * (a * x * x).sum()
        (g,) = torch.autograd.grad(f, x)
        return f.detach(), g, f.detach().reshape(1)

    return evaluate


def test_device_lbfgs_solves_an_ill_conditioned_quadratic():
    torch.manual_seed(0)
    a = torch.logspace(0, 3, 200, dtype=torch.float64).float()  # condition number 1000
    x0 = torch.randn(200)
    opt = DeviceLBFGS(quadratic(a), x0, history=20, iterations=200)
    for _ in range(200):
        opt.step()
    start, end = float(0.5 * (a * x0 * x0).sum()), float(opt.best()[1])
    assert end < 1e-10 * start  # torch's L-BFGS with a Wolfe line search: 8e-13 after 213 evaluations
    losses = opt.losses_since(0)
    assert all(b <= a_ for a_, b in zip(losses, losses[1:]))  # an accepted step never raises the loss


def two_loop(g, pairs, gamma):
    """The textbook two-loop recursion (Nocedal & Wright, Algorithm 7.4), float64."""
    q, alphas = g.clone(), []
    for s, y in reversed(pairs):
        a = (s @ q) / (y @ s)
        q -= a * y
        alphas.append(a)
    r = gamma * q
    for (s, y), a in zip(pairs, reversed(alphas)):
        r += s * (a - (y @ r) / (y @ s))
    return -r


def every_third_rejected(evaluate):
    """The loss of every third trial point made too high to accept."""
    calls = [0]

    def bumped(x):
        f, g, aux = evaluate(x)
        calls[0] += 1
        return (f + 1e6 if calls[0] % 3 == 0 else f), g, aux

    return bumped


@pytest.mark.parametrize("rejects", [False, True])  # with rejections the kept W g must stay right
@pytest.mark.parametrize("small", [torch.float64, torch.float32])  # float32: Apple's Metal
@pytest.mark.parametrize("steps", [3, 7, 12])  # fewer pairs than the history, exactly full, wrapped round
def test_compact_direction_equals_the_two_loop_recursion(steps, small, rejects):
    torch.manual_seed(1)
    a = torch.logspace(0, 2, 50)
    evaluate = every_third_rejected(quadratic(a)) if rejects else quadratic(a)
    opt = DeviceLBFGS(evaluate, torch.randn(50), history=7, iterations=steps, small_dtype=small)
    pairs = []  # on a convex quadratic every pair passes the curvature test
    for _ in range(steps):
        opt.step()
        slot = (opt.stored - 1) % opt.m
        pairs.append((opt.W[slot, 0].double(), opt.W[slot, 1].double()))
    pairs = pairs[-opt.m :]
    if rejects:
        losses = opt.losses_since(0)
        assert any(b == a_ for a_, b in zip(losses, losses[1:]))  # some steps really were undone
    expected = two_loop(opt.g.double(), pairs, float(opt.gamma))
    torch.testing.assert_close(opt.direction().double(), expected, rtol=1e-4, atol=1e-6)


def test_direction_costs_the_same_operations_whatever_the_history():
    """The compact form queues a fixed number of kernels (the two-loop
    recursion queues four per stored pair: with 100 pairs, 400 launches)."""
    from torch.utils._python_dispatch import TorchDispatchMode

    class Count(TorchDispatchMode):
        def __init__(self):
            super().__init__()
            self.ops = 0

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            self.ops += 1
            return func(*args, **(kwargs or {}))

    counts = {}
    for history in (5, 100):
        opt = DeviceLBFGS(quadratic(torch.linspace(1, 10, 300)), torch.randn(300), history=history, iterations=120)
        for _ in range(110):
            opt.step()
        with Count() as c:
            opt.direction()
        counts[history] = c.ops
    assert counts[100] == counts[5] < 60  # aten calls, views included


def test_device_lbfgs_rejects_a_step_into_nan_and_carries_on():
    def evaluate(x):
        x = x.detach().requires_grad_(True)
        f = (x * x).sum()
        bad = (x.abs() > 1.5).any()
        f = torch.where(bad, torch.tensor(float("nan")), f)  # the loss is undefined beyond |x| > 1.5
        (g,) = torch.autograd.grad(f, x)
        return f.detach(), torch.nan_to_num(g), f.detach().reshape(1)

    opt = DeviceLBFGS(evaluate, torch.ones(4), history=5, iterations=30, radius=1.0)
    for _ in range(30):
        opt.step()
    x, f, _ = opt.best()
    assert torch.isfinite(f) and float(f) < 1e-6
    assert torch.isfinite(x).all()


def run(objective, content, settings, progress=None, should_stop=None):
    return optimise(Task(objective, content, settings, settings.iterations), progress, should_stop)


@pytest.fixture(scope="module")
def small_problem(cat_rgb, starry_rgb):
    dev = torch.device("cpu")
    content = to_tensor(cat_rgb, dev)
    style = to_tensor(resize_to(starry_rgb, cat_rgb.shape[1::-1]), dev)
    settings = Settings(quality="custom", size=96, iterations=40, preview_every=0, precision="fp32")
    return build_objective(content, [style], [1.0], settings, dev, torch.float32), content, settings


def test_sync_free_lbfgs_is_as_good_as_torch_lbfgs_for_the_same_evaluations(small_problem):
    objective, content, settings = small_problem
    wolfe = run(objective, content, settings.replace(step_rule="wolfe"))
    # Give the sync-free loop the evaluations the line search used (one per iteration, plus the first).
    free = run(objective, content, settings.replace(step_rule="sync-free", iterations=wolfe.evaluations - 1))
    assert free.evaluations == wolfe.evaluations
    start = float(sum(objective.terms(content).values()))
    assert free.loss < 0.2 * start  # it really optimises
    assert free.loss < 1.15 * wolfe.loss
    assert all(b <= a for a, b in zip(free.history, free.history[1:]))


def test_sync_free_loop_reads_the_device_only_every_n_iterations(small_problem):
    objective, content, settings = small_problem
    evaluations = [0]
    terms = objective.terms

    def counted(x):
        evaluations[0] += 1
        return terms(x)

    reports = []
    with HostReads(evaluations) as reads:
        result = run(
            SimpleNamespace(terms=counted),
            content,
            settings.replace(step_rule="sync-free", sync_every=5, iterations=20, preview_every=10),
            reports.append,
            lambda: False,
        )
    assert [p.iteration for p in reports] == [1, 5, 10, 15, 20]
    assert [p.preview is not None for p in reports] == [True, False, True, False, True]
    assert len(result.history) == 20
    # Evaluation k + 1 ends iteration k (the first evaluation scores the start).
    # Reads happen at the sync points and once when the loop ends, never between.
    read_after = sorted({k - 1 for k, _ in reads.at})
    assert read_after == [1, 5, 10, 15, 20]
    assert reports[-1].loss == pytest.approx(result.loss, rel=1e-6)
    assert set(reports[-1].losses) == {"content", "style", "tv", "range"}


def test_stop_in_the_sync_free_loop_keeps_the_best_image(small_problem):
    objective, content, settings = small_problem
    calls = []

    def stop_after_three():
        calls.append(1)
        return len(calls) > 3

    result = run(objective, content, settings.replace(step_rule="sync-free", sync_every=10), None, stop_after_three)
    assert result.cancelled and result.iterations == 3
    assert result.loss == pytest.approx(min(result.history), rel=1e-6)
    first = float(sum(objective.terms(content).values()))
    assert result.loss < first
    changed = np.abs(result.image - content[0].permute(1, 2, 0).numpy()).mean()
    assert changed > 1e-3


def test_sync_free_adam_runs_the_pipeline_and_keeps_the_best(cat_rgb, starry_rgb):
    s = Settings(
        quality="custom", size=64, iterations=15, preview_every=0, optimizer="adam", step_rule="sync-free", sync_every=4
    )
    result = stylize(cat_rgb, [starry_rgb], s)
    assert len(result.history) == 15
    assert result.loss <= min(result.history) + 1e-6
    assert result.loss < 0.5 * result.history[0]


def test_auto_step_rule_is_sync_free_except_on_metal():
    s = Settings()
    assert sync_free(s, torch.device("cpu")) and sync_free(s, torch.device("cuda"))
    assert not sync_free(s, torch.device("mps"))
    assert sync_free(s.replace(step_rule="sync-free"), torch.device("mps"))
    assert not sync_free(s.replace(step_rule="wolfe"), torch.device("cuda"))
