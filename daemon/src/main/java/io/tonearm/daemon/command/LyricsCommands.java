package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.lyrics.Lyrics;
import io.tonearm.proto.v1.LyricsOffsetRequest;
import io.tonearm.proto.v1.LyricsPresentationRequest;
import io.tonearm.proto.v1.LyricsReply;
import java.util.concurrent.CompletionStage;

/** Handlers of the lyrics commands: each hands the command to {@link Lyrics}. */
final class LyricsCommands {

  private final Lyrics lyrics;

  LyricsCommands(Lyrics lyrics) {
    this.lyrics = lyrics;
  }

  CompletionStage<LyricsReply> get(Call<Empty> c) {
    return lyrics.get();
  }

  CompletionStage<LyricsReply> offset(Call<LyricsOffsetRequest> c) {
    return lyrics.setOffset(c.request(), c.origin());
  }

  CompletionStage<LyricsReply> presentation(Call<LyricsPresentationRequest> c) {
    return lyrics.setPresentation(c.request(), c.origin());
  }
}
