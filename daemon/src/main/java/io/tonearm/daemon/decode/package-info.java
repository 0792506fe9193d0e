/**
 * Decoders: one {@link io.tonearm.daemon.decode.Decoder} per format, turning a file into
 * interleaved float PCM, listed in {@link io.tonearm.daemon.decode.Decoders} and chosen by content
 * before extension. WAV, AIFF, FLAC, MP3, Vorbis and Opus are decoded in-process with exact lengths
 * (gapless) and sample-exact seeks; anything else goes through an ffmpeg subprocess when installed.
 * A decoder belongs to one thread; a broken file gives an IOException, never a runtime exception.
 */
package io.tonearm.daemon.decode;
