"""What to change when a size or the memory does not fit, in each face's words: the command line
names its options (the defaults here), the window its controls (gui/wording.py)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import StyleError


@dataclass(frozen=True)
class Fixes:
    """How a face says which value to change: the command line names its
    options (these defaults), the window its controls (gui/wording.py).
    `{n}` is a size in px, `{k}` a style scale."""

    size: str = "use --size {n} or more"
    scales: str = "use every entry of --scales {n} or more"
    style_scale: str = "use --style-scale {k} or more"
    style_scale_fits: str = "the largest --style-scale that fits is about {k}"
    lower_size: str = "lower --size"
    size_fits: str = "the largest size that fits now is about --size {n}"
    history: str = "lower --lbfgs-history"


COMMAND_LINE = Fixes()


class TooLittleMemory(StyleError):
    """A run that does not fit in the free memory. Its text is the command line's; a face words
    its own advice with `sentence(fixes)` (the window names its controls)."""

    def __init__(self, size: int, need: float, budget: float, device: str, fits: int):
        self.size, self.need, self.budget, self.device, self.fits = size, need, budget, device, fits
        super().__init__(self.sentence(COMMAND_LINE))

    def __reduce__(self):  # a Ray worker's failure travels pickled
        return type(self), (self.size, self.need, self.budget, self.device, self.fits)

    def sentence(self, fixes: Fixes) -> str:
        hint = fixes.size_fits.format(n=self.fits) if self.fits >= 64 else "close other programs first"
        return (
            f"A {self.size} px run needs about {self.need / 2**30:.1f} GB but only {self.budget / 2**30:.1f} GB "
            f"is free on {self.device}; {hint}, or {fixes.history}."
        )
