#!/usr/bin/env bash
# Prints the machine code C2 compiled for a method while a command runs, without hsdis: the compiled
# method's address comes from `jcmd PID Compiler.codelist` and gdb disassembles it from the live
# process. Use it to see what a Vector API loop became on this CPU (broadcasts from memory or through
# registers, bounds checks, spills, boxed vectors) before guessing why a kernel is slow.
#   tools/jit-disasm.sh METHOD SECONDS -- java ...      e.g.
#   tools/jit-disasm.sh 'GemmVectorKernel.multiply(' 8 -- ./apoptosis --threads 1 bench kernels
# METHOD is matched as a fixed string against the codelist lines ("package.Class.method(signature)");
# every C2 (tier 4) version is printed, each after a "==== " header; the innermost loops are the
# stretches between the densest runs of vfmadd. Needs gdb and permission to attach (ptrace).
set -euo pipefail
if [ $# -lt 4 ] || [ "$3" != "--" ]; then echo "usage: $0 METHOD SECONDS -- COMMAND..." >&2; exit 2; fi
method=$1 wait=$2; shift 3
command -v gdb >/dev/null || { echo "$0: gdb not found" >&2; exit 3; }
"$@" > /dev/null 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null || true' EXIT
sleep "$wait"
# The JVM may be a grandchild of the launcher script (./apoptosis pipes its stderr through a
# subshell): take the newest java process anywhere in the launcher's tree.
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
pid=$(for p in $launcher $(descendants "$launcher"); do if [ "$(ps -o comm= -p "$p" 2>/dev/null || true)" = java ]; then echo "$p"; fi; done | sort -n | tail -1)
pid=${pid:-$launcher}
found=0
while read -r line; do
  [[ $line == *" 4 "* ]] || continue
  start=$(sed -E 's/.*, (0x[0-9a-f]+) - (0x[0-9a-f]+)\].*/\1/' <<< "$line")
  end=$(sed -E 's/.*, (0x[0-9a-f]+) - (0x[0-9a-f]+)\].*/\2/' <<< "$line")
  echo "==== $line"
  # x/Ni needs a count: a third of the bytes over-reads (instructions are longer); stop at the end.
  gdb -p "$pid" -batch -ex "x/$(( (end - start) / 3 ))i $start" 2>/dev/null | while read -r addr rest; do
    [[ $addr == 0x* ]] && (( ${addr%:} >= end )) && break
    echo "$addr $rest"
  done
  found=1
done < <(jcmd "$pid" Compiler.codelist 2>/dev/null | grep -F "$method")
[ $found = 1 ] || { echo "$0: no C2-compiled method matching '$method' in process $pid after ${wait}s" >&2; exit 1; }
