"""Sessions: save/load, recent sessions, autosave and crash recovery; the AdaIN preview; --self-test."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QMessageBox

from resources import sample_path

ROOT = Path(__file__).resolve().parents[2]


def paint(window, key, region, box):
    mask = window.doc.mask(key)
    y0, y1, x0, x1 = box
    mask.label[y0:y1, x0:x1] = region
    mask.cover[y0:y1, x0:x1] = 255


def test_session_round_trip(window, qtbot, tmp_path, set_options, prefs):
    window.add_style(str(sample_path("style2")))
    paint(window, "content", 2, (10, 40, 20, 60))
    window.doc.region_styles = {2: 1}
    set_options(window, style_strength=2.5, seed=9)
    path = tmp_path / "work.nss"
    assert window.sessions.save(path=str(path))
    data = json.loads(path.read_text())
    assert data["styles"][1].endswith(sample_path("style2").name) and "content" in data["masks"]

    from gui.main_window import MainWindow

    other = MainWindow(prefs=prefs, state_dir=tmp_path / "state2", load_samples=False)
    qtbot.addWidget(other)
    assert other.sessions.load(str(path))
    assert len(other.doc.styles) == 2 and other.doc.region_styles == {2: 1}
    assert np.array_equal(other.doc.masks["content"].hard_labels(), window.doc.masks["content"].hard_labels())
    assert np.array_equal(other.doc.masks["content"].cover, window.doc.masks["content"].cover)
    s = other.model.settings
    assert s.style_strength == 2.5 and s.seed == 9
    assert other.prefs.recent("sessions")[0] == str(path)
    assert [a.text() for a in other.menus.recent_sessions_menu.actions()] == [str(path), "", "Clear the list"]


def test_soft_brush_edges_survive_a_session(window, tmp_path):
    mask = window.doc.mask("content")
    mask.dab(60, 40, 12, 0.2, 3)
    assert 0 < ((mask.cover > 0) & (mask.cover < 255)).sum()
    path = tmp_path / "soft.nss"
    assert window.sessions.save(path=str(path))
    from gui.session import read_session

    doc, _ = read_session(path)
    assert np.array_equal(doc.masks["content"].cover, mask.cover)
    assert np.array_equal(doc.masks["content"].label, mask.label)


def test_the_result_survives_a_session_and_can_be_exported(window, qtbot, tmp_path, prefs):
    rng = np.random.default_rng(0)
    h, w = window.doc.content.rgb.shape[:2]
    window.doc.result = rng.random((h, w, 3), dtype=np.float32)
    window.doc.result_settings = '{"seed": 4}'
    path = tmp_path / "with-result.nss"
    assert window.sessions.save(path=str(path))

    from gui.main_window import MainWindow

    other = MainWindow(prefs=prefs, state_dir=tmp_path / "state3", load_samples=False)
    qtbot.addWidget(other)
    assert other.sessions.load(str(path))
    np.testing.assert_allclose(other.doc.result, window.doc.result, atol=0.5 / 255 + 1e-6)  # kept at 8 bits
    assert other.doc.result_settings == '{"seed": 4}'
    assert other.view.shown_key == "result" and "result" in other.doc.keys()
    out = tmp_path / "again.png"
    assert other.runner.write(str(out), 8)
    assert out.is_file()


def test_a_version_1_session_reads_its_masks_as_hard(window, tmp_path):
    paint(window, "content", 2, (10, 40, 20, 60))
    data = window.sessions.current()
    del data["covers"]
    data["version"] = 1
    path = tmp_path / "old.nss"
    path.write_text(json.dumps(data))
    from gui.session import read_session

    doc, _ = read_session(path)
    assert np.array_equal(doc.masks["content"].hard_labels(), window.doc.masks["content"].hard_labels())
    assert set(np.unique(doc.masks["content"].cover)) <= {0, 255}


def test_a_broken_session_shows_a_dialog(window, tmp_path):
    path = tmp_path / "broken.nss"
    path.write_text("{not json")
    assert not window.sessions.load(str(path))
    assert any("cannot be opened" in b.text() for b in window.findChildren(QMessageBox) if b.isVisible())
    assert window.doc.content is not None  # the old work is still there


def test_autosave_and_recovery_after_a_crash(window, qtbot, tmp_path, prefs):
    paint(window, "content", 1, (0, 30, 0, 30))
    window.sessions.mark_dirty()
    assert window.sessions.autosave()
    autosave = window.sessions.autosave_path
    assert autosave.is_file()
    assert not window.sessions.autosave()  # nothing changed since: not written again
    window.sessions.mark_dirty()
    assert window.sessions.autosave()
    # a crash: the window never closes cleanly, so the autosave stays
    from gui.main_window import MainWindow

    again = MainWindow(prefs=prefs, state_dir=tmp_path / "state", load_samples=False)
    qtbot.addWidget(again)
    assert again.sessions.offer_recovery(ask=lambda: True)
    assert again.doc.content is not None and not again.doc.masks["content"].is_empty()
    again.close()
    assert not autosave.exists()  # a clean close removes it: no recovery offer next time


def test_an_option_change_reaches_the_autosave(window, set_options):
    window.sessions.autosave()
    assert not window.sessions.autosave()
    set_options(window, seed=77)
    assert window.sessions.autosave()
    data = json.loads(window.sessions.autosave_path.read_text())
    assert data["settings"]["seed"] == 77


def test_declining_recovery_discards_the_autosave(window, qtbot):
    window.sessions.mark_dirty()
    window.sessions.autosave()
    assert not window.sessions.offer_recovery(ask=lambda: False)
    assert not window.sessions.autosave_path.exists()


def test_adain_instant_preview_appears_when_a_style_is_added(window, qtbot):
    window.runner.instant_enabled = True
    window.runner.instant_size = 64
    with qtbot.waitSignal(window.runner.controller.idle, timeout=60000):
        window.add_style(str(sample_path("style2")))
    assert window.view.instant_image is not None and max(window.view.instant_image.shape[:2]) == 64
    assert window.view.shown_key == "result" and window.canvas.image_size() == window.view.instant_image.shape[1::-1]
    assert window.doc.result is None  # only a preview: Run makes the real result


def test_self_test_command_exits_0():
    proc = subprocess.run(
        [sys.executable, "main.py", "--self-test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "self-test passed" in proc.stdout
