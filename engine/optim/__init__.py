"""The optimiser: one loop over the pixels (loop.py) with the step rules as
small strategies behind one interface (step_rules.py): torch's L-BFGS with a
strong-Wolfe line search, the sync-free trust-radius L-BFGS (sync_free.py)
and Adam (adam.py). Synthesis by minimising L_total over the pixels with
L-BFGS follows Gatys et al. 2016 (METHOD.md section 1, "Synthesis"); one
iteration is one step, so progress and cancellation come once per iteration.
A pass arrives as one frozen Task (task.py).
"""
