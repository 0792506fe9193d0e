#!/usr/bin/env bash
# cmd-cpu-side.sh — CPU per command of two jars measured AT THE SAME TIME, so that both see the same
# machine (the load of other processes moves a run's figure by more than a small change does).
# Per round: a fresh daemon per jar (the README's JVM options, an empty library, the null output),
# both warmed side by side with `peerbench.py latency tonearm PORT 1 2000 --gap 0.005`, then
# `PER_THREAD=1 bench/cmd-cpu.py PID PORT 1 N` against both at once (each at peerbench's 20 ms
# cadence); which jar starts first swaps every round. Prints per jar the command loop's us of CPU per
# command (the busiest I/O thread) and the whole process's, each run and the median.
#
# usage: bench/cmd-cpu-side.sh OUT_DIR ROUNDS N A=JAR B=JAR
#   env: PORT0=7101 (A; B is PORT0+1)
#   e.g. bench/cmd-cpu-side.sh /tmp/side 6 1000 base=/tmp/base/tonearm-daemon.jar new=daemon/target/tonearm-daemon.jar
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PB=(python3 "$ROOT/../shared/tools/peers/peerbench.py")
OUT=${1:?usage: cmd-cpu-side.sh OUT_DIR ROUNDS N A=JAR B=JAR}; ROUNDS=$2; N=$3; A=$4; B=$5
PORT0=${PORT0:-7101}
mkdir -p "$OUT"
W=$(mktemp -d /tmp/cmd-cpu-side.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait; rm -rf "$W"' EXIT
start() { # DIR JAR PORT -> pid (a fresh data directory per daemon)
  mkdir -p "$W/$1/music"
  java -Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 \
    -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1 -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData \
    -XX:+ExitOnOutOfMemoryError -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000 \
    -jar "$2" --port "$3" --data-dir "$W/$1" --music "$W/$1/music" > "$W/$1.log" 2>&1 &
  echo $!
}
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then specs=("$A" "$B"); else specs=("$B" "$A"); fi
  names=(); pids=(); ports=(); port=$PORT0
  for spec in "${specs[@]}"; do
    pid=$(start "${spec%%=*}-$r" "${spec#*=}" "$port")
    names+=("${spec%%=*}"); pids+=("$pid"); ports+=("$port"); PIDS+=("$pid"); port=$((port + 1))
  done
  for j in 0 1; do "${PB[@]}" wait-port "${ports[$j]}" 60 > /dev/null; done
  for j in 0 1; do "${PB[@]}" latency tonearm "${ports[$j]}" 1 2000 --gap 0.005 > /dev/null & done; wait
  l0=$(cut -d' ' -f1 /proc/loadavg)
  for j in 0 1; do
    PER_THREAD=1 python3 "$ROOT/bench/cmd-cpu.py" "${pids[$j]}" "${ports[$j]}" 1 "$N" > "$OUT/${names[$j]}-$r.txt" 2>&1 &
  done
  wait
  l1=$(cut -d' ' -f1 /proc/loadavg)
  for j in 0 1; do
    echo "load $l0-$l1 $(date -u +%T)" >> "$OUT/${names[$j]}-$r.txt"
    kill "${pids[$j]}"
    while kill -0 "${pids[$j]}" 2>/dev/null; do sleep 0.1; done # not this shell's child: no wait
  done
done
for spec in "$A" "$B"; do
  python3 - "$OUT" "${spec%%=*}" <<'PY'
import glob, re, statistics, sys
loop, total = [], []
for f in sorted(glob.glob(f"{sys.argv[1]}/{sys.argv[2]}-*.txt")):
    t = open(f).read()
    loop.append(float(re.search(r"^tonearm-io\S* \(\d+\)\s+([\d.]+)", t, re.M).group(1)) * 1000)
    total.append(float(re.search(r"^total\s+([\d.]+)", t, re.M).group(1)) * 1000)
print(f"{sys.argv[2]:8s} command loop us/cmd {', '.join('%.0f' % v for v in loop)} (median {statistics.median(loop):.0f}); "
      f"whole process median {statistics.median(total):.0f}")
PY
done
