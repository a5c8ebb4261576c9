"""How long a run will take, from this machine's own measured speed.

Expected seconds = the planned pixel-iterations (each pass's pixels times its
*expected* iterations, since a pass may stop early when the loss settles)
times the seconds one pixel-iteration takes here. That rate is calibrated by
finished runs (``record_run``) per device, precision and thread count and
remembered in the user's cache folder; before the first run a conservative
default for the device stands in (``measure_rate`` times one small
forward+backward when half a second can be spent).
"""

from __future__ import annotations

import sys
import time

from ..network.cpu import cpu_has_fast_bf16
from ..network.usercache import read_json, write_json
from .cores import physical_cores
from .stages import plan_stages

SPEED_CACHE = "speed.json"
# Seconds per pixel-iteration before any run was timed: an fp32 VGG-19
# iteration at 512 px took about 2.2 s on 2 cores (Xeon, AVX-512), spread
# over more cores when there are more; bf16 CPUs about 2.5x faster.
DEFAULT_CPU_FP32_2CORES = 9e-6
DEFAULT_GPU = 4e-8
START_SECONDS = 3.0  # network, AdaIN start and first-call overheads of a run
SMOOTHING = 0.5  # weight of the newest run in the remembered rate


def speed_key(device: str, precision: str, threads: int) -> str:
    return f"{device}/{precision}/{threads}t"


def current_key(settings) -> str:
    """The speed key for these settings on this machine.

    Before torch is imported (the window's first second) a CPU is assumed,
    so that showing an estimate never costs the window the torch import.
    """
    if "torch" not in sys.modules and settings.device in ("auto", "cpu"):
        return _cpu_key_without_torch(settings.precision)
    from ..network.device import pick_device, pick_precision  # local: imports torch (start-up time)

    device = pick_device(settings.device)
    dtype = pick_precision(device, settings.precision)
    threads = 0
    if device.type == "cpu":
        threads = physical_cores()
    return speed_key(device.type, str(dtype).removeprefix("torch."), threads)


def _cpu_key_without_torch(precision: str) -> str:
    if precision == "auto":
        precision = "bf16" if cpu_has_fast_bf16() else "fp32"
    return speed_key("cpu", "bfloat16" if precision == "bf16" else "float32", physical_cores())


def default_rate(key: str) -> float:
    device, precision, threads = key.split("/")
    if device != "cpu":
        return DEFAULT_GPU
    rate = DEFAULT_CPU_FP32_2CORES * 2 / max(1, int(threads.rstrip("t") or 1))
    return rate / 2.5 if precision == "bfloat16" else rate


def rate(key: str) -> tuple[float, bool]:
    """(seconds per pixel-iteration, measured here?)."""
    value = read_json(SPEED_CACHE).get(key)
    if isinstance(value, (int, float)) and 0 < value < 1:
        return float(value), True
    return default_rate(key), False


def record_run(key: str, seconds: float, work: float) -> float | None:
    """Remember the speed of a finished run (seconds of work for `work` pixel-iterations)."""
    if work <= 0 or seconds <= 0:
        return None
    # the estimate adds START_SECONDS to work x rate, so the rate leaves it out (most of a short run's
    # time on a fast CPU; counting it twice made bf16 estimates 30-45% high, bench/eta.py)
    measured = max(seconds - START_SECONDS, 0.5 * seconds) / work
    data = read_json(SPEED_CACHE)
    old = data.get(key)
    new = measured if not isinstance(old, (int, float)) else SMOOTHING * measured + (1 - SMOOTHING) * old
    data[key] = new
    write_json(SPEED_CACHE, data)
    return new


def pixels(size: int, content_hw: tuple[int, int] | None) -> int:
    """Pixels of a pass whose long side is `size`, at the content's aspect."""
    if not content_hw:
        return size * size
    h, w = content_hw
    s = size / max(h, w)
    return max(1, round(w * s)) * max(1, round(h * s))


def stage_work(stages, content_hw=None) -> list[float]:
    return [float(pixels(s.size, content_hw) * getattr(s, "expected", s.iterations)) for s in stages]


def planned_work(settings, content_hw=None) -> float:
    """Pixel-iterations of the run these settings plan."""
    return sum(stage_work(plan_stages(settings), content_hw))


def expected_seconds(settings, content_hw=None, key: str | None = None) -> float:
    """The expected wall time of a run with these settings and a content of this (height, width)."""
    per = rate(key or current_key(settings))[0]
    return START_SECONDS + planned_work(settings, content_hw) * per


