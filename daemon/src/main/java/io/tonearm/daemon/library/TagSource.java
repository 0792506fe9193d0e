package io.tonearm.daemon.library;

/**
 * The text fields of one file's tag as a reader found them, before cleaning: jaudiotagger's tag
 * ({@link JaudiotaggerTags}) or a reader of our own ({@link FlacTags}). {@link TagReader#fields}
 * maps them to {@link TagFields} the same way for every reader, so a file gives the same track
 * whichever reader read it. Used on the reading thread only.
 */
interface TagSource {
  /** The fields the library stores, by their generic meaning. */
  enum Key {
    TITLE,
    ARTIST,
    ALBUM,
    ALBUM_ARTIST,
    TRACK,
    TRACK_TOTAL,
    DISC_NO,
    DISC_TOTAL,
    YEAR,
    GENRE,
    MUSICBRAINZ_TRACK_ID,
    MUSICBRAINZ_RELEASE_TRACK_ID,
    MUSICBRAINZ_RELEASEID,
    MUSICBRAINZ_ARTISTID,
    MUSICBRAINZ_RELEASEARTISTID,
    LYRICS
  }

  /** The first value of {@code key}, uncleaned; "" when the tag has none. */
  String first(Key key);

  /**
   * The first value of a free-form field (ID3 TXXX description, Vorbis comment name, iTunes "----"
   * atom) named {@code name}, uncleaned; "" when absent.
   */
  String custom(String name);
}
