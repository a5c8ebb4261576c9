"""The command tests' shared fixture: a small real disk."""

import subprocess

import pytest


@pytest.fixture
def tiny_disk(tmp_path):
    """A 4 MB tmpfs: a real file system that runs out of room."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)
