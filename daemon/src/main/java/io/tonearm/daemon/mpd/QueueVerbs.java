package io.tonearm.daemon.mpd;

import io.tonearm.daemon.player.Player;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.QueueReply;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The queue: adding, removing, moving and listing songs. Song ids are Tonearm's queue item ids
 * (stable, never reused) and positions are indexes in the queue as the HTTP API lists it.
 */
final class QueueVerbs {
  private QueueVerbs() {}

  /** Most single moves one reordering command ({@code shuffle}, {@code move} of a range) makes. */
  static final int MAX_MOVES = 2_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  static void register(MpdService.Shared s) {
    Player p = s.player();
    s.table()
        .add("add", 1, 2, s.scopeOf("queue.append"), c -> add(s, c, false))
        .add("addid", 1, 2, s.scopeOf("queue.insert"), c -> add(s, c, true))
        .add("clear", 0, 0, s.scopeOf("queue.clear"), c -> PlaybackVerbs.done(p.clear(c.origin())))
        .add(
            "delete",
            1,
            1,
            s.scopeOf("queue.remove"),
            c -> {
              Args.Range r = Args.range(c.arg(0));
              return p.queue()
                  .thenCompose(
                      q -> {
                        List<String> ids = ids(q, r);
                        return ids.isEmpty()
                            ? CompletableFuture.completedFuture(null)
                            : PlaybackVerbs.done(p.remove(ids, c.origin()));
                      });
            })
        .add(
            "deleteid",
            1,
            1,
            s.scopeOf("queue.remove"),
            c ->
                p.queue()
                    .thenCompose(
                        q ->
                            PlaybackVerbs.done(
                                p.remove(
                                    List.of(PlaybackVerbs.Queue.itemWithId(q, c.arg(0))),
                                    c.origin()))))
        .add(
            "move",
            2,
            2,
            s.scopeOf("queue.move"),
            c -> {
              Args.Range r = Args.range(c.arg(0));
              int to = Args.unsigned(c.arg(1));
              return p.queue()
                  .thenCompose(
                      q -> {
                        List<String> now = all(q);
                        List<String> block = ids(q, r);
                        List<String> rest = new ArrayList<>(now);
                        rest.removeAll(block);
                        if (to > rest.size()) {
                          throw AckException.arg("Bad song index");
                        }
                        rest.addAll(to, block);
                        return reorder(p, now, rest, c.origin());
                      });
            })
        .add(
            "moveid",
            2,
            2,
            s.scopeOf("queue.move"),
            c -> {
              int to = c.intArg(1);
              return p.queue()
                  .thenCompose(
                      q -> {
                        String id = PlaybackVerbs.Queue.itemWithId(q, c.arg(0));
                        if (to < 0 || to >= q.getQueue().getItemsCount()) {
                          throw AckException.arg("Bad song index");
                        }
                        return PlaybackVerbs.done(p.move(id, to, c.origin()));
                      });
            })
        .add(
            "swap",
            2,
            2,
            s.scopeOf("queue.move"),
            c -> {
              int a = Args.unsigned(c.arg(0));
              int b = Args.unsigned(c.arg(1));
              return p.queue()
                  .thenCompose(
                      q ->
                          swap(
                              p,
                              q,
                              PlaybackVerbs.Queue.itemAt(q, a),
                              PlaybackVerbs.Queue.itemAt(q, b),
                              c));
            })
        .add(
            "swapid",
            2,
            2,
            s.scopeOf("queue.move"),
            c ->
                p.queue()
                    .thenCompose(
                        q ->
                            swap(
                                p,
                                q,
                                PlaybackVerbs.Queue.itemWithId(q, c.arg(0)),
                                PlaybackVerbs.Queue.itemWithId(q, c.arg(1)),
                                c)))
        .add(
            "shuffle",
            0,
            1,
            s.scopeOf("queue.move"),
            c -> {
              Args.Range r = c.has(0) ? Args.range(c.arg(0)) : new Args.Range(0, Integer.MAX_VALUE);
              return p.queue()
                  .thenCompose(
                      q -> {
                        List<String> now = all(q);
                        Args.Range cut = r.clip(now.size());
                        List<String> next = new ArrayList<>(now);
                        Collections.shuffle(next.subList(cut.start(), cut.end()), RANDOM);
                        return reorder(p, now, next, c.origin());
                      });
            })
        .add(
            "playlistinfo",
            0,
            1,
            s.scopeOf("queue.get"),
            c -> {
              Args.Range r = c.has(0) ? Args.range(c.arg(0)) : null;
              return songs(s, c, (q, tree) -> rangeOrAll(q, r));
            })
        .add(
            "playlistid",
            0,
            1,
            s.scopeOf("queue.get"),
            c ->
                songs(
                    s,
                    c,
                    (q, tree) -> {
                      if (!c.has(0)) {
                        return indexes(q.getQueue().getItemsCount());
                      }
                      return List.of(
                          PlaybackVerbs.Queue.positionOf(
                              q, PlaybackVerbs.Queue.itemWithId(q, c.arg(0))));
                    }))
        .add(
            "playlist",
            0,
            0,
            s.scopeOf("queue.get"),
            c ->
                p.queue()
                    .thenAccept(
                        q -> {
                          for (int i = 0; i < q.getQueue().getItemsCount(); i++) {
                            c.reply()
                                .line(
                                    i + ":file: " + q.getQueue().getItems(i).getTrack().getPath());
                          }
                        }))
        .add("plchanges", 1, 2, s.scopeOf("queue.get"), c -> changes(s, c, false))
        .add("plchangesposid", 1, 2, s.scopeOf("queue.get"), c -> changes(s, c, true))
        .add("playlistfind", 1, -1, s.scopeOf("queue.get"), c -> find(s, c, false))
        .add("playlistsearch", 1, -1, s.scopeOf("queue.get"), c -> find(s, c, true))
        .add(
            "prio",
            2,
            -1,
            s.scopeOf("queue.priority"),
            c -> {
              int prio = priority(c.arg(0));
              List<Args.Range> ranges = new ArrayList<>();
              for (String a : c.args().subList(1, c.args().size())) {
                ranges.add(Args.range(a));
              }
              return p.queue()
                  .thenCompose(
                      q -> {
                        List<QueueItem> items = q.getQueue().getItemsList();
                        List<String> ids = new ArrayList<>();
                        for (Args.Range r : ranges) {
                          if (r.start() >= items.size() && r.start() != 0) {
                            throw AckException.arg("Bad song index");
                          }
                          int end = Math.min(r.end(), items.size());
                          for (int i = r.start(); i < end; i++) {
                            ids.add(items.get(i).getItemId());
                          }
                        }
                        return setPriority(p, ids, prio, c);
                      });
            })
        .add(
            "prioid",
            2,
            -1,
            s.scopeOf("queue.priority"),
            c -> {
              int prio = priority(c.arg(0));
              return p.queue()
                  .thenCompose(
                      q -> {
                        List<String> ids = new ArrayList<>();
                        for (String id : c.args().subList(1, c.args().size())) {
                          ids.add(PlaybackVerbs.Queue.itemWithId(q, id));
                        }
                        return setPriority(p, ids, prio, c);
                      });
            });
  }

