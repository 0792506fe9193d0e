/**
 * Listens to what the output plays: a ring of recently played samples stamped with the time each is
 * heard, meters that integrate every sample once (EBU R128 loudness, true peak, levels), and frame
 * sources that render spectrum, waveform, meter and onset frames for the event hub at the output's
 * presentation position. Offline, it measures a file's loudness (ReplayGain 2.0) and builds
 * audiowaveform-compatible overviews.
 */
package io.tonearm.daemon.analysis;
