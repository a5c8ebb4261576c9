"""Free file names: never write over a file the user has."""

from __future__ import annotations

from pathlib import Path


def free_name(path: Path) -> Path:
    """path, or path's stem with -2, -3, ... if a file of that name exists."""
    n = 2
    candidate = path
    while candidate.exists() or candidate.with_name(candidate.name + ".json").exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def snapshot_name(out: Path, iteration: int, stage_index: int = 0, stages: int = 1) -> Path:
    """The --save-every image of an iteration beside out: NAME_0100.png, or NAME_2_0100.png in a multi-stage run."""
    tag = f"{stage_index}_{iteration:04d}" if stages > 1 else f"{iteration:04d}"
    return out.with_name(f"{out.stem}_{tag}{out.suffix}")
