#!/usr/bin/env python3
"""Golden parameters from PyTorch's optimisers for a fixed gradient sequence, for OptimizerTests.

    $(bash ../shared/bench/setup-ref-env.sh) Tests/LayersTests/Fixtures/generate_pytorch_optimizers.py \
        > Tests/LayersTests/Fixtures/pytorch_optimizers.json

The parameter starts at p0[i] = sin(i + 1) (float32, 12 values); at step s (1-based) the gradient is
g[i] = cos(0.7·s + 0.3·i)·(1 + 0.1·s) (float32). Values are written with repr() of float32 converted to
Python floats, so they read back exactly.
"""
import json, math, platform, sys
import torch

N, STEPS = 12, 10

def gradient(step):
    return torch.tensor([math.cos(0.7 * step + 0.3 * i) * (1 + 0.1 * step) for i in range(N)], dtype=torch.float32)

def run(make):
    p = torch.nn.Parameter(torch.tensor([math.sin(i + 1) for i in range(N)], dtype=torch.float32))
    opt = make([p])
    history = []
    for step in range(1, STEPS + 1):
        opt.zero_grad()
        p.grad = gradient(step)
        opt.step()
        history.append([float(v) for v in p.detach()])
    return history

cases = {
    "sgd": (dict(type="sgd", lr=0.1), lambda ps: torch.optim.SGD(ps, lr=0.1)),
    "sgd_momentum": (dict(type="sgd", lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
                     lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    "sgd_nesterov": (dict(type="sgd", lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001),
                     lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001)),
    "adam": (dict(type="adam", lr=0.01), lambda ps: torch.optim.Adam(ps, lr=0.01)),
    "adam_weight_decay": (dict(type="adam", lr=0.01, betas=[0.8, 0.99], eps=1e-6, weight_decay=0.1),
                          lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    "adamw": (dict(type="adamw", lr=0.01, weight_decay=0.05), lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.05)),
}
out = {"torch": torch.__version__, "python": platform.python_version(), "steps": STEPS, "cases": {}}
for name, (params, make) in cases.items():
    out["cases"][name] = {"params": params, "history": run(make)}
json.dump(out, sys.stdout, indent=1)
print()
