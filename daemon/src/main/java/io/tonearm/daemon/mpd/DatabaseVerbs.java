package io.tonearm.daemon.mpd;

import io.tonearm.daemon.library.LibraryBrowser;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.PlaylistSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The database: browsing by directory ({@code lsinfo}, {@code listall}, {@code listallinfo}),
 * filtered queries ({@code find}, {@code search}, {@code list}, {@code count}), adding their
 * results, scans ({@code update}, {@code rescan}) and cover pictures in chunks ({@code albumart},
 * {@code readpicture}).
 */
final class DatabaseVerbs {
  private DatabaseVerbs() {}

  static void register(MpdService.Shared s) {
    s.table()
        .add("lsinfo", 0, 1, s.scopeOf("library.directory"), c -> lsinfo(s, c))
        .add(
            "listall",
            0,
            1,
            s.scopeOf("library.tracks"),
            c -> s.index().tree().thenAccept(t -> listAll(t, c, false)))
        .add(
            "listallinfo",
            0,
            1,
            s.scopeOf("library.tracks"),
            c -> s.index().tree().thenAccept(t -> listAll(t, c, true)))
        .add("find", 1, -1, s.scopeOf("library.tracks"), c -> find(s, c, false, false))
        .add("search", 1, -1, s.scopeOf("library.tracks"), c -> find(s, c, true, false))
        .add("findadd", 1, -1, s.scopeOf("queue.append"), c -> find(s, c, false, true))
        .add("searchadd", 1, -1, s.scopeOf("queue.append"), c -> find(s, c, true, true))
        .add(
            "list",
            1,
            -1,
            s.scopeOf("library.tracks"),
            c -> s.index().tree().thenAccept(t -> list(t, c)))
        .add(
            "count",
            1,
            -1,
            s.scopeOf("library.tracks"),
            c -> s.index().tree().thenAccept(t -> count(t, c)))
        .add("update", 0, 1, s.scopeOf("library.scan"), c -> update(s, c, false))
        .add("rescan", 0, 1, s.scopeOf("library.scan"), c -> update(s, c, true))
        .add("albumart", 2, 2, s.scopeOf("library.track_artwork"), c -> picture(s, c, false))
        .add("readpicture", 2, 2, s.scopeOf("library.track_artwork"), c -> picture(s, c, true));
  }

  /**
   * The files a URI names: itself when it is a song, every song under it when it is a directory
   * ({@code ""} or {@code "/"} for all), else the URI as given (a file outside the library, which
   * the player resolves or refuses).
   */
  static List<String> resolve(TrackIndex.Tree tree, String uri, boolean directories) {
    String u = strip(uri);
    if (tree.byUri().containsKey(u)) {
      return List.of(u);
    }
    if (tree.dirs().containsKey(u)) {
      if (!directories) {
        throw AckException.arg("Cannot add a directory with addid");
      }
      List<String> out = new ArrayList<>();
      for (LibraryTrack t : tree.under(u)) {
        out.add(t.getPath());
      }
      return out;
    }
    if (u.isEmpty() || u.contains("://")) {
      throw AckException.noExist("Not found");
    }
    return List.of(u);
  }

