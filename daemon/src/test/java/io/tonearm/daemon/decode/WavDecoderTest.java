package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavDecoderTest {

  @TempDir Path tmp;

  @Test
  void decodesSineWithExactLengthFrequencyAndLevel() throws IOException {
    try (Decoder d = Decoders.open(fixture("1s_440Hz_44k1_mono_16bit.wav"))) {
      assertEquals(new AudioFormat(44100, 1, 44100, "wav", 16), d.format());
      float[] pcm = Signals.decodeAll(d);
      assertEquals(44100, pcm.length);
      assertEquals(440.0, Signals.frequency(pcm, 1, 0, 44100, 0, 44100), 0.05);
      assertEquals(0.5 / Math.sqrt(2), Signals.rms(pcm, 1, 0, 0, 44100), 1e-4);
    }
  }

  @Test
  void seekLandsOnRequestedFrame() throws IOException {
    for (long frame : new long[] {0, 1, 12345, 44099, 44100}) {
      Signals.assertSeekMatches(fixture("1s_440Hz_44k1_mono_16bit.wav"), frame, 0f);
    }
  }

  @Test
  void seekPastTheEndIsAnIoException() throws IOException {
    try (Decoder d = Decoders.open(fixture("1s_440Hz_44k1_mono_16bit.wav"))) {
      IOException e = assertThrows(IOException.class, () -> d.seek(44101));
      assertTrue(e.getMessage().contains("44101"), e.getMessage());
      assertThrows(IOException.class, () -> d.seek(-1));
    }
  }

  @Test
  void gaplessPairJoinsWithoutGap() throws IOException {
    Signals.assertGapless("wav", 40001, 26149, 44100, -80);
  }

  @Test
  void decodesExactValuesOf24BitAndFloatAndNarrowSamples() throws IOException {
    int[] ints = {0, 1, -1, 8388607, -8388608, 4194304};
    ByteBuffer d24 = ByteBuffer.allocate(ints.length * 3).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer d32f = ByteBuffer.allocate(ints.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : ints) {
      d24.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
      d32f.putFloat(v / 8388608f);
    }
    Path pcm24 = write(wav(1, 48000, 24, 3, d24.array()));
    Path flt = write(wav(3, 48000, 32, 4, d32f.array()));
    Path in24of20 = write(wav(1, 48000, 20, 3, d24.array())); // 20 valid bits, left-justified
    for (Path p : new Path[] {pcm24, flt, in24of20}) {
      float[] got = Signals.decodeAll(p);
      assertEquals(ints.length, got.length);
      for (int i = 0; i < ints.length; i++) {
        assertEquals(ints[i] / 8388608f, got[i], 0f, p.getFileName() + " sample " + i);
      }
    }
  }

  @Test
  void decodesExactValuesOf16BitSamplesAcrossReads() throws IOException {
    int n = 40_000; // more than one 64 KiB read
    ByteBuffer d16 = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    short[] values = new short[n];
    for (int i = 0; i < n; i++) {
      values[i] = i < 4 ? new short[] {32767, -32768, 1, -1}[i] : (short) (i * 7919);
      d16.putShort(values[i]);
    }
    float[] got = Signals.decodeAll(write(wav(1, 44100, 16, 2, d16.array())));
    assertEquals(n, got.length);
    for (int i = 0; i < n; i++) {
      assertEquals(values[i] / 32768f, got[i], 0f, "sample " + i);
    }
  }

  @Test
  void compressedWavIsUnsupported() throws IOException {
    Path adpcm = write(wav(2, 44100, 4, 1, new byte[64]));
    assertThrows(UnsupportedFormatException.class, () -> WavDecoder.open(adpcm));
    if (!Decoders.ffmpegAvailable()) { // with ffmpeg, Decoders hands the file on to it
      assertThrows(UnsupportedFormatException.class, () -> Decoders.open(adpcm));
    }
  }

  @Test
  void truncatedDataChunkReadsUpToTheEndOfTheFile() throws IOException {
    byte[] full = Files.readAllBytes(fixture("1s_440Hz_44k1_mono_16bit.wav"));
    Path cut = tmp.resolve("cut.wav");
    Files.write(cut, java.util.Arrays.copyOf(full, 44 + 1000 * 2 + 1)); // half a frame extra
    try (Decoder d = Decoders.open(cut)) {
      assertEquals(1000, d.format().frames());
      assertEquals(1000, Signals.decodeAll(d).length);
    }
  }

  private Path write(byte[] bytes) throws IOException {
    Path p = Files.createTempFile(tmp, "t", ".wav");
    Files.write(p, bytes);
    return p;
  }

  /** A mono WAV with the given format tag, bits and container bytes per sample. */
  static byte[] wav(int tag, int rate, int bits, int container, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) tag).putShort((short) 1).putInt(rate);
    b.putInt(rate * container).putShort((short) container).putShort((short) bits);
    b.put("data".getBytes()).putInt(data.length).put(data);
    return b.array();
  }
}
