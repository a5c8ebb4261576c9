"""Neural Style Studio's engine: plain PyTorch, no Qt (see pyproject's import contracts).

One folder per idea of the method, in layers (each imports only those below):
api (the entry point both faces call) > pipeline > optim > losses > network > image;
settings, validation, presets, progress and errors serve them all.
"""

__version__ = "0.1.0"  # the one place: pyproject, the bundle's name, --version and About read it

from .errors import StyleError
from .progress import Progress, Result
from .settings import Settings

__all__ = ["Settings", "StyleError", "Progress", "Result"]
