package io.tonearm.daemon.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlacEncoderTest {

  @TempDir Path dir;

  /** Words of every kind: a sine, full-scale noise, both extremes, silence, a DC step. */
  private static int[] signal(int frames, int channels, int bits, long seed) {
    Random r = new Random(seed);
    int max = (1 << (bits - 1)) - 1;
    int min = -(1 << (bits - 1));
    int[] w = new int[frames * channels];
    for (int f = 0; f < frames; f++) {
      for (int c = 0; c < channels; c++) {
        int v;
        int part = f / 5000 % 5;
        v =
            switch (part) {
              case 0 -> (int) Math.round(Math.sin(2 * Math.PI * 440 * (c + 1) * f / 44100.0) * max);
              case 1 -> min + r.nextInt(max - min + 1);
              case 2 -> f % 2 == 0 ? max : min;
              case 3 -> 0;
              default -> c == 0 ? 1234 : -(1 << (bits - 2));
            };
        w[f * channels + c] = v;
      }
    }
    return w;
  }

  private static byte[] littleEndian(int[] w, int bits) {
    int bytes = bits / 8;
    byte[] b = new byte[w.length * bytes];
    for (int i = 0; i < w.length; i++) {
      for (int k = 0; k < bytes; k++) {
        b[i * bytes + k] = (byte) (w[i] >> (8 * k));
      }
    }
    return b;
  }

  /** Encodes in uneven pieces, as an output's blocks arrive; returns the whole stream. */
  private static byte[] encode(int[] words, int rate, int channels, int bits) {
    FlacEncoder e = new FlacEncoder(rate, channels, bits);
    byte[] le = littleEndian(words, bits);
    ByteSink sink = new ByteSink(1024);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(e.header());
    int frameBytes = bits / 8 * channels;
    int at = 0;
    int[] pieces = {1, 777, 4096, 10_000, 3};
    for (int i = 0; at < le.length; i++) {
      int n = Math.min(pieces[i % pieces.length] * frameBytes, le.length - at);
      sink.clear();
      e.encode(le, at, n, sink);
      out.write(sink.array(), 0, sink.size());
      at += n;
    }
    return out.toByteArray();
  }

  private int[] decodeWithOurDecoder(byte[] flac, int bits) throws Exception {
    Path f = dir.resolve("s.flac");
    Files.write(f, flac);
    try (Decoder d = Decoders.open(f)) {
      int ch = d.format().channels();
      float[] buf = new float[4096 * ch];
      int[] out = new int[0];
      int n;
      while ((n = d.read(buf, 0, 4096)) > 0) {
        int o = out.length;
        out = Arrays.copyOf(out, o + n * ch);
        for (int i = 0; i < n * ch; i++) {
          out[o + i] = Math.round(buf[i] * (1 << (bits - 1)));
        }
      }
      return out;
    }
  }

  @Test
  void stereoSixteenBitDecodesBitForBit() throws Exception {
    int frames = FlacEncoder.BLOCK * 12;
    int[] words = signal(frames, 2, 16, 1);
    byte[] flac = encode(words, 44_100, 2, 16);
    assertArrayEquals(words, decodeWithOurDecoder(flac, 16));
    // Smaller than the PCM though a fifth of it is full-scale noise and a fifth square-wave
    // extremes.
    assertTrue(flac.length < frames * 4, flac.length + " bytes");
  }

  @Test
  void twentyFourBitMonoAndSixChannelsDecodeBitForBit() throws Exception {
    int[] mono = signal(FlacEncoder.BLOCK * 6, 1, 24, 2);
    assertArrayEquals(mono, decodeWithOurDecoder(encode(mono, 96_000, 1, 24), 24));
    int[] six = signal(FlacEncoder.BLOCK * 4, 6, 24, 3);
    assertArrayEquals(six, decodeWithOurDecoder(encode(six, 48_000, 6, 24), 24));
    int[] odd = signal(FlacEncoder.BLOCK * 3, 2, 16, 4);
    assertArrayEquals(odd, decodeWithOurDecoder(encode(odd, 22_050, 2, 16), 16));
  }

  @Test
  void aSineCompressesToAboutAThirdAndSilenceToAlmostNothing() {
    int frames = FlacEncoder.BLOCK * 10;
    int[] sine = new int[frames * 2];
    for (int i = 0; i < frames; i++) {
      sine[2 * i] = (int) Math.round(Math.sin(2 * Math.PI * 1000 * i / 44100.0) * 16384);
      sine[2 * i + 1] = sine[2 * i] / 2;
    }
    assertTrue(encode(sine, 44_100, 2, 16).length < frames * 4 / 3);
    // Constant subframes: a few bytes per frame.
    assertTrue(encode(new int[frames * 2], 44_100, 2, 16).length < 42 + 10 * 20);
  }

  @Test
  void aFinishedFileEndsWithAShortFrameAndCarriesItsLengthAndMd5() throws Exception {
    for (int frames : new int[] {FlacEncoder.BLOCK * 2 + 777, 1, 17, FlacEncoder.BLOCK + 4095}) {
      int[] words = signal(frames, 2, 24, frames);
      FlacEncoder e = new FlacEncoder(48_000, 2, 24);
      byte[] le = littleEndian(words, 24);
      ByteSink sink = new ByteSink(1024);
      e.encode(le, 0, le.length, sink);
      e.finish(sink);
      byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(le);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(e.header(frames, md5));
      out.write(sink.array(), 0, sink.size());
      byte[] flac = out.toByteArray();
      assertArrayEquals(words, decodeWithOurDecoder(flac, 24), frames + " frames");
      assertEquals(frames, ByteBuffer.wrap(flac, 18, 8).getLong() & 0xF_FFFF_FFFFL);
      assertArrayEquals(md5, Arrays.copyOfRange(flac, 26, 42));
    }
  }

  @Test
  void onlyWholeFramesAreEmittedSoThatAListenerCanJoinBetweenCalls() {
    FlacEncoder e = new FlacEncoder(44_100, 2, 16);
    ByteSink sink = new ByteSink(16);
    byte[] le = littleEndian(signal(FlacEncoder.BLOCK - 1, 2, 16, 5), 16);
    e.encode(le, 0, le.length, sink);
    assertEquals(0, sink.size(), "one frame short of a block: nothing yet");
    e.encode(le, 0, 4, sink);
    assertTrue(sink.size() > 0);
    assertEquals(0xFF, sink.array()[0] & 0xFF, "starts on a frame's sync code");
    assertEquals(0xF8, sink.array()[1] & 0xFF);
  }

  @Test
  void debiansFlacToolAcceptsTheStreamAndDecodesTheSameWords() throws Exception {
    Path tool = Path.of("/usr/bin/flac");
    if (System.getenv("TONEARM_REQUIRE_FLAC_TOOL") != null) {
      assertTrue(Files.isExecutable(tool), "flac should be installed (TONEARM_REQUIRE_FLAC_TOOL)");
    }
    Assumptions.assumeTrue(Files.isExecutable(tool), "flac is not installed");
    int[] words = signal(FlacEncoder.BLOCK * 8, 2, 24, 6);
    Path f = dir.resolve("t.flac");
    Files.write(f, encode(words, 48_000, 2, 24));
    Path raw = dir.resolve("t.raw");
    Process p =
        new ProcessBuilder(
                tool.toString(),
                "-d",
                "-s",
                "--force-raw-format",
                "--endian=little",
                "--sign=signed",
                "-o",
                raw.toString(),
                f.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), log);
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
    int[] got = new int[b.remaining() / 3];
    for (int i = 0; i < got.length; i++) {
      got[i] = (b.get() & 0xFF) | (b.get() & 0xFF) << 8 | b.get() << 16;
    }
    assertArrayEquals(words, got);
  }
}
