"""Export refines the approved picture at the larger size; it never runs the whole schedule again."""

import numpy as np
import pytest

from engine.image.io import load_image, resize_to
from gui import jobs


def run_and_wait(window, qtbot, timeout=60000):
    with qtbot.waitSignal(window.runner.controller.idle, timeout=timeout):
        assert window.runner.run()


def export_and_wait(window, qtbot, out, long_side, timeout=120000):
    with qtbot.waitSignal(window.runner.exported, timeout=timeout):
        assert window.runner.export(str(out), 16, long_side)
    return load_image(out).rgb


def test_export_steps_refine_up_to_twice_the_result_then_enlarge():
    assert jobs.export_steps(512, 1024) == [(1024, 15)]
    assert jobs.export_steps(512, 2048) == [(1024, 15), (2048, 0)]
    assert jobs.export_steps(1024, 4096) == [(2048, 10), (4096, 0)]
    assert jobs.export_steps(600, 1024) == [(1024, 15)]


def test_with_no_extra_iterations_the_export_is_the_enlarged_result(window, qtbot, tmp_path, monkeypatch):
    run_and_wait(window, qtbot)
    approved = window.doc.result.copy()
    monkeypatch.setattr(jobs, "export_steps", lambda current, long_side: [(long_side, 0)])
    image = export_and_wait(window, qtbot, tmp_path / "big.png", 128)
    assert max(image.shape[:2]) == 128
    np.testing.assert_allclose(
        image, resize_to(approved, image.shape[1::-1]), atol=1.01 / 255
    )  # load_image reads 8 bits
    assert window.doc.result is not None and np.array_equal(window.doc.result, approved)  # still the approved one


def test_export_refines_at_the_target_size_only_and_keeps_the_look(window, qtbot, tmp_path, set_options):
    set_options(window, quality="normal", size=96, iterations=300, scales=[])  # the automatic schedule
    window.model.set_settings(window.model.settings.replace(quality="normal"))
    run_and_wait(window, qtbot, timeout=180000)
    approved = window.doc.result.copy()
    seen = []
    window.runner.controller.progress.connect(seen.append)
    image = export_and_wait(window, qtbot, tmp_path / "big.png", 192)
    steps = jobs.export_steps(96, 192)
    assert {(p.stages, p.total) for p in seen} == {(1, steps[0][1])}  # one short pass, not the schedule
    assert 1 <= len(seen) <= steps[0][1] and max(image.shape[:2]) == 192
    enlarged = resize_to(approved, image.shape[1::-1])
    plain = resize_to(resize_to(window.doc.content.rgb, approved.shape[1::-1]), image.shape[1::-1])
    # it looks like the preview at a larger size: much closer to it than to the photo
    assert np.abs(image - enlarged).mean() < 0.5 * np.abs(image - plain).mean()


def test_export_dialog_shows_the_expected_time_of_each_size(window, qtbot, tmp_path):
    run_and_wait(window, qtbot)
    from gui.export import CUSTOM, ExportDialog

    dialog = ExportDialog(64, str(tmp_path / "cat.png"), window, estimate=window.runner.export_estimate)
    qtbot.addWidget(dialog)
    assert dialog.time.text() == "immediate"
    times = {}
    for i in range(1, dialog.size.count()):
        dialog.size.setCurrentIndex(i)
        assert dialog.time.text().startswith("about "), dialog.size.currentText()
        times[dialog.long_side()] = dialog.time.text()
    assert dialog.size.currentData() == CUSTOM and dialog.custom.isEnabled()
    # refined at up to twice the result (128 px) and enlarged from there: a print takes no longer
    assert times[128] == times[4961]
    dialog.custom.setValue(16384)
    assert dialog.time.text() == times[128]


def test_the_window_shows_the_expected_time_and_follows_size_and_quality(window, qtbot, set_options):
    set_options(window, quality="normal", size=256, iterations=300, scales=[])
    window.model.set_settings(window.model.settings.replace(quality="normal"))
    small = window.run_panel.expected.text()
    assert small.startswith("Run: about ") and "256 px" in small
    assert "about" in window.acts["run"].toolTip()
    window.model.set_settings(window.model.settings.replace(size=1024, quality="fine"))
    assert window.run_panel.expected.text() != small and "1024 px" in window.run_panel.expected.text()


@pytest.mark.parametrize("instant", [False, True])
def test_previews_start_from_the_adain_look_and_never_show_the_photo(window, qtbot, set_options, instant):
    set_options(window, quality="normal", size=192, iterations=300, scales=[])
    window.model.set_settings(window.model.settings.replace(quality="normal"))
    if instant:
        window.runner.instant_enabled = True
        with qtbot.waitSignal(window.runner.controller.idle, timeout=60000):
            window.runner.instant_preview()
    photo = window.doc.content.rgb
    shown = []
    window.canvas_images = shown
    original = window.canvas.set_image

    def spy(image, *a, **k):
        if image is not None:
            ptr = image.convertToFormat(image.Format.Format_RGB888)
            arr = np.array(ptr.constBits(), np.uint8)[: ptr.height() * ptr.bytesPerLine()]
            arr = arr.reshape(ptr.height(), ptr.bytesPerLine())[:, : ptr.width() * 3].reshape(
                ptr.height(), ptr.width(), 3
            )
            shown.append(arr.astype(np.float32) / 255)
        return original(image, *a, **k)

    window.canvas.set_image = spy
    previews = []
    window.runner.controller.preview.connect(previews.append)
    run_and_wait(window, qtbot, timeout=180000)
    assert previews and max(previews[0].shape[:2]) == 96  # the AdaIN start at the first pass's size

    def like_photo(img):
        return np.abs(img - resize_to(photo, img.shape[1::-1])).mean() < 0.02

    assert shown and not any(like_photo(img) for img in shown)
