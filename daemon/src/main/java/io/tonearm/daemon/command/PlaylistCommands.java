package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.api.ApiHandler;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.playlists.Playlists;
import io.tonearm.proto.v1.AddPlaylistItemsRequest;
import io.tonearm.proto.v1.CreatePlaylistRequest;
import io.tonearm.proto.v1.MovePlaylistItemRequest;
import io.tonearm.proto.v1.PlaylistList;
import io.tonearm.proto.v1.PlaylistReply;
import io.tonearm.proto.v1.RemovePlaylistItemsRequest;
import io.tonearm.proto.v1.RenamePlaylistRequest;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Handlers of the playlist commands; M3U import and export carry bytes (HTTP only). */
final class PlaylistCommands {

  private final Playlists playlists;

  PlaylistCommands(Playlists playlists) {
    this.playlists = playlists;
  }

  CompletionStage<PlaylistList> list(Call<Empty> c) {
    return playlists.list();
  }

  CompletionStage<PlaylistReply> create(Call<CreatePlaylistRequest> c) {
    return playlists.create(c.request().getName(), c.request().getTrackIdsList());
  }

  CompletionStage<PlaylistReply> get(Call<Empty> c) {
    return playlists
        .get(c.param("id"))
        .thenApply(p -> PlaylistReply.newBuilder().setPlaylist(p).build());
  }

  CompletionStage<PlaylistReply> rename(Call<RenamePlaylistRequest> c) {
    return playlists.rename(c.param("id"), c.request().getName());
  }

  CompletionStage<PlaylistReply> delete(Call<Empty> c) {
    return playlists.delete(c.param("id"));
  }

  CompletionStage<PlaylistReply> add(Call<AddPlaylistItemsRequest> c) {
    AddPlaylistItemsRequest b = c.request();
    return playlists.add(c.param("id"), b.getTrackIdsList(), b.hasIndex() ? b.getIndex() : null);
  }

  CompletionStage<PlaylistReply> clear(Call<Empty> c) {
    return playlists.clear(c.param("id"));
  }

  CompletionStage<PlaylistReply> remove(Call<RemovePlaylistItemsRequest> c) {
    return playlists.remove(c.param("id"), c.request().getItemIdsList());
  }

  CompletionStage<PlaylistReply> move(Call<MovePlaylistItemRequest> c) {
    MovePlaylistItemRequest b = c.request();
    return playlists.move(c.param("id"), b.getItemId(), b.getToIndex());
  }

  /** {@code POST /api/v1/playlists/import?name=...} with an M3U body. */
  ApiHandler importM3u() {
    return req ->
        playlists
            .importM3u(req.queryParam("name", "Imported"), req.body())
            .thenApply(r -> new ApiResponse.Proto(201, r));
  }

  /** {@code GET /api/v1/playlists/{id}/m3u}: the playlist as an extended M3U8 file. */
  ApiHandler exportM3u() {
    return req -> {
      String id = req.param("id");
      return playlists
          .exportM3u(id)
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
    };
  }
}
