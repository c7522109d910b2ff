#!/usr/bin/env python3
"""Writes Tests/TensorsTests/Fixtures/pytorch_convolutions.json: PyTorch's Conv2d and ConvTranspose2d on fixed
inputs and weights, with their outputs and the gradients of L = sum(y * R) for a fixed R, so Anneal's convolutions
(oneDNN in float32, im2col in float64) can be compared with PyTorch's.

    /root/.cache/anneal-ref-venv/bin/python scripts/generate-convolution-fixture.py     # torch from PyPI

Each case: the geometry (PyTorch's padding p; "same" as TensorFlow pads: the extra pixel at the bottom and right,
done with F.pad before a padding-0 convolution), x (N × C × H × W), weight (PyTorch's layout), bias, R, and y,
dL/dx, dL/dweight, dL/dbias, all computed in float64 and listed flat in row-major (NCHW) order.
"""
import json, os, sys
import torch
import torch.nn.functional as F

torch.manual_seed(20261206)
CASES = [
    # name, transposed, N, C, H, W, out, kernel, stride, padding (top, bottom, left, right)
    ("conv 3→4, 4×4 /2, padding 1 (conv-64's e1/e2 kind)", False, 2, 3, 8, 8, 4, 4, 2, (1, 1, 1, 1)),
    ("conv 4→5, 2×2 /2, padding 0 (e3/e4 kind)", False, 2, 4, 6, 6, 5, 2, 2, (0, 0, 0, 0)),
    ("conv 2→3, 3×3 /1, padding 1", False, 3, 2, 5, 7, 3, 3, 1, (1, 1, 1, 1)),
    ("conv 2→2, 2×2 /2, TensorFlow same on 5×5 (pad bottom and right)", False, 2, 2, 5, 5, 2, 2, 2, (0, 1, 0, 1)),
    ("transposed 4→3, 4×4 /2, padding 1 (the decoder's kind)", True, 2, 4, 4, 4, 3, 4, 2, (1, 1, 1, 1)),
    ("transposed 3→1, 4×4 /2, padding 1 (the last decoder layer)", True, 2, 3, 5, 5, 1, 4, 2, (1, 1, 1, 1)),
    ("transposed 2→2, 3×3 /1, padding 0", True, 3, 2, 3, 4, 2, 3, 1, (0, 0, 0, 0)),
]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, transposed, n, c, h, w, out, k, s, padding):
    top, bottom, left, right = padding
    x = torch.randn(n, c, h, w, dtype=torch.float64, requires_grad=True)
    shape = (c, out, k, k) if transposed else (out, c, k, k)
    weight = (torch.randn(*shape, dtype=torch.float64) * 0.5).requires_grad_(True)
    bias = (torch.randn(out, dtype=torch.float64) * 0.5).requires_grad_(True)
    if transposed:
        assert top == bottom and left == right, "transposed cases use symmetric padding"
        y = F.conv_transpose2d(x, weight, bias, stride=s, padding=top)
    elif top == bottom and left == right:
        y = F.conv2d(x, weight, bias, stride=s, padding=top)
    else:
        y = F.conv2d(F.pad(x, (left, right, top, bottom)), weight, bias, stride=s, padding=0)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    return {"name": name, "transposed": transposed, "batch": n, "channels": c, "height": h, "width": w, "out_channels": out,
            "kernel": k, "stride": s, "padding": list(padding), "output_shape": list(y.shape),
            "x": flat(x), "weight": flat(weight), "bias": flat(bias), "r": flat(r), "y": flat(y),
            "dx": flat(x.grad), "dweight": flat(weight.grad), "dbias": flat(bias.grad)}


def main():
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "TensorsTests", "Fixtures", "pytorch_convolutions.json")
    document = {"generator": "scripts/generate-convolution-fixture.py", "torch": torch.__version__, "python": sys.version.split()[0],
                "cases": [case(*c) for c in CASES]}
    with open(out, "w") as f:
        json.dump(document, f, indent=0)
        f.write("\n")
    print("wrote", os.path.normpath(out), "with", len(CASES), "cases, torch", torch.__version__)


if __name__ == "__main__":
    main()
