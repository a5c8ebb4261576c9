"""The run strip's status line: a long message never widens the window and is never cut mid-word unseen."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.run_panel import RunPanel

LONG = "Instant preview (AdaIN) ready; press Run for the full picture, which takes about a minute on this computer."


def test_a_long_status_is_elided_with_the_whole_text_in_its_tooltip(qtbot):
    host = QWidget()
    QVBoxLayout(host).addWidget(panel := RunPanel(host))
    qtbot.addWidget(host)
    host.resize(420, 120)
    host.show()
    qtbot.waitExposed(host)
    width_before = host.width()
    panel.end(LONG)
    qtbot.waitUntil(lambda: panel.status.isVisible())
    assert host.width() == width_before  # the message did not widen anything
    assert panel.status.text() == LONG and panel.status.toolTip() == LONG
    shown = panel.status.fontMetrics().elidedText(
        LONG, Qt.TextElideMode.ElideRight, panel.status.contentsRect().width()
    )
    assert shown.endswith("…") and len(shown) < len(LONG)  # the premise: the message is longer than the line
    plain = QLabel(shown, host)  # what the line must look like: the elided text, drawn whole
    plain.setGeometry(panel.status.geometry())
    plain.setFont(panel.status.font())
    assert panel.status.grab().toImage() == plain.grab().toImage()
