/**
 * Zones: independent players in one daemon (MPD's partitions, Snapcast's groups). Each zone has its
 * own queue, playback state, outputs, ReplayGain and live analysis, and its events carry its id;
 * the library, playlists, jobs and settings are shared. {@link io.tonearm.daemon.zones.Zones}
 * makes, removes and persists them on one thread.
 */
package io.tonearm.daemon.zones;
