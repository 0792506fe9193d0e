package io.tonearm.daemon.mpd;

import io.tonearm.proto.v1.Origin;
import java.util.List;

/**
 * One command being run: its arguments, the reply it writes and the connection's session.
 *
 * @param name the command word as the table spells it
 * @param args the arguments, unquoted
 * @param reply where the command writes its lines
 * @param session the connection's protocol state
 */
public record Verb(String name, List<String> args, Reply reply, Session session) {

  public String arg(int i) {
    return args.get(i);
  }

  public boolean has(int i) {
    return args.size() > i;
  }

  public Origin origin() {
    return session.origin(name);
  }

  /** Argument {@code i} as an integer, or ACK 2 "Integer expected". */
  public int intArg(int i) {
    return Args.integer(args.get(i));
  }
}
