package io.tonearm.client;

import io.tonearm.proto.v1.AddPlaylistItemsRequest;
import io.tonearm.proto.v1.CreatePlaylistRequest;
import io.tonearm.proto.v1.MovePlaylistItemRequest;
import io.tonearm.proto.v1.PlaylistImportReply;
import io.tonearm.proto.v1.PlaylistList;
import io.tonearm.proto.v1.PlaylistReply;
import io.tonearm.proto.v1.RemovePlaylistItemsRequest;
import io.tonearm.proto.v1.RenamePlaylistRequest;
import java.util.List;
import java.util.Objects;

/**
 * Stored playlists ({@code /api/v1/playlists}) and M3U import and export. Names are 1 to 200
 * characters, at most 10,000 items per playlist. Immutable and thread-safe; get it from {@link
 * TonearmClient#playlists()}.
 */
public final class PlaylistCalls {

  private static final String BASE = "/api/v1/playlists";
  private final Requests r;

  PlaylistCalls(Requests r) {
    this.r = r;
  }

  public Call<PlaylistList> list() {
    return r.get(BASE, PlaylistList.parser());
  }

  /** One playlist with its items. */
  public Call<PlaylistReply> get(String playlistId) {
    return r.get(path(playlistId), PlaylistReply.parser());
  }

  public Call<PlaylistReply> create(String name, List<String> trackIds) {
    Requests.ids("trackIds", trackIds);
    return r.send(
        "POST",
        BASE,
        CreatePlaylistRequest.newBuilder().setName(name(name)).addAllTrackIds(trackIds).build(),
        PlaylistReply.parser());
  }

  public Call<PlaylistReply> rename(String playlistId, String name) {
    return r.send(
        "PUT",
        path(playlistId),
        RenamePlaylistRequest.newBuilder().setName(name(name)).build(),
        PlaylistReply.parser());
  }

  public Call<PlaylistReply> delete(String playlistId) {
    return r.send("DELETE", path(playlistId), null, PlaylistReply.parser());
  }

  /** Adds tracks at {@code index}, or at the end when index is null. */
  public Call<PlaylistReply> add(String playlistId, List<String> trackIds, Integer index) {
    Requests.ids("trackIds", trackIds);
    AddPlaylistItemsRequest.Builder b =
        AddPlaylistItemsRequest.newBuilder().addAllTrackIds(trackIds);
    if (index != null) {
      b.setIndex(Requests.range("index", index, 0, Integer.MAX_VALUE));
    }
    return r.send("POST", path(playlistId) + "/items", b.build(), PlaylistReply.parser());
  }

  public Call<PlaylistReply> clear(String playlistId) {
    return r.send("DELETE", path(playlistId) + "/items", null, PlaylistReply.parser());
  }

  public Call<PlaylistReply> remove(String playlistId, List<String> itemIds) {
    Requests.ids("itemIds", itemIds);
    return r.send(
        "POST",
        path(playlistId) + "/items/remove",
        RemovePlaylistItemsRequest.newBuilder().addAllItemIds(itemIds).build(),
        PlaylistReply.parser());
  }

  public Call<PlaylistReply> move(String playlistId, String itemId, int toIndex) {
    return r.send(
        "POST",
        path(playlistId) + "/items/move",
        MovePlaylistItemRequest.newBuilder()
            .setItemId(Requests.id("itemId", itemId))
            .setToIndex(Requests.range("toIndex", toIndex, 0, Integer.MAX_VALUE))
            .build(),
        PlaylistReply.parser());
  }

  /**
   * Creates a playlist from an M3U/M3U8 body (at most 1 MiB); the reply lists what did not resolve.
   */
  public Call<PlaylistImportReply> importM3u(String name, byte[] m3u) {
    Objects.requireNonNull(m3u, "m3u");
    if (m3u.length > 1 << 20) {
      throw new IllegalArgumentException("M3U larger than 1 MiB");
    }
    StringBuilder p = new StringBuilder(BASE + "/import");
    Requests.query(p, "name", name(name));
    return new Call<>(
        () ->
            r.bytes("POST", p.toString(), m3u, "audio/x-mpegurl")
                .async()
                .thenApply(
                    b -> {
                      try {
                        return PlaylistImportReply.parseFrom(b);
                      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new TonearmException("malformed import reply", e);
                      }
                    }));
  }

  /** The playlist as M3U8 text (UTF-8). */
  public Call<byte[]> m3u(String playlistId) {
    return r.bytes("GET", path(playlistId) + "/m3u", null, null);
  }

  private static String path(String playlistId) {
    return BASE + "/" + Requests.enc(Requests.id("playlistId", playlistId));
  }

  private static String name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("playlist name must be 1 to 200 characters");
    }
    return name;
  }
}
