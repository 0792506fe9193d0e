/**
 * MPD's protocol over Tonearm's one player: the command table, argument and filter parsing, song
 * rendering and the idle subsystems, without Netty (the connection lives in {@code transport/mpd}).
 * Every command calls the same domain methods as the HTTP API (Player, Library, Playlists), so an
 * MPD client and a WebSocket client see one state.
 */
package io.tonearm.daemon.mpd;
