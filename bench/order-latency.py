#!/usr/bin/env python3
"""order.py tonearm|mpd PORT K N: command -> K listeners, timed by the kernel's receive timestamps
(SO_TIMESTAMPNS) so the harness's own scheduling delay is left out. Prints ack/first/all p50/p99 and
how often the command's reply reached its socket before the first listener's event."""
import importlib.util, json, selectors, socket, struct, sys, time
spec = importlib.util.spec_from_file_location("pb", "/work/shared/tools/peers/peerbench.py")
pb = importlib.util.module_from_spec(spec); spec.loader.exec_module(pb)
kind, port, K, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
def ts_on(s): s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
def rx(s):
    d, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(16))
    t = None
    for lvl, typ, data in anc:
        if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
            sec, ns = struct.unpack("qq", data[:16]); t = sec * 1e9 + ns
    return d, t
sel = selectors.DefaultSelector()
L = []
for i in range(K):
    if kind == "mpd":
        s, f = pb.mpd_connect(port); s.sendall(b"idle mixer\n")
    else:
        s, _ = pb.ws_connect(port, path="/ws?topics=player&format=json")
    s.setblocking(False); ts_on(s); L.append({"s": s, "buf": b""})
    sel.register(s, selectors.EVENT_READ, i)
if kind == "mpd":
    ctl, cf = pb.mpd_connect(port)
else:
    http = pb.HttpConn(port, path="/api/v1/player/volume"); ctl = http.s
ts_on(ctl); sel.register(ctl, selectors.EVENT_READ, -1)
time.sleep(1.0)
for key, _ in sel.select(0.2):  # drop snapshots/hello
    pass
def drain(t):
    end = time.time() + t
    while time.time() < end:
        for key, _ in sel.select(0.05):
            try: key.fileobj.recv(65536)
            except BlockingIOError: pass
drain(0.5)
acks, firsts, alls, before = [], [], [], 0
for n in range(N + 10):
    vol = 51 + n % 40
    pat = b'"volume":%d' % vol
    got = {}; ack = None; cbuf = b""
    msg = (b"setvol %d\n" % vol) if kind == "mpd" else pb.tonearm_volume_request(http, vol)
    t0 = time.time_ns(); ctl.sendall(msg)
    deadline = time.time() + 5
    while (len(got) < K or ack is None) and time.time() < deadline:
        for key, _ in sel.select(1.0):
            i = key.data
            try: d, t = rx(key.fileobj)
            except BlockingIOError: continue
            if i < 0:
                cbuf += d
                if ack is None and ((kind == "mpd" and b"OK\n" in cbuf) or (kind != "mpd" and pat in cbuf)):
                    ack = t
            else:
                Li = L[i]; Li["buf"] += d
                if i not in got:
                    if kind == "mpd":
                        if b"changed: mixer" in Li["buf"]: got[i] = t
                    elif pat in Li["buf"]: got[i] = t
                    if i in got: Li["buf"] = b""
                    if kind == "mpd" and i in got: Li["s"].sendall(b"idle mixer\n")
                if len(Li["buf"]) > 1 << 16: Li["buf"] = Li["buf"][-200:]
    if len(got) < K or ack is None:
        print("timeout", n, len(got), ack, file=sys.stderr); drain(0.5); continue
    if kind == "mpd":
        pass
    if n >= 10:
        acks.append((ack - t0) / 1e6); firsts.append((min(got.values()) - t0) / 1e6); alls.append((max(got.values()) - t0) / 1e6)
        before += ack < min(got.values())
    time.sleep(0.02)
    if kind != "mpd": drain(0.01)
q = lambda v, p: pb.pct(v, p)
print(json.dumps({"kind": kind, "K": K, "N": len(acks), "ack": [round(q(acks, 50), 3), round(q(acks, 99), 3)],
    "first": [round(q(firsts, 50), 3), round(q(firsts, 99), 3)], "all": [round(q(alls, 50), 3), round(q(alls, 99), 3)],
    "ack_before_first": before, "load": open("/proc/loadavg").read().split()[:3]}))
