#!/usr/bin/env python3
"""The evidence table of the dSprites schedule comparison (Markdown), from the trials.csv of two comparisons.

    python3 scripts/dsprites-schedules/score.py ANNEAL OUT_FLAT OUT_HIERARCHICAL [OUT_HIERARCHICAL_CONSTANT]

OUT_* are the --out folders of
    anneal compare --config scripts/dsprites-schedules/base.json --schedules constant \
        scripts/dsprites-schedules/constant-beta-4.json linear cosine cyclical warm_restart \
        scripts/dsprites-schedules/capacity.json scripts/dsprites-schedules/pi-controller.json --seeds 5 --jobs 2 --threads 1 --out OUT_FLAT
    anneal compare --config scripts/dsprites-schedules/hierarchical-base.json --schedules hierarchical --seeds 5 --jobs 2 --threads 1 --out OUT_HIERARCHICAL
    anneal compare --config scripts/dsprites-schedules/hierarchical-base.json --schedules constant --seeds 5 --jobs 1 --threads 1 --out OUT_HIERARCHICAL_CONSTANT
(the last, the same hierarchical CVAE under constant β = 1, tells the schedule's part from the model's).

Every trial scores itself at its end (disentanglement.json: anneal train's quick sizes, 2,000 + 1,000 examples,
FactorVAE's 2,000 + 1,000 votes drawn by the renderer, seed 0). A trial trained before runs did so is scored
here by `anneal evaluate RUN --checkpoint last --disentanglement quick` (the same sizes, seed and figures), whose
disentanglement member is its disentanglement.json; then `anneal compare merge` rebuilds each trials.csv.

Prints the table (mean ± standard deviation over seeds) and, for each schedule against constant β = 1, the
difference of the means with its standard error √(s₁²/n₁ + s₂²/n₂); a difference counts as resolved when it is
more than twice its standard error (the rule anneal compare's dynamics words use). Only the standard library.
"""
import concurrent.futures, csv, json, math, os, statistics, subprocess, sys

COLUMNS = [("final_validation_elbo", "final validation ELBO", 2), ("best_validation_elbo", "best validation ELBO", 2), ("active_units", "active units", 1),
           ("mig", "MIG", 3), ("dci_disentanglement", "DCI disentanglement", 3), ("dci_completeness", "DCI completeness", 3),
           ("dci_informativeness", "DCI informativeness", 3), ("factor_vae_eval_accuracy", "FactorVAE (eval)", 3),
           ("sap", "SAP", 3), ("gaussian_total_correlation", "Gaussian TC (nats)", 2)]

def fill(anneal, trial):
    """disentanglement.json for a trial trained before runs scored themselves."""
    target = os.path.join(trial, "disentanglement.json")
    if os.path.exists(target) or not os.path.exists(os.path.join(trial, "result.json")):
        return
    out = subprocess.run([anneal, "evaluate", trial, "--checkpoint", "last", "--disentanglement", "quick", "--samples", "0", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    with open(target + ".tmp", "w") as f:
        json.dump(json.loads(out)["disentanglement"], f, indent=2)
    os.replace(target + ".tmp", target)

def rows(folder):
    with open(os.path.join(folder, "trials.csv")) as f:
        for row in csv.DictReader(f):
            # Several KL terms (global, local): their active units summed.
            row["active_units"] = str(sum(float(v) for k, v in row.items() if k.startswith("active_units_") and v))
            yield row

def spread(values):
    xs = [float(v) for v in values if v not in ("", None)]
    if not xs: return None
    return statistics.mean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0), len(xs)

def main():
    anneal, folders = sys.argv[1], sys.argv[2:]
    trials = [os.path.join(folder, "trials", name) for folder in folders for name in sorted(os.listdir(os.path.join(folder, "trials")))]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda trial: fill(anneal, trial), trials))
    for folder in folders:
        subprocess.run([anneal, "compare", "merge", folder], check=True, capture_output=True)
    groups = {}
    for folder in folders:
        for row in rows(folder):
            # The hierarchical CVAE under another schedule (the control): named apart from the flat model's group.
            hierarchical = "active_units_global" in row and not row["group"].startswith("hierarchical")
            groups.setdefault(("hierarchical CVAE, " if hierarchical else "") + row["group"], []).append(row)
    print("| schedule | seeds | " + " | ".join(label for _, label, _ in COLUMNS) + " |")
    print("|---|---|" + "---|" * len(COLUMNS))
    for group, members in groups.items():
        cells = []
        for key, _, digits in COLUMNS:
            s = spread(m.get(key) for m in members)
            cells.append("–" if s is None else f"{s[0]:.{digits}f} ± {s[1]:.{digits}f}")
        print(f"| {group} | {len(members)} | " + " | ".join(cells) + " |")
    print()
    print("Against constant β = 1 (difference of means ± its standard error; * when more than twice it); the hierarchical")
    print("CVAE's schedule against the same model under constant β = 1 in the last row:")
    print()
    keys = ["final_validation_elbo", "best_validation_elbo", "mig", "dci_disentanglement", "factor_vae_eval_accuracy", "sap"]
    print("| schedule | " + " | ".join(label for key, label, _ in COLUMNS if key in keys) + " |")
    print("|---|" + "---|" * len(keys))
    pairs = [(group, "constant") for group in groups if group != "constant" and not group.startswith("hierarchical CVAE, ")]
    if "hierarchical" in groups and "hierarchical CVAE, constant" in groups:
        pairs.append(("hierarchical", "hierarchical CVAE, constant"))
    for group, baseline in pairs:
        members, base = groups[group], groups[baseline]
        if baseline != "constant": group = f"{group} against {baseline}"
        cells = []
        for key, _, digits in COLUMNS:
            if key not in keys: continue
            a, b = spread(m.get(key) for m in members), spread(m.get(key) for m in base)
            if a is None or b is None or a[2] < 2 or b[2] < 2:
                cells.append("–"); continue
            difference, error = a[0] - b[0], math.sqrt(a[1] ** 2 / a[2] + b[1] ** 2 / b[2])
            cells.append(f"{difference:+.{digits}f} ± {error:.{digits}f}{' *' if abs(difference) > 2 * error else ''}")
        print(f"| {group} | " + " | ".join(cells) + " |")

if __name__ == "__main__":
    main()
