#!/usr/bin/env bash
# idle-rss.sh JAR PORT CORPUS IDLE_S JAVA_OPTS... : resident set after the start-up scan of CORPUS (fresh data dir),
# right after the scan and IDLE_S seconds later; FORCE_GC=1 also after a jcmd GC.run. Needs peerbench.py (../shared/tools/peers).
set -u
JAR=$1; PORT=$2; CORPUS=$3; IDLE=$4; shift 4
D=$(mktemp -d /tmp/idle-rss.XXXX)
java "$@" -jar $JAR --port $PORT --data-dir $D --music $CORPUS > $D/out 2>&1 & P=$!
python3 $(dirname "$0")/../../shared/tools/peers/peerbench.py wait-port $PORT 120 || { cat $D/out; exit 1; }
t0=$(date +%s.%N)
while curl -s localhost:$PORT/api/v1/jobs | grep -q 'JOB_STATE_RUNNING\|JOB_STATE_QUEUED'; do sleep 0.2; done
t1=$(date +%s.%N)
tc=$(curl -s localhost:$PORT/api/v1/library | python3 -c 'import json,sys;print(json.load(sys.stdin)["track_count"])')
a=$(python3 $(dirname "$0")/../../shared/tools/peers/peerbench.py proc $P)
sleep $IDLE
b=$(python3 $(dirname "$0")/../../shared/tools/peers/peerbench.py proc $P)
jcmd $P GC.heap_info > /tmp/heap-$PORT.txt 2>&1
curl -s localhost:$PORT/health | python3 -c 'import json,sys;print("history",json.load(sys.stdin)["history"])' >> /tmp/heap-$PORT.txt
if [ -n "${FORCE_GC:-}" ]; then jcmd $P GC.run > /dev/null; sleep 5; c=$(python3 $(dirname "$0")/../../shared/tools/peers/peerbench.py proc $P); echo "after GC.run: $c"; jcmd $P GC.heap_info >> /tmp/heap-$PORT.txt 2>&1; fi
case "$*" in *NativeMemoryTracking*) jcmd $P VM.native_memory summary > /tmp/nmt-$PORT.txt 2>&1;; esac
python3 - "$a" "$b" "$t0" "$t1" "$tc" "$*" <<'PY'
import json,sys
a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2])
print(f"opts=[{sys.argv[6]}] tracks={sys.argv[5]} scan_wait={float(sys.argv[4])-float(sys.argv[3]):.1f}s cpu_at_scan_end={a['cpu_s']:.1f}s rss_after_scan={a['rss_kb']/1024:.1f}MB hwm={b['hwm_kb']/1024:.1f}MB rss_idle={b['rss_kb']/1024:.1f}MB pss_idle={(b['pss_kb'] or 0)/1024:.1f}MB threads={b['threads']} load={open('/proc/loadavg').read().split()[0:3]}")
PY
kill $P; wait $P 2>/dev/null; rm -rf $D
