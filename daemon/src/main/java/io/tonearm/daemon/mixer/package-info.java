/**
 * The mixer's state owner: vocal and instrumental volume and the stem strips, checked, applied to
 * the engine's {@code dsp.StemMixer}, published on topic "mixer" and kept in {@code mixer.pb}.
 */
package io.tonearm.daemon.mixer;
