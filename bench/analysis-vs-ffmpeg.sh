#!/usr/bin/env bash
# analysis-vs-ffmpeg.sh JAR PORT FILE [ROUNDS] — issue 13's loudness-analysis row: the daemon's loudness analysis
# job (POST /api/v1/library/analyze: integrated loudness, LRA, true peak, ReplayGain, MixRamp) against ffmpeg's
# `ebur128=peak=true` on the same file, whole processes, alternated ROUNDS times (default 3).
# Tonearm: a fresh daemon with the README's JVM options and FILE as its only music (hard-linked, else copied);
# after the scan, the CPU the whole daemon process spends from the request until the job is COMPLETED
# (/proc/PID/stat utime+stime; the job polled every 100 ms, so the wall time is within 0.1 s), for a first job
# (C1 compiling the analysis on the way) and the same job again in the same daemon. ffmpeg: user+sys.
# e.g. ffmpeg -stream_loop -1 -i SOME.flac -t 600 -c:a pcm_s16le /tmp/tenmin.wav
#      bench/analysis-vs-ffmpeg.sh daemon/target/tonearm-daemon.jar 7186 /tmp/tenmin.wav 3
set -euo pipefail
JAR=${1:?usage: analysis-vs-ffmpeg.sh JAR PORT FILE [ROUNDS]}; PORT=$2; FILE=$3; ROUNDS=${4:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OPTS="-Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1
 -XX:CompileThresholdScaling=0.1 -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError
 -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000"
TICK=$(getconf CLK_TCK)
tonearm() {
  local d; d=$(mktemp -d /tmp/analysis-vs-ffmpeg.XXXXXX); mkdir -p "$d/music"
  ln "$FILE" "$d/music/" 2>/dev/null || cp "$FILE" "$d/music/"
  # shellcheck disable=SC2086
  java $OPTS -jar "$JAR" --port "$PORT" --data-dir "$d" --music "$d/music" > "$d/log" 2>&1 &
  local pid=$!
  python3 "$ROOT/../shared/tools/peers/peerbench.py" wait-port "$PORT" 60 > /dev/null
  for _ in $(seq 1 100); do
    curl -s "localhost:$PORT/api/v1/library/tracks" | grep -q '"id"' && break; sleep 0.2
  done
  sleep 2
  job_once "$pid" first
  job_once "$pid" again
  kill "$pid"; wait "$pid" 2> /dev/null || true; rm -rf "$d"
}
job_once() { # PID LABEL: one analysis job of the whole library, the daemon's CPU and the wall time
  local pid=$1 c0 t0 job c1 t1 state
  c0=$(awk '{print $14+$15}' "/proc/$pid/stat"); t0=$(date +%s.%N)
  job=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"all":true}' \
    "localhost:$PORT/api/v1/library/analyze" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
  for _ in $(seq 1 6000); do # every 100 ms: each poll is a connection and a request the daemon's CPU counts
    curl -s "localhost:$PORT/api/v1/jobs/$job" | grep -q 'JOB_STATE_COMPLETED\|JOB_STATE_FAILED\|JOB_STATE_CANCELLED' && break
    sleep 0.1
  done
  t1=$(date +%s.%N); c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  state=$(curl -s "localhost:$PORT/api/v1/jobs/$job" | grep -o 'JOB_STATE_[A-Z]*' | head -1)
  echo "tonearm job ($2 in this daemon) $state: cpu $(echo "scale=2; ($c1 - $c0) / $TICK" | bc) s, wall $(echo "$t1 - $t0" | bc | cut -c1-5) s"
}
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f "ffmpeg: cpu %U + %S s, wall %e s" ffmpeg -nostats -hide_banner -loglevel error \
    -i "$FILE" -filter_complex ebur128=peak=true -f null - 2>&1 | grep '^ffmpeg:'
  tonearm
done
