"""The 16-bit writers: every level survives, read back by independent decoders."""

import struct
import zlib

import numpy as np
import pytest
import tifffile

from engine.image.png16 import write_png16, write_tiff16


def levels(h=37, w=53, c=3) -> np.ndarray:
    """Every uint16 value is possible, with neighbours that differ in the high and low byte."""
    return (np.random.default_rng(7).random((h, w, c)) * 65535).astype(np.uint16)


def png_chunks(blob: bytes) -> dict:
    chunks, at = {}, 8
    while at < len(blob):
        (length,) = struct.unpack_from(">I", blob, at)
        kind, body = blob[at + 4 : at + 8], blob[at + 8 : at + 8 + length]
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == struct.unpack_from(">I", blob, at + 8 + length)[0]
        chunks.setdefault(kind, []).append(body)
        at += 12 + length
    return chunks


@pytest.mark.parametrize("c", [3, 4])
def test_png_unfiltered_by_the_spec_gives_back_every_level(tmp_path, c):
    data = levels(c=c)
    write_png16(tmp_path / "o.png", data, {"settings": '{"size": 64}'})
    chunks = png_chunks((tmp_path / "o.png").read_bytes())
    w, h, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert (w, h, depth, colour) == (53, 37, 16, {3: 2, 4: 6}[c])
    assert chunks[b"iTXt"] == [b"settings\0\0\0\0\0" + b'{"size": 64}']
    raw = np.frombuffer(zlib.decompress(b"".join(chunks[b"IDAT"])), np.uint8).reshape(h, 1 + w * c * 2)
    assert set(raw[:, 0]) == {2}  # the Up filter on every row
    rows = np.cumsum(raw[:, 1:], axis=0, dtype=np.uint8)  # PNG 1.2, 6.3: Up(x) + Prior(x), mod 256
    np.testing.assert_array_equal(rows.view(">u2").reshape(h, w, c), data)


@pytest.mark.parametrize("c", [3, 4])
def test_png_reads_back_exactly_through_opencv(tmp_path, c):
    cv2 = pytest.importorskip("cv2")  # the video extra; libpng is an independent decoder
    data = levels(c=c)
    write_png16(tmp_path / "o.png", data)
    back = cv2.imread(str(tmp_path / "o.png"), cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(back[..., [2, 1, 0, 3][:c]], data)


@pytest.mark.parametrize("description", ["{}", '{"size": 1024, "style_strength": 1.5}'])
@pytest.mark.parametrize("c", [3, 4])
def test_tiff_keeps_every_level_alpha_and_a_description_of_any_length(tmp_path, c, description):
    data = levels(c=c)
    write_tiff16(tmp_path / "o.tif", data, {"settings": description})
    with tifffile.TiffFile(tmp_path / "o.tif") as tif:
        page = tif.pages[0]
        np.testing.assert_array_equal(page.asarray(), data)
        assert page.description == description  # "{}" fits in the tag itself: it must be stored there
        assert page.compression == 1 and page.bitspersample == 16 and len(page.dataoffsets) == 1
        assert page.extrasamples == ((2,) if c == 4 else ())  # unassociated alpha
