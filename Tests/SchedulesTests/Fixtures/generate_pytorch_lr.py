#!/usr/bin/env python3
"""Golden learning rates from PyTorch's schedulers, for LearningRateScheduleTests.

Run with the reference environment (../../../../shared/bench/setup-ref-env.sh prints its python):
    $(bash ../shared/bench/setup-ref-env.sh) Tests/SchedulesTests/Fixtures/generate_pytorch_lr.py \
        > Tests/SchedulesTests/Fixtures/pytorch_lr.json
Values are written with repr(), so they read back as exactly the doubles PyTorch computed.
"""
import json, platform, sys
import torch

def optimizer(lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)

def stepped(make, epochs, lr=1e-3):
    """lr at epochs 0..epochs-1 using scheduler.step() once per epoch (PyTorch's usual loop)."""
    opt = optimizer(lr)
    sched = make(opt)
    values = []
    for _ in range(epochs):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return values

def at_epochs(make, epochs, lr=1e-3):
    """lr after scheduler.step(epoch) for each (possibly fractional) epoch: PyTorch's fractional path."""
    opt = optimizer(lr)
    sched = make(opt)
    values = []
    for e in epochs:
        opt.step()
        sched.step(e)
        values.append(opt.param_groups[0]["lr"])
    return values

W = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts
fractional = [0.0, 0.5, 1.25, 9.0, 9.999, 10.0, 10.5, 29.0, 29.75, 30.0, 31.0, 69.5, 70.0, 150.0, 155.3]
cases = {
    "warm_restarts_T0_10_Tmult_2": {
        "params": {"T_0": 10, "T_mult": 2, "eta_min": 1e-5, "learning_rate": 1e-3},
        "per_epoch": stepped(lambda o: W(o, T_0=10, T_mult=2, eta_min=1e-5), 160),
        "fractional_epochs": fractional,
        "fractional": at_epochs(lambda o: W(o, T_0=10, T_mult=2, eta_min=1e-5), fractional),
    },
    "warm_restarts_T0_7_Tmult_1": {
        "params": {"T_0": 7, "T_mult": 1, "eta_min": 0.0, "learning_rate": 0.1},
        "per_epoch": stepped(lambda o: W(o, T_0=7, T_mult=1), 50, lr=0.1),
        "fractional_epochs": fractional,
        "fractional": at_epochs(lambda o: W(o, T_0=7, T_mult=1), fractional, lr=0.1),
    },
    "warm_restarts_T0_3_Tmult_3": {
        "params": {"T_0": 3, "T_mult": 3, "eta_min": 1e-4, "learning_rate": 0.01},
        "per_epoch": stepped(lambda o: W(o, T_0=3, T_mult=3, eta_min=1e-4), 130, lr=0.01),
        "fractional_epochs": fractional,
        "fractional": at_epochs(lambda o: W(o, T_0=3, T_mult=3, eta_min=1e-4), fractional, lr=0.01),
    },
    "step_size_3_gamma_0.5": {
        "params": {"step_size": 3, "gamma": 0.5, "learning_rate": 1e-3},
        "per_epoch": stepped(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 20),
    },
    "exponential_gamma_0.9": {
        "params": {"gamma": 0.9, "learning_rate": 1e-3},
        "per_epoch": stepped(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9), 20),
    },
    "cosine_T_max_20": {
        "params": {"T_max": 20, "eta_min": 1e-5, "learning_rate": 1e-3},
        "per_epoch": stepped(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=20, eta_min=1e-5), 21),
    },
}
json.dump({"torch": torch.__version__, "python": platform.python_version(), "cases": cases}, sys.stdout, indent=1)
print()
