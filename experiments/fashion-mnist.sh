#!/usr/bin/env bash
# The Fashion-MNIST evidence (docs/results.md): LeNet-5 structured with every criterion at 50 % and 25 %
# of the MACs over three seeds, the reduced protocol against the reference's full one, and LeNet-5 and
# an MLP unstructured. Phases skip finished runs and resume interrupted ones.
#
#   experiments/fashion-mnist.sh [PHASE...]     phases: dense table protocol unstructured
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT=$OUT/fashion-mnist; mkdir -p "$OUT"
phases=${*:-dense table protocol unstructured}

# LeNet-5 has no BatchNorm, so nothing to recalibrate; 2 epochs of cosine SGD from lr 0.01 for all.
protocol=(--batch 64 --finetune-epochs 2 --finetune-lr 0.01)
reduced=(--steps 10 --calib-batches 20)

for phase in $phases; do
  case $phase in
    dense)
      train lenet5 --model lenet5 --data fashion-mnist --epochs 6 --batch 128 --lr 0.05 --warmup 1 --seed 1
      train mlp --model mlp --data fashion-mnist --epochs 6 --batch 128 --lr 0.05 --warmup 1 --seed 1 ;;
    table)
      for seed in ${SEEDS:-0 1 2}; do
        for target in 0.5 0.25; do
          for c in magnitude taylor obd oba exact; do
            prune "lenet5-$c-$target-s$seed" --model "$OUT/lenet5.ckpt" --criterion "$c" --target-macs "$target" --seed "$seed" \
                "${reduced[@]}" "${protocol[@]}"
          done
        done
      done ;;
    protocol)   # the reference's 50 steps of 200 batches, against the table's seed-0 runs of 10 x 20
      for target in 0.5 0.25; do
        for c in taylor oba; do
          prune "full-lenet5-$c-$target-s0" --model "$OUT/lenet5.ckpt" --criterion "$c" --target-macs "$target" --seed 0 \
              --steps 50 --calib-batches 200 "${protocol[@]}"
        done
      done ;;
    unstructured)   # the reference's unstructured protocol: no fine-tuning, accuracy at each kept fraction
      for model in lenet5 mlp; do
        for c in magnitude taylor obd oba exact; do
          prune "u-$model-$c-s0" --model "$OUT/$model.ckpt" --unstructured --criterion "$c" --keep 0.5,0.2,0.1,0.05 --steps 5 \
              --calib-batches 20 --batch 64 --seed 0
        done
      done ;;
    *) echo "unknown phase '$phase' (dense table protocol unstructured)" >&2; exit 2 ;;
  esac
done
