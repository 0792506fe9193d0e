package io.tonearm.daemon.player;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The player's immutable settings.
 *
 * @param musicFolders directories whose files may be queued besides the catalog's folders (see
 *     {@link io.tonearm.daemon.library.TrackCatalog#folders()}); may be empty
 * @param dataDir where {@code player-state.bin} is kept
 * @param transportFps default rate of the transport frame topic, 1 to 120
 * @param saveDelayMillis how long after a change the state is saved (changes within it are saved
 *     together)
 * @param positionSaveMillis how often the position is saved while playing
 * @param outputRate the rate every output is asked to open at (items of other rates resampled), or
 *     0 to ask for each item's own rate
 * @param playSlots the slots this player takes while active, shared by every zone's player of a
 *     daemon (a player alone: its own single slot)
 */
public record PlayerConfig(
    List<Path> musicFolders,
    Path dataDir,
    int transportFps,
    long saveDelayMillis,
    long positionSaveMillis,
    int outputRate,
    PlaySlots playSlots) {

  public PlayerConfig {
    musicFolders = List.copyOf(musicFolders);
    java.util.Objects.requireNonNull(playSlots, "playSlots");
    if (transportFps < 1 || transportFps > 120) {
      throw new IllegalArgumentException("transportFps must be 1 to 120");
    }
    if (outputRate < 0) {
      throw new IllegalArgumentException("outputRate must be 0 or positive");
    }
  }

  /** Settings whose outputs follow each item's rate. */
  public PlayerConfig(
      List<Path> musicFolders,
      Path dataDir,
      int transportFps,
      long saveDelayMillis,
      long positionSaveMillis) {
    this(
        musicFolders,
        dataDir,
        transportFps,
        saveDelayMillis,
        positionSaveMillis,
        0,
        new PlaySlots(1));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PlayerConfig}; defaults: 30 fps, save 200 ms after a change, position 5 s. */
  public static final class Builder {
    private final List<Path> musicFolders = new ArrayList<>();
    private Path dataDir = Path.of(".");
    private int transportFps = 30;
    private long saveDelayMillis = 200;
    private long positionSaveMillis = 5000;
    private int outputRate;
    private PlaySlots playSlots;

    public Builder musicFolder(Path folder) {
      musicFolders.add(folder);
      return this;
    }

    public Builder musicFolders(List<Path> folders) {
      musicFolders.addAll(folders);
      return this;
    }

    public Builder dataDir(Path dir) {
      dataDir = dir;
      return this;
    }

    public Builder transportFps(int fps) {
      transportFps = fps;
      return this;
    }

    public Builder saveDelayMillis(long ms) {
      saveDelayMillis = ms;
      return this;
    }

    public Builder positionSaveMillis(long ms) {
      positionSaveMillis = ms;
      return this;
    }

    /** The rate every output is asked for; 0 (the default) follows each item. */
    public Builder outputRate(int hz) {
      outputRate = hz;
      return this;
    }

    /** The slots shared by the daemon's players; default: this player's own single slot. */
    public Builder playSlots(PlaySlots slots) {
      playSlots = slots;
      return this;
    }

    public PlayerConfig build() {
      return new PlayerConfig(
          musicFolders,
          dataDir,
          transportFps,
          saveDelayMillis,
          positionSaveMillis,
          outputRate,
          playSlots != null ? playSlots : new PlaySlots(1));
    }
  }
}
