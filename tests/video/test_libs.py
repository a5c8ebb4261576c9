"""PyAV and OpenCV are the video extra: without them, one sentence that names what to install."""

import importlib.util

import pytest

from cli.video import main
from engine.video import libs


def test_missing_video_libraries_are_named_with_the_command_to_install_them(monkeypatch, capsys, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        libs.importlib.util, "find_spec", lambda name, *a: None if name in ("av", "cv2") else real(name, *a)
    )
    with pytest.raises(Exception) as info:
        libs.require_video_libs()
    assert "pip install av opencv-python-headless" in str(info.value)
    assert main([str(tmp_path / "in.mp4"), str(tmp_path / "style.jpg"), "-o", str(tmp_path / "out.mp4")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: main.py video needs av and opencv-python-headless")


def test_a_frozen_bundle_without_them_names_the_build_that_has_them(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(libs.importlib.util, "find_spec", lambda name, *a: None if name == "cv2" else real(name, *a))
    monkeypatch.setattr(libs.sys, "frozen", True, raising=False)
    with pytest.raises(Exception) as info:
        libs.require_video_libs("Export Video")
    message = str(info.value)
    assert message.startswith("Export Video needs PyAV and OpenCV") and "make app VIDEO=1" in message
    assert "pip install" not in message
