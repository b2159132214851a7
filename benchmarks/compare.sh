#!/usr/bin/env bash
# Side by side on this machine: ravine against the PyTorch peer (../shared/bench/torch_mlp.py) on Fashion-MNIST,
# MLP 784-256-256-10 with ReLU, Adam 1e-3, batch 128, second epoch's samples/s; runs alternate, so drift in the
# machine's speed hits both. Also measures the machine's GEMM-only limit (benchmarks/gemm_limit.py: the step's
# eight products by OpenBLAS) and, with --hessian, the curvature lab against ../shared/bench/torch_hessian_top.py.
# Prints every run, then the medians, ratios and percentages. See docs/performance.md.
#
#   benchmarks/compare.sh [--rounds N] [--hessian] [--no-train] [--peer-coretype NAME]
#
# --peer-coretype Haswell runs the peer's OpenBLAS (and the GEMM-only limit) on its AVX2 kernels: with
# JAVA_TOOL_OPTIONS=-XX:UseAVX=2 for ravine, both sides then run an AVX2 machine's instructions on an AVX-512 one.
#
# Needs: Debian's python3-torch with libopenblas0-pthread (and python3-scipy for --hessian), dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 hessian=no train=yes coretype=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --hessian) hessian=yes; shift ;;
    --no-train) train=no; shift ;;
    --peer-coretype) coretype=$2; shift 2 ;;
    *) echo "compare.sh: unknown option $1 (--rounds N, --hessian, --no-train, --peer-coretype NAME)" >&2; exit 2 ;;
  esac
