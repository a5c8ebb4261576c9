"""The start-up check of the X11 libraries (issue 12, section 7)."""

from gui import syslibs


def test_a_missing_library_is_one_sentence_and_exit_2(capsys):
    needed = (("libxcb.so.1", "libxcb1"), ("libnss-does-not-exist.so.7", "libnss-imaginary7"))
    assert syslibs.check(needed, environ={"QT_QPA_PLATFORM": "xcb"}) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "The window needs the system library libnss-does-not-exist.so.7; "
        "install it with: sudo apt-get install libnss-imaginary7"
    )
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_x11_libraries_are_checked_only_for_x11(capsys, monkeypatch):
    monkeypatch.setattr(syslibs, "XCB", (("libnss-does-not-exist.so.7", "libnss-imaginary7"),))
    assert syslibs.check(environ={"QT_QPA_PLATFORM": "offscreen"}) == 0
    assert syslibs.check(environ={"WAYLAND_DISPLAY": "wayland-0"}) == 0
    assert capsys.readouterr().err == ""
    assert syslibs.check(environ={"DISPLAY": ":0"}) == 2
    assert "libnss-does-not-exist.so.7" in capsys.readouterr().err
    assert syslibs.uses_xcb({"DISPLAY": ":0"}, "linux") and not syslibs.uses_xcb({}, "darwin")


def test_the_install_line_names_each_package_once():
    line = syslibs.install_line()
    assert line.startswith("sudo apt-get install libxcb1 ") and line.count("libglib2.0-0") == 1
    assert syslibs.missing_library((("libc.so.6", "libc6"),)) is None


def test_the_readme_gives_the_same_install_line():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert syslibs.install_line() + "\n" in readme


def test_the_self_test_checks_the_libraries_first(capsys, monkeypatch):
    from gui.app import run_app

    monkeypatch.setattr(syslibs, "XCB", (("libnss-does-not-exist.so.7", "libnss-imaginary7"),))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert run_app(["--self-test"]) == 2  # one sentence, before the self-test opens a window
    assert "libnss-does-not-exist.so.7" in capsys.readouterr().err
