package io.tonearm.daemon.output;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams what plays to HTTP clients as an endless WAV: a RIFF header whose sizes say "unknown"
 * (0xFFFFFFFF), then 16- or 24-bit little-endian PCM (each client chooses), live, converted by a
 * {@link Quantizer} per word length (bit-exact at unity, TPDF dither when the word length is
 * reduced, unless switched off). WAV because every browser's {@code <audio>} plays it progressively
 * with no encoder (nothing to add to the build, no codec delay, the exact samples); the price is
 * bandwidth (1.4 Mbit/s for 44.1 kHz stereo), which is fine on a LAN.
 *
 * <p>Not paced: the clock output paces it. The output thread converts each block once and copies it
 * into every client's bounded ring (never blocking; a client whose ring is full is dropped); a
 * sender thread hands the bytes to the clients' listeners.
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

  /** The content type of the stream. */
  public static final String CONTENT_TYPE = "audio/wav";

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
    private final int bits;
    private int rate;
    private int channels;

    private Client(StreamListener listener, int bufferBytes, int bits) {
      this.listener = listener;
      this.ring = new ByteRing(bufferBytes);
      this.bits = bits;
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
  private final byte[] scratch16 = new byte[CHUNK_FRAMES * 8 * 2];
  private final byte[] scratch24 = new byte[CHUNK_FRAMES * 8 * 3];
  private final byte[] header16 = new byte[44];
  private final byte[] header24 = new byte[44];
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
    this.sender = new Thread(this::sendLoop, "tonearm-stream-" + id);
    sender.setDaemon(true);
    sender.start();
  }

  /** Attaches a client of the 16-bit stream; see {@link #attach(StreamListener, int)}. */
  public Client attach(StreamListener listener) {
    return attach(listener, 16);
  }

  /**
   * Attaches a client. It gets the header and then audio from the next block played (nothing while
   * paused or stopped). Its buffer holds as much time at 24 bits as at 16.
   *
   * @param bits the client's word length, 16 or 24
   * @throws IllegalStateException when {@link #MAX_CLIENTS} are attached or the output shut down
   * @throws IllegalArgumentException when bits is not 16 or 24
   */
  public synchronized Client attach(StreamListener listener, int bits) {
    if (bits != 16 && bits != 24) {
      throw new IllegalArgumentException("bits must be 16 or 24: " + bits);
    }
    if (shutdown) {
      throw new IllegalStateException("stream output is shut down");
    }
    if (clients.length >= MAX_CLIENTS) {
      throw new IllegalStateException("too many stream clients (" + MAX_CLIENTS + ")");
    }
    Client c = new Client(listener, bufferBytes / 16 * bits, bits);
    Client[] next = Arrays.copyOf(clients, clients.length + 1);
    next[clients.length] = c;
    clients = next;
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
    return fixedRate > 0
        ? "HTTP stream (endless WAV, " + pcm + ", " + fixedRate + " Hz)"
        : "HTTP stream (endless WAV, " + pcm + ")";
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
    boolean want16 = false;
    boolean want24 = false;
    for (Client c : cs) {
      want16 |= c.bits == 16;
      want24 |= c.bits == 24;
    }
    int done = 0;
    while (done < frames) {
      int n = Math.min(CHUNK_FRAMES, frames - done);
      int base = offset + done * channels;
      int samples = n * channels;
      // Each word length is converted once per chunk, for all its clients.
      int len16 = want16 ? q16.toLittleEndian(interleaved, base, samples, scratch16, 0) : 0;
      int len24 = want24 ? q24.toLittleEndian(interleaved, base, samples, scratch24, 0) : 0;
      for (Client c : cs) {
        if (c.closeReason != null) {
          continue;
        }
        boolean deep = c.bits == 24;
        if (!c.started) {
          c.rate = rate;
          c.channels = channels;
          byte[] h = deep ? header24 : header16;
          c.ring.offer(h, 0, h.length);
          c.started = true;
        }
        if (!c.ring.offer(deep ? scratch24 : scratch16, 0, deep ? len24 : len16)) {
          c.close("too slow");
        }
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

  private void writeHeader() {
    WavHeader.put(ByteBuffer.wrap(header16), WavHeader.PCM, channels, rate, 16, -1);
    WavHeader.put(ByteBuffer.wrap(header24), WavHeader.PCM, channels, rate, 24, -1);
  }

  private void sendLoop() {
    byte[] buf = new byte[SEND_CHUNK];
    while (true) {
      boolean moved = false;
      boolean anyClosed = false;
      for (Client c : clients) {
        if (c.closeReason != null) {
          anyClosed = true;
          continue;
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
