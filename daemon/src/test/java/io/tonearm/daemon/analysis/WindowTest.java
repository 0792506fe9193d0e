package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.proto.v1.SpectrumWindow;
import org.junit.jupiter.api.Test;

class WindowTest {

  @Test
  void coherentGainAndNoiseBandwidthMatchHarris1978() {
    // F. J. Harris, "On the use of windows for harmonic analysis with the DFT", Proc. IEEE 1978,
    // table 1: Hann CG 0.50, ENBW 1.50 bins; Blackman CG 0.42, ENBW 1.73; 4-term Blackman-Harris
    // (92 dB) CG 0.36, ENBW 2.00.
    Window hann = new Window(SpectrumWindow.SPECTRUM_WINDOW_HANN, 4096);
    assertEquals(0.5, hann.coherentGain, 1e-9);
    assertEquals(1.5, hann.enbw, 1e-6);
    Window blackman = new Window(SpectrumWindow.SPECTRUM_WINDOW_BLACKMAN, 4096);
    assertEquals(0.42, blackman.coherentGain, 1e-9);
    assertEquals(1.73, blackman.enbw, 0.01);
    Window bh = new Window(SpectrumWindow.SPECTRUM_WINDOW_BLACKMAN_HARRIS, 4096);
    assertEquals(0.35875, bh.coherentGain, 1e-9);
    assertEquals(2.00, bh.enbw, 0.01);
  }
}