done
py=${PYTHON:-/usr/bin/python3}
bench=${BENCH:-../shared/bench}
data=/usr/share/datasets/fashion-mnist
[ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "compare.sh: needs $data (apt-get install dataset-fashion-mnist)" >&2; exit 2; }
"$py" -c 'import torch' 2>/dev/null || { echo "compare.sh: $py cannot import torch (apt-get install python3-torch libopenblas0-pthread)" >&2; exit 2; }
[ -f "$bench/torch_mlp.py" ] || { echo "compare.sh: no peer script at $bench/torch_mlp.py (set BENCH)" >&2; exit 2; }
# The peer runs with OpenBLAS as a normal machine has it: these two variables, where set, force older kernels;
# only --peer-coretype chooses its kernels.
if [ -n "$coretype" ]; then
  peer() { env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$coretype" "$@"; }
else
  peer() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
  "$(grep -m1 -o -w 'avx512f' /proc/cpuinfo || grep -m1 -o -w 'avx2' /proc/cpuinfo || echo 'no AVX')"
echo "ravine kernels: $(./ravine --version | sed -n 's/^kernels: //p')"
[ -z "$coretype" ] || echo "peer: OpenBLAS kernels forced to $coretype (OPENBLAS_CORETYPE)"

# value KEY FILE: the number after "KEY": in the last JSON line of FILE, or after KEY in a text line
json() { tail -1 "$2" | grep -o "\"$1\":[-0-9.eE]*" | cut -d: -f2; }
word() { tail -1 "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

limit() { # threads -> samples/s the step's eight OpenBLAS products allow
  peer OPENBLAS_NUM_THREADS="$1" "$py" benchmarks/gemm_limit.py --threads "$1" > "$work/limit" 2>&1
  awk '/GEMM-only limit/ { for (i = 1; i <= NF; i++) if ($i == "limit") print $(i + 1) }' "$work/limit"
}

if [ "$train" = yes ]; then
  ravine_run() { # threads dtype -> samples/s and test accuracy of epoch 2
    ./ravine train --data fashion-mnist --model mlp:784-256-256-10:relu --optimizer adam:lr=0.001 --batch 128 --epochs 2 \
      --val 0 --threads "$1" --dtype "$2" --format json --out "$(mktemp -d "$work/run.XXXXXX")/run" > "$work/out" 2>/dev/null
    echo "$(json samples_per_s "$work/out") $(json test_accuracy "$work/out")"
  }
  torch_run() { # torch-threads openblas-threads -> samples/s and test accuracy of epoch 2
    peer OPENBLAS_NUM_THREADS="$2" "$py" "$bench/torch_mlp.py" --epochs 2 --threads "$1" > "$work/out" 2>/dev/null
    echo "$(word samples_per_s "$work/out") $(word test_acc "$work/out")"
  }
  : > "$work/rows"
  l1a=$(limit 1); l2a=$(limit 2)
  printf '%-6s %12s %12s %12s %12s %12s %12s\n' round ravine-1 torch-1core ravine-2 torch-1/2 torch-2/2 ravine-f64
  for round in $(seq 1 "$rounds"); do
    read -r r1 acc_r <<< "$(ravine_run 1 float32)"
    read -r t1 acc_t <<< "$(torch_run 1 1)"
    read -r r2 _ <<< "$(ravine_run 2 float32)"
    read -r t12 _ <<< "$(torch_run 1 2)"   # one torch thread, OpenBLAS on both cores
    read -r t22 _ <<< "$(torch_run 2 2)"   # two torch threads
    read -r r64 _ <<< "$(ravine_run 1 float64)"
    printf '%-6s %12.0f %12.0f %12.0f %12.0f %12.0f %12.0f\n' "$round" "$r1" "$t1" "$r2" "$t12" "$t22" "$r64"
    echo "$r1 $t1 $r2 $t12 $t22 $r64 $acc_r $acc_t" >> "$work/rows"
  done
  l1b=$(limit 1); l2b=$(limit 2)
  col() { awk -v c="$1" '{ print $c }' "$work/rows" | median; }
  r1=$(col 1) t1=$(col 2) r2=$(col 3) t12=$(col 4) t22=$(col 5) r64=$(col 6) acc_r=$(col 7) acc_t=$(col 8)
  best=$(awk -v a="$t1" -v b="$t12" -v c="$t22" 'BEGIN { m = a; if (b > m) m = b; if (c > m) m = c; print m }')
  l1=$(awk -v a="$l1a" -v b="$l1b" 'BEGIN { print (a > b) ? a : b }')
  l2=$(awk -v a="$l2a" -v b="$l2b" 'BEGIN { print (a > b) ? a : b }')
  echo
  echo "GEMM-only limit (OpenBLAS, the faster of two measurements): $l1a / $l1b samples/s on one core, $l2a / $l2b on two"
  awk -v r1="$r1" -v t1="$t1" -v r2="$r2" -v best="$best" -v l1="$l1" -v l2="$l2" -v r64="$r64" -v ar="$acc_r" -v at="$acc_t" 'BEGIN {
    printf "medians: ravine %.0f (1 thread), %.0f (2 threads), float64 %.0f; PyTorch %.0f (1 core), best %.0f\n", r1, r2, r64, t1, best
    printf "1 thread against PyTorch on one core:        %.2fx   (target 1.6x)\n", r1 / t1
    printf "2 threads against PyTorch'"'"'s best:              %.2fx   (target 2.0x)\n", r2 / best
    printf "1 thread, share of the one-core GEMM limit:  %.0f%%    (target 75%%)\n", 100 * r1 / l1
    printf "2 threads, share of the two-core GEMM limit: %.0f%%    (target 75%%)\n", 100 * r2 / l2
    printf "float64 time against float32 (1 thread):     %.2fx   (target at most 2.5x)\n", r1 / r64
    printf "test accuracy after 2 epochs: ravine %.4f, PyTorch %.4f (difference %.2f points)\n", ar, at, 100 * (ar - at)
    # a virtual machine'"'"'s two vCPUs do not always pass data between them at a full core'"'"'s speed: the two-thread
    # rows compare the host'"'"'s state as much as the tools when OpenBLAS'"'"'s own two cores gain little over one
    if (l2 < 1.5 * l1) printf "note: OpenBLAS'"'"'s two-core limit is %.2f times its one-core one this run; two-thread figures are the host'"'"'s slow state (docs/performance.md, \"Two threads\")\n", l2 / l1
  }'
fi

if [ "$hessian" = yes ]; then
  # 1,000 Fashion-MNIST training rows (pixels / 255) as CSV, and weights at PyTorch's default initialization.
  "$py" - "$data" "$work/f1000.csv" <<'PY'
import gzip, sys, numpy as np
def idx(p):
    d = gzip.open(p).read(); nd = d[3]
    dims = [int.from_bytes(d[4 + 4 * i:8 + 4 * i], 'big') for i in range(nd)]
    return np.frombuffer(d, np.uint8, offset=4 + 4 * nd).reshape(dims)
x = idx(f'{sys.argv[1]}/train-images-idx3-ubyte.gz')[:1000].reshape(1000, 784) / 255.0
y = idx(f'{sys.argv[1]}/train-labels-idx1-ubyte.gz')[:1000]
with open(sys.argv[2], 'w') as f:
    f.write(','.join(f'p{i}' for i in range(784)) + ',label\n')
    for r, l in zip(x, y): f.write(','.join(f'{v:.6g}' for v in r) + f',{l}\n')
PY
  ./ravine train --data "$work/f1000.csv" --model mlp:784-256-256-10:relu --epochs 0 --val 0 --standardize off --out "$work/w" 2>/dev/null
  printf '\n%-6s %14s %14s %10s\n' round ravine-s torch-s torch-hvps
  : > "$work/hrows"
  for round in $(seq 1 "$rounds"); do
    s=$(date +%s.%N)
    ./ravine hessian --weights "$work/w/model.safetensors" --model mlp:784-256-256-10:relu --data "$work/f1000.csv" \
      --method lanczos --top 1 --threads 1 --format json > "$work/h" 2>/dev/null
    rs=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
    s=$(date +%s.%N)
    peer OPENBLAS_NUM_THREADS=1 "$py" "$bench/torch_hessian_top.py" --weights "$work/w/model.safetensors" --data "$work/f1000.csv" > "$work/th" 2>/dev/null
    ts=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
    printf '%-6s %14.2f %14.2f %10s\n' "$round" "$rs" "$ts" "$(word hvps "$work/th")"
    echo "$rs $ts" >> "$work/hrows"
  done
  rs=$(awk '{ print $1 }' "$work/hrows" | median); ts=$(awk '{ print $2 }' "$work/hrows" | median)
  echo "eig_max: ravine $(json eig_max "$work/h"), PyTorch $(word eig_max "$work/th")"
  awk -v r="$rs" -v t="$ts" 'BEGIN { printf "hessian wall time, one core: ravine %.2f s, PyTorch %.2f s: %.2f of the peer'"'"'s time (target at most 0.50)\n", r, t, r / t }'
fi
