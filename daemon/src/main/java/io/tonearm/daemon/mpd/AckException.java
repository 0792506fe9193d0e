package io.tonearm.daemon.mpd;

/**
 * A failed command, answered as {@code ACK [code@index] {command} message}. The codes are MPD's
 * ({@code src/protocol/Ack.hxx}).
 */
public final class AckException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public static final int NOT_LIST = 1;
  public static final int ARG = 2;
  public static final int PASSWORD = 3;
  public static final int PERMISSION = 4;
  public static final int UNKNOWN = 5;
  public static final int NO_EXIST = 50;
  public static final int PLAYLIST_MAX = 51;
  public static final int SYSTEM = 52;
  public static final int PLAYLIST_LOAD = 53;
  public static final int UPDATE_ALREADY = 54;
  public static final int PLAYER_SYNC = 55;
  public static final int EXIST = 56;

  private final int code;

  public AckException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static AckException arg(String message) {
    return new AckException(ARG, message);
  }

  public static AckException noExist(String message) {
    return new AckException(NO_EXIST, message);
  }
}
