"""ruff's lint and format checks pass on the whole tree.

The rules live in pyproject.toml ([tool.ruff]); ruff is pinned in requirements.txt and the
`dev` extra, and run here through the interpreter running the tests, so the venv's ruff
is the one that judges.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_finds_nothing():
    done = ruff("check", "--no-cache", "--output-format", "concise", ".")
    assert done.returncode == 0, (
        f"ruff check found problems (fix with `ruff check --fix .`):\n{done.stdout}{done.stderr}"
    )


def test_ruff_format_would_change_nothing():
    done = ruff("format", "--check", "--no-cache", ".")
    assert done.returncode == 0, f"ruff format would reformat (run `ruff format .`):\n{done.stdout}{done.stderr}"
