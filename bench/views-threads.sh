#!/usr/bin/env bash
# views-threads.sh JAR PORT CORPUS [WARMUP_S=60] [SECONDS=20] [FPS=60] : CPU per thread that the four live
# analysis views of views-cpu add while the daemon plays (spectrum 2048, spectrum 4096 with 64 log bands
# A-weighted, waveform, meters, one WebSocket, FPS each). A fresh daemon with the README's JVM options (plus
# $EXTRA) on CORPUS plays the first 40 FLAC files (sorted paths) to the null output; a small stdlib Python
# viewer subscribes and reads every frame. After WARMUP_S it reads each thread's time on CPU from
# /proc/PID/task/*/schedstat (nanoseconds) over SECONDS with the viewer, closes the viewer, waits 3 s and
# reads SECONDS without it; prints % of a core per thread name (numbered threads summed) with and without,
# the difference, and the frames a second the viewer got per view in the window. Nanosecond per-thread
# figures instead of views-cpu's 10 ms process ticks; run two at once (two ports) to compare jars in the
# same minutes (the frames are counted, not parsed: the viewer's own cost is its process's, not the daemon's).
# PROFILE=1 attaches async-profiler ($AP, cpu, 200 us, per thread) over the window with the viewer and
# writes PORT.collapsed. Linux only.
set -u
JAR=$1; PORT=$2; CORPUS=$3; WARM=${4:-60}; SECS=${5:-20}; FPS=${6:-60}
. "$(dirname "$0")/play-daemon.sh"
start_playing $JAR $PORT $CORPUS flac views-threads
# The viewer: a WebSocket client on the standard library; counts binary frames and prints the count
# at each SIGUSR1.
python3 - $PORT $FPS > $D/viewer.out 2>&1 <<'PY' &
import base64, os, signal, socket, struct, sys
port, fps = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
key = base64.b64encode(os.urandom(16)).decode()
s.sendall(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % key).encode())
buf = b""
while b"\r\n\r\n" not in buf:
    buf += s.recv(4096)
buf = buf.split(b"\r\n\r\n", 1)[1]
views = ('{"request_id":"views","subscribe":{"views":['
         '{"topic":"spectrum","fps":F,"spectrum":{"size":2048}},'
         '{"topic":"spectrum","fps":F,"spectrum":{"size":4096,"layout":"BAND_LAYOUT_LOG",'
         '"band_count":64,"weighting":"WEIGHTING_A"}},'
         '{"topic":"waveform","fps":F},{"topic":"meters","fps":F}]}}').replace("F", fps).encode()
mask = os.urandom(4)
hdr = bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(views)) if len(views) > 125 else bytes([0x81, 0x80 | len(views)])
s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(views)))
count = {"binary": 0}
signal.signal(signal.SIGUSR1, lambda *_: print(count["binary"], flush=True))
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
while True:
    while len(buf) < 2:
        buf += s.recv(65536)
    b1 = buf[1] & 0x7F
    head = 2 + (2 if b1 == 126 else 8 if b1 == 127 else 0)
    while len(buf) < head:
        buf += s.recv(65536)
    n = b1 if b1 < 126 else struct.unpack(">H", buf[2:4])[0] if b1 == 126 else struct.unpack(">Q", buf[2:10])[0]
    while len(buf) < head + n:
        buf += s.recv(65536)
    if buf[0] & 0x0F == 2:
        count["binary"] += 1
    buf = buf[head + n:]
PY
VIEWER=$!
sleep $WARM
snap() {
  for t in /proc/$PID/task/*; do
    echo "$(basename $t) $(cut -d' ' -f1 $t/schedstat 2>/dev/null) $(awk '/^voluntary_ctxt/{print $2}' $t/status 2>/dev/null) $(cat $t/comm 2>/dev/null)"
  done
}
AP=${AP:-/tmp/ap/x/linux-x64/libasyncProfiler.so}
L0=$(cut -d' ' -f1 /proc/loadavg)
snap > $D/w0; kill -USR1 $VIEWER
[ -n "${PROFILE:-}" ] && jcmd $PID JVMTI.agent_load $AP "\"start,event=cpu,interval=200us,threads\"" > /dev/null
sleep $SECS
[ -n "${PROFILE:-}" ] && jcmd $PID JVMTI.agent_load $AP "\"stop,file=$PWD/$PORT.collapsed,collapsed\"" > /dev/null
snap > $D/w1; kill -USR1 $VIEWER; sleep 0.2
kill $VIEWER; wait $VIEWER 2>/dev/null
sleep 3
L1=$(cut -d' ' -f1 /proc/loadavg)
snap > $D/n0
sleep $SECS
snap > $D/n1
ST=$(curl -s localhost:$PORT/api/v1/player | grep -o '"state":"[A-Z_]*"' | head -1)
kill $PID; wait $PID 2>/dev/null
python3 - $D $SECS "$L0" "$L1" "$ST" "$(tail -2 $D/viewer.out | tr '\n' ' ')" "$JAR" <<'PY'
import collections, re, sys
d, secs, l0, l1, state, frames, jar = sys.argv[1:8]
secs = float(secs)
def read(f):
    m = {}
    for line in open(f):
        p = line.split(None, 3)
        if len(p) == 4:
            m[p[0]] = (int(p[1]), int(p[2]), p[3].strip())
    return m
def per(b, a):
    out = collections.defaultdict(lambda: [0, 0])
    for tid, (ns, vs, name) in a.items():
        ns0, vs0, _ = b.get(tid, (0, 0, name))
        k = re.sub(r'[0-9]+$', '#', name)
        out[k][0] += ns - ns0
        out[k][1] += vs - vs0
    return out
w = per(read(d + '/w0'), read(d + '/w1'))
n = per(read(d + '/n0'), read(d + '/n1'))
pct = lambda v: v / secs / 1e7
tw, tn = sum(v[0] for v in w.values()), sum(v[0] for v in n.values())
c = [int(x) for x in frames.split()]
fr = (c[1] - c[0]) / secs / 4 if len(c) == 2 else 0
print(f"{jar} load={l0}/{l1} {state} with={pct(tw):.3f}% without={pct(tn):.3f}% add={pct(tw - tn):.3f}% frames/s/view={fr:.1f}")
for k in sorted(set(w) | set(n), key=lambda k: -w.get(k, [0])[0]):
    a, b = w.get(k, [0, 0]), n.get(k, [0, 0])
    if a[0] + b[0] > secs * 1e5:  # above 0.01 %
        print(f"   {k:24s} {pct(a[0]):6.3f}% {pct(b[0]):6.3f}%  add {pct(a[0] - b[0]):6.3f}%  {a[1] / secs:5.1f} wake/s")
PY
rm -rf $D
