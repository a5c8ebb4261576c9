"""Whether this CPU has a fast bfloat16 path; torch-free, so the window's time
estimate can ask before torch is imported."""

from __future__ import annotations

import functools
import os
import sys

# Values of torch's and oneDNN's own switches that limit them to kernels
# without AVX-512: with these set, bf16 has no fast kernels and fp32 is faster.
_WITHOUT_AVX512 = {
    "ATEN_CPU_CAPABILITY": ("default", "avx2", "zvector", "vsx"),
    "ONEDNN_MAX_CPU_ISA": ("sse41", "avx", "avx2", "avx2_vnni", "avx2_vnni_2"),
}


def isa_limited() -> bool:
    """True when ATEN_CPU_CAPABILITY or ONEDNN_MAX_CPU_ISA keeps torch below AVX-512."""
    return any(os.environ.get(name, "").strip().lower() in values for name, values in _WITHOUT_AVX512.items())


@functools.cache
def cpu_has_fast_bf16() -> bool:
    """True on x86 CPUs with AMX or AVX-512 BF16 instructions that torch may use (Linux reads cpuinfo)."""
    if not sys.platform.startswith("linux") or isa_limited():
        return False
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags
