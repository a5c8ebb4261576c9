"""Batch rendering: many content x style jobs, on this machine or on a Ray cluster.

`jobs` builds the job list and keeps OUTDIR/batch.json (status, resume);
`work` renders one job from its inputs' bytes (the unit a Ray task carries);
`local` and `ray_exec` run a list of jobs (`main.py batch` is cli/batch.py);
`queue` is the window's persistent queue, kept Qt-free here. Nothing in this
package imports Qt; Ray is imported only when `--executor ray` asks for it.
"""
