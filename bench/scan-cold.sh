#!/usr/bin/env bash
# scan-cold.sh JAR PORT CORPUS JAVA_OPTS...: a cold scan in the running daemon, as MPD's `update` from an empty
# database is measured (../shared/tools/peers/measure-mpd.sh with SKIP_LATENCY=1 SKIP_PLAY=1). The daemon starts on
# an empty data dir with an empty music folder; once it listens and has idled 5 s, CORPUS is added as a folder
# (POST /api/v1/library/folders) and the scan job is polled every 100 ms. Prints the CPU each thread took over the
# scan (threads by name, numbers folded to #; threads that ended meanwhile are missing), then wall time, the
# process's CPU over the scan, VmHWM before and after, and VmRSS right after. Needs peerbench.py (../shared/tools/peers).
JAR=$1; PORT=$2; CORPUS=$3; shift 3
D=$(mktemp -d /tmp/scan-cold.XXXX); mkdir -p $D/empty
java "$@" -jar $JAR --port $PORT --data-dir $D --music $D/empty > $D/out 2>&1 & P=$!
python3 $(dirname "$0")/../../shared/tools/peers/peerbench.py wait-port $PORT 120 >/dev/null || { cat $D/out; exit 1; }
sleep 5
cpu() { awk '{print ($14+$15)/100}' /proc/$P/stat; }
h0=$(grep VmHWM /proc/$P/status | awk '{print $2}')
threads() { for t in /proc/$P/task/*; do c=$(cat $t/comm 2>/dev/null | tr " " _); v=$(awk "{print \$14+\$15}" $t/stat 2>/dev/null); [ -n "$v" ] && echo "$c $v"; done; }
threads > $D/th0
c0=$(cpu); t0=$(date +%s.%N)
curl -s -o /dev/null -w '' -X POST -H 'Content-Type: application/json' -d "{\"path\": \"$CORPUS\"}" localhost:$PORT/api/v1/library/folders
sleep 0.1
while curl -s localhost:$PORT/api/v1/jobs | grep -q 'JOB_STATE_RUNNING\|JOB_STATE_QUEUED'; do sleep 0.1; done
t1=$(date +%s.%N); c1=$(cpu)
threads > $D/th1
python3 - $D/th0 $D/th1 <<'PY'
import sys,re,collections
def l(f):
    d=collections.Counter()
    for line in open(f):
        n,v=line.split(); d[re.sub(r"\d+$","#",n)]+=int(v)
    return d
a=l(sys.argv[1]); b=l(sys.argv[2])
print(" ".join(f"{k}={(b[k]-a.get(k,0))/100:.2f}" for k in sorted(b,key=lambda k:-(b[k]-a.get(k,0))) if b[k]-a.get(k,0)>0))
PY
tc=$(curl -s localhost:$PORT/api/v1/library | python3 -c 'import json,sys;print(json.load(sys.stdin)["track_count"])')
h1=$(grep VmHWM /proc/$P/status | awk '{print $2}'); r1=$(grep VmRSS /proc/$P/status | awk '{print $2}')
python3 -c "print(f'tracks=$tc wall={$t1-$t0:.2f}s cpu={$c1-$c0:.2f}s hwm_before={$h0/1024:.0f}MB hwm={$h1/1024:.0f}MB rss_after={$r1/1024:.0f}MB load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)')"
kill $P; wait $P 2>/dev/null; rm -rf $D
