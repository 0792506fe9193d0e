/**
 * Playlists kept in the library's database: create, rename, delete, insert, remove, move and clear
 * items, import and export M3U. One owner thread applies every change and publishes it on the
 * {@code playlists} topic with the change itself (which items, where).
 */
package io.tonearm.daemon.playlists;
