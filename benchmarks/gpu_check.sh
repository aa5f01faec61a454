#!/usr/bin/env bash
# The GPU check, for a machine with a CUDA GPU where mfdnn imports and MNIST and
# Fashion-MNIST are in the data cache (`mfdnn data fetch mnist` ...):
#
#   bash benchmarks/gpu_check.sh OUTDIR [SECONDS]
#
# Within SECONDS (default 900) it runs, in this order, and prints what each found:
#   1. the CUDA tests and every experiment's quick profile on cuda (pytest -k cuda);
#   2. perf-lenet on cuda in float32 and with --amp (bf16), one after the other;
#   3. data parallel under torchrun: hw4-lenet-original in one process and in two processes
#      sharing the GPU through gloo (NCCL refuses two ranks on one GPU);
#   4. the full profiles of ch4-dncnn (the course's 17 x 64 DnCNN, 300 epochs, --amp),
#      hw10-nice-train and hw5-label-memorization, each in a third of the time left, with
#      their claims' verdicts (a run that outlasts its share is stopped; DnCNN's test-PSNR
#      curve so far is printed either way);
#   5. the rest of the test suite on this machine's torch, in the time that is left.
# OUTDIR receives each full run's metrics, claims, manifest and figures.
set -u
out=${1:?usage: gpu_check.sh OUTDIR [SECONDS]}
budget=${2:-900}
py=${PYTHON:-python3}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
export PYTHONUNBUFFERED=1 MPLBACKEND=Agg
parallel=()  # pytest-xdist, where installed, runs the tests on every core
"$py" -c "import xdist" 2>/dev/null && parallel=(-n "$(nproc)")
left() { echo $((budget - $(date +%s) + start)); }
upto() { local t=$(($(left) - $1)); echo $((t > 1 ? t : 1)); }  # seconds left but $1, >= 1
step() { echo; echo "== [$(($(date +%s) - start)) s] $*"; }
show() {  # the numbers of a run folder that matter here
    "$py" - "$@" <<'EOF'
import json, sys
for folder in sys.argv[1:]:
    try:
        m = json.load(open(f"{folder}/manifest.json"))
        r = json.load(open(f"{folder}/metrics.json"))
    except OSError as exc:
        print(folder, "no result:", exc)
        continue
    keys = [k for k in r if any(s in k for s in ("accuracy", "psnr", "baseline_name"))][:8]
    print(folder.rsplit("/", 1)[-1], {k: m.get(k) for k in ("device", "amp", "world_size",
          "train_seconds", "samples_per_second", "max_gpu_memory_mb", "wall_seconds")},
          {k: r[k] for k in keys})
EOF
}

step "machine"
"$py" -c "import torch, sys; sys.exit(not torch.cuda.is_available())" \
    || { echo "gpu_check: torch sees no CUDA GPU; nothing to check" >&2; exit 2; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$py" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda,
torch.cuda.get_device_name(), 'cpus', torch.get_num_threads())"

step "1. CUDA tests and every quick profile on cuda"
timeout 200 "$py" -m pytest -q -p no:cacheprovider ${parallel[@]+"${parallel[@]}"} -k cuda \
    tests/train/test_cuda.py tests/experiments/test_smoke.py 2>&1 | tail -n 25

step "2. perf-lenet on cuda: float32, then bf16 autocast"
"$py" -m mfdnn run perf-lenet --device cuda --no-progress --out "$work/lenet-fp32" | tail -n 1
"$py" -m mfdnn run perf-lenet --device cuda --no-progress --amp --out "$work/lenet-bf16" \
    | tail -n 1
show "$work/lenet-fp32" "$work/lenet-bf16"

step "3. torchrun: one process vs two sharing the GPU (gloo)"
ARGS=(run hw4-lenet-original --profile quick --device cuda --no-progress
      --set epochs=2 train_size=5000 test_size=500)
"$py" -m mfdnn "${ARGS[@]}" --out "$work/single" | tail -n 1
MFDNN_DIST_BACKEND=gloo OMP_NUM_THREADS=4 timeout 120 "$py" -m torch.distributed.run \
    --standalone --nproc_per_node=2 -m mfdnn "${ARGS[@]}" --out "$work/ddp" 2>&1 | tail -n 3
show "$work/single" "$work/ddp"

verdicts() {  # the verdict lines of a run folder's claims.json
    "$py" - "$1" <<'EOF'
import json, sys
from mfdnn.experiments.core.claims import verdict_line
try:
    claims = json.load(open(f"{sys.argv[1]}/claims.json"))
except OSError:
    sys.exit(print(sys.argv[1].rsplit("/", 1)[-1], "did not finish: no claims judged"))
print("\n".join(verdict_line(c) for c in claims))
EOF
}
full() {  # NAME SECONDS [ARGS...]: one full profile on cuda, its numbers and verdicts
    local name=$1 seconds=$2
    shift 2
    echo "-- $name (full, $seconds s at most)"
    timeout "$seconds" "$py" -m mfdnn run "$name" --profile full --device cuda --no-progress \
        --out "$work/$name" "$@" 2>&1 | tail -n 3
    show "$work/$name"
    verdicts "$work/$name"
    mkdir -p "$out/$name"
    cp "$work/$name"/*.json "$work/$name"/*.png "$out/$name/" 2>/dev/null
}

step "4. full profiles on cuda, each in a third of the $(upto 60) s left"
share=$(( $(upto 60) / 3 ))
full ch4-dncnn "$share" --amp
full hw10-nice-train "$share"
full hw5-label-memorization "$(upto 60)"
"$py" - "$work/ch4-dncnn/checkpoints/dncnn.pt" <<'EOF'
import sys, torch
try:
    state = torch.load(sys.argv[1], weights_only=False, map_location="cpu")
except OSError:
    sys.exit(0)  # no checkpoint: the run stopped before its first epoch
h = state["history"]
print(f"epochs done {len(h)}, seconds {h[-1].get('seconds', 0):.0f}, test PSNR:",
      [(e["epoch"], round(e["test_psnr"], 2)) for e in h if "test_psnr" in e])
EOF

step "5. the rest of the test suite on this torch ($(upto 5) s at most)"
timeout "$(upto 5)" "$py" -m pytest -q -p no:cacheprovider ${parallel[@]+"${parallel[@]}"} -k "not cuda" \
    2>&1 | tail -n 15
step "done"
