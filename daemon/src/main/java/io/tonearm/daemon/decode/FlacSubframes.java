package io.tonearm.daemon.decode;

import java.io.IOException;

/**
 * Decodes FLAC subframes (constant, verbatim, fixed and LPC prediction with Rice-coded residuals,
 * RFC 9639 section 9.2) and undoes stereo decorrelation. Holds only its LPC coefficient scratch.
 */
final class FlacSubframes {

  private final int[] coefs = new int[32];

  /** Decodes one subframe of {@code n} samples at {@code bps} bits into {@code out}. */
  void decode(FlacBitReader in, int[] out, int n, int bps) throws IOException {
    if (in.readUInt(1) != 0) {
      throw new IOException("corrupt FLAC subframe: padding bit set");
    }
    int type = in.readUInt(6);
    int wasted = 0;
    if (in.readUInt(1) == 1) {
      wasted = in.readUnary() + 1;
      if (wasted >= bps) {
        throw new IOException("corrupt FLAC subframe: " + wasted + " wasted bits of " + bps);
      }
      bps -= wasted;
    }
    if (type == 0) {
      int v = in.readSigned(bps);
      java.util.Arrays.fill(out, 0, n, v);
    } else if (type == 1) {
      for (int i = 0; i < n; i++) {
        out[i] = in.readSigned(bps);
      }
    } else if (type >= 8 && type <= 12) {
      int order = type - 8;
      warmUp(in, out, order, n, bps);
      residual(in, out, order, n);
      fixed(out, order, n);
    } else if (type >= 32) {
      int order = type - 31;
      warmUp(in, out, order, n, bps);
      int precision = in.readUInt(4) + 1;
      if (precision == 16) {
        throw new IOException("corrupt FLAC subframe: invalid LPC precision");
      }
      int shift = in.readSigned(5);
      if (shift < 0) {
        throw new IOException("corrupt FLAC subframe: negative LPC shift");
      }
      for (int i = 0; i < order; i++) {
        coefs[i] = in.readSigned(precision);
      }
      residual(in, out, order, n);
      if (order <= 8) {
        lpc8(out, order, shift, n);
      } else if (order <= 12) {
        lpc12(out, order, shift, n);
      } else {
        lpc(out, order, shift, n);
      }
    } else {
      throw new IOException("corrupt FLAC subframe: reserved type " + type);
    }
    if (wasted > 0) {
      for (int i = 0; i < n; i++) {
        out[i] <<= wasted;
      }
    }
  }

  private static void warmUp(FlacBitReader in, int[] out, int order, int n, int bps)
      throws IOException {
    if (order > n) {
      throw new IOException("corrupt FLAC subframe: predictor order " + order + " > block " + n);
    }
    for (int i = 0; i < order; i++) {
      out[i] = in.readSigned(bps);
    }
  }

  private static void residual(FlacBitReader in, int[] out, int order, int n) throws IOException {
    int method = in.readUInt(2);
    if (method > 1) {
      throw new IOException("corrupt FLAC residual: reserved coding method " + method);
    }
    int paramBits = method == 0 ? 4 : 5;
    int escape = method == 0 ? 15 : 31;
    int partitionOrder = in.readUInt(4);
    int partitions = 1 << partitionOrder;
    int perPartition = n >>> partitionOrder;
    if ((n & (partitions - 1)) != 0 || perPartition < order) {
      throw new IOException("corrupt FLAC residual: partition order " + partitionOrder);
    }
    int i = order;
    for (int p = 0; p < partitions; p++) {
      int end = (p + 1) * perPartition;
      int k = in.readUInt(paramBits);
      if (k == escape) {
        int bits = in.readUInt(5);
        for (; i < end; i++) {
          out[i] = bits == 0 ? 0 : in.readSigned(bits);
        }
      } else {
        in.readRice(out, i, end, k);
        i = end;
      }
    }
  }

