"""--compile on: the compiled loss equals the eager one, and a compiler that
fails costs a note, not the run."""

import pytest
import torch

from engine.losses.objective import build_objective
from engine.network.compiled import LossTerms
from engine.settings import Settings

# Two shallow layers keep the compile to seconds; the code path is the full one.
SHALLOW = Settings(
    precision="fp32", compile="on", content_layers={"relu2_1": 1.0}, style_layers={"relu1_1": 1.0, "relu2_1": 1.0}
)


def _problem():
    torch.manual_seed(0)
    content, style = torch.rand(1, 3, 48, 64), torch.rand(1, 3, 48, 64)
    objective = build_objective(content, [style], [1.0], SHALLOW, torch.device("cpu"), torch.float32)
    return objective, (content + 0.1 * torch.randn_like(content)).requires_grad_(True)


def _loss_and_grad(fn, x):
    terms = fn(x)
    (grad,) = torch.autograd.grad(sum(terms.values()), x)
    return {k: float(v.detach()) for k, v in terms.items()}, grad


@pytest.mark.slow
def test_compiled_loss_and_gradient_equal_the_eager_ones():
    objective, x = _problem()
    eager, g_eager = _loss_and_grad(objective.terms, x)
    compiled = LossTerms(objective, SHALLOW)
    terms, g = _loss_and_grad(compiled, x)
    assert compiled.note == ""  # it really compiled (a C++ compiler is on this machine)
    assert terms == pytest.approx(eager, rel=1e-5)
    assert float((g - g_eager).norm() / g_eager.norm()) < 1e-5


def test_a_failing_compiler_falls_back_to_eager_with_a_note():
    import torch._inductor.config as inductor

    objective, x = _problem()
    eager, g_eager = _loss_and_grad(objective.terms, x)
    torch._dynamo.reset()
    with inductor.patch({"cpp.cxx": ("no-such-compiler-nss",), "fx_graph_cache": False}):
        fallback = LossTerms(objective, SHALLOW)
        terms, g = _loss_and_grad(fallback, x)
    torch._dynamo.reset()
    assert "torch.compile failed" in fallback.note and "went on without it" in fallback.note
    assert terms == pytest.approx(eager, rel=1e-6)
    torch.testing.assert_close(g, g_eager)
