#!/usr/bin/env bash
# Alternates two builds on single-convolution passes (bench/ConvPass.java) and prints the medians of
# their GFLOP/s and the ratio, for deciding whether a kernel change is worth keeping.
#   bench/ab_conv.sh BASE.jar CAND.jar ROUNDS SECONDS "CHANNELS|CIN:COUT SIZE PASS [BATCH]"...
#   e.g. bench/ab_conv.sh /tmp/base.jar target/apoptosis-0.1.0-SNAPSHOT.jar 3 3 "64 8 fwd" "32 16 wt"
# Threads: APOPTOSIS_THREADS (default 1). Run from the repository root after `mvn -q -DskipTests package`
# (the dependency jars come from target/lib).
set -euo pipefail
if [ $# -lt 5 ]; then sed -n 2,6p "$0" >&2; exit 2; fi
base=$1 cand=$2 rounds=$3 seconds=$4
shift 4
lib=$(ls target/lib/*.jar | tr '\n' ':')
for case in "$@"; do
  results=()
  for _ in $(seq "$rounds"); do
    for jar in "$base" "$cand"; do
      # shellcheck disable=SC2086
      g=$(java --add-modules jdk.incubator.vector -Xms4g -Xmx8g -XX:+UseG1GC -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch \
            -Dapoptosis.threads="${APOPTOSIS_THREADS:-1}" -cp "$jar:$lib" bench/ConvPass.java $(echo $case | cut -d" " -f1-3) "$seconds" $(echo $case | cut -s -d" " -f4) 2>/dev/null \
          | grep -o '[0-9.]* GFLOP' | cut -d' ' -f1)
      results+=("$([ "$jar" = "$base" ] && echo b || echo c):$g")
    done
  done
  python3 - "$case" "${results[@]}" <<'PY'
import statistics, sys
case, rows = sys.argv[1], [r.split(":") for r in sys.argv[2:]]
b = [float(v) for k, v in rows if k == "b"]; c = [float(v) for k, v in rows if k == "c"]
print(f"{case:14} base {statistics.median(b):6.1f}  cand {statistics.median(c):6.1f}  ratio "
      f"{statistics.median(c) / statistics.median(b):.3f}   (base {' '.join(f'{x:.0f}' for x in b)} | cand {' '.join(f'{x:.0f}' for x in c)})")
PY
done
