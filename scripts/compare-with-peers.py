#!/usr/bin/env python3
"""Runs `anneal bench`, the PyTorch reference (shared/bench/ref_torch_vae.py) and the JAX + Optax reference
(shared/bench/ref_jax_vae.py, the whole step compiled by XLA) on the benchmark models, interleaved, each pinned
(`taskset -c 0` for one thread, `taskset -c 0,1` for two), under `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`
(as a user's machine runs: no forced OpenBLAS kernel), best of --repeats runs each, and writes the table, the
sgemm peak and the exact command into BENCHMARKS.md (between the compare-with-peers markers).

    python3 scripts/compare-with-peers.py [--repeats 3] [--epochs 2] [--threads 1,2] [--python PATH] [--no-write]

Best of several runs, because the machine may be shared: the best run is the one least disturbed by others.
The ratios compare the training steps: anneal's figure excludes the end-of-epoch pass that anneal train runs
(with the bench's empty validation set, the coverage and radius pass over the data), which the references do
not have; the figure with it is in its own column.
"""
import argparse, datetime, json, os, platform, re, shlex, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bench = os.path.join(os.path.dirname(root), "shared", "bench")

parser = argparse.ArgumentParser()
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--threads", default="1,2")
parser.add_argument("--models", default="mlp-784,ternary,conv-64")
parser.add_argument("--python", help="the Python with torch, jax and optax (default: shared/bench/setup-ref-env.sh's)")
parser.add_argument("--no-write", action="store_true", help="print the table only")
args = parser.parse_args()

clean_env = ["env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE"]
def pin(threads):
    return ["taskset", "-c", ",".join(str(i) for i in range(threads))]

subprocess.run(["swift", "build", "-c", "release", "--product", "anneal"], cwd=root, check=True, stdout=sys.stderr)
binary = os.path.join(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=root, check=True,
                                     capture_output=True, text=True).stdout.strip(), "anneal")
python = args.python or subprocess.run(["bash", os.path.join(bench, "setup-ref-env.sh")], check=True, capture_output=True,
                                       text=True).stdout.strip().splitlines()[-1]

def run_json(command):
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])

