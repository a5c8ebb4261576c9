"""Preferences and recent files, kept in QSettings.

Tests point QSettings at a temporary folder (IniFormat, UserScope) so they
never touch the user's real preferences.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings

RECENT_LIMIT = 8


class Preferences:
    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or QSettings()

    def recent(self, kind: str) -> list[str]:
        value = self.q.value(f"recent/{kind}", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, kind: str, path: str) -> list[str]:
        items = [path] + [p for p in self.recent(kind) if p != path]
        self.q.setValue(f"recent/{kind}", items[:RECENT_LIMIT])
        return items[:RECENT_LIMIT]

    def clear_recent(self, kind: str) -> None:
        self.q.remove(f"recent/{kind}")

    def last_settings(self) -> dict | None:
        text = self.q.value("run/settings", "")
        try:
            return json.loads(text) if text else None
        except (TypeError, ValueError):
            return None

    def set_last_settings(self, data: dict) -> None:
        self.q.setValue("run/settings", json.dumps(data))

    def value(self, key: str, default=None):
        return self.q.value(key, default)

    def set_value(self, key: str, value) -> None:
        self.q.setValue(key, value)

    def sync(self) -> None:
        self.q.sync()
