#!/usr/bin/env python3
"""cmd-cpu.py PID PORT K N [PRE-SHELL POST-SHELL]: where a command's CPU and wake-ups go, per thread.

Runs `peerbench.py latency tonearm PORT K N --warmup 0` (../shared/tools/peers, unchanged) against the
daemon PID and reads /proc/PID/task/*/stat and status right after the K listeners are connected (at
peerbench's settle sleep) and right after the last command, so the figures cover the N commands only.
Prints, per thread group (names without their number): ms of CPU per command, of it in the kernel,
voluntary context switches (wake-ups after a wait) and involuntary ones (preemptions) per command;
then peerbench's reply / first / last listener figures. PRE and POST (optional) are shell commands
run at the same two moments, e.g. to start and stop `perf record -g -p PID` or `jcmd PID JFR.start`.
CPU is read from /proc/PID/task/*/schedstat (ns; the kernel share from stat's ticks). Env: GAP (seconds
between commands, peerbench's 0.02 by default), PER_THREAD=1 (one row per thread: the command's loop and the
listeners' loops apart).
"""
import collections, json, os, re, subprocess, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "tools", "peers"))
import peerbench  # noqa: E402

TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")


def threads(pid):
    out = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            s = open(f"/proc/{pid}/task/{t}/stat").read()
            name = s[s.index("(") + 1:s.rindex(")")]
            f = s.rsplit(")", 1)[1].split()
            st = dict(l.split(":\t") for l in open(f"/proc/{pid}/task/{t}/status").read().splitlines() if ":\t" in l)
            ns = int(open(f"/proc/{pid}/task/{t}/schedstat").read().split()[0])
            out[t] = (name, ns, int(f[12]), int(st["voluntary_ctxt_switches"]),
                      int(st["nonvoluntary_ctxt_switches"]))
        except (OSError, ValueError):
            pass
    return out


def main(argv):
    pid, port, k, n = int(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    pre, post = (argv[4], argv[5]) if len(argv) > 5 else ("true", "true")
    snap = {}
    real_sleep = time.sleep

    def sleep(s):
        if "a" not in snap and s == 0.5:  # peerbench's settle sleep: the listeners are connected
            snap["a"] = threads(pid)
            subprocess.run(pre, shell=True)
        real_sleep(s)

    peerbench.time.sleep = sleep
    res = peerbench.latency("tonearm", port, k, n, gap=float(os.environ.get("GAP", "0.02")), warmup=0)
    b = threads(pid)
    subprocess.run(post, shell=True)
    a = snap["a"]
    g = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    for t, (name, ut, st, vcs, ivcs) in b.items():
        p = a.get(t, (name, 0, 0, 0, 0))
        x = g[f"{name} ({t})" if os.environ.get("PER_THREAD") else re.sub(r"[-#]?\d+$", "", name)]
        x[0] += ut - p[1]; x[1] += st - p[2]; x[2] += vcs - p[3]; x[3] += ivcs - p[4]; x[4] += 1
    print(f"{'threads':24s} {'ms CPU/cmd':>10s} {'of it sys':>9s} {'wake-ups':>8s} {'preempt':>8s}  n")
    for name, x in sorted(g.items(), key=lambda kv: -kv[1][0]):
        if x[0] >= 1e3 * n or x[2] >= 0.05 * n:
            print(f"{name:24s} {x[0] / 1e6 / n:10.3f} {x[1] * TICK_MS / n:9.3f} {x[2] / n:8.2f} {x[3] / n:8.2f}  {x[4]}")
    print(f"{'total':24s} {sum(x[0] for x in g.values()) / 1e6 / n:10.3f}")
    for m in ("ack", "first", "all"):
        print(f"{m:6s} p50 {res[m]['p50']:.2f} p99 {res[m]['p99']:.2f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
