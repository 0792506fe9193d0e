#!/usr/bin/env bash
# stream-compare.sh — CPU of the network stream per format and number of listeners, Tonearm's
# GET /stream/<format> beside Debian's mpd with one httpd audio_output of the same encoder, both
# playing the same file at the same time, same run. For each format and N listeners (curl to
# /dev/null), each server's own CPU (utime+stime from /proc, all threads) over WINDOW seconds after
# WARM seconds, in % of one core; listeners of one server at a time (the other keeps playing).
#
# usage: bench/stream-compare.sh [OUT_DIR]
#   env: TPORT=7200 (Tonearm HTTP) MPORT=7201 (mpd protocol) HTTPD=7202 (mpd httpd)
#        FORMATS="wav16 flac opus mp3" LISTENERS="0 1 10 64" WINDOW=15 WARM=3 ROUNDS=1
#   needs: mpd, mpc, ffmpeg, curl, daemon/target/tonearm-daemon.jar
# Tonearm's formats beside MPD's encoders: wav16 = "wave" (16 bit), flac = "flac" (level 5;
# Tonearm has no LPC), opus = "opus" (128 kbit/s, MPD's default complexity 10), mp3 = "lame"
# (192 kbit/s CBR). Tonearm caps the stream at 64 listeners, so 64 is the largest N.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-/tmp/stream-compare-$(date +%Y%m%d-%H%M%S)}
TPORT=${TPORT:-7200}; MPORT=${MPORT:-7201}; HTTPD=${HTTPD:-7202}
FORMATS=${FORMATS:-"wav16 flac opus mp3"}; LISTENERS=${LISTENERS:-"0 1 10 64"}
WINDOW=${WINDOW:-15}; WARM=${WARM:-3}; ROUNDS=${ROUNDS:-1}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/stream-compare.XXXXXX)
TPID=""; MPID=""; CURLS=()
stop_curls() { for p in "${CURLS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${CURLS[@]}"; do wait "$p" 2>/dev/null || true; done; CURLS=(); }
stop_mpd() { if [ -n "$MPID" ]; then kill "$MPID" 2>/dev/null || true; wait "$MPID" 2>/dev/null || true; MPID=""; fi; }
trap 'stop_curls; stop_mpd; [ -n "$TPID" ] && kill "$TPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" | tee -a "$OUT/run.log" >&2; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

mkdir -p "$WORK/music" "$WORK/tonearm" "$WORK/playlists"
# 10 minutes of music-like stereo: two tones and pink noise, 44.1 kHz, 16-bit FLAC.
ffmpeg -v error -f lavfi -i "anoisesrc=d=600:c=pink:r=44100:a=0.1:seed=1" \
  -f lavfi -i "sine=f=220:r=44100:d=600" -f lavfi -i "sine=f=330:r=44100:d=600" \
  -filter_complex "[0][1]amix=inputs=2:normalize=0[l];[0][2]amix=inputs=2:normalize=0[r];[l][r]amerge=inputs=2" \
  -c:a flac -sample_fmt s16 "$WORK/music/source.flac"
{ echo "date: $(date -Is)"; echo "host: $(uname -srm), $(nproc) cores"; echo "mpd: $(mpd --version | head -1)";
  echo "tonearm: $(git -C "$ROOT" rev-parse --short HEAD)"; echo "loadavg at start: $(cat /proc/loadavg)"; } > "$OUT/env.txt"

java -Xmx256m -jar "$ROOT/daemon/target/tonearm-daemon.jar" --port "$TPORT" \
  --data-dir "$WORK/tonearm" --music "$WORK/music" > "$WORK/tonearm.log" 2>&1 & TPID=$!
wait_port "$TPORT"
sleep 5
curl -s -X POST -H 'Content-Type: application/json' -d '{"paths": ["source.flac"]}' "http://127.0.0.1:$TPORT/api/v1/queue" > /dev/null
curl -s -X POST -H 'Content-Type: application/json' -d '{"mode": "REPEAT_MODE_ALL"}' "http://127.0.0.1:$TPORT/api/v1/player/repeat" > /dev/null || true
curl -s -X POST "http://127.0.0.1:$TPORT/api/v1/player/play" > /dev/null

start_mpd() {  # ENCODER_BLOCK
  stop_mpd
  cat > "$WORK/mpd.conf" <<CONF
music_directory     "$WORK/music"
db_file             "$WORK/mpd.db"
playlist_directory  "$WORK/playlists"
log_file            "$WORK/mpd.log"
bind_to_address     "127.0.0.1"
port                "$MPORT"
auto_update         "no"
zeroconf_enabled    "no"
audio_output {
    type        "httpd"
    name        "stream"
    bind_to_address "127.0.0.1"
    port        "$HTTPD"
    format      "44100:16:2"
    max_clients "0"
$1
}
CONF
  mpd --no-daemon "$WORK/mpd.conf" > "$WORK/mpd.stdout" 2>&1 & MPID=$!
  wait_port "$MPORT"
  mpc -q -h 127.0.0.1 -p "$MPORT" update --wait
  mpc -q -h 127.0.0.1 -p "$MPORT" clear
  mpc -q -h 127.0.0.1 -p "$MPORT" add source.flac
  mpc -q -h 127.0.0.1 -p "$MPORT" repeat on
  mpc -q -h 127.0.0.1 -p "$MPORT" play
  sleep 2
}

measure() {  # WHO PID URL N
  stop_curls
  for _ in $(seq 1 "$4"); do curl -s -o /dev/null "$3" & CURLS+=($!); done
  sleep "$WARM"
  local a b l0
  l0=$(cut -d' ' -f1 /proc/loadavg)
  a=$(ticks "$2"); sleep "$WINDOW"; b=$(ticks "$2")
  local alive=0; for p in "${CURLS[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
  stop_curls
  local pct; pct=$(awk -v d=$((b - a)) -v w="$WINDOW" 'BEGIN{printf "%.2f", d / w}')  # ticks are 1/100 s
  echo "$5 $1 $4 $pct $alive $l0" >> "$OUT/results.txt"
  log "$5 $1 N=$4: ${pct}% of one core (listeners still connected: $alive, load $l0)"
}

declare -A ENC=(
  [wav16]='    encoder     "wave"'
  [flac]='    encoder     "flac"
    compression "5"'
  [opus]='    encoder     "opus"
    bitrate     "128000"'
  [mp3]='    encoder     "lame"
    bitrate     "192"'
)
echo "# format server listeners cpu_pct_of_one_core listeners_connected_at_end load1" > "$OUT/results.txt"
for r in $(seq 1 "$ROUNDS"); do
  for f in $FORMATS; do
    start_mpd "${ENC[$f]}"
    for n in $LISTENERS; do
      measure tonearm "$TPID" "http://127.0.0.1:$TPORT/stream/$f" "$n" "$f"
      measure mpd "$MPID" "http://127.0.0.1:$HTTPD/" "$n" "$f"
    done
  done
done
stop_mpd
log "done: $OUT/results.txt"
