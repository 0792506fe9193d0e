package io.tonearm.client.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintStream;

/**
 * Where a command prints: human text, or with {@code --json} one protobuf JSON object per line
 * (proto field names, defaults included) so scripts can read it. Confined to the command's thread
 * (live commands print from the event loop, one call at a time).
 */
final class Output {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer()
          .preservingProtoFieldNames()
          .alwaysPrintFieldsWithNoPresence()
          .omittingInsignificantWhitespace();

  final PrintStream out;
  final PrintStream err;
  final boolean json;

  Output(PrintStream out, PrintStream err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  /** Prints {@code m} as JSON in JSON mode, else {@code human} (when not null). */
  void print(MessageOrBuilder m, String human) {
    if (json) {
      out.println(json(m));
    } else if (human != null) {
      out.println(human);
    }
    out.flush();
  }

  static String json(MessageOrBuilder m) {
    try {
      return JSON.print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
