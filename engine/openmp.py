"""How long torch's OpenMP threads spin before they sleep, set before torch loads.

torch's CPU kernels run on GNU OpenMP (libgomp), whose idle threads spin 300,000 times at each
barrier before they sleep. On a machine with other busy programs (a browser, a build, another
render: what a laptop has) that spinning takes the cores the other threads are waiting for,
and a render runs 2-3x slower than it needs to. 10,000 spins cost nothing measurable on a quiet
machine and give most of that back (bench/busy_machine.py measures both, on the CPU at hand).
A value the user set in the environment is kept.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

ENV = {"GOMP_SPINCOUNT": "10000"}


def apply(environ: MutableMapping[str, str] = os.environ) -> None:
    """Before torch is imported: OpenMP reads these once, when it loads."""
    for name, value in ENV.items():
        environ.setdefault(name, value)


def current(environ: MutableMapping[str, str] = os.environ) -> dict[str, str]:
    """The values in force (the user's where set), for processes started elsewhere (Ray's workers)."""
    return {name: environ.get(name, value) for name, value in ENV.items()}
