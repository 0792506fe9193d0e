/**
 * The one exception type the domain packages throw when they refuse a command. It names a kind of
 * refusal, not a protocol status: the HTTP edge, the socket and the MPD frontend each map it.
 */
package io.tonearm.daemon.errors;
