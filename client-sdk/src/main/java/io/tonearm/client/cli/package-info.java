/**
 * The {@code tonearm} command-line client, built on the SDK: {@link io.tonearm.client.cli.Cli}
 * parses the global options and runs one command; each command class covers one capability (player,
 * queue, library, playlists, outputs, live streams). Exit codes: 0 ok, 1 the daemon refused, 2
 * usage, 3 daemon unreachable.
 */
package io.tonearm.client.cli;
