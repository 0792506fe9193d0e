/**
 * MPD's text protocol on its own port: the pipeline ({@link
 * io.tonearm.daemon.transport.mpd.MpdInitializer}) and the connection ({@link
 * io.tonearm.daemon.transport.mpd.MpdHandler}: greeting, command lists, idle, bounds). The commands
 * themselves are in {@code io.tonearm.daemon.mpd}.
 */
package io.tonearm.daemon.transport.mpd;
