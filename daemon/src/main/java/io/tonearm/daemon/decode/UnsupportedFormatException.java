package io.tonearm.daemon.decode;

import java.io.IOException;

/** No decoder takes this file, or its format variant is not supported. */
public final class UnsupportedFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFormatException(String message) {
    super(message);
  }
}
