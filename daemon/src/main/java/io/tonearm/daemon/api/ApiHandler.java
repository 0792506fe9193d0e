package io.tonearm.daemon.api;

import java.util.concurrent.CompletionStage;

/**
 * Handles one API route. Called on a Netty event loop: must not block. Work that blocks or that
 * belongs to a state owner is handed to that owner, and the returned stage completes when it is
 * done. Throwing {@link ApiException} (directly or through the stage) answers with that error.
 */
@FunctionalInterface
public interface ApiHandler {
  CompletionStage<ApiResponse> handle(ApiRequest request);
}
