#!/usr/bin/env bash
# Structured pruning of one dense model with every criterion to each MAC target, same settings and
# fine-tuning budget for all: the rows of an evidence table. Each run writes its own run directory
# under OUT; `./apoptosis report OUT/*` draws them all on one chart.
#
#   tools/experiments/criteria-table.sh DENSE.ckpt OUT [targets] [steps] [calib] [finetune-epochs] [seed]
#
# APOPTOSIS (default: ./apoptosis) names the launcher, e.g. a frozen jar for a run that outlives a rebuild.
set -euo pipefail
dense=$1 out=$2 targets=${3:-"0.5 0.25"} steps=${4:-10} calib=${5:-20} ft=${6:-2} seed=${7:-0}
launcher=${APOPTOSIS:-./apoptosis}
mkdir -p "$out"
for target in $targets; do
  for criterion in magnitude taylor obd oba exact; do
    name="$criterion-$target-s$seed"
    [ -f "$out/$name.ckpt" ] && [ -d "$out/$name" ] && grep -q '"top1_finetuned"' "$out/$name/finetune.jsonl" 2>/dev/null && continue
    rm -rf "${out:?}/$name" "$out/$name.ckpt"
    start=$(date +%s)
    $launcher prune --model "$dense" --criterion "$criterion" --target-macs "$target" --steps "$steps" \
        --calib-batches "$calib" --batch 64 --finetune-epochs "$ft" --finetune-lr 0.01 --seed "$seed" \
        --progress quiet --out "$out/$name.ckpt" --run-dir "$out/$name" > "$out/$name.log" 2>&1
    echo "$name: $(( $(date +%s) - start )) s; $(grep -h 'pruned to\|fine-tuned' "$out/$name.log" | tr '\n' ' ')"
  done
done
