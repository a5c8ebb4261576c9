"""Torch on every physical core, optionally at a lower priority.

The window's worker runs torch at a higher nice value instead of leaving a
core idle: the GUI thread (nice 0) then wins the CPU whenever it wants it,
and the run has every core the rest of the time.
"""

from __future__ import annotations

import os
import threading


def physical_cores() -> int:
    """Physical cores (not hyper-threads): Linux reads /proc/cpuinfo; else os.cpu_count()."""
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
    except OSError:
        return max(1, os.cpu_count() or 1)
    cores, phys = set(), "0"
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "physical id":
            phys = value.strip()
        elif key == "core id":
            cores.add((phys, value.strip()))
    return max(1, len(cores) or os.cpu_count() or 1)


def _thread_ids() -> set[int]:
    try:
        return {int(t) for t in os.listdir("/proc/self/task")}
    except OSError:
        return set()


def _renice(tid: int, nice: int) -> None:
    try:
        if os.getpriority(os.PRIO_PROCESS, tid) < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
    except (OSError, AttributeError):
        pass  # best effort: other systems, or a thread that has ended


def use_every_core(nice: int = 0) -> int:
    """Torch on all physical cores; with nice > 0, this thread and torch's pool threads run at that nice.

    Linux keeps a nice value per thread and new threads inherit their
    creator's, so the OpenMP pool that this thread's first parallel region
    creates is already lowered; a warm-up region creates it now, and any
    thread it created that did not inherit the value is reniced. Returns the
    thread count.
    """
    import torch  # local: the window imports this module before torch (start-up time)

    cores = physical_cores()
    if torch.get_num_threads() != cores:
        torch.set_num_threads(cores)
    if nice > 0 and hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        main = threading.main_thread().native_id
        before = _thread_ids()
        _renice(threading.get_native_id(), nice)
        a = torch.ones(256, 256)
        (a @ a).sum().item()  # starts this thread's intra-op pool
        for tid in _thread_ids() - before - {main}:
            _renice(tid, nice)
    return cores
