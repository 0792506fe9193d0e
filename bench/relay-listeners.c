/* relay-listeners.c: the relay scenario's listeners as bare C clients (one thread, one epoll set), so
   that the Java bench's own cost of reading 1,000 sockets (5-6 ms of CPU per command, on the same two
   cores as the relays) does not distort the command -> relay client figure (issues 13 and 17: "report
   raw-client figures"). Run by `relay ... --c-listeners PATH` (RelayScenario), not by hand:
     gcc -O2 -o /tmp/relay-listeners bench/relay-listeners.c
     relay-listeners PORT_A PORT_B LISTENERS PATH
   connects LISTENERS/2 WebSocket clients to each port with PATH ("/ws?topics=player"), prints "ready",
   then follows lines on stdin:
     cmd T  a command follows, sent at T (CLOCK_REALTIME, us): when every listener has a state event
            (Envelope body 20 or 21) stamped at or after T, print "done FIRST_US LAST_US" (the first
            and the last listener's latency of that event). By the stamp, not by a count: an event
            of the origin's own or one still on its way from the previous command is not taken for
            this command's; one read before its "cmd" line still counts.
     reset  the measured window starts: histograms and this process's CPU from now
     quit   print "summary" with key=value pairs and exit
   Pings are answered. A state event's latency is CLOCK_REALTIME at the read minus its server_time_us (field 3; the origin
   stamps with its calibrated wall clock, daemon/.../audio/WallClock). Each read also asks for the time
   its last segment arrived (SO_TIMESTAMPNS; on loopback the receive runs in the relay's send), which
   splits the latency into daemons (stamp -> received: origin, Redis, relay, the send) and client
   (received -> read: this process's wake-up and place in its queue). */
#include "ws-clients.h"

static hist h_total, h_daemon, h_client;
static long closes, cmd_us = -1, n_listeners;

/* Arrivals per event, by its stamp (every listener gets the same event with the same stamp): how
   many listeners have it, the first and the last one's latency. Counted whether or not its "cmd"
   has been read yet, so that an event read before the line that announced it still counts. */
typedef struct { long stamp, count, first, last; } event;
#define EVENTS 16
static event evs_seen[EVENTS];
static int next_slot;

static void done_if_complete(event *e) {
  if (cmd_us >= 0 && e->stamp >= cmd_us && e->count >= n_listeners) {
    printf("done %ld %ld\n", e->first, e->last); fflush(stdout);
    cmd_us = -1;
  }
}

static void seen(long stamp, long us) {
  event *e = NULL;
  for (int i = 0; i < EVENTS; i++) if (evs_seen[i].count && evs_seen[i].stamp == stamp) e = &evs_seen[i];
  if (!e) { e = &evs_seen[next_slot]; next_slot = (next_slot + 1) % EVENTS; *e = (event){stamp, 0, us, us}; }
  e->count++;
  if (us < e->first) e->first = us;
  if (us > e->last) e->last = us;
  done_if_complete(e);
}
static void clear(hist *h) { memset(h->b, 0, HMAX * sizeof(uint32_t)); h->n = 0; h->max = 0; }

/* One Envelope: fields in order until the body (field >= 10). */
static void envelope(const unsigned char *p, int n, long read_us, long kernel_us) {
  int i = 0; long stamp = 0;
  while (i < n) {
    uint64_t tag = varint(p, n, &i); int field = tag >> 3, wire = tag & 7;
    if (field >= 10) {
      if (field == 20 || field == 21) {
        long us = read_us - stamp;
        rec(&h_total, us); rec(&h_daemon, kernel_us - stamp); rec(&h_client, read_us - kernel_us);
        seen(stamp, us);
      }
      return;
    }
    uint64_t v = varint(p, n, &i);
    if (wire == 2) i += (int)v; else if (field == 3) stamp = (long)v;
  }
}

/* Answers a ping (the relay pings a client that sent nothing for a while and closes it when pongs
   stop): a client's frame is masked; a zero mask leaves the payload as it is. */
static void pong(int fd, const unsigned char *payload, int len) {
  unsigned char f[6 + 125] = {0x8a, (unsigned char)(0x80 | len), 0, 0, 0, 0};
  memcpy(f + 6, payload, len);
  if (write(fd, f, 6 + len) != 6 + len) perror("pong");
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
    else if (op == 9 && len < 126) pong(c->fd, p + h, (int)len);
    i += h + (int)len;
  }
  memmove(c->buf, c->buf + i, c->len - i); c->len -= i;
}

