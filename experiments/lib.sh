# Shared by the experiment scripts: a frozen launcher, and runs that skip when finished and resume
# when interrupted. Source it; do not run it.
#
#   OUT          where run directories, checkpoints and logs go (default: experiments/out)
#   APOPTOSIS    the launcher (default: a frozen copy of the built jar, see freeze below)
#   THREADS      kernel threads per run (default: all cores)
#   EXTRA_CP     more class path entries (speed.sh: ONNX Runtime)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=${OUT:-$root/experiments/out}
mkdir -p "$OUT"

# A long run must not have its classes rebuilt under it: runs use a copy of the jar and its
# libraries taken once per OUT (delete OUT/jar to take a new one; finished runs stay finished).
freeze() {
  if [ ! -f "$OUT/jar/apoptosis.jar" ]; then
    (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package) >&2     # stdout is the experiment's
    mkdir -p "$OUT/jar.tmp"
    cp "$root/target/apoptosis-0.1.0-SNAPSHOT.jar" "$OUT/jar.tmp/apoptosis.jar"
    cp -r "$root/target/lib" "$OUT/jar.tmp/lib"
    (cd "$root" && git rev-parse --short HEAD) > "$OUT/jar.tmp/commit.txt"
    rm -rf "$OUT/jar" && mv "$OUT/jar.tmp" "$OUT/jar"
  fi
}
apoptosis() {
  if [ -n "${APOPTOSIS:-}" ]; then $APOPTOSIS ${THREADS:+--threads "$THREADS"} "$@"; return; fi
  freeze
  java --add-modules jdk.incubator.vector -Xms2g -Xmx8g -XX:+UseG1GC -cp "$OUT/jar/apoptosis.jar:$OUT/jar/lib/*${EXTRA_CP:+:$EXTRA_CP}" \
      dev.apoptosis.cli.Main ${THREADS:+--threads "$THREADS"} "$@" 2> >(grep -v '^WARNING: Using incubator modules' >&2)
}

# train NAME ARGS...: OUT/NAME.ckpt, resumed after an interruption, skipped once OUT/NAME.done exists.
train() {
  local name=$1; shift
  [ -f "$OUT/$name.done" ] && return 0
  local start; start=$(date +%s)
  if [ -f "$OUT/$name.ckpt" ]; then
    apoptosis train --resume "$OUT/$name.ckpt" --run-dir "$OUT/$name" --progress lines >> "$OUT/$name.log" 2>&1
  else
    apoptosis train "$@" --progress lines --out "$OUT/$name.ckpt" --run-dir "$OUT/$name" > "$OUT/$name.log" 2>&1
  fi
  echo "$(( $(date +%s) - start ))" > "$OUT/$name.done"
  echo "$name: trained; $(grep -h '^done:' "$OUT/$name.log" | tail -1)"
}

# prune NAME ARGS...: one prune run into OUT/NAME.ckpt and the run directory OUT/NAME. Skipped when
# its run directory holds a fine-tuning record for every target; continued with --resume from its
# checkpoint when interrupted after a step; started again when it never finished a step.
# Several scripts may work through the same runs at once (one per core): a run is claimed with a lock
# directory holding the claimer's PID, and a run claimed by a live process is skipped.
claim() {
  local lock="$OUT/$1.lock"
  if ! mkdir "$lock" 2>/dev/null; then
    kill -0 "$(cat "$lock/pid" 2>/dev/null)" 2>/dev/null && return 1
    rm -rf "$lock"; mkdir "$lock" 2>/dev/null || return 1
  fi
  echo $$ > "$lock/pid"
}
release() { rm -rf "$OUT/$1.lock"; }

prune() {
  claim "$1" || { echo "$1: being run by another process; skipped"; return 0; }
  prune_unclaimed "$@"     # a failure exits the script (set -e); its lock then names a dead process
  release "$1"
}

prune_unclaimed() {
  local name=$1; shift
  local dir="$OUT/$name" ckpt="$OUT/$name.ckpt"
  if [ -f "$dir/run.json" ]; then
    local want have
    want=$(grep -o '"targets" : \[[^]]*\]' "$dir/run.json" | tr -cd ',' | wc -c); want=$((want + 1))
    have=$(grep -c '"top1_finetuned"' "$dir/finetune.jsonl" 2>/dev/null || true)
    [ "${have:-0}" -ge "$want" ] && return 0
  fi
  local start; start=$(date +%s)
  if [ -f "$dir/run.json" ] && [ -f "$ckpt" ] && apoptosis info "$ckpt" 2>/dev/null | grep -q '^pruning'; then
    echo "$name: resuming" >&2
    apoptosis prune --resume "$ckpt" --run-dir "$dir" --progress quiet >> "$OUT/$name.log" 2>&1
  else
    rm -rf "$dir" "$ckpt"
    apoptosis prune "$@" --progress quiet --out "$ckpt" --run-dir "$dir" > "$OUT/$name.log" 2>&1
  fi
  echo "$name: $(( $(date +%s) - start )) s; $(grep -h 'pruned to\|fine-tuned' "$OUT/$name.log" | tail -2 | tr '\n' ' ')"
}
