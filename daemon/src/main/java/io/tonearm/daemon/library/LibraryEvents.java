package io.tonearm.daemon.library;

import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.LibraryChanged;
import io.tonearm.proto.v1.LibrarySummary;
import io.tonearm.proto.v1.LibraryTrack;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes {@code library} topic events, each with the library summary as the topic snapshot.
 * Callers publish while holding the database lock, right after the commit that made the change, so
 * events leave in commit order.
 */
final class LibraryEvents {
  /** Tracks per TracksAdded/TracksUpdated event; a bigger batch is split. */
  static final int MAX_TRACKS_PER_EVENT = 500;

  private final StateLane lane;
  private final Supplier<LibrarySummary> summary;

  LibraryEvents(StateLane lane, Supplier<LibrarySummary> summary) {
    this.lane = lane;
    this.summary = summary;
  }

  long publish(LibraryChanged.Builder change) {
    LibraryChanged.Builder snap = LibraryChanged.newBuilder().setSnapshot(summary.get());
    return lane.publish(
        Topic.LIBRARY,
        Envelope.newBuilder().setLibrary(change),
        Envelope.newBuilder().setLibrary(snap));
  }

  /** The topic's snapshot envelope. */
  Envelope.Builder snapshot() {
    return Envelope.newBuilder().setLibrary(LibraryChanged.newBuilder().setSnapshot(summary.get()));
  }

  void tracksAdded(List<LibraryTrack> tracks) {
    for (int i = 0; i < tracks.size(); i += MAX_TRACKS_PER_EVENT) {
      List<LibraryTrack> part =
          tracks.subList(i, Math.min(tracks.size(), i + MAX_TRACKS_PER_EVENT));
      publish(
          LibraryChanged.newBuilder()
              .setTracksAdded(LibraryChanged.TracksAdded.newBuilder().addAllTracks(part)));
    }
  }

  void tracksUpdated(List<LibraryTrack> tracks) {
    for (int i = 0; i < tracks.size(); i += MAX_TRACKS_PER_EVENT) {
      List<LibraryTrack> part =
          tracks.subList(i, Math.min(tracks.size(), i + MAX_TRACKS_PER_EVENT));
      publish(
          LibraryChanged.newBuilder()
              .setTracksUpdated(LibraryChanged.TracksUpdated.newBuilder().addAllTracks(part)));
    }
  }

  void tracksRemoved(List<String> ids) {
    for (int i = 0; i < ids.size(); i += MAX_TRACKS_PER_EVENT * 10) {
      List<String> part = ids.subList(i, Math.min(ids.size(), i + MAX_TRACKS_PER_EVENT * 10));
      publish(
          LibraryChanged.newBuilder()
              .setTracksRemoved(LibraryChanged.TracksRemoved.newBuilder().addAllTrackIds(part)));
    }
  }

  void artworkRemoved(List<String> ids) {
    for (String id : ids) {
      publish(
          LibraryChanged.newBuilder()
              .setArtworkRemoved(LibraryChanged.ArtworkRemoved.newBuilder().setArtworkId(id)));
    }
  }

  void artworkExtracted(ArtworkCache.Art art) {
    publish(
        LibraryChanged.newBuilder()
            .setArtworkExtracted(
                LibraryChanged.ArtworkExtracted.newBuilder()
                    .setArtworkId(art.id())
                    .setMimeType(art.mimeType())
                    .setSizeBytes(art.size())));
  }

  void scanError(String jobId, String folderId, String relPath, String error) {
    publish(
        LibraryChanged.newBuilder()
            .setScanError(
                LibraryChanged.ScanError.newBuilder()
                    .setJobId(jobId)
                    .setFolderId(folderId)
                    .setPath(relPath)
                    .setError(error)));
  }
}
