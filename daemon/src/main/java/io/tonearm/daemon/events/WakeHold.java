package io.tonearm.daemon.events;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds back the fan-out's wake-ups for a command's events until the command's reply is written.
 * The HTTP edge opens a {@link Reply} on its event loop while it hands a command to its owner; the
 * owner (the player) wraps the command's task with {@link #holding} on that same thread, so the
 * task, when it later runs on the owner's thread, publishes its events (each is in the history with
 * its seq at once) but no event loop is woken for them until the edge has written the reply and let
 * the hold go. The reply (which carries the seq) is then the first thing the daemon writes for that
 * command: no loop's listener copies compete with it for the two cores. Before, only the reply's
 * own loop was held, and the other loops wrote their listeners' copies first. A task started
 * without a reply open (socket and MPD commands, which have their own ordering) holds all its
 * wake-ups until it ends, so that its events go out in one wake-up per loop.
 *
 * <p>Thread-safe. A wake-up must only schedule work (it runs on the thread that lets it go); one
 * asked for several times runs once, in the order first asked.
 */
public final class WakeHold {

  private final ThreadLocal<Reply> opening = new ThreadLocal<>();
  private final ThreadLocal<Reply> held = new ThreadLocal<>();

  /**
   * Opens a reply on this thread: tasks wrapped by {@link #holding} on this thread until {@link
   * Reply#stopOpening} hold every wake-up they ask for until it is let go. The caller must {@link
   * Reply#release} it once the reply is written, or has failed, or will not be sent.
   */
  public Reply open() {
    Reply r = new Reply(this);
    opening.set(r);
    return r;
  }

  /**
   * Wraps {@code task}: when it runs (on any thread), the wake-ups asked for on that thread are
   * held for the reply open on this (the calling) thread, or, with none open, until the task ends
   * (also when it throws). A task run inside another one's hold adds to that hold.
   */
  public Runnable holding(Runnable task) {
    Reply reply = opening.get();
    return () -> {
      if (held.get() != null) {
        task.run();
        return;
      }
      Reply into = reply != null ? reply : new Reply(this);
      held.set(into);
      try {
        task.run();
      } finally {
        // set(null), not remove(): the same for get(), and remove() also sweeps the thread's map
        // for stale entries every time (about 0.7 % of a volume command's CPU with the C1-only
        // JIT).
        held.set(null);
        if (reply == null) {
          into.release();
        }
      }
    };
  }

  /**
   * Runs {@code wake} (which wakes an event loop) now, or when this thread's held wake-ups are let
   * go: those of the task it runs, or else of the reply it has open (a command whose task already
   * ended on the owner's thread publishes the rest, its {@code CommandExecuted}, on the edge's
   * thread while the edge is still handing it over). Every loop's wake-up is held alike; one held
   * several times runs once.
   */
  public void wake(Runnable wake) {
    Reply r = held.get();
    if (r == null) {
      r = opening.get();
    }
    if (r == null || !r.add(wake)) {
      wake.run();
    }
  }

  /** The wake-ups held for one reply. */
  public static final class Reply {
    private final WakeHold hold;
    private final List<Runnable> wakes = new ArrayList<>(4);
    private boolean released;

    private Reply(WakeHold hold) {
      this.hold = hold;
    }

    /** Ends the opening on this thread: tasks wrapped from now on are not held for this reply. */
    public void stopOpening() {
      if (hold.opening.get() == this) {
        hold.opening.set(null); // as held's: no sweep of the thread's map per request
      }
    }

    /** False when already let go: the caller runs the wake-up itself. */
    private synchronized boolean add(Runnable wake) {
      if (released) {
        return false;
      }
      if (!wakes.contains(wake)) {
        wakes.add(wake);
      }
      return true;
    }

    /** Lets the held wake-ups go (once; later calls do nothing); later ones run at once. */
    public void release() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      for (int i = 0; i < wakes.size(); i++) {
        wakes.get(i).run();
      }
    }
  }
}