  /** MPD's priority, 0 to 255. */
  private static int priority(String a) {
    int prio = Args.unsigned(a);
    if (prio > 255) {
      throw AckException.arg("Priority out of range: " + a);
    }
    return prio;
  }

  private static CompletionStage<Void> setPriority(Player p, List<String> ids, int prio, Verb c) {
    return ids.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : p.priority(ids, prio, c.origin()).thenApply(r -> null);
  }

  private static CompletionStage<Void> add(MpdService.Shared s, Verb c, boolean withId) {
    String uri = c.arg(0);
    String at = c.has(1) ? c.arg(1) : null;
    return s.index()
        .tree()
        .thenCompose(
            tree -> {
              List<String> paths = DatabaseVerbs.resolve(tree, uri, !withId);
              return s.player()
                  .state()
                  .thenCompose(
                      st -> {
                        int len = st.getState().getQueueLength();
                        int index =
                            at == null ? len : position(at, st.getState().getQueueIndex(), len);
                        CompletionStage<QueueReply> done =
                            index == len
                                ? s.player().append(paths, List.of(), c.origin())
                                : s.player().insert(index, paths, List.of(), c.origin());
                        return done.thenAccept(
                            q -> {
                              if (withId && q.getItemIdsCount() > 0) {
                                c.reply().field("Id", q.getItemIds(0));
                              }
                            });
                      });
            });
  }

  /** An insert position: absolute, or {@code +N} / {@code -N} relative to the current song. */
  private static int position(String at, int current, int len) {
    int pos;
    if (at.startsWith("+") || at.startsWith("-")) {
      if (current < 0) {
        throw AckException.arg("No current song");
      }
      int n = Args.unsigned(at.substring(1));
      pos = at.startsWith("+") ? current + 1 + n : current - n;
    } else {
      pos = Args.unsigned(at);
    }
    if (pos < 0 || pos > len) {
      throw AckException.arg("Bad song index");
    }
    return pos;
  }

  private static CompletionStage<Void> swap(Player p, QueueReply q, String a, String b, Verb c) {
    List<String> now = all(q);
    List<String> next = new ArrayList<>(now);
    Collections.swap(next, now.indexOf(a), now.indexOf(b));
    return reorder(p, now, next, c.origin());
  }

