#!/usr/bin/env python3
"""Rebuild a trained anneal model in PyTorch from its safetensors export.

    import torch
    from load_in_pytorch import load                                    # scripts/ on sys.path
    networks = load("runs/my-run/export/model.safetensors")          # anneal export runs/my-run
    codes = networks["encoder"](x, y=y, noise=torch.zeros(len(x), 8))["z"]
    samples = networks["decoder"](codes, y=y)["probabilities"]

`load` returns one torch.nn.Module per network a user calls, by name: `encoder` and `decoder` (vae, cvae);
`global_encoder`, `local_encoder`, `local_prior` and `decoder` (hierarchical_cvae); `encoder_a`, `encoder_b` and
`decoder` (dual_vae). Each is built from the file alone: the tensors, the run's config (metadata "config") and
the description of each network anneal writes beside them (metadata "networks": its layers in order with
kernel, stride, the four paddings and activation, the reshapes, where the side inputs are joined). Dense layers
are torch.nn.Linear, convolutions torch.nn.Conv2d and torch.nn.ConvTranspose2d, their weights loaded as they are.

Inputs are float32 tensors with the batch first: x as training read it (divided by data.scale's divisor, then
standardised when data.standardize) with shape (N, F) or (N, C, H, W); y the one-hot label (N, classes); z every
latent block side by side (N, latent size); noise ε ~ N(0, I) (N, latent size; zeros give the posterior's
location). The outputs are the ONNX export's, by name:

- encoder (and local_prior): "mean", "log_variance", "z" = mean + exp(log_variance / 2) * noise; on the Poincaré
  ball "mean" is a tangent vector at the origin, "log_variance" is capped, "location" = exp0(mean) and
  "z" = proj(location ⊕ exp0(σ·noise / 2));
- decoder: "logits" and "probabilities" (Bernoulli, categorical: softmax within each group), or "mean" (and
  "log_variance" for a Gaussian), and "sample", what `anneal sample --codes` writes (standardisation undone,
  constant features set; the most likely class per group for categorical data).

Run as a script, it compares the modules with anneal's outputs: load_in_pytorch.py MODEL.safetensors
MANIFEST.json, the manifest listing {"network", "inputs": {name: .npy}, "expected": [[output, .npy], ...]}
(the test in Tests/AnnealCLITests/ONNXExportRunTests.swift writes it).
"""
import json
import math
import sys

import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import load_file

# The clamps of anneal's Poincaré-ball kernels (Sources/Tensors/RadialMap.swift): norms at least 1e-15,
# tanh inputs at most 15, Möbius denominators at least 1e-15.
MINIMUM_NORM = 1e-15
MAXIMUM_TANH_INPUT = 15.0


def _activation(step):
    name = step.get("activation")
    if name is None:
        return lambda h: h
    if name == "relu":
        return F.relu
    if name == "leaky_relu":
        return lambda h: F.leaky_relu(h, step["slope"])
    if name == "elu":
        return lambda h: F.elu(h, step["alpha"])
    if name == "tanh":
        return torch.tanh
    if name == "sigmoid":
        return torch.sigmoid
    if name == "softplus":
        return F.softplus
    raise ValueError(f"unknown activation {name}")


def exp_map_zero(v, curvature, tangent_scale=1.0, max_norm=None):
    """exp0(s·v) = tanh(s·√c‖v‖)·v/(√c‖v‖), its norm at most max_norm."""
    k = math.sqrt(curvature)
    norm = v.norm(dim=1, keepdim=True).clamp_min(MINIMUM_NORM)
    t = torch.tanh((tangent_scale * k * norm).clamp_max(MAXIMUM_TANH_INPUT))
    if max_norm is not None:
        t = t.clamp_max(k * max_norm)
    return v * t / (k * norm)


