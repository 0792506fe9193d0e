#!/usr/bin/env bash
# mpd-compare.sh — MPD's protocol on Tonearm vs Debian's mpd, same machine, same run, same corpus:
# command-to-listeners latency (setvol -> K clients in `idle mixer`, ../shared/tools/peers/peerbench.py,
# interleaved, LAT_RUNS each) and `listallinfo` of the whole corpus (ListAllInfoBench).
#
# usage: bench/mpd-compare.sh CORPUS_DIR [OUT_DIR]
#   env: TPORT=16600 (Tonearm MPD) HPORT=16610 (Tonearm HTTP) MPORT=16601 (mpd)
#        LAT_K=100 LAT_N=200 LAT_RUNS=3 LAT_WARMUP=50 (commands before timing) LIST_RUNS=10 (after 5 untimed)
#   needs: mpd, mpc (Debian), bench/target/tonearm-bench.jar and daemon/target/tonearm-daemon.jar
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PB=(python3 "$ROOT/../shared/tools/peers/peerbench.py")
CORPUS=$(cd "${1:?usage: mpd-compare.sh CORPUS_DIR [OUT_DIR]}" && pwd)
OUT=${2:-/tmp/mpd-compare-$(date +%Y%m%d-%H%M%S)}
TPORT=${TPORT:-16600}; HPORT=${HPORT:-16610}; MPORT=${MPORT:-16601}
LAT_K=${LAT_K:-100}; LAT_N=${LAT_N:-200}; LAT_RUNS=${LAT_RUNS:-3}; LAT_WARMUP=${LAT_WARMUP:-50}; LIST_RUNS=${LIST_RUNS:-10}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/mpd-compare.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait; rm -rf "$WORK"' EXIT
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" | tee -a "$OUT/run.log" >&2; }

mkdir -p "$WORK/playlists" "$WORK/tonearm"
cat > "$WORK/mpd.conf" <<CONF
music_directory     "$CORPUS"
db_file             "$WORK/mpd.db"
playlist_directory  "$WORK/playlists"
log_file            "$WORK/mpd.log"
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
{ echo "date: $(date -Is)"; echo "host: $(uname -srm), $(nproc) cores"; echo "mpd: $(mpd --version | head -1)";
  echo "tonearm: $(git -C "$ROOT" rev-parse --short HEAD)"; echo "loadavg at start: $(cat /proc/loadavg)"; } > "$OUT/env.txt"

mpd --no-daemon "$WORK/mpd.conf" > "$WORK/mpd.stdout" 2>&1 & PIDS+=($!)
java -jar "$ROOT/daemon/target/tonearm-daemon.jar" --port "$HPORT" --mpd-port "$TPORT" \
  --data-dir "$WORK/tonearm" --music "$CORPUS" > "$WORK/tonearm.log" 2>&1 & PIDS+=($!)
"${PB[@]}" wait-port "$MPORT" 30; "${PB[@]}" wait-port "$TPORT" 60
log "scanning: mpd (mpc update --wait), tonearm (its start-up scan)"
mpc -q -h 127.0.0.1 -p "$MPORT" update --wait
sleep 5
while "${PB[@]}" mpd "$TPORT" status | grep -q '^updating_db:'; do sleep 1; done
for p in "$MPORT" "$TPORT"; do log "port $p: $("${PB[@]}" mpd "$p" stats | tr '\n' ' ')"; done

for r in $(seq 1 "$LAT_RUNS"); do
  for who in mpd tonearm; do
    port=$MPORT; [ "$who" = tonearm ] && port=$TPORT
    "${PB[@]}" latency mpd "$port" "$LAT_K" "$LAT_N" --warmup "$LAT_WARMUP" > "$OUT/lat-$who-k$LAT_K-r$r.json"
    log "latency $who K=$LAT_K run $r: $(python3 -c "import json;d=json.load(open('$OUT/lat-$who-k$LAT_K-r$r.json'));print({m:{q:round(d[m][q],3) for q in ('p50','p99','max')} for m in ('all','ack')}, 'timeouts', d['timeouts'])")"
  done
done
for who in mpd tonearm; do
  "${PB[@]}" stats "$OUT"/lat-$who-k$LAT_K-r*.json > "$OUT/lat-$who-summary.json"
  log "latency $who summary: $(cat "$OUT/lat-$who-summary.json")"
done
for who in mpd tonearm; do
  port=$MPORT; [ "$who" = tonearm ] && port=$TPORT
  java -cp "$ROOT/bench/target/tonearm-bench.jar" io.tonearm.bench.mpd.ListAllInfoBench "$port" "$LIST_RUNS" 5 \
    | tee "$OUT/listallinfo-$who.txt" | tail -1 | sed "s/^/listallinfo $who: /" | tee -a "$OUT/run.log"
done
echo "loadavg at end: $(cat /proc/loadavg)" >> "$OUT/env.txt"
log "done: $OUT"