  private static void fixed(int[] s, int order, int n) {
    switch (order) {
      case 1:
        for (int i = 1; i < n; i++) {
          s[i] += s[i - 1];
        }
        break;
      case 2:
        for (int i = 2; i < n; i++) {
          s[i] += 2 * s[i - 1] - s[i - 2];
        }
        break;
      case 3:
        for (int i = 3; i < n; i++) {
          s[i] += 3 * s[i - 1] - 3 * s[i - 2] + s[i - 3];
        }
        break;
      case 4:
        for (int i = 4; i < n; i++) {
          s[i] += 4 * s[i - 1] - 6 * s[i - 2] + 4 * s[i - 3] - s[i - 4];
        }
        break;
      default:
        break;
    }
  }

  private void lpc(int[] s, int order, int shift, int n) {
    int[] c = coefs;
    for (int i = order; i < n; i++) {
      long sum = 0;
      for (int j = 0; j < order; j++) {
        sum += (long) c[j] * s[i - 1 - j];
      }
      s[i] += (int) (sum >> shift);
    }
  }

  /**
   * LPC of order 8 or less, unrolled to eight taps (the coefficients past the order are zero): what
   * flac's default levels produce. The first eight samples take the loop.
   */
  private void lpc8(int[] s, int order, int shift, int n) {
    java.util.Arrays.fill(coefs, order, 8, 0);
    int[] c = coefs;
    int head = Math.min(8, n);
    for (int i = order; i < head; i++) {
      long sum = 0;
      for (int j = 0; j < order; j++) {
        sum += (long) c[j] * s[i - 1 - j];
      }
      s[i] += (int) (sum >> shift);
    }
    long c0 = c[0];
    long c1 = c[1];
    long c2 = c[2];
    long c3 = c[3];
    long c4 = c[4];
    long c5 = c[5];
    long c6 = c[6];
    long c7 = c[7];
    for (int i = 8; i < n; i++) {
      long sum =
          c0 * s[i - 1]
              + c1 * s[i - 2]
              + c2 * s[i - 3]
              + c3 * s[i - 4]
              + c4 * s[i - 5]
              + c5 * s[i - 6]
              + c6 * s[i - 7]
              + c7 * s[i - 8];
      s[i] += (int) (sum >> shift);
    }
  }

  /** As {@link #lpc8} for orders 9 to 12 (flac -8). */
  private void lpc12(int[] s, int order, int shift, int n) {
    java.util.Arrays.fill(coefs, order, 12, 0);
    int[] c = coefs;
    int head = Math.min(12, n);
    for (int i = order; i < head; i++) {
      long sum = 0;
      for (int j = 0; j < order; j++) {
        sum += (long) c[j] * s[i - 1 - j];
      }
      s[i] += (int) (sum >> shift);
    }
    long c0 = c[0];
    long c1 = c[1];
    long c2 = c[2];
    long c3 = c[3];
    long c4 = c[4];
    long c5 = c[5];
    long c6 = c[6];
    long c7 = c[7];
    long c8 = c[8];
    long c9 = c[9];
    long c10 = c[10];
    long c11 = c[11];
    for (int i = 12; i < n; i++) {
      long sum =
          c0 * s[i - 1]
              + c1 * s[i - 2]
              + c2 * s[i - 3]
              + c3 * s[i - 4]
              + c4 * s[i - 5]
              + c5 * s[i - 6]
              + c6 * s[i - 7]
              + c7 * s[i - 8]
              + c8 * s[i - 9]
              + c9 * s[i - 10]
              + c10 * s[i - 11]
              + c11 * s[i - 12];
      s[i] += (int) (sum >> shift);
    }
  }

  /** Undoes left/side, side/right or mid/side coding in place (RFC 9639 section 4.2). */
  static void decorrelate(int assignment, int[] a, int[] b, int n) {
    switch (assignment) {
      case 8: // left, side
        for (int i = 0; i < n; i++) {
          b[i] = a[i] - b[i];
        }
        break;
      case 9: // side, right
        for (int i = 0; i < n; i++) {
          a[i] += b[i];
        }
        break;
      case 10: // mid, side
        for (int i = 0; i < n; i++) {
          int side = b[i];
          int mid = (a[i] << 1) | (side & 1);
          a[i] = (mid + side) >> 1;
          b[i] = (mid - side) >> 1;
        }
        break;
      default:
        break;
    }
  }
}
