/* fanout-clients.c: the fan-out's bare clients in C, one thread, one epoll set, for figures the Java
   bench's own client cost does not distort (issue 13: "report raw-client figures"). N WebSocket
   clients subscribe to PATH; every binary message's Envelope is scanned for server_time_us (field 3)
   and its body's field number (50 transport frame, 20/21 state), as RawClients does. Each read asks
   the kernel for the time its last segment arrived (SO_TIMESTAMPNS; on loopback the receive runs in
   the daemon's send, so that is when the daemon wrote it), which splits a frame's latency into
     daemon: server_time_us -> segment received (render, hand-off, loop wake-up, the send itself)
     client: segment received -> read by this process (its epoll wake-up and place in the queue)
   Prints frames/s, the three latencies' p50/p99/max in ms, this process's CPU in cores, and with a
   PID the daemon's CPU in cores, in us per frame and per message (frames and state events: each is a send
   of its own, and a daemon short of CPU drops frames, latest-wins, but never state events) over the window,
   per thread name (/proc). Clients connect 64 at a time and upgrade inside the epoll loop, so 5,000 of them
   are read from the moment each is connected; the warm-up starts once all are upgraded.
     gcc -O2 -o /tmp/fanout-clients bench/fanout-clients.c
     /tmp/fanout-clients PORT CLIENTS '/ws?topics=player,transport&fps=60' WARMUP_S WINDOW_S [PID]
   With FANOUT_TSTAMP=0 no receive time is asked for (the kernel then stamps no segment: on loopback
   that stamping, read_tsc, was 1.4 % of the daemon's I/O samples) and the split is not made.
   The daemon stamps frames with its own wall clock (daemon/.../audio/WallClock), so the clocks are
   the same machine's; the daemon part includes any error of the daemon's offset calibration. */
#include "ws-clients.h"
#include <dirent.h>

static hist hs[4];
#define h_total hs[0]
#define h_daemon hs[1]
#define h_client hs[2]
#define h_state hs[3]
static long frames, states, closes;
static int tstamp = 1; /* FANOUT_TSTAMP=0: no receive timestamps (their cost is the daemon's send) */

static long now_us(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec * 1000000L + t.tv_nsec / 1000; }

/* One Envelope: fields in order until the body (field >= 10). */
static void envelope(const unsigned char *p, int n, long read_us, long kernel_us) {
  int i = 0; long stamp = 0;
  while (i < n) {
    uint64_t tag = varint(p, n, &i); int field = tag >> 3, wire = tag & 7;
    if (field >= 10) {
      if (field == 50) { frames += counting; rec(&h_total, read_us - stamp); rec(&h_daemon, kernel_us - stamp); rec(&h_client, read_us - kernel_us); }
      else if (field == 20 || field == 21) { states += counting; rec(&h_state, read_us - stamp); }
      return;
    }
    uint64_t v = varint(p, n, &i);
    if (wire == 2) i += (int)v; else if (field == 3) stamp = (long)v;
  }
}

/* Consumes whole WebSocket frames from c->buf (server frames are not masked). */
static void frames_in(conn *c, long read_us, long kernel_us) {
  int i = 0;
  for (;;) {
    if (c->len - i < 2) break;
    unsigned char *p = c->buf + i; int op = p[0] & 0x0f, h = 2; uint64_t len = p[1] & 0x7f;
    if (len == 126) { if (c->len - i < 4) break; len = (p[2] << 8) | p[3]; h = 4; }
    else if (len == 127) { if (c->len - i < 10) break; len = 0; for (int k = 2; k < 10; k++) len = len << 8 | p[k]; h = 10; }
    if (h + len > BUF) { c->skip = (long)(h + len) - (c->len - i); c->len = 0; return; } /* too big: skip it */
    if ((uint64_t)(c->len - i) < h + len) break;
    if (op == 2) envelope(p + h, (int)len, read_us, kernel_us);
    else if (op == 8) closes++;
    i += h + (int)len;
  }
  memmove(c->buf, c->buf + i, c->len - i); c->len -= i;
}

#define MAXT 256
typedef struct { char name[32]; double s; } tcpu;
static double tick_s;
#define CONNECTING 64 /* clients connected but not yet upgraded, at most */

