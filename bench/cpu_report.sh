#!/usr/bin/env bash
# Every measurement issue 17 asks for on a CPU family, one after another, each into its own file under
# bench-out/<cpu>/ (the CPU's model name and family/model numbers), so that a session on a machine not
# measured before (an Intel Xeon) runs one command and a killed run resumes: steps whose file exists are
# skipped. Delete a file to rerun its step.
#   bench/cpu_report.sh [--quick]     (--quick: 1 round per side-by-side instead of 3, shorter loops;
#                                      it took 17 minutes on AMD EPYC Zen 4 before the pruned-models step (about
#                                      8 minutes when experiments/out has no checkpoints) and the three paths steps
#                                      (a few minutes) were added; the full run roughly twice that)
# Needs Debian's python3-torch for the side-by-side steps (they are skipped, saying so, without it).
# Then read bench-out/<cpu>/*.txt; docs/performance.md says what each figure is compared with.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 seconds=3
case "${1:-}" in
  "") ;;
  --quick) rounds=1 seconds=1 ;;
  *) echo "cpu_report.sh: unknown option '$1' (the only one is --quick)" >&2; exit 2 ;;
esac
model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
family=$(lscpu | sed -n 's/^CPU family:[[:space:]]*//p' | head -1)
number=$(lscpu | sed -n 's/^Model:[[:space:]]*//p' | head -1)
out="bench-out/$(echo "$model-f$family-m$number" | tr -cs 'A-Za-z0-9.-' '-' | sed 's/-*$//')"
mkdir -p "$out"
[ -f target/apoptosis-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package
lib="target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*"
java_bench=(java --add-modules jdk.incubator.vector -Xms4g -Xmx8g -XX:+UseG1GC -XX:+UseTransparentHugePages
            -XX:+AlwaysPreTouch -Dapoptosis.threads=1 -cp "$lib")
D=experiments/out/cifar10-resnet20

# step NAME COMMAND...: runs COMMAND into $out/NAME.txt unless that file exists (written atomically).
step() {
  local name=$1
  shift
  if [ -s "$out/$name.txt" ]; then echo "= $name: done before ($out/$name.txt)"; return; fi
  echo "= $name: $*"
  if "$@" > "$out/$name.tmp" 2>&1; then
    mv "$out/$name.tmp" "$out/$name.txt"
  else
    echo "  failed: see $out/$name.tmp" >&2
  fi
}

have_torch() {
  if /usr/bin/python3 -c 'import torch' 2>/dev/null; then return 0; fi
  echo "= $1: skipped, no Debian python3-torch (/usr/bin/python3 cannot import torch)" >&2
  return 1
}

step lscpu lscpu
step kernels ./apoptosis --threads 1 bench kernels --vgg
# Pruned ResNet-20s to measure, when experiments/out has none: a 2-epoch dense model (~3 min on 2 cores) pruned by
# OBA and magnitude to 50 % and 25 % of the MACs with the experiments' calibration, no fine-tuning (~1 min each).
# Their channel counts come from a real prune run, as issue 17 asks, though not the 8-epoch model's of docs/results.md.
pruned_models() {
  mkdir -p "$D"
  if [ ! -f "$D/dense.ckpt" ]; then
    ./apoptosis train --model resnet20 --data cifar10 --epochs 2 --batch 128 --lr 0.1 --momentum 0.9 --nesterov --wd 5e-4 \
        --schedule cosine --warmup 1 --seed 1 --checkpoint-every 100 --progress lines --out "$D/dense.ckpt" --run-dir "$D/dense"
  fi
  for spec in "oba 0.25" "magnitude 0.5" "oba 0.5" "magnitude 0.25"; do
    set -- $spec
    [ -f "$D/$1-$2-s0.ckpt" ] && continue
    ./apoptosis prune --model "$D/dense.ckpt" --criterion "$1" --target-macs "$2" --seed 0 --steps 10 --calib-batches 20 \
        --batch 64 --recalibrate 50 --finetune-epochs 0 --out "$D/$1-$2-s0.ckpt" --run-dir "$D/$1-$2-s0"
  done
  ls -la "$D"
}
step pruned-models pruned_models
# Every path each convolution of these models could take, timed against the rules' choice: a row marked '!' is a
# rule that does not hold on this CPU (the rules were measured on Zen 4, where ResNet-20 gains 1.00-1.01x in all).
step paths-resnet20 ./apoptosis --threads 1 bench paths --model resnet20 --seconds "$seconds"
step paths-oba25 ./apoptosis --threads 1 bench paths --model "$D/oba-0.25-s0.ckpt" --seconds "$seconds"
step paths-vgg11 ./apoptosis --threads 1 bench paths --model vgg11 --batch 64 --seconds "$seconds"
step register-tiles "${java_bench[@]}" bench/RegisterTiles.java 256 "$seconds"
step steps-kernel "${java_bench[@]}" bench/StepsKernel.java
# The implicit paths against im2col + GEMM (stride-1 layers of 32 channels or more with enough tiles run as
# Winograd on both sides, a ratio of 1, so none here), each on shapes its rule was measured with (Zen 4 figures in
# the classes' Javadoc): BATCH CIN COUT SIZE, then the pass(es).
paths() {  # paths PATH STRIDE PASSES SHAPE...: 3x3 pad-1 convolutions
  local path=$1 stride=$2 passes=$3
  shift 3
  for shape in "$@"; do
    for pass in $passes; do
      # shellcheck disable=SC2086
      "${java_bench[@]}" -Dpath="$path" bench/ImplicitConvPaths.java $shape 3 "$stride" 1 "$pass" "$seconds" 2>&1 | grep -v -i -e "incubat" -e "^1 warning$"
    done
  done
}
winograd() {  # Winograd against the other paths by batch (WinogradConv2d.MIN_TILES: 64 tiles, measured on Zen 4 only)
  for c in "64 8" "512 4"; do
    for b in 1 2 4 16 64; do
      for m in always never; do
        echo "$c batch $b winograd=$m"
        # shellcheck disable=SC2086
        "${java_bench[@]}" -Dapoptosis.winograd="$m" bench/ConvPass.java $c fwd "$seconds" "$b" 2>&1 | grep -v -i -e "incubat" -e "^1 warning$"
      done
    done
  done
}
step implicit-small-outputs paths ImplicitGemmConv2d 1 "fwd in" "128 39 16 8" "128 16 39 8" "128 14 39 8"
step padded-planes paths PaddedPlaneConv2d 1 "fwd in" "128 16 16 32" "128 16 5 32" "128 11 11 32" "128 30 9 16"
step phase-planes paths PhasePlaneConv2d 2 fwd "128 16 32 32" "128 16 11 32"
step phase-gradients paths PhaseGradientConv2d 2 in "128 16 32 32" "128 16 11 32"
step padded-plane-weight-gradients paths PaddedPlaneWeightGradient 1 wt "128 16 16 32" "128 32 32 16" "128 16 5 32"
step batch-inner-weight-gradients paths BatchInnerWeightGradient 1 wt "128 39 16 8" "128 16 39 8" "128 64 64 8"
step winograd-thresholds winograd
step profile-threads ./apoptosis --threads 2 bench profile --pass train --compare-threads
# Storage recycling on and off, alternated step by step (tensor.Recycler; Zen 4: training 1.04-1.11x).
recycling() {
  for m in dense oba-0.25-s0; do
    [ -f "$D/$m.ckpt" ] || continue
    for t in 1 2; do
      for pass in train hvp; do
        "${java_bench[@]}" -Dapoptosis.threads="$t" bench/RecyclingAB.java "$D/$m.ckpt" "$pass" $((10 * seconds)) 2>&1 \
            | grep -v -i -e "incubat" -e "^1 warning$" | sed "s/^/$t threads: /"
      done
    done
  done
}
step recycling recycling
if have_torch side-by-side; then
  step side-by-side /usr/bin/python3 bench/side_by_side.py --rounds "$rounds" --threads 1 2 --only kernels,train,autodiff --vgg
fi
if [ -f "$D/oba-0.25-s0.ckpt" ] && have_torch side-by-side-pruned; then
  step side-by-side-pruned /usr/bin/python3 bench/side_by_side.py --rounds "$rounds" --threads 1 --only train,infer \
      --models "$D/dense.ckpt" "$D/magnitude-0.5-s0.ckpt" "$D/oba-0.5-s0.ckpt" "$D/magnitude-0.25-s0.ckpt" "$D/oba-0.25-s0.ckpt"
fi
echo "all steps in $out"
