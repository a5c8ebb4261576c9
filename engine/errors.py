"""The one error type the engine raises for anything a person can fix.

The message is a full sentence that says what is wrong and what to do; the
command line prints it and exits with code 2, the window shows it in a dialog.
"""


class StyleError(ValueError):
    """Bad input: a file, a setting or a size the engine cannot work with."""


class Cancelled(Exception):
    """Raised inside the optimisation loop when the caller asked it to stop.

    Private to the engine: the optimiser loop (engine/optim/loop.py) turns it into a
    result with ``cancelled=True`` holding the best image so far.
    """
