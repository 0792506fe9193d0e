/**
 * Topic "lyrics": the lyrics of the item being heard, sent once per item, and each line and word as
 * the output clock reaches it, stamped with the time it is heard; the per-track offset (kept in the
 * library) and the presentation settings of the zone's room. One owner per zone.
 */
package io.tonearm.daemon.lyrics;
