/**
 * Encoders for the network streams: FLAC (in Java), Opus in Ogg (libopus) and MP3 (libmp3lame), the
 * two libraries loaded with JNA where the system has them. Each encoder is owned by one thread (the
 * stream output's), encodes once for every listener of its format, and emits whole units (FLAC
 * frames, Ogg pages, MP3 frames) so that a listener can join between any two calls.
 */
package io.tonearm.daemon.encode;