static double cpu_s(struct rusage *r) {
  return r->ru_utime.tv_sec + r->ru_stime.tv_sec + (r->ru_utime.tv_usec + r->ru_stime.tv_usec) / 1e6;
}

/* One line of stdin; 0 at its end. */
static int command(long *cmds, struct rusage *r0) {
  static char line[64]; static int len;
  ssize_t got = read(0, line + len, sizeof line - 1 - len);
  if (got <= 0) return 0;
  len += (int)got;
  char *nl;
  while ((nl = memchr(line, '\n', len))) {
    *nl = 0;
    if (!strncmp(line, "cmd ", 4)) {
      cmd_us = atol(line + 4); (*cmds)++;
      for (int i = 0; i < EVENTS && cmd_us >= 0; i++) if (evs_seen[i].count) done_if_complete(&evs_seen[i]);
    }
    else if (!strcmp(line, "reset")) { clear(&h_total); clear(&h_daemon); clear(&h_client); counting = 1; *cmds = 0; getrusage(RUSAGE_SELF, r0); }
    else if (!strcmp(line, "quit")) return 0;
    int used = (int)(nl - line) + 1; memmove(line, line + used, len - used); len -= used;
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: %s PORT_A PORT_B LISTENERS PATH\n", argv[0]); return 2; }
  int ports[2] = {atoi(argv[1]), atoi(argv[2])}, n = (atoi(argv[3]) / 2) * 2;
  n_listeners = n;
  h_total.b = calloc(HMAX, sizeof(uint32_t)); h_daemon.b = calloc(HMAX, sizeof(uint32_t)); h_client.b = calloc(HMAX, sizeof(uint32_t));
  conn *cs = calloc(n, sizeof(conn));
  int ep = epoll_create1(0);
  for (int i = 0; i < n; i++) {
    cs[i].fd = handshake(ports[i % 2], argv[4], 1); upgraded(cs[i].fd);
    cs[i].buf = malloc(BUF);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[i]};
    epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
  }
  struct epoll_event in = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
  printf("ready\n"); fflush(stdout);
  struct rusage r0; getrusage(RUSAGE_SELF, &r0);
  long cmds = 0;
  struct epoll_event evs[256];
  for (;;) {
    int k = epoll_wait(ep, evs, 256, 5000);
    if (k < 0 && errno == EINTR) continue;
    if (k == 0 && cmd_us >= 0) {
      long partial = 0;
      for (int i = 0; i < n; i++) partial += cs[i].len > 0;
      long most = 0;
      for (int i = 0; i < EVENTS; i++) if (evs_seen[i].stamp >= cmd_us && evs_seen[i].count > most) most = evs_seen[i].count;
      fprintf(stderr, "relay-listeners: a command's event reached %ld of %d listeners; %ld closes, %ld sockets with part of a frame\n",
              most, n, closes, partial);
    }
    /* stdin first: a "cmd" written before the command was sent is read before any of its events. */
    int stop = 0;
    for (int e = 0; e < k; e++) if (!evs[e].data.ptr && !command(&cmds, &r0)) stop = 1;
    if (stop) break;
    for (int e = 0; e < k; e++) {
      conn *c = evs[e].data.ptr;
      if (!c) continue;
      long read_us, kernel_us;
      ssize_t got = recv_stamped(c, &read_us, &kernel_us);
      if (got <= 0) { if (got == 0 || errno != EAGAIN) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); closes++; } continue; }
      frames_in(c, read_us, kernel_us);
    }
  }
  struct rusage r1; getrusage(RUSAGE_SELF, &r1);
  printf("summary p50_ms=%.3f p99_ms=%.3f max_ms=%.3f daemons_p50_ms=%.3f daemons_p99_ms=%.3f client_p50_ms=%.3f"
         " client_p99_ms=%.3f cpu_ms_per_command=%.3f closes=%ld events=%ld\n",
         q(&h_total, .5), q(&h_total, .99), h_total.max / 1000.0, q(&h_daemon, .5), q(&h_daemon, .99),
         q(&h_client, .5), q(&h_client, .99), cmds ? (cpu_s(&r1) - cpu_s(&r0)) * 1e3 / cmds : 0, closes, h_total.n);
  fflush(stdout);
  return 0;
}
