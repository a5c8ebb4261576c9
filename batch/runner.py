"""The driver's side of a batch, whichever executor renders the jobs.

Executors tell a Driver when a job starts, how far it is and what came out;
the Driver writes each result under its name as it arrives, keeps
batch.json current and draws the progress. It never renders anything, so
the local and the Ray executor write the same files the same way.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from engine.image.names import free_name

from .jobs import Record, write_atomic
from .work import Outcome


class Display:
    """Progress over the jobs and within the running ones, on stderr."""

    def __init__(self, total: int, quiet: bool, stream=None):
        self.total, self.quiet = total, quiet
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.finished = 0
        self.running: dict[str, tuple[int, int]] = {}
        self.last_line = 0.0

    def progress(self, name: str, iteration: int, total: int) -> None:
        self.running[name] = (iteration, total)
        self._draw(force=False)

    def job_finished(self, name: str, status: str, reason: str = "") -> None:
        self.running.pop(name, None)
        self.finished += 1
        if self.quiet and status == "done":
            return
        why = f": {reason}" if reason else ""
        self._clear()
        self.stream.write(f"[{self.finished}/{self.total}] {name} {status}{why}\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        self._clear()
        self.stream.write(f"note: {text}.\n")
        self.stream.flush()

    def _draw(self, force: bool) -> None:
        if self.quiet or not self.running:
            return
        now = time.monotonic()
        if not self.tty and not force and now - self.last_line < 5:
            return
        self.last_line = now
        parts = []
        for name, (it, total) in list(self.running.items())[:3]:
            filled = int(20 * it / max(1, total))
            parts.append(f"{name} [{'#' * filled}{'.' * (20 - filled)}] {it}/{total}")
        line = f"jobs {self.finished}/{self.total}  " + "  ".join(parts)
        self.stream.write(f"\r{line[:160]} " if self.tty else line + "\n")
        self.stream.flush()

    def _clear(self) -> None:
        if self.tty and not self.quiet:
            self.stream.write("\r" + " " * 162 + "\r")


class Driver:
    """Writes outcomes into OUTDIR and keeps batch.json; executors call it."""

    def __init__(self, outdir: Path, record: Record, names: list[str], display: Display):
        self.outdir, self.record, self.names, self.display = Path(outdir), record, names, display
        self.stopping = False  # set by Ctrl-C / SIGTERM: no new job starts, running ones save and stop
        self.hard_stop = False  # a second signal: the executor gives up on running jobs at once
        self.signal = 0

    def stop(self, signum: int) -> None:
        if self.stopping:
            self.hard_stop = True
        else:
            self.stopping, self.signal = True, signum

    def started(self, name: str, pid: int = 0) -> None:
        """A job's attempt began (pid: the process rendering it, for a Ray worker)."""
        self.record.mark(name, "running")

    def progress(self, name: str, iteration: int, total: int) -> None:
        self.display.progress(name, iteration, total)

    def failed(self, name: str, reason: str) -> None:
        self.record.mark(name, "failed", reason=reason)
        self.display.job_finished(name, "failed", reason)

    def finished(self, outcome: Outcome) -> None:
        name = outcome.name
        if not outcome.ok:
            return self.failed(name, outcome.reason)
        try:
            if outcome.sidecar is not None:
                write_atomic(self.outdir / (name + ".json"), outcome.sidecar.encode())
            write_atomic(self.outdir / name, outcome.image)
        except OSError as exc:
            return self.failed(name, f"could not write {self.outdir / name} ({exc.strerror or exc})")
        self._write_snapshots(outcome)
        status = "interrupted" if outcome.cancelled else "done"
        n = outcome.iterations
        reason = (
            f"stopped after {n} iteration{'s' if n != 1 else ''}; the best image so far is saved to {self.outdir / name}"
            if outcome.cancelled
            else ""
        )
        self.record.mark(
            name,
            status,
            reason=reason,
            output=name,
            seconds=outcome.seconds,
            iterations=outcome.iterations,
            loss=None if outcome.loss != outcome.loss else outcome.loss,
        )
        self.display.job_finished(name, status, reason)

    def _write_snapshots(self, outcome: Outcome) -> None:
        """--save-every images beside the output, never over a file already there; a failed one is a note."""
        for file_name, data in outcome.snapshots:
            target = free_name(self.outdir / file_name)
            try:
                write_atomic(target, data)
            except OSError as exc:
                self.display.note(f"could not save the snapshot {target} ({exc.strerror or exc}); the batch goes on")
                return

    def summary(self) -> tuple[str, int]:
        """The one-line summary and the exit status: 0, 1 if any job failed, 128+signal if stopped."""
        c = self.record.counts(self.names)
        line = f"{c['done']} of {len(self.names)} done, {c['failed']} failed"
        if c["interrupted"] or c["queued"] or c["running"]:
            line += f", {c['interrupted'] + c['running']} interrupted, {c['queued']} not started"
        where = f"outputs and batch.json in {self.outdir}"
        if self.stopping:
            return f"Batch interrupted: {line}; {where}; run the same command again to resume.", 128 + self.signal
        if c["failed"]:
            return f"Batch finished with failures: {line} (reasons in {self.record.path}).", 1
        return f"Batch finished: {line}; {where}.", 0
