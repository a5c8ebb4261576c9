"""A private X server for a benchmark that needs a real window (bench/startup.py, bench/bundle_start.py)."""

from __future__ import annotations

import os
import shutil
import subprocess


class Xvfb:
    """A private X server for the run, when the platform is xcb or the window must be watched."""

    def __init__(self) -> None:
        self.proc = None
        self.display = None

    def __enter__(self) -> Xvfb:
        if not shutil.which("Xvfb"):
            raise SystemExit("Xvfb is not installed (apt-get install xvfb x11-utils)")
        read, write = os.pipe()
        command = ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"]
        self.proc = subprocess.Popen(command, pass_fds=(write,), stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            self.display = ":" + f.readline().strip()
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait()
