#!/usr/bin/env python3
"""Runs `anneal bench` and the PyTorch reference (shared/bench/ref_torch_vae.py) side by side, interleaved,
on the same machine and thread counts, and prints a Markdown table of medians and ratios for BENCHMARKS.md.

    python3 scripts/compare-with-pytorch.py [--repeats 3] [--epochs 2]

It builds anneal in release mode and makes the reference Python environment with
shared/bench/setup-ref-env.sh (PyTorch CPU from PyPI).
"""
import argparse, json, os, platform, statistics, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bench = os.path.join(os.path.dirname(root), "shared", "bench")

parser = argparse.ArgumentParser()
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--epochs", type=int, default=2)
args = parser.parse_args()

subprocess.run(["swift", "build", "-c", "release", "--product", "anneal"], cwd=root, check=True, stdout=sys.stderr)
binary = os.path.join(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=root, check=True,
                                     capture_output=True, text=True).stdout.strip(), "anneal")
python = subprocess.run(["bash", os.path.join(bench, "setup-ref-env.sh")], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]

def run_json(command):
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])

peak = subprocess.run([python, os.path.join(bench, "ref_gemm_peak.py")], check=True, capture_output=True, text=True).stdout
peak_1 = [float(line.split(": ")[1].split()[0]) for line in peak.splitlines() if line.startswith("threads=1 2048")][0]
peak_2 = [float(line.split(": ")[1].split()[0]) for line in peak.splitlines() if line.startswith("threads=2 2048")][0]

rows = []
for model in ["mlp-784", "ternary"]:
    for threads in [1, 2]:
        ours, theirs = [], []
        for _ in range(args.repeats):
            ours.append(run_json([binary, "bench", "--model", model, "--threads", str(threads), "--epochs", str(args.epochs), "--format", "json"]))
            theirs.append(run_json([python, os.path.join(bench, "ref_torch_vae.py"), "--model", model, "--threads", str(threads), "--epochs", str(args.epochs)]))
        median = lambda runs, key: statistics.median(run[key] for run in runs)
        rows.append(dict(model=model, threads=threads,
                         ours=median(ours, "samples_per_second"), theirs=median(theirs, "samples_per_second"),
                         ours_ms=median(ours, "step_ms"), theirs_ms=median(theirs, "step_ms"),
                         ours_rss=median(ours, "peak_rss_mb"), theirs_rss=median(theirs, "peak_rss_mb"),
                         gflops=median(ours, "gflops"), spread=(min(r["samples_per_second"] for r in ours), max(r["samples_per_second"] for r in ours)),
                         torch=theirs[0]["torch"]))

print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; PyTorch {rows[0]['torch']}; sgemm peak (torch, 2048³): "
      f"{peak_1:.1f} GFLOP/s on 1 thread, {peak_2:.1f} on 2. Medians of {args.repeats} interleaved runs, {args.epochs} timed epochs each.\n")
print("| model | threads | anneal samples/s (min–max) | PyTorch samples/s | ratio | anneal ms/step | PyTorch ms/step | anneal GFLOP/s (% of peak) | anneal peak RSS | PyTorch peak RSS | memory ratio |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    peak = peak_1 if r["threads"] == 1 else peak_2
    print(f"| {r['model']} | {r['threads']} | {r['ours']:,.0f} ({r['spread'][0]:,.0f}–{r['spread'][1]:,.0f}) | {r['theirs']:,.0f} | "
          f"**{r['ours'] / r['theirs']:.2f}×** | {r['ours_ms']:.3f} | {r['theirs_ms']:.3f} | {r['gflops']:.1f} ({100 * r['gflops'] / peak:.0f}%) | "
          f"{r['ours_rss']:.0f} MB | {r['theirs_rss']:.0f} MB | {r['ours_rss'] / r['theirs_rss']:.2f} |")
