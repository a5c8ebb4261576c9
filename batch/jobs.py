"""The job list of a batch and its record, OUTDIR/batch.json.

A job is one frozen value: inputs (paths), settings (a Settings dict), the
output's file name. batch.json lists every job with its status (queued,
running, done, failed with the reason, interrupted), its output and its time,
and is replaced atomically after every change, so a batch killed at any point
leaves a readable record; a rerun skips the jobs recorded as done with the
same inputs and settings and runs the rest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import StyleError
from engine.settings import Settings
from engine.settings_file import load_settings_file

RECORD_NAME = "batch.json"
STATUSES = ("queued", "running", "done", "failed", "interrupted")


@dataclass(frozen=True)
class Job:
    name: str  # the output's file name in OUTDIR, e.g. "cat__wave.png"
    content: str | None  # a path, or None for texture synthesis
    styles: tuple[str, ...]
    settings: dict = field(default_factory=dict)  # Settings.to_dict()
    content_mask: str | None = None
    style_masks: tuple[str | None, ...] = ()
    bits: int = 8
    save_every: int = 0  # also keep the image every N iterations (snapshots beside the output)

    def key(self) -> str:
        """Fingerprint of what the job makes: a changed input path or setting reruns it (snapshots do not)."""
        made = {k: v for k, v in dataclasses.asdict(self).items() if k != "save_every"}
        text = json.dumps(made, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def paths(self) -> list[str]:
        masks = [self.content_mask, *self.style_masks]
        return [p for p in (self.content, *self.styles, *masks) if p and p.lower() != "none"]


def stem(path: str | None) -> str:
    return Path(path).stem if path and path.lower() != "none" else "texture"


def pair_jobs(
    contents: list[str], styles: list[str], settings: Settings, ext: str, *, bits: int = 8, save_every: int = 0
) -> list[Job]:
    """Every content x style pair, named CONTENTSTEM__STYLESTEM.ext."""
    jobs = [
        Job(
            f"{stem(c)}__{stem(s)}{ext}",
            None if c.lower() == "none" else c,
            (s,),
            settings.to_dict(),
            bits=bits,
            save_every=save_every,
        )
        for c in contents
        for s in styles
    ]
    return _unique(jobs)


def file_jobs(path: str, base: Settings, ext: str, *, bits: int = 8, save_every: int = 0) -> list[Job]:
    """Jobs from a JSON list; each entry has content, styles, optional masks, settings and output name.

    Relative paths are read from the jobs file's folder; a job's settings (the
    JSON that --settings reads) are laid over the command line's.
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(errors="replace"))
    except OSError as exc:
        raise StyleError(f"Jobs file {p} cannot be read ({exc.strerror}); check the path.") from None
    except json.JSONDecodeError as exc:
        raise StyleError(f"Jobs file {p} is not valid JSON ({exc.msg} at line {exc.lineno}); fix it.") from None
    entries = data.get("jobs") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise StyleError(f'Jobs file {p} must hold a non-empty JSON list of jobs (or {{"jobs": [...]}}).')
    jobs = [_file_job(e, i, p.parent, base, ext, bits) for i, e in enumerate(entries, start=1)]
    return _unique([dataclasses.replace(job, save_every=save_every) for job in jobs])


def _file_job(entry, index: int, folder: Path, base: Settings, ext: str, bits: int) -> Job:
    where = f"Job {index} of the jobs file"
    if not isinstance(entry, dict) or not (entry.get("styles") or entry.get("style")):
        raise StyleError(f'{where} must be an object with "content" and "styles".')
    _check_entry(entry, where)
    at = lambda v: None if v is None or str(v).lower() == "none" else str(folder / str(v))
    styles = entry.get("styles") or [entry["style"]]
    styles = [styles] if isinstance(styles, str) else styles
    settings = entry.get("settings") or {}
    if isinstance(settings, str):
        settings = load_settings_file(str(folder / settings)).to_dict()
    if not isinstance(settings, dict):
        raise StyleError(f"{where} has settings that are neither an object nor a settings file's name.")
    try:
        merged = Settings.from_dict({**base.to_dict(), **settings.get("settings", settings)})
    except TypeError as exc:
        raise StyleError(f"{where} has settings that are not usable: {exc}.") from None
    content = at(entry.get("content"))
    name = str(entry.get("output") or f"{stem(content)}__{'+'.join(stem(s) for s in styles)}{ext}")
    if Path(name).name != name or Path(name).suffix.lower() not in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
        raise StyleError(f"{where} has output {name!r}; give a file name (no folder) ending in .png, .jpg or .tif.")
    masks = tuple(at(m) for m in entry.get("style_masks") or ())
    return Job(
        name, content, tuple(at(s) for s in styles), merged.to_dict(), at(entry.get("content_mask")), masks, bits
    )


