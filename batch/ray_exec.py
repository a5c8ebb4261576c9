"""The Ray executor: each job a Ray task, results written by the driver as they arrive.

Ray is imported only here, and only when `--executor ray` asks for it. A
task carries its inputs' bytes and settings and returns the encoded result
(workers need not share a file system with the driver); it asks for one CPU,
or one GPU when the job runs on cuda, so Ray packs jobs onto the cluster.
Workers are kept between tasks (max_calls=0, which Ray would otherwise set
to 1 for GPU tasks), so engine.network's per-process cache reads the weights
once per worker, not once per job. A worker that dies mid-job (killed, out
of memory, a lost node) is retried by Ray (max_retries); a job that fails
for its own reason returns a failed Outcome and is not retried
(retry_exceptions=False). A small actor, the Hub, carries progress to the
driver and the driver's Ctrl-C to the tasks.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import batch
import engine
from engine import openmp
from engine.errors import StyleError

from .jobs import Job
from .runner import Driver
from .work import payload_for, render_payload

MAX_RETRIES = 3  # worker deaths per job before the job is marked failed
REPORT_EVERY = 0.5  # seconds between a task's progress reports (each one also reads the stop flag)


def connect(address: str | None, num_cpus: int | None = None) -> bool:
    """Join the cluster at address, or start a local Ray; True if this call started it."""
    try:
        import ray  # local: Ray is optional (the 'ray' extra); this raises the one sentence
    except ImportError:
        raise StyleError(
            "--executor ray needs Ray, which is not installed; run 'pip install ray' "
            "(the tested version is pinned in requirements.txt)"
        ) from None
    if ray.is_initialized():
        return False
    _check_reachable(address)
    try:
        ray.init(
            address=address,
            num_cpus=num_cpus,
            include_dashboard=False,
            log_to_driver=False,
            logging_level="ERROR",
            runtime_env=runtime_env(),
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise StyleError(
            f"Could not start or join {where} ({str(exc).splitlines()[0].rstrip('.')}); "
            "start one with 'ray start --head' or check --ray-address"
        ) from None
    return True


def _check_reachable(address: str | None) -> None:
    """A HOST:PORT nobody answers on fails now, not after Ray's minutes of retries."""
    host, _, port = (address or "").rpartition(":")
    if "://" in (address or "") or not host or not port.isdigit():
        return  # auto, none, or a ray:// client address: Ray's own checks
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as exc:
        raise StyleError(
            f"Nothing answers at {address} ({exc.strerror or exc}); start the cluster with 'ray start "
            "--head' and give the address it prints"
        ) from None


def disconnect() -> None:
    """Stop the local Ray that connect() started (a joined cluster stays up)."""
    import ray  # local: Ray is optional (the 'ray' extra)

    ray.shutdown()


def runtime_env() -> dict:
    """Ship this program's own packages to the workers (Ray takes local folders only at ray.init);
    torch and the weights' package must be installed on every machine."""
    return {
        "py_modules": [str(Path(package.__file__).parent) for package in (engine, batch)],
        "excludes": ["__pycache__"],
        "env_vars": openmp.current(),  # the workers' torch waits as the driver's does (engine/openmp.py)
    }


class Hub:
    """Progress reports from the tasks and the driver's stop request, in one small actor."""

    def __init__(self):
        self.stopping, self.events = False, []

    def report(self, name: str, pid: int, iteration: int, total: int) -> bool:
        self.events.append((name, pid, iteration, total))
        return self.stopping

    def take(self) -> list:
        events, self.events = self.events, []
        return events

    def stop(self) -> None:
        self.stopping = True


