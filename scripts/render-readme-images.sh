#!/usr/bin/env bash
# Regenerates the README's pictures from the example configs with `anneal schedule`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product anneal >&2
anneal=$(swift build -c release --show-bin-path)/anneal
for name in warmups waves warm_restart_config hierarchical_config phases; do
    config=examples/${name}.json
    [[ -f $config ]] || config=examples/${name}_config.json
    steps=1
    [[ $name == phases ]] && steps=10
    "$anneal" schedule --config "$config" --steps-per-epoch "$steps" --output "docs/images/${name%_config}.svg"
done