  static String strip(String uri) {
    String u = uri;
    while (u.startsWith("/")) {
      u = u.substring(1);
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  private static CompletionStage<Void> lsinfo(MpdService.Shared s, Verb c) {
    String uri = c.has(0) ? strip(c.arg(0)) : "";
    return s.index()
        .tree()
        .thenCompose(
            t -> {
              LibraryTrack song = t.byUri().get(uri);
              if (song != null) {
                Songs.write(c.reply(), song, c.session().tags());
                return CompletableFuture.completedFuture(null);
              }
              TrackIndex.Dir d = t.dirs().get(uri);
              if (d == null) {
                throw AckException.noExist("No such directory");
              }
              for (String sub : d.dirs()) {
                directory(c, t, sub, true);
              }
              for (LibraryTrack song2 : d.songs()) {
                Songs.write(c.reply(), song2, c.session().tags());
              }
              if (!uri.isEmpty()) {
                return CompletableFuture.completedFuture(null);
              }
              return s.playlists()
                  .list()
                  .thenAccept(
                      l -> {
                        for (PlaylistSummary p : l.getPlaylistsList()) {
                          c.reply().field("playlist", p.getName());
                          c.reply().field("Last-Modified", Songs.iso(p.getModifiedMs()));
                        }
                      });
            });
  }

  private static void listAll(TrackIndex.Tree t, Verb c, boolean info) {
    String uri = c.has(0) ? strip(c.arg(0)) : "";
    LibraryTrack song = t.byUri().get(uri);
    if (song != null) {
      writeSong(c, song, info);
      return;
    }
    if (!t.dirs().containsKey(uri)) {
      throw AckException.noExist("No such directory");
    }
    if (!uri.isEmpty()) {
      directory(c, t, uri, info); // MPD's recursive walk names its base first
    }
    walk(t, uri, c, info);
  }

  private static void walk(TrackIndex.Tree t, String uri, Verb c, boolean info) {
    TrackIndex.Dir d = t.dirs().get(uri);
    boolean cached = info && c.session().tags().size() == Songs.TAG_TYPES.size();
    for (int i = 0; i < d.songs().size(); i++) {
      if (cached) {
        c.reply().raw(d.rendered().get(i));
      } else {
        writeSong(c, d.songs().get(i), info);
      }
    }
    for (String sub : d.dirs()) {
      directory(c, t, sub, info);
      walk(t, sub, c, info);
    }
  }

  /**
   * A directory's line, and with {@code full} (lsinfo, listallinfo) its {@code Last-Modified} when
   * known, as MPD's full directory print.
   */
  private static void directory(Verb c, TrackIndex.Tree t, String dir, boolean full) {
    c.reply().field("directory", dir);
    long ms = t.modifiedMs(dir);
    if (full && ms > 0) {
      c.reply().field("Last-Modified", Songs.iso(ms));
    }
  }

  private static void writeSong(Verb c, LibraryTrack song, boolean info) {
    if (info) {
      Songs.write(c.reply(), song, c.session().tags());
    } else {
      c.reply().field("file", song.getPath());
    }
  }

  /** A filter and the options after it: {@code sort TYPE}, {@code window A:B}, {@code position}. */
  private record Query(Filter filter, String sort, Args.Range window, String position) {
    static Query parse(List<String> args, boolean foldCase) {
      int end = args.size();
      String sort = null;
      Args.Range window = null;
      String position = null;
      while (end >= 2) {
        String key = args.get(end - 2);
        if (key.equals("sort")) {
          sort = args.get(end - 1);
        } else if (key.equals("window")) {
          window = Args.range(args.get(end - 1));
        } else if (key.equals("position")) {
          position = args.get(end - 1);
        } else {
          break;
        }
        end -= 2;
      }
      return new Query(Filter.parse(args.subList(0, end), foldCase), sort, window, position);
    }
  }

  private static CompletionStage<Void> find(
      MpdService.Shared s, Verb c, boolean foldCase, boolean add) {
    Query q = Query.parse(c.args(), foldCase);
    return s.index()
        .tree()
        .thenCompose(
            t -> {
              List<LibraryTrack> hits = new ArrayList<>();
              for (LibraryTrack song : t.tracks()) {
                if (q.filter().test(song)) {
                  hits.add(song);
                }
              }
              if (q.sort() != null) {
                boolean desc = q.sort().startsWith("-");
                String tag = (desc ? q.sort().substring(1) : q.sort()).toLowerCase(Locale.ROOT);
                if (!tag.equalsIgnoreCase("last-modified") && Songs.display(tag) == null) {
                  throw AckException.arg("Unknown sort tag: " + tag);
                }
                Comparator<LibraryTrack> by =
                    tag.equalsIgnoreCase("last-modified")
                        ? Comparator.comparingLong(LibraryTrack::getModifiedMs)
                        : Comparator.comparing(x -> Songs.value(x, tag));
                hits.sort(desc ? by.reversed() : by);
              }
              if (q.window() != null) {
                Args.Range w = q.window().clip(hits.size());
                hits = hits.subList(w.start(), w.end());
              }
              if (!add) {
                for (LibraryTrack song : hits) {
                  Songs.write(c.reply(), song, c.session().tags());
                }
                return CompletableFuture.completedFuture(null);
              }
              List<String> paths = new ArrayList<>();
              for (LibraryTrack song : hits) {
                paths.add(song.getPath());
              }
              if (paths.isEmpty()) {
                return CompletableFuture.completedFuture(null);
              }
              if (q.position() != null) {
                int at = Args.unsigned(q.position());
                return PlaybackVerbs.done(s.player().insert(at, paths, List.of(), c.origin()));
              }
              return PlaybackVerbs.done(s.player().append(paths, List.of(), c.origin()));
            });
  }

  /**
   * {@code list TYPE [FILTER] [group G]...}: the values of TYPE (with their fallbacks, and "" for
   * songs that have none, as MPD lists them), under the values of each group tag, sorted.
   */
  private static void list(TrackIndex.Tree t, Verb c) {
    String type = c.arg(0).toLowerCase(Locale.ROOT);
    if (type.equals("filename")) {
      type = "file"; // MPD's older name for it
    }
    if (!type.equals("file") && Songs.display(type) == null) {
      if (Songs.known(type)) {
        return; // a tag Tonearm's library does not store: no values
      }
      throw AckException.arg("Unknown tag type: " + c.arg(0));
    }
    List<String> rest = new ArrayList<>(c.args().subList(1, c.args().size()));
    List<String> groups = new ArrayList<>();
    while (rest.size() >= 2 && rest.get(rest.size() - 2).equals("group")) {
      String g = rest.get(rest.size() - 1).toLowerCase(Locale.ROOT);
      if (Songs.display(g) == null) {
        throw AckException.arg("Unknown group tag: " + g);
      }
      groups.add(0, g);
      rest = rest.subList(0, rest.size() - 2);
    }
    Filter f;
    if (rest.isEmpty()) {
      f = Filter.ALL;
    } else if (rest.size() == 1 && !rest.get(0).startsWith("(")) {
      if (!type.equals("album")) {
        throw AckException.arg("should be \"Album\" for 3 arguments");
      }
      f = Filter.parse(List.of("artist", rest.get(0)), false);
    } else {
      f = Filter.parse(rest, false);
    }
    // group values (outer first) -> values of type
    TreeMap<List<String>, TreeSet<String>> out = new TreeMap<>(DatabaseVerbs::compareLists);
    for (LibraryTrack song : t.tracks()) {
      if (!f.test(song)) {
        continue;
      }
      List<String> key = new ArrayList<>();
      for (String g : groups) {
        key.add(Songs.valueOrFallback(song, g));
      }
      String v = type.equals("file") ? song.getPath() : Songs.valueOrFallback(song, type);
      out.computeIfAbsent(key, k -> new TreeSet<>()).add(v);
    }
    String name = type.equals("file") ? "file" : Songs.display(type);
    List<String> last = null;
    for (Map.Entry<List<String>, TreeSet<String>> e : out.entrySet()) {
      for (int i = 0; i < groups.size(); i++) {
        if (last == null || !last.subList(0, i + 1).equals(e.getKey().subList(0, i + 1))) {
          c.reply().field(Songs.display(groups.get(i)), e.getKey().get(i));
        }
      }
      last = e.getKey();
      for (String v : e.getValue()) {
        c.reply().field(name, v);
      }
    }
  }

  private static int compareLists(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int x = a.get(i).compareTo(b.get(i));
      if (x != 0) {
        return x;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static void count(TrackIndex.Tree t, Verb c) {
    List<String> args = new ArrayList<>(c.args());
    String group = null;
    if (args.size() >= 2 && args.get(args.size() - 2).equals("group")) {
      group = args.get(args.size() - 1).toLowerCase(Locale.ROOT);
      if (Songs.display(group) == null) {
        throw AckException.arg("Unknown group tag: " + group);
      }
      args = args.subList(0, args.size() - 2);
    }
    Filter f = args.isEmpty() ? Filter.ALL : Filter.parse(args, false);
    TreeMap<String, long[]> totals = new TreeMap<>();
    for (LibraryTrack song : t.tracks()) {
      if (f.test(song)) {
        String key = group == null ? "" : Songs.valueOrFallback(song, group);
        long[] n = totals.computeIfAbsent(key, k -> new long[2]);
        n[0]++;
        n[1] += song.getDurationMs();
      }
    }
    if (group == null) {
      long[] n = totals.getOrDefault("", new long[2]);
      c.reply().field("songs", n[0]).field("playtime", n[1] / 1000);
      return;
    }
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      c.reply()
          .field(Songs.display(group), e.getKey())
          .field("songs", e.getValue()[0])
          .field("playtime", e.getValue()[1] / 1000);
    }
  }

  private static CompletionStage<Void> update(MpdService.Shared s, Verb c, boolean full) {
    if (c.has(0)) {
      String u = strip(c.arg(0));
      // Tonearm scans whole music folders; a URI is checked, then the folders are scanned.
      return s.index()
          .tree()
          .thenCompose(
              t -> {
                if (!t.dirs().containsKey(u) && !t.byUri().containsKey(u)) {
                  throw AckException.arg("Malformed path");
                }
                return scan(s, c, full);
              });
    }
    return scan(s, c, full);
  }

  private static CompletionStage<Void> scan(MpdService.Shared s, Verb c, boolean full) {
    return CompletableFuture.supplyAsync(
            () -> {
              int job = s.bus().expectUpdate();
              try {
                s.library().scan(full, List.of(), c.origin().getClient());
              } catch (java.sql.SQLException e) {
                throw new AckException(AckException.SYSTEM, "library store: " + e.getMessage());
              }
              return job;
            })
        .thenAccept(job -> c.reply().field("updating_db", job));
  }

  private static CompletionStage<Void> picture(MpdService.Shared s, Verb c, boolean embedded) {
    String uri = strip(c.arg(0));
    int offset = Args.unsigned(c.arg(1));
    return s.index()
        .tree()
        .thenCompose(
            t -> {
              LibraryTrack song = t.byUri().get(uri);
              if (song == null) {
                throw AckException.noExist("No file exists");
              }
              return s.index().browser().picture(song.getId());
            })
        .thenAccept(
            pic -> {
              if (pic.isEmpty()) {
                if (embedded) {
                  return; // readpicture: an empty answer means "no picture"
                }
                throw AckException.noExist("No file exists");
              }
              LibraryBrowser.Picture p = pic.get();
              if (offset > p.bytes().length) {
                throw AckException.arg("Bad file offset");
              }
              int n = Math.min(c.session().binaryLimit(), p.bytes().length - offset);
              c.reply().field("size", p.bytes().length);
              if (embedded) {
                c.reply().field("type", p.mimeType());
              }
              c.reply().binary(p.bytes(), offset, n);
            });
  }
}
