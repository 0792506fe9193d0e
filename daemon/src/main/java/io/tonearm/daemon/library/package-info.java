/**
 * The music library: music folders, a parallel incremental scanner (own readers for FLAC, Ogg
 * Vorbis and Opus tags, jaudiotagger for the other formats), a SQLite store with FTS5 search and
 * keyset paging, cached artwork, a recursive file watcher, and the {@code library} event topic. The
 * only package that sees {@code org.jaudiotagger.*}. Ids are hashes of real paths and normalized
 * names, so they survive rescans and database rebuilds.
 */
package io.tonearm.daemon.library;
