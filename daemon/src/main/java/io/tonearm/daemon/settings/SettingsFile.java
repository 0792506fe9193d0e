package io.tonearm.daemon.settings;

import io.tonearm.daemon.persist.CrcFile;
import io.tonearm.proto.v1.SettingsState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code settings.pb} in the data dir, beside the player's state: the enhancement settings and the
 * saved presets as one {@link SettingsState} followed by its CRC-32, written crash-safely (a
 * temporary file, forced to disk, renamed over the old one atomically, the directory forced). A
 * missing or damaged file reads as empty. Called from the settings thread only.
 */
final class SettingsFile {

  private final Path file;

  SettingsFile(Path dataDir) {
    this.file = dataDir.resolve("settings.pb");
  }

  void save(SettingsState s) throws IOException {
    CrcFile.write(file, s.toByteArray());
  }

  Optional<SettingsState> load() {
    try {
      Optional<byte[]> body = CrcFile.read(file, 0);
      return body.isEmpty() ? Optional.empty() : Optional.of(SettingsState.parseFrom(body.get()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
