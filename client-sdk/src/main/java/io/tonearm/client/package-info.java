/**
 * The Tonearm Java client: a shared {@link io.tonearm.client.TonearmClient} that opens resumable
 * event streams to the daemon's {@code /ws} socket. A stream reconnects by itself and delivers
 * every state event exactly once and in order, or a fresh snapshot when the daemon could not replay
 * what was missed. Everything outside this package is internal.
 */
package io.tonearm.client;