def export_seconds(steps: list[tuple[int, int]], content_hw, key: str) -> float:
    """Expected seconds of an export refining the result in (long side, iterations) steps."""
    per = rate(key)[0]
    return START_SECONDS + sum(pixels(s, content_hw) * n for s, n in steps) * per


def measure_rate(settings, size: int = 128) -> float:
    """Seconds per pixel-iteration from one timed forward+backward at `size` px (~0.5 s on 2 cores)."""
    # local: torch and the network load only when a rate is measured (start-up time)
    import torch

    from ..network.build import network_for
    from ..network.device import pick_device, pick_precision  # local: as above

    device = pick_device(settings.device)
    dtype = pick_precision(device, settings.precision)
    net = network_for(settings, device, dtype)
    layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1"]
    x = torch.rand(1, 3, size, size, device=device).requires_grad_(True)
    sum(f.float().square().mean() for f in net(x, layers).values()).backward()  # first-call overheads
    start = time.perf_counter()
    sum(f.float().square().mean() for f in net(x, layers).values()).backward()
    if device.type == "cuda":
        torch.cuda.synchronize()
    # small sizes use the cores less well: count a 128 px pass as 70% efficient
    return (time.perf_counter() - start) * 0.7 / (size * size)


def describe(seconds: float) -> str:
    """Plain words: 'about 40 s', 'about 2 min', 'about 1 h 10 min'."""
    if seconds < 55:
        return f"about {max(5, round(seconds / 5) * 5)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {max(1, minutes)} min"
    h, m = divmod(minutes, 60)
    return f"about {h} h {m} min" if m else f"about {h} h"


class RunClock:
    """The remaining time of a run from its plan and the pace measured so far.

    Fed every progress report with the seconds the run has been busy (pauses
    left out). The pace comes from the current pass once it has run a few
    iterations (its first iteration carries the pass's set-up), else from the
    passes before it, else from the remembered rate.
    """

    WARM = 3  # iterations of a pass before its own pace is trusted
    SETUP = 3  # a pass's set-up (targets at its size, the start image) costs about 3 of its iterations

    def __init__(self, stages, content_hw=None, prior_rate: float | None = None):
        self.pixels = [pixels(s.size, content_hw) for s in stages]
        self.expected = [getattr(s, "expected", s.iterations) for s in stages]
        self.caps = [s.iterations for s in stages]
        self.prior = prior_rate
        self.reached = [0] * len(stages)
        self._first: dict[int, tuple[int, float]] = {}  # stage -> (iteration, busy) at its first report
        self._last: dict[int, tuple[int, float]] = {}  # stage -> (iteration, busy) at its latest report
        self._stage_busy0: dict[int, float] = {}

    def done_work(self) -> float:
        return float(sum(p * n for p, n in zip(self.pixels, self.reached)))

    def _remaining_in(self, i: int, iteration: int) -> float:
        if iteration < self.expected[i]:
            return self.expected[i] - iteration
        # past its typical length the pass may end any moment: a quarter more, within the cap
        return max(0, min(self.caps[i] - iteration, max(1, self.expected[i] // 4)))

    def _own_pace(self, i: int) -> float | None:
        """Seconds per pixel-iteration of pass i between its first and latest reports (its set-up left out)."""
        (first_it, first_busy), (it, busy) = self._first[i], self._last[i]
        if it - first_it >= self.WARM - 1 and busy > first_busy:
            return (busy - first_busy) / (self.pixels[i] * (it - first_it))
        return None

    def _pace(self, i: int) -> float | None:
        if (own := self._own_pace(i)) is not None:
            return own
        for j in range(i - 1, -1, -1):  # a pass keeps the pace per pixel of the one before (bench/eta.py)
            if j in self._first and (pace := self._own_pace(j)) is not None:
                return pace
        before = sum(p * n for p, n in zip(self.pixels[:i], self.reached[:i]))
        if before > 0 and self._stage_busy0.get(i, 0) > 0:
            return self._stage_busy0[i] / before
        return self.prior

    def update(self, stage_index: int, iteration: int, busy: float) -> float | None:
        """Seconds left, or None while nothing is known."""
        i = min(max(0, stage_index), len(self.pixels) - 1)
        if i not in self._first:
            self._first[i] = (iteration, busy)
            self._stage_busy0[i] = busy
        self.reached[i] = max(self.reached[i], iteration)
        self._last[i] = (iteration, busy)
        pace = self._pace(i)
        if pace is None:
            return None
        left = self._remaining_in(i, iteration) * self.pixels[i]
        left += sum(p * (e + self.SETUP) for p, e in zip(self.pixels[i + 1 :], self.expected[i + 1 :]))
        return left * pace
