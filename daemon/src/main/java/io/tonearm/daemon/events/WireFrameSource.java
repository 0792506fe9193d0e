package io.tonearm.daemon.events;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;

/**
 * A frame source that writes its frames' bodies in the binary wire format itself (spectra and
 * waveforms: thousands of values a frame at up to 120 fps), so that a frame is neither built into
 * message builders nor encoded from them. The stream puts the envelope's fields in front of the
 * body and the bytes are the frame every subscriber is sent; they equal protobuf's encoding of the
 * same message (the body's writer keeps protobuf's field order and default rules).
 *
 * <p>Called by the hub's frame ticker, like {@link FrameSource#render}.
 */
public interface WireFrameSource extends FrameSource {

  /**
   * Writes the frame for {@code view} at {@code nowMicros} into {@code out} (empty on entry) as the
   * encoded message of the envelope's body field, and returns that field's number (for example
   * {@code Envelope.SPECTRUM_FIELD_NUMBER}), or 0 when there is nothing new to send.
   */
  int renderWire(FrameView view, long nowMicros, FrameBody out);

  /** The frame of {@link #renderWire} as a message (for callers that want one; tests). */
  @Override
  default Envelope.Builder render(FrameView view, long nowMicros) {
    FrameBody body = new FrameBody();
    int field = renderWire(view, nowMicros, body);
    if (field == 0) {
      return null;
    }
    FrameBody env = new FrameBody();
    env.bytes(field, body.array(), body.length());
    try {
      return Envelope.newBuilder().mergeFrom(env.array(), 0, env.length());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a frame body does not parse", e);
    }
  }
}
