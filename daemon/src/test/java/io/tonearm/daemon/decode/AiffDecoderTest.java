package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AiffDecoderTest {

  @TempDir Path tmp;

  @Test
  void decodesTheSameSamplesAsTheFlacOfTheSameSource() throws IOException {
    try (Decoder d = Decoders.open(fixture("1s_440Hz_44k1_stereo_16bit.aiff"))) {
      assertEquals(new AudioFormat(44100, 2, 44100, "aiff", 16), d.format());
      float[] aiff = Signals.decodeAll(d);
      assertArrayEquals(Signals.decodeAll(fixture("1s_440Hz_44k1_stereo_16bit.flac")), aiff, 0f);
      assertEquals(440.0, Signals.frequency(aiff, 2, 1, 44100, 0, 44100), 0.05);
    }
  }

  @Test
  void decodesAifc24Bit() throws IOException {
    try (Decoder d = Decoders.open(fixture("1s_1kHz_48k_mono_24bit.aifc"))) {
      assertEquals(new AudioFormat(48000, 1, 48000, "aiff", 24), d.format());
      float[] pcm = Signals.decodeAll(d);
      assertEquals(1000.0, Signals.frequency(pcm, 1, 0, 48000, 0, 48000), 0.05);
      assertEquals(0.5 / Math.sqrt(2), Signals.rms(pcm, 1, 0, 0, 48000), 1e-4);
      assertEquals(-140, Signals.residualDb(pcm, 1, 0, 0, 48000, 1000, 48000), 15);
    }
  }

  @Test
  void seekLandsOnRequestedFrame() throws IOException {
    for (long frame : new long[] {0, 7, 30001, 48000}) {
      Signals.assertSeekMatches(fixture("1s_1kHz_48k_mono_24bit.aifc"), frame, 0f);
    }
  }

  @Test
  void gaplessPairEqualsTheWavPair() throws IOException {
    Signals.assertGapless("aiff", 40001, 26149, 44100, -80);
    assertArrayEquals(
        Signals.decodeAll(fixture("gapless_440Hz_b.wav")),
        Signals.decodeAll(fixture("gapless_440Hz_b.aiff")),
        0f);
  }

  @Test
  void littleEndianSowtDecodesExactly() throws IOException {
    short[] values = {0, 1, -1, 32767, -32768, 16384};
    ByteBuffer data =
        ByteBuffer.allocate(values.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (short v : values) {
      data.putShort(v);
    }
    Path p = tmp.resolve("sowt.aifc");
    Files.write(p, aifc("sowt", 16, values.length, data.array()));
    float[] got = Signals.decodeAll(p);
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i] / 32768f, got[i], 0f);
    }
  }

  @Test
  void compressedAifcIsUnsupported() throws IOException {
    Path p = tmp.resolve("ima4.aifc");
    Files.write(p, aifc("ima4", 16, 64, new byte[34 * 2]));
    if (!Decoders.ffmpegAvailable()) { // with ffmpeg, Decoders hands the file on to it
      assertThrows(UnsupportedFormatException.class, () -> Decoders.open(p));
    }
    assertThrows(UnsupportedFormatException.class, () -> AiffDecoder.open(p));
  }

  /** A mono 44.1 kHz AIFF-C file. */
  private static byte[] aifc(String codec, int bits, int frames, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + 24 + 16 + data.length);
    b.put("FORM".getBytes()).putInt(b.capacity() - 8).put("AIFC".getBytes());
    b.put("COMM".getBytes()).putInt(24).putShort((short) 1).putInt(frames).putShort((short) bits);
    b.putShort((short) 0x400E).putLong(0xAC44000000000000L); // 44100 as 80-bit extended
    b.put(codec.getBytes()).putShort((short) 0); // empty compression name (a Pascal string)
    b.put("SSND".getBytes()).putInt(8 + data.length).putInt(0).putInt(0).put(data);
    return b.array();
  }
}
