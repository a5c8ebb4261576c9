"""Before Qt starts: check the system libraries Qt and, on X11 (the xcb
platform), its platform plugin need, so a fresh desktop hears which one is missing in one
sentence instead of Qt's long "could not load the Qt platform plugin" text.

The list is the direct dependencies (readelf -d) of PySide6's libqxcb.so,
libQt6XcbQpa, libQt6Gui, libQt6Widgets and libQt6DBus that a minimal Debian
lacks, in load order (a library's own dependencies come before it), with the
Debian package that holds each.
"""

from __future__ import annotations

import ctypes
import os
import sys

QT_ANY = (  # loaded by libQt6Gui, libQt6DBus and PySide6's QtGui on every platform, offscreen too
    ("libxcb.so.1", "libxcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libglib-2.0.so.0", "libglib2.0-0"),
    ("libgthread-2.0.so.0", "libglib2.0-0"),
    ("libfreetype.so.6", "libfreetype6"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libEGL.so.1", "libegl1"),
    ("libGL.so.1", "libgl1"),
)
XCB = (  # the X11 platform plugin (libqxcb.so, libQt6XcbQpa) on top
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
)
NEEDED = QT_ANY + XCB


def install_line(needed=NEEDED) -> str:
    return "sudo apt-get install " + " ".join(dict.fromkeys(pkg for _, pkg in needed))


def uses_xcb(environ=os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will start its X11 platform: Linux, and xcb asked for or no other platform named."""
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if asked:
        return asked == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def missing_library(needed=NEEDED) -> tuple[str, str] | None:
    """The first (soname, package) that cannot be loaded, or None."""
    for soname, package in needed:
        try:
            ctypes.CDLL(soname)
        except OSError:
            return soname, package
    return None


def check(needed=None, environ=os.environ) -> int:
    """0 when the window can start; otherwise print one sentence and return 2."""
    if not sys.platform.startswith("linux"):
        return 0
    needed = needed if needed is not None else QT_ANY + (XCB if uses_xcb(environ) else ())
    missing = missing_library(needed)
    if missing is None:
        return 0
    soname, package = missing
    print(
        f"The window needs the system library {soname}; install it with: sudo apt-get install {package} "
        f"(all the window needs: {install_line()}).",
        file=sys.stderr,
    )
    return 2