JOB_KEYS = ("content", "styles", "style", "content_mask", "style_masks", "settings", "output")


def _check_entry(entry: dict, where: str) -> None:
    """The keys a job may have, each holding a path or a list of paths: a typo
    ("setting", "contents") would otherwise be dropped without a word."""
    unknown = sorted(set(entry) - set(JOB_KEYS))
    if unknown:
        raise StyleError(f"{where} has unknown key(s) {', '.join(unknown)}; a job may have {', '.join(JOB_KEYS)}.")
    if "content" not in entry:
        raise StyleError(f'{where} has no "content"; give the photo\'s path, or "none" for texture synthesis.')
    styles = entry.get("styles") or entry.get("style")
    lists = {"styles": styles if isinstance(styles, list) else [styles], "style_masks": entry.get("style_masks") or []}
    if not isinstance(entry["content"], str):
        raise StyleError(
            f'{where} has "content": {json.dumps(entry["content"])}; give the photo\'s path in quotes, '
            'or "none" for texture synthesis.'
        )
    if not isinstance(entry.get("content_mask") or "", str):
        raise StyleError(
            f'{where} has "content_mask": {json.dumps(entry["content_mask"])}; give a file path in quotes.'
        )
    for key, values in lists.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise StyleError(f'{where} has "{key}" that is not a list of file paths in quotes.')
    if not isinstance(entry.get("output") or "", str):
        raise StyleError(f'{where} has "output": {json.dumps(entry["output"])}; give a file name in quotes.')


def _unique(jobs: list[Job]) -> list[Job]:
    seen = {}
    for job in jobs:
        if job.name in seen:
            raise StyleError(
                f"Two jobs would both write {job.name} (from {seen[job.name]} and {job.content}); "
                "rename one of the inputs or give the jobs output names in a --jobs file."
            )
        seen[job.name] = job.content
    return jobs


class Record:
    """OUTDIR/batch.json: one entry per job, rewritten atomically after every change."""

    def __init__(self, outdir: Path):
        self.path = Path(outdir) / RECORD_NAME
        self.entries: dict[str, dict] = {}
        if self.path.exists():
            self.entries = {e["name"]: e for e in self._read()}
            self._sweep()

    def _sweep(self) -> None:
        """A batch killed mid-write (kill -9, a power cut) can leave the temporary
        file of an atomic write in OUTDIR; the resumed batch removes its own."""
        for leftover in self.path.parent.glob(".nss-*"):
            if leftover.is_file():
                leftover.unlink(missing_ok=True)

    def _read(self) -> list[dict]:
        try:
            data = json.loads(self.path.read_text())
            entries = data["jobs"]
            assert all(isinstance(e, dict) and "name" in e for e in entries)
            return entries
        except (OSError, ValueError, KeyError, TypeError, AssertionError):
            raise StyleError(
                f"{self.path} is not a batch record this program wrote; move it away or choose another output folder."
            ) from None

    def is_done(self, job: Job) -> bool:
        e = self.entries.get(job.name)
        return (
            bool(e) and e["status"] == "done" and e.get("key") == job.key() and (self.path.parent / job.name).exists()
        )

    def owns(self, name: str) -> bool:
        """Whether an existing output file of this name was written by this batch."""
        return name in self.entries and self.entries[name].get("output") == name

    def plan(self, jobs: list[Job]) -> list[Job]:
        """Record every job (done ones keep their entry); return those still to run."""
        todo = []
        for job in jobs:
            if self.is_done(job):
                continue
            old = self.entries.get(job.name, {})
            same = old.get("key") == job.key()
            self.entries[job.name] = {
                "name": job.name,
                "key": job.key(),
                "content": job.content,
                "styles": list(job.styles),
                "status": "queued",
                "reason": "",
                "output": old.get("output"),
                "seconds": None,
                "attempts": old.get("attempts", 0) if same else 0,
            }
            todo.append(job)
        self.save()
        return todo

    def mark(self, name: str, status: str, **fields) -> None:
        assert status in STATUSES, status
        entry = self.entries[name]
        entry.update(fields, status=status)
        if status == "running":
            entry["attempts"] = entry.get("attempts", 0) + 1
            entry["started"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        elif status != "queued":
            entry["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.save()

    def counts(self, names: list[str]) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for n in names:
            out[self.entries[n]["status"]] += 1
        return out

    def save(self) -> None:
        write_atomic(self.path, json.dumps({"format": 1, "jobs": list(self.entries.values())}, indent=1).encode())


def write_atomic(path: Path, data: bytes) -> None:
    """A temporary file in the same folder, flushed, then os.replace; removed on any failure."""
    fd, tmp = tempfile.mkstemp(prefix=".nss-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
