"""Batch fixtures: tiny input images in tmp_path and a local Ray (shut down after)."""

from __future__ import annotations

import pytest
from PIL import Image

from testimages import image_path

SOURCES = {
    "cat": "chelsea.png",
    "coffee": "coffee.png",
    "wave": "hokusai_great_wave_off_kanagawa.png",
    "starry": "van_gogh_starry_night_1889.jpg",
}


@pytest.fixture(scope="session")
def pics(tmp_path_factory) -> dict:
    """cat, coffee (photos), wave, starry (styles) at 64-96 px, and a truncated 'broken' PNG."""
    folder = tmp_path_factory.mktemp("pics")
    out = {}
    for name, source in SOURCES.items():
        fallback = "chelsea.png" if name == "coffee" else source  # the bundled samples lack coffee
        with Image.open(image_path(source if _exists(source) else fallback)) as im:
            im = im.convert("RGB")
            im.thumbnail((96, 96))
            im.save(folder / f"{name}.png")
        out[name] = str(folder / f"{name}.png")
    broken = folder / "broken.png"
    broken.write_bytes((folder / "cat.png").read_bytes()[:300])
    out["broken"] = str(broken)
    return out


def _exists(name: str) -> bool:
    from testimages import SAMPLES, SHARED_IMAGES

    return (SHARED_IMAGES / name).is_file() or (SAMPLES / name).is_file()


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray with two CPUs, shipping this checkout's packages to its workers."""
    ray = pytest.importorskip("ray")
    from batch.ray_exec import runtime_env

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR", runtime_env=runtime_env())
    try:
        yield ray
    finally:
        ray.shutdown()
