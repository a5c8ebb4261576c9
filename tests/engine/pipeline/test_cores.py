"""Torch on every core; the worker and its pool threads at a lower priority than the main thread."""

import os
import sys
import threading

import pytest
import torch

from engine.pipeline.cores import physical_cores, use_every_core


def test_physical_cores_is_a_sane_count():
    assert 1 <= physical_cores() <= (os.cpu_count() or 1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are a Linux feature")
def test_worker_and_its_pool_threads_run_niced_and_the_main_thread_does_not():
    before = {int(t) for t in os.listdir("/proc/self/task")}
    main_nice = os.getpriority(os.PRIO_PROCESS, threading.main_thread().native_id)  # 0, or more under `nice`
    seen = {}

    def work():
        seen["threads"] = use_every_core(10)
        x = torch.rand(1, 32, 64, 64)
        torch.nn.functional.conv2d(x, torch.rand(32, 32, 3, 3)).sum().item()
        seen["tid"] = threading.get_native_id()
        seen["new"] = {int(t) for t in os.listdir("/proc/self/task")} - before
        seen["nice"] = {tid: os.getpriority(os.PRIO_PROCESS, tid) for tid in seen["new"]}

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen["threads"] == physical_cores() == torch.get_num_threads()
    assert seen["tid"] in seen["new"]
    assert all(n >= 10 for n in seen["nice"].values()), seen["nice"]
    assert os.getpriority(os.PRIO_PROCESS, threading.main_thread().native_id) == main_nice
