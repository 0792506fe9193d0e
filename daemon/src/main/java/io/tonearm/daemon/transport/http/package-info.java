/**
 * HTTP/1.1: the gate (origin, CORS, malformed requests), ordered dispatch to API routes, health,
 * metrics and static files.
 */
package io.tonearm.daemon.transport.http;
