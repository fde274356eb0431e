#!/usr/bin/env bash
# The CIFAR-10 evidence (docs/results.md) for one model, in phases; each phase skips finished runs and
# resumes interrupted ones, so the script can be killed and started again at any time.
#
#   experiments/cifar10.sh MODEL [PHASE...]      MODEL: resnet20, resnet56, vgg11 (a zoo name)
#                                                 phases: dense table unstructured unstructured-recal ablations
#                                                 recalibration seeds
#   USTEPS=2 ...                                  unstructured steps per kept fraction (default 5)
#   SEEDS="1 2" SEED_CRITERIA="oba taylor" ...    which extra seeds, for which criteria (phase seeds; the
#                                                 criteria may also be written into OUT/cifar10-MODEL/seed-criteria)
# Several copies may run at once (THREADS=1 each, one per core): they share the runs out (lib.sh claim).
#
# Run in the background with a log:  nohup experiments/cifar10.sh resnet20 > r20.log 2>&1 &
# Rebuild the tables from what has finished:  experiments/summarize.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
model=${1:?"usage: cifar10.sh MODEL [PHASE...]"}; shift
OUT=$OUT/cifar10-$model; mkdir -p "$OUT"
phases=${*:-dense table unstructured ablations seeds}
dense=$OUT/dense.ckpt

# The reduced protocol: 10 steps of 20 calibration batches of 64 (the reference: 50 x 200), BatchNorm
# statistics re-estimated on 50 batches after pruning, then 2 epochs of cosine SGD from lr 0.01 for
# every criterion alike. ResNet-56 costs three times as much per image, so its runs take half the
# calibration batches and one fine-tuning epoch (still one budget for every criterion of the model).
calib_batches=20 ft_epochs=2
case $model in resnet56) calib_batches=10 ft_epochs=1 ;; esac
calibration=(--steps 10 --calib-batches "$calib_batches" --batch 64) tuning=(--finetune-epochs "$ft_epochs" --finetune-lr 0.01)
protocol=("${calibration[@]}" --recalibrate 50 "${tuning[@]}")

for phase in $phases; do
  case $phase in
    dense)   # 8 epochs, one cosine cycle (ResNet-20: 81.20 % in 47 min on the shared 2-vCPU machine)
      train dense --model "$model" --data cifar10 --epochs 8 --batch 128 --lr 0.1 --momentum 0.9 --nesterov \
          --wd 5e-4 --schedule cosine --warmup 1 --seed 1 --checkpoint-every 100 ;;
    table)
      for target in 0.5 0.25; do
        for c in magnitude taylor obd oba exact; do
          prune "$c-$target-s0" --model "$dense" --criterion "$c" --target-macs "$target" --seed 0 "${protocol[@]}"
        done
      done ;;
    unstructured)   # the reference's unstructured protocol: no fine-tuning, accuracy at each kept fraction
      for c in magnitude taylor obd oba exact; do
        prune "u-$c-s0" --model "$dense" --unstructured --criterion "$c" --keep 0.5,0.2,0.1,0.05 --steps "${USTEPS:-5}" \
            --calib-batches "$calib_batches" --batch 64 --seed 0
      done ;;
    unstructured-recal)   # the same with BatchNorm statistics re-estimated at each kept fraction
      for c in ${RECAL_CRITERIA:-magnitude taylor oba}; do
        prune "u-$c-s0-recal" --model "$dense" --unstructured --criterion "$c" --keep 0.5,0.2,0.1,0.05 --steps "${USTEPS:-5}" \
            --calib-batches "$calib_batches" --batch 64 --seed 0 --recalibrate 50
      done ;;
    ablations)      # at 50 % of the MACs, seed 0, beside the table's oba-0.5-s0 and exact-0.5-s0
      for c in oba exact; do
        prune "$c-0.5-s0-bnrunning" --model "$dense" --criterion "$c" --criterion-option batchnorm=running \
            --target-macs 0.5 --seed 0 "${protocol[@]}"
      done
      prune "oba-0.5-s0-noiseref" --model "$dense" --criterion oba --noise-remedy reference --target-macs 0.5 --seed 0 \
          "${protocol[@]}" ;;
    recalibration)  # the protocol without re-estimating BatchNorm statistics after pruning (the reference's way)
      for c in magnitude oba; do
        prune "$c-0.5-s0-norecal" --model "$dense" --criterion "$c" --target-macs 0.5 --seed 0 \
            "${calibration[@]}" --recalibrate 0 "${tuning[@]}"
      done ;;
    seeds)
      for seed in ${SEEDS:-1}; do
        for target in 0.5 0.25; do
          for c in ${SEED_CRITERIA:-$(cat "$OUT/seed-criteria" 2>/dev/null || echo oba taylor)}; do
            prune "$c-$target-s$seed" --model "$dense" --criterion "$c" --target-macs "$target" --seed "$seed" "${protocol[@]}"
          done
        done
      done ;;
    *) echo "unknown phase '$phase' (dense table unstructured unstructured-recal ablations recalibration seeds)" >&2; exit 2 ;;
  esac
done
