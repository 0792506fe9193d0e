/**
 * Benchmarks of MPD's protocol, run the same way against Tonearm's MPD port and against MPD itself
 * (see {@code bench/mpd-compare.sh}).
 */
package io.tonearm.bench.mpd;