def render_task(payload, hub):
    """One job on a worker, reporting its progress to the Hub and reading the stop flag back.

    Never ray.get in here: a task blocked in ray.get lends its CPU back to Ray,
    which starts another job on it, and then both run on one core. The Hub's
    replies are read as futures once they have arrived.
    """
    state = {"stop": False, "last": 0.0, "reply": None}

    def should_stop() -> bool:
        reply = state["reply"]
        if reply is not None and reply.done():
            state["stop"], state["reply"] = state["stop"] or reply.result(), None
        return state["stop"]

    def report(iteration: int, total: int) -> None:
        if should_stop() or state["reply"] is not None:
            return  # the last report is still on its way
        state["last"] = time.monotonic()
        state["reply"] = hub.report.remote(payload.name, os.getpid(), iteration, total).future()

    def progress(p):
        if p.iteration and (time.monotonic() - state["last"] > REPORT_EVERY or p.iteration == p.total):
            report(p.iteration, p.total)

    report(0, 0)
    return render_payload(payload, progress, should_stop)


def resources(job: Job, cluster: dict) -> dict:
    device = job.settings.get("device", "auto")
    if device == "cuda" or (device == "auto" and cluster.get("GPU", 0) > 0):
        return {"num_cpus": 1, "num_gpus": 1}
    return {"num_cpus": 1}


def run_ray(jobs: list[Job], driver: Driver) -> None:
    import ray  # local: Ray is optional (the 'ray' extra)

    hub = ray.remote(num_cpus=0)(Hub).remote()
    task = ray.remote(max_retries=MAX_RETRIES, retry_exceptions=False, max_calls=0)(render_task)
    cluster = ray.cluster_resources()
    pending = {}
    for job in jobs:
        try:
            payload = payload_for(job)
        except StyleError as exc:
            driver.failed(job.name, str(exc).rstrip("."))
            continue
        pending[task.options(**resources(job, cluster)).remote(payload, hub)] = job.name
    try:
        _collect(ray, pending, hub, driver)
    finally:
        for ref in pending:  # only after a second Ctrl-C: give up on the rest at once
            ray.cancel(ref, force=True)
        ray.kill(hub)


def _collect(ray, pending: dict, hub, driver: Driver) -> None:
    attempts, stop_sent = set(), False
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1, timeout=REPORT_EVERY)
        for name, pid, iteration, total in ray.get(hub.take.remote()):
            if (name, pid) not in attempts and name in pending.values():
                attempts.add((name, pid))  # a new process for this job: a first try or Ray's retry
                driver.started(name, pid)
            if iteration:
                driver.progress(name, iteration, total)
        if driver.stopping and not stop_sent:
            ray.get(hub.stop.remote())  # running jobs save their best image at their next iteration
            begun = {name for name, _ in attempts}
            for ref, name in pending.items():
                if name not in begun:  # still waiting for a worker: it never starts
                    ray.cancel(ref)
            stop_sent = True
        if driver.hard_stop:
            return
        for ref in done:
            name = pending.pop(ref)
            _deliver(ray, ref, name, driver, attempts)


def _deliver(ray, ref, name: str, driver: Driver, attempts: set) -> None:
    from ray.exceptions import RayTaskError, TaskCancelledError, WorkerCrashedError  # local: optional Ray

    try:
        outcome = ray.get(ref)
    except TaskCancelledError:  # stopped before it began (or just as it began): it runs on the next try
        driver.record.mark(name, "queued", reason="")
        return
    except RayTaskError as exc:  # an error of the job itself: not retried
        cause = exc.cause if getattr(exc, "cause", None) is not None else exc
        driver.failed(name, f"unexpected error ({type(cause).__name__}: {str(cause).splitlines()[0]})")
        return
    except WorkerCrashedError:
        driver.failed(name, f"its worker process died {MAX_RETRIES + 1} times (killed, out of memory or a lost node)")
        return
    except ray.exceptions.RayError as exc:
        driver.failed(name, f"Ray could not run it ({type(exc).__name__}: {str(exc).splitlines()[0]})")
        return
    if (name, outcome.pid) not in attempts:  # a quick retry can finish before the Hub hands on its first report
        attempts.add((name, outcome.pid))
        driver.started(name, outcome.pid)
    driver.finished(outcome)
