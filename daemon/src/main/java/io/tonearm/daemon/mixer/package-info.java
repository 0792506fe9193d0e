/**
 * The mixer's state owner, one per zone: vocal and instrumental volume and the stem strips,
 * checked, applied to the zone's engine's {@code dsp.StemMixer}, published on the zone's topic
 * "mixer" and kept in {@code mixer.pb} in the zone's state directory.
 */
package io.tonearm.daemon.mixer;
