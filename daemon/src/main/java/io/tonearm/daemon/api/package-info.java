/**
 * The HTTP API edge without Netty: the {@link io.tonearm.daemon.api.Router} the command table is
 * mounted on, requests as {@link io.tonearm.daemon.api.ApiRequest}, answers as protobuf messages or
 * bytes, failures as {@link io.tonearm.daemon.api.ApiException}. Only the edge ({@code api}, {@code
 * command}, {@code transport}) and the wiring use these types; domains throw {@link
 * io.tonearm.daemon.errors.DomainException}.
 */
package io.tonearm.daemon.api;
