"""The local executor: one job after another in this process.

Each job goes through the same Payload -> Outcome round trip a Ray task
makes, so a batch gives the same files on either executor. The network is
built once per process (engine.network.load_network caches it).
"""

from __future__ import annotations

from engine.errors import StyleError

from .jobs import Job
from .runner import Driver
from .work import payload_for, render_payload


def run_local(jobs: list[Job], driver: Driver) -> None:
    for job in jobs:
        if driver.stopping:
            break
        driver.started(job.name)
        try:
            payload = payload_for(job)
        except StyleError as exc:
            driver.failed(job.name, str(exc).rstrip("."))
            continue
        progress = lambda p, name=job.name: p.iteration and driver.progress(name, p.iteration, p.total)
        try:
            outcome = render_payload(payload, progress, lambda: driver.stopping)
        except Exception as exc:  # a job's unforeseen failure stays that job's: the others go on
            driver.failed(job.name, f"unexpected error ({type(exc).__name__}: {exc})")
            continue
        driver.finished(outcome)
