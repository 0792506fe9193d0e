/**
 * The command table: every {@code /api/v1} command declared once ({@link
 * io.tonearm.daemon.command.CommandTable}), its handlers outside the domain packages, and the
 * bindings that reach it from HTTP and from the event socket. Domains expose typed methods and
 * throw {@link io.tonearm.daemon.errors.DomainException}; nothing here blocks.
 */
package io.tonearm.daemon.command;
