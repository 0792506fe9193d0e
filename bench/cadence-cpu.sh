#!/usr/bin/env bash
# cadence-cpu.sh — a volume command's CPU against the gap before it: one Tonearm (README JVM options, an empty
# library, the null output, one listener) and one MPD (null output, software mixer), each warmed by 600 commands,
# then for each GAP (seconds) `peerbench.py latency tonearm|mpd PORT 1 N --gap GAP` against both, reading each
# process's CPU (utime+stime from /proc) before and after. Prints per server and gap: the reply p50 and the process's
# CPU per command (the 5 untimed commands included). ROUNDS repeats the gaps.
#
# usage: bench/cadence-cpu.sh JAR [N] [ROUNDS] [GAP ...]   (defaults: 1000 commands, 2 rounds, gaps 0.002 0.020)
#   env: PORT=7101 (Tonearm; MPD on PORT+1)   needs: mpd (Debian), python3, ../shared/tools/peers/peerbench.py
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PB=(python3 "$ROOT/../shared/tools/peers/peerbench.py")
JAR=${1:?usage: cadence-cpu.sh JAR [N] [ROUNDS] [GAP ...]}; N=${2:-1000}; ROUNDS=${3:-2}; shift $(($# < 3 ? $# : 3))
GAPS=("$@"); [ ${#GAPS[@]} -gt 0 ] || GAPS=(0.002 0.020)
PORT=${PORT:-7101}; MPORT=$((PORT + 1))
W=$(mktemp -d /tmp/cadence-cpu.XXXXXX); mkdir -p "$W/music" "$W/playlists" "$W/data"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait; rm -rf "$W"' EXIT
cat > "$W/mpd.conf" <<CONF
music_directory "$W/music"
db_file "$W/mpd.db"
playlist_directory "$W/playlists"
log_file "$W/mpd.log"
bind_to_address "127.0.0.1"
port "$MPORT"
auto_update "no"
zeroconf_enabled "no"
audio_output {
    type "null"
    name "null-sync"
    sync "yes"
    mixer_type "software"
}
CONF
mpd --no-daemon "$W/mpd.conf" > "$W/mpd.out" 2>&1 & MPD=$!; PIDS+=("$MPD")
java -Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 \
  -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1 -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData \
  -XX:+ExitOnOutOfMemoryError -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000 \
  -jar "$JAR" --port "$PORT" --data-dir "$W/data" --music "$W/music" > "$W/tonearm.log" 2>&1 & TA=$!; PIDS+=("$TA")
"${PB[@]}" wait-port "$MPORT" 30 > /dev/null; "${PB[@]}" wait-port "$PORT" 60 > /dev/null
"${PB[@]}" latency tonearm "$PORT" 1 600 > /dev/null
"${PB[@]}" latency mpd "$MPORT" 1 600 > /dev/null
cpu() { "${PB[@]}" proc "$1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["cpu_s"])'; }
echo "date $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) N=$N"
for r in $(seq 1 "$ROUNDS"); do
  for g in "${GAPS[@]}"; do
    for who in tonearm mpd; do
      if [ "$who" = mpd ]; then pid=$MPD; port=$MPORT; else pid=$TA; port=$PORT; fi
      c0=$(cpu "$pid")
      "${PB[@]}" latency "$who" "$port" 1 "$N" --gap "$g" > "$W/run.json"
      c1=$(cpu "$pid")
      "${PB[@]}" stats "$W/run.json" | python3 -c "
import json, sys
d = json.load(sys.stdin)
print('round $r gap $g $who: reply p50 %.3f ms, cpu per command %.0f us' % (d['ack']['p50'], ($c1 - $c0) / ($N + 5) * 1e6))"
    done
  done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
