"""The command line, a face of the engine beside the window (gui/): `render`
(cli/render.py), `mix-scales` (cli/mix.py), `video` (cli/video.py) and
`batch` (cli/batch.py, over the executors in batch/), with the disk checks
and the safe final save they share (cli/checks.py). The size and memory
checks every face makes live in engine.pipeline.checks. Both faces run
engine.api.stylize."""