def mobius_add(x, y, curvature):
    """x ⊕ y = [(1 + 2c⟨x,y⟩ + c‖y‖²)x + (1 − c‖x‖²)y] / (1 + 2c⟨x,y⟩ + c²‖x‖²‖y‖²)."""
    c = curvature
    xy = (x * y).sum(dim=1, keepdim=True)
    xx = (x * x).sum(dim=1, keepdim=True)
    yy = (y * y).sum(dim=1, keepdim=True)
    numerator = (1 + 2 * c * xy + c * yy) * x + (1 - c * xx) * y
    return numerator / (1 + 2 * c * xy + c * c * xx * yy).clamp_min(MINIMUM_NORM)


def clip_norm(x, max_norm):
    """Each row scaled back onto the ball of radius max_norm."""
    return x * (max_norm / x.norm(dim=1, keepdim=True).clamp_min(MINIMUM_NORM)).clamp_max(1.0)


class Network(torch.nn.Module):
    """One anneal network: its layers in order, the reshapes, and the side inputs joined where anneal joins them."""

    def __init__(self, description, tensors):
        super().__init__()
        self.description = description
        self.layers = torch.nn.ModuleDict()
        for step in description["steps"]:
            op = step["op"]
            if op not in ("dense", "conv", "conv_transpose"):
                continue
            weight, bias = tensors[step["parameters"] + ".weight"], tensors[step["parameters"] + ".bias"]
            if op == "dense":
                layer = torch.nn.Linear(weight.shape[1], weight.shape[0])
            elif op == "conv":
                # Padding is applied by F.pad in forward (it may differ between sides, as TensorFlow's "same").
                layer = torch.nn.Conv2d(weight.shape[1], weight.shape[0], tuple(step["kernel"]), stride=tuple(step["stride"]))
            else:
                # A transposed convolution's padding is cut from its output in forward.
                layer = torch.nn.ConvTranspose2d(weight.shape[0], weight.shape[1], tuple(step["kernel"]), stride=tuple(step["stride"]))
            layer.load_state_dict({"weight": weight, "bias": bias})
            self.layers[step["parameters"].replace(".", "_")] = layer

    def forward(self, h, sides):
        for step in self.description["steps"]:
            op = step["op"]
            if op == "reshape":
                h = h.reshape((h.shape[0],) + tuple(step["shape"]))
            elif op == "join":
                if sides:
                    h = torch.cat([h] + sides, dim=1)
            else:
                layer = self.layers[step["parameters"].replace(".", "_")]
                if op == "conv":
                    top, bottom, left, right = step["padding"]
                    h = layer(F.pad(h, (left, right, top, bottom)))
                elif op == "conv_transpose":
                    top, bottom, left, right = step["padding"]
                    h = layer(h)
                    h = h[:, :, top:h.shape[2] - bottom, left:h.shape[3] - right]
                else:
                    h = layer(h)
                h = _activation(step)(h)
        return h


class Encoder(torch.nn.Module):
    """An encoder (or a hierarchical CVAE's local prior): the posterior of one latent block and a code drawn with `noise`."""

    def __init__(self, description, tensors):
        super().__init__()
        self.description = description
        self.network = Network(description, tensors)

    def forward(self, first, noise, **sides):
        d = self.description
        size = d["latent_size"]
        h = self.network(first, [sides[side["name"]] for side in d["sides"]])
        mean, log_variance = h[:, :size], h[:, size:2 * size]
        geometry = d["geometry"]
        if geometry["name"] == "euclidean":
            return {"mean": mean, "log_variance": log_variance, "z": mean + torch.exp(log_variance / 2) * noise}
        c, max_norm = geometry["curvature"], geometry["max_radius"] / math.sqrt(geometry["curvature"])
        log_variance = log_variance.clamp_max(geometry["max_log_variance"])
        location = exp_map_zero(mean, c, 1.0, max_norm)
        step = exp_map_zero(torch.exp(log_variance / 2) * noise, c, 0.5)
        z = clip_norm(mobius_add(location, step, c), max_norm)
        return {"mean": mean, "log_variance": log_variance, "location": location, "z": z}


