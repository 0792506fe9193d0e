package io.tonearm.daemon.mpd;

import io.tonearm.daemon.access.Scope;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * MPD's {@code sticker} command (song stickers, as MPD 0.23): {@code get}, {@code set}, {@code
 * delete}, {@code list} and {@code find} with {@code =}, {@code <}, {@code >}. Reading takes the
 * read scope; {@code set} and {@code delete} take the library scope (MPD asks its admin permission
 * for all of them). A change is the {@code sticker} idle event.
 */
final class StickerVerbs {
  private StickerVerbs() {}

  static void register(MpdService.Shared s) {
    Stickers stickers = new Stickers(s.library());
    s.table().add("sticker", 3, -1, Scope.READ, c -> sticker(s, stickers, c));
  }

  private static CompletionStage<Void> sticker(MpdService.Shared s, Stickers st, Verb c) {
    String sub = c.arg(0);
    if (!c.arg(1).equals("song")) {
      throw AckException.arg("unknown sticker domain");
    }
    int n = c.args().size();
    String uri = DatabaseVerbs.strip(c.arg(2));
    boolean writes = sub.equals("set") || sub.equals("delete");
    if (writes && !c.session().principal().has(Scope.LIBRARY)) {
      throw new AckException(AckException.PERMISSION, "you don't have permission for \"sticker\"");
    }
    switch (sub) {
      case "get" -> {
        if (n != 4) {
          break;
        }
        return song(s, uri)
            .thenCompose(x -> st.get(uri, c.arg(3)))
            .thenAccept(
                v ->
                    c.reply()
                        .field(
                            "sticker",
                            c.arg(3)
                                + "="
                                + v.orElseThrow(() -> AckException.noExist("no such sticker"))));
      }
      case "list" -> {
        if (n != 3) {
          break;
        }
        return song(s, uri).thenCompose(x -> st.list(uri)).thenAccept(l -> print(c, l, false));
      }
      case "set" -> {
        if (n != 5) {
          break;
        }
        return song(s, uri)
            .thenCompose(x -> st.set(uri, c.arg(3), c.arg(4)))
            .thenAccept(
                ok -> {
                  if (!ok) {
                    throw new AckException(
                        AckException.PLAYLIST_MAX,
                        "a song has at most " + Stickers.MAX_PER_SONG + " stickers");
                  }
                  s.bus().emit(IdleBus.Subsystem.STICKER.bit());
                });
      }
      case "delete" -> {
        if (n != 3 && n != 4) {
          break;
        }
        return song(s, uri)
            .thenCompose(x -> st.delete(uri, n == 4 ? c.arg(3) : null))
            .thenAccept(
                ok -> {
                  if (!ok) {
                    throw AckException.noExist("no such sticker");
                  }
                  s.bus().emit(IdleBus.Subsystem.STICKER.bit());
                });
      }
      case "find" -> {
        if (n != 4 && n != 6) {
          break;
        }
        Stickers.Op op = Stickers.Op.EXISTS;
        if (n == 6) {
          op =
              switch (c.arg(4)) {
                case "=" -> Stickers.Op.EQUALS;
                case "<" -> Stickers.Op.LESS;
                case ">" -> Stickers.Op.GREATER;
                default -> throw AckException.arg("bad operator");
              };
        }
        // As MPD, only songs still in the database are listed (a sticker outlives its file).
        return st.find(uri, c.arg(3), op, n == 6 ? c.arg(5) : null)
            .thenCombine(
                s.index().tree(),
                (found, tree) -> found.stream().filter(x -> tree.byUri().containsKey(x.uri())))
            .thenAccept(found -> print(c, found.toList(), true));
      }
      default -> {}
    }
    throw AckException.arg("bad request");
  }

  /** Completes when {@code uri} is a song of the library, else fails as MPD: "No such song". */
  private static CompletionStage<Void> song(MpdService.Shared s, String uri) {
    return s.index()
        .tree()
        .thenAccept(
            t -> {
              if (!t.byUri().containsKey(uri)) {
                throw AckException.noExist("No such song");
              }
            });
  }

  private static void print(Verb c, List<Stickers.Sticker> list, boolean withFile) {
    for (Stickers.Sticker x : list) {
      if (withFile) {
        c.reply().field("file", x.uri());
      }
      c.reply().field("sticker", x.name() + "=" + x.value());
    }
  }
}
