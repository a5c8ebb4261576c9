"""The bf16 choice follows the ISA torch may use, not only the CPU's flags."""

import subprocess
import sys

import pytest

from engine.network import cpu


@pytest.mark.parametrize("name,value", [("ATEN_CPU_CAPABILITY", "avx2"), ("ONEDNN_MAX_CPU_ISA", "AVX2")])
def test_an_isa_limit_below_avx512_means_fp32(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    assert cpu.isa_limited()
    code = "import torch; from engine.network.device import pick_precision; print(pick_precision(torch.device('cpu')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "torch.float32"


def test_no_limit_leaves_the_choice_to_the_cpu(monkeypatch):
    monkeypatch.delenv("ATEN_CPU_CAPABILITY", raising=False)
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    assert not cpu.isa_limited()
    with open("/proc/cpuinfo") as f:
        flags = f.read()
    cpu.cpu_has_fast_bf16.cache_clear()
    assert cpu.cpu_has_fast_bf16() == ("amx_bf16" in flags or "avx512_bf16" in flags)
