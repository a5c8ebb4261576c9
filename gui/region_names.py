"""Region names: "Region 1" until the user calls it "Sky".

A name belongs to a region (a colour) across the whole document: the
content's region 2 and a style image's region 2 are the same region, so one
name serves both. Names live on the document as ``doc.region_names``
({region: name}, only the names the user gave) and are saved with the masks
in the session file. Qt-free.
"""

from __future__ import annotations

from .palette import MAX_REGIONS

MAX_NAME_LENGTH = 100


def default_name(region: int) -> str:
    return f"Region {region}"


def region_name(doc, region: int) -> str:
    return doc.region_names.get(region) or default_name(region)


def clean_name(text: str, region: int) -> str:
    """What a typed name becomes: trimmed, at most MAX_NAME_LENGTH characters, the default when empty."""
    text = " ".join(str(text).split())[:MAX_NAME_LENGTH]
    return text or default_name(region)


def set_region_name(doc, region: int, text: str) -> bool:
    """Name `region`; True when the name changed. The default name is not stored."""
    if not 1 <= region <= MAX_REGIONS:
        raise ValueError(f"there is no region {region}")
    name = clean_name(text, region)
    if name == region_name(doc, region):
        return False
    table = doc.region_names
    if name == default_name(region):
        table.pop(region, None)
    else:
        table[region] = name
    return True


def name_problem(key, value) -> str | None:
    """Why a session file's names entry `key: value` cannot be used, or None when it can."""
    try:
        region = int(key)
    except (TypeError, ValueError):
        return f"its region names table has {key!r}, which is not a region number"
    if not 1 <= region <= MAX_REGIONS:
        return f"its region names table names region {region}, but regions go from 1 to {MAX_REGIONS}"
    if not isinstance(value, str):
        return f"the name of region {region} is not text"
    if len(value) > MAX_NAME_LENGTH:
        return f"the name of region {region} is {len(value)} characters long (at most {MAX_NAME_LENGTH})"
    return None
