"""The command line's progress bar on stderr, drawn by tqdm: iterations, loss, rate and ETA.

On a terminal the bar redraws in place, one bar per stage, and is closed cleanly however
the run ends (done, Ctrl-C, an error), so the next message starts on its own line. In a log
(stderr not a terminal) a plain line with the same text is written every LOG_EVERY seconds
and at the end of each stage, so logs stay readable instead of filling with carriage returns.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

LOG_EVERY = 5.0  # seconds between the lines written to a log
LOG_COLUMNS = 100  # a log has no terminal width; tqdm sizes the bar to this


class Bar:
    """Takes the engine's Progress after every iteration (iteration 0, the start image, is skipped)."""

    def __init__(self, quiet: bool, stream=None, log_every: float = LOG_EVERY):
        self.quiet, self.stream, self.log_every = quiet, stream if stream is not None else sys.stderr, log_every
        self.tty = self.stream.isatty()
        self.bar: tqdm | None = None
        self.stage: tuple | None = None
        self.stage_started = self.previous = 0.0  # the engine's elapsed seconds: at this stage's start, last report
        self.last_line = -log_every

    def __call__(self, p) -> None:
        if self.quiet or p.iteration == 0:  # iteration 0 is the start image, for windows
            return
        if (p.stage_index, p.stage) != self.stage:
            self._next_stage(p)
        postfix = f"loss={p.loss:.4g}"
        if self.tty:
            self.bar.set_postfix_str(postfix, refresh=False)
            self.bar.update(p.iteration - self.bar.n)
        else:
            self._log_line(p, postfix)
        self.previous = p.elapsed

    def _log_line(self, p, postfix: str) -> None:
        now = time.monotonic()
        if now - self.last_line >= self.log_every or p.iteration == p.total:
            line = tqdm.format_meter(
                p.iteration,
                p.total,
                p.elapsed - self.stage_started,
                ncols=LOG_COLUMNS,
                prefix=self._label(p),
                ascii=True,
                postfix=postfix,
            )
            self.stream.write(line + "\n")
            self.stream.flush()
            self.last_line = now

    def _next_stage(self, p) -> None:
        self.done()
        self.stage, self.last_line, self.stage_started = (p.stage_index, p.stage), -self.log_every, self.previous
        if self.tty:
            self.bar = tqdm(
                total=p.total, desc=self._label(p), file=self.stream, unit="it", dynamic_ncols=True, leave=True
            )
            self.bar.start_t -= p.elapsed - self.stage_started  # the stage began before its first report

    @staticmethod
    def _label(p) -> str:
        return f"[{p.stage_index + 1}/{p.stages} {p.stage}]" if p.stages > 1 else ""

    def done(self) -> None:
        """Close the bar (idempotent): the terminal's line ends and the next message starts afresh."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
