#!/usr/bin/env bash
# Rebuilds the evidence tables and charts from the run directories (never by hand): one Markdown
# file per table under OUT/tables/, one HTML report and one SVG chart each. docs/results.md quotes them.
#
#   experiments/summarize.sh [--docs]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
APOPTOSIS=${APOPTOSIS:-$root/apoptosis}   # the current build: the tables, not the runs, are made here
tables=$OUT/tables; mkdir -p "$tables"

# table NAME DIR...: the runs' evidence table, report and chart (unfinished runs are left out).
table() {
  local name=$1; shift
  local done=()
  for d in "$@"; do
    [ -f "$d/finetune.jsonl" ] && [ -f "$d/layers.json" ] && done+=("$d")
  done
  if [ ${#done[@]} -eq 0 ]; then echo "$name: no finished run yet"; return; fi
  apoptosis report --table "${done[@]}" --out "$tables/$name.html" --chart "$tables/$name.svg" | sed '/^wrote /d' > "$tables/$name.md"
  echo "$name: ${#done[@]} runs -> $tables/$name.md"
}

r20=$OUT/cifar10-resnet20 r56=$OUT/cifar10-resnet56 fm=$OUT/fashion-mnist
shopt -s nullglob
table resnet20-structured "$r20"/{magnitude,taylor,obd,oba,exact}-0.{5,25}-s[0-9]
table resnet20-ablations "$r20"/{magnitude,oba,exact}-0.5-s0 "$r20"/*-0.5-s0-*
table resnet20-unstructured "$r20"/u-*-s0 "$r20"/u-*-s0-recal
table resnet56-structured "$r56"/{magnitude,taylor,obd,oba,exact}-0.{5,25}-s[0-9]
table lenet5-structured "$fm"/lenet5-*-0.{5,25}-s[0-9]
table lenet5-protocol "$fm"/{full-,}lenet5-{taylor,oba}-0.{5,25}-s0
table lenet5-unstructured "$fm"/u-lenet5-*
table mlp-unstructured "$fm"/u-mlp-*

# The reduced protocol's channel choices against the full one's: channels kept per layer, side by side.
for c in taylor oba; do
  for t in 0.5 0.25; do
    a=$fm/lenet5-$c-$t-s0/layers.json b=$fm/full-lenet5-$c-$t-s0/layers.json
    [ -f "$a" ] && [ -f "$b" ] || continue
    echo "$c at $t: channels kept per layer, reduced (10 x 20) / full (50 x 200): $(paste -d/ \
        <(jq -r '.layers[] | "\(.name) \(.channels_after)"' "$a") <(jq -r '.layers[] | .channels_after' "$b") | tr '\n' ' ')"
  done
done > "$tables/lenet5-protocol-channels.md"
cat "$tables/lenet5-protocol-channels.md"

# The speed tables: terminal colour codes out, and a blank line between the heading line and the table.
# ResNet-20's are threads-N, another model's MODEL-threads-N (speed.sh writes them to OUT/speed-MODEL/).
for f in "$OUT"/speed/threads-*.md "$OUT"/speed-*/threads-*.md; do
  [ -f "$f" ] || continue
  dir=$(basename "$(dirname "$f")"); prefix=${dir#speed}; prefix=${prefix#-}
  sed -e 's/\x1b\[[0-9;]*m//g' "$f" | awk 'NR == 1 { print; print ""; next } { print }' > "$tables/${prefix:+$prefix-}$(basename "$f")"
done
true

# --docs: also put the tables into docs/results.md between their markers
#   <!-- table:NAME -->  ...  <!-- /table:NAME -->
# and copy the charts to docs/results/, so the page is rebuilt from the runs, never edited by hand.
if [ "${1:-}" = "--docs" ]; then
  doc=$root/docs/results.md
  mkdir -p "$root/docs/results"
  for md in "$tables"/*.md; do
    name=$(basename "$md" .md)
    [ -f "$tables/$name.svg" ] && cp "$tables/$name.svg" "$root/docs/results/$name.svg"
    grep -q "<!-- table:$name -->" "$doc" || continue
    awk -v name="$name" -v file="$md" '
      $0 == "<!-- table:" name " -->" { print; while ((getline line < file) > 0) print line; skip = 1; next }
      $0 == "<!-- /table:" name " -->" { skip = 0 }
      !skip { print }' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
  done
  echo "docs/results.md tables and docs/results/*.svg rebuilt"
fi
