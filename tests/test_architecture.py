"""House rules that a test can check: the engine stays Qt-free, the layers
keep their order, no module or function outgrows one idea, no import circles."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("engine", "cli", "batch", "gui")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50
# The window's long set-up functions, as they are while gui/ is reworked on
# main in parallel (issue 15 changed only its imports); they may shrink, not grow.


def _modules():
    for package in PRODUCT:
        yield from sorted((ROOT / package).rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (
        "The engine never imports Qt or the GUI",
        "The command line is a face of the engine",
        "The house's layers",
        "The faces stand on the engine",
    ):
        assert contract in result.stdout
    assert "0 broken" in result.stdout and "KEPT" in result.stdout


def test_no_engine_module_imports_qt_even_lazily():
    for path in (ROOT / "engine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"PySide6", "PyQt5", "PyQt6", "shiboken6", "gui", "cli"}, (
                    f"{path} imports {name}"
                )


def test_no_module_is_over_300_lines():
    long = {
        str(p.relative_to(ROOT)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_over_50_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                where = f"{path.relative_to(ROOT)}:{node.name}"
                if lines > MAX_FUNCTION_LINES:
                    long[where] = lines
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def _imports(path: Path, modules: set) -> set:
    """The product modules `path` imports, at any depth of its code (lazy imports count too)."""
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t:
                found.add(t)
    return found


def _cycle(graph: dict) -> list:
    """One import circle as a list of modules, or [] when there is none."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == "open":
                return stack[stack.index(n) :] + [n]
            if n not in state and (found := visit(n)):
                return found
        state[m] = "done"
        stack.pop()
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_no_import_circles():
    paths = {_name(p): p for p in _modules()}
    graph = {m: _imports(p, set(paths)) - {m} for m, p in paths.items()}
    # A package's __init__ does not count as importing its own modules' importers back.
    for m in graph:
        graph[m] = {n for n in graph[m] if not m.startswith(n + ".")}
    assert _cycle(graph) == [], " -> ".join(_cycle(graph))


def test_the_cycle_finder_can_fail():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_engine_and_cli_import_inside_functions_only_for_start_up_time():
    """Lazy imports are for start-up time and say so ("local:" on the import or just above its block)."""
    unexplained = []
    for package in ("engine", "cli"):
        for path in (ROOT / package).rglob("*.py"):
            lines = path.read_text().splitlines()
            for node in ast.walk(ast.parse("\n".join(lines))):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        above = lines[max(0, inner.lineno - 4) : inner.lineno]
                        if not any("local:" in line or "local: see" in line for line in above):
                            unexplained.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not unexplained, unexplained