/* CPU seconds of PID in all (kernel part in *sys), and per thread name into t[]. */
static double proc_cpu(int pid, double *sys, tcpu *t, int *nt) {
  char path[64]; snprintf(path, sizeof path, "/proc/%d/task", pid);
  DIR *d = opendir(path); struct dirent *e; double all = 0; *sys = 0; *nt = 0;
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char f[300], line[1024]; snprintf(f, sizeof f, "/proc/%d/task/%s/stat", pid, e->d_name);
    FILE *fp = fopen(f, "r"); if (!fp) continue;
    if (!fgets(line, sizeof line, fp)) { fclose(fp); continue; }
    fclose(fp);
    char *l = strchr(line, '('), *r = strrchr(line, ')'); if (!l || !r) continue;
    char name[32]; int nl = (int)(r - l - 1) < 31 ? (int)(r - l - 1) : 31; memcpy(name, l + 1, nl); name[nl] = 0;
    /* fold numbered threads (tonearm-io-3-1) into their family */
    for (char *p = name; *p; p++) if (p[0] == '-' && p[1] >= '0' && p[1] <= '9') { *p = 0; break; }
    unsigned long ut, st; char *p = r + 2; int field = 3;
    while (field < 14 && *p) { if (*p++ == ' ') field++; }
    if (sscanf(p, "%lu %lu", &ut, &st) != 2) continue;
    double s = (ut + st) / tick_s; all += s; *sys += st / tick_s;
    int k; for (k = 0; k < *nt && strcmp(t[k].name, name); k++) {}
    if (k == *nt && *nt < MAXT) { strcpy(t[k].name, name); t[k].s = 0; (*nt)++; }
    if (k < MAXT) t[k].s += s;
  }
  if (d) closedir(d);
  /* The process's own figure: it keeps the CPU of threads that have ended (JIT threads do). */
  char f[64], line[1024]; snprintf(f, sizeof f, "/proc/%d/stat", pid);
  FILE *fp = fopen(f, "r");
  if (fp && fgets(line, sizeof line, fp)) {
    char *p = strrchr(line, ')'); unsigned long ut, st; int field = 2;
    while (p && field < 14 && *p) { if (*p++ == ' ') field++; }
    if (p && sscanf(p, "%lu %lu", &ut, &st) == 2) { all = (ut + st) / tick_s; *sys = st / tick_s; }
  }
  if (fp) fclose(fp);
  return all;
}

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: %s PORT CLIENTS PATH WARMUP_S WINDOW_S [PID]\n", argv[0]); return 2; }
  int port = atoi(argv[1]), n = atoi(argv[2]), warm = atoi(argv[4]), window = atoi(argv[5]);
  int pid = argc > 6 ? atoi(argv[6]) : 0;
  tick_s = sysconf(_SC_CLK_TCK);
  if (getenv("FANOUT_TSTAMP") && !strcmp(getenv("FANOUT_TSTAMP"), "0")) tstamp = 0;
  for (int i = 0; i < 4; i++) hs[i].b = calloc(HMAX, sizeof(uint32_t));
  conn *cs = calloc(n, sizeof(conn));
  int ep = epoll_create1(0);
  /* Clients connect a batch at a time and upgrade inside the loop, which reads every connected client from
     the start: connecting 5,000 one after the other (each waiting for its 101) took 17 s, and the first ones
     had seconds of frames queued in their kernel buffers by the time the window opened. */
  int next = 0, up = 0;
  long start = now_us(CLOCK_MONOTONIC), begin = 0, end = 0;
  struct rusage r0; double d0 = 0, ds0 = 0; tcpu t0[MAXT], t1[MAXT]; int nt0 = 0, nt1 = 0;
  struct epoll_event evs[256];
  for (;;) {
    for (; next < n && next - up < CONNECTING; next++) {
      cs[next].fd = handshake(port, argv[3], tstamp);
      cs[next].buf = malloc(BUF);
      struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[next]};
      epoll_ctl(ep, EPOLL_CTL_ADD, cs[next].fd, &ev);
    }
    long mono = now_us(CLOCK_MONOTONIC);
    if (!begin && up == n) {
      begin = mono + warm * 1000000L; end = begin + window * 1000000L;
      fprintf(stderr, "%d clients upgraded in %.2f s\n", n, (mono - start) / 1e6);
    }
    if (begin && !counting && mono >= begin) {
      counting = 1; getrusage(RUSAGE_SELF, &r0);
      if (pid) d0 = proc_cpu(pid, &ds0, t0, &nt0);
    }
    if (begin && mono >= end) break;
    int k = epoll_wait(ep, evs, 256, 100);
    for (int e = 0; e < k; e++) {
      conn *c = evs[e].data.ptr;
      long read_us, kernel_us;
      ssize_t got = recv_stamped(c, &read_us, &kernel_us);
      if (got <= 0) {
        if (got == 0 || errno != EAGAIN) { if (!c->up) { fprintf(stderr, "closed before the upgrade\n"); return 1; } epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); closes++; }
        continue;
      }
      if (!c->up) { if (!upgrade_in(c)) continue; up++; }
      frames_in(c, read_us, kernel_us);
    }
  }
  struct rusage r1; getrusage(RUSAGE_SELF, &r1);
  double secs = window, self = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec)
      + (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
  printf("clients %d window %d s: frames/s %.0f (of %d x fps expected), state events/s %.0f, closes %ld\n", n, window, frames / secs, n, states / secs, closes);
  printf("frame latency ms p50/p99/max: total %.2f / %.2f / %.2f; daemon (stamp -> received) %.2f / %.2f / %.2f; client (received -> read) %.2f / %.2f / %.2f\n",
         q(&h_total, .5), q(&h_total, .99), h_total.max / 1000.0, q(&h_daemon, .5), q(&h_daemon, .99), h_daemon.max / 1000.0,
         q(&h_client, .5), q(&h_client, .99), h_client.max / 1000.0);
  printf("state latency ms p50/p99: %.2f / %.2f; daemon min stamp -> received %.3f ms\n", q(&h_state, .5), q(&h_state, .99), q(&h_daemon, 0.0));
  printf("client process cores %.3f (%.2f us per frame)\n", self / secs, frames ? self * 1e6 / frames : 0);
  if (pid) {
    double ds1, d1 = proc_cpu(pid, &ds1, t1, &nt1);
    printf("daemon cores %.3f, us per frame %.2f (kernel %.2f), per message (frames and state events) %.2f (kernel %.2f)\n", (d1 - d0) / secs,
           frames ? (d1 - d0) * 1e6 / frames : 0, frames ? (ds1 - ds0) * 1e6 / frames : 0,
           frames + states ? (d1 - d0) * 1e6 / (frames + states) : 0, frames + states ? (ds1 - ds0) * 1e6 / (frames + states) : 0);
    printf("daemon threads, cores:");
    for (int i = 0; i < nt1; i++) {
      double before = 0; for (int j = 0; j < nt0; j++) if (!strcmp(t0[j].name, t1[i].name)) before = t0[j].s;
      if (t1[i].s - before > 0) printf(" %s %.3f", t1[i].name, (t1[i].s - before) / secs);
    }
    printf("\n");
  }
  return 0;
}
