"""One job, rendered from its inputs' bytes: the unit a Ray task carries.

The worker may share no file system with the driver, so a Payload holds the
files' bytes and the settings, and an Outcome holds the encoded result (and
the JPEG/TIFF settings sidecar) for the driver to write. The local executor
runs the very same function in-process, so both give the same files.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import StyleError
from engine.image.names import snapshot_name
from engine.settings import Settings

from .jobs import Job


@dataclass(frozen=True)
class Payload:
    name: str
    settings: dict
    files: dict  # original path -> bytes, every input of the job
    content: str | None
    styles: tuple
    content_mask: str | None
    style_masks: tuple
    bits: int
    save_every: int = 0


@dataclass
class Outcome:
    name: str
    ok: bool
    reason: str = ""
    image: bytes | None = None  # the encoded output file
    sidecar: str | None = None  # settings for .jpg/.tif, written beside as NAME.json
    iterations: int = 0
    loss: float = float("nan")
    seconds: float = 0.0
    cancelled: bool = False
    notes: list = field(default_factory=list)
    pid: int = 0  # the process that rendered it
    network_loads: int = 0  # networks that process has built so far (weights read once per process)
    saved: str = ""  # where the window's queue wrote the image
    snapshots: list = field(default_factory=list)  # (file name, encoded image) of each --save-every image


def payload_for(job: Job) -> Payload:
    """Read the job's files; an unreadable one raises StyleError naming it."""
    files = {}
    for path in job.paths():
        try:
            files[path] = Path(path).read_bytes()
        except OSError as exc:
            raise StyleError(f"{path} cannot be read ({exc.strerror or exc}); check the file.") from None
    return Payload(
        job.name,
        job.settings,
        files,
        job.content,
        job.styles,
        job.content_mask,
        job.style_masks,
        job.bits,
        job.save_every,
    )


def render_payload(payload: Payload, progress=None, should_stop=None) -> Outcome:
    """Render one job; its own failures (a bad image, out of memory) come back as a failed Outcome."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nss-job-") as tmp:
        local = _materialise(payload, Path(tmp))
        try:
            outcome = _render(payload, local, progress, should_stop)
        except StyleError as exc:
            outcome = Outcome(payload.name, False, _unmap(str(exc), local))
        except MemoryError:
            outcome = Outcome(payload.name, False, "ran out of memory; try a smaller --size")
        except RuntimeError as exc:
            if "out of memory" not in str(exc).lower():
                raise
            outcome = Outcome(payload.name, False, "ran out of GPU memory; try a smaller --size")
    outcome.seconds = round(time.monotonic() - start, 3)
    outcome.pid = os.getpid()
    from engine.network.build import load_network  # local: imports torch (the window's start-up)

    outcome.network_loads = load_network.cache_info().misses
    return outcome


def _unmap(message: str, local: dict) -> str:
    """Messages name the worker's temporary copies; name the user's files instead."""
    for original, copy in local.items():
        message = message.replace(copy, original)
    return message.rstrip(".")


def _materialise(payload: Payload, tmp: Path) -> dict:
    """Each input in its own folder under its own name, so messages and formats read naturally."""
    local = {}
    for i, (path, data) in enumerate(payload.files.items()):
        folder = tmp / f"in{i}"
        folder.mkdir()
        target = folder / Path(path).name
        target.write_bytes(data)
        local[path] = str(target)
    return local


def _render(payload: Payload, local: dict, progress, should_stop) -> Outcome:
    # local: engine.api and the checks import torch; the window imports this module at start-up
    from engine.api import stylize_loaded
    from engine.image.write import encode_image, has_sidecar

    settings, content, styles, masks = _inputs(payload, local)
    snapshots = _Snapshots(payload, progress)
    if payload.save_every:
        settings = settings.replace(preview_every=payload.save_every)
    result = stylize_loaded(content, styles, settings, masks, progress=snapshots, should_stop=should_stop)
    suffix, record = Path(payload.name).suffix, _record(payload, settings)
    image = encode_image(
        result.image, content.alpha if content else None, suffix=suffix, bits=payload.bits, settings_json=record
    )
    return Outcome(
        payload.name,
        True,
        image=image,
        sidecar=record if has_sidecar(suffix) else None,  # what save_image would write beside the file
        iterations=result.iterations,
        loss=float(result.loss),
        cancelled=result.cancelled,
        notes=list(result.notes),
        snapshots=snapshots.taken,
    )


def _inputs(payload: Payload, local: dict):
    """The job's settings, images and masks, checked before any work."""
    # local: engine.api and the checks import torch; the window imports this module at start-up
    import numpy as np

    from engine.api import output_size
    from engine.image.io import load_image
    from engine.pipeline.checks import check_sizes, check_style_memory
    from engine.pipeline.memory import estimate_bytes

    settings = Settings.from_dict(payload.settings).validate(len(payload.styles))
    content = load_image(local[payload.content], "Content image") if payload.content else None
    styles = [load_image(local[s], "Style image") for s in payload.styles]
    label = lambda p, what: (np.round(load_image(local[p], what).rgb * 255)).astype(np.uint8)
    content_mask = label(payload.content_mask, "Content mask") if payload.content_mask else None
    style_masks = [
        label(m, f"Mask of style image {i + 1}") if m else None for i, m in enumerate(payload.style_masks)
    ] or None
    out_wh = output_size(content.rgb if content else None, [s.rgb for s in styles], settings.output_size)
    check_sizes(content.rgb.shape[:2] if content else None, [s.rgb.shape[:2] for s in styles], settings)
    check_style_memory([s.rgb.shape[:2] for s in styles], settings, estimate_bytes(out_wh, settings))
    return settings, content, styles, (content_mask, style_masks)


def _record(payload: Payload, settings) -> str:
    return json.dumps(
        {"settings": settings.to_dict(), "content": payload.content, "styles": list(payload.styles)}, indent=1
    )


class _Snapshots:
    """The progress callback of a job with --save-every: each N-th iteration's image, encoded like the output."""

    def __init__(self, payload: Payload, progress):
        self.every, self.progress, self.taken = payload.save_every, progress, []
        self.out = Path(payload.name)
        self.bits = payload.bits

    def __call__(self, p) -> None:
        if self.progress is not None:
            self.progress(p)
        if self.every and p.preview is not None and 0 < p.iteration < p.total and p.iteration % self.every == 0:
            from engine.image.write import encode_image  # local: see _render

            snap = snapshot_name(self.out, p.iteration, p.stage_index, p.stages)
            self.taken.append(
                (snap.name, encode_image(p.preview.astype("float32") / 255.0, suffix=snap.suffix, bits=self.bits))
            )
