#!/usr/bin/env bash
# Inference speed of the pruned ResNets of cifar10.sh (ResNet-20 unless MODEL says) against their dense model, in this
# toolkit and in ONNX Runtime (the same models exported), at batch 1 (latency) and 64 (throughput),
# with 1 and 2 threads. Writes OUT/speed/threads-N.md; run it after the table phase.
#
#   experiments/speed.sh [TARGETS]      default "0.5 0.25": the seed-0 pruned model of every criterion
#   MODEL=resnet56 experiments/speed.sh  another model of cifar10.sh (writes OUT/speed-resnet56/)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
model=${MODEL:-resnet20}
runs=$OUT/cifar10-$model
if [ "$model" = resnet20 ]; then OUT=$OUT/speed; else OUT=$OUT/speed-$model; fi
mkdir -p "$OUT"
# ONNX Runtime is a provided-scope dependency (tests, benchmarks): its jar from the local Maven repository.
cpfile=$(mktemp); (cd "$root" && mvn -B -q dependency:build-classpath -DincludeArtifactIds=onnxruntime -Dmdep.outputFile="$cpfile" >/dev/null)
EXTRA_CP=$(cat "$cpfile"); rm -f "$cpfile"
export EXTRA_CP
models=("$runs/dense.ckpt")
for target in ${*:-0.5 0.25}; do
  for c in magnitude taylor obd oba exact; do
    [ -f "$runs/$c-$target-s0.ckpt" ] && models+=("$runs/$c-$target-s0.ckpt")
  done
done
for threads in 1 2; do
  THREADS=$threads apoptosis bench infer --onnxruntime --rounds 5 --reps 10 --warmup 20 --batch 1,64 "${models[@]}" \
      | tee "$OUT/threads-$threads.md"
done
