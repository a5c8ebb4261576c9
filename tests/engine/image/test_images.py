"""Image input in all its forms, and safe, atomic output."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageCms

from engine.errors import StyleError
from engine.image.io import load_image, read_settings_text, save_image


def _gradient(w=64, h=48):
    x = np.linspace(0, 1, w, dtype=np.float32)
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    return np.stack([np.broadcast_to(x, (h, w)), np.broadcast_to(y, (h, w)), np.full((h, w), 0.5, np.float32)], 2)


def _save(tmp_path, name, im, **kw):
    path = tmp_path / name
    im.save(path, **kw)
    return path


def test_exif_orientation_is_honoured(tmp_path):
    im = Image.new("RGB", (80, 40), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    path = _save(tmp_path, "rot.jpg", im, exif=exif)
    assert load_image(path).rgb.shape == (80, 40, 3)


@pytest.mark.parametrize("mode", ["L", "P", "CMYK", "I;16", "LA"])
def test_modes_become_rgb(tmp_path, mode):
    base = Image.fromarray((_gradient() * 255).astype(np.uint8))
    if mode == "I;16":
        im = Image.fromarray((np.linspace(0, 65535, 64 * 48).reshape(48, 64)).astype(np.uint16))
    elif mode == "LA":
        im = base.convert("LA")
    else:
        im = base.convert(mode)
    path = _save(tmp_path, f"img_{mode.replace(';', '')}." + ("tif" if mode == "CMYK" else "png"), im)
    loaded = load_image(path)
    assert loaded.rgb.shape == (48, 64, 3) and loaded.rgb.dtype == np.float32
    assert 0 <= loaded.rgb.min() and loaded.rgb.max() <= 1 and loaded.rgb.std() > 0.05
    if mode == "I;16":
        assert loaded.rgb[-1, -1, 0] > 0.99  # 16-bit full scale maps to 1


def test_alpha_is_kept_and_reattached(tmp_path):
    rgba = np.concatenate([_gradient(), np.zeros((48, 64, 1), np.float32)], 2)
    rgba[:, 32:, 3] = 1.0
    path = _save(tmp_path, "a.png", Image.fromarray((rgba * 255).astype(np.uint8), "RGBA"))
    loaded = load_image(path)
    assert loaded.alpha is not None and loaded.alpha[:, :32].max() == 0 and loaded.alpha[:, 32:].min() == 1
    out = save_image(tmp_path / "out.png", loaded.rgb, loaded.alpha)
    with Image.open(out) as im:
        assert im.mode == "RGBA"
        np.testing.assert_array_equal(np.asarray(im)[..., 3], (rgba[..., 3] * 255).astype(np.uint8))


def test_icc_tagged_image_is_converted_through_its_profile(tmp_path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    rgb = Image.new("RGB", (40, 40), (200, 30, 30))
    path = _save(tmp_path, "tagged.png", rgb, icc_profile=srgb.tobytes())
    loaded = load_image(path)  # sRGB -> sRGB: the pixels must survive the transform
    np.testing.assert_allclose(loaded.rgb[0, 0], np.array([200, 30, 30]) / 255, atol=3 / 255)


@pytest.mark.parametrize(
    "setup,message",
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_text("hello, not an image"), "not an image"),
        (lambda p: p.write_bytes(_png_bytes()[:300]), "damaged or truncated"),
        (lambda p: Image.new("RGB", (20, 20)).save(p, "PNG"), "at least 32 px"),
    ],
    ids=["missing", "not-image", "truncated", "tiny"],
)
def test_bad_inputs_get_one_clear_sentence(tmp_path, setup, message):
    path = tmp_path / "in.png"
    setup(path)
    with pytest.raises(StyleError, match=message):
        load_image(path, "Content image")


def test_absurdly_large_image_is_refused_before_decoding(tmp_path):
    path = tmp_path / "huge.png"
    # A valid PNG header claiming 30000 x 30000 pixels; the data never gets decoded.
    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    chunk = lambda k, d: struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    with pytest.raises(StyleError, match=r"900\.0 megapixels.*the limit is 89\.5 megapixels"):
        load_image(path)


def _png_bytes():
    buf = io.BytesIO()
    Image.fromarray((np.random.default_rng(0).random((64, 64, 3)) * 255).astype(np.uint8)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("name", ["o.png", "o.jpg", "o.tif"])
def test_outputs_round_trip_with_settings(tmp_path, name):
    rgb = _gradient()
    path = save_image(tmp_path / name, rgb, settings_json='{"size": 64}')
    back = load_image(path).rgb
    assert np.abs(back - rgb).mean() < 0.02
    assert read_settings_text(path) == '{"size": 64}'


@pytest.mark.parametrize("name", ["o16.png", "o16.tif"])
def test_sixteen_bit_outputs_keep_sixteen_bits(tmp_path, name):
    rgb = _gradient(200, 40)
    path = save_image(tmp_path / name, rgb, bits=16, settings_json="{}")
    data = path.read_bytes()
    if name.endswith(".png"):
        assert data[24] == 16  # IHDR bit depth
        raw = zlib.decompress(data[data.index(b"IDAT") + 4 :])
        row = np.frombuffer(raw[1 : 1 + 200 * 6], ">u2").reshape(200, 3)
    else:
        assert data[:4] == b"II*\x00"
        ifd = struct.unpack_from("<I", data, 4)[0]
        tags = {}
        for k in range(struct.unpack_from("<H", data, ifd)[0]):
            tag, typ, count, value = struct.unpack_from("<HHII", data, ifd + 2 + 12 * k)
            tags[tag] = value & 0xFFFF if typ == 3 else value
        assert tags[277] == 3 and tags[259] == 1  # RGB, uncompressed
        row = np.frombuffer(data, "<u2", count=200 * 40 * 3, offset=tags[273]).reshape(40, 200, 3)[0]
    np.testing.assert_allclose(row / 65535, rgb[0], atol=1 / 65535)
    assert len(np.unique(row[:, 0])) > 190  # more distinct levels than 8 bits could hold across 200 px


def test_never_overwrites_without_permission(tmp_path):
    path = tmp_path / "keep.png"
    path.write_bytes(b"precious")
    with pytest.raises(StyleError, match="already exists.*--overwrite"):
        save_image(path, _gradient())
    assert path.read_bytes() == b"precious"
    save_image(path, _gradient(), overwrite=True)
    with Image.open(path) as im:
        assert im.size == (64, 48)


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "keep.png"
    path.write_bytes(b"precious")
    with pytest.raises(StyleError, match="JPEG cannot store 16 bits"):
        save_image(tmp_path / "x.jpg", _gradient(), bits=16)
    bad = np.full((48, 64, 3), np.nan, np.float32)
    save_image(tmp_path / "nan.png", bad)  # NaNs are written as black, not a crash
    assert path.read_bytes() == b"precious"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".nss-")]


def test_unwritable_or_missing_folder_is_reported(tmp_path):
    with pytest.raises(StyleError, match="does not exist"):
        save_image(tmp_path / "no" / "such" / "dir.png", _gradient())
    with pytest.raises(StyleError, match=r"\.png, \.jpg"):
        save_image(tmp_path / "out.gif", _gradient())


def test_exports_get_ordinary_file_permissions(tmp_path):
    import os
    import stat

    path = save_image(tmp_path / "shared.png", _gradient(), settings_json="{}")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
