"""The run strip's status line: a long message never widens the window and is never cut mid-word unseen."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.run_panel import LossPlot, RunPanel, format_took

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


def test_the_loss_plot_names_each_term_in_its_colour_above_the_curves(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(240, 80)
    plot.add({"content": 1.0, "style": 100.0})  # the style curve runs along the very top of the plot
    plot.add({"content": 1.0, "style": 100.0})
    image = plot.grab().toImage()
    band = 2 + plot.fontMetrics().height()  # the legend's line
    text_left = plot.width() - 4 - plot.fontMetrics().horizontalAdvance("content  style")

    def reddish(x, y):
        c = image.pixelColor(x, y)
        return c.red() > 150 and c.green() < 90 and c.blue() < 120

    assert any(reddish(x, y) for x in range(text_left, plot.width()) for y in range(band))  # "style" in red
    assert not any(reddish(x, y) for x in range(text_left - 4) for y in range(band))  # no curve under the legend
    assert any(reddish(x, y) for x in range(text_left - 4) for y in range(band, plot.height()))  # it is below


def test_how_long_a_run_took_reads_as_plain_time():
    assert [format_took(s) for s in (0.4, 24.4, 60, 185, 3725)] == [
        "0 s",
        "24 s",
        "1 min 00 s",
        "3 min 05 s",
        "1 h 02 min",
    ]


def test_an_empty_loss_plot_says_what_it_will_show_instead_of_a_blank_dark_box(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(240, 80)
    image = plot.grab().toImage()
    greys = {image.pixelColor(x, y).red() for x in range(0, 240, 2) for y in range(20, 60)}
    assert max(greys) > 100  # the words, light on the dark ground
