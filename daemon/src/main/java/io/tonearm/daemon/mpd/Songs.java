package io.tonearm.daemon.mpd;

import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.Track;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Songs as MPD prints them ({@code file:}, tags, {@code Time:}, {@code duration:}, and for queued
 * songs {@code Pos:} and {@code Id:}), and the tag values filters compare. A song's URI is its path
 * relative to its music folder.
 */
final class Songs {
  private Songs() {}

  /** The tag types Tonearm's library has, in {@code tagtypes} order, lower case. */
  static final List<String> TAG_TYPES =
      List.of(
          "artist",
          "album",
          "albumartist",
          "title",
          "track",
          "genre",
          "date",
          "disc",
          "musicbrainz_artistid",
          "musicbrainz_albumid",
          "musicbrainz_albumartistid",
          "musicbrainz_trackid",
          "musicbrainz_releasetrackid");

  /** MPD's spelling of a tag type, or null when Tonearm does not have it. */
  static String display(String tag) {
    return switch (tag.toLowerCase(Locale.ROOT)) {
      case "artist" -> "Artist";
      case "album" -> "Album";
      case "albumartist" -> "AlbumArtist";
      case "title" -> "Title";
      case "track" -> "Track";
      case "genre" -> "Genre";
      case "date" -> "Date";
      case "disc" -> "Disc";
      case "musicbrainz_artistid" -> "MUSICBRAINZ_ARTISTID";
      case "musicbrainz_albumid" -> "MUSICBRAINZ_ALBUMID";
      case "musicbrainz_albumartistid" -> "MUSICBRAINZ_ALBUMARTISTID";
      case "musicbrainz_trackid" -> "MUSICBRAINZ_TRACKID";
      case "musicbrainz_releasetrackid" -> "MUSICBRAINZ_RELEASETRACKID";
      default -> null;
    };
  }

  /** Whether {@code tag} is a tag type MPD knows (Tonearm may still have no values for it). */
  static boolean known(String tag) {
    return display(tag) != null
        || switch (tag.toLowerCase(Locale.ROOT)) {
          case "artistsort",
                  "albumsort",
                  "albumartistsort",
                  "titlesort",
                  "name",
                  "composer",
                  "composersort",
                  "performer",
                  "conductor",
                  "work",
                  "movement",
                  "movementnumber",
                  "grouping",
                  "comment",
                  "label",
                  "originaldate",
                  "musicbrainz_workid" ->
              true;
          default -> false;
        };
  }

  /** MPD's spellings of {@link #TAG_TYPES}, in the same order. */
  private static final String[] DISPLAY =
      TAG_TYPES.stream().map(Songs::display).toArray(String[]::new);

  /** The value of a tag type given in lower case ("" when the song has none). */
  static String value(LibraryTrack t, String tag) {
    return switch (tag) {
      case "artist" -> t.getArtist();
      case "album" -> t.getAlbum();
      case "albumartist" -> t.getAlbumArtist();
      case "title" -> t.getTitle();
      case "track" -> t.getTrackNumber() == 0 ? "" : Integer.toString(t.getTrackNumber());
      case "disc" -> t.getDiscNumber() == 0 ? "" : Integer.toString(t.getDiscNumber());
      case "date" ->
          !t.getDate().isEmpty()
              ? t.getDate()
              : t.getYear() == 0 ? "" : Integer.toString(t.getYear());
      case "genre" -> t.getGenre();
      case "musicbrainz_artistid" -> t.getMusicbrainz().getArtistId();
      case "musicbrainz_albumid" -> t.getMusicbrainz().getReleaseId();
      case "musicbrainz_albumartistid" -> t.getMusicbrainz().getReleaseArtistId();
      case "musicbrainz_trackid" -> t.getMusicbrainz().getRecordingId();
      case "musicbrainz_releasetrackid" -> t.getMusicbrainz().getReleaseTrackId();
      case "file" -> t.getPath();
      default -> "";
    };
  }

  /**
   * The value {@code list}, {@code count ... group} and filters see: the tag's own, else its
   * fallback (AlbumArtist falls back to Artist, as MPD's {@code ApplyTagFallback} does; the sort
   * tags it also falls back for are not stored), else "" (a song without the tag, which {@code
   * list} shows as an empty value and an empty filter value matches).
   */
  static String valueOrFallback(LibraryTrack t, String tag) {
    String v = value(t, tag);
    return v.isEmpty() && tag.equals("albumartist") ? t.getArtist() : v;
  }

  /** Writes a library song: {@code file:}, {@code Last-Modified:}, its tags and its length. */
  static void write(Reply r, LibraryTrack t, Set<String> tags) {
    r.field("file", t.getPath());
    if (t.getModifiedMs() > 0) {
      r.field("Last-Modified", iso(t.getModifiedMs()));
    }
    String format = format(t);
    if (!format.isEmpty()) {
      r.field("Format", format);
    }
    for (int i = 0; i < DISPLAY.length; i++) {
      String tag = TAG_TYPES.get(i);
      if (tags.contains(tag)) {
        String v = value(t, tag);
        if (!v.isEmpty()) {
          r.field(DISPLAY[i], v);
        }
      }
    }
    if (t.getDurationMs() > 0) {
      r.field("Time", Math.round(t.getDurationMs() / 1000.0));
      r.field("duration", seconds(t.getDurationMs()));
    }
  }

  /**
   * MPD's {@code Format:} of a song, {@code RATE:BITS:CHANNELS}: the bit depth of a lossless file,
   * {@code f} for lossy codecs (Tonearm decodes them to float, as MPD's own float decoders say); ""
   * when the library does not know (a file scanned before bit depths were kept, a stem set).
   */
  static String format(LibraryTrack t) {
    if (t.getSampleRate() <= 0 || t.getChannels() <= 0) {
      return "";
    }
    String bits =
        t.getBitsPerSample() > 0
            ? Integer.toString(t.getBitsPerSample())
            : switch (t.getCodec()) {
              case "mp3", "vorbis", "opus", "aac" -> "f";
              default -> "";
            };
    return bits.isEmpty() ? "" : t.getSampleRate() + ":" + bits + ":" + t.getChannels();
  }

  /**
   * Writes a queued song: as {@link #write}, then {@code Pos:}, {@code Id:} and, when it has one
   * above 0, {@code Prio:}.
   */
  static void writeQueued(Reply r, LibraryTrack t, int pos, QueueItem item, Set<String> tags) {
    write(r, t, tags);
    r.field("Pos", pos);
    r.field("Id", item.getItemId());
    if (item.getPriority() > 0) {
      r.field("Prio", item.getPriority());
    }
  }

  /**
   * A queue item as a library song: the library's record when the item is a library track, else
   * what the queue knows (path, title, artist, album, length).
   */
  static LibraryTrack of(QueueItem item, LibraryTrack known) {
    if (known != null) {
      return known;
    }
    Track t = item.getTrack();
    return LibraryTrack.newBuilder()
        .setId(t.getTrackId())
        .setPath(t.getPath())
        .setTitle(t.getTitle())
        .setArtist(t.getArtist())
        .setAlbum(t.getAlbum())
        .setDurationMs(Math.max(0, t.getDurationMs()))
        .setSampleRate(t.getSampleRate())
        .setChannels(t.getChannels())
        .setCodec(t.getCodec())
        .build();
  }

  /** Milliseconds as seconds with three decimals ({@code 1.045}). */
  static String seconds(long ms) {
    long frac = ms % 1000;
    return ms / 1000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
  }

  static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
