"""Running through the worker thread: previews, progress, Stop, Pause, export, responsiveness."""

import re
import time

import numpy as np
import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QMessageBox

from engine.image.write import read_settings_text


def run_and_wait(window, qtbot, timeout=60000):
    with qtbot.waitSignal(window.runner.controller.idle, timeout=timeout):
        assert window.runner.run()


def test_short_run_sends_previews_and_moves_the_progress_bar(window, qtbot):
    previews, values = [], []
    window.runner.controller.preview.connect(lambda p: previews.append(p))
    window.run_panel.bar.valueChanged.connect(values.append)
    run_and_wait(window, qtbot)
    assert previews and previews[-1].dtype == np.uint8 and previews[-1].shape[2] == 3
    assert max(values) == window.run_panel.bar.maximum() and len(set(values)) >= 2  # it moved, up to the end
    assert window.doc.result is not None and max(window.doc.result.shape[:2]) == 64
    assert window.view.shown_key == "result" and window.canvas.image_size() == window.doc.result.shape[1::-1]
    assert re.fullmatch(r"Done in \d+ s: 5 iterations", window.run_panel.status.text())  # how long it took
    assert window.run_panel.plot.series.keys() >= {"content", "style"}
    assert window.acts["run"].isEnabled() and not window.acts["stop"].isEnabled()


def test_stop_returns_the_best_result_within_one_iteration(window, qtbot, set_options):
    set_options(window, size=128, iterations=500)
    seen = []
    window.runner.controller.progress.connect(lambda p: seen.append(p.iteration))
    window.runner.run()
    assert window.acts["stop"].isEnabled()
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=60000)
    with qtbot.waitSignal(window.runner.controller.cancelled, timeout=120_000) as blocker:  # a guard, not a speed test
        at_stop = seen[-1]
        window.acts["stop"].trigger()
    result = blocker.args[0]
    assert result.cancelled
    # the iteration in flight when Stop was pressed may finish; no further one starts
    assert result.iterations <= at_stop + 2, (result.iterations, at_stop)
    qtbot.waitUntil(lambda: not window.runner.controller.is_running(), timeout=60_000)
    assert window.doc.result is not None
    assert "Stopped after" in window.run_panel.status.text()


def test_pause_holds_the_run_and_resume_finishes_it(window, qtbot, set_options):
    set_options(window, size=64, iterations=40)
    seen = []
    window.runner.controller.progress.connect(lambda p: seen.append(p.iteration))
    window.runner.run()
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=60000)
    # The worker says when it is parked; every report it sent before that has
    # been delivered by then (one thread, queued in order), so none may follow.
    with qtbot.waitSignal(window.runner.controller.holding, timeout=120_000):
        window.acts["pause"].trigger()
    assert window.acts["pause"].text() == "Resume"
    frozen = list(seen)
    assert window.runner.controller.is_running() and window.runner.controller.is_paused()
    with qtbot.waitSignal(window.runner.controller.progress, timeout=120_000) as resumed:
        window.acts["pause"].trigger()
    assert seen[: len(frozen)] == frozen and resumed.args[0].iteration == frozen[-1] + 1
    with qtbot.waitSignal(window.runner.controller.finished, timeout=120_000):
        pass
    assert seen[-1] == 40


def test_responsive_during_a_run(window, qtbot, set_options, monkeypatch):
    """The GUI thread's event loop keeps running while the worker computes: a
    10 ms timer fires between the first and the last iteration, and the task
    runs on another thread. (The longest gap is printed, not judged: a loaded
    machine may stall any thread; the speed belongs in bench/.)"""
    threads = []
    import engine.api

    real = engine.api.stylize

    def spy(*a, **k):
        threads.append(QThread.currentThread())
        return real(*a, **k)

    monkeypatch.setattr(engine.api, "stylize", spy)
    set_options(window, size=160, iterations=12, preview_every=1)
    stamps = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))
    progressed = []
    window.runner.controller.progress.connect(lambda p: progressed.append(time.perf_counter()))
    with qtbot.waitSignal(window.runner.controller.idle, timeout=120000):
        window.runner.run()
        timer.start()
    timer.stop()
    # measure between the first and last iteration: the optimisation itself
    window_stamps = [t for t in stamps if progressed[0] <= t <= progressed[-1]]
    assert len(progressed) >= 10 and len(window_stamps) >= 1
    assert threads and threads[0] is not QThread.currentThread()
    if len(window_stamps) > 1:
        print(f"max gap {np.diff(window_stamps).max() * 1000:.1f} ms over {len(progressed)} iterations")


