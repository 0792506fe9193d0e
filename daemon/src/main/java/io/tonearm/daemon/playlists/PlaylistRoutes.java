package io.tonearm.daemon.playlists;

import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.library.Library;
import io.tonearm.proto.v1.AddPlaylistItemsRequest;
import io.tonearm.proto.v1.CreatePlaylistRequest;
import io.tonearm.proto.v1.MovePlaylistItemRequest;
import io.tonearm.proto.v1.PlaylistImportReply;
import io.tonearm.proto.v1.PlaylistReply;
import io.tonearm.proto.v1.RemovePlaylistItemsRequest;
import io.tonearm.proto.v1.RenamePlaylistRequest;
import java.util.Map;

/** The playlist routes under {@code /api/v1/playlists}. */
public final class PlaylistRoutes {
  private PlaylistRoutes() {}

  /** Adds every playlist route to {@code router}. */
  public static void register(Router router, Playlists playlists, Library library) {
    String base = "/api/v1/playlists";
    router.get(base, req -> playlists.list().thenApply(ApiResponse::ok));
    router.post(
        base,
        req -> {
          CreatePlaylistRequest b = req.parse(CreatePlaylistRequest.newBuilder()).build();
          return playlists
              .create(b.getName(), b.getTrackIdsList())
              .thenApply(r -> new ApiResponse.Proto(201, r));
        });
    router.post(
        base + "/import",
        req -> {
          String name = Playlists.checkName(req.queryParam("name", "Imported"));
          if (req.body().length > M3u.MAX_BYTES) {
            throw new ApiException(413, "too_large", "M3U larger than " + M3u.MAX_BYTES + " bytes");
          }
          byte[] body = req.body();
          return playlists
              .onOwner(() -> M3u.parse(body, library.folderRoots(), playlists.db().reader()))
              .thenCompose(
                  parsed ->
                      playlists
                          .create(name, parsed.trackIds())
                          .thenApply(
                              r ->
                                  new ApiResponse.Proto(
                                      201,
                                      PlaylistImportReply.newBuilder()
                                          .setSeq(r.getSeq())
                                          .setPlaylist(r.getPlaylist())
                                          .addAllUnresolvedEntries(
                                              parsed
                                                  .unresolved()
                                                  .subList(
                                                      0, Math.min(100, parsed.unresolved().size())))
                                          .setUnresolvedCount(parsed.unresolved().size())
                                          .build())));
        });
    router.get(
        base + "/{id}",
        req ->
            playlists
                .get(req.param("id"))
                .thenApply(p -> ApiResponse.ok(PlaylistReply.newBuilder().setPlaylist(p).build())));
    router.put(
        base + "/{id}",
        req ->
            playlists
                .rename(req.param("id"), req.parse(RenamePlaylistRequest.newBuilder()).getName())
                .thenApply(ApiResponse::ok));
    router.delete(
        base + "/{id}", req -> playlists.delete(req.param("id")).thenApply(ApiResponse::ok));
    router.post(
        base + "/{id}/items",
        req -> {
          AddPlaylistItemsRequest b = req.parse(AddPlaylistItemsRequest.newBuilder()).build();
          Integer index = b.hasIndex() ? b.getIndex() : null;
          return playlists
              .add(req.param("id"), b.getTrackIdsList(), index)
              .thenApply(ApiResponse::ok);
        });
    router.delete(
        base + "/{id}/items", req -> playlists.clear(req.param("id")).thenApply(ApiResponse::ok));
    router.post(
        base + "/{id}/items/remove",
        req ->
            playlists
                .remove(
                    req.param("id"),
                    req.parse(RemovePlaylistItemsRequest.newBuilder()).getItemIdsList())
                .thenApply(ApiResponse::ok));
    router.post(
        base + "/{id}/items/move",
        req -> {
          MovePlaylistItemRequest b = req.parse(MovePlaylistItemRequest.newBuilder()).build();
          return playlists
              .move(req.param("id"), b.getItemId(), b.getToIndex())
              .thenApply(ApiResponse::ok);
        });
    router.get(
        base + "/{id}/m3u",
        req -> {
          String id = req.param("id");
          return playlists
              .get(id)
              .thenCompose(p -> playlists.onOwner(() -> M3u.export(p, playlists.db().reader())))
              .thenApply(
                  bytes ->
                      ApiResponse.bytes(
                          "audio/x-mpegurl; charset=utf-8",
                          bytes,
                          Map.of(
                              "Content-Disposition",
                              "attachment; filename=\"" + id + ".m3u8\"",
                              "Cache-Control",
                              "no-cache")));
        });
  }
}
