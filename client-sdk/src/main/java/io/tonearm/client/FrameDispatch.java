package io.tonearm.client;

import io.tonearm.proto.v1.Envelope;

/** Hands a frame stream's envelopes to a {@link FrameListener} by type. Event loop only. */
final class FrameDispatch extends EventListener {

  private final FrameListener l;

  FrameDispatch(FrameListener l) {
    this.l = l;
  }

  @Override
  public void onFrame(EventStream s, Envelope e) {
    String stream = e.getStream();
    switch (e.getBodyCase()) {
      case TRANSPORT -> l.onTransport(stream, e.getTransport());
      case SPECTRUM -> l.onSpectrum(stream, e.getSpectrum());
      case WAVEFORM -> l.onWaveform(stream, e.getWaveform());
      case METERS -> l.onMeters(stream, e.getMeters());
      case ONSETS -> l.onOnsets(stream, e.getOnsets());
      case STEM_METERS -> l.onStemMeters(stream, e.getStemMeters());
      default -> {}
    }
  }

  @Override
  public void onControl(EventStream s, Envelope e) {
    if (e.hasError()) {
      l.onViewRefused(e.getError().getCode(), e.getError().getMessage());
    }
  }

  @Override
  public void onDisconnected(EventStream s, int code, String reason, long reconnectIn) {
    l.onDisconnected(code, reason, reconnectIn);
  }
}
