"""The pipeline around the optimiser: one run from images to a result.

The plan of the passes (stages.py: the quality schedule and the
coarse-to-fine scales of Gatys et al. 2017, METHOD.md section 2 "Scale
control"; the two stages of Luan et al. 2017, section 4), tiles and memory
decided before any work (tiles.py, memory.py), the start image (start.py),
colour control around the run (colour.py), scale mixing (scale_mix.py,
section 2), and the run's estimate, cores and quality metrics.
"""
