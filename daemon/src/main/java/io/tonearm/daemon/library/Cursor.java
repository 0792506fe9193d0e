package io.tonearm.daemon.library;

import io.tonearm.daemon.errors.DomainException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A keyset paging position: the sort key and id of the last row of a page, base64url-encoded. The
 * next page starts strictly after it, so rows inserted or removed elsewhere never shift a page.
 */
record Cursor(String sortKey, String id) {
  /** Longest accepted cursor, in chars. */
  static final int MAX_LENGTH = 4096;

  static final Cursor START = new Cursor("", "");

  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((sortKey + '\0' + id).getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor parameter; empty or null is the start. A malformed one is a 400. */
  static Cursor decode(String s) {
    if (s == null || s.isEmpty()) {
      return START;
    }
    if (s.length() > MAX_LENGTH) {
      throw DomainException.badRequest("cursor too long");
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
      int nul = raw.lastIndexOf('\0');
      if (nul < 0) {
        throw DomainException.badRequest("malformed cursor");
      }
      return new Cursor(raw.substring(0, nul), raw.substring(nul + 1));
    } catch (IllegalArgumentException e) {
      throw DomainException.badRequest("malformed cursor");
    }
  }
}
