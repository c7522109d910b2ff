#!/usr/bin/env bash
# Measures the training-dynamics table (exploration, stability, convergence) of the six usual β schedules on
# three data sets: the built-in ternary operations and shapes, and scikit-learn's handwritten digits brought
# in as a user would bring their own data (.npy files written by digits_to_npy.py).
#
#   deploy/measure-dynamics/run.sh [OUT_DIR]        (default runs/dynamics)
#
# For each data set it runs one `anneal compare` of linear, cosine, cyclical, warm_restart, hierarchical and
# adaptive_warmup, SEEDS seeds each (default 5), JOBS trials at a time (default 2), all on the same hierarchical
# CVAE (deploy/measure-dynamics/*.json; the digits config is written beside the converted data), and writes
# OUT_DIR/<data>/comparison.md, .csv, .html, and OUT_DIR/dynamics.md with the three measured tables. Run it
# again to continue an interrupted measurement: finished trials are kept.
#
# Settings: ANNEAL (default .build/release/anneal, built if missing), PYTHON (a Python with numpy and
# scikit-learn, default python3), SEEDS, JOBS, EPOCHS (replaces the configs' 40).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/dynamics}
anneal=${ANNEAL:-.build/release/anneal}
python=${PYTHON:-python3}
seeds=${SEEDS:-5}
jobs=${JOBS:-2}
schedules=(linear cosine cyclical warm_restart hierarchical adaptive_warmup)

if [ ! -x "$anneal" ]; then swift build -c release --product anneal; fi
mkdir -p "$out/data"
"$python" deploy/measure-dynamics/digits_to_npy.py "$out/data"
cat > "$out/data/digits.json" <<'JSON'
{
    "description": "Measured training dynamics: the hierarchical CVAE on scikit-learn's 1,797 handwritten digits (8 × 8, label: the digit)",
    "data": {"source": "npy", "path": "digits.npy", "labels_path": "digits_labels.npy", "validation_fraction": 0.2},
    "model": {"hidden_sizes": [64], "global_latent_dim": 2, "local_latent_dim": 6, "likelihood": "bernoulli"},
    "training": {"num_epochs": 40, "use_hierarchical_model": true, "batch_size": 64, "learning_rate": 0.003,
                 "checkpoint_every": 5, "seed": 0},
    "logging": {"log_every_n_batches": 10}
}
JSON

epochs=()
if [ -n "${EPOCHS:-}" ]; then epochs=(--epochs "$EPOCHS"); fi
for data in ternary shapes digits; do
    config=deploy/measure-dynamics/$data.json
    if [ "$data" = digits ]; then config=$out/data/digits.json; fi
    "$anneal" compare --config "$config" --schedules "${schedules[@]}" --seeds "$seeds" --jobs "$jobs" \
        --out "$out/$data" "${epochs[@]}" > "$out/$data.log"
    echo "$data: $out/$data/comparison.md"
done

{
    for data in ternary shapes digits; do
        echo "### $data"
        echo
        # The measured dynamics table of each comparison.md (between its heading and the definitions).
        awk '/^## Training dynamics, measured/ {on = 1; next} on && /^\|/ {print} on && /^$/ && seen {exit} /^\|/ && on {seen = 1}' "$out/$data/comparison.md"
        echo
    done
    awk '/^## Training dynamics, measured/ {on = 1} on && !/^\|/ && !/^#/ {print}' "$out/ternary/comparison.md" | sed '/^## Missing/,$d'
} > "$out/dynamics.md"
echo "tables: $out/dynamics.md"
