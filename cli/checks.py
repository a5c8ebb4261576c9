"""Checks the headless commands make before any work, and the safe final save.

Sizes the network cannot take, style images that would not fit in memory and
outputs that could not be written are all refused before the network loads;
a result that still cannot be written at the end goes to a fallback path.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from engine.errors import StyleError
from engine.image.names import free_name, snapshot_name
from engine.image.write import check_output_path, save_image
from engine.pipeline.checks import check_sizes, check_style_memory


def estimate_file_bytes(wh: tuple[int, int], bits: int, alpha: bool) -> int:
    """Generous: the uncompressed pixels plus room for headers and settings."""
    return wh[0] * wh[1] * (4 if alpha else 3) * bits // 8 + 64 * 1024


def snapshot_count(settings, save_every: int) -> int:
    """How many --save-every images a run of these settings writes beside its output."""
    total = sum(n for _, n in settings.passes) + (settings.photoreal_stage1 if settings.photoreal else 0)
    return total // save_every if save_every else 0


def check_disk(out: Path, wh, bits: int, alpha: bool, snapshots: int) -> None:
    folder = out.parent if str(out.parent) else Path(".")
    what = "the result and its snapshots" if snapshots else "the result"
    check_room(folder, estimate_file_bytes(wh, bits, alpha) * (1 + snapshots), what)


def check_room(folder: Path, need: int, what: str) -> None:
    """Refuse before any work when the disk holding folder has fewer than `need` bytes free."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if need > free:
        raise StyleError(
            f"The disk holding {folder} has {free / 2**20:.1f} MB free but {what} may need about "
            f"{need / 2**20:.1f} MB; free some space or choose another folder."
        )


def save_result(out: Path, rgb: np.ndarray, alpha, *, bits: int, settings_json: str, overwrite: bool):
    """Save to out; if that fails, to a free name beside it, in the home folder or
    the temp folder. Returns (path written, None) or (fallback path, reason)."""
    try:
        return save_image(out, rgb, alpha, bits=bits, settings_json=settings_json, overwrite=overwrite), None
    except (StyleError, OSError) as exc:
        reason = _reason(out, exc)
    places = [out.parent, Path.home(), Path(tempfile.gettempdir())]
    for folder in places:
        try:
            if not folder.is_dir():
                continue
            target = free_name(folder / out.name)
            check_output_path(target)
            return save_image(target, rgb, alpha, bits=bits, settings_json=settings_json), reason
        except (StyleError, OSError):
            continue
    raise StyleError(f"Could not write {out} ({reason}) nor any fallback copy; free some disk space and run again.")


def _reason(out: Path, exc: Exception) -> str:
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        return "its folder was removed during the run"
    if isinstance(exc, OSError):
        return (exc.strerror or "write failed").lower()
    if out.exists() or out.with_name(out.name + ".json").exists():
        return "a file of that name appeared during the run"
    return str(exc).rstrip(".")


class Snapshots:
    """--save-every images: never over an old one (a free name instead), and a
    snapshot that cannot be written is skipped with one note, not fatal."""

    def __init__(self, out: Path, args, settings_json: str):
        self.out, self.args, self.settings_json, self.failed = out, args, settings_json, False

    def save(self, p) -> None:
        out = self.out
        snap = snapshot_name(out, p.iteration, p.stage_index, p.stages)
        if not self.args.overwrite:
            snap = free_name(snap)
        try:
            save_image(
                snap,
                p.preview.astype("float32") / 255.0,
                overwrite=self.args.overwrite,
                settings_json=self.settings_json,
            )
        except (StyleError, OSError) as exc:
            if not self.failed:
                reason = (getattr(exc, "strerror", None) or str(exc)).rstrip(".")
                print(
                    f"{chr(10) if sys.stderr.isatty() else ''}note: could not save a snapshot ({reason[0].lower()}"
                    f"{reason[1:]}); the run goes on.",
                    file=sys.stderr,
                )
            self.failed = True


def check_not_an_input(out: Path, inputs: dict) -> None:
    """--overwrite replaces an old result, never the photo or painting the run reads:
    `inputs` maps what each is called ("the content image") to its path, or None."""
    for what, path in inputs.items():
        if path and out.exists() and Path(path).exists() and out.samefile(path):
            raise StyleError(f"Output {out} is {what} itself; choose another output name so the input is kept.")


def check_before_work(args, out, settings, content, styles, out_wh) -> None:
    """Sizes, style memory and disk room, all before the network loads."""
    from engine.pipeline.memory import estimate_bytes  # local: imports torch (start-up time)

    check_sizes(content.rgb.shape[:2] if content else None, [s.rgb.shape[:2] for s in styles], settings)
    check_style_memory([s.rgb.shape[:2] for s in styles], settings, estimate_bytes(out_wh, settings))
    alpha = content is not None and content.alpha is not None
    check_disk(out, out_wh, args.bits, alpha, snapshot_count(settings, args.save_every))
