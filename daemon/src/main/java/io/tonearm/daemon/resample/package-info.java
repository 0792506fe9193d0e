/**
 * Sample-rate conversion: a polyphase windowed-sinc {@link io.tonearm.daemon.resample.Resampler}
 * that depends on nothing else in the daemon, so that the decoders (stems at another rate), the
 * engine (outputs at a fixed rate) and the encoders (Opus at 48 kHz) can all use it without a
 * package cycle.
 */
package io.tonearm.daemon.resample;
