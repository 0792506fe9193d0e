package io.tonearm.daemon.library;

import java.util.Locale;

/**
 * Collects tag values while a reader walks a file, cleaning them (control characters dropped,
 * lengths bounded), then builds a {@link TrackTags}. Also knows the Vorbis comment names, which
 * Opus files use and which FLAC and Ogg files share.
 */
final class TagFields {
  /** Longest kept text tag, in chars; longer values are cut. */
  static final int MAX_TEXT = 1024;

  /** Longest kept lyrics, in chars. */
  static final int MAX_LYRICS = 64 * 1024;

  String title = "";
  String artist = "";
  String album = "";
  String albumArtist = "";
  int trackNumber;
  int trackTotal;
  int discNumber;
  int discTotal;
  int year;
  String genre = "";
  long durationMs;
  int sampleRate;
  int channels;
  int bitRateKbps;
  String codec = "";
  int bitsPerSample;
  String date = "";
  double trackGainDb = Double.NaN;
  double trackPeak = Double.NaN;
  double albumGainDb = Double.NaN;
  double albumPeak = Double.NaN;
  String mbRecordingId = "";
  String mbReleaseTrackId = "";
  String mbReleaseId = "";
  String mbArtistId = "";
  String mbReleaseArtistId = "";
  String lyrics = "";
  String mixrampStart = "";
  String mixrampEnd = "";
  TrackTags.Picture picture;

  /** Applies one Vorbis comment ({@code NAME=value}); the first value of a name wins. */
  void vorbis(String name, String value) {
    switch (name.toUpperCase(Locale.ROOT)) {
      case "TITLE" -> title = first(title, value);
      case "ARTIST" -> artist = first(artist, value);
      case "ALBUM" -> album = first(album, value);
      case "ALBUMARTIST", "ALBUM ARTIST" -> albumArtist = first(albumArtist, value);
      case "TRACKNUMBER" -> {
        if (trackNumber == 0) {
          trackNumber = number(value);
          trackTotal = trackTotal == 0 ? total(value) : trackTotal;
        }
      }
      case "TRACKTOTAL", "TOTALTRACKS" -> trackTotal = trackTotal == 0 ? number(value) : trackTotal;
      case "DISCNUMBER" -> {
        if (discNumber == 0) {
          discNumber = number(value);
          discTotal = discTotal == 0 ? total(value) : discTotal;
        }
      }
      case "DISCTOTAL", "TOTALDISCS" -> discTotal = discTotal == 0 ? number(value) : discTotal;
      case "DATE", "YEAR" -> date(value);
      case "GENRE" -> genre = first(genre, value);
      case "REPLAYGAIN_TRACK_GAIN" -> trackGainDb = gain(trackGainDb, value);
      case "REPLAYGAIN_TRACK_PEAK" -> trackPeak = gain(trackPeak, value);
      case "REPLAYGAIN_ALBUM_GAIN" -> albumGainDb = gain(albumGainDb, value);
      case "REPLAYGAIN_ALBUM_PEAK" -> albumPeak = gain(albumPeak, value);
      case "R128_TRACK_GAIN" -> trackGainDb = r128(trackGainDb, value);
      case "R128_ALBUM_GAIN" -> albumGainDb = r128(albumGainDb, value);
      case "MUSICBRAINZ_TRACKID" -> mbRecordingId = first(mbRecordingId, value);
      case "MUSICBRAINZ_RELEASETRACKID" -> mbReleaseTrackId = first(mbReleaseTrackId, value);
      case "MUSICBRAINZ_ALBUMID" -> mbReleaseId = first(mbReleaseId, value);
      case "MUSICBRAINZ_ARTISTID" -> mbArtistId = first(mbArtistId, value);
      case "MUSICBRAINZ_ALBUMARTISTID" -> mbReleaseArtistId = first(mbReleaseArtistId, value);
      case "MIXRAMP_START" -> mixrampStart = first(mixrampStart, clean(value, MAX_TEXT));
      case "MIXRAMP_END" -> mixrampEnd = first(mixrampEnd, clean(value, MAX_TEXT));
      case "LYRICS", "UNSYNCEDLYRICS" ->
          lyrics = lyrics.isEmpty() ? clean(value, MAX_LYRICS) : lyrics;
      default -> {}
    }
  }

  TrackTags build(String fallbackTitle) {
    return new TrackTags(
        title.isEmpty() ? clean(fallbackTitle, MAX_TEXT) : title,
        artist,
        album,
        albumArtist,
        trackNumber,
        trackTotal,
        discNumber,
        discTotal,
        year,
        genre,
        durationMs,
        sampleRate,
        channels,
        bitRateKbps,
        codec,
        bitsPerSample,
        date,
        trackGainDb,
        trackPeak,
        albumGainDb,
        albumPeak,
        mbRecordingId,
        mbReleaseTrackId,
        mbReleaseId,
        mbArtistId,
        mbReleaseArtistId,
        lyrics,
        mixrampStart,
        mixrampEnd,
        picture);
  }

  /** A date tag ("1982-07-22", "1982"...): the first one kept as written, and its year. */
  void date(String value) {
    if (date.isEmpty()) {
      date = clean(value, 64);
      year = year == 0 ? number(value) : year;
    }
  }

  static String first(String current, String value) {
    return current.isEmpty() ? clean(value, MAX_TEXT) : current;
  }

  /** Drops control characters (NUL, BOMs left by broken encoders) and cuts to {@code max}. */
  static String clean(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      if (c == '\uFEFF' || (Character.isISOControl(c) && c != '\n' && c != '\t')) {
        continue;
      }
      b.append(c);
    }
    if (b.length() > 0 && Character.isHighSurrogate(b.charAt(b.length() - 1))) {
      b.setLength(b.length() - 1);
    }
    return b.toString().strip();
  }

  /** The leading number of "3", "3/12", "2004-05-01"; 0 when there is none or it is absurd. */
  static int number(String s) {
    if (s == null) {
      return 0;
    }
    String t = s.strip();
    int end = 0;
    while (end < t.length() && end < 9 && Character.isDigit(t.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(t.substring(0, end));
  }

  /** The total of "3/12"; 0 when absent. */
  static int total(String s) {
    int slash = s == null ? -1 : s.indexOf('/');
    return slash < 0 ? 0 : number(s.substring(slash + 1));
  }

  /** A ReplayGain value such as "-6.52 dB" or "0.988547"; keeps {@code current} when set. */
  static double gain(double current, String s) {
    if (!Double.isNaN(current) || s == null) {
      return current;
    }
    String t = s.strip();
    int end = 0;
    while (end < t.length() && "+-.0123456789".indexOf(t.charAt(end)) >= 0) {
      end++;
    }
    try {
      double v = Double.parseDouble(t.substring(0, end));
      return Double.isFinite(v) && Math.abs(v) < 100 ? v : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * An Opus R128 gain (RFC 7845 section 5.2.1: a Q7.8 integer in dB relative to -23 LUFS),
   * converted to the ReplayGain reference of -18 LUFS, which is 5 dB louder.
   */
  static double r128(double current, String s) {
    if (!Double.isNaN(current) || s == null) {
      return current;
    }
    try {
      int q78 = Integer.parseInt(s.strip());
      if (q78 < Short.MIN_VALUE || q78 > Short.MAX_VALUE) {
        return Double.NaN;
      }
      return q78 / 256.0 + 5.0;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
