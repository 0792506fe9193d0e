/**
 * HTTP API routes without Netty: a capability registers handlers on the {@link
 * io.tonearm.daemon.api.Router}; requests arrive as {@link io.tonearm.daemon.api.ApiRequest},
 * answers leave as protobuf messages or bytes, and failures as {@link
 * io.tonearm.daemon.api.ApiException}.
 */
package io.tonearm.daemon.api;
