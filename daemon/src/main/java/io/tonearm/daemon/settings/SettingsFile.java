package io.tonearm.daemon.settings;

import io.tonearm.daemon.persist.CrcFile;
import io.tonearm.proto.v1.SavedReference;
import io.tonearm.proto.v1.SettingsState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code settings.pb} in a zone's state directory, beside the player's state: the enhancement
 * settings and the saved presets as one {@link SettingsState}; and {@code reference.pb} beside it,
 * the chosen reference and its measurements as one {@link SavedReference}. Each is followed by its
 * CRC-32 and written crash-safely ({@link CrcFile}: a temporary file, forced to disk, renamed over
 * the old one atomically, the directory forced), so a kill -9 leaves the old or the new file. A
 * missing or damaged file reads as empty. Called from the settings thread only (or at start).
 */
final class SettingsFile {

  private final Path file;
  private final Path reference;

  SettingsFile(Path dataDir) {
    this.file = dataDir.resolve("settings.pb");
    this.reference = dataDir.resolve("reference.pb");
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

  void saveReference(SavedReference r) throws IOException {
    CrcFile.write(reference, r.toByteArray());
  }

  SavedReference loadReference() {
    try {
      Optional<byte[]> body = CrcFile.read(reference, 0);
      return body.isEmpty()
          ? SavedReference.getDefaultInstance()
          : SavedReference.parseFrom(body.get());
    } catch (IOException e) {
      return SavedReference.getDefaultInstance();
    }
  }
}
