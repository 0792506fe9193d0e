package io.tonearm.daemon.playlists;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.library.Library;
import io.tonearm.daemon.library.LibraryDb;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.Playlist;
import io.tonearm.proto.v1.PlaylistChanged;
import io.tonearm.proto.v1.PlaylistImportReply;
import io.tonearm.proto.v1.PlaylistItem;
import io.tonearm.proto.v1.PlaylistList;
import io.tonearm.proto.v1.PlaylistReply;
import io.tonearm.proto.v1.PlaylistSummary;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Playlists: every change is applied on one owner thread, committed, then published on the {@code
 * playlists} topic carrying the change itself. Methods never block: they return a stage that
 * completes on the owner thread (failing with {@link DomainException} for bad input, nothing
 * applied).
 */
public final class Playlists implements AutoCloseable {
  /** Items per playlist, at most. */
  public static final int MAX_ITEMS = 10_000;

  /** Longest name, in chars. */
  public static final int MAX_NAME = 200;

  static final Pattern ID = Pattern.compile("[0-9a-f]{16}");

  private final Library library;
  private final LibraryDb db;
  private final StateLane lane;
  private final ExecutorService owner;
  private final SecureRandom random = new SecureRandom();

  /** Keeps playlists in {@code library}'s database; publishes on {@code lane}. */
  public Playlists(Library library, StateLane lane) {
    this.library = library;
    this.db = library.database();
    this.lane = lane;
    this.owner =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tonearm-playlists");
              t.setDaemon(true);
              return t;
            });
  }

  /** Runs {@code work} on the owner thread. */
  /**
   * Creates a playlist named {@code name} from an M3U or M3U8 body: entries that name a library
   * track (by path inside a music folder) become its items; the reply lists the first 100 others.
   */
  public CompletionStage<PlaylistImportReply> importM3u(String name, byte[] m3u) {
    String checked = checkName(name);
    if (m3u.length > M3u.MAX_BYTES) {
      throw new DomainException(
          DomainException.Kind.TOO_LARGE,
          "too_large",
          "M3U larger than " + M3u.MAX_BYTES + " bytes");
    }
    return onOwner(() -> M3u.parse(m3u, library.folderRoots(), db.reader()))
        .thenCompose(
            parsed ->
                create(checked, parsed.trackIds())
                    .thenApply(
                        r ->
                            PlaylistImportReply.newBuilder()
                                .setSeq(r.getSeq())
                                .setPlaylist(r.getPlaylist())
                                .addAllUnresolvedEntries(
                                    parsed
                                        .unresolved()
                                        .subList(0, Math.min(100, parsed.unresolved().size())))
                                .setUnresolvedCount(parsed.unresolved().size())
                                .build()));
  }

  /** The playlist as an extended M3U8 file (UTF-8). */
  public CompletionStage<byte[]> exportM3u(String id) {
    return get(id).thenCompose(p -> onOwner(() -> M3u.export(p, db.reader())));
  }

  <T> CompletionStage<T> onOwner(Callable<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    owner.execute(
        () -> {
          try {
            f.complete(work.call());
          } catch (Throwable e) {
            f.completeExceptionally(e);
          }
        });
    return f;
  }

  public CompletionStage<PlaylistList> list() {
    return onOwner(
        () -> PlaylistList.newBuilder().addAllPlaylists(PlaylistStore.all(db.reader())).build());
  }

  public CompletionStage<Playlist> get(String id) {
    checkId(id);
    return onOwner(() -> playlist(db.reader(), id));
  }

  public CompletionStage<PlaylistReply> create(String name, List<String> trackIds) {
    String n = checkName(name);
    checkCount(trackIds.size());
    return onOwner(
        () -> {
          String id = newId();
          List<PlaylistStore.Item> items = newItems(trackIds);
          db.write(
              c -> {
                PlaylistStore.create(c, id, n, System.currentTimeMillis());
                PlaylistStore.setItems(c, id, items, System.currentTimeMillis());
                return null;
              });
          Playlist p = playlist(db.reader(), id);
          long seq =
              publish(
                  id,
                  PlaylistChanged.newBuilder()
                      .setCreated(PlaylistChanged.Created.newBuilder().setPlaylist(p)));
          return PlaylistReply.newBuilder().setSeq(seq).setPlaylist(p).build();
        });
  }

  public CompletionStage<PlaylistReply> rename(String id, String name) {
    checkId(id);
    String n = checkName(name);
    return onOwner(
        () -> {
          summary(id);
          db.write(
              c -> {
                PlaylistStore.rename(c, id, n, System.currentTimeMillis());
                return null;
              });
          return reply(
              id,
              PlaylistChanged.newBuilder()
                  .setRenamed(PlaylistChanged.Renamed.newBuilder().setName(n)));
        });
  }

  public CompletionStage<PlaylistReply> delete(String id) {
    checkId(id);
    return onOwner(
        () -> {
          summary(id);
          db.write(
              c -> {
                PlaylistStore.delete(c, id);
                return null;
              });
          long seq =
              publish(
                  id,
                  PlaylistChanged.newBuilder()
                      .setDeleted(PlaylistChanged.Deleted.getDefaultInstance()));
          return PlaylistReply.newBuilder().setSeq(seq).build();
        });
  }

  /** Inserts tracks at {@code index} (null or past the end appends). */
  public CompletionStage<PlaylistReply> add(String id, List<String> trackIds, Integer index) {
    checkId(id);
    checkCount(trackIds.size());
    if (trackIds.isEmpty()) {
      throw DomainException.badRequest("track_ids must not be empty");
    }
    return onOwner(
        () -> {
          summary(id);
          List<PlaylistStore.Item> items = PlaylistStore.items(db.reader(), id);
          checkCount(items.size() + trackIds.size());
          List<PlaylistStore.Item> added = newItems(trackIds);
          int at = index == null || index > items.size() ? items.size() : index;
          items.addAll(at, added);
          save(id, items);
          return reply(
              id,
              PlaylistChanged.newBuilder()
                  .setInserted(
                      PlaylistChanged.Inserted.newBuilder()
                          .setIndex(at)
                          .addAllItems(withTracks(db.reader(), added))));
        });
  }

  public CompletionStage<PlaylistReply> remove(String id, List<String> itemIds) {
    checkId(id);
    if (itemIds.isEmpty() || itemIds.size() > MAX_ITEMS) {
      throw DomainException.outOfRange("item_ids count", itemIds.size(), "1 to " + MAX_ITEMS);
    }
    return onOwner(
        () -> {
          summary(id);
          List<PlaylistStore.Item> items = PlaylistStore.items(db.reader(), id);
          Set<String> present = new HashSet<>();
          items.forEach(i -> present.add(i.itemId()));
          for (String item : itemIds) {
            if (!present.contains(item)) {
              throw DomainException.notFound("playlist item", clip(item));
            }
          }
          Set<String> drop = new HashSet<>(itemIds);
          items.removeIf(i -> drop.contains(i.itemId()));
          save(id, items);
          return reply(
              id,
              PlaylistChanged.newBuilder()
                  .setRemoved(
                      PlaylistChanged.Removed.newBuilder()
                          .addAllItemIds(drop.stream().sorted().toList())));
        });
  }

  public CompletionStage<PlaylistReply> move(String id, String itemId, int toIndex) {
    checkId(id);
    return onOwner(
        () -> {
          summary(id);
          List<PlaylistStore.Item> items = PlaylistStore.items(db.reader(), id);
          int from = -1;
          for (int i = 0; i < items.size(); i++) {
            if (items.get(i).itemId().equals(itemId)) {
              from = i;
            }
          }
          if (from < 0) {
            throw DomainException.notFound("playlist item", clip(itemId));
          }
          if (toIndex < 0 || toIndex >= items.size()) {
            throw DomainException.outOfRange("to_index", toIndex, "0 to " + (items.size() - 1));
          }
          items.add(toIndex, items.remove(from));
          save(id, items);
          return reply(
              id,
              PlaylistChanged.newBuilder()
                  .setMoved(
                      PlaylistChanged.Moved.newBuilder().setItemId(itemId).setToIndex(toIndex)));
        });
  }

  public CompletionStage<PlaylistReply> clear(String id) {
    checkId(id);
    return onOwner(
        () -> {
          summary(id);
          save(id, List.of());
          return reply(
              id,
              PlaylistChanged.newBuilder()
                  .setCleared(PlaylistChanged.Cleared.getDefaultInstance()));
        });
  }

  /** Creates a playlist from already-resolved track ids (used by the M3U import). */
  CompletionStage<PlaylistReply> createResolved(String name, List<String> trackIds) {
    return create(name, trackIds);
  }

  LibraryDb db() {
    return db;
  }

  private void save(String id, List<PlaylistStore.Item> items) throws SQLException {
    db.write(
        c -> {
          PlaylistStore.setItems(c, id, items, System.currentTimeMillis());
          return null;
        });
  }

  private PlaylistReply reply(String id, PlaylistChanged.Builder change) throws SQLException {
    long seq = publish(id, change);
    return PlaylistReply.newBuilder().setSeq(seq).setPlaylist(playlist(db.reader(), id)).build();
  }

  private long publish(String id, PlaylistChanged.Builder change) throws SQLException {
    Connection c = db.reader();
    change.setPlaylistId(id);
    PlaylistStore.summary(c, id).ifPresent(change::setSummary);
    PlaylistChanged.Builder snap =
        PlaylistChanged.newBuilder()
            .setSnapshot(PlaylistList.newBuilder().addAllPlaylists(PlaylistStore.all(c)));
    return lane.publish(
        Topic.PLAYLISTS,
        Envelope.newBuilder().setPlaylists(change),
        Envelope.newBuilder().setPlaylists(snap));
  }

  /** The topic's snapshot. Blocking read. */
  public Envelope.Builder snapshot() throws SQLException {
    return Envelope.newBuilder()
        .setPlaylists(
            PlaylistChanged.newBuilder()
                .setSnapshot(
                    PlaylistList.newBuilder().addAllPlaylists(PlaylistStore.all(db.reader()))));
  }

  private PlaylistSummary summary(String id) throws SQLException {
    return PlaylistStore.summary(db.reader(), id)
        .orElseThrow(() -> DomainException.notFound("playlist", id));
  }

  private Playlist playlist(Connection c, String id) throws SQLException {
    PlaylistSummary s =
        PlaylistStore.summary(c, id).orElseThrow(() -> DomainException.notFound("playlist", id));
    return Playlist.newBuilder()
        .setSummary(s)
        .addAllItems(withTracks(c, PlaylistStore.items(c, id)))
        .build();
  }

  private static List<PlaylistItem> withTracks(Connection c, List<PlaylistStore.Item> items)
      throws SQLException {
    Map<String, LibraryTrack> byId = new HashMap<>();
    for (LibraryTrack t :
        Library.tracksById(
            c, items.stream().map(PlaylistStore.Item::trackId).distinct().toList())) {
      byId.put(t.getId(), t);
    }
    List<PlaylistItem> out = new ArrayList<>(items.size());
    for (PlaylistStore.Item i : items) {
      PlaylistItem.Builder b =
          PlaylistItem.newBuilder().setItemId(i.itemId()).setTrackId(i.trackId());
      LibraryTrack t = byId.get(i.trackId());
      if (t != null) {
        b.setTrack(t);
      }
      out.add(b.build());
    }
    return out;
  }

  /** New items for these tracks; every track must exist, or nothing is applied. */
  private List<PlaylistStore.Item> newItems(List<String> trackIds) throws SQLException {
    Connection c = db.reader();
    List<PlaylistStore.Item> out = new ArrayList<>(trackIds.size());
    Set<String> known = new HashSet<>();
    for (String t : trackIds) {
      if (!ID.matcher(t).matches()) {
        throw DomainException.notFound("track", clip(t));
      }
      if (!known.contains(t)) {
        if (Library.pathOf(c, t).isEmpty()) {
          throw DomainException.notFound("track", t);
        }
        known.add(t);
      }
      out.add(new PlaylistStore.Item(newId(), t));
    }
    return out;
  }

  private String newId() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static void checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw DomainException.notFound("playlist", id == null ? "" : clip(id));
    }
  }

  static String checkName(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
      throw DomainException.badRequest(
          "name must be 1 to " + MAX_NAME + " chars without control characters");
    }
    return n;
  }

  static void checkCount(int n) {
    if (n > MAX_ITEMS) {
      throw DomainException.outOfRange("playlist size", n, "0 to " + MAX_ITEMS);
    }
  }

  static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }

  @Override
  public void close() {
    owner.shutdown();
  }
}
