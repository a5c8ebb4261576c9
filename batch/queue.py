"""The window's job queue as a plain model, saved as JSON in the app's data folder.

Qt-free, so it is tested without a window and survives a restart or a crash:
every change is written at once (temporary file, then os.replace), and a job
found "running" when the queue is loaded again (the app died mid-job) is
queued again. Views subscribe with a callback; the queue never touches them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.image.names import free_name

from .jobs import Job, stem, write_atomic
from .work import Outcome, payload_for, render_payload

QUEUE_FILE = "queue.json"
STATES = ("queued", "running", "done", "failed", "interrupted")


@dataclass
class QueueItem:
    content: str | None
    styles: list
    settings: dict = field(default_factory=dict)  # the JSON --settings reads (Settings.to_dict())
    content_mask: str | None = None
    style_masks: list = field(default_factory=list)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    status: str = "queued"
    reason: str = ""
    output: str | None = None
    fraction: float = 0.0  # of the job's work done, for its progress bar

    @property
    def title(self) -> str:
        return f"{stem(self.content)} \N{RIGHTWARDS ARROW} {' + '.join(stem(s) for s in self.styles)}"

    def job(self, name: str) -> Job:
        masks = tuple(self.style_masks)
        return Job(name, self.content, tuple(self.styles), dict(self.settings), self.content_mask, masks)


class JobQueue:
    """An ordered list of QueueItems kept in `folder/queue.json`; outputs go to `output_dir`."""

    def __init__(self, folder: str | Path, output_dir: str | Path):
        self.path = Path(folder) / QUEUE_FILE
        self.output_dir = Path(output_dir)
        self.items: list[QueueItem] = []
        self.notice = ""  # one sentence for the window when the saved queue could not be read
        self._listeners: list[Callable[[], None]] = []
        self._load()

    # --- observers ----------------------------------------------------------
    def subscribe(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)

    def _changed(self) -> None:
        self.save()
        for callback in list(self._listeners):
            callback()

    # --- editing ------------------------------------------------------------
    def add(
        self,
        content: str | None,
        styles: list,
        settings: dict | None = None,
        content_mask: str | None = None,
        style_masks: list | None = None,
    ) -> QueueItem:
        item = QueueItem(content, list(styles), dict(settings or {}), content_mask, list(style_masks or []))
        self.items.append(item)
        self._changed()
        return item

    def add_photos(self, photos: list, styles: list, settings: dict | None = None) -> list[QueueItem]:
        """One job per photo with the same styles and settings (masks belong to one photo, so none)."""
        items = [QueueItem(p, list(styles), dict(settings or {})) for p in photos]
        self.items.extend(items)
        self._changed()
        return items

    def index(self, item_id: str) -> int:
        return next(i for i, it in enumerate(self.items) if it.id == item_id)

    def get(self, item_id: str) -> QueueItem:
        return self.items[self.index(item_id)]

    def move(self, item_id: str, to: int) -> None:
        item = self.items.pop(self.index(item_id))
        self.items.insert(max(0, min(to, len(self.items))), item)
        self._changed()

    def remove(self, item_id: str) -> None:
        if self.get(item_id).status == "running":
            raise ValueError("Stop the queue before removing the job that is running.")
        del self.items[self.index(item_id)]
        self._changed()

    def duplicate(self, item_id: str) -> QueueItem:
        source = self.get(item_id)
        copy = dataclasses.replace(
            source,
            id=uuid.uuid4().hex[:12],
            status="queued",
            reason="",
            output=None,
            fraction=0.0,
            styles=list(source.styles),
            settings=dict(source.settings),
            style_masks=list(source.style_masks),
        )
        self.items.insert(self.index(item_id) + 1, copy)
        self._changed()
        return copy

    def set_state(self, item_id: str, status: str, **fields) -> None:
        assert status in STATES, status
        item = self.get(item_id)
        item.status = status
        for name, value in fields.items():
            setattr(item, name, value)
        self._changed()

    def set_fraction(self, item_id: str, fraction: float) -> None:
        """Progress is not saved on every iteration; views ask for it through the callback."""
        self.get(item_id).fraction = fraction
        for callback in list(self._listeners):
            callback()

    def next_to_run(self, skip=()) -> QueueItem | None:
        """The first job not done and not in skip, in the queue's current order (edits while running count)."""
        return next(
            (it for it in self.items if it.status in ("queued", "interrupted", "failed") and it.id not in skip), None
        )

    def set_output_dir(self, folder: str | Path) -> None:
        """Jobs started from now on write into `folder` (made when missing); one sentence when it cannot be used."""
        folder = Path(folder).expanduser()
        if folder.exists() and not folder.is_dir():
            raise ValueError(f"{folder} is a file, not a folder: choose a folder for the queue's results.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValueError(f"The folder {folder} cannot be made ({exc.strerror}): choose another one.") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ValueError(f"The folder {folder} cannot be written to: choose one you can write to.")
        self.output_dir = folder
        self._changed()

    # --- persistence --------------------------------------------------------
    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": 1, "output_dir": str(self.output_dir), "items": [dataclasses.asdict(it) for it in self.items]}
        write_atomic(self.path, json.dumps(data, indent=1).encode())

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(errors="replace"))
            self.items = [QueueItem(**it) for it in data["items"]]
        except (OSError, ValueError, KeyError, TypeError):
            aside = self.path.with_name(QUEUE_FILE + ".damaged")
            shutil.move(str(self.path), aside)
            self.items = []
            self.notice = f"The saved queue could not be read and was moved to {aside}; the queue starts empty."
            return
        for item in self.items:
            if item.status == "running":  # the app ended mid-job
                item.status, item.reason, item.fraction = "queued", "", 0.0


def output_name(queue: JobQueue, item: QueueItem) -> Path:
    """CONTENTSTEM__STYLESTEMS.png in the output folder, -2, -3... if a file of that name exists."""
    base = f"{stem(item.content)}__{'+'.join(stem(s) for s in item.styles)}.png"
    return free_name(queue.output_dir / base)


def render_item(item_job: Job, out: Path, report=None, should_stop=None) -> Outcome:
    """Render one queue job (the worker thread calls this) and write its output; never touches the queue."""
    try:
        payload = payload_for(item_job)
    except Exception as exc:
        return Outcome(item_job.name, False, str(exc).rstrip("."))
    outcome = render_payload(payload, report, should_stop)
    if outcome.ok:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, outcome.image)
        outcome.image = None  # the file holds it; the signal carries only the path
        outcome.saved = str(out)
    return outcome
