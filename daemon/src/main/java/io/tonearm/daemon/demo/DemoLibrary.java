package io.tonearm.daemon.demo;

import io.tonearm.daemon.output.WavHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in demo library: a few short synthesized pieces written as WAV files into the data dir
 * at first start, so that a daemon run with no {@code --music} has something real to play and
 * browse. Each file carries a RIFF {@code LIST/INFO} chunk after its samples (title, artist, album,
 * track number, year, genre), which the scan reads like any tagged WAV, so artist and album views,
 * MPD's {@code list artist} and searches by tag have something to show.
 */
public final class DemoLibrary {

  private static final int RATE = 44_100;
  private static final int SECONDS = 20;
  private static final int DATA_BYTES = RATE * SECONDS * 2 * 2; // stereo, 16-bit

  static final String ARTIST = "Tonearm";
  static final String ALBUM = "Tonearm Demo";
  static final String YEAR = "2026";
  static final String GENRE = "Ambient";

  /** A piece: a name and a chord progression (MIDI note numbers), one chord per bar. */
  private record Piece(String file, int[][] chords, double bpm) {

    /** The title: the file name without its track number, album and extension. */
    String title() {
      return file.substring(file.lastIndexOf(" - ") + 3, file.length() - ".wav".length());
    }
  }

  private static final List<Piece> PIECES =
      List.of(
          new Piece(
              "01 - Tonearm Demo - A Minor Arpeggios.wav",
              new int[][] {{57, 60, 64}, {53, 57, 60}, {48, 52, 55}, {55, 59, 62}},
              96),
          new Piece(
              "02 - Tonearm Demo - Slow Fifths.wav",
              new int[][] {{48, 55, 62}, {50, 57, 64}, {45, 52, 59}, {43, 50, 57}},
              72),
          new Piece(
              "03 - Tonearm Demo - Bright Major.wav",
              new int[][] {{60, 64, 67}, {65, 69, 72}, {67, 71, 74}, {60, 64, 67}},
              120),
          new Piece(
              "04 - Tonearm Demo - Low Drone.wav",
              new int[][] {{36, 43, 48}, {38, 45, 50}, {36, 43, 48}, {31, 38, 43}},
              60));

  private DemoLibrary() {}

  /**
   * Makes sure the demo folder exists under {@code dataDir} with every piece in it, writing what is
   * missing or not of this version's size (the files of earlier versions had no tags), each file
   * through a temporary name and an atomic rename.
   *
   * @return the demo folder
   */
  public static Path ensure(Path dataDir) throws IOException {
    Path folder = dataDir.resolve("demo-music");
    Files.createDirectories(folder);
    for (int i = 0; i < PIECES.size(); i++) {
      Piece p = PIECES.get(i);
      Path file = folder.resolve(p.file);
      byte[] info = info(p, i + 1);
      if (!Files.exists(file) || Files.size(file) != WavHeader.BYTES + DATA_BYTES + info.length) {
        Path tmp = folder.resolve(p.file + ".tmp");
        write(tmp, render(p), info);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return folder;
  }

  /** The demo files in play order. */
  public static List<Path> files(Path folder) {
    List<Path> out = new ArrayList<>();
    for (Piece p : PIECES) {
      out.add(folder.resolve(p.file));
    }
    return out;
  }

  /** Plucked-string arpeggios over a soft pad, in stereo 16-bit. */
  private static short[] render(Piece p) {
    int frames = RATE * SECONDS;
    short[] pcm = new short[frames * 2];
    double beat = 60.0 / p.bpm / 2; // eighth notes
    int notesPerBar = 8;
    double[] mix = new double[frames * 2];
    int note = 0;
    for (double t = 0; t < SECONDS - 1; t += beat, note++) {
      int[] chord = p.chords[(note / notesPerBar) % p.chords.length];
      int pitch = chord[note % chord.length] + 12 * ((note / chord.length) % 2);
      double f = 440 * Math.pow(2, (pitch - 69) / 12.0);
      double pan = 0.5 + 0.35 * Math.sin(note * 0.7);
      int start = (int) (t * RATE);
      int len = Math.min(frames - start, (int) (RATE * 1.2));
      for (int i = 0; i < len; i++) {
        double s = i / (double) RATE;
        double env = Math.exp(-4.0 * s) * Math.min(1, i / 40.0);
        double v =
            0.22 * env * (Math.sin(2 * Math.PI * f * s) + 0.3 * Math.sin(4 * Math.PI * f * s));
        mix[2 * (start + i)] += v * (1 - pan);
        mix[2 * (start + i) + 1] += v * pan;
      }
    }
    for (int bar = 0; bar * beat * notesPerBar < SECONDS; bar++) {
      int[] chord = p.chords[bar % p.chords.length];
      int start = (int) (bar * beat * notesPerBar * RATE);
      int len = Math.min(frames - start, (int) (beat * notesPerBar * RATE));
      for (int pitch : chord) {
        double f = 440 * Math.pow(2, (pitch - 12 - 69) / 12.0);
        for (int i = 0; i < len; i++) {
          double env = Math.sin(Math.PI * i / len);
          double v = 0.05 * env * Math.sin(2 * Math.PI * f * (start + i) / RATE);
          mix[2 * (start + i)] += v;
          mix[2 * (start + i) + 1] += v;
        }
      }
    }
    for (int i = 0; i < mix.length; i++) {
      double fade = Math.min(1, (frames - i / 2) / (double) RATE); // one-second fade out
      pcm[i] = (short) Math.round(Math.max(-1, Math.min(1, mix[i] * fade)) * 32767);
    }
    return pcm;
  }

  /**
   * The piece's {@code LIST} chunk of type {@code INFO}: sub-chunks of NUL-terminated text, each
   * padded to an even size, as the RIFF specification (Microsoft/IBM, 1991) lays them out.
   */
  private static byte[] info(Piece p, int track) {
    String[][] fields = {
      {"INAM", p.title()},
      {"IART", ARTIST},
      {"IPRD", ALBUM},
      {"ITRK", Integer.toString(track)},
      {"ICRD", YEAR},
      {"IGNR", GENRE}
    };
    int size = 4; // "INFO"
    for (String[] f : fields) {
      size += 8 + even(f[1].length() + 1);
    }
    ByteBuffer b = ByteBuffer.allocate(8 + size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("LIST")).putInt(size).put(ascii("INFO"));
    for (String[] f : fields) {
      int n = f[1].length() + 1;
      b.put(ascii(f[0])).putInt(n).put(ascii(f[1])).put((byte) 0);
      if (n % 2 == 1) {
        b.put((byte) 0);
      }
    }
    return b.array();
  }

  private static int even(int n) {
    return n + (n & 1);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void write(Path file, short[] pcm, byte[] info) throws IOException {
    int dataBytes = pcm.length * 2;
    ByteBuffer b =
        ByteBuffer.allocate(WavHeader.BYTES + dataBytes + info.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    WavHeader.put(b, WavHeader.PCM, 2, RATE, 16, dataBytes);
    b.putInt(4, 36 + dataBytes + info.length); // the RIFF size counts the INFO chunk too
    for (short s : pcm) {
      b.putShort(s);
    }
    b.put(info);
    b.flip();
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }
}
