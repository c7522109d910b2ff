#!/usr/bin/env python3
"""Scores every run of the dSprites schedule comparison and prints the evidence table (Markdown).

    python3 scripts/dsprites-schedules/score.py ANNEAL OUT_FLAT OUT_HIERARCHICAL [--jobs 2]

OUT_* are the --out folders of
    anneal compare --config scripts/dsprites-schedules/base.json --schedules constant \
        scripts/dsprites-schedules/constant-beta-4.json linear cosine cyclical warm_restart \
        scripts/dsprites-schedules/capacity.json scripts/dsprites-schedules/pi-controller.json --seeds 3 --jobs 2 --threads 1 --out OUT_FLAT
    anneal compare --config scripts/dsprites-schedules/hierarchical-base.json --schedules hierarchical --seeds 3 --jobs 2 --threads 1 --out OUT_HIERARCHICAL
Each run is judged at its last checkpoint (the same budget for every schedule) by
`anneal evaluate RUN --checkpoint last --disentanglement quick --samples 0 --format json` (2,000 + 1,000 examples,
FactorVAE 2,000 + 1,000 votes drawn by the renderer, seed 0); the table gives mean ± standard deviation over seeds.
Only the standard library.
"""
import concurrent.futures, json, os, statistics, subprocess, sys

def score(anneal, run):
    cached = os.path.join(run, "evaluation-quick.json")
    if not os.path.exists(cached):
        out = subprocess.run([anneal, "evaluate", run, "--checkpoint", "last", "--disentanglement", "quick", "--samples", "0", "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
        with open(cached + ".tmp", "w") as f: f.write(out)
        os.replace(cached + ".tmp", cached)
    with open(cached) as f: data = json.load(f)
    whole = data["disentanglement"]["blocks"][0]["metrics"]
    return {
        "ELBO": data["elbo"],
        "MIG": whole["mig"]["figures"]["score"],
        "DCI D": whole["dci"]["figures"]["disentanglement"],
        "DCI C": whole["dci"]["figures"]["completeness"],
        "DCI I": whole["dci"]["figures"]["informativeness"],
        "FactorVAE": whole["factor_vae"]["figures"]["eval_accuracy"],
        "SAP": whole["sap"]["figures"]["score"],
        "active codes": whole["factor_vae"]["figures"]["active_codes"],
    }

def main():
    anneal, folders = sys.argv[1], sys.argv[2:4]
    jobs = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else 2
    runs = sorted(os.path.join(folder, "runs", name) for folder in folders for name in os.listdir(os.path.join(folder, "runs")))
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        scores = dict(zip(runs, pool.map(lambda run: score(anneal, run), runs)))
    groups = {}
    for run, values in scores.items():
        groups.setdefault(os.path.basename(run).rsplit("-seed", 1)[0], []).append(values)
    columns = ["ELBO", "MIG", "DCI D", "DCI C", "DCI I", "FactorVAE", "SAP", "active codes"]
    print("| schedule | seeds | " + " | ".join(columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for group, values in groups.items():
        cells = []
        for column in columns:
            xs = [v[column] for v in values if isinstance(v[column], (int, float))]
            cells.append(f"{statistics.mean(xs):.3f} ± {statistics.stdev(xs):.3f}" if len(xs) > 1 else (f"{xs[0]:.3f}" if xs else "–"))
        print(f"| {group} | {len(values)} | " + " | ".join(cells) + " |")

if __name__ == "__main__":
    main()
