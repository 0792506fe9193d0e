/* opus-decode-cost.c: libopus's CPU per second of audio over the Ogg Opus files listed on stdin, the
   decode calls alone (thread CPU around each call; the Ogg pages parsed by hand, files read whole).
   MODE s = opus_decode (16-bit, MPD's call), f = opus_decode_float, m = opus_multistream_decode_float
   (the daemon's call before it took the single-stream decoder for mono and stereo). Stereo files, one
   logical stream each, as the bench corpus's.
     gcc -O2 -o /tmp/opus-decode-cost bench/opus-decode-cost.c -l:libopus.so.0
     (cd /tmp/bench-play && find . -name '*.opus' | LC_ALL=C sort | head -40) > /tmp/opus.list
     (cd /tmp/bench-play && for m in s f m; do /tmp/opus-decode-cost $m < /tmp/opus.list; done) */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
typedef struct OpusDecoder OpusDecoder; typedef struct OpusMSDecoder OpusMSDecoder;
OpusDecoder *opus_decoder_create(int fs, int ch, int *err);
int opus_decode(OpusDecoder *st, const unsigned char *d, int len, short *pcm, int fs, int fec);
int opus_decode_float(OpusDecoder *st, const unsigned char *d, int len, float *pcm, int fs, int fec);
void opus_decoder_destroy(OpusDecoder *st);
OpusMSDecoder *opus_multistream_decoder_create(int fs, int ch, int streams, int coupled, const unsigned char *map, int *err);
int opus_multistream_decode_float(OpusMSDecoder *st, const unsigned char *d, int len, float *pcm, int fs, int fec);
void opus_multistream_decoder_destroy(OpusMSDecoder *st);
int main(int argc, char **argv) {
  char mode = argv[1][0]; static short sb[5760*2*2]; static float fb[5760*2*2]; long frames = 0; double cpu = 0;
  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    for (char *p = line; *p; p++) if (*p == '\n') *p = 0;
    FILE *f = fopen(line, "rb"); if (!f) continue;
    static unsigned char file[1<<23]; size_t len = fread(file, 1, sizeof file, f); fclose(f);
    OpusDecoder *d = 0; OpusMSDecoder *md = 0; int err; unsigned char map[2] = {0, 1};
    static unsigned char pk[1<<16]; int pl = 0, npk = 0; struct timespec a, b;
    size_t p = 0;
    while (p + 27 <= len && memcmp(file + p, "OggS", 4) == 0) {
      int nseg = file[p + 26]; unsigned char *seg = file + p + 27; size_t q = p + 27 + nseg;
      for (int i = 0; i < nseg; i++) {
        memcpy(pk + pl, file + q, seg[i]); pl += seg[i]; q += seg[i];
        if (seg[i] < 255) {
          if (npk++ >= 2) {
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
            if (!d && !md) { if (mode == 'm') md = opus_multistream_decoder_create(48000, 2, 1, 1, map, &err); else d = opus_decoder_create(48000, 2, &err); }
            int r = mode == 's' ? opus_decode(d, pk, pl, sb, 5760, 0) : mode == 'f' ? opus_decode_float(d, pk, pl, fb, 5760, 0) : opus_multistream_decode_float(md, pk, pl, fb, 5760, 0);
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
            cpu += (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
            if (r > 0) frames += r;
          }
          pl = 0;
        }
      }
      p = q;
    }
    if (d)
      opus_decoder_destroy(d);
    if (md)
      opus_multistream_decoder_destroy(md);
  }
  printf("%c: %.1f s audio, decode cpu %.3f s = %.3f %% of a core\n", mode, frames / 48000.0, cpu, 100 * cpu / (frames / 48000.0));
}
