#!/usr/bin/env bash
# Renders an HTML report to a PNG with headless Chromium (Debian's `chromium` package), as a person
# would see it: used for docs/report.png and by ReportRenderTest.
#   tools/report-screenshot.sh REPORT.html OUT.png [WIDTHxHEIGHT]
# The flags are the ones that work on these machines (no sandbox as root, no GPU, and no background
# networking: the closed network would refuse Chromium's own connections); a fresh profile each time.
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 REPORT.html OUT.png [WIDTHxHEIGHT]" >&2; exit 2; fi
in="$(realpath "$1")"
out="$(realpath -m "$2")"
size="${3:-1000x1500}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then echo "$0: chromium not found (apt-get install chromium)" >&2; exit 3; fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars --window-size="${size/x/,}" \
  --screenshot="$out" "file://$in" >/dev/null 2>&1 || true
if [ ! -s "$out" ]; then echo "$0: chromium wrote no screenshot to $out" >&2; exit 1; fi
echo "wrote $out"
