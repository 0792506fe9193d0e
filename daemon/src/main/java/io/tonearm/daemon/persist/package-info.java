/**
 * Crash-safe storage of small files the daemon replaces whole (player state, settings): written
 * beside, forced, renamed atomically, checked by CRC on reading. Depends on nothing of the daemon.
 */
package io.tonearm.daemon.persist;
