"""Neural Style Studio's engine: plain PyTorch, no Qt (see pyproject's import contract)."""
from .errors import StyleError
from .progress import Progress, Result
from .settings import Settings

__all__ = ["Settings", "StyleError", "Progress", "Result"]
