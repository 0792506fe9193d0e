package io.tonearm.daemon.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks on the committed gapless pairs {@code gapless_440Hz_{a,b}.<ext>}: one stereo sine of 440
 * Hz at amplitude 0.5, starting at phase 0, split after frame 40001 (fixtures/README.md). Whatever
 * plays A then B must output A's decode followed by B's decode, nothing inserted or dropped, and
 * together they must be that one sine.
 */
public final class GaplessJoint {

  /** Frames of part A of every pair. */
  public static final int FRAMES_A = 40_001;

  /** Lossless and lossy extensions of the committed pairs. */
  public static final String LOSSLESS = "wav,aiff,flac";

  private GaplessJoint() {}

  public static Path fixture(String name) {
    try {
      return Path.of(GaplessJoint.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path part(String ext, char part) {
    return fixture("gapless_440Hz_" + part + "." + ext);
  }

  /** The sample rate of a pair: the Opus pair is at 48 kHz, the others at 44.1 kHz. */
  public static int rate(String ext) {
    return ext.equals("opus") ? 48_000 : 44_100;
  }

  /** Frames of part B: what is left of the 1.5 s sine (1.5 s at 48 kHz for Opus). */
  public static int framesB(String ext) {
    return ext.equals("opus") ? 31_999 : 26_149;
  }

  /** Decodes a whole file alone, in blocks of 1000 frames. */
  public static float[] decodeAll(Path file) throws IOException {
    try (Decoder d = Decoders.open(file)) {
      AudioFormat f = d.format();
      int ch = f.channels();
      float[] all = new float[1 << 16];
      float[] block = new float[1000 * ch];
      int len = 0;
      for (int n; (n = d.read(block, 0, 1000)) >= 0; ) {
        if (len + n * ch > all.length) {
          all = Arrays.copyOf(all, all.length * 2);
        }
        System.arraycopy(block, 0, all, len, n * ch);
        len += n * ch;
      }
      assertEquals(f.frames() * ch, len, file.getFileName() + ": decoded frames = stated length");
      return Arrays.copyOf(all, len);
    }
  }

  /**
   * Asserts that {@code heard} (interleaved stereo, what an output received) is the pair of {@code
   * ext} joined without a gap.
   */
  public static void assertJoined(String ext, float[] heard) throws IOException {
    float[] a = decodeAll(part(ext, 'a'));
    float[] b = decodeAll(part(ext, 'b'));
    assertEquals(FRAMES_A * 2, a.length, "frames of A after delay and padding are trimmed");
    assertEquals(framesB(ext) * 2, b.length, "frames of B after delay and padding are trimmed");
    float[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    // Nothing inserted, dropped or altered between the decoders and the output.
    assertArrayEquals(joined, heard, ext + ": output = A's decode then B's decode");
    if (LOSSLESS.contains(ext)) {
      if (!ext.equals("wav")) {
        float[] wav = decodeAll(part("wav", 'a'));
        float[] wavB = decodeAll(part("wav", 'b'));
        float[] pcm = Arrays.copyOf(wav, wav.length + wavB.length);
        System.arraycopy(wavB, 0, pcm, wav.length, wavB.length);
        assertArrayEquals(pcm, heard, ext + ": the same samples as the WAV pair");
      }
      assertLosslessSine(heard, rate(ext));
    } else {
      assertLossySine(ext, heard, rate(ext));
    }
  }

  private static double sine(long frame, int rate) {
    return 0.5 * Math.sin(2 * Math.PI * 440 * frame / rate);
  }

  /**
   * Every sample is the sine rounded to 16 bits, across the joint too. sox's synth rings for about
   * 40 frames at each end of the whole 1.5 s signal (up to 33 LSB at frame 0), so those ends are
   * left out; the joint is far from them.
   */
  private static void assertLosslessSine(float[] pcm, int rate) {
    for (int i = 2 * 64; i < pcm.length - 2 * 64; i++) {
      double err = Math.abs(pcm[i] - sine(i / 2, rate));
      if (err > 0.51 / 32768) {
        throw new AssertionError("frame " + i / 2 + " is off the sine by " + err);
      }
    }
  }

  /**
   * Lossy pairs. Decoded alone with lame --decode, oggdec and opusdec, these fixtures match our
   * decoders sample for sample (largest difference 3e-5, 1.5e-5 and 7.6e-4) and show the same error
   * at the joint: B was encoded on its own and starts abruptly mid-wave, so each encoder smears
   * that onset over about one codec block (MP3 1152 frames, Vorbis 2048, Opus 960). That error is
   * the codec's; what the engine and the decoders must not add is a slip (a frame inserted or
   * dropped, a delay or padding left in) or a click.
   */
  private static void assertLossySine(String ext, float[] pcm, int rate) {
    int n = pcm.length / 2;
    int zone = 2048; // one Vorbis long block: the widest codec onset
    for (int ch = 0; ch < 2; ch++) {
      double[] fitA = fit(pcm, ch, zone, FRAMES_A - zone, rate);
      double[] fitB = fit(pcm, ch, FRAMES_A + zone, n - zone, rate);
      // One frame of slip moves the phase by 2*pi*440/rate = 0.058 rad at 48 kHz.
      assertEquals(0, fitA[1], 0.01, ext + ": phase of A against the sine (rad)");
      assertEquals(0, fitB[1], 0.01, ext + ": phase of B continues A's (rad)");
      assertEquals(0.5, fitA[0], 0.005, ext + ": amplitude of A");
      assertEquals(0.5, fitB[0], 0.005, ext + ": amplitude of B");
      double interior =
          Math.max(
              maxError(pcm, ch, zone, FRAMES_A - zone, rate),
              maxError(pcm, ch, FRAMES_A + zone, n - zone, rate));
      double joint = maxError(pcm, ch, FRAMES_A - zone, FRAMES_A + zone, rate);
      // Measured with the reference decoders: the onset error peaks at 0.071 (MP3), 0.015
      // (Vorbis) and 0.042 (Opus), the error elsewhere at 4.7e-4, 8.3e-3 and 1.0e-2. The limits
      // leave a quarter to a half for decoder arithmetic; a lost, repeated or unpadded block leaves
      // errors up to the full amplitude of 0.5.
      double[] limits =
          switch (ext) {
            case "mp3" -> new double[] {0.09, 1e-3};
            case "ogg" -> new double[] {0.02, 0.012};
            default -> new double[] {0.055, 0.015};
          };
      assertTrue(joint < limits[0], ext + ": error at the joint " + joint);
      assertTrue(interior < limits[1], ext + ": codec error away from the edges " + interior);
    }
  }

  private static double maxError(float[] pcm, int ch, int from, int to, int rate) {
    double max = 0;
    for (int f = from; f < to; f++) {
      max = Math.max(max, Math.abs(pcm[2 * f + ch] - sine(f, rate)));
    }
    return max;
  }

  /**
   * Least-squares fit of a*sin + b*cos at 440 Hz (absolute frame numbers) over [from, to): returns
   * amplitude and phase relative to the sine that starts the stream.
   */
  private static double[] fit(float[] pcm, int ch, int from, int to, int rate) {
    double w = 2 * Math.PI * 440 / rate;
    double ss = 0;
    double cc = 0;
    double sc = 0;
    double ys = 0;
    double yc = 0;
    for (int f = from; f < to; f++) {
      double s = Math.sin(w * f);
      double c = Math.cos(w * f);
      double y = pcm[2 * f + ch];
      ss += s * s;
      cc += c * c;
      sc += s * c;
      ys += y * s;
      yc += y * c;
    }
    double det = ss * cc - sc * sc;
    double a = (ys * cc - yc * sc) / det;
    double b = (yc * ss - ys * sc) / det;
    return new double[] {Math.hypot(a, b), Math.atan2(b, a)};
  }
}