# The machine's single-thread sgemm peak with OpenBLAS's own kernel choice (shared/bench/sgemm_peak.c).
peak_binary = "/tmp/anneal-sgemm-peak"
cflags = subprocess.run(["pkg-config", "--cflags", "--libs", "openblas"], check=True, capture_output=True, text=True).stdout.split()
subprocess.run(["gcc", "-O2", os.path.join(bench, "sgemm_peak.c"), "-o", peak_binary] + cflags, check=True)
peaks = {}
core = "?"
for _ in range(2):
    out = subprocess.run(clean_env + pin(1) + [peak_binary], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("core:"):
            core = line.split(":", 1)[1].strip()
        m = re.match(r"(\d+x\d+x\d+): ([\d.]+) GFLOP/s", line)
        if m:
            peaks[m.group(1)] = max(peaks.get(m.group(1), 0), float(m.group(2)))
peak = max(peaks.values())

contenders = {
    "anneal": lambda model, threads: clean_env + pin(threads) + [binary, "bench", "--model", model, "--threads", str(threads), "--epochs", str(args.epochs), "--format", "json"],
    "pytorch": lambda model, threads: clean_env + pin(threads) + [python, os.path.join(bench, "ref_torch_vae.py"), "--model", model, "--threads", str(threads), "--epochs", str(args.epochs)],
    "jax": lambda model, threads: clean_env + pin(threads) + [python, os.path.join(bench, "ref_jax_vae.py"), "--model", model, "--threads", str(threads), "--epochs", str(args.epochs)],
}
def speed(result):
    """Samples per second of the training steps: anneal's excludes its end-of-epoch evaluation, which the
    references do not have (they time their epochs of steps alone)."""
    return result.get("step_samples_per_second", result["samples_per_second"])

results = {}
versions = {}
load_before = os.getloadavg()
for model in args.models.split(","):
    for threads in [int(t) for t in args.threads.split(",")]:
        runs = {name: [] for name in contenders}
        for _ in range(args.repeats):
            for name, command in contenders.items():  # interleaved: one of each, then again
                result = run_json(command(model, threads))
                runs[name].append(result)
                if "torch" in result: versions["pytorch"] = result["torch"]
                if "jax" in result: versions["jax"] = result["jax"]
        results[(model, threads)] = runs
        print(f"{model}, {threads} thread(s): " + ", ".join(f"{n} {max(speed(r) for r in rs):,.0f}/s" for n, rs in runs.items()), file=sys.stderr)
load_after = os.getloadavg()

def best(runs):
    return max(runs, key=speed)

flops = {}
lines = []
lines.append("| model | threads | anneal samples/s, training steps (best, worst) | anneal with end-of-epoch pass | PyTorch | JAX | vs PyTorch | vs JAX | anneal ms/step (training steps) | anneal GFLOP/s, training steps (% of sgemm peak) | matrix products (conv-64: and oneDNN convolutions): ms of a full step, GFLOP/s | allocations/step (with the end-of-epoch pass) | peak RSS anneal / PyTorch / JAX |")
lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
bounds = []
for (model, threads), runs in results.items():
    a, t, j = best(runs["anneal"]), best(runs["pytorch"]), best(runs["jax"])
    worst = min(speed(r) for r in runs["anneal"])
    whole = max(r["samples_per_second"] for r in runs["anneal"])
    rss_a = max(r["peak_rss_mb"] for r in runs["anneal"])
    rss_t = min(r["peak_rss_mb"] for r in runs["pytorch"])
    rss_j = min(r["peak_rss_mb"] for r in runs["jax"])
    share = 100 * a["gflops"] / (peak * threads)
    products = (f"{a['product_ms']:.3f} of {a['step_alone_ms']:.3f} ({100 * a['product_ms'] / a['step_alone_ms']:.0f}%), {a['product_gflops']:.1f}"
                if a.get("product_ms") and a.get("step_alone_ms") else "–")
    lines.append(f"| {model} | {threads} | **{speed(a):,.0f}** ({speed(a):,.0f}, {worst:,.0f}) | {whole:,.0f} ({whole / t['samples_per_second']:.2f}× / {whole / j['samples_per_second']:.2f}×) | "
                 f"{t['samples_per_second']:,.0f} | {j['samples_per_second']:,.0f} | "
                 f"**{speed(a) / t['samples_per_second']:.2f}×** | **{speed(a) / j['samples_per_second']:.2f}×** | {a['step_ms']:.3f} | "
                 f"{a['gflops']:.1f} ({share:.0f}%) | {products} | {a.get('allocations_per_step', '–')} | {rss_a:.0f} / {rss_t:.0f} / {rss_j:.0f} MB ({rss_a / min(rss_t, rss_j):.2f} of the smaller) |")
    if a.get("product_ms") and a.get("step_alone_ms"):
        # If everything but the matrix products took no time: the step would be product_ms long.
        ceiling = speed(a) * a["step_alone_ms"] / a["product_ms"]
        bounds.append(f"- {model}, {threads} thread(s): the matrix products{' and convolutions' if model == 'conv-64' else ''} alone would allow {ceiling:,.0f} samples/s, "
                      f"{ceiling / t['samples_per_second']:.2f}× PyTorch and {ceiling / j['samples_per_second']:.2f}× JAX, "
                      f"if everything else in the step took no time")
scaling = []
for model in args.models.split(","):
    if (model, 1) in results and (model, 2) in results:
        parts = []
        for name, label in [("anneal", "anneal"), ("pytorch", "PyTorch"), ("jax", "JAX")]:
            one = speed(best(results[(model, 1)][name]))
            two = speed(best(results[(model, 2)][name]))
            parts.append(f"{label} {two / one:.2f}×")
        scaling.append(f"- {model}, 1 → 2 threads: " + ", ".join(parts))

command = "python3 scripts/compare-with-peers.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
anneal_info = best(next(iter(results.values()))["anneal"])
text = "\n".join([
    f"Measured {datetime.date.today().isoformat()} with `{command.strip()}`: {platform.machine()}, {os.cpu_count()} cores "
    f"({platform.processor() or 'CPU'}); OpenBLAS kernel `{anneal_info.get('blas_core', '?')}`, Anneal's element-wise kernels "
    f"{anneal_info.get('elementwise_kernels', '?')}; PyTorch {versions.get('pytorch', '?')}, JAX {versions.get('jax', '?')}. "
    f"Each contender pinned (`taskset -c 0`, or `-c 0,1` for two threads) under `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`, "
    f"runs interleaved, **best of {args.repeats}** each ({args.epochs} timed epochs after a warm-up epoch). The machine is shared "
    f"(load average {load_before[0]:.1f} before, {load_after[0]:.1f} after), so the best run is the least disturbed one; worst anneal runs are shown too.",
    "",
    f"Single-thread sgemm peak (`../shared/bench/sgemm_peak.c`, OpenBLAS's `{core}` kernel, best of 2): "
    + ", ".join(f"{shape} {value:.1f}" for shape, value in peaks.items()) + f" GFLOP/s; the % column is of {peak:.1f} per thread.",
    "",
] + lines + [""] + scaling + [""] + bounds) + "\n"
print(text)
if not args.no_write:
    path = os.path.join(root, "BENCHMARKS.md")
    document = open(path).read()
    begin, end = "<!-- compare-with-peers:begin -->", "<!-- compare-with-peers:end -->"
    if begin in document and end in document:
        document = document[:document.index(begin) + len(begin)] + "\n" + text + document[document.index(end):]
    else:
        document = document.rstrip() + "\n\n" + begin + "\n" + text + end + "\n"
    open(path, "w").write(document)
