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

  /**
   * This thread's open reply and the hold of the task it runs, in one object per thread: each
   * {@code ThreadLocal} lookup checks its entry's weak key with a native call under C1 (the
   * README's only JIT), and a command asked for the two slots about ten times; now a lookup or two.
   */
  private final PerThread<Slots> slots = new PerThread<>(Slots::new);

  private static final class Slots {
    /** The reply opened on this thread and not yet stopped, or null. */
    Reply opening;

    /** The hold the task running on this thread adds its wake-ups to, or null. */
    Reply held;
  }

  /**
   * Opens a reply on this thread: tasks wrapped by {@link #holding} on this thread until {@link
   * Reply#stopOpening} hold every wake-up they ask for until it is let go. The caller must {@link
   * Reply#release} it once the reply is written, or has failed, or will not be sent.
   */
  public Reply open() {
    Slots t = slots.get();
    Reply r = new Reply(t);
    t.opening = r;
    return r;
  }

  /**
   * Wraps {@code task}: when it runs (on any thread), the wake-ups asked for on that thread are
   * held for the reply open on this (the calling) thread, or, with none open, until the task ends
   * (also when it throws). A task run inside another one's hold adds to that hold.
   */
  public Runnable holding(Runnable task) {
    return new Holding(slots, slots.get().opening, task);
  }

  /**
   * A task of {@link #holding}, holding for {@code reply} (null: its own hold). A class, not a
   * lambda: under C1 a capturing lambda is made through a method handle each time.
   */
  private record Holding(PerThread<Slots> slots, Reply reply, Runnable task) implements Runnable {
    @Override
    public void run() {
      Slots t = slots.get();
      if (t.held != null) {
        task.run();
        return;
      }
      Reply into = reply != null ? reply : new Reply(null);
      t.held = into;
      try {
        task.run();
      } finally {
        t.held = null;
        if (reply == null) {
          into.release();
        }
      }
    }
  }

  /**
   * Runs {@code wake} (which wakes an event loop) now, or when this thread's held wake-ups are let
   * go: those of the task it runs, or else of the reply it has open (a command whose task already
   * ended on the owner's thread publishes the rest, its {@code CommandExecuted}, on the edge's
   * thread while the edge is still handing it over). Every loop's wake-up is held alike; one held
   * several times runs once.
   */
  public void wake(Runnable wake) {
    Slots t = slots.get();
    Reply r = t.held != null ? t.held : t.opening;
    if (r == null || !r.add(wake)) {
      wake.run();
    }
  }

  /** The wake-ups held for one reply. */
  public static final class Reply {
    /** The slots of the thread that opened it; null for a task's own hold. */
    private final Slots opener;

    private final List<Runnable> wakes = new ArrayList<>(4);
    private boolean released;

    private Reply(Slots opener) {
      this.opener = opener;
    }

    /**
     * Ends the opening on this thread: tasks wrapped from now on are not held for this reply. Call
     * on the thread that opened it.
     */
    public void stopOpening() {
      if (opener != null && opener.opening == this) {
        opener.opening = null;
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
