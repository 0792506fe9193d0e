package io.tonearm.daemon.encode;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** The libopus encoder calls the Opus stream uses, through JNA; null when libopus is absent. */
final class Libopus {

  interface Api extends Library {
    Pointer opus_encoder_create(int fs, int channels, int application, IntByReference error);

    int opus_encode_float(Pointer st, Pointer pcm, int frameSize, Pointer data, int maxBytes);

    int opus_encoder_ctl(Pointer st, int request, Object... args);

    void opus_encoder_destroy(Pointer st);

    String opus_get_version_string();
  }

  static final int APPLICATION_AUDIO = 2049;
  static final int SET_BITRATE = 4002;
  static final int GET_LOOKAHEAD = 4027;

  static final Api LIB = load();

  private Libopus() {}

  private static Api load() {
    // Debian's libopus0 has only the versioned name; "opus" finds it elsewhere.
    for (String name : new String[] {"libopus.so.0", "opus"}) {
      try {
        return Native.load(name, Api.class);
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // try the next name
      }
    }
    return null;
  }
}
