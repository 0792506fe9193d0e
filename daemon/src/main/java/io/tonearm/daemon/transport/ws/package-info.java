/**
 * The event socket: per-connection sessions with a cursor into the state history, and the
 * per-event-loop fan-out that writes each encoded event and the newest frames to every subscriber
 * with one flush per tick.
 */
package io.tonearm.daemon.transport.ws;
