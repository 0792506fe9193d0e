/**
 * Internals of the client SDK: the Netty pipeline of one event socket, the reconnect loop, the
 * resume cursor that drops duplicates, and the backoff schedule. Not a public API: anything here
 * may change without notice.
 */
package io.tonearm.client.internal;
