#!/usr/bin/env python3
"""Server CPU time per MPD-protocol operation, read from /proc/PID/stat (user + system), so that a
loaded machine changes the figure little (wall time there is mostly waiting for a core).

  mpd-cpu.py listallinfo PID PORT [N=50] [WARMUP=10]
      CPU ms per `listallinfo` of the whole database (one kept connection).
  mpd-cpu.py idle PID PORT [K=100] [N=100] [WARMUP=20]
      CPU ms per `setvol` whose `changed: mixer` reaches K connections in `idle mixer`
      (each re-idles at once), and the median/p99 wall ms from sending setvol to the K-th wake-up.

Prints one JSON line. Linux only (/proc); the server must run on this machine.
"""
import json, os, selectors, socket, sys, time

TICK = os.sysconf('SC_CLK_TCK')


def cpu_ms(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / TICK  # utime + stime


def connect(port):
    s = socket.create_connection(('127.0.0.1', port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = s.makefile('rb', buffering=1 << 16)
    assert f.readline().startswith(b'OK MPD'), 'not MPD'
    return s, f


def until_ok(f):
    n = 0
    while True:
        line = f.readline()
        if not line:
            raise IOError('closed')
        if line == b'OK\n':
            return n
        if line.startswith(b'ACK'):
            raise IOError(line.decode())
        n += 1


def listallinfo(pid, port, n=50, warmup=10):
    s, f = connect(port)
    lines = 0
    for _ in range(warmup):
        s.sendall(b'listallinfo\n'); lines = until_ok(f)
    c0, t0 = cpu_ms(pid), time.perf_counter()
    for _ in range(n):
        s.sendall(b'listallinfo\n'); lines = until_ok(f)
    c1, t1 = cpu_ms(pid), time.perf_counter()
    return {'op': 'listallinfo', 'n': n, 'lines': lines, 'cpu_ms_per_op': round((c1 - c0) / n, 3),
            'wall_ms_per_op': round((t1 - t0) * 1000 / n, 3)}


def idle(pid, port, k=100, n=100, warmup=20):
    ctl, cf = connect(port)
    sel = selectors.DefaultSelector()
    conns = []
    for _ in range(k):
        s, f = connect(port)
        s.sendall(b'idle mixer\n')
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, [s, b''])
        conns.append(s)
    time.sleep(0.5)
    walls = []
    c0 = None
    for i in range(warmup + n):
        if i == warmup:
            c0 = cpu_ms(pid)
        t0 = time.perf_counter()
        ctl.sendall(b'setvol %d\n' % (40 + i % 2))
        woken = 0
        while woken < k:
            for key, _ in sel.select(timeout=10):
                s, buf = key.data
                buf += s.recv(4096)
                if buf.endswith(b'OK\n') and b'changed: mixer' in buf:
                    woken += 1
                    s.sendall(b'idle mixer\n')
                    buf = b''
                key.data[1] = buf
        if i >= warmup:
            walls.append((time.perf_counter() - t0) * 1000)
        until_ok(cf)
    c1 = cpu_ms(pid)
    walls.sort()
    return {'op': 'setvol->idle', 'k': k, 'n': n, 'cpu_ms_per_op': round((c1 - c0) / n, 3),
            'wall_ms_p50': round(walls[len(walls) // 2], 3),
            'wall_ms_p99': round(walls[min(len(walls) - 1, int(len(walls) * 0.99))], 3)}


if __name__ == '__main__':
    what, pid, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rest = [int(a) for a in sys.argv[4:]]
    r = listallinfo(pid, port, *rest) if what == 'listallinfo' else idle(pid, port, *rest)
    r['loadavg'] = open('/proc/loadavg').read().split()[0]
    print(json.dumps(r))
