#!/usr/bin/env bash
# The cost of each --track instrument in Cockpit's format (Schneider et al. 2021, Fig. 7): the time of a training step
# with the instrument measuring every N steps, as a multiple of a plain step, at N = 1, 4 and 64, and the whole set.
# Fashion-MNIST, MLP 784-256-256-10 ReLU, Adam 1e-3, batch 128, float32; the instruments measure on a fixed batch
# of 128 training rows (noise_scale: its default 64); `sharpness_fast` is sharpness with at most 2 Hessian-vector
# products a measurement; the `_minibatch` rows measure on each step's own minibatch and passes in float32
# (the eigenvalues to 1e-5; `sharpness_minibatch_fast` with at most 2 products), `alpha` (always on the step's
# minibatch: a forward pass after the step), and `all_minibatch` is the whole set so. A step's time is an epoch's `seconds` (steps and step-interval
# measurements only, no evaluation) over its steps, the least of the last three epochs: steady state, once the
# JIT has compiled the probe's float64 passes (the first ~60 measurements of `layers` ran slower code: 640 ms, then
# ~30 ms, then ~8, before its settled ~4 ms). So the runs at N = 1 train 6 epochs on the first 3,200 rows (25 steps
# an epoch, 150 measurements) and at N = 4 8 epochs on 6,400 (100), each beside a plain run on the same rows; at
# N = 64 16 epochs on all of them (5 or 6 measurements an epoch, 94). See docs/performance.md.
#
#   benchmarks/track-overhead.sh [INSTRUMENT ...]     (default: every row below, then the whole set)
#
# Needs: dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/.."
data=/usr/share/datasets/fashion-mnist
[ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "track-overhead.sh: needs $data (apt-get install dataset-fashion-mnist)" >&2; exit 2; }
declare -A spec=(
  [sharpness]="sharpness:rows=128"
  [sharpness_fast]="sharpness:rows=128,products=2"
  [sharpness_minibatch]="sharpness:minibatch=true"
  [sharpness_minibatch_fast]="sharpness:minibatch=true,products=2"
  [noise_scale_minibatch]="noise_scale:minibatch=true"
  [layers_minibatch]="layers:minibatch=true"
  [preconditioned_sharpness_minibatch]="preconditioned_sharpness:minibatch=true"
  [subspace_overlap_minibatch]="subspace_overlap:minibatch=true"
  [preconditioned_sharpness]="preconditioned_sharpness:rows=128"
  [noise_scale]="noise_scale"
  [subspace_overlap]="subspace_overlap:rows=128"
  [layers]="layers:rows=128"
  [alpha]="alpha"
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(sharpness sharpness_fast sharpness_minibatch sharpness_minibatch_fast preconditioned_sharpness
  preconditioned_sharpness_minibatch noise_scale noise_scale_minibatch subspace_overlap subspace_overlap_minibatch layers layers_minibatch alpha
  all all_minibatch)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# seconds per step, the least of the last three epochs: ROWS EPOCHS train_args... (ROWS 0: all)
per_step() {
  local rows=$1 epochs=$2; shift 2
  ./ravine train --data fashion-mnist --model mlp:256-256:relu --optimizer adam:lr=0.001 --batch 128 --epochs "$epochs" --val 0 --rows "$rows" \
    --format json --out "$(mktemp -d "$work/run.XXXXXX")/run" "$@" 2>/dev/null | python3 -c '
import json, math, sys
rows = [json.loads(l) for l in sys.stdin if l.startswith("{")]
print(min(e["seconds"] / math.ceil(round(e["samples_per_s"] * e["seconds"]) / 128) for e in rows[-3:]))'
}

with_steps() { # every given instrument spec measuring every $1 steps
  local n=$1 out="" s; shift
  for s in "$@"; do
    local name=${s%%:*} keys=${s#*:}
    [ "$keys" = "$s" ] && keys="" || keys=",$keys"
    out="$out${out:+,}$name:steps=$n$keys"
  done
  echo "$out"
}

declare -A rows=([1]=3200 [4]=6400 [64]=0) epochs=([1]=6 [4]=8 [64]=16) plain=([1]=1 [4]=1 [64]=1) results
# This machine's speed drifts by 10-30% within minutes, and the column at N = 64 is a few percent from 1x: each run
# is the faster of two, and the plain step the fastest of runs before and after all the others (a slow plain run
# would make the instruments look free).
fastest() { # per_step's arguments -> the least of two runs
  python3 -c "print(min($(per_step "$@"), $(per_step "$@")))"
}
plain_runs() {
  for n in 1 4 64; do plain[$n]=$(python3 -c "print(min(${plain[$n]}, $(fastest ${rows[$n]} ${epochs[$n]})))"); done
}
plain_runs
for name in "${names[@]}"; do
  case "$name" in
    all) specs=("${spec[sharpness]}" "${spec[preconditioned_sharpness]}" "${spec[noise_scale]}" "${spec[subspace_overlap]}" "${spec[layers]}") ;;
    all_minibatch) specs=("${spec[sharpness_minibatch]}" "${spec[preconditioned_sharpness_minibatch]}" "${spec[noise_scale_minibatch]}"
                          "${spec[subspace_overlap_minibatch]}" "${spec[layers_minibatch]}" "${spec[alpha]}") ;;
    *) specs=("${spec[$name]}") ;;
  esac
  for n in 1 4 64; do results[$name,$n]=$(fastest ${rows[$n]} ${epochs[$n]} --track "$(with_steps $n "${specs[@]}")"); done
done
plain_runs
echo "plain step: $(python3 -c "print(', '.join(f'{t*1e3:.2f} ms' for t in (${plain[1]}, ${plain[4]}, ${plain[64]})))") (3,200, 6,400 and all rows)"
printf '| %-26s | %8s | %8s | %8s |\n' instrument "every 1" "every 4" "every 64"
printf '| %-26s | %8s | %8s | %8s |\n' --- --- --- ---
for name in "${names[@]}"; do
  row=()
  for n in 1 4 64; do row+=("$(python3 -c "print(f'{${results[$name,$n]}/${plain[$n]}:.2f}x')")"); done
  printf '| %-26s | %8s | %8s | %8s |\n' "$name" "${row[@]}"
done
