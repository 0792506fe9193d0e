import type { CommandName, CommandRequest, CommandResult, EventStream } from "@tonearm/client";
import { describeError, Toasts } from "./toast";

/**
 * Runs the daemon's commands over the page's socket and shows every refusal to the user (the
 * daemon's code and message), so that nothing fails silently. Resolves with the result, or with
 * undefined after a refusal.
 */
export class Commands {
  constructor(
    private readonly stream: EventStream,
    private readonly toasts: Toasts,
  ) {}

  async run<N extends CommandName>(
    name: N,
    request?: CommandRequest<N>,
    params?: Record<string, string>,
  ): Promise<CommandResult<N> | undefined> {
    try {
      return await this.stream.command(name, request, params);
    } catch (e) {
      this.toasts.error(`${name} failed`, describeError(e));
      return undefined;
    }
  }

  /** Like {@link run} for queries whose failure the caller shows itself. */
  query<N extends CommandName>(
    name: N,
    params?: Record<string, string>,
  ): Promise<CommandResult<N>> {
    return this.stream.command(name, undefined, params);
  }
}
