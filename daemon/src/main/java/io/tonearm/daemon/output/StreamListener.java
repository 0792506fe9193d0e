package io.tonearm.daemon.output;

/**
 * One HTTP client of an {@link HttpStreamOutput}: receives the stream's bytes (the header first,
 * then audio) in chunks.
 *
 * <p>Both methods are called on the stream's sender thread ({@code tonearm-stream-<id>}), never on
 * the output thread, one listener at a time; they must not block.
 */
public interface StreamListener {

  /**
   * Offers the next chunk. Return true when it was taken (the array is then the listener's to keep,
   * for example to wrap in a Netty buffer), false when the client cannot take more right now (for
   * example its channel is not writable): the same bytes are offered again later. A client that
   * stays behind for longer than its buffer holds is dropped with {@link #onClose}.
   */
  boolean onChunk(byte[] chunk);

  /**
   * The stream ended for this client: {@code "too slow"}, {@code "format changed"} (reconnect for a
   * header at the new format), {@code "detached"} or {@code "output closed"}. Called once; no chunk
   * follows.
   */
  void onClose(String reason);
}
