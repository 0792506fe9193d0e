package io.tonearm.daemon.mpd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * MPD's client-to-client messages: connections subscribe to named channels, and a message sent to a
 * channel is queued for every connection subscribed to it until that connection reads it with
 * {@code readmessages}. Nothing is persisted; a channel exists while someone is subscribed.
 *
 * <p>Bounds, MPD's own ({@code Client::MAX_SUBSCRIPTIONS} and {@code MAX_MESSAGES}): at most
 * {@value #MAX_SUBSCRIPTIONS} channels per connection, at most {@value #MAX_MESSAGES} unread
 * messages per connection (a message to a connection whose mailbox is full is not queued for it). A
 * channel name is 1 or more of {@code [A-Za-z0-9_.:-]}; names and messages are bounded by the
 * request line (8 KiB).
 *
 * <p>Thread-safe: connections on different event loops subscribe and send; every method holds this
 * object's lock, briefly (no I/O, no callbacks into connections except the mailbox's scheduling
 * {@code arrived} hook).
 */
final class Channels {

  static final int MAX_SUBSCRIPTIONS = 16;
  static final int MAX_MESSAGES = 64;

  /** The outcome of {@link #subscribe}. */
  enum Subscribed {
    OK,
    INVALID,
    ALREADY,
    FULL
  }

  /** One message as {@code readmessages} lists it. */
  record Message(String channel, String text) {}

  /** One connection's subscriptions and unread messages. */
  static final class Mailbox {
    private final Set<String> channels = new TreeSet<>();
    private final ArrayDeque<Message> unread = new ArrayDeque<>();
    private final Runnable arrived;

    /**
     * @param arrived called (under the registry's lock, so it must only schedule) when a message
     *     lands in an empty mailbox: the connection's {@code message} idle event
     */
    Mailbox(Runnable arrived) {
      this.arrived = arrived;
    }
  }

  private final Map<String, Set<Mailbox>> subscribers = new HashMap<>();
  private final Runnable subscriptionsChanged;

  /**
   * @param subscriptionsChanged called after any connection subscribes or unsubscribes: MPD's
   *     global {@code subscription} idle event
   */
  Channels(Runnable subscriptionsChanged) {
    this.subscriptionsChanged = subscriptionsChanged;
  }

  /** True for a name MPD accepts: one or more ASCII letters, digits, '_', '-', '.', ':'. */
  static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.'
              || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  Subscribed subscribe(Mailbox m, String channel) {
    if (!validName(channel)) {
      return Subscribed.INVALID;
    }
    synchronized (this) {
      if (m.channels.size() >= MAX_SUBSCRIPTIONS) {
        return Subscribed.FULL;
      }
      if (!m.channels.add(channel)) {
        return Subscribed.ALREADY;
      }
      subscribers.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(m);
    }
    subscriptionsChanged.run();
    return Subscribed.OK;
  }

  /**
   * @return false when {@code m} was not subscribed to {@code channel}
   */
  boolean unsubscribe(Mailbox m, String channel) {
    synchronized (this) {
      if (!m.channels.remove(channel)) {
        return false;
      }
      drop(channel, m);
    }
    subscriptionsChanged.run();
    return true;
  }

  /**
   * Forgets a closed connection's subscriptions and unread messages. As MPD, no {@code
   * subscription} event: its channels simply stop being listed.
   */
  synchronized void close(Mailbox m) {
    for (String c : m.channels) {
      drop(c, m);
    }
    m.channels.clear();
    m.unread.clear();
  }

  private void drop(String channel, Mailbox m) {
    Set<Mailbox> s = subscribers.get(channel);
    if (s != null && s.remove(m) && s.isEmpty()) {
      subscribers.remove(channel);
    }
  }

  /** Every channel someone is subscribed to, in name order. */
  synchronized List<String> channels() {
    return new ArrayList<>(new TreeSet<>(subscribers.keySet()));
  }

  /** This connection's channels, in name order. */
  synchronized List<String> subscriptions(Mailbox m) {
    return new ArrayList<>(m.channels);
  }

  /**
   * Queues {@code text} for every subscriber of {@code channel} whose mailbox has room.
   *
   * @return false when no subscriber took it (none subscribed, or every mailbox full): MPD's
   *     "nobody is subscribed to this channel"
   */
  synchronized boolean send(String channel, String text) {
    Set<Mailbox> s = subscribers.get(channel);
    if (s == null) {
      return false;
    }
    Message msg = new Message(channel, text);
    boolean sent = false;
    for (Mailbox m : s) {
      if (m.unread.size() >= MAX_MESSAGES) {
        continue;
      }
      if (m.unread.isEmpty()) {
        m.arrived.run();
      }
      m.unread.add(msg);
      sent = true;
    }
    return sent;
  }

  /** Takes this connection's unread messages, oldest first. */
  synchronized List<Message> read(Mailbox m) {
    List<Message> out = new ArrayList<>(m.unread);
    m.unread.clear();
    return out;
  }
}
