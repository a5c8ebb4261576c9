"""Check a built bundle's shared libraries: every DT_NEEDED of every ELF file in it is either in
the bundle or a system library, and none is a library the spec trimmed (a trim that broke a
dependency). Prints the system libraries the bundle expects the user's machine to have.

    python build_spec/check_bundle.py [dist/NeuralStyleStudio]

Exit 0 if nothing trimmed is needed, 1 otherwise. Needs readelf (binutils); no Python packages.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_spec" / "neural_style_studio.spec"
NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[(.+?)\]")


def trim_patterns() -> list[str]:
    """The spec's TRIM patterns for bare library names (read from the spec's text, not run)."""
    text = SPEC.read_text(encoding="utf-8")
    block = text[text.index("TRIM = [") : text.index("\nKEEP = [")]
    libs = re.findall(r'"(lib[^"*/]+\.so)"', block)  # the GTK list: "libcairo.so", ...
    paths = re.findall(r'\("(\*?lib[^"/]+)"', block)  # "*libQt6EglFSDeviceIntegration.so*"
    return [f"{lib}*" for lib in libs] + paths


def elf_files(bundle: Path):
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    yield path


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else ROOT / "dist" / "NeuralStyleStudio").resolve()
    present = {p.name for p in bundle.rglob("*")}
    needed: dict[str, set[str]] = {}
    for path in elf_files(bundle):
        out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
        for lib in NEEDED.findall(out):
            needed.setdefault(lib, set()).add(str(path.relative_to(bundle)))
    patterns = trim_patterns()
    missing = {lib: users for lib, users in needed.items() if lib not in present}
    broken = {lib: users for lib, users in missing.items() if any(fnmatch.fnmatch(lib, p) for p in patterns)}
    print(f"{bundle}: {sum(1 for _ in elf_files(bundle))} ELF files, {len(needed)} distinct libraries needed")
    print("from the system: " + ", ".join(sorted(missing)))
    for lib, users in sorted(broken.items()):
        print(f"TRIMMED BUT NEEDED: {lib} by {', '.join(sorted(users)[:5])}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
