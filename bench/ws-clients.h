/* ws-clients.h: what the bench's bare C WebSocket clients share (fanout-clients.c, relay-listeners.c): the
   connection and 1-us histogram types, a protobuf varint, the upgrade handshake. Included by each, which
   is still built on its own: gcc -O2 -o /tmp/NAME bench/NAME.c */
#ifndef TONEARM_WS_CLIENTS_H
#define TONEARM_WS_CLIENTS_H
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF (64 * 1024)
#define HMAX 2000000 /* 1-us buckets up to 2 s; later values count in the last */

typedef struct { int fd; int len; long skip; int up; unsigned char *buf; } conn; /* up: the 101 reply was read */
typedef struct { uint32_t *b; long n; long max; } hist;

static int counting; /* values are recorded only while set (after the warm-up) */

static void rec(hist *h, long us) {
  if (!counting) return;
  if (us < 0) us = 0;
  if (us > h->max) h->max = us;
  h->b[us < HMAX ? us : HMAX - 1]++;
  h->n++;
}

static double q(hist *h, double p) {
  long want = (long)(p * h->n), seen = 0;
  for (long i = 0; i < HMAX; i++) { seen += h->b[i]; if (seen > want) return i / 1000.0; }
  return HMAX / 1000.0;
}

static uint64_t varint(const unsigned char *p, int end, int *i) {
  uint64_t v = 0; int shift = 0;
  while (*i < end) { unsigned char b = p[(*i)++]; v |= (uint64_t)(b & 0x7f) << shift; shift += 7; if (!(b & 0x80)) break; }
  return v;
}

/* Connects to 127.0.0.1:PORT and sends the upgrade request for PATH; with tstamp, each read may ask the
   kernel for its segment's receive time (SO_TIMESTAMPNS). */
static int handshake(int port, const char *path, int tstamp) {
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); exit(1); }
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (tstamp) setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  char req[1024];
  int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", path, port);
  if (write(fd, req, n) != n) { perror("write"); exit(1); }
  return fd;
}

/* One recvmsg into c's buffer with the kernel's receive time of its segment (SO_TIMESTAMPNS, else the read
   time) and the read time, both wall-clock us; drops the bytes c still skips (the upgrade reply's rest).
   Returns what recvmsg did (<= 0: closed, or EAGAIN in errno); c->len grows by the bytes kept. */
static ssize_t recv_stamped(conn *c, long *read_us, long *kernel_us) {
  char ctrl[256];
  struct iovec io = {c->buf + c->len, BUF - c->len};
  struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl};
  ssize_t got = recvmsg(c->fd, &m, 0);
  if (got <= 0) return got;
  struct timespec t; clock_gettime(CLOCK_REALTIME, &t);
  *read_us = *kernel_us = t.tv_sec * 1000000L + t.tv_nsec / 1000;
  for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
    if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts; memcpy(&ts, CMSG_DATA(cm), sizeof ts);
      *kernel_us = ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
    }
  }
  ssize_t kept = got;
  if (c->skip > 0) { long s = got < c->skip ? got : c->skip; c->skip -= s; memmove(c->buf + c->len, c->buf + c->len + s, got - s); kept -= s; }
  c->len += kept;
  return got;
}

/* Takes the 101 reply off the front of c->buf once its blank line is there (the frames after it stay);
   1 when done, 0 while more must be read. For clients that upgrade inside their epoll loop. */
static inline int upgrade_in(conn *c) {
  if (c->len >= 12 && strncmp((char *)c->buf + 9, "101", 3)) { fprintf(stderr, "no upgrade: %.12s\n", c->buf); exit(1); }
  unsigned char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
  if (!end) { if (c->len == BUF) { fprintf(stderr, "upgrade reply too long\n"); exit(1); } return 0; }
  int head = (int)(end - c->buf) + 4;
  memmove(c->buf, c->buf + head, c->len - head); c->len -= head; c->up = 1;
  return 1;
}

/* Reads the 101 reply byte by byte up to its blank line, so that no frame after it is lost. */
static inline void upgraded(int fd) {
  char last[4] = {0}, status[13] = {0}; unsigned char ch; int k = 0;
  while (read(fd, &ch, 1) == 1) {
    if (k < 12) { status[k] = ch; if (k == 11 && strncmp(status + 9, "101", 3)) { fprintf(stderr, "no upgrade: %.12s\n", status); exit(1); } }
    k++; memmove(last, last + 1, 3); last[3] = ch;
    if (!memcmp(last, "\r\n\r\n", 4)) return;
  }
  fprintf(stderr, "upgrade reply cut short\n"); exit(1);
}
#endif
