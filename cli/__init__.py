"""The command line, a face of the engine beside the window (gui/): `render`
(cli/render.py) and `mix-scales` (cli/mix.py), with the checks both make
before any work (cli/checks.py). Both faces run engine.api.stylize."""
