"""Crash recovery brings back the interrupted result, and autosaves are atomic
(issue 12, section 6)."""

import json
import os

import pytest

from gui.main_window import MainWindow
from gui.session import write_session


def _autosaved(window) -> dict:
    path = window.sessions.autosave_path
    return json.loads(path.read_text()) if path.is_file() else {}


def test_an_interrupted_run_comes_back_with_its_result(window, qtbot, set_options, prefs, tmp_path):
    set_options(window, size=64, iterations=400, preview_every=2)
    window.sessions.result_autosave_s = 0.0  # every preview; a user's run waits 30 s between saves
    window.acts["run"].trigger()
    qtbot.waitUntil(lambda: "result" in _autosaved(window), timeout=120_000)
    with qtbot.waitSignal(window.runner.controller.idle, timeout=60_000):
        window.runner.stop()
    assert not [p for p in window.sessions.state_dir.iterdir() if p.name.startswith(".nss-")]

    # A crash leaves the autosave behind; the next start offers it.
    again = MainWindow(prefs=prefs, state_dir=window.sessions.state_dir, load_samples=False)
    qtbot.addWidget(again)
    assert again.sessions.offer_recovery(ask=lambda: True)
    assert again.doc.result is not None and max(again.doc.result.shape[:2]) <= 64
    assert again.view.shown_key == "result" and again.doc.content is not None
    assert again.sessions.dirty and again.sessions.path is None  # recovered work is unsaved work
    again.sessions.dirty = False


def test_the_result_autosave_waits_its_interval_on_a_monotonic_clock(window, tmp_path):
    import numpy as np

    s = window.sessions
    now = [1000.0]
    s.clock = lambda: now[0]
    window.runner.mode = "run"
    rgb = np.zeros((20, 30, 3), np.uint8)
    assert s.autosave_preview(rgb)
    first = s.autosave_path.stat().st_mtime_ns
    now[0] += 29.0
    assert not s.autosave_preview(rgb) and s.autosave_path.stat().st_mtime_ns == first
    now[0] += 1.0
    assert s.autosave_preview(rgb)
    window.runner.mode = "adain"
    now[0] += 100.0
    assert not s.autosave_preview(rgb)  # the instant preview is no run to recover


def test_a_failed_write_leaves_no_temporary_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "work.nss"
    target.write_text('{"old": true}')

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        write_session(target, {"format": "x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.nss"]
    assert target.read_text() == '{"old": true}'


def test_the_minute_autosave_during_a_run_keeps_the_running_result(window, qtbot, set_options):
    set_options(window, size=64, iterations=400, preview_every=2)
    s = window.sessions
    s.result_autosave_s = 1e9  # only the first preview is written by the result autosave
    previews = []
    window.runner.controller.preview.connect(previews.append)
    window.acts["run"].trigger()
    qtbot.waitUntil(lambda: len(previews) >= 2, timeout=120_000)
    s.mark_dirty()
    assert s.autosave()  # what the one-minute timer does
    assert "result" in _autosaved(window)
    with qtbot.waitSignal(window.runner.controller.idle, timeout=60_000):
        window.runner.stop()
