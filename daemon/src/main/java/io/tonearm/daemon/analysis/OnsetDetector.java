package io.tonearm.daemon.analysis;

import io.tonearm.proto.v1.ChannelSelect;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Spectral-flux onset detection function and tempo estimate over the played ring, advanced in hops
 * of {@value #HOP} frames up to the audible position (Bello et al., "A tutorial on onset detection
 * in music signals", IEEE TSAP 2005: flux of log-compressed magnitudes, half-wave rectified). Tempo
 * is the autocorrelation peak of the flux over the last {@value #HISTORY} hops between 60 and 200
 * BPM, weighted towards 120 BPM (a log-Gaussian prior as in Ellis, "Beat tracking by dynamic
 * programming", 2007). Ticker thread only; buffers are made once.
 */
final class OnsetDetector {

  static final int HOP = 512;
  static final int SIZE = 1024;
  static final int HISTORY = 1024; // about 11 s of hops at 48 kHz
  private static final int MAX_CATCH_UP = 256;

  private final PlayedRing ring;
  private final FloatFFT_1D fft = new FloatFFT_1D(SIZE);
  private final Window window =
      new Window(io.tonearm.proto.v1.SpectrumWindow.SPECTRUM_WINDOW_HANN, SIZE);
  private final float[] buf = new float[SIZE];
  private final float[] prev = new float[SIZE / 2 + 1];
  private final float[] flux = new float[HISTORY];
  private final long[] hopEnd = new long[HISTORY];
  private final double[] centred = new double[HISTORY];
  private long hops; // hops computed so far
  private long nextEnd = -1; // ring position at which the next hop ends
  private long tempoAt = -1;
  private double tempo;
  private double confidence;

  OnsetDetector(PlayedRing ring) {
    this.ring = ring;
  }

  /** Computes every hop that ends at or before {@code end}. */
  void advance(long end) {
    if (nextEnd < 0 || end - nextEnd > (long) MAX_CATCH_UP * HOP || end < nextEnd - HOP) {
      nextEnd = Math.max(SIZE, end - (long) MAX_CATCH_UP * HOP); // start, or skip a long stall
    }
    while (nextEnd <= end) {
      ring.copy(ChannelSelect.CHANNEL_SELECT_MONO, nextEnd, SIZE, buf);
      float[] w = window.w;
      for (int i = 0; i < SIZE; i++) {
        buf[i] *= w[i];
      }
      fft.realForward(buf);
      double sum = 0;
      for (int k = 0; k <= SIZE / 2; k++) {
        float re = k == SIZE / 2 ? buf[1] : buf[2 * k];
        float im = k == 0 || k == SIZE / 2 ? 0 : buf[2 * k + 1];
        float m = (float) Math.log1p(100 * Math.sqrt(re * re + im * im) / SIZE);
        float d = m - prev[k];
        if (d > 0) {
          sum += d;
        }
        prev[k] = m;
      }
      int slot = (int) (hops % HISTORY);
      flux[slot] = (float) sum;
      hopEnd[slot] = nextEnd;
      hops++;
      nextEnd += HOP;
    }
  }

  long hops() {
    return hops;
  }

  /** Flux of hop {@code h} (0 when no longer kept). */
  float flux(long h) {
    return h < 0 || h < hops - HISTORY || h >= hops ? 0 : flux[(int) (h % HISTORY)];
  }

  /** Ring position just after hop {@code h}'s window. */
  long hopEnd(long h) {
    return hopEnd[(int) (h % HISTORY)];
  }

  /** Tempo in BPM (0 = unknown), refreshed at most every 32 hops. */
  double tempo(int rate) {
    refreshTempo(rate);
    return tempo;
  }

  double confidence(int rate) {
    refreshTempo(rate);
    return confidence;
  }

  private void refreshTempo(int rate) {
    if (tempoAt >= 0 && hops - tempoAt < 32) {
      return;
    }
    tempoAt = hops;
    int n = (int) Math.min(hops, HISTORY);
    double hopsPerSecond = (double) rate / HOP;
    int minLag = (int) Math.floor(hopsPerSecond * 60 / 200);
    int maxLag = (int) Math.ceil(hopsPerSecond * 60 / 60);
    if (n < 2 * maxLag || rate <= 0) {
      tempo = 0;
      confidence = 0;
      return;
    }
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += flux(hops - n + i);
    }
    mean /= n;
    double energy = 0;
    for (int i = 0; i < n; i++) {
      centred[i] = flux(hops - n + i) - mean;
      energy += centred[i] * centred[i];
    }
    if (energy < 1e-9) {
      tempo = 0;
      confidence = 0;
      return;
    }
    int best = -1;
    double bestScore = 0;
    double bestR = 0;
    for (int lag = minLag; lag <= maxLag; lag++) {
      double r = autocorr(n, lag) / energy;
      double bpm = 60 * hopsPerSecond / lag;
      double octaves = Math.log(bpm / 120) / Math.log(2);
      double score = r * Math.exp(-0.5 * octaves * octaves / (1.4 * 1.4 / 4));
      if (score > bestScore) {
        bestScore = score;
        best = lag;
        bestR = r;
      }
    }
    if (best < 0) {
      tempo = 0;
      confidence = 0;
      return;
    }
    // Parabolic interpolation of the autocorrelation around the best lag.
    double a = autocorr(n, best - 1);
    double b = autocorr(n, best);
    double c = autocorr(n, best + 1);
    double denom = a - 2 * b + c;
    double shift = denom == 0 ? 0 : Math.max(-0.5, Math.min(0.5, 0.5 * (a - c) / denom));
    tempo = 60 * hopsPerSecond / (best + shift);
    confidence = Math.max(0, Math.min(1, bestR));
  }

  private double autocorr(int n, int lag) {
    double s = 0;
    for (int i = lag; i < n; i++) {
      s += centred[i] * centred[i - lag];
    }
    return s * n / (n - lag);
  }
}
