package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.lyrics.Lyrics;
import io.tonearm.proto.v1.LyricsOffsetRequest;
import io.tonearm.proto.v1.LyricsPresentationRequest;
import io.tonearm.proto.v1.LyricsReply;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Handlers of the lyrics commands: each hands the command to its zone's {@link Lyrics}. */
final class LyricsCommands {

  private final Function<String, Lyrics> zones;

  /**
   * @param zones the lyrics of a zone that exists (resolved and checked by the runner); throws 404
   *     {@code zone_not_found} for one removed since
   */
  LyricsCommands(Function<String, Lyrics> zones) {
    this.zones = zones;
  }

  private Lyrics lyrics(Call<?> c) {
    return zones.apply(c.zone());
  }

  CompletionStage<LyricsReply> get(Call<Empty> c) {
    return lyrics(c).get();
  }

  CompletionStage<LyricsReply> offset(Call<LyricsOffsetRequest> c) {
    return lyrics(c).setOffset(c.request(), c.origin());
  }

  CompletionStage<LyricsReply> presentation(Call<LyricsPresentationRequest> c) {
    return lyrics(c).setPresentation(c.request(), c.origin());
  }
}
