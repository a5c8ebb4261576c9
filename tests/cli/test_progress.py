"""The command line's progress bar (cli/progress.py, tqdm): what a terminal and a log see."""

import fcntl
import io
import math
import os
import select
import struct
import termios

import pytest

from cli.progress import Bar
from engine.progress import Progress


def reports(total=10, seconds_each=0.5, start=0.0, **stage):
    """The engine's reports for one stage: iteration 0 (the start image) then 1..total."""
    return [
        Progress(iteration=i, total=total, loss=1.0 / (i + 1), losses={}, elapsed=start + i * seconds_each, **stage)
        for i in range(total + 1)
    ]


def test_a_log_gets_plain_lines_with_count_loss_rate_and_eta():
    log = io.StringIO()
    bar = Bar(quiet=False, stream=log, log_every=0)
    for p in reports():
        bar(p)
    bar.done()
    lines = log.getvalue().splitlines()
    assert len(lines) == 10 and "\r" not in log.getvalue()  # iteration 0 is the start image: no line
    assert "3/10 [00:01<00:03,  2.00it/s, loss=0.25]" in lines[2]
    assert lines[-1].startswith("100%") and "10/10 [00:05<00:00" in lines[-1]


def test_a_log_is_written_sparingly_but_always_gets_the_stage_end():
    log = io.StringIO()
    bar = Bar(quiet=False, stream=log, log_every=math.inf)
    for p in reports():
        bar(p)
    lines = log.getvalue().splitlines()
    assert [line.split("|")[-1].split(" [")[0].strip() for line in lines] == ["1/10", "10/10"]


def test_each_stage_is_named_and_timed_from_its_own_start():
    log = io.StringIO()
    bar = Bar(quiet=False, stream=log, log_every=0)
    for p in reports(4, 0.5, stage="256 px", stage_index=0, stages=2)[1:]:
        bar(p)
    for p in reports(4, 2.0, start=2.0, stage="512 px", stage_index=1, stages=2)[1:]:
        bar(p)
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("[1/2 256 px]:") and "1/4 [00:00<00:01,  2.00it/s" in lines[0]
    assert lines[4].startswith("[2/2 512 px]:") and "1/4 [00:02<00:06,  2.00s/it" in lines[4]


def test_quiet_writes_nothing():
    log = io.StringIO()
    bar = Bar(quiet=True, stream=log, log_every=0)
    for p in reports():
        bar(p)
    bar.done()
    assert log.getvalue() == ""


@pytest.fixture
def terminal():
    """A real pseudo-terminal: the bar writes to its child end, the test reads the parent end."""
    parent, child = os.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns, as a terminal has
    stream = os.fdopen(child, "w", encoding="utf-8")
    yield stream, parent
    stream.close()
    os.close(parent)


def read_all(fd) -> str:
    data = b""
    while select.select([fd], [], [], 0)[0]:
        data += os.read(fd, 65536)
    return data.decode("utf-8", "replace")


def test_a_terminal_gets_one_bar_redrawn_in_place_and_a_clean_line_end(terminal):
    stream, parent = terminal
    bar = Bar(quiet=False, stream=stream)
    assert bar.tty
    for p in reports(total=5):
        bar(p)
    bar.done()
    bar.done()  # the command's finally closes it again: harmless
    stream.flush()
    seen = read_all(parent)
    assert "\r" in seen and "5/5" in seen and "it/s" in seen and "loss=" in seen
    assert seen.rstrip(" ").endswith("\n") and seen.count("\n") == 1  # one bar, ended once


def test_a_terminal_bar_counts_the_stage_from_its_start_not_from_its_first_report(terminal):
    stream, parent = terminal
    bar = Bar(quiet=False, stream=stream)
    for p in reports(total=2, seconds_each=65.0)[:2]:  # the first iteration took 65 s (warm-up, large image)
        bar(p)
    bar.done()
    stream.flush()
    assert "1/2 [01:05<" in read_all(parent)  # the engine's 65 s, not the bar's few microseconds
