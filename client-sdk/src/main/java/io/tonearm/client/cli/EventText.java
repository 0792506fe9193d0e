package io.tonearm.client.cli;

import io.tonearm.proto.v1.Envelope;

/** One line per event for {@code watch}: seq, topic and what changed. */
final class EventText {
  private EventText() {}

  static String describe(Envelope e) {
    String what =
        switch (e.getBodyCase()) {
          case PLAYER -> {
            var p = e.getPlayer();
            var s = p.getState();
            yield "player "
                + PlayerCommands.name(s.getState())
                + (s.hasCurrent() ? " " + title(s.getCurrent().getTrack()) : "")
                + " vol "
                + s.getVolume()
                + " ("
                + p.getCause().name().replace("CAUSE_", "").toLowerCase()
                + (p.getOrigin().getClient().isEmpty() ? "" : " by " + p.getOrigin().getClient())
                + ")";
          }
          case QUEUE ->
              "queue "
                  + e.getQueue().getChangeCase().name().toLowerCase()
                  + ", "
                  + e.getQueue().getLength()
                  + " items";
          case OUTPUTS -> "outputs " + e.getOutputs().getState().getOutputsCount() + " outputs";
          case JOBS -> {
            var j = e.getJobs();
            yield "jobs " + j.getChangeCase().name().toLowerCase();
          }
          case LIBRARY -> "library " + e.getLibrary().getChangeCase().name().toLowerCase();
          case PLAYLISTS ->
              "playlists "
                  + e.getPlaylists().getChangeCase().name().toLowerCase()
                  + " "
                  + e.getPlaylists().getPlaylistId();
          default -> e.getBodyCase().name().toLowerCase();
        };
    return "#" + e.getSeq() + " " + what;
  }

  private static String title(io.tonearm.proto.v1.Track t) {
    String title = t.getTitle().isEmpty() ? t.getPath() : t.getTitle();
    return t.getArtist().isEmpty() ? "'" + title + "'" : "'" + t.getArtist() + " - " + title + "'";
  }
}
