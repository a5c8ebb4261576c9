"""engine/pipeline/checks.py words its fixes for the face that calls it: the
command line's options by default, any other face's controls through Fixes."""

from __future__ import annotations

import pytest

from engine.errors import StyleError
from engine.pipeline.advice import Fixes
from engine.pipeline.checks import check_sizes, check_style_memory
from engine.settings import Settings

WINDOW = Fixes(
    size="set Size to {n} or more",
    scales="set every Scale to {n} or more",
    style_scale="set Style scale to {k} or more",
    style_scale_fits="the largest Style scale that fits is about {k}",
    lower_size="lower Size",
)


def refusal(check, *args) -> str:
    with pytest.raises(StyleError) as caught:
        check(*args)
    return str(caught.value)


@pytest.mark.parametrize(
    "settings, cli, window",
    [
        (Settings(size=32), "; use --size 51 or more.", "; set Size to 51 or more."),
        (Settings(scales=[32, 40]), "; use every entry of --scales 51 or more.", "; set every Scale to 51 or more."),
    ],
)
def test_a_too_small_size_names_the_option_of_the_face_that_asks(settings, cli, window):
    # a 64 x 40 image: round(40 * 51 / 64) = 32 px, the smallest short side the default layers take
    assert refusal(check_sizes, (40, 64), [], settings).endswith(cli)
    assert refusal(check_sizes, (40, 64), [], settings, WINDOW).endswith(window)


def test_a_too_small_style_scale_names_the_option_of_the_face_that_asks():
    settings = Settings(size=64, style_scale=0.5)  # a 64 x 20 style at 32 px: 10 px short; 32 needs 64 * 1.6
    assert "; use --style-scale 1.6 or more, or crop" in refusal(check_sizes, (64, 64), [(20, 64)], settings)
    text = refusal(check_sizes, (64, 64), [(20, 64)], settings, WINDOW)
    assert "; set Style scale to 1.6 or more, or crop" in text and "--" not in text


def test_style_images_too_large_for_memory_name_the_option_of_the_face_that_asks():
    settings = Settings(size=64, style_scale=1000, device="cpu")  # 64000 px style images: terabytes
    assert "the largest --style-scale that fits is about" in refusal(check_style_memory, [(64, 64)], settings, 0)
    text = refusal(check_style_memory, [(64, 64)], settings, 0, WINDOW)
    assert "the largest Style scale that fits is about" in text and "--" not in text


def test_too_little_memory_speaks_the_command_line_and_survives_a_trip_to_a_worker():
    import pickle

    from engine.pipeline.advice import TooLittleMemory

    exc = TooLittleMemory(4096, 30 * 2**30, 12 * 2**30, "cpu", 2500)
    assert str(exc) == (
        "A 4096 px run needs about 30.0 GB but only 12.0 GB is free on cpu; "
        "the largest size that fits now is about --size 2500, or lower --lbfgs-history."
    )
    again = pickle.loads(pickle.dumps(exc))  # how a Ray task's failure reaches the driver
    assert isinstance(again, TooLittleMemory) and str(again) == str(exc) and again.fits == 2500
    tiny = TooLittleMemory(512, 3 * 2**30, 1 * 2**30, "cuda", 40)
    assert "close other programs first, or lower --lbfgs-history." in str(tiny)
