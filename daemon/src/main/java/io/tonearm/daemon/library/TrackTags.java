package io.tonearm.daemon.library;

/**
 * What one file's tags and audio header say. Strings are empty, never null, when unknown; numbers 0
 * ({@code bitsPerSample} is the source bit depth of lossless files, 0 for lossy ones; {@code date}
 * the date tag as written, {@code year} its year); gains and peaks {@link Double#NaN} when
 * untagged. Gains are dB relative to the -18 LUFS ReplayGain reference (R128 tags are converted on
 * reading).
 */
record TrackTags(
    String title,
    String artist,
    String album,
    String albumArtist,
    int trackNumber,
    int trackTotal,
    int discNumber,
    int discTotal,
    int year,
    String genre,
    long durationMs,
    int sampleRate,
    int channels,
    int bitRateKbps,
    String codec,
    int bitsPerSample,
    String date,
    double trackGainDb,
    double trackPeak,
    double albumGainDb,
    double albumPeak,
    String mbRecordingId,
    String mbReleaseTrackId,
    String mbReleaseId,
    String mbArtistId,
    String mbReleaseArtistId,
    String lyrics,
    String mixrampStart,
    String mixrampEnd,
    Picture picture) {

  /** These tags with another length, rate, channel count and codec (a stem set's). */
  TrackTags withAudio(long durationMs, int sampleRate, int channels, String codec) {
    return new TrackTags(
        title,
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
        0,
        codec,
        0,
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

  /** An embedded picture as found in the file; null when there is none. */
  record Picture(byte[] data, String mimeType) {}
}
