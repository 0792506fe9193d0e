package io.tonearm.client;

import io.tonearm.proto.v1.MeterFrame;
import io.tonearm.proto.v1.OnsetFrame;
import io.tonearm.proto.v1.SpectrumFrame;
import io.tonearm.proto.v1.StemMeterFrame;
import io.tonearm.proto.v1.TransportFrame;
import io.tonearm.proto.v1.WaveformFrame;

/**
 * Receives typed frames from a {@link TonearmClient#frames} stream. Override what you subscribed
 * to; the rest do nothing. Each frame says which stream it belongs to ({@code stream}: the daemon's
 * name for one view, the same for every frame of that view) and when its audio is heard ({@code
 * presentation_us} in the frame, server wall clock).
 *
 * <p><b>Threading:</b> called on the client's event loop thread that owns the stream, one call at a
 * time, in arrival order; must not block. Frames are latest-wins: a slow listener misses frames, it
 * never delays them. An exception thrown here is logged and the stream goes on.
 */
public abstract class FrameListener {

  public void onTransport(String stream, TransportFrame frame) {}

  public void onSpectrum(String stream, SpectrumFrame frame) {}

  public void onWaveform(String stream, WaveformFrame frame) {}

  public void onMeters(String stream, MeterFrame frame) {}

  public void onOnsets(String stream, OnsetFrame frame) {}

  /** Per-stem meters: each stem's and the mix's levels and loudness (topic {@code stem_meters}). */
  public void onStemMeters(String stream, StemMeterFrame frame) {}

  /**
   * The daemon refused a view ({@code code} {@code "bad_view"}, naming the field and its limit);
   * nothing of that subscribe was applied.
   */
  public void onViewRefused(String code, String message) {}

  /** As {@link EventListener#onDisconnected}; the stream reconnects and resubscribes by itself. */
  public void onDisconnected(int closeCode, String reason, long reconnectInMillis) {}
}
