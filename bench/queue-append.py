#!/usr/bin/env python3
"""Cost of appending a whole library's track ids to the queue in one request.

  queue-append.py JAR PORT DATA_DIR [LIBRARY=/tmp/lib10k]

Starts JAR (-Xmx256m, SerialGC) on PORT with a fresh DATA_DIR and --music LIBRARY, waits for the
first scan, reads every track id (GET /api/v1/library/tracks, 500 a page), then 5 times: clear the
queue and POST /api/v1/queue/append with every id. Prints the daemon's CPU seconds per append
(user + system from /proc, including 1 s after the reply for the events' fan-out and the journal)
and the wall seconds of each request; medians of the 5. Make a 10,000-file library with:

  python3 -c 'see bench/README.md, "Queue append"'

Linux only (/proc).
"""
import json, subprocess, sys, time, urllib.request, statistics, os, shutil, struct

if len(sys.argv) == 3 and sys.argv[1] == "--make-library":
    rate, n = 8000, 800
    data = b"\x00\x00" * n
    hdr = (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt "
           + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
           + b"data" + struct.pack("<I", len(data)))
    for d in range(100):
        os.makedirs(os.path.join(sys.argv[2], f"d{d:03}"), exist_ok=True)
        for i in range(100):
            with open(os.path.join(sys.argv[2], f"d{d:03}", f"t{i:03}.wav"), "wb") as f:
                f.write(hdr + data)
    sys.exit(0)
jar, port, data = sys.argv[1], int(sys.argv[2]), sys.argv[3]
LIB = sys.argv[4] if len(sys.argv) > 4 else "/tmp/lib10k"
shutil.rmtree(data, ignore_errors=True)
p = subprocess.Popen(["java","-Xms16m","-Xmx256m","-XX:+UseSerialGC","-jar",jar,"--music",LIB,"--data-dir",data,"--port",str(port)],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
base=f"http://127.0.0.1:{port}"
def req(path, body=None):
    r=urllib.request.Request(base+path, data=None if body is None else json.dumps(body).encode(), headers={"Content-Type":"application/json"}, method="GET" if body is None else "POST")
    with urllib.request.urlopen(r, timeout=120) as resp: return json.loads(resp.read() or b"{}")
try:
    for _ in range(600):
        try:
            j=req("/api/v1/jobs")
            if "RUNNING" not in json.dumps(j) and "QUEUED" not in json.dumps(j) and req("/api/v1/library/tracks?limit=1").get("tracks"): break
        except Exception: pass
        time.sleep(0.5)
    ids=[]; cur=""
    while True:
        t=req("/api/v1/library/tracks?limit=500"+("&cursor="+cur if cur else ""))
        ids+= [x["id"] for x in t.get("tracks",[])]
        pg=t.get("page",{}); cur=pg.get("nextCursor",pg.get("next_cursor",""))
        if not cur: break
    print("tracks", len(ids))
    times=[]; cpus=[]
    for run in range(5):
        req("/api/v1/queue/clear", {})
        def cpu():
            f=open(f"/proc/{p.pid}/stat").read().rsplit(")",1)[1].split()
            return (int(f[11])+int(f[12]))/os.sysconf("SC_CLK_TCK")
        c0=cpu(); t0=time.perf_counter(); r=req("/api/v1/queue/append", {"trackIds": ids}); times.append(time.perf_counter()-t0); time.sleep(1.0); cpus.append(cpu()-c0-0.0)
    print("cpu-s per append (incl. 1 s after):", ["%.2f"%x for x in cpus], "median %.2f" % statistics.median(cpus))
    print("append %d ids: runs %s median %.3f s" % (len(ids), ["%.3f"%x for x in times], statistics.median(times)))
finally:
    p.terminate(); p.wait()
