"""What the headless commands share: exit codes, the argument parser that
answers a bad option in one line, and the video's progress line
(the render's bar is cli/progress.py)."""

from __future__ import annotations

import argparse
import sys

from engine.errors import StyleError

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 2, 130


def one_sentence(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def guarded(run, args) -> int:
    """run(args), with every failure the checks could not foresee said in one sentence: exit 2, no traceback."""
    try:
        return run(args)
    except StyleError as exc:
        print(f"error: {one_sentence(exc)}", file=sys.stderr)
    except MemoryError:
        print("error: ran out of memory; try a smaller --size.", file=sys.stderr)
    except RuntimeError as exc:  # torch's allocators say so in a RuntimeError (OutOfMemoryError is one)
        if not _out_of_memory(exc):
            raise
        print("error: ran out of memory; try a smaller --size or a lower --lbfgs-history.", file=sys.stderr)
    except OSError as exc:
        print(
            f"error: {exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}; "
            "check the files and folders named on the command line.",
            file=sys.stderr,
        )
    return EXIT_BAD_INPUT


def _out_of_memory(exc: RuntimeError) -> bool:
    text = str(exc).lower()
    return "out of memory" in text or "can't allocate memory" in text or "cannot allocate memory" in text


class Parser(argparse.ArgumentParser):
    """A bad option gets one line and a hint, not the whole usage text."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"error: {message}; see '{self.prog} --help'.\n")


def named(convert, name: str):
    """A converter argparse names in its messages, passing our sentences through."""

    def wrapped(text):
        try:
            return convert(text)
        except StyleError as exc:
            raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None

    wrapped.__name__ = name
    return wrapped


class FrameBar:
    """The progress of a video on stderr: frames done, the current frame's
    iterations, and the ETA from the later frames' pace (engine FrameProgress)."""

    def __init__(self, quiet: bool, total: int):
        self.quiet, self.tty, self.total = quiet, sys.stderr.isatty(), total
        self.done_frames, self.eta = 0, None

    def iteration(self, p) -> None:
        if self.quiet or not self.tty or p.iteration == 0:
            return
        eta = "" if self.eta is None else f"  ETA {int(self.eta) // 60}:{int(self.eta) % 60:02d}"
        sys.stderr.write(f"\rframe {self.done_frames + 1}/{self.total}  [{p.stage}] {p.iteration}/{p.total}{eta}   ")
        sys.stderr.flush()

    def frame(self, f) -> None:
        self.done_frames, self.eta = f.done, f.eta
        if self.quiet:
            return
        how = "cached" if f.cached else f"{f.seconds:.1f} s"
        line = f"frame {f.done}/{f.total} done ({how})  ETA {int(f.eta) // 60}:{int(f.eta) % 60:02d}"
        sys.stderr.write(f"\r{line}   " if self.tty else line + "\n")
        sys.stderr.flush()

    def done(self) -> None:
        if self.tty and not self.quiet:
            sys.stderr.write("\n")
