"""Settings read back from a file: the .json this program writes, or an image it wrote.

Used by `--settings` and by the jobs of `main.py batch --jobs`; one sentence
for every way the file can be wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import StyleError
from .image.io import check_readable_file
from .image.write import read_settings_text
from .settings import Settings

MAX_SETTINGS_BYTES = 1 << 20  # a settings file is a few kB; anything near a megabyte is the wrong file


def load_settings_file(path: str) -> Settings:
    p = Path(path)
    check_readable_file(p, "Settings file", "a .json file or an image this program wrote")
    if p.suffix.lower() == ".json" and p.stat().st_size > MAX_SETTINGS_BYTES:
        raise StyleError(
            f"Settings file {p} is {p.stat().st_size / 2**20:.0f} MB, far too large for settings; "
            "give the .json file this program wrote."
        )
    text = p.read_text(errors="replace") if p.suffix.lower() == ".json" else read_settings_text(p)
    if p.suffix.lower() == ".json" and not text.strip():
        raise StyleError(
            f"Settings file {p} is empty; give the .json file this program wrote, or leave out --settings."
        )
    if not text:
        raise StyleError(
            f"{p} holds no Neural Style Studio settings; give a .json file or an image this program wrote."
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StyleError(
            f"Settings file {p} is not valid JSON ({exc.msg} at line {exc.lineno}); fix or re-save it."
        ) from None
    if not isinstance(data, dict):
        raise StyleError(f"Settings file {p} must hold a JSON object of setting names and values.")
    data = data.get("settings", data)
    if not isinstance(data, dict):
        raise StyleError(f'Settings file {p} has "settings" that is not a JSON object of setting names and values.')
    try:
        return Settings.from_dict(data)
    except TypeError as exc:
        raise StyleError(f"Settings file {p} is not usable: {exc}.") from None
    except StyleError as exc:  # say which file: the user did not type the option it names
        text = str(exc)
        text = text[0].lower() + text[1:] if text[:2].istitle() else text  # "Unknown setting" mid-sentence
        raise StyleError(f"In settings file {p}: {text}") from None
