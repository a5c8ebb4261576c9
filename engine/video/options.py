"""The options a video adds to the settings of one picture, defined once
(the command line builds its flags from them); no torch here, so `--help`
answers at once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

FLOW_METHODS = ("dis", "farneback")


@dataclass(frozen=True)
class VideoOptions:
    temporal_weight: float = dataclasses.field(
        default=1.0,
        metadata={
            "help": (
                "weight of the temporal term (Ruder et al. 2016), relative to content + style weight; "
                "0 renders every frame on its own with the full schedule"
            )
        },
    )
    flow: str = dataclasses.field(
        default="dis", metadata={"help": "optical flow: OpenCV's DIS or Farneback", "choices": FLOW_METHODS}
    )
    frame_iterations: int = dataclasses.field(
        default=10, metadata={"help": "iterations of each frame after the first (one pass at full size)"}
    )