  /**
   * Turns the queue order {@code now} into {@code next} with single moves: each step brings the
   * item that belongs at position i there, so positions before i never change again.
   */
  static CompletionStage<Void> reorder(Player p, List<String> now, List<String> next, Origin o) {
    List<String> cur = new ArrayList<>(now);
    List<String[]> moves = new ArrayList<>();
    for (int i = 0; i < next.size(); i++) {
      if (!cur.get(i).equals(next.get(i))) {
        String id = next.get(i);
        cur.remove(id);
        cur.add(i, id);
        moves.add(new String[] {id, Integer.toString(i)});
      }
    }
    if (moves.size() > MAX_MOVES) {
      throw AckException.arg("at most " + MAX_MOVES + " songs may be reordered at once");
    }
    CompletionStage<?> chain = CompletableFuture.completedFuture(null);
    for (String[] m : moves) {
      chain = chain.thenCompose(x -> p.move(m[0], Integer.parseInt(m[1]), o));
    }
    return PlaybackVerbs.done(chain);
  }

  /** Picks queue positions to print, given the queue and the library tree. */
  @FunctionalInterface
  interface Pick {
    List<Integer> positions(QueueReply q, TrackIndex.Tree tree);
  }

  static CompletionStage<Void> songs(MpdService.Shared s, Verb c, Pick pick) {
    return s.player()
        .queue()
        .thenCompose(
            q ->
                s.index()
                    .tree()
                    .thenAccept(
                        tree -> {
                          for (int pos : pick.positions(q, tree)) {
                            QueueItem item = q.getQueue().getItems(pos);
                            Songs.writeQueued(
                                c.reply(),
                                Songs.of(item, tree.byId().get(item.getTrack().getTrackId())),
                                pos,
                                item,
                                c.session().tags());
                          }
                        }));
  }

  private static CompletionStage<Void> changes(MpdService.Shared s, Verb c, boolean posId) {
    long since;
    try {
      since = Long.parseLong(c.arg(0));
    } catch (NumberFormatException e) {
      throw AckException.arg("Integer expected: " + c.arg(0));
    }
    Args.Range r = c.has(1) ? Args.range(c.arg(1)) : new Args.Range(0, Integer.MAX_VALUE);
    return s.player()
        .queue()
        .thenCompose(
            q ->
                s.index()
                    .tree()
                    .thenAccept(
                        tree -> {
                          Args.Range cut = r.clip(q.getQueue().getItemsCount());
                          for (int pos = cut.start(); pos < cut.end(); pos++) {
                            QueueItem item = q.getQueue().getItems(pos);
                            if (since > 0 && s.bus().changedAt(item.getItemId()) <= since) {
                              continue;
                            }
                            if (posId) {
                              c.reply().field("cpos", pos).field("Id", item.getItemId());
                            } else {
                              Songs.writeQueued(
                                  c.reply(),
                                  Songs.of(item, tree.byId().get(item.getTrack().getTrackId())),
                                  pos,
                                  item,
                                  c.session().tags());
                            }
                          }
                        }));
  }

  private static CompletionStage<Void> find(MpdService.Shared s, Verb c, boolean foldCase) {
    Filter f = Filter.parse(c.args(), foldCase);
    return songs(
        s,
        c,
        (q, tree) -> {
          List<Integer> out = new ArrayList<>();
          for (int i = 0; i < q.getQueue().getItemsCount(); i++) {
            QueueItem item = q.getQueue().getItems(i);
            LibraryTrack t = Songs.of(item, tree.byId().get(item.getTrack().getTrackId()));
            if (f.test(t)) {
              out.add(i);
            }
          }
          return out;
        });
  }

  private static List<Integer> rangeOrAll(QueueReply q, Args.Range r) {
    int n = q.getQueue().getItemsCount();
    if (r == null) {
      return indexes(n);
    }
    if (r.start() >= n && !(r.start() == 0 && n == 0) && r.end() - r.start() == 1) {
      throw AckException.arg("Bad song index");
    }
    if (r.start() > n) {
      throw AckException.arg("Bad song index");
    }
    List<Integer> out = new ArrayList<>();
    for (int i = r.start(); i < Math.min(r.end(), n); i++) {
      out.add(i);
    }
    return out;
  }

  private static List<Integer> indexes(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  private static List<String> all(QueueReply q) {
    List<String> out = new ArrayList<>();
    for (QueueItem i : q.getQueue().getItemsList()) {
      out.add(i.getItemId());
    }
    return out;
  }

  private static List<String> ids(QueueReply q, Args.Range r) {
    int n = q.getQueue().getItemsCount();
    if (r.start() >= n || (r.end() != Integer.MAX_VALUE && r.end() > n)) {
      throw AckException.arg("Bad song index");
    }
    List<String> out = new ArrayList<>();
    for (int i = r.start(); i < Math.min(r.end(), n); i++) {
      out.add(q.getQueue().getItems(i).getItemId());
    }
    return out;
  }
}