def test_export_writes_the_file_with_settings(window, qtbot, tmp_path):
    run_and_wait(window, qtbot)
    out = tmp_path / "out.png"
    exported = []
    window.runner.exported.connect(exported.append)
    assert window.runner.export(str(out))
    assert out.is_file() and exported == [str(out)]
    text = read_settings_text(out)
    assert text and '"iterations": 5' in text
    tif = tmp_path / "out.tif"
    assert window.runner.export(str(tif), bits=16)
    from PIL import Image

    with Image.open(tif) as im:
        assert im.size == window.doc.result.shape[1::-1]


def test_export_never_overwrites_silently(window, qtbot, tmp_path, monkeypatch):
    run_and_wait(window, qtbot)
    out = tmp_path / "exists.png"
    out.write_bytes(b"precious")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    assert not window.runner.export(str(out))
    assert out.read_bytes() == b"precious" and "already exists" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.runner.export(str(out))
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_export_dialog_offers_formats_and_sizes(window, qtbot, tmp_path):
    run_and_wait(window, qtbot)
    from gui.export import ExportDialog

    dialog = ExportDialog(64, str(tmp_path / "cat.png"), window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentText("TIFF, 16-bit")
    assert dialog.path.text().endswith("cat.tif")
    assert [dialog.size.itemData(i) for i in (0, 2, 3)] == [
        64,
        128,
        256,
    ]  # as shown, 2x, 4x (more in test_export_sizes)
    assert dialog.choice() == (str(tmp_path / "cat.tif"), 16, 64)


def test_larger_export_runs_again_then_writes(window, qtbot, tmp_path, set_options):
    run_and_wait(window, qtbot)
    set_options(window, iterations=2)
    out = tmp_path / "big.png"
    with qtbot.waitSignal(window.runner.exported, timeout=60000):
        assert window.runner.export(str(out), 8, 96)
    from PIL import Image

    with Image.open(out) as im:
        assert max(im.size) == 96


def test_a_failing_run_shows_a_dialog(window, qtbot, monkeypatch):
    import engine.api

    def broken(*a, **k):
        raise RuntimeError("out of memory (simulated)")

    monkeypatch.setattr(engine.api, "stylize", broken)
    with qtbot.waitSignal(window.runner.controller.failed, timeout=10000):
        window.runner.run()
    qtbot.waitUntil(lambda: not window.runner.controller.is_running())
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "out of memory" in boxes[0].text()
    assert window.acts["run"].isEnabled()


def test_closing_during_a_run_stops_the_thread(window, qtbot, set_options):
    set_options(window, size=128, iterations=500)
    seen = []
    window.runner.controller.progress.connect(lambda p: seen.append(p))
    window.runner.run()
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=60000)
    thread = window.runner.controller._thread
    window.close()
    assert not window.runner.controller.is_running()
    assert thread is not None and thread.isFinished()


def test_before_after_split_follows_the_slider_and_a_drag(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    run_and_wait(window, qtbot)
    c = window.canvas
    assert window.view.shown_key == "result" and c.split == 0.5 and c._before is not None
    window.split_slider.setValue(20)
    assert c.split == pytest.approx(0.2)
    h = c.image_size()[1]
    start = c.image_to_widget(0.2 * c.image_size()[0], h / 2).toPoint()
    end = c.image_to_widget(0.7 * c.image_size()[0], h / 2).toPoint()
    QTest.mousePress(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(c, end)
    QTest.mouseRelease(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert abs(window.split_slider.value() - 70) <= 2 and c.split == pytest.approx(window.split_slider.value() / 100)
    window.acts["compare"].trigger()  # off
    assert c.split is None and not window.split_slider.isEnabled()


def test_a_failing_instant_preview_shows_a_dialog_too(window, qtbot, monkeypatch):
    import engine.network.adain

    def broken(*a, **k):
        raise OSError(5, "Input/output error", "decoder.pth")

    monkeypatch.setattr(engine.network.adain, "adain_stylize", broken)
    window.runner.instant_enabled = True
    with qtbot.waitSignal(window.runner.controller.failed, timeout=10000):
        window.runner.instant_preview()
    qtbot.waitUntil(lambda: not window.runner.controller.is_running())
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and boxes[0].windowTitle() == "The instant preview failed"
    assert "could not be read or written" in boxes[0].text() and "Instant AdaIN preview" in boxes[0].text()
