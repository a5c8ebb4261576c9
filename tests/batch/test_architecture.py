"""batch/ stays Qt-free (the import-linter contract in pyproject, run by
tests/test_architecture.py) and imports Ray only inside functions of ray_exec."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path):
    """(module name, imported at module level?) for every import in the file."""
    tree = ast.parse(path.read_text())
    top = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((a.name, id(node) in top) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, id(node) in top


def test_batch_never_imports_qt_and_ray_only_lazily_in_ray_exec():
    for path in (ROOT / "batch").rglob("*.py"):
        for name, at_top in imports(path):
            root = name.split(".")[0]
            assert root not in {"PySide6", "PyQt5", "PyQt6", "shiboken6", "gui"}, f"{path} imports {name}"
            if root == "ray":
                assert path.name == "ray_exec.py" and not at_top, f"{path} imports Ray at module level"


def test_batch_modules_stay_small():
    for path in (ROOT / "batch").rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 300, path
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno + 1 <= 50, f"{path}:{node.lineno} {node.name}"


def test_the_batch_command_works_without_ray(tmp_path):
    """Only --executor ray needs Ray: the module graph of a local batch never reaches it."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['ray'] = None\n"
        "from cli.batch import build_batch_parser; build_batch_parser()\n"
        "import batch.local, batch.runner, batch.jobs, batch.work\n"
        "from batch.ray_exec import connect\n"
        "from engine.errors import StyleError\n"
        "try:\n    connect(None)\nexcept StyleError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "--executor ray needs Ray, which is not installed" in out.stdout
