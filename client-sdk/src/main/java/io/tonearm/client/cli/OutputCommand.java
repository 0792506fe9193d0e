package io.tonearm.client.cli;

import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.OutputInfo;
import io.tonearm.proto.v1.OutputsReply;

/** {@code outputs [list]}, {@code outputs enable ID}, {@code outputs disable ID}. */
final class OutputCommand {
  private final TonearmClient client;
  private final Output o;

  OutputCommand(TonearmClient client, Output o) {
    this.client = client;
    this.o = o;
  }

  void run(Args a) {
    String sub = a.optional();
    OutputsReply r =
        switch (sub == null ? "list" : sub) {
          case "list" -> client.outputs().list().execute();
          case "enable" -> client.outputs().enable(a.next("output id")).execute();
          case "disable" -> client.outputs().disable(a.next("output id")).execute();
          default -> throw new UsageException("unknown outputs command '" + sub + "'");
        };
    a.end();
    StringBuilder b = new StringBuilder();
    for (OutputInfo i : r.getState().getOutputsList()) {
      b.append(
          String.format(
              "%-12s %-8s %s%s%n",
              i.getOutputId(),
              i.getEnabled() ? "enabled" : "disabled",
              i.getDescription(),
              i.getError().isEmpty() ? "" : " (error: " + i.getError() + ")"));
    }
    o.print(r, b.toString().stripTrailing());
  }
}
