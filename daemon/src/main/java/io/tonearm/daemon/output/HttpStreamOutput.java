package io.tonearm.daemon.output;

import io.tonearm.daemon.encode.ByteSink;
import io.tonearm.daemon.encode.FlacEncoder;
import io.tonearm.daemon.encode.Mp3Encoder;
import io.tonearm.daemon.encode.OggOpusEncoder;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams what plays to HTTP clients, live, in the {@link StreamFormat} each client chooses: an
 * endless WAV (a RIFF header whose sizes say "unknown", 0xFFFFFFFF, then 16- or 24-bit
 * little-endian PCM), FLAC of the same 16- or 24-bit words (lossless, about half the bandwidth),
 * Ogg Opus or MP3 (where libopus and libmp3lame are installed). Integers come from a {@link
 * Quantizer} per word length (bit-exact at unity, TPDF dither when the word length is reduced,
 * unless switched off); FLAC encodes those same words, so a FLAC listener decodes exactly what a
 * WAV listener of the same depth gets. Opus and MP3 are encoded from the float samples.
 *
 * <p>Not paced: the clock output paces it. The output thread converts and encodes each block once
 * per format in use, whatever the number of its listeners, and copies the bytes into every client's
 * bounded ring (never blocking; a client whose ring is full is dropped); a sender thread hands the
 * bytes to the clients' listeners. An encoder exists only while its format has listeners: it is
 * made for the first and freed after the last. Encoders emit whole units (FLAC frames, Ogg pages,
 * MP3 frames), so a client that joins gets its format's header (WAV header, FLAC STREAMINFO, the
 * Opus header pages, nothing for MP3) and then the next whole unit.
 *
 * <p>A WAV header cannot change mid-response, so the stream has one rate: given at construction,
 * {@link #rateFor} always answers it and the engine resamples every item to it; items of other
 * rates go on in the same response without a break. Only a change of channel count (a mono item
 * after stereo ones) still reopens the stream: clients are closed with "format changed" and
 * reconnect for a new header.
 *
 * <p>Transport glue: answer {@code GET} with {@link #CONTENT_TYPE}, {@code Cache-Control:
 * no-store}, no content length, then {@link #attach} a listener that writes each chunk to the
 * channel and returns false while the channel is not writable; {@link Client#detach} when the
 * connection closes.
 */
public final class HttpStreamOutput implements Output {

  /** The content type of the WAV streams. */
  public static final String CONTENT_TYPE = "audio/wav";

  /**
   * Ring of an Opus or MP3 client, bytes: 64 KiB, about 4 s of the Opus stream's 128 kbit/s stereo
   * and 2.7 s of the MP3 stream's 192 kbit/s (lossy bit rates vary, so the bound is in bytes).
   */
  public static final int LOSSY_BUFFER_BYTES = 64 * 1024;

  /** Most clients at once; {@link #attach} refuses more. */
  public static final int MAX_CLIENTS = 64;

  private static final int CHUNK_FRAMES = 4096;
  private static final int SEND_CHUNK = 16 * 1024;

  /** One attached client. Thread-safe. */
  public final class Client {
    private final StreamListener listener;
    private final ByteRing ring;
    private volatile boolean started; // header written (output thread)
    private volatile String closeReason; // set once, by any thread
    private final StreamFormat format;
    private int rate;
    private int channels;

    private Client(StreamListener listener, int bufferBytes, StreamFormat format) {
      this.listener = listener;
      this.ring = new ByteRing(bufferBytes);
      this.format = format;
    }

    /** The format this client receives. */
    public StreamFormat format() {
      return format;
    }

    /** Stops sending to this client (for example when its connection closed). */
    public void detach() {
      close("detached");
    }

    private void close(String reason) {
      if (closeReason == null) {
        closeReason = reason;
      }
      LockSupport.unpark(sender);
    }
  }

  private final String id;
  private final int bufferBytes;
  private final Thread sender;
  private final Quantizer q16;
  private final Quantizer q24;
  // The conversion buffers are made at the first write that needs them (output thread): a stream
  // nobody listened to holds none (0.23 MB of an idle daemon's heap, issue 13).
  private byte[] scratch16;
  private byte[] scratch24;
  private final byte[] header16 = new byte[44];
  private final byte[] header24 = new byte[44];
  private static final StreamFormat[] FORMATS = StreamFormat.values();
  private final boolean[] want = new boolean[FORMATS.length];
  private ByteSink encoded;
  private FlacEncoder flac16;
  private FlacEncoder flac24;
  private OggOpusEncoder opus;
  private Mp3Encoder mp3;
  private final Map<StreamFormat, Long> delayMicros = new EnumMap<>(StreamFormat.class);
  private volatile Client[] clients = new Client[0];
  private volatile boolean open;
  private volatile boolean shutdown;
  private volatile long written;
  private final int fixedRate;
  private int rate;
  private int channels;

  /**
   * A stream that follows whatever rate it is opened at (a rate change ends its responses).
   *
   * @param id the output id
   * @param bufferBytes per-client buffer; a client further behind than this is dropped (2 s of 48
   *     kHz stereo is 384000)
   */
  public HttpStreamOutput(String id, int bufferBytes) {
    this(id, bufferBytes, 0, true);
  }

  /**
   * @param id the output id
   * @param bufferBytes per-client buffer; a client further behind than this is dropped (2 s of 48
   *     kHz stereo is 384000)
   * @param rate the stream's one rate, frames per second; 0 to follow the rate it is opened at
   * @param dither whether word-length reductions get TPDF dither (see {@link Quantizer})
   */
  public HttpStreamOutput(String id, int bufferBytes, int rate, boolean dither) {
    if (rate < 0) {
      throw new IllegalArgumentException("rate must be 0 or positive");
    }
    this.id = id;
    this.bufferBytes = bufferBytes;
    this.fixedRate = rate;
    this.q16 = new Quantizer(16, dither);
    this.q24 = new Quantizer(24, dither);
    // Started by the first attach: a stream nobody listened to keeps no thread (issue 13).
    this.sender = new Thread(this::sendLoop, "tonearm-stream-" + id);
    sender.setDaemon(true);
  }

  /** Attaches a client of the 16-bit stream; see {@link #attach(StreamListener, StreamFormat)}. */
  public Client attach(StreamListener listener) {
    return attach(listener, StreamFormat.WAV16);
  }

  /** Attaches a client of the 16- or 24-bit WAV stream. */
  public Client attach(StreamListener listener, int bits) {
    if (bits != 16 && bits != 24) {
      throw new IllegalArgumentException("bits must be 16 or 24: " + bits);
    }
    return attach(listener, bits == 16 ? StreamFormat.WAV16 : StreamFormat.WAV24);
  }

  /**
   * Attaches a client. It gets its format's header and then audio from the next block played
   * (nothing while paused or stopped; for FLAC, Opus and MP3, from the next whole frame or page).
   * Its buffer: the constructor's {@code bufferBytes} for 16-bit WAV and FLAC, as much time at 24
   * bits for WAV and FLAC at 24 bits, {@link #LOSSY_BUFFER_BYTES} for Opus and MP3.
   *
   * @throws IllegalStateException when {@link #MAX_CLIENTS} are attached or the output shut down
   * @throws IllegalArgumentException when the format is not available in this process
   */
  public synchronized Client attach(StreamListener listener, StreamFormat format) {
    if (!format.available()) {
      throw new IllegalArgumentException(
          "stream format " + format.wireName() + " is not available");
    }
    if (shutdown) {
      throw new IllegalStateException("stream output is shut down");
    }
    if (clients.length >= MAX_CLIENTS) {
      throw new IllegalStateException("too many stream clients (" + MAX_CLIENTS + ")");
    }
    int ring = format.bits() == 0 ? LOSSY_BUFFER_BYTES : bufferBytes / 16 * format.bits();
    Client c = new Client(listener, ring, format);
    Client[] next = Arrays.copyOf(clients, clients.length + 1);
    next[clients.length] = c;
    clients = next;
    if (sender.getState() == Thread.State.NEW) {
      sender.start();
    }
    LockSupport.unpark(sender);
    return c;
  }

  /** Clients attached now. */
  public int clientCount() {
    return clients.length;
  }

  /** Ends every client and the sender thread. */
  public void shutdown() {
    shutdown = true;
    for (Client c : clients) {
      c.close("output closed");
    }
    LockSupport.unpark(sender);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    String pcm = "16- or 24-bit PCM, " + (q16.dithers() ? "TPDF dither" : "no dither");
    String formats =
        String.join(
            ", ", StreamFormat.availableFormats().stream().map(StreamFormat::wireName).toList());
    return fixedRate > 0
        ? "HTTP stream (" + formats + "; " + pcm + ", " + fixedRate + " Hz)"
        : "HTTP stream (" + formats + "; " + pcm + ")";
  }

  /**
   * The most a sample waits in {@code format}'s encoder before its bytes are sent, in milliseconds
   * (0 for WAV; FLAC one block; Opus a page plus look-ahead; MP3 LAME's delay plus two frames),
   * rounded up; at the stream's rate, or 44.1 kHz before it first opens. Thread-safe.
   */
  public synchronized long latencyMillis(StreamFormat format) {
    int r = rate > 0 ? rate : fixedRate > 0 ? fixedRate : 44_100;
    long micros =
        switch (format) {
          case WAV16, WAV24 -> 0;
          case FLAC, FLAC24 -> FlacEncoder.BLOCK * 1_000_000L / r;
          default -> delayMicros.getOrDefault(format, -1L);
        };
    if (micros < 0) {
      micros = lossyDelayMicros(format, r);
    }
    return (micros + 999) / 1000;
  }

  private synchronized long lossyDelayMicros(StreamFormat format, int r) {
    int ch = channels > 0 && channels <= 2 ? channels : 2;
    if (format == StreamFormat.OPUS) {
      try (OggOpusEncoder e = new OggOpusEncoder(r, ch)) {
        delayMicros.put(format, e.delayMicros());
        return e.delayMicros();
      }
    }
    try (Mp3Encoder e = new Mp3Encoder(r, ch)) {
      delayMicros.put(format, e.delayMicros());
      return e.delayMicros();
    }
  }

  /** True when word-length reductions are dithered. */
  public boolean dithers() {
    return q16.dithers();
  }

  /** The stream's one rate whatever is asked, when it has one. */
  @Override
  public int rateFor(int sampleRate, int channels) {
    return fixedRate > 0 ? fixedRate : sampleRate;
  }

  @Override
  public boolean paced() {
    return false;
  }

  @Override
  public void open(int sampleRate, int channels) {
    if (sampleRate != rate || channels != this.channels) {
      freeEncoders(); // made again at the new format for the next listeners
      synchronized (this) {
        delayMicros.clear();
      }
    }
    this.rate = sampleRate;
    this.channels = channels;
    for (Client c : clients) {
      if (c.started && (c.rate != sampleRate || c.channels != channels)) {
        c.close("format changed");
      }
    }
    writeHeader();
    open = true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean listened() {
    return clients.length > 0;
  }

  @Override
  public void write(float[] interleaved, int offset, int frames) {
    Client[] cs = clients;
    if (cs.length == 0) {
      written += frames; // nobody listens: nothing to convert
      return;
    }
    boolean[] want = this.want;
    Arrays.fill(want, false);
    for (Client c : cs) {
      if (c.closeReason == null) {
        want[c.format.ordinal()] = true;
      }
    }
    prepareEncoders(want, cs);
    boolean want16 = want[StreamFormat.WAV16.ordinal()] || want[StreamFormat.FLAC.ordinal()];
    boolean want24 = want[StreamFormat.WAV24.ordinal()] || want[StreamFormat.FLAC24.ordinal()];
    if (want16 && scratch16 == null) {
      scratch16 = new byte[CHUNK_FRAMES * 8 * 2];
    }
    if (want24 && scratch24 == null) {
      scratch24 = new byte[CHUNK_FRAMES * 8 * 3];
    }
    int done = 0;
    while (done < frames) {
      int n = Math.min(CHUNK_FRAMES, frames - done);
      int base = offset + done * channels;
      int samples = n * channels;
      // Each word length is converted once per chunk, and each format encoded once, for all its
      // clients.
      int len16 = want16 ? q16.toLittleEndian(interleaved, base, samples, scratch16, 0) : 0;
      int len24 = want24 ? q24.toLittleEndian(interleaved, base, samples, scratch24, 0) : 0;
      for (StreamFormat f : FORMATS) {
        if (!want[f.ordinal()]) {
          continue;
        }
        byte[] bytes;
        int len;
        switch (f) {
          case WAV16 -> {
            bytes = scratch16;
            len = len16;
          }
          case WAV24 -> {
            bytes = scratch24;
            len = len24;
          }
          default -> {
            if (encoded == null) {
              encoded = new ByteSink(64 * 1024);
            }
            encoded.clear();
            try {
              encode(f, interleaved, base, n, len16, len24);
            } catch (RuntimeException e) {
              refuse(cs, want, f, e); // a failing encoder ends its listeners, not the others
              continue; // and is freed at the next write, its format having no listener left
            }
            bytes = encoded.array();
            len = encoded.size();
          }
        }
        offerAll(cs, f, bytes, len);
      }
      done += n;
    }
    written += frames;
    LockSupport.unpark(sender); // new bytes: wake the sender (no lock, no allocation)
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public void flush() {}

  @Override
  public void drain() {}

  @Override
  public void close() {
    open = false;
  }

  @Override
  public long framesWritten() {
    return written;
  }

  @Override
  public long framesPlayed() {
    return written;
  }

  @Override
  public long latencyMicros() {
    return 0;
  }

  /** Makes the encoders of formats with clients and frees those of formats without. */
  private void prepareEncoders(boolean[] want, Client[] cs) {
    try {
      if (want[StreamFormat.FLAC.ordinal()] && flac16 == null) {
        flac16 = new FlacEncoder(rate, channels, 16);
      }
      if (want[StreamFormat.FLAC24.ordinal()] && flac24 == null) {
        flac24 = new FlacEncoder(rate, channels, 24);
      }
    } catch (IllegalArgumentException e) {
      refuse(cs, want, StreamFormat.FLAC, e);
      refuse(cs, want, StreamFormat.FLAC24, e);
    }
    if (want[StreamFormat.OPUS.ordinal()] && opus == null) {
      try {
        opus = new OggOpusEncoder(rate, channels);
        synchronized (this) {
          delayMicros.put(StreamFormat.OPUS, opus.delayMicros());
        }
      } catch (RuntimeException e) {
        refuse(cs, want, StreamFormat.OPUS, e);
      }
    }
    if (want[StreamFormat.MP3.ordinal()] && mp3 == null) {
      try {
        mp3 = new Mp3Encoder(rate, channels);
        synchronized (this) {
          delayMicros.put(StreamFormat.MP3, mp3.delayMicros());
        }
      } catch (RuntimeException e) {
        refuse(cs, want, StreamFormat.MP3, e);
      }
    }
    if (!want[StreamFormat.FLAC.ordinal()]) {
      flac16 = null;
    }
    if (!want[StreamFormat.FLAC24.ordinal()]) {
      flac24 = null;
    }
    if (!want[StreamFormat.OPUS.ordinal()] && opus != null) {
      opus.close();
      opus = null;
    }
    if (!want[StreamFormat.MP3.ordinal()] && mp3 != null) {
      mp3.close();
      mp3 = null;
    }
  }

  /** Closes the clients of a format whose encoder cannot take the stream (e.g. 6-channel MP3). */
  private static void refuse(Client[] cs, boolean[] want, StreamFormat f, RuntimeException e) {
    if (!want[f.ordinal()]) {
      return;
    }
    want[f.ordinal()] = false;
    for (Client c : cs) {
      if (c.format == f) {
        c.close("format unsupported: " + e.getMessage());
      }
    }
  }

  private void encode(StreamFormat f, float[] src, int base, int frames, int len16, int len24) {
    switch (f) {
      case FLAC -> flac16.encode(scratch16, 0, len16, encoded);
      case FLAC24 -> flac24.encode(scratch24, 0, len24, encoded);
      case OPUS -> opus.encode(src, base, frames, encoded);
      case MP3 -> mp3.encode(src, base, frames, encoded);
      default -> throw new IllegalStateException(f.name());
    }
  }

  /** Offers one chunk of {@code f}'s bytes to its clients, the header first to new ones. */
  private void offerAll(Client[] cs, StreamFormat f, byte[] bytes, int len) {
    for (Client c : cs) {
      if (c.closeReason != null || c.format != f) {
        continue;
      }
      if (!c.started) {
        c.rate = rate;
        c.channels = channels;
        byte[] h = header(f);
        c.ring.offer(h, 0, h.length);
        c.started = true;
      }
      if (len > 0 && !c.ring.offer(bytes, 0, len)) {
        c.close("too slow");
      }
    }
  }

  private byte[] header(StreamFormat f) {
    return switch (f) {
      case WAV16 -> header16;
      case WAV24 -> header24;
      case FLAC -> flac16.header();
      case FLAC24 -> flac24.header();
      case OPUS -> opus.header();
      case MP3 -> mp3.header();
    };
  }

  private void freeEncoders() {
    flac16 = null;
    flac24 = null;
    if (opus != null) {
      opus.close();
      opus = null;
    }
    if (mp3 != null) {
      mp3.close();
      mp3 = null;
    }
  }

  /** The conversion and encoding buffers' bytes made so far (tests: none before a listener). */
  int conversionBytes() {
    return (scratch16 == null ? 0 : scratch16.length)
        + (scratch24 == null ? 0 : scratch24.length)
        + (encoded == null ? 0 : encoded.array().length);
  }

  private void writeHeader() {
    WavHeader.put(ByteBuffer.wrap(header16), WavHeader.PCM, channels, rate, 16, -1);
    WavHeader.put(ByteBuffer.wrap(header24), WavHeader.PCM, channels, rate, 24, -1);
  }

  private void sendLoop() {
    byte[] buf = null; // made when the first client is there to send to
    while (true) {
      boolean moved = false;
      boolean anyClosed = false;
      for (Client c : clients) {
        if (c.closeReason != null) {
          anyClosed = true;
          continue;
        }
        if (buf == null) {
          buf = new byte[SEND_CHUNK];
        }
        int n = c.ring.peek(buf, buf.length);
        try {
          if (n > 0 && c.listener.onChunk(Arrays.copyOf(buf, n))) {
            c.ring.skip(n);
            moved = true;
          }
        } catch (RuntimeException e) {
          c.close("listener failed: " + e.getMessage());
        }
      }
      if (anyClosed) {
        removeClosed();
      }
      if (shutdown && clients.length == 0) {
        return;
      }
      if (!moved) {
        // Woken by attach, by new bytes and by a close; the timeout retries a client whose
        // channel was not writable.
        if (clients.length == 0 && !shutdown) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, 20_000_000L);
        }
      }
    }
  }

  private void removeClosed() {
    Client[] closedNow;
    synchronized (this) {
      closedNow = Arrays.stream(clients).filter(c -> c.closeReason != null).toArray(Client[]::new);
      clients = Arrays.stream(clients).filter(c -> c.closeReason == null).toArray(Client[]::new);
    }
    for (Client c : closedNow) {
      c.listener.onClose(c.closeReason);
    }
  }
}