class Decoder(torch.nn.Module):
    """A decoder: the likelihood's parameters, its mean and the sample `anneal sample` writes for each code."""

    def __init__(self, description, tensors, model):
        super().__init__()
        self.description = description
        self.model = model
        self.network = Network(description, tensors)
        self.log_variance = tensors.get("decoder.log_variance")
        self.mean_statistics = tensors.get("data.standardize.mean")
        self.standard_deviation = tensors.get("data.standardize.standard_deviation")

    def forward(self, z, **sides):
        d, model = self.description, self.model
        scaled = d.get("scaled_columns")
        if scaled is not None and scaled["factor"] != 1:
            z = torch.cat([z[:, :scaled["start"]], z[:, scaled["start"]:] * scaled["factor"]], dim=1)
        h = self.network(z, [sides[side["name"]] for side in d["sides"]])
        layout = tuple(model["data"]["layout"])
        h = h.reshape((h.shape[0],) + layout)
        likelihood = model["likelihood"]
        if likelihood == "categorical":
            group = model["data"]["category_group_size"]
            grouped = torch.softmax(h.reshape(h.shape[0], -1, group), dim=2)
            return {"logits": h, "probabilities": grouped.reshape(h.shape), "sample": grouped.argmax(dim=2).to(torch.int32)}
        if likelihood == "bernoulli":
            outputs = {"logits": h, "probabilities": torch.sigmoid(h)}
            mean = outputs["probabilities"]
        else:
            outputs = {"mean": h}
            mean = h
            if likelihood == "gaussian":
                variance = self.log_variance if self.log_variance is not None else torch.zeros(1, h[0].numel())
                outputs["log_variance"] = variance.reshape((1,) + layout).expand_as(h)
        sample = mean
        if self.mean_statistics is not None:
            sample = sample * self.standard_deviation.reshape((1,) + layout) + self.mean_statistics.reshape((1,) + layout)
        constants = model["data"].get("constant_features", [])
        if constants:
            flat = sample.reshape(sample.shape[0], -1).clone()
            for constant in constants:
                flat[:, constant["index"]] = constant["value"]
            sample = flat.reshape(sample.shape)
        outputs["sample"] = sample
        return outputs


def load(path):
    """The networks of the model exported to `path` (anneal export RUN, safetensors), by name, in eval mode."""
    tensors = load_file(path)
    with safe_open(path, "pt") as file:
        metadata = file.metadata()
    if "networks" not in metadata:
        raise ValueError(f"{path}: no network description in its metadata; export it again with this anneal (anneal export RUN)")
    model = json.loads(metadata["networks"])
    model["config"] = json.loads(metadata["config"])
    networks = {}
    for description in model["networks"]:
        if description["role"] == "encoder":
            module = Encoder(description, tensors)
        else:
            module = Decoder(description, tensors, model)
        networks[description["name"]] = module.eval()
    return networks


def _compare(path, manifest_path):
    import numpy as np

    networks = load(path)
    worst, failed = 0.0, False
    for case in json.load(open(manifest_path)):
        module = networks[case["network"]]
        inputs = {name: torch.from_numpy(np.load(file).astype(np.float32)) for name, file in case["inputs"].items()}
        first_name = module.description["input"]["name"]
        first = inputs.pop(first_name)
        first = first.reshape((first.shape[0],) + tuple(module.description["input"]["shape"]))
        with torch.no_grad():
            outputs = module(first, **inputs)
        line = []
        for name, file in case["expected"]:
            actual = outputs[name].numpy()
            expected = np.load(file).reshape(actual.shape)
            if np.issubdtype(actual.dtype, np.integer):
                ok = bool(np.array_equal(actual, expected.astype(actual.dtype)))
                line.append(f"{name} {'equal' if ok else 'DIFFERENT'}")
            else:
                difference = float(np.max(np.abs(actual.astype(np.float64) - expected) / np.maximum(1.0, np.abs(expected))))
                worst = max(worst, difference)
                ok = difference <= 1e-5
                line.append(f"{name} {difference:.2e}")
            failed = failed or not ok
        print(f"{path} {case['network']}: " + ", ".join(line))
    print(f"largest relative difference {worst:.3g}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: load_in_pytorch.py MODEL.safetensors MANIFEST.json")
    sys.exit(_compare(sys.argv[1], sys.argv[2]))
