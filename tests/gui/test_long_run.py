"""The real window through a long run: at least 2,000 loss-plot updates and
repaints (issue 12, section 1: PySide6 6.12.0 aborted near iteration 285)."""

import os
import time

from PySide6.QtWidgets import QApplication


def test_a_long_run_in_the_window_finishes_and_keeps_its_result(window, qtbot, set_options):
    set_options(
        window,
        size=48,
        quality="custom",
        iterations=2000,
        preview_every=50,
        style_layers={"relu1_1": 1.0},
        content_layers={"relu1_1": 1.0},
    )  # a shallow, cheap network
    plot = window.run_panel.plot
    paints = []
    progress = window.runner.controller.progress
    progress.connect(lambda _p: (plot.repaint(), paints.append(1)))  # a repaint per update, as a busy screen would
    start = time.monotonic()
    with qtbot.waitSignal(window.runner.result_ready, timeout=600_000):
        window.acts["run"].trigger()
    elapsed = time.monotonic() - start
    print(f"\nlong run: {len(paints)} progress repaints in {elapsed:.1f} s (pid {os.getpid()})")
    assert len(paints) >= 2000
    assert window.doc.result is not None and max(window.doc.result.shape[:2]) == 48
    assert window.view.shown_key == "result"
    assert max(len(s) for s in plot.series.values()) >= 1999
    qtbot.waitUntil(lambda: window.acts["run"].isEnabled(), timeout=60_000)  # the thread has ended
    window.acts["fit"].trigger()  # the window still answers
    QApplication.processEvents()
    assert window.isVisible() and not window.runner.controller.is_running()
