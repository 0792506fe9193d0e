#!/usr/bin/env bash
# play-threads.sh JAR PORT FORMAT CORPUS [WARMUP_S=30] [SECONDS=30] : CPU per thread while the daemon plays.
# A fresh daemon with the README's JVM options (plus $EXTRA) on CORPUS queues the first 40 files of FORMAT
# (sorted paths, as play-cpu) and plays them to the null output; after WARMUP_S it reads every thread's
# time on CPU from /proc/PID/task/*/schedstat (nanoseconds) and again SECONDS later, and prints % of a core
# per thread name (numbered threads summed) with voluntary wake-ups a second, the sum over the threads and
# the process's utime+stime (10 ms ticks, but counting threads that ended in the window). Run two at once
# (two ports) to compare jars in the same minutes. PROFILE=1 attaches async-profiler ($AP, cpu, 200 us,
# per thread) for the window and writes PORT.collapsed; KEEP=1 keeps the data dir and daemon.log. Linux only.
set -u
JAR=$1; PORT=$2; FMT=$3; CORPUS=$4; WARM=${5:-30}; SECS=${6:-30}
. "$(dirname "$0")/play-daemon.sh"
start_playing $JAR $PORT $CORPUS $FMT play-threads
sleep $WARM
snap() {
  for t in /proc/$PID/task/*; do
    echo "$(basename $t) $(cut -d' ' -f1 $t/schedstat 2>/dev/null) $(awk '/^voluntary_ctxt/{print $2}' $t/status 2>/dev/null) $(cat $t/comm 2>/dev/null)"
  done
}
snap > $D/before; P0=$(awk '{print $14+$15}' /proc/$PID/stat); L=$(cut -d' ' -f1 /proc/loadavg)
AP=${AP:-/tmp/ap/x/linux-x64/libasyncProfiler.so}
[ -n "${PROFILE:-}" ] && jcmd $PID JVMTI.agent_load $AP "\"start,event=cpu,interval=200us,threads\"" > /dev/null
sleep $SECS
[ -n "${PROFILE:-}" ] && jcmd $PID JVMTI.agent_load $AP "\"stop,file=$PWD/$PORT.collapsed,collapsed\"" > /dev/null
snap > $D/after; P1=$(awk '{print $14+$15}' /proc/$PID/stat)
ST=$(curl -s localhost:$PORT/api/v1/player | grep -o '"state":"[A-Z_]*"' | head -1)
kill $PID; wait $PID 2>/dev/null
python3 - $D $SECS "$FMT" "$L" "$ST" "$P0" "$P1" "$(getconf CLK_TCK)" <<'PY'
import collections, re, sys
d, secs, fmt, load, state, p0, p1, tck = sys.argv[1:9]
secs = float(secs)
def read(f):
    m = {}
    for line in open(f):
        p = line.split(None, 3)
        if len(p) == 4:
            m[p[0]] = (int(p[1]), int(p[2]), p[3].strip())
    return m
b, a = read(d + '/before'), read(d + '/after')
per = collections.defaultdict(lambda: [0, 0])
for tid, (ns, vs, name) in a.items():
    ns0, vs0, _ = b.get(tid, (0, 0, name))
    k = re.sub(r'[0-9]+$', '#', name)
    per[k][0] += ns - ns0
    per[k][1] += vs - vs0
total = sum(v[0] for v in per.values())
process = (int(p1) - int(p0)) / int(tck) / secs * 100
print(f"{fmt} load={load} {state} threads={total / secs / 1e7:.3f}% process={process:.3f}%")
for k, v in sorted(per.items(), key=lambda x: -x[1][0]):
    if v[0] > 0:
        print(f"   {k:24s} {v[0] / secs / 1e7:6.3f}%  {v[1] / secs:5.1f} wake/s")
PY
if [ -n "${KEEP:-}" ]; then echo "   kept $D (daemon.log)"; else rm -rf $D; fi
