#!/usr/bin/env bash
# peer-latency.sh — command -> K listeners with ../shared/tools/peers/peerbench.py (the same harness
# for both): Tonearm's HTTP API (keep-alive POST /api/v1/player/volume, K sockets on
# /ws?topics=player&format=json) beside MPD 0.23 (setvol, K clients in `idle mixer`), interleaved.
# Each Tonearm jar runs with the README's JVM options (plus any per-jar options), an empty library
# and the null output; MPD with the null output and the software mixer. ROUNDS rounds, each running
# `peerbench.py latency tonearm PORT K N` for every jar, then `peerbench.py latency mpd PORT K N`
# (N timed commands after peerbench's 5 untimed ones, on the same daemons every round: round 1
# includes Tonearm's JIT warm-up). Prints peerbench's medians of the per-run figures per side and
# each run's process CPU (connects included) and load average.
#
# usage: bench/peer-latency.sh OUT_DIR K N ROUNDS NAME=JAR[!MAIN][@OPT,OPT...][#ARG,ARG...] [NAME=JAR ...]
#   (OPT: JVM options added to the README's; ARG: daemon arguments, e.g. uring=JAR#--io-uring,on;
#   MAIN: a main class run from JAR instead of its manifest's, e.g. the floors:
#   nio=bench/target/tonearm-bench.jar!io.tonearm.bench.floor.FloorServer#--kind,nio)
#   e.g. bench/peer-latency.sh /tmp/peer 100 200 3 tonearm=daemon/target/tonearm-daemon.jar
#   env: PORT0=7101 (first jar; the next ones count up) MPORT=7110; CTS= (empty) runs the jars without the
#        README's -XX:CompileThresholdScaling=0.1, as the README's command was before it
#   needs: mpd (Debian), python3
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PB=(python3 "$ROOT/../shared/tools/peers/peerbench.py")
OUT=${1:?usage: peer-latency.sh OUT_DIR K N ROUNDS NAME=JAR...}; K=$2; N=$3; ROUNDS=$4; shift 4
PORT0=${PORT0:-7101}; MPORT=${MPORT:-7110}
mkdir -p "$OUT"
W=$(mktemp -d /tmp/peer-latency.XXXXXX); mkdir -p "$W/music" "$W/playlists"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait; rm -rf "$W"' EXIT
cat > "$W/mpd.conf" <<CONF
music_directory     "$W/music"
db_file             "$W/mpd.db"
playlist_directory  "$W/playlists"
log_file            "$W/mpd.log"
bind_to_address     "127.0.0.1"
port                "$MPORT"
auto_update         "no"
zeroconf_enabled    "no"
max_connections     "512"
audio_output {
    type        "null"
    name        "null-sync"
    sync        "yes"
    mixer_type  "software"
}
CONF
mpd --no-daemon "$W/mpd.conf" > "$W/mpd.out" 2>&1 & MPD=$!; PIDS+=("$MPD")
declare -A PORT PID
p=$PORT0; NAMES=()
for spec in "$@"; do
  name=${spec%%=*}; jar=${spec#*=}; opts=""; args=""
  case $jar in *#*) args=${jar#*#}; args=${args//,/ }; jar=${jar%%#*};; esac
  case $jar in *@*) opts=${jar#*@}; opts=${opts//,/ }; jar=${jar%%@*};; esac
  main=(-jar "$jar"); case $jar in *!*) main=(-cp "${jar%%!*}" "${jar#*!}");; esac
  mkdir -p "$W/$name"
  # shellcheck disable=SC2086 # opts is a word list
  java -Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 \
    -XX:TieredStopAtLevel=1 ${CTS--XX:CompileThresholdScaling=0.1} -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError \
    -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000 $opts \
    "${main[@]}" --port "$p" --data-dir "$W/$name" --music "$W/music" $args > "$W/$name.log" 2>&1 &
  PID[$name]=$!; PIDS+=("$!"); PORT[$name]=$p; NAMES+=("$name"); p=$((p + 1))
done
{ echo "date: $(date -u +%FT%TZ) host: $(uname -srm), $(nproc) cores; $(mpd --version | head -1)"
  echo "tonearm: $(git -C "$ROOT" rev-parse --short HEAD); K=$K N=$N rounds=$ROUNDS; $*"; } > "$OUT/log"
"${PB[@]}" wait-port "$MPORT" 30
for n in "${NAMES[@]}"; do "${PB[@]}" wait-port "${PORT[$n]}" 60; done
sleep 5
cpu() { "${PB[@]}" proc "$1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["cpu_s"])'; }
for r in $(seq 1 "$ROUNDS"); do
  for n in "${NAMES[@]}" mpd; do
    if [ "$n" = mpd ]; then pid=$MPD; args=(mpd "$MPORT"); else pid=${PID[$n]}; args=(tonearm "${PORT[$n]}"); fi
    l0=$(cut -d' ' -f1 /proc/loadavg); c0=$(cpu "$pid")
    "${PB[@]}" latency "${args[@]}" "$K" "$N" > "$OUT/$n-r$r.json"
    c1=$(cpu "$pid"); l1=$(cut -d' ' -f1 /proc/loadavg)
    echo "round $r $n $(date -u +%T) load $l0-$l1 cpu $(python3 -c "print(round($c1-$c0,3))") s" >> "$OUT/log"
  done
done
for n in "${NAMES[@]}" mpd; do
  "${PB[@]}" stats "$OUT/$n"-r*.json > "$OUT/$n-stats.json"
  python3 - "$OUT/$n-stats.json" "$n" >> "$OUT/log" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = lambda m: "%.2f / %.2f" % (d[m]["p50"], d[m]["p99"])
runs = lambda m, q: ", ".join("%.2f" % r[q] for r in d[m]["per_run"])
print(f"{sys.argv[2]:10s} medians of {d['runs']}: reply p50/p99 {f('ack')}; first listener {f('first')}; "
      f"last listener {f('all')}; timeouts {d['timeouts']}")
print(f"{'':10s} per run: reply p50 [{runs('ack', 'p50')}]; last p50 [{runs('all', 'p50')}]; last p99 [{runs('all', 'p99')}]")
PY
done
cat "$OUT/log"
