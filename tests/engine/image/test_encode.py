"""encode_image: the file save_image writes, made in memory (what a batch worker sends back)."""

import io
import struct
import zlib

import numpy as np
import pytest
import tifffile
from PIL import Image

from engine.errors import StyleError
from engine.image.write import encode_image, read_settings_text, save_image


def _picture(h=40, w=56, alpha=False):
    rng = np.random.default_rng(11)
    rgb = rng.random((h, w, 3)).astype(np.float32)
    return rgb, (rng.random((h, w)).astype(np.float32) if alpha else None)


def _decode(blob: bytes, bits: int) -> np.ndarray:
    """Pixels of an encoded file as integers: Pillow for 8 bits, tifffile for 16-bit TIFF,
    and the PNG specification written out for 16-bit PNG (Pillow reads it as 8 bits)."""
    if bits == 8:
        with Image.open(io.BytesIO(blob)) as im:
            return np.asarray(im)
    if blob[:4] == b"II*\x00":
        return tifffile.imread(io.BytesIO(blob))
    at, idat, ihdr = 8, [], None
    while at < len(blob):
        (length,) = struct.unpack_from(">I", blob, at)
        kind, body = blob[at + 4 : at + 8], blob[at + 8 : at + 8 + length]
        ihdr = body if kind == b"IHDR" else ihdr
        idat += [body] if kind == b"IDAT" else []
        at += 12 + length
    w, h, _, colour = struct.unpack(">IIBB", ihdr[:10])
    c = {2: 3, 6: 4}[colour]
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8).reshape(h, 1 + w * c * 2)
    assert set(raw[:, 0]) == {2}  # the Up filter, as png16.py writes every row
    return np.cumsum(raw[:, 1:], axis=0, dtype=np.uint8).view(">u2").reshape(h, w, c)


@pytest.mark.parametrize(
    "suffix, bits, alpha",
    [
        (".png", 8, False),
        (".png", 8, True),
        (".png", 16, False),
        (".png", 16, True),
        (".tif", 8, True),
        (".tif", 16, False),
    ],
)
def test_encoded_bytes_are_the_saved_file_and_decode_to_its_pixels(tmp_path, suffix, bits, alpha):
    rgb, a = _picture(alpha=alpha)
    settings = '{"size": 56}'
    blob = encode_image(rgb, a, suffix=suffix, bits=bits, settings_json=settings)
    path = save_image(tmp_path / f"o{suffix}", rgb, a, bits=bits, settings_json=settings)
    pixels = _decode(blob, bits)
    np.testing.assert_array_equal(pixels, _decode(path.read_bytes(), bits))
    planes = rgb if a is None else np.concatenate([rgb, a[..., None]], axis=2)
    np.testing.assert_allclose(pixels / (2**bits - 1), planes, atol=0.51 / (2**bits - 1))
    assert blob == path.read_bytes()
    if suffix == ".png":  # the settings travel inside the PNG; TIFF's go beside it, the caller's to write
        assert read_settings_text(path) == settings and not (tmp_path / "o.png.json").exists()
    else:
        assert (tmp_path / f"o{suffix}.json").read_text() == settings


def test_jpeg_drops_alpha_and_bad_requests_are_one_sentence():
    rgb, a = _picture(alpha=True)
    with Image.open(io.BytesIO(encode_image(rgb, a, suffix=".jpg"))) as im:
        assert im.format == "JPEG" and im.mode == "RGB" and im.size == (56, 40)
    with pytest.raises(StyleError, match="JPEG cannot store 16 bits"):
        encode_image(rgb, suffix=".jpeg", bits=16)
    with pytest.raises(StyleError, match=r"\.gif is not one we write; use \.png"):
        encode_image(rgb, suffix=".gif")
